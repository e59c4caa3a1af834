//! The keys that act on contacts, the same in every pane that lists them (triage, calendar,
//! pipeline, contact, LYBUNT): on the marked contacts when rows are marked (one action, one
//! undo), else on the selected one. Builds requests and opens prompts, pickers and forms; every
//! rule is the actions layer's.

use super::action::Action;
use super::component::{Ctx, Effect, Handled, Then, acts};
use super::kinds::{PickerKind, PromptKind};
use super::overlays::chord::Chord;
use super::overlays::form::Form;
use super::overlays::picker::{Picker, ask_move};
use super::overlays::prompt::Prompt;
use super::requests;
use crate::model::{ContactId, Direction, Stage};

/// Act on `ids` (the marked contacts, or the selected one); `Ignored` when the action is not a
/// contact action or there is nobody to act on.
pub fn on_contacts(action: &Action, ctx: &Ctx<'_>, ids: &[ContactId]) -> Handled {
    let Some(&first) = ids.first() else {
        return Handled::Ignored;
    };
    let d = ctx.diary;
    let many = ids.to_vec();
    let e = match action {
        Action::Done => done(ctx, ids),
        Action::DoneWith => Effect::Push(Box::new(Form::done(many, ctx))),
        Action::Log => Effect::Push(Box::new(Form::log(many, ctx))),
        Action::Snooze => Chord::snooze(many, ctx),
        Action::Plan => Prompt::boxed(PromptKind::PlanDate { contacts: many }, ctx),
        Action::Tag => Prompt::boxed(PromptKind::Tag { contacts: many }, ctx),
        Action::MoveStage => Picker::boxed(PickerKind::Stage { contacts: many }, ctx),
        Action::Reschedule => Prompt::boxed(
            PromptKind::Reschedule {
                contact: first,
                touch: d.item_touch(first),
            },
            ctx,
        ),
        Action::Skip => {
            let reqs = ids
                .iter()
                .map(|&id| requests::skip(id, d.item_touch(id)))
                .collect();
            acts(reqs, Then::Status)
        }
        Action::CancelTouch => cancel(ctx, first),
        Action::EditContact => Effect::EditContact(first),
        Action::MoveOut => return Handled::Consumed(ask_move(ctx, ids, Stage::StayInTouch)),
        Action::Archive => return Handled::Consumed(ask_move(ctx, ids, Stage::Archived)),
        Action::Forward => return forward(ctx, ids),
        _ => return Handled::Ignored,
    };
    Handled::one(e)
}

/// Done on the items: logged today, each completing exactly its item; one contact then gets the
/// decision bar, several are one action (one undo).
fn done(ctx: &Ctx<'_>, ids: &[ContactId]) -> Effect {
    let d = ctx.diary;
    let reqs: Vec<_> = ids
        .iter()
        .map(|&id| {
            let touch = d.item_touch(id);
            requests::done(id, touch, ctx.today(), None, Direction::Out, String::new())
        })
        .collect();
    let then = match ids {
        [one] => Then::Decide(*one),
        _ => Then::Status,
    };
    acts(reqs, then)
}

/// Call off a planned touch: the only one, or pick which.
fn cancel(ctx: &Ctx<'_>, id: ContactId) -> Effect {
    let d = ctx.diary;
    let planned: Vec<_> = d
        .row_of(id)
        .and_then(|r| d.roster.rows.get(r))
        .map(|(_, f)| f.planned.iter().map(|t| (t.id, t.date)).collect())
        .unwrap_or_default();
    match planned.as_slice() {
        [] => Effect::Fail(crate::text::words::nothing_planned(&d.who(id))),
        [(touch, _)] => acts(vec![requests::cancel(id, Some(*touch))], Then::Status),
        _ => Picker::boxed(
            PickerKind::Cancel {
                contact: id,
                touches: planned,
            },
            ctx,
        ),
    }
}

/// Each contact one stage forward (asking the reason when that is out).
fn forward(ctx: &Ctx<'_>, ids: &[ContactId]) -> Handled {
    let d = ctx.diary;
    let mut out = Vec::new();
    for &id in ids {
        match d.contact(id).map(|p| p.stage).and_then(Stage::forward) {
            Some(target) => out.extend(ask_move(ctx, &[id], target)),
            None => out.push(Effect::Fail(crate::text::words::no_further(&d.who(id)))),
        }
    }
    Handled::Consumed(out)
}
