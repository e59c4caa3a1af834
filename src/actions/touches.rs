//! Actions on touches: log (and the triage's done), plan, snooze, skip, reschedule, cancel, and
//! the sale that LYBUNT is measured by.

use super::error::Verb;
use super::{ActionError, ContactRef, Result, Subject, Who, clear_from_triage, level};
use crate::model::{Channel, Direction, Sale, Snooze, Stage, Touch, TouchId, TouchState, validate};
use crate::planner::{self, GuardConflict, NextDue, close};
use crate::store::{Store, Writer};
use crate::text::{money, next_phrase, when};
use chrono::NaiveDate;

/// Which planned touches a log completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completes {
    /// `tickler log`: the planned touches it fulfils early or late ([`close::fulfilled`]).
    Fulfilled,
    /// Done on a triage item: exactly that item's planned touch (`None`: the item was a
    /// proposal, nothing planned to complete).
    Item(Option<TouchId>),
    /// `--keep-planned`: none.
    Nothing,
}

/// A touch that happened, as the user reports it.
#[derive(Debug, Clone)]
pub struct LogRequest {
    pub contact: ContactRef,
    /// `None`: the completed item's channel, else the channel the contact is due on.
    pub channel: Option<Channel>,
    pub date: NaiveDate,
    pub direction: Direction,
    pub summary: String,
    pub completes: Completes,
}

/// What a log did.
#[derive(Debug, Clone)]
pub struct Logged {
    pub who: Who,
    pub touch: Touch,
    /// The planned touch that became this one, if any.
    pub completed: Option<TouchId>,
    /// Other planned touches the log fulfilled, called off.
    pub cancelled: Vec<Touch>,
    /// The outbound touch falls inside the annoyance guard (it happened: recorded anyway).
    pub guard: Option<GuardConflict>,
    /// The next touch planned so the contact is not left adrift.
    pub planned_next: Option<Touch>,
    pub next: Option<NextDue>,
}

impl Logged {
    pub fn message(&self, today: NaiveDate) -> String {
        let mut m = format!(
            "Logged {} with {} (t{})",
            self.touch.channel, self.who, self.touch.id
        );
        if let Some(id) = self.completed {
            m.push_str(&format!(", completing planned t{id}"));
        }
        if !self.cancelled.is_empty() {
            let ids: Vec<String> = self
                .cancelled
                .iter()
                .map(|t| format!("t{}", t.id))
                .collect();
            m.push_str(&format!("; fulfilled and called off {}", ids.join(", ")));
        }
        match &self.planned_next {
            Some(t) => m.push_str(&format!(
                "; next: {} {} planned (t{})",
                when(t.date, today),
                t.channel,
                t.id
            )),
            None => m.push_str(&format!("; {}", next_phrase(self.next.as_ref(), today))),
        }
        m
    }

    /// The guard warning, worded for a note beside the message.
    pub fn warning(&self) -> Option<String> {
        self.guard
            .as_ref()
            .map(|g| format!("c{} {}: {g}", self.who.id, self.who.name))
    }
}

/// A touch is logged on a day that has happened: never after today. (Front ends that ask for
/// the date first call this to refuse it at once.)
pub fn log_date(date: NaiveDate, today: NaiveDate) -> Result<()> {
    if date > today {
        return Err(ActionError::InFuture {
            date,
            verb: Verb::Log,
        });
    }
    Ok(())
}

/// Record a touch that happened (see [`Completes`]); a snooze ends; a kept contact left with
/// nothing planned gets the planner's proposal planned.
pub fn log(store: &Store, req: &LogRequest, today: NaiveDate) -> Result<Logged> {
    let req = &LogRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("log", |w| log_in(w, req, today))
}

/// [`log`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn log_in(w: &mut Writer<'_>, req: &LogRequest, today: NaiveDate) -> Result<Logged> {
    log_guarded_in(w, req, today, false)
}

