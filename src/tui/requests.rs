//! The action requests the diary's keys build, in one place: each names its contact by id (the
//! diary resolved it) and leaves every rule to [`crate::actions`].

use crate::actions::{
    BatchAction, BatchRequest, CancelRequest, Completes, ContactPatch, ContactRef, EditRequest,
    LogRequest, MoveRequest, PlanRequest, Request, RescheduleRequest, Selection, SkipRequest,
    SnoozeRequest,
};
use crate::model::{Channel, ContactId, Direction, NoReason, Stage, TouchId};
use chrono::NaiveDate;

/// Done on an item: log exactly the item's planned touch (`touch`; `None`: the contact's due
/// item) on `date`, by `channel` (`None`: the planned one) in `direction`.
pub fn done(
    contact: ContactId,
    touch: Option<TouchId>,
    date: NaiveDate,
    channel: Option<Channel>,
    direction: Direction,
    summary: String,
) -> Request {
    Request::Log(LogRequest {
        contact: ContactRef::Id(contact),
        channel,
        date,
        direction,
        summary,
        completes: Completes::Item(touch),
    })
}

/// A touch that happened (not an item's): it completes the planned one it fulfils.
pub fn log(
    contact: ContactId,
    date: NaiveDate,
    channel: Channel,
    direction: Direction,
    summary: String,
) -> Request {
    Request::Log(LogRequest {
        contact: ContactRef::Id(contact),
        channel: Some(channel),
        date,
        direction,
        summary,
        completes: Completes::Fulfilled,
    })
}

pub fn plan(contact: ContactId, date: Option<NaiveDate>) -> Request {
    Request::Plan(PlanRequest {
        contact: ContactRef::Id(contact),
        date,
        channel: None,
        summary: String::new(),
        force: false,
    })
}

pub fn snooze(contact: ContactId, until: NaiveDate) -> Request {
    Request::Snooze(SnoozeRequest {
        contact: ContactRef::Id(contact),
        until,
        exact: false,
        note: String::new(),
    })
}

pub fn skip(contact: ContactId, touch: Option<TouchId>) -> Request {
    Request::Skip(SkipRequest {
        contact: ContactRef::Id(contact),
        touch,
    })
}

pub fn reschedule(contact: ContactId, touch: Option<TouchId>, date: NaiveDate) -> Request {
    Request::Reschedule(RescheduleRequest {
        contact: ContactRef::Id(contact),
        touch,
        date,
        force: false,
    })
}

pub fn cancel(contact: ContactId, touch: Option<TouchId>) -> Request {
    Request::Cancel(CancelRequest {
        contact: ContactRef::Id(contact),
        touch,
    })
}

pub fn move_to(contact: ContactId, target: Stage, reason: Option<NoReason>, keep: bool) -> Request {
    Request::Move(MoveRequest {
        contact: ContactRef::Id(contact),
        target,
        reason,
        keep_planned: keep,
    })
}

pub fn edit(contact: ContactId, patch: ContactPatch) -> Request {
    Request::Edit(EditRequest {
        contact: ContactRef::Id(contact),
        patch,
    })
}

pub fn tag(contact: ContactId, tag: &str) -> Request {
    edit(
        contact,
        ContactPatch {
            add_tags: vec![tag.to_string()],
            ..ContactPatch::default()
        },
    )
}

/// The same request for several contacts as one batch: the contacts are the requests' own, the
/// action the first one's (its contact is ignored). A done on several items completes, for each
/// contact, the planned touches the log fulfils (each contact's own item), as a log does; a skip
/// of several skips each contact's due item.
pub fn batch(requests: Vec<Request>) -> Result<BatchRequest, String> {
    let mut ids = Vec::with_capacity(requests.len());
    let mut action = None;
    for request in requests {
        let (contact, this) = match request {
            Request::Log(r) => (
                r.contact.clone(),
                BatchAction::Log(LogRequest {
                    completes: match r.completes {
                        Completes::Item(_) => Completes::Fulfilled,
                        other => other,
                    },
                    ..r
                }),
            ),
            Request::Plan(r) => (r.contact.clone(), BatchAction::Plan(r)),
            Request::Snooze(r) => (r.contact.clone(), BatchAction::Snooze(r)),
            // Each contact skips its own due item (the one the key named for it).
            Request::Skip(r) => (
                r.contact.clone(),
                BatchAction::Skip(SkipRequest { touch: None, ..r }),
            ),
            Request::Move(r) => (r.contact.clone(), BatchAction::Move(r)),
            Request::Edit(r) => (r.contact.clone(), BatchAction::Edit(Box::new(r))),
            other => return Err(crate::text::words::not_for_many(&other)),
        };
        if let ContactRef::Id(id) = contact {
            ids.push(id);
        }
        action.get_or_insert(this);
    }
    let action = action.ok_or_else(|| crate::text::words::NOTHING_MARKED.to_string())?;
    Ok(BatchRequest {
        selection: Selection::of_ids(ids),
        action,
        force: false,
        dry_run: false,
        piece: None,
    })
}
