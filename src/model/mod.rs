//! The domain model: plain serde data, no I/O. Contacts, touches, sales, categories, settings.
//!
//! Owns the vocabulary (channels, stages, reasons of a "no", cadences) and input validation. Must not
//! touch the store, the clock or the terminal.

mod cadence;
mod capture;
mod category;
mod channel;
mod contact;
mod ids;
mod piece;
mod settings;
mod stage;
mod touch;
pub mod validate;

pub use cadence::{Cadence, CadenceUnit};
pub use capture::{CaptureRun, CaptureSource, Captured, Correspondent};
pub use category::Category;
pub use channel::{Channel, Direction, UnknownChannel};
pub use contact::{Birthday, Contact, Profile, Snooze};
pub use ids::{CategoryId, ContactId, PieceId, SaleId, TouchId};
pub use piece::{Piece, PieceKind, PieceSend};
pub use settings::{SETTING_NAMES, SettingError, Settings};
pub use stage::{HurryReason, NoReason, Stage, StageMove};
pub use touch::{Sale, Touch, TouchState};
