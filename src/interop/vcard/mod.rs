//! vCard import (2.1, 3.0 and 4.0) and the vCard writer ([`write`]).
//!
//! The file is cut into cards by their BEGIN/END lines here (so each card keeps the line it starts
//! on and one bad card cannot swallow the next); [`lines`] reads each card's properties. A card
//! becomes a record: FN (else N) is the name, ORG the company, every EMAIL and TEL (a `tel:` URI's
//! `;ext=` kept as `x123`), the first ADR of a place of work (else the first; LABEL when there is
//! no ADR), BDAY, NOTE, CATEGORIES as tags, and tickler's own `X-TICKLER-*` properties. Every
//! other property that holds a value is reported once per file ("TITLE not imported, 3 cards"),
//! as is each further address.

pub mod lines;
pub mod write;

pub use lines::Charsets;
pub use write::{CardOptions, Version, card};

use super::record::{Malformed, Parsed, RawRecord, Warning};
use lines::Property;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Parse a whole .vcf file already decoded as UTF-8 text.
pub fn parse(text: &str) -> Parsed {
    parse_counting(text, &AtomicUsize::new(0))
}

/// [`parse`], adding one to `read` per card read (for a progress indicator on another thread).
pub fn parse_counting(text: &str, read: &AtomicUsize) -> Parsed {
    let cs = Charsets {
        given: None,
        file: encoding_rs::UTF_8,
    };
    parse_with(text, cs, read)
}

/// How every card tickler writes starts its PRODID.
pub(crate) const TICKLER_PRODID: &str = "-//tickler//";

/// Properties tickler reads, or that describe the card rather than the person: never reported.
const QUIET: &[&str] = &[
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "REV",
    "UID",
    "CLIENTPIDMAP",
    "SOURCE",
    "NAME",
    "PROFILE",
    "KIND",
    "X-ABUID",
    "X-ABLABEL",
    "X-ABSHOWAS",
    "FN",
    "N",
    "ORG",
    "EMAIL",
    "TEL",
    "ADR",
    "LABEL",
    "BDAY",
    "NOTE",
    "CATEGORIES",
    "X-TICKLER-CATEGORY",
    "X-TICKLER-STAGE",
    "X-TICKLER-CADENCE",
    "X-TICKLER-NO-REASON",
];

/// What one file's cards did not bring in, by property: (cards, first line).
type Dropped = BTreeMap<String, (usize, usize)>;

/// Parse a .vcf file's text; QUOTED-PRINTABLE bytes are read as `cs` says.
pub fn parse_with(text: &str, cs: Charsets, read: &AtomicUsize) -> Parsed {
    let mut out = Parsed {
        mapping: "vcard".to_string(),
        ..Parsed::default()
    };
    let mut dropped = Dropped::new();
    // (start line, byte offset of the line after BEGIN)
    let mut open: Option<(usize, usize)> = None;
    let mut nested = 0usize;
    let mut after_agent = false;
    let mut offset = 0usize;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        offset += raw.len();
        let line = raw
            .trim_end_matches(['\r', '\n'])
            .trim_start_matches('\u{feff}');
        let upper = line.trim().to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if open.is_some() && (after_agent || nested > 0) {
                nested += 1;
            } else {
                if let Some((l, _)) = open {
                    out.malformed.push(Malformed {
                        line: l,
                        reason: "card has no END:VCARD before the next BEGIN:VCARD".to_string(),
                    });
                }
                open = Some((line_no, offset));
            }
        } else if upper == "END:VCARD" {
            if nested > 0 {
                nested -= 1;
            } else if let Some((l, start)) = open.take() {
                let body = &text[start..offset - raw.len()];
                read_card(body, l, cs, &mut out, &mut dropped);
                read.fetch_add(1, Ordering::Relaxed);
            } else {
                out.malformed.push(Malformed {
                    line: line_no,
                    reason: "END:VCARD without BEGIN:VCARD".to_string(),
                });
            }
        } else if open.is_none() && !line.trim().is_empty() {
            out.malformed.push(Malformed {
                line: line_no,
                reason: "text outside any BEGIN:VCARD ... END:VCARD card".to_string(),
            });
        }
        if !line.trim().is_empty() && !line.starts_with([' ', '\t']) {
            after_agent = upper.ends_with("AGENT:") || upper.contains(".AGENT:");
        }
    }
    if let Some((l, _)) = open {
        out.malformed.push(Malformed {
            line: l,
            reason: "card has no END:VCARD (the file ends inside it)".to_string(),
        });
    }
    report_dropped(dropped, &mut out.warnings);
    out.warnings.sort_by_key(|w| w.line);
    out
}

/// One warning per standard property not imported ("TITLE not imported (3 cards)"), one for all
/// the private `X-` ones.
fn report_dropped(dropped: Dropped, warnings: &mut Vec<Warning>) {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut private: Vec<String> = Vec::new();
    let mut first_private = usize::MAX;
    for (name, (cards, line)) in dropped {
        if name.starts_with("X-") {
            private.push(format!("{name} ({cards} card{})", plural(cards)));
            first_private = first_private.min(line);
            continue;
        }
        warnings.push(Warning {
            line,
            message: format!(
                "{name} not imported ({cards} card{}): tickler has no field for it",
                plural(cards)
            ),
        });
    }
    if !private.is_empty() {
        warnings.push(Warning {
            line: first_private,
            message: format!(
                "other programs' own properties not imported: {}",
                private.join(", ")
            ),
        });
    }
}

