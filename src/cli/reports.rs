//! Read-only reports: agenda, due, lybunt, review.

use super::context::Context;
use super::error::user;
use super::output::{DueJson, Names, amounts, due_line, print_json};
use super::pieces::Suggestions;
use crate::actions::capture::PossibleContact;
use crate::dates::parse_date;
use crate::model::ContactId;
use crate::planner::{self, Agenda, AgendaItem, Entry, Review, fiscal::fiscal_year};
use crate::store::Roster;
use chrono::{Datelike, Days, NaiveDate};
use clap::Args;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// The longest agenda range, in days.
const MAX_RANGE_DAYS: i64 = 366;

#[derive(Debug, Args, Default)]
pub struct AgendaArgs {
    /// First day (default: Monday of this week).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (default: Sunday of the first day's week, or --days).
    #[arg(long, conflicts_with = "days")]
    pub to: Option<String>,
    /// Number of days from --from.
    #[arg(long)]
    pub days: Option<u32>,
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LybuntArgs {
    /// Only those at risk (less than a quarter of the fiscal year left).
    #[arg(long)]
    pub at_risk: bool,
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

/// The planner's view of every contact in a roster.
fn entries(roster: &Roster) -> Vec<Entry<'_>> {
    planner::entries(&roster.categories, &roster.rows)
}

#[derive(Serialize)]
struct DayJson<'a> {
    date: NaiveDate,
    items: Vec<DueJson<'a>>,
}

#[derive(Serialize)]
struct AgendaJson<'a> {
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    overdue: Vec<DueJson<'a>>,
    /// Due from today up to the day before `from` (a range in the future): open, not overdue.
    earlier: Vec<DueJson<'a>>,
    days: Vec<DayJson<'a>>,
}

fn item_json<'a>(
    items: &[AgendaItem],
    names: &Names<'a>,
    pieces: &'a Suggestions,
) -> Vec<DueJson<'a>> {
    items
        .iter()
        .map(|i| DueJson::new(&i.due, names.get(i.due.contact)).with_piece(pieces.for_due(&i.due)))
        .collect()
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d.checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
        .unwrap_or(d)
}

pub fn agenda(ctx: &Context, a: &AgendaArgs) -> anyhow::Result<()> {
    let today = ctx.today;
    let (from, to) = agenda_range(a, today)?;
    let snap = ctx.store.roster_kept()?;
    let entries = entries(&snap);
    let ag = planner::agenda(&entries, &snap.settings, today, from, to);
    let names = Names::new(snap.rows.iter().map(|(c, _)| c));
    let cur = snap.settings.default_currency.as_str();
    let pieces = Suggestions::load(&ctx.store)?;
    if a.json {
        return print_json(&AgendaJson {
            from: ag.from,
            to: ag.to,
            today: ag.today,
            overdue: item_json(&ag.overdue, &names, &pieces),
            earlier: item_json(&ag.earlier, &names, &pieces),
            days: ag
                .days
                .iter()
                .map(|d| DayJson {
                    date: d.date,
                    items: item_json(&d.items, &names, &pieces),
                })
                .collect(),
        });
    }
    let mut o = super::output::stdout();
    let lines = DueLines {
        names: &names,
        pieces: &pieces,
        cur,
    };
    write_agenda(&mut o, &ag, &lines, snap.rows.is_empty())?;
    o.flush()?;
    Ok(())
}

/// The days the agenda covers: `--from` (default: Monday of this week) to `--to`, or `--days`
/// from `--from`, or the end of the first day's week; at most [`MAX_RANGE_DAYS`].
fn agenda_range(a: &AgendaArgs, today: NaiveDate) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    let from = match &a.from {
        Some(s) => parse_date(s, today)?,
        None => monday_of(today),
    };
    let to = match (&a.to, a.days) {
        (Some(s), _) => parse_date(s, today)?,
        (None, Some(0)) => return Err(user("--days must be at least 1")),
        (None, Some(n)) => from
            .checked_add_days(Days::new(u64::from(n) - 1))
            .ok_or_else(|| user("--days runs past the end of the calendar"))?,
        (None, None) => monday_of(from)
            .checked_add_days(Days::new(6))
            .unwrap_or(from),
    };
    if to < from {
        return Err(user(format!(
            "--to {to} is before --from {from}: swap them"
        )));
    }
    if (to - from).num_days() >= MAX_RANGE_DAYS {
        return Err(user(format!(
            "the range {from}..{to} is longer than {MAX_RANGE_DAYS} days: ask for a shorter one"
        )));
    }
    Ok((from, to))
}

