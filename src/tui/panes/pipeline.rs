//! Pipeline: one kanban column per kept stage, as many side by side as the width allows (the
//! focused one always shown); cards with name, company, next due and badges; a category or tag
//! filter; cards can be marked and moved together.

use super::super::action::Action;
use super::super::component::{Component, Ctx, Effect, Handled};
use super::super::diary::{Diary, Filter};
use super::super::flows;
use super::super::kinds::PickerKind;
use super::super::overlays::picker::{Picker, ask_move};
use super::super::widgets::{fit, window};
use super::{Marks, badges, row_in, step, urgency_style};
use crate::model::{ContactId, Stage};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The stages shown as columns.
pub const COLUMNS: [Stage; 5] = [
    Stage::Lead,
    Stage::Qualified,
    Stage::Proposal,
    Stage::Customer,
    Stage::StayInTouch,
];

/// The narrowest a column is drawn.
const MIN_COLUMN: u16 = 24;

#[derive(Debug)]
pub struct Pipeline {
    /// Rows per column, by next due.
    pub columns: Vec<Vec<usize>>,
    pub col: usize,
    pub card_sel: Vec<usize>,
    pub filter: Filter,
    pub marks: Marks,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            columns: vec![Vec::new(); COLUMNS.len()],
            col: 0,
            card_sel: vec![0; COLUMNS.len()],
            filter: Filter::default(),
            marks: Marks::default(),
        }
    }
}

impl Pipeline {
    fn recompute(&mut self, d: &Diary) {
        let mut columns = vec![Vec::new(); COLUMNS.len()];
        for (i, (p, _)) in d.roster.rows.iter().enumerate() {
            if let Some(c) = COLUMNS.iter().position(|s| *s == p.stage)
                && d.keeps(&self.filter, p)
            {
                columns[c].push(i);
            }
        }
        for col in &mut columns {
            col.sort_by_key(|&i| d.due(i).map_or(chrono::NaiveDate::MAX, |x| x.date));
        }
        for (sel, col) in self.card_sel.iter_mut().zip(&columns) {
            *sel = (*sel).min(col.len().saturating_sub(1));
        }
        self.columns = columns;
    }

    fn rows(&self) -> &[usize] {
        self.columns.get(self.col).map_or(&[], Vec::as_slice)
    }

    fn sel(&self) -> usize {
        self.card_sel.get(self.col).copied().unwrap_or(0)
    }

    /// The filter line: what the columns are filtered by, and the keys that change it.
    pub fn filter_line(&self, d: &Diary) -> String {
        let category = self
            .filter
            .category
            .map(|id| format!("category {}", d.category_name(id)));
        let tag = self.filter.tag.as_ref().map(|t| format!("tag #{t}"));
        let marked = crate::text::words::marked(self.marks.ids.len());
        match (category, tag) {
            (None, None) => format!(" All contacts · c category · # tag{marked}"),
            (c, t) => {
                let on: Vec<String> = c.into_iter().chain(t).collect();
                format!(" Filter: {} · 0/Esc clears{marked}", on.join(" · "))
            }
        }
    }

