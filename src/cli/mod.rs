//! The scriptable command line: one verb per user action, `--json` on every read.
//!
//! Owns argument parsing, contact resolution, human and JSON output. Reads and writes only through
//! [`crate::store::Store`]; asks [`crate::planner`] for every decision. Never touches redb itself.

mod admin;
mod campaign;
mod capture;
mod contacts;
mod context;
mod error;
mod insights;
mod interop;
mod lists;
pub(crate) mod output;
mod pieces;
mod reports;
mod resolve;
mod shell;
mod sync;
mod touches;

pub use context::Context;
pub use error::{
    CheckFailed, EXIT_CHECK, EXIT_FAILURE, EXIT_GUARD, EXIT_USAGE, GuardRefused, UserError,
    exit_code,
};
pub use interop::ExportArgs;

use crate::actions::{ActionError, Request};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// tickler: the follow-up diary that stops business being lost to silence.
#[derive(Debug, Parser)]
#[command(name = "tickler", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Option<Command>,
}

const AFTER_HELP: &str = "Dates: YYYY-MM-DD, today, tomorrow, yesterday, +3d, -1w, +2m, mon..sun, next week, next month, eom.\n\
A CONTACT is an id (12 or c12) or an unambiguous part of a name.\n\
Exit codes: 0 ok, 1 failure (database locked or damaged, I/O), 2 bad input (nothing changed), 3 annoyance-guard conflict (nothing changed), 4 `tickler check` found damage.";

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The database file [default: the platform data dir, e.g. ~/.local/share/tickler/tickler.redb].
    #[arg(long, global = true, env = "TICKLER_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Fix today's date (for scripts and tests).
    #[arg(long, global = true, env = "TICKLER_TODAY", value_name = "DATE")]
    pub today: Option<String>,

    /// Use the generated demo diary (a separate file; your own diary is never touched).
    #[arg(long, global = true)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a contact.
    Add(contacts::AddArgs),
    /// Change a contact's fields.
    Edit(contacts::EditArgs),
    /// Show a contact: fields, next touch, history, sales.
    Show(contacts::ShowArgs),
    /// List contacts, with filters.
    List(contacts::ListArgs),
    /// Record a touch that happened (call, email, card...).
    Log(touches::LogArgs),
    /// Plan a touch (on the lightest allowed day when no date is given).
    Plan(touches::PlanArgs),
    /// Snooze a contact until a date.
    Snooze(touches::SnoozeArgs),
    /// Skip the touch a contact is due on; the next one is planned a cadence on.
    Skip(touches::SkipArgs),
    /// Move a planned touch to another day.
    Reschedule(touches::RescheduleArgs),
    /// Call off a planned touch (kept in the history as cancelled).
    Cancel(touches::CancelArgs),
    /// Record a sale.
    Sale(touches::SaleArgs),
    /// Move a contact to another pipeline stage (moving out asks for the reason of the "no").
    Move(contacts::MoveArgs),
    /// Archive a contact (with a reason; reversible with `restore`).
    Archive(contacts::ArchiveArgs),
    /// Bring an archived contact back to the stage it had.
    Restore(contacts::RestoreArgs),
    /// The agenda: what is due each day (default: this week), overdue first.
    Agenda(reports::AgendaArgs),
    /// Today's and overdue touches, one line each (for cron and notifications).
    Due(reports::DueArgs),
    /// Customers who bought last year but not yet this year, by last year's value.
    Lybunt(reports::LybuntArgs),
    /// Keep the list clean: move forward or move out, adrift, unreachable.
    Review(reports::ReviewArgs),
    /// The health of the diary: keeping in touch, LYBUNT, pipeline, reasons of a "no", channels.
    Insights(insights::InsightsArgs),
    /// Revert the last action (repeat to go further back).
    Undo(admin::UndoArgs),
    /// Fill an empty database with a realistic generated diary.
    Demo(admin::DemoArgs),
    /// Manage categories (cadence, channel mix, priority).
    #[command(subcommand)]
    Category(admin::CategoryCommand),
    /// Show or change the diary's settings.
    #[command(subcommand)]
    Settings(admin::SettingsCommand),
    /// Import contacts from a vCard (.vcf) or CSV file, or restore a JSON export.
    Import(interop::ImportArgs),
    /// Export contacts (csv), the whole diary (json) or follow-ups for a calendar (ics).
    Export(interop::ExportArgs),
    /// Merge contact B into contact A (history, notes, tags, emails, phones); B is archived.
    Merge(interop::MergeArgs),
    /// Copy the database to a dated backup file, keeping the newest ones.
    Backup(interop::BackupArgs),
    /// Check the database: redb's integrity check of every page, then tickler's own invariants.
    Check(admin::CheckArgs),
    /// The library of what you send (newsletters, reports, samples...): who received what.
    #[command(subcommand)]
    Piece(pieces::PieceCommand),
    /// Log what happened anyway: e-mails from Maildirs, mbox or notmuch; meetings from .ics files.
    #[command(subcommand)]
    Capture(capture::CaptureCommand),
    /// Print the shell completion script (contact names completed from the diary).
    Completions(shell::CompletionsArgs),
    /// Print the man page, or write one per command with --dir.
    Man(shell::ManArgs),
    /// Two-way sync with a CalDAV/CardDAV account (contacts, follow-ups, history) or a vdir.
    Sync(sync::SyncArgs),
}

