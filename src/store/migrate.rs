//! Schema versions and migrations.
//!
//! The `meta` table holds the schema version of the file. Opening a file with a lower version runs
//! every migration from its version up to [`SCHEMA_VERSION`], in the one write transaction that
//! also creates missing tables; a file with a higher version is refused untouched
//! (`StoreError::NewerSchema`).
//!
//! To change the format: bump [`SCHEMA_VERSION`], write `fn vN_to_vN1(txn)` below and add it to
//! [`MIGRATIONS`]. A migration runs inside the open's write transaction, after every table of the
//! current schema has been created, and before the version record is updated.

use super::Result;
use redb::{ReadableTable, WriteTransaction};

/// The schema version this tickler reads and writes.
pub const SCHEMA_VERSION: u32 = 5;

/// A migration from version `from` to `from + 1`.
pub(crate) struct Migration {
    pub from: u32,
    pub run: fn(&WriteTransaction) -> Result<()>,
}

/// Every migration, in order. Version 0 is a file being created: 0 -> 1 only needs the tables,
/// which the open creates before running migrations.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        from: 0,
        run: v0_to_v1,
    },
    Migration {
        from: 1,
        run: v1_to_v2,
    },
    Migration {
        from: 2,
        run: v2_to_v3,
    },
    Migration {
        from: 3,
        run: v3_to_v4,
    },
    Migration {
        from: 4,
        run: v4_to_v5,
    },
];

fn v0_to_v1(_txn: &WriteTransaction) -> Result<()> {
    Ok(())
}

/// Version 2 keeps a stage history (`stage_moves`). A version 1 file knows only each contact's
/// current stage and the date it changed: that becomes the first move of each contact, entering
/// its stage on that date from an unknown one (with the reason of the "no" when it is out).
fn v1_to_v2(txn: &WriteTransaction) -> Result<()> {
    super::ops::seed_stage_moves(txn).map(|_| ())
}

/// Version 3 adds the touch state `cancelled` and the table of cleared triage items
/// (`triage_cleared`, created empty by the open). No record changes; the version bump makes an
/// older tickler refuse the file instead of misreading a cancelled touch.
fn v2_to_v3(_txn: &WriteTransaction) -> Result<()> {
    Ok(())
}

/// Version 4 gives every contact, touch and sale a globally unique id beside its local number
/// (`global_ids`), and keeps the sync state (`sync_items`, `sync_meta`, created empty by the open).
fn v3_to_v4(txn: &WriteTransaction) -> Result<()> {
    super::sync_state::assign_all(txn).map(|_| ())
}

/// Version 5 adds the piece library (`pieces`, `touch_pieces`) and what capture saw and did
/// (`captured`, `capture_runs`), created empty by the open, and the setting `my_addresses`: the
/// settings record, and every undo record holding an image of the settings, are rewritten in the
/// settings' version 2 layout. Touch records are unchanged.
fn v4_to_v5(txn: &WriteTransaction) -> Result<()> {
    use super::codec::{self, SettingsV1, SettingsV2, UndoRecordV1};
    use super::tables::{SETTINGS, SETTINGS_KEY, UNDO, name};
    // A record already in the new layout (a file made by this tickler and marked older, as
    // tests do) is left as it is; one that reads in neither layout is an error.
    {
        let mut t = txn.open_table(SETTINGS)?;
        let old = match t.get(SETTINGS_KEY)? {
            Some(v) => match codec::decode::<SettingsV1>(name::SETTINGS, SETTINGS_KEY, v.value()) {
                Ok(s) => Some(s),
                Err(e) => {
                    codec::decode::<SettingsV2>(name::SETTINGS, SETTINGS_KEY, v.value())
                        .map_err(|_| e)?;
                    None
                }
            },
            None => None,
        };
        if let Some(s) = old {
            t.insert(
                SETTINGS_KEY,
                codec::encode::<SettingsV2>(name::SETTINGS, &s)?.as_slice(),
            )?;
        }
    }
    let mut t = txn.open_table(UNDO)?;
    let mut rewritten = Vec::new();
    for entry in t.range::<u64>(..)? {
        let (k, v) = entry?;
        match codec::decode_undo_v1(k.value(), v.value()) {
            Ok(rec) => rewritten.push((k.value(), codec::encode_raw(name::UNDO, &rec)?)),
            Err(e) => {
                codec::decode::<UndoRecordV1>(name::UNDO, k.value(), v.value()).map_err(|_| e)?;
            }
        }
    }
    for (k, bytes) in rewritten {
        t.insert(k, bytes.as_slice())?;
    }
    Ok(())
}

