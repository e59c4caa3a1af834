//! Contact detail: every field (emails, phones and the address on their own lines), the next due
//! with its reason, the planned touches, the timeline of touches and sales (newest first) and the
//! notes, wrapped. The record is read when the contact opens and after each write (the `Open`
//! effect); the keys act on this contact.

use super::super::action::Action;
use super::super::component::{Component, Ctx, Effect, Handled};
use super::super::flows;
use super::super::overlays::form::Form;
use super::super::overlays::notes::NotesEditor;
use super::super::widgets::fit;
use super::step;
use crate::model::{Contact, ContactId, Piece, Sale, Touch, TouchId, TouchState};
use crate::planner::{Facts, NextDue};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use std::collections::HashMap;

/// The open contact with its full history.
#[derive(Debug, Clone)]
pub struct ContactView {
    pub contact: Contact,
    pub facts: Facts,
    /// Newest first (the timeline merges them without sorting per frame).
    pub touches: Vec<Touch>,
    pub sales: Vec<Sale>,
    pub due: Option<NextDue>,
    pub scroll: usize,
    /// The piece each touch of `touches` carried (only those that carried one).
    pub carried: HashMap<TouchId, Piece>,
    /// The piece the library suggests for the next due touch: one this contact has not received
    /// (nor has on its way) that travels by its channel.
    pub suggested: Option<Piece>,
}

impl ContactView {
    /// The pieces the contact received, newest first (touches are newest first).
    pub fn received(&self) -> impl Iterator<Item = &Piece> {
        self.touches
            .iter()
            .filter(|t| t.state == TouchState::Done)
            .filter_map(|t| self.carried.get(&t.id))
    }
}

#[derive(Debug, Default)]
pub struct ContactPane {
    pub view: Option<ContactView>,
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// One timeline row.
enum Row<'a> {
    Touch(&'a Touch),
    Sale(&'a Sale),
}

/// Touches and sales (each already newest first) merged newest first; on the same day the
/// touches come first.
fn newest_first<'a>(touches: &'a [Touch], sales: &'a [Sale]) -> impl Iterator<Item = Row<'a>> {
    let mut t = touches.iter().peekable();
    let mut s = sales.iter().peekable();
    std::iter::from_fn(move || match (t.peek(), s.peek()) {
        (Some(a), Some(b)) if b.date > a.date => s.next().map(Row::Sale),
        (Some(_), _) => t.next().map(Row::Touch),
        (None, _) => s.next().map(Row::Sale),
    })
}

impl ContactPane {
    /// The fields, one per line; lists and the address one line per value.
    fn field_lines(v: &ContactView, ctx: &Ctx<'_>, w: usize) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let c = &v.contact;
        let kv = |k: &str, val: &str, style: Style| {
            Line::from(vec![
                Span::styled(format!("{k:<9}"), t.dim),
                Span::styled(fit(val, w.saturating_sub(9)), style),
            ])
        };
        let many = |lines: &mut Vec<Line<'static>>, k: &str, vals: &[&str]| {
            if vals.is_empty() {
                lines.push(kv(k, "", t.base));
            }
            for (i, val) in vals.iter().enumerate() {
                lines.push(kv(if i == 0 { k } else { "" }, val, t.base));
            }
        };
        let category = c
            .category
            .map_or_else(|| "-".to_string(), |id| ctx.diary.category_name(id));
        let stage = match c.no_reason {
            Some(r) if c.stage.is_out() => format!("{} ({r})", c.stage),
            _ => c.stage.to_string(),
        };
        let next = match &v.due {
            Some(d) => format!(
                "{} {} [{}]",
                crate::text::when(d.date, ctx.today()),
                d.channel,
                d.reason.as_str()
            ),
            None => "none (archived)".to_string(),
        };
        let mut lines = vec![
            kv("next", &next, t.due),
            kv("company", c.company.as_deref().unwrap_or(""), t.base),
            kv("stage", &stage, t.base),
            kv("category", &category, t.base),
        ];
        many(&mut lines, "email", &strs(&c.emails));
        many(&mut lines, "phone", &strs(&c.phones));
        let address = c
            .address
            .as_deref()
            .map(crate::text::address_lines)
            .unwrap_or_default();
        many(&mut lines, "address", &address);
        let birthday = c.birthday.map(|b| b.to_string()).unwrap_or_default();
        lines.push(kv("birthday", &birthday, t.base));
        lines.push(kv("tags", &c.tags.join(", "), t.base));
        for p in &v.facts.planned {
            let text = format!("{} {}", crate::text::when(p.date, ctx.today()), p.channel);
            lines.push(kv("planned", &text, t.base));
        }
        // The library: what to send with the next touch, and what the contact already received.
        if let Some(p) = &v.suggested {
            lines.push(kv("send", &format!("\"{}\" ({})", p.title, p.kind), t.base));
        }
        let received: Vec<&str> = v.received().map(|p| p.title.as_str()).collect();
        if !received.is_empty() {
            lines.push(kv("received", &received.join(", "), t.base));
        }
        lines
    }

    /// The timeline's visible rows: only those are formatted (100,000 touches draw as fast as
    /// ten).
    fn timeline_lines(v: &ContactView, ctx: &Ctx<'_>, w: usize, h: usize) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let len = v.touches.len() + v.sales.len();
        let start = v.scroll.min(len.saturating_sub(1));
        let wide = w >= 70;
        let date = |d: chrono::NaiveDate| {
            if wide {
                crate::text::when(d, ctx.today())
            } else {
                d.to_string()
            }
        };
        newest_first(&v.touches, &v.sales)
            .skip(start)
            .take(h)
            .map(|row| {
                let (text, style) = match row {
                    Row::Touch(x) => {
                        let mark = match x.state {
                            TouchState::Done => "✓",
                            TouchState::Planned => "·",
                            TouchState::Skipped => "×",
                            TouchState::Cancelled => "–",
                        };
                        let dir = if x.direction.as_str() == "in" {
                            " (in)"
                        } else {
                            ""
                        };
                        let mut text =
                            format!("{} {mark} {}{dir} {}", date(x.date), x.channel, x.summary);
                        if let Some(p) = v.carried.get(&x.id) {
                            text.push_str(&format!(" [{}]", p.title));
                        }
                        (text, t.base)
                    }
                    Row::Sale(s) => (
                        format!(
                            "{} sale {} {}",
                            date(s.date),
                            crate::text::amount(s.amount_cents, &s.currency),
                            s.note
                        ),
                        t.ok,
                    ),
                };
                Line::from(Span::styled(fit(&text, w), style))
            })
            .collect()
    }

    fn draw_view(v: &ContactView, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect) {
        let t = ctx.theme;
        let c = &v.contact;
        let (fields, timeline, bottom) = ContactPane::areas(area);
        ContactPane::draw_fields(v, ctx, f, fields);
        if let Some(timeline) = timeline {
            let len = v.touches.len() + v.sales.len();
            let tw = usize::from(timeline.width.saturating_sub(2));
            let th = usize::from(timeline.height.saturating_sub(2));
            let block = Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(format!(" Timeline ({len}) j/k "), t.title));
            let lines = ContactPane::timeline_lines(v, ctx, tw, th);
            f.render_widget(Paragraph::new(lines).block(block), timeline);
        }
        if let Some(bottom) = bottom {
            let block = Block::default().borders(Borders::ALL).title(Span::styled(
                " Notes · e edit · E fields · l log · p plan · s snooze · X cancel ",
                t.title,
            ));
            let notes = Paragraph::new(crate::sanitize::text(&c.notes))
                .wrap(Wrap { trim: false })
                .block(block);
            f.render_widget(notes, bottom);
        }
    }

