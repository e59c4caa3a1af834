//! The CalDAV/CardDAV transport: libdav on a current-thread tokio runtime owned by [`Dav`], a
//! hyper-util client, rustls with the `ring` provider and the system's certificates, and our
//! basic-auth layer.
//!
//! Discovery, for each of CalDAV and CardDAV (they may live on different hosts): the given URL if it
//! announces the service; else its host's `/.well-known/caldav` (`carddav`) redirect; else DNS SRV
//! records (libdav's service discovery). Then `current-user-principal`, its home set, and in it the
//! collection whose slug is ours or whose display name is `tickler`, created when missing.
//!
//! Design points: a 412 from libdav is a plain `BadStatusCode(412)`, turned into
//! [`TransportError::Changed`]; a sync report gives hrefs and ETags only, so data is fetched after
//! with a multiget; a PUT answered without an ETag is followed by a PROPFIND for it.

use super::auth::{Authorized, Credentials};
use super::{Changes, Collection, Fetched, Listed, Transport, TransportError, redact_url};
use http::{StatusCode, Uri};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use libdav::caldav::{CalendarComponent, CreateCalendar, GetCalendarResources};
use libdav::carddav::{CreateAddressBook, GetAddressBookResources};
use libdav::dav::{
    CheckSupport, Delete, FindCollections, GetEtag, ListResources, PutResource, SyncCollection,
    WebDavClient, WebDavError,
};
use libdav::names;
use libdav::sd::DiscoverableService;
use std::future::Future;
use std::time::Duration;

type Http = Authorized<Client<HttpsConnector<HttpConnector>, String>>;
type Web = WebDavClient<Http>;
type WebError = WebDavError<hyper_util::client::legacy::Error>;

/// How long one request may take before the sync gives up (the next sync carries on).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Items asked for in one multiget.
const MULTIGET_BATCH: usize = 200;

/// One found collection.
#[derive(Debug, Clone)]
struct Found {
    client: Web,
    href: String,
    supports_sync: bool,
}

/// A CalDAV/CardDAV account.
pub struct Dav {
    rt: tokio::runtime::Runtime,
    url: Uri,
    http: Http,
    timeout: Duration,
    contacts: Option<Found>,
    calendar: Option<Found>,
}

