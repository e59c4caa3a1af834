//! Verbs that record or plan contact moments: log, plan, snooze, skip, reschedule, cancel, sale.
//! Each parses its arguments into an action request ([`crate::actions`]); the TUI's `:` line
//! builds the same requests from the same arguments.

use super::context::Context;
use crate::actions::{
    ActionError, BatchAction, BatchRequest, CancelRequest, Completes, ContactRef, LogRequest,
    PlanRequest, Request, RescheduleRequest, SaleRequest, Selection, SkipRequest, SnoozeRequest,
};
use crate::dates::parse_date;
use crate::model::{Channel, Direction, Stage, TouchId, validate};
use chrono::NaiveDate;
use clap::Args;

/// Whom a log, plan or snooze acts on besides contacts named one by one: every contact matching
/// all the filters given (archived contacts only with `--stage archived`).
#[derive(Debug, Args, Default, Clone)]
pub struct SelectArgs {
    /// Select the contacts of this category (id k3 or name).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Select the contacts with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Select the contacts in this stage (lead, qualified, proposal, customer, stay-in-touch,
    /// archived).
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
}

impl SelectArgs {
    /// Whether a filter is given.
    pub fn any(&self) -> bool {
        self.category.is_some() || self.tag.is_some() || self.stage.is_some()
    }

    /// The selection: these filters, or the contacts named one by one.
    pub fn selection(&self, contacts: &[String]) -> Result<Selection, ActionError> {
        Ok(Selection {
            contacts: contacts
                .iter()
                .map(|c| ContactRef::from(c.as_str()))
                .collect(),
            category: self.category.clone(),
            tag: self.tag.clone(),
            stage: self
                .stage
                .as_deref()
                .map(|s| s.parse::<Stage>().map_err(ActionError::BadValue))
                .transpose()?,
        })
    }
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The contact: id (c12) or part of the name. Several contacts (or a selection) are one
    /// campaign: one action, one undo.
    #[arg(
        id = "contact",
        value_name = "CONTACT",
        required_unless_present_any = ["category", "tag", "stage"]
    )]
    pub contacts: Vec<String>,
    #[command(flatten)]
    pub select: SelectArgs,
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
    /// The piece sent with it (id p3 or part of its title; see `tickler piece`): refused for a
    /// contact who received it already (exit 3), unless --force.
    #[arg(long, value_name = "PIECE")]
    pub piece: Option<String>,
    /// With several contacts: log also for those the annoyance guard would skip; with --piece:
    /// send it again to those who received it.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub outcome: OutcomeArgs,
}

/// How log and plan act on their contacts: for real or as a rehearsal, told as text or JSON.
#[derive(Debug, Args)]
pub struct OutcomeArgs {
    /// Show who would get what; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outcome per contact as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The contact (id c12 or part of the name), then optionally the day (default: the planner
    /// picks the lightest allowed day near the next due date). Several contacts (or a selection)
    /// are one action, one undo; their last word is the day when it reads as one.
    #[arg(
        id = "contact",
        value_name = "CONTACT",
        required_unless_present_any = ["category", "tag", "stage"]
    )]
    pub words: Vec<String>,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Channel (default: the planner's suggestion).
    #[arg(long, short)]
    pub channel: Option<String>,
    /// What to send or say.
    #[arg(long, short, default_value = "")]
    pub summary: String,
    /// The piece to send with it (id p3 or part of its title): refused for a contact who
    /// received it already (exit 3), unless --force.
    #[arg(long, value_name = "PIECE")]
    pub piece: Option<String>,
    /// Plan it even inside the annoyance guard (with --piece: even to those who received it).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The contact (id c12 or part of the name), then until when (e.g. +1w, mon, 2027-01-15).
    /// Several contacts (or a selection) are one action, one undo.
    #[arg(id = "contact", value_name = "CONTACT", required = true)]
    pub words: Vec<String>,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Use exactly this day instead of the lightest day near it.
    #[arg(long)]
    pub exact: bool,
    /// Why.
    #[arg(long, default_value = "")]
    pub note: String,
    /// Show who would be snoozed; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outcome per contact as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
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
        let req = LogRequest {
            contact: first_contact(&self.contacts),
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
        };
        if self.contacts.len() == 1
            && !self.select.any()
            && !self.outcome.dry_run
            && self.piece.is_none()
        {
            return Ok(Request::Log(req));
        }
        Ok(Request::Batch(BatchRequest {
            selection: self.select.selection(&self.contacts)?,
            action: BatchAction::Log(req),
            force: self.force,
            dry_run: self.outcome.dry_run,
            piece: self.piece.clone(),
        }))
    }
}

/// The first contact named (the one of a single action), or an empty query the action refuses.
fn first_contact(contacts: &[String]) -> ContactRef {
    ContactRef::from(contacts.first().map_or("", String::as_str))
}