/// [`log_in`], refusing (before writing anything) an outbound touch inside the annoyance guard
/// when `refuse_guard`: a campaign skips those contacts instead of recording a touch that was
/// not sent yet.
pub(crate) fn log_guarded_in(
    w: &mut Writer<'_>,
    req: &LogRequest,
    today: NaiveDate,
    refuse_guard: bool,
) -> Result<Logged> {
    log_date(req.date, today)?;
    let summary = validate::text("summary", &req.summary, validate::MAX_SUMMARY_BYTES)?;
    let mut s = Subject::load(w, &req.contact)?;
    let before = s.due(today);
    let (targets, channel) = log_targets(&s, req, before.as_ref())?;
    w.set_label(format!(
        "log {channel} with c{} {}",
        s.contact.id, s.contact.name
    ));
    let guard = (req.direction == Direction::Out)
        .then(|| planner::check_guard(&s.facts, &s.settings, req.date, targets.first().copied()))
        .and_then(std::result::Result::err);
    if refuse_guard && let Some(conflict) = guard {
        return Err(ActionError::Guard {
            id: s.contact.id,
            name: s.contact.name.clone(),
            conflict,
            verb: "logged",
        });
    }
    let touch = Touch {
        id: match targets.first() {
            Some(&id) => id,
            None => w.new_touch_id()?,
        },
        contact: s.contact.id,
        date: req.date,
        channel,
        direction: req.direction,
        summary: summary.clone(),
        state: TouchState::Done,
    };
    let touch = keep_planned_summary(w, touch)?;
    w.put_touch(&touch)?;
    let cancelled = call_off(w, targets.iter().skip(1).copied())?;
    if s.contact.snooze.is_some() {
        let mut c = s.contact.clone();
        c.snooze = None;
        c.updated = today;
        w.put_contact(&c)?;
    }
    clear_from_triage(w, before.as_ref(), s.contact.id, today)?;
    s.reload(w)?;
    let planned_next = confirm_next(w, &mut s, today)?;
    Ok(Logged {
        who: s.who(),
        completed: targets.first().copied(),
        touch,
        cancelled,
        guard,
        planned_next,
        next: s.due(today),
    })
}

/// The planned touches a log completes (the first becomes the logged touch) and its channel.
fn log_targets(
    s: &Subject,
    req: &LogRequest,
    due: Option<&NextDue>,
) -> Result<(Vec<TouchId>, Channel)> {
    let fallback = due.map_or(Channel::Call, |d| d.channel);
    match req.completes {
        Completes::Nothing => Ok((Vec::new(), req.channel.unwrap_or(fallback))),
        Completes::Item(None) => Ok((Vec::new(), req.channel.unwrap_or(fallback))),
        Completes::Item(Some(id)) => {
            let p = s.facts.planned.iter().find(|p| p.id == id).ok_or(
                ActionError::NotPlannedTouch {
                    id: s.contact.id,
                    touch: id.0,
                },
            )?;
            Ok((vec![id], req.channel.unwrap_or(p.channel)))
        }
        Completes::Fulfilled => {
            let channel = req.channel.unwrap_or(fallback);
            let ids = close::fulfilled(&s.facts, &s.settings, req.date, channel);
            Ok((ids, channel))
        }
    }
}

/// A completed planned touch keeps what it said it would send when the log says nothing.
fn keep_planned_summary(w: &Writer<'_>, mut touch: Touch) -> Result<Touch> {
    if touch.summary.is_empty()
        && let Some(old) = w.touch(touch.id)?
    {
        touch.summary = old.summary;
    }
    Ok(touch)
}

/// Call off planned touches (state cancelled); returns them as they are now.
pub(crate) fn call_off(
    w: &mut Writer<'_>,
    ids: impl Iterator<Item = TouchId>,
) -> Result<Vec<Touch>> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(mut t) = w.touch(id)?
            && t.state == TouchState::Planned
        {
            t.state = TouchState::Cancelled;
            w.put_touch(&t)?;
            out.push(t);
        }
    }
    Ok(out)
}

/// Plan the planner's proposal (levelled) when the contact is kept and has nothing planned: the
/// confirmed next touch every done leaves behind.
pub(crate) fn confirm_next(
    w: &mut Writer<'_>,
    s: &mut Subject,
    today: NaiveDate,
) -> Result<Option<Touch>> {
    let Some((wanted, channel)) = close::to_confirm(s.entry(), &s.settings, today) else {
        return Ok(None);
    };
    let date = level(w, s, wanted, today, None)?;
    let t = new_planned(w, s, date, channel, String::new())?;
    s.reload(w)?;
    Ok(Some(t))
}

