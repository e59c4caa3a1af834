//! Damaged and hostile files: every case gets a clear error (checked by its text and exit code
//! through the real binary) and leaves the file byte for byte as it was; a full disk keeps every
//! committed write; files tickler writes besides the database (exports, backups) are never left
//! half-written under their final name, even when the writer is killed in the middle.

mod store_support;

use rand::RngExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};
use store_support::{assert_unchanged, env_count, open_and_check, rng, seeded_db, tickler};
use tickler::store::{SCHEMA_VERSION, Store, StoreError};

/// Run `tickler ARGS` on `db`.
fn run(db: &Path, args: &[&str]) -> Output {
    tickler(db).args(args).output().unwrap()
}

fn err(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn out_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Fail if the command panicked (exit 101) rather than reporting an error.
fn assert_no_panic(out: &Output, what: &str) {
    let e = err(out);
    assert!(
        out.status.code() != Some(101) && !e.contains("panicked"),
        "{what}: tickler panicked: {e}"
    );
}

/// The commands run against every refused file: a read, a write and the check.
const COMMANDS: [&[&str]; 3] = [&["agenda"], &["add", "Nobody"], &["check"]];

/// Each command is refused with exit 1 (`check`: `check_code`) and a message containing `says`,
/// and the file is left exactly as it was.
fn assert_refused(path: &Path, says: &str, check_code: i32) {
    let before = std::fs::read(path).unwrap();
    for args in COMMANDS {
        let out = run(path, args);
        assert_no_panic(&out, &format!("{args:?}"));
        let want = if args == ["check"] { check_code } else { 1 };
        assert_eq!(out.status.code(), Some(want), "{args:?}: {}", err(&out));
        assert!(
            err(&out).contains(says),
            "{args:?}: expected '{says}' in: {}",
            err(&out)
        );
        assert!(
            err(&out).contains(&path.display().to_string()),
            "{args:?}: the message names the file: {}",
            err(&out)
        );
        assert_unchanged(path, &before);
    }
}

/// A database of `contacts` generated contacts (sound: `tickler check` passes).
fn demo_file(dir: &Path, name: &str, contacts: &str) -> PathBuf {
    let path = dir.join(name);
    let out = run(&path, &["demo", "--contacts", contacts, "--seed", "5"]);
    assert!(out.status.success(), "{}", err(&out));
    let out = run(&path, &["check"]);
    assert!(out.status.success(), "{}", err(&out));
    path
}

#[test]
fn random_bytes_and_short_files_are_not_tickler_databases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let (_, mut rng) = rng("TICKLER_FILES_SEED", 11);
    for len in [1usize, 5, 100, 4096, 10_000, 70_000] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_refused(&path, "is not a tickler database", 1);
    }
    std::fs::write(&path, b"hello").unwrap();
    assert_refused(&path, "is not a tickler database", 1);
}

