//! Opening a database file safely.
//!
//! A file that is not ours must be left byte for byte as it was, and redb's writable open is not
//! read-only even when it fails late: it sets a recovery flag in the header, and closing writes the
//! allocator state. So an existing file is first *probed* through redb's read-only open (which
//! wraps the file in a backend that refuses writes): the tickler marker and the schema version
//! are checked there, and only a tickler file of a version we can read is then opened for
//! writing. Decisions:
//! - A missing file is created atomically: the database is initialised (marker, schema version,
//!   every table) in a temporary file next to it, which is then linked into place, so a crash
//!   during creation never leaves a half-made database at `path`.
//! - A creation killed before it linked its temporary file (`NAME.new-PID`) into place leaves that
//!   file behind; every open through [`open_file`] removes such files of its own name whose
//!   creator is gone: redb's lock on the file is free (a live creator holds it), and the process
//!   PID no longer runs (Linux: no `/proc/PID`) or, where that cannot be told or the PID was
//!   reused, the file is older than [`STALE_AFTER`] (a creation takes milliseconds).
//! - An existing zero-length file is refused as not a tickler database (it may be a placeholder
//!   of something else; tickler never leaves one behind since creation is atomic).
//! - A file that another process holds open is `Locked` (redb's whole-file lock: readers share it, a
//!   writer needs it alone). A store opened with a lock wait ([`with_lock_wait`]; the CLI's verbs
//!   use 2 s, the library's default is none) retries the open, and the upgrade to writable, with
//!   backoff until the wait is spent, then reports `Locked`: two scripted `tickler log` calls (each
//!   holds the file for milliseconds) take turns instead of failing, while a file held for long
//!   (another program, an older tickler's full-screen diary) still gives a clear error within a
//!   bounded time. A failed attempt changes nothing, so retrying is safe.
//! - A process that stays open (the full-screen diary) hands the file back after each user action
//!   ([`crate::store::Store::release`]): it holds it shared while it reads and alone only during a
//!   write, so commands beside it take turns with it as with each other. The next read or write
//!   opens the file again through [`open_existing`] (never creating it: a file deleted meanwhile
//!   is an error, not a new empty diary), waiting the same way; an open that fails leaves the
//!   store released, to retry at the next read or write. A change count in the file
//!   ([`crate::store::Store::changes`]) tells the diary whether another process wrote meanwhile.
//! - A file left open by a crash (kill -9, power loss) cannot be probed read-only: redb must
//!   recover it first. It is then opened for writing (redb repairs it) and the marker is checked
//!   in a read transaction before any table is created. The one case where a file that is not
//!   ours is modified is therefore a *crashed* redb database of another application, which gets
//!   redb's own crash recovery and nothing else.
//! - redb may panic on a file damaged outside redb; the probe and the open run under
//!   `catch_unwind` and report `Damaged`. (Damage inside a data page that the open does not read
//!   is found later, by the read that meets it; checking every page at each open would read the
//!   whole file, too slow for `tickler agenda`.)
//! - A current, cleanly closed tickler file stays open through the read-only handle of the probe
//!   until the first write (see [`Handle`]): a session that only reads (`tickler agenda`) never
//!   writes to the file, not even the commit that redb makes when a writable database closes. The
//!   library's default is to keep the handle until the store is dropped (a command exits anyway);
//!   only [`crate::store::Store::release`] gives it back earlier.

