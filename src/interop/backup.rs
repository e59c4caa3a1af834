//! Backups: a consistent copy of the database file, named with the date, keeping the newest N.
//!
//! Consistency: tickler commits every action durably and holds the file locked while it is open
//! writable, so a copy taken by a process that holds the store (read-only or writable) between
//! transactions is a complete database. The copy is written like any exported file (temp file,
//! fsync, rename, fsync the directory) and then opened once to check it.

use super::atomic;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a backup failed.
#[derive(Debug, Error)]
pub enum BackupError {
    #[error("cannot create the backup directory {dir}: {source}")]
    Dir { dir: String, source: std::io::Error },
    #[error("cannot copy {from} to {to}: {source}")]
    Copy {
        from: String,
        to: String,
        source: std::io::Error,
    },
    #[error("the copy {0} does not open as a tickler database ({1}); the backup was removed")]
    Check(String, String),
    #[error("the diary lives in memory: there is no file to back up")]
    NoFile,
    #[error("keep must be at least 1 (the backup just made)")]
    KeepZero,
}

const PREFIX: &str = "tickler-";
const SUFFIX: &str = ".redb";

/// The default backup directory: `backups/` beside the database file.
pub fn default_dir(store_path: &Path) -> PathBuf {
    store_path
        .parent()
        .map_or_else(|| PathBuf::from("backups"), |p| p.join("backups"))
}

/// Copy the database at `store_path` to `dir/tickler-YYYY-MM-DD.redb` (replacing a backup of the
/// same day), then delete the oldest backups beyond `keep`. Returns the new backup's path.
pub fn backup(
    store_path: &Path,
    dir: &Path,
    today: NaiveDate,
    keep: u32,
) -> Result<PathBuf, BackupError> {
    if keep == 0 {
        return Err(BackupError::KeepZero);
    }
    std::fs::create_dir_all(dir).map_err(|source| BackupError::Dir {
        dir: dir.display().to_string(),
        source,
    })?;
    let target = file_for(dir, today);
    let copy_err = |source| BackupError::Copy {
        from: store_path.display().to_string(),
        to: target.display().to_string(),
        source,
    };
    let mut src = std::fs::File::open(store_path).map_err(copy_err)?;
    atomic::write_file(&target, |w| std::io::copy(&mut src, w).map(|_| ())).map_err(|source| {
        BackupError::Copy {
            from: store_path.display().to_string(),
            to: target.display().to_string(),
            source,
        }
    })?;
    // The check waits a moment for the lock: a process forked by another thread of this one
    // (a test harness, a future plugin) can hold a copy of the probe's descriptor, and with it
    // redb's lock, until it execs.
    if let Err(e) = crate::store::Store::open_waiting(&target, CHECK_LOCK_WAIT) {
        let _ = std::fs::remove_file(&target);
        return Err(BackupError::Check(
            target.display().to_string(),
            e.to_string(),
        ));
    }
    prune(dir, keep);
    Ok(target)
}

/// How long the check of a new backup waits for its lock (see [`backup`]).
const CHECK_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The file a backup taken on `today` is written to.
pub fn file_for(dir: &Path, today: NaiveDate) -> PathBuf {
    dir.join(format!("{PREFIX}{today}{SUFFIX}"))
}

/// The automatic backup the TUI takes when it opens: at most once a day. Skipped (`Ok(None)`) when
/// today's backup `tickler-YYYY-MM-DD.redb` already exists in `backups/` beside the database;
/// otherwise [`backup`] into that directory, keeping the newest `keep`.
pub fn daily(
    store_path: &Path,
    today: NaiveDate,
    keep: u32,
) -> Result<Option<PathBuf>, BackupError> {
    let dir = default_dir(store_path);
    if file_for(&dir, today).exists() {
        return Ok(None);
    }
    backup(store_path, &dir, today, keep).map(Some)
}

/// Backups in `dir`, oldest first (by the date in the name).
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix(PREFIX)
                    .and_then(|r| r.strip_suffix(SUFFIX))
                    .is_some_and(|d| d.parse::<NaiveDate>().is_ok())
            })
        })
        .collect();
    out.sort();
    out
}

fn prune(dir: &Path, keep: u32) {
    let all = list(dir);
    let keep = usize::try_from(keep).unwrap_or(usize::MAX);
    let excess = all.len().saturating_sub(keep);
    for old in all.into_iter().take(excess) {
        let _ = std::fs::remove_file(old);
    }
}
