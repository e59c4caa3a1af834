//! Interop: import (vCard, CSV, JSON restore), export (CSV, JSON, ICS), merge, backup — through
//! the library and through the binary, on fixture files in tests/fixtures.

use assert_cmd::Command;
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tickler::interop;
use tickler::store::Store;

const TODAY: &str = "2026-11-24";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

struct Diary {
    dir: TempDir,
    db: PathBuf,
}

impl Diary {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("diary.redb");
        Diary { dir, db }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("tickler").unwrap();
        c.env("TICKLER_DB", &self.db)
            .env("TICKLER_TODAY", TODAY)
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"));
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} gave bad JSON ({e}): {out}"))
    }

    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).assert().code(code);
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn vcard_fixture_through_the_library() {
    let text = interop::read_text(&fixture("contacts.vcf")).unwrap();
    let p = interop::vcard::parse(&text);
    let names: Vec<&str> = p.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Ada Lovelace",
            "Charles Babbage",
            "Jürgen Müller",
            "Grace Hopper"
        ]
    );
    assert_eq!(p.malformed.len(), 1, "{:?}", p.malformed);
    assert_eq!(p.malformed[0].line, 34);
    let ada = &p.records[0];
    assert_eq!(ada.line, 1);
    assert_eq!(ada.emails, ["ada@example.com", "ada.l@example.org"]);
    assert_eq!(ada.phones, ["+44-20-7946-0958", "+44 20 7946 0000"]);
    assert_eq!(ada.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(
        ada.address.as_deref(),
        Some("12 St James's Square\nSW1Y 4JH London\nUnited Kingdom")
    );
    assert_eq!(ada.birthday.unwrap().to_string(), "--12-10");
    assert!(
        ada.notes.contains("an address book folds it"),
        "{}",
        ada.notes
    );
    assert_eq!(ada.tags, ["vip", "key accounts"]);
    assert_eq!(p.records[1].birthday.unwrap().to_string(), "1791-12-26");
    assert_eq!(p.records[2].company.as_deref(), Some("Bäckerei Müller"));
    assert_eq!(p.records[2].birthday.unwrap().to_string(), "1975-03-14");
    assert_eq!(p.records[3].birthday.unwrap().to_string(), "--12-09");
}

#[test]
fn csv_fixtures_through_the_library() {
    let g = interop::csv::parse(&interop::read_text(&fixture("google.csv")).unwrap(), &[]).unwrap();
    assert_eq!(g.mapping, "google");
    assert_eq!(g.records.len(), 3);
    assert_eq!(g.records[0].notes, "Met at the\nRoyal Society");
    assert_eq!(g.records[0].tags, ["vip"]);
    assert_eq!(g.records[1].emails.len(), 2);
    assert_eq!(g.records[1].line, 5, "quoted newlines count as lines");
    let o =
        interop::csv::parse(&interop::read_text(&fixture("outlook.csv")).unwrap(), &[]).unwrap();
    assert_eq!(o.mapping, "outlook");
    assert_eq!(o.records[0].tags, ["customers", "yorkshire"]);
    assert_eq!(o.records[0].phones, ["0113 496 0000", "07700 900123"]);
    assert_eq!(
        o.records[1].birthday, None,
        "Outlook's 0/0/00 is no birthday"
    );
    let p = interop::csv::parse(
        &interop::read_text(&fixture("plain_semicolon.csv")).unwrap(),
        &[],
    )
    .unwrap();
    assert_eq!(p.mapping, "plain");
    let names: Vec<&str> = p.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Dora Explorer",
            "Eve Malformed",
            "Frank Ocean",
            "Gina Lollo"
        ]
    );
    assert!(p.malformed.is_empty(), "{:?}", p.malformed);
    let w: Vec<(usize, &str)> = p
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert!(
        w.contains(&(
            4,
            "row has 6 fields, the header 5: 'Here' not imported (a delimiter too many in this row?)"
        )),
        "{w:?}"
    );
    assert!(
        w.iter().any(|(l, m)| *l == 7 && m.contains("email")),
        "{w:?}"
    );
}

