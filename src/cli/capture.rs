//! `tickler capture mail|calendar`: read where mail and meetings already are, log what happened
//! as touches (one action, one undo), print what was logged and what was skipped and why.

use super::context::Context;
use super::error::user;
use super::output::{TouchJson, print_json};
use crate::actions::capture::{CaptureItems, CaptureOutcome, CaptureRequest, capture};
use crate::capture::{Unreadable, ics, mail};
use crate::dates::parse_date;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum CaptureCommand {
    /// Log e-mails between your addresses (setting my_addresses) and contacts, from Maildirs,
    /// mbox files, folders of .eml files, or a notmuch query (headers only).
    Mail(MailArgs),
    /// Log past meetings with contacts (organizer or attendee) from .ics files or a vdir.
    Calendar(CalendarArgs),
}

#[derive(Debug, Args)]
pub struct MailArgs {
    /// Maildirs, mbox files, .eml files or folders of them.
    #[arg(value_name = "PATH", required_unless_present = "notmuch")]
    pub paths: Vec<PathBuf>,
    /// Read the files `notmuch search --output=files QUERY` lists.
    #[arg(long, value_name = "QUERY")]
    pub notmuch: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// .ics files, or folders of them (a vdir).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Leave out what is dated before this day (e.g. 2026-01-01, -3m).
    #[arg(long, allow_hyphen_values = true, value_name = "DATE")]
    pub since: Option<String>,
    /// Show what would be logged; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outcome as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

pub fn capture_cmd(ctx: &Context, cmd: &CaptureCommand) -> anyhow::Result<()> {
    let (items, unreadable, common) = match cmd {
        CaptureCommand::Mail(a) => {
            let mut read = mail::read_paths(&a.paths).map_err(|e| user(e.to_string()))?;
            if let Some(q) = &a.notmuch {
                let more = mail::read_notmuch(q).map_err(|e| user(e.to_string()))?;
                read.items.extend(more.items);
                read.unreadable.extend(more.unreadable);
            }
            (CaptureItems::Mail(read.items), read.unreadable, &a.common)
        }
        CaptureCommand::Calendar(a) => {
            let read = ics::read_paths(&a.paths, ctx.today).map_err(|e| user(e.to_string()))?;
            (
                CaptureItems::Calendar(read.items),
                read.unreadable,
                &a.common,
            )
        }
    };
    let since = common
        .since
        .as_deref()
        .map(|s| parse_date(s, ctx.today))
        .transpose()?;
    let req = CaptureRequest {
        items,
        since,
        dry_run: common.dry_run,
    };
    let out = capture(&ctx.store, &req, ctx.today)?;
    if common.json {
        return print_json(&CaptureJson::new(&out, &unreadable));
    }
    super::output::say!("{}", out.message())?;
    for line in out.lines() {
        super::output::say!("{line}")?;
    }
    for u in &unreadable {
        super::output::note!("note: {} could not be read: {}", u.path.display(), u.why)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct CaptureJson<'a> {
    source: &'static str,
    dry_run: bool,
    examined: usize,
    logged: Vec<LoggedJson<'a>>,
    skipped: Vec<SkippedJson<'a>>,
    unreadable: Vec<UnreadableJson>,
    /// The run's number (null when nothing changed).
    run: Option<u64>,
}

#[derive(Serialize)]
struct LoggedJson<'a> {
    contact_id: u64,
    name: &'a str,
    /// What it came from: `mail:<Message-ID>`, `mail-hash:...` or `calendar:<UID>:<date>`.
    key: &'a str,
    touch: TouchJson<'a>,
}

#[derive(Serialize)]
struct SkippedJson<'a> {
    reason: &'a str,
    count: u32,
}

#[derive(Serialize)]
struct UnreadableJson {
    path: String,
    why: String,
}

impl<'a> CaptureJson<'a> {
    fn new(out: &'a CaptureOutcome, unreadable: &[Unreadable]) -> Self {
        CaptureJson {
            source: out.source.as_str(),
            dry_run: out.dry_run,
            examined: out.examined,
            logged: out
                .logged
                .iter()
                .map(|(key, l)| LoggedJson {
                    contact_id: l.who.id.0,
                    name: &l.who.name,
                    key,
                    touch: TouchJson::new(&l.touch),
                })
                .collect(),
            skipped: out
                .skipped
                .iter()
                .map(|(reason, count)| SkippedJson {
                    reason,
                    count: *count,
                })
                .collect(),
            unreadable: unreadable
                .iter()
                .map(|u| UnreadableJson {
                    path: u.path.display().to_string(),
                    why: u.why.clone(),
                })
                .collect(),
            run: out.run,
        }
    }
}