use super::migrate::{self, SCHEMA_VERSION};
use super::ops::meta_u64;
use super::tables::{self, ALL_TABLE_NAMES, Bytes, META, meta};
use super::{Result, StoreError};
use redb::{
    Builder, Database, DatabaseError, ReadOnlyDatabase, ReadableDatabase, ReadableTable,
    StorageError, TableError, TableHandle,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Quick repair: each commit also records redb's allocator state (two-phase commit), so reopening
/// after a crash loads it instead of walking and checksumming the whole file.
///
/// Measured (release build, ext4 on a virtio disk, 2 busy vCPUs) with 100k contacts / 1M touches
/// (142 MB), a process killed with -9 in the middle of a stream of one-touch actions:
/// - reopen after the crash: 0.6-0.7 ms with quick repair, 144-329 ms without (full repair,
///   growing with the file, and much slower from a cold disk cache);
/// - one action (write + facts + undo record + commit): 0.85-1.16 ms with, 0.6-0.7 ms without
///   (one more fsync per commit; on a slow disk that extra fsync is the cost that grows).
///
/// Re-measured with the schema-2 demo of 100,000 contacts (277 MB), 2 vCPUs loaded by parallel
/// builds, median of 20 kills: 5.6-8.0 ms (`tests/reliability_crash.rs`,
/// `reopen_after_sigkill_of_the_100k_demo`).
///
/// Actions are human-paced, and a crash is not rare for a terminal program (a closed terminal
/// kills the TUI holding the file open), so the faster reopen wins: on.
pub(crate) const QUICK_REPAIR: bool = true;

/// How the store holds its database.
pub(crate) enum Handle {
    /// Read-only (shared lock; other readers may open the file too, no writer can). Upgraded to
    /// `Write` on the first write.
    Read(ReadOnlyDatabase),
    /// Writable (exclusive lock).
    Write(Database),
    /// Not held: after [`crate::store::Store::release`] or a failed upgrade. The next read or
    /// write opens the file again (an existing file only: a file deleted meanwhile is an error,
    /// not a new empty diary).
    Closed,
}

/// Run `attempt` until it is not `Locked` or `wait` is spent (backoff from 1 ms to 25 ms between
/// tries). With a zero wait, one attempt.
pub(crate) fn with_lock_wait<T>(
    wait: std::time::Duration,
    mut attempt: impl FnMut() -> Result<T>,
) -> Result<T> {
    let deadline = std::time::Instant::now() + wait;
    let mut pause = std::time::Duration::from_millis(1);
    loop {
        match attempt() {
            Err(StoreError::Locked { path }) => {
                let now = std::time::Instant::now();
                if now >= deadline {
                    return Err(StoreError::Locked { path });
                }
                std::thread::sleep(pause.min(deadline - now));
                pause = (pause * 2).min(std::time::Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

/// What the read-only probe found.
enum Probe {
    /// A tickler database of this schema version or older, held open read-only.
    Tickler { version: u32, db: ReadOnlyDatabase },
    /// Left open by a crash: redb must repair it before it can be read.
    NeedsRecovery,
}

/// Open (creating if missing) the database file at `path`.
pub(crate) fn open_file(path: &Path) -> Result<Handle> {
    let io = |source: std::io::Error| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::CannotCreate {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    }
    remove_stale_creations(path);
    match std::fs::metadata(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_new(path)?,
        Err(e) => return Err(io(e)),
    }
    open_existing(path)
}

/// A temporary file of a creation older than this is stale even when its PID runs (reused).
pub(crate) const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// The temporary file [`create_new`] makes for `path`, by process `pid`.
fn creation_file(path: &Path, pid: u32) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".new-{pid}"));
    path.with_file_name(name)
}

/// Remove `PATH.new-PID` files left by creations that died (see the module doc).
fn remove_stale_creations(path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    remove_stale_temps(dir, &format!("{name}.new-"));
}

/// Remove the files in `dir` named `prefix` followed by the id of another process, when that
/// process left them (see [`is_stale_temp`]).
pub(super) fn remove_stale_temps(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let pid = entry
            .file_name()
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid.filter(|p| *p != me) else {
            continue;
        };
        let file = entry.path();
        if is_stale_temp(&file, pid) {
            let _ = std::fs::remove_file(&file);
        }
    }
}

/// Whether the temporary file `file` of process `pid` (a creation, a copy for a long read) was
/// left by a process that died: no lock on it, and the process gone or the file older than
/// [`STALE_AFTER`].
pub(crate) fn is_stale_temp(file: &Path, pid: u32) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(file) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    // A live creator holds redb's lock on it.
    let unlocked = std::fs::File::open(file).is_ok_and(|f| f.try_lock().is_ok());
    if !unlocked {
        return false;
    }
    let old = meta
        .modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > STALE_AFTER);
    old || process_gone(pid)
}

