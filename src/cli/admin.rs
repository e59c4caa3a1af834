//! Housekeeping verbs: undo, demo, check, category, settings.

use super::Global;
use super::context::{self, Context};
use super::error::{CheckFailed, user};
use super::output::print_json;
use crate::actions::{ActionError, CategoryAdd, CategoryEdit, Request};
use crate::model::{Cadence, Channel, Settings};
use crate::store::{InvariantReport, Store, StoreError};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// List the actions that can be undone (newest first) instead of undoing.
    #[arg(long)]
    pub list: bool,
    /// Print the result as JSON (shapes in the README).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many contacts to generate.
    #[arg(long, default_value_t = 1000)]
    pub contacts: usize,
    /// Seed: the same seed and count give the same diary.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum CategoryCommand {
    /// Add a category.
    Add(CategoryAddArgs),
    /// Change a category.
    Edit(CategoryEditArgs),
    /// List the categories.
    List {
        /// Print the categories as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct CategoryAddArgs {
    pub name: String,
    /// Default cadence of its contacts: 30d, 6w, 3m.
    #[arg(long)]
    pub cadence: String,
    /// 1 is the highest.
    #[arg(long, default_value_t = 5)]
    pub priority: u8,
    /// Channel mix, favourite first, comma-separated (e.g. call,email,handwritten-note).
    #[arg(long, value_delimiter = ',')]
    pub channels: Vec<String>,
    /// A newsletter or mass mailing restarts the cadence clock for this category.
    #[arg(long)]
    pub broadcasts_suffice: bool,
    /// What the category is for.
    #[arg(long, default_value = "")]
    pub description: String,
}

