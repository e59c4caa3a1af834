//! Where the items live: a CalDAV/CardDAV server ([`dav::Dav`], through libdav) or a local vdir
//! directory ([`vdir::Vdir`], the layout vdirsyncer and pimsync write: one file per item). Both
//! answer the same blocking [`Transport`] trait, so the sync logic is the same for both.
//!
//! Each account holds two collections, both named `tickler`: an address book (contacts) and a
//! calendar (follow-ups and history). They get distinct slugs because a server may keep calendars
//! and address books in one home set.

mod auth;
pub mod dav;
pub mod vdir;

pub use auth::Credentials;

use std::path::PathBuf;

/// The display name of both collections.
pub const COLLECTION_NAME: &str = "tickler";

/// One of the two collections of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    /// The address book: one vCard per contact.
    Contacts,
    /// The calendar: one VTODO per open follow-up, VJOURNALs for the history.
    Calendar,
}

impl Collection {
    pub const BOTH: [Collection; 2] = [Collection::Contacts, Collection::Calendar];

    /// The last path segment of the collection (distinct, since home sets may be shared).
    pub fn slug(self) -> &'static str {
        match self {
            Collection::Contacts => "tickler-contacts",
            Collection::Calendar => "tickler-calendar",
        }
    }

    /// The file extension of its items, with the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Collection::Contacts => ".vcf",
            Collection::Calendar => ".ics",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Collection::Contacts => "text/vcard; charset=utf-8",
            Collection::Calendar => "text/calendar; charset=utf-8",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Contacts => "address book",
            Collection::Calendar => "calendar",
        }
    }
}

/// An item as listed: where it is and which version it is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Opaque: a server path, or a file name in a vdir.
    pub href: String,
    /// `None` when the server gave none (some do not after a PUT, and the follow-up query failed).
    pub etag: Option<String>,
}

/// What changed in a collection since a sync token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Items created or changed (every item when `complete`).
    pub changed: Vec<Listed>,
    /// Items deleted since the token (empty when `complete`: then every item not listed is gone).
    pub deleted: Vec<String>,
    /// The token to ask with next time, when the transport has tokens.
    pub token: Option<String>,
    /// A full listing (no token, an expired token, or a transport without tokens).
    pub complete: bool,
}

/// An item with its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub href: String,
    pub etag: Option<String>,
    pub data: String,
}

/// The operations a sync needs, blocking. Conditional writes report [`TransportError::Changed`]
/// when the item is not at the version given (a 412 from a server).
pub trait Transport {
    /// Where this is (a URL without credentials, or a directory), for messages.
    fn location(&self) -> String;

    /// Find both collections, creating those that do not exist yet when `create`; whether both
    /// exist now.
    fn prepare(&mut self, create: bool) -> Result<bool, TransportError>;

    /// What changed since `token` (`None`: list everything).
    fn changes(&mut self, c: Collection, token: Option<&str>) -> Result<Changes, TransportError>;

    /// The data of these items; items gone meanwhile are left out.
    fn fetch(&mut self, c: Collection, hrefs: &[String]) -> Result<Vec<Fetched>, TransportError>;

    /// Create an item named `name` (without extension); `Changed` if it already exists.
    fn create(&mut self, c: Collection, name: &str, data: &str) -> Result<Listed, TransportError>;

    /// Replace an item if it is still at `etag`.
    fn update(
        &mut self,
        c: Collection,
        href: &str,
        etag: &str,
        data: &str,
    ) -> Result<Listed, TransportError>;

    /// Delete an item if it is still at `etag`; an item already gone is fine.
    fn delete(&mut self, c: Collection, href: &str, etag: &str) -> Result<(), TransportError>;
}