#[test]
fn an_empty_file_is_refused_and_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.tickler");
    std::fs::write(&path, b"").unwrap();
    assert_refused(&path, "is not a tickler database", 1);
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotTickler { .. })
    ));
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn another_redb_application_is_refused_and_can_still_use_its_file() {
    let dir = tempfile::tempdir().unwrap();
    for (i, with_meta) in [false, true].into_iter().enumerate() {
        let path = dir.path().join(format!("other{i}.redb"));
        {
            let db = redb::Database::create(&path).unwrap();
            let txn = db.begin_write().unwrap();
            {
                let mut t = txn
                    .open_table(redb::TableDefinition::<u64, u64>::new("numbers"))
                    .unwrap();
                t.insert(1, 2).unwrap();
                if with_meta {
                    // A table called "meta" but no tickler marker.
                    let mut m = txn
                        .open_table(redb::TableDefinition::<&str, &[u8]>::new("meta"))
                        .unwrap();
                    m.insert("magic", b"someone-else".as_slice()).unwrap();
                }
            }
            txn.commit().unwrap();
        }
        assert_refused(&path, "is not a tickler database", 1);
        let db = redb::Database::open(&path).unwrap();
        let txn = redb::ReadableDatabase::begin_read(&db).unwrap();
        let t = txn
            .open_table(redb::TableDefinition::<u64, u64>::new("numbers"))
            .unwrap();
        assert_eq!(
            redb::ReadableTable::get(&t, 1).unwrap().map(|v| v.value()),
            Some(2)
        );
    }
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path(), "future.tickler", "20");
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(redb::TableDefinition::<&str, &[u8]>::new("meta"))
            .unwrap()
            .insert(
                "schema_version",
                (SCHEMA_VERSION + 1).to_le_bytes().as_slice(),
            )
            .unwrap();
        txn.commit().unwrap();
    }
    assert_refused(&path, "was written by a newer tickler", 1);
    match Store::open(&path) {
        Err(StoreError::NewerSchema {
            found, supported, ..
        }) => assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION)),
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn truncated_and_scrambled_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(demo_file(dir.path(), "good.tickler", "200")).unwrap();
    let path = dir.path().join("diary.tickler");
    let mut cases: Vec<(String, Vec<u8>)> = [1, 4, 10, 2, 100]
        .iter()
        .map(|div| {
            let len = good.len() / div - 1;
            (format!("truncated to {len}"), good[..len].to_vec())
        })
        .collect();
    cases.push(("one byte short".into(), good[..good.len() - 1].to_vec()));
    cases.push(("header scrambled".into(), {
        let mut b = good.clone();
        for x in &mut b[9..200] {
            *x ^= 0x5a;
        }
        b
    }));
    for (name, bytes) in cases {
        std::fs::write(&path, &bytes).unwrap();
        let before = std::fs::read(&path).unwrap();
        for args in COMMANDS {
            let out = run(&path, args);
            assert_no_panic(&out, &name);
            let e = err(&out);
            let code = out.status.code();
            // Damaged (check: 4) or, when the header itself is gone, not a tickler database (1).
            let clear = (e.contains("is damaged") && e.contains("restore a backup"))
                || e.contains("is not a tickler database");
            assert!(clear, "{name} {args:?}: unclear error: {e}");
            let want = if args == ["check"] && e.contains("is damaged") {
                4
            } else {
                1
            };
            assert_eq!(code, Some(want), "{name} {args:?}: {e}");
            assert_unchanged(&path, &before);
        }
    }
}

/// Damage inside a data page is not seen at open (that would read the whole file): reads that
/// meet it report it clearly, reads that do not still work, nothing panics or writes, and
/// `tickler check` finds it (exit 4).
#[test]
fn damage_inside_the_file_is_found_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(demo_file(dir.path(), "good.tickler", "200")).unwrap();
    let path = dir.path().join("diary.tickler");
    let (_, mut rng) = rng("TICKLER_FILES_SEED", 12);
    let mut reads_failed = 0;
    let mut harmless = 0;
    let reference = run(&path_of_good(dir.path()), &["export", "--format", "json"]).stdout;
    assert!(!reference.is_empty());
    for round in 0..8 {
        let mut bytes = good.clone();
        let at = rng.random_range(8192..bytes.len() - 512);
        for x in &mut bytes[at..at + 256] {
            *x ^= rng.random_range(1..=255u8);
        }
        std::fs::write(&path, &bytes).unwrap();
        for args in [
            &["agenda"][..],
            &["list", "--archived"],
            &["export", "--format", "json"],
        ] {
            let out = run(&path, args);
            assert_no_panic(&out, &format!("round {round} {args:?}"));
            if !out.status.success() {
                reads_failed += 1;
                let e = err(&out);
                assert_eq!(out.status.code(), Some(1), "{e}");
                assert!(
                    e.contains("restore a backup") || e.contains("is damaged"),
                    "round {round} {args:?}: unclear error: {e}"
                );
            }
            assert_unchanged(&path, &bytes);
        }
        let out = run(&path, &["check"]);
        assert_no_panic(&out, "check");
        if out.status.code() == Some(0) {
            // Only if the bytes hit unused space (a free page, a page's slack): then the whole
            // diary must read exactly as before.
            let export = run(&path, &["export", "--format", "json"]);
            assert!(
                export.status.success() && export.stdout == reference,
                "round {round}: damage at {at} changed the diary but check passed"
            );
            harmless += 1;
        } else {
            assert_eq!(out.status.code(), Some(4), "round {round}: {}", err(&out));
            assert!(err(&out).contains("restore a backup"), "{}", err(&out));
        }
    }
    eprintln!(
        "damage inside the file: {reads_failed} of 24 reads met it and reported it; check found it in {} of 8 rounds ({harmless} hit unused space)",
        8 - harmless
    );
    assert!(
        harmless <= 4,
        "most damage should matter: {harmless} of 8 harmless"
    );
}

