//! Global ids (schema 4): a version 3 file migrates once and every contact, touch and sale gets a
//! distinct one; actions give new records theirs; a bulk load (demo, restore) gives every record one.

use redb::{ReadableDatabase, TableDefinition};
use std::collections::HashSet;
use tickler::store::{GlobalKind, SCHEMA_VERSION, Store};

#[test]
fn a_version_3_file_gets_global_ids_for_every_record() {
    const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.tickler");
    {
        let s = Store::open(&path).unwrap();
        s.load_bulk(tickler::demo::generate(40, 7, today()))
            .unwrap();
    }
    // Make it a version 3 file: no global ids, no sync tables.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        for name in ["global_ids", "idx_by_global_id"] {
            let _ = txn.delete_table(TableDefinition::<(u8, u64), &str>::new(name));
            let _ = txn.delete_table(TableDefinition::<&str, (u8, u64)>::new(name));
        }
        let _ = txn.delete_table(TableDefinition::<&str, &[u8]>::new("sync_items"));
        let _ = txn.delete_table(TableDefinition::<&str, &str>::new("sync_meta"));
        txn.open_table(META)
            .unwrap()
            .insert("schema_version", 3u32.to_le_bytes().as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let s = Store::open(&path).unwrap();
    let mut all = HashSet::new();
    for (kind, count) in [
        (GlobalKind::Contact, s.contacts().unwrap().len()),
        (GlobalKind::Touch, count_touches(&s)),
        (GlobalKind::Sale, s.sales().unwrap().len()),
    ] {
        let ids = s.global_ids(kind).unwrap();
        assert_eq!(ids.len(), count, "{kind:?}");
        assert!(count > 0, "{kind:?}");
        all.extend(ids.into_values());
    }
    let total = s.contacts().unwrap().len() + count_touches(&s) + s.sales().unwrap().len();
    assert_eq!(all.len(), total, "global ids are distinct");
    drop(s);
    let db = redb::Database::open(&path).unwrap();
    let v = db
        .begin_read()
        .unwrap()
        .open_table(META)
        .unwrap()
        .get("schema_version")
        .unwrap()
        .unwrap()
        .value()
        .to_vec();
    assert_eq!(v, SCHEMA_VERSION.to_le_bytes());
    assert_eq!(SCHEMA_VERSION, 5);
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
}

fn count_touches(s: &Store) -> usize {
    s.contacts()
        .unwrap()
        .iter()
        .map(|c| s.touches_of(c.id).unwrap().len())
        .sum()
}

#[test]
fn actions_give_new_records_a_global_id() {
    let s = Store::in_memory().unwrap();
    let req = tickler::actions::AddRequest {
        name: "Ada Lovelace".into(),
        company: None,
        emails: vec!["ada@example.com".into()],
        phones: Vec::new(),
        address: None,
        birthday: None,
        category: None,
        tags: Vec::new(),
        stage: None,
        reason: None,
        cadence: None,
        notes: String::new(),
    };
    let added = tickler::actions::add(&s, &req, today()).unwrap();
    let ids = s.global_ids(GlobalKind::Contact).unwrap();
    assert!(ids.contains_key(&added.contact.id.0), "{ids:?}");
    // The planned first touch (if the add planned one) has its own.
    let touches = s.touches_of(added.contact.id).unwrap();
    let touch_ids = s.global_ids(GlobalKind::Touch).unwrap();
    for t in touches {
        assert!(touch_ids.contains_key(&t.id.0));
    }
}

#[test]
fn the_json_export_carries_global_ids_and_a_restore_keeps_them() {
    let a = Store::in_memory().unwrap();
    a.load_bulk(tickler::demo::generate(12, 3, today()))
        .unwrap();
    let export = tickler::interop::json::export(&a, today()).unwrap();
    let text = serde_json::to_string(&export).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = a.contacts().unwrap()[0].id.0;
    let gid = a.global_ids(GlobalKind::Contact).unwrap()[&first].clone();
    assert_eq!(v["global_ids"]["contacts"][first.to_string()], gid.as_str());
    let b = Store::in_memory().unwrap();
    tickler::interop::json::restore(&b, tickler::interop::json::parse(&text).unwrap()).unwrap();
    for kind in [GlobalKind::Contact, GlobalKind::Touch, GlobalKind::Sale] {
        assert_eq!(
            b.global_ids(kind).unwrap(),
            a.global_ids(kind).unwrap(),
            "{kind:?}"
        );
    }
    // An export from before global ids restores too: every record gets a new one.
    let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
    old.as_object_mut().unwrap().remove("global_ids");
    let c = Store::in_memory().unwrap();
    tickler::interop::json::restore(&c, tickler::interop::json::parse(&old.to_string()).unwrap())
        .unwrap();
    assert_eq!(
        c.global_ids(GlobalKind::Contact).unwrap().len(),
        a.contacts().unwrap().len()
    );
}
