//! A contact as a vCard, and back, as the fields the merge compares.
//!
//! Writing the card is the vCard export's job (`interop`): it is reached through [`CardWriter`]
//! (contact, UID, extra properties -> vCard text), so sync adds only what is its own: the UID and
//! tickler's fields as X- properties (stage, category, cadence, the reason of a "no"). Reading a
//! card back gives the merge record: FN (else N), ORG, EMAIL, TEL, ADR, BDAY, NOTE, CATEGORIES
//! (the tags) and those X- properties; other properties of other apps are left alone on the server
//! (the merge writes back only when a field it knows changed).

use super::MappingError;
use crate::model::{Birthday, Contact};
use crate::sync::merge::{Record, Value};
use calcard::vcard::{VCard, VCardProperty, VCardValue};
use calcard::{Entry, Parser};

/// Writes a contact as a vCard with the given UID and extra properties (name, value). Implemented
/// by the vCard export.
pub trait CardWriter {
    fn card(&self, contact: &Contact, uid: &str, extra: &[(String, String)]) -> String;
}

pub const X_STAGE: &str = "X-TICKLER-STAGE";
pub const X_CATEGORY: &str = "X-TICKLER-CATEGORY";
pub const X_CADENCE: &str = "X-TICKLER-CADENCE";
pub const X_NO_REASON: &str = "X-TICKLER-NO-REASON";

/// tickler's own fields as X- properties (absent values left out).
pub fn extra(contact: &Contact, category: Option<&str>) -> Vec<(String, String)> {
    let mut out = vec![(X_STAGE.to_string(), contact.stage.to_string())];
    if let Some(c) = category {
        out.push((X_CATEGORY.to_string(), c.to_string()));
    }
    if let Some(c) = contact.cadence {
        out.push((X_CADENCE.to_string(), c.to_string()));
    }
    if let Some(r) = contact.no_reason {
        out.push((X_NO_REASON.to_string(), r.to_string()));
    }
    out
}

/// The merge record of a contact in the diary; `category` is its category's name.
pub fn record(contact: &Contact, category: Option<&str>) -> Record {
    let mut r = Record::new();
    r.insert("name".into(), Value::one(&contact.name));
    r.insert("company".into(), Value::opt(contact.company.clone()));
    r.insert("emails".into(), Value::set(contact.emails.iter().cloned()));
    r.insert("phones".into(), Value::set(contact.phones.iter().cloned()));
    r.insert("address".into(), Value::opt(contact.address.clone()));
    r.insert(
        "birthday".into(),
        Value::opt(contact.birthday.map(|b| b.to_string())),
    );
    r.insert("tags".into(), Value::set(contact.tags.iter().cloned()));
    r.insert("notes".into(), Value::text(&contact.notes));
    for (k, v) in extra(contact, category) {
        r.insert(field_of(&k).to_string(), Value::one(v));
    }
    r.retain(|_, v| !matches!(v, Value::None) && *v != Value::text(""));
    r
}

/// The record field of an X- property.
fn field_of(property: &str) -> &'static str {
    match property {
        X_STAGE => "stage",
        X_CATEGORY => "category",
        X_CADENCE => "cadence",
        _ => "no_reason",
    }
}

/// A card as read from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCard {
    pub uid: String,
    pub record: Record,
}

fn texts(values: &[VCardValue]) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        match v {
            VCardValue::Text(t) => out.push(t.clone()),
            VCardValue::Component(parts) => out.extend(parts.iter().cloned()),
            VCardValue::Integer(n) => out.push(n.to_string()),
            _ => {}
        }
    }
    out
}

/// The BDAY as written (calcard loses the day of `--MM-DD`), as tickler writes birthdays.
fn birthday(text: &str) -> Option<String> {
    let raw = text.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        let prop = key.split(';').next()?.rsplit('.').next()?;
        prop.trim()
            .eq_ignore_ascii_case("BDAY")
            .then(|| value.trim().to_string())
    })?;
    let digits = raw.trim_start_matches("--").replace('-', "");
    let parsed = match (raw.starts_with("--"), digits.len()) {
        (true, 4) => format!("{}-{}", &digits[..2], &digits[2..]),
        (false, 8) => format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]),
        _ => raw.clone(),
    };
    parsed.parse::<Birthday>().ok().map(|b| b.to_string())
}

