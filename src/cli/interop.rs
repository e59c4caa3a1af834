//! Interop verbs: import (vCard, CSV, JSON restore), export (CSV, JSON, iCalendar, vCard), merge,
//! backup, shell completions and the man page. File formats live in [`crate::interop`]; this
//! module parses arguments and prints reports.

use super::context::Context;
use super::error::user;
use super::output::print_json;
use super::resolve;
use crate::dates::parse_date;
use crate::interop::import::Imported;
use crate::interop::vcard::Version;
use crate::interop::{self, Format, ImportError, ImportOptions, Outcome, Plan, export, merge};
use crate::model::Stage;
use crate::store::StoreError;
use chrono::Days;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A .vcf (vCard 2.1/3.0/4.0), .csv (header row) or .json (a tickler export) file.
    pub file: PathBuf,
    /// Show what would be created, updated or skipped, and why; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Category of the contacts this import creates.
    #[arg(long)]
    pub category: Option<String>,
    /// Pipeline stage of the contacts this import creates [default: lead].
    #[arg(long)]
    pub stage: Option<String>,
    /// CSV: map a column to a field, e.g. --map "E-mail=email" (repeatable). Fields: name,
    /// first-name, middle-name, last-name, company, email, phone, address, address-part,
    /// birthday, birth-year, birth-month, birth-day, tags, notes, category, stage, cadence,
    /// no-reason, ignore.
    #[arg(long, value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// The file's character encoding (utf-8, windows-1252, iso-8859-15, utf-16le, shift_jis,
    /// gbk...) [default: detected, and said when it is not UTF-8].
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Ics,
    Vcf,
    /// Postal labels (CSV of name, company, address lines) for a selection.
    Labels,
    /// `Name <address>` lines for a selection.
    Emails,
}

/// The vCard version of `--format vcf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VcardVersion {
    #[value(name = "4.0")]
    V4,
    #[value(name = "3.0")]
    V3,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv: contacts; json: the whole diary (restorable with `tickler import`); ics: follow-ups
    /// and birthdays as all-day calendar events; vcf: contacts as vCards; labels: postal labels
    /// (CSV); emails: `Name <address>` lines (labels and emails: every kept contact, or a
    /// selection).
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// ics: first day of the range [default: today].
    #[arg(long)]
    pub from: Option<String>,
    /// ics: last day of the range [default: today + 90 days].
    #[arg(long)]
    pub to: Option<String>,
    /// csv: for Excel (a UTF-8 byte-order mark and CRLF line ends).
    #[arg(long)]
    pub excel: bool,
    /// vcf: the vCard version (3.0 for older phones).
    #[arg(long, value_enum, value_name = "VERSION", default_value = "4.0")]
    pub vcard: VcardVersion,
    /// vcf: write one file per contact (<UID>.vcf) into this directory (a vdir, as khard and
    /// vdirsyncer read), instead of one file.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub vdir: Option<PathBuf>,
    /// labels, emails: the contacts of a category, a tag, a stage (all given must match).
    #[command(flatten)]
    pub select: super::touches::SelectArgs,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The contact that stays.
    pub into: String,
    /// The contact merged into it (then archived with a note).
    pub from: String,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Directory of the backups [default: backups/ beside the database file].
    pub dir: Option<PathBuf>,
    /// Keep this many backups, deleting older ones [default: the `backups_kept` setting, 7].
    #[arg(long)]
    pub keep: Option<u32>,
}

fn input_error(e: ImportError) -> anyhow::Error {
    match e {
        ImportError::Store(s) => s.into(),
        other => user(other.to_string()),
    }
}

#[derive(Serialize)]
struct ImportJson<'a> {
    file: String,
    dry_run: bool,
    #[serde(flatten)]
    plan: &'a Plan,
}

