//! The sync engine between two in-memory diaries over one vdir: first sync both ways, a second
//! diary converging, follow-ups done elsewhere, two fields edited on two sides, a dry run, a sync
//! stopped half-way. (The real diary, the store and the actions, is tested against Radicale in
//! tests/integration/sync.)

use super::engine::{self, Applied, Diary, Options, State, StateUpdate, SyncError};
use super::mapping::journal::{self, Entry, History, What};
use super::mapping::todo::{self, FollowUp, TodoState};
use super::merge::{Record, Value};
use super::plan::{self, Change, ItemKind, Local, Pulled};
use super::transport::vdir::Vdir;
use super::transport::{Changes, Collection, Fetched, Listed, Transport, TransportError};
use crate::model::{Channel, Direction};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A diary in memory, applying pulled changes the way the real one does through its actions.
#[derive(Default, Clone)]
struct Mem {
    contacts: BTreeMap<String, Record>,
    todos: BTreeMap<String, FollowUp>,
    history: BTreeMap<(String, i32), Vec<Entry>>,
    state: State,
    applied: usize,
    /// Another process's edit of a contact's field, made between the read a pull is planned on
    /// and its write: that first write then finds the diary changed and writes nothing.
    meddle: Option<(String, String, Value)>,
}

fn card_text(uid: &str, r: &Record) -> String {
    let mut out = format!("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\n");
    for (k, v) in r {
        let prop = match k.as_str() {
            "name" => "FN",
            "company" => "ORG",
            "emails" => "EMAIL",
            "phones" => "TEL",
            "notes" => "NOTE",
            "tags" => "CATEGORIES",
            "stage" => "X-TICKLER-STAGE",
            _ => continue,
        };
        match v {
            Value::Set(items) if prop == "CATEGORIES" => {
                let joined: Vec<String> = items.iter().cloned().collect();
                out.push_str(&format!("{prop}:{}\r\n", joined.join(",")));
            }
            Value::Set(items) => {
                for i in items {
                    out.push_str(&format!("{prop}:{i}\r\n"));
                }
            }
            Value::One(s) | Value::Text(s) => {
                out.push_str(&format!("{prop}:{}\r\n", s.replace('\n', "\\n")));
            }
            Value::None => {}
        }
    }
    out.push_str("END:VCARD\r\n");
    out
}

impl Mem {
    fn add_contact(&mut self, uid: &str, name: &str) {
        let r = Record::from([
            ("name".to_string(), Value::one(name)),
            ("stage".to_string(), Value::one("lead")),
        ]);
        self.contacts.insert(uid.to_string(), r);
    }

    fn set(&mut self, uid: &str, field: &str, v: Value) {
        if let Some(r) = self.contacts.get_mut(uid) {
            r.insert(field.to_string(), v);
        }
    }

    fn plan(&mut self, uid: &str, contact: &str, due: NaiveDate) {
        self.todos.insert(
            uid.to_string(),
            FollowUp {
                uid: uid.into(),
                contact_uid: contact.into(),
                who: contact.into(),
                channel: Channel::Call,
                due,
                why: String::new(),
                send: String::new(),
                state: TodoState::Open,
            },
        );
    }

    fn log(&mut self, uid: &str, contact: &str, date: NaiveDate) {
        if let Some(t) = self.todos.get_mut(uid) {
            t.state = TodoState::Completed(date);
        }
        let entries = self
            .history
            .entry((contact.to_string(), date.year()))
            .or_default();
        if !entries.iter().any(|e| e.id == uid) {
            entries.push(Entry {
                id: uid.into(),
                date,
                what: What::Touch {
                    channel: Channel::Call,
                    direction: Direction::Out,
                    summary: String::new(),
                },
            });
        }
    }

    fn change(&mut self, c: &Change) {
        match c {
            Change::AddContact { uid, record } | Change::EditContact { uid, record } => {
                self.contacts.insert(uid.clone(), record.clone());
            }
            Change::Plan {
                uid,
                contact_uid,
                due,
                ..
            } => self.plan(uid, contact_uid, *due),
            Change::Reschedule { uid, due } => {
                if let Some(t) = self.todos.get_mut(uid) {
                    t.due = *due;
                }
            }
            Change::EditFollowUp { uid, send } => {
                if let Some(t) = self.todos.get_mut(uid) {
                    t.send = send.clone();
                }
            }
            Change::Log {
                uid,
                contact_uid,
                date,
                ..
            } => self.log(uid, contact_uid, *date),
            Change::Complete { uid, date } => {
                let contact = self.todos.get(uid).map(|t| t.contact_uid.clone());
                if let Some(contact) = contact {
                    self.log(uid, &contact, *date);
                }
            }
            Change::Cancel { uid } => {
                if let Some(t) = self.todos.get_mut(uid) {
                    t.state = TodoState::Cancelled;
                }
            }
            Change::Sale { .. } => {}
        }
    }