/// What went wrong talking to the server or the directory. Every message says what to do next;
/// none holds a password.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error(
        "cannot reach {url} ({detail}); check the address and that the server is up, then run `tickler sync` again (nothing was lost: the next sync carries on)"
    )]
    Unreachable { url: String, detail: String },
    #[error(
        "{url} did not answer within {seconds} s; run `tickler sync` again later (nothing was lost)"
    )]
    Timeout { url: String, seconds: u64 },
    #[error(
        "{url} refused the login (HTTP {status}); check the user name (`--username` or the setting sync_username) and the password (TICKLER_SYNC_PASSWORD or the setting sync_password_command; services with two-step login need an app password)"
    )]
    Unauthorized { url: String, status: u16 },
    #[error(
        "{href} was changed by someone else since it was read (HTTP 412); run `tickler sync` again to merge it"
    )]
    Changed { href: String },
    #[error(
        "the server answered HTTP {status} to {what} {href}; check that the account may write there, then run `tickler sync` again"
    )]
    Status {
        what: &'static str,
        href: String,
        status: u16,
    },
    #[error(
        "no CalDAV/CardDAV service found at {url} ({detail}); give the server's address as `tickler sync --url URL` (e.g. https://dav.example.com/ or the principal URL your provider documents)"
    )]
    NoService { url: String, detail: String },
    #[error(
        "the server's answer to {what} could not be read ({detail}); run `tickler sync` again, and report it if it stays"
    )]
    Protocol { what: &'static str, detail: String },
    #[error("{}: {source}; check that the directory exists and is writable", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{url}` is not a usable address: {detail}")]
    BadUrl { url: String, detail: String },
}

/// Where to sync: a server URL or a local directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Dav(http::Uri),
    Vdir(PathBuf),
}

impl Target {
    /// `http(s)://...` is a server; `file://PATH`, or anything else, a local directory (a vdir).
    pub fn parse(url: &str) -> Result<Target, TransportError> {
        let trimmed = url.trim();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let uri: http::Uri =
                trimmed
                    .parse()
                    .map_err(|e: http::uri::InvalidUri| TransportError::BadUrl {
                        url: redact_url(trimmed),
                        detail: e.to_string(),
                    })?;
            if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
                return Err(TransportError::BadUrl {
                    url: redact_url(trimmed),
                    detail: "put the user name in --username and the password in TICKLER_SYNC_PASSWORD or sync_password_command, not in the URL".to_string(),
                });
            }
            return Ok(Target::Dav(uri));
        }
        if trimmed.is_empty() {
            return Err(TransportError::BadUrl {
                url: String::new(),
                detail: "it is empty; give a server URL or a directory".to_string(),
            });
        }
        let path = trimmed.strip_prefix("file://").unwrap_or(trimmed);
        Ok(Target::Vdir(PathBuf::from(path)))
    }
}

/// A URL as it may be shown: any `user:password@` part removed.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find('/').unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Open the transport for a target (no request is sent yet).
pub fn open(
    target: &Target,
    credentials: Option<Credentials>,
) -> Result<Box<dyn Transport>, TransportError> {
    match target {
        Target::Dav(uri) => Ok(Box::new(dav::Dav::new(uri.clone(), credentials)?)),
        Target::Vdir(path) => Ok(Box::new(vdir::Vdir::new(path.clone()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert!(matches!(
            Target::parse("https://dav.example.com/").unwrap(),
            Target::Dav(_)
        ));
        assert_eq!(
            Target::parse("file:///tmp/x").unwrap(),
            Target::Vdir(PathBuf::from("/tmp/x"))
        );
        assert_eq!(
            Target::parse("~/dav").unwrap(),
            Target::Vdir(PathBuf::from("~/dav"))
        );
        assert!(Target::parse("  ").is_err());
    }

    #[test]
    fn credentials_in_the_url_are_refused_and_never_shown() {
        let err = Target::parse("https://ada:hunter2@dav.example.com/").unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains("hunter2"), "{msg}");
        assert!(msg.contains("TICKLER_SYNC_PASSWORD"), "{msg}");
    }

    #[test]
    fn redaction() {
        assert_eq!(redact_url("https://a:b@h/x@y"), "https://h/x@y");
        assert_eq!(redact_url("https://h/p"), "https://h/p");
        assert_eq!(redact_url("/tmp/dir"), "/tmp/dir");
    }
}
