//! The `:` command line: the CLI's verbs with the CLI's flags, parsed by the CLI's own parser
//! ([`crate::cli::parse_line`]) into the same action requests (`:log ada -c email -s "sent the
//! report" --in`, `:edit ada --add-phone ...`, `:add NAME --phone ... --category ...`). A few
//! verbs mean something on screen: `show` opens the contact, `undo` is `u`, `help` is `?`.

use super::model::Model;
use super::update::{Effect, act};
use crate::actions::resolve;
use crate::cli::{Command, parse_line, request_of};

/// The verbs, as the help overlay lists them.
pub const VERBS: &[&str] = &[
    "log C [-c CH] [-d DATE]",
    "  [-s TEXT] [--in]",
    "plan C [DATE] [--force]",
    "snooze C DATE",
    "skip C · cancel C",
    "reschedule C DATE",
    "move C STAGE [--reason R]",
    "archive C --reason R",
    "restore C",
    "sale C AMOUNT [-d DATE]",
    "add NAME [--email E] ...",
    "edit C [--add-tag T] ...",
    "show C · undo · help",
    "import FILE [--dry-run]",
    "export --format F -o FILE",
    "category · settings set",
    "sync (S)",
    "flags: tickler VERB --help",
];

/// Parse one command line into effects.
pub fn parse(m: &Model, line: &str) -> Result<Vec<Effect>, String> {
    if line.trim() == "undo" {
        return Ok(vec![Effect::Undo]);
    }
    let command = parse_line(line)?;
    if let Some(request) = request_of(&command, m.today, false) {
        return request.map(|r| vec![act(r)]).map_err(|e| e.to_string());
    }
    match command {
        Command::Show(a) => resolve::contact(m.roster.rows.iter().map(|(p, _)| p), &a.contact)
            .map(|id| vec![Effect::OpenContact(id)])
            .map_err(|e| e.to_string()),
        Command::Undo(a) if !a.list => Ok(vec![Effect::Undo]),
        Command::Import(a) => Ok(vec![Effect::Import {
            path: a.file,
            dry_run: a.dry_run,
        }]),
        Command::Export(a) => export(m, &a),
        Command::Sync(a) if a.url.is_none() && a.username.is_none() && !a.dry_run => {
            Ok(vec![Effect::Sync])
        }
        _ => Err(format!(
            "`{}` runs in a shell (`tickler {}`), not inside the diary: try help for what runs here",
            verb(line),
            line.trim()
        )),
    }
}

fn verb(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

/// `export --format csv|json|ics -o FILE`: into a file (the screen is the diary's).
fn export(m: &Model, a: &crate::cli::ExportArgs) -> Result<Vec<Effect>, String> {
    use clap::ValueEnum;
    let name = a
        .format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let kind = crate::interop::export::Kind::parse(&name, m.today)
        .ok_or_else(|| format!("export --format {name}: not a format the diary can write"))?;
    let path = a
        .output
        .clone()
        .ok_or_else(|| "export needs a file inside the diary: add -o FILE".to_string())?;
    Ok(vec![Effect::Export { kind, path }])
}
