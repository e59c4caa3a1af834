//! The TUI's state: roster-derived data (refreshed after every write) and each pane's cursor.
//! Filled by `update` and the effect runner; read by the panes, which never mutate it.

use super::action::Pane;
use super::keymap::Keymap;
use super::theme::Theme;
use crate::model::{
    CategoryId, Channel, Contact, ContactId, NoReason, Piece, Profile, Sale, Stage, Touch, TouchId,
};
use crate::planner::{self, Facts, NextDue, close};
use crate::store::Roster;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// What a numbered picker is choosing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerKind {
    /// The reason of the "no" for moving `contact` to `target`.
    Reason {
        contact: ContactId,
        target: Stage,
    },
    Snooze {
        contact: ContactId,
    },
    Channel {
        contact: ContactId,
    },
    Stage {
        contact: ContactId,
    },
    /// A tag to filter the pipeline by (from [`Model::all_tags`]).
    Tag,
}

/// What a one-line prompt is asking for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    Summary {
        contact: ContactId,
    },
    /// A new day for the contact's planned touch (`touch`; `None`: the one it is due on).
    Reschedule {
        contact: ContactId,
        touch: Option<TouchId>,
    },
    SnoozeDate {
        contact: ContactId,
    },
    PlanDate {
        contact: ContactId,
    },
    /// Logging a touch: the date (empty: today), then a one-line summary.
    LogDate {
        contact: ContactId,
        channel: Channel,
    },
    LogSummary {
        contact: ContactId,
        channel: Channel,
        date: NaiveDate,
    },
    GoTo,
    Search,
    Command,
}

/// The modal state on top of the panes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Normal,
    Help,
    Prompt {
        kind: PromptKind,
        text: String,
    },
    Picker {
        kind: PickerKind,
        selected: usize,
    },
    /// After a done: the next touch is planned (`next`: its id, day and channel); keep it
    /// (Enter), another day (p), forward (f) or out (o).
    Decide {
        contact: ContactId,
        next: Option<(TouchId, NaiveDate, Channel)>,
    },
    Editor,
    /// The notes changed in the file while the editor had them open: keep ours (k), merge both
    /// (m), drop ours (d), or back to the editor (Esc). `theirs` is the notes as saved now.
    NotesConflict {
        contact: ContactId,
        theirs: String,
    },
    /// Moving out a contact with planned touches: call them off (Enter, y) or keep them (k).
    ConfirmOut {
        contact: ContactId,
        target: Stage,
        reason: NoReason,
        planned: usize,
    },
}

/// The last action's outcome, shown in the status bar.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

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

/// The open contact with its full history (read when opened, re-read after a write).
#[derive(Debug, Clone)]
pub struct ContactView {
    pub contact: Contact,
    pub facts: Facts,
    pub touches: Vec<Touch>,
    pub sales: Vec<Sale>,
    pub due: Option<NextDue>,
    pub scroll: usize,
    /// The piece each touch of `touches` carried (only those that carried one).
    pub carried: HashMap<TouchId, Piece>,
    /// The piece the library suggests for the next due touch: one this contact has not received
    /// (nor has on its way) that travels by its channel.
    pub suggested: Option<Piece>,
}

impl ContactView {
    /// The titles of the pieces the contact received, newest first (touches are newest first).
    pub fn received(&self) -> impl Iterator<Item = &Piece> {
        self.touches
            .iter()
            .filter(|t| t.state == crate::model::TouchState::Done)
            .filter_map(|t| self.carried.get(&t.id))
    }
}

/// Counts for the status bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub due_today: usize,
    pub overdue: usize,
    pub lybunt: usize,
}

