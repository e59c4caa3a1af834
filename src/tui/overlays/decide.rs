//! The decision bar after a done: the next touch is already planned (the actions planned it);
//! keep it (Enter), put it on another day (p), move the contact forward (f) or out (o). Any other
//! key keeps it and does what it says.

use super::super::action::{Action, Pane};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen};
use super::super::keymap::Context;
use super::super::kinds::PromptKind;
use super::draw_hint;
use super::picker::ask_move;
use super::prompt::Prompt;
use crate::model::{Channel, ContactId, Stage, TouchId};
use chrono::NaiveDate;
use ratatui::Frame;
use std::any::Any;

#[derive(Debug)]
pub struct Decide {
    pub contact: ContactId,
    /// The planned next touch: its id, day and channel.
    pub next: Option<(TouchId, NaiveDate, Channel)>,
}

impl Layer for Decide {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        let contact = self.contact;
        let mut out = vec![Effect::Pop];
        match action {
            Action::Submit | Action::Cancel => {}
            Action::Plan => out.push(Prompt::boxed(
                PromptKind::Reschedule {
                    contact,
                    touch: self.next.map(|n| n.0),
                },
                ctx,
            )),
            Action::Forward => {
                let stage = ctx.diary.contact(contact).map(|p| p.stage);
                if let Some(target) = stage.and_then(Stage::forward) {
                    out.extend(ask_move(ctx, &[contact], target));
                }
            }
            Action::MoveOut => out.extend(ask_move(ctx, &[contact], Stage::StayInTouch)),
            _ => return Handled::PassOn(out),
        }
        Handled::Consumed(out)
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        let text = self.hint(ctx).unwrap_or_default();
        draw_hint(f, screen.line, &text, ctx.theme.title);
    }

    fn hint(&self, ctx: &Ctx<'_>) -> Option<String> {
        let next = self
            .next
            .map(|(_, day, channel)| format!("{channel} {}", crate::text::when(day, ctx.today())));
        Some(crate::text::words::decide(next.as_deref()))
    }

    fn context(&self, pane: Pane) -> Context {
        Context::Decide(pane)
    }

    fn mode(&self) -> Mode {
        Mode::Decide {
            contact: self.contact,
            next: self.next,
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
