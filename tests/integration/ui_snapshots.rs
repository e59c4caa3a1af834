//! Every pane and every overlay at 40x12, 80x24, 160x48 and 250x70 (TestBackend + insta, no
//! colours, a fixed today), so a layout that breaks at some size shows in review.

use crate::ui::{SIZES, press, render, setup};
use tickler::store::Store;
use tickler::tui::action::Pane;
use tickler::tui::model::{Mode, Model};

/// Snapshots of the screen as it is, at the four sizes, named `{name}_{w}x{h}`.
fn at_all_sizes(m: &Model, name: &str) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(m, w, h).backend());
    }
}

#[test]
fn every_pane_at_four_sizes() {
    let (store, mut m) = setup();
    // Open a contact first so the contact pane has something to show.
    press(&store, &mut m, "\n");
    assert_eq!(m.pane, Pane::Contact);
    for (pane, name) in [
        (Pane::Triage, "triage"),
        (Pane::Calendar, "calendar"),
        (Pane::Pipeline, "pipeline"),
        (Pane::Contact, "contact"),
        (Pane::Insights, "insights"),
        (Pane::Lybunt, "lybunt"),
    ] {
        let digit = char::from_digit(u32::try_from(pane.index()).unwrap() + 1, 10).unwrap();
        press(&store, &mut m, &digit.to_string());
        assert_eq!(m.pane, pane);
        at_all_sizes(&m, name);
    }
    // The review list, a filtered and reordered week, marks, the calendar's day list.
    press(&store, &mut m, "1v");
    at_all_sizes(&m, "triage_review");
    press(&store, &mut m, "vOv j j");
    assert_eq!(m.panes.triage.marks.ids.len(), 2);
    at_all_sizes(&m, "triage_by_value_marked");
    press(&store, &mut m, "\u{1b}\u{1b}2\nj");
    assert!(m.panes.calendar.in_list);
    at_all_sizes(&m, "calendar_day_list");
}

/// Open an overlay from the triage with `keys`, check it is `mode`, snapshot it.
fn overlay(store: &Store, m: &mut Model, keys: &str, name: &str, is: fn(&Mode) -> bool) {
    press(store, m, keys);
    assert!(is(&m.mode()), "{name}: {:?}", m.mode());
    at_all_sizes(m, name);
    // Close it (twice for the layers that open on top of another).
    press(store, m, "\u{1b}");
    if !matches!(m.mode(), Mode::Normal) {
        press(store, m, "\u{1b}");
    }
}

#[test]
fn every_overlay_at_four_sizes() {
    let (store, mut m) = setup();
    let s = &store;
    // Down a few rows, so pop-ups have a row to keep clear of.
    press(s, &mut m, "jjjj");
    overlay(s, &mut m, "?", "help", |x| *x == Mode::Help);
    overlay(s, &mut m, "?/snooze", "help_filtered", |x| *x == Mode::Help);
    overlay(s, &mut m, "/ann", "search", |x| {
        matches!(x, Mode::Search { .. })
    });
    overlay(s, &mut m, ":pl", "palette", |x| {
        matches!(x, Mode::Command { .. })
    });
    overlay(s, &mut m, ":log a", "palette_contacts", |x| {
        matches!(x, Mode::Command { .. })
    });
    overlay(s, &mut m, "o", "picker_reason", |x| {
        matches!(x, Mode::Picker { .. })
    });
    overlay(s, &mut m, "m", "picker_stage", |x| {
        matches!(x, Mode::Picker { .. })
    });
    overlay(s, &mut m, "s", "which_key_snooze", |x| *x == Mode::Chord);
    overlay(s, &mut m, "O", "which_key_order", |x| *x == Mode::Chord);
    overlay(s, &mut m, "p+3", "prompt_plan", |x| {
        matches!(x, Mode::Prompt { .. })
    });
    overlay(s, &mut m, "Dsent it", "form_done", |x| {
        matches!(x, Mode::Form { .. })
    });
    overlay(s, &mut m, "l", "form_log", |x| {
        matches!(x, Mode::Form { .. })
    });
    overlay(s, &mut m, "E", "form_edit", |x| {
        matches!(x, Mode::Form { .. })
    });
    overlay(s, &mut m, "n", "form_add", |x| {
        matches!(x, Mode::Form { .. })
    });
    overlay(s, &mut m, "d", "decision_bar", |x| {
        matches!(x, Mode::Decide { .. })
    });
    // Moving out a contact with planned touches asks before calling them off.
    let planned = m
        .panes
        .triage
        .rows
        .iter()
        .position(|&r| m.diary.planned_count(m.diary.profile(r).unwrap().id) > 0)
        .unwrap();
    m.panes.triage.sel = planned;
    overlay(s, &mut m, "o1", "confirm_out", |x| {
        matches!(x, Mode::ConfirmOut { .. })
    });
    press(s, &mut m, "\n");
    overlay(s, &mut m, "ehello", "notes_editor", |x| *x == Mode::Editor);
}

/// The notes changed in the file while the editor had them: the chooser (keep yours, merge,
/// drop yours) above the editor, at the four sizes; `d` drops ours and keeps theirs.
#[test]
fn the_notes_conflict_at_four_sizes() {
    use tickler::actions::{ContactRef, NotesRequest, save_notes};
    let (store, mut m) = setup();
    press(&store, &mut m, "\ne");
    assert_eq!(m.mode(), Mode::Editor);
    let id = m.selected_contact().unwrap();
    press(&store, &mut m, "mine");
    let theirs = NotesRequest {
        contact: ContactRef::Id(id),
        base: None,
        text: "written elsewhere".to_string(),
    };
    save_notes(&store, &theirs, crate::ui::today()).unwrap();
    press(&store, &mut m, "\u{1b}");
    assert!(
        matches!(m.mode(), Mode::NotesConflict { ref theirs, .. } if theirs == "written elsewhere"),
        "{:?}",
        m.mode()
    );
    at_all_sizes(&m, "notes_conflict");
    press(&store, &mut m, "d");
    assert_eq!(m.mode(), Mode::Normal);
    assert_eq!(
        store.contact(id).unwrap().unwrap().notes,
        "written elsewhere"
    );
}

/// The triage's category filter (`c`) and the choice of which planned touch to call off (`X` on a
/// contact with several), at the four sizes.
#[test]
fn the_filter_and_cancel_pickers_at_four_sizes() {
    let (store, mut m) = setup();
    press(&store, &mut m, "c");
    assert!(matches!(m.mode(), Mode::Picker { .. }), "{:?}", m.mode());
    at_all_sizes(&m, "picker_category");
    press(&store, &mut m, "\u{1b}");
    let several = m
        .panes
        .triage
        .rows
        .iter()
        .position(|&r| m.diary.planned_count(m.diary.profile(r).unwrap().id) > 1)
        .expect("a contact of the week with two planned touches");
    m.panes.triage.sel = several;
    press(&store, &mut m, "X");
    assert!(matches!(m.mode(), Mode::Picker { .. }), "{:?}", m.mode());
    at_all_sizes(&m, "picker_cancel");
    press(&store, &mut m, "\u{1b}");
    assert_eq!(m.mode(), Mode::Normal);
}
