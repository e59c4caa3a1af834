//! Actions on contacts: add, edit (a patch applied to the record as it is in the transaction),
//! move and archive (the reason of a "no", the planned touches called off, the retry planned),
//! restore, and the notes editor's save (only over the notes it opened).

use super::touches::confirm_next;
use super::{ActionError, ContactRef, Result, Subject, Who, clear_from_triage, resolve};
use crate::model::{
    Birthday, Cadence, Category, Channel, Contact, ContactId, Direction, NoReason, Stage, Touch,
    TouchState, validate,
};
use crate::planner::{NextDue, close};
use crate::store::{Store, Writer};
use crate::text::{next_phrase, when};
use chrono::NaiveDate;

/// A new contact, as typed (validated by [`add`]).
#[derive(Debug, Clone, Default)]
pub struct AddRequest {
    pub name: String,
    pub company: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    /// Lines separated by `\n`.
    pub address: Option<String>,
    pub birthday: Option<Birthday>,
    /// A category name or id.
    pub category: Option<String>,
    pub tags: Vec<String>,
    /// `None`: lead.
    pub stage: Option<Stage>,
    pub reason: Option<NoReason>,
    pub cadence: Option<Cadence>,
    pub notes: String,
}

#[derive(Debug, Clone)]
pub struct Added {
    pub contact: Contact,
    pub category: Option<Category>,
    /// Contacts with the same name and company (noted, not refused).
    pub same_name: Vec<ContactId>,
}

impl Added {
    pub fn message(&self, _today: NaiveDate) -> String {
        let mut m = format!("Added c{} {}", self.contact.id, self.contact.label());
        for d in &self.same_name {
            m.push_str(&format!(
                "; note: c{d} has the same name and company (`tickler show c{d}` to compare)"
            ));
        }
        m
    }
}

/// The fields of a new contact, checked one by one.
fn new_contact(req: &AddRequest, today: NaiveDate) -> Result<Contact> {
    let stage = req.stage.unwrap_or(Stage::Lead);
    if stage == Stage::Archived {
        return Err(ActionError::AddArchived);
    }
    let no_reason = match (stage.is_out(), req.reason) {
        (true, None) => return Err(ActionError::ReasonNeeded),
        (false, Some(_)) => return Err(ActionError::ReasonNotForAdd),
        (_, r) => r,
    };
    let mut c = Contact::new(ContactId(0), validate::name("name", &req.name)?, today);
    c.company = req
        .company
        .as_deref()
        .map(|s| validate::name("company", s))
        .transpose()?;
    for e in &req.emails {
        push_unique(&mut c.emails, validate::email(e)?);
    }
    for p in &req.phones {
        push_unique(&mut c.phones, validate::phone(p)?);
    }
    c.address = req.address.as_deref().map(address).transpose()?;
    c.birthday = req.birthday;
    for t in &req.tags {
        push_unique(&mut c.tags, validate::tag(t)?);
    }
    if c.tags.len() > validate::MAX_TAGS {
        return Err(validate::ValidationError::TooManyTags(c.tags.len()).into());
    }
    c.stage = stage;
    c.no_reason = no_reason;
    c.cadence = req.cadence;
    c.notes = validate::text("note", &req.notes, validate::MAX_NOTE_BYTES)?;
    Ok(c)
}

fn push_unique(list: &mut Vec<String>, v: String) {
    if !list.contains(&v) {
        list.push(v);
    }
}

/// A postal address: `\n` (typed as backslash-n on a command line) separates its lines.
fn address(s: &str) -> Result<String> {
    Ok(validate::text(
        "address",
        &s.replace("\\n", "\n"),
        validate::MAX_SUMMARY_BYTES,
    )?)
}

pub fn add(store: &Store, req: &AddRequest, today: NaiveDate) -> Result<Added> {
    store.transact("add", |w| add_in(w, req, today))
}

/// [`add`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn add_in(w: &mut Writer<'_>, req: &AddRequest, today: NaiveDate) -> Result<Added> {
    let template = new_contact(req, today)?;
    w.set_label(format!("add {}", template.name));
    let categories = w.categories()?;
    let category = req
        .category
        .as_deref()
        .map(|k| resolve::category(&categories, k).cloned())
        .transpose()?;
    let same_name: Vec<ContactId> = w
        .roster()?
        .rows
        .iter()
        .filter(|(p, _)| {
            p.name.eq_ignore_ascii_case(&template.name) && p.company == template.company
        })
        .map(|(p, _)| p.id)
        .collect();
    let mut c = template.clone();
    c.id = w.new_contact_id()?;
    c.category = category.as_ref().map(|k| k.id);
    w.put_contact(&c)?;
    Ok(Added {
        contact: c,
        category,
        same_name,
    })
}

