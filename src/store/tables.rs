//! Every redb table of a tickler database, as `const` definitions, and the key encodings.
//!
//! All tables are created in one write transaction when a database is opened (see
//! [`super::open`]), so a read never meets `TableDoesNotExist`. Record values are bytes written by
//! [`super::codec`]; index tables hold keys only (or a one-byte hint), and sort the way their
//! queries need: redb compares integer tuple keys element by element, numerically.
//!
//! Renaming a table, or changing its key or value type, changes the file format: bump
//! [`super::migrate::SCHEMA_VERSION`] and add a migration.

use chrono::{Datelike, NaiveDate};
use redb::TableDefinition;

/// Raw record bytes: `[codec version][postcard payload]`.
pub(crate) type Bytes = &'static [u8];

/// Table names (part of the file format).
pub(crate) mod name {
    pub const META: &str = "meta";
    pub const CONTACTS: &str = "contacts";
    pub const TOUCHES: &str = "touches";
    pub const SALES: &str = "sales";
    pub const CATEGORIES: &str = "categories";
    pub const ROSTER: &str = "roster";
    pub const SETTINGS: &str = "settings";
    pub const UNDO: &str = "undo";
    pub const TOUCHES_BY_CONTACT: &str = "idx_touches_by_contact";
    pub const TOUCHES_BY_DATE: &str = "idx_touches_by_date";
    pub const SALES_BY_CONTACT: &str = "idx_sales_by_contact";
    pub const CONTACTS_BY_STAGE: &str = "idx_contacts_by_stage";
    pub const STAGE_MOVES: &str = "stage_moves";
    pub const TRIAGE_CLEARED: &str = "triage_cleared";
    pub const GLOBAL_IDS: &str = "global_ids";
    pub const BY_GLOBAL_ID: &str = "idx_by_global_id";
    pub const SYNC_ITEMS: &str = "sync_items";
    pub const SYNC_META: &str = "sync_meta";
    pub const PIECES: &str = "pieces";
    pub const TOUCH_PIECES: &str = "touch_pieces";
    pub const CAPTURED: &str = "captured";
    pub const CAPTURE_RUNS: &str = "capture_runs";
}

/// String key -> bytes: the tickler marker, the schema version, the id counters.
pub(crate) const META: TableDefinition<&str, Bytes> = TableDefinition::new(name::META);
/// Contact id -> `Contact`.
pub(crate) const CONTACTS: TableDefinition<u64, Bytes> = TableDefinition::new(name::CONTACTS);
/// Touch id -> `Touch`.
pub(crate) const TOUCHES: TableDefinition<u64, Bytes> = TableDefinition::new(name::TOUCHES);
/// Sale id -> `Sale`.
pub(crate) const SALES: TableDefinition<u64, Bytes> = TableDefinition::new(name::SALES);
/// Category id -> `Category`.
pub(crate) const CATEGORIES: TableDefinition<u64, Bytes> = TableDefinition::new(name::CATEGORIES);
/// Contact id -> (`Profile`, `Facts`): what the planner reads of a contact, one row per contact,
/// rewritten inside every write that changes the contact or its touches or sales.
pub(crate) const ROSTER: TableDefinition<u64, Bytes> = TableDefinition::new(name::ROSTER);
/// Always key [`SETTINGS_KEY`] -> `Settings` (absent until first saved: defaults apply).
pub(crate) const SETTINGS: TableDefinition<u8, Bytes> = TableDefinition::new(name::SETTINGS);
/// Undo sequence number -> `UndoRecord` (label and before-images of one action).
pub(crate) const UNDO: TableDefinition<u64, Bytes> = TableDefinition::new(name::UNDO);

/// (contact id, day, touch id) -> (): a contact's touches by date.
pub(crate) const TOUCHES_BY_CONTACT: TableDefinition<(u64, i32, u64), ()> =
    TableDefinition::new(name::TOUCHES_BY_CONTACT);
/// (day, touch id) -> [`touch_hint`]: touches by date, with enough of the touch to count the load
/// of a day without reading the touch.
pub(crate) const TOUCHES_BY_DATE: TableDefinition<(i32, u64), u8> =
    TableDefinition::new(name::TOUCHES_BY_DATE);
/// (contact id, day, sale id) -> (): a contact's sales by date.
pub(crate) const SALES_BY_CONTACT: TableDefinition<(u64, i32, u64), ()> =
    TableDefinition::new(name::SALES_BY_CONTACT);
/// (stage code, contact id) -> (): contacts by pipeline stage.
pub(crate) const CONTACTS_BY_STAGE: TableDefinition<(u8, u64), ()> =
    TableDefinition::new(name::CONTACTS_BY_STAGE);

/// (contact id, day, move number) -> `StageMove`: every contact's stage history, in order (schema 2).
pub(crate) const STAGE_MOVES: TableDefinition<(u64, i32, u64), Bytes> =
    TableDefinition::new(name::STAGE_MOVES);

/// (Monday of the week, contact id) -> day it was cleared: the items of a week's triage that an
/// action cleared (schema 3). Kept in the file so a restart, or another run of the diary, shows
/// the week as it was left.
pub(crate) const TRIAGE_CLEARED: TableDefinition<(i32, u64), i32> =
    TableDefinition::new(name::TRIAGE_CLEARED);

/// (record kind, local id) -> global id: every contact, touch and sale's globally unique id
/// (schema 4; see `sync_state`).
pub(crate) const GLOBAL_IDS: TableDefinition<(u8, u64), &str> =
    TableDefinition::new(name::GLOBAL_IDS);
/// Global id -> (record kind, local id).
pub(crate) const BY_GLOBAL_ID: TableDefinition<&str, (u8, u64)> =
    TableDefinition::new(name::BY_GLOBAL_ID);
