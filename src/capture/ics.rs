//! Reading meetings from iCalendar: `.ics` files and vdirs (folders of them), as calendar programs
//! write them. A small tolerant reader of what capture needs (RFC 5545 content lines: unfolding,
//! parameters, quoted values, text escapes): each VEVENT's UID, start day, summary, status,
//! organizer and attendees. A line it cannot read is skipped, not the file.
//!
//! A recurring event becomes one item per occurrence up to a given day, keyed by UID and day:
//! RRULE with FREQ=DAILY, WEEKLY (BYDAY weekdays), MONTHLY or YEARLY, INTERVAL, COUNT and UNTIL,
//! less EXDATE days and the occurrences the file overrides (RECURRENCE-ID), which are read as
//! their own events. A rule with other parts (BYMONTHDAY, BYSETPOS, numbered BYDAY...) is read
//! as its first occurrence only rather than guessed.

use super::{Addr, CaptureError, EventItem, Unreadable, one_line};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What was read from the paths given.
#[derive(Debug, Default)]
pub struct Found {
    pub items: Vec<EventItem>,
    pub unreadable: Vec<Unreadable>,
}

/// Read every event of the `.ics` files under `paths` (files, or folders such as a vdir);
/// recurring events are expanded up to `until`.
pub fn read_paths(paths: &[PathBuf], until: NaiveDate) -> Result<Found, CaptureError> {
    for p in paths {
        if !p.exists() {
            return Err(CaptureError::Missing(p.clone()));
        }
    }
    let mut out = Found::default();
    for p in paths {
        if p.is_dir() {
            walk(p, until, &mut out);
        } else {
            read_file(p, until, &mut out);
        }
    }
    Ok(out)
}

fn walk(dir: &Path, until: NaiveDate, out: &mut Found) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return out.unreadable.push(Unreadable {
                path: dir.to_path_buf(),
                why: e.to_string(),
            });
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        let ics = p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("ics"));
        if p.is_dir() {
            walk(&p, until, out);
        } else if ics {
            read_file(&p, until, out);
        }
    }
}

fn read_file(path: &Path, until: NaiveDate, out: &mut Found) {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let events = parse(&text, until);
            if events.is_empty() && !text.contains("BEGIN:VCALENDAR") {
                out.unreadable.push(Unreadable {
                    path: path.to_path_buf(),
                    why: "not an iCalendar file".to_string(),
                });
            }
            out.items.extend(events);
        }
        Err(e) => out.unreadable.push(Unreadable {
            path: path.to_path_buf(),
            why: e.to_string(),
        }),
    }
}

/// One content line: name, parameters, value.
#[derive(Debug, PartialEq, Eq)]
struct Line<'a> {
    name: String,
    params: Vec<(String, String)>,
    value: &'a str,
}

impl Line<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Join folded lines (a line starting with a space or a tab continues the one before).
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ => lines.push(raw.to_string()),
        }
    }
    lines
}

/// Split `NAME;P1=V1;P2="V;2":value`; `None` for a line that is not a content line.
fn content_line(line: &str) -> Option<Line<'_>> {
    let mut in_quotes = false;
    let colon = line.char_indices().find_map(|(i, c)| match c {
        '"' => {
            in_quotes = !in_quotes;
            None
        }
        ':' if !in_quotes => Some(i),
        _ => None,
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = split_unquoted(head, ';').into_iter();
    let name = parts.next()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let params = parts
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((
                k.trim().to_ascii_uppercase(),
                v.trim().trim_matches('"').to_string(),
            ))
        })
        .collect();
    Some(Line {
        name,
        params,
        value,
    })
}

fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, c) in s.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == sep && !in_quotes {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

/// A TEXT value unescaped (`\n`, `\,`, `\;`, `\\`).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    one_line(&out)
}

/// The day of a DATE or DATE-TIME value (`20261103`, `20261103T100000Z`), as written.
fn day(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    let digits = v.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(digits, "%Y%m%d").ok()
}

