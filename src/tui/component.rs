//! The contract between the app and its parts (after gitui's components and helix's compositor).
//!
//! A pane ([`Component`]) owns its state, answers an [`Action`] with [`Handled`] (consumed, with
//! the [`Effect`]s it asks for, or ignored, so the app tries its global keys), draws from `&self`
//! and maps a mouse click to an action. An overlay ([`Layer`]: a prompt, a picker, a form, the
//! decision bar, the notes editor, help, the command line) sits on a stack above the panes; the
//! top layer sees a key first. Neither touches the store: a change to the diary is an
//! [`Effect::Act`] carrying an action request, run by the effects with the actions layer deciding.

use super::action::{Action, Pane};
use super::diary::Diary;
use super::keymap::{Context, Keymap};
use super::theme::Theme;
use crate::actions::Request;
use crate::model::ContactId;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;

/// What a component reads besides its own state.
pub struct Ctx<'a> {
    pub diary: &'a Diary,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    /// The focused pane.
    pub pane: Pane,
    /// The terminal's size when last drawn (80x24 before the first frame).
    pub size: Rect,
}

impl Ctx<'_> {
    pub fn today(&self) -> NaiveDate {
        self.diary.today
    }
}

/// A component's answer to an action.
#[derive(Debug)]
pub enum Handled {
    /// Done with it (and these effects follow).
    Consumed(Vec<Effect>),
    /// Not this component's: the next one down (at last the app's global keys) gets it.
    Ignored,
    /// These effects (closing this layer), and the next one down gets the action too (the
    /// decision bar: any other key keeps the next touch and does what it says).
    PassOn(Vec<Effect>),
}

impl Handled {
    /// Consumed, nothing more to do.
    pub fn done() -> Handled {
        Handled::Consumed(Vec::new())
    }

    pub fn one(e: Effect) -> Handled {
        Handled::Consumed(vec![e])
    }
}

/// What to show once an action succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Then {
    /// Its message in the status bar.
    Status,
    /// Its message, and close the layer that asked for it (a prompt or a form stays open until
    /// the action succeeds, so what was typed is never lost to a refusal).
    Close,
    /// The decision bar after a done on this contact.
    Decide(ContactId),
    /// Close the layer that asked (a form), then the decision bar.
    CloseAndDecide(ContactId),
}

/// What a component asks the app to do.
#[derive(Debug)]
pub enum Effect {
    /// Run an action ([`crate::actions::run`]) in one write transaction.
    Act {
        request: Box<Request>,
        then: Then,
    },
    /// Read the contact's record and history and show it in the contact pane.
    Open(ContactId),
    /// Read the contact's record and open the contact form on it.
    EditContact(ContactId),
    /// Read the search index and the tags (when search or a tag filter first opens).
    LoadSearch,
    /// Read the done touches and birthdays of the calendar grid starting on this Monday.
    LoadGrid(NaiveDate),
    /// Compute the insights (when their pane opens).
    LoadInsights,
    /// Re-read the diary (the day changed at midnight).
    Reload,
    /// `u`: revert this session's last action.
    Undo,
    /// `S` or `:sync`: sync with the account (see `crate::sync::account`).
    Sync,
    /// `:import FILE [--dry-run]`: read on a worker thread, then written as one undoable action.
    Import {
        path: std::path::PathBuf,
        dry_run: bool,
    },
    /// `:export --format F -o FILE`.
    Export {
        kind: crate::interop::export::Kind,
        path: std::path::PathBuf,
    },
    /// Put a layer on top.
    Push(Box<dyn Layer>),
    /// Close the top layer.
    Pop,
    /// Focus a pane.
    Focus(Pane),
    /// Give a pane an action (a filter picked in a picker, a date typed into a prompt).
    ToPane(Pane, Action),
    /// A message for the status bar; an error.
    Say(String),
    Fail(String),
    Quit,
    Suspend,
}

/// A change to the diary, with its message after.
pub fn act(request: Request) -> Effect {
    Effect::Act {
        request: Box::new(request),
        then: Then::Status,
    }
}

