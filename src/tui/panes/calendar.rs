//! Calendar: a month grid whose days say what they hold in words as wide as the terminal allows
//! ("24 3 due 2 done", "17 1 late"), the cursor's week in numbers when there is room, and the
//! cursor day's contacts: Enter goes into that list, where every contact is reachable (j/k) and
//! the contact keys act. Done counts and birthdays come from the pane's grid (read by the
//! `LoadGrid` effect when the month changes), never from draw.

use super::super::action::Action;
use super::super::component::{Component, Ctx, Effect, Handled};
use super::super::flows;
use super::super::kinds::PromptKind;
use super::super::overlays::prompt::Prompt;
use super::super::widgets::{fit, window};
use super::{Marks, badges, step, urgency_style};
use crate::model::ContactId;
use chrono::{Datelike, Days, Months, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use std::collections::BTreeMap;

/// The done touches and birthdays of the 42 days of a month grid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Grid {
    /// The grid's first day (a Monday) these were read for.
    pub loaded: Option<NaiveDate>,
    pub done_by_day: BTreeMap<NaiveDate, usize>,
    pub birthdays: BTreeMap<NaiveDate, usize>,
}

#[derive(Debug)]
pub struct Calendar {
    pub cursor: NaiveDate,
    /// The selected contact in the cursor day's list.
    pub day_sel: usize,
    /// Keys go to the day's list (Enter went into it; Esc goes back to the month).
    pub in_list: bool,
    pub marks: Marks,
    pub grid: Grid,
}

/// How the pane is laid out at a size.
struct Areas {
    grid: Rect,
    week: Option<Rect>,
    list: Rect,
    /// Only the cursor's week shows (a short terminal).
    one_week: bool,
}

fn shift_days(d: NaiveDate, n: i64) -> NaiveDate {
    let step = Days::new(n.unsigned_abs());
    if n >= 0 {
        d.checked_add_days(step)
    } else {
        d.checked_sub_days(step)
    }
    .unwrap_or(d)
}

fn monday(d: NaiveDate) -> NaiveDate {
    shift_days(d, -i64::from(d.weekday().num_days_from_monday()))
}

impl Calendar {
    pub fn new(today: NaiveDate) -> Calendar {
        Calendar {
            cursor: today,
            day_sel: 0,
            in_list: false,
            marks: Marks::default(),
            grid: Grid::default(),
        }
    }

    /// The first day (a Monday) of the month grid around the cursor.
    pub fn grid_start(&self) -> NaiveDate {
        monday(self.cursor.with_day(1).unwrap_or(self.cursor))
    }

    fn go(&mut self, day: NaiveDate) {
        if day != self.cursor {
            self.cursor = day;
            self.day_sel = 0;
        }
    }

