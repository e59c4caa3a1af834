//! TUI: TestBackend + insta snapshots of each pane, and key sequences through `update`.

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tickler::store::Store;
use tickler::tui::action::Pane;
use tickler::tui::model::{Mode, Model};
use tickler::tui::{handle_key, view};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn setup() -> (Store, Model) {
    let store = Store::in_memory().unwrap();
    store
        .load_bulk(tickler::demo::generate(300, 1, today()))
        .unwrap();
    let mut m = Model::new(store.roster().unwrap(), today(), "demo.redb".to_string());
    m.theme = tickler::tui::theme::Theme::mono();
    (store, m)
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn press(store: &Store, m: &mut Model, keys: &str) {
    for c in keys.chars() {
        let ev = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            '\u{1b}' => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            c => key(c),
        };
        handle_key(store, m, &ev, today());
    }
}

fn render(m: &Model, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(m, f)).unwrap();
    t
}

#[test]
fn snapshots_of_each_pane() {
    let (store, mut m) = setup();
    // Open a contact first so the contact pane has something to show.
    press(&store, &mut m, "\n");
    assert_eq!(m.pane, Pane::Contact);
    for (pane, name) in [
        (Pane::Triage, "triage"),
        (Pane::Calendar, "calendar"),
        (Pane::Pipeline, "pipeline"),
        (Pane::Contact, "contact"),
    ] {
        m.pane = pane;
        for (w, h) in [(80, 24), (160, 48)] {
            let t = render(&m, w, h);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
        }
    }
    m.pane = Pane::Triage;
    press(&store, &mut m, "?");
    insta::assert_snapshot!("help_80x24", render(&m, 80, 24).backend());
    press(&store, &mut m, "vv");
}

#[test]
fn small_and_tiny_terminals_do_not_panic() {
    let (store, mut m) = setup();
    press(&store, &mut m, "\n");
    for pane in Pane::ALL {
        m.pane = pane;
        for (w, h) in [(80, 24), (20, 5), (1, 1), (200, 60)] {
            render(&m, w, h);
        }
    }
    press(&store, &mut m, "1?");
    render(&m, 10, 3);
}

#[test]
fn triage_clears_items_and_undo_restores_them() {
    let (store, mut m) = setup();
    let before = m.triage.len();
    assert!(before > 2, "the demo week has work: {before}");
    let first = m.selected_contact().unwrap();
    press(&store, &mut m, "d");
    assert!(matches!(m.mode, Mode::Decide { .. }));
    // Any key but a decision keeps the cadence and acts: `d` logs the next item.
    press(&store, &mut m, "d\n");
    assert_eq!(m.progress().0, 2);
    assert_eq!(m.triage.len(), before - 2);
    assert!(!m.triage.iter().any(|&r| m.profile(r).unwrap().id == first));
    assert_eq!(store.undo_log().unwrap().len(), 2);
    press(&store, &mut m, "u");
    assert_eq!(m.progress().0, 1);
    press(&store, &mut m, "u");
    assert_eq!(m.progress().0, 0);
    assert_eq!(m.triage.len(), before);
    assert_eq!(m.selected_contact(), Some(first));
}

#[test]
fn snooze_skip_and_reschedule_clear_items() {
    let (store, mut m) = setup();
    let before = m.triage.len();
    press(&store, &mut m, "sw"); // snooze a week
    press(&store, &mut m, "x"); // skip
    press(&store, &mut m, "r+10d\n"); // reschedule
    assert_eq!(m.progress().0, 3, "{}", m.status.text);
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.triage.len(), before - 3);
    // A bad date keeps what was typed.
    press(&store, &mut m, "rnot a date\n");
    assert!(m.status.error);
    assert!(matches!(&m.mode, Mode::Prompt { text, .. } if text == "not a date"));
}

#[test]
fn moving_out_asks_a_reason() {
    let (store, mut m) = setup();
    press(&store, &mut m, "o");
    assert!(matches!(m.mode, Mode::Picker { .. }));
    let id = m.selected_contact().unwrap();
    press(&store, &mut m, "4");
    let c = store.contact(id).unwrap().unwrap();
    assert_eq!(c.stage, tickler::model::Stage::StayInTouch);
    assert_eq!(c.no_reason.unwrap().as_str(), "no-hurry");

    // Pipeline: `>` from customer to stay-in-touch asks too; `<` back does not.
    press(&store, &mut m, "3llll");
    let before = store.undo_log().unwrap().len();
    press(&store, &mut m, "H");
    assert_eq!(
        store.undo_log().unwrap().len(),
        before + 1,
        "{}",
        m.status.text
    );
    press(&store, &mut m, "hL");
    assert!(matches!(m.mode, Mode::Picker { .. }));
    press(&store, &mut m, "\u{1b}");
    assert_eq!(m.mode, Mode::Normal);
}

#[test]
fn notes_editor_saves_on_esc_and_search_opens_contacts() {
    let (store, mut m) = setup();
    press(&store, &mut m, "\n");
    let id = m.contact.as_ref().unwrap().contact.id;
    press(&store, &mut m, "e");
    assert_eq!(m.mode, Mode::Editor);
    press(&store, &mut m, "hi 山田\u{1b}");
    assert_eq!(m.mode, Mode::Normal);
    assert!(
        store
            .contact(id)
            .unwrap()
            .unwrap()
            .notes
            .starts_with("hi 山田")
    );

    let name = m.profile(5).unwrap().name.clone();
    press(&store, &mut m, "/");
    press(&store, &mut m, &name);
    assert!(!m.search_results.is_empty());
    press(&store, &mut m, "\n");
    assert_eq!(m.pane, Pane::Contact);
    assert!(m.contact.as_ref().unwrap().contact.name.contains(&name));

    press(&store, &mut m, "2g2026-12-25\n");
    assert_eq!(m.cursor, NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
    press(&store, &mut m, ":plan c1 +3d\n");
    assert!(!m.status.error, "{}", m.status.text);
}
