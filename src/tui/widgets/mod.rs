//! Small drawing helpers: width-aware truncation (CJK and emoji count as two columns) and the
//! stateless window of a virtualized list.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `s` cut to at most `width` terminal columns, padded with spaces to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(width);
    let mut used = 0;
    if s.width() > width {
        for c in s.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            out.push(c);
            used += w;
        }
        if width > 0 {
            out.push('…');
            used += 1;
        }
    } else {
        out.push_str(s);
        used = s.width();
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
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

    #[test]
    fn wide_characters_keep_columns() {
        assert_eq!(fit("山田太郎", 5).width(), 5);
        assert_eq!(fit("山田太郎", 9), "山田太郎 ");
        assert_eq!(fit("abc", 2), "a…");
        assert_eq!(fit("🎂 card", 10).width(), 10);
    }

    #[test]
    fn windows_follow_the_selection() {
        assert_eq!(window(0, 100, 10), (0, 10));
        assert_eq!(window(15, 100, 10), (6, 16));
        assert_eq!(window(99, 100, 10), (90, 100));
        assert_eq!(window(3, 2, 10), (0, 2));
    }
}