/// Changes to some fields of a contact; every other field is left as the transaction finds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactPatch {
    pub name: Option<String>,
    /// `Some("")` clears it.
    pub company: Option<String>,
    pub add_emails: Vec<String>,
    pub remove_emails: Vec<String>,
    pub add_phones: Vec<String>,
    pub remove_phones: Vec<String>,
    /// `Some("")` clears it.
    pub address: Option<String>,
    /// `Some(None)` clears it.
    pub birthday: Option<Option<Birthday>>,
    /// A category name or id; `Some("none")` clears it.
    pub category: Option<String>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    /// `Some(None)` follows the category again.
    pub cadence: Option<Option<Cadence>>,
    /// Replace the notes.
    pub notes: Option<String>,
    /// Add a line to the notes.
    pub append_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EditRequest {
    pub contact: ContactRef,
    pub patch: ContactPatch,
}

#[derive(Debug, Clone)]
pub struct Edited {
    pub contact: Contact,
    pub category: Option<Category>,
}

impl Edited {
    pub fn message(&self, _today: NaiveDate) -> String {
        format!("Updated c{} {}", self.contact.id, self.contact.label())
    }
}

pub fn edit(store: &Store, req: &EditRequest, today: NaiveDate) -> Result<Edited> {
    let req = &EditRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("edit", |w| edit_in(w, req, today))
}

/// [`edit`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn edit_in(w: &mut Writer<'_>, req: &EditRequest, today: NaiveDate) -> Result<Edited> {
    let s = Subject::load(w, &req.contact)?;
    let categories = w.categories()?;
    let mut c = s.contact.clone();
    apply_patch(&mut c, &req.patch, &categories)?;
    if c == s.contact {
        return Err(ActionError::NothingToChange(c.id));
    }
    c.updated = today;
    w.set_label(format!("edit c{} {}", c.id, c.name));
    w.put_contact(&c)?;
    let category = c
        .category
        .and_then(|id| categories.iter().find(|k| k.id == id).cloned());
    Ok(Edited {
        contact: c,
        category,
    })
}

fn apply_patch(c: &mut Contact, p: &ContactPatch, categories: &[Category]) -> Result<()> {
    let id = c.id;
    if let Some(n) = &p.name {
        c.name = validate::name("name", n)?;
    }
    if let Some(co) = &p.company {
        c.company = cleared_or(co, |s| validate::name("company", s).map_err(Into::into))?;
    }
    for e in &p.add_emails {
        push_unique(&mut c.emails, validate::email(e)?);
    }
    remove(&mut c.emails, &p.remove_emails, id, "email", |x, v| {
        x.eq_ignore_ascii_case(v)
    })?;
    for ph in &p.add_phones {
        push_unique(&mut c.phones, validate::phone(ph)?);
    }
    remove(&mut c.phones, &p.remove_phones, id, "phone", |x, v| x == v)?;
    if let Some(a) = &p.address {
        c.address = cleared_or(a, address)?;
    }
    if let Some(b) = p.birthday {
        c.birthday = b;
    }
    if let Some(k) = &p.category {
        c.category = if k.trim().eq_ignore_ascii_case("none") {
            None
        } else {
            Some(resolve::category(categories, k)?.id)
        };
    }
    for t in &p.add_tags {
        push_unique(&mut c.tags, validate::tag(t)?);
    }
    let lowered: Vec<String> = p.remove_tags.iter().map(|t| t.to_lowercase()).collect();
    remove(&mut c.tags, &lowered, id, "tag", |x, v| x == v)?;
    if c.tags.len() > validate::MAX_TAGS {
        return Err(validate::ValidationError::TooManyTags(c.tags.len()).into());
    }
    if let Some(k) = p.cadence {
        c.cadence = k;
    }
    if let Some(n) = &p.notes {
        c.notes = validate::text("note", n, validate::MAX_NOTE_BYTES)?;
    }
    if let Some(n) = &p.append_note {
        c.notes = validate::text("note", &appended(&c.notes, n), validate::MAX_NOTE_BYTES)?;
    }
    Ok(())
}

/// `None` for a blank value, else the checked value.
fn cleared_or(v: &str, check: impl FnOnce(&str) -> Result<String>) -> Result<Option<String>> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        check(v).map(Some)
    }
}

