//! What a sync does, decided without I/O: from what changed on the server, the changes to make in
//! the diary ([`pull`]); from the diary, the writes to make on the server ([`push`]).
//!
//! Every synced item has a UID (the global id of its contact, touch, or contact and year) and, once
//! it has been on the server, a [`Known`] state kept by the store: its href, ETag, and the record of
//! the server's version at that ETag (`base`). The invariant: `base` is the server's version at
//! `etag`. A pull sets it to what it read; a push to what it wrote. So a sync killed anywhere is
//! completed by the next one: an item written but not recorded comes back as a change equal to the
//! diary (nothing to do), an item merged but not written is still different from its base (written
//! next time).
//!
//! Rules (see `merge` for the per-field rules):
//! - a follow-up done on either side stays done (history is append-only): a cancellation or a
//!   reopening from the other side does not undo it, and the case is listed;
//! - a contact deleted on the server is put back from the diary (archiving is a considered decision
//!   made in the diary), and the case is listed; a follow-up deleted there is cancelled;
//! - the server's value of a field both sides changed is kept, and ours is written into the
//!   contact's notes ("sync 2026-03-05: company was X here; kept Y from the server") and listed;
//! - history entries are merged by union: each side gets what it lacks.

use super::mapping::contact::RemoteCard;
use super::mapping::journal::{self, Entry, History, What};
use super::mapping::todo::{RemoteTodo, TodoState};
use super::merge::{self, Conflict, Record, Rule, Value};
use super::transport::Collection;
use crate::model::{Channel, Direction};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The kind of a synced item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Contact,
    FollowUp,
    History,
}

impl ItemKind {
    pub fn collection(self) -> Collection {
        match self {
            ItemKind::Contact => Collection::Contacts,
            ItemKind::FollowUp | ItemKind::History => Collection::Calendar,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Contact => "contact",
            ItemKind::FollowUp => "follow-up",
            ItemKind::History => "history",
        }
    }
}

/// One item as the diary has it now: its merge record and the text to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    pub uid: String,
    pub kind: ItemKind,
    pub record: Record,
    pub text: String,
}

/// What the store keeps per synced item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub uid: String,
    pub kind: ItemKind,
    pub href: String,
    pub etag: Option<String>,
    /// The record of the server's version at `etag`.
    pub base: Record,
}

/// An item read from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Card(RemoteCard),
    Todo(RemoteTodo),
    Journal(History),
    /// Listed at the ETag the diary knows: not fetched, nothing to pull.
    Unchanged {
        uid: String,
        kind: ItemKind,
    },
}

impl Parsed {
    pub fn uid(&self) -> String {
        match self {
            Parsed::Card(c) => c.uid.clone(),
            Parsed::Todo(t) => t.uid.clone(),
            Parsed::Journal(h) => h.uid(),
            Parsed::Unchanged { uid, .. } => uid.clone(),
        }
    }

    fn kind(&self) -> ItemKind {
        match self {
            Parsed::Card(_) => ItemKind::Contact,
            Parsed::Todo(_) => ItemKind::FollowUp,
            Parsed::Journal(_) => ItemKind::History,
            Parsed::Unchanged { kind, .. } => *kind,
        }
    }

    fn record(&self) -> Record {
        match self {
            Parsed::Card(c) => c.record.clone(),
            Parsed::Todo(t) => t.record(),
            Parsed::Journal(h) => history_record(&h.entries),
            Parsed::Unchanged { .. } => Record::new(),
        }
    }
}

/// A changed item from the server, with its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub href: String,
    pub etag: Option<String>,
    pub item: Parsed,
}

/// The record of a history item: its entries, each as the line that writes it.
pub fn history_record(entries: &[Entry]) -> Record {
    Record::from([(
        "entries".to_string(),
        Value::set(entries.iter().map(journal::entry_line)),
    )])
}

