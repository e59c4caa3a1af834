//! The diary side of a sync: the store read as items (`items`), a pull's changes made through
//! the actions in one undoable write (`apply`), and the sync state as the store keeps it
//! (`state`).

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
    pub store: &'a Store,
    pub writer: &'a dyn CardWriter,
}

fn diary_error(e: crate::store::StoreError) -> SyncError {
    SyncError::Diary(e.to_string())
}

impl Diary for StoreDiary<'_> {
    fn items(&mut self, today: NaiveDate) -> Result<BTreeMap<String, Local>, SyncError> {
        items::items(self.store, self.writer, today).map_err(diary_error)
    }

    fn state(&mut self) -> Result<State, SyncError> {
        let items = self.store.sync_items().map_err(diary_error)?;
        let meta = self.store.sync_meta().map_err(diary_error)?;
        Ok(state::state(&items, &meta))
    }

    fn apply(&mut self, pulled: &Pulled, today: NaiveDate) -> Result<Applied, SyncError> {
        apply::apply(self.store, pulled, today).map_err(diary_error)
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
        self.store
            .save_sync(&put, &update.forget, &meta)
            .map_err(diary_error)
    }
}
