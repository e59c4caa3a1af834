//! The demo diary: realistic, deterministic generated data (same `--contacts` and `--seed`, same
//! diary). Vocabulary comes from `assets/demo/`.

use crate::store::Bulk;
use chrono::NaiveDate;

/// Generate a demo diary of `contacts` contacts with about three years of history ending `today`.
pub fn generate(contacts: usize, seed: u64, today: NaiveDate) -> Bulk {
    let _ = (contacts, seed, today);
    todo!("demo helper")
}
