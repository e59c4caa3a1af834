//! Turning what the user typed into records: contacts by id or unambiguous name, categories by name.

use super::error::user;
use crate::model::{Category, Contact, ContactId, Profile};
use crate::store::Store;

/// At most this many candidates are listed for an ambiguous name.
const MAX_CANDIDATES: usize = 10;

/// A contact by id (`12`, `c12`) or by an unambiguous, case-insensitive part of its name or company.
/// An exact name match wins over partial ones; an ambiguous name lists the candidates.
pub fn contact(store: &Store, arg: &str) -> anyhow::Result<Contact> {
    let query = arg.trim();
    if query.is_empty() {
        return Err(user(
            "the contact is empty: give an id (c12) or part of a name",
        ));
    }
    if let Some(id) = parse_id(query) {
        return store.contact(ContactId(id))?.ok_or_else(|| {
            user(format!(
                "no contact with id {id}: `tickler list` shows the ids"
            ))
        });
    }
    let needle = query.to_lowercase();
    // The roster carries names and companies without the rest of each record: cheap to scan.
    let roster = store.roster()?;
    let profiles: Vec<&Profile> = roster.rows.iter().map(|(p, _)| p).collect();
    let exact: Vec<&Profile> = profiles
        .iter()
        .copied()
        .filter(|p| p.name.to_lowercase() == needle)
        .collect();
    let candidates: Vec<&Profile> = if exact.is_empty() {
        profiles
            .iter()
            .copied()
            .filter(|p| {
                p.name.to_lowercase().contains(&needle)
                    || p.company
                        .as_deref()
                        .is_some_and(|co| co.to_lowercase().contains(&needle))
            })
            .collect()
    } else {
        exact
    };
    match candidates.as_slice() {
        [] => Err(user(format!(
            "no contact matches '{query}': check the spelling or use `tickler list`"
        ))),
        [one] => store.contact(one.id)?.ok_or_else(|| {
            user(format!(
                "contact c{} vanished while reading: try again",
                one.id
            ))
        }),
        many => {
            let listed: Vec<String> = many
                .iter()
                .take(MAX_CANDIDATES)
                .map(|p| format!("c{} {}", p.id, p.label()))
                .collect();
            let more = many.len().saturating_sub(MAX_CANDIDATES);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            Err(user(format!(
                "'{query}' matches {} contacts: {}{tail}; give the id (e.g. c{}) or more of the name",
                many.len(),
                listed.join(", "),
                many[0].id
            )))
        }
    }
}

/// `12` or `c12` as an id.
fn parse_id(s: &str) -> Option<u64> {
    let digits = s.strip_prefix(['c', 'C']).unwrap_or(s);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// A category by id or case-insensitive name.
pub fn category<'a>(categories: &'a [Category], arg: &str) -> anyhow::Result<&'a Category> {
    let q = arg.trim();
    let by_id = q
        .strip_prefix(['k', 'K'])
        .unwrap_or(q)
        .parse::<u64>()
        .ok()
        .and_then(|id| categories.iter().find(|c| c.id.0 == id));
    if let Some(c) = by_id {
        return Ok(c);
    }
    let lower = q.to_lowercase();
    if let Some(c) = categories.iter().find(|c| c.name.to_lowercase() == lower) {
        return Ok(c);
    }
    let names: Vec<&str> = categories.iter().map(|c| c.name.as_str()).collect();
    Err(user(if names.is_empty() {
        format!("no category '{q}': create it with `tickler category add '{q}' --cadence 30d`")
    } else {
        format!(
            "no category '{q}': use one of {} or create it with `tickler category add`",
            names.join(", ")
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::parse_id;

    #[test]
    fn ids() {
        assert_eq!(parse_id("12"), Some(12));
        assert_eq!(parse_id("c12"), Some(12));
        assert_eq!(parse_id("C7"), Some(7));
        assert_eq!(parse_id("carl"), None);
        assert_eq!(parse_id("c"), None);
    }
}
