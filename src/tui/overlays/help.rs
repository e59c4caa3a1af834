//! `?`: every key, generated from the keymap in force (so it never lies), then the fixed keys of
//! text fields, forms and pickers, then the `:` commands. It scrolls (j/k, PgUp/PgDn) and `/`
//! filters it as you type.

use super::super::action::{Action, Pane};
use super::super::command::VERBS;
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen};
use super::super::keymap::{Context, FIXED, Keymap};
use super::super::widgets::fit;
use super::super::widgets::line::LineEdit;
use super::{draw_field, popup_frame};
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::any::Any;

/// One line of the help: a heading or a key with what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Heading(String),
    Key(String, String),
}

/// Every line of the help, in order: the bindings by scope, the fixed keys, the commands.
pub fn rows(keymap: &Keymap) -> Vec<Row> {
    let mut out = Vec::new();
    let mut scope = String::new();
    let mut heading = |out: &mut Vec<Row>, s: &str| {
        if s != scope {
            out.push(Row::Heading(s.to_string()));
            scope = s.to_string();
        }
    };
    for (s, key, help) in keymap.help_lines() {
        heading(&mut out, s);
        out.push(Row::Key(key, help.to_string()));
    }
    for (s, key, help) in FIXED {
        heading(&mut out, s);
        out.push(Row::Key((*key).to_string(), (*help).to_string()));
    }
    heading(&mut out, ": commands");
    for v in VERBS {
        out.push(Row::Key(String::new(), (*v).to_string()));
    }
    out
}

/// The rows a filter keeps: keys whose heading, key or words contain it (any case), each under
/// its heading.
pub fn filtered(rows: &[Row], filter: &str) -> Vec<Row> {
    let needle = filter.trim().to_lowercase();
    if needle.is_empty() {
        return rows.to_vec();
    }
    let mut out = Vec::new();
    let mut heading: Option<&String> = None;
    let mut shown_heading = false;
    for r in rows {
        match r {
            Row::Heading(h) => {
                heading = Some(h);
                shown_heading = false;
            }
            Row::Key(k, what) => {
                let hay = format!("{} {k} {what}", heading.map_or("", |h| h.as_str()));
                if hay.to_lowercase().contains(&needle) {
                    if !shown_heading && let Some(h) = heading {
                        out.push(Row::Heading(h.clone()));
                        shown_heading = true;
                    }
                    out.push(r.clone());
                }
            }
        }
    }
    out
}

/// Where README.md's key reference starts and ends.
pub const README_BEGIN: &str = "<!-- keys: generated from the keymap, checked by a test -->";
pub const README_END: &str = "<!-- /keys -->";

/// The key reference README.md carries (between [`README_BEGIN`] and [`README_END`]): the help's
/// rows as a Markdown table, so the manual says what the keymap does.
pub fn reference(keymap: &Keymap) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("| where | key | what it does |\n|---|---|---|\n");
    let mut scope = String::new();
    for row in rows(keymap) {
        match row {
            Row::Heading(h) => scope = h,
            Row::Key(k, what) => {
                let key = if k.is_empty() {
                    String::new()
                } else {
                    format!("`{}`", cell(&k))
                };
                out.push_str(&format!("| {} | {key} | {} |\n", cell(&scope), cell(&what)));
            }
        }
    }
    out
}

#[derive(Debug, Default)]
pub struct Help {
    /// The first row shown.
    pub top: usize,
    pub filter: LineEdit,
    /// Typing goes into the filter.
    pub filtering: bool,
}

impl Help {
    fn rows(&self, ctx: &Ctx<'_>) -> Vec<Row> {
        filtered(&rows(ctx.keymap), self.filter.text())
    }

    /// Scroll `len` rows shown `page` at a time: the last page is as far as it goes.
    fn scroll(&mut self, action: &Action, len: usize, page: usize) {
        self.top = match action {
            Action::Up => self.top.saturating_sub(1),
            Action::Down => self.top + 1,
            Action::PageUp => self.top.saturating_sub(page),
            Action::PageDown => self.top + page,
            Action::Top => 0,
            _ => len,
        }
        .min(len.saturating_sub(page));
    }

    /// Rows a page shows, and how many rows there are (per column), on a screen of `size`.
    fn geometry(&self, ctx: &Ctx<'_>) -> (usize, usize) {
        // The tab bar, the hint line, a status line and the borders.
        let page = usize::from(ctx.size.height.saturating_sub(5)).max(1);
        let cols = if ctx.size.width.saturating_sub(2) >= 100 {
            2
        } else {
            1
        };
        (page, self.rows(ctx).len().div_ceil(cols))
    }