/// How a due item reads in `agenda` and `due`: the due line, then the piece to send.
struct DueLines<'a> {
    names: &'a Names<'a>,
    pieces: &'a Suggestions,
    cur: &'a str,
}

impl DueLines<'_> {
    fn line(&self, i: &AgendaItem, show_date: bool) -> String {
        let who = self.names.get(i.due.contact);
        let line = due_line(&i.due, who, show_date, self.cur);
        format!("{line}{}", self.pieces.suffix(&i.due))
    }
}

/// The agenda as text: a summary line, then overdue, earlier and each day with its items.
fn write_agenda(
    o: &mut impl Write,
    ag: &Agenda,
    lines: &DueLines,
    nobody: bool,
) -> std::io::Result<()> {
    let (from, to, today) = (ag.from, ag.to, ag.today);
    let total: usize = ag.days.iter().map(|d| d.items.len()).sum();
    let earlier = if ag.earlier.is_empty() {
        String::new()
    } else {
        format!(", {} due before {from}", ag.earlier.len())
    };
    writeln!(
        o,
        "Agenda {from} .. {to}  (today {today}): {} overdue{earlier}, {total} due",
        ag.overdue.len()
    )?;
    if nobody {
        writeln!(
            o,
            "Nobody to follow up yet: `tickler add NAME`, `tickler import FILE.vcf|.csv`, or try `tickler --demo`."
        )?;
    }
    if !ag.overdue.is_empty() {
        writeln!(o, "\nOverdue ({})", ag.overdue.len())?;
        for i in &ag.overdue {
            writeln!(o, "  {}", lines.line(i, true))?;
        }
    }
    if !ag.earlier.is_empty() {
        let last = from.pred_opt().unwrap_or(from);
        writeln!(
            o,
            "\nDue {today} .. {last}, before this range, not overdue ({})",
            ag.earlier.len()
        )?;
        for i in &ag.earlier {
            writeln!(o, "  {}", lines.line(i, false))?;
        }
    }
    for d in &ag.days {
        let mark = if d.date == today { " (today)" } else { "" };
        writeln!(
            o,
            "\n{} {}{mark} ({})",
            d.date.format("%a"),
            d.date,
            d.items.len()
        )?;
        for i in &d.items {
            writeln!(o, "  {}", lines.line(i, false))?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct DueListJson<'a> {
    today: NaiveDate,
    items: Vec<DueJson<'a>>,
}

pub fn due(ctx: &Context, a: &DueArgs) -> anyhow::Result<()> {
    let today = ctx.today;
    let snap = ctx.store.roster_kept()?;
    let entries = entries(&snap);
    let ag = planner::agenda(&entries, &snap.settings, today, today, today);
    let names = Names::new(snap.rows.iter().map(|(c, _)| c));
    let cur = snap.settings.default_currency.as_str();
    let pieces = Suggestions::load(&ctx.store)?;
    let items: Vec<&AgendaItem> = ag
        .overdue
        .iter()
        .chain(ag.days.iter().flat_map(|d| d.items.iter()))
        .collect();
    if a.json {
        return print_json(&DueListJson {
            today,
            items: items
                .iter()
                .map(|i| {
                    DueJson::new(&i.due, names.get(i.due.contact))
                        .with_piece(pieces.for_due(&i.due))
                })
                .collect(),
        });
    }
    let mut o = super::output::stdout();
    let lines = DueLines {
        names: &names,
        pieces: &pieces,
        cur,
    };
    for i in items {
        writeln!(o, "{}", lines.line(i, true))?;
    }
    o.flush()?;
    Ok(())
}

#[derive(Serialize, Clone, Copy)]
struct YearJson {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Serialize)]
struct LybuntItemJson<'a> {
    contact_id: u64,
    name: &'a str,
    company: Option<&'a str>,
    last_year_cents: i64,
    /// Last year's sales per currency (`last_year_cents` adds cents whatever their currency).
    last_year: &'a [planner::lybunt::Amount],
    last_sale: Option<NaiveDate>,
    at_risk: bool,
}

#[derive(Serialize)]
struct LybuntJson<'a> {
    today: NaiveDate,
    previous_year: YearJson,
    current_year: YearJson,
    total_cents: i64,
    at_risk_cents: i64,
    /// The totals per currency (`total_cents` adds cents whatever their currency).
    totals: &'a [planner::lybunt::CurrencyTotal],
    items: Vec<LybuntItemJson<'a>>,
}

