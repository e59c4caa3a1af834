//! Verbs on contacts: add, edit, show, list, move, archive, restore.

use super::context::Context;
use super::output::{self, ContactJson, DueJson, SaleJson, TouchJson, print_json};
use crate::actions::{
    ActionError, AddRequest, ContactPatch, ContactRef, EditRequest, MoveRequest, Request,
    RestoreRequest,
};
use crate::model::{
    Birthday, Cadence, Category, Contact, NoReason, Piece, PieceSend, Profile, Sale, Settings,
    Stage, Touch, TouchState, validate,
};
use crate::planner::{self, Entry, NextDue};
use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Full name (several words need no quotes: `tickler add Ada Lovelace`).
    #[arg(required = true, num_args = 1..)]
    pub name: Vec<String>,
    /// Company or organisation (several words need no quotes).
    #[arg(long, num_args = 1..)]
    pub company: Option<Vec<String>>,
    /// An email address (repeat for several).
    #[arg(long = "email", value_name = "EMAIL")]
    pub emails: Vec<String>,
    /// A phone number (repeat for several).
    #[arg(long = "phone", value_name = "PHONE")]
    pub phones: Vec<String>,
    /// Postal address (use \n between lines).
    #[arg(long)]
    pub address: Option<String>,
    /// Birthday: YYYY-MM-DD, or MM-DD without the year.
    #[arg(long)]
    pub birthday: Option<String>,
    /// Category name (see `tickler category list`).
    #[arg(long)]
    pub category: Option<String>,
    /// A free tag (repeat for several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Pipeline stage.
    #[arg(long, default_value = "lead")]
    pub stage: String,
    /// Reason of the "no", for a contact added straight to stay-in-touch.
    #[arg(long)]
    pub reason: Option<String>,
    /// Keep-in-touch cadence for this contact only: 30d, 6w, 3m.
    #[arg(long)]
    pub cadence: Option<String>,
    /// Free notes.
    #[arg(long, conflicts_with = "note_file")]
    pub note: Option<String>,
    /// Read the notes from a file ("-" for standard input).
    #[arg(long, value_name = "PATH")]
    pub note_file: Option<std::path::PathBuf>,
    /// Print the new contact as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// New full name.
    #[arg(long)]
    pub name: Option<String>,
    /// New company ("" clears it).
    #[arg(long)]
    pub company: Option<String>,
    /// Add an email address (repeat for several).
    #[arg(long = "add-email", value_name = "EMAIL")]
    pub add_emails: Vec<String>,
    /// Remove an email address (repeat for several).
    #[arg(long = "remove-email", value_name = "EMAIL")]
    pub remove_emails: Vec<String>,
    /// Add a phone number (repeat for several).
    #[arg(long = "add-phone", value_name = "PHONE")]
    pub add_phones: Vec<String>,
    /// Remove a phone number (repeat for several).
    #[arg(long = "remove-phone", value_name = "PHONE")]
    pub remove_phones: Vec<String>,
    /// New postal address ("" clears it).
    #[arg(long)]
    pub address: Option<String>,
    /// New birthday (YYYY-MM-DD or MM-DD; "none" clears it).
    #[arg(long)]
    pub birthday: Option<String>,
    /// New category ("none" clears it).
    #[arg(long)]
    pub category: Option<String>,
    /// Add a tag (repeat for several).
    #[arg(long = "add-tag", value_name = "TAG")]
    pub add_tags: Vec<String>,
    /// Remove a tag (repeat for several).
    #[arg(long = "remove-tag", value_name = "TAG")]
    pub remove_tags: Vec<String>,
    /// Cadence override (30d, 6w, 3m; "none" to follow the category again).
    #[arg(long)]
    pub cadence: Option<String>,
    /// Replace the notes.
    #[arg(long, conflicts_with_all = ["append_note", "note_file"])]
    pub note: Option<String>,
    /// Replace the notes with a file's text ("-" for standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "append_note")]
    pub note_file: Option<std::path::PathBuf>,
    /// Add a line to the notes.
    #[arg(long)]
    pub append_note: Option<String>,
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this stage.
    #[arg(long)]
    pub stage: Option<String>,
    /// Only this category.
    #[arg(long)]
    pub category: Option<String>,
    /// Only contacts with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only contacts due today or overdue (most urgent first).
    #[arg(long)]
    pub due: bool,
    /// Include archived contacts.
    #[arg(long)]
    pub archived: bool,
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// The new stage: lead, qualified, proposal, customer, stay-in-touch, archived.
    pub stage: String,
    /// Reason of the "no" when moving out: no-need, no-interest, no-money, no-hurry[:buying-is-work|
    /// :procrastinate|:other-priorities], not-a-fit. Asked interactively when missing on a terminal.
    #[arg(long)]
    pub reason: Option<String>,
    /// Moving out: keep the planned touches (by default they are called off and the retry the
    /// reason sets is planned).
    #[arg(long)]
    pub keep_planned: bool,
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// Why (see `move --reason`). Asked interactively when missing on a terminal.
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
}