fn path_of_good(dir: &Path) -> PathBuf {
    dir.join("good.tickler")
}

/// `tickler check` finds what redb cannot: an index entry or a roster row that disagrees with
/// the records (written here behind tickler's back).
#[test]
fn check_finds_broken_invariants() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path(), "diary.tickler", "30");
    let first_touch = {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let key = {
            let idx = txn
                .open_table(redb::TableDefinition::<(i32, u64), u8>::new(
                    "idx_touches_by_date",
                ))
                .unwrap();
            let (k, _) = redb::ReadableTable::first(&idx).unwrap().unwrap();
            k.value()
        };
        txn.open_table(redb::TableDefinition::<(i32, u64), u8>::new(
            "idx_touches_by_date",
        ))
        .unwrap()
        .remove(key)
        .unwrap();
        txn.commit().unwrap();
        key.1
    };
    let out = run(&path, &["check"]);
    assert_eq!(out.status.code(), Some(4), "{}", err(&out));
    assert!(
        err(&out).contains("idx_touches_by_date misses"),
        "{}",
        err(&out)
    );
    assert!(
        err(&out).contains("is inconsistent (1 problems)"),
        "{}",
        err(&out)
    );
    let out = run(&path, &["check", "--json"]);
    assert_eq!(out.status.code(), Some(4));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["sound"], false);
    assert_eq!(json["problem_count"], 1);
    assert!(
        json["problems"][0]
            .as_str()
            .unwrap()
            .contains(&first_touch.to_string())
    );
}

/// Whether this process can write files whatever their permission bits (root).
fn bits_do_not_bind(dir: &Path) -> bool {
    let probe = dir.join("probe");
    std::fs::write(&probe, b"x").unwrap();
    let mut perm = std::fs::metadata(&probe).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&probe, perm).unwrap();
    let writable = std::fs::OpenOptions::new()
        .append(true)
        .open(&probe)
        .is_ok();
    let mut perm = std::fs::metadata(&probe).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(&probe, perm).unwrap();
    std::fs::remove_file(&probe).unwrap();
    writable
}

/// Make `path` unwritable: permission bits, or for root the immutable attribute (`chattr +i`).
/// Returns how, or `None` (with the reason printed) when neither works here.
fn make_read_only(path: &Path, root: bool) -> Option<&'static str> {
    if !root {
        let mode = if path.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(mode)).unwrap();
        return Some("chmod");
    }
    let ok = std::process::Command::new("chattr")
        .arg("+i")
        .arg(path)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Some("chattr +i")
    } else {
        println!(
            "skipped: running as root, where permission bits do not stop writes, and `chattr +i` is unavailable on this file system"
        );
        None
    }
}

