//! Exports read back: tickler's CSV and vCard exports imported into a new diary give the same
//! contacts; the vCards are read by python's vobject and by khard, the calendar by python's
//! icalendar (installed by .ci/run; a test prints "skipped" where a tool is missing here).

use chrono::NaiveDate;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicUsize;
use tickler::interop::export::{self, Kind};
use tickler::interop::import::{self, Imported};
use tickler::interop::vcard::Version;
use tickler::interop::{self, ImportOptions};
use tickler::model::Contact;
use tickler::store::{GlobalKind, Store};

const PYTHON: &str = "/usr/bin/python3";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A demo diary with text that exports must survive: quotes, commas, semicolons, formulas,
/// accents, multi-line notes and addresses.
fn diary(dir: &Path, n: usize) -> Store {
    let store = Store::open(&dir.join("a.redb")).unwrap();
    let mut bulk = tickler::demo::generate(n, 2026, today());
    let odd = [
        (
            "=SUM(A1:A9)",
            "+44 20 7946 0958",
            "-- a note, \"quoted\"; and more\nsecond line",
        ),
        ("Zoë Ñúñez; \"Zed\"", "-555 0100/12", "'=already guarded"),
        ("O'Brien, Seán", "(555) 010-9999 x12", "Ünïcödé — 数字 ✓"),
    ];
    for (c, (name, phone, note)) in bulk.contacts.iter_mut().zip(odd) {
        c.name = name.to_string();
        c.phones.push(phone.to_string());
        c.notes = note.to_string();
        c.company = Some("Engines, Ltd; \"R&D\"".to_string());
        c.address = Some("1 Rue de l'Église\n75001 Paris\nFrance".to_string());
    }
    store.load_bulk(bulk).unwrap();
    store
}

/// A new diary with the same categories (an export names categories; it does not create them).
fn empty_like(dir: &Path, a: &Store) -> Store {
    let b = Store::open(&dir.join("b.redb")).unwrap();
    let cats = a.categories().unwrap();
    b.write("categories", |w| {
        for k in &cats {
            w.put_category(k)?;
        }
        Ok(())
    })
    .unwrap();
    b
}

fn bytes(store: &Store, kind: Kind) -> Vec<u8> {
    let fill = export::filler(store, kind, today()).unwrap();
    let mut out = Vec::new();
    fill(&mut out).unwrap();
    out
}

fn import_file(store: &Store, path: &Path) -> interop::Plan {
    let loaded = import::load(path, &[], &AtomicUsize::new(0)).unwrap();
    let opts = ImportOptions {
        category: None,
        stage: None,
        today: today(),
    };
    match import::run(store, loaded, &opts, "round trip", false).unwrap() {
        Imported::Contacts(p) => p,
        Imported::Restored(_) => panic!("not a contacts import"),
    }
}

/// What an export carries of a contact (ids, creation days and the stage history are the new
/// diary's own).
fn essence(c: &Contact) -> String {
    format!(
        "{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{}",
        c.name,
        c.company,
        c.emails,
        c.phones,
        c.address,
        c.birthday,
        c.category,
        c.tags,
        c.stage,
        c.no_reason,
        c.cadence,
        c.notes.trim()
    )
}

fn assert_same_contacts(a: &Store, b: &Store) {
    let mut x: Vec<String> = a.contacts().unwrap().iter().map(essence).collect();
    let mut y: Vec<String> = b.contacts().unwrap().iter().map(essence).collect();
    x.sort();
    y.sort();
    assert_eq!(x.len(), y.len());
    for (p, q) in x.iter().zip(&y) {
        assert_eq!(p, q);
    }
}

#[test]
fn csv_out_then_in_gives_the_same_contacts() {
    for excel in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let a = diary(dir.path(), 300);
        let file = dir.path().join("contacts.csv");
        std::fs::write(&file, bytes(&a, Kind::Csv { excel })).unwrap();
        let b = empty_like(dir.path(), &a);
        let plan = import_file(&b, &file);
        assert_eq!(plan.mapping, "tickler");
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        assert_eq!(plan.created, 300);
        assert_same_contacts(&a, &b);
        // And again: nothing new.
        let again = import_file(&b, &file);
        assert_eq!((again.created, again.updated), (0, 0));
    }
}

