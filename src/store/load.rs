//! Writing a whole diary held in memory (the demo generator, a JSON restore) into an empty
//! database, inside the caller's one write transaction: records, their indexes, the roster rows
//! and the id counters. [`super::bulk`] is the streamed form of the same load.
//!
//! Every list is sorted by key before it is written, so every table is filled by appends; one
//! encoding buffer serves every record.

use super::codec::{self, CategoryV1, ContactV1, RosterV1, SaleV1, StageMoveV1, Stored, TouchV1};
use super::tables::{
    self, Bytes, CATEGORIES, CONTACTS, CONTACTS_BY_STAGE, META, ROSTER, SALES, SALES_BY_CONTACT,
    STAGE_MOVES, TOUCHES, TOUCHES_BY_CONTACT, TOUCHES_BY_DATE, meta, name,
};
use super::{Bulk, Result, last_key, ops, sync_state};
use crate::model::{Category, Contact, Sale, StageMove, Touch};
use crate::planner::{Facts, summarize};
use redb::{TableDefinition, WriteTransaction};
use std::collections::BTreeMap;

/// Write `bulk` into the (empty) tables of `txn`: ids are kept, the counters continue after the
/// largest, records without a global id get one.
pub(super) fn write(txn: &WriteTransaction, bulk: Bulk) -> Result<()> {
    let Bulk {
        settings,
        mut categories,
        mut contacts,
        mut touches,
        mut sales,
        stage_moves,
        global_ids,
    } = bulk;
    categories.sort_by_key(|c| c.id);
    contacts.sort_by_key(|c| c.id);
    touches.sort_by_key(|t| t.id);
    sales.sort_by_key(|s| s.id);
    ops::set_settings(txn, Some(&settings))?;
    let mut buf = Vec::with_capacity(512);
    let b = &mut buf;
    put_records::<CategoryV1>(
        txn,
        CATEGORIES,
        name::CATEGORIES,
        &categories,
        |c| c.id.0,
        b,
    )?;
    put_contacts(txn, &contacts, b)?;
    put_touches(txn, &touches, b)?;
    put_sales(txn, &sales, b)?;
    put_stage_moves(txn, stage_moves, &contacts, b)?;
    put_roster(txn, &contacts, touches, sales, b)?;
    set_counters(txn, &categories, &contacts)?;
    sync_state::set_all(txn, &global_ids)?;
    sync_state::assign_all(txn)?;
    Ok(())
}

/// Each record, encoded through `S`, into `table` (named `name`) under its `id`.
fn put_records<S: Stored>(
    txn: &WriteTransaction,
    table: TableDefinition<u64, Bytes>,
    name: &'static str,
    records: &[S::Model],
    id: impl Fn(&S::Model) -> u64,
    buf: &mut Vec<u8>,
) -> Result<()> {
    let mut t = txn.open_table(table)?;
    for r in records {
        codec::encode_into::<S>(buf, name, r)?;
        t.insert(id(r), buf.as_slice())?;
    }
    Ok(())
}

/// Keys into an index table of keys only, sorted first so they go in as appends.
fn put_keys<K>(
    txn: &WriteTransaction,
    index: TableDefinition<K, ()>,
    mut keys: Vec<K>,
) -> Result<()>
where
    K: redb::Key + Ord + 'static + for<'a> std::borrow::Borrow<K::SelfType<'a>>,
{
    keys.sort_unstable();
    let mut idx = txn.open_table(index)?;
    for k in keys {
        idx.insert(k, ())?;
    }
    Ok(())
}

fn put_contacts(txn: &WriteTransaction, contacts: &[Contact], buf: &mut Vec<u8>) -> Result<()> {
    put_records::<ContactV1>(txn, CONTACTS, name::CONTACTS, contacts, |c| c.id.0, buf)?;
    let by_stage = contacts
        .iter()
        .map(|c| (tables::stage_code(c.stage), c.id.0));
    put_keys(txn, CONTACTS_BY_STAGE, by_stage.collect())
}