/// ADR as lines: pobox, extended, street, "code locality", region, country (the import's order).
fn address(vals: &[String]) -> String {
    let get = |i: usize| vals.get(i).map(|s| s.trim()).unwrap_or("");
    let city = [get(5), get(3)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [get(0), get(1), get(2), city.as_str(), get(4), get(6)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn fill(r: &mut Record, vc: &VCard) -> Option<String> {
    let (mut uid, mut emails, mut phones, mut tags, mut notes) =
        (None, Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut n_name = String::new();
    for e in &vc.entries {
        let vals = texts(&e.values);
        let first = vals.first().cloned().unwrap_or_default();
        match &e.name {
            VCardProperty::Uid => uid = Some(first),
            VCardProperty::Fn => {
                r.entry("name".into())
                    .or_insert(Value::opt(Some(vals.join(" "))));
            }
            VCardProperty::N if n_name.is_empty() => {
                let get = |i: usize| vals.get(i).map(|s| s.trim()).unwrap_or("");
                n_name = [get(3), get(1), get(2), get(0), get(4)]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            VCardProperty::Org => {
                r.entry("company".into()).or_insert(Value::opt(Some(first)));
            }
            VCardProperty::Email => emails.push(first.trim_start_matches("mailto:").to_string()),
            VCardProperty::Tel => phones.push(first.trim_start_matches("tel:").to_string()),
            VCardProperty::Adr => {
                r.entry("address".into())
                    .or_insert(Value::opt(Some(address(&vals))));
            }
            VCardProperty::Note => notes.extend(vals),
            VCardProperty::Categories => tags.extend(vals),
            VCardProperty::Other(name) => {
                let name = name.to_ascii_uppercase();
                if [X_STAGE, X_CATEGORY, X_CADENCE, X_NO_REASON].contains(&name.as_str()) {
                    r.insert(field_of(&name).to_string(), Value::opt(Some(first)));
                }
            }
            _ => {}
        }
    }
    if !r.contains_key("name") && !n_name.is_empty() {
        r.insert("name".into(), Value::one(n_name));
    }
    r.insert("emails".into(), Value::set(emails));
    r.insert("phones".into(), Value::set(phones));
    r.insert("tags".into(), Value::set(tags));
    r.insert("notes".into(), Value::text(notes.join("\n")));
    uid
}

/// Read a vCard (3.0 or 4.0) into its UID and merge record.
pub fn read(text: &str) -> Result<RemoteCard, MappingError> {
    let vc = match Parser::new(text).entry() {
        Entry::VCard(vc) => vc,
        _ => {
            return Err(MappingError::Unreadable {
                what: "vCard",
                detail: "no BEGIN:VCARD ... END:VCARD card".to_string(),
            });
        }
    };
    let mut r = Record::new();
    let uid = fill(&mut r, &vc).ok_or(MappingError::Missing {
        what: "vCard",
        field: "UID",
    })?;
    if let Some(b) = birthday(text) {
        r.insert("birthday".into(), Value::one(b));
    }
    r.retain(|_, v| {
        !matches!(v, Value::None) && *v != Value::text("") && *v != Value::Set(Default::default())
    });
    Ok(RemoteCard { uid, record: r })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cadence, ContactId, NoReason, Stage};
    use chrono::NaiveDate;

    fn ada() -> Contact {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let mut c = Contact::new(ContactId(12), "Ada Lovelace", today);
        c.company = Some("Analytical Engines".into());
        c.emails = vec!["ada@example.com".into(), "al@example.org".into()];
        c.phones = vec!["+44 20 7946 0000".into()];
        c.birthday = Some("--12-10".parse().unwrap());
        c.tags = vec!["vip".into(), "engines".into()];
        c.notes = "met at the fair\nwants a quote".into();
        c.stage = Stage::StayInTouch;
        c.no_reason = Some(NoReason::NoMoney);
        c.cadence = Some(Cadence::days(45));
        c
    }

    /// A card as a CardDAV server or phone keeps it (hand-written; the export writes the real one).
    const CARD: &str = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:9f8e-contact\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nORG:Analytical Engines\r\nEMAIL;TYPE=work:ada@example.com\r\nEMAIL:al@example.org\r\nTEL;VALUE=uri:tel:+44 20 7946 0000\r\nBDAY:--1210\r\nNOTE:met at the fair\\nwants a quote\r\nCATEGORIES:vip,engines\r\nX-TICKLER-STAGE:stay-in-touch\r\nX-TICKLER-CADENCE:45d\r\nX-TICKLER-NO-REASON:no-money\r\nX-PHONE-APP-COLOR:blue\r\nEND:VCARD\r\n";

    #[test]
    fn a_card_reads_as_the_contact_it_came_from() {
        let card = read(CARD).unwrap();
        assert_eq!(card.uid, "9f8e-contact");
        let mut expected = record(&ada(), None);
        // The cadence is written as the model shows it.
        expected.insert("cadence".into(), Value::one(Cadence::days(45).to_string()));
        let mut got = card.record.clone();
        got.insert("cadence".into(), Value::one(Cadence::days(45).to_string()));
        assert_eq!(got, expected);
    }

    #[test]
    fn extra_properties_name_tickler_fields() {
        let x = extra(&ada(), Some("Key accounts"));
        let names: Vec<&str> = x.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, [X_STAGE, X_CATEGORY, X_CADENCE, X_NO_REASON]);
        assert_eq!(x[0].1, "stay-in-touch");
        assert_eq!(
            record(&ada(), Some("Key accounts"))["category"],
            Value::one("Key accounts")
        );
    }

    #[test]
    fn a_card_without_uid_or_fn() {
        assert!(read("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\nEND:VCARD\r\n").is_err());
        let r = read("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u\r\nN:Lovelace;Ada;;;\r\nBDAY:1815-12-10\r\nEND:VCARD\r\n").unwrap();
        assert_eq!(r.record["name"], Value::one("Ada Lovelace"));
        assert_eq!(r.record["birthday"], Value::one("1815-12-10"));
        assert!(read("hello").is_err());
    }
}
