//! CSV import and export of contacts.
//!
//! Import: a header row names the columns; a mapping from columns to contact fields is picked
//! from the header (Google Contacts, Outlook, or a plain name/email/company sheet, all by column
//! name) and can be overridden column by column (`--map "E-mail=email"`). The delimiter (`,` `;`
//! or tab) is sniffed from the header line; a UTF-8 BOM is dropped; quoted fields may hold
//! newlines. A row that cannot be read is reported with its line number and skipped.

use super::{ImportError, Malformed, Parsed, RawRecord};
use crate::model::Contact;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    FirstName,
    MiddleName,
    LastName,
    Company,
    Email,
    Phone,
    /// The whole postal address.
    Address,
    /// One part of an address split over columns (street, city...), joined in column order.
    AddressPart,
    Birthday,
    Tags,
    Notes,
    Ignore,
}

impl Field {
    /// A field by its `--map` name.
    pub fn parse(s: &str) -> Option<Field> {
        let n = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Some(match n.as_str() {
            "name" | "full-name" => Field::Name,
            "first-name" | "first" | "given-name" => Field::FirstName,
            "middle-name" | "middle" => Field::MiddleName,
            "last-name" | "last" | "family-name" | "surname" => Field::LastName,
            "company" | "organization" | "org" => Field::Company,
            "email" | "e-mail" => Field::Email,
            "phone" | "tel" | "mobile" => Field::Phone,
            "address" => Field::Address,
            "address-part" => Field::AddressPart,
            "birthday" | "bday" => Field::Birthday,
            "tags" | "tag" | "categories" | "labels" => Field::Tags,
            "notes" | "note" => Field::Notes,
            "ignore" | "skip" | "none" => Field::Ignore,
            _ => return None,
        })
    }
}

/// The field a column name suggests (Google, Outlook and plain sheets).
fn guess(header: &str) -> Field {
    let h = header.trim().to_ascii_lowercase();
    let h = h.as_str();
    match h {
        "name" | "full name" | "display name" | "contact" | "contact name" => return Field::Name,
        "first name" | "given name" | "firstname" => return Field::FirstName,
        "middle name" | "additional name" => return Field::MiddleName,
        "last name" | "family name" | "surname" | "lastname" => return Field::LastName,
        "company"
        | "organization"
        | "organisation"
        | "organization name"
        | "organization 1 - name"
        | "company name"
        | "org"
        | "account" => return Field::Company,
        "email" | "e-mail" | "email address" | "e-mail address" | "mail" => return Field::Email,
        "phone" | "telephone" | "tel" | "mobile" | "phone number" => return Field::Phone,
        "address" | "postal address" | "address 1 - formatted" => return Field::Address,
        "birthday" | "bday" | "date of birth" | "birth date" => return Field::Birthday,
        "notes" | "note" | "comments" => return Field::Notes,
        "labels" | "group membership" | "categories" | "tags" => return Field::Tags,
        _ => {}
    }
    let is_email = (h.starts_with("e-mail") || h.starts_with("email"))
        && (h.ends_with("value") || h.ends_with("address"));
    if is_email {
        return Field::Email;
    }
    let phoney = h.contains("phone") || h.contains("mobile");
    if phoney && !h.contains("type") && !h.contains("label") {
        return Field::Phone;
    }
    if h.starts_with("business ") || h.starts_with("home ") {
        let part = &h[h.find(' ').map_or(0, |i| i + 1)..];
        if matches!(
            part,
            "street" | "street 2" | "city" | "state" | "postal code" | "country/region"
        ) {
            // Outlook: only business address parts; home parts are ignored to avoid mixing.
            return if h.starts_with("business ") {
                Field::AddressPart
            } else {
                Field::Ignore
            };
        }
    }
    Field::Ignore
}

/// The name of the layout a header looks like.
fn layout(headers: &[String]) -> &'static str {
    let has = |n: &str| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(n));
    if has("E-mail 1 - Value") || has("Given Name") || has("Organization Name") {
        "google"
    } else if has("E-mail Address") && (has("Business Phone") || has("Mobile Phone")) {
        "outlook"
    } else {
        "plain"
    }
}