/// A calendar user address (`mailto:ada@example.com`) with its CN.
fn cal_address(line: &Line<'_>) -> Option<Addr> {
    let v = line.value.trim();
    let address = match v.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("mailto:") => &v[7..],
        _ => v,
    };
    address
        .contains('@')
        .then(|| Addr::new(address, line.param("CN").unwrap_or_default()))
}

/// What one VEVENT says, as it is read.
#[derive(Default)]
struct Draft {
    uid: Option<String>,
    start: Option<NaiveDate>,
    recurrence: Option<NaiveDate>,
    rule: Option<String>,
    exdates: Vec<NaiveDate>,
    summary: String,
    cancelled: bool,
    organizer: Option<Addr>,
    attendees: Vec<Addr>,
}

impl Draft {
    fn take(&mut self, l: &Line<'_>) {
        match l.name.as_str() {
            "UID" => self.uid = Some(l.value.trim().to_string()),
            "DTSTART" => self.start = day(l.value),
            "RECURRENCE-ID" => self.recurrence = day(l.value),
            "RRULE" => self.rule = Some(l.value.trim().to_ascii_uppercase()),
            "EXDATE" => self.exdates.extend(l.value.split(',').filter_map(day)),
            "SUMMARY" => self.summary = text(l.value),
            "STATUS" => self.cancelled = l.value.trim().eq_ignore_ascii_case("CANCELLED"),
            "ORGANIZER" => self.organizer = cal_address(l),
            "ATTENDEE" => {
                let declined = l
                    .param("PARTSTAT")
                    .is_some_and(|p| p.eq_ignore_ascii_case("DECLINED"));
                if !declined && let Some(a) = cal_address(l) {
                    self.attendees.push(a);
                }
            }
            _ => {}
        }
    }

    fn item(&self, date: NaiveDate) -> EventItem {
        EventItem {
            key: format!(
                "calendar:{}:{date}",
                self.uid.as_deref().unwrap_or_default()
            ),
            date,
            summary: self.summary.clone(),
            organizer: self.organizer.clone(),
            attendees: self.attendees.clone(),
            cancelled: self.cancelled,
        }
    }
}

/// The most occurrences one recurring event gives.
const MAX_OCCURRENCES: usize = 5_000;

/// A recurrence rule capture understands.
#[derive(Debug, PartialEq, Eq)]
struct Rule {
    freq: Freq,
    interval: u32,
    count: Option<usize>,
    until: Option<NaiveDate>,
    /// WEEKLY: the weekdays (empty: the start's).
    weekdays: Vec<chrono::Weekday>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// Parse `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=...`; `None` for a rule with parts not
/// understood (the event is then read as its first occurrence only).
fn rule(text: &str) -> Option<Rule> {
    let mut r = Rule {
        freq: Freq::Daily,
        interval: 1,
        count: None,
        until: None,
        weekdays: Vec::new(),
    };
    let mut freq = None;
    for part in text.split(';').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=')?;
        match k {
            "FREQ" => {
                freq = Some(match v {
                    "DAILY" => Freq::Daily,
                    "WEEKLY" => Freq::Weekly,
                    "MONTHLY" => Freq::Monthly,
                    "YEARLY" => Freq::Yearly,
                    _ => return None,
                })
            }
            "INTERVAL" => r.interval = v.parse().ok().filter(|n| *n > 0)?,
            "COUNT" => r.count = Some(v.parse().ok()?),
            "UNTIL" => r.until = Some(day(v)?),
            "WKST" => {}
            "BYDAY" => {
                for d in v.split(',') {
                    r.weekdays.push(weekday(d)?);
                }
            }
            _ => return None,
        }
    }
    r.freq = freq?;
    if !r.weekdays.is_empty() && r.freq != Freq::Weekly {
        return None;
    }
    Some(r)
}

fn weekday(code: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday::*;
    Some(match code {
        "MO" => Mon,
        "TU" => Tue,
        "WE" => Wed,
        "TH" => Thu,
        "FR" => Fri,
        "SA" => Sat,
        "SU" => Sun,
        _ => return None,
    })
}

