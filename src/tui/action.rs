//! What the user asked for, as data: every key becomes an [`Action`] through
//! [`super::keymap::resolve`]; `update` matches actions, never key codes.

use ratatui::crossterm::event::KeyEvent;

/// The five panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Triage,
    Calendar,
    Pipeline,
    Contact,
    Insights,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Triage,
        Pane::Calendar,
        Pane::Pipeline,
        Pane::Contact,
        Pane::Insights,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Triage => "Triage",
            Pane::Calendar => "Calendar",
            Pane::Pipeline => "Pipeline",
            Pane::Contact => "Contact",
            Pane::Insights => "Insights",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Pane::Triage => 0,
            Pane::Calendar => 1,
            Pane::Pipeline => 2,
            Pane::Contact => 3,
            Pane::Insights => 4,
        }
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
    DoneWithSummary,
    Snooze,
    Reschedule,
    Skip,
    MoveOut,
    ToggleReview,
    Forward,
    Plan,
    Log,
    MoveStage,
    Archive,
    EditNotes,
    /// Pipeline filter: next category, pick a tag, clear.
    CycleCategory,
    PickTag,
    ClearFilter,
    /// A mouse click on a list row: row `row` (of column `col` in the pipeline).
    Select {
        col: usize,
        row: usize,
    },
    /// A mouse click on a day of the calendar's month grid.
    SelectDay(chrono::NaiveDate),
    StageLeft,
    StageRight,
    PrevMonth,
    NextMonth,
    Today,
    GoToDate,
    // Inside a prompt, a picker or the decision bar.
    Char(char),
    Backspace,
    Submit,
    Cancel,
    Pick(usize),
    /// A key for the notes editor while it has focus (the one place raw keys pass through).
    Editor(KeyEvent),
}