/// Notes given inline or read from a file ("-" is standard input, when `stdin` allows it).
fn note_input(
    inline: Option<&str>,
    file: Option<&std::path::Path>,
    stdin: bool,
) -> Result<Option<String>, ActionError> {
    if let Some(n) = inline {
        return Ok(Some(n.to_string()));
    }
    let Some(path) = file else {
        return Ok(None);
    };
    let limit = validate::MAX_NOTE_BYTES as u64 + 1;
    let mut buf = Vec::new();
    let read = if path.as_os_str() == "-" {
        if !stdin {
            return Err(ActionError::BadValue(
                "--note-file - reads standard input, which the diary cannot: give a file"
                    .to_string(),
            ));
        }
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin().lock(), limit),
            &mut buf,
        )
    } else {
        std::fs::File::open(path)
            .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, limit), &mut buf))
    };
    read.map_err(|e| {
        ActionError::BadValue(format!(
            "cannot read the notes from {}: {e}",
            path.display()
        ))
    })?;
    String::from_utf8(buf).map(Some).map_err(|_| {
        ActionError::BadValue(format!(
            "the notes in {} are not UTF-8 text",
            path.display()
        ))
    })
}

fn parse_with<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, ActionError> {
    r.map_err(|e| ActionError::BadValue(e.to_string()))
}

/// "none" (any case) clears a field.
fn is_none(s: &str) -> bool {
    s.trim().eq_ignore_ascii_case("none")
}

