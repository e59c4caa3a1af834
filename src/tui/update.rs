//! `update(&mut Model, Action) -> Vec<Effect>`: where an action goes. The top layer sees it
//! first; a layer that ignores it (or passes it on) hands it down, at last to the focused pane;
//! what the pane ignores goes to the app's global keys. Nothing here decides a rule or touches
//! the store: the effects returned are run by [`super::effects`].

use super::action::{Action, Pane};
use super::component::{Ctx, Effect, Handled};
use super::model::Model;
use super::overlays::form::Form;
use super::overlays::help::Help;
use super::overlays::palette::Palette;
use super::overlays::search::Search;
use chrono::NaiveDate;

/// Apply one action: the effects to run.
pub fn update(m: &mut Model, action: Action) -> Vec<Effect> {
    if action == Action::Suspend {
        // In any state: whatever is open (a prompt, the editor) is still there on resume.
        return vec![Effect::Suspend];
    }
    let Model {
        diary,
        panes,
        layers,
        theme,
        keymap,
        pane,
        size,
        ..
    } = &mut *m;
    let ctx = Ctx {
        diary,
        theme,
        keymap,
        pane: *pane,
        size: *size,
    };
    let mut out = Vec::new();
    for layer in layers.iter_mut().rev() {
        match layer.handle(&action, &ctx) {
            Handled::Consumed(e) => {
                out.extend(e);
                return out;
            }
            Handled::Ignored => {}
            Handled::PassOn(e) => out.extend(e),
        }
    }
    match panes.get_mut(*pane).handle(&action, &ctx) {
        Handled::Consumed(e) => out.extend(e),
        Handled::Ignored => out.extend(global(&action, &ctx)),
        Handled::PassOn(e) => {
            out.extend(e);
            out.extend(global(&action, &ctx));
        }
    }
    out
}

/// The keys that work in every pane.
fn global(action: &Action, ctx: &Ctx<'_>) -> Vec<Effect> {
    let n = Pane::ALL.len();
    let at = ctx.pane.index();
    let e = match action {
        Action::Quit => Effect::Quit,
        Action::Help => Effect::Push(Box::<Help>::default()),
        Action::NextPane => Effect::Focus(Pane::ALL[(at + 1) % n]),
        Action::PrevPane => Effect::Focus(Pane::ALL[(at + n - 1) % n]),
        Action::Goto(p) => Effect::Focus(*p),
        Action::Undo => Effect::Undo,
        Action::Sync => Effect::Sync,
        Action::Search => Effect::Push(Box::<Search>::default()),
        Action::Command => Effect::Push(Box::<Palette>::default()),
        Action::NewContact => Effect::Push(Box::new(Form::add(ctx))),
        _ => return Vec::new(),
    };
    vec![e]
}

/// Text pasted into the terminal (bracketed paste): into the focused text field as text, never
/// as keys. One-line fields get it on one line; elsewhere it is refused with a word.
pub fn paste(m: &mut Model, pasted: &str) {
    let taken = m.layers.last_mut().is_some_and(|l| l.paste(pasted));
    if taken {
        let Model {
            diary,
            layers,
            theme,
            keymap,
            pane,
            size,
            ..
        } = &mut *m;
        let ctx = Ctx {
            diary,
            theme,
            keymap,
            pane: *pane,
            size: *size,
        };
        if let Some(top) = layers.last_mut() {
            top.refresh(&ctx);
        }
    } else {
        m.status.fail(crate::text::words::PASTE_IGNORED);
    }
}

/// The wall clock moved to another day (unless today is pinned): the diary follows it.
pub fn day_changed(m: &mut Model, today: NaiveDate) -> Vec<Effect> {
    if m.today_pinned || today == m.today() {
        return Vec::new();
    }
    let cal = &mut m.panes.calendar;
    if cal.cursor == m.diary.today {
        cal.cursor = today;
    }
    cal.grid.loaded = None;
    m.diary.today = today;
    m.panes.insights.data = None;
    vec![Effect::Reload]
}

/// One tick of the loop (about 200 ms): messages age and expire.
pub fn tick(m: &mut Model) {
    m.status.tick();
}
