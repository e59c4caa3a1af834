//! The fuzz harness: one function per fuzz target in `fuzz/fuzz_targets/`, shared with the
//! regression test `tests/reliability_fuzz.rs`, so the fuzzers and the corpus replay in CI run
//! exactly the same code and check exactly the same invariants.
//!
//! Each function takes the raw bytes a fuzzer produced, feeds them to a parser the way tickler
//! does with a file or a typed value, and returns `Err` naming the first broken invariant (the
//! callers turn it into a panic). A panic inside a parser propagates as it is: that is a crash.
//! Not part of tickler's interface; hidden from the docs.

use crate::dates::{format_relative, parse_date};
use crate::interop::{self, ImportOptions, Outcome, Parsed, Plan, Record, csv, vcard};
use crate::model::{Birthday, Contact, validate};
use crate::tui::{config, keymap::Key, keymap::Keymap, theme::Theme};
use chrono::{Datelike, Days, NaiveDate};

/// A broken invariant, described for the fuzzer's crash report.
pub type Violation = String;

/// The `today` the date target resolves against, picked by the input's first byte: a few dates
/// where calendars get awkward (leap days, month and year ends, chrono's first and last days),
/// then ordinary days near 2026-11-24.
pub fn today_for(selector: u8) -> NaiveDate {
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    let fixed = [
        ymd(2026, 11, 24),
        ymd(2024, 2, 29),
        ymd(2026, 1, 31),
        ymd(2026, 12, 31),
        ymd(2026, 11, 29), // a Sunday
        ymd(2026, 11, 23), // a Monday
        ymd(9999, 12, 31),
        ymd(0, 1, 1),
        NaiveDate::MIN,
        NaiveDate::MAX,
        NaiveDate::MAX.pred_opt().unwrap_or(NaiveDate::MAX),
        NaiveDate::MIN.succ_opt().unwrap_or(NaiveDate::MIN),
    ];
    match fixed.get(usize::from(selector)) {
        Some(d) => *d,
        None => fixed[0]
            .checked_add_days(Days::new(u64::from(selector) * 11))
            .unwrap_or(fixed[0]),
    }
}

/// The date parser: the first byte picks `today` ([`today_for`]), the rest is what the user typed
/// (lossily decoded, as a terminal would hand it over). A parsed date written back as
/// `YYYY-MM-DD`, and as [`format_relative`] shows it, must parse to the same date.
pub fn date(data: &[u8]) -> Result<(), Violation> {
    let Some((&selector, rest)) = data.split_first() else {
        return Ok(());
    };
    let today = today_for(selector);
    let input = String::from_utf8_lossy(rest);
    match parse_date(&input, today) {
        Err(e) => {
            if e.why.is_empty() {
                return Err(format!("{input:?}: error without a reason"));
            }
        }
        Ok(d) => {
            // Only four-digit years have an ISO form tickler reads back.
            if (0..=9999).contains(&d.year()) {
                let iso = d.format("%Y-%m-%d").to_string();
                let back = parse_date(&iso, today);
                if back != Ok(d) {
                    return Err(format!("{input:?} gave {d}, but {iso:?} gives {back:?}"));
                }
            }
            let shown = format_relative(d, today);
            let near = d.signed_duration_since(today).num_days().abs() <= 13;
            if near || (0..=9999).contains(&d.year()) {
                let back = parse_date(&shown, today);
                if back != Ok(d) {
                    return Err(format!(
                        "{input:?} gave {d} (shown {shown:?}), which reads back as {back:?}"
                    ));
                }
            }
        }
    }
    Ok(())
}

const TODAY: (i32, u32, u32) = (2026, 11, 24);

fn import_options() -> ImportOptions {
    ImportOptions {
        category: None,
        stage: None,
        today: NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap_or(NaiveDate::MIN),
    }
}

