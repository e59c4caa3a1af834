//! Global ids and the sync state (schema 4).
//!
//! Every contact, touch and sale has a globally unique id (a random UUID) beside its local number,
//! so two diaries syncing through one account never confuse their `c12`s: `global_ids` maps
//! (kind, local id) to it, `idx_by_global_id` back. New records get theirs when the write that
//! created them commits (and the 3 -> 4 migration gives existing ones theirs); sync sets the id a
//! record came with from another diary.
//!
//! The sync state is the server's side of things: per synced item (by its UID) where it is, its
//! ETag and the version both sides last agreed on (`sync_items`, the version as opaque text the
//! sync module writes), and the account's settings and sync tokens (`sync_meta`). It records what
//! the server holds, which an undo does not change, so it is outside the undo log.

use super::tables::{BY_GLOBAL_ID, CONTACTS, GLOBAL_IDS, SALES, SYNC_ITEMS, SYNC_META, TOUCHES};
use super::undo::RecordKey;
use super::{Result, Store, StoreError, Writer};
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which kind of record a global id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GlobalKind {
    Contact,
    Touch,
    Sale,
}

impl GlobalKind {
    fn code(self) -> u8 {
        match self {
            GlobalKind::Contact => 0,
            GlobalKind::Touch => 1,
            GlobalKind::Sale => 2,
        }
    }

    fn from_code(code: u8) -> Option<GlobalKind> {
        match code {
            0 => Some(GlobalKind::Contact),
            1 => Some(GlobalKind::Touch),
            2 => Some(GlobalKind::Sale),
            _ => None,
        }
    }
}

/// A new global id: a UUID version 7 (a millisecond time and 74 random bits), so ids made
/// together sort together and a bulk load fills the index by appends.
pub fn new_global_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The sync state of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncItem {
    /// The sync module's name for the kind of item.
    pub kind: String,
    pub href: String,
    pub etag: Option<String>,
    /// The version both sides last agreed on, as the sync module wrote it.
    pub base: String,
}

const SYNC_ITEM_V1: u8 = 1;

fn encode(item: &SyncItem) -> Result<Vec<u8>> {
    let mut out = vec![SYNC_ITEM_V1];
    let body = postcard::to_stdvec(item).map_err(|e| StoreError::Db(e.to_string()))?;
    out.extend(body);
    Ok(out)
}

fn decode(uid: &str, bytes: &[u8]) -> Result<SyncItem> {
    let bad = |detail: String| StoreError::Codec {
        table: super::tables::name::SYNC_ITEMS,
        key: uid.to_string(),
        detail,
    };
    match bytes.split_first() {
        Some((&SYNC_ITEM_V1, body)) => postcard::from_bytes(body).map_err(|e| bad(e.to_string())),
        Some((v, _)) => Err(bad(format!("unknown version {v}"))),
        None => Err(bad("empty".to_string())),
    }
}

fn set_id(txn: &WriteTransaction, kind: GlobalKind, id: u64, gid: &str) -> Result<()> {
    let mut ids = txn.open_table(GLOBAL_IDS)?;
    let mut back = txn.open_table(BY_GLOBAL_ID)?;
    let old = ids.get((kind.code(), id))?.map(|v| v.value().to_string());
    if let Some(old) = old {
        back.remove(old.as_str())?;
    }
    ids.insert((kind.code(), id), gid)?;
    back.insert(gid, (kind.code(), id))?;
    Ok(())
}

/// Give the records this write put that have no global id yet theirs. In id order, with each
/// table opened once: an import puts 100,000 contacts in one write, and ids in order append to
/// both indexes (UUIDv7s are time-ordered) instead of splitting pages all over them.
pub(crate) fn assign_missing(txn: &WriteTransaction, seen: &HashSet<RecordKey>) -> Result<()> {
    let mut keys: Vec<(GlobalKind, u64)> = seen
        .iter()
        .filter_map(|key| match key {
            RecordKey::Contact(id) => Some((GlobalKind::Contact, *id)),
            RecordKey::Touch(id) => Some((GlobalKind::Touch, *id)),
            RecordKey::Sale(id) => Some((GlobalKind::Sale, *id)),
            _ => None,
        })
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    keys.sort_unstable();
    let contacts = txn.open_table(CONTACTS)?;
    let touches = txn.open_table(TOUCHES)?;
    let sales = txn.open_table(SALES)?;
    let mut ids = txn.open_table(GLOBAL_IDS)?;
    let mut back = txn.open_table(BY_GLOBAL_ID)?;
    for (kind, id) in keys {
        let exists = match kind {
            GlobalKind::Contact => contacts.get(id)?.is_some(),
            GlobalKind::Touch => touches.get(id)?.is_some(),
            GlobalKind::Sale => sales.get(id)?.is_some(),
        };
        if exists && ids.get((kind.code(), id))?.is_none() {
            let gid = new_global_id();
            ids.insert((kind.code(), id), gid.as_str())?;
            back.insert(gid.as_str(), (kind.code(), id))?;
        }
    }
    Ok(())
}

