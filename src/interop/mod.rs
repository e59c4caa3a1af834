//! Interop: contacts in from vCard and CSV, the diary out as CSV, JSON, vCard and iCalendar,
//! backups.
//!
//! Owns file formats only. Reading a file is [`text`] (bytes to text: byte-order marks,
//! `--encoding`, legacy code pages) then a parser ([`csv`], [`vcard`]: text in, [`Parsed`] out,
//! pure); deciding what an import does is pure ([`plan()`]); the import and merge actions
//! ([`import::import`], [`merge::merge`]) read what they decide on and write inside ONE store write
//! transaction. Exported files go through [`atomic::write_file`]. Must not touch redb, the terminal
//! or the clock: `today` is always a parameter.

pub mod atomic;
pub mod backup;
pub mod csv;
pub mod export;
pub mod ics;
pub mod import;
pub mod json;
pub mod lists;
pub mod merge;
pub mod plan;
pub mod record;
pub mod text;
pub mod vcard;

pub use backup::{BackupError, backup};
pub use plan::{ImportOptions, Outcome, Plan, PlanItem, PossibleDuplicate, plan};
pub use record::{
    DateOrder, Malformed, Parsed, Record, Warning, parse_birthday, parse_birthday_in,
};

use crate::model::ContactId;
use crate::store::{GlobalKind, Store, StoreError, Writer};
use thiserror::Error;

/// Why an import could not run at all (a malformed record is not an error: it is skipped and
/// reported in [`Parsed::malformed`]).
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "cannot tell the format of {0}: name the file .vcf (vCard), .csv or .json (a tickler export)"
    )]
    UnknownFormat(String),
    #[error("{0} is not UTF-8 text: save it as UTF-8 and import again")]
    NotUtf8(String),
    #[error(
        "--encoding '{0}': not an encoding name; use e.g. utf-8, windows-1252, iso-8859-15, utf-16le, shift_jis, gbk"
    )]
    UnknownEncoding(String),
    #[error("the CSV file has no header row: the first line must name the columns")]
    NoHeader,
    #[error(
        "no column holds a name or an email (columns: {0}): map one with --map 'COLUMN=name' or --map 'COLUMN=email'"
    )]
    NoNameColumn(String),
    #[error("--map '{0}': write COLUMN=FIELD, FIELD one of {FIELDS}")]
    BadMapping(String),
    #[error("--map '{0}': the file has no column named '{1}' (columns: {2})")]
    NoSuchColumn(String, String, String),
    #[error("not a tickler JSON export: {0}")]
    BadJson(String),
    #[error(
        "cannot restore: {0}; fix it in the file (or in the diary it came from) and restore again; nothing was written"
    )]
    InvalidRecord(String),
    #[error(
        "this JSON export has format version {0}, newer than this tickler understands (1): update tickler"
    )]
    NewerExport(u64),
    #[error(
        "the database is not empty ({0}): a JSON export restores into an empty database only; use --db NEW_FILE (or TICKLER_DB) to restore into a new one"
    )]
    NotEmpty(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The CSV fields a column can map to, for messages.
pub const FIELDS: &str = "name, first-name, middle-name, last-name, company, email, phone, address, address-part, birthday, birth-year, birth-month, birth-day, tags, notes, category, stage, cadence, no-reason, ignore";

/// Write a decided plan through `w` (inside the transaction that read what it decided on):
/// creations get their ids here. A contact updated by several records is written once.
pub fn write_plan(w: &mut Writer<'_>, plan: &mut Plan) -> Result<(), StoreError> {
    // The creations take the ids that follow the next free one (each put moves the counter on).
    let mut next: Option<u64> = None;
    // Each creation is a contact and its first stage move.
    w.reserve(plan.created * 2 + plan.updated);
    for item in &mut plan.items {
        let Some(rec) = item.record.as_mut() else {
            continue;
        };
        if item.outcome == Outcome::Create {
            let id = match next {
                Some(n) => ContactId(n),
                None => w.new_contact_id()?,
            };
            next = Some(
                id.0.checked_add(1)
                    .ok_or_else(|| StoreError::Db("contact ids are exhausted".to_string()))?,
            );
            rec.id = id;
            item.contact = Some(id);
            if let Some(gid) = &item.global_id
                && w.by_global_id(gid)?.is_none()
            {
                w.set_global_id(GlobalKind::Contact, id.0, gid)?;
            }
        }
    }
    w.put_contacts(plan.items.iter().filter_map(|item| item.record.as_ref()))
}

/// Run one user action in ONE write transaction (one undo entry, `label`). `f` reads what it
/// decides on through the [`Writer`], writes, and says whether it changed anything. When it did
/// not, or when it fails, the transaction is rolled back (nothing committed, the file untouched)
/// and the outcome or the error comes back as `f` returned it.
pub(crate) fn in_one_write<T, E: From<StoreError>>(
    store: &Store,
    label: &str,
    f: impl FnOnce(&mut Writer<'_>) -> Result<(T, bool), E>,
) -> Result<T, E> {
    let mut kept: Option<Result<T, E>> = None;
    let committed = store.write(label, |w| match f(w) {
        Ok((value, true)) => Ok(value),
        Ok((value, false)) => {
            kept = Some(Ok(value));
            Err(rolled_back())
        }
        Err(e) => {
            kept = Some(Err(e));
            Err(rolled_back())
        }
    });
    match (committed, kept) {
        (Ok(value), _) => Ok(value),
        (Err(_), Some(outcome)) => outcome,
        (Err(e), None) => Err(E::from(e)),
    }
}

/// The error that makes [`Store::write`] roll back; never shown (the action's own outcome is).
fn rolled_back() -> StoreError {
    StoreError::Db("the action was rolled back".to_string())
}

/// Which importer a file name asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Vcard,
    Csv,
    Json,
}

impl Format {
    /// By extension (case-insensitive): `.vcf`/`.vcard`, `.csv`, `.json`.
    pub fn of(path: &std::path::Path) -> Result<Format, ImportError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("vcf" | "vcard") => Ok(Format::Vcard),
            Some("csv" | "txt") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            _ => Err(ImportError::UnknownFormat(path.display().to_string())),
        }
    }
}

/// Read a file as UTF-8 text, without a byte-order mark.
pub fn read_text(path: &std::path::Path) -> Result<String, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.display().to_string(),
        source,
    })?;
    decode_text(&bytes, &path.display().to_string())
}

/// A file's bytes as UTF-8 text, without a byte-order mark; `name` is for the error.
pub fn decode_text(bytes: &[u8], name: &str) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| ImportError::NotUtf8(name.to_string()))
}
