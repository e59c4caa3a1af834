//! A one-line prompt on the line above the status bar: a date for a reschedule, a snooze or a
//! plan, a tag, the calendar's go-to date, a summary for several done at once. It names the
//! contacts it acts on and stays open until the action succeeds (a refusal keeps what was typed).

use super::super::action::{Action, Pane};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen, Then, acts};
use super::super::keymap::Context;
use super::super::kinds::PromptKind;
use super::super::requests;
use super::super::widgets::line::LineEdit;
use super::draw_field;
use crate::actions::Request;
use crate::dates::parse_date;
use crate::model::{ContactId, Direction};
use chrono::NaiveDate;
use ratatui::Frame;
use std::any::Any;

#[derive(Debug)]
pub struct Prompt {
    pub kind: PromptKind,
    /// What it asks, naming the contact: "Reschedule c12 Ada Lovelace to (fri, +3d):".
    pub label: String,
    pub line: LineEdit,
}

impl Prompt {
    pub fn new(kind: PromptKind, ctx: &Ctx<'_>) -> Prompt {
        let label = label(&kind, ctx);
        Prompt {
            kind,
            label,
            line: LineEdit::default(),
        }
    }

    pub fn boxed(kind: PromptKind, ctx: &Ctx<'_>) -> Effect {
        Effect::Push(Box::new(Prompt::new(kind, ctx)))
    }

    /// The date typed, or its parse error (the prompt stays for a correction).
    fn date(&self, today: NaiveDate) -> Result<NaiveDate, String> {
        parse_date(self.line.text(), today).map_err(|e| e.to_string())
    }

    fn submit(&self, ctx: &Ctx<'_>) -> Result<Vec<Effect>, String> {
        let today = ctx.today();
        let many = |ids: &[ContactId], f: &dyn Fn(ContactId) -> Request| {
            let reqs = ids.iter().map(|&id| f(id)).collect();
            vec![acts(reqs, Then::Close)]
        };
        Ok(match &self.kind {
            PromptKind::Reschedule { contact, touch } => {
                let date = self.date(today)?;
                let req = requests::reschedule(*contact, *touch, date);
                vec![acts(vec![req], Then::Close)]
            }
            PromptKind::SnoozeDate { contacts } => {
                let until = self.date(today)?;
                many(contacts, &|id| requests::snooze(id, until))
            }
            PromptKind::PlanDate { contacts } => {
                let date = if self.line.text().trim().is_empty() {
                    None
                } else {
                    Some(self.date(today)?)
                };
                many(contacts, &|id| requests::plan(id, date))
            }
            PromptKind::Tag { contacts } => {
                let tag = self.line.text().trim().trim_start_matches('#').to_string();
                if tag.is_empty() {
                    return Err(crate::text::words::TAG_EMPTY.to_string());
                }
                many(contacts, &|id| requests::tag(id, &tag))
            }
            PromptKind::DoneMany { contacts } => {
                let summary = self.line.text().trim().to_string();
                many(contacts, &|id| {
                    let touch = ctx.diary.item_touch(id);
                    requests::done(id, touch, today, None, Direction::Out, summary.clone())
                })
            }
            PromptKind::GoTo => {
                let day = self.date(today)?;
                vec![
                    Effect::Pop,
                    Effect::ToPane(Pane::Calendar, Action::SelectDay(day)),
                    Effect::Focus(Pane::Calendar),
                ]
            }
        })
    }
}

/// What the prompt asks, naming whom.
fn label(kind: &PromptKind, ctx: &Ctx<'_>) -> String {
    use crate::text::words as w;
    let d = ctx.diary;
    match kind {
        PromptKind::Reschedule { contact, .. } => w::prompt_reschedule(&d.who(*contact)),
        PromptKind::SnoozeDate { contacts } => w::prompt_snooze(&d.whom(contacts)),
        PromptKind::PlanDate { contacts } => w::prompt_plan(&d.whom(contacts)),
        PromptKind::Tag { contacts } => w::prompt_tag(&d.whom(contacts)),
        PromptKind::DoneMany { contacts } => w::prompt_done_many(&d.whom(contacts)),
        PromptKind::GoTo => w::PROMPT_GOTO.to_string(),
    }
}

impl Layer for Prompt {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        match action {
            Action::Cancel => return Handled::one(Effect::Pop),
            Action::Char(c) => self.line.insert(*c),
            Action::Backspace => self.line.backspace(),
            Action::Key(ev) => {
                self.line.key(ev);
            }
            Action::Submit => {
                return Handled::Consumed(
                    self.submit(ctx).unwrap_or_else(|e| vec![Effect::Fail(e)]),
                );
            }
            _ => {}
        }
        Handled::done()
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        draw_field(f, screen.line, &self.label, &self.line, ctx.theme);
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Prompt
    }

    fn mode(&self) -> Mode {
        Mode::Prompt {
            kind: self.kind.clone(),
            text: self.line.text().to_string(),
        }
    }

    fn paste(&mut self, text: &str) -> bool {
        self.line.paste(text);
        true
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
