//! Checking a database: redb's own integrity check (every page's checksum, the allocator state)
//! and tickler's invariants (every index and roster row matches the records it is derived from).
//! Used by `tickler check` and by the crash-safety tests.

use super::codec::{self, ContactV1, SaleV1, TouchV1};
use super::open::Handle;
use super::ops::meta_u64;
use super::tables::{
    self, CONTACTS, CONTACTS_BY_STAGE, META, ROSTER, SALES, SALES_BY_CONTACT, TOUCHES,
    TOUCHES_BY_CONTACT, TOUCHES_BY_DATE, meta, name,
};
use super::{Result, Store, StoreError, roster};
use crate::model::{Sale, Touch};
use crate::planner::summarize;
use redb::{DatabaseError, StorageError};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Run `f`, turning a panic into `Err(its message)` without the default hook's report on
/// stderr. redb may panic on a page damaged outside redb (its plain reads do not verify
/// checksums); callers turn that into a clear error. The hook is process-wide: while `f` runs,
/// a panic on another thread is not reported either (it still unwinds as usual).
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let previous = std::panic::take_hook();
    {
        let seen = seen.clone();
        std::panic::set_hook(Box::new(move |info| {
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_string());
            if let Ok(mut s) = seen.lock() {
                *s = Some(what);
            }
        }));
    }
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.map_err(|_| {
        seen.lock()
            .ok()
            .and_then(|mut s| s.take())
            .unwrap_or_else(|| "a panic".to_string())
    })
}

/// At most this many problems are described; the rest are counted.
const MAX_DESCRIBED: usize = 20;

/// What [`Store::check_invariants`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvariantReport {
    pub contacts: u64,
    pub touches: u64,
    pub sales: u64,
    /// The first problems found, one sentence each (empty when the diary is consistent).
    pub problems: Vec<String>,
    /// How many problems were found in all (may exceed `problems.len()`).
    pub problem_count: usize,
}

impl InvariantReport {
    fn problem(&mut self, p: String) {
        self.problem_count += 1;
        if self.problems.len() < MAX_DESCRIBED {
            self.problems.push(p);
        }
    }

    /// Whether no problem was found.
    pub fn is_sound(&self) -> bool {
        self.problem_count == 0
    }
}

impl Store {
    /// redb's integrity check of the whole file: every page's checksum and the allocator state.
    /// `Ok(true)`: sound. `Ok(false)`: redb found damage and repaired the file's structure (data in
    /// damaged pages may be gone). `Err(Damaged)`: damage redb cannot repair.
    ///
    /// Needs the file to itself: a store held read-only is reopened writable first (`Locked` if
    /// another process has the file open). Reads the whole file: for `tickler check` and tests,
    /// not for every open.
    pub fn check_integrity(&self) -> Result<bool> {
        let path = self.path.clone();
        let Some(path) = path else {
            // An in-memory database has no file to check; run redb's check all the same.
            return self.check_integrity_of_handle(std::path::Path::new(":memory:"));
        };
        self.upgrade()?;
        self.check_integrity_of_handle(&path)
    }

    fn check_integrity_of_handle(&self, path: &std::path::Path) -> Result<bool> {
        let mut handle = self.db.write().map_err(super::poisoned)?;
        let Handle::Write(db) = &mut *handle else {
            return Err(super::closed());
        };
        let damaged = |detail: String| StoreError::Damaged {
            path: path.to_path_buf(),
            detail,
        };
        match catch_panic(|| db.check_integrity()) {
            Ok(Ok(sound)) => Ok(sound),
            Ok(Err(DatabaseError::Storage(StorageError::Corrupted(detail)))) => {
                Err(damaged(detail))
            }
            Ok(Err(e)) => Err(StoreError::from(e)),
            Err(what) => Err(damaged(format!(
                "its internal structure is inconsistent: {what}"
            ))),
        }
    }

    /// Tickler's invariants, in one read transaction: every record decodes; every contact has a
    /// roster row equal to its profile and to the facts summarized from its touches and sales;
    /// the stage, touch and sale indexes list exactly the records; the id counters are past every
    /// id. Reads every record (seconds for 100,000 contacts): for `tickler check` and tests. A
    /// panic inside redb (a damaged page) is reported as `Damaged`.
    pub fn check_invariants(&self) -> Result<InvariantReport> {
        catch_panic(|| self.check_invariants_unguarded()).unwrap_or_else(|what| {
            Err(StoreError::Damaged {
                path: self.path.clone().unwrap_or_default(),
                detail: format!("a page cannot be read: {what}"),
            })
        })
    }