#[test]
fn vcard_out_then_in_gives_the_same_contacts() {
    for version in [Version::V4, Version::V3] {
        let dir = tempfile::tempdir().unwrap();
        let a = diary(dir.path(), 300);
        let file = dir.path().join("contacts.vcf");
        std::fs::write(&file, bytes(&a, Kind::Vcf { version })).unwrap();
        let b = empty_like(dir.path(), &a);
        let plan = import_file(&b, &file);
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        assert_eq!(plan.created, 300);
        assert_same_contacts(&a, &b);
    }
}

#[test]
fn a_vdir_holds_one_stable_card_per_contact_and_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let a = diary(dir.path(), 40);
    let vdir = dir.path().join("cards");
    let first = export::to_vdir(&a, Version::V4, &vdir).unwrap();
    assert_eq!((first.written, first.unchanged), (40, 0));
    let again = export::to_vdir(&a, Version::V4, &vdir).unwrap();
    assert_eq!(
        (again.written, again.unchanged),
        (0, 40),
        "unchanged cards are not rewritten"
    );
    // Another program's card in the same folder is left alone.
    std::fs::write(
        vdir.join("other.vcf"),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Other\r\nEND:VCARD\r\n",
    )
    .unwrap();
    // A card an earlier version wrote under `tickler-c<id>` goes: the contact's card is now the
    // one named by its global id.
    let old = vdir.join("tickler-c1.vcf");
    std::fs::write(
        &old,
        "BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//tickler//tickler 0.1.0//EN\r\nUID:tickler-c1\r\nFN:Old\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let third = export::to_vdir(&a, Version::V4, &vdir).unwrap();
    assert_eq!((third.written, third.removed), (0, vec![old.clone()]));
    let gids: std::collections::HashSet<String> = a
        .global_ids(GlobalKind::Contact)
        .unwrap()
        .into_values()
        .collect();
    let b = empty_like(dir.path(), &a);
    let mut created = 0;
    for entry in std::fs::read_dir(&vdir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let uid = name.trim_end_matches(".vcf");
        if name != "other.vcf" {
            assert!(gids.contains(uid), "{name} is named by a global id");
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(text.contains(&format!("UID:{uid}\r\n")));
            created += import_file(&b, &entry.path()).created;
        }
    }
    assert_eq!(created, 40);
    assert_same_contacts(&a, &b);
    assert!(vdir.join("other.vcf").exists());
    // Imported back into the diary that wrote them: every card is its contact.
    for entry in std::fs::read_dir(&vdir).unwrap().flatten() {
        if entry.file_name() == "other.vcf" {
            continue;
        }
        let plan = import_file(&a, &entry.path());
        assert_eq!(plan.created, 0, "{}", entry.path().display());
    }
}

/// A global id taken over from another program that cannot name a file (sync keeps a server's
/// UIDs as they are) is still the card's UID, in a file named `tickler-c<id>.vcf` inside the vdir.
#[test]
fn a_uid_that_cannot_name_a_file_stays_inside_the_vdir() {
    let dir = tempfile::tempdir().unwrap();
    let a = diary(dir.path(), 3);
    let first = a.contacts().unwrap()[0].id;
    a.write("a server's uid", |w| {
        w.set_global_id(GlobalKind::Contact, first.0, "../../escaped uid")
    })
    .unwrap();
    let vdir = dir.path().join("cards");
    let done = export::to_vdir(&a, Version::V4, &vdir).unwrap();
    assert_eq!(done.written, 3);
    assert!(!dir.path().join("escaped uid.vcf").exists());
    let text = std::fs::read_to_string(vdir.join(format!("tickler-c{first}.vcf"))).unwrap();
    assert!(text.contains("UID:../../escaped uid\r\n"), "{text}");
    let again = export::to_vdir(&a, Version::V4, &vdir).unwrap();
    assert_eq!((again.unchanged, again.removed.len()), (3, 0));
}

fn have_python_module(module: &str) -> bool {
    let ok = Command::new(PYTHON)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3-{module} is not installed here (.ci/run installs it)");
    }
    ok
}

