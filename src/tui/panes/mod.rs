//! The five panes. Each draws from `&Model` only.

pub mod calendar;
pub mod contact;
pub mod insights;
pub mod pipeline;
pub mod triage;

use super::model::Model;
use crate::planner::{NextDue, Urgency};
use ratatui::style::Style;

/// The style of a due item by urgency.
pub fn urgency_style(m: &Model, due: &NextDue) -> Style {
    match due.urgency {
        Urgency::AtRisk => m.theme.at_risk,
        Urgency::Due => m.theme.due,
        Urgency::Upcoming => m.theme.base,
    }
}

/// Short badges: LYBUNT, at risk, adrift, move forward or out.
pub fn badges(due: &NextDue) -> String {
    let mut b = String::new();
    if due.lybunt_cents > 0 {
        b.push_str(" LYBUNT");
    }
    if due.urgency == Urgency::AtRisk {
        b.push_str(" AT-RISK");
    }
    if due.adrift {
        b.push_str(" ADRIFT");
    }
    if due.move_forward_or_out {
        b.push_str(" FWD/OUT");
    }
    b
}
