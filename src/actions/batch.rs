//! Many contacts, one action: a log (a campaign: one newsletter to a whole category), a plan, a
//! snooze, a skip, a move or an edit for several contacts or a selection (category, tag, stage),
//! run as one write transaction and recorded as one undo entry. Each contact goes through the
//! same `_in` function a single action uses ([`super::log_in`], [`super::plan_in`],
//! [`super::snooze_in`], `skip_in`...), so the
//! loop's rules apply to each exactly as they do alone. What a rule refuses for one contact (the
//! annoyance guard, an archived contact) skips that contact and is listed; what is wrong with the
//! request itself (a date in the future, an unknown category) refuses the whole batch.
//!
//! A dry run runs the same transaction and aborts it: it shows exactly what would be done.
//! Owns no wording of a rule (each refusal is the [`ActionError`] the single action gives).

use super::pieces::{self, Received};
// The skip action's outcome; `Skipped` here is a contact the batch left out.
use super::touches::Skipped as ItemSkipped;
use super::touches::{log_guarded_in, plan_in, skip_in, snooze_in};
use super::{
    ActionError, ContactRef, EditRequest, Edited, LogRequest, Logged, MoveRequest, Moved,
    PlanRequest, Planned, Result, SkipRequest, SnoozeRequest, Snoozed, Who, edit_in, move_stage_in,
    resolve,
};
use crate::model::{Channel, ContactId, Piece, Stage};
use crate::store::{Store, Writer};
use chrono::NaiveDate;
use std::collections::HashSet;

/// Whom a batch acts on: contacts named one by one, or the contacts matching every filter given.
/// A selection by filters leaves archived contacts out unless it asks for the stage `archived`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Contacts by id or part of a name (each must name exactly one). Not with the filters.
    pub contacts: Vec<ContactRef>,
    /// A category, by id (`k3`) or name.
    pub category: Option<String>,
    pub tag: Option<String>,
    pub stage: Option<Stage>,
}

impl Selection {
    /// Contacts by id.
    pub fn of_ids(ids: impl IntoIterator<Item = ContactId>) -> Selection {
        Selection {
            contacts: ids.into_iter().map(ContactRef::Id).collect(),
            ..Selection::default()
        }
    }

    /// Whether a filter (category, tag or stage) is given.
    pub fn is_filter(&self) -> bool {
        self.category.is_some() || self.tag.is_some() || self.stage.is_some()
    }

    /// "category Prospects, tag fair-2026" or "3 contacts", for labels and messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(k) = &self.category {
            parts.push(format!("category {k}"));
        }
        if let Some(t) = &self.tag {
            parts.push(format!("tag {t}"));
        }
        if let Some(s) = self.stage {
            parts.push(format!("stage {s}"));
        }
        parts.join(", ")
    }
}

/// The action applied to each selected contact: a request whose `contact` is ignored (each
/// selected contact takes its place).
#[derive(Debug, Clone)]
pub enum BatchAction {
    Log(LogRequest),
    Plan(PlanRequest),
    Snooze(SnoozeRequest),
    /// Skip each contact's due item (its planned touch). The request's `touch` names one
    /// contact's touch: leave it `None` (each contact's own due item) for several.
    Skip(SkipRequest),
    /// A stage move (moving out with the reason of the "no").
    Move(MoveRequest),
    /// A change of fields (adding a tag, say).
    Edit(Box<EditRequest>),
}

impl BatchAction {
    pub fn verb(&self) -> &'static str {
        match self {
            BatchAction::Log(_) => "log",
            BatchAction::Plan(_) => "plan",
            BatchAction::Snooze(_) => "snooze",
            BatchAction::Skip(_) => "skip",
            BatchAction::Move(_) => "move",
            BatchAction::Edit(_) => "edit",
        }
    }
}

/// One action over many contacts.
#[derive(Debug, Clone)]
pub struct BatchRequest {
    pub selection: Selection,
    pub action: BatchAction,
    /// Act even where the annoyance guard refuses.
    pub force: bool,
    /// Show what would be done; change nothing.
    pub dry_run: bool,
    /// The piece a log or a plan sends (an id `p3` or part of its title): a contact who received
    /// it already is skipped (`force` sends it again), and each touch records it.
    pub piece: Option<String>,
}