    /// The columns shown (a window around the focused one) and their areas.
    pub fn column_areas(&self, area: Rect) -> Vec<(usize, Rect)> {
        let [_, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let fit = usize::from((body.width / MIN_COLUMN).max(1)).min(COLUMNS.len());
        let first = window(self.col, COLUMNS.len(), fit).0;
        let n = u32::try_from(fit).unwrap_or(1);
        let rects = Layout::horizontal(vec![Constraint::Ratio(1, n); fit]).split(body);
        (first..first + fit).zip(rects.iter().copied()).collect()
    }

    fn stage_move(&self, action: &Action, ctx: &Ctx<'_>, ids: &[ContactId]) -> Option<Handled> {
        let to = match action {
            Action::StageLeft => self.col.checked_sub(1),
            Action::StageRight => Some(self.col + 1).filter(|&i| i < COLUMNS.len()),
            _ => return None,
        };
        let target = to.and_then(|i| COLUMNS.get(i).copied());
        Some(match target {
            Some(t) if !ids.is_empty() => Handled::Consumed(ask_move(ctx, ids, t)),
            _ => Handled::done(),
        })
    }

    fn own_keys(&mut self, action: &Action, ctx: &Ctx<'_>) -> Option<Handled> {
        let d = ctx.diary;
        let rows = self.rows().to_vec();
        let sel = self.sel();
        match action {
            Action::Left => self.col = self.col.saturating_sub(1),
            Action::Right => self.col = (self.col + 1).min(COLUMNS.len() - 1),
            Action::Select { col, row } => {
                self.col = (*col).min(COLUMNS.len() - 1);
                let len = self.rows().len();
                if let Some(s) = self.card_sel.get_mut(self.col) {
                    *s = (*row).min(len.saturating_sub(1));
                }
            }
            Action::Mark => self.marks.toggle(d, &rows, sel),
            Action::MarkRange => self.marks.range(d, &rows, sel),
            Action::Clear if !self.marks.is_empty() => self.marks.clear(),
            Action::Clear | Action::ClearFilter => {
                self.filter = Filter::default();
                self.recompute(d);
            }
            Action::PickCategory => {
                return Some(Handled::one(Picker::boxed(PickerKind::Category, ctx)));
            }
            Action::PickTag => return Some(Handled::one(Picker::boxed(PickerKind::Tag, ctx))),
            Action::SetCategory(c) => {
                self.filter.category = *c;
                self.recompute(d);
            }
            Action::SetTag(i) => {
                self.filter.tag = i.and_then(|i| d.search.all_tags.get(i).cloned());
                self.recompute(d);
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

    fn draw_column(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, c: usize, rect: Rect) {
        let t = ctx.theme;
        let d = ctx.diary;
        let rows = self.columns.get(c).map_or(&[][..], Vec::as_slice);
        let focused = c == self.col;
        let title = format!(" {} ({}) ", COLUMNS[c].as_str(), rows.len());
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            title,
            if focused { t.selected } else { t.title },
        ));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let width = usize::from(inner.width);
        // Each card is three lines: name, company, next due + badges.
        let fits = usize::from(inner.height) / 3;
        let sel = self.card_sel.get(c).copied().unwrap_or(0);
        let (first, last) = window(sel, rows.len(), fits);
        let mut lines: Vec<Line<'_>> = Vec::with_capacity(fits * 3);
        for i in first..last {
            let Some(&row) = rows.get(i) else { continue };
            let Some(p) = d.profile(row) else { continue };
            let selected = focused && i == sel;
            let due = d.due(row);
            let style = match (selected, due) {
                (true, _) => t.selected,
                (false, Some(x)) => urgency_style(t, x),
                _ => t.base,
            };
            let next = due.map_or_else(
                || "nothing due".to_string(),
                |x| {
                    format!(
                        "{} {}{}",
                        crate::text::day(x.date, ctx.today()),
                        x.reason.as_str(),
                        badges(x)
                    )
                },
            );
            let name = format!("{}{}", self.marks.gutter(p.id), p.name);
            lines.push(Line::from(Span::styled(fit(&name, width), style)));
            lines.push(Line::from(Span::styled(
                fit(p.company.as_deref().unwrap_or(""), width),
                if selected { style } else { t.dim },
            )));
            lines.push(Line::from(Span::styled(fit(&next, width), style)));
        }
        super::super::widgets::draw_rows(f, inner, &lines);
    }
}

impl Component for Pipeline {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        let len = self.rows().len();
        if let Some(sel) = self.card_sel.get_mut(self.col)
            && step(sel, len, action)
        {
            return Handled::done();
        }
        if let Some(h) = self.own_keys(action, ctx) {
            return h;
        }
        let ids = self
            .marks
            .targets(ctx.diary, self.rows(), self.selected(ctx));
        if let Some(h) = self.stage_move(action, ctx, &ids) {
            return h;
        }
        flows::on_contacts(action, ctx, &ids)
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect) {
        let [bar, _] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let style = if self.filter.is_on() {
            ctx.theme.due
        } else {
            ctx.theme.dim
        };
        let shown = self.column_areas(area);
        let mut text = self.filter_line(ctx.diary);
        if let (Some(first), Some(last)) = (shown.first(), shown.last())
            && shown.len() < COLUMNS.len()
        {
            text.push_str(&format!(
                " · stages {}-{} of {} (h/l)",
                first.0 + 1,
                last.0 + 1,
                COLUMNS.len()
            ));
        }
        let line = Span::styled(fit(&text, usize::from(bar.width)), style);
        f.render_widget(Paragraph::new(line), bar);
        for (c, rect) in shown {
            self.draw_column(ctx, f, c, rect);
        }
    }

    fn hit(&self, _ctx: &Ctx<'_>, area: Rect, x: u16, y: u16) -> Option<Action> {
        let (c, rect) = self
            .column_areas(area)
            .into_iter()
            .find(|(_, r)| x >= r.x && x < r.right())?;
        let len = self.columns.get(c).map_or(0, Vec::len);
        let sel = self.card_sel.get(c).copied().unwrap_or(0);
        let first = window(sel, len, usize::from(rect.height.saturating_sub(2) / 3)).0;
        row_in(rect, x, y, 3).map(|r| Action::Select {
            col: c,
            row: first + r,
        })
    }

    fn selected(&self, ctx: &Ctx<'_>) -> Option<ContactId> {
        self.rows()
            .get(self.sel())
            .and_then(|&r| ctx.diary.profile(r))
            .map(|p| p.id)
    }

    fn anchor(&self, _ctx: &Ctx<'_>, area: Rect) -> Option<u16> {
        let (_, rect) = self
            .column_areas(area)
            .into_iter()
            .find(|(c, _)| *c == self.col)?;
        let inner = Block::default().borders(Borders::ALL).inner(rect);
        let first = window(self.sel(), self.rows().len(), usize::from(inner.height / 3)).0;
        let r = u16::try_from(self.sel().checked_sub(first)?).ok()?;
        Some(inner.y + r * 3)
    }

    fn refresh(&mut self, ctx: &Ctx<'_>) {
        self.recompute(ctx.diary);
    }

    fn hints(&self, _ctx: &Ctx<'_>) -> String {
        "h/l column · < > move card · Enter open · Space mark · m move · c # filter".to_string()
    }
}
