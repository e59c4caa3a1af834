//! `tickler sync`: a two-way sync with a CalDAV/CardDAV account or a vdir (see `crate::sync`).

use super::Context;
use super::output::print_json;
use crate::sync::account;
use crate::sync::engine::{Counts, Report};
use clap::Args;
use std::io::Write as _;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The server's address (its base or principal URL) or a local directory (written as a vdir);
    /// remembered as the setting sync_url.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The account's user name; remembered as the setting sync_username. The password comes from
    /// TICKLER_SYNC_PASSWORD or the setting sync_password_command.
    #[arg(long, value_name = "NAME")]
    pub username: Option<String>,
    /// Show what would change on both sides; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print what the sync did as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn sync(ctx: &Context, a: &SyncArgs) -> anyhow::Result<()> {
    let acct = account::account(&ctx.store, a.url.as_deref(), a.username.as_deref())?;
    let report = account::run(&ctx.store, &acct, ctx.today, a.dry_run)?;
    if a.json {
        return print_json(&report);
    }
    print_report(&report)
}

fn counts(c: &Counts) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (c.contacts, "contact"),
        (c.follow_ups, "follow-up"),
        (c.history, "history item"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}{}", if n == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

fn print_report(r: &Report) -> anyhow::Result<()> {
    let mut o = super::output::stdout();
    let verb = if r.dry_run { "Would sync" } else { "Synced" };
    writeln!(o, "{verb} with {}", r.location)?;
    let here = if r.dry_run {
        "would change here"
    } else {
        "changed here"
    };
    writeln!(
        o,
        "  {here}: {} ({} read)",
        r.applied.len(),
        counts(&r.fetched)
    )?;
    for line in &r.applied {
        writeln!(o, "    {line}")?;
    }
    let there = if r.dry_run {
        "would write there"
    } else {
        "written there"
    };
    writeln!(
        o,
        "  {there}: created {}; updated {}; deleted {}",
        counts(&r.created),
        counts(&r.updated),
        counts(&r.deleted)
    )?;
    if !r.cases.is_empty() {
        writeln!(o, "  {} to look at:", r.cases.len())?;
        for c in &r.cases {
            writeln!(o, "    {} {}: {}", c.kind.as_str(), c.uid, c.note)?;
        }
    }
    Ok(())
}