/// What was done for one contact.
#[derive(Debug, Clone)]
pub enum Done {
    Logged(Logged),
    Planned(Planned),
    Snoozed(Snoozed),
    /// The due item skipped (not a contact the batch left out: that is [`Each::Skipped`]).
    ItemSkipped(ItemSkipped),
    Moved(Moved),
    /// The contact's id and name, and the outcome.
    Edited(Who, Edited),
}

impl Done {
    pub fn who(&self) -> &Who {
        match self {
            Done::Logged(o) => &o.who,
            Done::Planned(o) => &o.who,
            Done::Snoozed(o) => &o.who,
            Done::ItemSkipped(o) => &o.who,
            Done::Moved(o) => &o.who,
            Done::Edited(who, _) => who,
        }
    }

    pub fn message(&self, today: NaiveDate) -> String {
        match self {
            Done::Logged(o) => o.message(today),
            Done::Planned(o) => o.message(today),
            Done::Snoozed(o) => o.message(today),
            Done::ItemSkipped(o) => o.message(today),
            Done::Moved(o) => o.message(today),
            Done::Edited(_, o) => o.message(today),
        }
    }
}

/// Why a contact of a batch was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The annoyance guard (`--force` overrides).
    Guard,
    /// The contact is archived.
    Archived,
    /// The contact received the piece already (`--force` overrides).
    Received,
    /// Nothing planned to act on, or another rule about this contact.
    Other,
}

impl Refusal {
    /// The name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Guard => "guard",
            Refusal::Archived => "archived",
            Refusal::Received => "received",
            Refusal::Other => "refused",
        }
    }
}

/// A contact the batch skipped, and the single action's refusal, worded.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub who: Who,
    pub refusal: Refusal,
    pub reason: String,
}

/// One selected contact's result, in selection order.
#[derive(Debug, Clone)]
pub enum Each {
    Done(Box<Done>),
    Skipped(Skipped),
}

/// What a batch did (or, in a dry run, would do).
#[derive(Debug, Clone)]
pub struct BatchOutcome {
    pub verb: &'static str,
    /// The selection, described ("category Prospects"; empty for contacts named one by one).
    pub selection: String,
    pub dry_run: bool,
    /// The channel of a log or a plan (`None`: the planner's, or a snooze, move or edit).
    pub channel: Option<Channel>,
    /// The piece it sent, if any.
    pub piece: Option<Piece>,
    pub results: Vec<Each>,
}

impl BatchOutcome {
    pub fn done(&self) -> impl Iterator<Item = &Done> {
        self.results.iter().filter_map(|r| match r {
            Each::Done(d) => Some(d.as_ref()),
            Each::Skipped(_) => None,
        })
    }

    pub fn skipped(&self) -> impl Iterator<Item = &Skipped> {
        self.results.iter().filter_map(|r| match r {
            Each::Skipped(s) => Some(s),
            Each::Done(_) => None,
        })
    }

