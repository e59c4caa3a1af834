//! The diary side of a sync: the store read as items (`items`), a pull's changes made through
//! the actions in one undoable write (`apply`), and the sync state as the store keeps it
//! (`state`).
//!
//! The file is shared with other processes (a full-screen diary, a scripted `tickler log`): each
//! step holds it only while it reads or writes, and hands it back ([`Store::release`]) before the
//! sync goes back to the server, so a long sync never keeps them waiting on the network. The
//! write that applies a pull checks the store's change count is still the one its items were
//! read at (else the engine plans again), so a change made meanwhile is never overwritten.

mod apply;
mod items;
pub mod state;

use super::engine::{Applied, Diary, State, StateUpdate, SyncError};
use super::mapping::contact::CardWriter;
use super::plan::{Local, Pulled};
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A tickler database as the engine's [`Diary`].
pub struct StoreDiary<'a> {
    store: &'a Store,
    writer: &'a dyn CardWriter,
    /// The store's change count when the sync state was last read, and when the items were.
    seen_state: Option<u64>,
    seen_items: Option<u64>,
    /// The undo-log numbers of the pulls applied, oldest first.
    pub undo: Vec<u64>,
}

impl<'a> StoreDiary<'a> {
    pub fn new(store: &'a Store, writer: &'a dyn CardWriter) -> StoreDiary<'a> {
        StoreDiary {
            store,
            writer,
            seen_state: None,
            seen_items: None,
            undo: Vec::new(),
        }
    }

    /// Run one step on the store, then hand the file back (also after a failure).
    fn step<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, crate::store::StoreError>,
    ) -> Result<T, SyncError> {
        let done = f(self.store);
        let released = self.store.release();
        let value = done.map_err(diary_error)?;
        released.map_err(diary_error)?;
        Ok(value)
    }
}

fn diary_error(e: crate::store::StoreError) -> SyncError {
    SyncError::Diary(e.to_string())
}

impl Diary for StoreDiary<'_> {
    fn items(&mut self, today: NaiveDate) -> Result<BTreeMap<String, Local>, SyncError> {
        let writer = self.writer;
        let (seen, items) = self.step(|s| Ok((s.changes()?, items::items(s, writer, today)?)))?;
        self.seen_items = Some(seen);
        Ok(items)
    }

    fn state(&mut self) -> Result<State, SyncError> {
        let (seen, items, meta) =
            self.step(|s| Ok((s.changes()?, s.sync_items()?, s.sync_meta()?)))?;
        self.seen_state = Some(seen);
        Ok(state::state(&items, &meta))
    }

    fn apply(&mut self, pulled: &Pulled, today: NaiveDate) -> Result<Option<Applied>, SyncError> {
        // The state and the items the pull was planned on must be of one version of the diary.
        let Some(seen) = self.seen_items.filter(|n| self.seen_state == Some(*n)) else {
            return Ok(None);
        };
        let applied = self.step(|s| apply::apply(s, pulled, today, Some(seen)))?;
        if applied.is_some()
            && let Some(seq) = self.store.last_undo_seq()
        {
            self.undo.push(seq);
        }
        Ok(applied)
    }

    fn save(&mut self, update: &StateUpdate) -> Result<(), SyncError> {
        if update.put.is_empty() && update.forget.is_empty() && update.tokens.is_empty() {
            return Ok(());
        }
        let put: Vec<_> = update
            .put
            .iter()
            .map(|k| (k.uid.clone(), state::to_item(k)))
            .collect();
        let meta: Vec<_> = update
            .tokens
            .iter()
            .map(|(c, t)| (state::token_key(*c), t.clone()))
            .collect();
        self.step(|s| s.save_sync(&put, &update.forget, &meta))
    }
}
