//! The `:` command line: the CLI's verbs with the CLI's flags, parsed by the CLI's own parser
//! ([`crate::cli::parse_line`]) into the same action requests (`:log ada -c email -s "sent the
//! report" --in`, `:edit ada --add-phone ...`, `:add NAME --phone ... --category ...`). A few
//! verbs mean something on screen: `show` opens the contact, `undo` is `u`, `help` is `?`,
//! `lybunt` opens the LYBUNT view.

use super::action::Pane;
use super::component::{Effect, Then};
use super::diary::Diary;
use crate::actions::resolve;
use crate::cli::{Command, parse_line, request_of};

/// The verbs, as the help overlay lists them.
pub const VERBS: &[&str] = &[
    "log C [-c CH] [-d DATE] [-s TEXT] [--in]",
    "plan C [DATE] [--force]",
    "snooze C DATE · skip C · cancel C",
    "reschedule C DATE",
    "move C STAGE [--reason R]",
    "archive C --reason R · restore C",
    "sale C AMOUNT [-d DATE]",
    "add NAME [--email E] ...",
    "edit C [--add-tag T] ...",
    "show C · undo · help · lybunt",
    "import FILE [--dry-run]",
    "export --format F -o FILE",
    "category · settings set",
    "sync (S)",
    "flags: tickler VERB --help",
];

/// The verbs the command line completes, and whether each takes a contact first.
pub const NAMES: &[(&str, bool)] = &[
    ("log", true),
    ("plan", true),
    ("snooze", true),
    ("skip", true),
    ("reschedule", true),
    ("cancel", true),
    ("move", true),
    ("archive", true),
    ("restore", true),
    ("sale", true),
    ("edit", true),
    ("show", true),
    ("add", false),
    ("undo", false),
    ("help", false),
    ("lybunt", false),
    ("import", false),
    ("export", false),
    ("category", false),
    ("settings", false),
    ("sync", false),
];

/// What a command line asks for.
#[derive(Debug)]
pub enum Parsed {
    /// Changes to the diary (the line closes once they succeed).
    Act(Vec<Effect>),
    /// Something on screen (the line closes first).
    Screen(Vec<Effect>),
    Help,
}

/// Parse one command line.
pub fn parse(d: &Diary, line: &str) -> Result<Parsed, String> {
    match line.trim() {
        "undo" => return Ok(Parsed::Screen(vec![Effect::Undo])),
        "help" | "?" => return Ok(Parsed::Help),
        "lybunt" => return Ok(Parsed::Screen(vec![Effect::Focus(Pane::Lybunt)])),
        _ => {}
    }
    let command = parse_line(line)?;
    if let Some(request) = request_of(&command, d.today, false) {
        let request = request.map_err(|e| e.to_string())?;
        return Ok(Parsed::Act(vec![Effect::Act {
            request: Box::new(request),
            then: Then::Close,
        }]));
    }
    let effects = match command {
        Command::Show(a) => resolve::contact(d.roster.rows.iter().map(|(p, _)| p), &a.contact)
            .map(|id| vec![Effect::Open(id)])
            .map_err(|e| e.to_string())?,
        Command::Undo(a) if !a.list => vec![Effect::Undo],
        Command::Lybunt(_) => vec![Effect::Focus(Pane::Lybunt)],
        Command::Import(a) => vec![Effect::Import {
            path: a.file,
            dry_run: a.dry_run,
        }],
        Command::Export(a) => vec![export(d, &a)?],
        Command::Sync(a) if a.url.is_none() && a.username.is_none() && !a.dry_run => {
            vec![Effect::Sync]
        }
        _ => {
            return Err(format!(
                "`{}` runs in a shell (`tickler {}`), not inside the diary: try help for what runs here",
                verb(line),
                line.trim()
            ));
        }
    };
    Ok(Parsed::Screen(effects))
}

fn verb(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

/// `export --format csv|json|ics -o FILE`: into a file (the screen is the diary's).
fn export(d: &Diary, a: &crate::cli::ExportArgs) -> Result<Effect, String> {
    use clap::ValueEnum;
    let name = a
        .format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let kind = crate::interop::export::Kind::parse(&name, d.today)
        .ok_or_else(|| format!("export --format {name}: not a format the diary can write"))?;
    let path = a
        .output
        .clone()
        .ok_or_else(|| "export needs a file inside the diary: add -o FILE".to_string())?;
    Ok(Effect::Export { kind, path })
}