    /// Wide: the month on the left, the week strip and the day's list on the right. Narrow: the
    /// month (or, when short, only the cursor's week) above the day's list.
    fn areas(area: Rect) -> Areas {
        if area.width >= 120 {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(62), Constraint::Min(30)]).areas(area);
            // Two or three lines a day when the height allows.
            let h = if left.height >= 21 { 21 } else { 15 };
            let [grid, _] =
                Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(left);
            let (week, list) = if right.height >= 16 {
                let [w, l] =
                    Layout::vertical([Constraint::Length(8), Constraint::Min(5)]).areas(right);
                (Some(w), l)
            } else {
                (None, right)
            };
            return Areas {
                grid,
                week,
                list,
                one_week: false,
            };
        }
        // Month: a header and six weeks in a border (9 rows); a list needs 4 more.
        let one_week = area.height < 13;
        let grid_h = if one_week { 4 } else { 9 };
        let [grid, list] =
            Layout::vertical([Constraint::Length(grid_h), Constraint::Min(0)]).areas(area);
        Areas {
            grid,
            week: None,
            list,
            one_week,
        }
    }

    fn due_on(ctx: &Ctx<'_>, day: NaiveDate) -> usize {
        ctx.diary.by_day.get(&day).map_or(0, Vec::len)
    }

    /// Open on a past day (overdue); on today, all that is overdue.
    fn late_on(ctx: &Ctx<'_>, day: NaiveDate) -> usize {
        let today = ctx.today();
        if day == today {
            ctx.diary.by_day.range(..day).map(|(_, v)| v.len()).sum()
        } else if day < today {
            Calendar::due_on(ctx, day)
        } else {
            0
        }
    }

    fn done_on(&self, day: NaiveDate) -> usize {
        self.grid.done_by_day.get(&day).copied().unwrap_or(0)
    }

    fn day_style(&self, ctx: &Ctx<'_>, day: NaiveDate) -> Style {
        let t = ctx.theme;
        let open = Calendar::due_on(ctx, day) + Calendar::late_on(ctx, day);
        let mut style = if day < ctx.today() && open > 0 {
            t.at_risk
        } else if open > 0 {
            t.due
        } else {
            t.base
        };
        if day == ctx.today() {
            style = style.add_modifier(Modifier::UNDERLINED);
        }
        if day == self.cursor {
            style = t.selected;
        }
        style
    }

    /// What a day holds: open items ("due", "late", or "open" on today with overdue ones),
    /// done touches and birthdays.
    fn counts(&self, ctx: &Ctx<'_>, day: NaiveDate) -> (usize, &'static str, usize, usize) {
        let (open, word) = if day < ctx.today() {
            (Calendar::late_on(ctx, day), "late")
        } else if day == ctx.today() {
            let late = Calendar::late_on(ctx, day);
            let due = Calendar::due_on(ctx, day);
            (due + late, if late > 0 { "open" } else { "due" })
        } else {
            (Calendar::due_on(ctx, day), "due")
        };
        let done = self.done_on(day);
        let bdays = self.grid.birthdays.get(&day).copied().unwrap_or(0);
        (open, word, done, bdays)
    }

    /// One day of the grid: `lines` lines of `w` columns, the day then what it holds in the
    /// longest words that fit ("3 due", "2 done", "bday"; shorter forms when narrow).
    fn cell(
        &self,
        ctx: &Ctx<'_>,
        day: NaiveDate,
        w: usize,
        lines: usize,
    ) -> Vec<Vec<Span<'static>>> {
        let t = ctx.theme;
        let parts = self.cell_parts(ctx, day, w, lines);
        let cursor = day == self.cursor;
        let part = |s: Style| if cursor { t.selected } else { s };
        parts
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let lead = if i == 0 {
                    Span::styled(format!("{:>2}", day.day()), self.day_style(ctx, day))
                } else {
                    Span::styled("  ", part(t.base))
                };
                let mut spans = vec![lead];
                for (text, style) in line {
                    if let Some(text) = text {
                        spans.push(Span::styled(format!(" {text}"), part(style)));
                    }
                }
                let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
                if used > w {
                    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
                    return vec![Span::styled(fit(&text, w), part(t.base))];
                }
                spans.push(Span::styled(" ".repeat(w - used), part(t.base)));
                spans
            })
            .collect()
    }

    /// What a day's cell says, line by line: (text, style) parts after the day's number; a part
    /// is `None` when its count is zero.
    fn cell_parts(&self, ctx: &Ctx<'_>, day: NaiveDate, w: usize, lines: usize) -> Vec<Parts> {
        let t = ctx.theme;
        let (open, word, done, bdays) = self.counts(ctx, day);
        let open_style = if day < ctx.today() { t.at_risk } else { t.due };
        if lines < 2 {
            return vec![one_line(
                [open, done, bdays],
                word,
                [open_style, t.ok, t.base],
                w,
            )];
        }
        let opt = |n: usize, s: String| (n > 0).then_some(s);
        let bday_word = if bdays > 1 {
            format!("{bdays} bdays")
        } else {
            "bday".to_string()
        };
        let mut v = vec![
            vec![(opt(open, format!("{open} {word}")), open_style)],
            vec![(opt(done, format!("{done} done")), t.ok)],
        ];
        if lines >= 3 {
            v.push(vec![(opt(bdays, bday_word), t.base)]);
        } else {
            v[1].push((opt(bdays, "bday".to_string()), t.base));
        }
        v
    }

    fn draw_grid(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, rect: Rect, one_week: bool) {
        let first = self.cursor.with_day(1).unwrap_or(self.cursor);
        let title = if one_week {
            format!(
                " Week {} of {} ",
                self.cursor.iso_week().week(),
                first.format("%B %Y")
            )
        } else {
            format!(" {} · Enter: the day's list ", first.format("%B %Y"))
        };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            fit(&title, usize::from(rect.width.saturating_sub(2))),
            ctx.theme.title,
        ));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let cw = usize::from(inner.width) / 7;
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let head: String = names
            .iter()
            .map(|n| format!("{:<cw$}", fit(n, cw)))
            .collect();
        let mut lines = vec![Line::from(Span::styled(head, ctx.theme.dim))];
        let (start, weeks) = if one_week {
            (monday(self.cursor), 1)
        } else {
            (self.grid_start(), 6)
        };
        // More lines a day when the grid is tall: the counts spelled out one under the other.
        let per = (usize::from(inner.height.saturating_sub(1)) / weeks).clamp(1, 3);
        let mut day = start;
        for _ in 0..weeks {
            let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new(); per];
            for _ in 0..7 {
                let cell = if one_week || day.month() == first.month() {
                    self.cell(ctx, day, cw, per)
                } else {
                    Vec::new()
                };
                for (i, row) in rows.iter_mut().enumerate() {
                    match cell.get(i) {
                        Some(spans) => row.extend(spans.iter().cloned()),
                        None => row.push(Span::raw(" ".repeat(cw))),
                    }
                }
                day = shift_days(day, 1);
            }
            lines.extend(rows.into_iter().map(Line::from));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    /// The cursor's week: due, done and overdue counts and birthdays, one column per day.
    fn draw_week(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect) {
        let t = ctx.theme;
        let days: Vec<NaiveDate> = monday(self.cursor).iter_days().take(7).collect();
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Week {} ", self.cursor.iso_week().week()),
            t.title,
        ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let head = |label: &str, cell: &dyn Fn(NaiveDate) -> (String, Style)| {
            let mut spans = vec![Span::styled(format!("{label:<6}"), t.dim)];
            for &d in &days {
                let (text, style) = cell(d);
                spans.push(Span::styled(format!("{text:>4} "), style));
            }
            Line::from(spans)
        };
        let count = |n: usize, style: Style| {
            if n == 0 {
                ("·".to_string(), t.dim)
            } else {
                (n.to_string(), style)
            }
        };
        let today = ctx.today();
        let lines = vec![
            head("", &|d| (d.format("%a").to_string(), t.dim)),
            head("", &|d| (d.day().to_string(), self.day_style(ctx, d))),
            head("due", &|d| {
                count(
                    if d >= today {
                        Calendar::due_on(ctx, d)
                    } else {
                        0
                    },
                    t.due,
                )
            }),
            head("done", &|d| count(self.done_on(d), t.ok)),
            head("late", &|d| count(Calendar::late_on(ctx, d), t.at_risk)),
            head("bday", &|d| {
                count(self.grid.birthdays.get(&d).copied().unwrap_or(0), t.base)
            }),
        ];
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_list(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, rect: Rect) {
        let d = ctx.diary;
        let items = d.due_on(self.cursor);
        let which = if self.cursor == ctx.today() {
            format!("{} · today and overdue", self.cursor)
        } else {
            self.cursor.format("%a %Y-%m-%d").to_string()
        };
        let keys = if self.in_list {
            "Esc: the month"
        } else {
            "Enter: this list"
        };
        let title = format!(" {which} ({}) · {keys} ", items.len());
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, ctx.theme.title));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let width = usize::from(inner.width);
        let (a, b) = window(self.day_sel, items.len(), usize::from(inner.height));
        let mut lines = Vec::new();
        for i in a..b {
            let Some(&row) = items.get(i) else { continue };
            let (Some(p), Some(due)) = (d.profile(row), d.due(row)) else {
                continue;
            };
            // The name first: it is what a person looks for.
            let tail = format!(
                " {} {}{}",
                due.channel.as_str(),
                due.reason.as_str(),
                badges(due)
            );
            let gutter = self.marks.gutter(p.id);
            let name_w = width
                .saturating_sub(gutter.chars().count() + tail.chars().count())
                .max(12);
            let text = format!("{gutter}{}{tail}", fit(&p.label(), name_w));
            let style = if self.in_list && i == self.day_sel {
                ctx.theme.selected
            } else {
                urgency_style(ctx.theme, due)
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        if items.is_empty() {
            lines.push(Line::from(Span::styled(
                crate::text::words::NOTHING_DUE,
                ctx.theme.dim,
            )));
        }
        super::super::widgets::draw_rows(f, inner, &lines);
    }

    /// The month-grid day under a click at (`x`, `y`) in the pane's `area`, if any.
    pub fn day_at(&self, area: Rect, x: u16, y: u16) -> Option<NaiveDate> {
        let a = Calendar::areas(area);
        let inner = Block::default().borders(Borders::ALL).inner(a.grid);
        let cw = inner.width / 7;
        let weeks: u16 = if a.one_week { 1 } else { 6 };
        let per = (inner.height.saturating_sub(1) / weeks).clamp(1, 3);
        // Row 0 is the weekday header; each week takes `per` rows.
        if cw == 0
            || x < inner.x
            || y <= inner.y
            || x >= inner.x + cw * 7
            || y > inner.y + weeks * per
        {
            return None;
        }
        let (col, week) = ((x - inner.x) / cw, (y - inner.y - 1) / per);
        let start = if a.one_week {
            monday(self.cursor)
        } else {
            self.grid_start()
        };
        let day = start.checked_add_days(Days::new(u64::from(week * 7 + col)))?;
        let month = self.cursor.month();
        (a.one_week || day.month() == month).then_some(day)
    }

    fn nav(&mut self, action: &Action, len: usize) -> bool {
        if self.in_list && step(&mut self.day_sel, len, action) {
            return true;
        }
        let day = match action {
            Action::Left => shift_days(self.cursor, -1),
            Action::Right => shift_days(self.cursor, 1),
            Action::Up => shift_days(self.cursor, -7),
            Action::Down => shift_days(self.cursor, 7),
            Action::PageUp | Action::PrevMonth => self
                .cursor
                .checked_sub_months(Months::new(1))
                .unwrap_or(self.cursor),
            Action::PageDown | Action::NextMonth => self
                .cursor
                .checked_add_months(Months::new(1))
                .unwrap_or(self.cursor),
            Action::SelectDay(d) => *d,
            _ => return false,
        };
        self.go(day);
        true
    }
}

