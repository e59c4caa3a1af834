//! The overlays' `handle` on their own: the confirmation of a move out, the decision bar, the
//! forms, the notes editor and its conflict chooser, the command palette and the search.

use super::{Fixture, effects, ids_of, request, today};
use crate::actions::{BatchAction, Completes, ContactRef, Request};
use crate::model::{Channel, ContactId, Direction, NoReason, Stage, TouchId};
use crate::tui::action::{Action, Pane};
use crate::tui::component::{Effect, Handled, Layer, Then};
use crate::tui::kinds::{PickerKind, PromptKind};
use crate::tui::overlays::confirm::ConfirmOut;
use crate::tui::overlays::decide::Decide;
use crate::tui::overlays::form::Form;
use crate::tui::overlays::notes::{NotesConflict, NotesEditor};
use crate::tui::overlays::palette::Palette;
use crate::tui::overlays::picker::Picker;
use crate::tui::overlays::prompt::Prompt;
use crate::tui::overlays::search::Search;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Type `text` into a layer, one `Char` at a time.
fn type_chars(layer: &mut dyn Layer, text: &str, fx: &Fixture) {
    let ctx = fx.ctx(Pane::Triage);
    for c in text.chars() {
        layer.handle(&Action::Char(c), &ctx);
    }
}

fn first_ids(fx: &Fixture, n: usize) -> Vec<ContactId> {
    fx.diary
        .roster
        .rows
        .iter()
        .take(n)
        .map(|(p, _)| p.id)
        .collect()
}

#[test]
fn confirm_out_calls_off_or_keeps_the_planned_touches_or_cancels() {
    let fx = Fixture::new(20);
    let ctx = fx.ctx(Pane::Triage);
    let ids = first_ids(&fx, 2);
    let mut confirm = ConfirmOut {
        contacts: ids.clone(),
        target: Stage::StayInTouch,
        reason: NoReason::NoMoney,
        planned: 2,
        question: String::new(),
    };
    for (action, keep) in [(Action::Submit, false), (Action::Char('k'), true)] {
        let e = effects(confirm.handle(&action, &ctx));
        assert!(matches!(e.first(), Some(Effect::Pop)), "{e:?}");
        let (req, _) = request(&e);
        assert_eq!(ids_of(req), ids);
        let Request::Batch(b) = req else { panic!() };
        let BatchAction::Move(m) = &b.action else {
            panic!("{:?}", b.action)
        };
        assert_eq!(
            (m.target, m.reason, m.keep_planned),
            (Stage::StayInTouch, Some(NoReason::NoMoney), keep)
        );
    }
    let e = effects(confirm.handle(&Action::Cancel, &ctx));
    assert!(matches!(e.as_slice(), [Effect::Pop]), "{e:?}");
    assert!(effects(confirm.handle(&Action::Char('x'), &ctx)).is_empty());
}

#[test]
fn the_decision_bar_keeps_reschedules_moves_or_passes_the_key_on() {
    let fx = Fixture::new(20);
    let ctx = fx.ctx(Pane::Triage);
    let id = first_ids(&fx, 1)[0];
    let next = Some((TouchId(77), today(), Channel::Email));
    let mut bar = Decide { contact: id, next };
    let e = effects(bar.handle(&Action::Submit, &ctx));
    assert!(matches!(e.as_slice(), [Effect::Pop]), "{e:?}");
    let e = effects(bar.handle(&Action::Plan, &ctx));
    let [Effect::Pop, Effect::Push(layer)] = e.as_slice() else {
        panic!("{e:?}")
    };
    let prompt = layer.as_any().downcast_ref::<Prompt>().unwrap();
    assert_eq!(
        prompt.kind,
        PromptKind::Reschedule {
            contact: id,
            touch: Some(TouchId(77))
        }
    );
    let e = effects(bar.handle(&Action::MoveOut, &ctx));
    let [Effect::Pop, Effect::Push(layer)] = e.as_slice() else {
        panic!("{e:?}")
    };
    let picker = layer.as_any().downcast_ref::<Picker>().unwrap();
    assert!(matches!(
        &picker.kind,
        PickerKind::Reason {
            target: Stage::StayInTouch,
            ..
        }
    ));
    // Any other key keeps the plan and goes on to the pane.
    assert!(matches!(
        bar.handle(&Action::Done, &ctx),
        Handled::PassOn(e) if matches!(e.as_slice(), [Effect::Pop])
    ));
}