/// Remove each of `values` from `list`; one that is not there is an error.
fn remove(
    list: &mut Vec<String>,
    values: &[String],
    id: ContactId,
    what: &'static str,
    same: impl Fn(&str, &str) -> bool,
) -> Result<()> {
    for v in values {
        let v = v.trim();
        let n = list.len();
        list.retain(|x| !same(x, v));
        if list.len() == n {
            return Err(ActionError::NoSuchValue {
                id,
                what,
                value: v.to_string(),
            });
        }
    }
    Ok(())
}

/// `notes` with `line` added on a line of its own.
pub(crate) fn appended(notes: &str, line: &str) -> String {
    let mut out = notes.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out
}

/// Move a contact to another stage; moving out needs the reason of the "no".
#[derive(Debug, Clone)]
pub struct MoveRequest {
    pub contact: ContactRef,
    pub target: Stage,
    pub reason: Option<NoReason>,
    /// Moving out: keep the planned touches instead of calling them off.
    pub keep_planned: bool,
}

#[derive(Debug, Clone)]
pub struct Moved {
    pub who: Who,
    pub from: Stage,
    pub to: Stage,
    pub reason: Option<NoReason>,
    /// Planned touches called off by moving out.
    pub cancelled: Vec<Touch>,
    /// The personal retry the reason of the "no" set.
    pub retry: Option<Touch>,
    pub next: Option<NextDue>,
}

impl Moved {
    pub fn message(&self, today: NaiveDate) -> String {
        let why = self.reason.map_or_else(String::new, |r| format!(" ({r})"));
        let mut m = if self.to == Stage::Archived {
            format!(
                "Archived {}{why}; `tickler restore c{}` brings it back",
                self.who, self.who.id
            )
        } else {
            format!("Moved {} from {} to {}{why}", self.who, self.from, self.to)
        };
        if !self.cancelled.is_empty() {
            let list: Vec<String> = self
                .cancelled
                .iter()
                .map(|t| format!("{} {} (t{})", t.channel, t.date, t.id))
                .collect();
            m.push_str(&format!("; called off {}", list.join(", ")));
        }
        if let Some(t) = &self.retry {
            m.push_str(&format!(
                "; retry: {} {} planned (t{})",
                t.channel,
                when(t.date, today),
                t.id
            ));
        }
        if self.to != Stage::Archived && self.retry.is_none() {
            m.push_str(&format!("; {}", next_phrase(self.next.as_ref(), today)));
        }
        m
    }
}

/// Change a contact's stage, keeping the reason, the archive marker and the stage date consistent.
pub(crate) fn apply_stage(
    c: &mut Contact,
    target: Stage,
    reason: Option<NoReason>,
    today: NaiveDate,
) {
    c.archived_from = (target == Stage::Archived).then_some(c.stage);
    c.no_reason = if target.is_out() {
        reason.or(c.no_reason)
    } else {
        None
    };
    c.stage = target;
    c.stage_changed = today;
    c.updated = today;
}

pub fn move_stage(store: &Store, req: &MoveRequest, today: NaiveDate) -> Result<Moved> {
    let req = &MoveRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("move", |w| move_stage_in(w, req, today))
}

/// [`move_stage`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn move_stage_in(w: &mut Writer<'_>, req: &MoveRequest, today: NaiveDate) -> Result<Moved> {
    let mut s = Subject::load(w, &req.contact)?;
    let from = s.contact.stage;
    if from == req.target {
        return Err(if from == Stage::Archived {
            ActionError::AlreadyArchived(s.contact.id)
        } else {
            ActionError::AlreadyInStage {
                id: s.contact.id,
                stage: from,
            }
        });
    }
    match (req.target.is_out(), req.reason) {
        (true, None) => return Err(ActionError::ReasonNeeded),
        (false, Some(_)) => return Err(ActionError::ReasonNotForMove),
        _ => {}
    }
    let before = s.due(today);
    let mut c = s.contact.clone();
    apply_stage(&mut c, req.target, req.reason, today);
    w.set_label(if req.target == Stage::Archived {
        format!("archive c{} {}", c.id, c.name)
    } else {
        format!("move c{} {} {from} -> {}", c.id, c.name, req.target)
    });
    w.put_contact(&c)?;
    let cancelled = if req.target.is_out() && !req.keep_planned {
        call_off_all(w, &s)?
    } else {
        Vec::new()
    };
    let retry = match req.reason {
        Some(r) => plan_retry(w, &s, req.target, r, today)?,
        None => None,
    };
    clear_from_triage(w, before.as_ref(), c.id, today)?;
    s.reload(w)?;
    Ok(Moved {
        who: s.who(),
        from,
        to: req.target,
        reason: req.reason,
        cancelled,
        retry,
        next: s.due(today),
    })
}