/// A change to the diary from a layer, which closes once it succeeds.
pub fn act_close(request: Request) -> Effect {
    Effect::Act {
        request: Box::new(request),
        then: Then::Close,
    }
}

/// A pane.
pub trait Component {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled;
    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect);
    /// What a left click at (`x`, `y`) in the pane's `area` means.
    fn hit(&self, ctx: &Ctx<'_>, area: Rect, x: u16, y: u16) -> Option<Action>;
    /// The contact the pane points at.
    fn selected(&self, ctx: &Ctx<'_>) -> Option<ContactId>;
    /// The screen row of the selection in `area`, so pop-ups do not cover it.
    fn anchor(&self, _ctx: &Ctx<'_>, _area: Rect) -> Option<u16> {
        None
    }
    /// The diary was read again: keep cursors inside their lists, recompute views.
    fn refresh(&mut self, _ctx: &Ctx<'_>) {}
    /// The effects the pane needs to draw (data read when it is shown, never by draw).
    fn loads(&self, _ctx: &Ctx<'_>) -> Vec<Effect> {
        Vec::new()
    }
    /// One line of the keys that matter here, for the hint line.
    fn hints(&self, _ctx: &Ctx<'_>) -> String {
        String::new()
    }
}

/// Where the screen's parts are, for overlays.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    /// The pane's area.
    pub body: Rect,
    /// The one line above the status bar (prompts, the decision bar, hints).
    pub line: Rect,
    /// The screen row of the focused pane's selection, if any: pop-ups keep clear of it.
    pub anchor: Option<u16>,
}

/// The state a layer puts the screen in, as tests and the key resolution see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    /// A one-line prompt with what is typed so far.
    Prompt {
        kind: super::kinds::PromptKind,
        text: String,
    },
    Picker {
        kind: super::kinds::PickerKind,
        selected: usize,
    },
    /// After a done: the next touch planned (its id, day and channel).
    Decide {
        contact: ContactId,
        next: Option<(crate::model::TouchId, NaiveDate, crate::model::Channel)>,
    },
    Editor,
    NotesConflict {
        contact: ContactId,
        theirs: String,
    },
    ConfirmOut {
        contacts: Vec<ContactId>,
    },
    /// A form, with the focused field's text.
    Form {
        title: String,
        text: String,
    },
    /// A which-key menu.
    Chord,
    /// The `:` command line.
    Command {
        text: String,
    },
    Search {
        text: String,
    },
}

/// An overlay on the stack.
pub trait Layer: std::fmt::Debug + Any {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled;
    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen);
    /// How keys resolve while this layer is on top.
    fn context(&self, pane: Pane) -> Context;
    fn mode(&self) -> Mode;
    /// A bracketed paste while this layer is on top: `true` when it took the text.
    fn paste(&mut self, _text: &str) -> bool {
        false
    }
    /// Effects to run as the layer opens (data it needs read).
    fn loads(&self, _ctx: &Ctx<'_>) -> Vec<Effect> {
        Vec::new()
    }
    /// The diary was read again (a search's results, say).
    fn refresh(&mut self, _ctx: &Ctx<'_>) {}
    /// What the layer says on the line above the status bar, when it is a question or keys the
    /// user must see whole: the line grows (up to three lines) to hold it.
    fn hint(&self, _ctx: &Ctx<'_>) -> Option<String> {
        None
    }
    fn as_any(&self) -> &dyn Any;
}

/// One request as [`Effect::Act`]; the same request for several contacts as one
/// [`crate::actions::batch`] (one transaction, one undo; a refusal for one contact skips it and is
/// listed).
pub fn acts(mut requests: Vec<Request>, then: Then) -> Effect {
    let request = if requests.len() == 1
        && let Some(request) = requests.pop()
    {
        request
    } else {
        match super::requests::batch(requests) {
            Ok(batch) => Request::Batch(batch),
            Err(why) => return Effect::Fail(why),
        }
    };
    Effect::Act {
        request: Box::new(request),
        then,
    }
}