fn new_planned(
    w: &mut Writer<'_>,
    s: &Subject,
    date: NaiveDate,
    channel: Channel,
    summary: String,
) -> Result<Touch> {
    let t = Touch {
        id: w.new_touch_id()?,
        contact: s.contact.id,
        date,
        channel,
        direction: Direction::Out,
        summary,
        state: TouchState::Planned,
    };
    w.put_touch(&t)?;
    Ok(t)
}

/// Plan an outbound touch.
#[derive(Debug, Clone)]
pub struct PlanRequest {
    pub contact: ContactRef,
    /// `None`: the lightest allowed day near the contact's next due.
    pub date: Option<NaiveDate>,
    /// `None`: the planner's suggestion.
    pub channel: Option<Channel>,
    pub summary: String,
    /// Plan it even inside the annoyance guard.
    pub force: bool,
}

#[derive(Debug, Clone)]
pub struct Planned {
    pub who: Who,
    pub touch: Touch,
    /// The day was picked by levelling (no date given).
    pub picked: bool,
    pub next: Option<NextDue>,
}

impl Planned {
    pub fn message(&self, today: NaiveDate) -> String {
        format!(
            "Planned {} with {} on {}{} (t{})",
            self.touch.channel,
            self.who,
            when(self.touch.date, today),
            if self.picked {
                ", the lightest allowed day"
            } else {
                ""
            },
            self.touch.id
        )
    }
}

pub fn plan(store: &Store, req: &PlanRequest, today: NaiveDate) -> Result<Planned> {
    let req = &PlanRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("plan", |w| plan_in(w, req, today))
}

/// [`plan`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn plan_in(w: &mut Writer<'_>, req: &PlanRequest, today: NaiveDate) -> Result<Planned> {
    let summary = validate::text("summary", &req.summary, validate::MAX_SUMMARY_BYTES)?;
    if let Some(d) = req.date
        && d < today
    {
        return Err(ActionError::InPast {
            date: d,
            verb: Verb::Plan,
        });
    }
    let mut s = Subject::load(w, &req.contact)?;
    s.kept()?;
    let before = s.due(today);
    let channel = req
        .channel
        .unwrap_or_else(|| planner::suggest_channel(&s.facts, s.category.as_ref()));
    let date = match req.date {
        Some(d) => {
            guard_or_refuse(&s, d, None, req.force, "planned")?;
            d
        }
        None => {
            let wanted = before.as_ref().map_or(today, |d| d.date.max(today));
            level(w, &s, wanted, today, None)?
        }
    };
    w.set_label(format!(
        "plan {channel} with c{} {} on {date}",
        s.contact.id, s.contact.name
    ));
    let touch = new_planned(w, &s, date, channel, summary.clone())?;
    clear_from_triage(w, before.as_ref(), s.contact.id, today)?;
    s.reload(w)?;
    Ok(Planned {
        who: s.who(),
        touch,
        picked: req.date.is_none(),
        next: s.due(today),
    })
}

/// The annoyance guard's refusal of an outbound touch on `date`, unless forced.
fn guard_or_refuse(
    s: &Subject,
    date: NaiveDate,
    except: Option<TouchId>,
    force: bool,
    verb: &'static str,
) -> Result<()> {
    if force {
        return Ok(());
    }
    planner::check_guard(&s.facts, &s.settings, date, except).map_err(|conflict| {
        ActionError::Guard {
            id: s.contact.id,
            name: s.contact.name.clone(),
            conflict,
            verb,
        }
    })
}