/// The entries of a history record.
pub fn history_entries(record: &Record) -> Vec<Entry> {
    match record.get("entries") {
        Some(Value::Set(lines)) => lines
            .iter()
            .filter_map(|l| journal::entry_from_line(l))
            .collect(),
        _ => Vec::new(),
    }
}

/// A change to make in the diary, applied through the actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A contact new on the server.
    AddContact {
        uid: String,
        record: Record,
    },
    /// A contact's fields as merged (only fields that differ from the diary's need writing).
    EditContact {
        uid: String,
        record: Record,
    },
    /// A follow-up new on the server (a teammate planned it).
    Plan {
        uid: String,
        contact_uid: String,
        due: NaiveDate,
        channel: Option<Channel>,
        send: String,
    },
    Reschedule {
        uid: String,
        due: NaiveDate,
    },
    /// What to send changed elsewhere.
    EditFollowUp {
        uid: String,
        send: String,
    },
    /// A touch from the other side's history (a teammate's, or one logged in another diary).
    /// When `uid` is a follow-up planned in this diary, that follow-up is what was done.
    Log {
        uid: String,
        contact_uid: String,
        date: NaiveDate,
        channel: Channel,
        direction: Direction,
        summary: String,
    },
    Sale {
        uid: String,
        contact_uid: String,
        date: NaiveDate,
        amount_cents: i64,
        currency: String,
        note: String,
    },
    /// A follow-up done elsewhere: the planned touch is done on that date.
    Complete {
        uid: String,
        date: NaiveDate,
    },
    /// A follow-up cancelled or deleted elsewhere.
    Cancel {
        uid: String,
    },
}

impl Change {
    /// The order changes are applied in: contacts first, new follow-ups before the history (so a
    /// teammate's next touch is there before their log, and nothing is planned twice), completions
    /// and cancellations last.
    fn rank(&self) -> u8 {
        match self {
            Change::AddContact { .. } => 0,
            Change::EditContact { .. } => 1,
            Change::Plan { .. } => 2,
            Change::Reschedule { .. } | Change::EditFollowUp { .. } => 3,
            Change::Log { .. } | Change::Sale { .. } => 4,
            Change::Complete { .. } => 5,
            Change::Cancel { .. } => 6,
        }
    }
}

/// A case listed for the user: what happened to an item both sides changed, or that could not be
/// taken over as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub uid: String,
    pub kind: ItemKind,
    /// The field, when it is a field conflict.
    pub field: Option<String>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
    pub kept: Option<Value>,
    /// What was done, in words.
    pub note: String,
}

impl Case {
    fn of(uid: &str, kind: ItemKind, c: &Conflict) -> Case {
        let note = match c.rule {
            Rule::ServerWins => format!(
                "{} changed on both sides: kept the server's value, ours is in the notes",
                c.field
            ),
            Rule::BothKept => format!("{} rewritten on both sides: both texts kept", c.field),
        };
        Case {
            uid: uid.to_string(),
            kind,
            field: Some(c.field.clone()),
            ours: Some(c.ours.clone()),
            theirs: Some(c.theirs.clone()),
            kept: Some(c.kept.clone()),
            note,
        }
    }

    fn note(uid: &str, kind: ItemKind, note: impl Into<String>) -> Case {
        Case {
            uid: uid.to_string(),
            kind,
            field: None,
            ours: None,
            theirs: None,
            kept: None,
            note: note.into(),
        }
    }
}

/// What a pull decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pulled {
    /// In the order to apply.
    pub changes: Vec<Change>,
    /// New states (the server's version as read).
    pub known: Vec<Known>,
    /// UIDs no longer on the server: their state is dropped.
    pub forget: Vec<String>,
    pub cases: Vec<Case>,
}

impl Pulled {
    /// Nothing to apply and no state to record.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.known.is_empty() && self.forget.is_empty()
    }
}

