//! The `:` command line: the CLI verbs that make sense in the TUI, typed as in the shell. Input is
//! validated here as the CLI validates it; the writes are `crate::actions`, shared with the CLI.

use super::model::Model;
use super::update::Effect;
use crate::dates::parse_date;
use crate::interop::export;
use crate::model::{Channel, ContactId, NoReason, Stage, validate};
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

/// The verbs, as the help overlay and the usage error list them.
pub const VERBS: &[&str] = &[
    "log C [CHANNEL]",
    "plan C [DATE]",
    "snooze C DATE",
    "move C STAGE [REASON]",
    "sale C AMOUNT [DATE]",
    "archive C REASON",
    "restore C",
    "add NAME [--company X]",
    "    [--email E]",
    "undo · help",
    "import FILE [--dry-run]",
    "export csv|json|ics FILE",
];

fn usage() -> String {
    format!(
        "commands: {}",
        VERBS
            .iter()
            .map(|v| v.trim())
            .collect::<Vec<_>>()
            .join(" · ")
            .replace("] · [", "] [")
    )
}

fn stage_of(m: &Model, id: ContactId) -> Option<Stage> {
    m.index
        .get(&id)
        .and_then(|&r| m.profile(r))
        .map(|p| p.stage)
}

/// `add NAME... [--company X...] [--email E]...`: validated as `tickler add` validates them.
fn add(words: &[&str]) -> Result<Effect, String> {
    let mut name = Vec::new();
    let mut company: Option<Vec<&str>> = None;
    let mut emails = Vec::new();
    let mut it = words.iter().copied();
    let mut field = 0; // 0 name, 1 company
    while let Some(w) = it.next() {
        match w {
            "--company" => {
                company = Some(Vec::new());
                field = 1;
            }
            "--email" => match it.next() {
                Some(e) => emails.push(validate::email(e).map_err(|e| e.to_string())?),
                None => return Err("--email needs an address".to_string()),
            },
            w if w.starts_with("--") => {
                return Err(format!(
                    "add NAME [--company X] [--email E]: unknown option {w}"
                ));
            }
            w if field == 1 => company.get_or_insert_with(Vec::new).push(w),
            w => name.push(w),
        }
    }
    let name = validate::name("name", &name.join(" ")).map_err(|e| e.to_string())?;
    let company = company
        .map(|c| validate::name("company", &c.join(" ")))
        .transpose()
        .map_err(|e| e.to_string())?;
    Ok(Effect::Add {
        name,
        company,
        emails,
    })
}

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
        ["sale", c, amount, d @ ..] => {
            let amount_cents = validate::amount_cents(amount).map_err(|e| e.to_string())?;
            let date = if d.is_empty() {
                today
            } else {
                date(&d.join(" "))?
            };
            if date > today {
                return Err(format!("{date} is in the future: record sales once made"));
            }
            let currency = validate::currency(&m.roster.settings.default_currency)
                .map_err(|e| e.to_string())?;
            Ok(vec![Effect::Sale {
                contact: contact(m, c)?,
                amount_cents,
                currency,
                date,
            }])
        }
        ["sale", ..] => Err("sale C AMOUNT [DATE]: e.g. sale c12 1250.00".to_string()),
        ["archive", c, rest @ ..] => {
            let id = contact(m, c)?;
            let reason = match rest {
                [r] => r.parse::<NoReason>()?,
                _ => {
                    return Err(format!(
                        "archive C REASON: the reason of the \"no\", one of {}",
                        NoReason::NAMES.join(", ")
                    ));
                }
            };
            if stage_of(m, id) == Some(Stage::Archived) {
                return Err(format!(
                    "c{id} is already archived: `:restore c{id}` brings it back"
                ));
            }
            Ok(vec![Effect::Move {
                contact: id,
                target: Stage::Archived,
                reason: Some(reason),
            }])
        }
        ["restore", c] => {
            let id = contact(m, c)?;
            match stage_of(m, id) {
                Some(Stage::Archived) => Ok(vec![Effect::Restore { contact: id }]),
                Some(s) => Err(format!("c{id} is not archived (it is {s})")),
                None => Err(format!("no contact c{id}")),
            }
        }
        ["add", rest @ ..] => Ok(vec![add(rest)?]),
        ["undo"] => Ok(vec![Effect::Undo]),
        _ => Err(usage()),
    }
}
