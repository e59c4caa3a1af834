//! Store errors, worded for the user: what went wrong and what to do.

use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "{path} is in use by another tickler (or another program): quit the full-screen diary or wait for the other command, then try again"
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
    #[error("database error: {0}")]
    Db(String),
}

// redb's errors inside an open database. Corruption found while reading is reported as `Db` with
// redb's message (the path is added by the caller where it knows it).
macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Db(e.to_string())
            }
        }
    )*};
}

from_redb!(
    redb::Error,
    redb::StorageError,
    redb::TableError,
    redb::TransactionError,
    redb::CommitError,
    redb::DatabaseError
);
