//! Weekly triage: everything due this week plus overdue, ranked by the planner, filtered by
//! category or tag and ordered by urgency, due date or value; and the review lists (move forward
//! or out, adrift, unreachable). Each item is cleared with one key; rows can be marked to act on
//! several at once.

use super::super::action::Action;
use super::super::component::{Component, Ctx, Effect, Handled};
use super::super::diary::{Diary, Filter};
use super::super::flows;
use super::super::kinds::PickerKind;
use super::super::overlays::chord::Chord;
use super::super::overlays::picker::Picker;
use super::super::widgets;
use super::super::widgets::{fit, window};
use super::{Marks, badges, step, urgency_style};
use crate::model::ContactId;
use crate::planner::Order;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

#[derive(Debug, Default)]
pub struct Triage {
    /// The week's items as shown: the diary's, filtered and ordered.
    pub rows: Vec<usize>,
    pub sel: usize,
    pub review_on: bool,
    pub review_sel: usize,
    pub marks: Marks,
    pub filter: Filter,
    pub order: Order,
}

impl Triage {
    /// The list on screen (the week's or the review's) as roster rows.
    pub fn list(&self, d: &Diary) -> Vec<usize> {
        if self.review_on {
            d.review.iter().map(|r| r.0).collect()
        } else {
            self.rows.clone()
        }
    }

    fn cursor(&mut self) -> &mut usize {
        if self.review_on {
            &mut self.review_sel
        } else {
            &mut self.sel
        }
    }

    /// "7 of 23 cleared": this week's items cleared (by any run of the diary), of all of them.
    pub fn progress(&self, d: &Diary) -> (usize, usize) {
        let done = d.cleared_shown;
        let left = if self.review_on {
            d.review.len()
        } else {
            d.triage.len()
        };
        (done, done + left)
    }

    /// Select the contact's row, if it is listed.
    pub fn select(&mut self, d: &Diary, id: ContactId) -> bool {
        let found = d
            .row_of(id)
            .and_then(|row| self.rows.iter().position(|&r| r == row));
        if let Some(i) = found {
            self.sel = i;
        }
        found.is_some()
    }

    fn filter_line(&self, d: &Diary) -> Option<String> {
        let mut on = Vec::new();
        if let Some(id) = self.filter.category {
            on.push(format!("category {}", d.category_name(id)));
        }
        if let Some(t) = &self.filter.tag {
            on.push(format!("tag #{t}"));
        }
        (!on.is_empty()).then(|| {
            format!(
                "Filter: {} · {} of {} shown · 0 clears",
                on.join(" · "),
                self.rows.len(),
                d.triage.len()
            )
        })
    }

    fn title(&self, d: &Diary) -> String {
        let (done, total) = self.progress(d);
        let marked = crate::text::words::marked(self.marks.ids.len());
        if self.review_on {
            format!(" Review: keep the list clean · {done} of {total} cleared{marked} · v week ")
        } else {
            format!(
                " This week · {done} of {total} cleared · by {}{marked} · v review ",
                self.order.as_str()
            )
        }
    }

    /// The list's area inside the pane (below the filter line when one shows).
    fn list_area(&self, area: Rect) -> Rect {
        let inner = Block::default().borders(Borders::ALL).inner(area);
        if self.filter.is_on() && !self.review_on {
            Rect::new(
                inner.x,
                inner.y + 1,
                inner.width,
                inner.height.saturating_sub(1),
            )
        } else {
            inner
        }
    }

    fn set_filter(&mut self, action: &Action, d: &Diary) {
        match action {
            Action::SetCategory(c) => self.filter.category = *c,
            Action::SetTag(i) => {
                self.filter.tag = i.and_then(|i| d.search.all_tags.get(i).cloned());
            }
            Action::SortBy(o) => self.order = *o,
            _ => self.filter = Filter::default(),
        }
        self.recompute(d);
    }