/// `none`, or a value parsed by `parse`.
fn none_or<T, E: std::fmt::Display>(
    s: Option<&str>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<Option<T>>, ActionError> {
    s.map(|v| {
        if is_none(v) {
            Ok(None)
        } else {
            parse_with(parse(v)).map(Some)
        }
    })
    .transpose()
}

impl AddArgs {
    /// The request; `stdin`: whether `--note-file -` may read standard input.
    pub fn request(&self, stdin: bool) -> Result<Request, ActionError> {
        let stage = parse_with(self.stage.parse::<Stage>())?;
        Ok(Request::Add(AddRequest {
            name: self.name.join(" "),
            company: self.company.as_ref().map(|c| c.join(" ")),
            emails: self.emails.clone(),
            phones: self.phones.clone(),
            address: self.address.clone(),
            birthday: self
                .birthday
                .as_deref()
                .map(|b| parse_with(b.parse::<Birthday>()))
                .transpose()?,
            category: self.category.clone(),
            tags: self.tags.clone(),
            stage: Some(stage),
            reason: self
                .reason
                .as_deref()
                .map(|r| parse_with(r.parse::<NoReason>()))
                .transpose()?,
            cadence: self
                .cadence
                .as_deref()
                .map(|c| parse_with(c.parse::<Cadence>()))
                .transpose()?,
            notes: note_input(self.note.as_deref(), self.note_file.as_deref(), stdin)?
                .unwrap_or_default(),
        }))
    }
}

impl EditArgs {
    /// The request; `stdin`: whether `--note-file -` may read standard input.
    pub fn request(&self, stdin: bool) -> Result<Request, ActionError> {
        let patch = ContactPatch {
            name: self.name.clone(),
            company: self.company.clone(),
            add_emails: self.add_emails.clone(),
            remove_emails: self.remove_emails.clone(),
            add_phones: self.add_phones.clone(),
            remove_phones: self.remove_phones.clone(),
            address: self.address.clone(),
            birthday: none_or(self.birthday.as_deref(), str::parse::<Birthday>)?,
            category: self.category.clone(),
            add_tags: self.add_tags.clone(),
            remove_tags: self.remove_tags.clone(),
            cadence: none_or(self.cadence.as_deref(), str::parse::<Cadence>)?,
            notes: note_input(self.note.as_deref(), self.note_file.as_deref(), stdin)?,
            append_note: self.append_note.clone(),
        };
        Ok(Request::Edit(EditRequest {
            contact: ContactRef::from(self.contact.as_str()),
            patch,
        }))
    }
}

pub fn add(ctx: &Context, a: &AddArgs) -> anyhow::Result<()> {
    let Request::Add(mut req) = a.request(true)? else {
        return Ok(());
    };
    if req.stage.is_some_and(Stage::is_out) && req.reason.is_none() {
        req.reason = ask_reason(&req.name)?;
    }
    let added = crate::actions::add(&ctx.store, &req, ctx.today)?;
    if a.json {
        for d in &added.same_name {
            super::output::note!(
                "note: c{d} has the same name and company; `tickler show c{d}` to compare"
            )?;
        }
        let settings = ctx.store.settings()?;
        return print_json(&ContactJson::new(
            &added.contact,
            added.category.as_ref(),
            &settings,
        ));
    }
    super::output::say!("{}", added.message(ctx.today))?;
    Ok(())
}

pub fn edit(ctx: &Context, a: &EditArgs) -> anyhow::Result<()> {
    let Request::Edit(req) = a.request(true)? else {
        return Ok(());
    };
    let edited = crate::actions::edit(&ctx.store, &req, ctx.today)?;
    if a.json {
        let settings = ctx.store.settings()?;
        return print_json(&ContactJson::new(
            &edited.contact,
            edited.category.as_ref(),
            &settings,
        ));
    }
    super::output::say!("{}", edited.message(ctx.today))?;
    Ok(())
}

#[derive(Serialize)]
struct ShowJson<'a> {
    contact: ContactJson<'a>,
    next_due: Option<DueJson<'a>>,
    planned: Vec<TouchJson<'a>>,
    history: Vec<TouchJson<'a>>,
    sales: Vec<SaleJson<'a>>,
    unreachable: bool,
    /// The pieces received (and planned), oldest first.
    pieces: Vec<super::pieces::ReceivedJson<'a>>,
}

pub fn show(ctx: &Context, a: &ShowArgs) -> anyhow::Result<()> {
    let c = crate::actions::resolve_contact(&ctx.store, &a.contact)?;
    let settings = ctx.store.settings()?;
    let categories = ctx.store.categories()?;
    let category = c
        .category
        .and_then(|id| categories.iter().find(|k| k.id == id));
    let facts = ctx.store.facts(c.id)?;
    let mut touches = ctx.store.touches_of(c.id)?;
    touches.reverse(); // newest first
    let mut sales = ctx.store.sales_of(c.id)?;
    sales.reverse();
    let profile = c.profile();
    let entry = Entry {
        contact: &profile,
        facts: &facts,
        category,
    };
    let due = planner::next_due(entry, &settings, ctx.today);
    let (planned, history) = touches.iter().partition(|t| t.state == TouchState::Planned);
    let pieces = super::pieces::of_contact(&ctx.store, c.id)?;
    let suggestions = super::pieces::Suggestions::load(&ctx.store)?;
    let page = Page {
        c: &c,
        profile: &profile,
        category,
        settings: &settings,
        due,
        planned,
        history,
        sales: &sales,
        pieces: &pieces,
        today: ctx.today,
    };
    if a.json {
        return print_json(&page.json(&suggestions));
    }
    let mut o = super::output::stdout();
    page.write(&mut o)?;
    o.flush()?;
    Ok(())
}

/// One contact as `show` prints it: the record, what the planner says of it, its touches, sales
/// and pieces (touches and sales newest first).
struct Page<'a> {
    c: &'a Contact,
    profile: &'a Profile,
    category: Option<&'a Category>,
    settings: &'a Settings,
    due: Option<NextDue>,
    planned: Vec<&'a Touch>,
    history: Vec<&'a Touch>,
    sales: &'a [Sale],
    pieces: &'a [(Piece, PieceSend)],
    today: NaiveDate,
}

