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
use crate::model::{Contact, Sale, Touch};
use crate::planner::summarize;
use redb::{DatabaseError, ReadableTableMetadata, StorageError};
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
        let t = Tables {
            contacts: txn.open_table(CONTACTS)?,
            roster: txn.open_table(ROSTER)?,
            stage: txn.open_table(CONTACTS_BY_STAGE)?,
            touches: txn.open_table(TOUCHES)?,
            by_contact: txn.open_table(TOUCHES_BY_CONTACT)?,
            by_date: txn.open_table(TOUCHES_BY_DATE)?,
            sales: txn.open_table(SALES)?,
            sales_by_contact: txn.open_table(SALES_BY_CONTACT)?,
        };
        let mut report = InvariantReport::default();
        let seen = contacts_pass(&t, &mut report)?;
        let (max_touch, max_sale) = records_pass(&t, &seen, &mut report)?;
        // Counters: the next id is past every id handed out.
        let meta_t = txn.open_table(META)?;
        for (key, max) in [
            (meta::NEXT_CONTACT, seen.max_contact),
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

/// The tables the invariants compare, open in one read transaction.
struct Tables {
    contacts: redb::ReadOnlyTable<u64, tables::Bytes>,
    roster: redb::ReadOnlyTable<u64, tables::Bytes>,
    stage: redb::ReadOnlyTable<(u8, u64), ()>,
    touches: redb::ReadOnlyTable<u64, tables::Bytes>,
    by_contact: redb::ReadOnlyTable<(u64, i32, u64), ()>,
    by_date: redb::ReadOnlyTable<(i32, u64), u8>,
    sales: redb::ReadOnlyTable<u64, tables::Bytes>,
    sales_by_contact: redb::ReadOnlyTable<(u64, i32, u64), ()>,
}

/// What the contacts pass counted.
#[derive(Default)]
struct Seen {
    max_contact: u64,
    /// Entries of the by-contact indexes found pointing at their record.
    touch_entries: u64,
    sale_entries: u64,
}

/// The memory this check needs is bounded by the largest contact's history, never the whole
/// diary: records are read in key order, and each index is compared with its records through
/// lookups and counts. An index equals the set of keys derived from its records when every
/// entry points at a record deriving exactly that key and there are as many entries as records
/// (keys hold the record's id, so entries that point at distinct records are distinct): the
/// sound case costs one lookup per entry. Only when the counts differ is the other direction
/// walked to name the missing entries.
///
/// Pass 1, contacts in id order, with the by-contact indexes in step: each contact's record
/// decodes and holds its id; its stage index entry exists; its roster row equals its profile
/// and the facts summarized from the touches and sales its index entries point at (each entry's
/// record must exist and derive that entry).
fn contacts_pass(t: &Tables, report: &mut InvariantReport) -> Result<Seen> {
    let mut days = roster::DayTable::default();
    let mut touches = ByContact {
        idx: t.by_contact.range::<(u64, i32, u64)>(..)?.peekable(),
        name: name::TOUCHES_BY_CONTACT,
        at: touch_at,
        found: 0,
    };
    let mut sales = ByContact {
        idx: t.sales_by_contact.range::<(u64, i32, u64)>(..)?.peekable(),
        name: name::SALES_BY_CONTACT,
        at: sale_at,
        found: 0,
    };
    let mut contacts = 0u64;
    let mut max_contact = 0;
    for entry in t.contacts.range::<u64>(..)? {
        let (k, v) = entry?;
        let id = k.value();
        contacts += 1;
        max_contact = id;
        let c = codec::decode::<ContactV1>(name::CONTACTS, id, v.value())?;
        if c.id.0 != id {
            report.problem(format!("contact record {id} holds id {}", c.id));
        }
        let stage_key = (tables::stage_code(c.stage), id);
        if t.stage.get(stage_key)?.is_none() {
            report.problem(format!(
                "the index {} misses {stage_key:?}",
                name::CONTACTS_BY_STAGE
            ));
        }
        let ts = touches.records_of(t, id, report)?;
        let ss = sales.records_of(t, id, report)?;
        check_roster_row(t, &mut days, (id, &c), (&ts, &ss), report)?;
    }
    // Entries past the last contact (touches of no contact, as the records may have).
    touches.records_of(t, u64::MAX, report)?;
    sales.records_of(t, u64::MAX, report)?;
    report.contacts = contacts;
    if t.stage.len()? != contacts {
        stage_entries_without_contact(t, report)?;
    }
    Ok(Seen {
        max_contact,
        touch_entries: touches.found,
        sale_entries: sales.found,
    })
}

/// [`touch_at`] or [`sale_at`].
type RecordAt<T> = fn(&Tables, (u64, i32, u64)) -> Result<Option<T>>;

/// A by-contact index (of touches or sales) walked in step with the contacts.
struct ByContact<'a, T> {
    idx: std::iter::Peekable<redb::Range<'a, (u64, i32, u64), ()>>,
    name: &'static str,
    /// The record an entry points at, if it exists and derives that entry.
    at: RecordAt<T>,
    /// Entries found pointing at their record.
    found: u64,
}

