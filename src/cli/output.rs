//! Output shapes: the documented `--json` records (stable; see README) and the human formatting.
//!
//! Everything the command line prints goes through this module's writers, the one place where
//! output meets the terminal: words through [`stdout`] and [`stderr`] (each character
//! [`crate::sanitize::text`] would escape is shown escaped, so a name holding terminal escapes,
//! from a diary written before input was checked or a file name capture found, is shown, never
//! sent), JSON through [`print_json`] (serde escapes C0 controls; DEL, C1 and direction controls
//! are escaped too, the same value for a JSON reader), and file formats to a terminal through
//! [`data_out`]. No other code in `cli` writes to standard output or standard error.

use crate::model::{Category, Contact, ContactId, Profile, Sale, Settings, Touch};
use crate::planner::{self, NextDue, Urgency};
use crate::sanitize;
use chrono::NaiveDate;
use serde::Serialize;
use std::io::{self, IsTerminal, Write};

/// A writer that shows escaped every character `bad` flags (see [`crate::sanitize`]). Bytes are
/// taken as UTF-8 even when one character arrives in two writes; bytes that are not UTF-8 are
/// shown as `\xNN`.
pub struct Clean<W: Write> {
    inner: W,
    bad: fn(char) -> bool,
    /// The start of a character whose other bytes are still to come (at most 3 bytes).
    partial: Vec<u8>,
}

impl<W: Write> Clean<W> {
    /// For words: newlines and tabs kept, every other control and direction control escaped.
    pub fn text(inner: W) -> Self {
        Clean {
            inner,
            bad: sanitize::unsafe_in_text,
            partial: Vec::new(),
        }
    }

    /// For a file format shown on a terminal: as [`Clean::text`], and `\r` kept too (CSV, vCard
    /// and iCalendar end their lines with CRLF).
    pub fn data(inner: W) -> Self {
        Clean {
            inner,
            bad: |c| c != '\r' && sanitize::unsafe_in_text(c),
            partial: Vec::new(),
        }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let (good, error) = match std::str::from_utf8(rest) {
                Ok(s) => (s, None),
                Err(e) => {
                    let (good, _) = rest.split_at(e.valid_up_to());
                    (std::str::from_utf8(good).unwrap_or_default(), Some(e))
                }
            };
            self.inner
                .write_all(sanitize::escape_with(good, self.bad).as_bytes())?;
            let Some(e) = error else { break };
            let after = &rest[e.valid_up_to()..];
            match e.error_len() {
                // A character cut by the end of this write: its rest comes next.
                None => {
                    self.partial.extend_from_slice(after);
                    break;
                }
                Some(n) => {
                    for b in &after[..n] {
                        write!(self.inner, "\\x{b:02x}")?;
                    }
                    rest = &after[n..];
                }
            }
        }
        Ok(())
    }
}

impl<W: Write> Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.partial.is_empty() {
            self.put(buf)?;
        } else {
            let mut joined = std::mem::take(&mut self.partial);
            joined.extend_from_slice(buf);
            self.put(&joined)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        for b in std::mem::take(&mut self.partial) {
            write!(self.inner, "\\x{b:02x}")?;
        }
        self.inner.flush()
    }
}

/// Standard output for words (buffered: call `flush`, or it is flushed when dropped).
pub fn stdout() -> Clean<io::BufWriter<io::StdoutLock<'static>>> {
    Clean::text(io::BufWriter::new(io::stdout().lock()))
}

/// Standard error for words: notes, questions, the error line.
pub fn stderr() -> Clean<io::StderrLock<'static>> {
    Clean::text(io::stderr().lock())
}

/// Standard output for a file format (CSV, vCard, iCalendar, JSON export): the bytes as they
/// are when they go to a pipe or a file, shown through [`Clean::data`] on a terminal.
pub fn data_out() -> Box<dyn Write> {
    let out = io::stdout();
    if out.is_terminal() {
        Box::new(Clean::data(out.lock()))
    } else {
        Box::new(out.lock())
    }
}

/// `println!` through [`stdout`]: `say!("Undid: {label}")?`.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = $crate::cli::output::stdout();
        writeln!(out, $($arg)*).and_then(|()| out.flush())
    }};
}

/// `eprintln!` through [`stderr`]: `note!("note: {why}")?`.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!($crate::cli::output::stderr(), $($arg)*)
    }};
}

pub(crate) use {note, say};

/// serde_json's compact output, with DEL, C1 controls and direction controls written as
/// `\uXXXX` as well (serde escapes C0 controls itself): the same strings for a JSON reader, none
/// of them acts on a terminal.
struct Inert;

impl serde_json::ser::Formatter for Inert {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_control() || sanitize::is_direction_control(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Write `value` as one line of JSON to stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Inert))?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

pub use crate::text::{amount, amounts, money, when};

/// `123456` cents as `1234.56` (no grouping: for JSON).
pub fn plain_amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// Profiles by id, for joining planner output (which carries ids only) with names.
pub struct Names<'a> {
    /// Ascending by id (the store returns them so; sorted here otherwise).
    sorted: Vec<&'a Profile>,
}