/// The days a rule gives from `start`, up to `until` (and the rule's own end).
fn occurrences(start: NaiveDate, r: &Rule, until: NaiveDate) -> Vec<NaiveDate> {
    use chrono::{Datelike, Days, Months};
    let end = r.until.map_or(until, |u| u.min(until));
    let limit = r.count.unwrap_or(MAX_OCCURRENCES).min(MAX_OCCURRENCES);
    let mut out = Vec::new();
    let mut period = 0u32;
    // Each period (a day, a week, a month, a year, times the interval) from the start.
    while out.len() < limit && period < 100_000 {
        let n = period.saturating_mul(r.interval);
        let base = match r.freq {
            Freq::Daily => start.checked_add_days(Days::new(u64::from(n))),
            Freq::Weekly => start.checked_add_days(Days::new(u64::from(n) * 7)),
            Freq::Monthly => start.checked_add_months(Months::new(n)),
            Freq::Yearly => start.checked_add_months(Months::new(n.saturating_mul(12))),
        };
        let Some(base) = base else { break };
        let monday = base - Days::new(u64::from(base.weekday().num_days_from_monday()));
        let mut days: Vec<NaiveDate> = if r.freq == Freq::Weekly && !r.weekdays.is_empty() {
            r.weekdays
                .iter()
                .filter_map(|w| {
                    monday.checked_add_days(Days::new(u64::from(w.num_days_from_monday())))
                })
                .filter(|d| *d >= start)
                .collect()
        } else {
            vec![base]
        };
        days.sort();
        for d in days {
            if d > end || out.len() >= limit {
                return out;
            }
            out.push(d);
        }
        if base > end {
            break;
        }
        period += 1;
    }
    out
}

/// The events of a file's drafts: each recurring one expanded up to `until`, less its EXDATEs
/// and the occurrences overridden by another draft of the same UID.
fn expand(drafts: Vec<Draft>, until: NaiveDate) -> Vec<EventItem> {
    let overridden: std::collections::HashSet<(String, NaiveDate)> = drafts
        .iter()
        .filter_map(|d| Some((d.uid.clone()?, d.recurrence?)))
        .collect();
    let mut out = Vec::new();
    for d in &drafts {
        let Some(start) = d.start.or(d.recurrence) else {
            continue;
        };
        let days = match (&d.rule, d.recurrence) {
            (Some(text), None) => match rule(text) {
                Some(r) => occurrences(start, &r, until),
                None => vec![start],
            },
            _ => vec![start],
        };
        let uid = d.uid.clone().unwrap_or_default();
        for day in days {
            // An occurrence another VEVENT of the same UID overrides is that one's to give.
            let replaced = d.recurrence.is_none() && overridden.contains(&(uid.clone(), day));
            if !d.exdates.contains(&day) && !replaced {
                out.push(d.item(day));
            }
        }
    }
    out
}