impl Page<'_> {
    fn json<'s>(&'s self, suggestions: &'s super::pieces::Suggestions) -> ShowJson<'s> {
        let mut planned: Vec<TouchJson> = self.planned.iter().map(|t| TouchJson::new(t)).collect();
        planned.reverse(); // soonest first
        ShowJson {
            contact: ContactJson::new(self.c, self.category, self.settings),
            next_due: self
                .due
                .as_ref()
                .map(|d| DueJson::new(d, Some(self.profile)).with_piece(suggestions.for_due(d))),
            planned,
            history: self.history.iter().map(|t| TouchJson::new(t)).collect(),
            sales: self.sales.iter().map(SaleJson::new).collect(),
            unreachable: self.c.is_unreachable(),
            pieces: self
                .pieces
                .iter()
                .map(super::pieces::ReceivedJson::new)
                .collect(),
        }
    }

    fn write(&self, o: &mut impl Write) -> std::io::Result<()> {
        self.write_fields(o)?;
        self.write_next(o)?;
        self.write_touches(o)?;
        self.write_pieces(o)?;
        self.write_sales(o)?;
        let c = self.c;
        if !c.notes.is_empty() {
            writeln!(o, "Notes:")?;
            for line in c.notes.lines() {
                writeln!(o, "  {line}")?;
            }
        }
        Ok(())
    }

    /// The name line and the contact's fields.
    fn write_fields(&self, o: &mut impl Write) -> std::io::Result<()> {
        let c = self.c;
        writeln!(o, "c{} {}", c.id, c.label())?;
        let stage = match c.no_reason {
            Some(r) if c.stage.is_out() => format!("{} ({r})", c.stage),
            _ => c.stage.to_string(),
        };
        writeln!(o, "  stage     {stage}, since {}", c.stage_changed)?;
        let cadence = planner::effective_cadence(self.profile, self.category, self.settings);
        writeln!(
            o,
            "  category  {} (cadence {cadence}{})",
            self.category.map_or("-", |k| k.name.as_str()),
            if c.cadence.is_some() { ", own" } else { "" }
        )?;
        for e in &c.emails {
            writeln!(o, "  email     {e}")?;
        }
        for p in &c.phones {
            writeln!(o, "  phone     {p}")?;
        }
        if let Some(addr) = &c.address {
            for (i, line) in crate::text::address_lines(addr).into_iter().enumerate() {
                writeln!(o, "  {:<9} {line}", if i == 0 { "address" } else { "" })?;
            }
        }
        if let Some(b) = c.birthday {
            writeln!(o, "  birthday  {b}")?;
        }
        if !c.tags.is_empty() {
            writeln!(o, "  tags      {}", c.tags.join(", "))?;
        }
        if c.is_unreachable() {
            writeln!(o, "  UNREACHABLE: no email, phone or address")?;
        }
        if let Some(z) = c.snooze.as_ref().filter(|z| z.until >= self.today) {
            writeln!(o, "  snoozed   until {}", z.until)?;
        }
        Ok(())
    }

    /// The next touch, and what the planner flags: LYBUNT, move forward or move out.
    fn write_next(&self, o: &mut impl Write) -> std::io::Result<()> {
        let Some(d) = &self.due else {
            return writeln!(o, "  next      none (archived)");
        };
        writeln!(
            o,
            "  next      {} {} [{}]{}",
            output::when(d.date, self.today),
            d.channel,
            d.reason.as_str(),
            if d.adrift {
                "  ADRIFT: nothing planned"
            } else {
                ""
            }
        )?;
        if d.lybunt_cents > 0 {
            writeln!(
                o,
                "  LYBUNT    bought {} last year, nothing yet this year",
                output::amount(d.lybunt_cents, &self.settings.default_currency)
            )?;
        }
        if d.move_forward_or_out {
            writeln!(
                o,
                "  MOVE FORWARD OR MOVE OUT: touched {}+ times since {} without a stage change",
                self.settings.move_forward_after, self.c.stage_changed
            )?;
        }
        Ok(())
    }

    /// The planned touches (soonest first), then the history (newest first).
    fn write_touches(&self, o: &mut impl Write) -> std::io::Result<()> {
        if !self.planned.is_empty() {
            writeln!(o, "Planned:")?;
            for t in self.planned.iter().rev() {
                writeln!(
                    o,
                    "  {}  t{:<7} {:<16} {}",
                    t.date,
                    t.id,
                    t.channel.as_str(),
                    t.summary
                )?;
            }
        }
        if !self.history.is_empty() {
            writeln!(o, "History (newest first):")?;
            for t in &self.history {
                let state = if t.state == TouchState::Skipped {
                    " skipped"
                } else {
                    ""
                };
                writeln!(
                    o,
                    "  {}  {:<16} {:<3}{state} {}",
                    t.date,
                    t.channel.as_str(),
                    t.direction.as_str(),
                    t.summary
                )?;
            }
        }
        Ok(())
    }

    fn write_pieces(&self, o: &mut impl Write) -> std::io::Result<()> {
        if self.pieces.is_empty() {
            return Ok(());
        }
        writeln!(o, "Pieces:")?;
        for (p, s) in self.pieces {
            let state = if s.received { "" } else { " (planned)" };
            writeln!(
                o,
                "  {}  p{:<6} {}{state}",
                s.date,
                p.id,
                crate::sanitize::line(&p.title)
            )?;
        }
        Ok(())
    }

    fn write_sales(&self, o: &mut impl Write) -> std::io::Result<()> {
        if self.sales.is_empty() {
            return Ok(());
        }
        writeln!(o, "Sales:")?;
        for s in self.sales {
            writeln!(
                o,
                "  {}  {:>16}  {}",
                s.date,
                output::amount(s.amount_cents, &s.currency),
                s.note
            )?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(flatten)]
    contact: ContactJson<'a>,
    next_due: Option<DueJson<'a>>,
}

