//! `tickler piece add|list|show|missing`: the library of what is sent, who received each piece
//! and when, and who has not yet.

use super::context::Context;
use super::output::print_json;
use super::touches::SelectArgs;
use crate::actions::pieces::{self as lib, PieceAdd, Received};
use crate::actions::{ActionError, batch};
use crate::model::{ContactId, Piece, PieceKind, PieceSend};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum PieceCommand {
    /// Add a piece to the library (a newsletter issue, a report, a sample...).
    Add(PieceAddArgs),
    /// List the pieces, with how many contacts received each.
    List {
        /// Print the list as JSON (shapes in the README).
        #[arg(long)]
        json: bool,
    },
    /// Who received a piece and when (and who has it planned).
    Show {
        /// The piece: id (p3) or part of its title.
        piece: String,
        /// Print it as JSON (shapes in the README).
        #[arg(long)]
        json: bool,
    },
    /// Who has not received a piece yet (everyone kept, or a selection).
    Missing(MissingArgs),
}

#[derive(Debug, Args)]
pub struct PieceAddArgs {
    /// Its title (how it is named in `log --piece`).
    pub title: String,
    /// newsletter, report, article, video, sample, book, card, gift or other.
    #[arg(long, default_value = "other")]
    pub kind: String,
    /// Where it lives (a link to send, a file).
    #[arg(long)]
    pub url: Option<String>,
    /// A note (what it is about, who it suits).
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct MissingArgs {
    /// The piece: id (p3) or part of its title.
    pub piece: String,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Print the list as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

impl PieceAddArgs {
    pub fn request(&self) -> Result<PieceAdd, ActionError> {
        Ok(PieceAdd {
            title: self.title.clone(),
            kind: self
                .kind
                .parse::<PieceKind>()
                .map_err(ActionError::BadValue)?,
            url: self.url.clone(),
            note: self.note.clone(),
        })
    }
}

/// A piece in JSON.
#[derive(Debug, Serialize)]
pub struct PieceJson<'a> {
    pub id: u64,
    pub title: &'a str,
    pub kind: &'static str,
    pub url: Option<&'a str>,
    pub note: &'a str,
    pub created: NaiveDate,
}

impl<'a> PieceJson<'a> {
    pub fn new(p: &'a Piece) -> Self {
        PieceJson {
            id: p.id.0,
            title: &p.title,
            kind: p.kind.as_str(),
            url: p.url.as_deref(),
            note: &p.note,
            created: p.created,
        }
    }
}

pub fn piece(ctx: &Context, cmd: &PieceCommand) -> anyhow::Result<()> {
    match cmd {
        PieceCommand::Add(a) => {
            let out = lib::piece_add(&ctx.store, &a.request()?, ctx.today)?;
            super::output::say!("{}", out.message())?;
            Ok(())
        }
        PieceCommand::List { json } => list(ctx, *json),
        PieceCommand::Show { piece, json } => show(ctx, piece, *json),
        PieceCommand::Missing(a) => missing(ctx, a),
    }
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(flatten)]
    piece: PieceJson<'a>,
    /// Contacts who received it.
    received: usize,
    /// Contacts who have it planned.
    planned: usize,
}

