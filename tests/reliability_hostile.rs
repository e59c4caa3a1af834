//! Reliability, hostile use: what a careless or hostile user can do with the real binary must not
//! overwrite a database, prune the wrong backup, undo across a restore, inject terminal escapes,
//! hang on a config file, leak private data into logs, or accept dates and amounts nothing can
//! show. Each test drives `tickler` as a user would and checks the file, the output and the exit.

mod common;
mod store_support;

use std::path::{Path, PathBuf};
use std::process::Output;
use store_support::tickler;
use tickler::store::Store;

fn run(db: &Path, args: &[&str]) -> Output {
    tickler(db).args(args).output().unwrap()
}

fn err(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn out(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run and require success; stdout.
fn ok(db: &Path, args: &[&str]) -> String {
    let o = run(db, args);
    assert!(o.status.success(), "{args:?}: {}", err(&o));
    out(&o)
}

/// Run and require exit `code` with `says` in stderr.
fn refused(db: &Path, args: &[&str], code: i32, says: &str) -> String {
    let o = run(db, args);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {}", err(&o));
    assert!(
        err(&o).contains(says),
        "{args:?}: expected '{says}' in: {}",
        err(&o)
    );
    err(&o)
}

/// A small diary with two contacts, in a fresh directory.
fn diary() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.redb");
    ok(&db, &["add", "Ada Lovelace"]);
    ok(&db, &["add", "Charles Babbage"]);
    (dir, db)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn no_export_or_backup_writes_over_a_database() {
    let (dir, db) = diary();
    let before = std::fs::read(&db).unwrap();
    for format in ["csv", "json", "ics"] {
        let e = refused(
            &db,
            &["export", "--format", format, "-o", s(&db)],
            1,
            "is a tickler database",
        );
        assert!(e.contains(s(&db)), "names the file: {e}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{format}: the diary is unchanged"
        );
    }
    // Through a link, and over another tickler database (a backup).
    let link = dir.path().join("out.csv");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    refused(
        &db,
        &["export", "--format", "csv", "-o", s(&link)],
        1,
        "is a tickler database",
    );
    let other = dir.path().join("other.redb");
    ok(&other, &["add", "Someone Else"]);
    let other_before = std::fs::read(&other).unwrap();
    refused(
        &db,
        &["export", "--format", "json", "-o", s(&other)],
        1,
        "is a tickler database",
    );
    assert_eq!(std::fs::read(&other).unwrap(), other_before);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // A backup never replaces the database it copies (a diary named like a backup, backed up
    // into its own directory).
    let named = dir
        .path()
        .join(format!("tickler-{}.redb", store_support::TODAY));
    std::fs::copy(&db, &named).unwrap();
    let named_before = std::fs::read(&named).unwrap();
    refused(
        &named,
        &["backup", s(dir.path())],
        1,
        "the database being backed up",
    );
    assert_eq!(std::fs::read(&named).unwrap(), named_before);
    // A file of a backup's name that is not a database is not replaced either.
    let bk = dir.path().join("bk");
    std::fs::create_dir(&bk).unwrap();
    let mine = bk.join(format!("tickler-{}.redb", store_support::TODAY));
    std::fs::write(&mine, b"my own notes").unwrap();
    refused(&db, &["backup", s(&bk)], 1, "is not a backup");
    assert_eq!(std::fs::read(&mine).unwrap(), b"my own notes");
    // Every database is still sound, and an ordinary export still works.
    ok(&db, &["check"]);
    ok(&other, &["check"]);
    ok(
        &db,
        &[
            "export",
            "--format",
            "csv",
            "-o",
            s(&dir.path().join("fine.csv")),
        ],
    );
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

#[test]
fn backups_are_pruned_by_their_own_age_and_only_tickler_s() {
    let (dir, db) = diary();
    let bk = dir.path().join("bk");
    let backup = |today: &str, keep: &str| {
        let o = tickler(&db)
            .env("TICKLER_TODAY", today)
            .args(["backup", s(&bk), "--keep", keep])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", err(&o));
        out(&o)
    };
    // A backup made with a wrong date (2030) must not make every later one delete itself.
    backup("2030-01-01", "1");
    let said = backup("2026-11-24", "1");
    assert!(said.contains("tickler-2026-11-24.redb"), "{said}");
    assert_eq!(
        names(&bk),
        ["tickler-2026-11-24.redb"],
        "the newest by age is kept"
    );
    backup("2030-01-01", "2");
    backup("2026-11-25", "2");
    assert_eq!(
        names(&bk),
        ["tickler-2026-11-25.redb", "tickler-2030-01-01.redb"],
        "keep 2: the two made last"
    );
    // A file put there by hand, even a real diary with a backup's name, is never pruned; nor is
    // a backup changed since tickler wrote it.
    let foreign = bk.join("tickler-2020-01-01.redb");
    std::fs::copy(&db, &foreign).unwrap();
    let changed = bk.join("tickler-2026-11-25.redb");
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(&changed)
        .unwrap();
    f.set_modified(std::time::SystemTime::now()).unwrap();
    drop(f);
    backup("2026-11-26", "1");
    backup("2026-11-27", "1");
    assert_eq!(
        names(&bk),
        [
            "tickler-2020-01-01.redb",
            "tickler-2026-11-25.redb",
            "tickler-2026-11-27.redb"
        ]
    );
    let copy = Store::open(&bk.join("tickler-2026-11-27.redb")).unwrap();
    assert_eq!(copy.contact_count().unwrap(), 2);
}

/// The full-screen diary in a 250-column tmux pane on `db`, with `config_home` as
/// XDG_CONFIG_HOME; the session name.
fn tui(name: &str, db: &Path, config_home: &Path, extra_env: &str) -> String {
    let session = format!("tickler-hostile-{name}-{}", std::process::id());
    let cmd = format!(
        "env TICKLER_DB='{}' TICKLER_TODAY={} XDG_CONFIG_HOME='{}' XDG_DATA_HOME='{}' NO_COLOR=1 {extra_env} '{}'",
        db.display(),
        store_support::TODAY,
        config_home.display(),
        config_home.display(),
        common::BIN
    );
    common::tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "250",
        "-y",
        "30",
        &cmd,
    ]);
    session
}

fn quit(session: &str) {
    common::tmux(&["send-keys", "-t", session, "q"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    common::tmux(&["kill-session", "-t", session]);
}

#[test]
fn a_hostile_config_file_never_hangs_and_applies_all_or_nothing() {
    if !common::have_tmux() {
        return;
    }
    let (dir, db) = diary();
    let home = dir.path().join("cfg");
    let config_dir = home.join("tickler");
    std::fs::create_dir_all(&config_dir).unwrap();
    let config = config_dir.join("config.toml");
    type Make<'a> = Box<dyn Fn() + 'a>;
    let cases: Vec<(&str, Make, &str)> = vec![
        (
            "fifo",
            Box::new(|| {
                let ok = std::process::Command::new("mkfifo")
                    .arg(&config)
                    .status()
                    .unwrap();
                assert!(ok.success());
            }),
            "is not a regular file (a FIFO)",
        ),
        (
            "zero",
            Box::new(|| std::os::unix::fs::symlink("/dev/zero", &config).unwrap()),
            "is not a regular file (a device)",
        ),
        (
            "suspend",
            Box::new(|| {
                std::fs::write(&config, "theme = \"light\"\n[keys]\nsuspend = \"e\"\n").unwrap()
            }),
            "config.toml:3:11: keys.suspend = \"e\": suspend works in every state",
        ),
        (
            "conflict",
            Box::new(|| std::fs::write(&config, "[keys]\nquit = \"q\"\nundo = \"q\"\n").unwrap()),
            "config.toml:3:8: keys.quit and keys.undo both use \"q\"",
        ),
    ];
    for (name, make, says) in cases {
        let _ = std::fs::remove_file(&config);
        make();
        let session = tui(name, &db, &home, "");
        let screen = common::wait_for(&session, "config ignored");
        quit(&session);
        assert!(
            screen.contains("config ignored"),
            "{name}: the diary did not start: {screen}"
        );
        assert!(
            screen.contains(says),
            "{name}: expected '{says}' in: {screen}"
        );
    }
    // Refused whole: with `suspend = "e"` refused, "e" typed in the search prompt is text.
    std::fs::write(&config, "[keys]\nsuspend = \"e\"\n").unwrap();
    let session = tui("typing", &db, &home, "");
    common::wait_for(&session, "config ignored");
    common::tmux(&["send-keys", "-t", &session, "/"]);
    common::tmux(&["send-keys", "-t", &session, "-l", "Ade"]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let alive = common::pane_var(&session, "#{pane_current_command}");
    let screen = common::tmux(&["capture-pane", "-p", "-t", &session]);
    common::tmux(&["kill-session", "-t", &session]);
    assert_eq!(alive, "tickler", "still running, not suspended: {screen}");
    assert!(
        screen.contains("Ade"),
        "the typed e is in the prompt: {screen}"
    );
}

#[test]
fn the_log_holds_kinds_and_ids_never_what_the_user_wrote_and_is_capped() {
    if !common::have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.redb");
    ok(
        &db,
        &[
            "add",
            "Zelda Secretname",
            "--email",
            "zelda@secret.example",
            "--note",
            "SECRETNOTE",
        ],
    );
    // A full log from an earlier session is rotated at start.
    let log = dir.path().join("tui.log");
    std::fs::write(&log, vec![b'x'; 1024 * 1024 + 10]).unwrap();
    let session = tui("log", &db, dir.path(), "TICKLER_LOG=trace");
    common::wait_for(&session, "Zelda");
    let keys = |k: &[&str]| {
        common::tmux(&[&["send-keys", "-t", &session][..], k].concat());
        std::thread::sleep(std::time::Duration::from_millis(400));
    };
    keys(&["D"]);
    keys(&["-l", "SECRETSUMMARY"]);
    keys(&["Enter"]);
    keys(&["Escape"]);
    keys(&["/"]);
    keys(&["-l", "Zel"]);
    keys(&["Enter"]);
    quit(&session);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("effect"),
        "effects are logged by kind: {text}"
    );
    assert!(text.contains("tui start"), "{text}");
    for secret in [
        "Secretname",
        "secret.example",
        "SECRETNOTE",
        "SECRETSUMMARY",
        "Zel",
    ] {
        assert!(!text.contains(secret), "'{secret}' in the log: {text}");
    }
    let old = std::fs::metadata(dir.path().join("tui.log.1"))
        .unwrap()
        .len();
    assert_eq!(old, 1024 * 1024 + 10, "the full log was rotated away whole");
    let out = ok(&db, &["show", "c1"]);
    assert!(
        out.contains("SECRETSUMMARY"),
        "the done was really logged: {out}"
    );
    // TICKLER_LOG=off writes nothing.
    std::fs::remove_file(&log).unwrap();
    let session = tui("nolog", &db, dir.path(), "TICKLER_LOG=off");
    common::wait_for(&session, "1 Triage");
    quit(&session);
    assert!(!log.exists(), "TICKLER_LOG=off logs nothing");
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-"))
        .collect();
    v.sort();
    v
}

#[test]
fn temporary_files_of_a_killed_first_open_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.redb");
    // Planted: a creation whose process is gone (a real, finished PID), an old one whose PID
    // was reused (this test's own), a fresh one of a live process, and one a live process holds.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let me = std::process::id();
    let gone = dir.path().join(format!("diary.redb.new-{dead}"));
    std::fs::write(&gone, b"half a database").unwrap();
    let reused = dir.path().join(format!("diary.redb.new-{me}"));
    std::fs::write(&reused, b"old").unwrap();
    let f = std::fs::File::options().write(true).open(&reused).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    drop(f);
    let busy = dir.path().join("diary.redb.new-1");
    let held = std::fs::File::create(&busy).unwrap();
    held.lock().unwrap();
    let other = dir.path().join("other.redb.new-99999999");
    std::fs::write(&other, b"another name's").unwrap();
    ok(&db, &["add", "Ada"]);
    assert_eq!(
        leftovers(dir.path()),
        ["diary.redb.new-1", "other.redb.new-99999999"],
        "the dead creations are gone; a held one and another name's are kept"
    );
    drop(held);
    // Real kills of first opens, at random moments: whatever they leave, the next open cleans.
    let (seed, mut rng) = store_support::rng("TICKLER_HOSTILE_SEED", 12);
    let mut fresh = 0;
    for i in 0..20 {
        let db = dir.path().join(format!("first-{i}.redb"));
        let mut c = tickler(&db)
            .args(["add", "Ada"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let wait = rand::RngExt::random_range(&mut rng, 0..40u64);
        std::thread::sleep(std::time::Duration::from_millis(wait));
        let _ = c.kill();
        let _ = c.wait();
        if !db.exists() {
            fresh += 1;
        }
        ok(&db, &["list"]);
    }
    let left: Vec<String> = leftovers(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("first-"))
        .collect();
    assert!(
        left.is_empty(),
        "seed {seed}: left behind {left:?} ({fresh} kills before the link)"
    );
}

#[test]
fn undo_never_crosses_a_json_restore() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.redb");
    ok(&source, &["add", "Ada Lovelace"]);
    ok(&source, &["settings", "set", "backups_kept", "14"]);
    let export = dir.path().join("diary.json");
    ok(&source, &["export", "--format", "json", "-o", s(&export)]);
    // A new diary where a setting was changed before the restore.
    let db = dir.path().join("restored.redb");
    ok(&db, &["settings", "set", "backups_kept", "3"]);
    ok(&db, &["import", s(&export)]);
    let kept = || {
        let v: serde_json::Value =
            serde_json::from_str(&ok(&db, &["settings", "show", "--json"])).unwrap();
        v["backups_kept"].clone()
    };
    assert_eq!(kept(), 14);
    let e = refused(&db, &["undo"], 1, "not undone");
    assert!(e.contains("restore from a JSON export"), "{e}");
    assert_eq!(kept(), 14, "the restored settings are kept");
    assert!(ok(&db, &["undo", "--list"]).contains("restore from a JSON export"));
    // Actions after the restore are undone as usual, then undo stops at it again.
    ok(&db, &["add", "Charles Babbage"]);
    assert!(ok(&db, &["undo"]).contains("add Charles Babbage"));
    refused(&db, &["undo"], 1, "not undone");
    assert_eq!(kept(), 14);
    assert!(ok(&db, &["list"]).contains("Ada Lovelace"));
}

/// A diary with one contact, one touch and one sale, exported as JSON.
fn exported(dir: &Path) -> serde_json::Value {
    let db = dir.join("source.redb");
    ok(&db, &["add", "Ada Lovelace", "--email", "ada@example.com"]);
    ok(&db, &["log", "c1", "-s", "sent the notes"]);
    ok(&db, &["sale", "c1", "120"]);
    let file = dir.join("export.json");
    ok(&db, &["export", "--format", "json", "-o", s(&file)]);
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
}

#[test]
fn every_input_path_refuses_terminal_escapes_and_direction_controls() {
    let dir = tempfile::tempdir().unwrap();
    let good = exported(dir.path());
    let osc = "Evil\u{1b}]52;c;aGVsbG8=\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J";
    type Spoil = fn(&mut serde_json::Value);
    let cases: [(&str, Spoil); 6] = [
        ("name contains a control character", |v| {
            v["contacts"][0]["name"] = "Evil\u{1b}]52;c;aGVsbG8=\u{7}\u{1b}[2J".into();
        }),
        ("name contains a text-direction control (U+202E", |v| {
            v["contacts"][0]["name"] = "Ada \u{202e}ecalevoL".into();
        }),
        ("summary contains a control character", |v| {
            v["touches"][0]["summary"] = "sent\u{9b}2J".into();
        }),
        ("amount -500 (in cents) is not positive", |v| {
            v["sales"][0]["amount_cents"] = (-500).into();
        }),
        ("is outside the dates tickler keeps", |v| {
            v["touches"][0]["date"] = "0900-01-01".into();
        }),
        ("the file holds two contact records with id 1", |v| {
            let twin = v["contacts"][0].clone();
            v["contacts"].as_array_mut().unwrap().push(twin);
        }),
    ];
    for (i, (says, spoil)) in cases.iter().enumerate() {
        let mut v = good.clone();
        spoil(&mut v);
        let file = dir.path().join(format!("bad-{i}.json"));
        std::fs::write(&file, v.to_string()).unwrap();
        let db = dir.path().join(format!("restored-{i}.redb"));
        let e = refused(&db, &["import", s(&file)], 2, says);
        assert!(e.contains("cannot restore: "), "{e}");
        assert!(
            !e.contains('\u{1b}'),
            "the refusal does not echo the escape: {e}"
        );
        assert_eq!(
            ok(&db, &["list", "--json"]).trim(),
            "[]",
            "nothing was written"
        );
    }
    // The same file unspoilt restores.
    let file = dir.path().join("good.json");
    std::fs::write(&file, good.to_string()).unwrap();
    ok(&dir.path().join("restored.redb"), &["import", s(&file)]);
    // The CLI and the CSV importer apply the same rules.
    let db = dir.path().join("cli.redb");
    refused(&db, &["add", osc], 2, "contains a control character");
    refused(
        &db,
        &["add", "Ada \u{202e}ecalevoL"],
        2,
        "text-direction control",
    );
    let csv = dir.path().join("people.csv");
    std::fs::write(
        &csv,
        "name,email\nAda \u{202e}ecalevoL,ada@example.com\nGrace Hopper,grace@example.com\n",
    )
    .unwrap();
    let o = run(&db, &["import", s(&csv)]);
    let said = format!("{}{}", out(&o), err(&o));
    assert!(said.contains("text-direction control"), "{said}");
    let list = ok(&db, &["list"]);
    assert!(
        list.contains("Grace Hopper") && !list.contains("ecalevoL"),
        "{list}"
    );
}

#[test]
fn dates_and_amounts_have_one_clear_limit() {
    let (_dir, db) = diary();
    // TODAY is 2026-03-10: the horizon is 2126-03-10.
    let e = refused(&db, &["plan", "c1", "+2914000d"], 2, "after 9999-12-31");
    assert!(e.contains("+2914000d"), "{e}");
    refused(
        &db,
        &["plan", "c1", "2126-03-11"],
        2,
        "more than 100 years ahead (the furthest is 2126-03-10)",
    );
    refused(
        &db,
        &["snooze", "c1", "+101y"],
        2,
        "more than 100 years ahead",
    );
    refused(
        &db,
        &["log", "c1", "-d", "1899-12-31"],
        2,
        "before 1900-01-01",
    );
    ok(&db, &["plan", "c1", "2126-03-10", "--force"]);
    for big in ["1000000000000.01", "99999999999999999999"] {
        let e = refused(&db, &["sale", "c1", big], 2, "too large");
        assert!(
            e.contains("the largest amount tickler records is 1000000000000"),
            "{e}"
        );
    }
    ok(&db, &["sale", "c1", "1000000000000"]);
    // The ICS export never carries a year beyond four digits.
    let ics = ok(
        &db,
        &[
            "export",
            "--format",
            "ics",
            "--from",
            "2126-01-01",
            "--to",
            "2126-03-10",
        ],
    );
    assert!(ics.contains("DTSTART;VALUE=DATE:21260310"), "{ics}");
    assert!(!ics.contains("DTSTART;VALUE=DATE:+"), "{ics}");
}

#[test]
fn agenda_sections_are_named_for_what_they_hold() {
    let (_dir, db) = diary();
    // c1 is due in three days (a planned touch); c2 was due five weeks ago (a touch planned
    // then, never done).
    ok(&db, &["plan", "c1", "+3d", "--force"]);
    let o = tickler(&db)
        .env("TICKLER_TODAY", "2026-02-01")
        .args(["plan", "c2", "2026-02-02", "--force"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", err(&o));
    let text = ok(&db, &["agenda", "--from", "+14d"]);
    let overdue = text
        .split("\n\n")
        .find(|s| s.starts_with("Overdue"))
        .unwrap_or("");
    assert!(
        !overdue.contains("Ada Lovelace"),
        "a future item under Overdue: {text}"
    );
    assert!(overdue.contains("Charles Babbage"), "{text}");
    assert!(
        text.contains("before this range, not overdue (1)"),
        "{text}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&ok(&db, &["agenda", "--from", "+14d", "--json"])).unwrap();
    let names = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(names("overdue"), ["Charles Babbage"]);
    assert_eq!(names("earlier"), ["Ada Lovelace"]);
    // From today, nothing is "earlier".
    let v: serde_json::Value = serde_json::from_str(&ok(&db, &["agenda", "--json"])).unwrap();
    assert_eq!(v["earlier"].as_array().map(Vec::len), Some(0));
}

#[test]
fn lybunt_and_insights_never_add_currencies() {
    let (_dir, db) = diary();
    ok(
        &db,
        &["sale", "c1", "500", "-d", "2025-03-01", "--currency", "EUR"],
    );
    ok(
        &db,
        &["sale", "c1", "200", "-d", "2025-04-01", "--currency", "USD"],
    );
    ok(
        &db,
        &["sale", "c2", "700", "-d", "2025-05-01", "--currency", "USD"],
    );
    let text = ok(&db, &["lybunt"]);
    assert!(text.contains("500.00 EUR + 900.00 USD at stake"), "{text}");
    assert!(!text.contains("1,400.00"), "EUR and USD added: {text}");
    assert!(
        text.contains("500.00 EUR + 200.00 USD"),
        "per contact too: {text}"
    );
    let v: serde_json::Value = serde_json::from_str(&ok(&db, &["lybunt", "--json"])).unwrap();
    assert_eq!(
        v["totals"],
        serde_json::json!([
            {"currency": "EUR", "cents": 50000, "at_risk_cents": 0},
            {"currency": "USD", "cents": 90000, "at_risk_cents": 0}
        ])
    );
    let text = ok(&db, &["insights"]);
    assert!(text.contains("500.00 EUR + 900.00 USD at stake"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&ok(&db, &["insights", "--json"])).unwrap();
    assert_eq!(v["lybunt"]["totals"][1]["cents"], 90000);
}

#[test]
fn combining_marks_family_emoji_and_soft_hyphens_keep_the_columns() {
    if !common::have_tmux() {
        return;
    }
    use tickler::tui::widgets::width;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.redb");
    for name in [
        "Plain Name",
        "Zoe\u{308} Lefe\u{300}vre",
        "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467} Family",
        "Meyer\u{ad}hoff",
    ] {
        ok(&db, &["add", name]);
    }
    let session = tui("width", &db, dir.path(), "");
    let screen = common::wait_until(&session, |s| s.matches("ADRIFT").count() == 4);
    common::tmux(&["send-keys", "-t", &session, "3"]);
    let pipeline = common::wait_until(&session, |s| {
        s.contains("lead (4)") && s.contains("Meyerhoff")
    });
    quit(&session);
    // Triage: the columns after the name start at the same place on every row.
    let starts: Vec<usize> = screen
        .lines()
        .filter(|l| l.contains("adrift"))
        .map(|l| width(&l[..l.find("today").unwrap()]))
        .collect();
    assert_eq!(starts.len(), 4, "{screen}");
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "{starts:?}\n{screen}"
    );
    // Pipeline: every line of the column has its borders at the same places.
    let borders: Vec<Vec<usize>> = pipeline
        .lines()
        .skip(3)
        .take(15)
        .map(|l| {
            l.char_indices()
                .filter(|(_, c)| *c == '│')
                .map(|(i, _)| width(&l[..i]))
                .collect()
        })
        .collect();
    assert!(
        borders.windows(2).all(|w| w[0] == w[1]),
        "{borders:?}\n{pipeline}"
    );
}

/// OSC 52 (write the clipboard), a title change, a screen clear, a C1 CSI and a right-to-left
/// override: what a name restored by an older tickler (before input was checked) may hold.
const HOSTILE: &str =
    "Eve\u{1b}]52;c;aGVsbG8=\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{7f}\u{202e}nilrebreV";

/// No byte or character that acts on a terminal: ESC, BEL, any other control but newline and
/// tab, DEL, C1, text-direction controls; and the escape is shown instead.
fn inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(
        raw.is_empty(),
        "{what}: raw {raw:?} reached the terminal: {text:?}"
    );
}

/// A diary as an older tickler left it after restoring a hostile JSON file: the records are
/// written straight into the store, past the checks every input path makes now.
fn hostile_diary(dir: &Path) -> PathBuf {
    use tickler::model::{Channel, Contact, Direction, Piece, PieceKind, Sale, Touch, TouchState};
    let db = dir.join("hostile.redb");
    let today = store_support::today();
    let day = |d: i64| today + chrono::Duration::days(d);
    let store = Store::open(&db).unwrap();
    store
        .write("restore from a JSON export", |w| {
            let id = w.new_contact_id()?;
            let mut c = Contact::new(id, HOSTILE.to_string(), day(-400));
            c.company = Some(HOSTILE.to_string());
            c.tags = vec![HOSTILE.to_string()];
            c.notes = format!("notes {HOSTILE}\nsecond line");
            c.address = Some(HOSTILE.to_string());
            w.put_contact(&c)?;
            let touch = |id, date, state, summary: &str| Touch {
                id,
                contact: c.id,
                date,
                channel: Channel::Email,
                direction: Direction::Out,
                summary: summary.to_string(),
                state,
            };
            let t = w.new_touch_id()?;
            w.put_touch(&touch(t, day(-300), TouchState::Done, HOSTILE))?;
            let t = w.new_touch_id()?;
            w.put_touch(&touch(t, day(-3), TouchState::Planned, HOSTILE))?;
            let s = w.new_sale_id()?;
            w.put_sale(&Sale {
                id: s,
                contact: c.id,
                date: day(-300),
                amount_cents: 120_000,
                currency: "EUR".to_string(),
                note: HOSTILE.to_string(),
            })?;
            let p = w.new_piece_id()?;
            w.put_piece(&Piece {
                id: p,
                title: HOSTILE.to_string(),
                kind: PieceKind::Report,
                url: None,
                note: HOSTILE.to_string(),
                created: day(-10),
            })?;
            Ok(())
        })
        .unwrap();
    drop(store);
    db
}

#[test]
fn no_output_sends_terminal_escapes_from_the_diary_or_the_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_diary(dir.path());
    // Every report in words, and their JSON.
    // (A file format to a pipe is the file's bytes; on a terminal it is shown escaped too.)
    let reads: [&[&str]; 11] = [
        &["show", "c1"],
        &["list"],
        &["list", "--due"],
        &["agenda"],
        &["due"],
        &["review"],
        &["lybunt"],
        &["insights"],
        &["piece", "list"],
        &["piece", "show", "p1"],
        &["undo", "--list"],
    ];
    for args in reads {
        let o = run(&db, args);
        assert!(o.status.success(), "{args:?}: {}", err(&o));
        inert(&format!("{args:?} stdout"), &o.stdout);
        inert(&format!("{args:?} stderr"), &o.stderr);
    }
    let shown = ok(&db, &["show", "c1"]);
    assert!(
        shown.contains("Eve\\u{1b}]52;c;aGVsbG8=\\u{7}"),
        "shown escaped: {shown}"
    );
    assert!(shown.contains("\\u{202e}nilrebreV"), "{shown}");
    for args in [
        &["show", "c1", "--json"][..],
        &["list", "--json"],
        &["agenda", "--json"],
        &["due", "--json"],
    ] {
        let o = run(&db, args);
        assert!(o.status.success(), "{args:?}: {}", err(&o));
        inert(&format!("{args:?}"), &o.stdout);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(v.to_string().contains("nilrebreV"), "{args:?}: {v}");
    }
    let v: serde_json::Value = serde_json::from_str(&ok(&db, &["show", "c1", "--json"])).unwrap();
    assert_eq!(
        v["contact"]["name"], HOSTILE,
        "the JSON keeps the value: {v}"
    );
    // A write that names the contact, and errors that echo what was typed.
    let o = run(&db, &["log", "c1", "-s", "called"]);
    assert!(o.status.success(), "{}", err(&o));
    inert("log", &o.stdout);
    let nobody = format!("nobody {HOSTILE}");
    let failing: [&[&str]; 4] = [
        &["show", &nobody],
        &["log", "c1", "--channel", HOSTILE],
        &["log", "c1", "-d", HOSTILE],
        &["--today", HOSTILE, "list"],
    ];
    for args in failing {
        let o = run(&db, args);
        assert!(!o.status.success(), "{args:?} fails");
        inert(&format!("{args:?} stderr"), &o.stderr);
        inert(&format!("{args:?} stdout"), &o.stdout);
        assert!(
            err(&o).contains("\\u{1b}"),
            "{args:?}: the escape is shown: {}",
            err(&o)
        );
    }
    let missing = dir.path().join(format!("gone{HOSTILE}.csv"));
    let o = run(&db, &["import", s(&missing)]);
    assert!(!o.status.success());
    inert("import of a missing file", &o.stderr);
}

/// The characters no stored text may hold (see `inert`): any control but newline and tab, and
/// text-direction controls.
fn unsafe_chars(v: &serde_json::Value) -> Vec<char> {
    let mut text = String::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => text.push_str(s),
            serde_json::Value::Array(a) => stack.extend(a),
            serde_json::Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

fn json_of(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

#[test]
fn vcards_mail_and_calendars_bring_no_terminal_escapes_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.redb");
    ok(&db, &["settings", "set", "my_addresses", "me@example.org"]);
    ok(&db, &["add", "Ada Lovelace", "--email", "ada@example.com"]);
    // vCards: a name with a title escape, one reversed; the third card comes in.
    let cards = dir.path().join("people.vcf");
    let card = |uid: &str, fn_: &str| {
        format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn_}\r\nN:;;;;\r\nEND:VCARD\r\n")
    };
    let text = [
        card("a", "Eve\u{1b}]0;pwned\u{7}"),
        card("b", "Mallory \u{202e}ecalevoL"),
        card("c", "Grace Hopper"),
    ]
    .concat();
    std::fs::write(&cards, text).unwrap();
    let o = run(&db, &["import", s(&cards)]);
    assert!(o.status.success(), "{}", err(&o));
    inert(
        "vCard import",
        &[o.stdout.clone(), o.stderr.clone()].concat(),
    );
    // The reader drops control characters (as white space); a direction control is refused.
    let report = format!("{}{}", out(&o), err(&o));
    assert!(report.contains("text-direction control"), "{report}");
    let said = ok(&db, &["list"]);
    assert!(
        said.contains("Grace Hopper") && !said.contains("Mallory"),
        "{said}"
    );
    let people = json_of(&db, &["list", "--json"]);
    assert_eq!(unsafe_chars(&people), Vec::<char>::new(), "{people}");
    // Mail: a raw escape in one subject, an encoded one (RFC 2047) in another, a display name
    // reversed; a stranger writing from an address with an escape, three times.
    let md = dir.path().join("mail");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(md.join(sub)).unwrap();
    }
    let message = |n: usize, from: &str, subject: &str| {
        let m = format!(
            "From: {from}\r\nTo: me@example.org\r\nSubject: {subject}\r\n\
             Date: Mon, 2 Mar 2026 10:0{n}:00 +0000\r\nMessage-ID: <m{n}@example.com>\r\n\r\nhello\r\n"
        );
        std::fs::write(md.join("cur").join(format!("{n}.eml:2,S")), m).unwrap();
    };
    message(
        1,
        "\"Ada \u{202e}ecalevoL\" <ada@example.com>",
        "Offer \u{1b}]0;pwned\u{7}\u{1b}[2J",
    );
    message(
        2,
        "Ada <ada@example.com>",
        "=?utf-8?b?UXVvdGUgG101MjtjO2FHaz0HIOKAriBlbmQ=?=",
    );
    for n in 3..6 {
        message(n, "\"Eve \u{202e}\u{1b}[2J\" <eve@example.com>", "hi");
        message(n + 3, "<ev\u{1b}]0;x\u{7}il@example.com>", "hi");
    }
    let o = run(&db, &["capture", "mail", s(&md)]);
    assert!(o.status.success(), "{}", err(&o));
    inert("capture mail", &[o.stdout, o.stderr].concat());
    // Calendar: a meeting whose summary holds escapes.
    let ics = dir.path().join("meeting.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\n\
         UID:evil-1@example.com\r\nDTSTAMP:20260301T090000Z\r\nDTSTART:20260303T100000Z\r\n\
         DTEND:20260303T110000Z\r\nSUMMARY:Lunch \u{1b}]52;c;aGk=\u{7}\u{202e} end\r\n\
         ORGANIZER:mailto:me@example.org\r\nATTENDEE:mailto:ada@example.com\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let o = run(&db, &["capture", "calendar", s(&ics)]);
    assert!(o.status.success(), "{}", err(&o));
    inert("capture calendar", &[o.stdout, o.stderr].concat());
    // What came in is clean: Ada's history holds the three captured touches, cleaned.
    let ada = json_of(&db, &["show", "c1", "--json"]);
    let summaries: Vec<&str> = ada["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["summary"].as_str())
        .collect();
    assert_eq!(summaries.len(), 3, "{ada}");
    assert!(
        summaries.iter().any(|s| s.contains("Offer")),
        "{summaries:?}"
    );
    assert!(
        summaries.iter().any(|s| s.contains("Quote")),
        "{summaries:?}"
    );
    assert!(
        summaries.iter().any(|s| s.contains("Lunch")),
        "{summaries:?}"
    );
    let review = json_of(&db, &["review", "--json"]);
    let possible = review["possible_contacts"].as_array().unwrap();
    assert!(
        possible.iter().any(|p| p["address"] == "eve@example.com"),
        "{review}"
    );
    for v in [ada, review, json_of(&db, &["list", "--json"])] {
        assert_eq!(unsafe_chars(&v), Vec::<char>::new(), "{v}");
    }
}

#[test]
fn sync_takes_no_terminal_escapes_from_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.redb");
    ok(&db, &["add", "Ada Lovelace", "--email", "ada@example.com"]);
    let vdir = dir.path().join("dav");
    ok(&db, &["sync", "--url", s(&vdir)]);
    // Another client put two cards on the server: a name with escapes, a reversed one.
    let book = vdir.join("tickler-contacts");
    for (uid, name) in [
        ("evil-1", "Eve\u{1b}]0;pwned\u{7}\u{1b}[2J"),
        ("evil-2", "Mallory \u{202e}ecalevoL"),
    ] {
        std::fs::write(
            book.join(format!("{uid}.vcf")),
            format!("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:{name}\r\nEND:VCARD\r\n"),
        )
        .unwrap();
    }
    let o = run(&db, &["sync", "--url", s(&vdir), "--dry-run", "--json"]);
    inert("sync --json", &o.stdout);
    let o = run(&db, &["sync", "--url", s(&vdir)]);
    inert("sync", &[o.stdout.clone(), o.stderr.clone()].concat());
    // Refused by the rules every input path applies, and listed.
    let said = out(&o);
    assert!(
        said.contains("evil-1: not taken over: name contains a control character"),
        "{said}"
    );
    assert!(
        said.contains("evil-2: not taken over: name contains a text-direction control"),
        "{said}"
    );
    let list = json_of(&db, &["list", "--json"]);
    assert_eq!(unsafe_chars(&list), Vec::<char>::new(), "{list}");
    assert!(list.to_string().contains("Ada Lovelace"), "{list}");
    // The refused cards are another client's: the next syncs list them again and never delete
    // them from the server (the diary never held them).
    for _ in 0..2 {
        let o = run(&db, &["sync", "--url", s(&vdir)]);
        assert!(out(&o).contains("evil-1: not taken over"), "{}", out(&o));
    }
    for uid in ["evil-1", "evil-2"] {
        assert!(book.join(format!("{uid}.vcf")).exists(), "{uid} deleted");
    }
}
