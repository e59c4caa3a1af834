//! Fuzzy matching with nucleo-matcher: contacts by name, company, tags and notes (`/`), and any
//! list of words (the command line's verbs and names). Pure: no state, no I/O.

use crate::model::ContactId;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

/// The most results kept.
pub const MAX_RESULTS: usize = 200;

/// The contacts whose text matches `query`, best match first (ties by id).
pub fn contacts(index: &[(ContactId, Utf32String)], query: &str) -> Vec<ContactId> {
    if query.trim().is_empty() {
        return Vec::new();
    }
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut scored: Vec<(u32, ContactId)> = index
        .iter()
        .filter_map(|(id, hay)| pattern.score(hay.slice(..), &mut matcher).map(|s| (s, *id)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(MAX_RESULTS);
    scored.into_iter().map(|(_, id)| id).collect()
}

/// The indexes of `words` that match `query`, best first, at most `max` (all, in order, for an
/// empty query).
pub fn words<'a>(words: impl Iterator<Item = &'a str>, query: &str, max: usize) -> Vec<usize> {
    if query.is_empty() {
        return words.take(max).enumerate().map(|(i, _)| i).collect();
    }
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize)> = words
        .enumerate()
        .filter_map(|(i, w)| {
            let hay = nucleo_matcher::Utf32Str::new(w, &mut buf);
            pattern.score(hay, &mut matcher).map(|s| (s, i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(max);
    scored.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_fuzzily_best_first() {
        let verbs = ["log", "plan", "snooze", "reschedule", "lybunt"];
        let found = words(verbs.iter().copied(), "ly", 5);
        assert_eq!(found.first(), Some(&4));
        assert_eq!(words(verbs.iter().copied(), "", 2), vec![0, 1]);
        assert!(words(verbs.iter().copied(), "zzz", 5).is_empty());
    }
}
