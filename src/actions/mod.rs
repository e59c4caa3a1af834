//! Every user action, once: a function over a typed request that returns a typed outcome or a
//! typed [`ActionError`], run inside the one write transaction that commits it. It reads what it
//! decides on there (the contact, its facts, the settings, the load of a day), checks the rules
//! there (asking the planner), and writes there; so no concurrent writer can slip in between, and
//! the CLI and the TUI, which only build requests and present outcomes, can never disagree.
//!
//! Owns no I/O beyond the store and prints nothing; the wording of every refusal is in
//! [`error`], of every outcome in its `message`.

mod admin;
pub mod batch;
pub mod capture;
mod contacts;
pub mod error;
pub mod pieces;
mod read;
pub mod resolve;
mod touches;

pub use admin::{
    CategoryAdd, CategoryChanged, CategoryEdit, SettingChanged, category_add, category_edit,
    setting_set, undo,
};
pub use batch::{BatchAction, BatchOutcome, BatchRequest, Selection, batch, batch_in};
pub use contacts::{
    AddRequest, Added, ContactPatch, EditRequest, Edited, MoveRequest, Moved, NotesRequest,
    NotesSaved, RestoreRequest, Restored, add, add_in, edit, edit_in, move_stage, move_stage_in,
    restore, restore_in, save_notes, save_notes_in,
};
pub use error::{ActionError, Candidate, Verb};
pub use read::{insights, resolve_contact};
pub use resolve::ContactRef;
pub use touches::{
    CancelRequest, Cancelled, Completes, LogRequest, Logged, PlanRequest, Planned,
    RescheduleRequest, Rescheduled, SaleRecorded, SaleRequest, SkipRequest, Skipped, SnoozeRequest,
    Snoozed, cancel, cancel_in, log, log_date, log_in, plan, plan_in, reschedule, reschedule_in,
    sale, sale_in, skip, snooze,
};

use crate::model::{Category, Contact, ContactId, Profile, Settings};
use crate::planner::{self, Entry, Facts, NextDue, close};
use crate::store::Writer;
use chrono::{Days, NaiveDate};

pub type Result<T> = std::result::Result<T, ActionError>;

/// Who an outcome is about: id, name and "Name (Company)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub id: ContactId,
    pub name: String,
    pub label: String,
}

impl Who {
    fn of(c: &Contact) -> Who {
        Who {
            id: c.id,
            name: c.name.clone(),
            label: c.label(),
        }
    }
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "c{} {}", self.id, self.label)
    }
}

/// One contact as an action sees it inside its transaction: the record, what the planner reads
/// of it, its category and the diary's settings.
pub(crate) struct Subject {
    pub contact: Contact,
    pub profile: Profile,
    pub facts: Facts,
    pub category: Option<Category>,
    pub settings: Settings,
}

impl Subject {
    /// Resolve and read the contact inside the transaction.
    pub fn load(w: &Writer<'_>, who: &ContactRef) -> Result<Subject> {
        let id = match who {
            ContactRef::Id(id) => *id,
            ContactRef::Query(q) => {
                let roster = w.roster()?;
                resolve::contact(roster.rows.iter().map(|(p, _)| p), q)?
            }
        };
        let contact = w.contact(id)?.ok_or(ActionError::NoSuchContact(id.0))?;
        let facts = w.facts(id)?;
        let category = contact
            .category
            .map(|k| w.category(k))
            .transpose()?
            .flatten();
        Ok(Subject {
            profile: contact.profile(),
            contact,
            facts,
            category,
            settings: w.settings()?,
        })
    }

    /// Re-read the record and the facts after this action's own writes.
    pub fn reload(&mut self, w: &Writer<'_>) -> Result<()> {
        if let Some(c) = w.contact(self.contact.id)? {
            self.profile = c.profile();
            self.contact = c;
        }
        self.facts = w.facts(self.contact.id)?;
        Ok(())
    }

