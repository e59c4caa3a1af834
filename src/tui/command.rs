//! The `:` command line: a few CLI verbs (log, plan, snooze, move, import, export) typed as in the shell.

use super::model::Model;
use super::update::Effect;
use crate::dates::parse_date;
use crate::interop::export;
use crate::model::{Channel, ContactId, NoReason, Stage};
use chrono::NaiveDate;

/// The contact a word names: `c12`/`12`, else the one contact whose name or company contains it.
fn contact(m: &Model, word: &str) -> Result<ContactId, String> {
    let digits = word.strip_prefix('c').unwrap_or(word);
    if let Ok(n) = digits.parse::<u64>() {
        let id = ContactId(n);
        return if m.index.contains_key(&id) {
            Ok(id)
        } else {
            Err(format!("no contact c{n}"))
        };
    }
    let needle = word.to_lowercase();
    let hits: Vec<ContactId> = m
        .roster
        .rows
        .iter()
        .filter(|(p, _)| p.label().to_lowercase().contains(&needle))
        .map(|(p, _)| p.id)
        .take(2)
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("no contact matches '{word}'")),
        _ => Err(format!(
            "'{word}' matches several contacts: use the id (c12)"
        )),
    }
}

const USAGE: &str = "commands: log C [CHANNEL] · plan C [DATE] · snooze C DATE · move C STAGE [REASON] · import FILE [--dry-run] · export csv|json|ics FILE";

/// Parse one command line into effects.
pub fn parse(m: &Model, line: &str, today: NaiveDate) -> Result<Vec<Effect>, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let date = |s: &str| parse_date(s, today).map_err(|e| e.to_string());
    match words.as_slice() {
        ["log", c, rest @ ..] => {
            let channel = match rest.first() {
                Some(ch) => ch.parse::<Channel>().map_err(|e| e.to_string())?,
                None => Channel::Call,
            };
            Ok(vec![Effect::Log {
                contact: contact(m, c)?,
                channel,
                date: today,
                summary: String::new(),
            }])
        }
        ["plan", c] => Ok(vec![Effect::Plan {
            contact: contact(m, c)?,
            date: None,
        }]),
        ["plan", c, d @ ..] => Ok(vec![Effect::Plan {
            contact: contact(m, c)?,
            date: Some(date(&d.join(" "))?),
        }]),
        ["snooze", c, d @ ..] if !d.is_empty() => Ok(vec![Effect::Snooze {
            contact: contact(m, c)?,
            until: date(&d.join(" "))?,
        }]),
        ["move", c, stage, rest @ ..] => {
            let target = stage.parse::<Stage>()?;
            let reason = match rest.first() {
                Some(r) => Some(r.parse::<NoReason>()?),
                None if target.is_out() => {
                    return Err(format!(
                        "moving out needs a reason: one of {}",
                        NoReason::NAMES.join(", ")
                    ));
                }
                None => None,
            };
            Ok(vec![Effect::Move {
                contact: contact(m, c)?,
                target,
                reason,
            }])
        }
        ["import", rest @ ..] => {
            let dry_run = rest.contains(&"--dry-run");
            let file: Vec<&str> = rest.iter().copied().filter(|w| *w != "--dry-run").collect();
            if file.is_empty() {
                return Err("import FILE [--dry-run]: a .vcf, .csv or .json file".to_string());
            }
            Ok(vec![Effect::Import {
                path: file.join(" ").into(),
                dry_run,
            }])
        }
        ["export", format, file @ ..] if !file.is_empty() => {
            let kind = export::Kind::parse(format, today)
                .ok_or_else(|| format!("export csv|json|ics FILE: '{format}' is not a format"))?;
            Ok(vec![Effect::Export {
                kind,
                path: file.join(" ").into(),
            }])
        }
        ["export", ..] => Err("export csv|json|ics FILE".to_string()),
        _ => Err(USAGE.to_string()),
    }
}
