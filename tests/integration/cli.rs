//! The CLI through the real binary (assert_cmd), on a fresh database per test and a fixed today.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::PathBuf;
use tempfile::TempDir;

const TODAY: &str = "2026-11-24";

struct Diary {
    _dir: TempDir,
    db: PathBuf,
}

impl Diary {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("diary.redb");
        Diary { _dir: dir, db }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("tickler").unwrap();
        c.env("TICKLER_DB", &self.db)
            .env("TICKLER_TODAY", TODAY)
            .env_remove("TICKLER_DEMO")
            .env("HOME", self.db.parent().unwrap())
            .env("XDG_DATA_HOME", self.db.parent().unwrap().join("data"));
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

    /// Fails with exit code `code`, prints one line to stderr, and changes nothing: not a record,
    /// not the undo log. (The file's bytes may change: an action checks its rules inside its
    /// write transaction, and opening a file for writing touches it.)
    fn refused(&self, args: &[&str], code: i32) -> String {
        let before = self.state();
        let out = self.cmd().args(args).assert().code(code);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert_eq!(
            err.trim().lines().count(),
            1,
            "one-line error expected: {err}"
        );
        assert_eq!(before, self.state(), "{args:?} changed the database");
        err
    }

    /// Everything the diary holds (the JSON export) and its undo log; `None` without a file.
    fn state(&self) -> Option<(String, String)> {
        if !self.db.exists() {
            return None;
        }
        let read = |args: &[&str]| {
            let out = self.cmd().args(args).assert().success();
            String::from_utf8(out.get_output().stdout.clone()).unwrap()
        };
        Some((
            read(&["export", "--format", "json"]),
            read(&["undo", "--list", "--json"]),
        ))
    }
}

fn ids(v: &Value, key: &str) -> Vec<u64> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["contact_id"].as_u64().unwrap())
        .collect()
}

#[test]
fn add_show_round_trip() {
    let d = Diary::new();
    d.ok(&[
        "category",
        "add",
        "Key accounts",
        "--cadence",
        "30d",
        "--priority",
        "1",
    ]);
    let out = d.ok(&[
        "add",
        "Ada Lovelace",
        "--company",
        "Analytical Engines",
        "--email",
        "ada@example.com",
        "--phone",
        "+44 20 7946 0958",
        "--birthday",
        "1815-12-10",
        "--category",
        "key accounts",
        "--tag",
        "VIP",
        "--note",
        "likes punch cards",
    ]);
    assert!(out.contains("Added c1 Ada Lovelace"), "{out}");
    let v = d.json(&["show", "ada", "--json"]);
    let c = &v["contact"];
    assert_eq!(c["id"], 1);
    assert_eq!(c["name"], "Ada Lovelace");
    assert_eq!(c["company"], "Analytical Engines");
    assert_eq!(c["emails"][0], "ada@example.com");
    assert_eq!(c["birthday"], "1815-12-10");
    assert_eq!(c["category"], "Key accounts");
    assert_eq!(c["tags"][0], "vip");
    assert_eq!(c["stage"], "lead");
    assert_eq!(c["cadence"], "30d");
    assert_eq!(c["notes"], "likes punch cards");
    assert_eq!(v["next_due"]["contact_id"], 1);
    assert_eq!(v["unreachable"], false);
}

#[test]
fn bad_input_exits_2_and_changes_nothing() {
    let d = Diary::new();
    d.ok(&["add", "Grace Hopper", "--email", "grace@example.com"]);
    d.refused(&["add", "   "], 2);
    d.refused(&["add", "Bell\u{7}Labs"], 2);
    d.refused(&["log", "grace", "--channel", "pigeon"], 2);
    d.refused(&["log", "grace", "--date", "2026-02-31"], 2);
    d.refused(&["log", "grace", "--date", "tomorrow"], 2);
    d.refused(&["sale", "grace", "-5"], 2);
    d.refused(&["sale", "grace", "12.345"], 2);
    d.refused(&["add", "Alan", "--birthday", "2027-02-29"], 2);
    d.refused(&["add", "Alan", "--cadence", "often"], 2);
    d.refused(&["plan", "grace", "yesterday"], 2);
    d.refused(&["show", "nobody"], 2);
    d.refused(&["show", "c999"], 2);
    d.refused(&["move", "grace", "stay-in-touch"], 2); // no reason and no terminal
    d.refused(&["move", "grace", "heaven", "--reason", "no-need"], 2);
    d.refused(&["settings", "set", "fiscal_year_start_month", "13"], 2);
    d.refused(&["settings", "set", "no_such_setting", "1"], 2);
    let err = d.refused(&["--today", "someday", "due"], 2);
    assert!(err.contains("TICKLER_TODAY"), "{err}");
}