    pub fn entry(&self) -> Entry<'_> {
        Entry {
            contact: &self.profile,
            facts: &self.facts,
            category: self.category.as_ref(),
        }
    }

    pub fn due(&self, today: NaiveDate) -> Option<NextDue> {
        planner::next_due(self.entry(), &self.settings, today)
    }

    pub fn who(&self) -> Who {
        Who::of(&self.contact)
    }

    /// Refuse an archived contact.
    pub fn kept(&self) -> Result<()> {
        if self.contact.stage.is_kept() {
            Ok(())
        } else {
            Err(ActionError::Archived(self.contact.id))
        }
    }
}

/// Run `action` in one write transaction (undo label `label`) and commit it, unless `rehearsal`
/// says its outcome is only to be shown (a dry run, or nothing to write): then the transaction
/// ends without a commit and the outcome is returned all the same.
pub(crate) fn commit_unless<T>(
    store: &crate::store::Store,
    label: &str,
    action: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    rehearsal: impl FnOnce(&T) -> bool,
) -> Result<T> {
    /// Why the transaction ends without a commit.
    enum Stop<T> {
        Refused(ActionError),
        Rehearsed(Box<T>),
    }
    impl<T> From<crate::store::StoreError> for Stop<T> {
        fn from(e: crate::store::StoreError) -> Self {
            Stop::Refused(ActionError::Store(e))
        }
    }
    let run = store.transact(label, |w| {
        let out = action(w).map_err(Stop::Refused)?;
        if rehearsal(&out) {
            Err(Stop::Rehearsed(Box::new(out)))
        } else {
            Ok(out)
        }
    });
    match run {
        Ok(out) => Ok(out),
        Err(Stop::Rehearsed(out)) => Ok(*out),
        Err(Stop::Refused(e)) => Err(e),
    }
}

/// `who` as an id, resolved in a read transaction before an action opens its write: a name that
/// matches nobody, or several, is refused without the file ever being opened for writing. (Ids
/// are never reused, so the id stays right; the action reads the contact again in its write.)
pub(crate) fn resolved(store: &crate::store::Store, who: &ContactRef) -> Result<ContactRef> {
    match who {
        ContactRef::Id(id) => Ok(ContactRef::Id(*id)),
        ContactRef::Query(q) => {
            let roster = store.roster()?;
            resolve::contact(roster.rows.iter().map(|(p, _)| p), q).map(ContactRef::Id)
        }
    }
}

/// The lightest allowed day near `wanted` for this contact (the planner's levelling over the
/// planned load read in the transaction).
pub(crate) fn level(
    w: &Writer<'_>,
    subject: &Subject,
    wanted: NaiveDate,
    today: NaiveDate,
    except: Option<crate::model::TouchId>,
) -> Result<NaiveDate> {
    let s = &subject.settings;
    let from = wanted.min(today);
    let to = wanted
        .checked_add_days(Days::new(u64::from(s.levelling_window_days) + 31))
        .unwrap_or(NaiveDate::MAX);
    let load = w.planned_load(from, to)?;
    Ok(planner::pick_day(
        &load,
        &subject.facts,
        s,
        wanted,
        today,
        except,
    ))
}

/// Clear the contact's item from this week's triage when it was one (due by Sunday before the
/// action): what the week's "N of M cleared" counts, whichever run of the diary acted.
pub(crate) fn clear_from_triage(
    w: &mut Writer<'_>,
    before: Option<&NextDue>,
    id: ContactId,
    today: NaiveDate,
) -> Result<()> {
    if let Some(due) = before
        && close::in_week(due.date, today)
    {
        w.mark_cleared(close::week_start(today), id, today)?;
    }
    Ok(())
}

/// Any action, as the `:` line and scripts build it.
#[derive(Debug, Clone)]
pub enum Request {
    Log(LogRequest),
    Plan(PlanRequest),
    Snooze(SnoozeRequest),
    Skip(SkipRequest),
    Reschedule(RescheduleRequest),
    Cancel(CancelRequest),
    Sale(SaleRequest),
    Add(AddRequest),
    Edit(EditRequest),
    Move(MoveRequest),
    Restore(RestoreRequest),
    Notes(NotesRequest),
    CategoryAdd(CategoryAdd),
    CategoryEdit(CategoryEdit),
    Setting {
        key: String,
        value: String,
    },
    /// A log, plan or snooze for many contacts at once (one undo).
    Batch(BatchRequest),
}