pub fn import(ctx: &Context, a: &ImportArgs) -> anyhow::Result<()> {
    let format = Format::of(&a.file).map_err(input_error)?;
    let file = a.file.display().to_string();
    if format == Format::Json && (!a.map.is_empty() || a.category.is_some() || a.stage.is_some()) {
        return Err(user(
            "--map, --category and --stage do not apply to a JSON restore: it keeps the diary as exported",
        ));
    }
    let encoding = match &a.encoding {
        Some(n) => Some(
            interop::text::encoding_for(n)
                .ok_or_else(|| input_error(ImportError::UnknownEncoding(n.clone())))?,
        ),
        None => None,
    };
    let category = match &a.category {
        Some(name) => Some(resolve::category(&ctx.store.categories()?, name)?.id),
        None => None,
    };
    let stage = match &a.stage {
        Some(s) => Some(s.parse::<Stage>().map_err(user)?),
        None => None,
    };
    // Reading and parsing the file can take a while: hand the database back meanwhile, so other
    // commands (another import) are not kept waiting for it.
    ctx.store.release()?;
    let load = interop::import::LoadOptions {
        map: &a.map,
        encoding,
    };
    let read = || interop::import::load_with(&a.file, load, &AtomicUsize::new(0));
    let loaded = read().map_err(input_error)?;
    let opts = ImportOptions {
        category,
        stage,
        today: ctx.today,
    };
    let name = interop::import::file_name(&a.file);
    let imported = run_waiting(ctx, loaded, &read, &opts, &name, a.dry_run).map_err(input_error)?;
    // Done with the database: a slow reader of the report must not keep others waiting.
    ctx.store.release()?;
    let plan = match imported {
        Imported::Contacts(plan) => plan,
        Imported::Restored(n) => return restored(a, n, &file),
    };
    if a.json {
        print_json(&ImportJson {
            file: file.clone(),
            dry_run: a.dry_run,
            plan: &plan,
        })?;
    } else {
        report(&plan, &file, a.dry_run)?;
    }
    if plan.brought_nothing() {
        return Err(user(format!(
            "nothing in {file} could be imported ({} malformed record(s)): see the lines above; a CSV needs a header row naming the columns, a vCard BEGIN:VCARD ... END:VCARD cards",
            plan.malformed.len()
        )));
    }
    Ok(())
}

/// The human report of an import.
fn report(plan: &Plan, file: &str, dry_run: bool) -> anyhow::Result<()> {
    let mut o = super::output::stdout();
    if let Some(e) = &plan.encoding {
        writeln!(o, "{file}: {e}.")?;
    }
    if dry_run {
        writeln!(
            o,
            "Dry run of {file} ({} layout): nothing was written.",
            plan.mapping
        )?;
        for item in &plan.items {
            let what = match item.outcome {
                Outcome::Create => "create",
                Outcome::Update => "update",
                Outcome::Skip => "skip  ",
            };
            writeln!(
                o,
                "  line {:>5}  {what}  {}: {}",
                item.line, item.name, item.reason
            )?;
        }
    }
    for m in &plan.malformed {
        writeln!(o, "  line {:>5}  skipped (malformed): {}", m.line, m.reason)?;
    }
    for w in &plan.warnings {
        writeln!(o, "  line {:>5}  warning: {}", w.line, w.message)?;
    }
    for d in &plan.possible_duplicates {
        let ids: Vec<String> = d.candidates.iter().map(|c| format!("c{c}")).collect();
        writeln!(
            o,
            "  line {:>5}  possible duplicate: {} has the name of {} (check, then `tickler merge`)",
            d.line,
            d.name,
            ids.join(", ")
        )?;
    }
    let verbs = if dry_run {
        ["Would create", "update", "skip"]
    } else {
        ["Created", "updated", "skipped"]
    };
    writeln!(
        o,
        "{} {}, {} {}, {} {}; {} malformed record(s) skipped, {} warning(s).",
        verbs[0],
        plan.created,
        verbs[1],
        plan.updated,
        verbs[2],
        plan.skipped,
        plan.malformed.len(),
        plan.warnings.len()
    )?;
    if !dry_run && (plan.created > 0 || plan.updated > 0) {
        writeln!(o, "`tickler undo` reverts the whole import.")?;
    }
    o.flush()?;
    Ok(())
}

/// How long an import waits for another command (another import, say) to finish its write.
const IMPORT_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// [`interop::import::run`], trying again while another process holds the database (an import
/// writes thousands of contacts in one transaction: longer than a command's usual wait). A retry
/// reads the file again (cheaper than keeping a copy of every record for a rare case).
fn run_waiting(
    ctx: &Context,
    mut loaded: interop::import::Loaded,
    reload: &dyn Fn() -> Result<interop::import::Loaded, ImportError>,
    opts: &ImportOptions,
    name: &str,
    dry_run: bool,
) -> Result<Imported, ImportError> {
    let started = std::time::Instant::now();
    loop {
        match interop::import::run(&ctx.store, loaded, opts, name, dry_run) {
            Err(ImportError::Store(StoreError::Locked { .. }))
                if started.elapsed() < IMPORT_LOCK_WAIT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(50));
                loaded = reload()?;
            }
            other => return other,
        }
    }
}

#[derive(Serialize)]
struct RestoreJson {
    file: String,
    restored_contacts: usize,
    dry_run: bool,
}

fn restored(a: &ImportArgs, n: usize, file: &str) -> anyhow::Result<()> {
    if a.json {
        return print_json(&RestoreJson {
            file: file.to_string(),
            restored_contacts: n,
            dry_run: a.dry_run,
        });
    }
    if a.dry_run {
        super::output::say!(
            "Dry run: would restore {n} contacts from {file}; nothing was written."
        )?;
    } else {
        super::output::say!("Restored {n} contacts from {file}.")?;
    }
    Ok(())
}