#[test]
fn the_done_form_logs_the_item_by_another_channel_as_inbound() {
    let fx = Fixture::new(60);
    let ctx = fx.ctx(Pane::Triage);
    let id = fx
        .diary
        .triage
        .iter()
        .filter_map(|&r| fx.diary.profile(r))
        .map(|p| p.id)
        .find(|&id| fx.diary.item_touch(id).is_some())
        .unwrap();
    let mut form = Form::done(vec![id], &ctx);
    assert_eq!(form.fields[form.focus].label, "summary");
    type_chars(&mut form, "rang back", &fx);
    // Shift-Tab to the direction, → for inbound; to the channel, its letter.
    form.handle(&Action::PrevField, &ctx);
    form.handle(&key(KeyCode::Right), &ctx);
    form.handle(&Action::PrevField, &ctx);
    while form.get("channel") != "meeting" {
        form.handle(&Action::Char('m'), &ctx);
    }
    let e = effects(form.handle(&Action::Submit, &ctx));
    let (req, then) = request(&e);
    let Request::Log(log) = req else {
        panic!("{req:?}")
    };
    assert_eq!(log.contact, ContactRef::Id(id));
    assert_eq!(log.channel, Some(Channel::Meeting));
    assert_eq!(log.direction, Direction::In);
    assert_eq!(log.summary, "rang back");
    assert_eq!(log.completes, Completes::Item(fx.diary.item_touch(id)));
    assert_eq!(*then, Then::CloseAndDecide(id));
}

#[test]
fn the_contact_form_edits_only_what_changed_and_says_a_bad_field() {
    let fx = Fixture::new(20);
    let ctx = fx.ctx(Pane::Contact);
    let c = fx.contacts[2].clone();
    let mut form = Form::edit(c.clone(), &ctx);
    let e = effects(form.handle(&Action::Submit, &ctx));
    assert!(
        matches!(e.as_slice(), [Effect::Pop, Effect::Say(s)] if s == "nothing changed"),
        "{e:?}"
    );
    let mut form = Form::edit(c.clone(), &ctx).focus_on("company");
    form.handle(&key(KeyCode::End), &ctx);
    type_chars(&mut form, " Ltd", &fx);
    let e = effects(form.handle(&Action::Submit, &ctx));
    let (req, then) = request(&e);
    let Request::Edit(edit) = req else {
        panic!("{req:?}")
    };
    let want = format!("{} Ltd", c.company.as_deref().unwrap_or(""));
    assert_eq!(edit.patch.company.as_deref(), Some(want.trim()));
    assert_eq!(edit.patch.name, None, "the name did not change");
    assert_eq!(*then, Then::Close);
    // A new contact: a birthday that is not one is said, the form stays.
    let mut form = Form::add(&ctx);
    type_chars(&mut form, "Ada Lovelace", &fx);
    let mut form = form.focus_on("birthday");
    type_chars(&mut form, "someday", &fx);
    let e = effects(form.handle(&Action::Submit, &ctx));
    assert!(matches!(e.as_slice(), [Effect::Fail(_)]), "{e:?}");
    let mut form = form.focus_on("birthday");
    form.handle(
        &Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        &ctx,
    );
    type_chars(&mut form, "12-10", &fx);
    let e = effects(form.handle(&Action::Submit, &ctx));
    let (req, _) = request(&e);
    let Request::Add(add) = req else {
        panic!("{req:?}")
    };
    assert_eq!(add.name, "Ada Lovelace");
    assert_eq!(
        add.birthday.map(|b| b.to_string()).as_deref(),
        Some("--12-10")
    );
    // Esc cancels.
    assert!(matches!(
        effects(form.handle(&Action::Cancel, &ctx)).as_slice(),
        [Effect::Pop]
    ));
}