    /// What the contacts the batch left out are called: "skipped", or "refused" in a skip
    /// (where "skipped" is what was done).
    fn left_out(&self) -> &'static str {
        if self.verb == "skip" {
            "refused"
        } else {
            "skipped"
        }
    }

    /// The summary line: "Logged email with 198 of 200 contacts (category Prospects); 2 skipped";
    /// "Skipped the due touch of 3 of 4 contacts; 1 refused".
    pub fn message(&self, _today: NaiveDate) -> String {
        let done = self.done().count();
        let skipped = self.skipped().count();
        let total = self.results.len();
        let verb = match (self.verb, self.dry_run) {
            ("log", false) => "Logged",
            ("plan", false) => "Planned",
            ("snooze", false) => "Snoozed",
            ("skip", false) => "Skipped",
            ("move", false) => "Moved",
            ("edit", false) => "Updated",
            ("log", true) => "Would log",
            ("plan", true) => "Would plan",
            ("snooze", true) => "Would snooze",
            ("skip", true) => "Would skip",
            ("move", true) => "Would move",
            (_, true) => "Would update",
            _ => "Done",
        };
        let what = match (self.channel, self.done().next()) {
            (Some(c), _) => format!(" {c}"),
            (None, Some(Done::Logged(l))) => format!(" {}", l.touch.channel),
            (None, Some(Done::Planned(p))) => format!(" {}", p.touch.channel),
            _ => String::new(),
        };
        let prep = match self.verb {
            "log" | "plan" => " with",
            "skip" => " the due touch of",
            _ => "",
        };
        let scope = if self.selection.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.selection)
        };
        let mut m = format!("{verb}{what}{prep} {done} of {total} contacts{scope}");
        if let Some(p) = &self.piece {
            m.push_str(&format!(", with p{} \"{}\"", p.id, p.title));
        }
        if skipped > 0 {
            m.push_str(&format!("; {skipped} {}", self.left_out()));
        }
        if self.dry_run {
            m.push_str("; nothing was changed (dry run)");
        }
        m
    }

    /// One line per contact: what was done, or why it was skipped.
    pub fn lines(&self, today: NaiveDate) -> Vec<String> {
        self.results
            .iter()
            .map(|r| match r {
                Each::Done(d) => format!("  {}", d.message(today)),
                Each::Skipped(s) => format!("  {} {}: {}", self.left_out(), s.who, s.reason),
            })
            .collect()
    }

    /// Every selected contact was skipped, and at least one by the annoyance guard or because
    /// it had the piece already.
    pub fn all_refused_by_guard(&self) -> bool {
        self.done().next().is_none()
            && self
                .skipped()
                .any(|s| matches!(s.refusal, Refusal::Guard | Refusal::Received))
    }
}

/// Run one action over a selection, in one transaction (one undo); a dry run aborts it.
pub fn batch(store: &Store, req: &BatchRequest, today: NaiveDate) -> Result<BatchOutcome> {
    super::commit_unless(
        store,
        req.action.verb(),
        |w| batch_in(w, req, today),
        |_| req.dry_run,
    )
}

/// [`batch`] inside a caller's write transaction (the label is set here; `dry_run` is the
/// caller's to honour by aborting).
pub fn batch_in(w: &mut Writer<'_>, req: &BatchRequest, today: NaiveDate) -> Result<BatchOutcome> {
    let piece = match &req.piece {
        Some(q) => {
            if !matches!(req.action, BatchAction::Log(_) | BatchAction::Plan(_)) {
                return Err(ActionError::BadValue(
                    "--piece goes with log or plan".to_string(),
                ));
            }
            Some(pieces::resolve(&w.pieces()?, q)?.clone())
        }
        None => None,
    };
    let ids = select(w, &req.selection)?;
    let mut ctx = Each1 {
        piece,
        received: match &req.piece {
            Some(_) => Received::of(&w.piece_sends()?),
            None => Received::default(),
        },
        // Alone, a touch that happened is recorded inside the guard (with its note), as `log`
        // does; a campaign skips those contacts.
        refuse_guard: !req.force && (req.selection.is_filter() || req.selection.contacts.len() > 1),
    };
    let mut results = Vec::with_capacity(ids.len());
    for id in &ids {
        results.push(one(w, req, &mut ctx, *id, today)?);
    }
    let out = BatchOutcome {
        verb: req.action.verb(),
        selection: req.selection.describe(),
        dry_run: req.dry_run,
        channel: match &req.action {
            BatchAction::Log(r) => r.channel,
            BatchAction::Plan(r) => r.channel,
            _ => None,
        },
        piece: ctx.piece,
        results,
    };
    w.set_label(label(&out, &req.action));
    Ok(out)
}

/// What each contact of a batch is checked against.
struct Each1 {
    piece: Option<Piece>,
    received: Received,
    refuse_guard: bool,
}

/// The undo log's name of a batch: "log email with 200 contacts (category Prospects)".
fn label(out: &BatchOutcome, action: &BatchAction) -> String {
    let channel = |c: Option<Channel>| c.map(|c| format!(" {c}")).unwrap_or_default();
    let what = match action {
        BatchAction::Log(r) => format!("log{} with", channel(r.channel)),
        BatchAction::Plan(r) => format!("plan{} with", channel(r.channel)),
        BatchAction::Snooze(r) => format!("snooze until {} for", r.until),
        BatchAction::Skip(_) => "skip the due touch for".to_string(),
        BatchAction::Move(r) => format!("move to {} for", r.target),
        BatchAction::Edit(_) => "edit".to_string(),
    };
    let scope = if out.selection.is_empty() {
        String::new()
    } else {
        format!(" ({})", out.selection)
    };
    let piece = out
        .piece
        .as_ref()
        .map(|p| format!(" with p{} {}", p.id, p.title))
        .unwrap_or_default();
    format!("{what} {} contacts{scope}{piece}", out.done().count())
}

