//! The history (done touches, sales, stage moves) as VJOURNAL items: one per contact and year.
//!
//! Why per contact and year: one item per touch would put 100,000 items in the calendar of a
//! 10,000-contact diary (a first sync is one PUT per item, and every listing and phone pays for
//! each), while one item per contact would rewrite a contact's whole history on each touch. Per
//! contact and year, a closed year never changes again, an item stays small (a year of one
//! contact), and a touch rewrites one item. Figures: the sync section of README.md.
//!
//! Each entry is one `X-TICKLER-ENTRY` property (its global id, date and kind as parameters, its
//! text as the value), so two diaries merge a year by the union of entries (append-only: it never
//! conflicts); DESCRIPTION repeats the entries as lines people read in any journal app.

use super::{MappingError, ical};
use crate::model::{Channel, Direction, NoReason, Stage};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// One entry of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The global id of the touch, sale or stage move.
    pub id: String,
    pub date: NaiveDate,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    Touch {
        channel: Channel,
        direction: Direction,
        summary: String,
    },
    Sale {
        amount_cents: i64,
        currency: String,
        note: String,
    },
    Stage {
        from: Option<Stage>,
        to: Stage,
        reason: Option<NoReason>,
    },
}

/// A contact's history in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub contact_uid: String,
    /// "Name (Company)".
    pub who: String,
    pub year: i32,
    /// Ascending by date, then id.
    pub entries: Vec<Entry>,
}

/// The UID (and item name) of a contact's history in `year`.
pub fn uid(contact_uid: &str, year: i32) -> String {
    format!("{contact_uid}-history-{year}")
}

impl History {
    pub fn uid(&self) -> String {
        uid(&self.contact_uid, self.year)
    }
}

fn amount(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02} {currency}", c / 100, c % 100)
}

/// One line people read.
fn line_of(e: &Entry) -> String {
    match &e.what {
        What::Touch {
            channel,
            direction,
            summary,
        } => {
            let dir = if *direction == Direction::In {
                " (from them)"
            } else {
                ""
            };
            if summary.is_empty() {
                format!("{} {channel}{dir}", e.date)
            } else {
                format!("{} {channel}{dir}: {summary}", e.date)
            }
        }
        What::Sale {
            amount_cents,
            currency,
            note,
        } => {
            let money = amount(*amount_cents, currency);
            if note.is_empty() {
                format!("{} sale {money}", e.date)
            } else {
                format!("{} sale {money}: {note}", e.date)
            }
        }
        What::Stage { from, to, reason } => {
            let from = from.map_or_else(String::new, |f| format!("{f} -> "));
            let why = reason.map_or_else(String::new, |r| format!(" ({r})"));
            format!("{} stage {from}{to}{why}", e.date)
        }
    }
}

/// The `X-TICKLER-ENTRY` line of an entry (unfolded): how an entry is kept in a sync state.
pub fn entry_line(e: &Entry) -> String {
    entry_property(e)
}

/// An entry from its [`entry_line`]; `None` if it is not one this version reads.
pub fn entry_from_line(line: &str) -> Option<Entry> {
    let text = format!("BEGIN:VJOURNAL\r\n{line}\r\nEND:VJOURNAL\r\n");
    let comps = ical::components(&text).ok()?;
    let p = comps.first()?.find_prop("X-TICKLER-ENTRY")?;
    read_entry(p)
}

/// The same history item with these entries instead (same UID, contact, title and DTSTAMP).
pub fn rewrite(text: &str, entries: &[Entry]) -> Option<String> {
    let (mut h, _) = read(text).ok()?;
    let stamp = ical::components(text)
        .ok()?
        .iter()
        .find(|c| c.name.as_str().eq_ignore_ascii_case("VJOURNAL"))?
        .find_prop("DTSTAMP")
        .and_then(|p| ical::read_date(p.val.as_str()))?;
    h.entries = union(entries, &[]);
    Some(write(&h, stamp))
}

