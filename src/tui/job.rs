//! A job on a worker thread while the loop keeps drawing: the `:import` reading its file. Data
//! and the status line it shows; [`super::transfer`] starts it and finishes it.

use crate::interop::ImportError;
use crate::interop::import::{self, Loaded};
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