/// The CSV importer on a file's bytes: decoding, delimiter sniffing, header mapping (Google,
/// Outlook, plain), rows to records, then the import plan against an empty diary. Run once with
/// the guessed mapping and once with the first column mapped to `name` (`--map`).
pub fn csv(data: &[u8]) -> Result<(), Violation> {
    let Ok(text) = interop::decode_text(data, "fuzz.csv") else {
        return Ok(());
    };
    if let Ok(parsed) = csv::parse(&text, &[]) {
        check_parsed(&text, &parsed)?;
        check_plan(parsed)?;
    }
    let delimiter = char::from(csv::sniff_delimiter(&text));
    let first = text
        .lines()
        .next()
        .and_then(|l| l.split(delimiter).next())
        .unwrap_or("")
        .trim_start_matches('\u{feff}')
        .trim_matches('"');
    let overrides = [format!("{first}=name")];
    if let Ok(parsed) = csv::parse(&text, &overrides) {
        if !parsed.mapping.ends_with("+map") {
            return Err(format!("mapping {:?} does not say +map", parsed.mapping));
        }
        check_parsed(&text, &parsed)?;
        check_plan(parsed)?;
    }
    Ok(())
}

/// The vCard importer on a file's bytes: decoding, cutting into cards, each card parsed and
/// mapped to a record, then the import plan against an empty diary.
pub fn vcard(data: &[u8]) -> Result<(), Violation> {
    let Ok(text) = interop::decode_text(data, "fuzz.vcf") else {
        return Ok(());
    };
    let parsed = vcard::parse(&text);
    if parsed.mapping != "vcard" {
        return Err(format!("mapping {:?}", parsed.mapping));
    }
    check_parsed(&text, &parsed)?;
    check_plan(parsed)
}

/// The TUI config file (theme and `[keys]`): applied to the default keymap and theme. When it
/// is accepted, every binding it names must hold the key it asked for and the theme must be one
/// of the three; `no_color` must always end in the mono theme. When it is refused, nothing of it
/// was applied.
pub fn config(data: &[u8]) -> Result<(), Violation> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    for no_color in [false, true] {
        let (mut keymap, mut theme) = (Keymap::default(), Theme::default());
        match config::apply(text, &mut keymap, &mut theme, no_color) {
            Err(e) => {
                if e.to_string().trim().is_empty() {
                    return Err("config refused with an empty message".to_string());
                }
                // All or nothing: a refused file changed nothing.
                let keys = |k: &Keymap| k.bindings.iter().map(|b| b.key).collect::<Vec<_>>();
                if keys(&keymap) != keys(&Keymap::default()) || theme != Theme::default() {
                    return Err(format!("config refused ({e}) but partly applied"));
                }
            }
            Ok(()) => {
                let themes = [Theme::dark(), Theme::light(), Theme::mono()];
                if !themes.contains(&theme) || (no_color && theme != Theme::mono()) {
                    return Err(format!("theme {theme:?} (no_color {no_color})"));
                }
                check_keys(text, &keymap)?;
            }
        }
    }
    Ok(())
}

fn check_keys(text: &str, keymap: &Keymap) -> Result<(), Violation> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Err("config accepted although it is not TOML".to_string());
    };
    let Some(keys) = table.get("keys").and_then(|k| k.as_table()) else {
        return Ok(());
    };
    for (name, key) in keys {
        let Some(key) = key.as_str() else {
            return Err(format!("keys.{name} accepted although it is not a string"));
        };
        let wanted = Key::parse(key);
        let bound = keymap.bindings.iter().find(|b| b.name == name.as_str());
        match (wanted, bound) {
            (Some(w), Some(b)) if b.key == w => {}
            _ => return Err(format!("keys.{name} = {key:?} accepted but not bound")),
        }
    }
    Ok(())
}

/// Every record passes the model's checks; every reported line lies inside the file.
fn check_parsed(text: &str, parsed: &Parsed) -> Result<(), Violation> {
    let last_line = text.bytes().filter(|b| *b == b'\n' || *b == b'\r').count() + 1;
    for r in &parsed.records {
        check_record(r).map_err(|e| format!("record at line {}: {e}", r.line))?;
    }
    let lines = parsed
        .records
        .iter()
        .map(|r| r.line)
        .chain(parsed.malformed.iter().map(|m| m.line))
        .chain(parsed.warnings.iter().map(|w| w.line));
    for line in lines {
        if line == 0 || line > last_line {
            return Err(format!("line {line} reported, the file has {last_line}"));
        }
    }
    for m in &parsed.malformed {
        if m.reason.trim().is_empty() {
            return Err(format!("malformed line {} without a reason", m.line));
        }
    }
    Ok(())
}