/// Call off every open planned touch of the contact (moving out).
fn call_off_all(w: &mut Writer<'_>, s: &Subject) -> Result<Vec<Touch>> {
    super::touches::call_off(w, s.facts.planned.iter().map(|p| p.id))
}

/// Plan the personal retry the reason of the "no" sets (none when archiving).
fn plan_retry(
    w: &mut Writer<'_>,
    s: &Subject,
    target: Stage,
    reason: NoReason,
    today: NaiveDate,
) -> Result<Option<Touch>> {
    let Some(date) = close::retry_after_no(target, reason, &s.settings, today) else {
        return Ok(None);
    };
    let t = Touch {
        id: w.new_touch_id()?,
        contact: s.contact.id,
        date,
        channel: Channel::Call,
        direction: Direction::Out,
        summary: format!("try again after \"{reason}\""),
        state: TouchState::Planned,
    };
    w.put_touch(&t)?;
    Ok(Some(t))
}

/// Bring an archived contact back to the stage it was archived from (stay-in-touch if unknown).
#[derive(Debug, Clone)]
pub struct RestoreRequest {
    pub contact: ContactRef,
}

#[derive(Debug, Clone)]
pub struct Restored {
    pub who: Who,
    pub to: Stage,
    pub planned_next: Option<Touch>,
    pub next: Option<NextDue>,
}

impl Restored {
    pub fn message(&self, today: NaiveDate) -> String {
        let next = match &self.planned_next {
            Some(t) => format!("next: {} {} planned", when(t.date, today), t.channel),
            None => next_phrase(self.next.as_ref(), today),
        };
        format!("Restored {} to {}; {next}", self.who, self.to)
    }
}

pub fn restore(store: &Store, req: &RestoreRequest, today: NaiveDate) -> Result<Restored> {
    let req = &RestoreRequest {
        contact: super::resolved(store, &req.contact)?,
    };
    store.transact("restore", |w| restore_in(w, req, today))
}

/// [`restore`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn restore_in(w: &mut Writer<'_>, req: &RestoreRequest, today: NaiveDate) -> Result<Restored> {
    let mut s = Subject::load(w, &req.contact)?;
    if s.contact.stage != Stage::Archived {
        return Err(ActionError::NotArchived {
            id: s.contact.id,
            stage: s.contact.stage,
        });
    }
    let mut c = s.contact.clone();
    let back = c.archived_from.unwrap_or(Stage::StayInTouch);
    let reason = c.no_reason;
    apply_stage(&mut c, back, reason, today);
    w.set_label(format!("restore c{} {}", c.id, c.name));
    w.put_contact(&c)?;
    s.reload(w)?;
    let planned_next = confirm_next(w, &mut s, today)?;
    Ok(Restored {
        who: s.who(),
        to: back,
        planned_next,
        next: s.due(today),
    })
}

/// Save a contact's notes as the editor left them.
#[derive(Debug, Clone)]
pub struct NotesRequest {
    pub contact: ContactRef,
    /// The notes the editor opened with: the save is refused ([`ActionError::NotesChanged`]) if
    /// they changed since. `None` saves over whatever is there.
    pub base: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct NotesSaved {
    pub who: Who,
    /// The notes were already so: nothing was written.
    pub unchanged: bool,
}

impl NotesSaved {
    pub fn message(&self, _today: NaiveDate) -> String {
        if self.unchanged {
            format!("notes of {} unchanged", self.who)
        } else {
            format!("notes of {} saved", self.who)
        }
    }
}

pub fn save_notes(store: &Store, req: &NotesRequest, today: NaiveDate) -> Result<NotesSaved> {
    let req = &NotesRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("notes", |w| save_notes_in(w, req, today))
}

/// [`save_notes`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn save_notes_in(
    w: &mut Writer<'_>,
    req: &NotesRequest,
    today: NaiveDate,
) -> Result<NotesSaved> {
    let text = validate::text("note", &req.text, validate::MAX_NOTE_BYTES)?;
    let s = Subject::load(w, &req.contact)?;
    if let Some(base) = &req.base
        && *base != s.contact.notes
    {
        return Err(ActionError::NotesChanged {
            id: s.contact.id,
            theirs: s.contact.notes.clone(),
        });
    }
    if s.contact.notes == text {
        return Ok(NotesSaved {
            who: s.who(),
            unchanged: true,
        });
    }
    let mut c = s.contact.clone();
    c.notes = text.clone();
    c.updated = today;
    w.set_label(format!("edit notes of c{} {}", c.id, c.name));
    w.put_contact(&c)?;
    Ok(NotesSaved {
        who: s.who(),
        unchanged: false,
    })
}
