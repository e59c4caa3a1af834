//! `/` fuzzy search over contacts (name, company, tags) with nucleo-matcher.

use super::model::Model;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

/// The most results kept.
pub const MAX_RESULTS: usize = 200;

/// Fill `m.search_results` for `query`, best match first.
pub fn run(m: &mut Model, query: &str) {
    m.search_sel = 0;
    if query.trim().is_empty() {
        m.search_results.clear();
        return;
    }
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut scored: Vec<(u32, crate::model::ContactId)> = m
        .search_index
        .iter()
        .filter_map(|(id, hay)| pattern.score(hay.slice(..), &mut matcher).map(|s| (s, *id)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(MAX_RESULTS);
    m.search_results = scored.into_iter().map(|(_, id)| id).collect();
}
