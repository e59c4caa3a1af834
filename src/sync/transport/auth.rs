//! A tower layer that adds HTTP basic authentication to every request when credentials are given
//! (and nothing otherwise), so one client type serves servers with and without a login. The header
//! is marked sensitive, so hyper never prints it.

use base64::Engine as _;
use http::header::{AUTHORIZATION, HeaderValue};
use std::task::{Context, Poll};
use tower_service::Service;

/// A user name and a password. The password is never shown by `Debug`.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"(hidden)")
            .finish()
    }
}

impl Credentials {
    /// The `Authorization` header value, marked sensitive; `None` if it cannot be a header
    /// (a control character in the name or password).
    fn header(&self) -> Option<HeaderValue> {
        let raw = format!("{}:{}", self.username, self.password);
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        let mut value = HeaderValue::try_from(format!("Basic {encoded}")).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

/// An HTTP client that adds the `Authorization` header when it has one.
#[derive(Clone, Debug)]
pub struct Authorized<S> {
    inner: S,
    header: Option<HeaderValue>,
}

impl<S> Authorized<S> {
    pub fn new(inner: S, credentials: Option<&Credentials>) -> Self {
        Authorized {
            inner,
            header: credentials.and_then(Credentials::header),
        }
    }
}

impl<S, B> Service<http::Request<B>> for Authorized<S>
where
    S: Service<http::Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        if let Some(header) = &self.header {
            request.headers_mut().insert(AUTHORIZATION, header.clone());
        }
        self.inner.call(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_password() {
        let c = Credentials {
            username: "ada".into(),
            password: "s3cret-pw".into(),
        };
        let shown = format!("{c:?}");
        assert!(shown.contains("ada"));
        assert!(!shown.contains("s3cret-pw"));
    }

    #[test]
    fn header_is_basic_and_sensitive() {
        let c = Credentials {
            username: "ada".into(),
            password: "pw".into(),
        };
        let h = c.header().unwrap();
        assert_eq!(h.to_str().unwrap(), "Basic YWRhOnB3");
        assert!(h.is_sensitive());
    }
}
