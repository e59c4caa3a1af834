//! CSV import and export of contacts.
//!
//! Import: a header row names the columns ([`columns`] maps them for Google, Outlook in several
//! languages, Apple, Thunderbird, LinkedIn, tickler's own export and plain sheets); any column can
//! be remapped (`--map "E-mail=email"`). The delimiter (`,` `;` or tab) is sniffed from the header
//! line; lines before the header (LinkedIn's "Notes:") are skipped; quoted fields may hold
//! newlines; line numbers are those an editor shows, CRLF or not. A cell may hold several e-mails
//! or phones (Google's ` ::: `, tickler's `; `). Every value that does not come in is reported: an
//! invalid e-mail or phone, a second postal address, a column tickler has no field for (once per
//! column, with how many values it held). A row with a field too many or too few is read, with a
//! warning. Export: see [`write`].

pub mod columns;
pub mod write;

pub use columns::Field;
pub use write::{EXPORT_HEADER, WriteOptions, write_contacts};

use super::ImportError;
use super::record::{DateOrder, Malformed, Parsed, RawRecord, Warning};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// How the columns of a file are read.
struct Columns {
    headers: Vec<String>,
    fields: Vec<Field>,
    mapping: String,
    date_order: DateOrder,
    /// Address group of each address column (index into `groups`).
    groups: Vec<String>,
}

/// [`parse`], adding one to `read` per row read (for a progress indicator on another thread).
pub fn parse_counting(
    text: &str,
    overrides: &[String],
    read: &AtomicUsize,
) -> Result<Parsed, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (skip, cols) = header(text, overrides)?;
    let body = &text[skip..];
    let first_line = text[..skip].matches('\n').count() + 1;
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(body))
        .has_headers(true)
        .flexible(true)
        .from_reader(body.as_bytes());
    // One record a line at most: a list that never grows (100,000 records are 30 MB).
    let rows = body.bytes().filter(|&b| b == b'\n').count();
    let mut out = Parsed {
        mapping: cols.mapping.clone(),
        records: Vec::with_capacity(rows),
        ..Parsed::default()
    };
    let mut lines = LineCounter::new(body, first_line);
    let mut dropped: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        let result = reader.read_record(&mut record);
        if matches!(result, Ok(false)) {
            break;
        }
        read.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(_) => {
                let byte = record.position().map_or(0, |p| p.byte());
                let line = lines.line_at(byte);
                if record.iter().all(|v| v.trim().is_empty()) {
                    continue;
                }
                let raw = row(&record, &cols, line, &mut out.warnings, &mut dropped);
                match raw.finish(&mut out.warnings) {
                    Ok(r) => out.records.push(r),
                    Err(m) => out.malformed.push(m),
                }
            }
            Err(e) => {
                let byte = e.position().map_or(0, |p| p.byte());
                let reason = match e.kind() {
                    ::csv::ErrorKind::Utf8 { .. } => "row is not UTF-8 text".to_string(),
                    _ => format!("row cannot be read: {e}"),
                };
                out.malformed.push(Malformed {
                    line: lines.line_at(byte),
                    reason,
                });
            }
        }
    }
    for (col, (count, line)) in dropped {
        out.warnings.push(Warning {
            line,
            message: format!(
                "column '{}' not imported ({count} value{}): tickler has no field for it; map it with --map '{}=notes' to keep it in the notes",
                cols.headers[col].trim(),
                if count == 1 { "" } else { "s" },
                cols.headers[col].trim(),
            ),
        });
    }
    out.warnings.sort_by_key(|w| w.line);
    Ok(out)
}

/// Line numbers of byte offsets, counted once from the start (an editor's numbers: a CRLF file's
/// `\r\n` is one line break, and a record begins after it).
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        LineCounter {
            text: text.as_bytes(),
            pos: 0,
            line: first_line,
        }
    }

    fn line_at(&mut self, byte: u64) -> usize {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // The csv reader stops after the '\r' of a CRLF: the record starts past the '\n'.
        while at < self.text.len() && matches!(self.text[at], b'\n' | b'\r') {
            at += 1;
        }
        if at < self.pos {
            return self.line;
        }
        self.line += self.text[self.pos..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = at;
        self.line
    }
}

