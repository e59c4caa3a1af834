//! The redb store: the only module that touches redb.
//!
//! One file; typed tables whose values are bytes decoded by a versioned, fallible codec; secondary
//! indexes (touches by contact and by date, contacts by stage); a per-contact [`Facts`] summary kept
//! current inside every write; a schema-version record; an undo log of before-images. Every user
//! action is one durable write transaction.

mod error;

pub use error::StoreError;

use crate::model::{
    Category, CategoryId, Contact, ContactId, Sale, SaleId, Settings, Stage, Touch, TouchId,
};
use crate::planner::Facts;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub type Result<T> = std::result::Result<T, StoreError>;

/// Everything the planner needs to see the whole diary, read in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub settings: Settings,
    pub categories: Vec<Category>,
    /// Every contact with its facts, ascending by id.
    pub contacts: Vec<(Contact, Facts)>,
}

/// One undoable action in the log, newest first when listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UndoEntry {
    pub seq: u64,
    pub label: String,
}

/// Bulk data for a new database (the demo generator, a JSON restore): ids are kept as given.
#[derive(Debug, Clone, Default)]
pub struct Bulk {
    pub settings: Settings,
    pub categories: Vec<Category>,
    pub contacts: Vec<Contact>,
    pub touches: Vec<Touch>,
    pub sales: Vec<Sale>,
}

/// An open tickler database.
pub struct Store {
    path: Option<PathBuf>,
}

/// The handle a write closure gets: reads see the transaction's own writes; every put is recorded in
/// the undo log with the record's previous value.
pub struct Writer<'a> {
    _store: &'a Store,
}

impl Store {
    /// Open (creating if missing) the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let _ = path;
        todo!("store helper")
    }

    /// A database in memory (tests, benches).
    pub fn in_memory() -> Result<Store> {
        todo!("store helper")
    }

    /// The file behind this store, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn settings(&self) -> Result<Settings> {
        todo!("store helper")
    }

    pub fn categories(&self) -> Result<Vec<Category>> {
        todo!("store helper")
    }

    pub fn contact(&self, id: ContactId) -> Result<Option<Contact>> {
        let _ = id;
        todo!("store helper")
    }

    /// Every contact (archived included), ascending by id.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        todo!("store helper")
    }

    /// Contacts in one stage, through the stage index.
    pub fn contacts_in_stage(&self, stage: Stage) -> Result<Vec<Contact>> {
        let _ = stage;
        todo!("store helper")
    }

    pub fn facts(&self, id: ContactId) -> Result<Facts> {
        let _ = id;
        todo!("store helper")
    }

    /// A contact's touches (all states), ascending by date then id.
    pub fn touches_of(&self, id: ContactId) -> Result<Vec<Touch>> {
        let _ = id;
        todo!("store helper")
    }

    pub fn touch(&self, id: TouchId) -> Result<Option<Touch>> {
        let _ = id;
        todo!("store helper")
    }

    /// Touches dated within `[from, to]`, ascending by date then id.
    pub fn touches_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Touch>> {
        let _ = (from, to);
        todo!("store helper")
    }

    /// Planned outbound touches per day within `[from, to]` (for load levelling).
    pub fn planned_load(&self, from: NaiveDate, to: NaiveDate) -> Result<BTreeMap<NaiveDate, u32>> {
        let _ = (from, to);
        todo!("store helper")
    }

    /// A contact's sales, ascending by date then id.
    pub fn sales_of(&self, id: ContactId) -> Result<Vec<Sale>> {
        let _ = id;
        todo!("store helper")
    }

    /// The whole diary for the planner, in one read transaction.
    pub fn snapshot(&self) -> Result<Snapshot> {
        todo!("store helper")
    }

    /// The undoable actions, newest first.
    pub fn undo_log(&self) -> Result<Vec<UndoEntry>> {
        todo!("store helper")
    }

    /// Run one user action as one durable write transaction, recorded in the undo log as `label`.
    /// If `f` fails nothing is written.
    pub fn write<T>(
        &self,
        label: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let _ = (label, f);
        todo!("store helper")
    }

    /// Revert the newest action in the undo log; returns its label, or `None` when the log is empty.
    pub fn undo(&self) -> Result<Option<String>> {
        todo!("store helper")
    }

    /// Load bulk data into an empty database in one transaction (not undoable).
    pub fn load_bulk(&self, bulk: Bulk) -> Result<()> {
        let _ = bulk;
        todo!("store helper")
    }
}

impl Writer<'_> {
    pub fn settings(&self) -> Result<Settings> {
        todo!("store helper")
    }
    pub fn contact(&self, id: ContactId) -> Result<Option<Contact>> {
        let _ = id;
        todo!("store helper")
    }
    pub fn touch(&self, id: TouchId) -> Result<Option<Touch>> {
        let _ = id;
        todo!("store helper")
    }
    pub fn touches_of(&self, id: ContactId) -> Result<Vec<Touch>> {
        let _ = id;
        todo!("store helper")
    }
    pub fn facts(&self, id: ContactId) -> Result<Facts> {
        let _ = id;
        todo!("store helper")
    }
    pub fn category(&self, id: CategoryId) -> Result<Option<Category>> {
        let _ = id;
        todo!("store helper")
    }
    pub fn new_contact_id(&mut self) -> Result<ContactId> {
        todo!("store helper")
    }
    pub fn new_touch_id(&mut self) -> Result<TouchId> {
        todo!("store helper")
    }
    pub fn new_sale_id(&mut self) -> Result<SaleId> {
        todo!("store helper")
    }
    pub fn new_category_id(&mut self) -> Result<CategoryId> {
        todo!("store helper")
    }
    /// Insert or replace a contact (keeps the stage index current).
    pub fn put_contact(&mut self, c: &Contact) -> Result<()> {
        let _ = c;
        todo!("store helper")
    }
    /// Insert or replace a touch (keeps both touch indexes and the contact's facts current).
    pub fn put_touch(&mut self, t: &Touch) -> Result<()> {
        let _ = t;
        todo!("store helper")
    }
    /// Insert or replace a sale (keeps the contact's facts current).
    pub fn put_sale(&mut self, s: &Sale) -> Result<()> {
        let _ = s;
        todo!("store helper")
    }
    pub fn put_category(&mut self, c: &Category) -> Result<()> {
        let _ = c;
        todo!("store helper")
    }
    pub fn put_settings(&mut self, s: &Settings) -> Result<()> {
        let _ = s;
        todo!("store helper")
    }
}
