//! Campaigns through the real binary: `log`, `plan` and `snooze` over several contacts or a
//! selection, one action and one undo, the guard per contact, dry runs and the JSON per contact.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-24";

pub struct Diary {
    _dir: TempDir,
    pub db: PathBuf,
}

impl Diary {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("diary.redb");
        Diary { _dir: dir, db }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("tickler").unwrap();
        c.env("TICKLER_DB", &self.db)
            .env("TICKLER_TODAY", TODAY)
            .env_remove("TICKLER_DEMO")
            .env("HOME", self.db.parent().unwrap())
            .env("XDG_DATA_HOME", self.db.parent().unwrap().join("data"));
        c
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} gave bad JSON ({e}): {out}"))
    }

    /// Fails with `code` and changes nothing (records and undo log); returns stdout and stderr.
    pub fn refused(&self, args: &[&str], code: i32) -> (String, String) {
        let before = self.state();
        let out = self.cmd().args(args).assert().code(code);
        let o = out.get_output();
        assert_eq!(before, self.state(), "{args:?} changed the database");
        (
            String::from_utf8(o.stdout.clone()).unwrap(),
            String::from_utf8(o.stderr.clone()).unwrap(),
        )
    }

    /// Everything the diary holds (the JSON export) and its undo log.
    pub fn state(&self) -> (String, String) {
        (
            self.ok(&["export", "--format", "json"]),
            self.ok(&["undo", "--list", "--json"]),
        )
    }

    pub fn undo_labels(&self) -> Vec<String> {
        let v = self.json(&["undo", "--list", "--json"]);
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["label"].as_str().unwrap().to_string())
            .collect()
    }

    /// Every touch of the diary (from the JSON export).
    pub fn touches(&self) -> Vec<Value> {
        let v = self.json(&["export", "--format", "json"]);
        v["touches"].as_array().unwrap().clone()
    }
}

/// Four prospects in a category, one of them tagged, one archived, one customer elsewhere.
fn diary() -> Diary {
    let d = Diary::new();
    d.ok(&["category", "add", "Prospects", "--cadence", "30d"]);
    for (name, extra) in [
        ("Ada Lovelace", vec!["--tag", "fair"]),
        ("Grace Hopper", vec!["--tag", "fair"]),
        ("Alan Turing", vec![]),
        ("Edsger Dijkstra", vec![]),
    ] {
        let mut args = vec![
            "add",
            name,
            "--category",
            "Prospects",
            "--email",
            "x@example.com",
        ];
        args.extend(extra);
        d.ok(&args);
    }
    d.ok(&["archive", "Edsger", "--reason", "no-interest"]);
    d.ok(&["add", "Linus Torvalds", "--stage", "customer"]);
    d
}

fn statuses(v: &Value) -> Vec<(String, String)> {
    v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_campaign_to_a_category_is_one_action_and_one_undo() {
    let d = diary();
    let before = d.touches().len();
    let v = d.json(&[
        "log",
        "--category",
        "prospects",
        "-c",
        "newsletter",
        "-s",
        "November issue",
        "--json",
    ]);
    assert_eq!(v["action"], "log");
    assert_eq!(v["selection"], "category prospects");
    // The archived contact is not selected; the customer is in no category.
    assert_eq!(
        statuses(&v),
        [
            ("Ada Lovelace".to_string(), "logged".to_string()),
            ("Grace Hopper".to_string(), "logged".to_string()),
            ("Alan Turing".to_string(), "logged".to_string()),
        ]
    );
    assert_eq!(v["done"], 3);
    let logged: Vec<&Value> = v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["touch"])
        .collect();
    assert!(logged.iter().all(|t| t["channel"] == "newsletter"
        && t["summary"] == "November issue"
        && t["state"] == "done"));
    let after = d.touches().len();
    assert!(after >= before + 3, "{before} -> {after}");
    let labels = d.undo_labels();
    assert_eq!(
        labels[0],
        "log newsletter with 3 contacts (category prospects)"
    );
    d.ok(&["undo"]);
    assert_eq!(
        d.touches().len(),
        before,
        "one undo reverts the whole campaign"
    );
}

#[test]
fn selections_combine_and_contacts_can_be_listed() {
    let d = diary();
    let v = d.json(&[
        "log",
        "--category",
        "Prospects",
        "--tag",
        "fair",
        "-c",
        "email",
        "--json",
    ]);
    let names: Vec<String> = statuses(&v).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper"]);
    let v = d.json(&["log", "--stage", "customer", "-c", "call", "--json"]);
    assert_eq!(statuses(&v), [("Linus Torvalds".into(), "logged".into())]);
    let v = d.json(&["log", "ada", "alan", "c2", "-c", "letter", "--json"]);
    let names: Vec<String> = statuses(&v).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Ada Lovelace", "Alan Turing", "Grace Hopper"]);
    // An archived contact is selected only by asking for the stage.
    let v = d.json(&["log", "--stage", "archived", "-c", "letter", "--json"]);
    assert_eq!(statuses(&v), [("Edsger Dijkstra".into(), "logged".into())]);
}