/// Find the header row (skipping a preamble such as LinkedIn's "Notes:" lines) and map its
/// columns. Returns the byte offset of the header line.
fn header(text: &str, overrides: &[String]) -> Result<(usize, Columns), ImportError> {
    let mut first: Option<Columns> = None;
    let mut offset = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate().take(20) {
        let start = offset;
        offset += line.len();
        if line.trim().is_empty() {
            continue;
        }
        let cols = columns(&text[start..], overrides)?;
        if cols.fields.iter().any(|f| f.names()) {
            return Ok((start, cols));
        }
        if i == 0 {
            first = Some(cols);
        }
    }
    match first {
        Some(c) if c.headers.iter().all(|h| h.trim().is_empty()) => Err(ImportError::NoHeader),
        Some(c) => Err(ImportError::NoNameColumn(c.headers.join(", "))),
        None => Err(ImportError::NoHeader),
    }
}

/// The columns of the header line at the start of `text`.
fn columns(text: &str, overrides: &[String]) -> Result<Columns, ImportError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => return Err(ImportError::NoHeader),
    };
    let (layout, day_first) = columns::layout(&headers);
    let mut fields: Vec<Field> = if layout == "tickler" {
        headers.iter().map(|h| tickler_field(h)).collect()
    } else {
        headers.iter().map(|h| columns::guess(h)).collect()
    };
    let mut mapping = layout.to_string();
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
    let mut groups: Vec<String> = Vec::new();
    for (f, h) in fields.iter_mut().zip(&headers) {
        if let Field::Address(g) | Field::AddressPart(g) = f {
            let name = columns::address_group(h);
            let idx = groups.iter().position(|x| *x == name).unwrap_or_else(|| {
                groups.push(name);
                groups.len() - 1
            });
            *g = u8::try_from(idx).unwrap_or(u8::MAX);
        }
    }
    Ok(Columns {
        headers,
        fields,
        mapping,
        date_order: if day_first {
            DateOrder::DayFirst
        } else {
            DateOrder::MonthFirst
        },
        groups,
    })
}

/// The columns of tickler's own CSV export.
fn tickler_field(header: &str) -> Field {
    match header.trim() {
        "name" => Field::Name,
        "company" => Field::Company,
        "emails" => Field::Email,
        "phones" => Field::Phone,
        "address" => Field::Address(0),
        "birthday" => Field::Birthday,
        "category" => Field::Category,
        "tags" => Field::Tags,
        "stage" => Field::Stage,
        "no_reason" => Field::NoReason,
        "cadence" => Field::Cadence,
        "notes" => Field::Notes,
        "id" => Field::SourceId,
        "created" | "updated" => Field::Label,
        other => columns::guess(other),
    }
}

/// Values that say "nothing" in the columns exports always fill (Outlook's priority,
/// sensitivity, gender, an empty date).
fn is_placeholder(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "normal" | "unspecified" | "false" | "0/0/00" | "0.0.00" | "keine angabe" | "aus"
    )
}

/// A cell as text: a leading `'` that kept a spreadsheet from running it as a formula is
/// dropped (see [`write::neutralise`]), carriage returns too.
fn cell(v: &str) -> String {
    let v = v.trim();
    let formula = |s: &str| s.starts_with(['=', '+', '-', '@']);
    let v = match v.strip_prefix('\'') {
        Some(rest) if formula(rest) || rest.strip_prefix('\'').is_some_and(formula) => rest,
        _ => v,
    };
    if v.contains('\r') {
        v.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        v.to_string()
    }
}

/// The cells of one row that make up one field together: the name's parts, the birthday's
/// parts (Thunderbird), the addresses (per group: the whole address, Google's "Formatted", else
/// its parts), the notes.
#[derive(Default)]
struct Parts {
    name: [String; 3],
    birth: [String; 3],
    addresses: Vec<(String, Vec<String>)>,
    notes: Vec<String>,
}

fn row(
    record: &::csv::StringRecord,
    cols: &Columns,
    line: usize,
    warnings: &mut Vec<Warning>,
    dropped: &mut BTreeMap<usize, (usize, usize)>,
) -> RawRecord {
    let mut r = RawRecord {
        line,
        date_order: cols.date_order,
        ..RawRecord::default()
    };
    let mut p = Parts {
        addresses: vec![(String::new(), Vec::new()); cols.groups.len().max(1)],
        ..Parts::default()
    };
    for (i, (value, field)) in record.iter().zip(&cols.fields).enumerate() {
        let v = cell(value);
        if v.is_empty() {
            continue;
        }
        if *field == Field::Ignore && !is_placeholder(&v) {
            dropped.entry(i).or_insert((0, line)).0 += 1;
        }
        take(&mut r, &mut p, *field, v);
    }
    if r.name.is_empty() {
        r.name = p
            .name
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
    }
    let [by, bm, bd] = &p.birth;
    if r.birthday.is_empty() && !bm.is_empty() && !bd.is_empty() {
        r.birthday = match by.as_str() {
            "" => format!("--{bm:0>2}-{bd:0>2}"),
            y => format!("{y:0>4}-{bm:0>2}-{bd:0>2}"),
        };
    }
    let addresses: Vec<String> = p
        .addresses
        .into_iter()
        .map(|(whole, parts)| {
            if whole.is_empty() {
                parts.join("\n")
            } else {
                whole
            }
        })
        .collect();
    r.address = pick_address(&addresses, &cols.groups, line, warnings);
    r.notes = p.notes.join("\n");
    check_width(record, cols, line, warnings);
    r
}

