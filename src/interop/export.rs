//! Exports as one operation for the CLI's `tickler export` and the TUI's `:export`: which data
//! each format takes from the store, and writing it to a file atomically, to any writer, or (vCard)
//! to a vdir: one `<UID>.vcf` per contact, the layout khard, vdirsyncer and CardDAV clients read.

use super::atomic;
use super::csv::WriteOptions;
use super::vcard::{self, CardOptions, Version};
use crate::model::{Category, Contact, TouchState};
use crate::store::{GlobalKind, Store, StoreError};
use chrono::{Days, NaiveDate};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Days an ICS export covers when no end is given.
pub const ICS_DAYS: u64 = 90;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The contacts as CSV (`excel`: with a byte-order mark and CRLF line ends).
    Csv { excel: bool },
    /// The whole diary as JSON (restorable with `import FILE.json`).
    Json,
    /// Planned and due follow-ups and birthdays from `from` to `to` (inclusive) as all-day events.
    Ics { from: NaiveDate, to: NaiveDate },
    /// The contacts as vCards (archived ones included).
    Vcf { version: Version },
}

impl Kind {
    /// `csv`, `json`, `ics` (the range: `today` .. `today` + [`ICS_DAYS`]) or `vcf` (4.0).
    pub fn parse(name: &str, today: NaiveDate) -> Option<Kind> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(Kind::Csv { excel: false }),
            "json" => Some(Kind::Json),
            "ics" | "ical" | "icalendar" => Some(Kind::Ics {
                from: today,
                to: default_end(today),
            }),
            "vcf" | "vcard" => Some(Kind::Vcf {
                version: Version::V4,
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

/// The name of a contact's category, or none.
fn category_name<'a>(cats: &'a [Category], c: &Contact) -> Option<&'a str> {
    c.category
        .and_then(|id| cats.iter().find(|k| k.id == id))
        .map(|k| k.name.as_str())
}

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
        Kind::Csv { excel } => {
            let contacts = store.contacts()?;
            let cats = store.categories()?;
            Box::new(move |w| {
                let name = |c: &Contact| category_name(&cats, c).unwrap_or_default().to_string();
                super::csv::write_contacts(w, &contacts, &name, WriteOptions { excel })
                    .map_err(std::io::Error::other)
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
        Kind::Vcf { version } => {
            let cards = Cards::read(store, version)?;
            Box::new(move |w| {
                for c in &cards.contacts {
                    w.write_all(cards.card(c).as_bytes())?;
                }
                Ok(())
            })
        }
    })
}

/// What the contacts' cards are made of.
struct Cards {
    contacts: Vec<Contact>,
    /// Read after the contacts: a contact's global id is written in the write that creates it.
    global_ids: HashMap<u64, String>,
    categories: Vec<Category>,
    version: Version,
}

impl Cards {
    fn read(store: &Store, version: Version) -> Result<Cards, StoreError> {
        let contacts = store.contacts()?;
        Ok(Cards {
            contacts,
            global_ids: store.global_ids(GlobalKind::Contact)?,
            categories: store.categories()?,
            version,
        })
    }

    /// The contact's card UID: its global id, the one sync writes ([`vcard::write::uid`]).
    fn uid(&self, c: &Contact) -> String {
        vcard::write::uid(c, self.global_ids.get(&c.id.0).map(String::as_str))
    }

    /// One contact's vCard with its UID and category.
    fn card(&self, c: &Contact) -> String {
        let uid = self.uid(c);
        vcard::card(
            c,
            &CardOptions {
                version: self.version,
                uid: &uid,
                category: category_name(&self.categories, c),
                extra: &[],
                tickler_fields: true,
            },
        )
    }
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

/// What a vdir export did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vdir {
    /// Cards written (new or changed).
    pub written: usize,
    /// Cards already there with the same text.
    pub unchanged: usize,
    /// Cards tickler wrote (`<UID>.vcf` with tickler's PRODID) of contacts no longer in the
    /// diary, removed.
    pub removed: Vec<PathBuf>,
}

/// Export every contact to `dir` as `<UID>.vcf` (created if missing): each file written
/// atomically, and only when its text changed (so a sync tool sees only real changes); cards
/// tickler wrote earlier for contacts the diary no longer has (or under an earlier UID,
/// `tickler-c<id>`) are removed. Files of other programs are left alone.
pub fn to_vdir(store: &Store, version: Version, dir: &Path) -> Result<Vdir, ExportError> {
    let io = |source: std::io::Error, path: &Path| ExportError::Write {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(e, dir))?;
    let cards = Cards::read(store, version)?;
    let mut done = Vdir::default();
    let mut names = std::collections::HashSet::new();
    for c in &cards.contacts {
        let name = file_name(&cards.uid(c), c, &names);
        let path = dir.join(&name);
        let text = cards.card(c);
        names.insert(name);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            done.unchanged += 1;
            continue;
        }
        atomic::write_file(&path, move |w| w.write_all(text.as_bytes()))
            .map_err(|e| io(e, &path))?;
        done.written += 1;
    }
    let entries = std::fs::read_dir(dir).map_err(|e| io(e, dir))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if !names.contains(&name) && written_by_tickler(&name, &path) {
            std::fs::remove_file(&path).map_err(|e| io(e, &path))?;
            done.removed.push(path);
        }
    }
    Ok(done)
}

/// A contact's card file in a vdir: `<UID>.vcf`, or `tickler-c<id>.vcf` when the UID cannot name
/// a file (one taken over from another program: `/`, spaces...) or another card has that name.
fn file_name(uid: &str, c: &Contact, taken: &std::collections::HashSet<String>) -> String {
    let name = format!("{uid}.vcf");
    if vcard::write::file_safe(uid) && !taken.contains(&name) {
        name
    } else {
        format!("tickler-c{}.vcf", c.id)
    }
}

/// A card tickler wrote: its PRODID is tickler's and the file is named `<UID>.vcf` (or
/// `tickler-c<id>.vcf`, see [`file_name`]).
fn written_by_tickler(name: &str, path: &Path) -> bool {
    let Some(stem) = name.strip_suffix(".vcf") else {
        return false;
    };
    let numbered = stem
        .strip_prefix("tickler-c")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    // A card is small; anything large is not one of ours.
    let small = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() < 4 << 20);
    let Some(text) = small.then(|| std::fs::read(path).ok()).flatten() else {
        return false;
    };
    let text = String::from_utf8_lossy(&text);
    let unfolded = text.replace("\r\n ", "").replace("\n ", "");
    let mut lines = unfolded.lines();
    let prodid = format!("PRODID:{}", vcard::TICKLER_PRODID);
    lines.clone().any(|l| l.starts_with(&prodid))
        && (numbered || lines.any(|l| l == format!("UID:{stem}")))
}