/// Every VEVENT of an iCalendar text (properties of components inside it, such as VALARM, are
/// not the event's), recurring ones expanded up to `until`.
pub fn parse(text_in: &str, until: NaiveDate) -> Vec<EventItem> {
    let mut drafts = Vec::new();
    let mut event: Option<Draft> = None;
    let mut depth = 0usize;
    for raw in unfold(text_in) {
        let Some(l) = content_line(&raw) else {
            continue;
        };
        let value = l.value.trim();
        match (l.name.as_str(), event.as_mut()) {
            ("BEGIN", None) if value.eq_ignore_ascii_case("VEVENT") => {
                event = Some(Draft::default());
                depth = 0;
            }
            ("BEGIN", Some(_)) => depth += 1,
            ("END", Some(_)) if depth > 0 => depth -= 1,
            ("END", Some(_)) => drafts.extend(event.take()),
            (_, Some(d)) if depth == 0 => d.take(&l),
            _ => {}
        }
    }
    expand(drafts, until)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:abc-1\r\nDTSTART;TZID=Europe/Berlin:20261103T100000\r\nSUMMARY:Quote\\, heat pumps\\nand more\r\nORGANIZER;CN=\"Me, Myself\":mailto:me@example.org\r\nATTENDEE;CN=Ada;PARTSTAT=ACCEPTED:MAILTO:Ada@Example.com\r\nATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.com\r\nATTENDEE;CN=Long\r\n  Name:mailto:long@exa\r\n mple.com\r\nBEGIN:VALARM\r\nSUMMARY:alarm\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:abc-1\r\nRECURRENCE-ID:20261110T100000\r\nDTSTART:20261111T100000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn events_with_their_people() {
        let ev = parse(ICS, d(2030, 1, 1));
        assert_eq!(ev.len(), 2);
        let e = &ev[0];
        assert_eq!(e.key, "calendar:abc-1:2026-11-03");
        assert_eq!(e.summary, "Quote, heat pumps and more");
        assert_eq!(e.organizer, Some(Addr::new("me@example.org", "Me, Myself")));
        let who: Vec<&str> = e.attendees.iter().map(|a| a.address.as_str()).collect();
        assert_eq!(who, ["ada@example.com", "long@example.com"]);
        assert_eq!(e.attendees[1].name, "Long Name");
        assert!(!e.cancelled);
        assert_eq!(ev[1].key, "calendar:abc-1:2026-11-11");
        assert!(ev[1].cancelled);
    }

    #[test]
    fn bad_lines_are_skipped_not_the_file() {
        let ev = parse(
            "BEGIN:VEVENT\nnonsense\nDTSTART;VALUE=DATE:20260101\nUID:x\nDTEND:garbage\nEND:VEVENT\n",
            d(2030, 1, 1),
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].date, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert!(parse("BEGIN:VEVENT\nUID:no-start\nEND:VEVENT\n", d(2030, 1, 1)).is_empty());
    }

    fn days(rule_text: &str, start: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
        occurrences(start, &rule(rule_text).unwrap(), until)
    }

    #[test]
    fn recurrence_rules() {
        let start = d(2026, 1, 5); // a Monday
        assert_eq!(
            days("FREQ=DAILY;COUNT=3", start, d(2030, 1, 1)),
            [d(2026, 1, 5), d(2026, 1, 6), d(2026, 1, 7)]
        );
        assert_eq!(
            days("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", start, d(2026, 1, 31)),
            [d(2026, 1, 5), d(2026, 1, 8), d(2026, 1, 19), d(2026, 1, 22)]
        );
        assert_eq!(
            days(
                "FREQ=MONTHLY;UNTIL=20260405T000000Z",
                d(2026, 1, 31),
                d(2030, 1, 1)
            ),
            [d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31)]
        );
        assert_eq!(
            days("FREQ=YEARLY", d(2024, 2, 29), d(2026, 12, 31)),
            [d(2024, 2, 29), d(2025, 2, 28), d(2026, 2, 28)]
        );
        // Up to the day given, however long the rule runs.
        assert_eq!(days("FREQ=DAILY", start, d(2026, 1, 6)).len(), 2);
        assert_eq!(rule("FREQ=MONTHLY;BYMONTHDAY=15"), None);
        assert_eq!(rule("FREQ=MONTHLY;BYDAY=1MO"), None);
    }

    #[test]
    fn exdates_and_overridden_occurrences_are_not_repeated() {
        let ics = "BEGIN:VEVENT\nUID:w\nDTSTART:20260105T090000\nRRULE:FREQ=WEEKLY;COUNT=4\nEXDATE:20260112T090000\nEND:VEVENT\nBEGIN:VEVENT\nUID:w\nRECURRENCE-ID:20260119T090000\nDTSTART:20260120T100000\nEND:VEVENT\n";
        let keys: Vec<String> = parse(ics, d(2030, 1, 1))
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(
            keys,
            [
                "calendar:w:2026-01-05",
                "calendar:w:2026-01-26",
                "calendar:w:2026-01-20"
            ]
        );
    }
}
