//! A picker of numbered options in a pop-up that keeps clear of the row it acts on and names the
//! contacts in its title: the reason of a "no" (with the retry each one plans), a stage, a tag or
//! a category to filter by, the planned touch to call off.

use super::super::action::{Action, Pane};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen, Then, acts};
use super::super::keymap::Context;
use super::super::kinds::PickerKind;
use super::super::requests;
use super::super::widgets::{fit, popup, window};
use super::confirm::ConfirmOut;
use super::popup_frame;
use crate::model::{ContactId, NoReason, Stage};
use crate::planner::close;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::any::Any;

#[derive(Debug)]
pub struct Picker {
    pub kind: PickerKind,
    pub title: String,
    pub options: Vec<String>,
    pub selected: usize,
}

/// The reasons of a "no", in picker order.
pub fn reasons() -> Vec<NoReason> {
    NoReason::NAMES
        .iter()
        .filter_map(|n| n.parse::<NoReason>().ok())
        .collect()
}

impl Picker {
    pub fn new(kind: PickerKind, ctx: &Ctx<'_>) -> Picker {
        let (title, options) = options(&kind, ctx);
        Picker {
            kind,
            title,
            options,
            selected: 0,
        }
    }

    pub fn boxed(kind: PickerKind, ctx: &Ctx<'_>) -> Effect {
        Effect::Push(Box::new(Picker::new(kind, ctx)))
    }

    fn picked(&self, chosen: usize, ctx: &Ctx<'_>) -> Vec<Effect> {
        let mut out = vec![Effect::Pop];
        match &self.kind {
            PickerKind::Reason { contacts, target } => {
                if let Some(&r) = reasons().get(chosen) {
                    out.extend(move_out(ctx, contacts, *target, r));
                }
            }
            PickerKind::Stage { contacts } => {
                if let Some(&target) = Stage::ALL.get(chosen) {
                    out.extend(ask_move(ctx, contacts, target));
                }
            }
            PickerKind::Tag => out.push(Effect::ToPane(ctx.pane, Action::SetTag(Some(chosen)))),
            PickerKind::Category => {
                let id = ctx.diary.roster.categories.get(chosen).map(|k| k.id);
                out.push(Effect::ToPane(ctx.pane, Action::SetCategory(id)));
            }
            PickerKind::Cancel { contact, touches } => {
                if let Some(&(touch, _)) = touches.get(chosen) {
                    out.push(acts(
                        vec![requests::cancel(*contact, Some(touch))],
                        Then::Status,
                    ));
                }
            }
        }
        out
    }
}

/// The title and the options of a picker.
fn options(kind: &PickerKind, ctx: &Ctx<'_>) -> (String, Vec<String>) {
    let d = ctx.diary;
    match kind {
        PickerKind::Reason { contacts, target } => (
            format!(" Why {} said no (to {target}) ", d.whom(contacts)),
            reasons()
                .iter()
                .map(
                    |&r| match close::retry_after_no(*target, r, &d.roster.settings, d.today) {
                        Some(day) => format!("{:<26} retry {day}", r.as_str()),
                        None => r.as_str().to_string(),
                    },
                )
                .collect(),
        ),
        PickerKind::Stage { contacts } => (
            format!(" Move {} to ", d.whom(contacts)),
            Stage::ALL.iter().map(|s| s.as_str().to_string()).collect(),
        ),
        PickerKind::Tag => (
            " Filter by tag ".to_string(),
            d.search.all_tags.iter().map(|t| format!("#{t}")).collect(),
        ),
        PickerKind::Category => (
            " Filter by category ".to_string(),
            d.roster.categories.iter().map(|k| k.name.clone()).collect(),
        ),
        PickerKind::Cancel { contact, touches } => (
            format!(" Cancel which touch of {} ", d.who(*contact)),
            touches
                .iter()
                .map(|(t, day)| format!("t{t} {}", crate::text::when(*day, d.today)))
                .collect(),
        ),
    }
}

/// Ask for a move: moving out opens the reason picker, anything else is a move.
pub fn ask_move(ctx: &Ctx<'_>, contacts: &[ContactId], target: Stage) -> Vec<Effect> {
    if target.is_out() {
        let kind = PickerKind::Reason {
            contacts: contacts.to_vec(),
            target,
        };
        return vec![Picker::boxed(kind, ctx)];
    }
    let reqs = contacts
        .iter()
        .map(|&id| requests::move_to(id, target, None, false))
        .collect();
    vec![acts(reqs, Then::Status)]
}

/// A move out with its reason: asks first when planned touches would be called off.
pub fn move_out(
    ctx: &Ctx<'_>,
    contacts: &[ContactId],
    target: Stage,
    reason: NoReason,
) -> Vec<Effect> {
    let planned: usize = contacts.iter().map(|&id| ctx.diary.planned_count(id)).sum();
    if planned == 0 {
        return vec![ConfirmOut::effect(contacts, target, reason, false)];
    }
    vec![Effect::Push(Box::new(ConfirmOut {
        contacts: contacts.to_vec(),
        target,
        reason,
        planned,
        question: crate::text::words::confirm_out(
            &ctx.diary.whom(contacts),
            reason.as_str(),
            planned,
        ),
    }))]
}

impl Layer for Picker {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        let len = self.options.len();
        let chosen = match action {
            Action::Cancel => return Handled::one(Effect::Pop),
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                return Handled::done();
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(len.saturating_sub(1));
                return Handled::done();
            }
            Action::Submit if len > 0 => self.selected,
            Action::Pick(i) if *i < len => *i,
            _ => return Handled::done(),
        };
        Handled::Consumed(self.picked(chosen, ctx))
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        let widest = self
            .options
            .iter()
            .map(|o| super::super::widgets::cols(o))
            .max()
            .unwrap_or(0);
        let w = (widest + 4)
            .max(super::super::widgets::cols(&self.title) + 2)
            .max(24);
        let h = u16::try_from(self.options.len().max(1) + 2).unwrap_or(u16::MAX);
        let rect = popup(screen.body, w, h, screen.anchor);
        let inner = popup_frame(f, rect, &self.title, ctx.theme.title);
        let cols = usize::from(inner.width);
        let (a, b) = window(self.selected, self.options.len(), usize::from(inner.height));
        let mut lines: Vec<Line<'_>> = (a..b)
            .filter_map(|i| {
                let o = self.options.get(i)?;
                let text = if i < 9 {
                    format!("{} {o}", i + 1)
                } else {
                    format!("  {o}")
                };
                let style = if i == self.selected {
                    ctx.theme.selected
                } else {
                    ctx.theme.base
                };
                Some(Line::from(Span::styled(fit(&text, cols), style)))
            })
            .collect();
        if self.options.is_empty() {
            lines.push(Line::from(Span::styled(
                crate::text::words::NOTHING_TO_PICK,
                ctx.theme.dim,
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Picker
    }

    fn loads(&self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let search = &ctx.diary.search;
        if self.kind == PickerKind::Tag && (!search.loaded || search.stale) {
            vec![Effect::LoadSearch]
        } else {
            Vec::new()
        }
    }

    fn refresh(&mut self, ctx: &Ctx<'_>) {
        let (title, options) = options(&self.kind, ctx);
        self.title = title;
        self.options = options;
        self.selected = self.selected.min(self.options.len().saturating_sub(1));
    }

    fn mode(&self) -> Mode {
        Mode::Picker {
            kind: self.kind.clone(),
            selected: self.selected,
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
