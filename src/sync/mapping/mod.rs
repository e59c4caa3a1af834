//! The diary as standard items, and back. Pure: no I/O, no clock (today comes in as DTSTAMP).
//!
//! - `contact`: a contact as a vCard (written by the vCard export through [`contact::CardWriter`],
//!   with tickler's fields as X- properties), read back as a merge record;
//! - `todo`: each open follow-up as a VTODO (and its completion, move or cancellation back);
//! - `journal`: the history as one VJOURNAL per contact and year, merged by union.

pub mod contact;
mod ical;
pub mod journal;
pub mod todo;

/// An item from the server that cannot be read as what it should be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("an item is not readable {what} ({detail}); it is left as it is on the server")]
    Unreadable { what: &'static str, detail: String },
    #[error("a {what} item has no {field}; it is left as it is on the server")]
    Missing {
        what: &'static str,
        field: &'static str,
    },
}