/// One card: `body` is between its BEGIN and END lines; `line` is the BEGIN line.
fn read_card(body: &str, line: usize, cs: Charsets, out: &mut Parsed, dropped: &mut Dropped) {
    let (mut props, unreadable) = lines::properties(body, line + 1, cs);
    let legacy = props
        .iter()
        .find(|p| p.name == "VERSION")
        .is_some_and(|p| p.value.trim() == "2.1");
    for p in &mut props {
        p.legacy = legacy;
    }
    for u in unreadable {
        out.warnings.push(Warning {
            line: u.line,
            message: format!("'{}' is not a vCard property: skipped", u.text),
        });
    }
    let mut seen: Vec<&str> = Vec::new();
    for p in &props {
        let quiet = QUIET.contains(&p.name.as_str()) || p.value.trim().is_empty();
        if !quiet && !seen.contains(&p.name.as_str()) {
            seen.push(&p.name);
            let e = dropped.entry(p.name.clone()).or_insert((0, p.line));
            e.0 += 1;
        }
    }
    match to_raw(&props, line, &mut out.warnings).finish(&mut out.warnings) {
        Ok(r) => out.records.push(r),
        Err(m) => out.malformed.push(m),
    }
}

/// The name from N: prefix, given, additional, family, suffix.
fn n_name(p: &Property) -> String {
    let c = p.components();
    let get = |i: usize| c.get(i).map(|s| s.trim()).unwrap_or("");
    [get(3), get(1), get(2), get(0), get(4)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An ADR as lines: PO box, extended, street, "code city", region, country.
fn adr_text(p: &Property) -> String {
    let c = p.components();
    let get = |i: usize| c.get(i).map(|s| s.trim()).unwrap_or("");
    let city = [get(5), get(3)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [get(0), get(1), get(2), city.as_str(), get(4), get(6)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A BDAY as the importer reads it; Apple's X-APPLE-OMIT-YEAR means no year.
fn bday(p: &Property) -> String {
    let v = p.text().trim().to_string();
    match p.param("X-APPLE-OMIT-YEAR") {
        Some(y) if v.starts_with(y) => format!("1604{}", &v[y.len()..]),
        _ => v,
    }
}

fn to_raw(props: &[Property], line: usize, warnings: &mut Vec<Warning>) -> RawRecord {
    let mut r = RawRecord {
        line,
        ..RawRecord::default()
    };
    let mut n = String::new();
    let mut notes: Vec<String> = Vec::new();
    let mut adrs: Vec<&Property> = Vec::new();
    let mut label: Option<String> = None;
    let mut ours = false;
    for p in props {
        match p.name.as_str() {
            "FN" if r.name.trim().is_empty() => r.name = p.text(),
            "N" if n.is_empty() => n = n_name(p),
            "ORG" if r.company.is_empty() => {
                r.company = p.components().into_iter().next().unwrap_or_default();
            }
            "EMAIL" => r.emails.push(p.text()),
            "TEL" => r.phones.push(p.text()),
            "ADR" => adrs.push(p),
            "LABEL" if label.is_none() => label = Some(p.text()),
            "BDAY" if r.birthday.is_empty() => r.birthday = bday(p),
            "NOTE" => notes.push(p.text()),
            "CATEGORIES" => r.tags.extend(p.list()),
            "X-TICKLER-CATEGORY" => r.category = p.text(),
            "X-TICKLER-STAGE" => r.stage = p.text(),
            "X-TICKLER-CADENCE" => r.cadence = p.text(),
            "X-TICKLER-NO-REASON" => r.no_reason = p.text(),
            "UID" if r.uid.is_empty() => r.uid = p.text(),
            "PRODID" => ours = p.value.starts_with(TICKLER_PRODID),
            _ => {}
        }
    }
    // A card tickler wrote names the contact of the exporting diary: two such cards are two
    // contacts, whatever they share.
    if ours || r.uid.starts_with("tickler-c") {
        r.source = r.uid.clone();
    }
    if r.name.trim().is_empty() {
        r.name = n;
    }
    let filled: Vec<&Property> = adrs
        .into_iter()
        .filter(|p| !adr_text(p).is_empty())
        .collect();
    let keep = filled.iter().position(|p| p.has_type("WORK")).unwrap_or(0);
    for (_, p) in filled.iter().enumerate().filter(|(i, _)| *i != keep) {
        warnings.push(Warning {
            line: p.line,
            message: format!(
                "address '{}' not imported: a contact keeps one postal address",
                adr_text(p).replace('\n', ", ")
            ),
        });
    }
    r.address = match filled.get(keep) {
        Some(p) => adr_text(p),
        None => label.unwrap_or_default(),
    };
    r.notes = notes.join("\n");
    r
}

#[cfg(test)]
mod tests;
