//! Verbs that record or plan contact moments: log, plan, snooze, skip, reschedule, cancel, sale.
//! Each parses its arguments into an action request ([`crate::actions`]); the TUI's `:` line
//! builds the same requests from the same arguments.

use super::context::Context;
use crate::actions::{
    ActionError, CancelRequest, Completes, ContactRef, LogRequest, PlanRequest, Request,
    RescheduleRequest, SaleRequest, SkipRequest, SnoozeRequest,
};
use crate::dates::parse_date;
use crate::model::{Channel, Direction, TouchId, validate};
use chrono::NaiveDate;
use clap::Args;

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// How: call, email, meeting, letter, postcard, newsletter, mass-mailing, sample,
    /// handwritten-note, birthday-card, gift, other.
    #[arg(long, short, default_value = "call")]
    pub channel: String,
    /// When it happened (default today; never in the future; e.g. yesterday, -2w, 2026-11-02).
    #[arg(long, short, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// They reached out to us (inbound).
    #[arg(long = "in")]
    pub inbound: bool,
    /// What value was sent or said.
    #[arg(long, short, default_value = "")]
    pub summary: String,
    /// Keep the planned touches this one would complete (by default a log completes the planned
    /// touch it fulfils early or late).
    #[arg(long)]
    pub keep_planned: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// The day (default: the planner picks the lightest allowed day near the next due date).
    pub date: Option<String>,
    /// Channel (default: the planner's suggestion).
    #[arg(long, short)]
    pub channel: Option<String>,
    /// What to send or say.
    #[arg(long, short, default_value = "")]
    pub summary: String,
    /// Plan it even inside the annoyance guard.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// Until when (e.g. +1w, mon, 2027-01-15).
    pub until: String,
    /// Use exactly this day instead of the lightest day near it.
    #[arg(long)]
    pub exact: bool,
    /// Why.
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct SkipArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// The planned touch to skip (t42; default: the one the contact is due on).
    #[arg(long, value_name = "TOUCH")]
    pub touch: Option<String>,
}

#[derive(Debug, Args)]
pub struct RescheduleArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// The new day (e.g. fri, +1w, 2027-01-15).
    pub date: String,
    /// The planned touch to move (t42; default: the one the contact is due on).
    #[arg(long, value_name = "TOUCH")]
    pub touch: Option<String>,
    /// Move it even inside the annoyance guard.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// The planned touch to call off (t42; default: the one the contact is due on).
    #[arg(long, value_name = "TOUCH")]
    pub touch: Option<String>,
}

#[derive(Debug, Args)]
pub struct SaleArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// Amount, e.g. 1250 or 99.90 (positive).
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// Date of the sale (default today; never in the future).
    #[arg(long, short, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// ISO currency code (default: the settings' currency).
    #[arg(long)]
    pub currency: Option<String>,
    /// A note on the sale (what was bought).
    #[arg(long, default_value = "")]
    pub note: String,
}

/// A date as typed, relative to today.
pub(crate) fn date(s: &str, today: NaiveDate) -> Result<NaiveDate, ActionError> {
    parse_date(s, today).map_err(|e| ActionError::BadValue(e.to_string()))
}

fn date_or_today(s: Option<&str>, today: NaiveDate) -> Result<NaiveDate, ActionError> {
    s.map_or(Ok(today), |s| date(s, today))
}

pub(crate) fn channel(s: &str) -> Result<Channel, ActionError> {
    s.parse::<Channel>()
        .map_err(|e| ActionError::BadValue(e.to_string()))
}

/// `t42` or `42` as a touch id.
fn touch_id(s: Option<&str>) -> Result<Option<TouchId>, ActionError> {
    s.map(|s| {
        let digits = s.trim().strip_prefix(['t', 'T']).unwrap_or(s.trim());
        digits.parse::<u64>().map(TouchId).map_err(|_| {
            ActionError::BadValue(format!(
                "'{s}' is not a touch id: write t42 (`tickler show` lists them)"
            ))
        })
    })
    .transpose()
}

impl LogArgs {
    pub fn request(&self, today: NaiveDate) -> Result<Request, ActionError> {
        Ok(Request::Log(LogRequest {
            contact: ContactRef::from(self.contact.as_str()),
            channel: Some(channel(&self.channel)?),
            date: date_or_today(self.date.as_deref(), today)?,
            direction: if self.inbound {
                Direction::In
            } else {
                Direction::Out
            },
            summary: self.summary.clone(),
            completes: if self.keep_planned {
                Completes::Nothing
            } else {
                Completes::Fulfilled
            },
        }))
    }
}

impl PlanArgs {
    pub fn request(&self, today: NaiveDate) -> Result<Request, ActionError> {
        Ok(Request::Plan(PlanRequest {
            contact: ContactRef::from(self.contact.as_str()),
            date: self.date.as_deref().map(|d| date(d, today)).transpose()?,
            channel: self.channel.as_deref().map(channel).transpose()?,
            summary: self.summary.clone(),
            force: self.force,
        }))
    }
}

impl SnoozeArgs {
    pub fn request(&self, today: NaiveDate) -> Result<Request, ActionError> {
        Ok(Request::Snooze(SnoozeRequest {
            contact: ContactRef::from(self.contact.as_str()),
            until: date(&self.until, today)?,
            exact: self.exact,
            note: self.note.clone(),
        }))
    }
}

impl SkipArgs {
    pub fn request(&self) -> Result<Request, ActionError> {
        Ok(Request::Skip(SkipRequest {
            contact: ContactRef::from(self.contact.as_str()),
            touch: touch_id(self.touch.as_deref())?,
        }))
    }
}

impl RescheduleArgs {
    pub fn request(&self, today: NaiveDate) -> Result<Request, ActionError> {
        Ok(Request::Reschedule(RescheduleRequest {
            contact: ContactRef::from(self.contact.as_str()),
            touch: touch_id(self.touch.as_deref())?,
            date: date(&self.date, today)?,
            force: self.force,
        }))
    }
}

impl CancelArgs {
    pub fn request(&self) -> Result<Request, ActionError> {
        Ok(Request::Cancel(CancelRequest {
            contact: ContactRef::from(self.contact.as_str()),
            touch: touch_id(self.touch.as_deref())?,
        }))
    }
}

impl SaleArgs {
    pub fn request(&self, today: NaiveDate) -> Result<Request, ActionError> {
        Ok(Request::Sale(SaleRequest {
            contact: ContactRef::from(self.contact.as_str()),
            amount_cents: validate::amount_cents(&self.amount)?,
            date: date_or_today(self.date.as_deref(), today)?,
            currency: self.currency.clone(),
            note: self.note.clone(),
        }))
    }
}

/// Run an action and print what it did (a warning, such as the guard's, on stderr).
pub(crate) fn perform(ctx: &Context, req: Request) -> anyhow::Result<crate::actions::Outcome> {
    let out = crate::actions::run(&ctx.store, &req, ctx.today)?;
    if let Some(note) = out.warning() {
        eprintln!("note: {note}");
    }
    println!("{}", out.message(ctx.today));
    if let Some(hint) = out.hint() {
        println!("hint: {hint}");
    }
    Ok(out)
}
