//! The sync state as the store keeps it: a [`Known`] as a [`SyncItem`] (the agreed version as
//! tagged JSON), tokens and the account's settings as `sync_meta` keys.

use super::super::engine::State;
use super::super::merge::{Record, Value};
use super::super::plan::{ItemKind, Known};
use super::super::transport::Collection;
use crate::store::SyncItem;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The `sync_meta` key of a collection's sync token.
pub fn token_key(c: Collection) -> String {
    format!("token:{}", c.slug())
}

pub fn kind_name(k: ItemKind) -> &'static str {
    k.as_str()
}

fn kind_of(name: &str) -> Option<ItemKind> {
    [ItemKind::Contact, ItemKind::FollowUp, ItemKind::History]
        .into_iter()
        .find(|k| k.as_str() == name)
}

/// A value with its kind spelled out (the merge's own form does not say text from one value).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Stored {
    One(String),
    Set(BTreeSet<String>),
    Text(String),
}

fn encode(r: &Record) -> String {
    let m: BTreeMap<&String, Stored> = r
        .iter()
        .filter_map(|(k, v)| {
            let s = match v {
                Value::None => return None,
                Value::One(s) => Stored::One(s.clone()),
                Value::Set(s) => Stored::Set(s.clone()),
                Value::Text(s) => Stored::Text(s.clone()),
            };
            Some((k, s))
        })
        .collect();
    serde_json::to_string(&m).unwrap_or_else(|_| "{}".to_string())
}

fn decode(text: &str) -> Option<Record> {
    let m: BTreeMap<String, Stored> = serde_json::from_str(text).ok()?;
    Some(
        m.into_iter()
            .map(|(k, v)| {
                let v = match v {
                    Stored::One(s) => Value::One(s),
                    Stored::Set(s) => Value::Set(s),
                    Stored::Text(s) => Value::Text(s),
                };
                (k, v)
            })
            .collect(),
    )
}

pub fn to_item(k: &Known) -> SyncItem {
    SyncItem {
        kind: kind_name(k.kind).to_string(),
        href: k.href.clone(),
        etag: k.etag.clone(),
        base: encode(&k.base),
    }
}

/// A stored state; `None` for one this version cannot read (the item is then read again).
pub fn from_item(uid: &str, item: &SyncItem) -> Option<Known> {
    Some(Known {
        uid: uid.to_string(),
        kind: kind_of(&item.kind)?,
        href: item.href.clone(),
        etag: item.etag.clone(),
        base: decode(&item.base)?,
    })
}

/// The engine's state from the store's.
pub fn state(items: &BTreeMap<String, SyncItem>, meta: &BTreeMap<String, String>) -> State {
    State {
        known: items
            .iter()
            .filter_map(|(uid, item)| from_item(uid, item).map(|k| (uid.clone(), k)))
            .collect(),
        tokens: Collection::BOTH
            .into_iter()
            .filter_map(|c| meta.get(&token_key(c)).map(|t| (c, t.clone())))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_with_their_value_kinds() {
        let k = Known {
            uid: "u".into(),
            kind: ItemKind::Contact,
            href: "/a/b.vcf".into(),
            etag: Some("\"1\"".into()),
            base: Record::from([
                ("name".to_string(), Value::one("Ada")),
                ("notes".to_string(), Value::text("Ada")),
                ("tags".to_string(), Value::set(["a", "b"])),
            ]),
        };
        assert_eq!(from_item("u", &to_item(&k)), Some(k));
        let bad = SyncItem {
            kind: "unknown".into(),
            href: String::new(),
            etag: None,
            base: "{}".into(),
        };
        assert_eq!(from_item("u", &bad), None);
    }
}