impl Dav {
    /// A client for the account at `url`; no request is sent until [`Transport::prepare`].
    pub fn new(url: Uri, credentials: Option<Credentials>) -> Result<Dav, TransportError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| TransportError::Io {
                path: std::path::PathBuf::from("(network runtime)"),
                source: e,
            })?;
        let shown = redact_url(&url.to_string());
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(Duration::from_secs(15)));
        let tls = tls_config(url.scheme_str() == Some("https")).map_err(|detail| {
            TransportError::Unreachable {
                url: shown.clone(),
                detail,
            }
        })?;
        let builder = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls);
        let connector = builder.https_or_http().enable_http1().wrap_connector(http);
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Ok(Dav {
            rt,
            url,
            http: Authorized::new(client, credentials.as_ref()),
            timeout: REQUEST_TIMEOUT,
            contacts: None,
            calendar: None,
        })
    }

    /// Change the per-request time limit (tests of a server that stops answering).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The href of a collection once [`Transport::prepare`] found or created it.
    pub fn collection_href(&self, c: Collection) -> Option<&str> {
        match c {
            Collection::Contacts => self.contacts.as_ref().map(|f| f.href.as_str()),
            Collection::Calendar => self.calendar.as_ref().map(|f| f.href.as_str()),
        }
    }

    fn shown(&self) -> String {
        redact_url(&self.url.to_string())
    }

    /// Run one request on the runtime, within the time limit.
    fn run<T>(&self, f: impl Future<Output = T>) -> Result<T, TransportError> {
        let limit = self.timeout;
        self.rt
            .block_on(async { tokio::time::timeout(limit, f).await })
            .map_err(|_| TransportError::Timeout {
                url: self.shown(),
                seconds: limit.as_secs(),
            })
    }

    fn found(&self, c: Collection) -> Result<&Found, TransportError> {
        let found = match c {
            Collection::Contacts => self.contacts.as_ref(),
            Collection::Calendar => self.calendar.as_ref(),
        };
        found.ok_or_else(|| TransportError::Protocol {
            what: "the collection lookup",
            detail: format!("the {} was not prepared", c.as_str()),
        })
    }

    /// The base URL that serves `service`, by the order in the module doc.
    fn discover(&self, c: Collection) -> Result<Web, TransportError> {
        let https = self.url.scheme_str() == Some("https");
        let (service, access) = match (c, https) {
            (Collection::Calendar, true) => (DiscoverableService::CalDavs, "calendar-access"),
            (Collection::Calendar, false) => (DiscoverableService::CalDav, "calendar-access"),
            (Collection::Contacts, true) => (DiscoverableService::CardDavs, "addressbook"),
            (Collection::Contacts, false) => (DiscoverableService::CardDav, "addressbook"),
        };
        let mut web = WebDavClient::new(self.url.clone(), self.http.clone());
        let checked = self.run(web.request(CheckSupport::new(&self.url, access)))?;
        match checked {
            Ok(()) => return Ok(web),
            Err(libdav::CheckSupportError::Request(e)) => {
                return Err(unreachable(&self.shown(), &e));
            }
            Err(libdav::CheckSupportError::BadStatusCode(s)) if s == StatusCode::UNAUTHORIZED => {
                return Err(TransportError::Unauthorized {
                    url: self.shown(),
                    status: s.as_u16(),
                });
            }
            Err(_) => {}
        }
        let host = self.url.host().unwrap_or_default().to_string();
        let port = self.url.port_u16().unwrap_or(if https { 443 } else { 80 });
        if let Ok(Ok(Some(found))) = self.run(web.find_context_path(service, &host, port)) {
            web.base_url = found;
            return Ok(web);
        }
        let bootstrapped = match c {
            Collection::Calendar => self
                .run(libdav::CalDavClient::bootstrap_via_service_discovery(
                    web.clone(),
                ))?
                .map(|client| client.webdav_client),
            Collection::Contacts => self
                .run(libdav::CardDavClient::bootstrap_via_service_discovery(
                    web.clone(),
                ))?
                .map(|client| client.webdav_client),
        };
        bootstrapped.map_err(|e| TransportError::NoService {
            url: self.shown(),
            detail: e.to_string(),
        })
    }

    /// The home set of the current user for `c` (the principal itself, or the base URL, when the
    /// server names none).
    fn home(&self, web: &Web, c: Collection) -> Result<String, TransportError> {
        let principal = self
            .run(web.find_current_user_principal())?
            .map_err(|e| match e {
                libdav::dav::FindCurrentUserPrincipalError::RequestError(e) => web_error(
                    &self.shown(),
                    "the principal lookup",
                    web.base_url.path(),
                    e,
                ),
                libdav::dav::FindCurrentUserPrincipalError::InvalidInput(e) => {
                    TransportError::BadUrl {
                        url: self.shown(),
                        detail: e.to_string(),
                    }
                }
            })?;
        let Some(principal) = principal else {
            return Ok(web.base_url.path().to_string());
        };
        let property = match c {
            Collection::Calendar => &names::CALENDAR_HOME_SET,
            Collection::Contacts => &names::ADDRESSBOOK_HOME_SET,
        };
        let homes = self
            .run(web.request(libdav::dav::FindPropertyHrefs::new(
                principal.path(),
                property,
            )))?
            .map_err(|e| web_error(&self.shown(), "the home set lookup", principal.path(), e))?;
        Ok(homes
            .hrefs
            .first()
            .map_or_else(|| principal.path().to_string(), |u| u.path().to_string()))
    }

    /// Find our collection of kind `c` in `home`, or create it (when `create`).
    fn find_or_create(
        &self,
        web: Web,
        home: &str,
        c: Collection,
        create: bool,
    ) -> Result<Option<Found>, TransportError> {
        let kind = match c {
            Collection::Calendar => &names::CALENDAR,
            Collection::Contacts => &names::ADDRESSBOOK,
        };
        let listed = self
            .run(
                web.request(
                    FindCollections::new(home)
                        .with_collection_type(kind)
                        .with_additional_properties(&[&names::DISPLAY_NAME]),
                ),
            )?
            .map_err(|e| web_error(&self.shown(), "the collection listing", home, e))?;
        let slug = format!("/{}/", c.slug());
        let by_slug = listed.collections.iter().find(|f| f.href.ends_with(&slug));
        let by_name = listed.collections.iter().find(|f| {
            f.properties
                .iter()
                .any(|(_, v)| v.as_deref() == Some(super::COLLECTION_NAME))
        });
        if let Some(f) = by_slug.or(by_name) {
            return Ok(Some(Found {
                href: f.href.clone(),
                supports_sync: f.supports_sync,
                client: web,
            }));
        }
        if !create {
            return Ok(None);
        }
        let href = format!("{}{}/", ensure_slash(home), c.slug());
        let created = match c {
            Collection::Calendar => self.run(
                web.request(
                    CreateCalendar::new(&href)
                        .with_display_name(super::COLLECTION_NAME)
                        .with_components(&[CalendarComponent::VTodo, CalendarComponent::VJournal]),
                ),
            )?,
            Collection::Contacts => self
                .run(web.request(
                    CreateAddressBook::new(&href).with_display_name(super::COLLECTION_NAME),
                ))?
                .map(|_| libdav::caldav::CreateCalendarResponse {
                    created: true,
                    etag: None,
                }),
        };
        created.map_err(|e| web_error(&self.shown(), "creating the collection", &href, e))?;
        // A fresh collection: ask again whether it offers sync tokens.
        let again = self
            .run(web.request(FindCollections::new(home).with_collection_type(kind)))?
            .map_err(|e| web_error(&self.shown(), "the collection listing", home, e))?;
        let supports_sync = again
            .collections
            .iter()
            .any(|f| f.href == href && f.supports_sync);
        Ok(Some(Found {
            href,
            supports_sync,
            client: web,
        }))
    }

    /// The ETag of an item, for servers that answer a PUT without one.
    fn etag_of(&self, web: &Web, href: &str) -> Result<Option<String>, TransportError> {
        match self.run(web.request(GetEtag::new(href)))? {
            Ok(r) => Ok(Some(r.etag)),
            Err(WebDavError::BadStatusCode(s)) if s == StatusCode::NOT_FOUND => Ok(None),
            Err(e) => Err(web_error(&self.shown(), "the ETag lookup", href, e)),
        }
    }

    fn put_done(
        &self,
        web: &Web,
        href: String,
        etag: Option<String>,
    ) -> Result<Listed, TransportError> {
        let etag = match etag {
            Some(e) => Some(e),
            None => self.etag_of(web, &href)?,
        };
        Ok(Listed { href, etag })
    }
}

