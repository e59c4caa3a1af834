//! Touches (done or planned) and sales.

use super::{Channel, ContactId, Direction, SaleId, TouchId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whether a touch happened, is planned, or was skipped in triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TouchState {
    Done,
    Planned,
    /// A planned touch deliberately not made; kept for the history, counts for nothing.
    Skipped,
    /// A planned touch called off (the contact moved out, the user cancelled it, another touch
    /// fulfilled it): kept for the history, counts for nothing. Stored since schema 3.
    Cancelled,
}

impl TouchState {
    pub fn as_str(self) -> &'static str {
        match self {
            TouchState::Done => "done",
            TouchState::Planned => "planned",
            TouchState::Skipped => "skipped",
            TouchState::Cancelled => "cancelled",
        }
    }
}

/// One contact moment: a call, an email, a card, a meeting...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touch {
    pub id: TouchId,
    pub contact: ContactId,
    pub date: NaiveDate,
    pub channel: Channel,
    pub direction: Direction,
    /// What value was sent or said ("sent the article on heat pumps").
    pub summary: String,
    pub state: TouchState,
}

/// A sale: the thing LYBUNT is measured by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sale {
    pub id: SaleId,
    pub contact: ContactId,
    pub date: NaiveDate,
    /// Amount in minor units (cents). Never negative.
    pub amount_cents: i64,
    /// ISO 4217 code, upper case ("EUR").
    pub currency: String,
    pub note: String,
}