/// Decide the diary's changes from what changed on the server. `complete`: `remote` lists every
/// item of the collections read (so a known item not in it was deleted); else `deleted` names the
/// deleted hrefs.
pub fn pull(
    remote: &[Remote],
    deleted: &[String],
    complete: Option<&[ItemKind]>,
    local: &BTreeMap<String, Local>,
    known: &BTreeMap<String, Known>,
    today: NaiveDate,
) -> Pulled {
    let mut out = Pulled::default();
    let mut seen = BTreeSet::new();
    for r in remote {
        let uid = r.item.uid();
        seen.insert(uid.clone());
        let base = known.get(&uid);
        let unchanged = matches!(r.item, Parsed::Unchanged { .. })
            || base.is_some_and(|k| k.etag.is_some() && k.etag == r.etag);
        if unchanged {
            continue; // our own write, or not changed since
        }
        pull_one(&mut out, r, &uid, base, local.get(&uid), today);
        out.known.push(Known {
            uid: uid.clone(),
            kind: r.item.kind(),
            href: r.href.clone(),
            etag: r.etag.clone(),
            base: r.item.record(),
        });
    }
    let gone: BTreeSet<&str> = deleted.iter().map(String::as_str).collect();
    for k in known.values() {
        let deleted_here = gone.contains(k.href.as_str())
            || complete.is_some_and(|kinds| kinds.contains(&k.kind) && !seen.contains(&k.uid));
        if deleted_here && !seen.contains(&k.uid) {
            deleted_on_server(&mut out, k, local.get(&k.uid));
        }
    }
    out.changes.sort_by_key(Change::rank);
    out
}

fn deleted_on_server(out: &mut Pulled, k: &Known, local: Option<&Local>) {
    out.forget.push(k.uid.clone());
    let Some(l) = local else { return };
    match k.kind {
        ItemKind::FollowUp if TodoState::from_value(l.record.get("state")) == TodoState::Open => {
            out.changes.push(Change::Cancel { uid: k.uid.clone() });
        }
        ItemKind::FollowUp => {}
        ItemKind::Contact => out.cases.push(Case::note(
            &k.uid,
            k.kind,
            "deleted on the server: kept in the diary and written back (archive it in tickler to take it out)",
        )),
        ItemKind::History => out.cases.push(Case::note(
            &k.uid,
            k.kind,
            "history deleted on the server: written back from the diary",
        )),
    }
}

fn pull_one(
    out: &mut Pulled,
    r: &Remote,
    uid: &str,
    known: Option<&Known>,
    local: Option<&Local>,
    today: NaiveDate,
) {
    match (&r.item, local) {
        (Parsed::Card(card), None) => out.changes.push(Change::AddContact {
            uid: uid.to_string(),
            record: card.record.clone(),
        }),
        (Parsed::Card(card), Some(l)) => {
            pull_card(out, uid, known.map(|k| &k.base), l, &card.record, today);
        }
        (Parsed::Todo(t), None) => new_todo(out, uid, t),
        (Parsed::Todo(t), Some(l)) => pull_todo(out, uid, known.map(|k| &k.base), l, t),
        (Parsed::Journal(h), l) => pull_history(out, h, l),
        (Parsed::Unchanged { .. }, _) => {}
    }
}

fn pull_card(
    out: &mut Pulled,
    uid: &str,
    base: Option<&Record>,
    local: &Local,
    theirs: &Record,
    today: NaiveDate,
) {
    let mut m = merge::merge(base, &local.record, theirs);
    let mut lost = Vec::new();
    for c in &m.conflicts {
        out.cases.push(Case::of(uid, ItemKind::Contact, c));
        if c.rule == Rule::ServerWins {
            lost.push(format!(
                "sync {today}: {} was {} here; kept {} from the server",
                c.field,
                shown(&c.ours),
                shown(&c.theirs)
            ));
        }
    }
    if !lost.is_empty() {
        let notes = m
            .record
            .get("notes")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let sep = if notes.is_empty() || notes.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let text = format!("{notes}{sep}{}\n", lost.join("\n"));
        m.record.insert("notes".into(), Value::text(text));
    }
    if m.differs_from(&local.record) {
        out.changes.push(Change::EditContact {
            uid: uid.to_string(),
            record: m.record,
        });
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::None => "(empty)".to_string(),
        Value::One(s) | Value::Text(s) => format!("\"{s}\""),
        Value::Set(s) => format!("\"{}\"", s.iter().cloned().collect::<Vec<_>>().join(", ")),
    }
}

