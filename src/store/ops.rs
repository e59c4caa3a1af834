//! Record-level operations shared by reads, writes, undo and bulk loading: typed gets over any
//! readable table, and puts/deletes that keep the indexes current and report the previous value.

use super::codec::{
    self, CategoryV1, ContactV1, RosterV1, SaleV1, SettingsV2, StageMoveV1, Stored, TouchV1,
};
use super::tables::{
    self, Bytes, CATEGORIES, CONTACTS, CONTACTS_BY_STAGE, META, ROSTER, SALES, SALES_BY_CONTACT,
    SETTINGS, SETTINGS_KEY, STAGE_MOVES, TOUCHES, TOUCHES_BY_CONTACT, TOUCHES_BY_DATE,
    TRIAGE_CLEARED, meta, name,
};
use super::{Result, StoreError};
use crate::model::{Category, Contact, ContactId, Sale, Settings, StageMove, Touch};
use crate::planner::{Facts, summarize};
use chrono::NaiveDate;
use redb::{ReadableTable, Table, TableDefinition, TableHandle, WriteTransaction};
use std::collections::{BTreeMap, BTreeSet};

/// Decode the value of `key` in `table`, if present.
pub(crate) fn get<S: Stored>(
    table: &impl ReadableTable<u64, Bytes>,
    def: TableDefinition<u64, Bytes>,
    key: u64,
) -> Result<Option<S::Model>> {
    match table.get(key)? {
        Some(v) => codec::decode::<S>(table_name(def), key, v.value()).map(Some),
        None => Ok(None),
    }
}

/// Every value of a table, ascending by key.
pub(crate) fn all<S: Stored>(
    table: &impl ReadableTable<u64, Bytes>,
    def: TableDefinition<u64, Bytes>,
) -> Result<Vec<S::Model>> {
    let name = table_name(def);
    let mut out = Vec::with_capacity(usize::try_from(table.len()?).unwrap_or(0));
    for entry in table.range::<u64>(..)? {
        let (k, v) = entry?;
        out.push(codec::decode::<S>(name, k.value(), v.value())?);
    }
    Ok(out)
}

/// The records listed by a by-contact index (touches or sales), ascending by date then id.
pub(crate) fn by_contact<S: Stored>(
    records: &impl ReadableTable<u64, Bytes>,
    def: TableDefinition<u64, Bytes>,
    index: &impl ReadableTable<(u64, i32, u64), ()>,
    contact: u64,
) -> Result<Vec<S::Model>> {
    let mut out = Vec::new();
    for entry in index.range((contact, i32::MIN, 0u64)..=(contact, i32::MAX, u64::MAX))? {
        let (k, _) = entry?;
        let (_, _, id) = k.value();
        let rec = get::<S>(records, def, id)?.ok_or_else(|| StoreError::Codec {
            table: table_name(def),
            key: id.to_string(),
            detail: format!("listed in the index of contact {contact} but missing"),
        })?;
        out.push(rec);
    }
    Ok(out)
}

/// The stored settings, or the defaults.
pub(crate) fn settings(table: &impl ReadableTable<u8, Bytes>) -> Result<Settings> {
    match table.get(SETTINGS_KEY)? {
        Some(v) => codec::decode::<SettingsV2>(name::SETTINGS, SETTINGS_KEY, v.value()),
        None => Ok(Settings::default()),
    }
}

/// Read a u64 meta value (0 when absent).
pub(crate) fn meta_u64(table: &impl ReadableTable<&'static str, Bytes>, key: &str) -> Result<u64> {
    match table.get(key)? {
        None => Ok(0),
        Some(v) => {
            let bytes: [u8; 8] = v.value().try_into().map_err(|_| StoreError::Codec {
                table: "meta",
                key: key.to_string(),
                detail: "not an 8-byte counter".to_string(),
            })?;
            Ok(u64::from_le_bytes(bytes))
        }
    }
}

/// Hand out the next id of a counter (ids start at 1 and are never reused).
pub(crate) fn next_id(txn: &WriteTransaction, key: &str) -> Result<u64> {
    let mut meta = txn.open_table(META)?;
    let id = meta_u64(&meta, key)?.max(1);
    let next = id
        .checked_add(1)
        .ok_or_else(|| StoreError::Db(format!("{key} overflow")))?;
    meta.insert(key, next.to_le_bytes().as_slice())?;
    Ok(id)
}

/// Make sure a counter will never hand out `id` (a record was stored with an id of its own).
pub(crate) fn bump_counter(txn: &WriteTransaction, key: &str, id: u64) -> Result<()> {
    let mut meta = txn.open_table(META)?;
    let next = id.saturating_add(1);
    if meta_u64(&meta, key)? < next {
        meta.insert(key, next.to_le_bytes().as_slice())?;
    }
    Ok(())
}

