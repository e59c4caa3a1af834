//! The CalDAV/CardDAV transport against Radicale: discovery, collections found or created once,
//! conditional writes (a 412 is a change by someone else), sync tokens, logins, a server down.

use super::radicale::{Login, Radicale};
use tickler::sync::transport::dav::Dav;
use tickler::sync::transport::{Collection, Credentials, Target, Transport, TransportError};

fn creds(user: &str, password: &str) -> Option<Credentials> {
    Some(Credentials {
        username: user.to_string(),
        password: password.to_string(),
    })
}

fn dav(server: &Radicale, user: &str, password: &str) -> Dav {
    let Target::Dav(uri) = Target::parse(&server.url()).unwrap() else {
        panic!("not a server URL")
    };
    Dav::new(uri, creds(user, password)).unwrap()
}

const TODO: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tickler//test//EN\r\nBEGIN:VTODO\r\nUID:t-1@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Call Ada\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
const CARD: &str = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:c-1@test\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n";

#[test]
fn collections_are_created_once_and_found_again() {
    let Some(server) = Radicale::start(Login::Any) else {
        return;
    };
    let mut first = dav(&server, "ada", "x");
    first.prepare(true).unwrap();
    let cal = first
        .collection_href(Collection::Calendar)
        .unwrap()
        .to_string();
    let book = first
        .collection_href(Collection::Contacts)
        .unwrap()
        .to_string();
    // Radicale keeps both in one home set: distinct slugs.
    assert_eq!(cal, "/ada/tickler-calendar/");
    assert_eq!(book, "/ada/tickler-contacts/");
    let mut second = dav(&server, "ada", "x");
    second.prepare(true).unwrap();
    assert_eq!(
        second.collection_href(Collection::Calendar),
        Some(cal.as_str())
    );
    assert_eq!(
        second.collection_href(Collection::Contacts),
        Some(book.as_str())
    );
    assert_eq!(
        server.collections("ada"),
        vec![
            "tickler-calendar".to_string(),
            "tickler-contacts".to_string()
        ]
    );
    // The principal URL works as well as the server's base URL.
    let Target::Dav(uri) = Target::parse(&format!("{}ada/", server.url())).unwrap() else {
        panic!()
    };
    let mut third = Dav::new(uri, creds("ada", "x")).unwrap();
    third.prepare(true).unwrap();
    assert_eq!(
        third.collection_href(Collection::Calendar),
        Some(cal.as_str())
    );
}

#[test]
fn conditional_writes_and_sync_tokens() {
    let Some(server) = Radicale::start(Login::Any) else {
        return;
    };
    let mut a = dav(&server, "ada", "x");
    a.prepare(true).unwrap();
    let c = Collection::Calendar;
    let start = a.changes(c, None).unwrap();
    assert!(start.complete && start.changed.is_empty());
    let token = start.token.clone().expect("radicale has sync tokens");

    let created = a.create(c, "t-1@test", TODO).unwrap();
    assert!(created.href.ends_with("/t-1@test.ics"), "{}", created.href);
    let etag = created.etag.clone().expect("an ETag after PUT");
    // Creating it again: it exists (If-None-Match), reported as a change by someone else.
    assert!(matches!(
        a.create(c, "t-1@test", TODO),
        Err(TransportError::Changed { .. })
    ));
    a.create(Collection::Contacts, "c-1@test", CARD).unwrap();

    let since = a.changes(c, Some(&token)).unwrap();
    assert!(!since.complete);
    assert_eq!(since.changed.len(), 1);
    assert_eq!(since.changed[0].href, created.href);
    let token2 = since.token.clone().unwrap();

    // Another client updates it: our old ETag now gets a 412.
    let mut b = dav(&server, "ada", "x");
    b.prepare(true).unwrap();
    let changed_text = TODO.replace("Call Ada", "Call Ada again");
    let newer = b.update(c, &created.href, &etag, &changed_text).unwrap();
    let err = a.update(c, &created.href, &etag, TODO).unwrap_err();
    assert!(matches!(err, TransportError::Changed { .. }), "{err}");
    assert!(a.delete(c, &created.href, &etag).is_err());

    // The sync report names it (hrefs and ETags only), the multiget brings the data.
    let since = a.changes(c, Some(&token2)).unwrap();
    assert_eq!(since.changed.len(), 1);
    assert_eq!(since.changed[0].etag, newer.etag);
    let fetched = a.fetch(c, std::slice::from_ref(&created.href)).unwrap();
    assert_eq!(fetched.len(), 1);
    assert!(
        fetched[0].data.contains("Call Ada again"),
        "{}",
        fetched[0].data
    );
    let token3 = since.token.clone().unwrap();

    a.delete(c, &created.href, newer.etag.as_deref().unwrap())
        .unwrap();
    // Deleting what is already gone is fine.
    a.delete(c, &created.href, newer.etag.as_deref().unwrap())
        .unwrap();
    let since = a.changes(c, Some(&token3)).unwrap();
    assert_eq!(since.deleted, vec![created.href.clone()]);
    assert!(a.fetch(c, &[created.href]).unwrap().is_empty());

    // An unknown token: a full listing instead of an error.
    let full = a
        .changes(
            Collection::Contacts,
            Some("http://radicale.org/ns/sync/bogus"),
        )
        .unwrap();
    assert!(full.complete);
    assert_eq!(full.changed.len(), 1);
}

#[test]
fn a_wrong_password_is_refused_and_never_shown() {
    let Some(server) = Radicale::start(Login::Htpasswd(&[("ada", "right-pw")])) else {
        return;
    };
    let mut wrong = dav(&server, "ada", "wrong-pw-123");
    let err = wrong.prepare(true).unwrap_err();
    assert!(matches!(err, TransportError::Unauthorized { .. }), "{err}");
    let msg = err.to_string();
    assert!(!msg.contains("wrong-pw-123"), "{msg}");
    assert!(msg.contains("TICKLER_SYNC_PASSWORD"), "{msg}");
    let mut right = dav(&server, "ada", "right-pw");
    right.prepare(true).unwrap();
    right
        .create(Collection::Calendar, "t-1@test", TODO)
        .unwrap();
}

#[test]
fn a_server_down_then_back() {
    let Some(mut server) = Radicale::start(Login::Any) else {
        return;
    };
    let mut a = dav(&server, "ada", "x");
    a.prepare(true).unwrap();
    server.stop();
    let err = a
        .create(Collection::Calendar, "t-1@test", TODO)
        .unwrap_err();
    assert!(matches!(err, TransportError::Unreachable { .. }), "{err}");
    assert!(
        err.to_string().contains("run `tickler sync` again"),
        "{err}"
    );
    let mut fresh = dav(&server, "ada", "x");
    assert!(matches!(
        fresh.prepare(true),
        Err(TransportError::Unreachable { .. })
    ));
    server.restart();
    a.create(Collection::Calendar, "t-1@test", TODO).unwrap();
    assert_eq!(server.items("ada", "tickler-calendar").len(), 1);
}