/// Set global ids kept from an export (a restore).
pub(crate) fn set_all(txn: &WriteTransaction, ids: &[(GlobalKind, u64, String)]) -> Result<()> {
    for (kind, id, gid) in ids {
        set_id(txn, *kind, *id, gid)?;
    }
    Ok(())
}

/// Give every contact, touch and sale without a global id one (a migration, a bulk load); how many.
/// Each table is opened once: this runs over every record of a diary.
pub(crate) fn assign_all(txn: &WriteTransaction) -> Result<u64> {
    let mut n = 0;
    let mut ids = txn.open_table(GLOBAL_IDS)?;
    let mut back = txn.open_table(BY_GLOBAL_ID)?;
    for (kind, table) in [
        (GlobalKind::Contact, CONTACTS),
        (GlobalKind::Touch, TOUCHES),
        (GlobalKind::Sale, SALES),
    ] {
        let t = txn.open_table(table)?;
        for entry in t.range::<u64>(..)? {
            let id = entry?.0.value();
            if ids.get((kind.code(), id))?.is_none() {
                let gid = new_global_id();
                ids.insert((kind.code(), id), gid.as_str())?;
                back.insert(gid.as_str(), (kind.code(), id))?;
                n += 1;
            }
        }
    }
    Ok(n)
}

fn all_of(
    table: &impl ReadableTable<(u8, u64), &'static str>,
    kind: GlobalKind,
) -> Result<HashMap<u64, String>> {
    let mut out = HashMap::new();
    for entry in table.range((kind.code(), 0)..=(kind.code(), u64::MAX))? {
        let (k, v) = entry?;
        out.insert(k.value().1, v.value().to_string());
    }
    Ok(out)
}

impl Store {
    /// Every global id of one kind, by local id.
    pub fn global_ids(&self, kind: GlobalKind) -> Result<HashMap<u64, String>> {
        all_of(&self.read()?.open_table(GLOBAL_IDS)?, kind)
    }

    /// The sync state: every synced item by UID.
    pub fn sync_items(&self) -> Result<BTreeMap<String, SyncItem>> {
        let txn = self.read()?;
        let t = txn.open_table(SYNC_ITEMS)?;
        let mut out = BTreeMap::new();
        for entry in t.range::<&str>(..)? {
            let (k, v) = entry?;
            out.insert(k.value().to_string(), decode(k.value(), v.value())?);
        }
        Ok(out)
    }

    /// The account's settings and tokens.
    pub fn sync_meta(&self) -> Result<BTreeMap<String, String>> {
        let txn = self.read()?;
        let t = txn.open_table(SYNC_META)?;
        let mut out = BTreeMap::new();
        for entry in t.range::<&str>(..)? {
            let (k, v) = entry?;
            out.insert(k.value().to_string(), v.value().to_string());
        }
        Ok(out)
    }

    /// Record sync states and meta values (`None` removes one) in one durable write, outside the
    /// undo log (see the module doc).
    pub fn save_sync(
        &self,
        put: &[(String, SyncItem)],
        forget: &[String],
        meta: &[(String, Option<String>)],
    ) -> Result<()> {
        self.transact("sync state", |w| {
            for (uid, item) in put {
                w.put_sync_item(uid, item)?;
            }
            for uid in forget {
                w.forget_sync_item(uid)?;
            }
            for (k, v) in meta {
                w.set_sync_meta(k, v.as_deref())?;
            }
            Ok::<(), StoreError>(())
        })
    }
}