/// Whether process `pid` surely does not run (Linux: no `/proc/PID`; elsewhere never sure).
fn process_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// Initialise a new database in a temporary file and link it into place (no-clobber).
fn create_new(path: &Path) -> Result<()> {
    let io = |source: std::io::Error| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let tmp = creation_file(path, std::process::id());
    let _ = std::fs::remove_file(&tmp);
    let made = (|| -> Result<()> {
        let db = Builder::new()
            .create(&tmp)
            .map_err(|e| map_open_error(&tmp, e))?;
        prepare(&db, &tmp, true)?;
        db.close().map_err(StoreError::from)?;
        Ok(())
    })();
    if let Err(e) = made {
        let _ = std::fs::remove_file(&tmp);
        // Name the file the user asked for, not the temporary one.
        return Err(match e {
            StoreError::Io { source, .. } => StoreError::CannotCreate {
                path: path.to_path_buf(),
                detail: source.to_string(),
            },
            StoreError::ReadOnly { detail, .. } => StoreError::CannotCreate {
                path: path.to_path_buf(),
                detail,
            },
            other => other,
        });
    }
    let linked = match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        // Another tickler created it meanwhile: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A file system without hard links: rename, unless the file appeared meanwhile.
        Err(_) if !path.exists() => std::fs::rename(&tmp, path),
        Err(_) => Ok(()),
    };
    let _ = std::fs::remove_file(&tmp);
    linked.map_err(io)
}

/// Open an existing file: probe it read-only; keep that handle if the file is current, else open
/// it for writing (to repair, migrate or create missing tables).
pub(crate) fn open_existing(path: &Path) -> Result<Handle> {
    let meta = std::fs::metadata(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.len() == 0 {
        return Err(StoreError::NotTickler {
            path: path.to_path_buf(),
        });
    }
    match guarded(path, || probe(path))? {
        Probe::Tickler { version, db } if version == SCHEMA_VERSION && all_tables(&db)? => {
            Ok(Handle::Read(db))
        }
        Probe::Tickler { db, .. } => {
            let _ = db.close();
            open_writable(path).map(Handle::Write)
        }
        Probe::NeedsRecovery => open_writable(path).map(Handle::Write),
    }
}

/// Open an existing tickler file for writing: redb repairs it if a crash left it open; the marker
/// is checked before anything else is written; missing tables and migrations are done.
pub(crate) fn open_writable(path: &Path) -> Result<Database> {
    let db = guarded(path, || {
        Builder::new()
            .open(path)
            .map_err(|e| map_open_error(path, e))
    })?;
    prepare(&db, path, false)?;
    Ok(db)
}

/// Run `f`, turning a panic inside redb (a file damaged outside redb) into `Damaged`.
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    super::check::catch_panic(f).unwrap_or_else(|what| {
        Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!("its internal structure is inconsistent: {what}"),
        })
    })
}

/// Look at an existing file through redb's read-only open (which cannot write).
fn probe(path: &Path) -> Result<Probe> {
    let ro = match Builder::new().open_read_only(path) {
        Ok(ro) => ro,
        Err(DatabaseError::RepairAborted) => return Ok(Probe::NeedsRecovery),
        Err(e) => return Err(map_open_error(path, e)),
    };
    let version = {
        let txn = ro.begin_read().map_err(|e| damaged(path, e))?;
        check_marker(path, txn.open_table(META))?
    };
    Ok(Probe::Tickler { version, db: ro })
}

/// The schema version of a file, after checking its marker (`NotTickler`, `NewerSchema`).
fn check_marker<T: ReadableTable<&'static str, Bytes>>(
    path: &Path,
    meta_table: std::result::Result<T, TableError>,
) -> Result<u32> {
    let not_tickler = || StoreError::NotTickler {
        path: path.to_path_buf(),
    };
    let table = match meta_table {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_) | TableError::TableTypeMismatch { .. }) => {
            return Err(not_tickler());
        }
        Err(e) => return Err(damaged(path, e)),
    };
    let magic = table.get(meta::MAGIC).map_err(|e| damaged(path, e))?;
    if magic.as_ref().map(|m| m.value()) != Some(meta::MAGIC_VALUE) {
        return Err(not_tickler());
    }
    let version = match table
        .get(meta::SCHEMA_VERSION)
        .map_err(|e| damaged(path, e))?
    {
        Some(v) => u32::from_le_bytes(v.value().try_into().map_err(|_| StoreError::Damaged {
            path: path.to_path_buf(),
            detail: "the schema version record is malformed".to_string(),
        })?),
        None => 0,
    };
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// Whether every table of the current schema exists.
fn all_tables(db: &impl ReadableDatabase) -> Result<bool> {
    let txn = db.begin_read()?;
    let have: HashSet<String> = txn.list_tables()?.map(|t| t.name().to_string()).collect();
    Ok(ALL_TABLE_NAMES.iter().all(|n| have.contains(*n)))
}

