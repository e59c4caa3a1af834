//! A one-line text field that edits like a shell's line editor: ← → Home End (C-a C-e) move, C-u
//! and C-k delete to the start and to the end, C-w deletes the word before the cursor, Delete
//! and Backspace a character. Wide characters (CJK, emoji) count as two columns when drawn.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The text and the cursor (a byte offset on a character boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    cursor: usize,
}

impl LineEdit {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: impl Into<String>) -> LineEdit {
        let text = text.into();
        LineEdit {
            cursor: text.len(),
            text,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn set(&mut self, text: impl Into<String>) {
        self.text = text.into();
        self.cursor = self.text.len();
    }

    pub fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Pasted text, on one line (controls become spaces; trailing ones dropped).
    pub fn paste(&mut self, pasted: &str) {
        let line: String = pasted
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let line = line.trim_end();
        self.text.insert_str(self.cursor, line);
        self.cursor += line.len();
    }

    pub fn backspace(&mut self) {
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
            self.text.remove(self.cursor);
        }
    }

    fn left(&mut self) {
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    fn right(&mut self) {
        if let Some(c) = self.text[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    /// Where the word before the cursor starts (after spaces, then non-spaces).
    fn word_start(&self) -> usize {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
    }

    /// A key while the field has focus; `true` when it changed the text or the cursor.
    pub fn key(&mut self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let before = (self.text.len(), self.cursor);
        match (ev.code, ctrl) {
            (KeyCode::Char(c), false) => self.insert(c),
            (KeyCode::Home, _) | (KeyCode::Char('a'), true) => self.cursor = 0,
            (KeyCode::End, _) | (KeyCode::Char('e'), true) => self.cursor = self.text.len(),
            (KeyCode::Char('u'), true) => {
                self.text.drain(..self.cursor);
                self.cursor = 0;
            }
            (KeyCode::Char('k'), true) => self.text.truncate(self.cursor),
            (KeyCode::Char('w'), true) => {
                let start = self.word_start();
                self.text.drain(start..self.cursor);
                self.cursor = start;
            }
            (KeyCode::Left, _) | (KeyCode::Char('b'), true) => self.left(),
            (KeyCode::Right, _) | (KeyCode::Char('f'), true) => self.right(),
            (KeyCode::Backspace, _) | (KeyCode::Char('h'), true) => self.backspace(),
            (KeyCode::Delete, _) | (KeyCode::Char('d'), true) => {
                if self.cursor < self.text.len() {
                    self.text.remove(self.cursor);
                }
            }
            _ => return false,
        }
        before != (self.text.len(), self.cursor) || matches!(ev.code, KeyCode::Char(_))
    }

    /// What shows in `width` columns, and the cursor's column in it: the text scrolls so the
    /// cursor stays visible.
    pub fn view(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        let cols = |s: &str| s.chars().map(char_width).sum::<usize>();
        let mut start = 0;
        // Drop characters from the left until the cursor fits (one column kept for it).
        while cols(&self.text[start..self.cursor]) >= width {
            match self.text[start..].chars().next() {
                Some(c) => start += c.len_utf8(),
                None => break,
            }
        }
        let mut shown = String::new();
        let mut used = 0;
        for c in self.text[start..].chars() {
            let w = char_width(c);
            if used + w > width {
                break;
            }
            shown.push(c);
            used += w;
        }
        (shown, cols(&self.text[start..self.cursor]))
    }
}

/// Columns one character takes on screen (as [`super::width`] measures it).
fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    super::width(c.encode_utf8(&mut buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(s: &str) -> LineEdit {
        let mut l = LineEdit::default();
        for c in s.chars() {
            l.key(&k(KeyCode::Char(c)));
        }
        l
    }

    #[test]
    fn edits_like_a_line_editor() {
        let mut l = typed("sent the report");
        l.key(&ctrl('w'));
        assert_eq!(l.text(), "sent the ");
        l.key(&k(KeyCode::Home));
        l.key(&k(KeyCode::Delete));
        l.key(&k(KeyCode::Char('S')));
        assert_eq!(l.text(), "Sent the ");
        l.key(&k(KeyCode::End));
        l.key(&k(KeyCode::Left));
        l.key(&k(KeyCode::Left));
        l.key(&ctrl('u'));
        assert_eq!(l.text(), "e ");
        l.key(&ctrl('e'));
        l.paste("山田\r\nline two\n");
        assert_eq!(l.text(), "e 山田  line two");
        l.key(&ctrl('a'));
        l.key(&k(KeyCode::Right));
        l.key(&ctrl('k'));
        assert_eq!(l.text(), "e");
        l.backspace();
        l.backspace();
        assert_eq!(l.text(), "");
    }

    #[test]
    fn the_view_keeps_the_cursor_visible() {
        let l = typed("abcdefghij");
        assert_eq!(l.view(20), ("abcdefghij".to_string(), 10));
        let (shown, at) = l.view(5);
        assert_eq!((shown.as_str(), at), ("ghij", 4));
        let wide = typed("山田太郎");
        let (shown, at) = wide.view(5);
        assert_eq!((shown.as_str(), at), ("太郎", 4));
    }
}