#[test]
fn import_counts_reimport_and_dry_run() {
    let d = Diary::new();
    let vcf = fixture("contacts.vcf");
    let v = d.json(&["import", path(&vcf), "--json"]);
    assert_eq!(v["created"], 4);
    assert_eq!(v["malformed"][0]["line"], 34);
    assert_eq!(
        d.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(4)
    );
    // Re-import: nothing new.
    let v = d.json(&["import", path(&vcf), "--json"]);
    assert_eq!(
        (v["created"].as_u64(), v["updated"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(v["skipped"], 4);
    // Google: Ada matches by email (case-insensitive) and gains a phone? no: a tag and notes.
    let before = std::fs::read(&d.db).unwrap();
    let g = fixture("google.csv");
    let dry = d.ok(&["import", path(&g), "--dry-run"]);
    assert!(dry.contains("nothing was written"), "{dry}");
    assert!(dry.contains("update"), "{dry}");
    assert!(dry.contains("create"), "{dry}");
    assert_eq!(
        before,
        std::fs::read(&d.db).unwrap(),
        "dry run changed the database"
    );
    let v = d.json(&["import", path(&g), "--json", "--stage", "qualified"]);
    assert_eq!(v["mapping"], "google");
    assert_eq!(v["created"], 2);
    assert_eq!(v["updated"], 1);
    let items = v["items"].as_array().unwrap();
    assert!(items[0]["reason"].as_str().unwrap().contains("same email"));
    let alan = d.json(&["show", "Alan Turing", "--json"]);
    assert_eq!(alan["contact"]["stage"], "qualified");
    // One undo reverts the whole import.
    d.ok(&["undo"]);
    assert_eq!(
        d.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(4)
    );
}

#[test]
fn a_ragged_row_is_read_with_a_warning_and_a_file_that_brings_nothing_fails() {
    let d = Diary::new();
    let out = d.ok(&["import", path(&fixture("plain_semicolon.csv"))]);
    assert!(
        out.contains("line     4  warning: row has 6 fields, the header 5"),
        "{out}"
    );
    assert!(out.contains("Created 4"), "{out}");
    // Nothing to call anyone by: the report, then exit 2.
    let empty = d.dir.path().join("phones.csv");
    std::fs::write(&empty, "Name,Phone\r\n,+1 555\r\n,+1 556\r\n").unwrap();
    let out = d.cmd().args(["import", path(&empty)]).assert().code(2);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stdout.contains("line     3  skipped (malformed)"),
        "{stdout}"
    );
    assert!(stderr.contains("nothing in"), "{stderr}");
    let v = d.json(&["import", path(&fixture("outlook.csv")), "--json"]);
    assert_eq!(v["created"], 2);
    let err = d.fails(
        &[
            "import",
            path(&fixture("outlook.csv")),
            "--map",
            "Nope=name",
        ],
        2,
    );
    assert!(err.contains("no column named 'Nope'"), "{err}");
}

#[test]
fn possible_duplicates_are_listed() {
    let d = Diary::new();
    d.ok(&["add", "Ada Lovelace", "--company", "Other Co"]);
    let v = d.json(&["import", path(&fixture("contacts.vcf")), "--json"]);
    assert_eq!(v["created"], 4);
    assert_eq!(v["possible_duplicates"][0]["name"], "Ada Lovelace");
    assert_eq!(v["possible_duplicates"][0]["candidates"][0], 1);
}

fn demo_store(dir: &Path, seed: u64) -> Store {
    let store = Store::open(&dir.join("demo.redb")).unwrap();
    store
        .load_bulk(tickler::demo::generate(300, seed, today()))
        .unwrap();
    store
}

fn assert_same_diary(a: &Store, b: &Store) {
    let (sa, sb) = (a.snapshot().unwrap(), b.snapshot().unwrap());
    assert_eq!(sa.settings, sb.settings);
    assert_eq!(sa.categories, sb.categories);
    assert_eq!(sa.contacts, sb.contacts);
    for (c, _) in &sa.contacts {
        assert_eq!(a.touches_of(c.id).unwrap(), b.touches_of(c.id).unwrap());
        assert_eq!(a.sales_of(c.id).unwrap(), b.sales_of(c.id).unwrap());
    }
    assert_eq!(a.stage_moves().unwrap(), b.stage_moves().unwrap());
}

#[test]
fn json_round_trip_over_demo_diaries() {
    for seed in [1, 7, 2026] {
        let dir = tempfile::tempdir().unwrap();
        let a = demo_store(dir.path(), seed);
        let export = interop::json::export(&a, today()).unwrap();
        let text = serde_json::to_string_pretty(&export).unwrap();
        assert!(text.starts_with("{\n  \"tickler_export\": 1,"));
        assert!(
            export.stage_moves.len() > 300,
            "the demo's stage history is exported"
        );
        let b = Store::open(&dir.path().join("restored.redb")).unwrap();
        let n = interop::json::restore(&b, interop::json::parse(&text).unwrap()).unwrap();
        assert_eq!(n, 300);
        assert_same_diary(&a, &b);
        // Exporting the restored diary gives the same document.
        assert_eq!(export, interop::json::export(&b, today()).unwrap());
    }
}

#[test]
fn json_birthdays_are_dates_and_the_old_object_form_still_restores() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo_store(dir.path(), 11);
    let export = interop::json::export(&a, today()).unwrap();
    let text = serde_json::to_string(&export).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let with: Vec<&Value> = v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["birthday"].is_null())
        .collect();
    assert!(!with.is_empty());
    for c in &with {
        let b = c["birthday"].as_str().unwrap();
        assert!(
            (b.len() == 10 && b.as_bytes()[4] == b'-') || (b.len() == 7 && b.starts_with("--")),
            "{b}"
        );
    }
    // An export written before: birthdays as {"month","day","year"} objects.
    let mut old = v.clone();
    for c in old["contacts"].as_array_mut().unwrap() {
        if let Some(b) = c["birthday"].as_str() {
            let b: tickler::model::Birthday = b.parse().unwrap();
            c["birthday"] = serde_json::json!({"month": b.month, "day": b.day, "year": b.year});
        }
    }
    let b = Store::open(&dir.path().join("old.redb")).unwrap();
    let old_text = serde_json::to_string(&old).unwrap();
    interop::json::restore(&b, interop::json::parse(&old_text).unwrap()).unwrap();
    assert_same_diary(&a, &b);
}

