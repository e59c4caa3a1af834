//! The app's model: the panes (each owning its state), the layer stack above them, and what they
//! share (the diary as last read, the keymap, the theme, the status line). Nothing here reads
//! the store: the effects fill it.

use super::action::Pane;
use super::component::{Component, Ctx, Layer};
use super::diary::Diary;
use super::keymap::Keymap;
use super::panes::calendar::Calendar;
use super::panes::contact::{ContactPane, ContactView};
use super::panes::insights::InsightsPane;
use super::panes::lybunt::Lybunt;
use super::panes::pipeline::Pipeline;
use super::panes::triage::Triage;
use super::theme::Theme;
use crate::model::ContactId;
use crate::store::Roster;
use chrono::NaiveDate;

pub use super::component::Mode;
pub use super::diary::{Counts, ReviewKind};
pub use super::kinds::{PickerKind, PromptKind};

/// How many ticks (about 200 ms each) a message stays in the status line; an error twice as long.
pub const MESSAGE_TICKS: u32 = 40;

/// The last action's outcome, shown in the status bar until it expires.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub text: String,
    pub error: bool,
    /// Ticks since it was set.
    pub age: u32,
}

impl Status {
    pub fn say(&mut self, text: impl Into<String>) {
        self.set(text, false);
    }

    pub fn fail(&mut self, text: impl Into<String>) {
        self.set(text, true);
    }

    pub fn set(&mut self, text: impl Into<String>, error: bool) {
        self.text = text.into();
        self.error = error;
        self.age = 0;
    }

    /// One tick of the loop: an old message goes.
    pub fn tick(&mut self) {
        self.age = self.age.saturating_add(1);
        let limit = if self.error {
            MESSAGE_TICKS * 2
        } else {
            MESSAGE_TICKS
        };
        if self.age > limit && !self.text.is_empty() {
            self.text.clear();
            self.error = false;
        }
    }
}

/// The panes. Adding one: a field here and a line in [`Panes::get`] and [`Panes::get_mut`].
#[derive(Debug)]
pub struct Panes {
    pub triage: Triage,
    pub calendar: Calendar,
    pub pipeline: Pipeline,
    pub contact: ContactPane,
    pub insights: InsightsPane,
    pub lybunt: Lybunt,
}

impl Panes {
    pub fn new(today: NaiveDate) -> Panes {
        Panes {
            triage: Triage::default(),
            calendar: Calendar::new(today),
            pipeline: Pipeline::default(),
            contact: ContactPane::default(),
            insights: InsightsPane::default(),
            lybunt: Lybunt::default(),
        }
    }

    /// Unmark the rows of pane `p` (after an action on them succeeded: the rows it cleared
    /// leave the list, and marks nobody sees must not be acted on again).
    pub fn clear_marks(&mut self, p: Pane) {
        match p {
            Pane::Triage => self.triage.marks.clear(),
            Pane::Calendar => self.calendar.marks.clear(),
            Pane::Pipeline => self.pipeline.marks.clear(),
            Pane::Lybunt => self.lybunt.marks.clear(),
            Pane::Contact | Pane::Insights => {}
        }
    }

    pub fn get(&self, p: Pane) -> &dyn Component {
        match p {
            Pane::Triage => &self.triage,
            Pane::Calendar => &self.calendar,
            Pane::Pipeline => &self.pipeline,
            Pane::Contact => &self.contact,
            Pane::Insights => &self.insights,
            Pane::Lybunt => &self.lybunt,
        }
    }

    pub fn get_mut(&mut self, p: Pane) -> &mut dyn Component {
        match p {
            Pane::Triage => &mut self.triage,
            Pane::Calendar => &mut self.calendar,
            Pane::Pipeline => &mut self.pipeline,
            Pane::Contact => &mut self.contact,
            Pane::Insights => &mut self.insights,
            Pane::Lybunt => &mut self.lybunt,
        }
    }
}

/// The whole state of the app.
#[derive(Debug)]
pub struct Model {
    pub db_label: String,
    pub diary: Diary,
    pub panes: Panes,
    /// The focused pane.
    pub pane: Pane,
    /// The overlays, bottom first: the last one sees a key first.
    pub layers: Vec<Box<dyn Layer>>,
    pub status: Status,
    pub keymap: Keymap,
    pub theme: Theme,
    /// The undo-log numbers of this session's own actions, oldest first: `u` reverts the last
    /// one, and only while it is the newest in the file (see `effects::undo`).
    pub own_undo: Vec<u64>,
    /// `today` was given (`--today`, `TICKLER_TODAY`): it does not follow the wall clock.
    pub today_pinned: bool,
    /// The `:import` running on a worker thread, if any.
    pub import: Option<super::job::ImportJob>,
    /// The sync running on a worker thread, if any.
    pub sync: Option<super::job::SyncJob>,
    pub quit: bool,
    /// Set by Ctrl-Z: the run loop hands the terminal back and stops, then clears it.
    pub suspend: bool,
    /// The terminal's size, set by the run loop before each frame (pages scroll by it).
    pub size: ratatui::layout::Rect,
}

impl Model {
    pub fn new(roster: Roster, today: NaiveDate, db_label: String) -> Model {
        let mut m = Model {
            db_label,
            diary: Diary::new(Roster::default(), today),
            panes: Panes::new(today),
            pane: Pane::Triage,
            layers: Vec::new(),
            status: Status::default(),
            keymap: Keymap::default(),
            theme: Theme::default(),
            own_undo: Vec::new(),
            today_pinned: true,
            import: None,
            sync: None,
            quit: false,
            suspend: false,
            size: ratatui::layout::Rect::new(0, 0, 80, 24),
        };
        m.set_diary(roster, Vec::new());
        m
    }

    pub fn today(&self) -> NaiveDate {
        self.diary.today
    }

    /// What the components read.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            diary: &self.diary,
            theme: &self.theme,
            keymap: &self.keymap,
            pane: self.pane,
            size: self.size,
        }
    }

    /// Replace the roster and this week's cleared items; every pane and layer recomputes what
    /// it shows from them.
    pub fn set_diary(&mut self, roster: Roster, cleared: Vec<(ContactId, NaiveDate)>) {
        self.diary.set(roster, cleared);
        self.refresh_components();
    }

    /// After the diary changed: each pane and layer recomputes its view.
    pub fn refresh_components(&mut self) {
        let Model {
            diary,
            panes,
            layers,
            theme,
            keymap,
            pane,
            size,
            ..
        } = self;
        let ctx = Ctx {
            diary,
            theme,
            keymap,
            pane: *pane,
            size: *size,
        };
        for p in Pane::ALL {
            panes.get_mut(p).refresh(&ctx);
        }
        for l in layers.iter_mut() {
            l.refresh(&ctx);
        }
    }

    /// The state the top layer puts the screen in.
    pub fn mode(&self) -> Mode {
        self.layers.last().map_or(Mode::Normal, |l| l.mode())
    }

    /// The top layer as a `T`, if it is one.
    pub fn top<T: 'static>(&self) -> Option<&T> {
        self.layers
            .last()
            .and_then(|l| l.as_any().downcast_ref::<T>())
    }

    /// The contact the focused pane points at.
    pub fn selected_contact(&self) -> Option<ContactId> {
        self.panes.get(self.pane).selected(&self.ctx())
    }

    /// "7 of 23 cleared".
    pub fn progress(&self) -> (usize, usize) {
        self.panes.triage.progress(&self.diary)
    }

    /// The open contact's view.
    pub fn contact(&self) -> Option<&ContactView> {
        self.panes.contact.view.as_ref()
    }
}
