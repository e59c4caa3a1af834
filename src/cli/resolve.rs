//! The CLI's names for the one resolution rule ([`crate::actions::resolve`]): a contact by id or
//! unambiguous part of a name, a category by id or name.

use crate::model::{Category, Contact};
use crate::store::Store;

/// A contact by id (`12`, `c12`) or by an unambiguous part of its name or company.
pub fn contact(store: &Store, arg: &str) -> anyhow::Result<Contact> {
    Ok(crate::actions::resolve_contact(store, arg)?)
}

/// A category by id or case-insensitive name.
pub fn category<'a>(categories: &'a [Category], arg: &str) -> anyhow::Result<&'a Category> {
    Ok(crate::actions::resolve::category(categories, arg)?)
}
