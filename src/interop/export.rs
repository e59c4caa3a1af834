//! Exports as one operation for the CLI's `tickler export` and the TUI's `:export`: which data
//! each format takes from the store, and writing it to a file atomically or to any writer.

use super::atomic;
use crate::model::{Contact, TouchState};
use crate::store::{Store, StoreError};
use chrono::{Days, NaiveDate};
use std::io::Write;
use std::path::Path;
use thiserror::Error;

/// Days an ICS export covers when no end is given.
pub const ICS_DAYS: u64 = 90;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The contacts as CSV.
    Csv,
    /// The whole diary as JSON (restorable with `import FILE.json`).
    Json,
    /// Planned and due follow-ups and birthdays from `from` to `to` (inclusive) as all-day events.
    Ics { from: NaiveDate, to: NaiveDate },
}

impl Kind {
    /// `csv`, `json` or `ics` (the ICS range: `today` .. `today` + [`ICS_DAYS`]).
    pub fn parse(name: &str, today: NaiveDate) -> Option<Kind> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(Kind::Csv),
            "json" => Some(Kind::Json),
            "ics" | "ical" | "icalendar" => Some(Kind::Ics {
                from: today,
                to: default_end(today),
            }),
            _ => None,
        }
    }
}

/// The default last day of an ICS export starting `from`.
pub fn default_end(from: NaiveDate) -> NaiveDate {
    from.checked_add_days(Days::new(ICS_DAYS)).unwrap_or(from)
}

/// Why an export failed.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What writes an export's bytes, to a file or to stdout.
pub type Filler = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()>>;

/// Read what `kind` needs from the store and return the writer of its bytes.
pub fn filler(store: &Store, kind: Kind, today: NaiveDate) -> Result<Filler, StoreError> {
    Ok(match kind {
        Kind::Json => {
            let export = super::json::export(store, today)?;
            Box::new(move |w| {
                serde_json::to_writer_pretty(&mut *w, &export)?;
                w.write_all(b"\n")
            })
        }
        Kind::Csv => {
            let contacts = store.contacts()?;
            let cats = store.categories()?;
            Box::new(move |w| {
                let name = |c: &Contact| {
                    c.category
                        .and_then(|id| cats.iter().find(|k| k.id == id))
                        .map(|k| k.name.clone())
                        .unwrap_or_default()
                };
                super::csv::write_contacts(w, &contacts, &name).map_err(std::io::Error::other)
            })
        }
        Kind::Ics { from, to } => {
            let roster = store.roster()?;
            let contacts = store.contacts()?;
            let planned: Vec<_> = store
                .touches_between(from, to)?
                .into_iter()
                .filter(|t| t.state == TouchState::Planned)
                .collect();
            let (cal, _) = super::ics::calendar(&roster, &contacts, &planned, today, from, to);
            Box::new(move |w| write!(w, "{cal}"))
        }
    })
}

/// Export to `path`, atomically (a reader never sees half a file).
pub fn to_file(
    store: &Store,
    kind: Kind,
    today: NaiveDate,
    path: &Path,
) -> Result<(), ExportError> {
    let fill = filler(store, kind, today)?;
    atomic::write_file(path, fill).map_err(|source| ExportError::Write {
        path: path.display().to_string(),
        source,
    })
}
