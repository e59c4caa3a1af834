//! One table of the method's rules, run through both front ends: each case sets up a diary with
//! the CLI, copies it, then types the same command line into `tickler` (the binary) and into the
//! full-screen diary's `:` line (its update and effects on the copy). Both must refuse alike (the
//! same words; the CLI's exit code) or both succeed, and leave the two diaries identical: every
//! record and the undo log.

use assert_cmd::Command;
use chrono::{Days, NaiveDate};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tickler::store::Store;
use tickler::tui::model::Model;

const TODAY: &str = "2026-11-24";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn day(n: u64) -> String {
    today().checked_add_days(Days::new(n)).unwrap().to_string()
}

fn cli(db: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("tickler")
        .unwrap()
        .args(args)
        .env("TICKLER_DB", db)
        .env("TICKLER_TODAY", TODAY)
        .env("HOME", db.parent().unwrap())
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = cli(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

/// What a case expects of both front ends.
enum Expect {
    /// Done; then this holds of `tickler show c1 --json`.
    Done(fn(&Value)),
    /// Refused with this exit code (CLI), saying this (both), changing nothing.
    Refused(i32, &'static str),
}

struct Case {
    name: &'static str,
    setup: Vec<Vec<String>>,
    line: String,
    expect: Expect,
}

fn case(name: &'static str, setup: &[&str], line: &str, expect: Expect) -> Case {
    Case {
        name,
        setup: setup
            .iter()
            .map(|l| shlex::split(l).unwrap_or_default())
            .collect(),
        line: line.to_string(),
        expect,
    }
}

/// Type `line` into the diary's `:` command line and press Enter.
fn type_line(store: &Store, m: &mut Model, line: &str) {
    let keys = std::iter::once(KeyCode::Char(':'))
        .chain(line.chars().map(KeyCode::Char))
        .chain(std::iter::once(KeyCode::Enter));
    for code in keys {
        tickler::tui::handle_key(store, m, &KeyEvent::new(code, KeyModifiers::NONE));
    }
}

/// Everything a diary holds, and its undo log (labels only).
/// The whole diary and its undo log. Global ids are left out: each diary draws its own for the
/// records it creates (they are random by design).
fn state(db: &Path) -> (String, String) {
    let mut export: Value = serde_json::from_str(&ok(db, &["export", "--format", "json"])).unwrap();
    if let Some(o) = export.as_object_mut() {
        o.remove("global_ids");
    }
    (export.to_string(), ok(db, &["undo", "--list"]))
}

fn planned(show: &Value) -> Vec<&Value> {
    show["planned"].as_array().unwrap().iter().collect()
}

fn history_states(show: &Value) -> Vec<(String, String)> {
    show["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["date"].as_str().unwrap().to_string(),
                t["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn cases() -> Vec<Case> {
    let ada = "add Ada Lovelace --phone '+44 1' --email ada@example.com";
    vec![
        case(
            "plan inside the annoyance guard is refused (exit 3) by both",
            &[ada, "log ada"],
            "plan ada +1d",
            Expect::Refused(3, "the minimum gap is 3 days"),
        ),
        case(
            "plan --force overrides the guard in both",
            &[ada, "log ada"],
            "plan ada +1d --force",
            Expect::Done(|s| assert!(planned(s).iter().any(|t| t["date"] == day(1)))),
        ),
        case(
            "plan in the past is refused",
            &[ada],
            "plan ada yesterday",
            Expect::Refused(2, "is in the past"),
        ),
        case(
            "snoozing an archived contact is refused by both",
            &[ada, "archive ada --reason no-need"],
            "snooze ada +1w",
            Expect::Refused(2, "is archived"),
        ),
        case(
            "planning for an archived contact is refused",
            &[ada, "archive ada --reason no-need"],
            "plan ada +1w",
            Expect::Refused(2, "is archived"),
        ),
        case(
            "an exact name wins over partial matches in both",
            &["add Ann", "add Ann Smith"],
            "log ann -c email -s 'sent the report'",
            Expect::Done(|s| {
                assert_eq!(s["contact"]["name"], "Ann");
                assert_eq!(s["history"][0]["summary"], "sent the report");
            }),
        ),
        case(
            "a part of two names is ambiguous in both",
            &["add Ann Jones", "add Ann Smith"],
            "log ann",
            Expect::Refused(2, "matches 2 contacts"),
        ),
        case(
            "a log in the future is refused",
            &[ada],
            "log ada -d tomorrow",
            Expect::Refused(2, "is in the future"),
        ),
        case(
            "a log two weeks back (-2w after a flag) is taken",
            &[ada],
            "log ada -d -2w -c letter",
            Expect::Done(|s| assert_eq!(s["history"][0]["date"], "2026-11-10")),
        ),
        case(
            "a log completes the planned touch it fulfils early, and plans the next",
            &[ada, "plan ada +2d -c email -s 'the article'"],
            "log ada -c email --in",
            Expect::Done(|s| {
                assert_eq!(history_states(s), vec![(TODAY.to_string(), "done".into())]);
                assert_eq!(s["history"][0]["summary"], "the article");
                let p = planned(s);
                assert_eq!(p.len(), 1, "{p:?}");
                assert!(p[0]["date"].as_str().unwrap() >= day(28).as_str());
                assert_eq!(s["next_due"]["adrift"], false);
            }),
        ),
        case(
            "--keep-planned keeps it",
            &[ada, "plan ada +2d -c email"],
            "log ada -c email --keep-planned",
            Expect::Done(|s| {
                assert_eq!(planned(s).len(), 1);
                assert_eq!(planned(s)[0]["date"], day(2));
            }),
        ),
        case(
            "a touch logged today never brings a LYBUNT customer back within the week",
            &[ada, "move ada customer", "sale ada 5000 -d 2025-06-01"],
            "log ada",
            Expect::Done(|s| {
                let next = s["next_due"]["date"].as_str().unwrap();
                assert!(next >= day(7).as_str(), "{next}");
            }),
        ),
        case(
            "moving out calls off the planned touches and plans the retry",
            &[ada, "plan ada +10d -c email"],
            "move ada stay-in-touch --reason no-interest",
            Expect::Done(|s| {
                let p = planned(s);
                assert_eq!(p.len(), 1, "{p:?}");
                assert_eq!(p[0]["date"], "2027-11-24");
                assert_eq!(p[0]["channel"], "call");
                assert!(history_states(s).contains(&(day(10), "cancelled".into())));
            }),
        ),
        case(
            "no money retries at the next fiscal year",
            &[ada],
            "move ada stay-in-touch --reason no-money",
            Expect::Done(|s| assert_eq!(planned(s)[0]["date"], "2027-01-01")),
        ),
        case(
            "moving out with --keep-planned keeps them, and still plans the retry",
            &[ada, "plan ada +10d -c email"],
            "move ada stay-in-touch --reason no-hurry --keep-planned",
            Expect::Done(|s| {
                let dates: Vec<&str> = planned(s)
                    .iter()
                    .map(|t| t["date"].as_str().unwrap())
                    .collect();
                assert_eq!(dates, vec![day(10).as_str(), "2027-02-22"]);
            }),
        ),
        case(
            "archiving calls them off and plans no retry",
            &[ada, "plan ada +10d"],
            "archive ada --reason not-a-fit",
            Expect::Done(|s| {
                assert!(planned(s).is_empty());
                assert!(s["next_due"].is_null());
            }),
        ),
        case(
            "moving to the stage it has is refused",
            &[ada],
            "move ada lead",
            Expect::Refused(2, "is already lead"),
        ),
        case(
            "restoring a contact that is not archived is refused",
            &[ada],
            "restore ada",
            Expect::Refused(2, "is not archived"),
        ),
        case(
            "a sale in the future is refused",
            &[ada],
            "sale ada 100 -d tomorrow",
            Expect::Refused(2, "record sales once made"),
        ),
        case(
            "an edit that changes nothing is refused",
            &[ada],
            "edit ada --name 'Ada Lovelace'",
            Expect::Refused(2, "nothing to change"),
        ),
        case(
            "removing a tag it does not have is refused",
            &[ada],
            "edit ada --remove-tag vip",
            Expect::Refused(2, "has no tag 'vip'"),
        ),
        case(
            "an edit of one field leaves the others as they are",
            &[ada, "edit ada --add-tag vip --append-note 'first line'"],
            "edit ada --add-tag board",
            Expect::Done(|s| {
                assert_eq!(s["contact"]["tags"], serde_json::json!(["vip", "board"]));
                assert_eq!(s["contact"]["notes"], "first line");
            }),
        ),
        case(
            "skip: the planned touch is skipped and the next one planned a cadence on",
            &[ada, "plan ada +1d -c letter"],
            "skip ada",
            Expect::Done(|s| {
                assert!(history_states(s).contains(&(day(1), "skipped".into())));
                assert_eq!(planned(s).len(), 1);
            }),
        ),
        case(
            "cancel calls off the planned touch",
            &[ada, "plan ada +5d"],
            "cancel ada",
            Expect::Done(|s| {
                assert!(planned(s).is_empty());
                assert_eq!(s["next_due"]["adrift"], true);
            }),
        ),
        case(
            "cancel with nothing planned is refused",
            &[ada],
            "cancel ada",
            Expect::Refused(2, "has no planned touch"),
        ),
        case(
            "rescheduling into the guard is refused",
            &[ada, "log ada", "plan ada +10d"],
            "reschedule ada tomorrow",
            Expect::Refused(3, "the minimum gap is 3 days"),
        ),
        case(
            "a setting out of range is refused by both",
            &[ada],
            "settings set fiscal_year_start_month 13",
            Expect::Refused(2, "from 1 to 12"),
        ),
    ]
}

/// A fresh diary with `setup` run through the CLI, and a copy of it.
fn diaries(dir: &Path, setup: &[Vec<String>]) -> (PathBuf, PathBuf) {
    let a = dir.join("cli.redb");
    for args in setup {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(&a, &args);
    }
    let b = dir.join("tui.redb");
    std::fs::copy(&a, &b).unwrap();
    (a, b)
}

/// The line through the full-screen diary on `db`: (error?, status text).
fn through_the_tui(db: &Path, line: &str) -> (bool, String) {
    let store = Store::open(db).unwrap();
    let mut m = tickler::tui::load(&store, today(), "tui.redb".to_string()).unwrap();
    type_line(&store, &mut m, line);
    (m.status.error, m.status.text.clone())
}

#[test]
fn every_rule_is_the_same_from_the_cli_and_the_tui() {
    for c in cases() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = diaries(dir.path(), &c.setup);
        let before = state(&a);
        let words = shlex::split(&c.line).unwrap();
        let out = cli(&a, &words.iter().map(String::as_str).collect::<Vec<_>>());
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let (tui_error, tui_says) = through_the_tui(&b, &c.line);
        match c.expect {
            Expect::Refused(code, says) => {
                assert_eq!(out.status.code(), Some(code), "{}: CLI {stderr}", c.name);
                assert!(stderr.contains(says), "{}: CLI said {stderr}", c.name);
                assert!(tui_error, "{}: TUI accepted it: {tui_says}", c.name);
                assert!(tui_says.contains(says), "{}: TUI said {tui_says}", c.name);
                assert_eq!(state(&a), before, "{}: the CLI changed the diary", c.name);
            }
            Expect::Done(check) => {
                assert!(out.status.success(), "{}: CLI {stderr}", c.name);
                assert!(!tui_error, "{}: TUI refused: {tui_says}", c.name);
                check(&json(&a, &["show", "c1", "--json"]));
            }
        }
        assert_eq!(state(&a), state(&b), "{}: the two diaries differ", c.name);
    }
}