/// TLS with the `ring` provider and the system's certificates. Without any certificate on the
/// system only plain `http://` works (an https URL is refused with the reason).
fn tls_config(https: bool) -> Result<rustls::ClientConfig, String> {
    use hyper_rustls::ConfigBuilderExt as _;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    match builder.clone().with_native_roots() {
        Ok(b) => Ok(b.with_no_client_auth()),
        Err(e) if https => Err(format!("no trusted certificates found on this system: {e}")),
        Err(_) => Ok(builder
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth()),
    }
}

fn ensure_slash(path: &str) -> String {
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// The chain of an error's sources, in one line.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

fn unreachable<E: std::error::Error + 'static>(url: &str, e: &E) -> TransportError {
    TransportError::Unreachable {
        url: url.to_string(),
        detail: chain(e),
    }
}

/// A libdav error as a [`TransportError`] saying what to do.
fn web_error(url: &str, what: &'static str, href: &str, e: WebError) -> TransportError {
    match e {
        WebDavError::BadStatusCode(s) if s == StatusCode::UNAUTHORIZED => {
            TransportError::Unauthorized {
                url: url.to_string(),
                status: s.as_u16(),
            }
        }
        WebDavError::BadStatusCode(s) if s == StatusCode::PRECONDITION_FAILED => {
            TransportError::Changed {
                href: href.to_string(),
            }
        }
        WebDavError::PreconditionFailed(_) => TransportError::Changed {
            href: href.to_string(),
        },
        WebDavError::BadStatusCode(s) => TransportError::Status {
            what,
            href: href.to_string(),
            status: s.as_u16(),
        },
        WebDavError::Request(e) => unreachable(url, &e),
        WebDavError::InvalidInput(e) => TransportError::BadUrl {
            url: url.to_string(),
            detail: e.to_string(),
        },
        WebDavError::Xml(e) => TransportError::Protocol {
            what,
            detail: e.to_string(),
        },
        WebDavError::InvalidResponse(e) => TransportError::Protocol {
            what,
            detail: e.to_string(),
        },
    }
}

/// A name safe as the last segment of an href: letters, digits, `-`, `_`, `.`, `@`; anything else
/// becomes `_`.
pub fn safe_name(name: &str) -> String {
    name.chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.' | '@') {
                ch
            } else {
                '_'
            }
        })
        .collect()
}

impl Transport for Dav {
    fn location(&self) -> String {
        self.shown()
    }

    fn prepare(&mut self, create: bool) -> Result<bool, TransportError> {
        let mut all = true;
        for c in Collection::BOTH {
            let web = self.discover(c)?;
            let home = self.home(&web, c)?;
            let found = self.find_or_create(web, &home, c, create)?;
            all &= found.is_some();
            match c {
                Collection::Contacts => self.contacts = found,
                Collection::Calendar => self.calendar = found,
            }
        }
        Ok(all)
    }

