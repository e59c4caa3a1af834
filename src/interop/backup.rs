//! Backups: a consistent copy of the database file, named with the date, keeping the newest N.
//!
//! Consistency: tickler commits every action durably and holds the file locked while it is open
//! writable, so a copy taken by a process that holds the store (read-only or writable) between
//! transactions is a complete database. The copy is written like any exported file (temp file,
//! fsync, rename, fsync the directory) and then opened once to check it.
//!
//! Pruning goes by each backup's own age (its modification time), never by the date in its name
//! (a backup made with a wrong `--today` would otherwise sort first or last forever), never removes
//! the backup just made, and never removes a file tickler did not write: each backup is recorded
//! (name, size, modification time) in the directory's list [`LIST`] when it is made, and only a
//! file still matching its record is a candidate. A file copied in by hand, a backup changed
//! since, or one made by a tickler before the list existed, is kept. Two backups into one
//! directory at the same moment may each rewrite the list; the one lost then is never pruned
//! (kept, the safe side).

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
    #[error(
        "{0} exists and is not a backup: it is left alone; move it away or back up into another directory"
    )]
    NotOurs(String),
}

const PREFIX: &str = "tickler-";
const SUFFIX: &str = ".redb";
/// The list of backups tickler made in a directory (one line each: name, size, modification
/// time in nanoseconds since 1970).
pub const LIST: &str = ".tickler-backups";

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
    let mut made = read_list(dir);
    // The day's earlier backup is replaced (a database, recorded or not: an older tickler's, or
    // one whose writer died before recording it); anything else of that name is not a backup.
    if target.exists() && !atomic::is_database(&target) {
        return Err(BackupError::NotOurs(target.display().to_string()));
    }
    let copy_err = |source| BackupError::Copy {
        from: store_path.display().to_string(),
        to: target.display().to_string(),
        source,
    };
    let mut src = std::fs::File::open(store_path).map_err(copy_err)?;
    atomic::write_backup(&target, store_path, |w| {
        std::io::copy(&mut src, w).map(|_| ())
    })
    .map_err(|source| BackupError::Copy {
        from: store_path.display().to_string(),
        to: target.display().to_string(),
        source,
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
    if let Some(this) = Made::of(&target) {
        made.retain(|b| b.name != this.name);
        made.push(this);
    }
    prune(dir, &target, &mut made, keep);
    // A list that cannot be written only means these backups are never pruned (kept).
    let _ = write_list(dir, &made);
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

/// One backup tickler made, as recorded in [`LIST`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Made {
    name: String,
    len: u64,
    /// Modification time, nanoseconds since 1970.
    mtime: i128,
}

impl Made {
    /// The record of the backup file at `path` as it is now (`None`: not a backup's name, or gone).
    fn of(path: &Path) -> Option<Made> {
        let name = path.file_name()?.to_str()?;
        if !is_backup_name(name) {
            return None;
        }
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        Some(Made {
            name: name.to_string(),
            len: meta.len(),
            mtime: mtime_nanos(&meta)?,
        })
    }

    /// Whether the file at `path` is still this backup, unchanged.
    fn matches(&self, path: &Path) -> bool {
        Made::of(path).is_some_and(|now| now == *self)
    }

    fn parse(line: &str) -> Option<Made> {
        let mut parts = line.split('\t');
        let name = parts.next()?;
        let len = parts.next()?.parse().ok()?;
        let mtime = parts.next()?.parse().ok()?;
        (is_backup_name(name) && parts.next().is_none()).then(|| Made {
            name: name.to_string(),
            len,
            mtime,
        })
    }
}

fn mtime_nanos(meta: &std::fs::Metadata) -> Option<i128> {
    let t = meta.modified().ok()?;
    Some(match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).ok()?,
        Err(e) => -i128::try_from(e.duration().as_nanos()).ok()?,
    })
}

fn is_backup_name(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|r| r.strip_suffix(SUFFIX))
        .is_some_and(|d| d.parse::<NaiveDate>().is_ok())
}

/// The backups recorded in `dir`'s list (empty when there is none or it cannot be read).
fn read_list(dir: &Path) -> Vec<Made> {
    std::fs::read_to_string(dir.join(LIST))
        .map(|text| text.lines().filter_map(Made::parse).collect())
        .unwrap_or_default()
}

fn write_list(dir: &Path, made: &[Made]) -> std::io::Result<()> {
    atomic::write_file(&dir.join(LIST), |w| {
        for m in made {
            writeln!(w, "{}\t{}\t{}", m.name, m.len, m.mtime)?;
        }
        Ok(())
    })
}

/// The backups tickler made in `dir` that are still as it wrote them, oldest first (by their
/// modification time; the name breaks ties).
pub fn list(dir: &Path) -> Vec<PathBuf> {
    ours(dir, &read_list(dir))
        .into_iter()
        .map(|(_, p)| p)
        .collect()
}

fn ours(dir: &Path, made: &[Made]) -> Vec<(i128, PathBuf)> {
    let mut out: Vec<(i128, PathBuf)> = made
        .iter()
        .filter_map(|m| {
            let p = dir.join(&m.name);
            m.matches(&p).then_some((m.mtime, p))
        })
        .collect();
    out.sort();
    out
}

/// Remove the oldest of tickler's backups in `dir` beyond `keep`, never `just_made`; the list
/// keeps only the records of files still there.
fn prune(dir: &Path, just_made: &Path, made: &mut Vec<Made>, keep: u32) {
    let older: Vec<PathBuf> = ours(dir, made)
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| p.as_path() != just_made)
        .collect();
    let keep_older = usize::try_from(keep.saturating_sub(1)).unwrap_or(usize::MAX);
    let excess = older.len().saturating_sub(keep_older);
    for old in older.into_iter().take(excess) {
        let _ = std::fs::remove_file(old);
    }
    made.retain(|m| m.matches(&dir.join(&m.name)));
}