/// Insert, replace (`Some`) or delete (`None`) a contact; keeps the stage index. Returns the old one.
pub(crate) fn set_contact(
    txn: &WriteTransaction,
    id: u64,
    new: Option<&Contact>,
) -> Result<Option<Contact>> {
    let mut table = txn.open_table(CONTACTS)?;
    let mut by_stage = txn.open_table(CONTACTS_BY_STAGE)?;
    replace_contact(&mut table, &mut by_stage, id, new)
}

/// [`set_contact`] on tables the caller opened (once for many contacts).
pub(crate) fn replace_contact(
    table: &mut Table<'_, u64, Bytes>,
    by_stage: &mut Table<'_, (u8, u64), ()>,
    id: u64,
    new: Option<&Contact>,
) -> Result<Option<Contact>> {
    let old = match new {
        Some(c) => table.insert(
            id,
            codec::encode::<ContactV1>(name::CONTACTS, c)?.as_slice(),
        )?,
        None => table.remove(id)?,
    };
    let old = old
        .map(|v| codec::decode::<ContactV1>(name::CONTACTS, id, v.value()))
        .transpose()?;
    let old_stage = old.as_ref().map(|c| tables::stage_code(c.stage));
    let new_stage = new.map(|c| tables::stage_code(c.stage));
    if old_stage != new_stage {
        if let Some(s) = old_stage {
            by_stage.remove((s, id))?;
        }
        if let Some(s) = new_stage {
            by_stage.insert((s, id), ())?;
        }
    }
    Ok(old)
}

/// Insert, replace or delete a touch; keeps both touch indexes. Returns the old one.
pub(crate) fn set_touch(
    txn: &WriteTransaction,
    id: u64,
    new: Option<&Touch>,
) -> Result<Option<Touch>> {
    let mut table = txn.open_table(TOUCHES)?;
    let old = get::<TouchV1>(&table, TOUCHES, id)?;
    match new {
        Some(t) => {
            table.insert(id, codec::encode::<TouchV1>(name::TOUCHES, t)?.as_slice())?;
        }
        None => {
            table.remove(id)?;
        }
    }
    drop(table);
    let mut by_contact = txn.open_table(TOUCHES_BY_CONTACT)?;
    let mut by_date = txn.open_table(TOUCHES_BY_DATE)?;
    if let Some(o) = &old {
        by_contact.remove((o.contact.0, tables::day(o.date), id))?;
        by_date.remove((tables::day(o.date), id))?;
    }
    if let Some(t) = new {
        by_contact.insert((t.contact.0, tables::day(t.date), id), ())?;
        by_date.insert((tables::day(t.date), id), tables::touch_hint(t))?;
    }
    Ok(old)
}

/// Insert, replace or delete a sale; keeps the sales index. Returns the old one.
pub(crate) fn set_sale(
    txn: &WriteTransaction,
    id: u64,
    new: Option<&Sale>,
) -> Result<Option<Sale>> {
    let mut table = txn.open_table(SALES)?;
    let old = get::<SaleV1>(&table, SALES, id)?;
    match new {
        Some(s) => {
            table.insert(id, codec::encode::<SaleV1>(name::SALES, s)?.as_slice())?;
        }
        None => {
            table.remove(id)?;
        }
    }
    drop(table);
    let mut idx = txn.open_table(SALES_BY_CONTACT)?;
    if let Some(o) = &old {
        idx.remove((o.contact.0, tables::day(o.date), id))?;
    }
    if let Some(s) = new {
        idx.insert((s.contact.0, tables::day(s.date), id), ())?;
    }
    Ok(old)
}

/// Insert, replace or delete a category. Returns the old one.
pub(crate) fn set_category(
    txn: &WriteTransaction,
    id: u64,
    new: Option<&Category>,
) -> Result<Option<Category>> {
    let mut table = txn.open_table(CATEGORIES)?;
    let old = get::<CategoryV1>(&table, CATEGORIES, id)?;
    match new {
        Some(c) => {
            table.insert(
                id,
                codec::encode::<CategoryV1>(name::CATEGORIES, c)?.as_slice(),
            )?;
        }
        None => {
            table.remove(id)?;
        }
    }
    Ok(old)
}

