//! Contacts, birthdays and snoozes.

use super::{Cadence, CategoryId, ContactId, NoReason, Stage};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A birthday: month and day, with the year when known.
///
/// In human-readable formats (the JSON export) it is the text `YYYY-MM-DD`, or `--MM-DD` without
/// a year, and either that text or the older `{"month","day","year"}` object is read back. In the
/// store's binary codec it stays the three fields it always was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Birthday {
    pub month: u32,
    pub day: u32,
    pub year: Option<i32>,
}

/// The birthday's three fields, as the store encodes them (and as JSON exports before the text
/// form wrote them).
#[derive(Serialize, Deserialize)]
#[serde(rename = "Birthday")]
struct BirthdayParts {
    month: u32,
    day: u32,
    year: Option<i32>,
}

/// What a human-readable birthday may be.
#[derive(Deserialize)]
#[serde(untagged)]
enum BirthdayForm {
    Text(String),
    Parts(BirthdayParts),
}

impl Serialize for Birthday {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            BirthdayParts {
                month: self.month,
                day: self.day,
                year: self.year,
            }
            .serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Birthday {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            let p = BirthdayParts::deserialize(d)?;
            return Ok(Birthday {
                month: p.month,
                day: p.day,
                year: p.year,
            });
        }
        match BirthdayForm::deserialize(d)? {
            BirthdayForm::Text(t) => t.parse().map_err(serde::de::Error::custom),
            BirthdayForm::Parts(p) => Birthday::new(p.month, p.day, p.year).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "invalid birthday: month {}, day {}",
                    p.month, p.day
                ))
            }),
        }
    }
}

impl Birthday {
    /// A valid birthday (29 Feb allowed without a year, or with a leap year).
    pub fn new(month: u32, day: u32, year: Option<i32>) -> Option<Self> {
        let probe_year = year.unwrap_or(2000); // 2000 is a leap year
        NaiveDate::from_ymd_opt(probe_year, month, day)?;
        Some(Birthday { month, day, year })
    }

    /// The birthday as it falls in `year` (29 Feb becomes 28 Feb in common years).
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day.saturating_sub(1)))
    }

    /// The first occurrence on or after `from`.
    pub fn next_on_or_after(self, from: NaiveDate) -> Option<NaiveDate> {
        let this_year = self.in_year(from.year())?;
        if this_year >= from {
            Some(this_year)
        } else {
            self.in_year(from.year() + 1)
        }
    }
}

impl fmt::Display for Birthday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl FromStr for Birthday {
    type Err = String;

    /// `YYYY-MM-DD`, `--MM-DD` (vCard, no year) or `MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!("invalid birthday '{s}': write YYYY-MM-DD, or MM-DD when the year is unknown")
        };
        let t = s.trim();
        let parts: Vec<&str> = t.trim_start_matches("--").split('-').collect();
        let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 => {
                let year = y.parse::<i32>().map_err(|_| bad())?;
                Birthday::new(num(m)?, num(d)?, Some(year)).ok_or_else(bad)
            }
            [m, d] => Birthday::new(num(m)?, num(d)?, None).ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

/// "Remind me later": the contact is not due before `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snooze {
    pub until: NaiveDate,
    pub since: NaiveDate,
    pub note: String,
}

/// What the planner and the reports need of a contact: no notes, addresses or lists, so reading
/// the whole diary for an agenda stays cheap however long the notes grow. The store keeps one per
/// contact, current with every write ([`Contact::profile`] makes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: ContactId,
    pub name: String,
    pub company: Option<String>,
    pub category: Option<CategoryId>,
    pub stage: Stage,
    pub stage_changed: NaiveDate,
    pub no_reason: Option<NoReason>,
    pub cadence: Option<Cadence>,
    pub birthday: Option<Birthday>,
    /// The end of the snooze, if any.
    pub snooze_until: Option<NaiveDate>,
    pub created: NaiveDate,
    /// Has an email, a phone or a postal address.
    pub reachable: bool,
}

impl Profile {
    /// No email, phone or postal address: nobody can reach them.
    pub fn is_unreachable(&self) -> bool {
        !self.reachable
    }

    /// "Name (Company)" or just the name.
    pub fn label(&self) -> String {
        label(&self.name, self.company.as_deref())
    }
}

fn label(name: &str, company: Option<&str>) -> String {
    match company {
        Some(c) if !c.is_empty() => format!("{name} ({c})"),
        _ => name.to_string(),
    }
}