/// The selected contacts' ids, in order, each once.
pub fn select(w: &Writer<'_>, sel: &Selection) -> Result<Vec<ContactId>> {
    if !sel.contacts.is_empty() {
        if sel.is_filter() {
            return Err(ActionError::BadValue(
                "give contacts or a selection (--category, --tag, --stage), not both".to_string(),
            ));
        }
        return named(w, &sel.contacts);
    }
    if !sel.is_filter() {
        return Err(ActionError::BadValue(
            "name a contact, or select with --category, --tag or --stage".to_string(),
        ));
    }
    select_from(&w.categories()?, &w.contacts()?, sel)
}

/// The contacts among `contacts` that a selection by filters takes (category, tag, stage: all
/// that are given), in order; archived ones only when the stage asked for is `archived`. A
/// selection that takes nobody is refused.
pub fn select_from(
    categories: &[crate::model::Category],
    contacts: &[crate::model::Contact],
    sel: &Selection,
) -> Result<Vec<ContactId>> {
    let category = match &sel.category {
        Some(k) => Some(resolve::category(categories, k)?.id),
        None => None,
    };
    let tag = sel.tag.as_deref().map(|t| t.trim().to_lowercase());
    let ids: Vec<ContactId> = contacts
        .iter()
        .filter(|c| match sel.stage {
            Some(st) => c.stage == st,
            None => c.stage.is_kept(),
        })
        .filter(|c| category.is_none_or(|k| c.category == Some(k)))
        .filter(|c| tag.as_ref().is_none_or(|t| c.tags.contains(t)))
        .map(|c| c.id)
        .collect();
    if ids.is_empty() {
        return Err(ActionError::BadValue(format!(
            "no contact matches the selection ({}): `tickler list` with the same filters shows who is in it",
            sel.describe()
        )));
    }
    Ok(ids)
}