#[test]
fn oversized_note_is_refused() {
    let d = Diary::new();
    d.ok(&["add", "Grace Hopper"]);
    let big = d.db.parent().unwrap().join("big.txt");
    std::fs::write(&big, "x".repeat(1024 * 1024 + 1)).unwrap();
    let err = d.refused(&["edit", "grace", "--note-file", big.to_str().unwrap()], 2);
    assert!(err.contains("limit"), "{err}");
    std::fs::write(&big, "x".repeat(1024 * 1024)).unwrap();
    d.ok(&["edit", "grace", "--note-file", big.to_str().unwrap()]);
}

#[test]
fn ambiguous_name_lists_candidates() {
    let d = Diary::new();
    d.ok(&["add", "Ann Smith", "--company", "North"]);
    d.ok(&["add", "Ann Jones", "--company", "South"]);
    let err = d.refused(&["log", "ann"], 2);
    assert!(
        err.contains("c1 Ann Smith (North)") && err.contains("c2 Ann Jones (South)"),
        "{err}"
    );
    d.ok(&[
        "log",
        "c2",
        "--channel",
        "email",
        "--summary",
        "sent the price list",
    ]);
    d.ok(&["log", "jones"]);
}

#[test]
fn log_completes_the_planned_touch_and_undo_reverts_it() {
    let d = Diary::new();
    d.ok(&["add", "Linus", "--email", "l@example.com"]);
    d.ok(&["plan", "linus", "2026-11-30", "--channel", "email"]);
    let before = d.json(&["show", "linus", "--json"]);
    assert_eq!(before["planned"].as_array().unwrap().len(), 1);
    assert_eq!(before["next_due"]["reason"], "planned");

    d.ok(&[
        "--today",
        "2026-12-01",
        "log",
        "linus",
        "--channel",
        "email",
        "--summary",
        "sent the article",
    ]);
    let after = d.json(&["--today", "2026-12-01", "show", "linus", "--json"]);
    assert_eq!(after["history"][0]["summary"], "sent the article");
    assert_eq!(after["history"][0]["state"], "done");
    assert_eq!(after["history"][0]["id"], before["planned"][0]["id"]);
    // The loop closes: the planned email became the logged one, and the next touch is confirmed
    // one cadence (30 days) on, not left adrift.
    let planned = after["planned"].as_array().unwrap();
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0]["date"], "2026-12-31");
    assert_eq!(after["next_due"]["reason"], "planned");
    assert_eq!(after["next_due"]["adrift"], false);

    let out = d.ok(&["undo"]);
    assert!(out.contains("log email"), "{out}");
    let undone = d.json(&["show", "linus", "--json"]);
    assert_eq!(undone["planned"], before["planned"]);
    assert_eq!(undone["history"], before["history"]);
}

#[test]
fn plan_inside_the_guard_exits_3() {
    let d = Diary::new();
    d.ok(&["add", "Margaret", "--phone", "555 0101"]);
    d.ok(&["log", "margaret"]);
    let err = d.refused(&["plan", "margaret", "tomorrow"], 3);
    assert!(err.contains("minimum gap"), "{err}");
    d.ok(&["plan", "margaret", "tomorrow", "--force"]);
}

