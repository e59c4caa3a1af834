//! The redb store: the only module that touches redb.
//!
//! One file; typed tables whose values are bytes decoded by a versioned, fallible codec; secondary
//! indexes (touches by contact and by date, contacts by stage); a per-contact roster row (the
//! contact's [`Profile`] and [`Facts`] summary, all the planner reads) kept current inside every
//! write; a schema-version record; an undo log of before-images. Every user action is one durable
//! write transaction.

mod bulk;
mod check;
mod codec;
mod copy;
mod error;
mod library;
mod load;
mod many;
mod migrate;
mod open;
mod ops;
mod roster;
mod sync_state;
mod tables;
mod undo;

pub use bulk::BulkSink;
pub use check::{InvariantReport, catch_panic};
pub use copy::StoreCopy;
pub use error::StoreError;
pub use migrate::SCHEMA_VERSION;
pub use sync_state::{GlobalKind, SyncItem, new_global_id};

use crate::model::{
    Category, CategoryId, Contact, ContactId, Profile, Sale, SaleId, Settings, Stage, StageMove,
    Touch, TouchId,
};
use crate::planner::Facts;
use chrono::NaiveDate;
use codec::{CategoryV1, ContactV1, RosterV1, SaleV1, TouchV1, UndoRecordV1};
use open::Handle;
use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, WriteTransaction};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard};
use tables::{
    CATEGORIES, CONTACTS, CONTACTS_BY_STAGE, META, ROSTER, SALES, SALES_BY_CONTACT, SETTINGS,
    STAGE_MOVES, TOUCHES, TOUCHES_BY_CONTACT, TOUCHES_BY_DATE, TRIAGE_CLEARED, UNDO, meta, name,
};
use undo::{Before, RecordKey, UndoRecord};

pub type Result<T> = std::result::Result<T, StoreError>;

/// Everything the planner needs to see the whole diary, read in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub settings: Settings,
    pub categories: Vec<Category>,
    /// Every contact with its facts, ascending by id.
    pub contacts: Vec<(Contact, Facts)>,
}

/// What the planner needs of the whole diary, read in one transaction from the roster alone:
/// much cheaper than a [`Snapshot`] (no notes, addresses or lists are decoded).
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub settings: Settings,
    pub categories: Vec<Category>,
    /// Every contact's profile with its facts (archived included), ascending by id.
    pub rows: Vec<(Profile, Facts)>,
}

/// One undoable action in the log, newest first when listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UndoEntry {
    pub seq: u64,
    pub label: String,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    /// The action with this label was reverted.
    Done(String),
    /// The undo log is empty.
    Nothing,
    /// The newest action is not the one expected (another process wrote since): nothing reverted.
    Newer(UndoEntry),
}

/// Bulk data for a new database (the demo generator, a JSON restore): ids are kept as given.
#[derive(Debug, Clone, Default)]
pub struct Bulk {
    pub settings: Settings,
    pub categories: Vec<Category>,
    pub contacts: Vec<Contact>,
    pub touches: Vec<Touch>,
    pub sales: Vec<Sale>,
    /// The stage history. When empty, each contact gets one move entering its current stage on
    /// its stage date (what a file from before stage history gets by migration).
    pub stage_moves: Vec<StageMove>,
    /// Global ids kept from an export; records without one get a new one.
    pub global_ids: Vec<(GlobalKind, u64, String)>,
}

/// An open tickler database. Dropping it closes the file cleanly (redb flushes and records its
/// allocator state), so every exit path that unwinds or returns closes it.
///
/// A file is held read-only (shared lock) until the first write, which reopens it writable
/// (exclusive lock): read-only sessions never write to the file. It stays held until the store is
/// dropped, or until [`Store::release`] hands it back (the next read or write opens it again).
pub struct Store {
    path: Option<PathBuf>,
    db: RwLock<Handle>,
    /// How long an open or an upgrade to writable waits for another process to release the file.
    lock_wait: std::time::Duration,
    /// Writes committed through this store (see [`Store::own_changes`]).
    committed: std::sync::atomic::AtomicU64,
    /// The undo sequence number of this store's last committed action, 0 when it recorded none
    /// (see [`Store::last_undo_seq`]).
    last_seq: std::sync::atomic::AtomicU64,
}

/// A read transaction, holding the store's handle so it cannot be swapped underneath.
struct Reading<'a> {
    txn: redb::ReadTransaction,
    _handle: RwLockReadGuard<'a, Handle>,
}

impl std::ops::Deref for Reading<'_> {
    type Target = redb::ReadTransaction;
    fn deref(&self) -> &redb::ReadTransaction {
        &self.txn
    }
}

fn closed() -> StoreError {
    StoreError::Db("the database is closed; restart tickler".to_string())
}

fn poisoned<T>(_: T) -> StoreError {
    StoreError::Db("the database handle was poisoned by a panic".to_string())
}