pub fn list(ctx: &Context, a: &ListArgs) -> anyhow::Result<()> {
    let snap = ctx.store.snapshot()?;
    let suggestions = super::pieces::Suggestions::load(&ctx.store)?;
    let filter = ListFilter {
        stage: a
            .stage
            .as_deref()
            .map(|s| parse_with(s.parse::<Stage>()))
            .transpose()?,
        category: a
            .category
            .as_deref()
            .map(|k| crate::actions::resolve::category(&snap.categories, k))
            .transpose()?,
        tag: a.tag.as_deref().map(|t| t.trim().to_lowercase()),
        archived: a.archived,
    };
    let cat_of = |c: &Contact| -> Option<&Category> {
        c.category
            .and_then(|id| snap.categories.iter().find(|k| k.id == id))
    };
    let mut rows = Vec::new();
    for (c, f) in snap.contacts.iter().filter(|(c, _)| filter.keeps(c)) {
        let profile = c.profile();
        let entry = Entry {
            contact: &profile,
            facts: f,
            category: cat_of(c),
        };
        let due = planner::next_due(entry, &snap.settings, ctx.today);
        if a.due && due.as_ref().is_none_or(|d| d.date > ctx.today) {
            continue;
        }
        rows.push((c, profile, due));
    }
    if a.due {
        rows.sort_by(|(ca, _, da), (cb, _, db)| {
            let key =
                |d: &Option<NextDue>| d.as_ref().map(|d| (std::cmp::Reverse(d.urgency), d.date));
            key(da).cmp(&key(db)).then(ca.id.cmp(&cb.id))
        });
    }
    if a.json {
        let items: Vec<ListItem> = rows
            .iter()
            .map(|(c, p, d)| ListItem {
                contact: ContactJson::new(c, cat_of(c), &snap.settings),
                next_due: d
                    .as_ref()
                    .map(|d| DueJson::new(d, Some(p)).with_piece(suggestions.for_due(d))),
            })
            .collect();
        return print_json(&items);
    }
    let mut o = super::output::stdout();
    write_list(&mut o, &rows)?;
    o.flush()?;
    Ok(())
}

