//! The next due touch of one contact, and why.

use super::{Entry, Facts};
use crate::model::{Cadence, Category, Channel, Contact, ContactId, NoReason, Settings, TouchId};
use chrono::NaiveDate;
use serde::Serialize;

/// Why a contact is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueReason {
    /// The user planned a touch for that date.
    Planned,
    /// Snoozed until that date.
    Snoozed,
    /// One cadence after the last real touch.
    Cadence,
    /// Card time: the birthday is `birthday_lead_days` ahead.
    Birthday,
    /// The delay set by the reason of their "no" is over: time to try again.
    TryAgain,
    /// Bought last fiscal year, nothing this year.
    Lybunt,
    /// Silence beyond the "at worst" interval.
    AtRisk,
    /// Kept, but nothing planned and never touched: the planner proposes a first touch.
    Adrift,
}

impl DueReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DueReason::Planned => "planned",
            DueReason::Snoozed => "snoozed",
            DueReason::Cadence => "cadence",
            DueReason::Birthday => "birthday",
            DueReason::TryAgain => "try-again",
            DueReason::Lybunt => "lybunt",
            DueReason::AtRisk => "at-risk",
            DueReason::Adrift => "adrift",
        }
    }
}

/// How urgent a due item is relative to `today` (the UI colours: none, yellow, red).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// Due after today.
    Upcoming,
    /// Due today, or overdue but still inside the "at worst" interval (yellow).
    Due,
    /// Silence beyond the "at worst" interval (red).
    AtRisk,
}

/// A contact's next touch as the planner proposes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextDue {
    pub contact: ContactId,
    pub date: NaiveDate,
    pub reason: DueReason,
    /// The planned touch's channel, or the suggested one.
    pub channel: Channel,
    /// The planned touch this item stands for, when `reason` is `Planned`.
    pub touch: Option<TouchId>,
    pub urgency: Urgency,
    /// Days between `date` and today when `date` is in the past, else 0.
    pub days_overdue: i64,
    /// Nothing planned and not snoozed: nobody confirmed a next touch (shown loudly).
    pub adrift: bool,
    /// Last fiscal year's sales in cents when the contact is LYBUNT, else 0.
    pub lybunt_cents: i64,
    /// A prospect touched `move_forward_after` times without a stage change.
    pub move_forward_or_out: bool,
    /// The category priority (1 highest; 255 without a category).
    pub priority: u8,
}

/// The cadence that applies to a contact: its override, else its category's, else the default; on
/// the stay-in-touch track, the longer of that and `stay_in_touch_cadence`.
pub fn effective_cadence(contact: &Contact, category: Option<&Category>, s: &Settings) -> Cadence {
    let _ = (contact, category, s);
    todo!("planner helper")
}

/// When to try again after a "no" given on `moved_out`.
pub fn retry_date(reason: NoReason, moved_out: NaiveDate, s: &Settings) -> NaiveDate {
    let _ = (reason, moved_out, s);
    todo!("planner helper")
}

/// The one next touch of a kept contact; `None` for archived contacts.
pub fn next_due(entry: Entry<'_>, s: &Settings, today: NaiveDate) -> Option<NextDue> {
    let _ = (entry, s, today, Facts::default());
    todo!("planner helper")
}
