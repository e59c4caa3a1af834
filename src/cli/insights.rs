//! `tickler insights`: the figures of the insights pane, as a compact table or as JSON (the
//! `Insights` struct as it is: the pane draws the very same values).

use super::context::Context;
use super::output::{amounts, money, print_json};
use crate::planner::Insights;
use crate::planner::insights::percent;
use clap::Args;
use std::io::Write;

#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

pub fn insights(ctx: &Context, a: &InsightsArgs) -> anyhow::Result<()> {
    let figures = crate::actions::insights(&ctx.store, ctx.today)?;
    if a.json {
        return print_json(&figures);
    }
    let mut o = super::output::stdout();
    let currency = ctx.store.settings()?.default_currency;
    write_table(&mut o, &figures, &currency)?;
    o.flush()?;
    Ok(())
}

/// Eight levels of a text sparkline.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// `values` as a one-line sparkline scaled to its own maximum (blank for zero).
pub fn sparkline(values: &[u32]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if v == 0 || max == 0 {
                ' '
            } else {
                let i = u64::from(v) * 7 / u64::from(max);
                BARS[usize::try_from(i).unwrap_or(7).min(7)]
            }
        })
        .collect()
}

fn pct(p: Option<u32>) -> String {
    p.map_or_else(|| "-".to_string(), |p| format!("{p}%"))
}

fn write_table(o: &mut impl Write, i: &Insights, currency: &str) -> std::io::Result<()> {
    writeln!(o, "Insights on {}", i.today)?;
    write_keeping_in_touch(o, i)?;
    write_lybunt(o, i, currency)?;
    write_pipeline(o, i)?;
    write_no_reasons(o, i)?;
    write_channels(o, i)?;
    Ok(())
}

/// The share of kept contacts within their cadence, and touches per week.
fn write_keeping_in_touch(o: &mut impl Write, i: &Insights) -> std::io::Result<()> {
    let k = &i.keeping_in_touch;
    writeln!(
        o,
        "\nKeeping in touch: {} of {} kept contacts within their cadence ({}), {} at risk, {} adrift",
        k.within_cadence,
        k.kept,
        pct(k.within_cadence_percent),
        k.at_risk,
        k.adrift
    )?;
    let personal: Vec<u32> = k.weeks.iter().map(|w| w.personal).collect();
    let broadcast: Vec<u32> = k.weeks.iter().map(|w| w.broadcast).collect();
    let first = k.weeks.first().map(|w| w.start).unwrap_or(i.today);
    writeln!(
        o,
        "  touches per week since {first} (the last week ends today):"
    )?;
    writeln!(o, "  personal   |{}| {}", sparkline(&personal), k.personal)?;
    writeln!(
        o,
        "  broadcast  |{}| {}",
        sparkline(&broadcast),
        k.broadcast
    )?;
    Ok(())
}

/// LYBUNT: the contacts and money at stake, by month of last purchase.
fn write_lybunt(o: &mut impl Write, i: &Insights, currency: &str) -> std::io::Result<()> {
    let l = &i.lybunt;
    writeln!(
        o,
        "\nLYBUNT: bought {}..{}, nothing since: {} contacts, {} at stake, {}",
        l.from,
        l.to,
        l.contacts,
        amounts(
            l.totals.iter().map(|t| (t.currency.as_str(), t.cents)),
            currency
        ),
        l.risk_phrase(&amounts(
            l.totals
                .iter()
                .filter(|t| t.at_risk_cents > 0)
                .map(|t| (t.currency.as_str(), t.at_risk_cents)),
            currency
        ))
    )?;
    writeln!(
        o,
        "  month of last purchase  contacts  last year's sales ({currency})"
    )?;
    for m in &l.months {
        writeln!(
            o,
            "  {:04}-{:02}                {:>8}  {:>17}",
            m.year,
            m.month,
            m.contacts,
            money(m.cents)
        )?;
    }
    Ok(())
}

/// Contacts per stage and the median time spent in it.
fn write_pipeline(o: &mut impl Write, i: &Insights) -> std::io::Result<()> {
    writeln!(
        o,
        "\nPipeline          contacts  median days in stage (stays)"
    )?;
    for s in &i.pipeline.stages {
        let median = s
            .median_days
            .map_or_else(|| "-".to_string(), |d| d.to_string());
        writeln!(
            o,
            "  {:<15} {:>8}  {:>6} ({})",
            s.stage.as_str(),
            s.contacts,
            median,
            s.stays
        )?;
    }
    Ok(())
}

/// The reasons of a "no", and how many came back within a year.
fn write_no_reasons(o: &mut impl Write, i: &Insights) -> std::io::Result<()> {
    let n = &i.no_reasons;
    writeln!(
        o,
        "\nWhy they said no: {} {}, {} came back within a year ({})",
        n.said_no,
        if n.said_no == 1 { "no" } else { "noes" },
        n.came_back,
        pct(percent(n.came_back, n.said_no))
    )?;
    writeln!(o, "  reason                     said no  came back")?;
    for r in &n.reasons {
        writeln!(
            o,
            "  {:<25} {:>8}  {:>9} ({})",
            r.reason,
            r.said_no,
            r.came_back,
            pct(percent(r.came_back, r.said_no))
        )?;
    }
    writeln!(
        o,
        "  {:<25} {:>8}  {:>9} ({})",
        "no-hurry (all)",
        n.no_hurry.said_no,
        n.no_hurry.came_back,
        pct(percent(n.no_hurry.came_back, n.no_hurry.said_no))
    )?;
    Ok(())
}

/// Touches per channel and how many were followed by a move forward or a sale.
fn write_channels(o: &mut impl Write, i: &Insights) -> std::io::Result<()> {
    let c = &i.channels;
    writeln!(
        o,
        "\nChannels {}..{}: {} touches, {} followed by a move forward or a sale within 60 days ({})",
        c.from,
        c.to,
        c.touches,
        c.followed,
        pct(percent(c.followed, c.touches))
    )?;
    writeln!(o, "  channel            touches  followed")?;
    for f in &c.channels {
        writeln!(
            o,
            "  {:<17} {:>8}  {:>8} ({})",
            f.channel.as_str(),
            f.touches,
            f.followed,
            pct(f.followed_percent)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_its_maximum() {
        assert_eq!(sparkline(&[0, 1, 4, 8]), " ▁▄█");
        assert_eq!(sparkline(&[0, 0]), "  ");
        assert_eq!(sparkline(&[]), "");
    }
}
