//! What every pane shares: the diary as last read (the roster snapshot) and what the planner
//! derives from it once per read (each contact's next due, this week's triage items, the review
//! lists, the LYBUNT list, the counts, the rows due per day), plus the search index and tags.
//!
//! Filled by [`Diary::set`] after each read of the store (the effects and the watch call it);
//! never touches the store itself, and never formats anything for people.

use crate::model::{ContactId, Profile};
use crate::planner::{self, LybuntEntry, NextDue, close};
use crate::store::Roster;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Which review list an item is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    MoveForwardOrOut,
    Adrift,
    Unreachable,
    /// The last capture (of the past week) logged a touch for the contact.
    Captured,
}

impl ReviewKind {
    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::MoveForwardOrOut => "move forward or out",
            ReviewKind::Adrift => "adrift",
            ReviewKind::Unreachable => "unreachable",
            ReviewKind::Captured => "captured",
        }
    }
}

/// Counts for the status bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub due_today: usize,
    pub overdue: usize,
    pub lybunt: usize,
}

/// The search index: name, company, tags and notes of each contact, converted once for the
/// matcher; the tags per contact and all tags (the roster has no notes or tags).
#[derive(Debug, Default)]
pub struct Index {
    pub hay: Vec<(ContactId, nucleo_matcher::Utf32String)>,
    pub tags: HashMap<ContactId, Vec<String>>,
    pub all_tags: Vec<String>,
    /// A write (ours or another process's) came after the index was read: the next search or
    /// tag filter reads it again.
    pub stale: bool,
    /// Read at least once.
    pub loaded: bool,
}

/// The diary as the panes see it.
#[derive(Debug)]
pub struct Diary {
    pub today: NaiveDate,
    pub roster: Roster,
    /// Contact id -> row in `roster.rows`.
    pub index: HashMap<ContactId, usize>,
    /// The planner's next due per roster row.
    pub dues: Vec<Option<NextDue>>,
    /// Each row's value (sales of this and last fiscal year), for ordering by value.
    pub values: Vec<i64>,
    pub counts: Counts,
    /// This week's triage items (overdue and due by Sunday, not cleared), in the agenda's order.
    pub triage: Vec<usize>,
    /// This week's cleared items as the store keeps them (contact, day cleared).
    pub cleared: Vec<(ContactId, NaiveDate)>,
    /// The contacts the last capture run of the past week logged touches for (oldest touch
    /// first), shown in the review; read by `session::refresh` before the diary is set.
    pub captured: Vec<ContactId>,
    /// How many of `cleared` stay hidden (the "N" of "N of M cleared").
    pub cleared_shown: usize,
    pub review: Vec<(usize, ReviewKind)>,
    /// LYBUNT customers, by last year's value, with their rows.
    pub lybunt: Vec<(usize, LybuntEntry)>,
    /// Rows by their next due day, for the calendar.
    pub by_day: BTreeMap<NaiveDate, Vec<usize>>,
    pub search: Index,
}

impl Diary {
    pub fn new(roster: Roster, today: NaiveDate) -> Diary {
        let mut d = Diary {
            today,
            roster: Roster::default(),
            index: HashMap::new(),
            dues: Vec::new(),
            values: Vec::new(),
            counts: Counts::default(),
            triage: Vec::new(),
            cleared: Vec::new(),
            captured: Vec::new(),
            cleared_shown: 0,
            review: Vec::new(),
            lybunt: Vec::new(),
            by_day: BTreeMap::new(),
            search: Index::default(),
        };
        d.set(roster, Vec::new());
        d
    }