/// Python's vobject reads every card tickler writes, 4.0 and 3.0, with the same names, e-mails,
/// phones, companies and birthdays.
#[test]
fn python_vobject_reads_the_vcards() {
    if !have_python_module("vobject") {
        return;
    }
    let script = r#"
import sys, json, vobject
out = []
for card in vobject.readComponents(open(sys.argv[1], encoding="utf-8").read()):
    c = card.contents
    val = lambda k: [x.value for x in c.get(k, [])]
    org = val("org")
    out.append({
        "fn": card.fn.value,
        "uid": card.uid.value,
        "emails": val("email"),
        "phones": val("tel"),
        "org": org[0][0] if org else None,
        "bday": val("bday")[0] if "bday" in c else None,
        "note": val("note")[0] if "note" in c else "",
    })
print(json.dumps(out))
"#;
    for (version, bday) in [(Version::V4, "%Y%m%d"), (Version::V3, "%Y-%m-%d")] {
        let dir = tempfile::tempdir().unwrap();
        let a = diary(dir.path(), 120);
        let file = dir.path().join("cards.vcf");
        std::fs::write(&file, bytes(&a, Kind::Vcf { version })).unwrap();
        let out = Command::new(PYTHON)
            .args(["-c", script, file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cards: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let cards = cards.as_array().unwrap();
        let contacts = a.contacts().unwrap();
        let gids = a.global_ids(GlobalKind::Contact).unwrap();
        assert_eq!(cards.len(), contacts.len());
        for (card, c) in cards.iter().zip(&contacts) {
            assert_eq!(card["fn"], c.name.as_str());
            assert_eq!(card["uid"], gids[&c.id.0].as_str());
            assert_eq!(card["emails"], serde_json::json!(c.emails));
            assert_eq!(card["phones"], serde_json::json!(c.phones));
            assert_eq!(card["org"].as_str(), c.company.as_deref());
            assert_eq!(card["note"].as_str().unwrap_or(""), c.notes);
            let want = c.birthday.map(|b| match (b.year, version) {
                (Some(y), _) => NaiveDate::from_ymd_opt(y, b.month, b.day)
                    .unwrap()
                    .format(bday)
                    .to_string(),
                (None, Version::V4) => format!("--{:02}{:02}", b.month, b.day),
                (None, Version::V3) => format!("1604-{:02}-{:02}", b.month, b.day),
            });
            assert_eq!(card["bday"].as_str(), want.as_deref(), "{}", c.name);
        }
    }
}

/// khard (the address book of the vdir world) lists the cards of a vdir tickler wrote.
#[test]
fn khard_lists_the_vdir() {
    if Command::new("khard").arg("--version").output().is_err() {
        eprintln!("skipped: khard is not installed here (.ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = diary(dir.path(), 30);
    let vdir = dir.path().join("cards");
    export::to_vdir(&a, Version::V3, &vdir).unwrap();
    let conf = dir.path().join("khard.conf");
    std::fs::write(
        &conf,
        format!(
            "[addressbooks]\n[[tickler]]\npath = {}\n\n[general]\ndebug = no\ndefault_action = list\neditor = true\nmerge_editor = true\n",
            vdir.display()
        ),
    )
    .unwrap();
    let out = Command::new("khard")
        .args(["-c", conf.to_str().unwrap(), "list", "--parsable"])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    let contacts = a.contacts().unwrap();
    let gids = a.global_ids(GlobalKind::Contact).unwrap();
    assert_eq!(listed.lines().count(), contacts.len(), "{listed}");
    for c in &contacts {
        let uid = &gids[&c.id.0];
        assert!(
            listed
                .lines()
                .any(|l| l.starts_with(uid.as_str()) && l.contains(&c.name)),
            "{uid} {} not in {listed}",
            c.name
        );
    }
}

/// Python's icalendar reads the calendar: PRODID names tickler, every event has its UID and an
/// all-day date.
#[test]
fn python_icalendar_reads_the_calendar() {
    if !have_python_module("icalendar") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = diary(dir.path(), 150);
    let file = dir.path().join("diary.ics");
    let to = today() + chrono::Days::new(90);
    std::fs::write(&file, bytes(&a, Kind::Ics { from: today(), to })).unwrap();
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
events = [{"uid": str(e["UID"]), "start": e.decoded("DTSTART").isoformat(), "summary": str(e["SUMMARY"])}
          for e in cal.walk("VEVENT")]
print(json.dumps({"prodid": str(cal["PRODID"]), "events": events}))
"#;
    let out = Command::new(PYTHON)
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["prodid"]
            .as_str()
            .unwrap()
            .starts_with("-//tickler//tickler "),
        "{v}"
    );
    let events = v["events"].as_array().unwrap();
    let text = String::from_utf8(bytes(&a, Kind::Ics { from: today(), to })).unwrap();
    assert_eq!(events.len(), text.matches("BEGIN:VEVENT").count());
    assert!(events.len() > 50);
    for e in events {
        assert!(e["uid"].as_str().unwrap().ends_with("@tickler"), "{e}");
        // All-day: a date without a time.
        assert_eq!(e["start"].as_str().unwrap().len(), 10, "{e}");
        assert!(!e["summary"].as_str().unwrap().is_empty());
    }
}
