//! Shell completions and the man page: `tickler completions SHELL`, `tickler man [--dir DIR]`.
//!
//! Completion is dynamic (clap_complete's `TICKLER_COMPLETE=SHELL tickler -- WORDS` protocol): the
//! script `tickler completions SHELL` prints asks the binary for candidates as the user types, so
//! they always match this version's verbs and flags, and a CONTACT argument (and merge's two) is
//! completed with the names in the diary: `TICKLER_DB`, else the default file (an explicit `--db`
//! on the line is not seen). A missing file is never created and a busy one is not waited for:
//! no names then. Neither verb opens the diary otherwise.

use super::Cli;
use super::context;
use crate::store::Store;
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::{ArgValueCandidates, CompleteEnv, CompletionCandidate, env::Shells};
use std::io::Write;
use std::path::PathBuf;

/// The environment variable of the completion protocol.
const VAR: &str = "TICKLER_COMPLETE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash (source <(tickler completions bash) in ~/.bashrc), zsh (the same in
    /// ~/.zshrc), fish (tickler completions fish | source), elvish, powershell.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write tickler.1 and one page per command (tickler-import.1...) into this directory
    /// instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The command tree the shell completes: the CLI, with the diary's names on every CONTACT.
fn completing() -> clap::Command {
    let mut cmd = Cli::command();
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(&name, |sub| {
            let ids: Vec<String> = sub
                .get_arguments()
                .filter(|a| a.is_positional())
                .map(|a| a.get_id().to_string())
                .collect();
            // Changing an argument moves it last: every positional keeps its place by index.
            ids.into_iter().enumerate().fold(sub, |s, (i, id)| {
                let contact = matches!(id.as_str(), "contact" | "into" | "from");
                s.mut_arg(id, |a| {
                    let a = a.index(i + 1);
                    if contact {
                        a.add(ArgValueCandidates::new(contact_names))
                    } else {
                        a
                    }
                })
            })
        });
    }
    cmd
}

/// Answer the shell when it asks for completions (and exit); a no-op on a normal run. Must run
/// before anything is printed.
pub fn answer_if_asked() {
    CompleteEnv::with_factory(completing)
        .var(VAR)
        .bin("tickler")
        .complete();
}

/// The names of the diary's kept contacts, each with its id and company as help.
fn contact_names() -> Vec<CompletionCandidate> {
    let path = match std::env::var_os("TICKLER_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => match context::db_path(None) {
            Ok(p) => p,
            Err(_) => return Vec::new(),
        },
    };
    if !path.is_file() {
        return Vec::new();
    }
    let Ok(roster) = Store::open(&path).and_then(|s| s.roster_kept()) else {
        return Vec::new();
    };
    roster
        .rows
        .iter()
        // A name the shell would receive with terminal escapes is not offered.
        .filter(|(p, _)| !p.name.contains(crate::sanitize::unsafe_in_line))
        .map(|(p, _)| {
            let help = match &p.company {
                Some(c) => format!("c{} {}", p.id, crate::sanitize::line(c)),
                None => format!("c{}", p.id),
            };
            CompletionCandidate::new(p.name.clone()).help(Some(help.into()))
        })
        .collect()
}

/// Print the script that hooks tickler's completion into `shell`.
pub fn completions(a: &CompletionsArgs) -> anyhow::Result<()> {
    let name = match a.shell {
        Shell::Bash => "bash",
        Shell::Zsh => "zsh",
        Shell::Fish => "fish",
        Shell::Elvish => "elvish",
        Shell::Powershell => "powershell",
    };
    let shells = Shells::builtins();
    let shell = shells
        .completer(name)
        .ok_or_else(|| anyhow::anyhow!("no completion for {name} in this build"))?;
    // The script calls this very binary back, wherever it is installed.
    let completer = std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "tickler".to_string());
    let mut out = Vec::new();
    shell.write_registration(VAR, "tickler", "tickler", &completer, &mut out)?;
    let mut lock = super::output::data_out();
    lock.write_all(&out)?;
    lock.flush()?;
    Ok(())
}

/// Print the man page (roff), or write one per command into `--dir`.
pub fn man(a: &ManArgs) -> anyhow::Result<()> {
    let cmd = Cli::command();
    match &a.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .map_err(|e| anyhow::anyhow!("cannot write into {}: {e}", dir.display()))?;
            super::output::note!("Wrote the man pages into {}", dir.display())?;
        }
        None => {
            let mut lock = super::output::data_out();
            clap_mangen::Man::new(cmd).render(&mut lock)?;
            lock.flush()?;
        }
    }
    Ok(())
}
