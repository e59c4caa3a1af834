//! What every command needs: the open store and today's date. The only place the CLI reads the
//! clock or decides which file to open.

use super::Global;
use super::error::user;
use crate::dates::parse_date;
use crate::store::Store;
use anyhow::Context as _;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// How long a command waits for another tickler to release the database before reporting it
/// locked (exit 1). Another command holds it for milliseconds, so scripted calls take turns; the
/// full-screen diary holds it for the whole session once it has written.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// How many contacts the `--demo` diary has.
pub const DEMO_CONTACTS: usize = 500;
/// The seed of the `--demo` diary.
pub const DEMO_SEED: u64 = 7;

/// An open diary and the date the command runs on.
pub struct Context {
    pub store: Store,
    pub today: NaiveDate,
    pub path: PathBuf,
}

impl Context {
    /// Resolve today and the database file, then open it (generating the demo diary if asked).
    pub fn open(global: &Global) -> anyhow::Result<Context> {
        let today = resolve_today(global.today.as_deref())?;
        let path = if global.demo {
            let path = demo_path()?;
            ensure_demo(&path, today)?;
            path
        } else {
            db_path(global.db.as_deref())?
        };
        let store = Store::open_waiting(&path, LOCK_WAIT)?;
        Ok(Context { store, today, path })
    }
}

/// `--today` / `TICKLER_TODAY` resolved against the system date, or the system date.
pub fn resolve_today(arg: Option<&str>) -> anyhow::Result<NaiveDate> {
    let system = chrono::Local::now().date_naive();
    match arg {
        None => Ok(system),
        Some(s) if s.trim().is_empty() => Ok(system),
        Some(s) => parse_date(s, system).map_err(|e| user(format!("--today / TICKLER_TODAY: {e}"))),
    }
}

/// The data directory: `$XDG_DATA_HOME/tickler` or the platform's equivalent.
pub fn data_dir() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("", "", "tickler")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            user("cannot find a home directory for the data file: pass --db PATH or set TICKLER_DB")
        })
}

/// The database file: `--db`, `TICKLER_DB`, else `tickler.redb` in the data directory.
pub fn db_path(arg: Option<&Path>) -> anyhow::Result<PathBuf> {
    match arg {
        Some(p) if p.as_os_str().is_empty() => {
            Err(user("--db / TICKLER_DB is empty: give a file path"))
        }
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(data_dir()?.join("tickler.redb")),
    }
}

/// The demo diary's file, beside (never instead of) the real one.
pub fn demo_path() -> anyhow::Result<PathBuf> {
    Ok(data_dir()?.join("demo.redb"))
}

/// Generate the demo diary if it is missing or was generated for another day (its history is
/// relative to the day it was made, so a stale one would show everything overdue).
fn ensure_demo(path: &Path, today: NaiveDate) -> anyhow::Result<()> {
    let stamp = path.with_extension("redb.day");
    let fresh = std::fs::read_to_string(&stamp)
        .ok()
        .is_some_and(|s| s.trim() == today.to_string());
    if fresh && path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    if path.exists() {
        std::fs::remove_file(path)
            .with_context(|| format!("cannot replace the old demo diary {}", path.display()))?;
    }
    let bulk = crate::demo::generate(DEMO_CONTACTS, DEMO_SEED, today);
    let store = Store::open(path)?;
    store.load_bulk(bulk)?;
    drop(store);
    crate::interop::atomic::write_file(&stamp, |w| w.write_all(today.to_string().as_bytes()))
        .with_context(|| format!("cannot write {}", stamp.display()))?;
    Ok(())
}