    fn update(&mut self, u: &StateUpdate) {
        for k in &u.put {
            self.state.known.insert(k.uid.clone(), k.clone());
        }
        for uid in &u.forget {
            self.state.known.remove(uid);
        }
        for (c, t) in &u.tokens {
            match t {
                Some(t) => self.state.tokens.insert(*c, t.clone()),
                None => self.state.tokens.remove(c),
            };
        }
    }
}

impl Diary for Mem {
    fn items(&mut self, today: NaiveDate) -> Result<BTreeMap<String, Local>, SyncError> {
        let mut out = BTreeMap::new();
        for (uid, r) in &self.contacts {
            let text = card_text(uid, r);
            let record = super::mapping::contact::read(&text)
                .map_err(|e| SyncError::Diary(e.to_string()))?
                .record;
            out.insert(
                uid.clone(),
                Local {
                    uid: uid.clone(),
                    kind: ItemKind::Contact,
                    record,
                    text,
                },
            );
        }
        for (uid, t) in &self.todos {
            if t.state == TodoState::Open || self.state.known.contains_key(uid) {
                out.insert(
                    uid.clone(),
                    Local {
                        uid: uid.clone(),
                        kind: ItemKind::FollowUp,
                        record: t.record(),
                        text: todo::write(t, today),
                    },
                );
            }
        }
        for ((contact, year), entries) in &self.history {
            let h = History {
                contact_uid: contact.clone(),
                who: contact.clone(),
                year: *year,
                entries: journal::union(entries, &[]),
            };
            out.insert(
                h.uid(),
                Local {
                    uid: h.uid(),
                    kind: ItemKind::History,
                    record: plan::history_record(&h.entries),
                    text: journal::write(&h, today),
                },
            );
        }
        Ok(out)
    }

    fn state(&mut self) -> Result<State, SyncError> {
        Ok(self.state.clone())
    }

    fn apply(&mut self, pulled: &Pulled, _today: NaiveDate) -> Result<Option<Applied>, SyncError> {
        if let Some((uid, field, v)) = self.meddle.take() {
            self.set(&uid, &field, v);
            return Ok(None);
        }
        for c in &pulled.changes {
            self.change(c);
            self.applied += 1;
        }
        self.update(&StateUpdate {
            put: pulled.known.clone(),
            forget: pulled.forget.clone(),
            tokens: Vec::new(),
        });
        Ok(Some(Applied {
            done: pulled.changes.iter().map(|c| format!("{c:?}")).collect(),
            refused: Vec::new(),
        }))
    }

    fn save(&mut self, update: &StateUpdate) -> Result<(), SyncError> {
        self.update(update);
        Ok(())
    }
}

fn opts(today: NaiveDate) -> Options {
    Options {
        today,
        dry_run: false,
    }
}

fn run(dir: &std::path::Path, diary: &mut Mem, today: NaiveDate) -> engine::Report {
    let mut t = Vdir::new(dir.to_path_buf());
    engine::sync(&mut t, diary, opts(today)).unwrap()
}

fn same_data(a: &Mem, b: &Mem) {
    assert_eq!(a.contacts, b.contacts);
    let strip = |m: &Mem| -> BTreeMap<String, (NaiveDate, TodoState)> {
        m.todos
            .iter()
            .map(|(k, t)| (k.clone(), (t.due, t.state)))
            .collect()
    };
    assert_eq!(strip(a), strip(b));
    let hist = |m: &Mem| -> BTreeMap<(String, i32), Vec<String>> {
        m.history
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    journal::union(v, &[]).into_iter().map(|e| e.id).collect(),
                )
            })
            .collect()
    };
    assert_eq!(hist(a), hist(b));
}