    fn check_invariants_unguarded(&self) -> Result<InvariantReport> {
        let txn = self.read()?;
        let mut report = InvariantReport::default();

        let mut contacts = BTreeMap::new();
        for entry in txn.open_table(CONTACTS)?.range::<u64>(..)? {
            let (k, v) = entry?;
            let c = codec::decode::<ContactV1>(name::CONTACTS, k.value(), v.value())?;
            if c.id.0 != k.value() {
                report.problem(format!("contact record {} holds id {}", k.value(), c.id));
            }
            contacts.insert(k.value(), c);
        }
        let mut touches: BTreeMap<u64, Vec<Touch>> = BTreeMap::new();
        let mut touch_by_contact = BTreeSet::new();
        let mut touch_by_date = BTreeSet::new();
        let mut max_touch = 0;
        for entry in txn.open_table(TOUCHES)?.range::<u64>(..)? {
            let (k, v) = entry?;
            let t = codec::decode::<TouchV1>(name::TOUCHES, k.value(), v.value())?;
            report.touches += 1;
            max_touch = k.value();
            touch_by_contact.insert((t.contact.0, tables::day(t.date), k.value()));
            touch_by_date.insert(((tables::day(t.date), k.value()), tables::touch_hint(&t)));
            touches.entry(t.contact.0).or_default().push(t);
        }
        let mut sales: BTreeMap<u64, Vec<Sale>> = BTreeMap::new();
        let mut sale_by_contact = BTreeSet::new();
        let mut max_sale = 0;
        for entry in txn.open_table(SALES)?.range::<u64>(..)? {
            let (k, v) = entry?;
            let s = codec::decode::<SaleV1>(name::SALES, k.value(), v.value())?;
            report.sales += 1;
            max_sale = k.value();
            sale_by_contact.insert((s.contact.0, tables::day(s.date), k.value()));
            sales.entry(s.contact.0).or_default().push(s);
        }
        report.contacts = u64::try_from(contacts.len()).unwrap_or(u64::MAX);

        // Indexes: exactly the keys derived from the records.
        let stage_keys: BTreeSet<(u8, u64)> = contacts
            .values()
            .map(|c| (tables::stage_code(c.stage), c.id.0))
            .collect();
        let mut found = BTreeSet::new();
        for entry in txn.open_table(CONTACTS_BY_STAGE)?.range::<(u8, u64)>(..)? {
            found.insert(entry?.0.value());
        }
        compare_index(&mut report, name::CONTACTS_BY_STAGE, &stage_keys, &found);
        let mut found = BTreeSet::new();
        for entry in txn
            .open_table(TOUCHES_BY_CONTACT)?
            .range::<(u64, i32, u64)>(..)?
        {
            found.insert(entry?.0.value());
        }
        compare_index(
            &mut report,
            name::TOUCHES_BY_CONTACT,
            &touch_by_contact,
            &found,
        );
        let mut found = BTreeSet::new();
        for entry in txn.open_table(TOUCHES_BY_DATE)?.range::<(i32, u64)>(..)? {
            let (k, v) = entry?;
            found.insert((k.value(), v.value()));
        }
        compare_index(&mut report, name::TOUCHES_BY_DATE, &touch_by_date, &found);
        let mut found = BTreeSet::new();
        for entry in txn
            .open_table(SALES_BY_CONTACT)?
            .range::<(u64, i32, u64)>(..)?
        {
            found.insert(entry?.0.value());
        }
        compare_index(
            &mut report,
            name::SALES_BY_CONTACT,
            &sale_by_contact,
            &found,
        );

        // Roster rows: the profile and the facts recomputed from the records.
        let roster_t = txn.open_table(ROSTER)?;
        let mut days = roster::DayTable::default();
        for (id, c) in &contacts {
            let Some(bytes) = roster_t.get(*id)? else {
                report.problem(format!("contact {id} has no roster row"));
                continue;
            };
            let (profile, facts) = roster::decode_row(&mut days, *id, bytes.value())?;
            if profile != c.profile() {
                report.problem(format!(
                    "the roster row of contact {id} does not match its record"
                ));
            }
            let mut ts = touches.remove(id).unwrap_or_default();
            ts.sort_by_key(|t| (t.date, t.id));
            let mut ss = sales.remove(id).unwrap_or_default();
            ss.sort_by_key(|s| (s.date, s.id));
            if facts != summarize(&ts, &ss) {
                report.problem(format!(
                    "the roster facts of contact {id} differ from its touches and sales"
                ));
            }
        }

        // Counters: the next id is past every id handed out.
        let meta_t = txn.open_table(META)?;
        let max_contact = contacts.keys().next_back().copied().unwrap_or(0);
        for (key, max) in [
            (meta::NEXT_CONTACT, max_contact),
            (meta::NEXT_TOUCH, max_touch),
            (meta::NEXT_SALE, max_sale),
        ] {
            let next = meta_u64(&meta_t, key)?;
            if next <= max {
                report.problem(format!("the counter {key} is {next}, not past id {max}"));
            }
        }
        Ok(report)
    }
}

fn compare_index<K: Ord + std::fmt::Debug>(
    report: &mut InvariantReport,
    index: &str,
    expected: &BTreeSet<K>,
    found: &BTreeSet<K>,
) {
    for k in expected.difference(found) {
        report.problem(format!("the index {index} misses {k:?}"));
    }
    for k in found.difference(expected) {
        report.problem(format!(
            "the index {index} lists {k:?}, which no record has"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catch_panic_returns_the_message_and_passes_values_through() {
        assert_eq!(catch_panic(|| 7), Ok(7));
        let e = catch_panic(|| -> u8 { panic!("page {} is bad", 3) });
        assert_eq!(e, Err("page 3 is bad".to_string()));
        let e = catch_panic(|| -> u8 { std::panic::panic_any(5u32) });
        assert_eq!(e, Err("a panic".to_string()));
        // The previous hook is back: a later panic is reported as usual (not checked here), and
        // catching again still works.
        assert_eq!(catch_panic(|| "ok"), Ok("ok"));
    }

    #[test]
    fn a_fresh_store_is_sound() {
        let s = Store::in_memory().unwrap();
        assert!(s.check_integrity().unwrap());
        let r = s.check_invariants().unwrap();
        assert!(r.is_sound(), "{r:?}");
        assert_eq!((r.contacts, r.touches, r.sales), (0, 0, 0));
    }
}
