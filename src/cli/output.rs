//! Output shapes: the documented `--json` records (stable; see README) and the human formatting.

use crate::model::{Category, Contact, ContactId, Profile, Sale, Settings, Touch};
use crate::planner::{self, NextDue, Urgency};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;

/// Write `value` as one line of JSON to stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer(&mut out, value)?;
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