/// The `X-TICKLER-ENTRY` line of an entry.
fn entry_property(e: &Entry) -> String {
    let mut p = format!(
        "X-TICKLER-ENTRY;ID={};DATE={}",
        ical::param(&e.id),
        ical::date(e.date)
    );
    let value = match &e.what {
        What::Touch {
            channel,
            direction,
            summary,
        } => {
            p.push_str(&format!(
                ";KIND=touch;CHANNEL={channel};DIRECTION={}",
                direction.as_str()
            ));
            summary.clone()
        }
        What::Sale {
            amount_cents,
            currency,
            note,
        } => {
            p.push_str(&format!(
                ";KIND=sale;AMOUNT={amount_cents};CURRENCY={}",
                ical::param(currency)
            ));
            note.clone()
        }
        What::Stage { from, to, reason } => {
            p.push_str(";KIND=stage");
            if let Some(f) = from {
                p.push_str(&format!(";FROM={f}"));
            }
            p.push_str(&format!(";TO={to}"));
            if let Some(r) = reason {
                p.push_str(&format!(";REASON={}", ical::param(&r.to_string())));
            }
            String::new()
        }
    };
    format!("{p}:{}", ical::escape(&value))
}

/// The VJOURNAL (a whole iCalendar object); `stamp` is today (DTSTAMP).
pub fn write(h: &History, stamp: NaiveDate) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tickler//sync//EN",
        "BEGIN:VJOURNAL",
    ] {
        ical::line(&mut out, l);
    }
    ical::line(&mut out, &format!("UID:{}", ical::escape(&h.uid())));
    ical::line(&mut out, &format!("DTSTAMP:{}T120000Z", ical::date(stamp)));
    if let Some(start) = NaiveDate::from_ymd_opt(h.year, 1, 1) {
        ical::line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", ical::date(start)),
        );
    }
    let title = format!("History of {}, {}", h.who, h.year);
    ical::line(&mut out, &format!("SUMMARY:{}", ical::escape(&title)));
    ical::line(
        &mut out,
        &format!("RELATED-TO:{}", ical::escape(&h.contact_uid)),
    );
    ical::line(&mut out, "CATEGORIES:tickler");
    let lines: Vec<String> = h.entries.iter().map(line_of).collect();
    ical::line(
        &mut out,
        &format!("DESCRIPTION:{}", ical::escape(&lines.join("\n"))),
    );
    for e in &h.entries {
        ical::line(&mut out, &entry_property(e));
    }
    ical::line(&mut out, "END:VJOURNAL");
    ical::line(&mut out, "END:VCALENDAR");
    out
}

/// One `X-TICKLER-ENTRY`; `None` for one this version cannot read (kept out, never fatal).
fn read_entry(p: &icalendar::parser::Property<'_>) -> Option<Entry> {
    let get = |k: &str| ical::param_of(p, k);
    let id = get("ID")?;
    let date = ical::read_date(&get("DATE")?)?;
    let text = p.val.clone().unescape_text().as_str().to_string();
    let what = match get("KIND")?.as_str() {
        "touch" => What::Touch {
            channel: get("CHANNEL")?.parse().ok()?,
            direction: get("DIRECTION")
                .and_then(|d| d.parse().ok())
                .unwrap_or_default(),
            summary: text,
        },
        "sale" => What::Sale {
            amount_cents: get("AMOUNT")?.parse().ok()?,
            currency: get("CURRENCY")?,
            note: text,
        },
        "stage" => What::Stage {
            from: get("FROM").and_then(|s| s.parse().ok()),
            to: get("TO")?.parse().ok()?,
            reason: get("REASON").and_then(|s| s.parse().ok()),
        },
        _ => return None,
    };
    Some(Entry { id, date, what })
}

/// Read a history item. Entries it cannot read are counted in the second value.
pub fn read(text: &str) -> Result<(History, usize), MappingError> {
    let comps = ical::components(text)?;
    let j = comps
        .iter()
        .find(|c| c.name.as_str().eq_ignore_ascii_case("VJOURNAL"))
        .ok_or(MappingError::Missing {
            what: "VJOURNAL",
            field: "the component",
        })?;
    let missing = |field| MappingError::Missing {
        what: "VJOURNAL",
        field,
    };
    let contact_uid = ical::text(j, "RELATED-TO").ok_or(missing("RELATED-TO"))?;
    let year = j
        .find_prop("DTSTART")
        .and_then(|p| ical::read_date(p.val.as_str()))
        .map(|d| d.year())
        .ok_or(missing("DTSTART"))?;
    let who = ical::text(j, "SUMMARY")
        .and_then(|s| {
            s.strip_prefix("History of ")
                .and_then(|s| s.rsplit_once(", "))
                .map(|(w, _)| w.to_string())
        })
        .unwrap_or_default();
    let mut unreadable = 0;
    let mut entries = Vec::new();
    for p in j
        .properties
        .iter()
        .filter(|p| p.name.as_str() == "X-TICKLER-ENTRY")
    {
        match read_entry(p) {
            Some(e) => entries.push(e),
            None => unreadable += 1,
        }
    }
    let entries = union(&entries, &[]);
    Ok((
        History {
            contact_uid,
            who,
            year,
            entries,
        },
        unreadable,
    ))
}