impl Writer<'_> {
    /// The global id of a record, if it has one yet.
    pub fn global_id(&self, kind: GlobalKind, id: u64) -> Result<Option<String>> {
        Ok(self
            .txn
            .open_table(GLOBAL_IDS)?
            .get((kind.code(), id))?
            .map(|v| v.value().to_string()))
    }

    /// Every global id of one kind, by local id (read inside this write).
    pub fn global_ids(&self, kind: GlobalKind) -> Result<HashMap<u64, String>> {
        all_of(&self.txn.open_table(GLOBAL_IDS)?, kind)
    }

    /// The record a global id names.
    pub fn by_global_id(&self, gid: &str) -> Result<Option<(GlobalKind, u64)>> {
        let t = self.txn.open_table(BY_GLOBAL_ID)?;
        let found = t.get(gid)?.map(|v| v.value());
        Ok(found.and_then(|(code, id)| GlobalKind::from_code(code).map(|k| (k, id))))
    }

    /// Give a record the global id it has in another diary.
    pub fn set_global_id(&mut self, kind: GlobalKind, id: u64, gid: &str) -> Result<()> {
        set_id(self.txn, kind, id, gid)
    }

    pub fn put_sync_item(&mut self, uid: &str, item: &SyncItem) -> Result<()> {
        let bytes = encode(item)?;
        self.txn
            .open_table(SYNC_ITEMS)?
            .insert(uid, bytes.as_slice())?;
        Ok(())
    }

    pub fn forget_sync_item(&mut self, uid: &str) -> Result<()> {
        self.txn.open_table(SYNC_ITEMS)?.remove(uid)?;
        Ok(())
    }

    /// Set (or, with `None`, remove) an account setting or token.
    pub fn set_sync_meta(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        let mut t = self.txn.open_table(SYNC_META)?;
        match value {
            Some(v) => t.insert(key, v)?,
            None => t.remove(key)?,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contact, ContactId};
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn new_records_get_a_global_id_and_keep_it() {
        let store = Store::in_memory().unwrap();
        store
            .write("add", |w| {
                let id = w.new_contact_id()?;
                w.put_contact(&Contact::new(id, "Ada", today()))
            })
            .unwrap();
        let ids = store.global_ids(GlobalKind::Contact).unwrap();
        let gid = ids.get(&1).cloned().unwrap();
        assert_eq!(gid.len(), 36);
        store
            .write("edit", |w| {
                let mut c = w.contact(ContactId(1))?.unwrap();
                c.name = "Ada L.".into();
                w.put_contact(&c)?;
                assert_eq!(w.by_global_id(&gid)?, Some((GlobalKind::Contact, 1)));
                Ok(())
            })
            .unwrap();
        assert_eq!(store.global_ids(GlobalKind::Contact).unwrap()[&1], gid);
    }

    #[test]
    fn a_global_id_from_another_diary_is_kept() {
        let store = Store::in_memory().unwrap();
        store
            .write("add", |w| {
                let id = w.new_contact_id()?;
                w.put_contact(&Contact::new(id, "Ada", today()))?;
                w.set_global_id(GlobalKind::Contact, id.0, "from-the-teammate")
            })
            .unwrap();
        assert_eq!(
            store.global_ids(GlobalKind::Contact).unwrap()[&1],
            "from-the-teammate"
        );
    }

    #[test]
    fn sync_state_round_trips_outside_the_undo_log() {
        let store = Store::in_memory().unwrap();
        let item = SyncItem {
            kind: "contact".into(),
            href: "/ada/tickler-contacts/x.vcf".into(),
            etag: Some("\"e1\"".into()),
            base: "{}".into(),
        };
        store
            .save_sync(
                &[("x".into(), item.clone())],
                &[],
                &[("sync_url".into(), Some("https://dav.example.com/".into()))],
            )
            .unwrap();
        assert_eq!(store.sync_items().unwrap()["x"], item);
        assert_eq!(
            store.sync_meta().unwrap()["sync_url"],
            "https://dav.example.com/"
        );
        assert!(store.undo_log().unwrap().is_empty());
        store
            .save_sync(&[], &["x".into()], &[("sync_url".into(), None)])
            .unwrap();
        assert!(store.sync_items().unwrap().is_empty());
        assert!(store.sync_meta().unwrap().is_empty());
    }
}
