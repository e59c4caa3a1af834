//! The vCard writer: a contact as one vCard 4.0 (RFC 6350) or 3.0 (RFC 2426) card, for
//! `tickler export --format vcf` and for CardDAV sync.
//!
//! Written: VERSION, PRODID (tickler), UID, FN, N (the name split at its last space), ORG, every
//! EMAIL (the first preferred) and TEL (as text, so a number keeps its spaces and its `x12`
//! extension), ADR (the whole address in the street field, lines kept), BDAY (4.0 `--MMDD` without
//! a year; 3.0 Apple's `X-APPLE-OMIT-YEAR=1604`), NOTE, CATEGORIES (the tags), REV (the day of the
//! last change), tickler's fields as `X-TICKLER-STAGE`, `-CATEGORY`, `-CADENCE`, `-NO-REASON`
//! (the importer reads them back), then the caller's extra properties. Lines end in CRLF and are
//! folded at 75 octets, never inside a UTF-8 character. Pure: same contact, same text.

use crate::model::Contact;

/// Which vCard version to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// vCard 4.0 (RFC 6350): CardDAV servers, khard, current phones.
    #[default]
    V4,
    /// vCard 3.0 (RFC 2426): older phones and address books.
    V3,
}

/// What goes into a card besides the contact's own fields.
#[derive(Debug, Clone, Copy)]
pub struct CardOptions<'a> {
    pub version: Version,
    /// The card's UID: the same for a contact in every export (a CardDAV server, khard and
    /// vdirsyncer key on it). See [`uid`] for tickler's own.
    pub uid: &'a str,
    /// The name of the contact's category (a contact stores the category's id).
    pub category: Option<&'a str>,
    /// More properties, written after the contact's own as `NAME:value` (the value escaped as
    /// text), e.g. `("X-TICKLER-SYNC-ETAG", "...")`. Names should start with `X-`.
    pub extra: &'a [(&'a str, &'a str)],
    /// Write tickler's own fields (`X-TICKLER-STAGE`, `-CATEGORY`, `-CADENCE`, `-NO-REASON`).
    /// A caller that passes them in `extra` itself (sync) sets this to false.
    pub tickler_fields: bool,
}

/// A contact's card UID, the one rule for `export --format vcf` and for sync: the contact's global
/// id (every contact has one since schema 4; the same card on a CardDAV server, in a vdir and in an
/// exported file), else `tickler-c<id>`.
pub fn uid(c: &Contact, global_id: Option<&str>) -> String {
    match global_id.map(str::trim) {
        Some(g) if !g.is_empty() => g.to_string(),
        _ => format!("tickler-c{}", c.id),
    }
}

/// Whether a UID can name a file as it is (a vdir's `<UID>.vcf`): 1 to 200 letters, digits and
/// `-_.@+=`, not starting with a dot. Global ids tickler draws always can; a UID taken over from
/// another program may not.
pub fn file_safe(uid: &str) -> bool {
    (1..=200).contains(&uid.len())
        && !uid.starts_with('.')
        && uid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.@+=".contains(&b))
}

/// The contact as one vCard (CRLF line ends, folded, ending with `END:VCARD\r\n`).
///
/// ```ignore
/// let text = card(&contact, &CardOptions { version: Version::V4, uid: &uid(&contact, gid),
///     category: Some("Key accounts"), extra: &[("X-MY-APP", "42")], tickler_fields: true });
/// ```
pub fn card(c: &Contact, opts: &CardOptions<'_>) -> String {
    let v4 = opts.version == Version::V4;
    let mut out = String::with_capacity(512);
    let mut put = |name: &str, value: &str| fold_into(&mut out, &format!("{name}:{value}"));
    put("BEGIN", "VCARD");
    put("VERSION", if v4 { "4.0" } else { "3.0" });
    put(
        "PRODID",
        &format!(
            "{}tickler {}//EN",
            super::TICKLER_PRODID,
            env!("CARGO_PKG_VERSION")
        ),
    );
    put("UID", &text(opts.uid));
    put("FN", &text(&c.name));
    let (given, family) = match c.name.trim().rsplit_once(' ') {
        Some((g, f)) => (g.trim(), f.trim()),
        None => ("", c.name.trim()),
    };
    put(
        "N",
        &format!("{};{};;;", component(family), component(given)),
    );
    if let Some(org) = &c.company {
        put("ORG", &component(org));
    }
    for (i, e) in c.emails.iter().enumerate() {
        let name = match (v4, i) {
            (true, 0) => "EMAIL;PREF=1",
            (true, _) => "EMAIL",
            (false, 0) => "EMAIL;TYPE=INTERNET,PREF",
            (false, _) => "EMAIL;TYPE=INTERNET",
        };
        put(name, &text(e));
    }
    for p in &c.phones {
        put(if v4 { "TEL;VALUE=text" } else { "TEL" }, &text(p));
    }
    if let Some(a) = &c.address {
        put("ADR", &format!(";;{};;;;", component(a)));
    }
    if let Some(b) = c.birthday {
        match (b.year, v4) {
            (Some(y), true) => put("BDAY", &format!("{y:04}{:02}{:02}", b.month, b.day)),
            (Some(y), false) => put("BDAY", &format!("{y:04}-{:02}-{:02}", b.month, b.day)),
            (None, true) => put("BDAY", &format!("--{:02}{:02}", b.month, b.day)),
            (None, false) => put(
                "BDAY;X-APPLE-OMIT-YEAR=1604",
                &format!("1604-{:02}-{:02}", b.month, b.day),
            ),
        }
    }
    if !c.notes.is_empty() {
        put("NOTE", &text(&c.notes));
    }
    if !c.tags.is_empty() {
        let tags: Vec<String> = c.tags.iter().map(|t| component(t)).collect();
        put("CATEGORIES", &tags.join(","));
    }
    if opts.tickler_fields {
        put("X-TICKLER-STAGE", c.stage.as_str());
        if let Some(k) = opts.category {
            put("X-TICKLER-CATEGORY", &text(k));
        }
        if let Some(k) = c.cadence {
            put("X-TICKLER-CADENCE", &k.to_string());
        }
        if let Some(r) = c.no_reason {
            put("X-TICKLER-NO-REASON", &r.to_string());
        }
    }
    put("REV", &format!("{}T000000Z", c.updated.format("%Y%m%d")));
    for (name, value) in opts.extra {
        put(name, &text(value));
    }
    put("END", "VCARD");
    out
}

