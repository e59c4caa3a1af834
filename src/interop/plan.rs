//! Deciding what an import does (pure): parsed records against the contacts already in the diary.
//!
//! Matching on re-import: a record is the same person as an existing contact when its vCard UID
//! is the contact's global id (what tickler's export and sync write), else when it shares an
//! email (case-insensitive), else when name and company are equal (case-insensitive). A match
//! that brings nothing new is skipped; one that brings new emails, phones, tags, an address, a
//! birthday, a company, a category or a cadence is an update (fields are added, never
//! overwritten; the stage is never changed by an import). A record that only shares a name with
//! a contact of another company is created and listed as a possible duplicate.

use super::record::{Malformed, Parsed, Record, Warning};
use crate::model::{Category, CategoryId, Contact, ContactId, Stage, validate};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Defaults for the contacts an import creates.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    pub category: Option<CategoryId>,
    pub stage: Option<Stage>,
    pub today: NaiveDate,
}

/// What an import does with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Create,
    Update,
    Skip,
}

/// One decision of an import plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanItem {
    pub line: usize,
    pub name: String,
    pub outcome: Outcome,
    /// Why: "new contact", "same email as c12", "adds 2 phones to c12"...
    pub reason: String,
    /// The existing contact updated or matched (None for a creation).
    pub contact: Option<ContactId>,
    /// The contact as it will be written (creations carry id 0 until applied).
    #[serde(skip)]
    pub record: Option<Contact>,
    /// The global id a created contact takes: the UID of the card another diary's export or sync
    /// wrote for it, so the person keeps one id (and one card) in both diaries.
    #[serde(skip)]
    pub global_id: Option<String>,
}

/// A created record that looks like an existing contact (same name, another company).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PossibleDuplicate {
    pub line: usize,
    pub name: String,
    pub candidates: Vec<ContactId>,
}

/// The whole import, decided before anything is written.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub mapping: String,
    /// How the file's bytes were read, when not plain UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub malformed: Vec<Malformed>,
    pub warnings: Vec<Warning>,
    pub possible_duplicates: Vec<PossibleDuplicate>,
    pub items: Vec<PlanItem>,
}

impl Plan {
    /// Whether the file brought nothing in: no record created, updated or matched.
    pub fn brought_nothing(&self) -> bool {
        self.items.is_empty()
    }
}

fn name_key(name: &str, company: Option<&str>) -> String {
    format!(
        "{}\u{1f}{}",
        name.trim().to_lowercase(),
        company.unwrap_or("").trim().to_lowercase()
    )
}

/// Slot of a contact in the plan's working set: an existing one or one created earlier in the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Existing(usize),
    New(usize),
}

/// The contacts under one key: almost always one, so no list is allocated for it.
#[derive(Debug, Clone)]
enum Slots {
    One(Slot),
    Many(Vec<Slot>),
}

impl Slots {
    fn as_slice(&self) -> &[Slot] {
        match self {
            Slots::One(s) => std::slice::from_ref(s),
            Slots::Many(v) => v,
        }
    }

    fn add(&mut self, slot: Slot) {
        if self.as_slice().contains(&slot) {
            return;
        }
        match self {
            Slots::One(s) => *self = Slots::Many(vec![*s, slot]),
            Slots::Many(v) => v.push(slot),
        }
    }
}

/// The global id a contact created from `rec` keeps: the UID of a card tickler wrote (its PRODID
/// said so), unless it is a diary-local `tickler-c<id>` or could not name a file.
fn adopted(rec: &Record) -> Option<String> {
    let uid = rec.uid.as_ref()?;
    let ours = rec.source.as_ref() == Some(uid)
        && !uid.starts_with("tickler-c")
        && super::vcard::write::file_safe(uid);
    ours.then(|| uid.clone())
}

/// Add `slot` under `key`.
fn file_under(map: &mut HashMap<String, Slots>, key: String, slot: Slot) {
    match map.get_mut(&key) {
        Some(slots) => slots.add(slot),
        None => {
            map.insert(key, Slots::One(slot));
        }
    }
}