/// Parse the arguments and run; returns the process exit code.
pub fn main() -> std::process::ExitCode {
    shell::answer_if_asked();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout (exit 0); a usage error is one line on stderr (exit 2).
            if !e.use_stderr() {
                let _ = e.print();
                return std::process::ExitCode::SUCCESS;
            }
            let first = first_line(&e.to_string());
            // Clap echoes what was typed: shown escaped, on one line, like every error.
            let _ = output::note!(
                "tickler: {} (see `tickler --help` or `tickler COMMAND --help`)",
                crate::sanitize::Shown(&first)
            );
            return std::process::ExitCode::from(EXIT_USAGE);
        }
    };
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => {
            // The reader went away (`tickler agenda | head`): not an error worth a message.
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            // Errors echo arguments and names: shown escaped, on one line.
            let _ = output::note!("tickler: {}", crate::sanitize::Shown(&error_chain(&err)));
            std::process::ExitCode::from(exit_code(&err))
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                .is_some_and(|k| k == std::io::ErrorKind::BrokenPipe)
    })
}

fn error_chain(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let s = cause.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ")
}

/// Run one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let Some(command) = cli.command else {
        // On a terminal `tickler` alone opens the full-screen TUI; in scripts and pipes it prints
        // this week's agenda.
        let ctx = Context::open(&cli.global)?;
        use std::io::IsTerminal;
        if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
            return without_panics(&ctx.path, || {
                reports::agenda(&ctx, &reports::AgendaArgs::default())
            });
        }
        let pinned = cli
            .global
            .today
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        let code = crate::tui::run(&ctx.store, ctx.today, pinned, &ctx.path, !cli.global.demo)?;
        drop(ctx);
        if let Some(code) = code {
            std::process::exit(code);
        }
        return Ok(());
    };
    if let Command::Demo(args) = &command {
        return admin::demo(&cli.global, args);
    }
    if let Command::Check(args) = &command {
        return admin::check(&cli.global, args);
    }
    if let Command::Completions(args) = &command {
        return shell::completions(args);
    }
    if let Command::Man(args) = &command {
        return shell::man(args);
    }
    let ctx = Context::open(&cli.global)?;
    without_panics(&ctx.path, || dispatch(&ctx, command))
}

/// Run a verb; a panic (redb may panic on a page damaged outside it: plain reads do not verify
/// checksums) becomes an error naming the file and what to do, instead of killing the process.
fn without_panics(
    path: &std::path::Path,
    f: impl FnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    crate::store::catch_panic(f).unwrap_or_else(|what| {
        Err(anyhow::anyhow!(
            "{} could not be read or written ({what}): it may be damaged; run `tickler check`, and restore a backup if it fails",
            path.display()
        ))
    })
}

