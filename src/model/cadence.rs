//! Keep-in-touch cadence: how often a contact should hear from us.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The unit of a cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CadenceUnit {
    Days,
    Weeks,
    Months,
}

/// An interval such as "30 days", "6 weeks" or "3 months". Months are calendar months
/// (Jan 31 + 1 month = Feb 28/29).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cadence {
    pub n: u32,
    pub unit: CadenceUnit,
}

impl Cadence {
    /// The longest cadence accepted: ten years.
    pub const MAX_DAYS: u32 = 3653;

    pub const fn days(n: u32) -> Self {
        Cadence {
            n,
            unit: CadenceUnit::Days,
        }
    }

    pub const fn weeks(n: u32) -> Self {
        Cadence {
            n,
            unit: CadenceUnit::Weeks,
        }
    }

    pub const fn months(n: u32) -> Self {
        Cadence {
            n,
            unit: CadenceUnit::Months,
        }
    }

    /// The cadence's length in days, months counted as 30.4 days (used for "at worst" and ranking).
    pub fn approx_days(self) -> u32 {
        match self.unit {
            CadenceUnit::Days => self.n,
            CadenceUnit::Weeks => self.n.saturating_mul(7),
            CadenceUnit::Months => ((self.n as u64 * 3044).div_ceil(100)) as u32,
        }
    }

    /// The date one cadence after `date` (saturating at the end of chrono's range).
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        let next = match self.unit {
            CadenceUnit::Days => date.checked_add_days(Days::new(u64::from(self.n))),
            CadenceUnit::Weeks => date.checked_add_days(Days::new(u64::from(self.n) * 7)),
            CadenceUnit::Months => date.checked_add_months(Months::new(self.n)),
        };
        next.unwrap_or(NaiveDate::MAX)
    }

    /// The "at worst" date: `factor_pct` percent of the cadence after `date` (150 = 1.5x).
    pub fn at_worst_after(self, date: NaiveDate, factor_pct: u32) -> NaiveDate {
        let days = (u64::from(self.approx_days()) * u64::from(factor_pct.max(100))).div_ceil(100);
        date.checked_add_days(Days::new(days))
            .unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            CadenceUnit::Days => "d",
            CadenceUnit::Weeks => "w",
            CadenceUnit::Months => "m",
        };
        write!(f, "{}{}", self.n, unit)
    }
}

impl FromStr for Cadence {
    type Err = String;

    /// Accepts `30`, `30d`, `6w`, `3m`, `30 days`, `6 weeks`, `3 months`, `1 month`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "invalid cadence '{s}': write a number and a unit, e.g. 30d, 6w or 3m (1 to 3653 days)"
            )
        };
        let t = s.trim().to_ascii_lowercase();
        let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(digits_end);
        let n: u32 = num.parse().map_err(|_| bad())?;
        let unit = match unit.trim() {
            "" | "d" | "day" | "days" => CadenceUnit::Days,
            "w" | "week" | "weeks" => CadenceUnit::Weeks,
            "m" | "mo" | "month" | "months" => CadenceUnit::Months,
            _ => return Err(bad()),
        };
        let c = Cadence { n, unit };
        if n == 0 || c.approx_days() > Cadence::MAX_DAYS {
            return Err(bad());
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_units() {
        assert_eq!("30d".parse(), Ok(Cadence::days(30)));
        assert_eq!("6 weeks".parse(), Ok(Cadence::weeks(6)));
        assert_eq!("3m".parse(), Ok(Cadence::months(3)));
        assert_eq!("45".parse(), Ok(Cadence::days(45)));
        assert!("0d".parse::<Cadence>().is_err());
        assert!("3y".parse::<Cadence>().is_err());
        assert!("99999m".parse::<Cadence>().is_err());
        assert!("".parse::<Cadence>().is_err());
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(Cadence::months(1).after(d(2026, 1, 31)), d(2026, 2, 28));
        assert_eq!(Cadence::weeks(2).after(d(2026, 12, 25)), d(2027, 1, 8));
    }

    #[test]
    fn at_worst_is_one_and_a_half_cadences() {
        assert_eq!(
            Cadence::days(30).at_worst_after(d(2026, 1, 1), 150),
            d(2026, 2, 15)
        );
    }
}
