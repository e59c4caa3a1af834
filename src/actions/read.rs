//! The reads the CLI and the TUI share: resolving what the user typed to a contact, and the
//! insights.

use super::{ActionError, Result, resolve};
use crate::model::Contact;
use crate::planner;
use crate::store::Store;
use chrono::NaiveDate;

/// The contact `query` names (an id, or an unambiguous part of a name or company): for reads, and
/// for the questions a front end asks before an action (the reason of a "no"). Actions resolve
/// again inside their own transaction.
pub fn resolve_contact(store: &Store, query: &str) -> Result<Contact> {
    let id = match resolve::parse_id(query.trim()) {
        Some(id) => crate::model::ContactId(id),
        None => {
            let roster = store.roster()?;
            resolve::contact(roster.rows.iter().map(|(p, _)| p), query)?
        }
    };
    store.contact(id)?.ok_or(ActionError::NoSuchContact(id.0))
}

/// Read what the insights need and compute them (the `insights` verb and the insights pane).
pub fn insights(store: &Store, today: NaiveDate) -> crate::store::Result<planner::Insights> {
    let roster = store.roster()?;
    let weeks = i64::try_from(planner::insights::WEEKS).unwrap_or(26) * 7;
    let from = today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MIN)
        .min(planner::add_days(today, -weeks));
    let touches = store.touches_between(from, today)?;
    let sales = store.sales()?;
    let moves = store.stage_moves()?;
    let diary = planner::Diary {
        settings: &roster.settings,
        categories: &roster.categories,
        rows: &roster.rows,
        touches: &touches,
        sales: &sales,
        moves: &moves,
    };
    Ok(planner::insights(&diary, today))
}