#[derive(Debug, Args)]
pub struct CategoryEditArgs {
    /// The category: name or id.
    pub category: String,
    /// New name.
    #[arg(long)]
    pub name: Option<String>,
    /// New default cadence: 30d, 6w, 3m.
    #[arg(long)]
    pub cadence: Option<String>,
    /// New priority (1 is the highest).
    #[arg(long)]
    pub priority: Option<u8>,
    /// New channel mix, favourite first, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub channels: Option<Vec<String>>,
    /// Whether a newsletter or mass mailing restarts the cadence clock (true/false).
    #[arg(long)]
    pub broadcasts_suffice: Option<bool>,
    /// New description.
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting.
    Show {
        /// Print the settings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change one setting, e.g. `tickler settings set min_gap_days 5`.
    Set { key: String, value: String },
}

pub fn undo(ctx: &Context, a: &UndoArgs) -> anyhow::Result<()> {
    if a.list {
        let log = ctx.store.undo_log()?;
        if a.json {
            return print_json(&log);
        }
        if log.is_empty() {
            super::output::say!("nothing to undo")?;
        }
        for e in log {
            super::output::say!("{:>6}  {}", e.seq, e.label)?;
        }
        return Ok(());
    }
    match ctx.store.undo()? {
        Some(label) => super::output::say!("Undid: {label}")?,
        None => super::output::say!("nothing to undo")?,
    }
    Ok(())
}

pub fn demo(global: &Global, a: &DemoArgs) -> anyhow::Result<()> {
    if a.contacts == 0 || a.contacts > 1_000_000 {
        return Err(user("--contacts must be between 1 and 1000000"));
    }
    let today = context::resolve_today(global.today.as_deref())?;
    let path = if global.demo {
        let p = context::demo_path()?;
        if p.exists() {
            std::fs::remove_file(&p)?;
        }
        p
    } else {
        context::db_path(global.db.as_deref())?
    };
    let started = std::time::Instant::now();
    let bulk = crate::demo::generate(a.contacts, a.seed, today);
    let (contacts, touches, sales) = (bulk.contacts.len(), bulk.touches.len(), bulk.sales.len());
    let store = Store::open_waiting(&path, context::LOCK_WAIT)?;
    store.load_bulk(bulk)?;
    drop(store);
    super::output::say!(
        "Generated {contacts} contacts, {touches} touches and {sales} sales (seed {}, today {today}) in {} in {:.1} s",
        a.seed,
        path.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

#[derive(Serialize)]
struct CheckJson<'a> {
    path: String,
    sound: bool,
    /// `sound`, or `repaired` when redb found damage and repaired the file's structure.
    redb: &'static str,
    contacts: u64,
    touches: u64,
    sales: u64,
    problem_count: usize,
    problems: &'a [String],
}

/// `tickler check`: redb's integrity check of every page, then tickler's invariants (indexes, roster
/// rows, id counters). Exit 0 when sound, 4 (with what was found) when not, 1 when the file cannot
/// be checked (missing, locked, not a tickler file).
pub fn check(global: &Global, a: &CheckArgs) -> anyhow::Result<()> {
    let path = if global.demo {
        context::demo_path()?
    } else {
        context::db_path(global.db.as_deref())?
    };
    if !path.exists() {
        return Err(anyhow::anyhow!(
            "there is no database at {}: nothing to check (pass the file with --db or TICKLER_DB)",
            path.display()
        ));
    }
    let shown = path.display().to_string();
    let (redb_sound, report) = run_checks(&path, &shown)?;
    let sound = redb_sound && report.is_sound();
    if a.json {
        print_json(&CheckJson {
            path: shown.clone(),
            sound,
            redb: if redb_sound { "sound" } else { "repaired" },
            contacts: report.contacts,
            touches: report.touches,
            sales: report.sales,
            problem_count: report.problem_count,
            problems: &report.problems,
        })?;
    } else {
        for p in &report.problems {
            super::output::note!("  problem: {p}")?;
        }
        if report.problem_count > report.problems.len() {
            super::output::note!(
                "  ... and {} more",
                report.problem_count - report.problems.len()
            )?;
        }
    }
    verdict(&shown, redb_sound, &report)?;
    if !a.json {
        super::output::say!(
            "{shown} is sound: every page checks out; {} contacts, {} touches and {} sales agree with \
             their indexes and roster rows",
            report.contacts,
            report.touches,
            report.sales
        )?;
    }
    Ok(())
}

/// redb's integrity check (whether the file was sound) and tickler's invariants, on a private
/// copy taken under the shared lock (see store::copy): a writer waits only while it is taken, not
/// for the whole check. Its pages are the file's, byte for byte.
fn run_checks(path: &Path, shown: &str) -> anyhow::Result<(bool, InvariantReport)> {
    let store = Store::open_copy(path, context::LOCK_WAIT).map_err(check_failed)?;
    let redb_sound = store
        .check_integrity()
        .map_err(|e| match store.on_original(e) {
            StoreError::Damaged { detail, .. } => anyhow::Error::new(CheckFailed(format!(
                "check failed: {shown} is damaged ({detail}): restore a backup (`tickler backup` \
             keeps them in backups/ beside the database)"
            ))),
            other => check_failed(other),
        })?;
    let report = store
        .check_invariants()
        .map_err(|e| check_failed(store.on_original(e)))?;
    Ok((redb_sound, report))
}

/// A damaged or undecodable file is a failed check (exit 4); other errors stay what they are.
fn check_failed(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Damaged { .. } | StoreError::Codec { .. } => {
            anyhow::Error::new(CheckFailed(format!("check failed: {e}")))
        }
        other => anyhow::Error::new(other),
    }
}

/// The check's failure, with what to do, when redb repaired the file or an invariant is broken.
fn verdict(shown: &str, redb_sound: bool, report: &InvariantReport) -> anyhow::Result<()> {
    if !redb_sound {
        return Err(anyhow::Error::new(CheckFailed(format!(
            "{shown} was damaged: redb repaired its structure, but records in damaged pages may be \
             lost; compare with your newest backup (`tickler backup` keeps them in backups/ beside \
             the database)"
        ))));
    }
    if !report.is_sound() {
        return Err(anyhow::Error::new(CheckFailed(format!(
            "{shown} is inconsistent ({} problems): restore a backup, or rebuild it with \
             `tickler export --format json -o diary.json` and `tickler --db NEW import diary.json`",
            report.problem_count
        ))));
    }
    Ok(())
}

fn channels(list: &[String]) -> Result<Vec<Channel>, ActionError> {
    list.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| super::touches::channel(s))
        .collect()
}

fn cadence(s: &str) -> Result<Cadence, ActionError> {
    s.parse::<Cadence>().map_err(ActionError::BadValue)
}