#[test]
fn the_guard_skips_contacts_per_contact_and_force_overrides() {
    let d = diary();
    d.ok(&["log", "Ada", "-c", "call", "-d", "yesterday"]);
    let out = d.ok(&["log", "--category", "Prospects", "-c", "email"]);
    assert!(
        out.starts_with("Logged email with 2 of 3 contacts (category Prospects); 1 skipped"),
        "{out}"
    );
    assert!(
        out.contains("skipped c1 Ada Lovelace: not logged: c1 Ada Lovelace: only 1 day(s)"),
        "{out}"
    );
    d.ok(&["undo"]);
    let v = d.json(&[
        "log",
        "--category",
        "Prospects",
        "-c",
        "email",
        "--force",
        "--json",
    ]);
    assert_eq!(v["done"], 3);
    assert_eq!(v["skipped"], 0);
    let ada = &v["contacts"][0];
    assert!(ada["warning"].as_str().unwrap().contains("minimum gap"));
}

#[test]
fn a_campaign_everyone_skips_exits_3_and_changes_nothing() {
    let d = diary();
    d.ok(&["log", "Ada", "Grace", "-c", "call", "-d", "yesterday"]);
    let (out, err) = d.refused(&["log", "--tag", "fair", "-c", "email"], 3);
    assert!(out.contains("skipped c1 Ada Lovelace"), "{out}");
    assert!(err.contains("--force"), "{err}");
}

#[test]
fn a_dry_run_shows_who_would_get_what_and_changes_nothing() {
    let d = diary();
    let (out, _) = d.refused(
        &[
            "log",
            "--category",
            "Prospects",
            "-c",
            "postcard",
            "--dry-run",
        ],
        0,
    );
    assert!(
        out.starts_with("Would log postcard with 3 of 3 contacts (category Prospects)"),
        "{out}"
    );
    assert!(out.contains("nothing was changed (dry run)"), "{out}");
    assert_eq!(out.lines().count(), 4, "{out}");
    let (json, _) = d.refused(&["plan", "--tag", "fair", "fri", "--dry-run", "--json"], 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["dry_run"], true);
    assert!(
        v["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "planned" && c["touch"]["date"] == "2026-11-27")
    );
}

#[test]
fn plan_and_snooze_take_several_contacts() {
    let d = diary();
    let v = d.json(&["plan", "ada", "grace", "fri", "-c", "call", "--json"]);
    assert_eq!(v["done"], 2);
    for c in v["contacts"].as_array().unwrap() {
        assert_eq!(c["touch"]["date"], "2026-11-27");
        assert_eq!(c["touch"]["channel"], "call");
    }
    // Without a day the planner picks one per contact.
    let v = d.json(&["plan", "ada", "alan", "--json"]);
    assert_eq!(v["done"], 2);
    let v = d.json(&["snooze", "--tag", "fair", "+2w", "--json"]);
    assert_eq!(v["action"], "snooze");
    assert!(
        v["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "snoozed" && c["snoozed_until"].is_string())
    );
    assert_eq!(
        d.undo_labels()[0],
        "snooze until 2026-12-08 for 2 contacts (tag fair)"
    );
}

#[test]
fn a_single_contact_works_as_before() {
    let d = diary();
    let out = d.ok(&["log", "ada", "-c", "email", "-s", "hello"]);
    assert!(
        out.starts_with("Logged email with c1 Ada Lovelace"),
        "{out}"
    );
    assert_eq!(d.undo_labels()[0], "log email with c1 Ada Lovelace");
    let out = d.ok(&["plan", "grace", "2026-12-01", "-c", "call"]);
    assert!(
        out.starts_with("Planned call with c2 Grace Hopper"),
        "{out}"
    );
    let out = d.ok(&["snooze", "alan", "+1w"]);
    assert!(out.starts_with("Snoozed c3 Alan Turing until"), "{out}");
    // --json on a single contact: the same record as for a campaign.
    let v = d.json(&["log", "linus", "-c", "call", "--json"]);
    assert_eq!(v["done"], 1);
    assert_eq!(v["contacts"][0]["status"], "logged");
    assert_eq!(v["selection"], Value::Null);
}

#[test]
fn bad_selections_are_refused() {
    let d = diary();
    let (_, err) = d.refused(&["log", "ada", "--tag", "fair"], 2);
    assert!(err.contains("not both"), "{err}");
    let (_, err) = d.refused(&["log", "--tag", "nobody"], 2);
    assert!(err.contains("no contact matches the selection"), "{err}");
    let (_, err) = d.refused(&["log", "--category", "Suppliers"], 2);
    assert!(err.contains("no category 'Suppliers'"), "{err}");
    let (_, err) = d.refused(&["log", "ada", "zed"], 2);
    assert!(err.contains("no contact matches 'zed'"), "{err}");
    let (_, err) = d.refused(&["log", "--tag", "fair", "-d", "tomorrow"], 2);
    assert!(err.contains("in the future"), "{err}");
    let (_, err) = d.refused(&["plan", "--tag", "fair", "ada"], 2);
    assert!(err.contains("only the day"), "{err}");
    d.refused(&["log"], 2);
}
