//! Diary-wide settings. Every number the planner uses lives here, with the defaults DOMAIN.md names.

use super::Cadence;
use serde::{Deserialize, Serialize};

/// Settings of one diary, stored in its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Cadence for contacts with neither an override nor a category.
    pub default_cadence: Cadence,
    /// Cadence of the light "stay in touch" track (used when longer than the contact's own).
    pub stay_in_touch_cadence: Cadence,
    /// "At worst" interval as a percentage of the cadence (150 = 1.5x): beyond it a contact is at risk.
    pub at_worst_pct: u32,
    /// Annoyance guard: minimum days between two outbound touches to one contact.
    pub min_gap_days: u32,
    /// Annoyance guard: at most this many outbound touches to one contact ...
    pub max_touches_per_window: u32,
    /// ... in any rolling window of this many days.
    pub window_days: u32,
    /// Load levelling: at most this many outbound touches planned on one day.
    pub daily_cap: u32,
    /// Load levelling: how many days past the wanted date a new item may move to find a light day.
    pub levelling_window_days: u32,
    /// First month (1-12) of the fiscal year, for LYBUNT and "no money" retries.
    pub fiscal_year_start_month: u32,
    /// A birthday card is due this many days before the birthday.
    pub birthday_lead_days: u32,
    /// Prospects touched this many times without a stage change are "move forward or move out".
    pub move_forward_after: u32,
    /// Retry delay after "no hurry".
    pub retry_no_hurry_days: u32,
    /// Retry delay after "no need".
    pub retry_no_need_months: u32,
    /// Retry delay after "no interest".
    pub retry_no_interest_months: u32,
    /// Retry delay after "not a fit".
    pub retry_not_a_fit_months: u32,
    /// How many actions `undo` can revert.
    pub undo_depth: u32,
    /// Currency of sales entered without one.
    pub default_currency: String,
    /// How many automatic and `tickler backup` copies are kept (the newest ones).
    #[serde(default = "default_backups_kept")]
    pub backups_kept: u32,
}

/// Default of [`Settings::backups_kept`] (also for JSON exports made before the setting existed).
pub const BACKUPS_KEPT: u32 = 7;

fn default_backups_kept() -> u32 {
    BACKUPS_KEPT
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            default_cadence: Cadence::days(30),
            stay_in_touch_cadence: Cadence::months(3),
            at_worst_pct: 150,
            min_gap_days: 3,
            max_touches_per_window: 4,
            window_days: 30,
            daily_cap: 12,
            levelling_window_days: 3,
            fiscal_year_start_month: 1,
            birthday_lead_days: 5,
            move_forward_after: 4,
            retry_no_hurry_days: 90,
            retry_no_need_months: 6,
            retry_no_interest_months: 12,
            retry_not_a_fit_months: 12,
            undo_depth: 100,
            default_currency: "EUR".to_string(),
            backups_kept: BACKUPS_KEPT,
        }
    }
}