fn dispatch(ctx: &Context, command: Command) -> anyhow::Result<()> {
    if let Some(req) = request_of(&command, ctx.today, true) {
        return touches::perform_as(ctx, req?, touches::wants_json(&command)).map(drop);
    }
    match command {
        Command::Add(a) => contacts::add(ctx, &a),
        Command::Edit(a) => contacts::edit(ctx, &a),
        Command::Show(a) => contacts::show(ctx, &a),
        Command::List(a) => contacts::list(ctx, &a),
        Command::Move(a) => contacts::move_stage(ctx, &a),
        Command::Archive(a) => contacts::archive(ctx, &a),
        Command::Agenda(a) => reports::agenda(ctx, &a),
        Command::Due(a) => reports::due(ctx, &a),
        Command::Lybunt(a) => reports::lybunt(ctx, &a),
        Command::Review(a) => reports::review(ctx, &a),
        Command::Insights(a) => insights::insights(ctx, &a),
        Command::Undo(a) => admin::undo(ctx, &a),
        Command::Category(c) => admin::category(ctx, c),
        Command::Settings(c) => admin::settings(ctx, c),
        Command::Import(a) => interop::import(ctx, &a),
        Command::Export(a) => interop::export(ctx, &a),
        Command::Merge(a) => interop::merge(ctx, &a),
        Command::Backup(a) => interop::backup(ctx, &a),
        Command::Sync(a) => sync::sync(ctx, &a),
        Command::Piece(c) => pieces::piece(ctx, &c),
        Command::Capture(c) => capture::capture_cmd(ctx, &c),
        // Requests (above), or run before a diary is opened.
        _ => Ok(()),
    }
}

/// The action a command stands for when it is one that only changes the diary and prints what
/// it did (the TUI's `:` line runs these too). `stdin`: whether `--note-file -` may read
/// standard input. `add`, `edit`, `move` and `archive` are included for the TUI; the CLI runs
/// them through their own verbs (JSON output, asking for a reason).
pub fn request_of(
    command: &Command,
    today: chrono::NaiveDate,
    cli: bool,
) -> Option<Result<Request, ActionError>> {
    Some(match command {
        Command::Log(a) => a.request(today),
        Command::Plan(a) => a.request(today),
        Command::Snooze(a) => a.request(today),
        Command::Skip(a) => a.request(),
        Command::Reschedule(a) => a.request(today),
        Command::Cancel(a) => a.request(),
        Command::Sale(a) => a.request(today),
        Command::Restore(a) => a.request(),
        Command::Add(a) if !cli => a.request(false),
        Command::Edit(a) if !cli => a.request(false),
        Command::Move(a) if !cli => a.request(),
        Command::Archive(a) if !cli => a.request(),
        Command::Category(c) => return admin::category_request(c),
        Command::Settings(admin::SettingsCommand::Set { key, value }) => Ok(Request::Setting {
            key: key.clone(),
            value: value.clone(),
        }),
        _ => return None,
    })
}

/// A command line typed inside the diary (`log ada -c email -s "sent the report"`): split as a
/// shell would, then parsed as `tickler` parses its arguments. The error is one line.
pub fn parse_line(line: &str) -> Result<Command, String> {
    let words = shlex::split(line)
        .ok_or_else(|| "unbalanced quotes: close the quote or escape it with \\".to_string())?;
    if words.is_empty() {
        return Err("type a command, e.g. log ada -c email (help lists them)".to_string());
    }
    let verb = words.first().cloned().unwrap_or_default();
    let cli =
        Cli::try_parse_from(std::iter::once("tickler".to_string()).chain(words)).map_err(|e| {
            match e.kind() {
                clap::error::ErrorKind::InvalidSubcommand => {
                    use clap::CommandFactory;
                    let verbs: Vec<String> = Cli::command()
                        .get_subcommands()
                        .map(|c| c.get_name().to_string())
                        .collect();
                    format!("unknown command '{verb}': use one of {}", verbs.join(", "))
                }
                _ => first_line(&e.to_string()),
            }
        })?;
    if cli.global.db.is_some() || cli.global.today.is_some() || cli.global.demo {
        return Err(
            "--db, --today and --demo choose the diary when tickler starts: not here".to_string(),
        );
    }
    cli.command
        .ok_or_else(|| "type a command, e.g. log ada -c email (help lists them)".to_string())
}

/// The first meaningful line of a clap error, without its "error: " prefix.
fn first_line(text: &str) -> String {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid arguments")
        .trim_start_matches("error: ")
        .to_string()
}
