//! vCard content lines: one card's text to its properties, each with the line it starts on.
//!
//! Reads what address books really write, 2.1 to 4.0: folded lines (a space or tab continues the
//! line before), 2.1 short-form parameters (`TEL;WORK;VOICE:`, `N;QUOTED-PRINTABLE:`), quoted
//! parameter values, groups (`item1.EMAIL`), QUOTED-PRINTABLE values with soft line breaks (a
//! line ending in `=` goes on on the next, with or without a fold), 2.1 BASE64 blocks that end at
//! a blank line, and a nested AGENT card (skipped). QUOTED-PRINTABLE bytes are decoded with the
//! property's CHARSET, else as [`Charsets`] says. Carriage returns never reach a value.

use encoding_rs::Encoding;

/// One property of a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Line of the file where it starts (1-based).
    pub line: usize,
    pub group: Option<String>,
    /// Upper-case.
    pub name: String,
    pub params: Vec<Param>,
    /// The value with folds undone and QUOTED-PRINTABLE decoded; backslash escapes kept.
    pub value: String,
    /// A vCard 2.1 property: a backslash is a backslash, except before `;` in a structured
    /// value (2.1 has no other escapes).
    pub legacy: bool,
}

/// A parameter: `TYPE=work,voice`, or a 2.1 bare value (`WORK` is `TYPE=WORK`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Upper-case.
    pub name: String,
    pub values: Vec<String>,
}

/// How to read the bytes of a QUOTED-PRINTABLE value that names no CHARSET.
#[derive(Debug, Clone, Copy)]
pub struct Charsets {
    /// `--encoding`, when given.
    pub given: Option<&'static Encoding>,
    /// The file's own encoding, used when the bytes are not UTF-8.
    pub file: &'static Encoding,
}

impl Property {
    /// The first value of parameter `name` (upper-case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.values.first())
            .map(String::as_str)
    }

    /// Whether TYPE (or a 2.1 bare parameter) holds `t` (upper-case), e.g. "WORK", "FAX".
    pub fn has_type(&self, t: &str) -> bool {
        self.params
            .iter()
            .filter(|p| p.name == "TYPE")
            .flat_map(|p| &p.values)
            .any(|v| v.eq_ignore_ascii_case(t))
    }

    /// The value as text, escapes undone (`\n` is a newline, `\,` a comma...).
    pub fn text(&self) -> String {
        if self.legacy {
            self.value.clone()
        } else {
            unescape(&self.value)
        }
    }

    /// The components of a structured value (N, ADR, ORG), split at unescaped `;`.
    pub fn components(&self) -> Vec<String> {
        self.split(&[';'])
    }

    /// The items of a list value (CATEGORIES, NICKNAME), split at unescaped `,` (and `;`, which
    /// 2.1 writers use).
    pub fn list(&self) -> Vec<String> {
        self.split(&[',', ';'])
    }

    fn split(&self, seps: &[char]) -> Vec<String> {
        split_unescaped(&self.value, seps)
            .iter()
            .map(|s| {
                if self.legacy {
                    s.replace("\\;", ";")
                } else {
                    unescape(s)
                }
            })
            .collect()
    }
}

/// A line of a card that is not a property (no `:`), to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub line: usize,
    pub text: String,
}

/// A property being read: its first line and what followed it.
struct Open {
    line: usize,
    head: String,
    raw: String,
    qp: bool,
    base64: bool,
}