pub fn lybunt(ctx: &Context, a: &LybuntArgs) -> anyhow::Result<()> {
    let today = ctx.today;
    let snap = ctx.store.roster_kept()?;
    let entries = entries(&snap);
    let mut list = planner::lybunt(&entries, &snap.settings, today);
    if a.at_risk {
        list.retain(|l| l.at_risk);
    }
    let (cur_start, cur_end) = fiscal_year(today, snap.settings.fiscal_year_start_month);
    let prev_end = cur_start.pred_opt().unwrap_or(cur_start);
    let (prev_start, _) = fiscal_year(prev_end, snap.settings.fiscal_year_start_month);
    let mut sales = Vec::new();
    for l in &list {
        sales.extend(ctx.store.sales_of(l.contact)?);
    }
    let (each, totals) = planner::lybunt::per_currency(&list, &sales, prev_start, prev_end);
    let report = LybuntReport {
        today,
        previous_year: YearJson {
            start: prev_start,
            end: prev_end,
        },
        current_year: YearJson {
            start: cur_start,
            end: cur_end,
        },
        names: Names::new(snap.rows.iter().map(|(c, _)| c)),
        cur: snap.settings.default_currency.as_str(),
        list,
        each,
        totals,
    };
    if a.json {
        return print_json(&report.json());
    }
    let mut o = super::output::stdout();
    report.write(&mut o)?;
    o.flush()?;
    Ok(())
}

/// The LYBUNT list with last year's sales of each contact and the totals, per currency.
struct LybuntReport<'a> {
    today: NaiveDate,
    previous_year: YearJson,
    current_year: YearJson,
    names: Names<'a>,
    /// The diary's currency.
    cur: &'a str,
    list: Vec<planner::lybunt::LybuntEntry>,
    each: BTreeMap<ContactId, Vec<planner::lybunt::Amount>>,
    totals: Vec<planner::lybunt::CurrencyTotal>,
}

impl LybuntReport<'_> {
    fn json(&self) -> LybuntJson<'_> {
        let list = &self.list;
        LybuntJson {
            today: self.today,
            previous_year: self.previous_year,
            current_year: self.current_year,
            total_cents: list.iter().map(|l| l.last_year_cents).sum(),
            at_risk_cents: list
                .iter()
                .filter(|l| l.at_risk)
                .map(|l| l.last_year_cents)
                .sum(),
            totals: &self.totals,
            items: list
                .iter()
                .map(|l| {
                    let c = self.names.get(l.contact);
                    LybuntItemJson {
                        contact_id: l.contact.0,
                        name: c.map_or("", |c| c.name.as_str()),
                        company: c.and_then(|c| c.company.as_deref()),
                        last_year_cents: l.last_year_cents,
                        last_year: self.each.get(&l.contact).map_or(&[], Vec::as_slice),
                        last_sale: l.last_sale,
                        at_risk: l.at_risk,
                    }
                })
                .collect(),
        }
    }

    /// A summary line, then one line per contact (`!!` at risk).
    fn write(&self, o: &mut impl Write) -> std::io::Result<()> {
        let (cur, totals) = (self.cur, &self.totals);
        let (prev, cur_start) = (&self.previous_year, self.current_year.start);
        writeln!(
            o,
            "LYBUNT: bought {}..{}, nothing since {cur_start}: {} contacts, {} at stake ({} at risk: less than a quarter of the year left)",
            prev.start,
            prev.end,
            self.list.len(),
            amounts(totals.iter().map(|t| (t.currency.as_str(), t.cents)), cur),
            amounts(
                totals
                    .iter()
                    .filter(|t| t.at_risk_cents > 0)
                    .map(|t| (t.currency.as_str(), t.at_risk_cents)),
                cur
            )
        )?;
        for l in &self.list {
            let who = self
                .names
                .get(l.contact)
                .map_or_else(|| format!("c{}", l.contact), |c| c.label());
            let value = amounts(
                self.each
                    .get(&l.contact)
                    .into_iter()
                    .flatten()
                    .map(|a| (a.currency.as_str(), a.cents)),
                cur,
            );
            writeln!(
                o,
                "{} c{:<6} {:>18}  last sale {}  {who}",
                if l.at_risk { "!!" } else { "  " },
                l.contact,
                value,
                l.last_sale
                    .map_or_else(|| "-".to_string(), |d| d.to_string()),
            )?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct Who<'a> {
    contact_id: u64,
    name: &'a str,
    company: Option<&'a str>,
}

#[derive(Serialize)]
struct ReviewJson<'a> {
    move_forward_or_out: Vec<Who<'a>>,
    adrift: Vec<Who<'a>>,
    unreachable: Vec<Who<'a>>,
    /// What the last `tickler sync` listed (fields both sides changed...).
    sync_cases: Vec<crate::sync::plan::Case>,
    /// Strangers who wrote often (captured mail).
    possible_contacts: Vec<PossibleJson<'a>>,
}