/// Snooze a contact until a day; planned touches due earlier move to that day.
#[derive(Debug, Clone)]
pub struct SnoozeRequest {
    pub contact: ContactRef,
    pub until: NaiveDate,
    /// Exactly this day instead of the lightest allowed day near it.
    pub exact: bool,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Snoozed {
    pub who: Who,
    pub until: NaiveDate,
    pub wanted: NaiveDate,
    pub moved: usize,
    pub next: Option<NextDue>,
}

impl Snoozed {
    pub fn message(&self, _today: NaiveDate) -> String {
        let near = if self.until == self.wanted {
            String::new()
        } else {
            format!(" (the lightest allowed day near {})", self.wanted)
        };
        let moved = if self.moved > 0 {
            format!("; {} planned touch(es) moved there", self.moved)
        } else {
            String::new()
        };
        format!("Snoozed {} until {}{near}{moved}", self.who, self.until)
    }
}

pub fn snooze(store: &Store, req: &SnoozeRequest, today: NaiveDate) -> Result<Snoozed> {
    let req = &SnoozeRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("snooze", |w| snooze_in(w, req, today))
}

/// [`snooze`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn snooze_in(w: &mut Writer<'_>, req: &SnoozeRequest, today: NaiveDate) -> Result<Snoozed> {
    if req.until <= today {
        return Err(ActionError::NotAfterToday(req.until));
    }
    let note = validate::text("note", &req.note, validate::MAX_SUMMARY_BYTES)?;
    let mut s = Subject::load(w, &req.contact)?;
    s.kept()?;
    let before = s.due(today);
    let until = if req.exact {
        req.until
    } else {
        level(w, &s, req.until, today, None)?
    };
    w.set_label(format!(
        "snooze c{} {} until {until}",
        s.contact.id, s.contact.name
    ));
    let mut c = s.contact.clone();
    c.snooze = Some(Snooze {
        until,
        since: today,
        note: note.clone(),
    });
    c.updated = today;
    w.put_contact(&c)?;
    let mut moved = 0;
    for p in s.facts.planned.iter().filter(|p| p.date < until) {
        if let Some(mut t) = w.touch(p.id)? {
            t.date = until;
            w.put_touch(&t)?;
            moved += 1;
        }
    }
    clear_from_triage(w, before.as_ref(), s.contact.id, today)?;
    s.reload(w)?;
    Ok(Snoozed {
        who: s.who(),
        until,
        wanted: req.until,
        moved,
        next: s.due(today),
    })
}

/// Skip a due item: its planned touch becomes skipped (a skip is recorded today when the item
/// was a proposal) and, with nothing else planned, the next touch is planned one cadence on.
#[derive(Debug, Clone)]
pub struct SkipRequest {
    pub contact: ContactRef,
    /// The item's planned touch; `None`: whatever the contact is due on.
    pub touch: Option<TouchId>,
}

#[derive(Debug, Clone)]
pub struct Skipped {
    pub who: Who,
    pub skipped: Touch,
    pub planned_next: Option<Touch>,
    pub next: Option<NextDue>,
}

impl Skipped {
    pub fn message(&self, today: NaiveDate) -> String {
        let next = match &self.planned_next {
            Some(t) => format!("next: {} {} planned", when(t.date, today), t.channel),
            None => next_phrase(self.next.as_ref(), today),
        };
        format!("Skipped {} for {}; {next}", self.skipped.channel, self.who)
    }
}

pub fn skip(store: &Store, req: &SkipRequest, today: NaiveDate) -> Result<Skipped> {
    let req = &SkipRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("skip", |w| skip_in(w, req, today))
}

/// [`skip`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn skip_in(w: &mut Writer<'_>, req: &SkipRequest, today: NaiveDate) -> Result<Skipped> {
    let mut s = Subject::load(w, &req.contact)?;
    s.kept()?;
    w.set_label(format!("skip c{} {}", s.contact.id, s.contact.name));
    let before = s.due(today);
    let item = req.touch.or(before.as_ref().and_then(|d| d.touch));
    let skipped = match item {
        Some(id) => {
            let mut t = planned_touch(w, &s, id)?;
            t.state = TouchState::Skipped;
            t
        }
        None => Touch {
            id: w.new_touch_id()?,
            contact: s.contact.id,
            date: today,
            channel: before.as_ref().map_or(Channel::Call, |d| d.channel),
            direction: Direction::Out,
            summary: "skipped".to_string(),
            state: TouchState::Skipped,
        },
    };
    w.put_touch(&skipped)?;
    clear_from_triage(w, before.as_ref(), s.contact.id, today)?;
    s.reload(w)?;
    let planned_next = if s.facts.planned.is_empty() {
        let cadence = planner::effective_cadence(&s.profile, s.category.as_ref(), &s.settings);
        let day = level(w, &s, cadence.after(today), today, None)?;
        let channel = planner::suggest_channel(&s.facts, s.category.as_ref());
        let t = new_planned(w, &s, day, channel, String::new())?;
        s.reload(w)?;
        Some(t)
    } else {
        None
    };
    Ok(Skipped {
        who: s.who(),
        skipped,
        planned_next,
        next: s.due(today),
    })
}