/// Decide what importing `parsed` into a diary holding `existing` (with their `global_ids`, by
/// contact id, and `categories`) does.
pub fn plan(
    existing: &[Contact],
    global_ids: &HashMap<u64, String>,
    categories: &[Category],
    parsed: Parsed,
    opts: &ImportOptions,
) -> Plan {
    let mut p = Planner::new(existing, categories, opts, parsed.warnings);
    for (i, c) in existing.iter().enumerate() {
        if let Some(gid) = global_ids.get(&c.id.0) {
            p.by_uid.insert(gid.clone(), Slot::Existing(i));
        }
    }
    p.items.reserve(parsed.records.len());
    p.created.reserve(parsed.records.len());
    p.sources.reserve(parsed.records.len());
    for rec in parsed.records {
        p.add(rec);
    }
    let mut plan = p.finish();
    plan.mapping = parsed.mapping;
    plan.encoding = parsed.encoding;
    plan.malformed = parsed.malformed;
    plan
}

/// The working state of [`plan`].
struct Planner<'a> {
    opts: &'a ImportOptions,
    categories: &'a [Category],
    contacts: Vec<Contact>,
    created: Vec<Contact>,
    /// The source id of each created contact's record.
    sources: Vec<Option<String>>,
    /// Every contact with an e-mail / a name and company, in diary order.
    by_email: HashMap<String, Slots>,
    by_name: HashMap<String, Slots>,
    by_bare_name: HashMap<String, Vec<ContactId>>,
    /// Contacts by global id, and the contacts created from cards by their UID.
    by_uid: HashMap<String, Slot>,
    items: Vec<PlanItem>,
    dups: Vec<PossibleDuplicate>,
    warnings: Vec<Warning>,
    unknown_categories: HashSet<String>,
}

impl<'a> Planner<'a> {
    fn new(
        existing: &[Contact],
        categories: &'a [Category],
        opts: &'a ImportOptions,
        warnings: Vec<Warning>,
    ) -> Self {
        let mut p = Planner {
            opts,
            categories,
            contacts: existing.to_vec(),
            created: Vec::new(),
            sources: Vec::new(),
            by_email: HashMap::new(),
            by_name: HashMap::new(),
            by_bare_name: HashMap::new(),
            by_uid: HashMap::new(),
            items: Vec::new(),
            dups: Vec::new(),
            warnings,
            unknown_categories: HashSet::new(),
        };
        for (i, c) in existing.iter().enumerate() {
            p.index(c, Slot::Existing(i), None);
            p.by_bare_name
                .entry(c.name.trim().to_lowercase())
                .or_default()
                .push(c.id);
        }
        p
    }

    /// The category a record names, if the diary has it (by name, case-insensitive); an unknown
    /// name is reported once.
    fn category(&mut self, rec: &Record) -> Option<CategoryId> {
        let name = rec.category.as_deref()?;
        let found = self
            .categories
            .iter()
            .find(|k| k.name.trim().eq_ignore_ascii_case(name.trim()));
        if found.is_none() && self.unknown_categories.insert(name.to_lowercase()) {
            self.warnings.push(Warning {
                line: rec.line,
                message: format!(
                    "category '{name}' does not exist, contacts imported without it: create it with `tickler category add`, then import again to set it"
                ),
            });
        }
        found.map(|k| k.id)
    }

    /// Index a contact by its e-mails and its name and company (`key`, when known).
    fn index(&mut self, c: &Contact, slot: Slot, key: Option<String>) {
        for e in &c.emails {
            file_under(&mut self.by_email, e.to_lowercase(), slot);
        }
        let key = key.unwrap_or_else(|| name_key(&c.name, c.company.as_deref()));
        file_under(&mut self.by_name, key, slot);
    }