#[test]
fn json_round_trip_through_the_binary_and_non_empty_refusal() {
    let d = Diary::new();
    d.ok(&["demo", "--contacts", "120", "--seed", "3"]);
    let file = d.dir.path().join("out/export.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    d.ok(&["export", "--format", "json", "-o", path(&file)]);
    let err = d.fails(&["import", path(&file)], 2);
    assert!(err.contains("not empty"), "{err}");
    let fresh = d.dir.path().join("fresh.redb");
    d.cmd()
        .env("TICKLER_DB", &fresh)
        .args(["import", path(&file)])
        .assert()
        .success();
    let a = Store::open(&d.db).unwrap();
    let b = Store::open(&fresh).unwrap();
    assert_same_diary(&a, &b);
    let stdout = d.ok(&["export", "--format", "json"]);
    assert_eq!(stdout, std::fs::read_to_string(&file).unwrap());
}

/// A parsed property: name, value, parameters.
type Prop = (String, String, Vec<(String, String)>);

fn ics_events(text: &str) -> Vec<(String, Vec<Prop>)> {
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
    let mut out = Vec::new();
    for comp in &cal.components {
        assert_eq!(comp.name.as_str(), "VEVENT");
        let props = comp
            .properties
            .iter()
            .map(|p| {
                (
                    p.name.as_str().to_string(),
                    p.val.as_str().to_string(),
                    p.params
                        .iter()
                        .map(|q| {
                            (
                                q.key.as_str().to_string(),
                                q.val
                                    .as_ref()
                                    .map(|v| v.as_str().to_string())
                                    .unwrap_or_default(),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        out.push((comp.name.as_str().to_string(), props));
    }
    out
}

fn prop<'a>(ev: &'a [Prop], name: &str) -> Option<&'a str> {
    ev.iter().find(|p| p.0 == name).map(|p| p.1.as_str())
}

#[test]
fn ics_export_parses_back_with_stable_uids() {
    let d = Diary::new();
    d.ok(&["demo", "--contacts", "150", "--seed", "5"]);
    let a = d.ok(&["export", "--format", "ics"]);
    let file = d.dir.path().join("diary.ics");
    d.ok(&["export", "--format", "ics", "-o", path(&file)]);
    let b = std::fs::read_to_string(&file).unwrap();
    assert_eq!(a, b, "two exports on one day are identical");
    assert!(a.starts_with("BEGIN:VCALENDAR\r\n"));
    let events = ics_events(&a);
    assert!(events.len() > 100, "{}", events.len());
    let mut uids = BTreeSet::new();
    let (mut touches, mut birthdays, mut dues) = (0, 0, 0);
    let first = today();
    let last = first + chrono::Days::new(90);
    for (_, ev) in &events {
        let uid = prop(ev, "UID").unwrap();
        assert!(uids.insert(uid.to_string()), "duplicate UID {uid}");
        assert!(uid.ends_with("@tickler"), "{uid}");
        let start = ev.iter().find(|p| p.0 == "DTSTART").unwrap();
        assert!(
            start.2.contains(&("VALUE".to_string(), "DATE".to_string())),
            "{start:?}"
        );
        let date = NaiveDate::parse_from_str(&start.1, "%Y%m%d").unwrap();
        let end = NaiveDate::parse_from_str(prop(ev, "DTEND").unwrap(), "%Y%m%d").unwrap();
        assert_eq!(
            end,
            date + chrono::Days::new(1),
            "all-day: DTEND is the next day"
        );
        assert_eq!(prop(ev, "DTSTAMP"), Some("20261124T000000Z"));
        assert!(!prop(ev, "SUMMARY").unwrap().is_empty());
        if uid.starts_with("birthday-") {
            birthdays += 1;
            assert!(prop(ev, "RRULE").unwrap().starts_with("FREQ=YEARLY"));
        } else {
            assert!(date >= first && date <= last, "{uid} on {date}");
            assert_eq!(prop(ev, "RRULE"), None);
            if uid.starts_with("touch-") {
                touches += 1;
            } else {
                dues += 1;
            }
        }
    }
    assert!(
        touches > 0 && birthdays > 0 && dues > 0,
        "{touches} {birthdays} {dues}"
    );
    // A planned touch, field by field.
    let store = Store::open(&d.db).unwrap();
    let planned = store
        .touches_between(first, last)
        .unwrap()
        .into_iter()
        .find(|t| t.state == tickler::model::TouchState::Planned)
        .unwrap();
    let contact = store.contact(planned.contact).unwrap().unwrap();
    let uid = format!("touch-{}@tickler", planned.id);
    let (_, ev) = events
        .iter()
        .find(|(_, ev)| prop(ev, "UID") == Some(uid.as_str()))
        .unwrap();
    assert_eq!(
        prop(ev, "DTSTART"),
        Some(planned.date.format("%Y%m%d").to_string().as_str())
    );
    assert_eq!(
        prop(ev, "SUMMARY").map(|s| s.replace('\\', "")),
        Some(format!("{}: {}", planned.channel, contact.label()))
    );
    drop(store);
    // Logging the touch done removes its event; the other UIDs stay the same.
    d.ok(&[
        "log",
        &format!("c{}", planned.contact),
        "-c",
        "call",
        "-s",
        "talked",
    ]);
    let c = d.ok(&["export", "--format", "ics"]);
    let after: BTreeSet<String> = ics_events(&c)
        .iter()
        .map(|(_, ev)| prop(ev, "UID").unwrap().to_string())
        .collect();
    let kept = after.intersection(&uids).count();
    assert!(kept + 3 >= uids.len(), "{kept} of {}", uids.len());
}

#[test]
fn merge_moves_history_and_undo_reverts() {
    let d = Diary::new();
    d.ok(&[
        "add",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--tag",
        "vip",
    ]);
    d.ok(&[
        "add",
        "A. Lovelace",
        "--company",
        "Engines",
        "--email",
        "al@example.org",
        "--phone",
        "+44 1",
        "--tag",
        "math",
        "--note",
        "second card",
    ]);
    d.ok(&[
        "log",
        "c2",
        "-c",
        "email",
        "-d",
        "2026-11-01",
        "-s",
        "sent notes",
    ]);
    let before = d.json(&["show", "c1", "--json"]);
    let v = d.json(&["merge", "c1", "c2", "--json"]);
    // The logged email and the next touch the log planned (so c2 was not left adrift).
    assert_eq!(v["touches_moved"], 2);
    let a = d.json(&["show", "c1", "--json"]);
    let c = &a["contact"];
    assert_eq!(
        c["emails"],
        serde_json::json!(["ada@example.com", "al@example.org"])
    );
    assert_eq!(c["tags"], serde_json::json!(["vip", "math"]));
    assert_eq!(c["company"], "Engines");
    assert!(c["notes"].as_str().unwrap().contains("second card"));
    let store = Store::open(&d.db).unwrap();
    assert_eq!(
        store
            .touches_of(tickler::model::ContactId(1))
            .unwrap()
            .len(),
        2
    );
    let b = store
        .contact(tickler::model::ContactId(2))
        .unwrap()
        .unwrap();
    assert_eq!(b.stage, tickler::model::Stage::Archived);
    assert!(b.notes.ends_with("merged into c1"));
    drop(store);
    d.ok(&["undo"]);
    assert_eq!(
        d.json(&["show", "c1", "--json"])["contact"],
        before["contact"]
    );
    let store = Store::open(&d.db).unwrap();
    assert_eq!(
        store
            .touches_of(tickler::model::ContactId(2))
            .unwrap()
            .len(),
        2
    );
    drop(store);
    let err = d.fails(&["merge", "c1", "c1"], 2);
    assert!(err.contains("same contact"), "{err}");
}

#[test]
fn csv_export_is_written_atomically() {
    let d = Diary::new();
    d.ok(&["import", path(&fixture("google.csv"))]);
    let file = d.dir.path().join("contacts.csv");
    d.ok(&["export", "--format", "csv", "-o", path(&file)]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("id,name,company,emails"), "{text}");
    assert!(text.contains("\"Met at the\nRoyal Society\""), "{text}");
    let names: Vec<_> = std::fs::read_dir(d.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".tmp-")), "{names:?}");
    // The exported CSV imports back as the same contacts.
    let v = d.json(&["import", path(&file), "--dry-run", "--json"]);
    assert_eq!(v["created"], 0, "{v}");
}

#[test]
fn backups_are_dated_checked_and_pruned() {
    let d = Diary::new();
    d.ok(&["add", "Ada"]);
    let dir = d.dir.path().join("bk");
    for day in ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-22"] {
        d.cmd()
            .env("TICKLER_TODAY", day)
            .args(["backup", path(&dir), "--keep", "2"])
            .assert()
            .success();
    }
    let left = interop::backup::list(&dir);
    let names: Vec<_> = left
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["tickler-2026-11-21.redb", "tickler-2026-11-22.redb"]
    );
    let copy = Store::open(&left[1]).unwrap();
    assert_eq!(copy.contact_count().unwrap(), 1);
    // Default directory: backups/ beside the database.
    d.ok(&["backup"]);
    assert!(
        d.dir
            .path()
            .join("backups/tickler-2026-11-24.redb")
            .exists()
    );
    // The library function the TUI calls.
    drop(copy);
    let p = interop::backup(&d.db, &dir, today(), 1).unwrap();
    assert_eq!(interop::backup::list(&dir), [p]);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8))]

        /// The JSON export restores losslessly, whatever the diary and whatever text it holds.
        #[test]
        fn json_round_trip_is_lossless(
            seed in any::<u64>(),
            n in 0usize..60,
            name in "\\PC{1,30}",
            note in "[\\PC\n\t]{0,80}",
            tag in "[a-zäöü0-9-]{1,12}",
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut bulk = tickler::demo::generate(n, seed, today());
            if let Some(c) = bulk.contacts.first_mut() {
                c.name = name.trim().to_string();
                if c.name.is_empty() {
                    c.name = "x".to_string();
                }
                c.notes = note;
                c.tags.push(tag);
            }
            let a = Store::open(&dir.path().join("a.redb")).unwrap();
            a.load_bulk(bulk).unwrap();
            let text = serde_json::to_string(&interop::json::export(&a, today()).unwrap()).unwrap();
            let b = Store::open(&dir.path().join("b.redb")).unwrap();
            interop::json::restore(&b, interop::json::parse(&text).unwrap()).unwrap();
            assert_same_diary(&a, &b);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// No input makes a parser panic.
        #[test]
        fn parsers_never_panic(s in "(?s).{0,300}") {
            let _ = interop::vcard::parse(&s);
            let _ = interop::csv::parse(&s, &[]);
            let _ = interop::parse_birthday(&s);
        }

        #[test]
        fn vcard_like_input_never_panics(lines in prop::collection::vec(prop_oneof![
            Just("BEGIN:VCARD".to_string()),
            Just("END:VCARD".to_string()),
            "FN[;A-Z=-]{0,12}:[a-zé =0-9A-F]{0,12}",
            "BDAY:[-0-9TZ]{0,12}",
            "EMAIL:[a-z@.]{0,12}",
            "N:[;a-z]{0,12}",
            " [a-z=]{0,6}",
            "(?s).{0,20}",
        ], 0..30)) {
            let p = interop::vcard::parse(&lines.join("\r\n"));
            for r in &p.records {
                prop_assert!(!r.name.is_empty());
            }
        }

        #[test]
        fn csv_like_input_never_panics(rows in prop::collection::vec("[a-z@.;,\"\n ]{0,30}", 1..12)) {
            let text = format!("Name,Email;Company\n{}", rows.join("\n"));
            if let Ok(p) = interop::csv::parse(&text, &[]) {
                for r in &p.records {
                    prop_assert!(!r.name.is_empty());
                }
            }
        }
    }
}

