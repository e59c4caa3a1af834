//! Verbs that record or plan contact moments: log, plan, snooze, sale.

use super::context::Context;
use super::error::{GuardRefused, user};
use super::output::{money, when};
use super::resolve;
use crate::actions;
use crate::dates::parse_date;
use crate::model::{Channel, Contact, Direction, validate};
use crate::planner::{self, Entry, Facts};
use chrono::NaiveDate;
use clap::Args;

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// How: call, email, meeting, letter, postcard, newsletter, mass-mailing, sample,
    /// handwritten-note, birthday-card, gift, other.
    #[arg(long, short, default_value = "call")]
    pub channel: String,
    /// When it happened (default today; never in the future).
    #[arg(long, short)]
    pub date: Option<String>,
    /// They reached out to us (inbound).
    #[arg(long = "in")]
    pub inbound: bool,
    /// What value was sent or said.
    #[arg(long, short, default_value = "")]
    pub summary: String,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// The day (default: the planner picks the lightest allowed day near the next due date).
    pub date: Option<String>,
    /// Channel (default: the planner's suggestion).
    #[arg(long, short)]
    pub channel: Option<String>,
    /// What to send or say.
    #[arg(long, short, default_value = "")]
    pub summary: String,
    /// Plan it even inside the annoyance guard.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// Until when (e.g. +1w, mon, 2027-01-15).
    pub until: String,
    /// Use exactly this day instead of the lightest day near it.
    #[arg(long)]
    pub exact: bool,
    /// Why.
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct SaleArgs {
    /// The contact: id (c12) or part of the name.
    pub contact: String,
    /// Amount, e.g. 1250 or 99.90 (positive).
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// Date of the sale (default today; never in the future).
    #[arg(long, short)]
    pub date: Option<String>,
    /// ISO currency code (default: the settings' currency).
    #[arg(long)]
    pub currency: Option<String>,
    /// A note on the sale (what was bought).
    #[arg(long, default_value = "")]
    pub note: String,
}

fn date_arg(arg: Option<&str>, today: NaiveDate) -> anyhow::Result<NaiveDate> {
    Ok(match arg {
        Some(s) => parse_date(s, today)?,
        None => today,
    })
}

fn channel_arg(s: &str) -> anyhow::Result<Channel> {
    s.parse::<Channel>().map_err(|e| user(e.to_string()))
}

/// The contact's next due after a change, as one human phrase.
fn next_phrase(ctx: &Context, c: &Contact) -> anyhow::Result<String> {
    let settings = ctx.store.settings()?;
    let facts = ctx.store.facts(c.id)?;
    let categories = ctx.store.categories()?;
    let category = c
        .category
        .and_then(|id| categories.iter().find(|k| k.id == id));
    let due = planner::next_due(
        Entry {
            contact: &c.profile(),
            facts: &facts,
            category,
        },
        &settings,
        ctx.today,
    );
    Ok(match due {
        Some(d) => format!(
            "next: {} {} [{}]",
            when(d.date, ctx.today),
            d.channel,
            d.reason.as_str()
        ),
        None => "no next touch (archived)".to_string(),
    })
}

pub fn log(ctx: &Context, a: &LogArgs) -> anyhow::Result<()> {
    let contact = resolve::contact(&ctx.store, &a.contact)?;
    let channel = channel_arg(&a.channel)?;
    let date = date_arg(a.date.as_deref(), ctx.today)?;
    if date > ctx.today {
        return Err(user(format!(
            "{date} is in the future: log what happened, and use `tickler plan` for what will"
        )));
    }
    let summary = validate::text("summary", &a.summary, validate::MAX_SUMMARY_BYTES)?;
    let direction = if a.inbound {
        Direction::In
    } else {
        Direction::Out
    };
    let settings = ctx.store.settings()?;
    let facts = ctx.store.facts(contact.id)?;
    // The earliest planned touch that was due by then is the one this touch makes.
    let completes = facts.planned.iter().find(|p| p.date <= date).map(|p| p.id);
    if direction == Direction::Out
        && let Err(conflict) = planner::check_guard(&facts, &settings, date, completes)
    {
        eprintln!("note: c{} {}: {conflict}", contact.id, contact.name);
    }
    let touch = actions::log_touch(
        &ctx.store,
        &contact,
        &facts,
        &actions::Logged {
            channel,
            date,
            direction,
            summary,
        },
        ctx.today,
    )?;
    let mut after = contact.clone();
    after.snooze = None;
    println!(
        "Logged {} with c{} {} (t{}); {}",
        touch.channel,
        contact.id,
        contact.label(),
        touch.id,
        next_phrase(ctx, &after)?
    );
    Ok(())
}