#[test]
fn two_diaries_converge_and_meet() {
    let dir = tempfile::tempdir().unwrap();
    let today = d(2026, 3, 10);
    let mut a = Mem::default();
    a.add_contact("c-ada", "Ada Lovelace");
    a.set("c-ada", "phones", Value::set(["+44 1"]));
    a.plan("t-1", "c-ada", d(2026, 3, 12));
    a.log("t-0", "c-ada", d(2026, 3, 1));
    let first = run(dir.path(), &mut a, today);
    assert_eq!(
        (
            first.created.contacts,
            first.created.follow_ups,
            first.created.history
        ),
        (1, 1, 1)
    );

    // The teammate's empty diary gets everything.
    let mut b = Mem::default();
    let got = run(dir.path(), &mut b, today);
    assert_eq!(got.fetched.total(), 3);
    same_data(&a, &b);

    // Both log touches; B completes the shared follow-up; each edits another field of Ada.
    a.log("t-a", "c-ada", d(2026, 3, 10));
    a.set("c-ada", "company", Value::one("Analytical Engines"));
    b.log("t-1", "c-ada", d(2026, 3, 9));
    b.set("c-ada", "phones", Value::set(["+44 1", "+44 2"]));
    run(dir.path(), &mut b, today);
    let merged = run(dir.path(), &mut a, today);
    assert!(merged.cases.is_empty(), "{:?}", merged.cases);
    run(dir.path(), &mut b, today);
    same_data(&a, &b);
    assert_eq!(a.todos["t-1"].state, TodoState::Completed(d(2026, 3, 9)));
    assert_eq!(
        a.contacts["c-ada"]["company"],
        Value::one("Analytical Engines")
    );
    assert_eq!(
        a.contacts["c-ada"]["phones"],
        Value::set(["+44 1", "+44 2"])
    );
    let ids: Vec<String> = journal::union(&a.history[&("c-ada".to_string(), 2026)], &[])
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, ["t-0", "t-1", "t-a"]);

    // Nothing changed: nothing read, nothing written.
    let quiet = run(dir.path(), &mut a, today);
    assert_eq!(
        (
            quiet.fetched.total(),
            quiet.created.total(),
            quiet.updated.total()
        ),
        (0, 0, 0),
        "{quiet:?}"
    );
}

#[test]
fn the_same_field_on_both_sides_is_listed_and_kept_in_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let today = d(2026, 3, 10);
    let mut a = Mem::default();
    a.add_contact("c-ada", "Ada Lovelace");
    run(dir.path(), &mut a, today);
    let mut b = Mem::default();
    run(dir.path(), &mut b, today);
    a.set("c-ada", "company", Value::one("Analytical"));
    b.set("c-ada", "company", Value::one("Engines"));
    run(dir.path(), &mut b, today);
    let r = run(dir.path(), &mut a, today);
    assert_eq!(r.cases.len(), 1, "{:?}", r.cases);
    assert_eq!(a.contacts["c-ada"]["company"], Value::one("Engines"));
    let notes = a.contacts["c-ada"]["notes"].as_str().unwrap().to_string();
    assert!(notes.contains("company was \"Analytical\" here"), "{notes}");
    run(dir.path(), &mut b, today);
    same_data(&a, &b);
}

/// An edit made here between the read a pull was planned on and its write is not overwritten by
/// the merged record of that read: the pull is planned again on the diary as it is then.
#[test]
fn a_change_made_here_during_the_pull_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let today = d(2026, 3, 10);
    let mut a = Mem::default();
    a.add_contact("c-ada", "Ada Lovelace");
    run(dir.path(), &mut a, today);
    let mut b = Mem::default();
    run(dir.path(), &mut b, today);
    b.set("c-ada", "company", Value::one("Engines"));
    run(dir.path(), &mut b, today);
    a.meddle = Some(("c-ada".into(), "phones".into(), Value::set(["+44 9"])));
    let r = run(dir.path(), &mut a, today);
    assert!(a.meddle.is_none(), "the first write found the change");
    assert_eq!(a.contacts["c-ada"]["company"], Value::one("Engines"));
    assert_eq!(a.contacts["c-ada"]["phones"], Value::set(["+44 9"]));
    assert_eq!(r.rounds, 1, "planned again without another round: {r:?}");
    assert_eq!(r.updated.contacts, 1, "the phone went to the server: {r:?}");
    run(dir.path(), &mut b, today);
    same_data(&a, &b);
}

#[test]
fn a_dry_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Mem::default();
    a.add_contact("c-ada", "Ada Lovelace");
    let mut t = Vdir::new(dir.path().join("dav"));
    let r = engine::sync(
        &mut t,
        &mut a,
        Options {
            today: d(2026, 3, 10),
            dry_run: true,
        },
    )
    .unwrap();
    assert!(r.dry_run);
    assert_eq!(r.created.contacts, 1);
    assert!(
        !dir.path().join("dav").exists(),
        "a dry run created the collections"
    );
    assert!(a.state.known.is_empty());
}

/// A transport that stops answering after `left` writes (a server stopped, a sync killed).
struct Failing {
    inner: Vdir,
    left: usize,
}

