//! Reliability, hostile use: what a careless or hostile user can do with the real binary must not
//! overwrite a database, prune the wrong backup, undo across a restore, inject terminal escapes,
//! hang on a config file, leak private data into logs, or accept dates and amounts nothing can
//! show. Each test drives `tickler` as a user would and checks the file, the output and the exit.

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
