//! The undo log's records: the label of one action and the before-images of every primary record
//! it changed (the value before the action, or `None` when the action created the record).
//!
//! Indexes and facts are derived data: undo restores the primary records and recomputes them.
//! Id counters are not part of a before-image (ids are never reused).

use crate::model::{
    CaptureRun, Captured, Category, Contact, Piece, Sale, Settings, StageMove, Touch,
};
use serde::{Deserialize, Serialize};

/// One primary record as it was before the action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Before {
    Contact(u64, Option<Contact>),
    Touch(u64, Option<Touch>),
    Sale(u64, Option<Sale>),
    Category(u64, Option<Category>),
    Settings(Option<Settings>),
    /// A stage move by its key (contact, day, number).
    StageMove((u64, i32, u64), Option<StageMove>),
    /// A cleared triage item by its key (week's Monday, contact): the day it was cleared.
    Cleared((i32, u64), Option<i32>),
    Piece(u64, Option<Piece>),
    /// The piece a touch carried, by the touch's id.
    TouchPiece(u64, Option<u64>),
    /// A message or event capture saw, by its key's hash.
    Captured(u128, Option<Captured>),
    CaptureRun(u64, Option<CaptureRun>),
}

/// Which primary record a before-image belongs to (to record only the first image per action).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RecordKey {
    Contact(u64),
    Touch(u64),
    Sale(u64),
    Category(u64),
    Settings,
    StageMove((u64, i32, u64)),
    Cleared((i32, u64)),
    Piece(u64),
    TouchPiece(u64),
    Captured(u128),
    CaptureRun(u64),
}

/// One entry of the `undo` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct UndoRecord {
    pub label: String,
    pub before: Vec<Before>,
}