fn make_writable(path: &Path, how: &str) {
    if how == "chattr +i" {
        let s = std::process::Command::new("chattr")
            .arg("-i")
            .arg(path)
            .status()
            .unwrap();
        assert!(s.success());
    } else {
        let mode = if path.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(mode)).unwrap();
    }
}

#[test]
fn a_read_only_file_is_read_but_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = bits_do_not_bind(dir.path());
    let path = demo_file(dir.path(), "diary.tickler", "30");
    let before = std::fs::read(&path).unwrap();
    let Some(how) = make_read_only(&path, root) else {
        return;
    };
    let result = std::panic::catch_unwind(|| {
        // Reads work: the read-only open never asks for write access.
        let out = run(&path, &["agenda"]);
        assert!(out.status.success(), "{how}: {}", err(&out));
        let out = run(&path, &["add", "Nobody"]);
        assert_no_panic(&out, how);
        assert_eq!(out.status.code(), Some(1), "{how}: {}", err(&out));
        let e = err(&out);
        assert!(
            e.contains("cannot be written") && e.contains("make it writable"),
            "{how}: {e}"
        );
        assert!(e.contains(&path.display().to_string()), "{e}");
        // `check` reads a private copy: a read-only file is checked, and left as it is.
        let out = run(&path, &["check"]);
        assert_no_panic(&out, how);
        assert_eq!(out.status.code(), Some(0), "{how} check: {}", err(&out));
        assert!(out_of(&out).contains("is sound"), "{}", out_of(&out));
        assert_unchanged(&path, &before);
    });
    make_writable(&path, how);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    // Writable again: the write goes through and the file is sound.
    let out = run(&path, &["add", "Somebody"]);
    assert!(out.status.success(), "{}", err(&out));
    open_and_check(&path).unwrap();
}

#[test]
fn a_read_only_directory_gets_no_new_database_and_no_stray_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = bits_do_not_bind(dir.path());
    let ro = dir.path().join("locked");
    std::fs::create_dir(&ro).unwrap();
    let Some(how) = make_read_only(&ro, root) else {
        return;
    };
    let path = ro.join("diary.tickler");
    let result = std::panic::catch_unwind(|| {
        for args in [&["add", "Nobody"][..], &["agenda"]] {
            let out = run(&path, args);
            assert_no_panic(&out, how);
            assert_eq!(out.status.code(), Some(1), "{how}: {}", err(&out));
            let e = err(&out);
            assert!(
                e.contains(&format!("cannot create {}", path.display()))
                    && e.contains("make its directory writable"),
                "{how}: {e}"
            );
        }
        // Nor a file under a new subdirectory of it.
        let deeper = ro.join("sub/diary.tickler");
        let out = run(&deeper, &["agenda"]);
        assert_eq!(out.status.code(), Some(1), "{}", err(&out));
        assert!(err(&out).contains("cannot create"), "{}", err(&out));
        assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0, "stray files");
    });
    make_writable(&ro, how);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// Fill the database's disk (or hit the file's size limit) with a large import: a clear error, the
/// import not applied, everything committed before it intact and sound once space returns.
fn assert_full_disk_keeps_everything(path: &Path, csv: &Path, limited: impl Fn(&[&str]) -> Output) {
    let before = Store::open(path).unwrap().contacts().unwrap();
    let size_before = std::fs::metadata(path).unwrap().len();
    let out = limited(&["import", csv.to_str().unwrap()]);
    assert_no_panic(&out, "import on a full disk");
    assert_eq!(out.status.code(), Some(1), "{}", err(&out));
    let e = err(&out);
    assert!(
        e.contains("the disk holding the database is full") && e.contains("free some space"),
        "{e}"
    );
    // Small writes that fit still work or fail the same clear way; never anything else.
    for i in 0..5 {
        let out = limited(&["log", "c1", "--in", "-s", &format!("small {i}")]);
        assert_no_panic(&out, "log on a full disk");
        assert!(
            out.status.success() || err(&out).contains("the disk holding the database is full"),
            "{}",
            err(&out)
        );
    }
    // Space returns: everything committed before is there, the import is not, the file is sound.
    let s = open_and_check(path).unwrap();
    let after = s.contacts().unwrap();
    assert_eq!(after, before, "contacts changed by a failed import");
    let size_after = std::fs::metadata(path).unwrap().len();
    eprintln!("full disk: file {size_before} bytes before, {size_after} after the failed import");
}

