//! Files tickler writes: a temp file in the same directory, fsync, rename over the final name,
//! fsync the directory. A crash mid-write never leaves a half file under the final name.
//!
//! A crash does leave its temp file (`.NAME.tmp-PID`) behind. The writer holds an exclusive advisory
//! lock on its temp file while it lives, so the next write of the same name removes every such
//! file whose lock it can take: their writers are gone (the kernel drops a lock when its process
//! dies). A temp file being written by a live process is locked and left alone.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Write `path` atomically with what `fill` writes. On any error the temp file is removed and
/// the previous file (if any) is untouched.
pub fn write_file(
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
}