#[derive(Serialize)]
struct PossibleJson<'a> {
    address: &'a str,
    name: &'a str,
    messages: u32,
    last: NaiveDate,
}

pub fn review(ctx: &Context, a: &ReviewArgs) -> anyhow::Result<()> {
    let snap = ctx.store.roster_kept()?;
    let entries = entries(&snap);
    let r = planner::review(&entries, &snap.settings, ctx.today);
    let names = Names::new(snap.rows.iter().map(|(c, _)| c));
    let sync_cases = crate::sync::account::last_cases(&ctx.store)?;
    let possible = crate::actions::capture::possible_contacts(&ctx.store)?;
    if a.json {
        return print_json(&ReviewJson {
            move_forward_or_out: who(&names, &r.move_forward_or_out),
            adrift: who(&names, &r.adrift),
            unreachable: who(&names, &r.unreachable),
            sync_cases,
            possible_contacts: possible
                .iter()
                .map(|p| PossibleJson {
                    address: &p.address,
                    name: &p.name,
                    messages: p.messages,
                    last: p.last,
                })
                .collect(),
        });
    }
    let mut o = super::output::stdout();
    write_review_lists(&mut o, &r, &names)?;
    write_sync_cases(&mut o, &sync_cases)?;
    write_possible(&mut o, &possible)?;
    o.flush()?;
    Ok(())
}

/// Each contact of `ids` with its name and company.
fn who<'a>(names: &Names<'a>, ids: &[ContactId]) -> Vec<Who<'a>> {
    ids.iter()
        .map(|id| {
            let c = names.get(*id);
            Who {
                contact_id: id.0,
                name: c.map_or("", |c| c.name.as_str()),
                company: c.and_then(|c| c.company.as_deref()),
            }
        })
        .collect()
}

/// The review's three lists, each with the command that clears it.
fn write_review_lists(o: &mut impl Write, r: &Review, names: &Names) -> std::io::Result<()> {
    let sections: [(&str, &[ContactId], &str); 3] = [
        (
            "Move forward or move out",
            &r.move_forward_or_out,
            "`tickler move CONTACT STAGE`",
        ),
        (
            "Adrift (nothing planned)",
            &r.adrift,
            "`tickler plan CONTACT`",
        ),
        (
            "Unreachable (no email, phone or address)",
            &r.unreachable,
            "`tickler edit CONTACT --add-email ...`",
        ),
    ];
    for (title, ids, fix) in sections {
        writeln!(o, "{title} ({}): {fix}", ids.len())?;
        for w in who(names, ids) {
            let label = match w.company {
                Some(co) => format!("{} ({co})", w.name),
                None => w.name.to_string(),
            };
            writeln!(o, "  c{:<6} {label}", w.contact_id)?;
        }
    }
    Ok(())
}

/// What the last `tickler sync` listed, when it listed anything.
fn write_sync_cases(o: &mut impl Write, cases: &[crate::sync::plan::Case]) -> std::io::Result<()> {
    if cases.is_empty() {
        return Ok(());
    }
    writeln!(
        o,
        "Last sync ({}): see the notes of each contact",
        cases.len()
    )?;
    for c in cases {
        writeln!(o, "  {} {}: {}", c.kind.as_str(), c.uid, c.note)?;
    }
    Ok(())
}

/// Strangers who wrote often (captured mail), when there are any.
fn write_possible(o: &mut impl Write, possible: &[PossibleContact]) -> std::io::Result<()> {
    if possible.is_empty() {
        return Ok(());
    }
    writeln!(
        o,
        "Possible new contacts (wrote {}+ times; captured mail): `tickler add NAME --email ADDRESS`",
        crate::actions::capture::WRITES_OFTEN
    )?;
    for p in possible {
        writeln!(
            o,
            "  {:<32} {}  {} messages, last {}",
            crate::sanitize::line(&p.address),
            crate::sanitize::line(&p.name),
            p.messages,
            p.last
        )?;
    }
    Ok(())
}
