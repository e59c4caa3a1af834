//! A contact's history boiled down to what the planner needs. The store recomputes it with
//! [`summarize`] inside every write that touches a contact's touches or sales, so reading the diary
//! never walks the full history.

use crate::model::{Channel, Direction, Sale, Touch, TouchId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How many of the latest done outbound touch dates are kept (enough for any guard window).
pub const RECENT_OUTBOUND: usize = 64;
/// How many of the latest done channels are kept, newest first.
pub const RECENT_CHANNELS: usize = 6;

/// A planned (not yet done) touch, as the planner needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedTouch {
    pub id: TouchId,
    pub date: NaiveDate,
    pub channel: Channel,
    pub direction: Direction,
}

/// Sales of one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotal {
    pub year: i32,
    pub month: u32,
    pub cents: i64,
}

/// The summary of one contact's touches and sales. Independent of `today` and of the contact record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Last done personal touch, either direction.
    pub last_personal: Option<NaiveDate>,
    /// Last done broadcast touch (newsletter, mass mailing).
    pub last_broadcast: Option<NaiveDate>,
    /// Dates of the latest done outbound touches, ascending, at most [`RECENT_OUTBOUND`].
    pub done_outbound: Vec<NaiveDate>,
    /// Channels of the latest done touches, newest first, at most [`RECENT_CHANNELS`].
    pub recent_channels: Vec<Channel>,
    /// Every planned touch, ascending by date then id.
    pub planned: Vec<PlannedTouch>,
    /// Number of done touches.
    pub done_count: u32,
    /// Sales per calendar month, ascending.
    pub sales_by_month: Vec<MonthTotal>,
    pub last_sale: Option<NaiveDate>,
}

/// Summarize a contact's touches and sales (any order; skipped touches count for nothing).
pub fn summarize(touches: &[Touch], sales: &[Sale]) -> Facts {
    let _ = (touches, sales);
    todo!("planner helper")
}