#[test]
fn backups_kept_setting_round_trips_and_is_validated() {
    let s = Store::in_memory().unwrap();
    assert_eq!(s.settings().unwrap().backups_kept, 7);
    let next = tickler::model::Settings {
        backups_kept: 30,
        ..tickler::model::Settings::default()
    };
    s.write("set", |w| w.put_settings(&next)).unwrap();
    assert_eq!(s.settings().unwrap(), next);

    let d = Diary::new();
    assert_eq!(d.json(&["settings", "show", "--json"])["backups_kept"], 7);
    d.ok(&["settings", "set", "backups_kept", "2"]);
    assert_eq!(d.json(&["settings", "show", "--json"])["backups_kept"], 2);
    assert!(d.ok(&["settings", "show"]).contains("backups_kept"));
    for bad in ["0", "366", "x"] {
        let err = d.fails(&["settings", "set", "backups_kept", bad], 2);
        assert!(err.contains("1 to 365"), "{err}");
    }
    // `tickler backup` keeps as many as the setting says when --keep is not given.
    d.ok(&["add", "Ada"]);
    let dir = d.dir.path().join("kept");
    for day in ["2026-11-20", "2026-11-21", "2026-11-22"] {
        d.cmd()
            .env("TICKLER_TODAY", day)
            .args(["backup", path(&dir)])
            .assert()
            .success();
    }
    assert_eq!(interop::backup::list(&dir).len(), 2);
}

