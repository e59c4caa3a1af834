//! The notes editor (wrapping at the box's width) and, when the notes changed in the file while it
//! had them open, the chooser: keep yours, merge both, drop yours, or back to editing. The editor
//! saves only over the notes it opened with (the action checks), so nothing is lost silently.

use super::super::action::{Action, Pane};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen, Then};
use super::super::keymap::Context;
use super::{draw_hint, popup_frame};
use crate::actions::{ContactRef, NotesRequest, Request};
use crate::model::ContactId;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui_textarea::{TextArea, WrapMode};
use std::any::Any;

#[derive(Debug)]
pub struct NotesEditor {
    pub contact: ContactId,
    /// The notes the editor opened with: saved over only if the file still has them.
    pub base: String,
    pub area: TextArea<'static>,
    /// "c12 Ada Lovelace", for the title.
    pub who: String,
}

impl NotesEditor {
    pub fn new(contact: ContactId, who: String, base: String, text: &str) -> NotesEditor {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut area = TextArea::new(lines);
        area.set_max_histories(100);
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        NotesEditor {
            contact,
            base,
            area,
            who,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }
}

/// Save `text` over `base`; the layer on top closes once it is saved.
fn save(contact: ContactId, base: Option<String>, text: String) -> Effect {
    Effect::Act {
        request: Box::new(Request::Notes(NotesRequest {
            contact: ContactRef::Id(contact),
            base,
            text,
        })),
        then: Then::Close,
    }
}

/// Where the editor goes: the lower part of the pane (all of it when the pane is short).
fn editor_rect(body: Rect) -> Rect {
    if body.height < 14 {
        return body;
    }
    let h = (body.height / 2).max(8);
    Rect::new(body.x, body.bottom() - h, body.width, h)
}

impl Layer for NotesEditor {
    fn handle(&mut self, action: &Action, _ctx: &Ctx<'_>) -> Handled {
        let Action::Key(ev) = action else {
            return Handled::done();
        };
        if ev.code == KeyCode::Esc {
            // The editor stays open until the save succeeds (nothing typed is lost).
            return Handled::one(save(self.contact, Some(self.base.clone()), self.text()));
        }
        self.area.input(*ev);
        Handled::done()
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        let rect = editor_rect(screen.body);
        let title = format!(
            " Notes of {} · {} ",
            self.who,
            crate::text::words::NOTES_EDITING
        );
        let inner = popup_frame(f, rect, &title, ctx.theme.selected);
        f.render_widget(&self.area, inner);
        draw_hint(
            f,
            screen.line,
            &format!("Editing the notes of {}", self.who),
            ctx.theme.title,
        );
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Editor
    }

    fn mode(&self) -> Mode {
        Mode::Editor
    }

    fn paste(&mut self, pasted: &str) -> bool {
        let clean: String = pasted
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
            .collect();
        self.area.insert_str(clean);
        true
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// On top of the editor: the notes changed elsewhere. `ours` is what the editor holds.
#[derive(Debug)]
pub struct NotesConflict {
    pub contact: ContactId,
    pub theirs: String,
    pub ours: String,
    pub who: String,
}

/// Theirs, then the lines of ours that theirs does not have, below a marker.
pub fn merge_notes(theirs: &str, ours: &str) -> String {
    let have: std::collections::HashSet<&str> = theirs.lines().collect();
    let extra: Vec<&str> = ours.lines().filter(|l| !have.contains(l)).collect();
    if extra.is_empty() {
        return theirs.to_string();
    }
    let mut out = theirs.trim_end_matches('\n').to_string();
    out.push('\n');
    out.push_str(crate::text::words::NOTES_MARKER);
    out.push('\n');
    out.push_str(&extra.join("\n"));
    out
}

impl Layer for NotesConflict {
    fn handle(&mut self, action: &Action, _ctx: &Ctx<'_>) -> Handled {
        use crate::text::words as w;
        let contact = self.contact;
        Handled::Consumed(match action {
            // Ours over theirs: this layer closes, the editor once saved.
            Action::Char('k') => vec![
                Effect::Pop,
                save(contact, Some(self.theirs.clone()), self.ours.clone()),
            ],
            Action::Char('m') => {
                let merged = merge_notes(&self.theirs, &self.ours);
                let editor =
                    NotesEditor::new(contact, self.who.clone(), self.theirs.clone(), &merged);
                vec![
                    Effect::Pop,
                    Effect::Pop,
                    Effect::Push(Box::new(editor)),
                    Effect::Say(w::NOTES_MERGED.to_string()),
                ]
            }
            Action::Char('d') => vec![
                Effect::Pop,
                Effect::Pop,
                Effect::Open(contact),
                Effect::Say(w::NOTES_DROPPED.to_string()),
            ],
            Action::Cancel => vec![Effect::Pop],
            _ => Vec::new(),
        })
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        draw_hint(
            f,
            screen.line,
            crate::text::words::NOTES_CONFLICT,
            ctx.theme.error,
        );
    }

    fn hint(&self, _ctx: &Ctx<'_>) -> Option<String> {
        Some(crate::text::words::NOTES_CONFLICT.to_string())
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Picker
    }

    fn mode(&self) -> Mode {
        Mode::NotesConflict {
            contact: self.contact,
            theirs: self.theirs.clone(),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