/// A planned touch of this contact, or why not.
fn planned_touch(w: &Writer<'_>, s: &Subject, id: TouchId) -> Result<Touch> {
    w.touch(id)?
        .filter(|t| t.contact == s.contact.id && t.state == TouchState::Planned)
        .ok_or(ActionError::NotPlannedTouch {
            id: s.contact.id,
            touch: id.0,
        })
}

/// Move a planned touch to another day (planning one there when none is planned).
#[derive(Debug, Clone)]
pub struct RescheduleRequest {
    pub contact: ContactRef,
    /// `None`: the touch the contact is due on, else its first planned one.
    pub touch: Option<TouchId>,
    pub date: NaiveDate,
    pub force: bool,
}

#[derive(Debug, Clone)]
pub struct Rescheduled {
    pub who: Who,
    pub touch: Touch,
    /// The day it had; `None` when it was newly planned.
    pub from: Option<NaiveDate>,
    pub next: Option<NextDue>,
}

impl Rescheduled {
    pub fn message(&self, today: NaiveDate) -> String {
        match self.from {
            Some(_) => format!(
                "Rescheduled {} with {} to {} (t{})",
                self.touch.channel,
                self.who,
                when(self.touch.date, today),
                self.touch.id
            ),
            None => format!(
                "Planned {} with {} on {} (t{}): nothing was planned to move",
                self.touch.channel,
                self.who,
                when(self.touch.date, today),
                self.touch.id
            ),
        }
    }
}

pub fn reschedule(store: &Store, req: &RescheduleRequest, today: NaiveDate) -> Result<Rescheduled> {
    let req = &RescheduleRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("reschedule", |w| reschedule_in(w, req, today))
}

/// [`reschedule`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn reschedule_in(
    w: &mut Writer<'_>,
    req: &RescheduleRequest,
    today: NaiveDate,
) -> Result<Rescheduled> {
    if req.date < today {
        return Err(ActionError::InPast {
            date: req.date,
            verb: Verb::Reschedule,
        });
    }
    let mut s = Subject::load(w, &req.contact)?;
    s.kept()?;
    let before = s.due(today);
    let id = req.touch.or(before.as_ref().and_then(|d| d.touch)).or(s
        .facts
        .planned
        .first()
        .map(|p| p.id));
    w.set_label(format!(
        "reschedule c{} {} to {}",
        s.contact.id, s.contact.name, req.date
    ));
    guard_or_refuse(&s, req.date, id, req.force, "rescheduled")?;
    let (touch, from) = match id {
        Some(id) => {
            let mut t = planned_touch(w, &s, id)?;
            let from = t.date;
            t.date = req.date;
            w.put_touch(&t)?;
            (t, Some(from))
        }
        None => {
            let channel = planner::suggest_channel(&s.facts, s.category.as_ref());
            (new_planned(w, &s, req.date, channel, String::new())?, None)
        }
    };
    clear_from_triage(w, before.as_ref(), s.contact.id, today)?;
    s.reload(w)?;
    Ok(Rescheduled {
        who: s.who(),
        touch,
        from,
        next: s.due(today),
    })
}

/// Call off a planned touch (kept in the history as cancelled).
#[derive(Debug, Clone)]
pub struct CancelRequest {
    pub contact: ContactRef,
    /// `None`: the touch the contact is due on, else its first planned one.
    pub touch: Option<TouchId>,
}

#[derive(Debug, Clone)]
pub struct Cancelled {
    pub who: Who,
    pub touch: Touch,
    pub next: Option<NextDue>,
}

