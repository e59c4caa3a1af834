//! An import as one operation for the CLI's `tickler import` and the TUI's `:import`: [`load`]
//! reads and parses a file (the slow, pure part, safe on a worker thread, counting records as it
//! goes), [`run`] plans it against the diary as it is now and writes it as ONE undoable action.

use super::{Format, ImportError, ImportOptions, Parsed, Plan, json};
use crate::store::Store;
use std::path::Path;
use std::sync::atomic::AtomicUsize;

/// A file read and parsed, not yet compared with the diary.
#[derive(Debug)]
pub enum Loaded {
    /// Contacts from a vCard or CSV file.
    Contacts(Parsed),
    /// A whole diary from a tickler JSON export (restored into an empty database only).
    Diary(json::Export),
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug)]
pub enum Imported {
    Contacts(Plan),
    /// How many contacts a JSON restore brought.
    Restored(usize),
}

/// Read `path` (format by extension) and parse it; `read` counts the records parsed so far.
/// `map` holds CSV `COLUMN=FIELD` overrides.
pub fn load(path: &Path, map: &[String], read: &AtomicUsize) -> Result<Loaded, ImportError> {
    let format = Format::of(path)?;
    let text = super::read_text(path)?;
    Ok(match format {
        Format::Vcard => Loaded::Contacts(super::vcard::parse_counting(&text, read)),
        Format::Csv => Loaded::Contacts(super::csv::parse_counting(&text, map, read)?),
        Format::Json => Loaded::Diary(json::parse(&text)?),
    })
}

/// Plan `loaded` against the diary and, unless `dry_run`, write it: one store write labelled
/// with `file_name`, so one undo reverts the whole import.
pub fn run(
    store: &Store,
    loaded: Loaded,
    opts: &ImportOptions,
    file_name: &str,
    dry_run: bool,
) -> Result<Imported, ImportError> {
    match loaded {
        Loaded::Contacts(parsed) => {
            let plan = super::plan(&store.contacts()?, parsed, opts);
            if dry_run {
                return Ok(Imported::Contacts(plan));
            }
            let label = format!(
                "import {file_name} ({} new, {} updated)",
                plan.created, plan.updated
            );
            super::apply(store, plan, &label).map(Imported::Contacts)
        }
        Loaded::Diary(export) => {
            if dry_run {
                let c = store.contact_count()?;
                if c > 0 {
                    return Err(ImportError::NotEmpty(format!("{c} contacts")));
                }
                return Ok(Imported::Restored(export.contacts.len()));
            }
            json::restore(store, export).map(Imported::Restored)
        }
    }
}

/// A file's name for labels and messages (the whole path if it has none).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