impl Component for Calendar {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        let items = ctx.diary.due_on(self.cursor);
        if self.nav(action, items.len()) {
            return Handled::done();
        }
        match action {
            Action::Today => self.go(ctx.today()),
            Action::GoToDate => return Handled::one(Prompt::boxed(PromptKind::GoTo, ctx)),
            Action::Open if !self.in_list => self.in_list = !items.is_empty(),
            Action::Open => {
                return match self.selected(ctx) {
                    Some(id) => Handled::one(Effect::Open(id)),
                    None => Handled::done(),
                };
            }
            Action::Select { row, .. } => {
                self.in_list = true;
                self.day_sel = (*row).min(items.len().saturating_sub(1));
            }
            Action::Mark if self.in_list => self.marks.toggle(ctx.diary, &items, self.day_sel),
            Action::MarkRange if self.in_list => self.marks.range(ctx.diary, &items, self.day_sel),
            Action::Clear if !self.marks.is_empty() => self.marks.clear(),
            Action::Clear if self.in_list => self.in_list = false,
            _ if self.in_list => {
                let ids = self.marks.targets(ctx.diary, &items, self.selected(ctx));
                return flows::on_contacts(action, ctx, &ids);
            }
            _ => return Handled::Ignored,
        }
        Handled::done()
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect) {
        let a = Calendar::areas(area);
        self.draw_grid(ctx, f, a.grid, a.one_week);
        if let Some(week) = a.week {
            self.draw_week(ctx, f, week);
        }
        if a.list.height >= 3 {
            self.draw_list(ctx, f, a.list);
        }
    }

    fn hit(&self, ctx: &Ctx<'_>, area: Rect, x: u16, y: u16) -> Option<Action> {
        if let Some(day) = self.day_at(area, x, y) {
            return Some(Action::SelectDay(day));
        }
        let list = Calendar::areas(area).list;
        let len = ctx.diary.due_on(self.cursor).len();
        let first = window(
            self.day_sel,
            len,
            usize::from(list.height.saturating_sub(2)),
        )
        .0;
        super::row_in(list, x, y, 1).map(|r| Action::Select {
            col: 0,
            row: first + r,
        })
    }

    fn selected(&self, ctx: &Ctx<'_>) -> Option<ContactId> {
        let items = ctx.diary.due_on(self.cursor);
        items
            .get(self.day_sel)
            .and_then(|&r| ctx.diary.profile(r))
            .map(|p| p.id)
    }

    fn anchor(&self, ctx: &Ctx<'_>, area: Rect) -> Option<u16> {
        if !self.in_list {
            return None;
        }
        let list = Block::default()
            .borders(Borders::ALL)
            .inner(Calendar::areas(area).list);
        let len = ctx.diary.due_on(self.cursor).len();
        let first = window(self.day_sel, len, usize::from(list.height)).0;
        u16::try_from(self.day_sel.checked_sub(first)?)
            .ok()
            .map(|r| list.y + r)
    }

    fn refresh(&mut self, ctx: &Ctx<'_>) {
        let len = ctx.diary.due_on(self.cursor).len();
        self.day_sel = self.day_sel.min(len.saturating_sub(1));
        self.grid.loaded = None;
    }

    fn loads(&self, _ctx: &Ctx<'_>) -> Vec<Effect> {
        let start = self.grid_start();
        if self.grid.loaded == Some(start) {
            Vec::new()
        } else {
            vec![Effect::LoadGrid(start)]
        }
    }

    fn hints(&self, _ctx: &Ctx<'_>) -> String {
        if self.in_list {
            "j/k contact · Enter open · d done · s snooze · p plan · Space mark · Esc month"
                .to_string()
        } else {
            "h/l day · j/k week · [ ] month · t today · g go to · Enter the day's list".to_string()
        }
    }
}

