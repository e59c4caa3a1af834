//! What the user asked for, as data: every key becomes an [`Action`] through
//! [`super::keymap::resolve`]; components match actions, never key codes (text fields are the one
//! exception: they get [`Action::Key`] while they have focus).

use crate::model::CategoryId;
use crate::planner::Order;
use ratatui::crossterm::event::KeyEvent;

/// The panes, in Tab order. Adding one: a variant here, a file in `panes/`, a field in
/// [`super::model::Panes`] and a line in its `get`/`get_mut`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Triage,
    Calendar,
    Pipeline,
    Contact,
    Insights,
    Lybunt,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Triage,
        Pane::Calendar,
        Pane::Pipeline,
        Pane::Contact,
        Pane::Insights,
        Pane::Lybunt,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Triage => "Triage",
            Pane::Calendar => "Calendar",
            Pane::Pipeline => "Pipeline",
            Pane::Contact => "Contact",
            Pane::Insights => "Insights",
            Pane::Lybunt => "LYBUNT",
        }
    }

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// One user intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Hand the terminal back to the shell and stop (Ctrl-Z); `fg` resumes with a full redraw.
    Suspend,
    Help,
    NextPane,
    PrevPane,
    Goto(Pane),
    Undo,
    /// Sync with the account (`tickler sync`).
    Sync,
    Search,
    Command,
    /// A new contact: the contact form, empty.
    NewContact,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter on a list: open the selected contact.
    Open,
    Done,
    /// Done, choosing the channel, the direction (inbound) and a summary.
    DoneWith,
    Snooze,
    Reschedule,
    Skip,
    /// Call off a planned touch.
    CancelTouch,
    MoveOut,
    ToggleReview,
    Forward,
    Plan,
    Log,
    MoveStage,
    Archive,
    EditNotes,
    /// Edit every field of the contact (the contact form).
    EditContact,
    /// Add a tag to the contact (or the marked ones).
    Tag,
    /// Mark the selected row (multi-select), or unmark it.
    Mark,
    /// Mark every row from the last marked one to the selected one.
    MarkRange,
    /// Esc on a list: unmark everything, else clear the filter.
    Clear,
    /// List filter: pick a category, pick a tag, clear.
    PickCategory,
    PickTag,
    ClearFilter,
    /// The order of the triage list (a which-key menu), or one order.
    SortMenu,
    SortBy(Order),
    /// Filters picked in a picker, delivered to the pane: a category, a tag (index into the
    /// diary's tags); `None` clears it.
    SetCategory(Option<CategoryId>),
    SetTag(Option<usize>),
    /// A mouse click on a list row: row `row` (of column `col` in the pipeline).
    Select {
        col: usize,
        row: usize,
    },
    /// A day of the calendar (a click on the month grid, a date typed).
    SelectDay(chrono::NaiveDate),
    StageLeft,
    StageRight,
    PrevMonth,
    NextMonth,
    Today,
    GoToDate,
    // Inside a prompt, a picker, a form or the decision bar.
    Char(char),
    Backspace,
    Submit,
    Cancel,
    Pick(usize),
    /// Tab in the command line: take the completion.
    Complete,
    /// Tab / Shift-Tab in a form.
    NextField,
    PrevField,
    /// A key for the focused text field (line editor, notes editor) while it has focus.
    Key(KeyEvent),
}
