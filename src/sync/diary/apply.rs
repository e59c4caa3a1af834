//! A pull's changes made in the diary through the actions (`*_in`, all inside one write: one sync
//! is one undoable action), with the records' global ids and the new sync states.
//!
//! An action that refuses (a date in the past, an unknown category...) does not stop the sync: the
//! change is listed as a case and the others go on. Side effects the actions add on their own (a
//! next touch planned after a log) are removed for a contact whose follow-ups came from the server
//! in the same sync: the other diary planned them already, and both would be kept otherwise.

use super::super::engine::Applied;
use super::super::merge::{Record, Value};
use super::super::plan::{Case, Change, ItemKind, Pulled};
use super::state;
use crate::actions::{
    self, ActionError, AddRequest, CancelRequest, Completes, ContactPatch, EditRequest, LogRequest,
    MoveRequest, PlanRequest, RescheduleRequest, SaleRequest,
};
use crate::model::{
    Birthday, Cadence, Contact, ContactId, Direction, NoReason, Stage, Touch, TouchId, TouchState,
};
use crate::store::{GlobalKind, Store, StoreError, Writer};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// What one change did: a line for the report, or why it was not made.
type Outcome = std::result::Result<String, String>;

/// Why a pull was not applied.
enum NotApplied {
    Store(StoreError),
    /// The diary changed since the items the pull was planned on were read.
    Changed,
}

impl From<StoreError> for NotApplied {
    fn from(e: StoreError) -> Self {
        NotApplied::Store(e)
    }
}

/// Apply a pull in one write transaction, if the diary's change count is still `seen` (what it
/// was when the items the pull was planned on were read; `None`: not checked). `Ok(None)`: it
/// moved (another process wrote meanwhile), nothing was written: plan again on a new read.
pub fn apply(
    store: &Store,
    pulled: &Pulled,
    today: NaiveDate,
    seen: Option<u64>,
) -> Result<Option<Applied>, StoreError> {
    let done = store.transact("sync", |w| {
        if let Some(n) = seen
            && w.changes()? != n
        {
            return Err(NotApplied::Changed);
        }
        changes(w, pulled, today).map_err(NotApplied::Store)
    });
    match done {
        Ok(applied) => Ok(Some(applied)),
        Err(NotApplied::Changed) => Ok(None),
        Err(NotApplied::Store(e)) => Err(e),
    }
}

/// The pull's changes and sync states, inside the write.
fn changes(w: &mut Writer<'_>, pulled: &Pulled, today: NaiveDate) -> Result<Applied, StoreError> {
    let mut applied = Applied::default();
    let planned_here = planned_for(w, pulled)?;
    let mut from_server = BTreeSet::new();
    let mut not_held = BTreeSet::new();
    for c in &pulled.changes {
        match one(w, c, today, &mut from_server) {
            Ok(Ok(line)) => applied.done.push(line),
            Ok(Err(why)) => {
                not_held.extend(new_item(c));
                applied.refused.push(refused(c, why));
            }
            Err(e) => return Err(e),
        }
    }
    drop_side_effects(w, &planned_here, &from_server)?;
    for k in pulled.known.iter().filter(|k| !not_held.contains(&k.uid)) {
        w.put_sync_item(&k.uid, &state::to_item(k))?;
    }
    for uid in &pulled.forget {
        w.forget_sync_item(uid)?;
    }
    w.set_label(format!(
        "sync ({} changes from the server)",
        applied.done.len()
    ));
    Ok(applied)
}

/// The uid of an item new on the server, when the change would have created it in the diary. A
/// refused one is not recorded as known: the diary never held it, and a known item the diary does
/// not hold is one the diary deleted, which the push would delete on the server (another client's
/// card lost). Unrecorded, it is read and listed again by the next sync.
fn new_item(c: &Change) -> Option<String> {
    match c {
        Change::AddContact { uid, .. } | Change::Plan { uid, .. } => Some(uid.clone()),
        _ => None,
    }
}

