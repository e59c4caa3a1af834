//! A job on a worker thread while the loop keeps drawing: the `:import` reading its file, a sync
//! with the account. Data and the status line each shows; [`super::transfer`] starts and
//! finishes an import, [`super::syncing`] a sync.

use crate::interop::ImportError;
use crate::interop::import::{self, Loaded};
use crate::sync::account::Synced;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// An import whose file is being read on a worker thread.
#[derive(Debug)]
pub struct ImportJob {
    pub path: PathBuf,
    pub dry_run: bool,
    /// Records parsed so far (written by the worker).
    pub read: Arc<AtomicUsize>,
    pub rx: Receiver<Result<Loaded, ImportError>>,
    /// Ticks of the loop so far (the spinner's frame).
    pub ticks: usize,
}

impl ImportJob {
    /// The status bar line while it runs: spinner, file and records read.
    pub fn progress(&self) -> String {
        let n = self.read.load(Ordering::Relaxed);
        format!(
            "{} importing {}: {n} record{} read",
            SPINNER[self.ticks % SPINNER.len()],
            import::file_name(&self.path),
            if n == 1 { "" } else { "s" }
        )
    }
}

/// A sync with the account running on a worker thread (with its own handle on the file).
#[derive(Debug)]
pub struct SyncJob {
    /// Where it syncs, as it may be shown.
    pub location: String,
    pub rx: Receiver<Synced>,
    /// Ticks of the loop so far (the spinner's frame).
    pub ticks: usize,
    /// The message of the change it follows (sync_after_change), said before its result.
    pub before: Option<String>,
    /// A change was made while it ran (sync_after_change): one more sync when it ends.
    pub again: bool,
    /// The progress line last put in the status bar: a message said since stays until it expires.
    pub shown: String,
}

impl SyncJob {
    pub fn new(location: String, rx: Receiver<Synced>, before: Option<String>) -> SyncJob {
        SyncJob {
            location,
            rx,
            ticks: 0,
            before,
            again: false,
            shown: String::new(),
        }
    }

    /// The status bar line while it runs: spinner and where.
    pub fn progress(&self) -> String {
        format!(
            "{} syncing with {}…",
            SPINNER[self.ticks % SPINNER.len()],
            self.location
        )
    }
}
