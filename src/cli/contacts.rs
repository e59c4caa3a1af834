//! Verbs on contacts: add, edit, show, list, move, archive, restore.

use super::context::Context;
use super::error::user;
use super::output::{self, ContactJson, DueJson, SaleJson, TouchJson, print_json};
use super::resolve;
use crate::actions;
use crate::model::{
    Birthday, Cadence, Category, Contact, ContactId, NoReason, Stage, TouchState, validate,
};
use crate::planner::{self, Entry};
use clap::Args;
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Full name.
    pub name: String,
    /// Company or organisation.
    #[arg(long)]
    pub company: Option<String>,
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

/// Notes given inline or read from a file ("-" is standard input).
fn note_input(
    inline: Option<&str>,
    file: Option<&std::path::Path>,
) -> anyhow::Result<Option<String>> {
    if let Some(n) = inline {
        return Ok(Some(n.to_string()));
    }
    let Some(path) = file else {
        return Ok(None);
    };
    let limit = validate::MAX_NOTE_BYTES as u64 + 1;
    let mut buf = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin().lock(), limit),
            &mut buf,
        )
    } else {
        std::fs::File::open(path)
            .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, limit), &mut buf))
    };
    read.map_err(|e| {
        user(format!(
            "cannot read the notes from {}: {e}",
            path.display()
        ))
    })?;
    String::from_utf8(buf).map(Some).map_err(|_| {
        user(format!(
            "the notes in {} are not UTF-8 text",
            path.display()
        ))
    })
}

fn opt_line(
    field: &'static str,
    v: &Option<String>,
) -> Result<Option<String>, validate::ValidationError> {
    v.as_deref().map(|s| validate::name(field, s)).transpose()
}

fn parse_with<T, E: std::fmt::Display>(r: Result<T, E>) -> anyhow::Result<T> {
    r.map_err(|e| user(e.to_string()))
}