impl<'a> Names<'a> {
    pub fn new(profiles: impl IntoIterator<Item = &'a Profile>) -> Self {
        let mut sorted: Vec<&'a Profile> = profiles.into_iter().collect();
        if !sorted.is_sorted_by_key(|p| p.id) {
            sorted.sort_unstable_by_key(|p| p.id);
        }
        Names { sorted }
    }

    pub fn get(&self, id: ContactId) -> Option<&'a Profile> {
        self.sorted
            .binary_search_by_key(&id, |p| p.id)
            .ok()
            .map(|i| self.sorted[i])
    }
}

/// A due item in JSON.
#[derive(Debug, Serialize)]
pub struct DueJson<'a> {
    pub contact_id: u64,
    pub name: &'a str,
    pub company: Option<&'a str>,
    pub date: NaiveDate,
    pub reason: &'static str,
    pub channel: &'static str,
    pub touch_id: Option<u64>,
    pub urgency: Urgency,
    pub days_overdue: i64,
    pub adrift: bool,
    pub lybunt_cents: i64,
    pub move_forward_or_out: bool,
    pub priority: u8,
    /// A piece to send with it: the newest the contact has not had that travels by its channel.
    pub suggested_piece: Option<SuggestedJson<'a>>,
}

/// A suggested piece in a due item.
#[derive(Debug, Serialize)]
pub struct SuggestedJson<'a> {
    pub id: u64,
    pub title: &'a str,
    pub kind: &'static str,
    pub url: Option<&'a str>,
}

impl<'a> SuggestedJson<'a> {
    pub fn new(p: &'a crate::model::Piece) -> Self {
        SuggestedJson {
            id: p.id.0,
            title: &p.title,
            kind: p.kind.as_str(),
            url: p.url.as_deref(),
        }
    }
}

impl<'a> DueJson<'a> {
    /// With the piece to suggest for it.
    pub fn with_piece(mut self, p: Option<&'a crate::model::Piece>) -> Self {
        self.suggested_piece = p.map(SuggestedJson::new);
        self
    }

    pub fn new(due: &NextDue, contact: Option<&'a Profile>) -> Self {
        DueJson {
            contact_id: due.contact.0,
            name: contact.map_or("", |c| c.name.as_str()),
            company: contact.and_then(|c| c.company.as_deref()),
            date: due.date,
            reason: due.reason.as_str(),
            channel: due.channel.as_str(),
            touch_id: due.touch.map(|t| t.0),
            urgency: due.urgency,
            days_overdue: due.days_overdue,
            adrift: due.adrift,
            lybunt_cents: due.lybunt_cents,
            move_forward_or_out: due.move_forward_or_out,
            priority: due.priority,
            suggested_piece: None,
        }
    }
}

/// A contact in JSON.
#[derive(Debug, Serialize)]
pub struct ContactJson<'a> {
    pub id: u64,
    pub name: &'a str,
    pub company: Option<&'a str>,
    pub emails: &'a [String],
    pub phones: &'a [String],
    pub address: Option<&'a str>,
    pub birthday: Option<String>,
    pub category: Option<&'a str>,
    pub tags: &'a [String],
    pub stage: &'static str,
    pub stage_changed: NaiveDate,
    pub no_reason: Option<&'static str>,
    /// The cadence that applies (override, category or default), e.g. "30d".
    pub cadence: String,
    pub cadence_override: Option<String>,
    pub snoozed_until: Option<NaiveDate>,
    pub notes: &'a str,
    pub created: NaiveDate,
    pub updated: NaiveDate,
}

impl<'a> ContactJson<'a> {
    pub fn new(c: &'a Contact, category: Option<&'a Category>, s: &Settings) -> Self {
        ContactJson {
            id: c.id.0,
            name: &c.name,
            company: c.company.as_deref(),
            emails: &c.emails,
            phones: &c.phones,
            address: c.address.as_deref(),
            birthday: c.birthday.map(|b| b.to_string()),
            category: category.map(|k| k.name.as_str()),
            tags: &c.tags,
            stage: c.stage.as_str(),
            stage_changed: c.stage_changed,
            no_reason: c.no_reason.map(|r| r.as_str()),
            cadence: planner::effective_cadence(&c.profile(), category, s).to_string(),
            cadence_override: c.cadence.map(|k| k.to_string()),
            snoozed_until: c.snooze.as_ref().map(|z| z.until),
            notes: &c.notes,
            created: c.created,
            updated: c.updated,
        }
    }
}

/// A touch in JSON.
#[derive(Debug, Serialize)]
pub struct TouchJson<'a> {
    pub id: u64,
    pub contact_id: u64,
    pub date: NaiveDate,
    pub channel: &'static str,
    pub direction: &'static str,
    pub state: &'static str,
    pub summary: &'a str,
}