/// Run the migrations that bring a file from `found` to [`SCHEMA_VERSION`].
pub(crate) fn run(txn: &WriteTransaction, found: u32) -> Result<()> {
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.from >= found && m.from < SCHEMA_VERSION)
    {
        (m.run)(txn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::codec::{self, SettingsV1, UndoRecordV1};
    use crate::store::tables::{self, META, SETTINGS, SETTINGS_KEY, UNDO, meta, name};

    /// A diary written before schema 5 (settings, and undo records holding settings images, in
    /// the version 1 layout; none of the new tables) opens, migrates once, reads its settings,
    /// and undoes a settings change made before the migration.
    #[test]
    fn a_version_4_file_migrates_its_settings_and_undo_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v4.redb");
        {
            let s = Store::open(&path).unwrap();
            crate::actions::setting_set(&s, "min_gap_days", "5").unwrap();
            crate::actions::setting_set(&s, "daily_cap", "20").unwrap();
        }
        {
            let db = redb::Database::open(&path).unwrap();
            let txn = db.begin_write().unwrap();
            {
                let mut t = txn.open_table(SETTINGS).unwrap();
                let now = codec::decode::<codec::SettingsV2>(
                    name::SETTINGS,
                    0,
                    t.get(SETTINGS_KEY).unwrap().unwrap().value(),
                )
                .unwrap();
                let v1 = codec::encode::<SettingsV1>(name::SETTINGS, &now).unwrap();
                t.insert(SETTINGS_KEY, v1.as_slice()).unwrap();
            }
            {
                let mut t = txn.open_table(UNDO).unwrap();
                let mut old = Vec::new();
                for e in t.range::<u64>(..).unwrap() {
                    let (k, v) = e.unwrap();
                    let rec = codec::decode::<UndoRecordV1>(name::UNDO, 0, v.value()).unwrap();
                    old.push((k.value(), codec::encode_undo_before_v4(&rec)));
                }
                assert_eq!(old.len(), 2);
                for (k, bytes) in old {
                    t.insert(k, bytes.as_slice()).unwrap();
                }
            }
            for n in [
                tables::name::PIECES,
                tables::name::TOUCH_PIECES,
                tables::name::CAPTURED,
                tables::name::CAPTURE_RUNS,
            ] {
                txn.delete_table(redb::TableDefinition::<u64, u64>::new(n))
                    .unwrap_or_else(|e| panic!("{n}: {e}"));
            }
            {
                let mut m = txn.open_table(META).unwrap();
                m.remove(meta::NEXT_PIECE).unwrap();
                m.remove(meta::NEXT_CAPTURE_RUN).unwrap();
                m.insert(meta::SCHEMA_VERSION, 4u32.to_le_bytes().as_slice())
                    .unwrap();
            }
            txn.commit().unwrap();
        }
        let s = Store::open(&path).unwrap();
        let settings = s.settings().unwrap();
        assert_eq!((settings.min_gap_days, settings.daily_cap), (5, 20));
        assert!(settings.my_addresses.is_empty());
        assert!(s.pieces().unwrap().is_empty());
        // The undo record written before the migration restores the settings it saved.
        assert_eq!(s.undo().unwrap().as_deref(), Some("set daily_cap = 20"));
        assert_eq!(s.settings().unwrap().daily_cap, 12);
        assert_eq!(s.settings().unwrap().min_gap_days, 5);
        crate::actions::setting_set(&s, "my_addresses", "me@example.org").unwrap();
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.settings().unwrap().my_addresses, ["me@example.org"]);
    }

    #[test]
    fn migrations_are_contiguous_up_to_the_current_version() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.from, i as u32);
        }
        assert_eq!(MIGRATIONS.len() as u32, SCHEMA_VERSION);
    }
}
