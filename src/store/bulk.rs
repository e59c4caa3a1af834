//! Loading a whole diary record by record (the JSON restore of a file), in bounded memory.
//!
//! [`Store::load_bulk`] takes the whole diary in memory (the demo generator builds it there
//! anyway); a restore of a 100,000-contact export held the parsed file, its records and the
//! sorted index keys at once (2.1 GB). [`Store::load_streamed`] instead hands the caller a
//! [`BulkSink`] that writes each record, and its index entries, into the one write transaction
//! as it arrives; the roster rows are computed at the end, contact by contact, from what the
//! transaction holds. Memory is then the largest contact's history plus redb's page cache.
//! The outcome is the same as [`Store::load_bulk`]'s: one transaction (nothing is written unless
//! all of it is), ids kept, counters past the largest, undo stopped at it.

use super::codec::{self, CategoryV1, ContactV1, RosterV1, SaleV1, StageMoveV1, TouchV1};
use super::tables::{
    self, Bytes, CATEGORIES, CONTACTS, CONTACTS_BY_STAGE, ROSTER, SALES, SALES_BY_CONTACT,
    STAGE_MOVES, TOUCHES, TOUCHES_BY_CONTACT, TOUCHES_BY_DATE, UNDO, meta, name,
};
use super::{GlobalKind, Result, Store, StoreError, ops, sync_state};
use crate::model::{Category, Contact, Sale, Settings, StageMove, Touch};
use crate::planner::summarize;
use redb::{ReadableTable, ReadableTableMetadata, Table, WriteTransaction};

/// Where [`Store::load_streamed`]'s records go: each `put` writes the record and its index
/// entries into the load's transaction.
pub struct BulkSink<'t> {
    txn: &'t WriteTransaction,
    categories: Table<'t, u64, Bytes>,
    contacts: Table<'t, u64, Bytes>,
    by_stage: Table<'t, (u8, u64), ()>,
    touches: Table<'t, u64, Bytes>,
    by_contact: Table<'t, (u64, i32, u64), ()>,
    by_date: Table<'t, (i32, u64), u8>,
    sales: Table<'t, u64, Bytes>,
    sales_by_contact: Table<'t, (u64, i32, u64), ()>,
    moves: Table<'t, (u64, i32, u64), Bytes>,
    buf: Vec<u8>,
    max: [u64; 4],
    stage_moves: u64,
    /// Global ids given by the file, written in batches.
    global_ids: Vec<(GlobalKind, u64, String)>,
    /// How many contacts were put.
    pub contact_count: usize,
}

const CAT: usize = 0;
const CONTACT: usize = 1;
const TOUCH: usize = 2;
const SALE: usize = 3;

impl BulkSink<'_> {
    pub fn settings(&mut self, s: &Settings) -> Result<()> {
        ops::set_settings(self.txn, Some(s)).map(|_| ())
    }

    pub fn category(&mut self, c: &Category) -> Result<()> {
        codec::encode_into::<CategoryV1>(&mut self.buf, name::CATEGORIES, c)?;
        if self
            .categories
            .insert(c.id.0, self.buf.as_slice())?
            .is_some()
        {
            return Err(twice("category", c.id.0));
        }
        self.max[CAT] = self.max[CAT].max(c.id.0);
        Ok(())
    }

    pub fn contact(&mut self, c: &Contact) -> Result<()> {
        codec::encode_into::<ContactV1>(&mut self.buf, name::CONTACTS, c)?;
        if self.contacts.insert(c.id.0, self.buf.as_slice())?.is_some() {
            return Err(twice("contact", c.id.0));
        }
        self.contact_count += 1;
        self.by_stage
            .insert((tables::stage_code(c.stage), c.id.0), ())?;
        self.max[CONTACT] = self.max[CONTACT].max(c.id.0);
        Ok(())
    }

    pub fn touch(&mut self, t: &Touch) -> Result<()> {
        codec::encode_into::<TouchV1>(&mut self.buf, name::TOUCHES, t)?;
        if self.touches.insert(t.id.0, self.buf.as_slice())?.is_some() {
            return Err(twice("touch", t.id.0));
        }
        self.by_contact
            .insert((t.contact.0, tables::day(t.date), t.id.0), ())?;
        self.by_date
            .insert((tables::day(t.date), t.id.0), tables::touch_hint(t))?;
        self.max[TOUCH] = self.max[TOUCH].max(t.id.0);
        Ok(())
    }

    pub fn sale(&mut self, s: &Sale) -> Result<()> {
        codec::encode_into::<SaleV1>(&mut self.buf, name::SALES, s)?;
        if self.sales.insert(s.id.0, self.buf.as_slice())?.is_some() {
            return Err(twice("sale", s.id.0));
        }
        self.sales_by_contact
            .insert((s.contact.0, tables::day(s.date), s.id.0), ())?;
        self.max[SALE] = self.max[SALE].max(s.id.0);
        Ok(())
    }

    /// A record's global id, as the file gives it (records without one get a new one at the end).
    pub fn global_id(&mut self, kind: GlobalKind, id: u64, gid: String) -> Result<()> {
        self.global_ids.push((kind, id, gid));
        if self.global_ids.len() >= 4096 {
            sync_state::set_all(self.txn, &self.global_ids)?;
            self.global_ids.clear();
        }
        Ok(())
    }

    /// One stage move, numbered in the order given (which keeps same-day moves in order).
    pub fn stage_move(&mut self, m: &StageMove) -> Result<()> {
        self.stage_moves += 1;
        codec::encode_into::<StageMoveV1>(&mut self.buf, name::STAGE_MOVES, m)?;
        self.moves.insert(
            (m.contact.0, tables::day(m.date), self.stage_moves),
            self.buf.as_slice(),
        )?;
        Ok(())
    }
}