fn counts(sends: &[PieceSend]) -> HashMap<crate::model::PieceId, (usize, usize)> {
    let mut seen = std::collections::HashSet::new();
    let mut by: HashMap<_, (usize, usize)> = HashMap::new();
    for s in sends {
        if seen.insert((s.piece, s.contact, s.received)) {
            let e = by.entry(s.piece).or_default();
            if s.received {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    by
}

fn list(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let pieces = ctx.store.pieces()?;
    let by = counts(&ctx.store.piece_sends()?);
    let n = |p: &Piece| by.get(&p.id).copied().unwrap_or_default();
    if json {
        let items: Vec<ListItem> = pieces
            .iter()
            .map(|p| ListItem {
                piece: PieceJson::new(p),
                received: n(p).0,
                planned: n(p).1,
            })
            .collect();
        return print_json(&items);
    }
    let mut o = super::output::stdout();
    if pieces.is_empty() {
        writeln!(
            o,
            "No pieces yet: `tickler piece add \"November newsletter\" --kind newsletter`"
        )?;
    }
    for p in &pieces {
        let (r, pl) = n(p);
        let planned = if pl > 0 {
            format!(", {pl} planned")
        } else {
            String::new()
        };
        writeln!(
            o,
            "p{:<4} {:<40} {:<10} {r} received{planned}",
            p.id,
            crate::sanitize::line(&p.title),
            p.kind
        )?;
    }
    o.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct Recipient<'a> {
    contact_id: u64,
    name: &'a str,
    /// The touch that carried it.
    touch_id: u64,
    date: NaiveDate,
    /// received, or planned.
    state: &'static str,
}

#[derive(Serialize)]
struct ShowJson<'a> {
    piece: PieceJson<'a>,
    recipients: Vec<Recipient<'a>>,
}

fn show(ctx: &Context, query: &str, json: bool) -> anyhow::Result<()> {
    let pieces = ctx.store.pieces()?;
    let p = lib::resolve(&pieces, query)?;
    let roster = ctx.store.roster()?;
    let names: HashMap<ContactId, &str> = roster
        .rows
        .iter()
        .map(|(c, _)| (c.id, c.name.as_str()))
        .collect();
    let mut sends: Vec<PieceSend> = ctx
        .store
        .piece_sends()?
        .into_iter()
        .filter(|s| s.piece == p.id)
        .collect();
    sends.sort_by_key(|s| (s.date, s.contact));
    let recipients: Vec<Recipient> = sends
        .iter()
        .map(|s| Recipient {
            contact_id: s.contact.0,
            name: names.get(&s.contact).copied().unwrap_or(""),
            touch_id: s.touch.0,
            date: s.date,
            state: if s.received { "received" } else { "planned" },
        })
        .collect();
    if json {
        return print_json(&ShowJson {
            piece: PieceJson::new(p),
            recipients,
        });
    }
    let mut o = super::output::stdout();
    writeln!(
        o,
        "p{} {} ({})",
        p.id,
        crate::sanitize::line(&p.title),
        p.kind
    )?;
    if let Some(u) = &p.url {
        writeln!(o, "  url   {}", crate::sanitize::line(u))?;
    }
    if !p.note.is_empty() {
        writeln!(o, "  note  {}", crate::sanitize::line(&p.note))?;
    }
    let received = recipients.iter().filter(|r| r.state == "received").count();
    writeln!(o, "  received by {received}")?;
    for r in &recipients {
        writeln!(
            o,
            "  {} {:<8} c{:<6} {} (t{})",
            r.date,
            r.state,
            r.contact_id,
            crate::sanitize::line(r.name),
            r.touch_id
        )?;
    }
    o.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct MissingItem<'a> {
    contact_id: u64,
    name: &'a str,
    company: Option<&'a str>,
    /// The day it is planned to go, when it is on its way.
    planned: Option<NaiveDate>,
}

#[derive(Serialize)]
struct MissingJson<'a> {
    piece: PieceJson<'a>,
    selection: Option<String>,
    contacts: Vec<MissingItem<'a>>,
}

fn missing(ctx: &Context, a: &MissingArgs) -> anyhow::Result<()> {
    let pieces = ctx.store.pieces()?;
    let p = lib::resolve(&pieces, &a.piece)?;
    let received = Received::of(&ctx.store.piece_sends()?);
    let contacts = ctx.store.contacts()?;
    let selection = a.select.selection(&[])?;
    let ids: Vec<ContactId> = if selection.is_filter() {
        batch::select_from(&ctx.store.categories()?, &contacts, &selection)?
    } else {
        contacts
            .iter()
            .filter(|c| c.stage.is_kept())
            .map(|c| c.id)
            .collect()
    };
    let by_id: HashMap<ContactId, &crate::model::Contact> =
        contacts.iter().map(|c| (c.id, c)).collect();
    let items: Vec<MissingItem> = ids
        .iter()
        .filter(|id| received.when(**id, p.id).is_none())
        .filter_map(|id| by_id.get(id))
        .map(|c| MissingItem {
            contact_id: c.id.0,
            name: &c.name,
            company: c.company.as_deref(),
            planned: received.planned(c.id, p.id),
        })
        .collect();
    if a.json {
        return print_json(&MissingJson {
            piece: PieceJson::new(p),
            selection: selection.is_filter().then(|| selection.describe()),
            contacts: items,
        });
    }
    let mut o = super::output::stdout();
    writeln!(
        o,
        "{} of {} have not received p{} {}",
        items.len(),
        ids.len(),
        p.id,
        crate::sanitize::line(&p.title)
    )?;
    for i in &items {
        let planned = i
            .planned
            .map(|d| format!("  (planned {d})"))
            .unwrap_or_default();
        let label = match i.company {
            Some(co) if !co.is_empty() => format!("{} ({co})", i.name),
            _ => i.name.to_string(),
        };
        writeln!(
            o,
            "  c{:<6} {}{planned}",
            i.contact_id,
            crate::sanitize::line(&label)
        )?;
    }
    o.flush()?;
    Ok(())
}

/// The pieces a contact received or has planned, oldest first.
pub fn of_contact(
    store: &crate::store::Store,
    id: ContactId,
) -> anyhow::Result<Vec<(Piece, PieceSend)>> {
    let pieces = store.pieces()?;
    let mut out: Vec<(Piece, PieceSend)> = store
        .piece_sends()?
        .into_iter()
        .filter(|s| s.contact == id)
        .filter_map(|s| {
            pieces
                .iter()
                .find(|p| p.id == s.piece)
                .map(|p| (p.clone(), s))
        })
        .collect();
    out.sort_by_key(|(_, s)| (s.date, s.touch));
    Ok(out)
}

/// A piece a contact received (or has planned), in JSON.
#[derive(Debug, Serialize)]
pub struct ReceivedJson<'a> {
    pub piece_id: u64,
    pub title: &'a str,
    pub kind: &'static str,
    pub touch_id: u64,
    pub date: NaiveDate,
    /// received, or planned.
    pub state: &'static str,
}

