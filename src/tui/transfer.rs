//! `:import` and `:export` in the TUI, through the same library functions as the CLI verbs
//! ([`crate::interop::import`], [`crate::interop::export`]).
//!
//! An import reads and parses its file on a worker thread (the slow part) while the loop keeps
//! drawing: each tick [`poll`] shows a spinner and the records read so far in the status bar. When
//! the worker is done, the import is planned against the diary as it is then and written on the
//! loop's thread in ONE store write, so `u` undoes the whole import. Quitting before that writes
//! nothing. Exports are quick and run at once.

use super::component::Effect;
use super::job::ImportJob;
use super::model::Model;
use super::session;
use crate::interop::import::{self, Imported, Loaded};
use crate::interop::{ImportError, ImportOptions, export};
use crate::store::Store;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc::{self, TryRecvError};

/// `~/x` is `$HOME/x`, as in the shell.
fn expand(path: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    path.to_path_buf()
}

fn say(m: &mut Model, text: String, error: bool) {
    // The text may name contacts or quote a file: the log gets the outcome only.
    if error {
        tracing::warn!("transfer failed");
    } else {
        tracing::info!("transfer done");
    }
    m.status.set(text, error);
}

/// Run an `Effect::Import` (start the worker) or an `Effect::Export` (write the file).
pub fn run(store: &Store, m: &mut Model, effect: Effect, today: NaiveDate) {
    match effect {
        Effect::Import { path, dry_run } => {
            if let Some(job) = &m.import {
                let busy = format!(
                    "{} is still importing: wait for it to finish",
                    import::file_name(&job.path)
                );
                say(m, busy, true);
                return;
            }
            let path = expand(&path);
            let read = Arc::new(AtomicUsize::new(0));
            let (tx, rx) = mpsc::channel();
            let (p, r) = (path.clone(), Arc::clone(&read));
            let spawned = std::thread::Builder::new()
                .name("import".to_string())
                .spawn(move || {
                    // The receiver may be gone (the TUI quit): nothing to do then.
                    let _ = tx.send(import::load(&p, &[], &r));
                });
            if let Err(e) = spawned {
                say(m, format!("cannot start the import: {e}"), true);
                return;
            }
            let job = ImportJob {
                path,
                dry_run,
                read,
                rx,
                ticks: 0,
            };
            m.status.say(job.progress());
            m.import = Some(job);
        }
        Effect::Export { kind, path } => {
            let path = expand(&path);
            match export::to_file(store, kind, today, &path) {
                Ok(()) => say(m, format!("exported to {}", path.display()), false),
                Err(e) => say(m, format!("export failed: {e}"), true),
            }
        }
        _ => {}
    }
}

/// Called on every tick of the loop: advance the spinner, or finish the import when the worker
/// is done. Returns true while an import is still running.
pub fn poll(store: &Store, m: &mut Model, today: NaiveDate) -> bool {
    let Some(job) = m.import.as_mut() else {
        return false;
    };
    match job.rx.try_recv() {
        Err(TryRecvError::Empty) => {
            job.ticks += 1;
            m.status.say(job.progress());
            true
        }
        Ok(result) => {
            finish(store, m, Some(result), today);
            false
        }
        Err(TryRecvError::Disconnected) => {
            finish(store, m, None, today);
            false
        }
    }
}

/// Block until the running import (if any) is done and written (tests; no terminal needed).
pub fn wait(store: &Store, m: &mut Model, today: NaiveDate) {
    let result = match &m.import {
        Some(job) => job.rx.recv().ok(),
        None => return,
    };
    finish(store, m, result, today);
}

fn finish(
    store: &Store,
    m: &mut Model,
    result: Option<Result<Loaded, ImportError>>,
    today: NaiveDate,
) {
    let Some(job) = m.import.take() else {
        return;
    };
    let name = import::file_name(&job.path);
    let loaded = match result {
        Some(Ok(l)) => l,
        Some(Err(e)) => return say(m, format!("import failed: {e}"), true),
        None => return say(m, format!("import of {name} stopped unexpectedly"), true),
    };
    let opts = ImportOptions {
        category: None,
        stage: None,
        today,
    };
    let text = match import::run(store, loaded, &opts, &name, job.dry_run) {
        Err(e) => return say(m, format!("import failed: {e}"), true),
        Ok(Imported::Restored(n)) if job.dry_run => {
            format!("dry run: would restore {n} contacts from {name}")
        }
        Ok(Imported::Restored(n)) => format!("restored {n} contacts from {name}"),
        Ok(Imported::Contacts(plan)) => {
            let counts = format!(
                "{} new, {} updated, {} skipped, {} malformed, {} possible duplicate(s)",
                plan.created,
                plan.updated,
                plan.skipped,
                plan.malformed.len(),
                plan.possible_duplicates.len()
            );
            if job.dry_run {
                format!("dry run of {name}: would make {counts}; nothing written")
            } else if plan.created == 0 && plan.updated == 0 {
                format!("imported {name}: nothing new ({counts})")
            } else {
                // One store write: one action of this session's to undo.
                session::note_own_write(store, m);
                format!("imported {name}: {counts} · u undoes it")
            }
        }
    };
    if !job.dry_run
        && let Err(e) = session::refresh(store, m)
    {
        return say(m, format!("cannot re-read the diary: {e}"), true);
    }
    say(m, text, false);
}

/// The daily automatic backup when the TUI opens (skipped for the in-memory diary and the demo
/// diary): a failure goes to the status bar and the log, never stops the TUI.
pub fn daily_backup(m: &mut Model, db_path: Option<&Path>, today: NaiveDate) {
    let Some(path) = db_path else {
        return;
    };
    let keep = m.diary.roster.settings.backups_kept.max(1);
    match crate::interop::backup::daily(path, today, keep) {
        Ok(Some(p)) => {
            tracing::info!(backup = %p.display(), keep, "daily backup");
            if m.status.text.is_empty() {
                m.status.say(format!("backed up to {}", p.display()));
            }
        }
        Ok(None) => tracing::debug!("today's backup exists"),
        Err(e) => {
            tracing::error!(error = %e, "daily backup failed");
            let text = format!("daily backup failed: {e}");
            let text = if m.status.text.is_empty() {
                text
            } else {
                format!("{} · {text}", m.status.text)
            };
            m.status.fail(text);
        }
    }
}
