//! What a prompt asks for and what a picker offers, as data (the layers in `overlays` hold them;
//! [`super::component::Mode`] shows them to tests).

use crate::model::{ContactId, Stage, TouchId};
use chrono::NaiveDate;

/// What a one-line prompt is asking for. `contacts` are the ones it acts on (several when rows
/// are marked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// A new day for the contact's planned touch (`touch`; `None`: the one it is due on).
    Reschedule {
        contact: ContactId,
        touch: Option<TouchId>,
    },
    SnoozeDate {
        contacts: Vec<ContactId>,
    },
    /// Plan a touch (empty: the lightest allowed day).
    PlanDate {
        contacts: Vec<ContactId>,
    },
    /// A tag to add.
    Tag {
        contacts: Vec<ContactId>,
    },
    GoTo,
    /// A one-line summary for a done logged on several contacts at once.
    DoneMany {
        contacts: Vec<ContactId>,
    },
}

/// What a picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerKind {
    /// The reason of a "no", moving the contacts to `target`.
    Reason {
        contacts: Vec<ContactId>,
        target: Stage,
    },
    Stage {
        contacts: Vec<ContactId>,
    },
    /// A tag to filter the focused pane by (from the diary's tags).
    Tag,
    /// A category to filter the focused pane by.
    Category,
    /// Which planned touch to call off.
    Cancel {
        contact: ContactId,
        touches: Vec<(TouchId, NaiveDate)>,
    },
}