impl<T> ByContact<'_, T> {
    /// The records of contact `id`, from the entries up to it (those before it belong to no
    /// contact record: they are checked all the same); an entry without its record is a problem.
    fn records_of(&mut self, t: &Tables, id: u64, report: &mut InvariantReport) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for key in entries_up_to(&mut self.idx, id)? {
            match (self.at)(t, key)? {
                Some(x) => {
                    self.found += 1;
                    if key.0 == id {
                        out.push(x);
                    }
                }
                None => report.problem(lists(self.name, &key)),
            }
        }
        Ok(out)
    }
}

/// The roster row under `id` (the key of record `c`) equals the record's profile and the facts
/// summarized from its touches and sales (given in index order: contact, day, id, the order the
/// facts are summarized in).
fn check_roster_row(
    t: &Tables,
    days: &mut roster::DayTable,
    (id, c): (u64, &Contact),
    (ts, ss): (&[Touch], &[Sale]),
    report: &mut InvariantReport,
) -> Result<()> {
    let Some(bytes) = t.roster.get(id)? else {
        report.problem(format!("contact {id} has no roster row"));
        return Ok(());
    };
    let (profile, facts) = roster::decode_row(days, id, bytes.value())?;
    if profile != c.profile() {
        report.problem(format!(
            "the roster row of contact {id} does not match its record"
        ));
    }
    if facts != summarize(ts, ss) {
        report.problem(format!(
            "the roster facts of contact {id} differ from its touches and sales"
        ));
    }
    Ok(())
}

/// The stage index entries that point at no contact of that stage (walked only when the index
/// and the contacts are not as many).
fn stage_entries_without_contact(t: &Tables, report: &mut InvariantReport) -> Result<()> {
    for entry in t.stage.range::<(u8, u64)>(..)? {
        let key = entry?.0.value();
        let matches = match t.contacts.get(key.1)? {
            Some(v) => {
                let c = codec::decode::<ContactV1>(name::CONTACTS, key.1, v.value())?;
                tables::stage_code(c.stage) == key.0
            }
            None => false,
        };
        if !matches {
            report.problem(lists(name::CONTACTS_BY_STAGE, &key));
        }
    }
    Ok(())
}

/// The index entries of `idx` whose contact is at most `id` (the ones before `id` belong to no
/// contact record: they are checked all the same).
fn entries_up_to<'a>(
    idx: &mut std::iter::Peekable<redb::Range<'a, (u64, i32, u64), ()>>,
    id: u64,
) -> Result<Vec<(u64, i32, u64)>> {
    let mut out = Vec::new();
    loop {
        let next = match idx.peek() {
            None => break,
            Some(Err(_)) => {
                if let Some(Err(e)) = idx.next() {
                    return Err(e.into());
                }
                break;
            }
            Some(Ok((k, _))) => k.value(),
        };
        if next.0 > id {
            break;
        }
        out.push(next);
        idx.next();
    }
    Ok(out)
}

/// The touch a by-contact index entry points at, if its record exists and derives that entry.
fn touch_at(t: &Tables, key: (u64, i32, u64)) -> Result<Option<Touch>> {
    let Some(v) = t.touches.get(key.2)? else {
        return Ok(None);
    };
    let x = codec::decode::<TouchV1>(name::TOUCHES, key.2, v.value())?;
    Ok(((x.contact.0, tables::day(x.date), key.2) == key).then_some(x))
}

/// The sale a by-contact index entry points at (see [`touch_at`]).
fn sale_at(t: &Tables, key: (u64, i32, u64)) -> Result<Option<Sale>> {
    let Some(v) = t.sales.get(key.2)? else {
        return Ok(None);
    };
    let x = codec::decode::<SaleV1>(name::SALES, key.2, v.value())?;
    Ok(((x.contact.0, tables::day(x.date), key.2) == key).then_some(x))
}

fn lists(index: &str, key: &impl std::fmt::Debug) -> String {
    format!("the index {index} lists {key:?}, which no record has")
}