/// Store (`Some`) or clear (`None`, back to defaults) the settings. Returns the stored ones.
pub(crate) fn set_settings(
    txn: &WriteTransaction,
    new: Option<&Settings>,
) -> Result<Option<Settings>> {
    let mut table = txn.open_table(SETTINGS)?;
    let old = match table.get(SETTINGS_KEY)? {
        Some(v) => Some(codec::decode::<SettingsV2>(
            name::SETTINGS,
            SETTINGS_KEY,
            v.value(),
        )?),
        None => None,
    };
    match new {
        Some(s) => {
            table.insert(
                SETTINGS_KEY,
                codec::encode::<SettingsV2>(name::SETTINGS, s)?.as_slice(),
            )?;
        }
        None => {
            table.remove(SETTINGS_KEY)?;
        }
    }
    Ok(old)
}

/// The key of a stage move in [`STAGE_MOVES`].
pub(crate) type MoveKey = (u64, i32, u64);

/// Record a new stage move under a fresh number; returns its key.
pub(crate) fn add_stage_move(txn: &WriteTransaction, m: &StageMove) -> Result<MoveKey> {
    let key = (
        m.contact.0,
        tables::day(m.date),
        next_id(txn, meta::NEXT_STAGE_MOVE)?,
    );
    set_stage_move(txn, key, Some(m))?;
    Ok(key)
}

/// Insert, replace or delete a stage move. Returns the old one.
pub(crate) fn set_stage_move(
    txn: &WriteTransaction,
    key: MoveKey,
    new: Option<&StageMove>,
) -> Result<Option<StageMove>> {
    let mut table = txn.open_table(STAGE_MOVES)?;
    let old = match new {
        Some(m) => table.insert(
            key,
            codec::encode::<StageMoveV1>(name::STAGE_MOVES, m)?.as_slice(),
        )?,
        None => table.remove(key)?,
    };
    old.map(|v| codec::decode::<StageMoveV1>(name::STAGE_MOVES, move_key(key), v.value()))
        .transpose()
}

/// A stage move key as shown in error messages.
pub(crate) fn move_key((contact, day, n): MoveKey) -> String {
    format!("c{contact}/day {day}/#{n}")
}

/// Every stage move, by contact, then date, then number.
pub(crate) fn stage_moves(table: &impl ReadableTable<MoveKey, Bytes>) -> Result<Vec<StageMove>> {
    let mut out = Vec::with_capacity(usize::try_from(table.len()?).unwrap_or(0));
    for entry in table.range::<MoveKey>(..)? {
        let (k, v) = entry?;
        out.push(codec::decode::<StageMoveV1>(
            name::STAGE_MOVES,
            move_key(k.value()),
            v.value(),
        )?);
    }
    Ok(out)
}

/// The move a contact's current record stands for when its earlier history is unknown: entering
/// its stage on its stage date (files from before stage history, restores without one).
pub(crate) fn move_of_record(c: &Contact) -> StageMove {
    StageMove {
        contact: c.id,
        date: c.stage_changed,
        from: None,
        to: c.stage,
        reason: if c.stage.is_out() { c.no_reason } else { None },
    }
}

/// Record one [`move_of_record`] per contact that has no stage move yet.
pub(crate) fn seed_stage_moves(txn: &WriteTransaction) -> Result<u64> {
    let mut seeded = 0;
    let contacts = all::<ContactV1>(&txn.open_table(CONTACTS)?, CONTACTS)?;
    for c in &contacts {
        let has = {
            let t = txn.open_table(STAGE_MOVES)?;
            t.range((c.id.0, i32::MIN, 0u64)..=(c.id.0, i32::MAX, u64::MAX))?
                .next()
                .is_some()
        };
        if !has {
            add_stage_move(txn, &move_of_record(c))?;
            seeded += 1;
        }
    }
    Ok(seeded)
}

/// A contact's facts computed from the transaction's current touches and sales.
pub(crate) fn compute_facts(txn: &WriteTransaction, contact: u64) -> Result<Facts> {
    facts_from(&History::open(txn)?, contact)
}

/// The tables a contact's facts are computed from, opened once for many contacts.
struct History<'t> {
    touches: redb::Table<'t, u64, Bytes>,
    touch_index: redb::Table<'t, (u64, i32, u64), ()>,
    sales: redb::Table<'t, u64, Bytes>,
    sale_index: redb::Table<'t, (u64, i32, u64), ()>,
}

impl<'t> History<'t> {
    fn open(txn: &'t WriteTransaction) -> Result<Self> {
        Ok(History {
            touches: txn.open_table(TOUCHES)?,
            touch_index: txn.open_table(TOUCHES_BY_CONTACT)?,
            sales: txn.open_table(SALES)?,
            sale_index: txn.open_table(SALES_BY_CONTACT)?,
        })
    }
}

