//! Runs the [`Effect`]s the components ask for, in order: the TUI's only store I/O. An action goes
//! to [`crate::actions::run`] (several contacts at once as one [`crate::actions::batch`]: one
//! transaction and one undo), which decides and writes; after a write the diary is re-read and
//! every component refreshes; an error goes to the status bar and the layer that asked stays
//! open with what was typed. Screen effects (push, pop, focus) change the model directly. After
//! the effects, what the focused pane and the top layer need read is read ([`settle`]).

use super::action::Pane;
use super::component::{Effect, Then};
use super::model::Model;
use super::overlays::decide::Decide;
use super::overlays::form::Form;
use super::overlays::notes::{NotesConflict, NotesEditor};
use super::overlays::picker::Picker;
use super::{kinds::PickerKind, session};
use crate::actions::{self, ActionError, ContactRef, Outcome, Request, resolve};
use crate::store::{Store, Undone};
use crate::text::words;

/// Run effects in order (logging their kinds, never their payloads), then what the screen needs
/// read.
pub fn run_all(store: &Store, m: &mut Model, effects: Vec<Effect>) {
    for effect in effects {
        tracing::info!(effect = %crate::logging::variant(&effect), "effect");
        run(store, m, effect);
    }
    settle(store, m);
}

/// Read what the focused pane and the top layer need and do not have (the calendar's month,
/// the insights, the search index). Called after every event and on the loop's tick.
pub fn settle(store: &Store, m: &mut Model) {
    // A load can make another one due (a new month after a refresh); three rounds at most.
    for _ in 0..3 {
        let ctx = m.ctx();
        let mut loads = m.panes.get(m.pane).loads(&ctx);
        if let Some(top) = m.layers.last() {
            loads.extend(top.loads(&ctx));
        }
        if loads.is_empty() {
            return;
        }
        for effect in loads {
            run(store, m, effect);
        }
    }
}

/// Run one effect against the store or the screen.
pub fn run(store: &Store, m: &mut Model, effect: Effect) {
    let result = match effect {
        Effect::Import { .. } | Effect::Export { .. } => {
            let today = m.today();
            return super::transfer::run(store, m, effect, today);
        }
        Effect::Undo => return undo(store, m),
        Effect::Sync => return super::syncing::start(store, m, None),
        Effect::Act { request, then } => return act(store, m, &request, &then),
        Effect::Open(id) => session::open(store, m, id).map(|()| m.pane = Pane::Contact),
        Effect::EditContact(id) => return edit_contact(store, m, id),
        Effect::LoadSearch => session::load_search(store, m),
        Effect::LoadInsights => {
            if let Err(e) = session::load_insights(store, m) {
                m.status.fail(e.to_string());
            }
            return;
        }
        Effect::LoadGrid(start) => session::load_grid(store, m, start),
        Effect::Reload => session::refresh(store, m),
        screen => return on_screen(store, m, screen),
    };
    if let Err(e) = result {
        m.status.fail(e.to_string());
    }
}

/// The effects that change only the screen.
fn on_screen(store: &Store, m: &mut Model, effect: Effect) {
    match effect {
        Effect::Push(mut layer) => {
            layer.refresh(&m.ctx());
            m.layers.push(layer);
        }
        Effect::Pop => {
            m.layers.pop();
        }
        Effect::Focus(p) => m.pane = p,
        Effect::ToPane(p, action) => {
            let Model {
                diary,
                panes,
                theme,
                keymap,
                pane,
                size,
                ..
            } = &mut *m;
            let ctx = super::component::Ctx {
                diary,
                theme,
                keymap,
                pane: *pane,
                size: *size,
            };
            let handled = panes.get_mut(p).handle(&action, &ctx);
            if let super::component::Handled::Consumed(more) = handled {
                for e in more {
                    run(store, m, e);
                }
            }
        }
        Effect::Say(text) => m.status.say(text),
        Effect::Fail(text) => m.status.fail(text),
        Effect::Quit => m.quit = true,
        Effect::Suspend => m.suspend = true,
        _ => {}
    }
}

/// The contact form on the contact's record as the store has it now.
fn edit_contact(store: &Store, m: &mut Model, id: crate::model::ContactId) {
    match store.contact(id) {
        Ok(Some(c)) => {
            let form = Form::edit(c, &m.ctx());
            m.layers.push(Box::new(form));
        }
        Ok(None) => m.status.fail(format!("contact c{id} is gone")),
        Err(e) => m.status.fail(e.to_string()),
    }
}