/// The contacts `list` shows: of the stage asked for (archived ones only when asked, or asked
/// for by stage), in the category and with the tag asked for.
struct ListFilter<'a> {
    stage: Option<Stage>,
    category: Option<&'a Category>,
    /// Lower case.
    tag: Option<String>,
    archived: bool,
}

impl ListFilter<'_> {
    fn keeps(&self, c: &Contact) -> bool {
        let stage = match self.stage {
            Some(st) => c.stage == st,
            None => c.stage != Stage::Archived || self.archived,
        };
        stage
            && self.category.is_none_or(|k| c.category == Some(k.id))
            && self.tag.as_ref().is_none_or(|t| c.tags.contains(t))
    }
}

/// One line per contact: id, stage, next touch (urgency, date, reason), name.
fn write_list(
    o: &mut impl Write,
    rows: &[(&Contact, Profile, Option<NextDue>)],
) -> std::io::Result<()> {
    for (c, _, due) in rows {
        let next = due.as_ref().map_or_else(
            || "-".to_string(),
            |d| {
                format!(
                    "{} {} {}",
                    output::urgency_mark(d.urgency),
                    d.date,
                    d.reason.as_str()
                )
            },
        );
        writeln!(
            o,
            "c{:<6} {:<14} {:<26} {}",
            c.id,
            c.stage.as_str(),
            next,
            c.label()
        )?;
    }
    if rows.is_empty() {
        writeln!(o, "no contacts match")?;
    }
    Ok(())
}

/// Ask for the reason of a "no" on a terminal; `None` otherwise (the action then says what to add).
fn ask_reason(who: &str) -> anyhow::Result<Option<NoReason>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let mut err = super::output::stderr();
    writeln!(err, "Why is {who} moving out?")?;
    for (i, name) in NoReason::NAMES.iter().enumerate() {
        writeln!(err, "  {}) {}", i + 1, name)?;
    }
    write!(err, "Reason [1-{}]: ", NoReason::NAMES.len())?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let t = line.trim();
    let by_number = t
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| NoReason::NAMES.get(i).copied());
    Ok(Some(parse_with(
        by_number.unwrap_or(t).parse::<NoReason>(),
    )?))
}

fn reason(r: Option<&str>) -> Result<Option<NoReason>, ActionError> {
    r.map(|r| parse_with(r.parse::<NoReason>())).transpose()
}

impl MoveArgs {
    pub fn request(&self) -> Result<Request, ActionError> {
        Ok(Request::Move(MoveRequest {
            contact: ContactRef::from(self.contact.as_str()),
            target: parse_with(self.stage.parse::<Stage>())?,
            reason: reason(self.reason.as_deref())?,
            keep_planned: self.keep_planned,
        }))
    }
}

impl ArchiveArgs {
    pub fn request(&self) -> Result<Request, ActionError> {
        Ok(Request::Move(MoveRequest {
            contact: ContactRef::from(self.contact.as_str()),
            target: Stage::Archived,
            reason: reason(self.reason.as_deref())?,
            keep_planned: false,
        }))
    }
}

impl RestoreArgs {
    pub fn request(&self) -> Result<Request, ActionError> {
        Ok(Request::Restore(RestoreRequest {
            contact: ContactRef::from(self.contact.as_str()),
        }))
    }
}

/// A move (or an archive), asking for a missing reason of a "no" on a terminal first.
fn move_or_archive(ctx: &Context, req: Request) -> anyhow::Result<()> {
    let Request::Move(mut m) = req else {
        return super::touches::perform(ctx, req).map(drop);
    };
    if m.target.is_out()
        && m.reason.is_none()
        && let ContactRef::Query(q) = &m.contact
    {
        let c = crate::actions::resolve_contact(&ctx.store, q)?;
        // Already there: the action says so without asking first.
        if c.stage != m.target {
            m.reason = ask_reason(&c.name)?;
        }
        m.contact = ContactRef::Id(c.id);
    }
    super::touches::perform(ctx, Request::Move(m)).map(drop)
}

pub fn move_stage(ctx: &Context, a: &MoveArgs) -> anyhow::Result<()> {
    move_or_archive(ctx, a.request()?)
}

pub fn archive(ctx: &Context, a: &ArchiveArgs) -> anyhow::Result<()> {
    move_or_archive(ctx, a.request()?)
}