pub fn add(ctx: &Context, a: &AddArgs) -> anyhow::Result<()> {
    let name = validate::name("name", &a.name)?;
    let company = opt_line("company", &a.company)?;
    let emails = a
        .emails
        .iter()
        .map(|e| validate::email(e))
        .collect::<Result<Vec<_>, _>>()?;
    let phones = a
        .phones
        .iter()
        .map(|p| validate::phone(p))
        .collect::<Result<Vec<_>, _>>()?;
    let address = a
        .address
        .as_deref()
        .map(|s| {
            validate::text(
                "address",
                &s.replace("\\n", "\n"),
                validate::MAX_SUMMARY_BYTES,
            )
        })
        .transpose()?;
    let birthday = a
        .birthday
        .as_deref()
        .map(|b| parse_with(b.parse::<Birthday>()))
        .transpose()?;
    let mut tags = Vec::new();
    for t in &a.tags {
        let t = validate::tag(t)?;
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if tags.len() > validate::MAX_TAGS {
        return Err(validate::ValidationError::TooManyTags(tags.len()).into());
    }
    let stage = parse_with(a.stage.parse::<Stage>())?;
    if stage == Stage::Archived {
        return Err(user(
            "a new contact cannot start archived: add it, then `tickler archive`",
        ));
    }
    let no_reason = match (stage.is_out(), &a.reason) {
        (true, Some(r)) => Some(parse_with(r.parse::<NoReason>())?),
        (true, None) => Some(ask_reason(&a.name)?),
        (false, Some(_)) => {
            return Err(user("--reason is only for contacts added to stay-in-touch"));
        }
        (false, None) => None,
    };
    let cadence = a
        .cadence
        .as_deref()
        .map(|c| parse_with(c.parse::<Cadence>()))
        .transpose()?;
    let notes = note_input(a.note.as_deref(), a.note_file.as_deref())?
        .map(|n| validate::text("note", &n, validate::MAX_NOTE_BYTES))
        .transpose()?
        .unwrap_or_default();
    let categories = ctx.store.categories()?;
    let category = a
        .category
        .as_deref()
        .map(|k| resolve::category(&categories, k))
        .transpose()?;
    let today = ctx.today;
    let same_name: Vec<Contact> = ctx
        .store
        .contacts()?
        .into_iter()
        .filter(|c| c.name.eq_ignore_ascii_case(&name) && c.company == company)
        .collect();

    let mut template = Contact::new(ContactId(0), name.clone(), today);
    template.company = company;
    template.emails = emails;
    template.phones = phones;
    template.address = address;
    template.birthday = birthday;
    template.category = category.map(|k| k.id);
    template.tags = tags;
    template.stage = stage;
    template.no_reason = no_reason;
    template.cadence = cadence;
    template.notes = notes;
    let contact = actions::add_contact(&ctx.store, &template)?;
    for dup in &same_name {
        eprintln!(
            "note: c{} has the same name and company; `tickler show c{}` to compare",
            dup.id, dup.id
        );
    }
    if a.json {
        let settings = ctx.store.settings()?;
        return print_json(&ContactJson::new(&contact, category, &settings));
    }
    println!("Added c{} {}", contact.id, contact.label());
    Ok(())
}

pub fn edit(ctx: &Context, a: &EditArgs) -> anyhow::Result<()> {
    let mut c = resolve::contact(&ctx.store, &a.contact)?;
    let before = c.clone();
    if let Some(n) = &a.name {
        c.name = validate::name("name", n)?;
    }
    if let Some(co) = &a.company {
        c.company = if co.trim().is_empty() {
            None
        } else {
            Some(validate::name("company", co)?)
        };
    }
    for e in &a.add_emails {
        let e = validate::email(e)?;
        if !c.emails.contains(&e) {
            c.emails.push(e);
        }
    }
    for e in &a.remove_emails {
        let n = c.emails.len();
        c.emails.retain(|x| !x.eq_ignore_ascii_case(e.trim()));
        if c.emails.len() == n {
            return Err(user(format!("c{} has no email '{e}'", c.id)));
        }
    }
    for p in &a.add_phones {
        let p = validate::phone(p)?;
        if !c.phones.contains(&p) {
            c.phones.push(p);
        }
    }
    for p in &a.remove_phones {
        let n = c.phones.len();
        c.phones.retain(|x| x != p.trim());
        if c.phones.len() == n {
            return Err(user(format!("c{} has no phone '{p}'", c.id)));
        }
    }
    if let Some(addr) = &a.address {
        c.address = if addr.trim().is_empty() {
            None
        } else {
            Some(validate::text(
                "address",
                &addr.replace("\\n", "\n"),
                validate::MAX_SUMMARY_BYTES,
            )?)
        };
    }
    if let Some(b) = &a.birthday {
        c.birthday = if b.trim().eq_ignore_ascii_case("none") {
            None
        } else {
            Some(parse_with(b.parse::<Birthday>())?)
        };
    }
    let categories = ctx.store.categories()?;
    if let Some(k) = &a.category {
        c.category = if k.trim().eq_ignore_ascii_case("none") {
            None
        } else {
            Some(resolve::category(&categories, k)?.id)
        };
    }
    for t in &a.add_tags {
        let t = validate::tag(t)?;
        if !c.tags.contains(&t) {
            c.tags.push(t);
        }
    }
    for t in &a.remove_tags {
        let t = t.trim().to_lowercase();
        let n = c.tags.len();
        c.tags.retain(|x| *x != t);
        if c.tags.len() == n {
            return Err(user(format!("c{} has no tag '{t}'", c.id)));
        }
    }
    if c.tags.len() > validate::MAX_TAGS {
        return Err(validate::ValidationError::TooManyTags(c.tags.len()).into());
    }
    if let Some(k) = &a.cadence {
        c.cadence = if k.trim().eq_ignore_ascii_case("none") {
            None
        } else {
            Some(parse_with(k.parse::<Cadence>())?)
        };
    }
    if let Some(n) = note_input(a.note.as_deref(), a.note_file.as_deref())? {
        c.notes = validate::text("note", &n, validate::MAX_NOTE_BYTES)?;
    }
    if let Some(n) = &a.append_note {
        let mut notes = c.notes.clone();
        if !notes.is_empty() && !notes.ends_with('\n') {
            notes.push('\n');
        }
        notes.push_str(n);
        c.notes = validate::text("note", &notes, validate::MAX_NOTE_BYTES)?;
    }
    if c == before {
        return Err(user(format!(
            "nothing to change for c{}: give a field to edit (see `tickler edit --help`)",
            c.id
        )));
    }
    c.updated = ctx.today;
    ctx.store
        .write(&format!("edit c{} {}", c.id, c.name), |w| w.put_contact(&c))?;
    if a.json {
        let settings = ctx.store.settings()?;
        let cat = c
            .category
            .and_then(|id| categories.iter().find(|k| k.id == id));
        return print_json(&ContactJson::new(&c, cat, &settings));
    }
    println!("Updated c{} {}", c.id, c.label());
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
}

pub fn show(ctx: &Context, a: &ShowArgs) -> anyhow::Result<()> {
    let c = resolve::contact(&ctx.store, &a.contact)?;
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
    let due = planner::next_due(
        Entry {
            contact: &profile,
            facts: &facts,
            category,
        },
        &settings,
        ctx.today,
    );
    let (planned, history): (Vec<_>, Vec<_>) =
        touches.iter().partition(|t| t.state == TouchState::Planned);

    if a.json {
        let mut planned_json: Vec<TouchJson> = planned.iter().map(|t| TouchJson::new(t)).collect();
        planned_json.reverse(); // soonest first
        return print_json(&ShowJson {
            contact: ContactJson::new(&c, category, &settings),
            next_due: due.as_ref().map(|d| DueJson::new(d, Some(&profile))),
            planned: planned_json,
            history: history.iter().map(|t| TouchJson::new(t)).collect(),
            sales: sales.iter().map(SaleJson::new).collect(),
            unreachable: c.is_unreachable(),
        });
    }

    let out = std::io::stdout();
    let mut o = std::io::BufWriter::new(out.lock());
    writeln!(o, "c{} {}", c.id, c.label())?;
    let stage = match c.no_reason {
        Some(r) if c.stage.is_out() => format!("{} ({r})", c.stage),
        _ => c.stage.to_string(),
    };
    writeln!(o, "  stage     {stage}, since {}", c.stage_changed)?;
    let cadence = planner::effective_cadence(&profile, category, &settings);
    writeln!(
        o,
        "  category  {} (cadence {cadence}{})",
        category.map_or("-", |k| k.name.as_str()),
        if c.cadence.is_some() { ", own" } else { "" }
    )?;
    for e in &c.emails {
        writeln!(o, "  email     {e}")?;
    }
    for p in &c.phones {
        writeln!(o, "  phone     {p}")?;
    }
    if let Some(addr) = &c.address {
        writeln!(o, "  address   {}", addr.replace('\n', ", "))?;
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
    if let Some(z) = c.snooze.as_ref().filter(|z| z.until >= ctx.today) {
        writeln!(o, "  snoozed   until {}", z.until)?;
    }
    match &due {
        Some(d) => writeln!(
            o,
            "  next      {} {} [{}]{}",
            output::when(d.date, ctx.today),
            d.channel,
            d.reason.as_str(),
            if d.adrift {
                "  ADRIFT: nothing planned"
            } else {
                ""
            }
        )?,
        None => writeln!(o, "  next      none (archived)")?,
    }
    if let Some(d) = &due {
        if d.lybunt_cents > 0 {
            writeln!(
                o,
                "  LYBUNT    bought {} last year, nothing yet this year",
                output::money(d.lybunt_cents)
            )?;
        }
        if d.move_forward_or_out {
            writeln!(
                o,
                "  MOVE FORWARD OR MOVE OUT: touched {}+ times since {} without a stage change",
                settings.move_forward_after, c.stage_changed
            )?;
        }
    }
    if !planned.is_empty() {
        writeln!(o, "Planned:")?;
        for t in planned.iter().rev() {
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
    if !history.is_empty() {
        writeln!(o, "History (newest first):")?;
        for t in &history {
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
    if !sales.is_empty() {
        writeln!(o, "Sales:")?;
        for s in &sales {
            writeln!(
                o,
                "  {}  {:>12} {}  {}",
                s.date,
                output::money(s.amount_cents),
                s.currency,
                s.note
            )?;
        }
    }
    if !c.notes.is_empty() {
        writeln!(o, "Notes:")?;
        for line in c.notes.lines() {
            writeln!(o, "  {line}")?;
        }
    }
    o.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(flatten)]
    contact: ContactJson<'a>,
    next_due: Option<DueJson<'a>>,
}

pub fn list(ctx: &Context, a: &ListArgs) -> anyhow::Result<()> {
    let snap = ctx.store.snapshot()?;
    let stage = a
        .stage
        .as_deref()
        .map(|s| parse_with(s.parse::<Stage>()))
        .transpose()?;
    let category = a
        .category
        .as_deref()
        .map(|k| resolve::category(&snap.categories, k))
        .transpose()?;
    let tag = a.tag.as_deref().map(|t| t.trim().to_lowercase());
    let cat_of = |c: &Contact| -> Option<&Category> {
        c.category
            .and_then(|id| snap.categories.iter().find(|k| k.id == id))
    };
    let mut rows = Vec::new();
    for (c, f) in &snap.contacts {
        if let Some(st) = stage {
            if c.stage != st {
                continue;
            }
        } else if c.stage == Stage::Archived && !a.archived {
            continue;
        }
        if category.is_some_and(|k| c.category != Some(k.id)) {
            continue;
        }
        if tag.as_ref().is_some_and(|t| !c.tags.contains(t)) {
            continue;
        }
        let profile = c.profile();
        let due = planner::next_due(
            Entry {
                contact: &profile,
                facts: f,
                category: cat_of(c),
            },
            &snap.settings,
            ctx.today,
        );
        if a.due && due.as_ref().is_none_or(|d| d.date > ctx.today) {
            continue;
        }
        rows.push((c, profile, due));
    }
    if a.due {
        rows.sort_by(|(ca, _, da), (cb, _, db)| {
            let key = |d: &Option<planner::NextDue>| {
                d.as_ref().map(|d| (std::cmp::Reverse(d.urgency), d.date))
            };
            key(da).cmp(&key(db)).then(ca.id.cmp(&cb.id))
        });
    }
    if a.json {
        let items: Vec<ListItem> = rows
            .iter()
            .map(|(c, p, d)| ListItem {
                contact: ContactJson::new(c, cat_of(c), &snap.settings),
                next_due: d.as_ref().map(|d| DueJson::new(d, Some(p))),
            })
            .collect();
        return print_json(&items);
    }
    let out = std::io::stdout();
    let mut o = std::io::BufWriter::new(out.lock());
    for (c, _, due) in &rows {
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
    o.flush()?;
    Ok(())
}

/// Ask for the reason of a "no" on a terminal; an error naming `--reason` otherwise.
fn ask_reason(who: &str) -> anyhow::Result<NoReason> {
    if !std::io::stdin().is_terminal() {
        return Err(user(format!(
            "moving out needs the reason of the \"no\": add --reason with one of {}",
            NoReason::NAMES.join(", ")
        )));
    }
    let mut err = std::io::stderr();
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
    parse_with(by_number.unwrap_or(t).parse::<NoReason>())
}

pub fn move_stage(ctx: &Context, a: &MoveArgs) -> anyhow::Result<()> {
    let c = resolve::contact(&ctx.store, &a.contact)?;
    let target = parse_with(a.stage.parse::<Stage>())?;
    if target == c.stage {
        return Err(user(format!("c{} is already {}", c.id, c.stage)));
    }
    let reason = if target.is_out() {
        Some(match &a.reason {
            Some(r) => parse_with(r.parse::<NoReason>())?,
            None => ask_reason(&c.name)?,
        })
    } else if a.reason.is_some() {
        return Err(user(
            "--reason is only for moving out (stay-in-touch or archived)",
        ));
    } else {
        None
    };
    let from = c.stage;
    let c = actions::move_stage(&ctx.store, &c, target, reason, ctx.today)?;
    println!(
        "Moved c{} {} from {from} to {target}{}",
        c.id,
        c.label(),
        reason_suffix(reason)
    );
    Ok(())
}

fn reason_suffix(reason: Option<NoReason>) -> String {
    reason.map_or_else(String::new, |r| format!(" ({r})"))
}

pub fn archive(ctx: &Context, a: &ArchiveArgs) -> anyhow::Result<()> {
    let c = resolve::contact(&ctx.store, &a.contact)?;
    if c.stage == Stage::Archived {
        return Err(user(format!(
            "c{} is already archived: `tickler restore c{}` brings it back",
            c.id, c.id
        )));
    }
    let reason = match &a.reason {
        Some(r) => parse_with(r.parse::<NoReason>())?,
        None => ask_reason(&c.name)?,
    };
    let c = actions::move_stage(&ctx.store, &c, Stage::Archived, Some(reason), ctx.today)?;
    println!(
        "Archived c{} {} ({reason}); `tickler restore c{}` brings it back",
        c.id,
        c.label(),
        c.id
    );
    Ok(())
}

pub fn restore(ctx: &Context, a: &RestoreArgs) -> anyhow::Result<()> {
    let c = resolve::contact(&ctx.store, &a.contact)?;
    if c.stage != Stage::Archived {
        return Err(user(format!(
            "c{} is not archived (it is {})",
            c.id, c.stage
        )));
    }
    let c = actions::restore(&ctx.store, &c, ctx.today)?;
    let back = c.stage;
    println!("Restored c{} {} to {back}", c.id, c.label());
    Ok(())
}
