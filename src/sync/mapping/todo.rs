//! A follow-up (a planned touch) as a VTODO, and back.
//!
//! Written: UID (the touch's global id), SUMMARY ("Call Ada Lovelace (Analytical Engines)"), DUE as
//! a date, DESCRIPTION (why it is due, then what to send), STATUS (NEEDS-ACTION, COMPLETED with
//! COMPLETED, or CANCELLED), RELATED-TO the contact's vCard UID, a VALARM at 09:00 on the morning it
//! is due (relative to DUE, so in the phone's own time zone), and X-TICKLER-CHANNEL /
//! X-TICKLER-SEND so tickler reads back exactly what it wrote.
//!
//! Read back: DUE (a date, or the date of a date-time), STATUS and COMPLETED (a completion date),
//! and what to send (X-TICKLER-SEND, or the DESCRIPTION when another app rewrote it).

use super::{MappingError, ical};
use crate::model::Channel;
use crate::sync::merge::{Record, Value};
use chrono::NaiveDate;

/// Where a follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TodoState {
    Open,
    /// Done on that date.
    Completed(NaiveDate),
    Cancelled,
}

impl TodoState {
    fn as_value(self) -> Value {
        match self {
            TodoState::Open => Value::one("open"),
            TodoState::Completed(d) => Value::one(format!("completed {d}")),
            TodoState::Cancelled => Value::one("cancelled"),
        }
    }

    /// The state a record's `state` field holds (open when absent or unknown).
    pub fn from_value(v: Option<&Value>) -> TodoState {
        let s = v.and_then(Value::as_str).unwrap_or("open");
        if s == "cancelled" {
            return TodoState::Cancelled;
        }
        s.strip_prefix("completed ")
            .and_then(|d| d.parse().ok())
            .map_or(TodoState::Open, TodoState::Completed)
    }
}

/// One follow-up as synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// The touch's global id.
    pub uid: String,
    /// The contact's global id (its vCard UID).
    pub contact_uid: String,
    /// "Name (Company)".
    pub who: String,
    pub channel: Channel,
    pub due: NaiveDate,
    /// Why it is due ("every 30 days since the last call").
    pub why: String,
    /// What to send or say (the touch's summary).
    pub send: String,
    pub state: TodoState,
}

/// What the phone shows: "Call Ada Lovelace (Analytical Engines)".
pub fn summary(channel: Channel, who: &str) -> String {
    match channel {
        Channel::Call => format!("Call {who}"),
        Channel::Email => format!("Email {who}"),
        Channel::Meeting => format!("Meet {who}"),
        Channel::Letter => format!("Write a letter to {who}"),
        Channel::Postcard => format!("Send a postcard to {who}"),
        Channel::Newsletter => format!("Send the newsletter to {who}"),
        Channel::MassMailing => format!("Include {who} in the mailing"),
        Channel::Sample => format!("Send a sample to {who}"),
        Channel::HandwrittenNote => format!("Write a note to {who}"),
        Channel::BirthdayCard => format!("Send a birthday card to {who}"),
        Channel::Gift => format!("Send a gift to {who}"),
        Channel::Other => format!("Get in touch with {who}"),
    }
}

fn description(f: &FollowUp) -> String {
    let mut parts = Vec::new();
    if !f.why.is_empty() {
        parts.push(format!("Why: {}", f.why));
    }
    if !f.send.is_empty() {
        parts.push(format!("Send: {}", f.send));
    }
    parts.join("\n")
}

