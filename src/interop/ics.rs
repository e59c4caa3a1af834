//! The iCalendar export: the diary's follow-ups as all-day VEVENTs (not VTODOs: every common
//! calendar shows all-day events, few show tasks), so the diary also appears in the user's calendar.
//!
//! One event per planned touch in `[from, to]` (UID `touch-<id>@tickler`), one per agenda due item
//! that is not a planned touch (UID `due-<contact>@tickler`: a contact has one next due, so when
//! it moves the calendar moves the event instead of keeping a stale copy; a birthday card item is
//! `card-<contact>-<year>@tickler`), and one yearly recurring event per kept contact with a
//! birthday (UID `birthday-<contact>@tickler`, `RRULE:FREQ=YEARLY`). Items already overdue are
//! placed on the first day of the range, their summary starting with "Overdue:". DTSTAMP is
//! `today` at midnight UTC, so two exports on one day are byte-identical. UIDs never depend on
//! the export, so re-importing into a calendar updates events instead of duplicating them. PRODID
//! names tickler.

use crate::model::{Contact, ContactId, Profile, Stage, Touch, TouchState};
use crate::planner::{self, DueReason, NextDue};
use crate::store::Roster;
use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use std::collections::{HashMap, HashSet};

/// The PRODID of tickler's calendars (RFC 5545 3.7.3: who made the file).
pub const PRODID: &str = concat!("-//tickler//tickler ", env!("CARGO_PKG_VERSION"), "//EN");

/// How many events of each kind an export holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct IcsCounts {
    pub planned: usize,
    pub due: usize,
    pub birthdays: usize,
}

fn event(uid: &str, date: NaiveDate, summary: &str, description: &str, stamp: NaiveDate) -> Event {
    let mut e = Event::new();
    e.uid(uid).summary(summary).starts(date);
    if let Some(next) = date.checked_add_days(Days::new(1)) {
        e.ends(next);
    }
    if !description.is_empty() {
        e.description(description);
    }
    if let Some(ts) = stamp
        .and_hms_opt(0, 0, 0)
        .map(|dt| Utc.from_utc_datetime(&dt))
    {
        e.timestamp(ts);
    }
    e.done()
}

/// Build the calendar. `planned` holds the planned touches (others are ignored); `contacts` the
/// full contacts (for birthdays). The agenda is the planner's, computed with `today`.
pub fn calendar(
    roster: &Roster,
    contacts: &[Contact],
    planned: &[Touch],
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> (Calendar, IcsCounts) {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", PRODID));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.name("tickler follow-ups");
    let mut b = Builder {
        cal,
        counts: IcsCounts::default(),
        names: roster.rows.iter().map(|(p, _)| (p.id, p)).collect(),
        today,
        start: from.max(today),
        seen: HashSet::new(),
    };
    for t in planned
        .iter()
        .filter(|t| t.state == TouchState::Planned && t.date >= from && t.date <= to)
    {
        b.planned_touch(t);
    }
    let entries = planner::entries(&roster.categories, &roster.rows);
    let ag = planner::agenda(&entries, &roster.settings, today, from, to);
    let items = ag
        .overdue
        .iter()
        .chain(ag.days.iter().flat_map(|d| d.items.iter()));
    for item in items {
        b.due_item(&item.due);
    }
    for c in contacts.iter().filter(|c| c.stage != Stage::Archived) {
        b.birthday(c);
    }
    (b.cal.done(), b.counts)
}

/// A calendar being filled, with what its events are written from.
struct Builder<'a> {
    cal: Calendar,
    counts: IcsCounts,
    names: HashMap<ContactId, &'a Profile>,
    today: NaiveDate,
    /// The first day of the range that is not before today: overdue items are placed on it.
    start: NaiveDate,
    /// The planned touches written (an agenda item of one is not written again).
    seen: HashSet<u64>,
}

impl Builder<'_> {
    fn label(&self, id: ContactId) -> String {
        self.names
            .get(&id)
            .map_or_else(|| format!("c{id}"), |p| p.label())
    }

    /// The day an item goes on and its summary: an overdue one on the first day, marked so.
    fn place(&self, date: NaiveDate, summary: String) -> (NaiveDate, String) {
        if date < self.start {
            (self.start, format!("Overdue: {summary} (due {date})"))
        } else {
            (date, summary)
        }
    }

    fn planned_touch(&mut self, t: &Touch) {
        self.seen.insert(t.id.0);
        let summary = format!("{}: {}", t.channel, self.label(t.contact));
        let (date, summary) = self.place(t.date, summary);
        let uid = format!("touch-{}@tickler", t.id);
        self.cal
            .push(event(&uid, date, &summary, &t.summary, self.today));
        self.counts.planned += 1;
    }

    /// An agenda item: a planned touch not written yet, a birthday card, or a contact's next due.
    fn due_item(&mut self, due: &NextDue) {
        let who = self.label(due.contact);
        let (uid, summary) = match (due.touch, due.reason) {
            (Some(t), _) => {
                if !self.seen.insert(t.0) {
                    return;
                }
                (
                    format!("touch-{t}@tickler"),
                    format!("{}: {who}", due.channel),
                )
            }
            (None, DueReason::Birthday) => (
                format!("card-{}-{}@tickler", due.contact, due.date.year()),
                format!("Birthday card: {who}"),
            ),
            (None, reason) => (
                format!("due-{}@tickler", due.contact),
                format!("{}: {who} ({})", due.channel, reason.as_str()),
            ),
        };
        let (date, summary) = self.place(due.date, summary);
        let description = format!(
            "{} contact c{}, {} due {}",
            if due.adrift { "Adrift:" } else { "Follow-up:" },
            due.contact,
            due.reason.as_str(),
            due.date
        );
        self.cal
            .push(event(&uid, date, &summary, &description, self.today));
        if due.touch.is_some() {
            self.counts.planned += 1;
        } else {
            self.counts.due += 1;
        }
    }

    /// A yearly event on the contact's birthday, when it has one.
    fn birthday(&mut self, c: &Contact) {
        let Some(b) = c.birthday else { return };
        let year = b.year.unwrap_or(2000);
        let Some(date) = NaiveDate::from_ymd_opt(year, b.month, b.day) else {
            return;
        };
        let mut e = event(
            &format!("birthday-{}@tickler", c.id),
            date,
            &format!("Birthday: {}", c.label()),
            "",
            self.today,
        );
        // 29 February: the last day of February every year.
        let rule = if b.month == 2 && b.day == 29 {
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
        } else {
            "FREQ=YEARLY"
        };
        e.add_property("RRULE", rule);
        self.cal.push(e.done());
        self.counts.birthdays += 1;
    }
}