fn new_todo(out: &mut Pulled, uid: &str, t: &RemoteTodo) {
    match (&t.contact_uid, t.due, t.state) {
        (Some(contact), Some(due), TodoState::Open) => out.changes.push(Change::Plan {
            uid: uid.to_string(),
            contact_uid: contact.clone(),
            due,
            channel: t.channel,
            send: t.send.clone(),
        }),
        // Closed before this diary saw it: its history item brings the touch, if it happened.
        (Some(_), _, TodoState::Completed(_) | TodoState::Cancelled) => {}
        _ => out.cases.push(Case::note(
            uid,
            ItemKind::FollowUp,
            format!(
                "task \"{}\" on the server is not a follow-up of a contact (no RELATED-TO or no DUE): left as it is",
                t.summary
            ),
        )),
    }
}

fn pull_todo(out: &mut Pulled, uid: &str, base: Option<&Record>, local: &Local, t: &RemoteTodo) {
    let theirs = t.record();
    let m = merge::merge(base, &local.record, &theirs);
    let ours_state = TodoState::from_value(local.record.get("state"));
    let their_state = t.state;
    let state = match (ours_state, their_state) {
        // Done stays done: history is append-only.
        (TodoState::Completed(_), other) => {
            if other != ours_state
                && base.is_some_and(|b| TodoState::from_value(b.get("state")) != other)
            {
                out.cases.push(Case::note(
                    uid,
                    ItemKind::FollowUp,
                    "done here, changed on the server: kept as done",
                ));
            }
            ours_state
        }
        _ => TodoState::from_value(m.record.get("state")),
    };
    for c in m.conflicts.iter().filter(|c| c.field != "state") {
        out.cases.push(Case::of(uid, ItemKind::FollowUp, c));
    }
    let id = uid.to_string();
    if state == TodoState::Open {
        let due = m
            .record
            .get("due")
            .and_then(Value::as_str)
            .and_then(|d| d.parse().ok());
        let ours_due = local
            .record
            .get("due")
            .and_then(Value::as_str)
            .and_then(|d| d.parse().ok());
        if let Some(due) = due
            && Some(due) != ours_due
        {
            out.changes.push(Change::Reschedule {
                uid: id.clone(),
                due,
            });
        }
    }
    let send = m
        .record
        .get("send")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let ours_send = local
        .record
        .get("send")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if send != ours_send && ours_state == TodoState::Open {
        out.changes.push(Change::EditFollowUp {
            uid: id.clone(),
            send: send.to_string(),
        });
    }
    if state != ours_state {
        match state {
            TodoState::Completed(date) => out.changes.push(Change::Complete { uid: id, date }),
            TodoState::Cancelled => out.changes.push(Change::Cancel { uid: id }),
            // Reopened elsewhere after being cancelled here: the diary's decision stands.
            TodoState::Open => out.cases.push(Case::note(
                uid,
                ItemKind::FollowUp,
                "reopened on the server after it was closed here: kept closed",
            )),
        }
    }
}

fn pull_history(out: &mut Pulled, h: &History, local: Option<&Local>) {
    let have: BTreeSet<String> = local
        .map(|l| history_entries(&l.record))
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.id)
        .collect();
    for e in h.entries.iter().filter(|e| !have.contains(&e.id)) {
        match &e.what {
            What::Touch {
                channel,
                direction,
                summary,
            } => out.changes.push(Change::Log {
                uid: e.id.clone(),
                contact_uid: h.contact_uid.clone(),
                date: e.date,
                channel: *channel,
                direction: *direction,
                summary: summary.clone(),
            }),
            What::Sale {
                amount_cents,
                currency,
                note,
            } => out.changes.push(Change::Sale {
                uid: e.id.clone(),
                contact_uid: h.contact_uid.clone(),
                date: e.date,
                amount_cents: *amount_cents,
                currency: currency.clone(),
                note: note.clone(),
            }),
            // Stages travel on the contact's card; the entry stays in the shared history.
            What::Stage { .. } => {}
        }
    }
}