    /// Wide: fields beside the timeline, the notes below. Narrow: one above the other, the
    /// notes and then the timeline giving way when short.
    fn areas(area: Rect) -> (Rect, Option<Rect>, Option<Rect>) {
        if area.width >= 70 {
            let [top, bottom] =
                Layout::vertical([Constraint::Percentage(60), Constraint::Min(3)]).areas(area);
            let [fields, timeline] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Min(20)]).areas(top);
            return (fields, Some(timeline), Some(bottom));
        }
        if area.height < 16 {
            return (area, None, None);
        }
        let [fields, timeline, notes] = Layout::vertical([
            Constraint::Percentage(50),
            Constraint::Percentage(25),
            Constraint::Min(3),
        ])
        .areas(area);
        (fields, Some(timeline), Some(notes))
    }

    fn draw_fields(v: &ContactView, ctx: &Ctx<'_>, f: &mut Frame<'_>, fields: Rect) {
        let c = &v.contact;
        let t = ctx.theme;
        let w = usize::from(fields.width.saturating_sub(2));
        // A name of any length: cut to the box with an ellipsis.
        let title = fit(&format!(" c{} {}", c.id, c.name), w.saturating_sub(1));
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!("{} ", title.trim_end()), t.title));
        f.render_widget(
            Paragraph::new(ContactPane::field_lines(v, ctx, w)).block(block),
            fields,
        );
    }
}

impl Component for ContactPane {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        let Some(v) = self.view.as_mut() else {
            return Handled::Ignored;
        };
        let len = v.touches.len() + v.sales.len();
        if step(&mut v.scroll, len, action) {
            return Handled::done();
        }
        let c = &v.contact;
        let e = match action {
            Action::EditNotes => {
                let who = crate::text::who(c.id, &c.name);
                Effect::Push(Box::new(NotesEditor::new(
                    c.id,
                    who,
                    c.notes.clone(),
                    &c.notes,
                )))
            }
            Action::EditContact => Effect::Push(Box::new(Form::edit(c.clone(), ctx))),
            _ => return flows::on_contacts(action, ctx, &[c.id]),
        };
        Handled::one(e)
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect) {
        match &self.view {
            Some(v) => ContactPane::draw_view(v, ctx, f, area),
            None => {
                let block = Block::default().borders(Borders::ALL).title(" Contact ");
                let p = Paragraph::new(crate::text::words::NO_CONTACT_OPEN)
                    .wrap(Wrap { trim: true })
                    .block(block);
                f.render_widget(p, area);
            }
        }
    }

    fn hit(&self, _: &Ctx<'_>, _: Rect, _: u16, _: u16) -> Option<Action> {
        None
    }

    fn selected(&self, _ctx: &Ctx<'_>) -> Option<ContactId> {
        self.view.as_ref().map(|v| v.contact.id)
    }

    fn hints(&self, _ctx: &Ctx<'_>) -> String {
        "d done · l log · p plan · s snooze · m move · E edit fields · e notes · X cancel"
            .to_string()
    }
}