    /// Replace the roster and this week's cleared items, and recompute what derives from them.
    pub fn set(&mut self, roster: Roster, cleared: Vec<(ContactId, NaiveDate)>) {
        self.roster = roster;
        self.cleared = cleared;
        let today = self.today;
        let entries = planner::entries(&self.roster.categories, &self.roster.rows);
        let s = &self.roster.settings;
        self.index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.contact.id, i))
            .collect();
        self.dues = entries
            .iter()
            .map(|e| planner::next_due(*e, s, today))
            .collect();
        self.values = entries
            .iter()
            .map(|e| planner::value_cents(e.facts, s, today))
            .collect();
        let agenda = planner::agenda(&entries, s, today, today, close::week_end(today));
        let lybunt = planner::lybunt(&entries, s, today);
        let review = planner::review(&entries, s, today);
        drop(entries);
        self.counts = Counts {
            due_today: agenda
                .days
                .first()
                .filter(|d| d.date == today)
                .map_or(0, |d| d.items.len()),
            overdue: agenda.overdue.len(),
            lybunt: lybunt.len(),
        };
        let items = agenda
            .overdue
            .iter()
            .chain(agenda.days.iter().flat_map(|d| d.items.iter()))
            .map(|i| (i.due.contact, i.due.date));
        // One row per contact (its most urgent item): clearing clears the contact.
        let mut seen = std::collections::HashSet::new();
        self.triage = items
            .filter(|&(id, due)| !self.hidden(id, due))
            .filter_map(|(id, _)| self.row_of(id))
            .filter(|&r| seen.insert(r))
            .collect();
        self.cleared_shown = self
            .cleared
            .iter()
            .filter(|(id, _)| self.hidden(*id, self.due_date(*id)))
            .count();
        self.review = self.review_rows(&review);
        self.lybunt = lybunt
            .into_iter()
            .filter_map(|l| self.row_of(l.contact).map(|r| (r, l)))
            .collect();
        self.by_day = BTreeMap::new();
        for (i, due) in self.dues.iter().enumerate() {
            if let Some(d) = due {
                self.by_day.entry(d.date).or_default().push(i);
            }
        }
    }

    fn review_rows(&self, rev: &planner::Review) -> Vec<(usize, ReviewKind)> {
        let mut out = Vec::new();
        for (ids, kind) in [
            (&rev.move_forward_or_out, ReviewKind::MoveForwardOrOut),
            (&rev.adrift, ReviewKind::Adrift),
            (&rev.unreachable, ReviewKind::Unreachable),
            (&self.captured, ReviewKind::Captured),
        ] {
            for &id in ids {
                // What capture logged is shown as done, not as something to clear (the touches
                // it logged cleared the contact's item this week).
                if let Some(r) = self.row_of(id)
                    && (kind == ReviewKind::Captured || !self.hidden(id, self.due_date(id)))
                {
                    out.push((r, kind));
                }
            }
        }
        out
    }

    /// Cleared this week and not due again since (see [`close::hidden`]).
    fn hidden(&self, id: ContactId, due: NaiveDate) -> bool {
        close::hidden(&self.cleared, id, due, self.today)
    }

    fn due_date(&self, id: ContactId) -> NaiveDate {
        self.row_of(id)
            .and_then(|r| self.due(r))
            .map_or(NaiveDate::MAX, |d| d.date)
    }

    pub fn row_of(&self, id: ContactId) -> Option<usize> {
        self.index.get(&id).copied()
    }

    pub fn profile(&self, row: usize) -> Option<&Profile> {
        self.roster.rows.get(row).map(|(p, _)| p)
    }

    pub fn due(&self, row: usize) -> Option<&NextDue> {
        self.dues.get(row).and_then(Option::as_ref)
    }

    pub fn value(&self, row: usize) -> i64 {
        self.values.get(row).copied().unwrap_or(0)
    }

    /// The contact's profile by id.
    pub fn contact(&self, id: ContactId) -> Option<&Profile> {
        self.row_of(id).and_then(|r| self.profile(r))
    }

    /// "c12 Ada Lovelace (Acme)", or "c12" for a contact not in the roster.
    pub fn who(&self, id: ContactId) -> String {
        self.contact(id)
            .map_or_else(|| format!("c{id}"), |p| crate::text::who(id, &p.label()))
    }

    /// "c12 Ada Lovelace (Acme)" for one contact, "3 contacts" for several.
    pub fn whom(&self, ids: &[ContactId]) -> String {
        match ids {
            [one] => self.who(*one),
            _ => crate::text::count(ids.len(), "contact", "contacts"),
        }
    }

    /// The planned touch a contact's due item stands for (the triage item a key acts on).
    pub fn item_touch(&self, id: ContactId) -> Option<crate::model::TouchId> {
        self.row_of(id)
            .and_then(|r| self.due(r))
            .and_then(|d| d.touch)
    }

    /// How many touches the contact has planned (what moving out would call off).
    pub fn planned_count(&self, id: ContactId) -> usize {
        self.row_of(id)
            .and_then(|r| self.roster.rows.get(r))
            .map_or(0, |(_, f)| f.planned.len())
    }

    /// The category's name.
    pub fn category_name(&self, id: crate::model::CategoryId) -> String {
        self.roster
            .categories
            .iter()
            .find(|k| k.id == id)
            .map_or_else(|| format!("k{id}"), |k| k.name.clone())
    }

    /// The rows due on `day` (on today: overdue ones too).
    pub fn due_on(&self, day: NaiveDate) -> Vec<usize> {
        if day == self.today {
            self.by_day
                .range(..=day)
                .flat_map(|(_, v)| v.iter().copied())
                .collect()
        } else {
            self.by_day.get(&day).cloned().unwrap_or_default()
        }
    }

    /// Does a (category, tag) filter keep this contact?
    pub fn keeps(&self, f: &Filter, p: &Profile) -> bool {
        f.category.is_none_or(|c| p.category == Some(c))
            && f.tag.as_ref().is_none_or(|t| {
                self.search
                    .tags
                    .get(&p.id)
                    .is_some_and(|have| have.iter().any(|h| h == t))
            })
    }
}

/// A list's filter: one category, one tag, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub category: Option<crate::model::CategoryId>,
    pub tag: Option<String>,
}

impl Filter {
    pub fn is_on(&self) -> bool {
        self.category.is_some() || self.tag.is_some()
    }
}