/// The whole state of the app.
pub struct Model {
    pub today: NaiveDate,
    pub db_label: String,
    pub roster: Roster,
    /// Contact id -> row in `roster.rows`.
    pub index: HashMap<ContactId, usize>,
    /// The planner's next due per roster row.
    pub dues: Vec<Option<NextDue>>,
    pub counts: Counts,
    /// Rows due by date (next due only), for the calendar.
    pub by_day: BTreeMap<NaiveDate, Vec<usize>>,
    pub pane: Pane,
    pub mode: Mode,
    pub status: Status,
    pub keymap: Keymap,
    pub theme: Theme,
    // Triage
    pub triage: Vec<usize>,
    /// This week's cleared triage items as the store keeps them (contact, day cleared), whichever
    /// run of the diary cleared them.
    pub cleared: Vec<(ContactId, NaiveDate)>,
    /// How many of `cleared` stay hidden (the "N" of "N of M cleared").
    pub cleared_shown: usize,
    pub triage_sel: usize,
    pub review_on: bool,
    pub review: Vec<(usize, ReviewKind)>,
    pub review_sel: usize,
    // Calendar
    pub cursor: NaiveDate,
    pub day_sel: usize,
    // Pipeline: one column of rows per kept stage, ordered by next due.
    pub columns: Vec<Vec<usize>>,
    pub col: usize,
    pub card_sel: Vec<usize>,
    // Contact
    pub contact: Option<ContactView>,
    pub notes: Option<ratatui_textarea::TextArea<'static>>,
    /// The notes the editor opened with: saved over only if the file still has them.
    pub notes_base: Option<String>,
    // Search
    /// Name, company, tags and notes of each contact, converted once for the matcher.
    pub search_index: Vec<(ContactId, nucleo_matcher::Utf32String)>,
    pub search_results: Vec<ContactId>,
    pub search_sel: usize,
    /// A write (ours or another process's) came after the search index and tags were read: the
    /// next `/` or `#` reads them again.
    pub search_stale: bool,
    /// The undo-log numbers of this session's own actions, oldest first: `u` reverts the last
    /// one, and only while it is the newest in the file (see `effects::undo`).
    pub own_undo: Vec<u64>,
    /// The contacts the last capture run of the past week logged touches for (oldest touch
    /// first), shown in the review; read by `effects::refresh` before the review is built.
    pub captured: Vec<ContactId>,
    /// `today` was given (`--today`, `TICKLER_TODAY`): it does not follow the wall clock.
    pub today_pinned: bool,
    /// The `:import` running on a worker thread, if any.
    pub import: Option<super::transfer::ImportJob>,
    pub quit: bool,
    /// Set by Ctrl-Z: the run loop hands the terminal back and stops, then clears it.
    pub suspend: bool,
    // Pipeline filter: `c` cycles the category, `#` picks a tag, `0`/Esc clears.
    pub filter_category: Option<CategoryId>,
    pub filter_tag: Option<String>,
    /// Tags per contact and all tags, read with the search index (the roster has no tags).
    pub tags: HashMap<ContactId, Vec<String>>,
    pub all_tags: Vec<String>,
    /// Calendar: the first day of the grid whose done touches and birthdays are loaded.
    pub grid_loaded: Option<NaiveDate>,
    pub done_by_day: BTreeMap<NaiveDate, usize>,
    pub birthdays: BTreeMap<NaiveDate, usize>,
    /// Insights: the figures (read when the pane opens and after every write while it is open;
    /// `None` when stale) and the first chart shown when they do not all fit.
    pub insights: Option<crate::planner::Insights>,
    pub insights_top: usize,
}

/// The stages shown as pipeline columns.
pub const COLUMNS: [Stage; 5] = [
    Stage::Lead,
    Stage::Qualified,
    Stage::Proposal,
    Stage::Customer,
    Stage::StayInTouch,
];

/// The reasons of a "no", in picker order.
pub fn reasons() -> Vec<NoReason> {
    NoReason::NAMES
        .iter()
        .filter_map(|n| n.parse::<NoReason>().ok())
        .collect()
}

pub use crate::planner::close::week_end;

