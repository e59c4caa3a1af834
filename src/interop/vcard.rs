//! vCard import (3.0 and 4.0, also 2.1): many cards per file, folded lines, quoted-printable and
//! UTF-8 values. The file is cut into cards by their BEGIN/END lines here (so each card keeps the
//! line it starts on and one bad card cannot swallow the next); each card is parsed by `calcard`.

use super::{Malformed, Parsed, RawRecord};
use calcard::vcard::{VCard, VCardProperty, VCardValue};
use calcard::{Entry, Parser};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Parse a whole .vcf file.
pub fn parse(text: &str) -> Parsed {
    parse_counting(text, &AtomicUsize::new(0))
}

/// [`parse`], adding one to `read` per card read (for a progress indicator on another thread).
pub fn parse_counting(text: &str, read: &AtomicUsize) -> Parsed {
    let mut out = Parsed {
        mapping: "vcard".to_string(),
        ..Parsed::default()
    };
    // (start line, byte offset of the BEGIN line)
    let mut open: Option<(usize, usize)> = None;
    let mut offset = 0usize;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        let start = offset;
        offset += raw.len();
        let line = raw
            .trim_end_matches(['\r', '\n'])
            .trim_start_matches('\u{feff}');
        let upper = line.trim().to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if let Some((l, _)) = open {
                out.malformed.push(Malformed {
                    line: l,
                    reason: "card has no END:VCARD before the next BEGIN:VCARD".to_string(),
                });
            }
            open = Some((line_no, start));
        } else if upper == "END:VCARD" {
            match open.take() {
                Some((l, s)) => {
                    card(&text[s..offset], l, &mut out);
                    read.fetch_add(1, Ordering::Relaxed);
                }
                None => out.malformed.push(Malformed {
                    line: line_no,
                    reason: "END:VCARD without BEGIN:VCARD".to_string(),
                }),
            }
        } else if open.is_none() && !line.trim().is_empty() {
            out.malformed.push(Malformed {
                line: line_no,
                reason: "text outside any BEGIN:VCARD ... END:VCARD card".to_string(),
            });
        }
    }
    if let Some((l, _)) = open {
        out.malformed.push(Malformed {
            line: l,
            reason: "card has no END:VCARD (the file ends inside it)".to_string(),
        });
    }
    out
}

fn card(chunk: &str, line: usize, out: &mut Parsed) {
    match Parser::new(chunk).entry() {
        Entry::VCard(vc) => match to_raw(&vc, line, chunk).finish(&mut out.warnings) {
            Ok(r) => out.records.push(r),
            Err(m) => out.malformed.push(m),
        },
        Entry::InvalidLine(l) => out.malformed.push(Malformed {
            line,
            reason: format!("card has an unreadable line: {}", shorten(&l)),
        }),
        other => out.malformed.push(Malformed {
            line,
            reason: format!("not a readable vCard ({})", shorten(&format!("{other:?}"))),
        }),
    }
}

fn shorten(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

/// Every value of an entry as text (components flattened in order).
fn texts(values: &[VCardValue]) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        match v {
            VCardValue::Text(t) => out.push(t.clone()),
            VCardValue::Component(parts) => out.extend(parts.iter().cloned()),
            VCardValue::Integer(n) => out.push(n.to_string()),
            VCardValue::PartialDateTime(d) => {
                let mut s = String::new();
                match d.year {
                    Some(y) => s.push_str(&format!("{y:04}")),
                    None => s.push_str("--"),
                }
                if let (Some(m), Some(day)) = (d.month, d.day) {
                    s.push_str(&format!("{m:02}{day:02}"));
                }
                out.push(s);
            }
            _ => {}
        }
    }
    out
}

/// The BDAY value as written. calcard reads the date into parts and loses the day of the common
/// but non-standard `--MM-DD`, so the raw line is read here.
fn raw_bday(chunk: &str) -> Option<String> {
    chunk.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        let prop = key.split(';').next()?;
        let prop = prop.rsplit('.').next()?;
        prop.trim()
            .eq_ignore_ascii_case("BDAY")
            .then(|| value.trim().to_string())
    })
}

fn to_raw(vc: &VCard, line: usize, chunk: &str) -> RawRecord {
    let mut r = RawRecord {
        line,
        ..RawRecord::default()
    };
    let mut n_name = String::new();
    let mut notes: Vec<String> = Vec::new();
    for e in &vc.entries {
        let vals = texts(&e.values);
        match &e.name {
            VCardProperty::Fn if r.name.is_empty() => r.name = vals.join(" "),
            VCardProperty::N if n_name.is_empty() => {
                // family; given; additional; prefixes; suffixes
                let get = |i: usize| vals.get(i).map(|s| s.trim()).unwrap_or("");
                n_name = [get(3), get(1), get(2), get(0), get(4)]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            VCardProperty::Org if r.company.is_empty() => {
                r.company = vals.first().cloned().unwrap_or_default();
            }
            VCardProperty::Email => r.emails.extend(vals.into_iter().take(1)),
            VCardProperty::Tel => r.phones.extend(vals.into_iter().take(1)),
            VCardProperty::Adr if r.address.is_empty() => {
                // pobox; extended; street; locality; region; code; country
                let get = |i: usize| vals.get(i).map(|s| s.trim()).unwrap_or("");
                let city = [get(5), get(3)]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                r.address = [get(0), get(1), get(2), city.as_str(), get(4), get(6)]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            VCardProperty::Bday if r.birthday.is_empty() => {
                r.birthday = raw_bday(chunk)
                    .or_else(|| vals.first().cloned())
                    .unwrap_or_default();
            }
            VCardProperty::Note => notes.extend(vals),
            VCardProperty::Categories => r.tags.extend(vals),
            _ => {}
        }
    }
    if r.name.trim().is_empty() {
        r.name = n_name;
    }
    r.notes = notes.join("\n");
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_folded_qp_and_several_values() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\nEMAIL;TYPE=work:j@example.com\r\nEMAIL;TYPE=home:jm@example.org\r\nTEL:+49 30 1234\r\nTEL:+49 170 5555\r\nNOTE:a very long note that is\r\n  folded over two lines\r\nBDAY:--0314\r\nCATEGORIES:VIP,Customers\r\nORG:Acme GmbH;Sales\r\nEND:VCARD\r\n";
        let p = parse(text);
        assert!(p.malformed.is_empty(), "{:?}", p.malformed);
        let r = &p.records[0];
        assert_eq!(r.name, "Jürgen Müller");
        assert_eq!(r.emails, ["j@example.com", "jm@example.org"]);
        assert_eq!(r.phones, ["+49 30 1234", "+49 170 5555"]);
        assert_eq!(r.notes, "a very long note that is folded over two lines");
        assert_eq!(
            r.birthday.map(|b| b.to_string()).as_deref(),
            Some("--03-14")
        );
        assert_eq!(r.tags, ["vip", "customers"]);
        assert_eq!(r.company.as_deref(), Some("Acme GmbH"));
    }

    #[test]
    fn unterminated_and_stray_lines_are_reported_with_lines() {
        let text = "junk\nBEGIN:VCARD\nVERSION:4.0\nFN:Ok One\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:Never ends\n";
        let p = parse(text);
        assert_eq!(p.records.len(), 1);
        let lines: Vec<usize> = p.malformed.iter().map(|m| m.line).collect();
        assert_eq!(lines, [1, 6]);
    }
}