#[test]
fn the_notes_editor_saves_over_what_it_opened_with_and_a_conflict_offers_three_ways() {
    let fx = Fixture::new(10);
    let ctx = fx.ctx(Pane::Contact);
    let id = first_ids(&fx, 1)[0];
    let mut editor = NotesEditor::new(id, format!("c{id} Ada"), "old".into(), "old");
    editor.handle(&key(KeyCode::End), &ctx);
    for c in " and new".chars() {
        editor.handle(&key(KeyCode::Char(c)), &ctx);
    }
    let e = effects(editor.handle(&key(KeyCode::Esc), &ctx));
    let (req, then) = request(&e);
    let Request::Notes(n) = req else {
        panic!("{req:?}")
    };
    assert_eq!(
        (n.base.as_deref(), n.text.as_str()),
        (Some("old"), "old and new")
    );
    assert_eq!(*then, Then::Close);
    let mut conflict = NotesConflict {
        contact: id,
        theirs: "theirs".into(),
        ours: "ours".into(),
        who: format!("c{id} Ada"),
    };
    // k: ours over theirs.
    let e = effects(conflict.handle(&Action::Char('k'), &ctx));
    let (req, _) = request(&e);
    assert!(
        matches!(req, Request::Notes(n) if n.base.as_deref() == Some("theirs") && n.text == "ours")
    );
    // m: both in the editor, to save.
    let e = effects(conflict.handle(&Action::Char('m'), &ctx));
    let [
        Effect::Pop,
        Effect::Pop,
        Effect::Push(layer),
        Effect::Say(_),
    ] = e.as_slice()
    else {
        panic!("{e:?}")
    };
    let merged = layer.as_any().downcast_ref::<NotesEditor>().unwrap();
    assert!(merged.text().starts_with("theirs\n") && merged.text().ends_with("\nours"));
    assert_eq!(merged.base, "theirs");
    // d: theirs stays; the contact reopens.
    let e = effects(conflict.handle(&Action::Char('d'), &ctx));
    assert!(
        matches!(e.as_slice(), [Effect::Pop, Effect::Pop, Effect::Open(x), Effect::Say(_)] if *x == id)
    );
    let e = effects(conflict.handle(&Action::Cancel, &ctx));
    assert!(matches!(e.as_slice(), [Effect::Pop]), "back to editing");
}

#[test]
fn the_palette_completes_the_verb_then_the_contact_and_runs_the_line() {
    let fx = Fixture::new(40);
    let ctx = fx.ctx(Pane::Triage);
    let mut p = Palette::default();
    type_chars(&mut p, "sk", &fx);
    assert_eq!(
        p.completions.first().map(|c| c.label.as_str()),
        Some("skip")
    );
    p.handle(&Action::Complete, &ctx);
    assert_eq!(p.line.text(), "skip ");
    let (target, _) = &fx.diary.roster.rows[5];
    let surname = target.name.split_whitespace().last().unwrap().to_string();
    type_chars(&mut p, &surname, &fx);
    let pick = p
        .completions
        .iter()
        .position(|c| c.insert == format!("c{} ", target.id))
        .unwrap();
    for _ in 0..pick {
        p.handle(&Action::Down, &ctx);
    }
    p.handle(&Action::Complete, &ctx);
    assert_eq!(p.line.text(), format!("skip c{} ", target.id));
    let e = effects(p.handle(&Action::Submit, &ctx));
    let (req, then) = request(&e);
    assert!(matches!(req, Request::Skip(_)), "{req:?}");
    assert_eq!(*then, Then::Close, "the line closes once it succeeded");
    // A line that is not a command is said; the line stays.
    let mut p = Palette::with_text("frobnicate");
    let e = effects(p.handle(&Action::Submit, &ctx));
    assert!(matches!(e.as_slice(), [Effect::Fail(_)]), "{e:?}");
    assert_eq!(p.line.text(), "frobnicate");
    assert!(matches!(
        effects(p.handle(&Action::Cancel, &ctx)).as_slice(),
        [Effect::Pop]
    ));
}

#[test]
fn search_finds_a_contact_by_part_of_its_name_and_enter_opens_it() {
    let mut fx = Fixture::new(40);
    let target = fx.diary.roster.rows[7].0.clone();
    fx.diary.search.hay = fx
        .contacts
        .iter()
        .map(|c| (c.id, nucleo_matcher::Utf32String::from(c.name.as_str())))
        .collect();
    let ctx = fx.ctx(Pane::Triage);
    let mut s = Search::default();
    type_chars(&mut s, &target.name, &fx);
    assert_eq!(s.results.first(), Some(&target.id), "{:?}", s.results);
    s.handle(&Action::Down, &ctx);
    s.handle(&Action::Up, &ctx);
    let e = effects(s.handle(&Action::Submit, &ctx));
    assert!(
        matches!(e.as_slice(), [Effect::Pop, Effect::Open(x)] if *x == target.id),
        "{e:?}"
    );
    let mut s = Search::default();
    type_chars(&mut s, "zzqqxx", &fx);
    assert!(s.results.is_empty());
    let e = effects(s.handle(&Action::Submit, &ctx));
    assert!(
        matches!(e.as_slice(), [Effect::Pop]),
        "nothing to open: {e:?}"
    );
}
