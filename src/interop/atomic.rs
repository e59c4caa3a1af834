//! Files tickler writes: a temp file in the same directory, fsync, rename over the final name,
//! fsync the directory. A crash mid-write never leaves a half file under the final name.
//!
//! A crash does leave its temp file (`.NAME.tmp-PID`) behind. The writer holds an exclusive advisory
//! lock on its temp file while it lives, so the next write of the same name removes every such
//! file whose lock it can take: their writers are gone (the kernel drops a lock when its process
//! dies). A temp file being written by a live process is locked and left alone.
//!
//! Every file tickler writes besides its database goes through here, so this is where a database
//! is protected from being written over: [`write_file`] refuses a path that holds a redb file
//! (the diary open now, a backup, any other tickler database; a symbolic or hard link to one
//! too). Only a backup may replace a database, and only the backup of the same day, never the
//! database it copies ([`write_backup`]).

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a file was not written at all (carried inside the `std::io::Error` the writers return,
/// with kind `AlreadyExists`, so every caller's "cannot write PATH: ..." names the reason).
#[derive(Debug, Error)]
pub enum Refused {
    #[error(
        "it is a tickler database (a redb file): exports and backups never replace one; choose another file name"
    )]
    Database,
    #[error(
        "it is the database being backed up: choose a backup directory that does not hold the diary"
    )]
    Source,
}

impl From<Refused> for std::io::Error {
    fn from(r: Refused) -> Self {
        std::io::Error::new(std::io::ErrorKind::AlreadyExists, r)
    }
}

/// The first bytes of every redb file (redb's header magic).
const REDB_MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];

/// Whether `path` holds a redb file (a tickler database, or another redb application's): its
/// first bytes are redb's magic. Follows links. A file that cannot be read is not one.
pub fn is_database(path: &Path) -> bool {
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    if !f.metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; REDB_MAGIC.len()];
    f.read_exact(&mut head).is_ok() && head == REDB_MAGIC
}

/// Whether `a` and `b` name the same file (following links; false when either is missing).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            x.dev() == y.dev() && x.ino() == y.ino()
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
        _ => false,
    }
}

/// Write `path` atomically with what `fill` writes. On any error the temp file is removed and
/// the previous file (if any) is untouched. Refuses ([`Refused::Database`]) when `path` holds a
/// database.
pub fn write_file(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if is_database(path) {
        return Err(Refused::Database.into());
    }
    write_unchecked(path, fill)
}

/// [`write_file`] for a backup of `source`: it may replace an older copy (a database) at `path`,
/// but never `source` itself ([`Refused::Source`]).
pub(crate) fn write_backup(
    path: &Path,
    source: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if same_file(path, source) {
        return Err(Refused::Source.into());
    }
    write_unchecked(path, fill)
}

fn write_unchecked(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| std::io::Error::other(format!("{} is not a file name", path.display())))?;
    let prefix = format!(".{name}.tmp-");
    remove_stale(&dir, &prefix);
    let tmp = dir.join(format!("{prefix}{}", std::process::id()));
    let result = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        // Marks the temp file as live (see the module doc); where locks are unsupported the
        // write goes on unmarked.
        let _ = file.try_lock();
        let mut w = BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_dir(&dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Remove the temp files `dir/PREFIX*` left by writers that died (their lock is free).
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_temp = entry
            .file_name()
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if !is_temp {
            continue;
        }
        let path = entry.path();
        if let Ok(f) = File::open(&path)
            && f.try_lock().is_ok()
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Make a rename in `dir` durable (a no-op where directories cannot be opened, e.g. Windows).
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_or_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        write_file(&p, |w| w.write_all(b"one")).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        let e = write_file(&p, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(e.is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn removes_temp_files_of_dead_writers_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        let dead = dir.path().join(".out.txt.tmp-999999");
        std::fs::write(&dead, b"half").unwrap();
        let live = dir.path().join(".out.txt.tmp-999998");
        let held = File::create(&live).unwrap();
        held.lock().unwrap();
        let other = dir.path().join(".other.txt.tmp-999997");
        std::fs::write(&other, b"not ours").unwrap();
        write_file(&p, |w| w.write_all(b"whole")).unwrap();
        assert!(!dead.exists(), "a dead writer's temp file is removed");
        assert!(live.exists(), "a live writer's temp file is kept");
        assert!(other.exists(), "another name's temp file is kept");
        assert_eq!(std::fs::read(&p).unwrap(), b"whole");
    }

    #[test]
    fn never_writes_over_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("diary.redb");
        drop(crate::store::Store::open(&db).unwrap());
        let before = std::fs::read(&db).unwrap();
        let e = write_file(&db, |w| w.write_all(b"a,b")).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert!(e.to_string().contains("is a tickler database"), "{e}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(write_file(&link, |w| w.write_all(b"a,b")).is_err());
            let hard = dir.path().join("hard.csv");
            std::fs::hard_link(&db, &hard).unwrap();
            assert!(write_file(&hard, |w| w.write_all(b"a,b")).is_err());
        }
        assert_eq!(std::fs::read(&db).unwrap(), before);
        // A backup replaces an older copy, never its source.
        let copy = dir.path().join("copy.redb");
        std::fs::write(&copy, &before).unwrap();
        write_backup(&copy, &db, |w| w.write_all(&before)).unwrap();
        let e = write_backup(&db, &db, |w| w.write_all(b"x")).unwrap_err();
        assert!(e.to_string().contains("being backed up"), "{e}");
        assert_eq!(std::fs::read(&db).unwrap(), before);
        // Short and unrelated files are plain files.
        let short = dir.path().join("short.txt");
        std::fs::write(&short, b"redb").unwrap();
        assert!(!is_database(&short));
        write_file(&short, |w| w.write_all(b"ok")).unwrap();
    }
}
