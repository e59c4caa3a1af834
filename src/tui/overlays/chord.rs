//! Which-key: after a key that waits for a second one (s snooze, O order), a small box lists the
//! second keys and what each does; the next key picks, anything else closes it.

use super::super::action::{Action, Pane};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen, Then, acts};
use super::super::keymap::Context;
use super::super::kinds::PromptKind;
use super::super::requests;
use super::super::widgets::{cols, fit, popup};
use super::popup_frame;
use super::prompt::Prompt;
use crate::model::ContactId;
use crate::planner::Order;
use chrono::{Days, Months};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::any::Any;

/// What the menu is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChordKind {
    Snooze { contacts: Vec<ContactId> },
    Order,
}

#[derive(Debug)]
pub struct Chord {
    pub kind: ChordKind,
    pub title: String,
    /// The second keys and what each does.
    pub options: Vec<(char, &'static str)>,
}

impl Chord {
    pub fn snooze(contacts: Vec<ContactId>, ctx: &Ctx<'_>) -> Effect {
        let title = format!(" Snooze {} ", ctx.diary.whom(&contacts));
        Effect::Push(Box::new(Chord {
            kind: ChordKind::Snooze { contacts },
            title,
            options: vec![
                ('d', "+1 day"),
                ('w', "+1 week"),
                ('m', "+1 month"),
                ('p', "pick a date…"),
            ],
        }))
    }

    pub fn order() -> Effect {
        Effect::Push(Box::new(Chord {
            kind: ChordKind::Order,
            title: " Order the week by ".to_string(),
            options: vec![('u', "urgency"), ('d', "due date"), ('v', "value")],
        }))
    }

    fn chosen(&self, key: char, ctx: &Ctx<'_>) -> Vec<Effect> {
        let mut out = vec![Effect::Pop];
        match &self.kind {
            ChordKind::Snooze { contacts } => {
                let today = ctx.today();
                let until = match key {
                    'd' => today.checked_add_days(Days::new(1)),
                    'w' => today.checked_add_days(Days::new(7)),
                    'm' => today.checked_add_months(Months::new(1)),
                    'p' => {
                        let kind = PromptKind::SnoozeDate {
                            contacts: contacts.clone(),
                        };
                        out.push(Prompt::boxed(kind, ctx));
                        return out;
                    }
                    _ => return out,
                };
                if let Some(until) = until {
                    let reqs = contacts
                        .iter()
                        .map(|&id| requests::snooze(id, until))
                        .collect();
                    out.push(acts(reqs, Then::Status));
                }
            }
            ChordKind::Order => {
                let order = match key {
                    'u' => Order::Urgency,
                    'd' => Order::Due,
                    'v' => Order::Value,
                    _ => return out,
                };
                out.push(Effect::ToPane(Pane::Triage, Action::SortBy(order)));
            }
        }
        out
    }
}

impl Layer for Chord {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        match action {
            Action::Char(c) => Handled::Consumed(self.chosen(*c, ctx)),
            _ => Handled::one(Effect::Pop),
        }
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        let rows: Vec<String> = self
            .options
            .iter()
            .map(|(k, what)| format!("{k}  {what}"))
            .collect();
        let w = rows
            .iter()
            .map(|r| cols(r))
            .chain(std::iter::once(cols(&self.title)))
            .max()
            .unwrap_or(10)
            + 2;
        let h = u16::try_from(rows.len() + 2).unwrap_or(u16::MAX);
        // At the right, as which-key does, clear of the row it acts on.
        let body = screen.body;
        let r = popup(body, w, h, screen.anchor.or(Some(body.y)));
        let rect = Rect::new(body.right() - r.width, r.y, r.width, r.height);
        let inner = popup_frame(f, rect, &self.title, ctx.theme.title);
        let cols = usize::from(inner.width);
        let lines: Vec<Line<'_>> = rows
            .iter()
            .map(|r| Line::from(Span::styled(fit(r, cols), ctx.theme.base)))
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Chord
    }

    fn mode(&self) -> Mode {
        Mode::Chord
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