    fn changes(&mut self, c: Collection, token: Option<&str>) -> Result<Changes, TransportError> {
        let found = self.found(c)?.clone();
        if found.supports_sync {
            let request = match token {
                Some(t) => SyncCollection::new(&found.href).with_sync_token(t),
                None => SyncCollection::new(&found.href),
            };
            match self.run(found.client.request(request))? {
                Ok(r) => {
                    return Ok(Changes {
                        changed: r
                            .changed
                            .into_iter()
                            .map(|l| Listed {
                                href: l.href,
                                etag: l.etag,
                            })
                            .collect(),
                        deleted: r.deleted,
                        token: Some(r.new_sync_token),
                        complete: token.is_none(),
                    });
                }
                // An expired or unknown token: list everything instead.
                Err(WebDavError::PreconditionFailed(_)) if token.is_some() => {
                    return self.changes(c, None);
                }
                Err(WebDavError::BadStatusCode(s))
                    if token.is_some()
                        && (s == StatusCode::FORBIDDEN || s == StatusCode::CONFLICT) =>
                {
                    return self.changes(c, None);
                }
                Err(e) => return Err(web_error(&self.shown(), "the sync report", &found.href, e)),
            }
        }
        let listed = self
            .run(found.client.request(ListResources::new(&found.href)))?
            .map_err(|e| web_error(&self.shown(), "the listing", &found.href, e))?;
        Ok(Changes {
            changed: listed
                .resources
                .into_iter()
                .filter(|r| !r.resource_type.is_collection)
                .map(|r| Listed {
                    href: r.href,
                    etag: r.etag,
                })
                .collect(),
            deleted: Vec::new(),
            token: None,
            complete: true,
        })
    }

    fn fetch(&mut self, c: Collection, hrefs: &[String]) -> Result<Vec<Fetched>, TransportError> {
        let found = self.found(c)?.clone();
        let mut out = Vec::with_capacity(hrefs.len());
        for batch in hrefs.chunks(MULTIGET_BATCH) {
            let resources = match c {
                Collection::Calendar => self
                    .run(
                        found
                            .client
                            .request(GetCalendarResources::new(&found.href).with_hrefs(batch)),
                    )?
                    .map(|r| r.resources),
                Collection::Contacts => self
                    .run(
                        found
                            .client
                            .request(GetAddressBookResources::new(&found.href).with_hrefs(batch)),
                    )?
                    .map(|r| r.resources),
            }
            .map_err(|e| web_error(&self.shown(), "the multiget", &found.href, e))?;
            for r in resources {
                if let Ok(content) = r.content {
                    out.push(Fetched {
                        href: r.href,
                        etag: Some(content.etag),
                        data: content.data,
                    });
                }
            }
        }
        Ok(out)
    }

    fn create(&mut self, c: Collection, name: &str, data: &str) -> Result<Listed, TransportError> {
        let found = self.found(c)?.clone();
        let href = format!("{}{}{}", found.href, safe_name(name), c.extension());
        let put = PutResource::new(&href).create(data, c.content_type());
        let etag = self
            .run(found.client.request(put))?
            .map_err(|e| web_error(&self.shown(), "creating", &href, e))?
            .etag;
        self.put_done(&found.client, href, etag)
    }

    fn update(
        &mut self,
        c: Collection,
        href: &str,
        etag: &str,
        data: &str,
    ) -> Result<Listed, TransportError> {
        let found = self.found(c)?.clone();
        let put = PutResource::new(href).update(data, c.content_type(), etag);
        let etag = self
            .run(found.client.request(put))?
            .map_err(|e| web_error(&self.shown(), "updating", href, e))?
            .etag;
        self.put_done(&found.client, href.to_string(), etag)
    }

    fn delete(&mut self, c: Collection, href: &str, etag: &str) -> Result<(), TransportError> {
        let found = self.found(c)?.clone();
        match self.run(found.client.request(Delete::new(href).with_etag(etag)))? {
            Ok(_) => Ok(()),
            Err(WebDavError::BadStatusCode(s)) if s == StatusCode::NOT_FOUND => Ok(()),
            Err(e) => Err(web_error(&self.shown(), "deleting", href, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names() {
        assert_eq!(safe_name("c-0a1b@tickler"), "c-0a1b@tickler");
        assert_eq!(safe_name("a/b c?d"), "a_b_c_d");
    }

    #[test]
    fn a_412_is_a_change_by_someone_else() {
        let e = web_error(
            "http://h/",
            "updating",
            "/a/x.ics",
            WebDavError::BadStatusCode(StatusCode::PRECONDITION_FAILED),
        );
        assert!(matches!(e, TransportError::Changed { .. }), "{e}");
        assert!(e.to_string().contains("run `tickler sync` again"));
    }
}