fn facts_from(h: &History<'_>, contact: u64) -> Result<Facts> {
    let touches: Vec<Touch> = by_contact::<TouchV1>(&h.touches, TOUCHES, &h.touch_index, contact)?;
    let sales: Vec<Sale> = by_contact::<SaleV1>(&h.sales, SALES, &h.sale_index, contact)?;
    Ok(summarize(&touches, &sales))
}

/// Rewrite the roster rows of these contacts from the transaction's current records: the profile
/// from the contact record, the facts recomputed when the contact's touches or sales changed
/// (`history`) or when it has no row yet, else kept. A contact that no longer exists loses its row.
/// The tables are opened once for all of them (an import refreshes 100,000 rows).
pub(crate) fn refresh_roster(
    txn: &WriteTransaction,
    profiles: &BTreeSet<u64>,
    history: &BTreeSet<u64>,
) -> Result<()> {
    let mut buf = Vec::with_capacity(256);
    let contacts = txn.open_table(CONTACTS)?;
    let mut roster = txn.open_table(ROSTER)?;
    let past = History::open(txn)?;
    for &id in profiles.union(history) {
        let Some(contact) = get::<ContactV1>(&contacts, CONTACTS, id)? else {
            roster.remove(id)?;
            continue;
        };
        let kept = if history.contains(&id) {
            None
        } else {
            get::<RosterV1>(&roster, ROSTER, id)?.map(|(_, facts)| facts)
        };
        let facts = match kept {
            Some(f) => f,
            None => facts_from(&past, id)?,
        };
        let row = (contact.profile(), facts);
        codec::encode_into::<RosterV1>(&mut buf, name::ROSTER, &row)?;
        roster.insert(id, buf.as_slice())?;
    }
    Ok(())
}

/// The static name of a record table (for error messages).
pub(crate) fn table_name(def: TableDefinition<u64, Bytes>) -> &'static str {
    [
        name::CONTACTS,
        name::TOUCHES,
        name::SALES,
        name::CATEGORIES,
        name::ROSTER,
        name::UNDO,
        name::PIECES,
        name::CAPTURE_RUNS,
    ]
    .into_iter()
    .find(|n| *n == def.name())
    .unwrap_or("record")
}

/// Planned outbound touches per day within `[from, to]`, from the by-date index alone (for load
/// levelling). Days without any are absent.
pub(crate) fn planned_load(
    idx: &impl ReadableTable<(i32, u64), u8>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, u32>> {
    let mut out = BTreeMap::new();
    if from > to {
        return Ok(out);
    }
    let want = tables::HINT_PLANNED | tables::HINT_OUTBOUND;
    for entry in idx.range((tables::day(from), 0u64)..=(tables::day(to), u64::MAX))? {
        let (k, hint) = entry?;
        if hint.value() & want == want {
            let day = k.value().0;
            let date = tables::date_of(day).ok_or_else(|| StoreError::Codec {
                table: name::TOUCHES_BY_DATE,
                key: day.to_string(),
                detail: "not a date".to_string(),
            })?;
            *out.entry(date).or_insert(0) += 1;
        }
    }
    Ok(out)
}

/// The cleared triage items of the week starting on `monday`: each contact with the day it was
/// cleared, ascending by contact id.
pub(crate) fn cleared(
    table: &impl ReadableTable<(i32, u64), i32>,
    monday: NaiveDate,
) -> Result<Vec<(ContactId, NaiveDate)>> {
    let week = tables::day(monday);
    let mut out = Vec::new();
    for entry in table.range((week, 0u64)..=(week, u64::MAX))? {
        let (k, v) = entry?;
        let day = v.value();
        let on = tables::date_of(day).ok_or_else(|| StoreError::Codec {
            table: name::TRIAGE_CLEARED,
            key: format!("{week}/c{}", k.value().1),
            detail: format!("{day} is not a date"),
        })?;
        out.push((ContactId(k.value().1), on));
    }
    Ok(out)
}

/// Set or remove one cleared triage item; returns the old value.
pub(crate) fn set_cleared(
    txn: &WriteTransaction,
    key: (i32, u64),
    on: Option<i32>,
) -> Result<Option<i32>> {
    let mut t = txn.open_table(TRIAGE_CLEARED)?;
    let old = match on {
        Some(day) => t.insert(key, day)?,
        None => t.remove(key)?,
    };
    Ok(old.map(|v| v.value()))
}

/// Forget the cleared items of weeks that began before `before` (nobody shows them again).
pub(crate) fn prune_cleared(txn: &WriteTransaction, before: NaiveDate) -> Result<()> {
    let mut t = txn.open_table(TRIAGE_CLEARED)?;
    t.retain_in(..(tables::day(before), 0u64), |_, _| false)?;
    Ok(())
}