pub fn plan(ctx: &Context, a: &PlanArgs) -> anyhow::Result<()> {
    let contact = resolve::contact(&ctx.store, &a.contact)?;
    if !contact.stage.is_kept() {
        return Err(user(format!(
            "c{} is archived: `tickler restore c{}` first",
            contact.id, contact.id
        )));
    }
    let summary = validate::text("summary", &a.summary, validate::MAX_SUMMARY_BYTES)?;
    let settings = ctx.store.settings()?;
    let facts = ctx.store.facts(contact.id)?;
    let categories = ctx.store.categories()?;
    let category = contact
        .category
        .and_then(|id| categories.iter().find(|k| k.id == id));
    let channel = match &a.channel {
        Some(ch) => channel_arg(ch)?,
        None => planner::suggest::suggest_channel(&facts, category),
    };
    let (date, picked) = match &a.date {
        Some(d) => {
            let date = parse_date(d, ctx.today)?;
            if date < ctx.today {
                return Err(user(format!(
                    "{date} is in the past: plan a day from today on, or `tickler log` what happened"
                )));
            }
            if !a.force
                && let Err(conflict) = planner::check_guard(&facts, &settings, date, None)
            {
                return Err(GuardRefused(format!(
                    "not planned: c{} {}: {conflict}; pick another day or pass --force",
                    contact.id, contact.name
                ))
                .into());
            }
            (date, false)
        }
        None => {
            let wanted = planner::next_due(
                Entry {
                    contact: &contact.profile(),
                    facts: &facts,
                    category,
                },
                &settings,
                ctx.today,
            )
            .map_or(ctx.today, |d| d.date.max(ctx.today));
            (
                actions::level_day(&ctx.store, &settings, &facts, wanted, ctx.today)?,
                true,
            )
        }
    };
    let touch = actions::plan_touch(&ctx.store, &contact, date, channel, &summary)?;
    println!(
        "Planned {} with c{} {} on {}{} (t{})",
        touch.channel,
        contact.id,
        contact.label(),
        when(date, ctx.today),
        if picked {
            ", the lightest allowed day"
        } else {
            ""
        },
        touch.id
    );
    Ok(())
}

pub fn snooze(ctx: &Context, a: &SnoozeArgs) -> anyhow::Result<()> {
    let contact = resolve::contact(&ctx.store, &a.contact)?;
    if !contact.stage.is_kept() {
        return Err(user(format!(
            "c{} is archived: nothing to snooze",
            contact.id
        )));
    }
    let wanted = parse_date(&a.until, ctx.today)?;
    if wanted <= ctx.today {
        return Err(user(format!(
            "{wanted} is not in the future: snooze until a later day (e.g. +1w)"
        )));
    }
    let note = validate::text("note", &a.note, validate::MAX_SUMMARY_BYTES)?;
    let settings = ctx.store.settings()?;
    let facts: Facts = ctx.store.facts(contact.id)?;
    let until = if a.exact {
        wanted
    } else {
        actions::level_day(&ctx.store, &settings, &facts, wanted, ctx.today)?
    };
    let moved = actions::snooze(&ctx.store, &contact, &facts, until, &note, ctx.today)?;
    let near = if until == wanted {
        String::new()
    } else {
        format!(" (the lightest allowed day near {wanted})")
    };
    let moved = if moved > 0 {
        format!("; {moved} planned touch(es) moved there")
    } else {
        String::new()
    };
    println!(
        "Snoozed c{} {} until {until}{near}{moved}",
        contact.id,
        contact.label()
    );
    Ok(())
}

pub fn sale(ctx: &Context, a: &SaleArgs) -> anyhow::Result<()> {
    let contact = resolve::contact(&ctx.store, &a.contact)?;
    let amount_cents = validate::amount_cents(&a.amount)?;
    let date = date_arg(a.date.as_deref(), ctx.today)?;
    if date > ctx.today {
        return Err(user(format!(
            "{date} is in the future: record sales once made"
        )));
    }
    let settings = ctx.store.settings()?;
    let currency = validate::currency(a.currency.as_deref().unwrap_or(&settings.default_currency))?;
    let note = validate::text("note", &a.note, validate::MAX_SUMMARY_BYTES)?;
    let sale = actions::record_sale(&ctx.store, &contact, date, amount_cents, &currency, &note)?;
    println!(
        "Recorded sale s{} of {} {} for c{} {} on {date}",
        sale.id,
        money(sale.amount_cents),
        sale.currency,
        contact.id,
        contact.label()
    );
    if contact.stage.is_prospect() {
        println!(
            "hint: c{} is still a {}: `tickler move c{} customer`",
            contact.id, contact.stage, contact.id
        );
    }
    Ok(())
}
