//! Store errors, worded for the user: what went wrong and what to do.

use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "{path} is in use by another tickler (or another program): wait for the other command to finish, or quit the program that holds it, then try again"
    )]
    Locked { path: PathBuf },
    #[error(
        "{path} is not a tickler database: pass the right file with --db or TICKLER_DB (the file was not changed)"
    )]
    NotTickler { path: PathBuf },
    #[error("{path} is damaged ({detail}): restore a backup; the file was not changed")]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer tickler (schema {found}, this one knows up to {supported}): upgrade tickler"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{path} cannot be written ({detail}): make it writable (chmod u+w, or a read-write mount) or pass another file with --db; commands that only read still work"
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "cannot create {path} ({detail}): make its directory writable or pass another file with --db or TICKLER_DB"
    )]
    CannotCreate { path: PathBuf, detail: String },
    #[error(
        "the disk holding the database is full, or the file reached its size limit ({detail}): free some space and try again; this action was not saved, everything before it is intact"
    )]
    NoSpace { detail: String },
    #[error("cannot open {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("a stored {table} record (key {key}) cannot be read: {detail}; restore a backup")]
    Codec {
        table: &'static str,
        key: String,
        detail: String,
    },
    #[error("no {kind} with id {id}")]
    NotFound { kind: &'static str, id: u64 },
    #[error("the database is not empty: load demo or bulk data into a new file")]
    NotEmpty,
    #[error(
        "not undone: the newest entry of the undo log is \"{label}\", which loaded the whole diary at once and cannot be undone (what came before it is not in this file's history); to go back, restore an older export or backup into a new file (--db)"
    )]
    UndoStops { label: String },
    #[error("the data holds two {kind} records with id {id}: each id appears once")]
    Duplicate { kind: &'static str, id: u64 },
    #[error("database error: {0}")]
    Db(String),
}

// redb's errors inside an open database. A full disk is `NoSpace`; corruption found while reading
// is reported as `Db` with redb's message (the path is added by the caller where it knows it).
impl From<redb::StorageError> for StoreError {
    fn from(e: redb::StorageError) -> Self {
        match &e {
            redb::StorageError::Io(io) if is_no_space(io) => StoreError::NoSpace {
                detail: io.to_string(),
            },
            redb::StorageError::PreviousIo => StoreError::Db(
                "an earlier write to the database failed: restart tickler (nothing after that failure was saved)"
                    .to_string(),
            ),
            _ => StoreError::Db(e.to_string()),
        }
    }
}

/// Whether an I/O error means the disk (or the file's size limit, or a quota) is full.
pub(crate) fn is_no_space(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{FileTooLarge, QuotaExceeded, StorageFull};
    matches!(e.kind(), StorageFull | FileTooLarge | QuotaExceeded)
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                type E = $t;
                match e {
                    E::Storage(s) => StoreError::from(s),
                    other => StoreError::Db(other.to_string()),
                }
            }
        }
    )*};
}

from_redb!(
    redb::TableError,
    redb::TransactionError,
    redb::CommitError,
    redb::DatabaseError
);

impl From<redb::Error> for StoreError {
    fn from(e: redb::Error) -> Self {
        match e {
            redb::Error::Io(io) if is_no_space(&io) => StoreError::NoSpace {
                detail: io.to_string(),
            },
            other => StoreError::Db(other.to_string()),
        }
    }
}