#[test]
fn plan_without_a_date_levels_the_load() {
    let d = Diary::new();
    d.ok(&["settings", "set", "daily_cap", "1"]);
    for name in ["Ann", "Bob", "Cid"] {
        d.ok(&[
            "add",
            name,
            "--email",
            &format!("{}@example.com", name.to_lowercase()),
        ]);
    }
    for name in ["ann", "bob", "cid"] {
        d.ok(&["plan", name]);
    }
    let agenda = d.json(&["agenda", "--from", "today", "--days", "7", "--json"]);
    let mut dates: Vec<String> = agenda["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|day| !day["items"].as_array().unwrap().is_empty())
        .map(|day| day["date"].as_str().unwrap().to_string())
        .collect();
    dates.dedup();
    assert_eq!(
        dates.len(),
        3,
        "three planned touches on three days: {agenda}"
    );
}

#[test]
fn move_out_and_back_and_archive_restore() {
    let d = Diary::new();
    d.ok(&[
        "add",
        "Barbara",
        "--email",
        "b@example.com",
        "--stage",
        "proposal",
    ]);
    d.ok(&[
        "move",
        "barbara",
        "stay-in-touch",
        "--reason",
        "no-hurry:procrastinate",
    ]);
    let v = d.json(&["show", "barbara", "--json"]);
    assert_eq!(v["contact"]["stage"], "stay-in-touch");
    assert_eq!(v["contact"]["no_reason"], "no-hurry:procrastinate");
    d.ok(&["archive", "barbara", "--reason", "no-interest"]);
    let v = d.json(&["show", "barbara", "--json"]);
    assert_eq!(v["contact"]["stage"], "archived");
    assert!(v["next_due"].is_null());
    let listed = d.json(&["list", "--json"]);
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "archived contacts are hidden"
    );
    d.ok(&["restore", "barbara"]);
    let v = d.json(&["show", "barbara", "--json"]);
    assert_eq!(v["contact"]["stage"], "stay-in-touch");
    d.ok(&["move", "barbara", "qualified"]);
    let v = d.json(&["show", "barbara", "--json"]);
    assert_eq!(v["contact"]["stage"], "qualified");
    assert!(v["contact"]["no_reason"].is_null());
}

#[test]
fn lybunt_lists_last_years_buyers() {
    let d = Diary::new();
    d.ok(&[
        "add",
        "Old Faithful",
        "--email",
        "of@example.com",
        "--stage",
        "customer",
    ]);
    d.ok(&[
        "add",
        "New Buyer",
        "--email",
        "nb@example.com",
        "--stage",
        "customer",
    ]);
    d.ok(&["sale", "old", "5000", "--date", "2025-06-01"]);
    d.ok(&["sale", "new", "100", "--date", "2025-06-01"]);
    d.ok(&["sale", "new", "100", "--date", "2026-03-01"]);
    let v = d.json(&["lybunt", "--json"]);
    assert_eq!(v["total_cents"], 500_000);
    assert_eq!(ids(&v, "items"), vec![1]);
    assert_eq!(
        v["items"][0]["at_risk"], true,
        "late November: under a quarter of the year left"
    );
    assert_eq!(v["previous_year"]["start"], "2025-01-01");
}