    /// The contacts a record may be, best first: sharing an e-mail and the name and company,
    /// then an e-mail, then the name and company. Records a diary exported as two contacts stay
    /// two, whatever they share.
    fn candidates(&self, rec: &Record, key: &str) -> Vec<(Slot, String)> {
        if let Some(slot) = rec.uid.as_ref().and_then(|u| self.by_uid.get(u)) {
            return vec![(*slot, "same UID".to_string())];
        }
        let named: &[Slot] = self.by_name.get(key).map_or(&[], Slots::as_slice);
        let mut out: Vec<(Slot, String)> = Vec::new();
        for e in &rec.emails {
            let Some(slots) = self.by_email.get(&e.to_lowercase()) else {
                continue;
            };
            for s in slots.as_slice() {
                if !out.iter().any(|(x, _)| x == s) {
                    let why = if named.contains(s) {
                        format!("same email {e}, name and company")
                    } else {
                        format!("same email {e}")
                    };
                    out.push((*s, why));
                }
            }
        }
        out.sort_by_key(|(s, _)| !named.contains(s));
        for s in named {
            if !out.iter().any(|(x, _)| x == s) {
                out.push((*s, "same name and company".to_string()));
            }
        }
        out.retain(|(slot, _)| match (slot, &rec.source) {
            (Slot::New(i), Some(src)) => self.sources[*i].as_ref().is_none_or(|s| s == src),
            _ => true,
        });
        out
    }

    fn add(&mut self, rec: Record) {
        let category = self.category(&rec);
        let key = name_key(&rec.name, rec.company.as_deref());
        let mut candidates = self.candidates(&rec, &key);
        // Several contacts fit (two share an inbox): the one the record matches exactly.
        if candidates.len() > 1
            && let Some(i) = candidates.iter().position(|(slot, _)| {
                let mut probe = self.slot(*slot).clone();
                absorb(&mut probe, &rec, category, self.opts.today, &mut Vec::new()).is_empty()
            })
        {
            candidates.swap(0, i);
        }
        match candidates.into_iter().next() {
            Some((slot, why)) => self.update(slot, &why, rec, category),
            None => self.create(rec, category, key),
        }
    }

    fn slot(&self, slot: Slot) -> &Contact {
        match slot {
            Slot::Existing(i) => &self.contacts[i],
            Slot::New(i) => &self.created[i],
        }
    }

    fn update(&mut self, slot: Slot, why: &str, rec: Record, category: Option<CategoryId>) {
        let (target, earlier) = match slot {
            Slot::Existing(i) => (&mut self.contacts[i], false),
            Slot::New(i) => (&mut self.created[i], true),
        };
        let changes = absorb(target, &rec, category, self.opts.today, &mut self.warnings);
        let id = target.id;
        let target = target.clone();
        self.index(&target, slot, None);
        let who = if earlier {
            format!("a contact earlier in this file ({why})")
        } else {
            format!("c{id} ({why})")
        };
        let (outcome, reason) = if changes.is_empty() {
            (
                Outcome::Skip,
                format!("already in the diary as {who}, nothing new"),
            )
        } else if earlier {
            // Folded into a contact this import creates: that creation carries it.
            (
                Outcome::Skip,
                format!("merged into {who}: {}", changes.join(", ")),
            )
        } else {
            (
                Outcome::Update,
                format!("{who}: adds {}", changes.join(", ")),
            )
        };
        self.items.push(PlanItem {
            line: rec.line,
            name: rec.name,
            outcome,
            reason,
            contact: (!earlier).then_some(id),
            record: None,
            global_id: None,
        });
    }

    /// A new contact made of the record (already validated and without duplicates: its fields
    /// move over as they are).
    fn create(&mut self, rec: Record, category: Option<CategoryId>, key: String) {
        if !self.by_bare_name.is_empty()
            && let Some(ids) = self.by_bare_name.get(&rec.name.trim().to_lowercase())
        {
            self.dups.push(PossibleDuplicate {
                line: rec.line,
                name: rec.name.clone(),
                candidates: ids.clone(),
            });
        }
        self.items.push(PlanItem {
            line: rec.line,
            name: rec.name.clone(),
            outcome: Outcome::Create,
            reason: "new contact".to_string(),
            contact: None,
            record: None,
            global_id: adopted(&rec),
        });
        let mut c = Contact::new(ContactId(0), rec.name, self.opts.today);
        c.category = category.or(self.opts.category);
        if let Some(st) = rec.stage.or(self.opts.stage) {
            c.stage = st;
        }
        c.no_reason = rec.no_reason;
        c.cadence = rec.cadence;
        c.company = rec.company;
        c.emails = rec.emails;
        c.phones = rec.phones;
        c.address = rec.address;
        c.birthday = rec.birthday;
        c.tags = rec.tags;
        c.notes = rec.notes;
        let slot = Slot::New(self.created.len());
        self.index(&c, slot, Some(key));
        if let Some(uid) = rec.uid {
            self.by_uid.entry(uid).or_insert(slot);
        }
        self.created.push(c);
        self.sources.push(rec.source);
    }