pub fn export(ctx: &Context, a: &ExportArgs) -> anyhow::Result<()> {
    let list = matches!(a.format, ExportFormat::Labels | ExportFormat::Emails);
    if a.select.any() && !list {
        return Err(user(
            "--category, --tag and --stage apply to --format labels or emails only",
        ));
    }
    if a.format != ExportFormat::Ics && (a.from.is_some() || a.to.is_some()) {
        return Err(user("--from and --to apply to --format ics only"));
    }
    if !matches!(a.format, ExportFormat::Csv | ExportFormat::Labels) && a.excel {
        return Err(user("--excel applies to --format csv or labels only"));
    }
    if a.format != ExportFormat::Vcf && (a.vdir.is_some() || a.vcard != VcardVersion::V4) {
        return Err(user("--vdir and --vcard apply to --format vcf only"));
    }
    let today = ctx.today;
    let version = match a.vcard {
        VcardVersion::V4 => Version::V4,
        VcardVersion::V3 => Version::V3,
    };
    let kind = match a.format {
        ExportFormat::Json => export::Kind::Json,
        ExportFormat::Csv => export::Kind::Csv { excel: a.excel },
        ExportFormat::Vcf => export::Kind::Vcf { version },
        ExportFormat::Ics => ics_range(a, today)?,
        ExportFormat::Labels => {
            let labels = super::lists::List::Labels { excel: a.excel };
            return super::lists::export_list(ctx, labels, &a.select, a.output.as_deref());
        }
        ExportFormat::Emails => {
            let emails = super::lists::List::Emails;
            return super::lists::export_list(ctx, emails, &a.select, a.output.as_deref());
        }
    };
    if let Some(dir) = &a.vdir {
        let done = export::to_vdir(&ctx.store, version, dir)?;
        super::output::note!(
            "Wrote {} card(s) to {} ({} unchanged, {} removed)",
            done.written,
            dir.display(),
            done.unchanged,
            done.removed.len()
        )?;
        return Ok(());
    }
    let fill = export::filler(&ctx.store, kind, today)?;
    match &a.output {
        Some(path) => {
            interop::atomic::write_file(path, fill)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            super::output::note!("Wrote {}", path.display())?;
            Ok(())
        }
        None => {
            let mut lock = super::output::data_out();
            fill(&mut lock)?;
            lock.flush()?;
            Ok(())
        }
    }
}

/// The ICS export's range from --from and --to.
fn ics_range(a: &ExportArgs, today: chrono::NaiveDate) -> anyhow::Result<export::Kind> {
    let from = match &a.from {
        Some(s) => parse_date(s, today)?,
        None => today,
    };
    let to = match &a.to {
        Some(s) => parse_date(s, today)?,
        None => from
            .checked_add_days(Days::new(export::ICS_DAYS))
            .ok_or_else(|| user("--from is too close to the end of the calendar"))?,
    };
    if to < from {
        return Err(user(format!(
            "--to {to} is before --from {from}: swap them"
        )));
    }
    Ok(export::Kind::Ics { from, to })
}

#[derive(Serialize)]
struct MergeJson {
    into: String,
    from: String,
    touches_moved: usize,
    sales_moved: usize,
}

pub fn merge(ctx: &Context, a: &MergeArgs) -> anyhow::Result<()> {
    // Names resolve to ids here; the merge reads both contacts again inside its transaction.
    let into = resolve::contact(&ctx.store, &a.into)?.id;
    let from = resolve::contact(&ctx.store, &a.from)?.id;
    let req = merge::MergeRequest {
        into,
        from,
        today: ctx.today,
    };
    let m = match merge::run(&ctx.store, req) {
        Ok(m) => m,
        Err(merge::MergeError::Store(e)) => return Err(e.into()),
        Err(other) => return Err(user(other.to_string())),
    };
    let (keep, gone) = (&m.into, &m.from);
    let (nt, ns) = (m.touches_moved, m.sales_moved);
    if a.json {
        return print_json(&MergeJson {
            into: format!("c{}", keep.id),
            from: format!("c{}", gone.id),
            touches_moved: nt,
            sales_moved: ns,
        });
    }
    super::output::say!(
        "Merged c{} {} into c{} {}: {nt} touch(es) and {ns} sale(s) moved, c{} archived. `tickler undo` reverts.",
        gone.id,
        gone.label(),
        keep.id,
        keep.label(),
        gone.id
    )?;
    Ok(())
}

pub fn backup(ctx: &Context, a: &BackupArgs) -> anyhow::Result<()> {
    let keep = match a.keep {
        Some(k) => k,
        None => ctx.store.settings()?.backups_kept,
    };
    if keep == 0 {
        return Err(user("--keep must be at least 1"));
    }
    let dir = a
        .dir
        .clone()
        .unwrap_or_else(|| interop::backup::default_dir(&ctx.path));
    let path = interop::backup(Path::new(&ctx.path), &dir, ctx.today, keep)?;
    super::output::say!(
        "Backed up to {} (keeping the newest {keep})",
        path.display()
    )?;
    Ok(())
}
