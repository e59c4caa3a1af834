//! The `--json` outcome of `log`, `plan` and `snooze`, one record per contact (a single contact
//! or a whole campaign), and the exit status of a batch that skipped everyone.

use super::error::{GuardRefused, user};
use super::output::TouchJson;
use super::pieces::PieceJson;
use crate::actions::batch::{Done, Each};
use crate::actions::{BatchOutcome, Outcome};
use chrono::NaiveDate;
use serde::Serialize;

/// The outcome of a log, plan or snooze in JSON (shapes in the README).
#[derive(Debug, Serialize)]
pub struct OutcomeJson<'a> {
    pub action: &'static str,
    pub dry_run: bool,
    /// The selection ("category Prospects"), `null` for contacts named one by one.
    pub selection: Option<&'a str>,
    pub done: usize,
    pub skipped: usize,
    pub contacts: Vec<EachJson<'a>>,
}

/// One contact's result.
#[derive(Debug, Serialize)]
pub struct EachJson<'a> {
    pub contact_id: u64,
    pub name: &'a str,
    /// logged, planned, snoozed, item_skipped (the due item skipped), moved, edited, or skipped
    /// (left out by a batch: `reason` says why).
    pub status: &'static str,
    pub message: String,
    /// The touch logged or planned.
    pub touch: Option<TouchJson<'a>>,
    /// The planned touch a log completed.
    pub completed: Option<u64>,
    /// Planned touches a log fulfilled and called off.
    pub cancelled: Vec<u64>,
    /// The next touch a log planned so the contact is not adrift.
    pub next_planned: Option<TouchJson<'a>>,
    pub snoozed_until: Option<NaiveDate>,
    /// The annoyance guard's note on a touch recorded anyway.
    pub warning: Option<String>,
    /// Why it was skipped: guard, archived, received or refused.
    pub reason: Option<&'static str>,
    /// The piece the touch carried (a log or plan with --piece).
    pub piece: Option<PieceJson<'a>>,
}

impl<'a> EachJson<'a> {
    fn done(d: &'a Done, today: NaiveDate) -> Self {
        match d {
            Done::Logged(l) => EachJson::logged(l, today),
            Done::Planned(p) => EachJson::planned(p, today),
            Done::Snoozed(s) => EachJson::snoozed(s, today),
            // Not "skipped": that status is a contact a batch left out (with a reason).
            Done::ItemSkipped(s) => {
                let mut j = EachJson::blank(&s.who, s.message(today));
                j.status = "item_skipped";
                j.touch = Some(TouchJson::new(&s.skipped));
                j.next_planned = s.planned_next.as_ref().map(TouchJson::new);
                j
            }
            Done::Moved(m) => {
                let mut j = EachJson::blank(&m.who, m.message(today));
                j.status = "moved";
                j
            }
            Done::Edited(who, e) => {
                let mut j = EachJson::blank(who, e.message(today));
                j.status = "edited";
                j
            }
        }
    }

    fn each(e: &'a Each, today: NaiveDate) -> Self {
        match e {
            Each::Done(d) => EachJson::done(d, today),
            Each::Skipped(s) => EachJson {
                contact_id: s.who.id.0,
                name: &s.who.name,
                status: "skipped",
                message: s.reason.clone(),
                touch: None,
                completed: None,
                cancelled: Vec::new(),
                next_planned: None,
                snoozed_until: None,
                warning: None,
                reason: Some(s.refusal.as_str()),
                piece: None,
            },
        }
    }
}

/// The JSON of a batch.
pub fn batch_json(b: &BatchOutcome, today: NaiveDate) -> OutcomeJson<'_> {
    let contacts: Vec<EachJson<'_>> = b
        .results
        .iter()
        .map(|e| {
            let mut j = EachJson::each(e, today);
            if matches!(e, Each::Done(_)) {
                j.piece = b.piece.as_ref().map(PieceJson::new);
            }
            j
        })
        .collect();
    OutcomeJson {
        action: b.verb,
        dry_run: b.dry_run,
        selection: (!b.selection.is_empty()).then_some(b.selection.as_str()),
        done: b.done().count(),
        skipped: b.skipped().count(),
        contacts,
    }
}

/// The JSON of a log, plan or snooze (one contact or a batch); `None` for other actions.
pub fn outcome_json(out: &Outcome, today: NaiveDate) -> Option<OutcomeJson<'_>> {
    let (action, each) = match out {
        Outcome::Batch(b) => return Some(batch_json(b, today)),
        Outcome::Logged(l) => ("log", EachJson::logged(l, today)),
        Outcome::Planned(p) => ("plan", EachJson::planned(p, today)),
        Outcome::Snoozed(s) => ("snooze", EachJson::snoozed(s, today)),
        _ => return None,
    };
    Some(OutcomeJson {
        action,
        dry_run: false,
        selection: None,
        done: 1,
        skipped: 0,
        contacts: vec![each],
    })
}

impl<'a> EachJson<'a> {
    fn logged(l: &'a crate::actions::Logged, today: NaiveDate) -> Self {
        let mut j = EachJson::blank(&l.who, l.message(today));
        j.status = "logged";
        j.touch = Some(TouchJson::new(&l.touch));
        j.completed = l.completed.map(|t| t.0);
        j.cancelled = l.cancelled.iter().map(|t| t.id.0).collect();
        j.next_planned = l.planned_next.as_ref().map(TouchJson::new);
        j.warning = l.guard.as_ref().map(ToString::to_string);
        j
    }

    fn planned(p: &'a crate::actions::Planned, today: NaiveDate) -> Self {
        let mut j = EachJson::blank(&p.who, p.message(today));
        j.status = "planned";
        j.touch = Some(TouchJson::new(&p.touch));
        j
    }

    fn snoozed(s: &'a crate::actions::Snoozed, today: NaiveDate) -> Self {
        let mut j = EachJson::blank(&s.who, s.message(today));
        j.status = "snoozed";
        j.snoozed_until = Some(s.until);
        j
    }

    fn blank(who: &'a crate::actions::Who, message: String) -> Self {
        EachJson {
            contact_id: who.id.0,
            name: &who.name,
            status: "",
            message,
            touch: None,
            completed: None,
            cancelled: Vec::new(),
            next_planned: None,
            snoozed_until: None,
            warning: None,
            reason: None,
            piece: None,
        }
    }
}

/// A batch that skipped every selected contact changed nothing: exit 3 when the annoyance guard
/// skipped any of them, else 2. (A dry run only shows: it exits 0.)
pub fn refused_all(b: &BatchOutcome) -> anyhow::Result<()> {
    if b.dry_run || b.done().next().is_some() || b.results.is_empty() {
        return Ok(());
    }
    let n = b.results.len();
    // One contact named alone: its refusal is the error.
    if let ([Each::Skipped(s)], true) = (b.results.as_slice(), b.selection.is_empty()) {
        return Err(if b.all_refused_by_guard() {
            anyhow::Error::new(GuardRefused(s.reason.clone()))
        } else {
            user(s.reason.clone())
        });
    }
    if b.all_refused_by_guard() {
        return Err(anyhow::Error::new(GuardRefused(format!(
            "all {n} selected contacts were skipped, nothing changed: --force acts anyway (inside the annoyance guard, or sending a piece again)"
        ))));
    }
    Err(user(format!(
        "all {n} selected contacts were skipped, nothing changed (the list above says why)"
    )))
}