/// Put one non-empty cell where its field goes.
fn take(r: &mut RawRecord, p: &mut Parts, field: Field, v: String) {
    match field {
        Field::Name if r.name.is_empty() => r.name = v,
        Field::FirstName => p.name[0] = v,
        Field::MiddleName => p.name[1] = v,
        Field::LastName => p.name[2] = v,
        Field::Company if r.company.is_empty() => r.company = v,
        Field::Email => r.emails.extend(split(&v, &[":::", ";", ","])),
        Field::Phone => r.phones.extend(split(&v, &[":::", ";"])),
        Field::Address(g) => {
            if let Some(a) = p.addresses.get_mut(usize::from(g)) {
                a.0 = v;
            }
        }
        Field::AddressPart(g) => {
            if let Some(a) = p.addresses.get_mut(usize::from(g)) {
                a.1.push(v);
            }
        }
        Field::Birthday if r.birthday.is_empty() => r.birthday = v,
        Field::BirthYear => p.birth[0] = v,
        Field::BirthMonth => p.birth[1] = v,
        Field::BirthDay => p.birth[2] = v,
        Field::Tags => r.tags.extend(
            split(&v, &[":::", ";", ","])
                .into_iter()
                // Google's system groups ("* myContacts") are not the user's tags.
                .filter(|t| !t.starts_with('*')),
        ),
        Field::Notes => p.notes.push(v),
        Field::Category => r.category = v,
        Field::Stage => r.stage = v,
        Field::Cadence => r.cadence = v,
        Field::NoReason => r.no_reason = v,
        Field::SourceId => r.source = v,
        _ => {}
    }
}

/// The address a contact keeps: the first place of work that has one, else the first that has
/// one; every other address is reported.
fn pick_address(
    addresses: &[String],
    groups: &[String],
    line: usize,
    warnings: &mut Vec<Warning>,
) -> String {
    let filled: Vec<usize> = (0..addresses.len())
        .filter(|&g| !addresses[g].is_empty())
        .collect();
    let keep = filled
        .iter()
        .copied()
        .find(|&g| groups.get(g).is_some_and(|n| columns::is_work_group(n)))
        .or_else(|| filled.first().copied());
    for &g in filled.iter().filter(|&&g| Some(g) != keep) {
        let name = groups.get(g).map_or("another", String::as_str);
        warnings.push(Warning {
            line,
            message: format!(
                "{name} address '{}' not imported: a contact keeps one postal address",
                addresses[g].replace('\n', ", ")
            ),
        });
    }
    keep.map(|g| addresses[g].clone()).unwrap_or_default()
}

/// A row with more or fewer fields than the header is read anyway: what is missing is empty,
/// and extra values are reported.
fn check_width(
    record: &::csv::StringRecord,
    cols: &Columns,
    line: usize,
    warnings: &mut Vec<Warning>,
) {
    let (n, want) = (record.len(), cols.headers.len());
    if n < want {
        warnings.push(Warning {
            line,
            message: format!(
                "row has {n} fields, the header {want}: the last {} read as empty",
                want - n
            ),
        });
    } else if n > want {
        let extra: Vec<&str> = record
            .iter()
            .skip(want)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        if !extra.is_empty() {
            warnings.push(Warning {
                line,
                message: format!(
                    "row has {n} fields, the header {want}: '{}' not imported (a delimiter too many in this row?)",
                    extra.join("', '")
                ),
            });
        }
    }
}

/// Several values in one cell, split at any of `seps`.
fn split(v: &str, seps: &[&str]) -> Vec<String> {
    if !seps.iter().any(|s| v.contains(s)) {
        let v = v.trim();
        return if v.is_empty() {
            Vec::new()
        } else {
            vec![v.to_string()]
        };
    }
    let mut parts = vec![v.to_string()];
    for sep in seps {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    parts
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