#[test]
fn daily_backup_runs_once_a_day_and_keeps_the_newest() {
    let d = Diary::new();
    d.ok(&["add", "Ada"]);
    let day = |n: u32| NaiveDate::from_ymd_opt(2026, 11, n).unwrap();
    let dir = interop::backup::default_dir(&d.db);
    let first = interop::backup::daily(&d.db, day(20), 2).unwrap();
    assert_eq!(first, Some(dir.join("tickler-2026-11-20.redb")));
    // Same day again: skipped, the file is not rewritten.
    let before = std::fs::metadata(dir.join("tickler-2026-11-20.redb"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(interop::backup::daily(&d.db, day(20), 2).unwrap(), None);
    let after = std::fs::metadata(dir.join("tickler-2026-11-20.redb"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    assert!(interop::backup::daily(&d.db, day(21), 2).unwrap().is_some());
    assert!(interop::backup::daily(&d.db, day(22), 2).unwrap().is_some());
    let names: Vec<_> = interop::backup::list(&dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["tickler-2026-11-21.redb", "tickler-2026-11-22.redb"]
    );
    // A database that is not there: an error, not a panic.
    let gone = d.dir.path().join("missing/none.redb");
    assert!(interop::backup::daily(&gone, day(22), 2).is_err());
}

/// Two `tickler import` of one 2,000-row file started at the same time: each decides inside its
/// own write transaction, so the second sees the first's contacts and creates none of them again.
#[test]
fn two_parallel_imports_of_one_file_create_each_contact_once() {
    use std::fmt::Write as _;
    let mut csv = String::from("Name,Email,Phone\n");
    for i in 0..2000 {
        writeln!(csv, "Person {i},p{i}@example.com,+1 555 {i:07}").unwrap();
    }
    for round in 0..3 {
        let d = Diary::new();
        let file = d.dir.path().join("people.csv");
        std::fs::write(&file, &csv).unwrap();
        let bin = assert_cmd::cargo::cargo_bin("tickler");
        let start = |_: usize| {
            std::process::Command::new(&bin)
                .env("TICKLER_DB", &d.db)
                .env("TICKLER_TODAY", TODAY)
                .env("HOME", d.dir.path())
                .args(["import", path(&file), "--json"])
                .output()
                .unwrap()
        };
        // Both started at once, each output collected on its own thread.
        let outputs: Vec<_> = std::thread::scope(|s| {
            let running: Vec<_> = (0..2).map(|i| s.spawn(move || start(i))).collect();
            running.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut created = 0;
        for out in outputs {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "round {round}: {stderr}");
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            created += v["created"].as_u64().unwrap();
        }
        assert_eq!(created, 2000, "round {round}: the two imports together");
        let store = Store::open(&d.db).unwrap();
        assert_eq!(store.contact_count().unwrap(), 2000, "round {round}");
    }
}

/// The UID lines of a vCard file, in order.
fn card_uids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_string)
        .collect()
}

/// `export --format vcf` gives each card the contact's global id as UID, the UID of the card sync
/// writes for the same contact; importing the cards back matches the same contacts (also a card
/// whose name and e-mail were changed elsewhere, which only its UID still ties to the contact).
#[test]
fn vcf_uids_are_the_global_ids_sync_uses_and_cards_import_back_onto_their_contacts() {
    let d = Diary::new();
    d.ok(&[
        "add",
        "Ada Lovelace",
        "--company",
        "Engines",
        "--email",
        "ada@example.com",
    ]);
    d.ok(&["add", "Charles Babbage"]);
    let diary = d.json(&["export", "--format", "json"]);
    let gids = &diary["global_ids"]["contacts"];
    let want: Vec<String> = diary["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| gids[c["id"].to_string()].as_str().unwrap().to_string())
        .collect();
    assert_eq!(want.len(), 2);
    for version in ["4.0", "3.0"] {
        let cards = d.ok(&["export", "--format", "vcf", "--vcard", version]);
        assert_eq!(card_uids(&cards), want, "{cards}");
    }
    // The cards sync writes (to a vdir) carry the same UIDs.
    let dav = d.dir.path().join("dav");
    d.ok(&["sync", "--url", dav.to_str().unwrap()]);
    let mut synced: Vec<String> = std::fs::read_dir(dav.join("tickler-contacts"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".vcf"))
        .flat_map(|e| card_uids(&std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    synced.sort();
    let mut sorted = want.clone();
    sorted.sort();
    assert_eq!(synced, sorted);
    // Back in: nothing new.
    let file = d.dir.path().join("cards.vcf");
    d.ok(&["export", "--format", "vcf", "-o", file.to_str().unwrap()]);
    let r = d.json(&["import", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        (r["created"].as_u64(), r["skipped"].as_u64()),
        (Some(0), Some(2)),
        "{r}"
    );
    // Renamed, another e-mail: the UID still names Ada.
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Ada Lovelace", "Augusta Ada King")
        .replace("Lovelace;Ada", "King;Augusta Ada")
        .replace("ada@example.com", "countess@example.org");
    std::fs::write(&file, edited).unwrap();
    let r = d.json(&["import", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        (r["created"].as_u64(), r["updated"].as_u64()),
        (Some(0), Some(1)),
        "{r}"
    );
    let items = r["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["outcome"] == "update" && i["reason"].as_str().unwrap().contains("same UID")),
        "{r}"
    );
    let list = d.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    let ada = d.json(&["show", "Ada Lovelace", "--json"]);
    assert!(ada.to_string().contains("countess@example.org"), "{ada}");
    // Another diary importing the cards gives its contacts the same global ids: its export and
    // its sync write the same cards, not a second copy of each person.
    let e = Diary::new();
    e.ok(&["import", file.to_str().unwrap()]);
    let cards = e.ok(&["export", "--format", "vcf"]);
    assert_eq!(card_uids(&cards), want, "{cards}");
}

/// Two cards of one file with the same UID (another program's) are one contact, whatever their
/// names say.
#[test]
fn cards_of_one_file_with_one_uid_are_one_contact() {
    let d = Diary::new();
    let file = d.dir.path().join("phone.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1234\r\nFN:Grace Hopper\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1234\r\nFN:Grace B. Hopper\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let r = d.json(&["import", file.to_str().unwrap(), "--json"]);
    assert_eq!(r["created"].as_u64(), Some(1), "{r}");
    assert!(
        r["items"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("(same UID)"),
        "{r}"
    );
    let list = d.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
}
