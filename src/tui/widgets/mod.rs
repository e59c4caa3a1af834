//! Small drawing helpers: width-aware truncation, the stateless window of a virtualized list,
//! where a pop-up goes, and the line editor.
//!
//! Widths are measured as the screen draws them: grapheme cluster by grapheme cluster, each
//! cluster as wide as ratatui makes its cell ([`CellWidth`]: CJK and emoji two columns, a
//! family emoji joined by zero-width joiners one two-column cluster, a letter with combining
//! marks one column), and clusters the buffer never draws (control characters, zero-width ones
//! such as a soft hyphen) zero. Measuring per character instead made a card of "👨‍👩‍👧" four
//! columns short and one with a soft hyphen one column long, and the boxes after them shifted.
//!
//! Every piece of the diary's data drawn on screen goes through [`fit`] (or [`shown`]): control
//! and text-direction characters are shown escaped ([`crate::sanitize`]), never sent to the
//! terminal or silently dropped.

pub mod line;

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;

/// Columns one grapheme cluster takes on screen (0 for one the buffer does not draw).
fn cluster_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        return 0;
    }
    usize::from(g.cell_width())
}

/// Whether `c` is a grapheme cluster of its own next to another such character: nothing below
/// U+0300 joins a cluster (combining marks, joiners, variation selectors, regional indicators
/// and the like all lie above) except CR before LF. Checked against the segmenter in the tests.
fn stands_alone(c: char) -> bool {
    c < '\u{300}' && c != '\r'
}

/// The grapheme clusters of `s`, lazily. A character that stands alone next to another that
/// does (names in Latin scripts, dates, figures: most of what a frame draws) is a cluster
/// without running the segmenter, which was most of a frame's cost; elsewhere the segmenter
/// finds the cluster, starting at a boundary.
struct Clusters<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Clusters<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let mut chars = self.rest.chars();
        let c = chars.next()?;
        let len = if stands_alone(c) && chars.next().is_none_or(stands_alone) {
            c.len_utf8()
        } else {
            self.rest
                .graphemes(true)
                .next()
                .map_or(self.rest.len(), str::len)
        };
        let (cluster, rest) = self.rest.split_at(len);
        self.rest = rest;
        Some(cluster)
    }
}

fn clusters(s: &str) -> Clusters<'_> {
    Clusters { rest: s }
}

/// Columns `s` takes on screen, drawn as it is.
pub fn width(s: &str) -> usize {
    clusters(s).map(cluster_width).sum()
}

/// [`width`] as a `u16`, for layout arithmetic (`u16::MAX` beyond).
pub fn cols(s: &str) -> u16 {
    u16::try_from(width(s)).unwrap_or(u16::MAX)
}

/// `text` cut into lines of `width` columns at spaces (a word longer than a line is cut), each
/// line padded to the width; at most `max` lines.
pub fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let Some(cur) = lines.last_mut() else { break };
        let need = self::width(cur) + usize::from(!cur.is_empty()) + self::width(word);
        if need <= width || cur.is_empty() {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    let mut out: Vec<String> = lines.into_iter().map(|l| fit(&l, width)).collect();
    out.truncate(max);
    out
}

/// `s` as it is shown: control and text-direction characters escaped.
pub fn shown(s: &str) -> Cow<'_, str> {
    crate::sanitize::line(s)
}

/// A pop-up of `w` x `h` inside `body`, centred across, that keeps clear of screen row `anchor`
/// (the selected row it acts on): in the larger space above or below it, shrunk to that space
/// when it does not fit (its list then scrolls). Centred when there is no anchor.
pub fn popup(body: Rect, w: u16, h: u16, anchor: Option<u16>) -> Rect {
    let w = w.min(body.width);
    let x = body.x + (body.width - w) / 2;
    let h = h.min(body.height);
    let Some(row) = anchor.filter(|&a| a >= body.y && a < body.bottom()) else {
        return Rect::new(x, body.y + (body.height - h) / 2, w, h);
    };
    let above = row - body.y;
    let below = body.bottom() - row - 1;
    if below >= h {
        Rect::new(x, body.bottom() - h, w, h)
    } else if above >= h {
        Rect::new(x, body.y, w, h)
    } else if below >= above {
        Rect::new(x, row + 1, w, below)
    } else {
        Rect::new(x, body.y, w, above)
    }
}