fn twice(kind: &'static str, id: u64) -> StoreError {
    StoreError::Duplicate { kind, id }
}

impl Store {
    /// Load a whole diary into an empty database, record by record (see the module doc): `fill`
    /// puts the records into the sink; when it returns Ok the roster rows, the stage history (one
    /// move per contact when `fill` gave none), the counters and the undo mark
    /// ([`Store::load_bulk_as`]) are written and everything is committed as one transaction.
    /// When `fill` fails nothing is written. Fails with `NotEmpty` if the database has any
    /// contact, touch, sale or category. Returns how many contacts were loaded.
    pub fn load_streamed<E: From<StoreError>>(
        &self,
        label: &str,
        fill: impl FnOnce(&mut BulkSink<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E> {
        let (txn, _handle) = self.begin_write()?;
        if !is_empty(&txn)? {
            let _ = txn.abort();
            return Err(StoreError::NotEmpty.into());
        }
        let mut sink = sink(&txn)?;
        if let Err(e) = fill(&mut sink) {
            drop(sink);
            let _ = txn.abort();
            return Err(e);
        }
        let (max, moves, count) = (sink.max, sink.stage_moves, sink.contact_count);
        let ids = std::mem::take(&mut sink.global_ids);
        drop(sink);
        sync_state::set_all(&txn, &ids)?;
        finish(&txn, max, moves, label)?;
        super::count_change(&txn)?;
        txn.commit().map_err(StoreError::from)?;
        self.committed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(count)
    }
}

fn is_empty(txn: &WriteTransaction) -> Result<bool> {
    Ok(txn.open_table(CONTACTS)?.is_empty()?
        && txn.open_table(TOUCHES)?.is_empty()?
        && txn.open_table(SALES)?.is_empty()?
        && txn.open_table(CATEGORIES)?.is_empty()?)
}

fn sink(txn: &WriteTransaction) -> Result<BulkSink<'_>> {
    Ok(BulkSink {
        txn,
        categories: txn.open_table(CATEGORIES)?,
        contacts: txn.open_table(CONTACTS)?,
        by_stage: txn.open_table(CONTACTS_BY_STAGE)?,
        touches: txn.open_table(TOUCHES)?,
        by_contact: txn.open_table(TOUCHES_BY_CONTACT)?,
        by_date: txn.open_table(TOUCHES_BY_DATE)?,
        sales: txn.open_table(SALES)?,
        sales_by_contact: txn.open_table(SALES_BY_CONTACT)?,
        moves: txn.open_table(STAGE_MOVES)?,
        buf: Vec::with_capacity(512),
        max: [0; 4],
        stage_moves: 0,
        global_ids: Vec::new(),
        contact_count: 0,
    })
}

/// After the records: roster rows (and the stage history when none was given) contact by
/// contact, counters, the undo mark.
fn finish(txn: &WriteTransaction, max: [u64; 4], moves: u64, label: &str) -> Result<()> {
    {
        let contacts = txn.open_table(CONTACTS)?;
        let touches = txn.open_table(TOUCHES)?;
        let by_contact = txn.open_table(TOUCHES_BY_CONTACT)?;
        let sales = txn.open_table(SALES)?;
        let sales_by_contact = txn.open_table(SALES_BY_CONTACT)?;
        let mut roster = txn.open_table(ROSTER)?;
        let mut stage_moves = txn.open_table(STAGE_MOVES)?;
        let mut buf = Vec::with_capacity(512);
        let mut seeded = 0u64;
        for entry in contacts.range::<u64>(..)? {
            let (k, v) = entry?;
            let id = k.value();
            let c = codec::decode::<ContactV1>(name::CONTACTS, id, v.value())?;
            let ts = ops::by_contact::<TouchV1>(&touches, TOUCHES, &by_contact, id)?;
            let ss = ops::by_contact::<SaleV1>(&sales, SALES, &sales_by_contact, id)?;
            codec::encode_into::<RosterV1>(
                &mut buf,
                name::ROSTER,
                &(c.profile(), summarize(&ts, &ss)),
            )?;
            roster.insert(id, buf.as_slice())?;
            if moves == 0 {
                seeded += 1;
                let m = ops::move_of_record(&c);
                codec::encode_into::<StageMoveV1>(&mut buf, name::STAGE_MOVES, &m)?;
                stage_moves.insert((id, tables::day(m.date), seeded), buf.as_slice())?;
            }
        }
        let total = if moves == 0 { seeded } else { moves };
        if total > 0 {
            ops::bump_counter(txn, meta::NEXT_STAGE_MOVE, total)?;
        }
    }
    for (key, m) in [
        (meta::NEXT_CATEGORY, max[CAT]),
        (meta::NEXT_CONTACT, max[CONTACT]),
        (meta::NEXT_TOUCH, max[TOUCH]),
        (meta::NEXT_SALE, max[SALE]),
    ] {
        if m > 0 {
            ops::bump_counter(txn, key, m)?;
        }
    }
    sync_state::assign_all(txn)?;
    let had_history = !txn.open_table(UNDO)?.is_empty()?;
    if had_history {
        txn.open_table(UNDO)?.retain(|_, _| false)?;
        super::append_undo(txn, label, Vec::new())?;
    }
    Ok(())
}