/// One line of a day's cell: (text, style) parts.
type Parts = Vec<(Option<String>, Style)>;

/// A day's cell on one line: the longest forms of its counts (`[open, done, birthdays]`) that
/// fit in `w` columns ("3 due 2 done bday", then "*" for birthdays, then "✓2", then the
/// number alone).
fn one_line(ns: [usize; 3], word: &str, styles: [Style; 3], w: usize) -> Parts {
    let [open, done, _] = ns;
    let forms = [
        [
            format!("{open} {word}"),
            format!("{done} done"),
            "bday".to_string(),
        ],
        [
            format!("{open} {word}"),
            format!("{done} done"),
            "*".to_string(),
        ],
        [
            format!("{open} {word}"),
            format!("✓{done}"),
            "*".to_string(),
        ],
        [format!("{open} {word}"), format!("✓{done}"), String::new()],
        [format!("{open} {word}"), String::new(), String::new()],
        [open.to_string(), String::new(), String::new()],
    ];
    let pick = |c: &[String; 3]| -> Parts {
        c.iter()
            .zip(ns)
            .zip(styles)
            .map(|((s, n), st)| ((n > 0 && !s.is_empty()).then(|| s.clone()), st))
            .collect()
    };
    // A cell keeps a column free before the next one (narrow ones need not).
    let room = if w >= 8 { w - 1 } else { w };
    let len = |v: &Parts| {
        2 + v
            .iter()
            .filter_map(|(s, _)| s.as_ref())
            .map(|s| s.chars().count() + 1)
            .sum::<usize>()
    };
    forms
        .iter()
        .map(pick)
        .find(|v| len(v) <= room)
        .unwrap_or_default()
}