/// Contacts named one by one, each resolved by the single actions' rule.
fn named(w: &Writer<'_>, refs: &[ContactRef]) -> Result<Vec<ContactId>> {
    let needs_roster = refs.iter().any(|r| matches!(r, ContactRef::Query(_)));
    let roster = if needs_roster {
        Some(w.roster()?)
    } else {
        None
    };
    let mut seen = HashSet::new();
    let mut ids = Vec::with_capacity(refs.len());
    for r in refs {
        let id = match (r, &roster) {
            (ContactRef::Query(q), Some(roster)) => {
                resolve::contact(roster.rows.iter().map(|(p, _)| p), q)?
            }
            (ContactRef::Query(q), None) => return Err(ActionError::NoMatch(q.clone())),
            (ContactRef::Id(id), _) => {
                w.contact(*id)?.ok_or(ActionError::NoSuchContact(id.0))?;
                *id
            }
        };
        if seen.insert(id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Apply the action to one contact: done, skipped (a rule about this contact refused it), or an
/// error that stops the whole batch (the request itself is wrong, or the store failed).
fn one(
    w: &mut Writer<'_>,
    req: &BatchRequest,
    ctx: &mut Each1,
    id: ContactId,
    today: NaiveDate,
) -> Result<Each> {
    let attempt = match (&ctx.piece, req.force) {
        (Some(p), false) => match ctx.received.when(id, p.id) {
            Some(date) => {
                let name = w.contact(id)?.map(|c| c.name).unwrap_or_default();
                Err(pieces::already(id, &name, p, date))
            }
            None => act(w, req, ctx, id, today),
        },
        _ => act(w, req, ctx, id, today),
    };
    let err = match attempt {
        Ok(done) => {
            if let Some(p) = &ctx.piece {
                let (touch, is_done) = match &done {
                    Done::Logged(l) => (Some(&l.touch), true),
                    Done::Planned(pl) => (Some(&pl.touch), false),
                    _ => (None, false),
                };
                if let Some(t) = touch {
                    w.set_touch_piece(t.id, Some(p.id))?;
                    ctx.received.add(id, p.id, t.date, is_done);
                }
            }
            return Ok(Each::Done(Box::new(done)));
        }
        Err(e) => e,
    };
    let refusal = match &err {
        ActionError::Guard { .. } => Refusal::Guard,
        ActionError::Archived(_) => Refusal::Archived,
        ActionError::AlreadyReceived { .. } => Refusal::Received,
        ActionError::NothingPlanned(_)
        | ActionError::NotPlannedTouch { .. }
        | ActionError::AlreadyInStage { .. }
        | ActionError::AlreadyArchived(_)
        | ActionError::NoFurther(_)
        | ActionError::NothingToChange(_)
        | ActionError::NoSuchValue { .. } => Refusal::Other,
        _ => return Err(err),
    };
    let who = match w.contact(id)? {
        Some(c) => Who::of(&c),
        None => return Err(ActionError::NoSuchContact(id.0)),
    };
    Ok(Each::Skipped(Skipped {
        who,
        refusal,
        reason: err.to_string(),
    }))
}

/// The batch's action for one contact, through the single action's `_in` function.
fn act(
    w: &mut Writer<'_>,
    req: &BatchRequest,
    ctx: &Each1,
    id: ContactId,
    today: NaiveDate,
) -> Result<Done> {
    let contact = ContactRef::Id(id);
    match &req.action {
        BatchAction::Log(t) => {
            let r = LogRequest {
                contact,
                ..t.clone()
            };
            log_guarded_in(w, &r, today, ctx.refuse_guard).map(Done::Logged)
        }
        BatchAction::Plan(t) => {
            let r = PlanRequest {
                contact,
                force: t.force || req.force,
                ..t.clone()
            };
            plan_in(w, &r, today).map(Done::Planned)
        }
        BatchAction::Snooze(t) => {
            let r = SnoozeRequest {
                contact,
                ..t.clone()
            };
            snooze_in(w, &r, today).map(Done::Snoozed)
        }
        BatchAction::Skip(t) => {
            let r = SkipRequest {
                contact,
                ..t.clone()
            };
            skip_in(w, &r, today).map(Done::ItemSkipped)
        }
        BatchAction::Move(t) => {
            let r = MoveRequest {
                contact,
                ..t.clone()
            };
            move_stage_in(w, &r, today).map(Done::Moved)
        }
        BatchAction::Edit(t) => {
            let r = EditRequest {
                contact,
                patch: t.patch.clone(),
            };
            edit_in(w, &r, today).map(|e| Done::Edited(Who::of(&e.contact), e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{AddRequest, ContactPatch, add};
    use crate::model::NoReason;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn diary() -> Store {
        let store = Store::in_memory().unwrap();
        for (name, tag) in [("Ada", "fair"), ("Grace", "fair"), ("Alan", "other")] {
            let req = AddRequest {
                name: name.into(),
                tags: vec![tag.into()],
                ..AddRequest::default()
            };
            add(&store, &req, today()).unwrap();
        }
        store
    }

    fn by_tag(tag: &str, action: BatchAction) -> BatchRequest {
        BatchRequest {
            selection: Selection {
                tag: Some(tag.into()),
                ..Selection::default()
            },
            action,
            force: false,
            dry_run: false,
            piece: None,
        }
    }

    #[test]
    fn a_selection_moves_out_with_a_reason_in_one_undo() {
        let store = diary();
        let req = by_tag(
            "fair",
            BatchAction::Move(MoveRequest {
                contact: ContactRef::Query(String::new()),
                target: Stage::StayInTouch,
                reason: Some(NoReason::NoMoney),
                keep_planned: false,
            }),
        );
        let out = batch(&store, &req, today()).unwrap();
        assert_eq!(out.done().count(), 2);
        assert_eq!(out.message(today()), "Moved 2 of 2 contacts (tag fair)");
        let stages =
            |s: &Store| -> Vec<Stage> { s.contacts().unwrap().iter().map(|c| c.stage).collect() };
        assert_eq!(
            stages(&store),
            [Stage::StayInTouch, Stage::StayInTouch, Stage::Lead]
        );
        // Moving them again skips both (already there), changing nothing.
        let again = batch(&store, &req, today()).unwrap();
        assert_eq!(again.skipped().count(), 2);
        assert_eq!(
            store.undo_log().unwrap()[0].label,
            "move to stay-in-touch for 2 contacts (tag fair)"
        );
        store.undo().unwrap();
        assert_eq!(stages(&store), [Stage::Lead, Stage::Lead, Stage::Lead]);
    }

    #[test]
    fn a_skip_of_several_skips_each_due_item_in_one_undo_and_says_who_was_refused() {
        let store = diary();
        let archive = MoveRequest {
            contact: ContactRef::Id(ContactId(3)),
            target: Stage::Archived,
            reason: Some(NoReason::NoNeed),
            keep_planned: false,
        };
        crate::actions::move_stage(&store, &archive, today()).unwrap();
        let undo_before = store.undo_log().unwrap().len();
        let req = BatchRequest {
            selection: Selection::of_ids([ContactId(1), ContactId(2), ContactId(3)]),
            action: BatchAction::Skip(SkipRequest {
                contact: ContactRef::Query(String::new()),
                touch: None,
            }),
            force: false,
            dry_run: false,
            piece: None,
        };
        let out = batch(&store, &req, today()).unwrap();
        let done: Vec<u64> = out.done().map(|d| d.who().id.0).collect();
        assert_eq!(done, [1, 2]);
        assert!(out.done().all(|d| matches!(d, Done::ItemSkipped(_))));
        let refused: Vec<(u64, Refusal)> = out.skipped().map(|s| (s.who.id.0, s.refusal)).collect();
        assert_eq!(refused, [(3, Refusal::Archived)]);
        assert_eq!(
            out.message(today()),
            "Skipped the due touch of 2 of 3 contacts; 1 refused"
        );
        assert!(
            out.lines(today())[2].starts_with("  refused "),
            "{:?}",
            out.lines(today())
        );
        let skipped_touches = |s: &Store| {
            (1..=3)
                .flat_map(|id| s.touches_of(ContactId(id)).unwrap())
                .filter(|t| t.state == crate::model::TouchState::Skipped)
                .count()
        };
        assert_eq!(skipped_touches(&store), 2);
        let log = store.undo_log().unwrap();
        assert_eq!(log.len(), undo_before + 1);
        assert_eq!(log[0].label, "skip the due touch for 2 contacts");
        store.undo().unwrap();
        assert_eq!(skipped_touches(&store), 0);
    }

    #[test]
    fn a_selection_gets_a_tag_and_the_ones_that_have_it_are_skipped() {
        let store = diary();
        let patch = ContactPatch {
            add_tags: vec!["newsletter".into()],
            ..ContactPatch::default()
        };
        let edit = |sel: Selection| BatchRequest {
            selection: sel,
            action: BatchAction::Edit(Box::new(EditRequest {
                contact: ContactRef::Query(String::new()),
                patch: patch.clone(),
            })),
            force: false,
            dry_run: false,
            piece: None,
        };
        let ids = Selection::of_ids([ContactId(1), ContactId(3)]);
        let out = batch(&store, &edit(ids.clone()), today()).unwrap();
        assert_eq!(out.done().count(), 2);
        let out = batch(
            &store,
            &edit(Selection::of_ids([ContactId(1), ContactId(2)])),
            today(),
        )
        .unwrap();
        let skipped: Vec<u64> = out.skipped().map(|s| s.who.id.0).collect();
        assert_eq!(skipped, [1]);
        let tagged: Vec<u64> = store
            .contacts()
            .unwrap()
            .iter()
            .filter(|c| c.tags.contains(&"newsletter".to_string()))
            .map(|c| c.id.0)
            .collect();
        assert_eq!(tagged, [1, 2, 3]);
        // A dry run changes nothing.
        let mut dry = edit(Selection {
            tag: Some("other".into()),
            ..Selection::default()
        });
        dry.dry_run = true;
        let before = store.undo_log().unwrap();
        assert!(batch(&store, &dry, today()).unwrap().dry_run);
        assert_eq!(store.undo_log().unwrap(), before);
    }
}
