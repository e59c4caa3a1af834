//! Long reads on a private copy of the file, so they never lock out a writer.
//!
//! A writer needs the file alone, and a reader holds it shared for as long as it reads: at
//! 100,000 contacts `tickler check` (every page, every record) and the JSON export take seconds,
//! longer than the 2 s another command waits for the file. So a long read first takes a copy:
//! while this process holds the file shared (no writer can change it), the bytes are copied to a
//! temporary file beside it (`.NAME.copy-PID`; the kernel copies, no memory is used), the file is
//! handed back, and the read runs on the copy, which is removed when it is dropped. Copying the
//! 277 MB demo file takes 0.2-1.3 s (see the README): that is how long a writer waits.
//!
//! Decisions:
//! - The copy is consistent: it is taken while a read-only open holds the shared lock (a
//!   current file, cleanly closed: see `open.rs`); a file that needed recovery or a migration is
//!   first repaired in place, as every command would, then opened read-only again.
//! - Beside the file, so the copy stays on the same disk (a `/tmp` in memory would hold the
//!   whole database in RAM); where the directory is not writable, in the system's temp
//!   directory; when neither works, the read runs on the file itself (holding it, as before).
//! - A copy left by a killed process is removed by the next copy of the same file: its name
//!   carries the PID, and one whose lock is free and whose process is gone (or that is older
//!   than a minute) is stale, as with `NAME.new-PID` (see `open.rs`).
//! - A copy is never written back: damage redb repairs on the copy (`check`) is reported, the
//!   original is left as it is.

use super::open;
use super::{Result, Store, StoreError};
use std::path::{Path, PathBuf};

/// A store read from a private copy of a database file (see the module doc). Derefs to the
/// [`Store`]; dropping it closes the copy and removes it.
pub struct StoreCopy {
    store: Option<Store>,
    /// The copy's file, `None` when the read runs on the original (no copy could be made).
    file: Option<PathBuf>,
    /// The file copied.
    original: PathBuf,
}

impl std::ops::Deref for StoreCopy {
    type Target = Store;
    fn deref(&self) -> &Store {
        // Only `drop` takes the store out.
        self.store.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for StoreCopy {
    fn drop(&mut self) {
        drop(self.store.take());
        if let Some(f) = &self.file {
            let _ = std::fs::remove_file(f);
        }
    }
}

impl StoreCopy {
    /// Whether the read runs on a copy (false: on the original file, held).
    pub fn is_copy(&self) -> bool {
        self.file.is_some()
    }

    /// `e` naming the file copied instead of the copy (a damaged page found on the copy is
    /// on the original: its bytes are the same).
    pub fn on_original(&self, e: StoreError) -> StoreError {
        rename_path(e, &self.original)
    }
}

impl Store {
    /// Open `path` for a long read on a private copy, waiting up to `lock_wait` for the file as
    /// [`Store::open_waiting`] does. The original is held only while it is copied.
    pub fn open_copy(path: &Path, lock_wait: std::time::Duration) -> Result<StoreCopy> {
        let original = Store::open_waiting(path, lock_wait)?;
        match original.copy()? {
            Some(copy) => Ok(copy),
            // Read in place (no copy could be made): this store holds the file.
            None => Ok(StoreCopy {
                store: Some(original),
                file: None,
                original: path.to_path_buf(),
            }),
        }
    }

    /// A private copy of this store's file for a long read (see the module doc). This store
    /// hands its file back once the copy is taken (its next read or write opens it again).
    /// `None` for an in-memory store, or when no copy can be made: then read this store itself.
    pub fn copy(&self) -> Result<Option<StoreCopy>> {
        let Some(path) = self.path.clone() else {
            return Ok(None);
        };
        // A clean, current file held shared (see the module doc).
        for _ in 0..2 {
            if self.is_writable() {
                self.release()?;
            }
            self.hold(self.lock_wait)?;
        }
        let Some(copy) = copy_file(&path) else {
            return Ok(None);
        };
        self.release()?;
        let opened = Store::open_waiting(&copy, self.lock_wait);
        match opened {
            Ok(store) => Ok(Some(StoreCopy {
                store: Some(store),
                file: Some(copy),
                original: path,
            })),
            Err(e) => {
                let _ = std::fs::remove_file(&copy);
                // The copy failed to open where the original opened: name the original.
                Err(rename_path(e, &path))
            }
        }
    }
}

fn rename_path(e: StoreError, original: &Path) -> StoreError {
    match e {
        StoreError::Damaged { detail, .. } => StoreError::Damaged {
            path: original.to_path_buf(),
            detail,
        },
        StoreError::NotTickler { .. } => StoreError::NotTickler {
            path: original.to_path_buf(),
        },
        other => other,
    }
}

/// Copy `path` beside it, else into the temp directory; `None` when neither works (the caller
/// reads in place).
fn copy_file(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?.to_string();
    let beside = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    for dir in [beside, std::env::temp_dir()] {
        remove_stale(&dir, &name);
        let copy = dir.join(format!(".{name}.copy-{}", std::process::id()));
        match std::fs::copy(path, &copy) {
            Ok(_) => return Some(copy),
            Err(_) => {
                let _ = std::fs::remove_file(&copy);
            }
        }
    }
    None
}

/// Remove `.NAME.copy-PID` files in `dir` whose process is gone (see the module doc).
fn remove_stale(dir: &Path, name: &str) {
    open::remove_stale_temps(dir, &format!(".{name}.copy-"));
}

/// The handle a store holds now (for tests of this module).
#[cfg(test)]
fn held(s: &Store) -> &'static str {
    use super::open::Handle;
    match s.db.read().as_deref() {
        Ok(Handle::Read(_)) => "read",
        Ok(Handle::Write(_)) => "write",
        Ok(Handle::Closed) => "closed",
        Err(_) => "poisoned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contact, ContactId};

    #[test]
    fn a_copy_reads_the_same_and_frees_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.redb");
        let s = Store::open(&path).unwrap();
        s.write("add", |w| {
            let id = w.new_contact_id()?;
            w.put_contact(&Contact::new(id, "Ada", chrono::NaiveDate::MIN))
        })
        .unwrap();
        let copy = s.copy().unwrap().unwrap();
        assert!(copy.is_copy());
        assert!(!s.is_held(), "the original is handed back");
        assert_eq!(held(&copy), "read");
        assert_eq!(copy.contact(ContactId(1)).unwrap().unwrap().name, "Ada");
        // The original is free: a writer opens it at once.
        let writer = Store::open(&path).unwrap();
        writer
            .write("add", |w| {
                let id = w.new_contact_id()?;
                w.put_contact(&Contact::new(id, "Grace", chrono::NaiveDate::MIN))
            })
            .unwrap();
        assert_eq!(copy.contact_count().unwrap(), 1, "the copy is a snapshot");
        assert!(copy.check_integrity().unwrap());
        assert!(copy.check_invariants().unwrap().is_sound());
        let file = copy.file.clone().unwrap();
        assert!(file.exists());
        drop(copy);
        assert!(!file.exists(), "the copy is removed");
        drop(writer);
        assert_eq!(
            s.contact_count().unwrap(),
            2,
            "the original reopens on its next read"
        );
        drop(s);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "only the diary is left");
    }

    #[test]
    fn stale_copies_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.redb");
        drop(Store::open(&path).unwrap());
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".d.redb.copy-{dead}"));
        std::fs::write(&stale, b"old copy").unwrap();
        let copy = Store::open_copy(&path, std::time::Duration::ZERO).unwrap();
        assert!(!stale.exists());
        drop(copy);
    }
}
