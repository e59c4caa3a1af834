//! Turning what the user typed into records, one rule for the CLI, the TUI's `:` line and every
//! action: a contact by id (`12`, `c12`) or by an unambiguous, case-insensitive part of its name
//! or company, an exact name winning over partial matches; a category by id (`k3`) or name.

use super::error::{ActionError, Candidate, MAX_CANDIDATES};
use crate::model::{Category, ContactId, Profile};

/// How an action names its contact: already resolved, or as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactRef {
    Id(ContactId),
    Query(String),
}

impl From<ContactId> for ContactRef {
    fn from(id: ContactId) -> Self {
        ContactRef::Id(id)
    }
}

impl From<&str> for ContactRef {
    fn from(q: &str) -> Self {
        ContactRef::Query(q.to_string())
    }
}

/// `12` or `c12` as an id.
pub fn parse_id(s: &str) -> Option<u64> {
    let digits = s.strip_prefix(['c', 'C']).unwrap_or(s);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// The one contact `query` names among `profiles`. An id must exist among them; a name must
/// match exactly one contact (an exact, case-insensitive name match wins over partial ones).
pub fn contact<'a>(
    profiles: impl Iterator<Item = &'a Profile> + Clone,
    query: &str,
) -> Result<ContactId, ActionError> {
    let query = query.trim();
    if query.is_empty() {
        return Err(ActionError::EmptyContact);
    }
    if let Some(id) = parse_id(query) {
        return profiles
            .clone()
            .any(|p| p.id.0 == id)
            .then_some(ContactId(id))
            .ok_or(ActionError::NoSuchContact(id));
    }
    let needle = query.to_lowercase();
    let exact: Vec<&Profile> = profiles
        .clone()
        .filter(|p| p.name.to_lowercase() == needle)
        .collect();
    let candidates: Vec<&Profile> = if exact.is_empty() {
        profiles
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
        [] => Err(ActionError::NoMatch(query.to_string())),
        [one] => Ok(one.id),
        many => Err(ActionError::Ambiguous {
            query: query.to_string(),
            candidates: many
                .iter()
                .take(MAX_CANDIDATES)
                .map(|p| Candidate {
                    id: p.id,
                    label: p.label(),
                })
                .collect(),
            total: many.len(),
        }),
    }
}

/// A category by id (`k3`, `3`) or case-insensitive name.
pub fn category<'a>(categories: &'a [Category], arg: &str) -> Result<&'a Category, ActionError> {
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
    categories
        .iter()
        .find(|c| c.name.to_lowercase() == lower)
        .ok_or_else(|| ActionError::NoCategory {
            name: q.to_string(),
            known: categories.iter().map(|c| c.name.clone()).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn p(id: u64, name: &str, company: Option<&str>) -> Profile {
        let mut c = crate::model::Contact::new(
            ContactId(id),
            name,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        );
        c.company = company.map(str::to_string);
        c.profile()
    }

    #[test]
    fn ids() {
        assert_eq!(parse_id("12"), Some(12));
        assert_eq!(parse_id("c12"), Some(12));
        assert_eq!(parse_id("C7"), Some(7));
        assert_eq!(parse_id("carl"), None);
        assert_eq!(parse_id("c"), None);
    }

    #[test]
    fn an_exact_name_wins_over_partial_matches() {
        let all = [
            p(1, "Ann", None),
            p(2, "Annabel Lee", None),
            p(3, "Joanna", Some("Annex Ltd")),
        ];
        assert_eq!(contact(all.iter(), "ann").unwrap(), ContactId(1));
        assert_eq!(contact(all.iter(), "annex").unwrap(), ContactId(3));
        assert_eq!(contact(all.iter(), "c2").unwrap(), ContactId(2));
        match contact(all.iter(), "anna") {
            Err(ActionError::Ambiguous { total, .. }) => assert_eq!(total, 2),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            contact(all.iter(), "c9"),
            Err(ActionError::NoSuchContact(9))
        ));
        assert!(matches!(
            contact(all.iter(), "zed"),
            Err(ActionError::NoMatch(_))
        ));
        assert!(matches!(
            contact(all.iter(), "  "),
            Err(ActionError::EmptyContact)
        ));
    }
}