/// The VTODO (a whole iCalendar object). `stamp` is today (DTSTAMP), so the text depends on no
/// clock. Written by hand rather than with the icalendar crate's builder, whose VALARM gets a random
/// UID and the current time on every write (the same follow-up must give the same text).
pub fn write(f: &FollowUp, stamp: NaiveDate) -> String {
    let title = summary(f.channel, &f.who);
    let mut out = String::new();
    let mut put = |l: &str| ical::line(&mut out, l);
    put("BEGIN:VCALENDAR");
    put("VERSION:2.0");
    put("PRODID:-//tickler//sync//EN");
    put("BEGIN:VTODO");
    put(&format!("UID:{}", ical::escape(&f.uid)));
    put(&format!("DTSTAMP:{}T120000Z", ical::date(stamp)));
    put(&format!("SUMMARY:{}", ical::escape(&title)));
    put(&format!("DUE;VALUE=DATE:{}", ical::date(f.due)));
    let text = description(f);
    if !text.is_empty() {
        put(&format!("DESCRIPTION:{}", ical::escape(&text)));
    }
    put(&format!("RELATED-TO:{}", ical::escape(&f.contact_uid)));
    put("CATEGORIES:tickler");
    put(&format!("X-TICKLER-CHANNEL:{}", f.channel));
    put(&format!("X-TICKLER-SEND:{}", ical::escape(&f.send)));
    match f.state {
        TodoState::Open => {
            put("STATUS:NEEDS-ACTION");
            // 09:00 on the day it is due, in the phone's own time zone (DUE is a date).
            put("BEGIN:VALARM");
            put("ACTION:DISPLAY");
            put(&format!("DESCRIPTION:{}", ical::escape(&title)));
            put("TRIGGER;RELATED=END:PT9H");
            put("END:VALARM");
        }
        TodoState::Completed(d) => {
            put("STATUS:COMPLETED");
            put("PERCENT-COMPLETE:100");
            put(&format!("COMPLETED:{}T120000Z", ical::date(d)));
        }
        TodoState::Cancelled => put("STATUS:CANCELLED"),
    }
    put("END:VTODO");
    put("END:VCALENDAR");
    out
}

/// A VTODO as read from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteTodo {
    pub uid: String,
    pub due: Option<NaiveDate>,
    pub state: TodoState,
    pub channel: Option<Channel>,
    pub send: String,
    pub contact_uid: Option<String>,
    pub summary: String,
}