/// A value for a message: at most 60 characters.
fn short(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        t.push_str(&format!("... ({} bytes)", s.len()));
    }
    t
}

fn same(
    what: &str,
    got: &str,
    checked: Result<String, validate::ValidationError>,
) -> Result<(), Violation> {
    match checked {
        Ok(v) if v == got => Ok(()),
        Ok(v) => Err(format!(
            "{what} {:?} is not in its checked form {:?}",
            short(got),
            short(&v)
        )),
        Err(e) => Err(format!("{what} {:?} fails validation: {e}", short(got))),
    }
}
fn check_birthday(b: Birthday) -> Result<(), Violation> {
    if Birthday::new(b.month, b.day, b.year) != Some(b) {
        return Err(format!("birthday {b:?} is not a date"));
    }
    // Written out (export, contact pane) it must read back the same.
    let shown = b.to_string();
    match interop::parse_birthday(&shown) {
        Ok(Some(back)) if back == b => {}
        other => return Err(format!("birthday {shown:?} reads back as {other:?}")),
    }
    match shown.parse::<Birthday>() {
        Ok(back) if back == b => Ok(()),
        other => Err(format!("birthday {shown:?} parses back as {other:?}")),
    }
}

fn check_record(r: &Record) -> Result<(), Violation> {
    same("name", &r.name, validate::name("name", &r.name))?;
    if let Some(c) = &r.company {
        same("company", c, validate::name("company", c))?;
    }
    for e in &r.emails {
        same("email", e, validate::email(e))?;
    }
    for p in &r.phones {
        same("phone", p, validate::phone(p))?;
    }
    for t in &r.tags {
        same("tag", t, validate::tag(t))?;
    }
    if r.tags.len() > validate::MAX_TAGS {
        return Err(format!("{} tags", r.tags.len()));
    }
    if let Some(a) = &r.address {
        same(
            "address",
            a,
            validate::text("address", a, validate::MAX_NOTE_BYTES),
        )?;
    }
    same(
        "notes",
        &r.notes,
        validate::text("notes", &r.notes, validate::MAX_NOTE_BYTES),
    )?;
    if let Some(b) = r.birthday {
        check_birthday(b)?;
    }
    Ok(())
}

fn check_contact(c: &Contact) -> Result<(), Violation> {
    let as_record = Record {
        line: 1,
        name: c.name.clone(),
        company: c.company.clone(),
        emails: c.emails.clone(),
        phones: c.phones.clone(),
        address: c.address.clone(),
        birthday: c.birthday,
        tags: c.tags.clone(),
        notes: c.notes.clone(),
        ..Record::default()
    };
    check_record(&as_record)
}

/// The plan against an empty diary: counts agree with the items, every creation carries a valid
/// contact, and nothing is an update (there is nothing to update).
fn check_plan(parsed: Parsed) -> Result<(), Violation> {
    let n = parsed.records.len();
    let plan: Plan = interop::plan(
        &[],
        &std::collections::HashMap::new(),
        &[],
        parsed,
        &import_options(),
    );
    if plan.items.len() != n || plan.created + plan.updated + plan.skipped != n {
        return Err(format!(
            "{n} records, plan has {} items ({} created, {} updated, {} skipped)",
            plan.items.len(),
            plan.created,
            plan.updated,
            plan.skipped
        ));
    }
    if plan.updated != 0 {
        return Err("an import into an empty diary updates a contact".to_string());
    }
    for item in &plan.items {
        match (item.outcome, &item.record) {
            (Outcome::Create, Some(c)) => {
                check_contact(c).map_err(|e| format!("contact from line {}: {e}", item.line))?;
            }
            (Outcome::Create, None) => {
                return Err(format!("creation at line {} without a contact", item.line));
            }
            _ => {}
        }
    }
    Ok(())
}
