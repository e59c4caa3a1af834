//! Moving out contacts with planned touches: call them off (Enter, y) or keep them (k); Esc
//! cancels the move. Asked on the line above the status bar.

use super::super::action::{Action, Pane};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen, Then, acts};
use super::super::keymap::Context;
use super::super::requests;
use super::draw_hint;
use crate::model::{ContactId, NoReason, Stage};
use ratatui::Frame;
use std::any::Any;

#[derive(Debug)]
pub struct ConfirmOut {
    pub contacts: Vec<ContactId>,
    pub target: Stage,
    pub reason: NoReason,
    /// How many planned touches the move would call off.
    pub planned: usize,
    pub question: String,
}

impl ConfirmOut {
    /// The move itself (`keep`: keep the planned touches).
    pub fn effect(contacts: &[ContactId], target: Stage, reason: NoReason, keep: bool) -> Effect {
        let reqs = contacts
            .iter()
            .map(|&id| requests::move_to(id, target, Some(reason), keep))
            .collect();
        acts(reqs, Then::Status)
    }
}

impl Layer for ConfirmOut {
    fn handle(&mut self, action: &Action, _ctx: &Ctx<'_>) -> Handled {
        let keep = match action {
            Action::Submit | Action::Char('y') => false,
            Action::Char('k') => true,
            Action::Cancel | Action::Char('n') => return Handled::one(Effect::Pop),
            _ => return Handled::done(),
        };
        let moved = ConfirmOut::effect(&self.contacts, self.target, self.reason, keep);
        Handled::Consumed(vec![Effect::Pop, moved])
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        draw_hint(f, screen.line, &self.question, ctx.theme.title);
    }

    fn hint(&self, _ctx: &Ctx<'_>) -> Option<String> {
        Some(self.question.clone())
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Picker
    }

    fn mode(&self) -> Mode {
        Mode::ConfirmOut {
            contacts: self.contacts.clone(),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
