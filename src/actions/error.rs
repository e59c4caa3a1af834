//! Why an action was refused: one typed error per rule, worded once for the CLI and the TUI alike.

use crate::model::{ContactId, NoReason, PieceId, Stage, validate::ValidationError};
use crate::planner::GuardConflict;
use crate::store::StoreError;
use chrono::NaiveDate;

/// At most this many candidates are listed for an ambiguous name.
pub const MAX_CANDIDATES: usize = 10;

/// Which action a date rule refused, for the hint that follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Log,
    Plan,
    Reschedule,
    Sale,
}

impl Verb {
    fn future_hint(self) -> &'static str {
        match self {
            Verb::Sale => "record sales once made",
            _ => "log what happened, and use `tickler plan` for what will",
        }
    }

    fn past_hint(self) -> &'static str {
        match self {
            Verb::Reschedule => "move it to a day from today on",
            _ => "plan a day from today on, or `tickler log` what happened",
        }
    }
}

/// A contact an ambiguous name matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: ContactId,
    pub label: String,
}

/// Why an action changed nothing. Every variant but `Store` is the user's to fix (the CLI exits 2,
/// or 3 for `Guard`); `Store` is the environment's (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("the contact is empty: give an id (c12) or part of a name")]
    EmptyContact,
    #[error("no contact with id {0}: `tickler list` shows the ids")]
    NoSuchContact(u64),
    #[error("no contact matches '{0}': check the spelling or use `tickler list`")]
    NoMatch(String),
    #[error("{}", ambiguous(.query, .candidates, *.total))]
    Ambiguous {
        query: String,
        candidates: Vec<Candidate>,
        total: usize,
    },
    #[error("{date} is in the past: {}", .verb.past_hint())]
    InPast { date: NaiveDate, verb: Verb },
    #[error("{date} is in the future: {}", .verb.future_hint())]
    InFuture { date: NaiveDate, verb: Verb },
    #[error("{0} is not in the future: snooze until a later day (e.g. +1w)")]
    NotAfterToday(NaiveDate),
    #[error("c{0} is archived: `tickler restore c{0}` first")]
    Archived(ContactId),
    #[error("c{0} is already archived: `tickler restore c{0}` brings it back")]
    AlreadyArchived(ContactId),
    #[error("c{id} is not archived (it is {stage})")]
    NotArchived { id: ContactId, stage: Stage },
    #[error("c{id} is already {stage}")]
    AlreadyInStage { id: ContactId, stage: Stage },
    #[error("c{0} is already as far forward as it goes")]
    NoFurther(ContactId),
    #[error("moving out needs the reason of the \"no\": add --reason with one of {}", NoReason::NAMES.join(", "))]
    ReasonNeeded,
    #[error("--reason is only for moving out (stay-in-touch or archived)")]
    ReasonNotForMove,
    #[error("--reason is only for contacts added to stay-in-touch")]
    ReasonNotForAdd,
    #[error("a new contact cannot start archived: add it, then `tickler archive`")]
    AddArchived,
    #[error("not {verb}: c{id} {name}: {conflict}; pick another day or pass --force")]
    Guard {
        id: ContactId,
        name: String,
        conflict: GuardConflict,
        verb: &'static str,
    },
    #[error("c{0} has no planned touch: `tickler plan c{0}` plans one")]
    NothingPlanned(ContactId),
    #[error("t{touch} is not a planned touch of c{id}")]
    NotPlannedTouch { id: ContactId, touch: u64 },
    #[error("nothing to change for c{0}: give a field to edit (see `tickler edit --help`)")]
    NothingToChange(ContactId),
    #[error("c{id} has no {what} '{value}'")]
    NoSuchValue {
        id: ContactId,
        what: &'static str,
        value: String,
    },
    #[error("{}", no_category(.name, .known))]
    NoCategory { name: String, known: Vec<String> },
    #[error("a category named '{0}' exists already")]
    CategoryExists(String),
    #[error("unknown setting '{0}': `tickler settings show` lists them")]
    NoSuchSetting(String),
    #[error("{0}")]
    BadValue(String),
    #[error(
        "the notes of c{id} changed since the editor opened (another tickler wrote them): keep yours, merge both, or drop yours"
    )]
    NotesChanged { id: ContactId, theirs: String },
    #[error(
        "c{id} {name} received p{piece_id} \"{piece}\" on {date}: send another piece (`tickler piece missing` shows who has not had which), or pass --force to send it again"
    )]
    AlreadyReceived {
        id: ContactId,
        name: String,
        piece: String,
        piece_id: PieceId,
        date: NaiveDate,
    },
    #[error(
        "no piece matches '{0}': `tickler piece list` shows them, `tickler piece add` adds one"
    )]
    NoPiece(String),
    #[error("a piece named '{title}' exists already (p{id}): give this one another title")]
    PieceExists { title: String, id: PieceId },
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ActionError {
    /// The annoyance guard refused the touch, or the piece was received already (nothing is
    /// sent twice): the CLI exits 3.
    pub fn is_guard(&self) -> bool {
        matches!(
            self,
            ActionError::Guard { .. } | ActionError::AlreadyReceived { .. }
        )
    }

    /// The environment failed (database locked, damaged, I/O): not the user's input.
    pub fn is_store(&self) -> bool {
        matches!(self, ActionError::Store(_))
    }
}

fn ambiguous(query: &str, candidates: &[Candidate], total: usize) -> String {
    let listed: Vec<String> = candidates
        .iter()
        .map(|c| format!("c{} {}", c.id, c.label))
        .collect();
    let more = total.saturating_sub(candidates.len());
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    let first = candidates.first().map_or(0, |c| c.id.0);
    format!(
        "'{query}' matches {total} contacts: {}{tail}; give the id (e.g. c{first}) or more of the name",
        listed.join(", ")
    )
}

fn no_category(name: &str, known: &[String]) -> String {
    if known.is_empty() {
        format!(
            "no category '{name}': create it with `tickler category add '{name}' --cadence 30d`"
        )
    } else {
        format!(
            "no category '{name}': use one of {} or create it with `tickler category add`",
            known.join(", ")
        )
    }
}