impl<'a> ReceivedJson<'a> {
    pub fn new((p, s): &'a (Piece, PieceSend)) -> Self {
        ReceivedJson {
            piece_id: p.id.0,
            title: &p.title,
            kind: p.kind.as_str(),
            touch_id: s.touch.0,
            date: s.date,
            state: if s.received { "received" } else { "planned" },
        }
    }
}

/// What the planner needs to suggest a piece for a due item: the library and who had what.
pub struct Suggestions {
    pieces: Vec<Piece>,
    received: Received,
}

impl Suggestions {
    pub fn load(store: &crate::store::Store) -> anyhow::Result<Suggestions> {
        let pieces = store.pieces()?;
        let received = if pieces.is_empty() {
            Received::default()
        } else {
            Received::of(&store.piece_sends()?)
        };
        Ok(Suggestions { pieces, received })
    }

    /// The piece to send with a due touch, if one fits.
    pub fn for_due(&self, due: &crate::planner::NextDue) -> Option<&Piece> {
        crate::planner::suggest_piece(
            &self.pieces,
            |p| self.received.has(due.contact, p),
            due.channel,
        )
    }

    /// `  piece: "TITLE"` for a due line, or nothing.
    pub fn suffix(&self, due: &crate::planner::NextDue) -> String {
        self.for_due(due)
            .map(|p| format!("  piece: \"{}\"", crate::sanitize::line(&p.title)))
            .unwrap_or_default()
    }
}
