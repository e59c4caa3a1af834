//! What may reach a terminal: the one sanitiser for everything tickler prints or draws (CLI
//! output, error messages, the full-screen diary), and the one definition of the characters that
//! input must not carry ([`crate::model::validate`] refuses them with the same predicates).
//!
//! Dangerous characters are shown escaped, never passed through and never silently dropped:
//! - control characters (C0, DEL, C1: ESC starts the sequences that retitle the terminal, write
//!   the clipboard or clear the screen; C1's CSI does the same on some terminals), shown as
//!   `\u{1b}`; in multi-line text newlines and tabs stay, `\r` is escaped (it rewrites a line);
//! - text-direction controls (embeddings, overrides, isolates: U+202A..U+202E,
//!   U+2066..U+2069), which reorder what follows them on the line ("Trojan source"), shown as
//!   `\u{202e}`.
//!
//! A clean string is returned borrowed (no allocation): the common case costs one scan.
//! Must not touch I/O.

use std::borrow::Cow;

/// Whether `c` changes the direction of the text after it (embedding, override or isolate).
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` must be escaped on one line (any control character, newline and tab included, or
/// a direction control).
pub fn unsafe_in_line(c: char) -> bool {
    c.is_control() || is_direction_control(c)
}

/// Whether `c` must be escaped in multi-line text (as [`unsafe_in_line`] but newline and tab
/// are text).
pub fn unsafe_in_text(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_direction_control(c)
}

/// `s` for one line of output: every [`unsafe_in_line`] character escaped.
pub fn line(s: &str) -> Cow<'_, str> {
    escape_with(s, unsafe_in_line)
}

/// `s` as multi-line text: newlines and tabs kept, every other [`unsafe_in_text`] character
/// escaped.
pub fn text(s: &str) -> Cow<'_, str> {
    escape_with(s, unsafe_in_text)
}

/// One character as it is shown escaped: `\n`, `\t`, `\r`, else `\u{hex}`.
pub fn escaped(c: char) -> String {
    match c {
        '\n' => "\\n".to_string(),
        '\t' => "\\t".to_string(),
        '\r' => "\\r".to_string(),
        c => format!("\\u{{{:x}}}", u32::from(c)),
    }
}

/// `s` with every character `bad` flags shown [`escaped`] (borrowed when there is none).
pub fn escape_with(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = s.find(&bad) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if bad(c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `Display` of a string through [`line`]: `format!("{}", Shown(name))`.
pub struct Shown<'a>(pub &'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&line(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_shown_not_sent() {
        let osc52 = "Ada\u{1b}]52;c;aGk=\u{7}\u{1b}[2J";
        assert_eq!(line(osc52), "Ada\\u{1b}]52;c;aGk=\\u{7}\\u{1b}[2J");
        assert_eq!(line("csi\u{9b}31m"), "csi\\u{9b}31m");
        assert_eq!(line("del\u{7f}"), "del\\u{7f}");
        assert_eq!(line("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(line("iso\u{2067}late"), "iso\\u{2067}late");
        assert_eq!(line("two\nlines\tand\rback"), "two\\nlines\\tand\\rback");
        assert_eq!(text("two\nlines\tand\rback"), "two\nlines\tand\\rback");
        assert_eq!(Shown("a\u{1b}b").to_string(), "a\\u{1b}b");
    }

    #[test]
    fn clean_text_is_borrowed_and_unchanged() {
        for s in [
            "Ada Lovelace",
            "李小龍 🐉",
            "שלום עולם",
            "e\u{301}",
            "👨\u{200d}👩\u{200d}👧",
            "",
        ] {
            assert!(matches!(line(s), Cow::Borrowed(x) if x == s), "{s}");
        }
        assert!(matches!(text("a\nb"), Cow::Borrowed(_)));
    }
}
