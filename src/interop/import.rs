//! An import as one operation for the CLI's `tickler import` and the TUI's `:import`: [`load`]
//! reads and parses a file (the slow, pure part, safe on a worker thread, counting records as it
//! goes); [`import`] is the action: inside ONE write transaction it reads the diary as that
//! transaction sees it, decides what each record does ([`super::plan`]) and writes it, so two
//! imports of one file at once create each contact once (the second sees the first's contacts).
//! [`run`] is what both front ends call.

use super::{Format, ImportError, ImportOptions, Parsed, Plan, json, text};
use crate::store::{GlobalKind, Store, Writer};
use std::path::Path;
use std::sync::atomic::AtomicUsize;

/// A file read and parsed, not yet compared with the diary.
#[derive(Debug)]
pub enum Loaded {
    /// Contacts from a vCard or CSV file.
    Contacts(Parsed),
    /// A whole diary from a tickler JSON export (restored into an empty database only), checked
    /// and counted but left on disk: the restore streams it (see [`json`]).
    Diary(json::Source),
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug)]
pub enum Imported {
    Contacts(Plan),
    /// How many contacts a JSON restore brought.
    Restored(usize),
}

/// How a file is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    /// CSV `COLUMN=FIELD` overrides.
    pub map: &'a [String],
    /// `--encoding`: the file's encoding, instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// Read `path` (format by extension) and parse it; `read` counts the records parsed so far.
/// `map` holds CSV `COLUMN=FIELD` overrides.
pub fn load(path: &Path, map: &[String], read: &AtomicUsize) -> Result<Loaded, ImportError> {
    load_with(
        path,
        LoadOptions {
            map,
            encoding: None,
        },
        read,
    )
}

/// [`load`] with every option.
pub fn load_with(
    path: &Path,
    opts: LoadOptions<'_>,
    read: &AtomicUsize,
) -> Result<Loaded, ImportError> {
    let format = Format::of(path)?;
    if format == Format::Json {
        // Streamed, never read whole (see `json`).
        return Ok(Loaded::Diary(json::open(path)?));
    }
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.display().to_string(),
        source,
    })?;
    Ok(match format {
        Format::Vcard => Loaded::Contacts(vcard_bytes(bytes, opts.encoding, read)),
        Format::Csv => {
            let decoded = text::decode(bytes, opts.encoding, None);
            let mut parsed = super::csv::parse_counting(&decoded.text, opts.map, read)?;
            parsed.encoding = decoded.note();
            Loaded::Contacts(parsed)
        }
        Format::Json => Loaded::Diary(json::open(path)?),
    })
}

/// A .vcf file's bytes to records: characters split by a fold mended, the encoding decided
/// (`--encoding`, a byte-order mark, UTF-8, the cards' CHARSET, a guess), QUOTED-PRINTABLE
/// values read in their own CHARSET.
pub fn vcard_bytes(
    bytes: Vec<u8>,
    given: Option<&'static encoding_rs::Encoding>,
    read: &AtomicUsize,
) -> Parsed {
    let mended = match super::vcard::lines::mend_split_folds(&bytes) {
        std::borrow::Cow::Owned(m) => m,
        std::borrow::Cow::Borrowed(_) => bytes,
    };
    let declared = text::declared_charset(&mended);
    let decoded = text::decode(mended, given, declared.as_deref());
    let cs = super::vcard::Charsets {
        given,
        file: decoded.encoding,
    };
    let mut parsed = super::vcard::parse_with(&decoded.text, cs, read);
    parsed.encoding = decoded.note();
    parsed
}

/// A request to bring parsed contacts into the diary.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// What the file held.
    pub parsed: Parsed,
    /// Defaults for the contacts it creates, and today.
    pub options: ImportOptions,
}

/// The import action, inside the write transaction that commits it: reads every contact through
/// `w`, decides (create, update, skip) and writes. Returns the plan with the created ids.
pub fn import(w: &mut Writer<'_>, req: ImportRequest) -> Result<Plan, ImportError> {
    let existing = w.contacts()?;
    let global_ids = w.global_ids(GlobalKind::Contact)?;
    let categories = w.categories()?;
    let mut plan = super::plan(
        &existing,
        &global_ids,
        &categories,
        req.parsed,
        &req.options,
    );
    super::write_plan(w, &mut plan)?;
    Ok(plan)
}

/// The undo label of an import of `file_name`.
pub fn label(file_name: &str) -> String {
    format!("import {file_name}")
}

/// Import `loaded` (or, when `dry_run`, decide against the diary as it is now and write nothing).
/// A contacts import is ONE store write labelled with `file_name`, so one undo reverts it; one
/// that changes nothing commits nothing.
pub fn run(
    store: &Store,
    loaded: Loaded,
    opts: &ImportOptions,
    file_name: &str,
    dry_run: bool,
) -> Result<Imported, ImportError> {
    match loaded {
        Loaded::Contacts(parsed) => {
            if dry_run {
                let plan = super::plan(
                    &store.contacts()?,
                    &store.global_ids(GlobalKind::Contact)?,
                    &store.categories()?,
                    parsed,
                    opts,
                );
                return Ok(Imported::Contacts(plan));
            }
            let req = ImportRequest {
                parsed,
                options: *opts,
            };
            super::in_one_write(store, &label(file_name), |w| {
                let plan = import(w, req)?;
                let changed = plan.created > 0 || plan.updated > 0;
                w.set_label(format!(
                    "import {file_name} ({} new, {} updated)",
                    plan.created, plan.updated
                ));
                Ok((plan, changed))
            })
            .map(Imported::Contacts)
        }
        Loaded::Diary(export) => {
            if dry_run {
                let c = store.contact_count()?;
                if c > 0 {
                    return Err(ImportError::NotEmpty(format!("{c} contacts")));
                }
                return Ok(Imported::Restored(export.contacts));
            }
            json::restore_file(store, &export).map(Imported::Restored)
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