/// What any action did.
#[derive(Debug, Clone)]
pub enum Outcome {
    Logged(Logged),
    Planned(Planned),
    Snoozed(Snoozed),
    Skipped(Skipped),
    Rescheduled(Rescheduled),
    Cancelled(Cancelled),
    Sale(SaleRecorded),
    Added(Added),
    Edited(Edited),
    Moved(Moved),
    Restored(Restored),
    Notes(NotesSaved),
    Category(CategoryChanged),
    Setting(SettingChanged),
    Batch(BatchOutcome),
}

/// Run one action.
pub fn run(store: &crate::store::Store, req: &Request, today: NaiveDate) -> Result<Outcome> {
    Ok(match req {
        Request::Log(r) => Outcome::Logged(log(store, r, today)?),
        Request::Plan(r) => Outcome::Planned(plan(store, r, today)?),
        Request::Snooze(r) => Outcome::Snoozed(snooze(store, r, today)?),
        Request::Skip(r) => Outcome::Skipped(skip(store, r, today)?),
        Request::Reschedule(r) => Outcome::Rescheduled(reschedule(store, r, today)?),
        Request::Cancel(r) => Outcome::Cancelled(cancel(store, r, today)?),
        Request::Sale(r) => Outcome::Sale(sale(store, r, today)?),
        Request::Add(r) => Outcome::Added(add(store, r, today)?),
        Request::Edit(r) => Outcome::Edited(edit(store, r, today)?),
        Request::Move(r) => Outcome::Moved(move_stage(store, r, today)?),
        Request::Restore(r) => Outcome::Restored(restore(store, r, today)?),
        Request::Notes(r) => Outcome::Notes(save_notes(store, r, today)?),
        Request::CategoryAdd(r) => Outcome::Category(category_add(store, r)?),
        Request::CategoryEdit(r) => Outcome::Category(category_edit(store, r)?),
        Request::Setting { key, value } => Outcome::Setting(setting_set(store, key, value)?),
        Request::Batch(r) => Outcome::Batch(batch(store, r, today)?),
    })
}

impl Outcome {
    /// One line for the user: what was done, and the contact's next touch where that matters.
    pub fn message(&self, today: NaiveDate) -> String {
        match self {
            Outcome::Logged(o) => o.message(today),
            Outcome::Planned(o) => o.message(today),
            Outcome::Snoozed(o) => o.message(today),
            Outcome::Skipped(o) => o.message(today),
            Outcome::Rescheduled(o) => o.message(today),
            Outcome::Cancelled(o) => o.message(today),
            Outcome::Sale(o) => o.message(today),
            Outcome::Added(o) => o.message(today),
            Outcome::Edited(o) => o.message(today),
            Outcome::Moved(o) => o.message(today),
            Outcome::Restored(o) => o.message(today),
            Outcome::Notes(o) => o.message(today),
            Outcome::Category(o) => o.message(today),
            Outcome::Setting(o) => o.message(today),
            Outcome::Batch(o) => o.message(today),
        }
    }

    /// A warning to show beside the message (the guard conflict of a touch that happened).
    pub fn warning(&self) -> Option<String> {
        match self {
            Outcome::Logged(o) => o.warning(),
            _ => None,
        }
    }

    /// A hint of what to do next (a sale to a prospect: move it to customer).
    pub fn hint(&self) -> Option<String> {
        match self {
            Outcome::Sale(o) => o.hint(),
            _ => None,
        }
    }

    /// The contact the action was about.
    pub fn contact(&self) -> Option<ContactId> {
        Some(match self {
            Outcome::Logged(o) => o.who.id,
            Outcome::Planned(o) => o.who.id,
            Outcome::Snoozed(o) => o.who.id,
            Outcome::Skipped(o) => o.who.id,
            Outcome::Rescheduled(o) => o.who.id,
            Outcome::Cancelled(o) => o.who.id,
            Outcome::Sale(o) => o.who.id,
            Outcome::Added(o) => o.contact.id,
            Outcome::Edited(o) => o.contact.id,
            Outcome::Moved(o) => o.who.id,
            Outcome::Restored(o) => o.who.id,
            Outcome::Notes(o) => o.who.id,
            Outcome::Category(_) | Outcome::Setting(_) | Outcome::Batch(_) => return None,
        })
    }
}
