//! The "keep the list clean" review: who to move forward or move out, who is adrift, who cannot
//! be reached.

use super::Entry;
use super::due::{is_adrift, move_forward_or_out};
use crate::model::{ContactId, Settings};
use chrono::NaiveDate;
use serde::Serialize;

/// The review lists, each ascending by contact id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Prospects touched `move_forward_after` times since their last stage change.
    pub move_forward_or_out: Vec<ContactId>,
    /// Kept contacts with nothing planned and no snooze ahead.
    pub adrift: Vec<ContactId>,
    /// Kept contacts with no email, phone or postal address.
    pub unreachable: Vec<ContactId>,
}

/// The review lists. "Move forward or out" uses the same rule as [`super::NextDue`]; adrift means
/// kept with nothing planned and no snooze reaching today.
pub fn review(entries: &[Entry<'_>], s: &Settings, today: NaiveDate) -> Review {
    let mut r = Review::default();
    for e in entries.iter().filter(|e| e.contact.stage.is_kept()) {
        let id = e.contact.id;
        if move_forward_or_out(e.contact, e.facts, s) {
            r.move_forward_or_out.push(id);
        }
        if is_adrift(e.contact, e.facts, today) {
            r.adrift.push(id);
        }
        if e.contact.is_unreachable() {
            r.unreachable.push(id);
        }
    }
    r.move_forward_or_out.sort_unstable();
    r.adrift.sort_unstable();
    r.unreachable.sort_unstable();
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Channel, Contact, Direction, Profile, Snooze, Stage, TouchId};
    use crate::planner::{Facts, PlannedTouch};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 11, 24)
    }

    fn contact(id: u64, stage: Stage) -> Contact {
        let mut c = Contact::new(ContactId(id), format!("c{id}"), d(2026, 1, 1));
        c.stage = stage;
        c.phones.push("+1 555".into());
        c
    }

    fn touched(dates: &[NaiveDate], planned: bool) -> Facts {
        Facts {
            done_outbound: dates.to_vec(),
            planned: if planned {
                vec![PlannedTouch {
                    id: TouchId(1),
                    date: d(2026, 12, 1),
                    channel: Channel::Call,
                    direction: Direction::Out,
                }]
            } else {
                Vec::new()
            },
            ..Facts::default()
        }
    }

    #[test]
    fn lists() {
        let s = Settings::default(); // move forward after 4
        let four = [d(2026, 3, 1), d(2026, 4, 1), d(2026, 5, 1), d(2026, 6, 1)];
        let mut changed_late = contact(2, Stage::Qualified);
        changed_late.stage_changed = d(2026, 4, 1);
        let mut unreachable = contact(5, Stage::Customer);
        unreachable.phones.clear();
        let mut snoozed = contact(6, Stage::Lead);
        snoozed.snooze = Some(Snooze {
            until: today(),
            since: d(2026, 11, 1),
            note: String::new(),
        });
        let mut snooze_over = contact(7, Stage::Lead);
        snooze_over.snooze = Some(Snooze {
            until: d(2026, 11, 23),
            since: d(2026, 11, 1),
            note: String::new(),
        });
        let mut archived = contact(8, Stage::Archived);
        archived.phones.clear();
        let list = vec![
            (contact(9, Stage::Proposal), touched(&four, true)),
            (contact(1, Stage::Lead), touched(&four, true)),
            (changed_late, touched(&four, true)), // 3 since the change
            (contact(3, Stage::Customer), touched(&four, true)), // not a prospect
            (unreachable, touched(&[], true)),
            (snoozed, touched(&[], false)),
            (snooze_over, touched(&[], false)),
            (archived, touched(&four, false)),
            (contact(4, Stage::StayInTouch), touched(&[], false)),
        ];
        let profiles: Vec<Profile> = list.iter().map(|(c, _)| c.profile()).collect();
        let entries: Vec<Entry<'_>> = list
            .iter()
            .zip(&profiles)
            .map(|((_, facts), contact)| Entry {
                contact,
                facts,
                category: None,
            })
            .collect();
        let r = review(&entries, &s, today());
        assert_eq!(r.move_forward_or_out, vec![ContactId(1), ContactId(9)]);
        assert_eq!(r.adrift, vec![ContactId(4), ContactId(7)]);
        assert_eq!(r.unreachable, vec![ContactId(5)]);
    }
}
