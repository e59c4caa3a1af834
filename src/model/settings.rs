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
    /// The user's own e-mail addresses (lower case): `tickler capture mail` logs a message
    /// between one of them and a contact as an email touch. Stored since schema 5.
    #[serde(default)]
    pub my_addresses: Vec<String>,
}

/// Default of [`Settings::backups_kept`] (also for JSON exports made before the setting existed).
pub const BACKUPS_KEPT: u32 = 7;

fn default_backups_kept() -> u32 {
    BACKUPS_KEPT
}

/// The settings' names, in the order `tickler settings show` lists them.
pub const SETTING_NAMES: &[&str] = &[
    "default_cadence",
    "stay_in_touch_cadence",
    "at_worst_pct",
    "min_gap_days",
    "max_touches_per_window",
    "window_days",
    "daily_cap",
    "levelling_window_days",
    "fiscal_year_start_month",
    "birthday_lead_days",
    "move_forward_after",
    "retry_no_hurry_days",
    "retry_no_need_months",
    "retry_no_interest_months",
    "retry_not_a_fit_months",
    "undo_depth",
    "default_currency",
    "backups_kept",
    "my_addresses",
];

/// Why a setting could not be set: the message says what it takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("unknown setting '{name}': use one of {}", SETTING_NAMES.join(", "))]
    Unknown { name: String },
    #[error("{key} takes {takes}, not '{value}'")]
    Bad {
        key: &'static str,
        takes: String,
        value: String,
    },
}

impl Settings {
    /// Set one setting by name from its text form, checking its range. Nothing changes on error.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let name = SETTING_NAMES
            .iter()
            .copied()
            .find(|n| *n == key.trim())
            .ok_or_else(|| SettingError::Unknown {
                name: key.trim().to_string(),
            })?;
        let bad = |takes: String| SettingError::Bad {
            key: name,
            takes,
            value: value.to_string(),
        };
        let num = |min: u32, max: u32| -> Result<u32, SettingError> {
            value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| bad(format!("a whole number from {min} to {max}")))
        };
        let cadence = || {
            value
                .parse::<Cadence>()
                .map_err(|_| bad("a cadence such as 30d, 6w or 3m".to_string()))
        };
        match name {
            "default_cadence" => self.default_cadence = cadence()?,
            "stay_in_touch_cadence" => self.stay_in_touch_cadence = cadence()?,
            "at_worst_pct" => self.at_worst_pct = num(100, 1000)?,
            "min_gap_days" => self.min_gap_days = num(0, 365)?,
            "max_touches_per_window" => self.max_touches_per_window = num(1, 64)?,
            "window_days" => self.window_days = num(1, 366)?,
            "daily_cap" => self.daily_cap = num(1, 10_000)?,
            "levelling_window_days" => self.levelling_window_days = num(0, 60)?,
            "fiscal_year_start_month" => self.fiscal_year_start_month = num(1, 12)?,
            "birthday_lead_days" => self.birthday_lead_days = num(0, 60)?,
            "move_forward_after" => self.move_forward_after = num(1, 100)?,
            "retry_no_hurry_days" => self.retry_no_hurry_days = num(1, 3650)?,
            "retry_no_need_months" => self.retry_no_need_months = num(1, 120)?,
            "retry_no_interest_months" => self.retry_no_interest_months = num(1, 120)?,
            "retry_not_a_fit_months" => self.retry_not_a_fit_months = num(1, 120)?,
            "undo_depth" => self.undo_depth = num(1, 10_000)?,
            "default_currency" => {
                self.default_currency = super::validate::currency(value)
                    .map_err(|_| bad("an ISO 4217 currency code such as EUR".to_string()))?
            }
            "backups_kept" => self.backups_kept = num(1, 365)?,
            "my_addresses" => {
                self.my_addresses = addresses(value).map_err(|e| {
                    bad(format!(
                        "e-mail addresses separated by commas ({e}), or \"\" for none"
                    ))
                })?
            }
            _ => {
                return Err(SettingError::Unknown {
                    name: name.to_string(),
                });
            }
        }
        Ok(())
    }
}

/// Comma- (or space-) separated e-mail addresses, checked, lower case, each once.
fn addresses(value: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for part in value
        .split([',', ';', ' ', '\t', '\n'])
        .filter(|p| !p.is_empty())
    {
        let a = super::validate::email(part)
            .map_err(|e| e.to_string())?
            .to_lowercase();
        if !out.contains(&a) {
            out.push(a);
        }
    }
    Ok(out)
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
            my_addresses: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn my_addresses_are_checked_lowered_and_listed_once() {
        let mut s = Settings::default();
        s.set(
            "my_addresses",
            "Me@Example.com, me@example.com;work@corp.example",
        )
        .unwrap();
        assert_eq!(s.my_addresses, ["me@example.com", "work@corp.example"]);
        let e = s.set("my_addresses", "me@example.com, nobody").unwrap_err();
        assert!(e.to_string().contains("invalid email 'nobody'"), "{e}");
        assert_eq!(s.my_addresses.len(), 2, "nothing changes on error");
        s.set("my_addresses", "").unwrap();
        assert!(s.my_addresses.is_empty());
    }

    #[test]
    fn settings_saved_before_my_addresses_read_back() {
        let mut old = serde_json::to_value(Settings::default()).unwrap();
        old.as_object_mut().unwrap().remove("my_addresses");
        let back: Settings = serde_json::from_value(old).unwrap();
        assert_eq!(back, Settings::default());
    }
}
