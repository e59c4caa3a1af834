//! Small iCalendar helpers shared by the VTODO and VJOURNAL mappings: text escaping and line
//! folding for writing (RFC 5545 3.1 and 3.3.11), and reading components through the icalendar
//! crate's parser (unfolded first, values unescaped).

use super::MappingError;
use chrono::NaiveDate;
use icalendar::parser::{self, Component};

/// A TEXT value escaped: backslash, semicolon, comma and newline.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(ch),
        }
    }
    out
}

/// A parameter value: quoted when it holds `:`, `;` or `,`; double quotes cannot occur in one
/// and become single quotes.
pub fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| if c == '"' { '\'' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// One content line, folded at 75 octets (never inside a character), ending in CRLF.
pub fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for ch in content.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

/// A date as an iCalendar DATE (`20260305`).
pub fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The date of a DATE or DATE-TIME value (`20260305`, `20260305T090000`, `...Z`).
pub fn read_date(value: &str) -> Option<NaiveDate> {
    let digits = value.get(..8)?;
    NaiveDate::parse_from_str(digits, "%Y%m%d").ok()
}

/// The components (VTODO, VJOURNAL, ...) inside one iCalendar object.
pub fn components(text: &str) -> Result<Vec<Component<'static>>, MappingError> {
    let unfolded = parser::unfold(text);
    let cal = parser::read_calendar(&unfolded).map_err(|e| MappingError::Unreadable {
        what: "iCalendar",
        detail: e.lines().next().unwrap_or_default().to_string(),
    })?;
    Ok(cal.components.into_iter().map(|c| owned(&c)).collect())
}

fn owned(c: &Component<'_>) -> Component<'static> {
    Component {
        name: c.name.to_owned(),
        properties: c
            .properties
            .iter()
            .map(|p| parser::Property {
                name: p.name.to_owned(),
                val: p.val.to_owned(),
                params: p
                    .params
                    .iter()
                    .map(|q| parser::Parameter {
                        key: q.key.to_owned(),
                        val: q.val.as_ref().map(|v| v.to_owned()),
                    })
                    .collect(),
            })
            .collect(),
        components: c.components.iter().map(owned).collect(),
    }
}

/// The unescaped text of the first property `name`.
pub fn text(c: &Component<'_>, name: &str) -> Option<String> {
    c.find_prop(name)
        .map(|p| p.val.clone().unescape_text().as_str().to_string())
}

/// A parameter of a property, unquoted.
pub fn param_of(p: &parser::Property<'_>, key: &str) -> Option<String> {
    p.params
        .iter()
        .find(|q| q.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|q| q.val.as_ref())
        .map(|v| v.as_str().trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_folds() {
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        line(&mut out, &format!("DESCRIPTION:{}", "é".repeat(60)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = parser::unfold(&out);
        assert_eq!(
            unfolded.trim_end(),
            format!("DESCRIPTION:{}", "é".repeat(60))
        );
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(d), "20260305");
        assert_eq!(read_date("20260305T090000Z"), Some(d));
        assert_eq!(read_date("2026"), None);
    }
}