impl Model {
    pub fn new(roster: Roster, today: NaiveDate, db_label: String) -> Model {
        let mut m = Model {
            today,
            db_label,
            roster: Roster::default(),
            index: HashMap::new(),
            dues: Vec::new(),
            counts: Counts::default(),
            by_day: BTreeMap::new(),
            pane: Pane::Triage,
            mode: Mode::Normal,
            status: Status::default(),
            keymap: Keymap::default(),
            theme: Theme::default(),
            triage: Vec::new(),
            cleared: Vec::new(),
            cleared_shown: 0,
            triage_sel: 0,
            review_on: false,
            review: Vec::new(),
            review_sel: 0,
            cursor: today,
            day_sel: 0,
            columns: vec![Vec::new(); COLUMNS.len()],
            col: 0,
            card_sel: vec![0; COLUMNS.len()],
            contact: None,
            notes: None,
            notes_base: None,
            search_index: Vec::new(),
            search_results: Vec::new(),
            search_sel: 0,
            search_stale: false,
            own_undo: Vec::new(),
            captured: Vec::new(),
            today_pinned: true,
            import: None,
            quit: false,
            suspend: false,
            filter_category: None,
            filter_tag: None,
            tags: HashMap::new(),
            all_tags: Vec::new(),
            grid_loaded: None,
            done_by_day: BTreeMap::new(),
            birthdays: BTreeMap::new(),
            insights: None,
            insights_top: 0,
        };
        m.set_roster(roster);
        m
    }

    /// Replace the roster and this week's cleared items, and recompute what derives from them.
    pub fn set_diary(&mut self, roster: Roster, cleared: Vec<(ContactId, NaiveDate)>) {
        self.cleared = cleared;
        self.set_roster(roster);
    }

    /// Replace the roster and recompute everything derived from it (via the planner).
    pub fn set_roster(&mut self, roster: Roster) {
        self.roster = roster;
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
        let agenda = planner::agenda(&entries, s, today, today, week_end(today));
        let lyb = planner::lybunt(&entries, s, today);
        let rev = planner::review(&entries, s, today);
        let row = |id: &ContactId| self.index.get(id).copied();
        let hidden = |id: ContactId, due: NaiveDate| close::hidden(&self.cleared, id, due, today);
        let mut triage = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for item in agenda
            .overdue
            .iter()
            .chain(agenda.days.iter().flat_map(|d| d.items.iter()))
        {
            // One row per contact (its most urgent item): clearing clears the contact.
            if let Some(r) = row(&item.due.contact)
                && !hidden(item.due.contact, item.due.date)
                && seen.insert(r)
            {
                triage.push(r);
            }
        }
        let due_of = |id: &ContactId| {
            row(id)
                .and_then(|r| self.dues.get(r))
                .and_then(|d| d.as_ref())
                .map_or(NaiveDate::MAX, |d| d.date)
        };
        let cleared_shown = self
            .cleared
            .iter()
            .filter(|(id, _)| hidden(*id, due_of(id)))
            .count();
        let mut review = Vec::new();
        for (ids, kind) in [
            (&rev.move_forward_or_out, ReviewKind::MoveForwardOrOut),
            (&rev.adrift, ReviewKind::Adrift),
            (&rev.unreachable, ReviewKind::Unreachable),
            (&self.captured, ReviewKind::Captured),
        ] {
            for id in ids {
                // What capture logged is shown as done, not as something to clear (the touches
                // it logged cleared the contact's item this week).
                if let Some(r) = row(id)
                    && (kind == ReviewKind::Captured || !hidden(*id, due_of(id)))
                {
                    review.push((r, kind));
                }
            }
        }
        self.counts = Counts {
            due_today: agenda
                .days
                .first()
                .filter(|d| d.date == today)
                .map_or(0, |d| d.items.len()),
            overdue: agenda.overdue.len(),
            lybunt: lyb.len(),
        };
        drop(entries);
        self.triage = triage;
        self.review = review;
        self.cleared_shown = cleared_shown;
        let mut by_day: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
        let mut columns = vec![Vec::new(); COLUMNS.len()];
        for (i, ((p, _), due)) in self.roster.rows.iter().zip(&self.dues).enumerate() {
            if let Some(d) = due {
                by_day.entry(d.date).or_default().push(i);
            }
            if let Some(c) = COLUMNS.iter().position(|s| *s == p.stage)
                && self.in_filter(p)
            {
                columns[c].push(i);
            }
        }
        for col in &mut columns {
            col.sort_by_key(|&i| {
                self.dues
                    .get(i)
                    .and_then(|d| d.as_ref())
                    .map_or(NaiveDate::MAX, |d| d.date)
            });
        }
        self.by_day = by_day;
        self.columns = columns;
        self.clamp();
    }