/// The properties of one card. `text` holds the lines between BEGIN:VCARD and END:VCARD
/// (those two excluded); `first_line` is the file line of its first line.
pub fn properties(text: &str, first_line: usize, cs: Charsets) -> (Vec<Property>, Vec<Unreadable>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut open: Option<Open> = None;
    // Depth of a nested AGENT card being skipped.
    let mut nested = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = first_line + i;
        let line = raw.strip_suffix('\r').unwrap_or(raw).replace('\r', "");
        let upper = line.trim().to_ascii_uppercase();
        if nested > 0 {
            if upper == "BEGIN:VCARD" {
                nested += 1;
            } else if upper == "END:VCARD" {
                nested -= 1;
            }
            continue;
        }
        if let Some(o) = open.as_mut()
            && continues(o, &line)
        {
            continue;
        }
        if let Some(o) = open.take() {
            // A 2.1 AGENT: its card follows on the next lines.
            let agent = o.head.to_ascii_uppercase().ends_with("AGENT") && o.raw.trim().is_empty();
            out.push(finish(o, cs));
            if agent && upper == "BEGIN:VCARD" {
                nested = 1;
                continue;
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        match split_line(&line) {
            Some((head, value)) => {
                let upper_head = head.to_ascii_uppercase();
                open = Some(Open {
                    line: line_no,
                    qp: upper_head.contains("QUOTED-PRINTABLE"),
                    base64: upper_head.contains("BASE64")
                        || upper_head.contains("ENCODING=B;")
                        || upper_head.ends_with("ENCODING=B"),
                    head: head.to_string(),
                    raw: value.to_string(),
                });
            }
            None => bad.push(Unreadable {
                line: line_no,
                text: line.chars().take(60).collect(),
            }),
        }
    }
    if let Some(o) = open.take() {
        out.push(finish(o, cs));
    }
    (out, bad)
}

/// Whether `line` continues the open property (and append it if so).
fn continues(o: &mut Open, line: &str) -> bool {
    if let Some(rest) = line.strip_prefix([' ', '\t']) {
        // A fold. In a QUOTED-PRINTABLE value a soft break may come before it.
        if o.qp && o.raw.ends_with('=') {
            o.raw.pop();
        }
        o.raw.push_str(rest);
        return true;
    }
    if o.qp && o.raw.ends_with('=') {
        // A soft line break without a fold (2.1 writers).
        o.raw.pop();
        o.raw.push_str(line);
        return true;
    }
    if o.base64
        && !line.is_empty()
        && !line.contains(':')
        && line
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    {
        // 2.1 BASE64 data goes on unfolded until a blank line.
        o.raw.push_str(line);
        return true;
    }
    false
}

/// `head` (group, name, parameters) and value of a content line: split at the first `:` that
/// is not inside a quoted parameter value.
fn split_line(line: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Some((&line[..i], &line[i + 1..])),
            _ => {}
        }
    }
    None
}

fn finish(o: Open, cs: Charsets) -> Property {
    let mut parts = split_quoted(&o.head, ';').into_iter();
    let full = parts.next().unwrap_or_default();
    let (group, name) = match full.rsplit_once('.') {
        Some((g, n)) => (Some(g.trim().to_string()), n),
        None => (None, full.as_str()),
    };
    let name = name.trim().to_ascii_uppercase();
    let params: Vec<Param> = parts.filter_map(|p| param(&p)).collect();
    let mut prop = Property {
        line: o.line,
        group,
        name,
        params,
        value: String::new(),
        legacy: false,
    };
    let qp = prop
        .param("ENCODING")
        .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"));
    prop.value = if qp {
        let bytes = quoted_printable(o.raw.trim_end());
        decode_bytes(&bytes, prop.param("CHARSET"), cs)
    } else {
        o.raw
    };
    prop
}