/// Check (existing file) or write (new file) the marker; create every table; run migrations; record
/// the schema version. One write transaction, committed only if something was missing.
pub(crate) fn prepare(db: &Database, path: &Path, is_new: bool) -> Result<()> {
    let found = if is_new {
        0
    } else {
        let txn = db.begin_read()?;
        check_marker(path, txn.open_table(META))?
    };
    if found == SCHEMA_VERSION && all_tables(db)? {
        return Ok(());
    }
    let mut txn = db.begin_write()?;
    txn.set_quick_repair(QUICK_REPAIR);
    create_tables(&txn)?;
    migrate::run(&txn, found)?;
    {
        let mut m = txn.open_table(META)?;
        m.insert(meta::MAGIC, meta::MAGIC_VALUE)?;
        m.insert(
            meta::SCHEMA_VERSION,
            SCHEMA_VERSION.to_le_bytes().as_slice(),
        )?;
        for key in [
            meta::NEXT_CONTACT,
            meta::NEXT_TOUCH,
            meta::NEXT_SALE,
            meta::NEXT_CATEGORY,
            meta::NEXT_UNDO,
            meta::NEXT_STAGE_MOVE,
            meta::NEXT_PIECE,
            meta::NEXT_CAPTURE_RUN,
        ] {
            if meta_u64(&m, key)? == 0 {
                m.insert(key, 1u64.to_le_bytes().as_slice())?;
            }
        }
    }
    txn.commit()?;
    Ok(())
}

fn create_tables(txn: &redb::WriteTransaction) -> Result<()> {
    txn.open_table(tables::META)?;
    txn.open_table(tables::CONTACTS)?;
    txn.open_table(tables::TOUCHES)?;
    txn.open_table(tables::SALES)?;
    txn.open_table(tables::CATEGORIES)?;
    txn.open_table(tables::ROSTER)?;
    txn.open_table(tables::SETTINGS)?;
    txn.open_table(tables::UNDO)?;
    txn.open_table(tables::TOUCHES_BY_CONTACT)?;
    txn.open_table(tables::TOUCHES_BY_DATE)?;
    txn.open_table(tables::SALES_BY_CONTACT)?;
    txn.open_table(tables::CONTACTS_BY_STAGE)?;
    txn.open_table(tables::STAGE_MOVES)?;
    txn.open_table(tables::TRIAGE_CLEARED)?;
    txn.open_table(tables::GLOBAL_IDS)?;
    txn.open_table(tables::BY_GLOBAL_ID)?;
    txn.open_table(tables::SYNC_ITEMS)?;
    txn.open_table(tables::SYNC_META)?;
    txn.open_table(tables::PIECES)?;
    txn.open_table(tables::TOUCH_PIECES)?;
    txn.open_table(tables::CAPTURED)?;
    txn.open_table(tables::CAPTURE_RUNS)?;
    Ok(())
}

fn damaged(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Map redb's open errors to what the user can do about them.
pub(crate) fn map_open_error(path: &Path, e: DatabaseError) -> StoreError {
    let path_buf = || PathBuf::from(path);
    match e {
        DatabaseError::DatabaseAlreadyOpen | DatabaseError::LockProtocolMismatch => {
            StoreError::Locked { path: path_buf() }
        }
        // Another redb file format (tickler files were always written by redb 4).
        DatabaseError::UpgradeRequired(_) => StoreError::NotTickler { path: path_buf() },
        // Magic number mismatch, or an empty file opened without create.
        DatabaseError::Storage(StorageError::Io(io))
            if io.kind() == std::io::ErrorKind::InvalidData =>
        {
            StoreError::NotTickler { path: path_buf() }
        }
        DatabaseError::Storage(StorageError::Io(source))
            if matches!(
                source.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            StoreError::ReadOnly {
                path: path_buf(),
                detail: source.to_string(),
            }
        }
        DatabaseError::Storage(StorageError::Io(source)) if super::error::is_no_space(&source) => {
            StoreError::NoSpace {
                detail: source.to_string(),
            }
        }
        DatabaseError::Storage(StorageError::Io(source)) => StoreError::Io {
            path: path_buf(),
            source,
        },
        DatabaseError::RepairAborted => damaged(path, "redb could not repair it"),
        other => damaged(path, other),
    }
}