fn refused(c: &Change, why: String) -> Case {
    let (uid, kind) = match c {
        Change::AddContact { uid, .. } | Change::EditContact { uid, .. } => {
            (uid, ItemKind::Contact)
        }
        Change::Log { uid, .. } | Change::Sale { uid, .. } => (uid, ItemKind::History),
        Change::Plan { uid, .. }
        | Change::Reschedule { uid, .. }
        | Change::EditFollowUp { uid, .. }
        | Change::Complete { uid, .. }
        | Change::Cancel { uid } => (uid, ItemKind::FollowUp),
    };
    Case {
        uid: uid.clone(),
        kind,
        field: None,
        ours: None,
        theirs: None,
        kept: None,
        note: format!("not taken over: {why}"),
    }
}

/// An action's refusal becomes the case's reason; a store failure stops the sync.
fn action<T>(r: Result<T, ActionError>) -> Result<Result<T, String>, StoreError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(ActionError::Store(e)) => Err(e),
        Err(e) => Ok(Err(e.to_string())),
    }
}

fn contact_id(w: &Writer<'_>, uid: &str) -> Result<Option<ContactId>, StoreError> {
    Ok(match w.by_global_id(uid)? {
        Some((GlobalKind::Contact, id)) => Some(ContactId(id)),
        _ => None,
    })
}

fn touch_of(w: &Writer<'_>, uid: &str) -> Result<Option<Touch>, StoreError> {
    match w.by_global_id(uid)? {
        Some((GlobalKind::Touch, id)) => w.touch(TouchId(id)),
        _ => Ok(None),
    }
}

/// The planned touches now of the contacts that get follow-ups from the server in this pull.
fn planned_for(
    w: &Writer<'_>,
    pulled: &Pulled,
) -> Result<BTreeMap<ContactId, BTreeSet<TouchId>>, StoreError> {
    let mut out = BTreeMap::new();
    for c in &pulled.changes {
        if let Change::Plan { contact_uid, .. } = c
            && let Some(id) = contact_id(w, contact_uid)?
        {
            let planned = w
                .touches_of(id)?
                .into_iter()
                .filter(|t| t.state == TouchState::Planned)
                .map(|t| t.id)
                .collect();
            out.insert(id, planned);
        }
    }
    Ok(out)
}

/// Remove touches planned by side effects of this sync for contacts whose follow-ups came from
/// the server (see the module doc).
fn drop_side_effects(
    w: &mut Writer<'_>,
    before: &BTreeMap<ContactId, BTreeSet<TouchId>>,
    from_server: &BTreeSet<TouchId>,
) -> Result<(), StoreError> {
    for (contact, had) in before {
        for t in w.touches_of(*contact)? {
            if t.state == TouchState::Planned
                && !had.contains(&t.id)
                && !from_server.contains(&t.id)
            {
                w.delete_touch(t.id)?;
            }
        }
    }
    Ok(())
}

fn one(
    w: &mut Writer<'_>,
    c: &Change,
    today: NaiveDate,
    from_server: &mut BTreeSet<TouchId>,
) -> Result<Outcome, StoreError> {
    match c {
        Change::AddContact { uid, record } => add(w, uid, record, today),
        Change::EditContact { uid, record } => edit(w, uid, record, today),
        Change::Plan {
            uid,
            contact_uid,
            due,
            channel,
            send,
        } => plan(
            w,
            uid,
            contact_uid,
            (*due, *channel, send),
            today,
            from_server,
        ),
        Change::Reschedule { uid, due } => reschedule(w, uid, *due, today),
        Change::EditFollowUp { uid, send } => edit_follow_up(w, uid, send, today),
        Change::Log {
            uid,
            contact_uid,
            date,
            channel,
            direction,
            summary,
        } => log(
            w,
            uid,
            contact_uid,
            *date,
            (*channel, *direction, summary),
            today,
        ),
        Change::Sale {
            uid,
            contact_uid,
            date,
            amount_cents,
            currency,
            note,
        } => sale(
            w,
            uid,
            contact_uid,
            *date,
            (*amount_cents, currency, note),
            today,
        ),
        Change::Complete { uid, date } => complete(w, uid, *date, today),
        Change::Cancel { uid } => cancel(w, uid, today),
    }
}