/// Run one action: its message (and any warning) in the status bar, or its error with what the
/// user typed kept.
fn act(store: &Store, m: &mut Model, request: &Request, then: &Then) {
    match actions::run(store, request, m.today()) {
        Ok(out) => {
            session::note_own_write(store, m);
            if matches!(request, Request::Batch(_)) {
                m.panes.clear_marks(m.pane);
            }
            if let Err(e) = session::refresh(store, m) {
                return m.status.fail(words::cannot_reread(&e));
            }
            let mut text = out.message(m.today());
            if let Some(w) = out.warning() {
                text = format!("{text} · note: {w}");
            }
            m.status.say(text);
            after(m, Some(&out), then);
            sync_after_change(store, m);
        }
        Err(e) => failed(m, request, then, e),
    }
}

/// After a change: sync too when the setting sync_after_change says so (the change's message
/// first), on a worker thread (see [`super::syncing`]).
fn sync_after_change(store: &Store, m: &mut Model) {
    if crate::sync::account::after_change(store) {
        let said = m.status.text.clone();
        super::syncing::start(store, m, Some(said));
    }
}

/// What follows a successful action on screen.
fn after(m: &mut Model, out: Option<&Outcome>, then: &Then) {
    let decide = |contact| {
        let next = match out {
            Some(Outcome::Logged(l)) => l.planned_next.as_ref().map(|t| (t.id, t.date, t.channel)),
            _ => None,
        };
        Box::new(Decide { contact, next })
    };
    match then {
        Then::Status => {}
        Then::Close => {
            m.layers.pop();
        }
        &Then::Decide(contact) => m.layers.push(decide(contact)),
        &Then::CloseAndDecide(contact) => {
            m.layers.pop();
            m.layers.push(decide(contact));
        }
    }
}

/// An action was refused: say why; the layer that asked stays open with what was typed. A notes
/// conflict opens the chooser; a move out without a reason, the reason picker.
fn failed(m: &mut Model, request: &Request, then: &Then, e: ActionError) {
    m.status.fail(e.to_string());
    match (request, e) {
        (Request::Notes(r), ActionError::NotesChanged { theirs, .. }) => {
            let Some(editor) = m.top::<NotesEditor>() else {
                return;
            };
            let conflict = NotesConflict {
                contact: editor.contact,
                theirs,
                ours: editor.text(),
                who: editor.who.clone(),
            };
            if let ContactRef::Id(_) = r.contact {
                m.layers.push(Box::new(conflict));
            }
        }
        (Request::Move(r), ActionError::ReasonNeeded) => {
            let rows = m.diary.roster.rows.iter().map(|(p, _)| p);
            let id = match &r.contact {
                ContactRef::Id(id) => Some(*id),
                ContactRef::Query(q) => resolve::contact(rows, q).ok(),
            };
            if let Some(contact) = id {
                if *then == Then::Close {
                    m.layers.pop();
                }
                let kind = PickerKind::Reason {
                    contacts: vec![contact],
                    target: r.target,
                };
                let picker = Picker::new(kind, &m.ctx());
                m.layers.push(Box::new(picker));
            }
        }
        _ => {}
    }
}

/// `u`: revert this session's newest action while it is the newest in the file; never an
/// action another tickler made, neither before this session's first undo nor after it.
fn undo(store: &Store, m: &mut Model) {
    let Some(&mine) = m.own_undo.last() else {
        return m.status.say(words::NOTHING_TO_UNDO_HERE);
    };
    match store.undo_expecting(Some(mine)) {
        Ok(Undone::Done(label)) => {
            m.own_undo.pop();
            match session::refresh(store, m) {
                Err(e) => m.status.fail(words::cannot_reread(&e)),
                Ok(()) => m.status.say(words::undone(&label)),
            }
        }
        Ok(Undone::Newer(other)) if other.seq < mine => {
            // Ours is gone from the log (undone elsewhere, or past the undo depth).
            m.own_undo.pop();
            m.status.fail(words::UNDONE_ELSEWHERE);
        }
        Ok(Undone::Newer(other)) => m.status.fail(words::not_undone(&other.label)),
        Ok(Undone::Nothing) => {
            m.own_undo.clear();
            m.status.say(words::NOTHING_TO_UNDO);
        }
        Err(e) => m.status.fail(e.to_string()),
    }
}
