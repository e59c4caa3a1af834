//! LYBUNT: customers who bought last (fiscal) year but not yet this one, by last year's value,
//! with what is at stake, whether the year is running out, and each one's next touch. One key
//! plans (p) or logs (l) a touch; rows can be marked to plan for several at once.

use super::super::action::Action;
use super::super::component::{Component, Ctx, Effect, Handled};
use super::super::flows;
use super::super::widgets::{fit, window};
use super::{Marks, step, urgency_style};
use crate::model::ContactId;
use crate::planner::Urgency;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

#[derive(Debug, Default)]
pub struct Lybunt {
    pub sel: usize,
    pub marks: Marks,
}

impl Lybunt {
    fn rows(ctx: &Ctx<'_>) -> Vec<usize> {
        ctx.diary.lybunt.iter().map(|(r, _)| *r).collect()
    }

    fn title(&self, ctx: &Ctx<'_>) -> String {
        let d = ctx.diary;
        let cur = &d.roster.settings.default_currency;
        let total: i64 = d.lybunt.iter().map(|(_, l)| l.last_year_cents).sum();
        let running_out = d.lybunt.first().is_some_and(|(_, l)| l.at_risk);
        let risk = if running_out {
            " · the year is running out"
        } else {
            ""
        };
        format!(
            " LYBUNT: {} · {} at stake{risk}{} ",
            crate::text::count(d.lybunt.len(), "customer", "customers"),
            crate::text::amount(total, cur),
            crate::text::words::marked(self.marks.ids.len())
        )
    }

    /// Column widths: last year's value, the customer, the next touch; the last sale takes
    /// the rest when there is room.
    fn widths(ctx: &Ctx<'_>, width: usize) -> (usize, usize, usize) {
        let value_w = ctx
            .diary
            .lybunt
            .iter()
            .map(|(_, l)| crate::text::money(l.last_year_cents).len())
            .max()
            .unwrap_or(4)
            .max(9);
        let rest = width.saturating_sub(value_w + 4);
        if width >= 100 {
            (value_w, rest * 2 / 5, rest * 7 / 20)
        } else {
            (value_w, rest / 2, rest - rest / 2)
        }
    }

    fn header(ctx: &Ctx<'_>, width: usize) -> Line<'static> {
        let (value_w, name_w, next_w) = Lybunt::widths(ctx, width);
        let mut text = format!(
            "{:>value_w$}  {} {}",
            "last year",
            fit("customer", name_w),
            fit("next touch", next_w)
        );
        if width >= 100 {
            text.push_str(" last sale");
        }
        Line::from(Span::styled(fit(&text, width), ctx.theme.dim))
    }

    fn lines(&self, ctx: &Ctx<'_>, height: usize, width: usize) -> Vec<Line<'static>> {
        let d = ctx.diary;
        let t = ctx.theme;
        let (value_w, name_w, next_w) = Lybunt::widths(ctx, width);
        let (first, last) = window(self.sel, d.lybunt.len(), height);
        let mut lines = Vec::with_capacity(height);
        for i in first..last {
            let Some((row, l)) = d.lybunt.get(i) else {
                continue;
            };
            let Some(p) = d.profile(*row) else { continue };
            let due = d.due(*row);
            let next = due.map_or_else(
                || "nothing planned".to_string(),
                |x| {
                    let when = crate::text::day(x.date, ctx.today());
                    format!("{when} {} ({})", x.channel, x.reason.as_str())
                },
            );
            let gutter = self.marks.gutter(p.id);
            let mut text = format!(
                "{:>value_w$}  {} {}",
                crate::text::money(l.last_year_cents),
                fit(&format!("{gutter}{}", p.label()), name_w),
                fit(&next, next_w),
            );
            if width >= 100 {
                let sale = l
                    .last_sale
                    .map_or_else(|| "-".to_string(), |s| crate::text::day(s, ctx.today()));
                let risk = due.is_some_and(|x| x.urgency == Urgency::AtRisk);
                text.push_str(&format!(" {sale}{}", if risk { " AT-RISK" } else { "" }));
            }
            let style = match (i == self.sel, due) {
                (true, _) => t.selected,
                (false, Some(x)) => urgency_style(t, x),
                _ => t.base,
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        if d.lybunt.is_empty() {
            lines.push(Line::from(Span::styled(
                crate::text::words::NO_LYBUNT,
                t.ok,
            )));
        }
        lines
    }

    /// The list's area: below the column headings.
    fn list_area(area: Rect) -> Rect {
        let inner = Block::default().borders(Borders::ALL).inner(area);
        Rect::new(
            inner.x,
            inner.y.saturating_add(1),
            inner.width,
            inner.height.saturating_sub(1),
        )
    }
}

impl Component for Lybunt {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        let rows = Lybunt::rows(ctx);
        if step(&mut self.sel, rows.len(), action) {
            return Handled::done();
        }
        match action {
            Action::Select { row, .. } => self.sel = (*row).min(rows.len().saturating_sub(1)),
            Action::Mark => self.marks.toggle(ctx.diary, &rows, self.sel),
            Action::MarkRange => self.marks.range(ctx.diary, &rows, self.sel),
            Action::Clear if !self.marks.is_empty() => self.marks.clear(),
            Action::Open => {
                return match self.selected(ctx) {
                    Some(id) => Handled::one(Effect::Open(id)),
                    None => Handled::done(),
                };
            }
            _ => {
                let ids = self.marks.targets(ctx.diary, &rows, self.selected(ctx));
                return flows::on_contacts(action, ctx, &ids);
            }
        }
        Handled::done()
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(self.title(ctx), ctx.theme.title));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let list = Lybunt::list_area(area);
        if inner.height > 0 {
            let head = Rect::new(inner.x, inner.y, inner.width, 1);
            f.render_widget(
                Paragraph::new(Lybunt::header(ctx, usize::from(inner.width))),
                head,
            );
        }
        let lines = self.lines(ctx, usize::from(list.height), usize::from(list.width));
        super::super::widgets::draw_rows(f, list, &lines);
    }

    fn hit(&self, ctx: &Ctx<'_>, area: Rect, x: u16, y: u16) -> Option<Action> {
        let list = Lybunt::list_area(area);
        let first = window(self.sel, ctx.diary.lybunt.len(), usize::from(list.height)).0;
        let inside = x >= list.x && x < list.right() && y >= list.y && y < list.bottom();
        inside.then(|| Action::Select {
            col: 0,
            row: first + usize::from(y - list.y),
        })
    }

    fn selected(&self, ctx: &Ctx<'_>) -> Option<ContactId> {
        ctx.diary.lybunt.get(self.sel).map(|(_, l)| l.contact)
    }

    fn anchor(&self, ctx: &Ctx<'_>, area: Rect) -> Option<u16> {
        let list = Lybunt::list_area(area);
        let first = window(self.sel, ctx.diary.lybunt.len(), usize::from(list.height)).0;
        u16::try_from(self.sel.checked_sub(first)?)
            .ok()
            .map(|r| list.y + r)
    }

    fn refresh(&mut self, ctx: &Ctx<'_>) {
        self.sel = self.sel.min(ctx.diary.lybunt.len().saturating_sub(1));
    }

    fn hints(&self, _ctx: &Ctx<'_>) -> String {
        "p plan · l log · d done · s snooze · Enter open · Space mark · by last year's value"
            .to_string()
    }
}