/// The delimiter the header line uses most: `,`, `;` or tab (outside quotes).
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Parse a CSV file (BOM already removed or not) with optional `COLUMN=FIELD` overrides.
pub fn parse(text: &str, overrides: &[String]) -> Result<Parsed, ImportError> {
    parse_counting(text, overrides, &AtomicUsize::new(0))
}

/// [`parse`], adding one to `read` per row read (for a progress indicator on another thread).
pub fn parse_counting(
    text: &str,
    overrides: &[String],
    read: &AtomicUsize,
) -> Result<Parsed, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => return Err(ImportError::NoHeader),
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::NoHeader);
    }
    let mut fields: Vec<Field> = headers.iter().map(|h| guess(h)).collect();
    let mut mapping = layout(&headers).to_string();
    for o in overrides {
        let Some((col, field)) = o.split_once('=') else {
            return Err(ImportError::BadMapping(o.clone()));
        };
        let field = Field::parse(field).ok_or_else(|| ImportError::BadMapping(o.clone()))?;
        let i = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(col.trim()))
            .ok_or_else(|| {
                ImportError::NoSuchColumn(o.clone(), col.trim().to_string(), headers.join(", "))
            })?;
        fields[i] = field;
    }
    if !overrides.is_empty() {
        mapping.push_str("+map");
    }
    let named = fields.iter().any(|f| {
        matches!(
            f,
            Field::Name | Field::FirstName | Field::LastName | Field::Email | Field::Company
        )
    });
    if !named {
        return Err(ImportError::NoNameColumn(headers.join(", ")));
    }
    let mut out = Parsed {
        mapping,
        ..Parsed::default()
    };
    let mut record = ::csv::StringRecord::new();
    loop {
        let line = reader.position().line().try_into().unwrap_or(usize::MAX);
        let result = reader.read_record(&mut record);
        if !matches!(result, Ok(false)) {
            read.fetch_add(1, Ordering::Relaxed);
        }
        match result {
            Ok(false) => break,
            Ok(true) => {
                let line = record
                    .position()
                    .and_then(|p| usize::try_from(p.line()).ok())
                    .unwrap_or(line);
                if record.iter().all(|v| v.trim().is_empty()) {
                    continue;
                }
                match row(&record, &fields, line).finish(&mut out.warnings) {
                    Ok(r) => out.records.push(r),
                    Err(m) => out.malformed.push(m),
                }
            }
            Err(e) => {
                let line = e
                    .position()
                    .and_then(|p| usize::try_from(p.line()).ok())
                    .unwrap_or(line);
                let reason = match e.kind() {
                    ::csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!(
                        "row has {len} fields, the header has {expected_len}: check for a missing or extra delimiter or an unclosed quote"
                    ),
                    ::csv::ErrorKind::Utf8 { .. } => "row is not UTF-8 text".to_string(),
                    _ => format!("row cannot be read: {e}"),
                };
                out.malformed.push(Malformed { line, reason });
            }
        }
    }
    Ok(out)
}