impl Cancelled {
    pub fn message(&self, today: NaiveDate) -> String {
        format!(
            "Cancelled the {} with {} planned for {} (t{}); {}",
            self.touch.channel,
            self.who,
            when(self.touch.date, today),
            self.touch.id,
            next_phrase(self.next.as_ref(), today)
        )
    }
}

pub fn cancel(store: &Store, req: &CancelRequest, today: NaiveDate) -> Result<Cancelled> {
    let req = &CancelRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("cancel", |w| cancel_in(w, req, today))
}

/// [`cancel`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn cancel_in(w: &mut Writer<'_>, req: &CancelRequest, today: NaiveDate) -> Result<Cancelled> {
    let mut s = Subject::load(w, &req.contact)?;
    let before = s.due(today);
    let id = req
        .touch
        .or(before.as_ref().and_then(|d| d.touch))
        .or(s.facts.planned.first().map(|p| p.id))
        .ok_or(ActionError::NothingPlanned(s.contact.id))?;
    let mut touch = planned_touch(w, &s, id)?;
    w.set_label(format!(
        "cancel {} with c{} {} on {}",
        touch.channel, s.contact.id, s.contact.name, touch.date
    ));
    touch.state = TouchState::Cancelled;
    w.put_touch(&touch)?;
    clear_from_triage(w, before.as_ref(), s.contact.id, today)?;
    s.reload(w)?;
    Ok(Cancelled {
        who: s.who(),
        touch,
        next: s.due(today),
    })
}

/// Record a sale.
#[derive(Debug, Clone)]
pub struct SaleRequest {
    pub contact: ContactRef,
    pub amount_cents: i64,
    pub date: NaiveDate,
    /// `None`: the settings' default currency.
    pub currency: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct SaleRecorded {
    pub who: Who,
    pub sale: Sale,
    /// The contact's stage when it is still a prospect (a hint to move it to customer).
    pub prospect: Option<Stage>,
}

impl SaleRecorded {
    pub fn message(&self, _today: NaiveDate) -> String {
        format!(
            "Recorded sale s{} of {} {} for {} on {}",
            self.sale.id,
            money(self.sale.amount_cents),
            self.sale.currency,
            self.who,
            self.sale.date
        )
    }

    /// A hint to follow the sale with a stage move.
    pub fn hint(&self) -> Option<String> {
        self.prospect.map(|stage| {
            format!(
                "c{} is still a {stage}: `tickler move c{} customer`",
                self.who.id, self.who.id
            )
        })
    }
}

pub fn sale(store: &Store, req: &SaleRequest, today: NaiveDate) -> Result<SaleRecorded> {
    let req = &SaleRequest {
        contact: super::resolved(store, &req.contact)?,
        ..req.clone()
    };
    store.transact("sale", |w| sale_in(w, req, today))
}

/// [`sale`] inside a caller's write transaction: one action of a batch (many contacts, one
/// undo), or a sync applying what another device did.
pub fn sale_in(w: &mut Writer<'_>, req: &SaleRequest, today: NaiveDate) -> Result<SaleRecorded> {
    if req.date > today {
        return Err(ActionError::InFuture {
            date: req.date,
            verb: Verb::Sale,
        });
    }
    if req.amount_cents <= 0 {
        return Err(ActionError::BadValue(
            "a sale's amount must be more than 0: write a positive number, e.g. 1250 or 99.90"
                .to_string(),
        ));
    }
    let note = validate::text("note", &req.note, validate::MAX_SUMMARY_BYTES)?;
    let s = Subject::load(w, &req.contact)?;
    let currency = validate::currency(
        req.currency
            .as_deref()
            .unwrap_or(&s.settings.default_currency),
    )?;
    w.set_label(format!(
        "sale {} {currency} to c{} {}",
        money(req.amount_cents),
        s.contact.id,
        s.contact.name
    ));
    let sale = Sale {
        id: w.new_sale_id()?,
        contact: s.contact.id,
        date: req.date,
        amount_cents: req.amount_cents,
        currency,
        note: note.clone(),
    };
    w.put_sale(&sale)?;
    Ok(SaleRecorded {
        who: s.who(),
        sale,
        prospect: s.contact.stage.is_prospect().then_some(s.contact.stage),
    })
}