fn put_touches(txn: &WriteTransaction, touches: &[Touch], buf: &mut Vec<u8>) -> Result<()> {
    put_records::<TouchV1>(txn, TOUCHES, name::TOUCHES, touches, |x| x.id.0, buf)?;
    let by_contact = touches
        .iter()
        .map(|x| (x.contact.0, tables::day(x.date), x.id.0));
    put_keys(txn, TOUCHES_BY_CONTACT, by_contact.collect())?;
    let mut by_date: Vec<((i32, u64), u8)> = touches
        .iter()
        .map(|x| ((tables::day(x.date), x.id.0), tables::touch_hint(x)))
        .collect();
    by_date.sort_unstable();
    let mut idx = txn.open_table(TOUCHES_BY_DATE)?;
    for (k, hint) in by_date {
        idx.insert(k, hint)?;
    }
    Ok(())
}

fn put_sales(txn: &WriteTransaction, sales: &[Sale], buf: &mut Vec<u8>) -> Result<()> {
    put_records::<SaleV1>(txn, SALES, name::SALES, sales, |x| x.id.0, buf)?;
    let by_contact = sales
        .iter()
        .map(|x| (x.contact.0, tables::day(x.date), x.id.0));
    put_keys(txn, SALES_BY_CONTACT, by_contact.collect())
}

/// The stage history; when the bulk has none, each contact's move into its current stage.
fn put_stage_moves(
    txn: &WriteTransaction,
    mut moves: Vec<StageMove>,
    contacts: &[Contact],
    buf: &mut Vec<u8>,
) -> Result<()> {
    if moves.is_empty() {
        moves = contacts.iter().map(ops::move_of_record).collect();
    }
    // Numbered in the order given, which keeps same-day moves in order.
    let mut keyed: Vec<((u64, i32, u64), &StageMove)> = moves
        .iter()
        .zip(1u64..)
        .map(|(m, n)| ((m.contact.0, tables::day(m.date), n), m))
        .collect();
    keyed.sort_unstable_by_key(|(k, _)| *k);
    let mut t = txn.open_table(STAGE_MOVES)?;
    for (k, m) in &keyed {
        codec::encode_into::<StageMoveV1>(buf, name::STAGE_MOVES, m)?;
        t.insert(*k, buf.as_slice())?;
    }
    if let Ok(n) = u64::try_from(keyed.len()) {
        ops::bump_counter(txn, meta::NEXT_STAGE_MOVE, n)?;
    }
    Ok(())
}

/// One roster row per contact: touches and sales grouped by contact in memory, one summary per
/// contact. (Touches and sales of contacts not in the bulk have no row to go to.)
fn put_roster(
    txn: &WriteTransaction,
    contacts: &[Contact],
    touches: Vec<Touch>,
    sales: Vec<Sale>,
    buf: &mut Vec<u8>,
) -> Result<()> {
    let mut by_contact: BTreeMap<u64, (Vec<Touch>, Vec<Sale>)> = BTreeMap::new();
    for x in touches {
        by_contact.entry(x.contact.0).or_default().0.push(x);
    }
    for x in sales {
        by_contact.entry(x.contact.0).or_default().1.push(x);
    }
    let mut t = txn.open_table(ROSTER)?;
    for c in contacts {
        let facts = match by_contact.remove(&c.id.0) {
            Some((ts, ss)) => summarize(&ts, &ss),
            None => Facts::default(),
        };
        codec::encode_into::<RosterV1>(buf, name::ROSTER, &(c.profile(), facts))?;
        t.insert(c.id.0, buf.as_slice())?;
    }
    Ok(())
}

/// The id counters past the largest id loaded (never moved back).
fn set_counters(
    txn: &WriteTransaction,
    categories: &[Category],
    contacts: &[Contact],
) -> Result<()> {
    {
        let mut m = txn.open_table(META)?;
        let max_plus_one = |max: Option<u64>| max.map_or(1, |m| m.saturating_add(1));
        let counters = [
            (
                meta::NEXT_CATEGORY,
                max_plus_one(categories.last().map(|c| c.id.0)),
            ),
            (
                meta::NEXT_CONTACT,
                max_plus_one(contacts.last().map(|c| c.id.0)),
            ),
        ];
        for (key, next) in counters {
            if ops::meta_u64(&m, key)? < next {
                m.insert(key, next.to_le_bytes().as_slice())?;
            }
        }
    }
    // Touches and sales were moved into the roster grouping: their counters from the tables.
    for (key, next) in [
        (meta::NEXT_TOUCH, last_key(&txn.open_table(TOUCHES)?)?),
        (meta::NEXT_SALE, last_key(&txn.open_table(SALES)?)?),
    ] {
        if let Some(max) = next {
            ops::bump_counter(txn, key, max)?;
        }
    }
    Ok(())
}