#[test]
fn due_and_agenda_on_the_demo() {
    let d = Diary::new();
    let out = d.ok(&["demo", "--contacts", "300", "--seed", "3"]);
    assert!(out.contains("Generated 300 contacts"), "{out}");
    let due = d.json(&["due", "--json"]);
    assert_eq!(due["today"], TODAY);
    let items = due["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["date"].as_str().unwrap() <= TODAY));
    let agenda = d.json(&["agenda", "--json"]);
    assert_eq!(agenda["from"], "2026-11-23");
    assert_eq!(agenda["to"], "2026-11-29");
    assert_eq!(
        agenda["days"].as_array().unwrap().len(),
        6,
        "today through Sunday"
    );
    let lines = d.ok(&["due"]);
    assert_eq!(lines.lines().count(), items.len());
    // Demo generation refuses a database that has data.
    d.cmd()
        .args(["demo"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not empty"));
}

#[test]
fn demo_is_deterministic() {
    let a = Diary::new();
    let b = Diary::new();
    a.ok(&["demo", "--contacts", "200", "--seed", "9"]);
    b.ok(&["demo", "--contacts", "200", "--seed", "9"]);
    let args = ["agenda", "--days", "14", "--json"];
    assert_eq!(a.json(&args), b.json(&args));
    assert_eq!(a.json(&["lybunt", "--json"]), b.json(&["lybunt", "--json"]));
}

#[test]
fn snooze_moves_the_due_date_and_planned_touches() {
    let d = Diary::new();
    d.ok(&["add", "Ken", "--email", "k@example.com"]);
    d.ok(&["plan", "ken", "2026-11-26"]);
    d.ok(&["snooze", "ken", "2026-12-10", "--exact"]);
    let v = d.json(&["show", "ken", "--json"]);
    assert_eq!(v["contact"]["snoozed_until"], "2026-12-10");
    assert_eq!(v["planned"][0]["date"], "2026-12-10");
    assert_eq!(v["next_due"]["date"], "2026-12-10");
}

#[test]
fn review_finds_unreachable_and_adrift() {
    let d = Diary::new();
    d.ok(&["add", "Nobody Known"]);
    d.ok(&["add", "Reachable", "--email", "r@example.com"]);
    d.ok(&["plan", "reachable", "+7d"]);
    let v = d.json(&["review", "--json"]);
    assert_eq!(ids(&v, "unreachable"), vec![1]);
    assert_eq!(ids(&v, "adrift"), vec![1]);
}

#[test]
fn demo_flag_never_touches_the_real_diary() {
    let d = Diary::new();
    let out = d.ok(&["--demo", "agenda"]);
    assert!(out.starts_with("Agenda "), "{out}");
    assert!(!d.db.exists(), "--demo created or opened the real diary");
}

#[test]
fn help_and_version() {
    let d = Diary::new();
    d.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("agenda"));
    d.cmd().arg("--version").assert().success();
    d.cmd().arg("frobnicate").assert().code(2);
}

#[test]
fn insights_follow_the_stage_history() {
    let d = Diary::new();
    let on = |day: &str, args: &[&str]| {
        let mut all = vec!["--today", day];
        all.extend_from_slice(args);
        d.ok(&all);
    };
    on(
        "2026-01-05",
        &["add", "Barbara", "--email", "b@example.com"],
    );
    on("2026-02-01", &["log", "barbara", "--channel", "call"]);
    on("2026-02-20", &["move", "barbara", "qualified"]);
    on(
        "2026-03-01",
        &["move", "barbara", "stay-in-touch", "--reason", "no-money"],
    );
    on("2026-05-01", &["move", "barbara", "proposal"]);
    d.ok(&[
        "add",
        "Carl",
        "--email",
        "c@example.com",
        "--stage",
        "customer",
    ]);
    d.ok(&["sale", "carl", "100", "--date", "2025-06-01"]);
    let v = d.json(&["insights", "--json"]);
    assert_eq!(v["today"], TODAY);
    let stage = |i: usize| &v["pipeline"]["stages"][i];
    assert_eq!(stage(0)["stage"], "lead");
    assert_eq!(stage(0)["median_days"], 46);
    assert_eq!(stage(1)["median_days"], 9);
    assert_eq!(stage(2)["contacts"], 1);
    assert_eq!(stage(3)["contacts"], 1);
    assert_eq!(stage(4)["median_days"], 61);
    let money = &v["no_reasons"]["reasons"][2];
    assert_eq!(money["reason"], "no-money");
    assert_eq!(
        (money["said_no"].as_u64(), money["came_back"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["lybunt"]["total_cents"], 10_000);
    assert_eq!(v["lybunt"]["months"][5]["cents"], 10_000);
    let call = &v["channels"]["channels"][0];
    assert_eq!(call["channel"], "call");
    assert_eq!(
        (call["touches"].as_u64(), call["followed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["keeping_in_touch"]["kept"], 2);
    assert_eq!(v["keeping_in_touch"]["weeks"].as_array().unwrap().len(), 26);
    let text = d.ok(&["insights"]);
    assert!(
        text.contains("Why they said no: 1 no, 1 came back"),
        "{text}"
    );
    assert!(text.contains("100.00 EUR at stake"), "{text}");
}
