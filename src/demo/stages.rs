//! The demo's stage history: how each contact got to the stage it has, made up after the contacts
//! from their own record (created, stage, stage date, archived-from, reason), so the rest of the
//! demo does not change. Its own ChaCha8 stream (derived from the seed) keeps it deterministic.
//!
//! Prospects climb lead, qualified, proposal; customers climbed there too (or were imported as
//! customers); some customers and prospects said "no" on the way and came back (mostly "no hurry",
//! rarely "no need"); those now out left from wherever they got to.

use crate::model::{Contact, HurryReason, NoReason, Stage, StageMove};
use chrono::NaiveDate;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Mixed into the demo seed so this stream differs from the main one.
const STREAM: u64 = 0x5354_4147_4553; // "STAGES"

/// The stage history of every contact, in contact order then date.
pub(super) fn history(contacts: &[Contact], seed: u64) -> Vec<StageMove> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ STREAM);
    let mut out = Vec::with_capacity(contacts.len() * 3);
    for c in contacts {
        let path = path_of(&mut rng, c);
        let dates = spread(&mut rng, c.created, c.stage_changed, path.len());
        let mut from = None;
        for ((to, reason), date) in path.into_iter().zip(dates) {
            out.push(StageMove {
                contact: c.id,
                date,
                from,
                to,
                reason,
            });
            from = Some(to);
        }
    }
    out
}

type Step = (Stage, Option<NoReason>);

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// The reason of an early "no" that came back: mostly "no hurry".
fn came_back_reason(rng: &mut ChaCha8Rng) -> NoReason {
    use HurryReason::*;
    use NoReason::*;
    let table = [
        (NoHurry(Some(Procrastinate)), 22),
        (NoHurry(Some(OtherPriorities)), 20),
        (NoHurry(Some(BuyingIsWork)), 12),
        (NoHurry(None), 8),
        (NoMoney, 18),
        (NotAFit, 10),
        (NoInterest, 6),
        (NoNeed, 4),
    ];
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (r, w) in table {
        if roll < w {
            return r;
        }
        roll -= w;
    }
    NoHurry(None)
}

/// The climb from lead up to (and including) `top`, with an early "no" and its return sometimes.
fn climb(rng: &mut ChaCha8Rng, top: Stage, p_came_back: f64) -> Vec<Step> {
    let order = [
        Stage::Lead,
        Stage::Qualified,
        Stage::Proposal,
        Stage::Customer,
    ];
    let mut steps = Vec::new();
    for st in order {
        // Some skip qualified or the proposal on the way.
        let skippable = matches!(st, Stage::Qualified | Stage::Proposal) && st != top;
        if !(skippable && chance(rng, 0.2)) {
            steps.push((st, None));
        }
        if st == Stage::Lead && top != Stage::Lead && chance(rng, p_came_back) {
            steps.push((Stage::StayInTouch, Some(came_back_reason(rng))));
        }
        if st == top {
            break;
        }
    }
    steps
}

fn path_of(rng: &mut ChaCha8Rng, c: &Contact) -> Vec<Step> {
    let imported_as_is = c.stage_changed <= c.created;
    match c.stage {
        Stage::Lead => vec![(Stage::Lead, None)],
        _ if imported_as_is => {
            vec![(c.stage, c.stage.is_out().then_some(c.no_reason).flatten())]
        }
        Stage::Qualified | Stage::Proposal => climb(rng, c.stage, 0.08),
        Stage::Customer => climb(rng, Stage::Customer, 0.25),
        Stage::StayInTouch => {
            let top = match rng.random_range(0..10) {
                0..=5 => Stage::Lead,
                6..=8 => Stage::Qualified,
                _ => Stage::Proposal,
            };
            let mut steps = climb(rng, top, 0.0);
            steps.push((Stage::StayInTouch, c.no_reason));
            steps
        }
        Stage::Archived => {
            let from = c.archived_from.unwrap_or(Stage::Lead);
            let mut steps = match from {
                Stage::StayInTouch => {
                    let mut s = climb(rng, Stage::Lead, 0.0);
                    s.push((Stage::StayInTouch, c.no_reason));
                    s
                }
                Stage::Archived => climb(rng, Stage::Lead, 0.0),
                // The demo's archived customers were customers from the start.
                Stage::Customer => vec![(Stage::Customer, None)],
                top => climb(rng, top, 0.1),
            };
            steps.push((Stage::Archived, c.no_reason));
            steps
        }
    }
}

/// `n` dates: the first is `first`, the last `last` (when n > 1), the others random in between,
/// ascending.
fn spread(rng: &mut ChaCha8Rng, first: NaiveDate, last: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let last = last.max(first);
    let span = (last - first).num_days();
    let mut days: Vec<i64> = (0..n.saturating_sub(2))
        .map(|_| {
            if span > 1 {
                rng.random_range(1..span)
            } else {
                0
            }
        })
        .collect();
    days.sort_unstable();
    let mut out = Vec::with_capacity(n);
    if n > 0 {
        out.push(first);
    }
    out.extend(days.into_iter().map(|d| super::shift(first, d)));
    if n > 1 {
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContactId;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_history_ends_in_the_contact_stage_on_its_date() {
        let bulk = super::super::generate(400, 7, d(2026, 11, 24));
        let moves = &bulk.stage_moves;
        for c in &bulk.contacts {
            let mine: Vec<&StageMove> = moves.iter().filter(|m| m.contact == c.id).collect();
            let last = mine.last().unwrap();
            assert_eq!(last.to, c.stage, "{c:?}");
            assert_eq!(mine[0].from, None);
            assert_eq!(mine[0].date, c.created);
            if mine.len() > 1 {
                assert_eq!(last.date, c.stage_changed);
            }
            for w in mine.windows(2) {
                assert!(w[0].date <= w[1].date);
                assert_eq!(w[1].from, Some(w[0].to));
            }
        }
        // Some came back after a "no", and it is deterministic.
        assert!(
            moves
                .iter()
                .any(|m| m.from == Some(Stage::StayInTouch) && m.is_forward())
        );
        assert_eq!(
            super::super::generate(400, 7, d(2026, 11, 24)).stage_moves,
            *moves
        );
    }

    #[test]
    fn spread_keeps_the_ends() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let c = Contact::new(ContactId(1), "x", d(2026, 1, 1));
        assert_eq!(
            spread(&mut rng, c.created, c.created, 1),
            vec![d(2026, 1, 1)]
        );
        let s = spread(&mut rng, d(2026, 1, 1), d(2026, 3, 1), 4);
        assert_eq!((s[0], s[3]), (d(2026, 1, 1), d(2026, 3, 1)));
        assert!(s.windows(2).all(|w| w[0] <= w[1]));
    }
}