fn big_csv(dir: &Path) -> PathBuf {
    let csv = dir.join("many.csv");
    let mut text = String::from("name,notes\n");
    let filler = "n".repeat(400);
    for i in 0..4000 {
        text.push_str(&format!("Person {i},{filler}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    csv
}

/// The file size limit (RLIMIT_FSIZE via the shell's `ulimit -f`, SIGXFSZ ignored so the write
/// fails with EFBIG): needs no privileges.
#[test]
fn a_full_disk_by_file_size_limit_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path(), "diary.tickler", "50");
    let csv = big_csv(dir.path());
    // A few KiB of room: the import needs far more.
    let limit_kib = std::fs::metadata(&path).unwrap().len() / 1024 + 8;
    let limited = |args: &[&str]| {
        let mut script = format!(
            "trap '' XFSZ; ulimit -f {limit_kib} || exit 99; exec \"{}\"",
            env!("CARGO_BIN_EXE_tickler")
        );
        for a in args {
            script.push_str(&format!(" '{a}'"));
        }
        std::process::Command::new("bash")
            .args(["-c", &script])
            .env("TICKLER_DB", &path)
            .env("TICKLER_TODAY", store_support::TODAY)
            .output()
            .unwrap()
    };
    if std::process::Command::new("bash")
        .args(["-c", "ulimit -f 1000"])
        .status()
        .map_or(true, |s| !s.success())
    {
        println!("skipped: bash with `ulimit -f` is not available");
        return;
    }
    assert_full_disk_keeps_everything(&path, &csv, limited);
}

/// A real full file system: a 2 MiB tmpfs (needs root and permission to mount; skipped with the
/// reason otherwise).
#[test]
fn a_full_disk_on_a_tiny_tmpfs_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("tiny");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            "size=2m",
            "tickler-test",
            mnt.to_str().unwrap(),
        ])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        println!("skipped: cannot mount a tmpfs here (not root, or no permission to mount)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let path = demo_file(&mnt, "diary.tickler", "50");
    let csv = big_csv(dir.path());
    // Fill the rest of the disk, keeping a few KiB free.
    let filler = mnt.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 4096];
        while f.write_all(&chunk).is_ok() {}
        drop(f);
        let len = std::fs::metadata(&filler).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&filler)
            .unwrap()
            .set_len(len.saturating_sub(16 * 1024))
            .unwrap();
    }
    let run_full = |args: &[&str]| run(&path, args);
    // Not `assert_full_disk_keeps_everything` as is: space must return before the final check.
    let before = Store::open(&path).unwrap().contacts().unwrap();
    let out = run_full(&["import", csv.to_str().unwrap()]);
    assert_no_panic(&out, "import on a full tmpfs");
    assert_eq!(out.status.code(), Some(1), "{}", err(&out));
    assert!(
        err(&out).contains("the disk holding the database is full"),
        "{}",
        err(&out)
    );
    std::fs::remove_file(&filler).unwrap();
    let s = open_and_check(&path).unwrap();
    assert_eq!(s.contacts().unwrap(), before);
}

/// Every `.NAME.tmp-PID` file in `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.contains(".tmp-"))
        .collect()
}

