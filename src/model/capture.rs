//! What capture remembers: every message and calendar event it has seen (so a re-run adds
//! nothing), and each run (what the last capture logged, for the review and its undo).

use super::TouchId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Someone who wrote from an address no contact has.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Correspondent {
    /// Lower case.
    pub address: String,
    /// The display name the message gave (may be empty).
    pub name: String,
}

/// A message or an event capture has seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Captured {
    /// What makes it unique: `mail:<Message-ID>`, `mail-hash:<hash of the headers>` for a
    /// message without one, `calendar:<UID>:<date>` for an event.
    pub key: String,
    /// The message's or the event's date.
    pub date: NaiveDate,
    /// The touches it was logged as; empty when no contact took part (it is looked at again by
    /// the next run, in case a contact was added meanwhile).
    pub touches: Vec<TouchId>,
    /// The sender, when a stranger wrote to the user: what `review` counts for possible new
    /// contacts.
    pub stranger: Option<Correspondent>,
}

/// Where a capture run read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureSource {
    Mail,
    Calendar,
}

impl CaptureSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureSource::Mail => "mail",
            CaptureSource::Calendar => "calendar",
        }
    }
}

/// One capture run: one action, one undo entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureRun {
    pub id: u64,
    /// The day it ran.
    pub date: NaiveDate,
    pub source: CaptureSource,
    /// The undo log's number of this run's action (to undo exactly it).
    pub undo_seq: u64,
    /// The touches it logged.
    pub logged: Vec<TouchId>,
    /// How many messages or events it skipped, by reason.
    pub skipped: Vec<(String, u32)>,
}