    /// Attach the final records: creations in order, updates from the working set (an existing
    /// contact updated by several records is written once, with everything).
    fn finish(self) -> Plan {
        let Planner {
            contacts,
            created,
            mut items,
            dups,
            warnings,
            ..
        } = self;
        let mut next_created = created.into_iter();
        let index: HashMap<ContactId, usize> = contacts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let mut seen_update = HashSet::new();
        for item in &mut items {
            match item.outcome {
                Outcome::Create => item.record = next_created.next(),
                Outcome::Update => {
                    item.record = item
                        .contact
                        .filter(|id| seen_update.insert(*id))
                        .and_then(|id| index.get(&id))
                        .map(|&i| contacts[i].clone());
                }
                Outcome::Skip => {}
            }
        }
        let count = |o: Outcome| items.iter().filter(|i| i.outcome == o).count();
        Plan {
            created: count(Outcome::Create),
            updated: count(Outcome::Update),
            skipped: count(Outcome::Skip),
            warnings,
            possible_duplicates: dups,
            items,
            ..Plan::default()
        }
    }
}

/// Add what `rec` knows and `c` lacks; returns what changed ("1 email", "birthday"...). Tags and
/// notes stop at the model's limits (several records merged into one contact could pass them); what
/// does not fit is dropped with a warning. `category` is the record's, resolved.
fn absorb(
    c: &mut Contact,
    rec: &Record,
    category: Option<CategoryId>,
    today: NaiveDate,
    warnings: &mut Vec<Warning>,
) -> Vec<String> {
    let mut changes = Vec::new();
    let mut add = |list: &mut Vec<String>, new: &[String], what: &str, max: usize| {
        let before = list.len();
        for v in new {
            if list.iter().any(|x| x.eq_ignore_ascii_case(v)) {
                continue;
            }
            if list.len() >= max {
                warnings.push(Warning {
                    line: rec.line,
                    message: format!(
                        "{what}s after the first {max} dropped: that is the most a contact can have"
                    ),
                });
                break;
            }
            list.push(v.clone());
        }
        let n = list.len() - before;
        if n > 0 {
            changes.push(format!("{n} {what}{}", if n == 1 { "" } else { "s" }));
        }
    };
    add(&mut c.emails, &rec.emails, "email", usize::MAX);
    add(&mut c.phones, &rec.phones, "phone", usize::MAX);
    add(&mut c.tags, &rec.tags, "tag", validate::MAX_TAGS);
    let mut fill = |missing: bool, what: &str| {
        if missing {
            changes.push(what.to_string());
        }
        missing
    };
    if fill(c.company.is_none() && rec.company.is_some(), "company") {
        c.company.clone_from(&rec.company);
    }
    if fill(c.address.is_none() && rec.address.is_some(), "address") {
        c.address.clone_from(&rec.address);
    }
    if fill(c.birthday.is_none() && rec.birthday.is_some(), "birthday") {
        c.birthday = rec.birthday;
    }
    if fill(c.category.is_none() && category.is_some(), "category") {
        c.category = category;
    }
    if fill(c.cadence.is_none() && rec.cadence.is_some(), "cadence") {
        c.cadence = rec.cadence;
    }
    add_notes(c, rec, &mut changes, warnings);
    if !changes.is_empty() {
        c.updated = today;
    }
    changes
}