/// A follow-up planned elsewhere, planned here (on today when its day has passed) with its
/// global id.
fn plan(
    w: &mut Writer<'_>,
    uid: &str,
    contact_uid: &str,
    (due, channel, send): (NaiveDate, Option<crate::model::Channel>, &str),
    today: NaiveDate,
    from_server: &mut BTreeSet<TouchId>,
) -> Result<Outcome, StoreError> {
    let Some(cid) = contact_id(w, contact_uid)? else {
        return Ok(Err("its contact is not in this diary".to_string()));
    };
    let req = PlanRequest {
        contact: cid.into(),
        date: Some(due.max(today)),
        channel,
        summary: send.to_string(),
        force: true,
    };
    let planned = match action(actions::plan_in(w, &req, today))? {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    w.set_global_id(GlobalKind::Touch, planned.touch.id.0, uid)?;
    from_server.insert(planned.touch.id);
    Ok(Ok(planned.message(today)))
}

/// A sale recorded elsewhere, recorded here with its global id (once).
fn sale(
    w: &mut Writer<'_>,
    uid: &str,
    contact_uid: &str,
    date: NaiveDate,
    (amount_cents, currency, note): (i64, &str, &str),
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let Some(cid) = contact_id(w, contact_uid)? else {
        return Ok(Err("its contact is not in this diary".to_string()));
    };
    if w.by_global_id(uid)?.is_some() {
        return Ok(Ok(format!("sale {uid} already here")));
    }
    let req = SaleRequest {
        contact: cid.into(),
        amount_cents,
        date,
        currency: Some(currency.to_string()),
        note: note.to_string(),
    };
    let done = match action(actions::sale_in(w, &req, today))? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    w.set_global_id(GlobalKind::Sale, done.sale.id.0, uid)?;
    Ok(Ok(done.message(today)))
}

/// A follow-up called off elsewhere, cancelled here while it is still planned.
fn cancel(w: &mut Writer<'_>, uid: &str, today: NaiveDate) -> Result<Outcome, StoreError> {
    let Some(t) = touch_of(w, uid)?.filter(|t| t.state == TouchState::Planned) else {
        return Ok(Ok(format!("{uid} already closed")));
    };
    let req = CancelRequest {
        contact: t.contact.into(),
        touch: Some(t.id),
    };
    Ok(action(actions::cancel_in(w, &req, today))?.map(|c| c.message(today)))
}

fn reschedule(
    w: &mut Writer<'_>,
    uid: &str,
    due: NaiveDate,
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let Some(t) = touch_of(w, uid)?.filter(|t| t.state == TouchState::Planned) else {
        return Ok(Err("the follow-up is no longer planned here".to_string()));
    };
    let req = RescheduleRequest {
        contact: t.contact.into(),
        touch: Some(t.id),
        date: due.max(today),
        force: true,
    };
    Ok(action(actions::reschedule_in(w, &req, today))?.map(|r| r.message(today)))
}

/// No action edits a planned touch's summary: the new text goes into the contact's notes.
fn edit_follow_up(
    w: &mut Writer<'_>,
    uid: &str,
    send: &str,
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let Some(t) = touch_of(w, uid)? else {
        return Ok(Err("the follow-up is not in this diary".to_string()));
    };
    let patch = ContactPatch {
        append_note: Some(format!(
            "sync {today}: what to send for the {} on {} was changed elsewhere to: {send}",
            t.channel, t.date
        )),
        ..ContactPatch::default()
    };
    let req = EditRequest {
        contact: t.contact.into(),
        patch,
    };
    Ok(action(actions::edit_in(w, &req, today))?.map(|e| e.message(today)))
}

fn log(
    w: &mut Writer<'_>,
    uid: &str,
    contact_uid: &str,
    date: NaiveDate,
    (channel, direction, summary): (crate::model::Channel, Direction, &String),
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let existing = touch_of(w, uid)?;
    if existing
        .as_ref()
        .is_some_and(|t| t.state != TouchState::Planned)
    {
        return Ok(Ok(format!("{uid} already logged")));
    }
    let Some(cid) = contact_id(w, contact_uid)? else {
        return Ok(Err("its contact is not in this diary".to_string()));
    };
    let req = LogRequest {
        contact: cid.into(),
        channel: Some(channel),
        date: date.min(today),
        direction,
        summary: summary.clone(),
        completes: match &existing {
            Some(t) => Completes::Item(Some(t.id)),
            None => Completes::Nothing,
        },
    };
    let logged = match action(actions::log_in(w, &req, today))? {
        Ok(l) => l,
        Err(e) => return Ok(Err(e)),
    };
    w.set_global_id(GlobalKind::Touch, logged.touch.id.0, uid)?;
    Ok(Ok(logged.message(today)))
}

fn complete(
    w: &mut Writer<'_>,
    uid: &str,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let Some(t) = touch_of(w, uid)? else {
        return Ok(Err("the follow-up is not in this diary".to_string()));
    };
    if t.state != TouchState::Planned {
        return Ok(Ok(format!("{uid} already closed")));
    }
    let req = LogRequest {
        contact: t.contact.into(),
        channel: Some(t.channel),
        date: date.min(today),
        direction: t.direction,
        summary: t.summary.clone(),
        completes: Completes::Item(Some(t.id)),
    };
    Ok(action(actions::log_in(w, &req, today))?.map(|l| l.message(today)))
}

fn one_value(r: &Record, field: &str) -> Option<String> {
    r.get(field)
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

fn set_of(r: &Record, field: &str) -> Vec<String> {
    match r.get(field) {
        Some(Value::Set(s)) => s.iter().cloned().collect(),
        _ => Vec::new(),
    }
}

fn add(w: &mut Writer<'_>, uid: &str, r: &Record, today: NaiveDate) -> Result<Outcome, StoreError> {
    if contact_id(w, uid)?.is_some() {
        return Ok(Ok(format!("contact {uid} already here")));
    }
    let mut req = AddRequest {
        name: one_value(r, "name").unwrap_or_else(|| "(no name)".to_string()),
        company: one_value(r, "company"),
        emails: set_of(r, "emails"),
        phones: set_of(r, "phones"),
        address: one_value(r, "address"),
        birthday: one_value(r, "birthday").and_then(|b| b.parse::<Birthday>().ok()),
        category: one_value(r, "category"),
        tags: set_of(r, "tags"),
        stage: one_value(r, "stage").and_then(|s| s.parse::<Stage>().ok()),
        reason: one_value(r, "no_reason").and_then(|s| s.parse::<NoReason>().ok()),
        cadence: one_value(r, "cadence").and_then(|s| s.parse::<Cadence>().ok()),
        notes: one_value(r, "notes").unwrap_or_default(),
    };
    // A contact archived in the other diary: added, then archived (a new contact cannot start
    // archived), both in this sync's one write.
    // Its reason for a "no" comes with it: added as stay-in-touch with that reason.
    let archived = req.stage == Some(Stage::Archived);
    if archived {
        req.stage = req.reason.map(|_| Stage::StayInTouch);
    }
    let mut note = String::new();
    let added = match action(actions::add_in(w, &req, today))? {
        Ok(a) => a,
        // A category this diary does not have: added without it, and said so.
        Err(_) if req.category.is_some() => {
            note = format!(
                " (category \"{}\" is not in this diary: left out)",
                req.category.take().unwrap_or_default()
            );
            match action(actions::add_in(w, &req, today))? {
                Ok(a) => a,
                Err(e) => return Ok(Err(e)),
            }
        }
        Err(e) => return Ok(Err(e)),
    };
    w.set_global_id(GlobalKind::Contact, added.contact.id.0, uid)?;
    let mut said = format!("{}{note}", added.message(today));
    if archived {
        let req = MoveRequest {
            contact: added.contact.id.into(),
            target: Stage::Archived,
            reason: req.reason,
            keep_planned: true,
        };
        match action(actions::move_stage_in(w, &req, today))? {
            Ok(m) => said = format!("{said}; {}", m.message(today)),
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(said))
}

/// The fields of the merged record that differ from the contact, as a patch.
fn patch(c: &Contact, category: Option<&str>, r: &Record) -> ContactPatch {
    let mut p = ContactPatch::default();
    let name = one_value(r, "name").unwrap_or_else(|| c.name.clone());
    if name != c.name {
        p.name = Some(name);
    }
    if one_value(r, "company") != c.company {
        p.company = Some(one_value(r, "company").unwrap_or_default());
    }
    if one_value(r, "address") != c.address {
        p.address = Some(one_value(r, "address").unwrap_or_default());
    }
    let birthday = one_value(r, "birthday").and_then(|b| b.parse::<Birthday>().ok());
    if birthday != c.birthday {
        p.birthday = Some(birthday);
    }
    let cadence = one_value(r, "cadence").and_then(|s| s.parse::<Cadence>().ok());
    if cadence != c.cadence {
        p.cadence = Some(cadence);
    }
    if one_value(r, "category").as_deref() != category {
        p.category = Some(one_value(r, "category").unwrap_or_else(|| "none".to_string()));
    }
    let notes = one_value(r, "notes").unwrap_or_default();
    if notes != c.notes {
        p.notes = Some(notes);
    }
    let diff = |now: &[String], want: Vec<String>| {
        let add: Vec<String> = want.iter().filter(|x| !now.contains(x)).cloned().collect();
        let remove: Vec<String> = now.iter().filter(|x| !want.contains(x)).cloned().collect();
        (add, remove)
    };
    (p.add_emails, p.remove_emails) = diff(&c.emails, set_of(r, "emails"));
    (p.add_phones, p.remove_phones) = diff(&c.phones, set_of(r, "phones"));
    (p.add_tags, p.remove_tags) = diff(&c.tags, set_of(r, "tags"));
    p
}

fn edit(
    w: &mut Writer<'_>,
    uid: &str,
    r: &Record,
    today: NaiveDate,
) -> Result<Outcome, StoreError> {
    let Some(id) = contact_id(w, uid)? else {
        return Ok(Err("the contact is not in this diary".to_string()));
    };
    let Some(c) = w.contact(id)? else {
        return Ok(Err("the contact is not in this diary".to_string()));
    };
    let category = match c.category {
        Some(k) => w.category(k)?.map(|k| k.name),
        None => None,
    };
    let mut lines = Vec::new();
    let p = patch(&c, category.as_deref(), r);
    if p != ContactPatch::default() {
        let req = EditRequest {
            contact: id.into(),
            patch: p,
        };
        match action(actions::edit_in(w, &req, today))? {
            Ok(e) => lines.push(e.message(today)),
            Err(e) => return Ok(Err(e)),
        }
    }
    let stage = one_value(r, "stage").and_then(|s| s.parse::<Stage>().ok());
    let reason = one_value(r, "no_reason").and_then(|s| s.parse::<NoReason>().ok());
    if let Some(target) = stage.filter(|s| *s != c.stage) {
        let req = MoveRequest {
            contact: id.into(),
            target,
            reason: reason.filter(|_| target.is_out()),
            // The other diary called them off already: its cancellations come as follow-ups.
            keep_planned: true,
        };
        match action(actions::move_stage_in(w, &req, today))? {
            Ok(m) => lines.push(m.message(today)),
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(lines.join("; ")))
}
