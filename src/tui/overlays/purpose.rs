//! What each form is for: its fields, and how they become action requests. Parsing what was
//! typed (a date, a birthday, a cadence, lists separated by commas) is the front end's; every rule
//! (validation, the loop's closing of planned touches) stays in [`crate::actions`].

use super::super::component::{Ctx, Effect, Then, acts};
use super::super::requests;
use super::form::{Field, Form};
use crate::actions::{AddRequest, ContactPatch, Request};
use crate::model::{Birthday, Cadence, Channel, Contact, ContactId, Direction, NoReason, Stage};
use std::collections::BTreeSet;

/// The address has this many lines in the form (more when the contact's has more).
const ADDRESS_LINES: usize = 3;
const ADDRESS: [&str; 6] = [
    "address",
    "address 2",
    "address 3",
    "address 4",
    "address 5",
    "address 6",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Edit every field of this contact (as read when the form opened).
    Edit(Box<Contact>),
    /// A new contact.
    Add,
    /// Done on the contacts' items, with another channel, inbound, a summary.
    Done(Vec<ContactId>),
    /// A touch that happened, logged on the contacts.
    Log(Vec<ContactId>),
}

fn channels() -> Vec<String> {
    Channel::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

fn directions() -> Vec<String> {
    vec!["out".to_string(), "in".to_string()]
}

fn categories(ctx: &Ctx<'_>) -> Vec<String> {
    std::iter::once("-".to_string())
        .chain(ctx.diary.roster.categories.iter().map(|k| k.name.clone()))
        .collect()
}

/// The contact's fields (empty for a new one).
fn contact_fields(c: Option<&Contact>, ctx: &Ctx<'_>) -> Vec<Field> {
    let join = |v: Option<&Vec<String>>| v.map(|v| v.join(", ")).unwrap_or_default();
    let address: Vec<&str> = c
        .and_then(|c| c.address.as_deref())
        .map(crate::text::address_lines)
        .unwrap_or_default();
    let category = c
        .and_then(|c| c.category)
        .and_then(|id| ctx.diary.roster.categories.iter().position(|k| k.id == id))
        .map_or(0, |i| i + 1);
    let mut fields = vec![
        Field::text("name", c.map_or("", |c| c.name.as_str())),
        Field::text(
            "company",
            c.and_then(|c| c.company.as_deref()).unwrap_or(""),
        ),
        Field::text("emails", &join(c.map(|c| &c.emails))),
        Field::text("phones", &join(c.map(|c| &c.phones))),
    ];
    let lines = address.len().max(ADDRESS_LINES).min(ADDRESS.len());
    for (i, label) in ADDRESS.iter().take(lines).enumerate() {
        fields.push(Field::text(label, address.get(i).copied().unwrap_or("")));
    }
    let birthday = c.and_then(|c| c.birthday).map(|b| b.to_string());
    let cadence = c.and_then(|c| c.cadence).map(|k| k.to_string());
    fields.extend([
        Field::text("birthday", birthday.as_deref().unwrap_or("")),
        Field::choice("category", categories(ctx), category),
        Field::text("tags", &join(c.map(|c| &c.tags))),
        Field::text("cadence", cadence.as_deref().unwrap_or("")),
    ]);
    fields
}

impl Form {
    /// Every field of `c`.
    pub fn edit(c: Contact, ctx: &Ctx<'_>) -> Form {
        Form {
            title: format!(
                " Edit {} · Enter saves ",
                crate::text::who(c.id, &c.label())
            ),
            fields: contact_fields(Some(&c), ctx),
            focus: 0,
            purpose: Purpose::Edit(Box::new(c)),
        }
    }

    /// A new contact with everything `tickler add` takes.
    pub fn add(ctx: &Ctx<'_>) -> Form {
        let mut fields = contact_fields(None, ctx);
        let stages = Stage::ALL
            .iter()
            .filter(|s| s.is_kept())
            .map(|s| s.as_str().to_string())
            .collect();
        let reasons = std::iter::once("-".to_string())
            .chain(NoReason::NAMES.iter().map(|r| (*r).to_string()))
            .collect();
        fields.push(Field::choice("stage", stages, 0));
        fields.push(Field::choice("reason", reasons, 0));
        Form {
            title: " New contact · Enter saves ".to_string(),
            fields,
            focus: 0,
            purpose: Purpose::Add,
        }
    }

    /// Done with another channel or as inbound, and a summary (focus on the summary: `D`, a
    /// summary and Enter is a done with a summary).
    pub fn done(contacts: Vec<ContactId>, ctx: &Ctx<'_>) -> Form {
        let d = ctx.diary;
        let channel = contacts
            .first()
            .and_then(|&id| d.row_of(id))
            .and_then(|r| d.due(r))
            .and_then(|due| Channel::ALL.iter().position(|c| *c == due.channel))
            .unwrap_or(0);
        Form {
            title: format!(" Done with {} ", d.whom(&contacts)),
            fields: vec![
                Field::choice("channel", channels(), channel),
                Field::choice("direction", directions(), 0),
                Field::text("summary", ""),
            ],
            focus: 0,
            purpose: Purpose::Done(contacts),
        }
        .focus_on("summary")
    }

    /// A touch that happened: channel, direction, day (empty: today), summary.
    pub fn log(contacts: Vec<ContactId>, ctx: &Ctx<'_>) -> Form {
        Form {
            title: format!(" Log a touch with {} ", ctx.diary.whom(&contacts)),
            fields: vec![
                Field::choice("channel", channels(), 0),
                Field::choice("direction", directions(), 0),
                Field::text("date", ""),
                Field::text("summary", ""),
            ],
            focus: 0,
            purpose: Purpose::Log(contacts),
        }
    }
}

/// The form's fields as action requests, or what is wrong with what was typed.
pub fn submit(form: &Form, ctx: &Ctx<'_>) -> Result<Vec<Effect>, String> {
    let today = ctx.today();
    let direction = if form.get("direction") == "in" {
        Direction::In
    } else {
        Direction::Out
    };
    let channel = form.get("channel").parse::<Channel>().ok();
    let summary = form.get("summary").trim().to_string();
    let d = ctx.diary;
    Ok(match &form.purpose {
        Purpose::Edit(c) => match patch(form, c, ctx)? {
            Some(p) => vec![acts(vec![requests::edit(c.id, p)], Then::Close)],
            None => vec![Effect::Pop, Effect::Say("nothing changed".to_string())],
        },
        Purpose::Add => vec![acts(
            vec![Request::Add(add_request(form, ctx)?)],
            Then::Close,
        )],
        Purpose::Done(ids) => {
            let reqs: Vec<Request> = ids
                .iter()
                .map(|&id| {
                    let touch = d.item_touch(id);
                    requests::done(id, touch, today, channel, direction, summary.clone())
                })
                .collect();
            let then = match ids.as_slice() {
                [one] => Then::CloseAndDecide(*one),
                _ => Then::Close,
            };
            vec![acts(reqs, then)]
        }
        Purpose::Log(ids) => {
            let date = match form.get("date").trim() {
                "" => today,
                t => crate::dates::parse_date(t, today).map_err(|e| e.to_string())?,
            };
            let channel = channel.ok_or("pick a channel")?;
            let reqs = ids
                .iter()
                .map(|&id| requests::log(id, date, channel, direction, summary.clone()))
                .collect();
            vec![acts(reqs, Then::Close)]
        }
    })
}

/// A comma-separated list, trimmed, empties dropped.
fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The address lines of the form, joined by newlines.
fn address(form: &Form) -> String {
    ADDRESS
        .iter()
        .map(|l| form.get(l).trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn birthday(form: &Form) -> Result<Option<Birthday>, String> {
    match form.get("birthday").trim() {
        "" => Ok(None),
        t => t.parse::<Birthday>().map(Some),
    }
}

fn cadence(form: &Form) -> Result<Option<Cadence>, String> {
    match form.get("cadence").trim() {
        "" => Ok(None),
        t => t.parse::<Cadence>().map(Some),
    }
}

/// The category chosen, by name (`None`: none).
fn category(form: &Form) -> Option<String> {
    match form.get("category") {
        "-" | "" => None,
        name => Some(name.to_string()),
    }
}

/// What was added to and removed from a list.
fn diff(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let (o, n): (BTreeSet<&String>, BTreeSet<&String>) =
        (old.iter().collect(), new.iter().collect());
    (
        new.iter().filter(|v| !o.contains(v)).cloned().collect(),
        old.iter().filter(|v| !n.contains(v)).cloned().collect(),
    )
}

/// The fields that changed, as a patch (`None`: nothing changed).
fn patch(form: &Form, c: &Contact, ctx: &Ctx<'_>) -> Result<Option<ContactPatch>, String> {
    let mut p = ContactPatch::default();
    let changed = |new: &str, old: &str| (new != old).then(|| new.to_string());
    p.name = changed(form.get("name").trim(), &c.name);
    p.company = changed(
        form.get("company").trim(),
        c.company.as_deref().unwrap_or(""),
    );
    (p.add_emails, p.remove_emails) = diff(&c.emails, &list(form.get("emails")));
    (p.add_phones, p.remove_phones) = diff(&c.phones, &list(form.get("phones")));
    (p.add_tags, p.remove_tags) = diff(&c.tags, &list(form.get("tags")));
    p.address = changed(&address(form), c.address.as_deref().unwrap_or(""));
    let b = birthday(form)?;
    p.birthday = (b != c.birthday).then_some(b);
    let k = cadence(form)?;
    p.cadence = (k != c.cadence).then_some(k);
    let old_category = c.category.map(|id| ctx.diary.category_name(id));
    let new_category = category(form);
    if new_category != old_category {
        p.category = Some(new_category.unwrap_or_else(|| "none".to_string()));
    }
    Ok((p != ContactPatch::default()).then_some(p))
}

fn add_request(form: &Form, _ctx: &Ctx<'_>) -> Result<AddRequest, String> {
    let company = form.get("company").trim();
    let address = address(form);
    let reason = match form.get("reason") {
        "-" | "" => None,
        r => Some(r.parse::<NoReason>()?),
    };
    Ok(AddRequest {
        name: form.get("name").trim().to_string(),
        company: (!company.is_empty()).then(|| company.to_string()),
        emails: list(form.get("emails")),
        phones: list(form.get("phones")),
        address: (!address.is_empty()).then_some(address),
        birthday: birthday(form)?,
        category: category(form),
        tags: list(form.get("tags")),
        stage: Some(form.get("stage").parse::<Stage>()?),
        reason,
        cadence: cadence(form)?,
        notes: String::new(),
    })
}
