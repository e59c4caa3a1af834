//! `tickler export --format labels|emails [selection]`: a mailing list for a campaign (postal
//! labels as CSV, or `Name <address>` lines), for everyone kept or a selection. Who had no
//! postal or e-mail address is said on standard error.

use super::context::Context;
use super::error::user;
use super::touches::SelectArgs;
use crate::actions::batch;
use crate::interop::{self, lists};
use crate::model::Contact;
use std::io::Write;
use std::path::Path;

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Labels { excel: bool },
    Emails,
}

/// Write the list for the selection (everyone kept without one) to `output` or standard output.
pub fn export_list(
    ctx: &Context,
    list: List,
    select: &SelectArgs,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let contacts = ctx.store.contacts()?;
    let selection = select.selection(&[])?;
    let chosen: Vec<&Contact> = if selection.is_filter() {
        let ids = batch::select_from(&ctx.store.categories()?, &contacts, &selection)?;
        contacts.iter().filter(|c| ids.contains(&c.id)).collect()
    } else {
        contacts.iter().filter(|c| c.stage.is_kept()).collect()
    };
    let fill = |out: &mut dyn Write| -> anyhow::Result<lists::Left> {
        Ok(match list {
            List::Labels { excel } => lists::write_labels(out, &chosen, excel)?,
            List::Emails => lists::write_emails(out, &chosen)?,
        })
    };
    let left = match output {
        Some(path) => {
            let mut left = lists::Left::default();
            interop::atomic::write_file(path, |out: &mut dyn Write| {
                left = fill(out).map_err(|e| std::io::Error::other(e.to_string()))?;
                Ok(())
            })
            .map_err(|e| user(format!("cannot write {}: {e}", path.display())))?;
            super::output::note!("Wrote {}", path.display())?;
            left
        }
        None => {
            let mut lock = super::output::data_out();
            let left = fill(&mut lock)?;
            lock.flush()?;
            left
        }
    };
    if !left.without.is_empty() {
        let what = match list {
            List::Labels { .. } => "postal address",
            List::Emails => "e-mail address",
        };
        let names: Vec<String> = left
            .without
            .iter()
            .take(20)
            .map(|(id, n)| format!("c{id} {}", crate::sanitize::line(n)))
            .collect();
        let more = left.without.len().saturating_sub(names.len());
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        super::output::note!(
            "note: {} left out, no {what}: {}{tail}",
            left.without.len(),
            names.join(", ")
        )?;
    }
    Ok(())
}
