//! User-defined categories: whom to keep, how often, by which channels, and how much they matter.

use super::{Cadence, CategoryId, Channel};
use serde::{Deserialize, Serialize};

/// A group of contacts that share a cadence, a channel mix and a priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    /// Default cadence of the category's contacts (a contact may override it).
    pub cadence: Cadence,
    /// Channels to use for this category, favourite first. Empty means "any personal channel".
    pub channel_mix: Vec<Channel>,
    /// 1 is the highest priority; larger numbers rank lower in the agenda.
    pub priority: u8,
    /// Whether a broadcast touch (newsletter, mass mailing) restarts the cadence clock.
    pub broadcasts_suffice: bool,
    pub description: String,
}