/// `s` (shown, see [`shown`]) cut to at most `width` terminal columns at a grapheme cluster
/// boundary, with "…" when cut, padded with spaces to exactly `width`. Reads only as much of
/// `s` as fits (a 10,000-character name costs what a short one does).
pub fn fit(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(width + 8);
    let mut used = 0;
    // The longest prefix that leaves a column for "…": (bytes of `out`, columns).
    let mut keep = (0, 0);
    let mut cut = false;
    for g in clusters(s) {
        let escaped;
        let (piece, w) = if g.chars().any(crate::sanitize::unsafe_in_line) {
            escaped = shown(g).into_owned();
            (escaped.as_str(), escaped.len())
        } else {
            (g, cluster_width(g))
        };
        if used + w > width {
            cut = true;
            break;
        }
        out.push_str(piece);
        used += w;
        if used < width {
            keep = (out.len(), used);
        }
    }
    if cut {
        out.truncate(keep.0);
        used = keep.1;
        if width > 0 {
            out.push('…');
            used += 1;
        }
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// Whether `c` takes exactly one cell of the buffer on its own (checked against the buffer in
/// the tests).
fn one_cell(c: char) -> bool {
    stands_alone(c) && !c.is_control() && c != '\u{ad}'
}

/// `text` at (`x`, `y`) in `style`, at most `max` columns; the next column. When every character
/// takes one cell, each goes into a cell of its own without segmenting the text again; else the
/// buffer sets it as a string. The cells are the same either way.
fn put_text(buf: &mut Buffer, x: u16, y: u16, text: &str, max: u16, style: Style) -> u16 {
    if !text.chars().all(one_cell) {
        return buf.set_stringn(x, y, text, usize::from(max), style).0;
    }
    let right = x.saturating_add(max).min(buf.area.right());
    let mut x = x;
    for c in text.chars() {
        if x >= right {
            break;
        }
        if let Some(cell) = buf.cell_mut((x, y)) {
            cell.set_char(c).set_style(style);
        }
        x += 1;
    }
    x
}

/// A list's rows, already cut to the area's width by [`fit`], one per row of `area`: the cells a
/// `Paragraph` gives them, without its reflow (a list's rows are measured once, when they are
/// cut).
pub fn draw_rows(f: &mut Frame<'_>, area: Rect, rows: &[Line<'_>]) {
    let buf = f.buffer_mut();
    let right = area.right();
    for (row, y) in rows.iter().zip(area.top()..area.bottom()) {
        let mut x = area.x;
        for span in &row.spans {
            if x >= right {
                break;
            }
            let style = row.style.patch(span.style);
            x = put_text(buf, x, y, &span.content, right - x, style);
        }
    }
}

/// The first visible row of a list of `len` rows shown `height` at a time with `sel` selected:
/// only the visible rows are ever built, so 100,000 rows draw as fast as 100.
pub fn window(sel: usize, len: usize, height: usize) -> (usize, usize) {
    if height == 0 || len == 0 {
        return (0, 0);
    }
    let first = (sel + 1)
        .saturating_sub(height)
        .min(len.saturating_sub(height));
    (first, (first + height).min(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the shortcut in [`clusters`] relies on, checked against the segmenter itself: two
    /// characters below U+0300 (but CR) are always two clusters.
    #[test]
    fn characters_below_u0300_never_join() {
        let alone: Vec<char> = (0u32..0x300)
            .filter_map(char::from_u32)
            .filter(|&c| stands_alone(c))
            .collect();
        let mut pair = String::new();
        for &a in &alone {
            for &b in &alone {
                pair.clear();
                pair.push(a);
                pair.push(b);
                assert_eq!(pair.graphemes(true).count(), 2, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn clusters_are_the_segmenters() {
        for s in [
            "Zoë Lefèvre",
            "Zoe\u{308} Lefe\u{300}vre",
            "a\r\nb\r",
            "👨\u{200d}👩\u{200d}👧 family",
            "Meyer\u{ad}hoff",
            "❤\u{fe0f} heart",
            "🇩🇪🇫🇷🇮 Berlin",
            "e\u{301}\u{302}x\u{200d}y",
            "山田太郎 ｶﾞｷﾞ",
            "",
        ] {
            let ours: Vec<&str> = clusters(s).collect();
            let theirs: Vec<&str> = s.graphemes(true).collect();
            assert_eq!(ours, theirs, "{s:?}");
        }
    }

    /// What the shortcut in [`put_text`] relies on: the buffer puts such a character in one
    /// cell as it is.
    #[test]
    fn one_cell_characters_take_one_cell() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        let mut text = String::new();
        for c in (0u32..0x300)
            .filter_map(char::from_u32)
            .filter(|&c| one_cell(c))
        {
            text.clear();
            text.push(c);
            assert_eq!(
                buf.set_stringn(0, 0, &text, 4, Style::default()).0,
                1,
                "{c:?}"
            );
            assert_eq!(buf[(0, 0)].symbol(), text, "{c:?}");
        }
    }

    /// Rows drawn by [`draw_rows`] fill the cells a `Paragraph` fills.
    #[test]
    fn rows_are_drawn_as_a_paragraph_draws_them() {
        use ratatui::text::Span;
        use ratatui::widgets::{Paragraph, Widget};
        let bold = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let rows = vec![
            Line::from(vec![
                Span::raw("Zoë Lefèvre "),
                Span::styled("Dvořáková", bold),
            ]),
            Line::from(vec![Span::raw("山田太郎 🎂 "), Span::raw("Zoe\u{308} x")]),
            Line::from(Span::styled(
                fit("Łukasz Wiśniewski (Przedsiębiorstwo)", 30),
                bold,
            )),
            Line::from("a row longer than the area is wide, cut at its edge"),
            Line::from("not drawn: below the area"),
        ];
        let area = Rect::new(1, 1, 30, 4);
        let mut expected = Buffer::empty(Rect::new(0, 0, 32, 6));
        Paragraph::new(rows.clone()).render(area, &mut expected);
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(32, 6)).unwrap();
        terminal.draw(|f| draw_rows(f, area, &rows)).unwrap();
        assert_eq!(terminal.backend().buffer(), &expected);
    }

    #[test]
    fn wide_characters_keep_columns() {
        assert_eq!(width(&fit("山田太郎", 5)), 5);
        assert_eq!(fit("山田太郎", 9), "山田太郎 ");
        assert_eq!(fit("abc", 2), "a…");
        assert_eq!(width(&fit("🎂 card", 10)), 10);
    }

    /// The width ratatui's buffer gives `s` (what reaches the terminal).
    fn drawn(s: &str) -> usize {
        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 60, 1));
        let (x, _) = buf.set_stringn(0, 0, s, 60, ratatui::style::Style::default());
        usize::from(x)
    }

    #[test]
    fn clusters_are_measured_as_drawn() {
        for s in [
            "Zoë Lefèvre",
            "Zoe\u{308} Lefe\u{300}vre",
            "👨\u{200d}👩\u{200d}👧 family",
            "Meyer\u{ad}hoff",
            "❤\u{fe0f} heart",
            "🇩🇪 Berlin",
            "山田太郎",
            "ｶﾞｷﾞ",
        ] {
            let f = fit(s, 20);
            assert_eq!(width(&f), 20, "{s:?}");
            assert_eq!(drawn(&f), 20, "{s:?}: the buffer fills exactly the box");
            let cut = fit(s, 5);
            assert_eq!(drawn(&cut), 5, "{s:?} cut: {cut:?}");
        }
        assert_eq!(width("👨\u{200d}👩\u{200d}👧"), 2);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("a\u{ad}b"), 2);
        // A cluster is never split: the family stays whole or goes.
        assert_eq!(
            fit("👨\u{200d}👩\u{200d}👧xyz", 3),
            "👨\u{200d}👩\u{200d}👧…"
        );
    }

    #[test]
    fn escapes_are_shown_not_sent() {
        let f = fit("Eve\u{1b}]0;pwned\u{7}\u{202e}x", 40);
        assert!(f.starts_with("Eve\\u{1b}]0;pwned\\u{7}\\u{202e}x"), "{f}");
        assert!(!f.contains('\u{1b}') && !f.contains('\u{202e}'));
        assert_eq!(drawn(&f), 40);
    }

    #[test]
    fn popups_keep_clear_of_the_selected_row() {
        let body = Rect::new(0, 1, 80, 20);
        // No anchor: centred.
        assert_eq!(popup(body, 30, 6, None), Rect::new(25, 8, 30, 6));
        // A row near the top: the pop-up goes to the bottom, below it.
        let r = popup(body, 30, 6, Some(3));
        assert!(r.y > 3 && r.bottom() == body.bottom(), "{r:?}");
        // Near the bottom: above it.
        let r = popup(body, 30, 6, Some(18));
        assert!(r.bottom() <= 18 && r.y == body.y, "{r:?}");
        // Too tall for either side: the larger one, shrunk.
        let r = popup(body, 30, 30, Some(5));
        assert_eq!((r.y, r.height), (6, 15));
        assert!(!(r.y..r.bottom()).contains(&5));
    }

    #[test]
    fn windows_follow_the_selection() {
        assert_eq!(window(0, 100, 10), (0, 10));
        assert_eq!(window(15, 100, 10), (6, 16));
        assert_eq!(window(99, 100, 10), (90, 100));
        assert_eq!(window(3, 2, 10), (0, 2));
    }
}