impl<'a> TouchJson<'a> {
    pub fn new(t: &'a Touch) -> Self {
        TouchJson {
            id: t.id.0,
            contact_id: t.contact.0,
            date: t.date,
            channel: t.channel.as_str(),
            direction: t.direction.as_str(),
            state: t.state.as_str(),
            summary: &t.summary,
        }
    }
}

/// A sale in JSON.
#[derive(Debug, Serialize)]
pub struct SaleJson<'a> {
    pub id: u64,
    pub contact_id: u64,
    pub date: NaiveDate,
    pub amount_cents: i64,
    pub amount: String,
    pub currency: &'a str,
    pub note: &'a str,
}

impl<'a> SaleJson<'a> {
    pub fn new(s: &'a Sale) -> Self {
        SaleJson {
            id: s.id.0,
            contact_id: s.contact.0,
            date: s.date,
            amount_cents: s.amount_cents,
            amount: plain_amount(s.amount_cents),
            currency: &s.currency,
            note: &s.note,
        }
    }
}

/// The marker before a due line: `!!` at risk, `! ` due or overdue, blank when upcoming.
pub fn urgency_mark(u: Urgency) -> &'static str {
    match u {
        Urgency::AtRisk => "!!",
        Urgency::Due => "! ",
        Urgency::Upcoming => "  ",
    }
}

/// One human line for a due item: `! c12 Ada Lovelace (Acme)  call  cadence, 3d overdue  LYBUNT 1,200.00 EUR`.
pub fn due_line(
    due: &NextDue,
    contact: Option<&Profile>,
    show_date: bool,
    currency: &str,
) -> String {
    let who = contact.map_or_else(|| format!("c{}", due.contact), Profile::label);
    let mut line = String::with_capacity(96);
    if show_date {
        line.push_str(&due.date.to_string());
        line.push_str("  ");
    }
    line.push_str(urgency_mark(due.urgency));
    line.push_str(&format!(
        " c{:<6} {who}  {}  {}",
        due.contact,
        due.channel,
        due.reason.as_str()
    ));
    if due.days_overdue > 0 {
        line.push_str(&format!(", {}d overdue", due.days_overdue));
    }
    if due.lybunt_cents > 0 {
        line.push_str(&format!("  LYBUNT {}", amount(due.lybunt_cents, currency)));
    }
    if due.adrift {
        line.push_str("  ADRIFT");
    }
    if due.move_forward_or_out {
        line.push_str("  MOVE-OR-OUT");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(make: fn(Vec<u8>) -> Clean<Vec<u8>>, pieces: &[&[u8]]) -> String {
        let mut w = make(Vec::new());
        for p in pieces {
            w.write_all(p).unwrap();
        }
        w.flush().unwrap();
        String::from_utf8(w.inner).unwrap()
    }

    #[test]
    fn words_are_shown_escaped_even_when_a_character_is_cut_between_writes() {
        let osc = "Eve\u{1b}]0;x\u{7}\u{202e} \u{9b}2J\nnext\tline\r\n".as_bytes();
        let whole = through(Clean::text, &[osc]);
        assert_eq!(
            whole,
            "Eve\\u{1b}]0;x\\u{7}\\u{202e} \\u{9b}2J\nnext\tline\\r\n"
        );
        // Every cut, even inside the two bytes of U+009B and the three of U+202E.
        for at in 0..osc.len() {
            let (a, b) = osc.split_at(at);
            assert_eq!(through(Clean::text, &[a, b]), whole, "cut at {at}");
        }
        assert_eq!(
            through(Clean::text, &[b"a\xffb", b"\xe2\x80"]),
            "a\\xffb\\xe2\\x80"
        );
        // A file format keeps its CRLF.
        assert_eq!(through(Clean::data, &[b"a,b\r\n\x1b"]), "a,b\r\n\\u{1b}");
    }

    #[test]
    fn json_escapes_what_serde_leaves_and_keeps_the_value() {
        let value = "Eve\u{1b}\u{7f}\u{9b}\u{202e}\u{2066} é 李";
        let mut out = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(&mut out, Inert))
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\"Eve\\u001b\\u007f\\u009b\\u202e\\u2066 é 李\"");
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), value);
    }

    /// The rule of this module's top comment, kept: no other file of the command line prints
    /// past these writers.
    #[test]
    fn nothing_else_in_the_command_line_writes_to_the_terminal() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "output.rs") {
                continue;
            }
            let code = std::fs::read_to_string(&path).unwrap();
            seen += 1;
            for (i, line) in code.lines().enumerate() {
                let direct = ["print!(", "println!(", "io::stdout()", "io::stderr()"]
                    .iter()
                    .any(|p| line.contains(p));
                let is_terminal = line.contains("io::stdout().is_terminal()");
                assert!(
                    !direct || is_terminal,
                    "{}:{}: print through cli::output: {line}",
                    path.display(),
                    i + 1
                );
            }
        }
        assert!(seen > 10, "read the command line's files ({seen})");
    }
}