    fn recompute(&mut self, d: &Diary) {
        let mut rows: Vec<usize> = d
            .triage
            .iter()
            .copied()
            .filter(|&r| d.profile(r).is_some_and(|p| d.keeps(&self.filter, p)))
            .collect();
        self.order.sort(&mut rows, |&r| {
            (
                d.due(r).map_or(chrono::NaiveDate::MAX, |x| x.date),
                d.value(r),
            )
        });
        self.rows = rows;
        self.sel = self.sel.min(self.rows.len().saturating_sub(1));
        self.review_sel = self.review_sel.min(d.review.len().saturating_sub(1));
    }

    fn week_lines(&self, ctx: &Ctx<'_>, height: usize, width: usize) -> Vec<Line<'static>> {
        let d = ctx.diary;
        let t = ctx.theme;
        let (first, last) = window(self.sel, self.rows.len(), height);
        let visible = || {
            self.rows
                .get(first..last)
                .unwrap_or_default()
                .iter()
                .filter_map(|&r| d.due(r))
        };
        // Column widths from the visible rows; the name gives way first, so the badges stay
        // readable at 80 columns and every row keeps the same columns.
        let chan_w = visible()
            .map(|x| widgets::width(x.channel.as_str()))
            .max()
            .unwrap_or(0);
        let badge_w = visible()
            .map(|x| widgets::width(&badges(x)))
            .max()
            .unwrap_or(0);
        let when_w = visible()
            .map(|x| widgets::width(&crate::text::day(x.date, ctx.today())))
            .max()
            .unwrap_or(0);
        // Narrow: the name, when and how; the reason and badges show in the contact.
        let narrow = width < 60;
        let value = self.order == crate::planner::Order::Value || width >= 140;
        let value_w = if value { 14 } else { 0 };
        let gutter = if self.marks.is_empty() { 0 } else { 2 };
        let rest = if narrow { 0 } else { 1 + 8 + badge_w + value_w };
        let name_w = width
            .saturating_sub(gutter + 1 + when_w + 1 + chan_w + rest)
            .max(8);
        let mut lines = Vec::with_capacity(height);
        for i in first..last {
            let Some(&row) = self.rows.get(i) else {
                continue;
            };
            let (Some(p), Some(due)) = (d.profile(row), d.due(row)) else {
                continue;
            };
            let money = if value {
                format!("{:>13} ", crate::text::money(d.value(row)))
            } else {
                String::new()
            };
            let mut text = format!(
                "{}{} {:>when_w$} {}",
                self.marks.gutter(p.id),
                fit(&p.label(), name_w),
                crate::text::day(due.date, ctx.today()),
                fit(due.channel.as_str(), chan_w),
            );
            if !narrow {
                text.push_str(&format!(
                    " {:<8}{money}{}",
                    due.reason.as_str(),
                    badges(due)
                ));
            }
            let style = if i == self.sel {
                t.selected
            } else {
                urgency_style(t, due)
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        if self.rows.is_empty() {
            let text = if self.filter.is_on() {
                crate::text::words::NOTHING_MATCHES
            } else {
                crate::text::words::NOTHING_LEFT
            };
            lines.push(Line::from(Span::styled(text, t.ok)));
        }
        lines
    }

    fn review_lines(&self, ctx: &Ctx<'_>, height: usize, width: usize) -> Vec<Line<'static>> {
        let d = ctx.diary;
        let (first, last) = window(self.review_sel, d.review.len(), height);
        let mut lines = Vec::with_capacity(height);
        for i in first..last {
            let Some(&(row, kind)) = d.review.get(i) else {
                continue;
            };
            let Some(p) = d.profile(row) else { continue };
            let text = format!(
                "{}{:<20} {} · {}",
                self.marks.gutter(p.id),
                kind.label(),
                p.label(),
                p.stage
            );
            let style = if i == self.review_sel {
                ctx.theme.selected
            } else {
                ctx.theme.base
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        if d.review.is_empty() {
            lines.push(Line::from(Span::styled(
                crate::text::words::LIST_CLEAN,
                ctx.theme.ok,
            )));
        }
        lines
    }

    fn own_keys(&mut self, action: &Action, ctx: &Ctx<'_>) -> Option<Handled> {
        let d = ctx.diary;
        let list = self.list(d);
        match action {
            Action::ToggleReview => self.review_on = !self.review_on,
            Action::Select { row, .. } => *self.cursor() = (*row).min(list.len().saturating_sub(1)),
            Action::Mark => {
                let sel = *self.cursor();
                self.marks.toggle(d, &list, sel);
            }
            Action::MarkRange => {
                let sel = *self.cursor();
                self.marks.range(d, &list, sel);
            }
            Action::Clear if !self.marks.is_empty() => self.marks.clear(),
            Action::Clear | Action::ClearFilter if self.filter.is_on() => {
                self.set_filter(&Action::ClearFilter, d);
            }
            Action::PickCategory => {
                return Some(Handled::one(Picker::boxed(PickerKind::Category, ctx)));
            }
            Action::PickTag => return Some(Handled::one(Picker::boxed(PickerKind::Tag, ctx))),
            Action::SortMenu => return Some(Handled::one(Chord::order())),
            Action::SetCategory(_) | Action::SetTag(_) | Action::SortBy(_) => {
                self.set_filter(action, d);
            }
            Action::Open => {
                return Some(match self.selected(ctx) {
                    Some(id) => Handled::one(Effect::Open(id)),
                    None => Handled::done(),
                });
            }
            _ => return None,
        }
        Some(Handled::done())
    }
}

impl Component for Triage {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        let len = self.list(ctx.diary).len();
        if step(self.cursor(), len, action) {
            return Handled::done();
        }
        if let Some(h) = self.own_keys(action, ctx) {
            return h;
        }
        let list = self.list(ctx.diary);
        let ids = self.marks.targets(ctx.diary, &list, self.selected(ctx));
        flows::on_contacts(action, ctx, &ids)
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(self.title(ctx.diary), ctx.theme.title));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let list = self.list_area(area);
        if list.y > inner.y
            && let Some(text) = self.filter_line(ctx.diary)
        {
            let bar = Rect::new(inner.x, inner.y, inner.width, 1);
            let line = Span::styled(fit(&text, usize::from(bar.width)), ctx.theme.due);
            f.render_widget(Paragraph::new(line), bar);
        }
        let (h, w) = (usize::from(list.height), usize::from(list.width));
        let lines = if self.review_on {
            self.review_lines(ctx, h, w)
        } else {
            self.week_lines(ctx, h, w)
        };
        widgets::draw_rows(f, list, &lines);
    }

    fn hit(&self, ctx: &Ctx<'_>, area: Rect, x: u16, y: u16) -> Option<Action> {
        let list = self.list_area(area);
        let (sel, len) = if self.review_on {
            (self.review_sel, ctx.diary.review.len())
        } else {
            (self.sel, self.rows.len())
        };
        let first = window(sel, len, usize::from(list.height)).0;
        let inside = x >= list.x && x < list.right() && y >= list.y && y < list.bottom();
        inside.then(|| Action::Select {
            col: 0,
            row: first + usize::from(y - list.y),
        })
    }

    fn selected(&self, ctx: &Ctx<'_>) -> Option<ContactId> {
        let d = ctx.diary;
        let row = if self.review_on {
            d.review.get(self.review_sel).map(|r| r.0)
        } else {
            self.rows.get(self.sel).copied()
        };
        row.and_then(|r| d.profile(r)).map(|p| p.id)
    }

    fn anchor(&self, ctx: &Ctx<'_>, area: Rect) -> Option<u16> {
        let list = self.list_area(area);
        let (sel, len) = if self.review_on {
            (self.review_sel, ctx.diary.review.len())
        } else {
            (self.sel, self.rows.len())
        };
        let first = window(sel, len, usize::from(list.height)).0;
        u16::try_from(sel.checked_sub(first)?)
            .ok()
            .map(|r| list.y + r)
    }

    fn refresh(&mut self, ctx: &Ctx<'_>) {
        self.recompute(ctx.diary);
    }

    fn hints(&self, _ctx: &Ctx<'_>) -> String {
        "d done · D done… · s snooze · r resched · x skip · o out · Space mark · O order · c # filter"
            .to_string()
    }
}