    fn filter_key(&mut self, action: &Action) -> Handled {
        match action {
            Action::Cancel => {
                self.filter.set("");
                self.filtering = false;
            }
            Action::Submit => self.filtering = false,
            Action::Char(c) => self.filter.insert(*c),
            Action::Backspace => self.filter.backspace(),
            Action::Key(ev) => {
                self.filter.key(ev);
            }
            _ => {}
        }
        self.top = 0;
        Handled::done()
    }
}

impl Layer for Help {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        if self.filtering {
            return self.filter_key(action);
        }
        match action {
            Action::Search => {
                self.filtering = true;
                Handled::done()
            }
            Action::Cancel => Handled::one(Effect::Pop),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                let (page, len) = self.geometry(ctx);
                self.scroll(action, len, page);
                Handled::done()
            }
            _ => Handled::done(),
        }
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        let rows = self.rows(ctx);
        let rect = screen.body;
        let inner_w = usize::from(rect.width.saturating_sub(2));
        let h = usize::from(rect.height.saturating_sub(2)).max(1);
        // Two columns side by side when there is room; both scroll together.
        let cols = if inner_w >= 100 { 2 } else { 1 };
        let per = rows.len().div_ceil(cols);
        let top = self.top.min(per.saturating_sub(h));
        let last = (top + h).min(per);
        let title = crate::text::words::help_title(top + 1, last, per, self.filtering);
        let inner = popup_frame(f, rect, &title, ctx.theme.title);
        let col_w = inner_w.div_ceil(cols);
        let key_w = 16.min(col_w / 3);
        let lines: Vec<Line<'_>> = (top..last)
            .map(|r| {
                let spans = (0..cols).flat_map(|c| {
                    let w = col_w.saturating_sub(usize::from(c + 1 < cols));
                    let gap = if c + 1 < cols { " " } else { "" };
                    cell(rows.get(c * per + r), w, key_w, gap, ctx)
                });
                Line::from(spans.collect::<Vec<_>>())
            })
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
        if self.filtering || !self.filter.text().is_empty() {
            draw_field(f, screen.line, "Filter the keys:", &self.filter, ctx.theme);
        }
    }

    fn context(&self, _pane: Pane) -> Context {
        if self.filtering {
            Context::Prompt
        } else {
            Context::Help
        }
    }

    fn mode(&self) -> Mode {
        Mode::Help
    }

    fn paste(&mut self, text: &str) -> bool {
        if self.filtering {
            self.filter.paste(text);
        }
        self.filtering
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One cell of a help line: a heading in the title style, or the key and what it does.
fn cell<'a>(
    row: Option<&Row>,
    w: usize,
    key_w: usize,
    gap: &'static str,
    ctx: &Ctx<'_>,
) -> Vec<Span<'a>> {
    match row {
        Some(Row::Heading(h)) => vec![Span::styled(format!("{}{gap}", fit(h, w)), ctx.theme.title)],
        Some(Row::Key(k, what)) if k.is_empty() => {
            vec![Span::raw(format!("{}{gap}", fit(&format!("  {what}"), w)))]
        }
        Some(Row::Key(k, what)) => vec![
            Span::styled(fit(&format!("  {k}"), key_w), ctx.theme.due),
            Span::raw(format!(
                "{}{gap}",
                fit(&format!(" {what}"), w.saturating_sub(key_w))
            )),
        ],
        None => vec![Span::raw(format!("{}{gap}", fit("", w)))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// README.md's key reference is the keymap's: change a key, and this says what to paste.
    #[test]
    fn the_readme_key_reference_is_the_keymap() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        let want = reference(&Keymap::default());
        let have = readme
            .split_once(README_BEGIN)
            .and_then(|(_, rest)| rest.split_once(README_END))
            .map(|(keys, _)| keys.trim());
        assert_eq!(
            have,
            Some(want.trim()),
            "README.md's key reference differs from the keymap; put this between {README_BEGIN} \
             and {README_END}:\n{want}"
        );
    }

    #[test]
    fn the_filter_keeps_matching_keys_under_their_headings() {
        let all = rows(&Keymap::default());
        let snooze = filtered(&all, "SNOOZE");
        assert!(snooze.len() < all.len());
        assert!(matches!(snooze.first(), Some(Row::Heading(_))));
        for r in &snooze {
            if let Row::Key(k, what) = r {
                assert!(format!("{k} {what}").to_lowercase().contains("snooze") || k == "s");
            }
        }
        assert_eq!(filtered(&all, "  "), all);
        assert!(filtered(&all, "no such key anywhere").is_empty());
    }
}