fn add_notes(
    c: &mut Contact,
    rec: &Record,
    changes: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) {
    if rec.notes.is_empty() || c.notes.contains(&rec.notes) {
        return;
    }
    let sep = if c.notes.is_empty() { "" } else { "\n\n" };
    if c.notes.len() + sep.len() + rec.notes.len() > validate::MAX_NOTE_BYTES {
        warnings.push(Warning {
            line: rec.line,
            message: format!(
                "notes not added to {}: together they would pass the limit of {} bytes",
                c.name,
                validate::MAX_NOTE_BYTES
            ),
        });
    } else {
        c.notes.push_str(sep);
        c.notes.push_str(&rec.notes);
        changes.push("notes".to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn opts() -> ImportOptions {
        ImportOptions {
            category: None,
            stage: None,
            today: today(),
        }
    }

    fn rec(line: usize, name: &str, email: &str) -> Record {
        Record {
            line,
            name: name.to_string(),
            emails: if email.is_empty() {
                vec![]
            } else {
                vec![email.to_string()]
            },
            ..Record::default()
        }
    }

    #[test]
    fn merged_records_stay_within_the_tag_and_note_limits() {
        // Two records with the same email become one contact: 2 x 6,000 tags made a contact with
        // 12,000 (the limit is 10,000), 2 x 600 KB of notes one with 1.2 MB (the limit is 1 MiB).
        let big = |line: usize, prefix: &str| Record {
            tags: (0..6000).map(|i| format!("{prefix}{i}")).collect(),
            notes: prefix.repeat(600 * 1024),
            ..rec(line, "Ada", "ada@example.com")
        };
        let parsed = Parsed {
            records: vec![big(2, "a"), big(3, "b")],
            ..Parsed::default()
        };
        let p = plan(&[], &HashMap::new(), &[], parsed, &opts());
        let c = p.items[0].record.as_ref().unwrap();
        assert_eq!(c.tags.len(), validate::MAX_TAGS);
        assert_eq!(c.notes.len(), 600 * 1024);
        let messages: Vec<&str> = p.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("tags after the first 10000 dropped"));
        assert!(messages[1].starts_with("notes not added to Ada"));
    }

    #[test]
    fn plan_matches_email_then_name_and_company() {
        let mut ada = Contact::new(ContactId(1), "Ada", today());
        ada.emails.push("ada@example.com".into());
        let parsed = Parsed {
            records: vec![
                rec(2, "Ada Lovelace", "ADA@example.com"),
                rec(3, "ada", ""),
                rec(4, "Bob", "bob@example.com"),
                rec(5, "Bob B", "bob@example.com"),
            ],
            ..Parsed::default()
        };
        let p = plan(&[ada], &HashMap::new(), &[], parsed, &opts());
        let outcomes: Vec<Outcome> = p.items.iter().map(|i| i.outcome).collect();
        assert_eq!(
            outcomes,
            [Outcome::Skip, Outcome::Skip, Outcome::Create, Outcome::Skip]
        );
        assert_eq!(p.created, 1);
    }

    #[test]
    fn categories_by_name_stage_and_cadence_of_a_record() {
        let vip = Category {
            id: CategoryId(3),
            name: "Key accounts".into(),
            cadence: "30d".parse().unwrap(),
            channel_mix: Vec::new(),
            priority: 1,
            broadcasts_suffice: false,
            description: String::new(),
        };
        let mut existing = Contact::new(ContactId(1), "Old", today());
        existing.emails.push("old@example.com".into());
        let r = Record {
            category: Some("key ACCOUNTS".into()),
            stage: Some(Stage::Customer),
            cadence: "6w".parse().ok(),
            ..rec(2, "New", "new@example.com")
        };
        let again = Record {
            category: Some("Key accounts".into()),
            stage: Some(Stage::Archived),
            ..rec(3, "Old", "old@example.com")
        };
        let unknown = Record {
            category: Some("Nope".into()),
            ..rec(4, "Third", "")
        };
        let parsed = Parsed {
            records: vec![r, again, unknown],
            ..Parsed::default()
        };
        let p = plan(
            &[existing],
            &HashMap::new(),
            std::slice::from_ref(&vip),
            parsed,
            &opts(),
        );
        let new = p.items[0].record.as_ref().unwrap();
        assert_eq!(new.category, Some(CategoryId(3)));
        assert_eq!(new.stage, Stage::Customer);
        assert_eq!(new.cadence.map(|c| c.to_string()).as_deref(), Some("6w"));
        let old = p.items[1].record.as_ref().unwrap();
        assert_eq!(old.category, Some(CategoryId(3)));
        assert_eq!(old.stage, Stage::Lead, "an import never moves a contact");
        assert!(p.items[1].reason.contains("category"));
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].message.contains("'Nope' does not exist"));
    }
}
