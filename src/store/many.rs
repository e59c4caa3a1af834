//! Writes of many records in one action (an import of 100,000 contacts): what the one-record
//! puts do for each, with every table opened once and the counters written once.

use super::codec::{self, StageMoveV1};
use super::tables::{self, CONTACTS, CONTACTS_BY_STAGE, META, STAGE_MOVES, meta, name};
use super::undo::{Before, RecordKey};
use super::{Result, StoreError, Writer, ops};
use crate::model::{Contact, StageMove};

impl Writer<'_> {
    /// Insert or replace every contact of `contacts`, as [`Writer::put_contact`] does one by one:
    /// the stage index kept, a stage move recorded when the stage is new or changed, each
    /// before-image kept for undo.
    pub fn put_contacts<'c>(
        &mut self,
        contacts: impl IntoIterator<Item = &'c Contact>,
    ) -> Result<()> {
        let txn = self.txn;
        let mut table = txn.open_table(CONTACTS)?;
        let mut by_stage = txn.open_table(CONTACTS_BY_STAGE)?;
        let mut moves = txn.open_table(STAGE_MOVES)?;
        let mut counters = txn.open_table(META)?;
        let next_contact = ops::meta_u64(&counters, meta::NEXT_CONTACT)?;
        let first_move = ops::meta_u64(&counters, meta::NEXT_STAGE_MOVE)?.max(1);
        let (mut contact_past, mut next_move) = (next_contact, first_move);
        for c in contacts {
            contact_past = contact_past.max(c.id.0.saturating_add(1));
            let old = ops::replace_contact(&mut table, &mut by_stage, c.id.0, Some(c))?;
            let from = old.as_ref().map(|o| o.stage);
            self.profiles.insert(c.id.0);
            self.remember(RecordKey::Contact(c.id.0), || Before::Contact(c.id.0, old));
            if from != Some(c.stage) {
                let m = StageMove {
                    from,
                    ..ops::move_of_record(c)
                };
                let key = (c.id.0, tables::day(m.date), next_move);
                next_move = next_move
                    .checked_add(1)
                    .ok_or_else(|| StoreError::Db(format!("{} overflow", meta::NEXT_STAGE_MOVE)))?;
                let bytes = codec::encode::<StageMoveV1>(name::STAGE_MOVES, &m)?;
                moves.insert(key, bytes.as_slice())?;
                self.remember(RecordKey::StageMove(key), || Before::StageMove(key, None));
            }
        }
        if contact_past > next_contact {
            counters.insert(meta::NEXT_CONTACT, contact_past.to_le_bytes().as_slice())?;
        }
        if next_move > first_move {
            counters.insert(meta::NEXT_STAGE_MOVE, next_move.to_le_bytes().as_slice())?;
        }
        Ok(())
    }
}