    /// Keep every cursor inside its list.
    pub fn clamp(&mut self) {
        self.triage_sel = self.triage_sel.min(self.triage.len().saturating_sub(1));
        self.review_sel = self.review_sel.min(self.review.len().saturating_sub(1));
        for (sel, col) in self.card_sel.iter_mut().zip(&self.columns) {
            *sel = (*sel).min(col.len().saturating_sub(1));
        }
        self.day_sel = self.day_sel.min(self.day_items().len().saturating_sub(1));
    }

    /// Does the pipeline filter keep this contact?
    pub fn in_filter(&self, p: &Profile) -> bool {
        self.filter_category.is_none_or(|c| p.category == Some(c))
            && self.filter_tag.as_ref().is_none_or(|t| {
                self.tags
                    .get(&p.id)
                    .is_some_and(|have| have.iter().any(|h| h == t))
            })
    }

    /// Rebuild everything derived from the roster (after a filter change).
    pub fn rederive(&mut self) {
        let roster = std::mem::take(&mut self.roster);
        self.set_roster(roster);
    }

    /// The first day (a Monday) of the month grid around the calendar cursor.
    pub fn grid_start(&self) -> NaiveDate {
        let first = self.cursor.with_day(1).unwrap_or(self.cursor);
        let lead = u64::from(first.weekday().num_days_from_monday());
        first.checked_sub_days(Days::new(lead)).unwrap_or(first)
    }

    pub fn profile(&self, row: usize) -> Option<&crate::model::Profile> {
        self.roster.rows.get(row).map(|(p, _)| p)
    }

    pub fn due(&self, row: usize) -> Option<&NextDue> {
        self.dues.get(row).and_then(|d| d.as_ref())
    }

    /// The rows due on the calendar's cursor day (overdue ones shown on today).
    pub fn day_items(&self) -> Vec<usize> {
        if self.cursor == self.today {
            self.by_day
                .range(..=self.today)
                .flat_map(|(_, v)| v.iter().copied())
                .collect()
        } else {
            self.by_day.get(&self.cursor).cloned().unwrap_or_default()
        }
    }

    /// The contact the focused pane points at.
    pub fn selected_contact(&self) -> Option<ContactId> {
        let row = match self.pane {
            Pane::Triage if self.review_on => self.review.get(self.review_sel).map(|r| r.0),
            Pane::Triage => self.triage.get(self.triage_sel).copied(),
            Pane::Calendar => self.day_items().get(self.day_sel).copied(),
            Pane::Pipeline => self
                .columns
                .get(self.col)
                .and_then(|c| c.get(self.card_sel.get(self.col).copied().unwrap_or(0)))
                .copied(),
            Pane::Contact => return self.contact.as_ref().map(|c| c.contact.id),
            Pane::Insights => None,
        };
        row.and_then(|r| self.profile(r)).map(|p| p.id)
    }

    /// "7 of 23 cleared": this week's items cleared (by any run of the diary), of all of them.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.cleared_shown;
        let left = if self.review_on {
            self.review.len()
        } else {
            self.triage.len()
        };
        (done, done + left)
    }
}
