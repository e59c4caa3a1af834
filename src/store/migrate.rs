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
use redb::WriteTransaction;

/// The schema version this tickler reads and writes.
pub const SCHEMA_VERSION: u32 = 4;

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

    #[test]
    fn migrations_are_contiguous_up_to_the_current_version() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.from, i as u32);
        }
        assert_eq!(MIGRATIONS.len() as u32, SCHEMA_VERSION);
    }
}