/// Kill `tickler ARGS` after a random delay within its run time, `kills` times. Returns how many
/// kills hit a running process.
fn kill_repeatedly(
    db: &Path,
    args: &[&str],
    kills: usize,
    seed_var: &str,
    mut after_each: impl FnMut(),
) -> usize {
    let (_, mut rng) = rng(seed_var, 21);
    // How long one run takes here (median of three), so the kills spread over its whole life.
    let mut spans: Vec<u64> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let out = run(db, args);
            assert!(out.status.success(), "{}", err(&out));
            started.elapsed().as_micros() as u64
        })
        .collect();
    spans.sort_unstable();
    let span = spans[1];
    let mut hit = 0;
    for _ in 0..kills {
        let mut child = tickler(db)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.random_range(0..=span + span / 5)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            hit += 1;
        }
        child.wait().unwrap();
        after_each();
    }
    hit
}

#[test]
fn a_killed_export_never_leaves_a_half_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path(), "diary.tickler", "400");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("diary.json");
    let args = ["export", "--format", "json", "-o", target.to_str().unwrap()];
    let out = run(&db, &args);
    assert!(out.status.success(), "{}", err(&out));
    // The same diary on the same day exports the same bytes: any other content is a torn file.
    let whole = std::fs::read(&target).unwrap();
    assert!(whole.len() > 100_000);
    let mut strays = 0;
    let kills = env_count("TICKLER_EXPORT_KILLS", 30);
    let hit = kill_repeatedly(&db, &args, kills, "TICKLER_FILES_SEED", || {
        assert!(
            std::fs::read(&target).unwrap() == whole,
            "a half export under the final name"
        );
        strays = strays.max(temp_files(&out_dir).len());
    });
    assert!(
        hit >= kills / 2,
        "only {hit} of {kills} kills hit a running export"
    );
    // The next export removes what the killed ones left.
    let out = run(&db, &args);
    assert!(out.status.success(), "{}", err(&out));
    assert_eq!(temp_files(&out_dir), Vec::<String>::new());
    assert_eq!(std::fs::read(&target).unwrap(), whole);
    eprintln!(
        "export: {hit} kills mid-export, at most {strays} stray temp files, all removed by the next export"
    );
    open_and_check(&db).unwrap();
}

#[test]
fn a_killed_backup_never_leaves_a_half_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path(), "diary.tickler", "400");
    let backups = dir.path().join("backups");
    let args = ["backup", backups.to_str().unwrap()];
    let kills = env_count("TICKLER_EXPORT_KILLS", 30);
    let backup = backups.join(format!("tickler-{}.redb", store_support::TODAY));
    let mut seen_whole = 0;
    let hit = kill_repeatedly(&db, &args, kills, "TICKLER_FILES_SEED", || {
        if backup.exists() {
            // Never torn: a backup under its final name opens and checks sound.
            let s = open_and_check(&backup).unwrap();
            assert_eq!(s.contact_count().unwrap(), 400);
            seen_whole += 1;
        }
    });
    assert!(
        hit >= kills / 3,
        "only {hit} of {kills} kills hit a running backup"
    );
    let out = run(&db, &args);
    assert!(out.status.success(), "{}", err(&out));
    assert_eq!(temp_files(&backups), Vec::<String>::new());
    open_and_check(&backup).unwrap();
    eprintln!(
        "backup: {hit} kills mid-backup, {seen_whole} checks of a whole backup, no stray temp file after the next backup"
    );
}

/// The id counters and everything else survive a reopen of a file another tickler created:
/// a seeded database passes the full check from the start (guards the helpers above).
#[test]
fn a_fresh_database_passes_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.tickler");
    seeded_db(&path, 3);
    open_and_check(&path).unwrap();
    let out = run(&path, &["check", "--json"]);
    assert!(out.status.success(), "{}", err(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["sound"], true);
    assert_eq!(json["redb"], "sound");
    // Nothing to check is an error (exit 1), and `check` does not create the file.
    let missing = dir.path().join("missing.tickler");
    let out = run(&missing, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", err(&out));
    assert!(
        err(&out).contains("there is no database at"),
        "{}",
        err(&out)
    );
    assert!(!missing.exists());
}