/// One parameter; a bare 2.1 value is a TYPE, or an ENCODING when it names one.
fn param(p: &str) -> Option<Param> {
    let p = p.trim();
    if p.is_empty() {
        return None;
    }
    let (name, values) = match p.split_once('=') {
        Some((n, v)) => (n.trim().to_ascii_uppercase(), v),
        None => {
            let upper = p.to_ascii_uppercase();
            let name = match upper.as_str() {
                "QUOTED-PRINTABLE" | "BASE64" | "8BIT" | "7BIT" | "B" => "ENCODING",
                _ => "TYPE",
            };
            return Some(Param {
                name: name.to_string(),
                values: vec![upper],
            });
        }
    };
    let values = split_quoted(values, ',')
        .into_iter()
        .flat_map(|v| {
            // TYPE="work,voice" (4.0) is two values.
            v.trim()
                .trim_matches('"')
                .split(',')
                .map(|x| x.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|v| !v.is_empty())
        .collect();
    Some(Param { name, values })
}

/// Split at `sep` outside double quotes.
fn split_quoted(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        if c == '"' {
            quoted = !quoted;
            cur.push(c);
        } else if c == sep && !quoted {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

/// QUOTED-PRINTABLE to bytes: `=XX` is a byte; anything else stands for itself.
pub fn quoted_printable(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Bytes of a decoded value as text: the CHARSET the property names, else `--encoding`, else
/// UTF-8 when they are UTF-8, else the file's encoding (or, for a UTF-8 file, a guess).
fn decode_bytes(bytes: &[u8], charset: Option<&str>, cs: Charsets) -> String {
    let named = charset.and_then(super::super::text::encoding_for);
    let enc = match (named, cs.given) {
        (Some(e), _) | (None, Some(e)) => e,
        (None, None) => match std::str::from_utf8(bytes) {
            Ok(s) => return s.replace('\r', ""),
            Err(_) if cs.file != encoding_rs::UTF_8 => cs.file,
            Err(_) => {
                let mut d = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                d.feed(bytes, true);
                d.guess(None, chardetng::Utf8Detection::Deny)
            }
        },
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    text.replace('\r', "")
}

/// Split at any of `seps` not escaped by a backslash (escapes kept).
fn split_unescaped(s: &str, seps: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push('\\');
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if seps.contains(&c) {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if escaped {
        cur.push('\\');
    }
    out.push(cur);
    out
}

/// Undo vCard escapes: `\n` `\N` newline, `\,` `\;` `\:` `\\` the character itself.
pub fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Move the UTF-8 continuation bytes that a fold split off (`\xE5\x8D\r\n \x81`) before the
/// fold, so each character is whole again and every line keeps its number. Writers that fold at
/// a fixed byte count (ownCloud) split characters this way.
pub fn mend_split_folds(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if std::str::from_utf8(bytes).is_ok() {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let fold = match &bytes[i..] {
            [b'\r', b'\n', b' ' | b'\t', ..] => 3,
            [b'\n', b' ' | b'\t', ..] => 2,
            _ => 0,
        };
        if fold > 0 {
            let mut j = i + fold;
            while j < bytes.len() && bytes[j] & 0xC0 == 0x80 {
                out.push(bytes[j]);
                j += 1;
            }
            out.extend_from_slice(&bytes[i..i + fold]);
            i = j;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cs() -> Charsets {
        Charsets {
            given: None,
            file: encoding_rs::UTF_8,
        }
    }

    #[test]
    fn short_form_parameters_qp_soft_breaks_and_charsets() {
        let card = "VERSION:2.1\r\nN;CHARSET=UTF-8;QUOTED-PRINTABLE:=E5=8D=81=E4=B8=\r\n=89;;;;\r\nTEL;WORK;VOICE:+1 555\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:Reid=92s place=0D=0A=\r\n  next\r\nitem1.EMAIL;type=\"INTERNET,pref\":a@b.example\r\n";
        let (props, bad) = properties(card, 2, cs());
        assert!(bad.is_empty(), "{bad:?}");
        let n = &props[1];
        assert_eq!((n.name.as_str(), n.line), ("N", 3));
        assert_eq!(n.components()[0], "十三");
        let tel = &props[2];
        assert!(tel.has_type("WORK") && tel.has_type("VOICE"));
        assert_eq!(props[3].text(), "Reid\u{2019}s place\n next");
        let email = &props[4];
        assert_eq!(email.group.as_deref(), Some("item1"));
        assert!(email.has_type("PREF"));
    }

    #[test]
    fn folds_escapes_base64_and_agents() {
        let card = "FN:Ada\\, Countess\r\n  of Lovelace\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n/9j/4AAQ\r\nSkZJRg==\r\n\r\nAGENT:\r\nBEGIN:VCARD\r\nFN:Secretary\r\nEND:VCARD\r\nADR:;;1 Main St\\nFloor 2;Town;;12345;\r\nbroken line\r\n";
        let (props, bad) = properties(card, 1, cs());
        let names: Vec<&str> = props.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["FN", "PHOTO", "AGENT", "ADR"]);
        assert_eq!(props[0].text(), "Ada, Countess of Lovelace");
        assert_eq!(props[1].value, "/9j/4AAQSkZJRg==");
        assert_eq!(props[3].components()[2], "1 Main St\nFloor 2");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 12);
    }

    #[test]
    fn split_characters_are_mended_without_moving_lines() {
        let b = "NOTE:十\r\n".as_bytes();
        let split = [&b[..6], b"\r\n ", &b[6..]].concat();
        let mended = mend_split_folds(&split);
        let text = std::str::from_utf8(&mended).unwrap();
        assert_eq!(text, "NOTE:十\r\n \r\n");
        assert_eq!(text.lines().count(), 2);
    }
}