/// A text value escaped: backslash, newline, comma and semicolon.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            other => out.push(other),
        }
    }
    out
}

/// A component of a structured value (N, ADR, ORG, a CATEGORIES item): escaped as text.
fn component(s: &str) -> String {
    text(s)
}

/// Append `line` with CRLF, folded so that no line passes 75 octets (a fold starts the next
/// line with a space) and no UTF-8 character is split.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0usize;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Birthday, ContactId, Stage};
    use chrono::NaiveDate;

    fn ada() -> Contact {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut c = Contact::new(ContactId(7), "Ada King, Countess of Lovelace", day);
        c.company = Some("Engines; Ltd".into());
        c.emails = vec!["ada@example.com".into(), "ada2@example.org".into()];
        c.phones = vec!["+44 20 7946 0958 x12".into()];
        c.address = Some("12 St James's Square\nLondon".into());
        c.birthday = Birthday::new(12, 10, None);
        c.notes = "Met at the\nRoyal Society — ".repeat(4);
        c.tags = vec!["vip".into(), "math; science".into()];
        c.stage = Stage::Customer;
        c.cadence = "6w".parse().ok();
        c
    }

    #[test]
    fn a_card_reads_back_as_the_contact() {
        for version in [Version::V4, Version::V3] {
            let c = ada();
            let opts = CardOptions {
                version,
                uid: &uid(&c, None),
                category: Some("Key accounts"),
                extra: &[("X-SYNC-ETAG", "abc;1")],
                tickler_fields: true,
            };
            let text = card(&c, &opts);
            assert!(text.lines().all(|l| l.len() <= 76), "{text}");
            assert!(text.ends_with("END:VCARD\r\n"));
            assert!(text.contains("UID:tickler-c7\r\n"));
            assert_eq!(r_uid(&text), Some("tickler-c7".to_string()));
            assert!(text.contains("PRODID:-//tickler//tickler "));
            assert!(text.contains("X-SYNC-ETAG:abc\\;1\r\n"));
            let p = super::super::parse(&text);
            assert!(p.malformed.is_empty(), "{:?}", p.malformed);
            let r = &p.records[0];
            assert_eq!(r.name, c.name);
            assert_eq!(r.company, c.company);
            assert_eq!(r.emails, c.emails);
            assert_eq!(r.phones, c.phones);
            assert_eq!(r.address, c.address);
            assert_eq!(r.birthday, c.birthday);
            assert_eq!(r.notes, c.notes.trim());
            assert_eq!(r.tags, c.tags);
            assert_eq!(r.stage, Some(Stage::Customer));
            assert_eq!(r.cadence, c.cadence);
            assert_eq!(r.category.as_deref(), Some("Key accounts"));
            assert_eq!(r.uid.as_deref(), Some("tickler-c7"));
        }
    }

    fn r_uid(text: &str) -> Option<String> {
        super::super::parse(text).records.first()?.uid.clone()
    }

    #[test]
    fn file_safe_uids() {
        assert!(file_safe("0194f3a2-7c1e-7b7e-9c1a-3f2b1d4e5a6b"));
        assert!(file_safe("4c3f9a@google.com"));
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "a b",
            "a\\b",
            "é",
            &"x".repeat(201),
        ] {
            assert!(!file_safe(bad), "{bad}");
        }
    }

    #[test]
    fn the_uid_is_the_global_id_when_there_is_one() {
        let c = ada();
        let gid = "0194f3a2-7c1e-7b7e-9c1a-3f2b1d4e5a6b";
        assert_eq!(uid(&c, Some(gid)), gid);
        assert_eq!(uid(&c, Some(" ")), "tickler-c7");
        assert_eq!(uid(&c, None), "tickler-c7");
        let opts = CardOptions {
            version: Version::V3,
            uid: &uid(&c, Some(gid)),
            category: None,
            extra: &[],
            tickler_fields: true,
        };
        let text = card(&c, &opts);
        assert!(text.contains(&format!("UID:{gid}\r\n")), "{text}");
        let p = super::super::parse(&text);
        // Written by tickler: the UID also tells two contacts of the exporting diary apart.
        assert_eq!(p.records[0].uid.as_deref(), Some(gid));
        assert_eq!(p.records[0].source.as_deref(), Some(gid));
    }

    #[test]
    fn without_tickler_fields_only_the_extra_ones() {
        let c = ada();
        let opts = CardOptions {
            version: Version::V4,
            uid: "x",
            category: Some("Key accounts"),
            extra: &[("X-TICKLER-STAGE", "lead")],
            tickler_fields: false,
        };
        let text = card(&c, &opts);
        assert_eq!(text.matches("X-TICKLER-").count(), 1, "{text}");
        assert!(text.contains("X-TICKLER-STAGE:lead\r\n"));
    }

    #[test]
    fn folds_never_split_a_character() {
        let mut out = String::new();
        fold_into(&mut out, &format!("NOTE:{}", "é".repeat(100)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        let joined = out.replace("\r\n ", "");
        assert_eq!(joined, format!("NOTE:{}\r\n", "é".repeat(100)));
    }
}
