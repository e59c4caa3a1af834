//! Which channel to use next: vary from the recent ones, fit the category's mix.

use super::Facts;
use crate::model::{Category, Channel};

/// The suggested channel for the next outbound touch.
pub fn suggest_channel(facts: &Facts, category: Option<&Category>) -> Channel {
    let _ = (facts, category);
    todo!("planner helper")
}
