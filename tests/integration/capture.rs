//! Capture through the real binary, on mail and calendars other programs wrote
//! (tests/fixtures/capture, sources in its README): a Maildir with a mailing-list message, one
//! message in two folders, one without a Message-ID, RFC 2047 headers in ISO-8859-1 and
//! Windows-1252; a Google Takeout mbox; invitations from Exchange, a BlackBerry, Horde, Google
//! Calendar and khal.

use super::campaigns::Diary;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/capture")
}

fn fixture(rel: &str) -> String {
    fixtures().join(rel).display().to_string()
}

/// The contacts the fixture mail is with, and the addresses that are "mine".
fn mail_diary() -> Diary {
    let d = Diary::new();
    d.ok(&[
        "settings",
        "set",
        "my_addresses",
        "allan@archlinux.org, doug@example.com, ned@innosoft.com, alice@example.org",
    ]);
    for (name, email) in [
        ("François Boulogne", "boulogne.f@gmail.com"),
        ("Heinz Müller", "mueller@example.com"),
        ("Nathaniel Borenstein", "nsb@nsb.fv.com"),
        ("Daniel", "daniel@example.org"),
        ("Charles", "charles@example.org"),
    ] {
        d.ok(&["add", name, "--email", email]);
    }
    d
}

fn skipped(v: &Value) -> Vec<(String, u64)> {
    v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["reason"].as_str().unwrap().to_string(),
                s["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn logged(v: &Value) -> Vec<(String, String, String, String, String)> {
    let mut out: Vec<_> = v["logged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let t = &l["touch"];
            (
                l["name"].as_str().unwrap().to_string(),
                t["date"].as_str().unwrap().to_string(),
                t["channel"].as_str().unwrap().to_string(),
                t["direction"].as_str().unwrap().to_string(),
                t["summary"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn row(n: &str, d: &str, c: &str, dir: &str, s: &str) -> (String, String, String, String, String) {
    (n.into(), d.into(), c.into(), dir.into(), s.into())
}

#[test]
fn a_maildir_is_captured_once_with_its_encoded_headers() {
    let d = mail_diary();
    let md = fixture("maildir");
    let v = d.json(&["capture", "mail", &md, "--json"]);
    assert_eq!(v["source"], "mail");
    assert_eq!(v["examined"], 7);
    assert_eq!(
        logged(&v),
        [
            // The same message in cur/ and .Archive/cur/: logged once, to both contacts in it.
            row("Charles", "2016-06-16", "email", "out", "wowsers!"),
            row("Daniel", "2016-06-16", "email", "out", "wowsers!"),
            // ISO-8859-1 encoded From name, written by Thunderbird: inbound.
            row(
                "François Boulogne",
                "2010-12-29",
                "email",
                "in",
                "Re: [aur-general] Guidelines: cp, mkdir vs install"
            ),
            // Outlook 2000, Windows-1252 encoded subject: outbound.
            row(
                "Heinz Müller",
                "2000-05-17",
                "email",
                "out",
                "Die Hasen und die Frösche (Microsoft Outlook 00)"
            ),
            // No Message-ID: captured by a hash of its headers.
            row(
                "Nathaniel Borenstein",
                "1994-10-07",
                "email",
                "in",
                "A multipart example"
            ),
        ]
    );
    assert_eq!(
        skipped(&v),
        [
            // In the order first met, oldest message first.
            ("mailing list (List-Id)".to_string(), 1),
            ("not from or to your addresses".to_string(), 1),
            ("already captured".to_string(), 1),
        ]
    );
    let keys: Vec<&str> = v["logged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["key"].as_str().unwrap())
        .collect();
    assert!(keys.iter().any(|k| k.starts_with("mail-hash:")), "{keys:?}");
    assert!(keys.contains(&"mail:multiple-cc@example.org"), "{keys:?}");

    // Running again adds nothing, and writes nothing (no undo entry).
    let undo_before = d.undo_labels();
    let again = d.json(&["capture", "mail", &md, "--json"]);
    assert!(logged(&again).is_empty());
    assert_eq!(again["run"], Value::Null);
    assert_eq!(
        skipped(&again),
        [
            ("already captured".to_string(), 5),
            ("mailing list (List-Id)".to_string(), 1),
            ("not from or to your addresses".to_string(), 1),
        ]
    );
    assert_eq!(d.undo_labels(), undo_before);
    assert_eq!(undo_before[0], "capture mail: 5 touches logged");

    // One undo takes the whole run back; the next run captures it all again.
    let touches = d.touches().len();
    d.ok(&["undo"]);
    assert!(d.touches().len() < touches);
    let third = d.json(&["capture", "mail", &md, "--json"]);
    assert_eq!(logged(&third).len(), 5);
}

#[test]
fn captured_touches_restart_the_cadence_and_complete_what_they_fulfil() {
    let d = Diary::new();
    // The day after the message Alice sent to Daniel and Charles.
    let on = |args: &[&str]| d.ok(&[&["--today", "2016-06-17"][..], args].concat());
    on(&["settings", "set", "my_addresses", "alice@example.org"]);
    on(&["add", "Daniel", "--email", "daniel@example.org"]);
    // An email planned for tomorrow: the message sent yesterday fulfils it early.
    let plan: Value = serde_json::from_str(&on(&[
        "plan",
        "daniel",
        "2016-06-18",
        "-c",
        "email",
        "--json",
    ]))
    .unwrap();
    let planned_id = plan["contacts"][0]["touch"]["id"].clone();
    let v: Value =
        serde_json::from_str(&on(&["capture", "mail", &fixture("maildir"), "--json"])).unwrap();
    assert_eq!(
        logged(&v),
        [row("Daniel", "2016-06-16", "email", "out", "wowsers!")]
    );
    assert_eq!(v["logged"][0]["touch"]["id"], planned_id);
    let show: Value = serde_json::from_str(&on(&["show", "daniel", "--json"])).unwrap();
    let history = show["history"].as_array().unwrap();
    assert_eq!(
        history.len(),
        1,
        "the planned email became the captured one: {show}"
    );
    assert_eq!(history[0]["id"], planned_id);
    assert_eq!(history[0]["state"], "done");
    // The cadence restarted from the message: the next touch is confirmed a cadence on.
    let next = show["planned"][0]["date"].as_str().unwrap();
    assert!(next >= "2016-07-10", "{show}");
}

#[test]
fn an_mbox_and_strangers_who_write_often() {
    let d = Diary::new();
    d.ok(&["settings", "set", "my_addresses", "recipient@example.com"]);
    let mbox = fixture("mbox/gmail-takeout.mbox");
    let v = d.json(&["capture", "mail", &mbox, "--json"]);
    assert_eq!(v["examined"], 4);
    assert!(logged(&v).is_empty());
    assert_eq!(skipped(&v), [("nobody in the diary".to_string(), 4)]);
    // Four messages from someone the diary does not know: a possible new contact.
    let review = d.json(&["review", "--json"]);
    let possible = review["possible_contacts"].as_array().unwrap();
    assert_eq!(possible.len(), 1, "{review}");
    assert_eq!(possible[0]["address"], "sender@example.com");
    assert_eq!(possible[0]["name"], "Sender");
    assert_eq!(possible[0]["messages"], 4);
    let text = d.ok(&["review"]);
    assert!(text.contains("sender@example.com"), "{text}");
    // Once they are a contact, the next run logs what they wrote, and the review forgets them.
    d.ok(&["add", "Sender", "--email", "sender@example.com"]);
    let v = d.json(&["capture", "mail", &mbox, "--json"]);
    assert_eq!(logged(&v).len(), 4);
    assert!(logged(&v).iter().all(|l| l.3 == "in"));
    let review = d.json(&["review", "--json"]);
    assert!(review["possible_contacts"].as_array().unwrap().is_empty());
}

#[test]
fn capture_needs_my_addresses_and_real_paths() {
    let d = Diary::new();
    d.ok(&["add", "Ada"]);
    let (_, err) = d.refused(&["capture", "mail", &fixture("maildir")], 2);
    assert!(err.contains("my_addresses"), "{err}");
    d.ok(&["settings", "set", "my_addresses", "me@example.org"]);
    let (_, err) = d.refused(&["capture", "mail", "/no/such/maildir"], 2);
    assert!(err.contains("no such file or folder"), "{err}");
    let (_, err) = d.refused(&["settings", "set", "my_addresses", "not-an-address"], 2);
    assert!(err.contains("my_addresses takes"), "{err}");
}

#[test]
fn a_dry_run_shows_and_changes_nothing() {
    let d = mail_diary();
    let (out, _) = d.refused(&["capture", "mail", &fixture("maildir"), "--dry-run"], 0);
    assert!(
        out.starts_with("Captured mail (7 looked at): 5 touches would be logged"),
        "{out}"
    );
    assert!(out.contains("nothing was changed (dry run)"), "{out}");
    assert!(out.contains("Heinz Müller"), "{out}");
}

/// The contacts of the fixture calendars.
fn calendar_diary() -> Diary {
    let d = Diary::new();
    d.ok(&["settings", "set", "my_addresses", "david@tethera.net"]);
    for (name, email) in [
        ("David Bremner", "bremner@example.com"),
        ("Rembrand", "rembrand@xs4all.nl"),
        ("Acme Admin", "adm-acme@mydomain.de"),
        ("Nicco", "niccokunzmann@googlemail.com"),
    ] {
        d.ok(&["add", name, "--email", email]);
    }
    d
}

#[test]
fn past_meetings_with_contacts_from_ics_files_and_a_vdir() {
    let d = calendar_diary();
    let v = d.json(&[
        "capture",
        "calendar",
        &fixture("calendar/exchange-invite.ics"),
        &fixture("calendar/vdir"),
        "--json",
    ]);
    assert_eq!(v["source"], "calendar");
    let all = logged(&v);
    // Exchange 2010: organised by the contact, the attendee line folded inside its CN, and
    // daily from 27 May to 27 August 2024 (UNTIL): one meeting a day.
    let david: Vec<&str> = all
        .iter()
        .filter(|l| l.0 == "David Bremner")
        .map(|l| l.1.as_str())
        .collect();
    assert_eq!(david.len(), 93);
    assert_eq!((david[0], david[92]), ("2024-05-27", "2024-08-27"));
    assert!(
        all.iter()
            .filter(|l| l.0 == "David Bremner")
            .all(|l| l.2 == "meeting" && l.3 == "in" && l.4 == "test [In-person]")
    );
    let others: Vec<_> = all
        .iter()
        .filter(|l| l.0 != "David Bremner")
        .cloned()
        .collect();
    assert_eq!(
        others,
        [
            // Horde: organised by the contact (quoted CN with a comma and an umlaut).
            row(
                "Acme Admin",
                "2013-04-16",
                "meeting",
                "in",
                "wichtiger termin 1"
            ),
            // BlackBerry: an attendee, the organizer someone else.
            row(
                "Rembrand",
                "2012-08-14",
                "meeting",
                "out",
                "Test meeting from BB"
            ),
        ]
    );
    // Google's only ATTENDEE is in a VALARM (not a participant); khal's has no address.
    assert_eq!(skipped(&v), [("nobody in the diary".to_string(), 2)]);
    let again = d.json(&[
        "capture",
        "calendar",
        &fixture("calendar/exchange-invite.ics"),
        &fixture("calendar/vdir"),
        "--json",
    ]);
    assert!(logged(&again).is_empty());
    assert!(
        skipped(&again).contains(&("already captured".to_string(), 95)),
        "{again}"
    );
}

#[test]
fn since_leaves_older_meetings_out() {
    let d = calendar_diary();
    let v = d.json(&[
        "capture",
        "calendar",
        &fixture("calendar/vdir"),
        "--since",
        "2013-01-01",
        "--json",
    ]);
    assert_eq!(logged(&v).len(), 1);
    assert!(
        skipped(&v).contains(&("dated before --since".to_string(), 1)),
        "{v}"
    );
}

/// The headers as read from the fixture files themselves (decoding, both Cc headers).
#[test]
fn fixture_headers_decode() {
    let read = tickler::capture::mail::read_paths(&[fixtures().join("maildir")]).unwrap();
    assert!(read.unreadable.is_empty(), "{:?}", read.unreadable);
    let subject = |s: &str| read.items.iter().any(|i| i.subject == s);
    assert!(subject("Essai accentué"), "{:?}", read.items);
    assert!(subject("Die Hasen und die Frösche (Microsoft Outlook 00)"));
    let francois = read
        .items
        .iter()
        .find_map(|i| {
            i.from
                .as_ref()
                .filter(|f| f.address == "boulogne.f@gmail.com")
        })
        .unwrap();
    assert_eq!(francois.name, "François Boulogne");
    let cc = read
        .items
        .iter()
        .find(|i| i.key == "mail:multiple-cc@example.org")
        .unwrap();
    let to: Vec<&str> = cc.to.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(
        to,
        [
            "daniel@example.org",
            "bob@example.org",
            "charles@example.org"
        ]
    );
}

/// `--notmuch QUERY`: the files notmuch lists for the query (the fixture Maildir indexed by a
/// real notmuch). Skipped, saying so, where notmuch is not installed (.ci/run installs it).
#[test]
fn notmuch_lists_the_files() {
    if std::process::Command::new("notmuch")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED notmuch_lists_the_files: notmuch is not installed");
        return;
    }
    let d = mail_diary();
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("mail");
    copy_dir(&fixtures().join("maildir"), &mail);
    let config = dir.path().join("notmuch-config");
    std::fs::write(
        &config,
        format!(
            "[database]\npath={}\n[user]\nname=Me\nprimary_email=alice@example.org\n[new]\ntags=inbox\n",
            mail.display()
        ),
    )
    .unwrap();
    let status = std::process::Command::new("notmuch")
        .env("NOTMUCH_CONFIG", &config)
        .arg("new")
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let out = d
        .cmd()
        .env("NOTMUCH_CONFIG", &config)
        .args(["capture", "mail", "--notmuch", "from:alice", "--json"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    // notmuch lists both files of the message in two folders: captured once.
    assert_eq!(v["examined"], 2);
    let names: Vec<String> = logged(&v).into_iter().map(|l| l.0).collect();
    assert_eq!(names, ["Charles", "Daniel"]);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A capture that finds nothing new commits nothing: the file's change count stays (a full-screen
/// diary open on it has nothing to re-read when cron captures every half hour).
#[test]
fn an_unchanged_maildir_commits_nothing() {
    use tickler::actions::capture::{CaptureItems, CaptureRequest, capture};
    let dir = tempfile::tempdir().unwrap();
    let store = tickler::store::Store::open(&dir.path().join("d.redb")).unwrap();
    tickler::actions::setting_set(&store, "my_addresses", "allan@archlinux.org").unwrap();
    let req = tickler::actions::AddRequest {
        name: "François Boulogne".into(),
        emails: vec!["boulogne.f@gmail.com".into()],
        ..Default::default()
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    tickler::actions::add(&store, &req, today).unwrap();
    let run = |store: &tickler::store::Store| {
        let read = tickler::capture::mail::read_paths(&[fixtures().join("maildir")]).unwrap();
        let req = CaptureRequest {
            items: CaptureItems::Mail(read.items),
            since: None,
            dry_run: false,
        };
        capture(store, &req, today).unwrap()
    };
    let first = run(&store);
    assert_eq!(first.logged.len(), 1);
    assert!(first.run.is_some());
    let changes = store.changes().unwrap();
    let again = run(&store);
    assert!(again.logged.is_empty() && again.run.is_none());
    assert_eq!(store.changes().unwrap(), changes);
}