/// A plan's words: contacts, then the day when the last one reads as a date (with a selection,
/// the one word there may be is the day; a single word is a contact).
fn plan_words(
    words: &[String],
    selecting: bool,
    today: NaiveDate,
) -> Result<(&[String], Option<NaiveDate>), ActionError> {
    let only_the_day = |word: &str| {
        ActionError::BadValue(format!(
            "with --category, --tag or --stage give no contacts, only the day: '{word}' is not a day (e.g. fri, +1w, 2027-01-15)"
        ))
    };
    match words {
        [] => Ok((words, None)),
        [day] if selecting => parse_date(day, today)
            .map(|d| (&words[..0], Some(d)))
            .map_err(|_| only_the_day(day)),
        [_] => Ok((words, None)),
        [first, .., last] if selecting => {
            let extra = if parse_date(last, today).is_ok() {
                first
            } else {
                last
            };
            Err(only_the_day(extra))
        }
        [contacts @ .., last] => match parse_date(last, today) {
            Ok(d) => Ok((contacts, Some(d))),
            // A day that is refused (beyond the horizon, impossible) says why.
            Err(e) if crate::dates::looks_like_date(last, today) => {
                Err(ActionError::BadValue(e.to_string()))
            }
            Err(_) => Ok((words, None)),
        },
    }
}

impl PlanArgs {
    pub fn request(&self, today: NaiveDate) -> Result<Request, ActionError> {
        let selecting = self.select.any();
        let (contacts, day) = plan_words(&self.words, selecting, today)?;
        let req = PlanRequest {
            contact: first_contact(contacts),
            date: day,
            channel: self.channel.as_deref().map(channel).transpose()?,
            summary: self.summary.clone(),
            force: self.force,
        };
        if contacts.len() == 1 && !selecting && !self.outcome.dry_run && self.piece.is_none() {
            return Ok(Request::Plan(req));
        }
        Ok(Request::Batch(BatchRequest {
            selection: self.select.selection(contacts)?,
            action: BatchAction::Plan(req),
            force: self.force,
            dry_run: self.outcome.dry_run,
            piece: self.piece.clone(),
        }))
    }
}

impl SnoozeArgs {
    pub fn request(&self, today: NaiveDate) -> Result<Request, ActionError> {
        let selecting = self.select.any();
        let Some((until, contacts)) = self.words.split_last() else {
            return Err(ActionError::BadValue(
                "give the contact and until when, e.g. `tickler snooze ada +2w`".to_string(),
            ));
        };
        if contacts.is_empty() && !selecting {
            return Err(ActionError::BadValue(format!(
                "give the contact and until when, e.g. `tickler snooze {until} +2w`"
            )));
        }
        let req = SnoozeRequest {
            contact: first_contact(contacts),
            until: date(until, today)?,
            exact: self.exact,
            note: self.note.clone(),
        };
        if contacts.len() == 1 && !selecting && !self.dry_run {
            return Ok(Request::Snooze(req));
        }
        Ok(Request::Batch(BatchRequest {
            selection: self.select.selection(contacts)?,
            action: BatchAction::Snooze(req),
            force: false,
            dry_run: self.dry_run,
            piece: None,
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
    perform_as(ctx, req, false)
}

/// Whether a command asked for `--json` output of its outcome.
pub(crate) fn wants_json(command: &super::Command) -> bool {
    use super::Command;
    match command {
        Command::Log(a) => a.outcome.json,
        Command::Plan(a) => a.outcome.json,
        Command::Snooze(a) => a.json,
        _ => false,
    }
}

/// [`perform`], printing the outcome per contact as JSON when `json`. A batch lists every
/// contact; when it skipped every one of them it fails (exit 3 when the annoyance guard did).
pub(crate) fn perform_as(
    ctx: &Context,
    req: Request,
    json: bool,
) -> anyhow::Result<crate::actions::Outcome> {
    let out = crate::actions::run(&ctx.store, &req, ctx.today)?;
    if json {
        match super::campaign::outcome_json(&out, ctx.today) {
            Some(j) => super::output::print_json(&j)?,
            None => super::output::say!("{}", out.message(ctx.today))?,
        }
    } else {
        if let Some(note) = out.warning() {
            super::output::note!("note: {note}")?;
        }
        super::output::say!("{}", out.message(ctx.today))?;
        if let crate::actions::Outcome::Batch(b) = &out {
            for line in b.lines(ctx.today) {
                super::output::say!("{line}")?;
            }
        }
        if let Some(hint) = out.hint() {
            super::output::say!("hint: {hint}")?;
        }
    }
    if let crate::actions::Outcome::Batch(b) = &out {
        super::campaign::refused_all(b)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plan_words_split_contacts_and_the_day() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let fri = NaiveDate::from_ymd_opt(2026, 11, 27);
        let w = words(&["ada"]);
        assert_eq!(plan_words(&w, false, today).unwrap(), (&w[..], None));
        let w = words(&["ada", "fri"]);
        assert_eq!(plan_words(&w, false, today).unwrap(), (&w[..1], fri));
        let w = words(&["ada", "bob"]);
        assert_eq!(plan_words(&w, false, today).unwrap(), (&w[..], None));
        let w = words(&["ada", "bob", "fri"]);
        assert_eq!(plan_words(&w, false, today).unwrap(), (&w[..2], fri));
        let w = words(&["fri"]);
        assert_eq!(plan_words(&w, true, today).unwrap(), (&w[..0], fri));
        assert!(plan_words(&words(&["ada"]), true, today).is_err());
        assert!(plan_words(&words(&["ada", "fri"]), true, today).is_err());
    }
}