/// Pass 2, touches and sales in id order: each decodes; its by-date entry exists with the
/// right hint; when the by-contact counts differ from the records' (so an entry is missing),
/// each record's by-contact entry is looked up to name it; likewise the by-date index is walked
/// when its count differs. Returns the largest touch and sale ids.
fn records_pass(t: &Tables, seen: &Seen, report: &mut InvariantReport) -> Result<(u64, u64)> {
    let touch_count = t.touches.len()?;
    let find_missing = t.by_contact.len()? != touch_count || seen.touch_entries != touch_count;
    let mut max_touch = 0;
    for entry in t.touches.range::<u64>(..)? {
        let (k, v) = entry?;
        let id = k.value();
        let x = codec::decode::<TouchV1>(name::TOUCHES, id, v.value())?;
        report.touches += 1;
        max_touch = id;
        let date_key = (tables::day(x.date), id);
        let hint = tables::touch_hint(&x);
        if t.by_date.get(date_key)?.map(|h| h.value()) != Some(hint) {
            report.problem(format!(
                "the index {} misses {:?}",
                name::TOUCHES_BY_DATE,
                (date_key, hint)
            ));
        }
        let contact_key = (x.contact.0, tables::day(x.date), id);
        if find_missing && t.by_contact.get(contact_key)?.is_none() {
            report.problem(format!(
                "the index {} misses {contact_key:?}",
                name::TOUCHES_BY_CONTACT
            ));
        }
    }
    if t.by_date.len()? != touch_count {
        for entry in t.by_date.range::<(i32, u64)>(..)? {
            let (k, v) = entry?;
            let (key, hint) = (k.value(), v.value());
            let matches = match t.touches.get(key.1)? {
                Some(r) => {
                    let x = codec::decode::<TouchV1>(name::TOUCHES, key.1, r.value())?;
                    (tables::day(x.date), key.1) == key && tables::touch_hint(&x) == hint
                }
                None => false,
            };
            if !matches {
                report.problem(lists(name::TOUCHES_BY_DATE, &(key, hint)));
            }
        }
    }
    let sale_count = t.sales.len()?;
    let find_missing = t.sales_by_contact.len()? != sale_count || seen.sale_entries != sale_count;
    let mut max_sale = 0;
    for entry in t.sales.range::<u64>(..)? {
        let (k, v) = entry?;
        let id = k.value();
        let x = codec::decode::<SaleV1>(name::SALES, id, v.value())?;
        report.sales += 1;
        max_sale = id;
        let key = (x.contact.0, tables::day(x.date), id);
        if find_missing && t.sales_by_contact.get(key)?.is_none() {
            report.problem(format!(
                "the index {} misses {key:?}",
                name::SALES_BY_CONTACT
            ));
        }
    }
    Ok((max_touch, max_sale))
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

    /// A store with two contacts, three touches and a sale.
    fn small() -> Store {
        use crate::model::{Channel, Contact, Direction, TouchState};
        let s = Store::in_memory().unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        s.write("fill", |w| {
            for name in ["Ada", "Grace"] {
                let id = w.new_contact_id()?;
                w.put_contact(&Contact::new(id, name, day))?;
                for n in 0..2u64 {
                    let tid = w.new_touch_id()?;
                    w.put_touch(&Touch {
                        id: tid,
                        contact: id,
                        date: day - chrono::Days::new(n),
                        channel: Channel::Call,
                        direction: Direction::Out,
                        summary: String::new(),
                        state: TouchState::Done,
                    })?;
                }
            }
            let sid = w.new_sale_id()?;
            w.put_sale(&Sale {
                id: sid,
                contact: crate::model::ContactId(1),
                date: day,
                amount_cents: 100,
                currency: "EUR".to_string(),
                note: String::new(),
            })
        })
        .unwrap();
        s
    }

    /// The problems found after `damage` wrote behind the store's back.
    fn problems(damage: impl FnOnce(&redb::WriteTransaction)) -> Vec<String> {
        let s = small();
        assert!(s.check_invariants().unwrap().is_sound());
        let (txn, guard) = s.begin_write().unwrap();
        damage(&txn);
        txn.commit().unwrap();
        drop(guard);
        let r = s.check_invariants().unwrap();
        assert_eq!(r.problem_count, r.problems.len());
        r.problems
    }

    fn has(problems: &[String], text: &str) {
        assert!(
            problems.iter().any(|p| p.contains(text)),
            "'{text}' not in {problems:?}"
        );
    }

    #[test]
    fn every_index_is_compared_both_ways() {
        let day = tables::day(chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
        let p = problems(|t| {
            t.open_table(TOUCHES_BY_CONTACT)
                .unwrap()
                .remove((1, day, 1))
                .unwrap();
        });
        has(&p, "idx_touches_by_contact misses (1, ");
        has(&p, "roster facts of contact 1");
        let p = problems(|t| {
            t.open_table(TOUCHES_BY_CONTACT)
                .unwrap()
                .insert((2, day, 1), ())
                .unwrap();
        });
        has(&p, "idx_touches_by_contact lists (2, ");
        let p = problems(|t| {
            t.open_table(TOUCHES_BY_DATE)
                .unwrap()
                .remove((day, 3))
                .unwrap();
        });
        assert_eq!(p.len(), 1, "{p:?}");
        has(&p, "idx_touches_by_date misses");
        let p = problems(|t| {
            t.open_table(TOUCHES_BY_DATE)
                .unwrap()
                .insert((day + 9, 3), 0)
                .unwrap();
        });
        has(&p, "idx_touches_by_date lists");
        let p = problems(|t| {
            t.open_table(CONTACTS_BY_STAGE)
                .unwrap()
                .insert((9, 1), ())
                .unwrap();
        });
        assert_eq!(p.len(), 1, "{p:?}");
        has(&p, "idx_contacts_by_stage lists (9, 1)");
        let p = problems(|t| {
            t.open_table(SALES_BY_CONTACT)
                .unwrap()
                .remove((1, day, 1))
                .unwrap();
        });
        has(&p, "idx_sales_by_contact misses (1, ");
        let p = problems(|t| {
            t.open_table(ROSTER).unwrap().remove(2).unwrap();
        });
        assert_eq!(p, ["contact 2 has no roster row"]);
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