/// Synced item UID -> `SyncItem` (href, ETag, agreed version) (schema 4).
pub(crate) const SYNC_ITEMS: TableDefinition<&str, Bytes> = TableDefinition::new(name::SYNC_ITEMS);
/// Account setting or sync token name -> value (schema 4).
pub(crate) const SYNC_META: TableDefinition<&str, &str> = TableDefinition::new(name::SYNC_META);
/// Piece id -> `Piece`: the library of what is sent (schema 5).
pub(crate) const PIECES: TableDefinition<u64, Bytes> = TableDefinition::new(name::PIECES);

/// Touch id -> piece id: the piece a touch carried (schema 5). Kept beside the touches so that
/// touch records keep their layout; who received a piece is read through the touch (its contact,
/// date and state), so merges and undos need nothing more.
pub(crate) const TOUCH_PIECES: TableDefinition<u64, u64> = TableDefinition::new(name::TOUCH_PIECES);

/// Hash of a capture key (see [`crate::model::Captured::key`]) -> `Captured`: every message and
/// event capture has seen (schema 5).
pub(crate) const CAPTURED: TableDefinition<u128, Bytes> = TableDefinition::new(name::CAPTURED);

/// Run number -> `CaptureRun`: each capture run (schema 5).
pub(crate) const CAPTURE_RUNS: TableDefinition<u64, Bytes> =
    TableDefinition::new(name::CAPTURE_RUNS);

/// The only key of [`SETTINGS`].
pub(crate) const SETTINGS_KEY: u8 = 0;

/// Names of every table a current database has (for the open-time check).
pub(crate) const ALL_TABLE_NAMES: [&str; 22] = [
    name::META,
    name::CONTACTS,
    name::TOUCHES,
    name::SALES,
    name::CATEGORIES,
    name::ROSTER,
    name::SETTINGS,
    name::UNDO,
    name::TOUCHES_BY_CONTACT,
    name::TOUCHES_BY_DATE,
    name::SALES_BY_CONTACT,
    name::CONTACTS_BY_STAGE,
    name::STAGE_MOVES,
    name::TRIAGE_CLEARED,
    name::GLOBAL_IDS,
    name::BY_GLOBAL_ID,
    name::SYNC_ITEMS,
    name::SYNC_META,
    name::PIECES,
    name::TOUCH_PIECES,
    name::CAPTURED,
    name::CAPTURE_RUNS,
];

/// Meta keys.
pub(crate) mod meta {
    /// Value [`MAGIC_VALUE`]: this file is a tickler database.
    pub const MAGIC: &str = "magic";
    pub const MAGIC_VALUE: &[u8] = b"tickler";
    /// Value: u32 little endian.
    pub const SCHEMA_VERSION: &str = "schema_version";
    /// Id counters: the next id to hand out, u64 little endian. Never decremented (ids are never
    /// reused, not even after an undo).
    pub const NEXT_CONTACT: &str = "next_contact_id";
    pub const NEXT_TOUCH: &str = "next_touch_id";
    pub const NEXT_SALE: &str = "next_sale_id";
    pub const NEXT_CATEGORY: &str = "next_category_id";
    /// The next undo sequence number.
    pub const NEXT_UNDO: &str = "next_undo_seq";
    /// The next stage move number (the last part of a [`super::STAGE_MOVES`] key).
    pub const NEXT_STAGE_MOVE: &str = "next_stage_move";
    /// The next piece id (schema 5).
    pub const NEXT_PIECE: &str = "next_piece_id";
    /// The next capture run number (schema 5).
    pub const NEXT_CAPTURE_RUN: &str = "next_capture_run";
    /// Committed writes so far (actions, undos, bulk loads), u64 little endian; absent is 0. Lets
    /// a process that released the file tell cheaply whether another one wrote meanwhile.
    pub const CHANGES: &str = "changes";
}

/// A date as an index key: days since 0001-01-01 (CE day 1), which sorts like the date. (redb 4
/// has no chrono feature, so dates are stored as integers rather than strings.)
pub(crate) fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// The date of an index key made by [`day`].
pub(crate) fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// The stage as an index key, in pipeline order.
pub(crate) fn stage_code(stage: crate::model::Stage) -> u8 {
    use crate::model::Stage;
    match stage {
        Stage::Lead => 0,
        Stage::Qualified => 1,
        Stage::Proposal => 2,
        Stage::Customer => 3,
        Stage::StayInTouch => 4,
        Stage::Archived => 5,
    }
}

/// Bit of [`touch_hint`]: the touch is planned.
pub(crate) const HINT_PLANNED: u8 = 1;
/// Bit of [`touch_hint`]: the touch is outbound.
pub(crate) const HINT_OUTBOUND: u8 = 2;

/// The by-date index value: state and direction bits.
pub(crate) fn touch_hint(t: &crate::model::Touch) -> u8 {
    use crate::model::{Direction, TouchState};
    let mut h = 0;
    if t.state == TouchState::Planned {
        h |= HINT_PLANNED;
    }
    if t.direction == Direction::Out {
        h |= HINT_OUTBOUND;
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_sort_like_dates() {
        let a = NaiveDate::from_ymd_opt(-5, 1, 1).unwrap();
        let b = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        let c = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        assert!(day(a) < day(b) && day(b) < day(c));
        assert_eq!(date_of(day(c)), Some(c));
        assert_eq!(date_of(day(NaiveDate::MAX)), Some(NaiveDate::MAX));
        assert_eq!(date_of(day(NaiveDate::MIN)), Some(NaiveDate::MIN));
    }

    #[test]
    fn stage_codes_follow_pipeline_order() {
        for w in crate::model::Stage::ALL.windows(2) {
            assert!(stage_code(w[0]) < stage_code(w[1]));
        }
    }
}