/// The action a `category add|edit` stands for (`None` for `list`).
pub fn category_request(cmd: &CategoryCommand) -> Option<Result<Request, ActionError>> {
    let build = || -> Result<Request, ActionError> {
        Ok(match cmd {
            CategoryCommand::Add(a) => Request::CategoryAdd(CategoryAdd {
                name: a.name.clone(),
                cadence: cadence(&a.cadence)?,
                priority: a.priority,
                channels: channels(&a.channels)?,
                broadcasts_suffice: a.broadcasts_suffice,
                description: a.description.clone(),
            }),
            CategoryCommand::Edit(a) => Request::CategoryEdit(CategoryEdit {
                category: a.category.clone(),
                name: a.name.clone(),
                cadence: a.cadence.as_deref().map(cadence).transpose()?,
                priority: a.priority,
                channels: a.channels.as_deref().map(channels).transpose()?,
                broadcasts_suffice: a.broadcasts_suffice,
                description: a.description.clone(),
            }),
            CategoryCommand::List { .. } => {
                return Err(ActionError::BadValue("not an action".to_string()));
            }
        })
    };
    match cmd {
        CategoryCommand::List { .. } => None,
        _ => Some(build()),
    }
}

#[derive(Serialize)]
struct CategoryJson<'a> {
    id: u64,
    name: &'a str,
    cadence: String,
    priority: u8,
    channels: Vec<&'static str>,
    broadcasts_suffice: bool,
    description: &'a str,
}

pub fn category(ctx: &Context, cmd: CategoryCommand) -> anyhow::Result<()> {
    let CategoryCommand::List { json } = cmd else {
        // Add and edit are actions (see `category_request`).
        return Ok(());
    };
    let existing = ctx.store.categories()?;
    let rows: Vec<CategoryJson> = existing
        .iter()
        .map(|k| CategoryJson {
            id: k.id.0,
            name: &k.name,
            cadence: k.cadence.to_string(),
            priority: k.priority,
            channels: k.channel_mix.iter().map(|c| c.as_str()).collect(),
            broadcasts_suffice: k.broadcasts_suffice,
            description: &k.description,
        })
        .collect();
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        super::output::say!("no categories yet: `tickler category add NAME --cadence 30d`")?;
    }
    for r in rows {
        super::output::say!(
            "k{:<3} {:<24} every {:<5} priority {}  {}{}",
            r.id,
            r.name,
            r.cadence,
            r.priority,
            r.channels.join(","),
            if r.broadcasts_suffice {
                "  (broadcasts suffice)"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}

/// Settings as `key -> shown value`, in declaration order.
fn settings_rows(s: &Settings) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let value = serde_json::to_value(s)?;
    let map = value
        .as_object()
        .ok_or_else(|| anyhow::anyhow!("settings did not serialize to an object"))?;
    let mut rows = Vec::new();
    for (k, v) in map {
        let shown = match k.as_str() {
            "default_cadence" => serde_json::Value::String(s.default_cadence.to_string()),
            "stay_in_touch_cadence" => {
                serde_json::Value::String(s.stay_in_touch_cadence.to_string())
            }
            _ => v.clone(),
        };
        rows.push((k.clone(), shown));
    }
    Ok(rows)
}

pub fn settings(ctx: &Context, cmd: SettingsCommand) -> anyhow::Result<()> {
    let current = ctx.store.settings()?;
    match cmd {
        SettingsCommand::Show { json } => {
            let mut rows = settings_rows(&current)?;
            let sync = ctx.store.sync_meta()?;
            for name in crate::sync::account::SETTING_NAMES {
                let v = sync.get(name).cloned().unwrap_or_default();
                rows.push((name.to_string(), serde_json::Value::String(v)));
            }
            if json {
                let map: serde_json::Map<String, serde_json::Value> = rows.into_iter().collect();
                return print_json(&map);
            }
            let mut o = super::output::stdout();
            for (k, v) in rows {
                let shown = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                writeln!(o, "{k:<26} {shown}")?;
            }
        }
        // An action (see `super::request_of`).
        SettingsCommand::Set { .. } => {}
    }
    Ok(())
}