impl Failing {
    fn write<T>(
        &mut self,
        f: impl FnOnce(&mut Vdir) -> Result<T, TransportError>,
    ) -> Result<T, TransportError> {
        if self.left == 0 {
            return Err(TransportError::Unreachable {
                url: "test".into(),
                detail: "stopped".into(),
            });
        }
        self.left -= 1;
        f(&mut self.inner)
    }
}

impl Transport for Failing {
    fn location(&self) -> String {
        self.inner.location()
    }
    fn prepare(&mut self, create: bool) -> Result<bool, TransportError> {
        self.inner.prepare(create)
    }
    fn changes(&mut self, c: Collection, token: Option<&str>) -> Result<Changes, TransportError> {
        self.inner.changes(c, token)
    }
    fn fetch(&mut self, c: Collection, hrefs: &[String]) -> Result<Vec<Fetched>, TransportError> {
        self.inner.fetch(c, hrefs)
    }
    fn create(&mut self, c: Collection, name: &str, data: &str) -> Result<Listed, TransportError> {
        self.write(|v| v.create(c, name, data))
    }
    fn update(
        &mut self,
        c: Collection,
        href: &str,
        etag: &str,
        data: &str,
    ) -> Result<Listed, TransportError> {
        self.write(|v| v.update(c, href, etag, data))
    }
    fn delete(&mut self, c: Collection, href: &str, etag: &str) -> Result<(), TransportError> {
        self.write(|v| v.delete(c, href, etag))
    }
}

#[test]
fn a_sync_stopped_half_way_is_completed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let today = d(2026, 3, 10);
    let mut a = Mem::default();
    for i in 0..6 {
        a.add_contact(&format!("c-{i}"), &format!("Person {i}"));
        a.plan(&format!("t-{i}"), &format!("c-{i}"), d(2026, 3, 20));
    }
    let mut stopping = Failing {
        inner: Vdir::new(dir.path().to_path_buf()),
        left: 5,
    };
    let err = engine::sync(&mut stopping, &mut a, opts(today)).unwrap_err();
    assert!(
        err.to_string().contains("run `tickler sync` again"),
        "{err}"
    );
    // What was written is recorded; lose the record of the last write too (a kill before saving).
    assert_eq!(a.state.known.len(), 5);
    let last = a.state.known.keys().last().cloned().unwrap();
    a.state.known.remove(&last);
    let r = run(dir.path(), &mut a, today);
    assert!(r.cases.is_empty(), "{:?}", r.cases);
    assert_eq!(a.state.known.len(), 12);
    let mut b = Mem::default();
    run(dir.path(), &mut b, today);
    same_data(&a, &b);
    assert_eq!(b.applied, 12);
}

/// A server that keeps no journals (as iCloud): every history item is refused with a 415.
struct NoJournals(Vdir);

impl Transport for NoJournals {
    fn location(&self) -> String {
        self.0.location()
    }
    fn prepare(&mut self, create: bool) -> Result<bool, TransportError> {
        self.0.prepare(create)
    }
    fn changes(&mut self, c: Collection, token: Option<&str>) -> Result<Changes, TransportError> {
        self.0.changes(c, token)
    }
    fn fetch(&mut self, c: Collection, hrefs: &[String]) -> Result<Vec<Fetched>, TransportError> {
        self.0.fetch(c, hrefs)
    }
    fn create(&mut self, c: Collection, name: &str, data: &str) -> Result<Listed, TransportError> {
        if data.contains("BEGIN:VJOURNAL") {
            return Err(TransportError::Status {
                what: "creating",
                href: name.into(),
                status: 415,
            });
        }
        self.0.create(c, name, data)
    }
    fn update(
        &mut self,
        c: Collection,
        href: &str,
        etag: &str,
        data: &str,
    ) -> Result<Listed, TransportError> {
        self.0.update(c, href, etag, data)
    }
    fn delete(&mut self, c: Collection, href: &str, etag: &str) -> Result<(), TransportError> {
        self.0.delete(c, href, etag)
    }
}

#[test]
fn items_the_server_refuses_are_listed_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Mem::default();
    a.add_contact("c-ada", "Ada Lovelace");
    a.plan("t-1", "c-ada", d(2026, 3, 12));
    a.log("t-0", "c-ada", d(2026, 3, 1));
    let mut t = NoJournals(Vdir::new(dir.path().to_path_buf()));
    let r = engine::sync(&mut t, &mut a, opts(d(2026, 3, 10))).unwrap();
    assert_eq!(
        (r.created.contacts, r.created.follow_ups, r.created.history),
        (1, 1, 0)
    );
    assert_eq!(r.cases.len(), 1, "{:?}", r.cases);
    assert!(r.cases[0].note.contains("415"), "{:?}", r.cases);
}