/// Read the first VTODO of an iCalendar object.
pub fn read(text: &str) -> Result<RemoteTodo, MappingError> {
    let comps = ical::components(text)?;
    let todo = comps
        .iter()
        .find(|c| c.name.as_str().eq_ignore_ascii_case("VTODO"))
        .ok_or(MappingError::Missing {
            what: "VTODO",
            field: "the component",
        })?;
    let uid = ical::text(todo, "UID").ok_or(MappingError::Missing {
        what: "VTODO",
        field: "UID",
    })?;
    let due = todo
        .find_prop("DUE")
        .and_then(|p| ical::read_date(p.val.as_str()));
    let status = ical::text(todo, "STATUS")
        .unwrap_or_default()
        .to_ascii_uppercase();
    let completed = todo
        .find_prop("COMPLETED")
        .and_then(|p| ical::read_date(p.val.as_str()));
    let state = match (status.as_str(), completed) {
        ("CANCELLED", _) => TodoState::Cancelled,
        // COMPLETED without a date (some apps): done on the day it was due.
        ("COMPLETED", c) => match c.or(due) {
            Some(d) => TodoState::Completed(d),
            None => TodoState::Open,
        },
        (_, Some(d)) => TodoState::Completed(d),
        _ => TodoState::Open,
    };
    let description = ical::text(todo, "DESCRIPTION").unwrap_or_default();
    let send = match ical::text(todo, "X-TICKLER-SEND") {
        Some(s) if written_by_us(&description, &s) => s,
        // Another app rewrote the description: its text is what to send now.
        _ => description
            .lines()
            .filter(|l| !l.starts_with("Why: "))
            .map(|l| l.strip_prefix("Send: ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    Ok(RemoteTodo {
        uid,
        due,
        state,
        channel: ical::text(todo, "X-TICKLER-CHANNEL").and_then(|c| c.parse().ok()),
        send,
        contact_uid: ical::text(todo, "RELATED-TO"),
        summary: ical::text(todo, "SUMMARY").unwrap_or_default(),
    })
}

/// Whether `description` is still the one tickler wrote around `send` (see [`description`]).
fn written_by_us(description: &str, send: &str) -> bool {
    if send.is_empty() {
        description.is_empty() || (description.starts_with("Why: ") && !description.contains('\n'))
    } else {
        description.ends_with(&format!("Send: {send}"))
    }
}

/// A follow-up's fields for the merge.
pub fn record(
    due: Option<NaiveDate>,
    state: TodoState,
    send: &str,
    channel: Option<Channel>,
) -> Record {
    let mut r = Record::new();
    r.insert("due".into(), Value::opt(due.map(|d| d.to_string())));
    r.insert("state".into(), state.as_value());
    r.insert("send".into(), Value::text(send));
    r.insert("channel".into(), Value::opt(channel.map(Channel::as_str)));
    r.retain(|_, v| *v != Value::None);
    r
}

impl FollowUp {
    pub fn record(&self) -> Record {
        record(Some(self.due), self.state, &self.send, Some(self.channel))
    }
}

impl RemoteTodo {
    pub fn record(&self) -> Record {
        record(self.due, self.state, &self.send, self.channel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ada() -> FollowUp {
        FollowUp {
            uid: "0a1b2c3d-touch".into(),
            contact_uid: "9f8e7d6c-contact".into(),
            who: "Ada Lovelace (Analytical Engines)".into(),
            channel: Channel::Call,
            due: d(2026, 3, 5),
            why: "every 30 days since the last call".into(),
            send: "the report on the engine, pages 3; 4, and notes".into(),
            state: TodoState::Open,
        }
    }

    #[test]
    fn writes_what_a_phone_shows() {
        let text = write(&ada(), d(2026, 3, 1));
        let unfolded = icalendar::parser::unfold(&text);
        for needle in [
            "SUMMARY:Call Ada Lovelace (Analytical Engines)",
            "DUE;VALUE=DATE:20260305",
            "STATUS:NEEDS-ACTION",
            "RELATED-TO:9f8e7d6c-contact",
            "BEGIN:VALARM",
            "TRIGGER;RELATED=END:PT9H",
            "PRODID:-//tickler//sync//EN",
            "X-TICKLER-CHANNEL:call",
            "DESCRIPTION:Why: every 30 days since the last call\\nSend: the report on the engine\\, pages 3\\; 4\\, and notes",
        ] {
            assert!(unfolded.contains(needle), "{needle} missing in\n{unfolded}");
        }
    }

    #[test]
    fn the_same_follow_up_gives_the_same_text() {
        assert_eq!(write(&ada(), d(2026, 3, 1)), write(&ada(), d(2026, 3, 1)));
        let done = FollowUp {
            state: TodoState::Completed(d(2026, 3, 4)),
            ..ada()
        };
        let text = write(&done, d(2026, 3, 4));
        assert!(
            text.contains("COMPLETED:20260304T120000Z") && !text.contains("VALARM"),
            "{text}"
        );
    }

    #[test]
    fn round_trips() {
        for state in [
            TodoState::Open,
            TodoState::Completed(d(2026, 3, 4)),
            TodoState::Cancelled,
        ] {
            let f = FollowUp { state, ..ada() };
            let r = read(&write(&f, d(2026, 3, 1))).unwrap();
            assert_eq!(r.uid, f.uid);
            assert_eq!(r.due, Some(f.due));
            assert_eq!(r.state, state);
            assert_eq!(r.send, f.send);
            assert_eq!(r.channel, Some(Channel::Call));
            assert_eq!(r.contact_uid.as_deref(), Some("9f8e7d6c-contact"));
            assert_eq!(r.record(), f.record());
        }
    }

    #[test]
    fn reads_what_another_app_changed() {
        // A phone ticked it off (with a date-time), moved nothing, and rewrote the description.
        let text = write(&ada(), d(2026, 3, 1))
            .replace(
                "STATUS:NEEDS-ACTION",
                "STATUS:COMPLETED\r\nCOMPLETED:20260306T174500Z",
            )
            .replace("DUE;VALUE=DATE:20260305", "DUE:20260309T100000");
        let text = {
            let unfolded = icalendar::parser::unfold(&text);
            let start = unfolded.find("DESCRIPTION:").unwrap();
            let end = start + unfolded[start..].find("\r\n").unwrap();
            format!(
                "{}DESCRIPTION:bring the brochure{}",
                &unfolded[..start],
                &unfolded[end..]
            )
        };
        let r = read(&text).unwrap();
        assert_eq!(r.state, TodoState::Completed(d(2026, 3, 6)));
        assert_eq!(r.due, Some(d(2026, 3, 9)));
        assert_eq!(r.send, "bring the brochure");
    }

    #[test]
    fn a_todo_written_by_another_app() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\nBEGIN:VTODO\r\nUID:x@phone\r\nDTSTAMP:20260301T080000Z\r\nSUMMARY:Call Ada\r\nSTATUS:COMPLETED\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        let r = read(text).unwrap();
        assert_eq!(r.uid, "x@phone");
        // Completed with neither a date nor a due date: nothing to log it on.
        assert_eq!(r.state, TodoState::Open);
        assert_eq!(r.channel, None);
        assert!(read("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").is_err());
        assert!(read("not ical").is_err());
    }

    #[test]
    fn states_as_values() {
        for s in [
            TodoState::Open,
            TodoState::Completed(d(2026, 1, 2)),
            TodoState::Cancelled,
        ] {
            assert_eq!(TodoState::from_value(Some(&s.as_value())), s);
        }
        assert_eq!(TodoState::from_value(None), TodoState::Open);
    }
}