/// A write to make on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Create {
        uid: String,
        kind: ItemKind,
        text: String,
        record: Record,
    },
    Update {
        uid: String,
        kind: ItemKind,
        href: String,
        etag: String,
        text: String,
        record: Record,
    },
    Delete {
        uid: String,
        kind: ItemKind,
        href: String,
        etag: String,
    },
}

impl Op {
    pub fn uid(&self) -> &str {
        match self {
            Op::Create { uid, .. } | Op::Update { uid, .. } | Op::Delete { uid, .. } => uid,
        }
    }

    pub fn kind(&self) -> ItemKind {
        match self {
            Op::Create { kind, .. } | Op::Update { kind, .. } | Op::Delete { kind, .. } => *kind,
        }
    }
}

/// The writes that bring the server to the diary: items new in the diary are created, items whose
/// record differs from the server's version are updated (history as the union of both sides'
/// entries, so nothing the server has is dropped), items gone from the diary are deleted. An item
/// whose ETag is unknown is left for the next sync, which reads it first.
pub fn push(local: &BTreeMap<String, Local>, known: &BTreeMap<String, Known>) -> Vec<Op> {
    let mut ops = Vec::new();
    for (uid, l) in local {
        let Some(k) = known.get(uid) else {
            ops.push(Op::Create {
                uid: uid.clone(),
                kind: l.kind,
                text: l.text.clone(),
                record: l.record.clone(),
            });
            continue;
        };
        // The usual case of a sync: written as last agreed, nothing to merge or compare.
        if l.record == k.base {
            continue;
        }
        let record = match l.kind {
            ItemKind::History => history_record(&journal::union(
                &history_entries(&l.record),
                &history_entries(&k.base),
            )),
            _ => l.record.clone(),
        };
        if merge::equivalent(&record, &k.base) {
            continue;
        }
        let Some(etag) = k.etag.clone() else { continue };
        let text = match l.kind {
            ItemKind::History if record != l.record => {
                match journal::rewrite(&l.text, &history_entries(&record)) {
                    Some(t) => t,
                    None => continue,
                }
            }
            _ => l.text.clone(),
        };
        ops.push(Op::Update {
            uid: uid.clone(),
            kind: l.kind,
            href: k.href.clone(),
            etag,
            text,
            record,
        });
    }
    for (uid, k) in known {
        if !local.contains_key(uid)
            && k.kind != ItemKind::History
            && let Some(etag) = k.etag.clone()
        {
            ops.push(Op::Delete {
                uid: uid.clone(),
                kind: k.kind,
                href: k.href.clone(),
                etag,
            });
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::mapping::todo::{self, FollowUp};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn card(uid: &str, pairs: &[(&str, Value)]) -> Record {
        let mut r: Record = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect();
        r.entry("name".into()).or_insert(Value::one(uid));
        r
    }

    fn local(uid: &str, kind: ItemKind, record: Record) -> (String, Local) {
        (
            uid.to_string(),
            Local {
                uid: uid.to_string(),
                kind,
                record,
                text: format!("text of {uid}"),
            },
        )
    }

    fn known(uid: &str, kind: ItemKind, etag: &str, base: Record) -> (String, Known) {
        (
            uid.to_string(),
            Known {
                uid: uid.to_string(),
                kind,
                href: format!("/ada/x/{uid}"),
                etag: Some(etag.to_string()),
                base,
            },
        )
    }

    fn remote_card(uid: &str, etag: &str, record: Record) -> Remote {
        Remote {
            href: format!("/ada/x/{uid}"),
            etag: Some(etag.to_string()),
            item: Parsed::Card(RemoteCard {
                uid: uid.to_string(),
                record,
            }),
        }
    }

    fn follow_up(uid: &str, due: NaiveDate, state: TodoState) -> FollowUp {
        FollowUp {
            uid: uid.into(),
            contact_uid: "c1".into(),
            who: "Ada".into(),
            channel: Channel::Call,
            due,
            why: String::new(),
            send: "report".into(),
            state,
        }
    }

    fn remote_todo(f: &FollowUp, etag: &str) -> Remote {
        Remote {
            href: format!("/ada/x/{}", f.uid),
            etag: Some(etag.to_string()),
            item: Parsed::Todo(todo::read(&todo::write(f, d(2026, 3, 1))).unwrap()),
        }
    }

    const TODAY: (i32, u32, u32) = (2026, 3, 10);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn edits_of_two_fields_on_two_sides_are_both_taken() {
        let base = card(
            "c1",
            &[("company", Value::one("AE")), ("phones", Value::set(["1"]))],
        );
        let ours = card(
            "c1",
            &[("company", Value::one("AE")), ("phones", Value::set(["2"]))],
        );
        let theirs = card(
            "c1",
            &[
                ("company", Value::one("AE Ltd")),
                ("phones", Value::set(["1"])),
            ],
        );
        let p = pull(
            &[remote_card("c1", "e2", theirs.clone())],
            &[],
            None,
            &BTreeMap::from([local("c1", ItemKind::Contact, ours)]),
            &BTreeMap::from([known("c1", ItemKind::Contact, "e1", base)]),
            today(),
        );
        assert!(p.cases.is_empty());
        let Change::EditContact { record, .. } = &p.changes[0] else {
            panic!("{p:?}")
        };
        assert_eq!(record["company"], Value::one("AE Ltd"));
        assert_eq!(record["phones"], Value::set(["2"]));
        assert_eq!(p.known[0].base, theirs);
        assert_eq!(p.known[0].etag.as_deref(), Some("e2"));
    }

    #[test]
    fn the_same_field_keeps_the_servers_value_and_writes_ours_into_the_notes() {
        let base = card(
            "c1",
            &[
                ("company", Value::one("AE")),
                ("notes", Value::text("met at the fair")),
            ],
        );
        let ours = card(
            "c1",
            &[
                ("company", Value::one("Analytical")),
                ("notes", Value::text("met at the fair")),
            ],
        );
        let theirs = card(
            "c1",
            &[
                ("company", Value::one("Engines")),
                ("notes", Value::text("met at the fair")),
            ],
        );
        let p = pull(
            &[remote_card("c1", "e2", theirs)],
            &[],
            None,
            &BTreeMap::from([local("c1", ItemKind::Contact, ours)]),
            &BTreeMap::from([known("c1", ItemKind::Contact, "e1", base)]),
            today(),
        );
        let Change::EditContact { record, .. } = &p.changes[0] else {
            panic!("{p:?}")
        };
        assert_eq!(record["company"], Value::one("Engines"));
        assert_eq!(
            record["notes"],
            Value::text(
                "met at the fair\nsync 2026-03-10: company was \"Analytical\" here; kept \"Engines\" from the server\n"
            )
        );
        assert_eq!(p.cases.len(), 1);
        assert_eq!(p.cases[0].field.as_deref(), Some("company"));
    }

    #[test]
    fn our_own_write_is_not_pulled_again() {
        let r = card("c1", &[]);
        let p = pull(
            &[remote_card("c1", "e1", r.clone())],
            &[],
            None,
            &BTreeMap::from([local("c1", ItemKind::Contact, r.clone())]),
            &BTreeMap::from([known("c1", ItemKind::Contact, "e1", r)]),
            today(),
        );
        assert_eq!(p, Pulled::default());
    }

    #[test]
    fn a_follow_up_done_moved_or_deleted_on_the_phone() {
        let open = follow_up("t1", d(2026, 3, 12), TodoState::Open);
        let base = open.record();
        let locals = BTreeMap::from([
            local("t1", ItemKind::FollowUp, open.record()),
            local(
                "t2",
                ItemKind::FollowUp,
                follow_up("t2", d(2026, 3, 12), TodoState::Open).record(),
            ),
            local(
                "t3",
                ItemKind::FollowUp,
                follow_up("t3", d(2026, 3, 12), TodoState::Open).record(),
            ),
        ]);
        let knowns = BTreeMap::from([
            known("t1", ItemKind::FollowUp, "e1", base.clone()),
            known("t2", ItemKind::FollowUp, "e1", base.clone()),
            known("t3", ItemKind::FollowUp, "e1", base),
        ]);
        let done = follow_up("t1", d(2026, 3, 12), TodoState::Completed(d(2026, 3, 9)));
        let moved = follow_up("t2", d(2026, 3, 20), TodoState::Open);
        let p = pull(
            &[remote_todo(&done, "e2"), remote_todo(&moved, "e2")],
            &["/ada/x/t3".to_string()],
            None,
            &locals,
            &knowns,
            today(),
        );
        assert_eq!(
            p.changes,
            vec![
                Change::Reschedule {
                    uid: "t2".into(),
                    due: d(2026, 3, 20)
                },
                Change::Complete {
                    uid: "t1".into(),
                    date: d(2026, 3, 9)
                },
                Change::Cancel { uid: "t3".into() },
            ]
        );
        assert_eq!(p.forget, vec!["t3".to_string()]);
    }

    #[test]
    fn done_here_stays_done_whatever_the_server_says() {
        let open = follow_up("t1", d(2026, 3, 12), TodoState::Open);
        let done_here = follow_up("t1", d(2026, 3, 12), TodoState::Completed(d(2026, 3, 8)));
        let cancelled = follow_up("t1", d(2026, 3, 12), TodoState::Cancelled);
        let p = pull(
            &[remote_todo(&cancelled, "e2")],
            &[],
            None,
            &BTreeMap::from([local("t1", ItemKind::FollowUp, done_here.record())]),
            &BTreeMap::from([known("t1", ItemKind::FollowUp, "e1", open.record())]),
            today(),
        );
        assert!(p.changes.is_empty(), "{p:?}");
        assert_eq!(p.cases.len(), 1);
    }

    #[test]
    fn new_items_from_the_server() {
        let planned = follow_up("t9", d(2026, 3, 15), TodoState::Open);
        let mut stray = todo::read(&todo::write(&planned, d(2026, 3, 1))).unwrap();
        stray.uid = "phone-task".into();
        stray.contact_uid = None;
        let h = History {
            contact_uid: "c1".into(),
            who: "Ada".into(),
            year: 2026,
            entries: vec![
                Entry {
                    id: "t5".into(),
                    date: d(2026, 3, 2),
                    what: What::Touch {
                        channel: Channel::Email,
                        direction: Direction::In,
                        summary: "asked for a quote".into(),
                    },
                },
                Entry {
                    id: "t4".into(),
                    date: d(2026, 3, 1),
                    what: What::Touch {
                        channel: Channel::Call,
                        direction: Direction::Out,
                        summary: String::new(),
                    },
                },
                Entry {
                    id: "s1".into(),
                    date: d(2026, 3, 3),
                    what: What::Sale {
                        amount_cents: 500,
                        currency: "EUR".into(),
                        note: String::new(),
                    },
                },
            ],
        };
        let ours_history = history_record(&h.entries[1..2]);
        let p = pull(
            &[
                remote_card("c2", "e1", card("c2", &[])),
                remote_todo(&planned, "e1"),
                Remote {
                    href: "/ada/x/phone-task".into(),
                    etag: Some("e1".into()),
                    item: Parsed::Todo(stray),
                },
                Remote {
                    href: "/ada/x/h".into(),
                    etag: Some("e1".into()),
                    item: Parsed::Journal(h.clone()),
                },
            ],
            &[],
            None,
            &BTreeMap::from([local(&h.uid(), ItemKind::History, ours_history)]),
            &BTreeMap::new(),
            today(),
        );
        let kinds: Vec<u8> = p.changes.iter().map(Change::rank).collect();
        assert_eq!(kinds, [0, 2, 4, 4], "{:?}", p.changes);
        assert!(
            matches!(&p.changes[1], Change::Plan { contact_uid, due, .. } if contact_uid == "c1" && *due == d(2026, 3, 15))
        );
        assert!(matches!(&p.changes[2], Change::Log { uid, .. } if uid == "t5"));
        assert!(matches!(&p.changes[3], Change::Sale { uid, .. } if uid == "s1"));
        assert_eq!(p.cases.len(), 1, "the stray task is listed");
        assert_eq!(p.known.len(), 4);
    }

    #[test]
    fn a_full_listing_finds_deletions_of_its_kinds_only() {
        let r = card("c1", &[]);
        let p = pull(
            &[],
            &[],
            Some(&[ItemKind::Contact]),
            &BTreeMap::from([local("c1", ItemKind::Contact, r.clone())]),
            &BTreeMap::from([
                known("c1", ItemKind::Contact, "e1", r.clone()),
                known("t1", ItemKind::FollowUp, "e1", r),
            ]),
            today(),
        );
        assert_eq!(p.forget, vec!["c1".to_string()]);
        assert_eq!(p.cases.len(), 1, "{p:?}");
    }

    #[test]
    fn push_creates_updates_and_deletes() {
        let a = card("a", &[]);
        let b_old = card("b", &[("company", Value::one("X"))]);
        let b_new = card("b", &[("company", Value::one("Y"))]);
        let locals = BTreeMap::from([
            local("a", ItemKind::Contact, a.clone()),
            local("b", ItemKind::Contact, b_new.clone()),
            local("c", ItemKind::Contact, card("c", &[])),
        ]);
        let knowns = BTreeMap::from([
            known("b", ItemKind::Contact, "e1", b_old),
            known("c", ItemKind::Contact, "e1", card("c", &[])),
            known("t1", ItemKind::FollowUp, "e7", Record::new()),
        ]);
        let ops = push(&locals, &knowns);
        let summary: Vec<(&str, &str)> = ops
            .iter()
            .map(|o| {
                let what = match o {
                    Op::Create { .. } => "create",
                    Op::Update { .. } => "update",
                    Op::Delete { .. } => "delete",
                };
                (o.uid(), what)
            })
            .collect();
        assert_eq!(
            summary,
            [("a", "create"), ("b", "update"), ("t1", "delete")]
        );
        assert!(
            matches!(&ops[1], Op::Update { etag, record, .. } if etag == "e1" && *record == b_new)
        );
    }

    #[test]
    fn history_pushed_is_the_union_of_both_sides() {
        let e = |id: &str, day: u32| Entry {
            id: id.into(),
            date: d(2026, 3, day),
            what: What::Touch {
                channel: Channel::Call,
                direction: Direction::Out,
                summary: String::new(),
            },
        };
        let h = History {
            contact_uid: "c1".into(),
            who: "Ada".into(),
            year: 2026,
            entries: vec![e("t1", 1), e("t3", 3)],
        };
        let uid = h.uid();
        let locals = BTreeMap::from([(
            uid.clone(),
            Local {
                uid: uid.clone(),
                kind: ItemKind::History,
                record: history_record(&h.entries),
                text: journal::write(&h, d(2026, 3, 3)),
            },
        )]);
        // The server has t2, which this diary could not take over: it is kept.
        let knowns = BTreeMap::from([known(
            &uid,
            ItemKind::History,
            "e1",
            history_record(&[e("t1", 1), e("t2", 2)]),
        )]);
        let ops = push(&locals, &knowns);
        let Op::Update { text, record, .. } = &ops[0] else {
            panic!("{ops:?}")
        };
        let (back, _) = journal::read(text).unwrap();
        let ids: Vec<&str> = back.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["t1", "t2", "t3"]);
        assert_eq!(history_entries(record).len(), 3);
    }
}