fn row(record: &::csv::StringRecord, fields: &[Field], line: usize) -> RawRecord {
    let mut r = RawRecord {
        line,
        ..RawRecord::default()
    };
    let (mut first, mut middle, mut last) = (String::new(), String::new(), String::new());
    let mut parts: Vec<&str> = Vec::new();
    let mut notes: Vec<&str> = Vec::new();
    for (value, field) in record.iter().zip(fields) {
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        match field {
            Field::Name if r.name.is_empty() => r.name = v.to_string(),
            Field::FirstName => first = v.to_string(),
            Field::MiddleName => middle = v.to_string(),
            Field::LastName => last = v.to_string(),
            Field::Company if r.company.is_empty() => r.company = v.to_string(),
            // One cell may hold several values: Google writes "a@x.com ::: b@y.com".
            Field::Email => r.emails.extend(split_multi(v)),
            Field::Phone => r.phones.extend(split_multi(v)),
            Field::Address if r.address.is_empty() => r.address = v.to_string(),
            Field::AddressPart => parts.push(v),
            Field::Birthday if r.birthday.is_empty() => r.birthday = v.to_string(),
            Field::Tags => r.tags.extend(
                v.split([';', ','])
                    .flat_map(|t| t.split(":::"))
                    .map(str::trim)
                    // Google's system groups ("* myContacts") are not the user's tags.
                    .filter(|t| !t.is_empty() && !t.starts_with('*'))
                    .map(str::to_string),
            ),
            Field::Notes => notes.push(v),
            _ => {}
        }
    }
    if r.name.is_empty() {
        r.name = [first, middle, last]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    if r.address.is_empty() {
        r.address = parts.join("\n");
    }
    r.notes = notes.join("\n");
    r
}

fn split_multi(v: &str) -> impl Iterator<Item = String> + '_ {
    v.split(":::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The CSV export's columns.
pub const EXPORT_HEADER: [&str; 15] = [
    "id",
    "name",
    "company",
    "emails",
    "phones",
    "address",
    "birthday",
    "category",
    "tags",
    "stage",
    "no_reason",
    "cadence",
    "notes",
    "created",
    "updated",
];

/// Write contacts as CSV (comma-delimited, UTF-8, header row; several emails, phones or tags are
/// joined with "; "). `category` names a category id.
pub fn write_contacts(
    out: &mut dyn Write,
    contacts: &[Contact],
    category: &dyn Fn(&Contact) -> String,
) -> Result<(), ::csv::Error> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(EXPORT_HEADER)?;
    for c in contacts {
        w.write_record([
            format!("c{}", c.id),
            c.name.clone(),
            c.company.clone().unwrap_or_default(),
            c.emails.join("; "),
            c.phones.join("; "),
            c.address.clone().unwrap_or_default(),
            c.birthday.map(|b| b.to_string()).unwrap_or_default(),
            category(c),
            c.tags.join("; "),
            c.stage.to_string(),
            c.no_reason.map(|r| r.to_string()).unwrap_or_default(),
            c.cadence.map(|k| k.to_string()).unwrap_or_default(),
            c.notes.clone(),
            c.created.to_string(),
            c.updated.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_semicolons_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter("\"a;b;c\",d\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
    }

    #[test]
    fn google_and_outlook_headers() {
        let g = "First Name,Last Name,Organization Name,E-mail 1 - Value,E-mail 2 - Value,Phone 1 - Value,Labels\nAda,Lovelace,Engines,ada@example.com,ada2@example.com,+44 1,* myContacts ::: VIP\n";
        let p = parse(g, &[]).unwrap();
        assert_eq!(p.mapping, "google");
        let r = &p.records[0];
        assert_eq!(r.name, "Ada Lovelace");
        assert_eq!(r.emails.len(), 2);
        assert_eq!(r.tags, ["vip"]);
        let o = "First Name,Last Name,Company,Business Street,Business City,E-mail Address,Business Phone,Mobile Phone,Birthday\nBob,Stone,Quarry Ltd,1 Rock Rd,Leeds,bob@example.com,0113 1,07700 2,3/14/1970\n";
        let p = parse(o, &[]).unwrap();
        assert_eq!(p.mapping, "outlook");
        let r = &p.records[0];
        assert_eq!(r.address.as_deref(), Some("1 Rock Rd\nLeeds"));
        assert_eq!(r.phones.len(), 2);
        assert_eq!(
            r.birthday.map(|b| b.to_string()).as_deref(),
            Some("1970-03-14")
        );
    }

    #[test]
    fn overrides_and_errors() {
        let t = "Who,Mail\nAda,ada@example.com\n";
        assert!(matches!(
            parse("Foo,Bar\n1,2\n", &[]),
            Err(ImportError::NoNameColumn(_))
        ));
        let p = parse(t, &["who=name".to_string()]).unwrap();
        assert_eq!(p.records[0].name, "Ada");
        assert_eq!(p.mapping, "plain+map");
        assert!(matches!(
            parse(t, &["nope=name".to_string()]),
            Err(ImportError::NoSuchColumn(..))
        ));
        assert!(matches!(
            parse(t, &["who=wat".to_string()]),
            Err(ImportError::BadMapping(_))
        ));
    }
}
