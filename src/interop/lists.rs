//! Mailing lists out: postal labels (a CSV of name, company and address lines, as a print shop
//! or a word processor's mail merge reads it) and e-mail recipients (`Name <address>`, one a
//! line, as a mail program's To or Bcc field takes them). A contact without a postal address
//! (labels) or an e-mail address (emails) cannot be on the list: the caller is told who.

use super::csv::write::neutralise;
use crate::model::Contact;
use std::io::Write;

/// The labels CSV's first columns; `address_1`... follow, as many as the longest address has
/// lines (at least one).
pub const LABEL_HEADER: [&str; 2] = ["name", "company"];

/// What a list left out, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Left {
    /// Contacts without what the list needs (a postal address, an e-mail address).
    pub without: Vec<(u64, String)>,
}

/// An address's lines: trimmed, empty ones dropped.
fn lines(address: &str) -> Vec<&str> {
    address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Write postal labels as CSV. `excel`: a byte-order mark and CRLF line ends.
pub fn write_labels(
    out: &mut dyn Write,
    contacts: &[&Contact],
    excel: bool,
) -> Result<Left, ::csv::Error> {
    let mut left = Left::default();
    let mut rows: Vec<(&Contact, Vec<&str>)> = Vec::new();
    for c in contacts {
        match c.address.as_deref().map(lines) {
            Some(l) if !l.is_empty() => rows.push((c, l)),
            _ => left.without.push((c.id.0, c.name.clone())),
        }
    }
    let width = rows.iter().map(|(_, l)| l.len()).max().unwrap_or(1).max(1);
    if excel {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = ::csv::WriterBuilder::new()
        .terminator(if excel {
            ::csv::Terminator::CRLF
        } else {
            ::csv::Terminator::Any(b'\n')
        })
        .from_writer(out);
    let mut header: Vec<String> = LABEL_HEADER.iter().map(|h| h.to_string()).collect();
    header.extend((1..=width).map(|i| format!("address_{i}")));
    w.write_record(&header)?;
    for (c, address) in rows {
        let mut record: Vec<String> = vec![
            neutralise(&c.name).into_owned(),
            neutralise(c.company.as_deref().unwrap_or("")).into_owned(),
        ];
        record.extend(address.iter().map(|l| neutralise(l).into_owned()));
        record.resize(LABEL_HEADER.len() + width, String::new());
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(left)
}

/// `Name <address>` for a contact's first e-mail address; the name quoted (RFC 5322) when it
/// holds characters a mail program would read as separators.
pub fn recipient(c: &Contact) -> Option<String> {
    let address = c.emails.first()?.trim();
    let name = crate::capture::one_line(&c.name);
    let special = |ch: char| "()<>[]:;@\\,.\"".contains(ch);
    if name.is_empty() {
        return Some(format!("<{address}>"));
    }
    if name.chars().any(special) {
        let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
        Some(format!("\"{quoted}\" <{address}>"))
    } else {
        Some(format!("{name} <{address}>"))
    }
}

/// Write `Name <address>` lines.
pub fn write_emails(out: &mut dyn Write, contacts: &[&Contact]) -> std::io::Result<Left> {
    let mut left = Left::default();
    for c in contacts {
        match recipient(c) {
            Some(line) => writeln!(out, "{line}")?,
            None => left.without.push((c.id.0, c.name.clone())),
        }
    }
    Ok(left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContactId;
    use chrono::NaiveDate;

    fn contact(id: u64, name: &str, email: Option<&str>, address: Option<&str>) -> Contact {
        let mut c = Contact::new(
            ContactId(id),
            name,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        );
        c.emails = email.map(|e| vec![e.to_string()]).unwrap_or_default();
        c.address = address.map(str::to_string);
        c
    }

    #[test]
    fn recipients_quote_names_with_separators() {
        let c = contact(1, "Ada Lovelace", Some("ada@example.com"), None);
        assert_eq!(recipient(&c).unwrap(), "Ada Lovelace <ada@example.com>");
        let c = contact(2, "Smith, J. \"Jo\"", Some("jo@example.com"), None);
        assert_eq!(
            recipient(&c).unwrap(),
            "\"Smith, J. \\\"Jo\\\"\" <jo@example.com>"
        );
        assert_eq!(recipient(&contact(3, "X", None, None)), None);
    }

    #[test]
    fn labels_have_as_many_address_columns_as_the_longest_address() {
        let a = contact(1, "Ada", None, Some("12 Lane\n\nLondon\nUK"));
        let mut b = contact(2, "=cmd", None, Some("1 Road"));
        b.company = Some("Acme".into());
        let c = contact(3, "Nobody", None, None);
        let mut out = Vec::new();
        let left = write_labels(&mut out, &[&a, &b, &c], false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,company,address_1,address_2,address_3\nAda,,12 Lane,London,UK\n'=cmd,Acme,1 Road,,\n"
        );
        assert_eq!(left.without, [(3, "Nobody".to_string())]);
    }
}