/// Someone worth keeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub name: String,
    pub company: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    /// Postal address, lines separated by '\n'.
    pub address: Option<String>,
    pub birthday: Option<Birthday>,
    pub category: Option<CategoryId>,
    pub tags: Vec<String>,
    pub stage: Stage,
    /// When the stage last changed (the "move forward or move out" count starts here).
    pub stage_changed: NaiveDate,
    /// Why they said no, when moved out of the active pipeline.
    pub no_reason: Option<NoReason>,
    /// The stage to return to on `restore`, set when archived.
    pub archived_from: Option<Stage>,
    /// Per-contact cadence override (else the category's, else the settings' default).
    pub cadence: Option<Cadence>,
    pub notes: String,
    pub snooze: Option<Snooze>,
    pub created: NaiveDate,
    pub updated: NaiveDate,
}

impl Contact {
    /// A new contact with only a name; everything else empty and the stage Lead.
    pub fn new(id: ContactId, name: impl Into<String>, today: NaiveDate) -> Self {
        Contact {
            id,
            name: name.into(),
            company: None,
            emails: Vec::new(),
            phones: Vec::new(),
            address: None,
            birthday: None,
            category: None,
            tags: Vec::new(),
            stage: Stage::Lead,
            stage_changed: today,
            no_reason: None,
            archived_from: None,
            cadence: None,
            notes: String::new(),
            snooze: None,
            created: today,
            updated: today,
        }
    }

    /// No email, phone or postal address: nobody can reach them.
    pub fn is_unreachable(&self) -> bool {
        self.emails.is_empty() && self.phones.is_empty() && self.address.is_none()
    }

    /// "Name (Company)" or just the name.
    pub fn label(&self) -> String {
        label(&self.name, self.company.as_deref())
    }

    /// The planner's view of this contact.
    pub fn profile(&self) -> Profile {
        Profile {
            id: self.id,
            name: self.name.clone(),
            company: self.company.clone(),
            category: self.category,
            stage: self.stage,
            stage_changed: self.stage_changed,
            no_reason: self.no_reason,
            cadence: self.cadence,
            birthday: self.birthday,
            snooze_until: self.snooze.as_ref().map(|z| z.until),
            created: self.created,
            reachable: !self.is_unreachable(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn leap_day_birthday_falls_on_28th_in_common_years() {
        let b: Birthday = "--02-29".parse().unwrap();
        assert_eq!(b.in_year(2027), Some(d(2027, 2, 28)));
        assert_eq!(b.in_year(2028), Some(d(2028, 2, 29)));
    }

    #[test]
    fn next_birthday_wraps_the_year() {
        let b: Birthday = "1980-01-10".parse().unwrap();
        assert_eq!(b.next_on_or_after(d(2026, 11, 24)), Some(d(2027, 1, 10)));
        assert_eq!(b.next_on_or_after(d(2026, 1, 10)), Some(d(2026, 1, 10)));
    }

    #[test]
    fn birthday_is_text_in_json_and_three_fields_in_the_store() {
        let b: Birthday = "1980-01-10".parse().unwrap();
        let none: Birthday = "--02-29".parse().unwrap();
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"1980-01-10\"");
        assert_eq!(serde_json::to_string(&none).unwrap(), "\"--02-29\"");
        for text in ["\"1980-01-10\"", r#"{"month":1,"day":10,"year":1980}"#] {
            assert_eq!(serde_json::from_str::<Birthday>(text).unwrap(), b);
        }
        let old = r#"{"month":2,"day":29,"year":null}"#;
        assert_eq!(serde_json::from_str::<Birthday>(old).unwrap(), none);
        assert!(serde_json::from_str::<Birthday>("\"1980-02-30\"").is_err());
        assert!(serde_json::from_str::<Birthday>(r#"{"month":13,"day":1,"year":null}"#).is_err());
        // The store's binary form is the three fields, byte for byte as before.
        let parts = BirthdayParts {
            month: 1,
            day: 10,
            year: Some(1980),
        };
        let bytes = postcard::to_stdvec(&b).unwrap();
        assert_eq!(bytes, postcard::to_stdvec(&parts).unwrap());
        assert_eq!(postcard::from_bytes::<Birthday>(&bytes).unwrap(), b);
    }

    #[test]
    fn bad_birthdays() {
        assert!("2026-02-31".parse::<Birthday>().is_err());
        assert!("2027-02-29".parse::<Birthday>().is_err());
        assert!("13-01".parse::<Birthday>().is_err());
        assert!("hello".parse::<Birthday>().is_err());
    }
}
