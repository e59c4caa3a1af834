//! The panes, each a [`super::component::Component`] owning its state: triage, calendar,
//! pipeline, contact, insights, LYBUNT. Shared here: the urgency style and badges of a due item,
//! the marks of a multi-select, and moving a list's cursor.

pub mod calendar;
pub mod contact;
pub mod insights;
pub mod lybunt;
pub mod pipeline;
pub mod triage;

use super::action::Action;
use super::diary::Diary;
use super::theme::Theme;
use crate::model::ContactId;
use crate::planner::{NextDue, Urgency};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders};
use std::collections::BTreeSet;

/// The style of a due item by urgency.
pub fn urgency_style(t: &Theme, due: &NextDue) -> Style {
    match due.urgency {
        Urgency::AtRisk => t.at_risk,
        Urgency::Due => t.due,
        Urgency::Upcoming => t.base,
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

/// Move a list cursor by a navigation action; `false` for other actions.
pub fn step(sel: &mut usize, len: usize, action: &Action) -> bool {
    let delta: isize = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -10,
        Action::PageDown => 10,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return false,
    };
    if len == 0 {
        *sel = 0;
    } else {
        let next = (*sel as isize)
            .saturating_add(delta)
            .clamp(0, len as isize - 1);
        *sel = next as usize;
    }
    true
}

/// The marked contacts of a list (multi-select): Space marks or unmarks the selected row, V
/// marks every row from the last one marked to the selected one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    pub ids: BTreeSet<ContactId>,
    /// The row last marked or unmarked, where a range starts.
    pub anchor: Option<usize>,
}

impl Marks {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn has(&self, id: ContactId) -> bool {
        self.ids.contains(&id)
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.anchor = None;
    }

    /// Mark or unmark row `sel` of `rows` (roster rows).
    pub fn toggle(&mut self, d: &Diary, rows: &[usize], sel: usize) {
        if let Some(id) = rows.get(sel).and_then(|&r| d.profile(r)).map(|p| p.id)
            && !self.ids.remove(&id)
        {
            self.ids.insert(id);
        }
        self.anchor = Some(sel);
    }

    /// Mark every row from the anchor to `sel`.
    pub fn range(&mut self, d: &Diary, rows: &[usize], sel: usize) {
        let from = self.anchor.unwrap_or(sel);
        let (a, b) = (from.min(sel), from.max(sel));
        for &r in rows
            .get(a..=b.min(rows.len().saturating_sub(1)))
            .unwrap_or_default()
        {
            if let Some(p) = d.profile(r) {
                self.ids.insert(p.id);
            }
        }
        self.anchor = Some(sel);
    }

    /// The contacts to act on: the marked ones in `rows` order, else the selected one.
    pub fn targets(
        &self,
        d: &Diary,
        rows: &[usize],
        selected: Option<ContactId>,
    ) -> Vec<ContactId> {
        if self.ids.is_empty() {
            return selected.into_iter().collect();
        }
        let mut out: Vec<ContactId> = rows
            .iter()
            .filter_map(|&r| d.profile(r).map(|p| p.id))
            .filter(|id| self.ids.contains(id))
            .collect();
        // Marked rows a filter now hides still count.
        for id in &self.ids {
            if !out.contains(id) {
                out.push(*id);
            }
        }
        out
    }

    /// "● " before a marked row, "  " before the others, nothing when nothing is marked.
    pub fn gutter(&self, id: ContactId) -> &'static str {
        match (self.ids.is_empty(), self.ids.contains(&id)) {
            (true, _) => "",
            (false, true) => "● ",
            (false, false) => "  ",
        }
    }
}

/// The row of a list inside a bordered block at `rect` under (`x`, `y`), counting `per` screen
/// rows a list row.
pub fn row_in(rect: Rect, x: u16, y: u16, per: u16) -> Option<usize> {
    let inner = Block::default().borders(Borders::ALL).inner(rect);
    let inside = x >= inner.x && x < inner.right() && y >= inner.y && y < inner.bottom();
    inside.then(|| usize::from((y - inner.y) / per.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_stay_in_the_list() {
        let mut sel = 0;
        assert!(step(&mut sel, 5, &Action::Down));
        assert_eq!(sel, 1);
        step(&mut sel, 5, &Action::Bottom);
        assert_eq!(sel, 4);
        step(&mut sel, 5, &Action::PageUp);
        assert_eq!(sel, 0);
        assert!(!step(&mut sel, 5, &Action::Open));
        step(&mut sel, 0, &Action::Down);
        assert_eq!(sel, 0);
    }
}