/// The union of two histories by entry id (the first's version of an entry wins), ascending by
/// date then id. Append-only: nothing is ever dropped.
pub fn union(a: &[Entry], b: &[Entry]) -> Vec<Entry> {
    let mut by_id: BTreeMap<&str, &Entry> = BTreeMap::new();
    for e in b.iter().chain(a) {
        by_id.insert(&e.id, e);
    }
    let mut out: Vec<Entry> = by_id.into_values().cloned().collect();
    out.sort_by(|x, y| x.date.cmp(&y.date).then_with(|| x.id.cmp(&y.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HurryReason;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn history() -> History {
        History {
            contact_uid: "9f8e-contact".into(),
            who: "Ada Lovelace (Analytical Engines)".into(),
            year: 2026,
            entries: vec![
                Entry {
                    id: "t1".into(),
                    date: d(2026, 3, 5),
                    what: What::Touch {
                        channel: Channel::Call,
                        direction: Direction::Out,
                        summary: "sent the report; pages 3, 4\nand a note".into(),
                    },
                },
                Entry {
                    id: "t2".into(),
                    date: d(2026, 3, 6),
                    what: What::Touch {
                        channel: Channel::Email,
                        direction: Direction::In,
                        summary: String::new(),
                    },
                },
                Entry {
                    id: "s1".into(),
                    date: d(2026, 4, 1),
                    what: What::Sale {
                        amount_cents: 120_050,
                        currency: "EUR".into(),
                        note: "engine parts".into(),
                    },
                },
                Entry {
                    id: "m1".into(),
                    date: d(2026, 5, 1),
                    what: What::Stage {
                        from: Some(Stage::Proposal),
                        to: Stage::StayInTouch,
                        reason: Some(NoReason::NoHurry(Some(HurryReason::Procrastinate))),
                    },
                },
            ],
        }
    }

    #[test]
    fn round_trips_every_kind() {
        let h = history();
        let text = write(&h, d(2026, 6, 1));
        let (back, unreadable) = read(&text).unwrap();
        assert_eq!(unreadable, 0);
        assert_eq!(back, h);
    }

    #[test]
    fn people_read_the_description() {
        let text = icalendar::parser::unfold(&write(&history(), d(2026, 6, 1)));
        assert!(
            text.contains("SUMMARY:History of Ada Lovelace (Analytical Engines)\\, 2026"),
            "{text}"
        );
        assert!(
            text.contains("2026-04-01 sale 1200.50 EUR: engine parts"),
            "{text}"
        );
        assert!(text.contains("2026-03-06 email (from them)"), "{text}");
        assert!(text.contains("RELATED-TO:9f8e-contact"), "{text}");
    }

    #[test]
    fn entries_as_lines_and_rewritten() {
        let h = history();
        for e in &h.entries {
            assert_eq!(entry_from_line(&entry_line(e)).as_ref(), Some(e));
        }
        assert_eq!(entry_from_line("X-TICKLER-ENTRY;KIND=touch:x"), None);
        let text = write(
            &History {
                entries: h.entries[..1].to_vec(),
                ..h.clone()
            },
            d(2026, 6, 1),
        );
        let again = rewrite(&text, &h.entries).unwrap();
        assert_eq!(again, write(&h, d(2026, 6, 1)));
    }

    #[test]
    fn union_is_append_only_and_ordered() {
        let h = history();
        let (a, b) = (&h.entries[..3], &h.entries[1..]);
        let u = union(a, b);
        assert_eq!(u, h.entries);
        assert_eq!(union(b, a), h.entries);
        assert_eq!(union(&u, &u), h.entries);
    }

    #[test]
    fn unknown_entries_are_counted_not_fatal() {
        let text = write(&history(), d(2026, 6, 1)).replace(
            "END:VJOURNAL",
            "X-TICKLER-ENTRY;ID=z;DATE=20260101;KIND=future:x\r\nEND:VJOURNAL",
        );
        let (back, unreadable) = read(&text).unwrap();
        assert_eq!(unreadable, 1);
        assert_eq!(back.entries.len(), 4);
    }
}