/// The handle a write closure gets: reads see the transaction's own writes; every put is recorded in
/// the undo log with the record's previous value.
pub struct Writer<'a> {
    txn: &'a WriteTransaction,
    /// Before-images of this action, first image per record only.
    before: Vec<Before>,
    seen: HashSet<RecordKey>,
    /// Contacts put by this action: their roster rows are rewritten before commit.
    profiles: BTreeSet<u64>,
    /// Contacts whose touches or sales changed: their facts are recomputed before commit.
    history: BTreeSet<u64>,
    /// The undo log's label for this action when the action named it (see [`Writer::set_label`]).
    label: Option<String>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Open (creating if missing) the database at `path`.
    ///
    /// Creates missing parent directories. A file that is not a tickler database (another
    /// program's, another redb application's, an empty file), a damaged file, or one written by a
    /// newer tickler is refused and left unchanged; a file open in another process is `Locked`.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_waiting(path, std::time::Duration::ZERO)
    }

    /// [`Store::open`], waiting up to `lock_wait` for another process to release the file (at the
    /// open and at the first write) before reporting `Locked`. See `open.rs` for the choice.
    pub fn open_waiting(path: &Path, lock_wait: std::time::Duration) -> Result<Store> {
        let handle = open::with_lock_wait(lock_wait, || open::open_file(path))?;
        Ok(Store::on_file(path, handle, lock_wait))
    }

    /// The store over an opened file.
    fn on_file(path: &Path, handle: Handle, lock_wait: std::time::Duration) -> Store {
        Store {
            path: Some(path.to_path_buf()),
            db: RwLock::new(handle),
            lock_wait,
            committed: std::sync::atomic::AtomicU64::new(0),
            last_seq: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Open the existing database at `path` (never creating it: a file deleted meanwhile is an
    /// error, not a new empty diary), waiting up to `lock_wait` as [`Store::open_waiting`] does.
    /// For a second handle on a file this process has open (the full-screen diary's sync on a
    /// worker thread): redb's locks belong to each open of the file, not to the process, so two
    /// handles take turns exactly as two processes do.
    pub fn open_existing(path: &Path, lock_wait: std::time::Duration) -> Result<Store> {
        let handle = open::with_lock_wait(lock_wait, || open::open_existing(path))?;
        Ok(Store::on_file(path, handle, lock_wait))
    }

    /// How long an open or a write waits for another process to release the file.
    pub fn lock_wait(&self) -> std::time::Duration {
        self.lock_wait
    }

    /// A database in memory (tests, benches).
    pub fn in_memory() -> Result<Store> {
        let db = redb::Builder::new()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(StoreError::from)?;
        open::prepare(&db, Path::new(":memory:"), true)?;
        Ok(Store {
            path: None,
            db: RwLock::new(Handle::Write(db)),
            lock_wait: std::time::Duration::ZERO,
            committed: std::sync::atomic::AtomicU64::new(0),
            last_seq: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The file behind this store, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn read(&self) -> Result<Reading<'_>> {
        loop {
            {
                let handle = self.db.read().map_err(poisoned)?;
                let txn = match &*handle {
                    Handle::Read(db) => Some(db.begin_read()?),
                    Handle::Write(db) => Some(db.begin_read()?),
                    Handle::Closed => None,
                };
                if let Some(txn) = txn {
                    return Ok(Reading {
                        txn,
                        _handle: handle,
                    });
                }
            }
            self.reopen()?;
        }
    }

    /// Open the file again (read-only when it is current) after [`Store::release`] or a failed
    /// upgrade, waiting up to the store's lock wait. A no-op when it is open.
    fn reopen(&self) -> Result<()> {
        self.hold(self.lock_wait)
    }

    /// Hand the file back: close it (a writable handle commits redb's allocator state, as at
    /// quit), so that other processes can read and write it; the next read or write opens it again
    /// (waiting up to the lock wait given to [`Store::open_waiting`]). For a process that stays
    /// open between user actions (the full-screen diary calls it after each one); a no-op for an
    /// in-memory store and when already released. The cost is a reopen per action: see
    /// `action released` in `benches/store.rs`.
    ///
    /// Another process may write while the file is released: [`Store::changes`] tells whether it
    /// did.
    pub fn release(&self) -> Result<()> {
        if self.path.is_none() {
            return Ok(());
        }
        let mut handle = self.db.write().map_err(poisoned)?;
        match std::mem::replace(&mut *handle, Handle::Closed) {
            Handle::Read(db) => db.close().map_err(StoreError::from),
            Handle::Write(db) => db.close().map_err(StoreError::from),
            Handle::Closed => Ok(()),
        }
    }

    /// Open the file now if it is released, waiting at most `wait` for another process to let go
    /// of it (zero: one attempt). A no-op when it is held. For a caller that must not block for
    /// the store's whole lock wait (a periodic check: `Locked` means try again later).
    pub fn hold(&self, wait: std::time::Duration) -> Result<()> {
        let mut handle = self.db.write().map_err(poisoned)?;
        if !matches!(&*handle, Handle::Closed) {
            return Ok(());
        }
        let path = self.path.clone().ok_or_else(closed)?;
        *handle = open::with_lock_wait(wait, || open::open_existing(&path))?;
        Ok(())
    }

    /// How many of [`Store::changes`] were made through this store since it was opened.
    pub fn own_changes(&self) -> u64 {
        self.committed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the file is held open now (read-only or writable); false after [`Store::release`].
    pub fn is_held(&self) -> bool {
        self.db.read().is_ok_and(|h| !matches!(&*h, Handle::Closed))
    }

    /// How many writes (actions, undos, bulk loads) were ever committed to this file, by any
    /// process: one small read. Comparing it before and after a [`Store::release`] tells whether
    /// another process wrote meanwhile.
    pub fn changes(&self) -> Result<u64> {
        ops::meta_u64(&self.read()?.open_table(META)?, meta::CHANGES)
    }

    /// Whether the file is currently held writable (after a write, a repair or a migration).
    pub fn is_writable(&self) -> bool {
        self.db
            .read()
            .is_ok_and(|h| matches!(&*h, Handle::Write(_)))
    }

    pub fn settings(&self) -> Result<Settings> {
        ops::settings(&self.read()?.open_table(SETTINGS)?)
    }

    /// Every category, ascending by id.
    pub fn categories(&self) -> Result<Vec<Category>> {
        ops::all::<CategoryV1>(&self.read()?.open_table(CATEGORIES)?, CATEGORIES)
    }

    pub fn category(&self, id: CategoryId) -> Result<Option<Category>> {
        ops::get::<CategoryV1>(&self.read()?.open_table(CATEGORIES)?, CATEGORIES, id.0)
    }

    pub fn contact(&self, id: ContactId) -> Result<Option<Contact>> {
        ops::get::<ContactV1>(&self.read()?.open_table(CONTACTS)?, CONTACTS, id.0)
    }

    /// Every contact (archived included), ascending by id.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        ops::all::<ContactV1>(&self.read()?.open_table(CONTACTS)?, CONTACTS)
    }

    /// Number of contacts (archived included).
    pub fn contact_count(&self) -> Result<u64> {
        Ok(self.read()?.open_table(CONTACTS)?.len()?)
    }

    /// Contacts in one stage, through the stage index, ascending by id.
    pub fn contacts_in_stage(&self, stage: Stage) -> Result<Vec<Contact>> {
        let txn = self.read()?;
        let idx = txn.open_table(CONTACTS_BY_STAGE)?;
        let contacts = txn.open_table(CONTACTS)?;
        let code = tables::stage_code(stage);
        let mut out = Vec::new();
        for entry in idx.range((code, 0u64)..=(code, u64::MAX))? {
            let (k, _) = entry?;
            let id = k.value().1;
            let c = ops::get::<ContactV1>(&contacts, CONTACTS, id)?.ok_or_else(|| {
                StoreError::Codec {
                    table: name::CONTACTS,
                    key: id.to_string(),
                    detail: format!("listed in the {stage} index but missing"),
                }
            })?;
            out.push(c);
        }
        Ok(out)
    }

    /// A contact's facts, from its roster row (the empty summary when there is no such contact).
    pub fn facts(&self, id: ContactId) -> Result<Facts> {
        let row = ops::get::<RosterV1>(&self.read()?.open_table(ROSTER)?, ROSTER, id.0)?;
        Ok(row.map(|(_, facts)| facts).unwrap_or_default())
    }

    /// A contact's profile, from its roster row.
    pub fn profile(&self, id: ContactId) -> Result<Option<Profile>> {
        let row = ops::get::<RosterV1>(&self.read()?.open_table(ROSTER)?, ROSTER, id.0)?;
        Ok(row.map(|(profile, _)| profile))
    }

    /// What the planner needs of the whole diary, in one read transaction: settings, categories and
    /// one ascending scan of the roster table.
    pub fn roster(&self) -> Result<Roster> {
        self.roster_where(|_| true)
    }

    /// [`Store::roster`] without archived contacts (whose facts are then never decoded): what the
    /// agenda and the other planner reports need.
    pub fn roster_kept(&self) -> Result<Roster> {
        self.roster_where(|p| p.stage.is_kept())
    }

    fn roster_where(&self, keep: impl Fn(&Profile) -> bool) -> Result<Roster> {
        let txn = self.read()?;
        read_roster(
            &txn.open_table(SETTINGS)?,
            &txn.open_table(CATEGORIES)?,
            &txn.open_table(ROSTER)?,
            keep,
        )
    }

    /// A contact's touches (all states), ascending by date then id.
    pub fn touches_of(&self, id: ContactId) -> Result<Vec<Touch>> {
        let txn = self.read()?;
        ops::by_contact::<TouchV1>(
            &txn.open_table(TOUCHES)?,
            TOUCHES,
            &txn.open_table(TOUCHES_BY_CONTACT)?,
            id.0,
        )
    }

    pub fn touch(&self, id: TouchId) -> Result<Option<Touch>> {
        ops::get::<TouchV1>(&self.read()?.open_table(TOUCHES)?, TOUCHES, id.0)
    }

    /// Touches dated within `[from, to]`, ascending by date then id.
    pub fn touches_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Touch>> {
        let txn = self.read()?;
        let idx = txn.open_table(TOUCHES_BY_DATE)?;
        let touches = txn.open_table(TOUCHES)?;
        let mut out = Vec::new();
        if from > to {
            return Ok(out);
        }
        for entry in idx.range((tables::day(from), 0u64)..=(tables::day(to), u64::MAX))? {
            let (k, _) = entry?;
            let id = k.value().1;
            let t =
                ops::get::<TouchV1>(&touches, TOUCHES, id)?.ok_or_else(|| StoreError::Codec {
                    table: name::TOUCHES,
                    key: id.to_string(),
                    detail: "listed in the date index but missing".to_string(),
                })?;
            out.push(t);
        }
        Ok(out)
    }

    /// Planned outbound touches per day within `[from, to]` (for load levelling). Days without any
    /// are absent. Read from the date index alone.
    pub fn planned_load(&self, from: NaiveDate, to: NaiveDate) -> Result<BTreeMap<NaiveDate, u32>> {
        ops::planned_load(&self.read()?.open_table(TOUCHES_BY_DATE)?, from, to)
    }

    /// The cleared items of the triage of the week starting on `monday` (see
    /// [`Writer::mark_cleared`]): each contact with the day it was cleared.
    pub fn cleared(&self, monday: NaiveDate) -> Result<Vec<(ContactId, NaiveDate)>> {
        ops::cleared(&self.read()?.open_table(TRIAGE_CLEARED)?, monday)
    }

    /// A contact's sales, ascending by date then id.
    pub fn sales_of(&self, id: ContactId) -> Result<Vec<Sale>> {
        let txn = self.read()?;
        ops::by_contact::<SaleV1>(
            &txn.open_table(SALES)?,
            SALES,
            &txn.open_table(SALES_BY_CONTACT)?,
            id.0,
        )
    }

    /// Every sale, ascending by id.
    pub fn sales(&self) -> Result<Vec<Sale>> {
        ops::all::<SaleV1>(&self.read()?.open_table(SALES)?, SALES)
    }

    /// The whole stage history: ascending by contact, then date, then order of recording.
    pub fn stage_moves(&self) -> Result<Vec<StageMove>> {
        ops::stage_moves(&self.read()?.open_table(STAGE_MOVES)?)
    }

    pub fn sale(&self, id: SaleId) -> Result<Option<Sale>> {
        ops::get::<SaleV1>(&self.read()?.open_table(SALES)?, SALES, id.0)
    }

    /// The whole diary with full contacts, in one read transaction (listings and the TUI; the
    /// planner's reports read the cheaper [`Store::roster`]). Contacts and roster rows are both
    /// keyed by contact id, so they are read in lockstep by two ascending range scans.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let txn = self.read()?;
        let settings = ops::settings(&txn.open_table(SETTINGS)?)?;
        let categories = ops::all::<CategoryV1>(&txn.open_table(CATEGORIES)?, CATEGORIES)?;
        let contacts_t = txn.open_table(CONTACTS)?;
        let roster_t = txn.open_table(ROSTER)?;
        let len = contacts_t.len()?;
        let contacts = snapshot_range(&contacts_t, &roster_t, .., len)?;
        Ok(Snapshot {
            settings,
            categories,
            contacts,
        })
    }

    /// The undoable actions, newest first.
    pub fn undo_log(&self) -> Result<Vec<UndoEntry>> {
        let txn = self.read()?;
        let t = txn.open_table(UNDO)?;
        let mut out = Vec::new();
        for entry in t.range::<u64>(..)?.rev() {
            let (k, v) = entry?;
            let rec = codec::decode::<UndoRecordV1>(name::UNDO, k.value(), v.value())?;
            out.push(UndoEntry {
                seq: k.value(),
                label: rec.label,
            });
        }
        Ok(out)
    }

    /// Begin a write transaction, reopening the file writable first if it is held read-only. The
    /// returned guard keeps the handle in place for the transaction's lifetime.
    fn begin_write(&self) -> Result<(WriteTransaction, RwLockReadGuard<'_, Handle>)> {
        loop {
            {
                let handle = self.db.read().map_err(poisoned)?;
                if let Handle::Write(db) = &*handle {
                    let mut txn = db.begin_write()?;
                    // See open::QUICK_REPAIR for the measurements behind this.
                    txn.set_quick_repair(open::QUICK_REPAIR);
                    return Ok((txn, handle));
                }
            }
            self.upgrade()?;
        }
    }

    /// Swap the read-only (or released) handle for a writable one. The shared lock must be
    /// released before the exclusive one can be taken: if another process holds the file past the
    /// lock wait, the write fails with `Locked` and the store is left released (the next read or
    /// write opens the file again).
    fn upgrade(&self) -> Result<()> {
        let mut handle = self.db.write().map_err(poisoned)?;
        if matches!(&*handle, Handle::Write(_)) {
            return Ok(());
        }
        let path = self.path.clone().ok_or_else(closed)?;
        if let Handle::Read(db) = std::mem::replace(&mut *handle, Handle::Closed) {
            let _ = db.close();
        }
        *handle = Handle::Write(open::with_lock_wait(self.lock_wait, || {
            open::open_writable(&path)
        })?);
        Ok(())
    }

    /// Run one user action as one durable write transaction, recorded in the undo log as `label`
    /// (or the label the action sets with [`Writer::set_label`] once it has read what it acts
    /// on). If `f` fails nothing is written. Commits with immediate durability: once this returns
    /// Ok the action survives a crash.
    ///
    /// `f` reads through the [`Writer`] what it decides on: those reads see the file as of this
    /// transaction, which no other writer can change before the commit.
    pub fn write<T>(&self, label: &str, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        self.transact(label, f)
    }

    /// [`Store::write`] for an action with an error type of its own (any that a store error
    /// converts into): the actions layer's rule errors abort the transaction like store errors.
    pub fn transact<T, E: From<StoreError>>(
        &self,
        label: &str,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let (txn, _handle) = self.begin_write()?;
        let mut w = Writer {
            txn: &txn,
            before: Vec::new(),
            seen: HashSet::new(),
            profiles: BTreeSet::new(),
            history: BTreeSet::new(),
            label: None,
        };
        let value = match f(&mut w) {
            Ok(v) => v,
            Err(e) => {
                drop(w);
                // The action's own error says more than a failed abort (after a failed write to
                // the file, e.g. a full disk, the abort fails too).
                let _ = txn.abort();
                return Err(e);
            }
        };
        let Writer {
            before,
            seen,
            profiles,
            history,
            label: named,
            ..
        } = w;
        sync_state::assign_missing(&txn, &seen)?;
        ops::refresh_roster(&txn, &profiles, &history)?;
        let seq = if before.is_empty() {
            None
        } else {
            Some(append_undo(
                &txn,
                named.as_deref().unwrap_or(label),
                before,
            )?)
        };
        count_change(&txn)?;
        txn.commit().map_err(StoreError::from)?;
        self.committed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.last_seq
            .store(seq.unwrap_or(0), std::sync::atomic::Ordering::Relaxed);
        Ok(value)
    }

    /// The undo sequence number of the last action this store committed, if it recorded one: what
    /// a session keeps to undo only its own actions ([`Store::undo_expecting`]).
    pub fn last_undo_seq(&self) -> Option<u64> {
        match self.last_seq.load(std::sync::atomic::Ordering::Relaxed) {
            0 => None,
            n => Some(n),
        }
    }

    /// Revert the newest action in the undo log; returns its label, or `None` when the log is empty.
    pub fn undo(&self) -> Result<Option<String>> {
        match self.undo_where(|_| true)? {
            Undone::Done(label) => Ok(Some(label)),
            Undone::Nothing | Undone::Newer(_) => Ok(None),
        }
    }

    /// The sequence number of the newest action in the undo log (`None` when it is empty): what
    /// [`Store::undo_expecting`] is given to undo exactly that action.
    pub fn newest_undo_seq(&self) -> Result<Option<u64>> {
        let txn = self.read()?;
        let t = txn.open_table(UNDO)?;
        Ok(t.last()?.map(|(k, _)| k.value()))
    }

    /// Revert the newest action only if it is the one numbered `seq` (as read by
    /// [`Store::newest_undo_seq`] after this session's last write). When another process has
    /// written since, its action is newer: nothing is reverted and `Undone::Newer` names it, so a
    /// session never undoes what someone else did without saying so. Checked and reverted in one
    /// write transaction.
    pub fn undo_expecting(&self, seq: Option<u64>) -> Result<Undone> {
        self.undo_where(|newest| Some(newest) == seq)
    }

    fn undo_where(&self, expected: impl FnOnce(u64) -> bool) -> Result<Undone> {
        let (txn, _handle) = self.begin_write()?;
        let newest = {
            let t = txn.open_table(UNDO)?;
            match t.last()? {
                Some((k, v)) => {
                    let seq = k.value();
                    Some((
                        seq,
                        codec::decode::<UndoRecordV1>(name::UNDO, seq, v.value())?,
                    ))
                }
                None => None,
            }
        };
        let Some((seq, rec)) = newest else {
            txn.abort()?;
            return Ok(Undone::Nothing);
        };
        if !expected(seq) {
            txn.abort()?;
            return Ok(Undone::Newer(UndoEntry {
                seq,
                label: rec.label,
            }));
        }
        // A record without before-images is the mark a bulk load leaves: undo stops there.
        if rec.before.is_empty() {
            txn.abort()?;
            return Err(StoreError::UndoStops { label: rec.label });
        }
        let mut profiles = BTreeSet::new();
        let mut history = BTreeSet::new();
        for b in rec.before.into_iter().rev() {
            match b {
                Before::Contact(id, old) => {
                    ops::set_contact(&txn, id, old.as_ref())?;
                    profiles.insert(id);
                }
                Before::Touch(id, old) => {
                    let cur = ops::set_touch(&txn, id, old.as_ref())?;
                    history.extend(cur.map(|t| t.contact.0));
                    history.extend(old.map(|t| t.contact.0));
                }
                Before::Sale(id, old) => {
                    let cur = ops::set_sale(&txn, id, old.as_ref())?;
                    history.extend(cur.map(|s| s.contact.0));
                    history.extend(old.map(|s| s.contact.0));
                }
                Before::Category(id, old) => {
                    ops::set_category(&txn, id, old.as_ref())?;
                }
                Before::Settings(old) => {
                    ops::set_settings(&txn, old.as_ref())?;
                }
                Before::StageMove(key, old) => {
                    ops::set_stage_move(&txn, key, old.as_ref())?;
                }
                Before::Cleared(key, old) => {
                    ops::set_cleared(&txn, key, old)?;
                }
                Before::Piece(id, old) => {
                    library::set_piece(&txn, id, old.as_ref())?;
                }
                Before::TouchPiece(id, old) => {
                    library::set_touch_piece(&txn, id, old)?;
                }
                Before::Captured(key, old) => {
                    library::set_captured(&txn, key, old.as_ref())?;
                }
                Before::CaptureRun(id, old) => {
                    library::set_capture_run(&txn, id, old.as_ref())?;
                }
            }
        }
        ops::refresh_roster(&txn, &profiles, &history)?;
        txn.open_table(UNDO)?.remove(seq)?;
        count_change(&txn)?;
        txn.commit()?;
        self.committed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Undone::Done(rec.label))
    }

    /// Load bulk data into an empty database in one transaction. Ids are kept; the id counters
    /// continue after the largest. Fails with `NotEmpty` if the database has any contact, touch,
    /// sale or category.
    ///
    /// Not undoable, and undo never crosses it: when the undo log holds actions (settings
    /// changes, say: the database has no records, but reverting them would reset the loaded
    /// settings), it is emptied and gets one record `label` without before-images, at which
    /// [`Store::undo`] stops with [`StoreError::UndoStops`]. An empty log stays empty ("nothing to
    /// undo" is then the whole truth).
    pub fn load_bulk_as(&self, bulk: Bulk, label: &str) -> Result<()> {
        self.load_bulk_inner(bulk, label)
    }

    /// [`Store::load_bulk_as`] with a generic label.
    pub fn load_bulk(&self, bulk: Bulk) -> Result<()> {
        self.load_bulk_inner(bulk, BULK_LABEL)
    }

    fn load_bulk_inner(&self, bulk: Bulk, label: &str) -> Result<()> {
        let (txn, _handle) = self.begin_write()?;
        if !is_empty(&txn)? {
            txn.abort()?;
            return Err(StoreError::NotEmpty);
        }
        load::write(&txn, bulk)?;
        let had_history = !txn.open_table(UNDO)?.is_empty()?;
        if had_history {
            txn.open_table(UNDO)?.retain(|_, _| false)?;
            append_undo(&txn, label, Vec::new())?;
        }
        count_change(&txn)?;
        txn.commit()?;
        self.committed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// Whether the database holds no contact, touch, sale or category (what a bulk load needs).
fn is_empty(txn: &WriteTransaction) -> Result<bool> {
    Ok(txn.open_table(CONTACTS)?.is_empty()?
        && txn.open_table(TOUCHES)?.is_empty()?
        && txn.open_table(SALES)?.is_empty()?
        && txn.open_table(CATEGORIES)?.is_empty()?)
}

/// The undo log's mark of a bulk load without a more specific label.
pub const BULK_LABEL: &str = "load a whole diary (a JSON restore or the demo)";

/// Settings, categories and the roster rows `keep` accepts, from any transaction's tables.
fn read_roster(
    settings: &impl ReadableTable<u8, tables::Bytes>,
    categories: &impl ReadableTable<u64, tables::Bytes>,
    table: &impl ReadableTable<u64, tables::Bytes>,
    keep: impl Fn(&Profile) -> bool,
) -> Result<Roster> {
    let settings = ops::settings(settings)?;
    let categories = ops::all::<CategoryV1>(categories, CATEGORIES)?;
    let mut rows = Vec::with_capacity(usize::try_from(table.len()?).unwrap_or(0));
    let mut days = roster::DayTable::default();
    for entry in table.range::<u64>(..)? {
        let (k, v) = entry?;
        if let Some(row) = roster::decode_row_if(&mut days, k.value(), v.value(), &keep)? {
            rows.push(row);
        }
    }
    Ok(Roster {
        settings,
        categories,
        rows,
    })
}

/// Contacts with ids in `ids` and the facts of their roster rows: two ascending range scans in
/// lockstep. (Reading on several threads by id range was measured slower: redb's page cache and
/// the allocator dominate, and they do not scale.)
fn snapshot_range(
    contacts_t: &impl ReadableTable<u64, tables::Bytes>,
    roster_t: &impl ReadableTable<u64, tables::Bytes>,
    ids: impl std::ops::RangeBounds<u64> + Clone,
    capacity: u64,
) -> Result<Vec<(Contact, Facts)>> {
    let mut out = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let mut days = roster::DayTable::default();
    let mut facts_iter = roster_t.range::<u64>(ids.clone())?;
    let mut next_facts = facts_iter.next().transpose()?;
    for entry in contacts_t.range::<u64>(ids)? {
        let (k, v) = entry?;
        let id = k.value();
        let contact = codec::decode::<ContactV1>(name::CONTACTS, id, v.value())?;
        // Rows of ids below this contact belong to no contact (harmless): skip them.
        while next_facts.as_ref().is_some_and(|(fk, _)| fk.value() < id) {
            next_facts = facts_iter.next().transpose()?;
        }
        let facts = match &next_facts {
            Some((fk, fv)) if fk.value() == id => roster::decode_row(&mut days, id, fv.value())?.1,
            _ => Facts::default(),
        };
        out.push((contact, facts));
    }
    Ok(out)
}

fn last_key(t: &impl ReadableTable<u64, tables::Bytes>) -> Result<Option<u64>> {
    Ok(t.last()?.map(|(k, _)| k.value()))
}

/// One more committed write in [`meta::CHANGES`] (see [`Store::changes`]).
fn count_change(txn: &WriteTransaction) -> Result<()> {
    let mut m = txn.open_table(META)?;
    let n = ops::meta_u64(&m, meta::CHANGES)?.wrapping_add(1);
    m.insert(meta::CHANGES, n.to_le_bytes().as_slice())?;
    Ok(())
}

/// Append one undo record and trim the log to the settings' depth.
fn append_undo(txn: &WriteTransaction, label: &str, before: Vec<Before>) -> Result<u64> {
    let depth = u64::from(ops::settings(&txn.open_table(SETTINGS)?)?.undo_depth);
    let seq = ops::next_id(txn, meta::NEXT_UNDO)?;
    let mut t = txn.open_table(UNDO)?;
    if depth > 0 {
        let rec = UndoRecord {
            label: label.to_string(),
            before,
        };
        t.insert(
            seq,
            codec::encode::<UndoRecordV1>(name::UNDO, &rec)?.as_slice(),
        )?;
    }
    while t.len()? > depth {
        if t.pop_first()?.is_none() {
            break;
        }
    }
    Ok(seq)
}

impl Writer<'_> {
    /// [`Store::changes`] as this transaction sees it (its own commit is not counted yet): an
    /// action decided on an earlier read checks here that nobody wrote since that read.
    pub fn changes(&self) -> Result<u64> {
        ops::meta_u64(&self.txn.open_table(META)?, meta::CHANGES)
    }

    /// Name this action in the undo log (instead of the label given to [`Store::write`]): for
    /// actions that learn what they act on inside the transaction.
    pub fn set_label(&mut self, label: impl Into<String>) {
        self.label = Some(label.into());
    }

    /// The whole roster as of this transaction (settings, categories, every contact's profile
    /// and facts): what resolving a name or levelling a day reads.
    pub fn roster(&self) -> Result<Roster> {
        let mut roster = read_roster(
            &self.txn.open_table(SETTINGS)?,
            &self.txn.open_table(CATEGORIES)?,
            &self.txn.open_table(ROSTER)?,
            |_| true,
        )?;
        // Rows of contacts changed by this action are rewritten at commit: read them fresh.
        for (profile, facts) in &mut roster.rows {
            let id = profile.id;
            if self.profiles.contains(&id.0) || self.history.contains(&id.0) {
                if let Some(c) = self.contact(id)? {
                    *profile = c.profile();
                }
                *facts = self.facts(id)?;
            }
        }
        Ok(roster)
    }

    /// Planned outbound touches per day within `[from, to]`, as of this transaction.
    pub fn planned_load(&self, from: NaiveDate, to: NaiveDate) -> Result<BTreeMap<NaiveDate, u32>> {
        ops::planned_load(&self.txn.open_table(TOUCHES_BY_DATE)?, from, to)
    }

    /// The cleared items of the week starting on `monday`, as of this transaction.
    pub fn cleared(&self, monday: NaiveDate) -> Result<Vec<(ContactId, NaiveDate)>> {
        ops::cleared(&self.txn.open_table(TRIAGE_CLEARED)?, monday)
    }

    /// Record that this action cleared `contact`'s item from the triage of the week starting on
    /// `monday`, on day `on` (undoable). Weeks older than four before it are forgotten.
    pub fn mark_cleared(
        &mut self,
        monday: NaiveDate,
        contact: ContactId,
        on: NaiveDate,
    ) -> Result<()> {
        let key = (tables::day(monday), contact.0);
        let old = ops::set_cleared(self.txn, key, Some(tables::day(on)))?;
        self.remember(RecordKey::Cleared(key), || Before::Cleared(key, old));
        let keep_from = monday
            .checked_sub_days(chrono::Days::new(28))
            .unwrap_or(NaiveDate::MIN);
        ops::prune_cleared(self.txn, keep_from)
    }

    /// Make room for `records` more records changed by this action (a bulk write, e.g. an import
    /// of 100,000 contacts, would otherwise regrow its before-images many times).
    pub fn reserve(&mut self, records: usize) {
        self.before.reserve(records);
        self.seen.reserve(records);
    }

    /// Record the before-image of a record the first time this action changes it.
    fn remember(&mut self, key: RecordKey, image: impl FnOnce() -> Before) {
        if self.seen.insert(key) {
            self.before.push(image());
        }
    }

    pub fn settings(&self) -> Result<Settings> {
        ops::settings(&self.txn.open_table(SETTINGS)?)
    }
    pub fn contact(&self, id: ContactId) -> Result<Option<Contact>> {
        ops::get::<ContactV1>(&self.txn.open_table(CONTACTS)?, CONTACTS, id.0)
    }
    /// Every contact (archived included) as of this transaction's own writes, ascending by id.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        ops::all::<ContactV1>(&self.txn.open_table(CONTACTS)?, CONTACTS)
    }
    /// Every category as of this transaction's own writes, ascending by id.
    pub fn categories(&self) -> Result<Vec<Category>> {
        ops::all::<CategoryV1>(&self.txn.open_table(CATEGORIES)?, CATEGORIES)
    }
    pub fn touch(&self, id: TouchId) -> Result<Option<Touch>> {
        ops::get::<TouchV1>(&self.txn.open_table(TOUCHES)?, TOUCHES, id.0)
    }
    pub fn sale(&self, id: SaleId) -> Result<Option<Sale>> {
        ops::get::<SaleV1>(&self.txn.open_table(SALES)?, SALES, id.0)
    }
    pub fn touches_of(&self, id: ContactId) -> Result<Vec<Touch>> {
        ops::by_contact::<TouchV1>(
            &self.txn.open_table(TOUCHES)?,
            TOUCHES,
            &self.txn.open_table(TOUCHES_BY_CONTACT)?,
            id.0,
        )
    }
    pub fn sales_of(&self, id: ContactId) -> Result<Vec<Sale>> {
        ops::by_contact::<SaleV1>(
            &self.txn.open_table(SALES)?,
            SALES,
            &self.txn.open_table(SALES_BY_CONTACT)?,
            id.0,
        )
    }
    /// The contact's facts as of this transaction's own writes.
    pub fn facts(&self, id: ContactId) -> Result<Facts> {
        if !self.history.contains(&id.0) {
            let row = ops::get::<RosterV1>(&self.txn.open_table(ROSTER)?, ROSTER, id.0)?;
            if let Some((_, facts)) = row {
                return Ok(facts);
            }
        }
        ops::compute_facts(self.txn, id.0)
    }
    pub fn category(&self, id: CategoryId) -> Result<Option<Category>> {
        ops::get::<CategoryV1>(&self.txn.open_table(CATEGORIES)?, CATEGORIES, id.0)
    }
    pub fn new_contact_id(&mut self) -> Result<ContactId> {
        ops::next_id(self.txn, meta::NEXT_CONTACT).map(ContactId)
    }
    pub fn new_touch_id(&mut self) -> Result<TouchId> {
        ops::next_id(self.txn, meta::NEXT_TOUCH).map(TouchId)
    }
    pub fn new_sale_id(&mut self) -> Result<SaleId> {
        ops::next_id(self.txn, meta::NEXT_SALE).map(SaleId)
    }
    pub fn new_category_id(&mut self) -> Result<CategoryId> {
        ops::next_id(self.txn, meta::NEXT_CATEGORY).map(CategoryId)
    }
    /// Insert or replace a contact (keeps the stage index and its roster row current). A new
    /// contact, or a change of stage, is recorded in the stage history as of `stage_changed`.
    pub fn put_contact(&mut self, c: &Contact) -> Result<()> {
        self.put_contacts([c])
    }
    /// Insert or replace a touch (keeps both touch indexes and the contact's facts current).
    pub fn put_touch(&mut self, t: &Touch) -> Result<()> {
        ops::bump_counter(self.txn, meta::NEXT_TOUCH, t.id.0)?;
        let old = ops::set_touch(self.txn, t.id.0, Some(t))?;
        self.history.insert(t.contact.0);
        self.history.extend(old.as_ref().map(|o| o.contact.0));
        self.remember(RecordKey::Touch(t.id.0), || Before::Touch(t.id.0, old));
        Ok(())
    }
    /// Delete a touch (an unwanted planned one); undoable. `NotFound` if there is none.
    pub fn delete_touch(&mut self, id: TouchId) -> Result<Touch> {
        let old = ops::set_touch(self.txn, id.0, None)?.ok_or(StoreError::NotFound {
            kind: "touch",
            id: id.0,
        })?;
        self.history.insert(old.contact.0);
        let image = old.clone();
        self.remember(RecordKey::Touch(id.0), || Before::Touch(id.0, Some(image)));
        Ok(old)
    }
    /// Insert or replace a sale (keeps the contact's facts current).
    pub fn put_sale(&mut self, s: &Sale) -> Result<()> {
        ops::bump_counter(self.txn, meta::NEXT_SALE, s.id.0)?;
        let old = ops::set_sale(self.txn, s.id.0, Some(s))?;
        self.history.insert(s.contact.0);
        self.history.extend(old.as_ref().map(|o| o.contact.0));
        self.remember(RecordKey::Sale(s.id.0), || Before::Sale(s.id.0, old));
        Ok(())
    }
    /// Delete a sale (entered by mistake); undoable. `NotFound` if there is none.
    pub fn delete_sale(&mut self, id: SaleId) -> Result<Sale> {
        let old = ops::set_sale(self.txn, id.0, None)?.ok_or(StoreError::NotFound {
            kind: "sale",
            id: id.0,
        })?;
        self.history.insert(old.contact.0);
        let image = old.clone();
        self.remember(RecordKey::Sale(id.0), || Before::Sale(id.0, Some(image)));
        Ok(old)
    }
    pub fn put_category(&mut self, c: &Category) -> Result<()> {
        ops::bump_counter(self.txn, meta::NEXT_CATEGORY, c.id.0)?;
        let old = ops::set_category(self.txn, c.id.0, Some(c))?;
        self.remember(RecordKey::Category(c.id.0), || {
            Before::Category(c.id.0, old)
        });
        Ok(())
    }
    pub fn put_settings(&mut self, s: &Settings) -> Result<()> {
        let old = ops::set_settings(self.txn, Some(s))?;
        self.remember(RecordKey::Settings, || Before::Settings(old));
        Ok(())
    }
}
