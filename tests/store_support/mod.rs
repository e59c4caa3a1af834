//! Helpers shared by the reliability tests (crash, files, concurrency): the real binary, a seeded
//! random source, and the check that a database file is sound.
#![allow(dead_code)] // each test binary uses its own part

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::process::Command;
use tickler::model::{Contact, ContactId};
use tickler::store::Store;

/// The fixed date every test runs on.
pub const TODAY: &str = "2026-03-10";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
}

/// The `tickler` binary cargo built for these tests, with a fixed date and no user config.
pub fn tickler(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tickler"));
    cmd.env("TICKLER_DB", db)
        .env("TICKLER_TODAY", TODAY)
        .env_remove("TICKLER_DEMO")
        .env("XDG_CONFIG_HOME", db.parent().unwrap_or(Path::new(".")))
        .env("XDG_DATA_HOME", db.parent().unwrap_or(Path::new(".")));
    cmd
}

/// A seeded random source: `var` (e.g. TICKLER_CRASH_SEED) overrides `default`. Returns the seed
/// used, to print it with every failure.
pub fn rng(var: &str, default: u64) -> (u64, ChaCha8Rng) {
    let seed = std::env::var(var)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default);
    (seed, ChaCha8Rng::seed_from_u64(seed))
}

/// A number from the environment, else `default`.
pub fn env_count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

/// A database with `n` plain contacts (ids 1..=n) and a small generated diary after them.
pub fn seeded_db(path: &Path, n: u64) -> Vec<ContactId> {
    let s = Store::open(path).unwrap();
    s.load_bulk(tickler::demo::generate(40, 3, today()))
        .unwrap();
    (0..n)
        .map(|i| {
            s.write("add", |w| {
                let id = w.new_contact_id()?;
                w.put_contact(&Contact::new(id, format!("Crash {i}"), today()))?;
                Ok(id)
            })
            .unwrap()
        })
        .collect()
}

/// Open the file as the next tickler would (redb recovers it if a crash left it open), then run
/// redb's integrity check and tickler's invariants. `Err` says what is wrong.
pub fn open_and_check(path: &Path) -> Result<Store, String> {
    let s = Store::open(path).map_err(|e| format!("reopen failed: {e}"))?;
    match s.check_integrity() {
        Ok(true) => {}
        Ok(false) => return Err("redb's integrity check found damage (repaired)".into()),
        Err(e) => return Err(format!("redb's integrity check failed: {e}")),
    }
    let report = s
        .check_invariants()
        .map_err(|e| format!("invariants unreadable: {e}"))?;
    if !report.is_sound() {
        return Err(format!(
            "{} tickler invariants broken: {:?}",
            report.problem_count, report.problems
        ));
    }
    Ok(s)
}

/// Fail unless `path` holds exactly `before`.
pub fn assert_unchanged(path: &Path, before: &[u8]) {
    let after = std::fs::read(path).unwrap();
    assert!(after == before, "{} was modified", path.display());
}
