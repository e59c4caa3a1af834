//! Measurements against Radicale (ignored: run by hand, figures in README.md's sync section).
//!
//! `cargo test --test integration sync::measure -- --ignored --nocapture`
//! (`TICKLER_MEASURE_CONTACTS` sets the number of contacts, 150 by default: Radicale's PUT slows
//! down as a collection grows, so 10,000 one-touch items already take most of an hour.)

use super::radicale::{Login, Radicale};
use chrono::NaiveDate;
use std::time::Instant;
use tickler::model::{Channel, Direction};
use tickler::sync::mapping::journal::{self, Entry, History, What};
use tickler::sync::transport::dav::Dav;
use tickler::sync::transport::{Collection, Credentials, Target, Transport};

fn dav(server: &Radicale, user: &str) -> Dav {
    let Target::Dav(uri) = Target::parse(&server.url()).unwrap() else {
        panic!()
    };
    let creds = Credentials {
        username: user.into(),
        password: "x".into(),
    };
    let mut t = Dav::new(uri, Some(creds)).unwrap();
    t.prepare(true).unwrap();
    t
}

/// `touches` touches of one contact spread over 2024..=2026.
fn entries(contact: usize, touches: usize) -> Vec<Entry> {
    (0..touches)
        .map(|i| Entry {
            id: format!("c{contact}-t{i}"),
            date: NaiveDate::from_ymd_opt(
                2024 + (i % 3) as i32,
                1 + (i % 12) as u32,
                1 + (i % 28) as u32,
            )
            .unwrap(),
            what: What::Touch {
                channel: Channel::Call,
                direction: Direction::Out,
                summary: "talked about the next order and sent the price list".into(),
            },
        })
        .collect()
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[test]
#[ignore = "a measurement against Radicale: run by hand"]
fn history_per_touch_or_per_contact_and_year() {
    let Some(server) = Radicale::start(Login::Any) else {
        return;
    };
    let contacts: usize = std::env::var("TICKLER_MEASURE_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let touches = 10;
    let stamp = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let c = Collection::Calendar;
    for (user, per_touch) in [("pertouch", true), ("peryear", false)] {
        let mut t = dav(&server, user);
        let start = Instant::now();
        let mut items = 0;
        for n in 0..contacts {
            let all = entries(n, touches);
            let groups: Vec<History> = if per_touch {
                all.iter()
                    .map(|e| History {
                        contact_uid: e.id.clone(),
                        who: format!("Person {n}"),
                        year: 2026,
                        entries: vec![e.clone()],
                    })
                    .collect()
            } else {
                (2024..=2026)
                    .map(|y| History {
                        contact_uid: format!("c{n}"),
                        who: format!("Person {n}"),
                        year: y,
                        entries: all
                            .iter()
                            .filter(|e| e.date.format("%Y").to_string() == y.to_string())
                            .cloned()
                            .collect(),
                    })
                    .collect()
            };
            for h in groups {
                t.create(c, &h.uid(), &journal::write(&h, stamp)).unwrap();
                items += 1;
                if items % 250 == 0 {
                    eprintln!(
                        "{user}: {items} items after {:.1} s",
                        start.elapsed().as_secs_f64()
                    );
                }
            }
        }
        let put = start.elapsed();
        let start = Instant::now();
        let listed = t.changes(c, None).unwrap();
        let list = start.elapsed();
        let token = listed.token.clone().unwrap();
        let start = Instant::now();
        let none = t.changes(c, Some(&token)).unwrap();
        let quiet = start.elapsed();
        assert!(none.changed.is_empty());
        let bytes = dir_bytes(
            &server
                .storage()
                .join("collection-root")
                .join(user)
                .join("tickler-calendar"),
        );
        eprintln!(
            "{user}: {contacts} contacts x {touches} touches -> {items} items, {:.1} s to PUT ({:.1} ms/item), full listing {:.0} ms, no-change token sync {:.0} ms, {:.1} MB on disk",
            put.as_secs_f64(),
            put.as_secs_f64() * 1000.0 / items as f64,
            list.as_secs_f64() * 1000.0,
            quiet.as_secs_f64() * 1000.0,
            bytes as f64 / 1e6
        );
        assert_eq!(listed.changed.len(), items);
    }
}

/// The figures the issue names, against Radicale: first sync of a demo diary of
/// `TICKLER_MEASURE_CONTACTS` contacts (1,000 by default here), a sync with nothing changed, a
/// sync after one logged touch.
#[test]
#[ignore = "a measurement against Radicale: run by hand"]
fn sync_figures_against_radicale() {
    use tickler::sync::account::{self, Account};
    let Some(server) = Radicale::start(Login::Any) else {
        return;
    };
    let contacts: usize = std::env::var("TICKLER_MEASURE_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = tickler::store::Store::open(&dir.path().join("m.tickler")).unwrap();
    store
        .load_bulk(tickler::demo::generate(contacts, 1, today))
        .unwrap();
    let acct = Account {
        url: server.url(),
        username: Some("bench".into()),
        password_command: Some("echo x".into()),
    };
    let timed = |what: &str| {
        let start = Instant::now();
        let r = account::run(&store, &acct, today, false).unwrap();
        eprintln!(
            "{what}: {:.2} s; read {:?}; created {:?}; updated {:?}; {} changes here",
            start.elapsed().as_secs_f64(),
            r.fetched,
            r.created,
            r.updated,
            r.applied.len()
        );
    };
    timed(&format!("first sync of {contacts} contacts"));
    for i in 0..3 {
        timed(&format!("no change #{i}"));
    }
    for i in 0..3 {
        let req = tickler::actions::LogRequest {
            contact: tickler::model::ContactId(1 + i).into(),
            channel: Some(Channel::Call),
            date: today,
            direction: Direction::Out,
            summary: "a call".into(),
            completes: tickler::actions::Completes::Nothing,
        };
        let _ = tickler::actions::log(&store, &req, today);
        timed(&format!("after one touch #{i}"));
    }
}
