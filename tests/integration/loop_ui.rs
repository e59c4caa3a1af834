//! The loop inside the full-screen diary, through its update and effects on a real store: done
//! completes exactly the item and leaves the next touch planned, cleared items are kept in the
//! file, a paste is text, and the diary's today follows the clock unless pinned.

use chrono::{Days, NaiveDate};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tickler::actions::{self, AddRequest, ContactRef, PlanRequest};
use tickler::model::{Channel, ContactId, TouchState};
use tickler::store::Store;
use tickler::tui::model::{Mode, Model, PromptKind};

/// A Tuesday.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn press(store: &Store, m: &mut Model, keys: &[KeyCode]) {
    for &code in keys {
        tickler::tui::handle_key(store, m, &KeyEvent::new(code, KeyModifiers::NONE));
    }
}

/// A diary with Ada (a call planned for Thursday) and Bob (never touched), and the diary open on
/// it.
fn diary() -> (Store, Model, ContactId, ContactId) {
    let store = Store::in_memory().unwrap();
    let add = |name: &str| {
        let req = AddRequest {
            name: name.to_string(),
            phones: vec!["+1 555".to_string()],
            ..Default::default()
        };
        actions::add(&store, &req, today()).unwrap().contact.id
    };
    let (ada, bob) = (add("Ada"), add("Bob"));
    // Planned last week (so it is not cleared from this week's triage by the planning).
    let thursday = today().checked_add_days(Days::new(2)).unwrap();
    let plan = PlanRequest {
        contact: ContactRef::Id(ada),
        date: Some(thursday),
        channel: Some(Channel::Email),
        summary: "the report".to_string(),
        force: false,
    };
    let last_week = today().checked_sub_days(Days::new(7)).unwrap();
    actions::plan(&store, &plan, last_week).unwrap();
    let m = tickler::tui::load(&store, today(), "mem".to_string()).unwrap();
    (store, m, ada, bob)
}

fn select(m: &mut Model, id: ContactId) {
    assert!(
        m.panes.triage.select(&m.diary, id),
        "{id} is in the week's triage"
    );
}

#[test]
fn done_completes_exactly_the_item_and_plans_the_next() {
    let (store, mut m, ada, _) = diary();
    let planned = store.facts(ada).unwrap().planned[0].id;
    select(&mut m, ada);
    press(&store, &mut m, &[KeyCode::Char('d')]);
    // Thursday's email became today's done touch (same id), and the next touch is planned.
    let t = store.touch(planned).unwrap().unwrap();
    assert_eq!(
        (t.state, t.date, t.channel),
        (TouchState::Done, today(), Channel::Email)
    );
    assert_eq!(t.summary, "the report");
    let next = store.facts(ada).unwrap().planned;
    assert_eq!(next.len(), 1, "{next:?}");
    assert!(next[0].date > today().checked_add_days(Days::new(7)).unwrap());
    // The decision bar names it; Enter keeps it and plans nothing more.
    assert!(
        matches!(m.mode(), Mode::Decide { next: Some((id, _, _)), .. } if id == next[0].id),
        "{:?}",
        m.mode()
    );
    press(&store, &mut m, &[KeyCode::Enter]);
    assert_eq!(m.mode(), Mode::Normal);
    assert_eq!(store.facts(ada).unwrap().planned, next);
    assert!(!m.diary.triage.contains(&m.diary.index[&ada]));
    assert_eq!(m.progress().0, 1);
}

#[test]
fn p_in_the_decision_bar_moves_the_planned_next_touch() {
    let (store, mut m, _, bob) = diary();
    select(&mut m, bob);
    press(&store, &mut m, &[KeyCode::Char('d'), KeyCode::Char('p')]);
    assert!(matches!(
        m.mode(),
        Mode::Prompt {
            kind: PromptKind::Reschedule { touch: Some(_), .. },
            ..
        }
    ));
    let keys: Vec<KeyCode> = "+20d".chars().map(KeyCode::Char).collect();
    press(&store, &mut m, &keys);
    press(&store, &mut m, &[KeyCode::Enter]);
    assert!(!m.status.error, "{}", m.status.text);
    let planned = store.facts(bob).unwrap().planned;
    assert_eq!(planned.len(), 1, "moved, not a second one: {planned:?}");
    assert_eq!(
        planned[0].date,
        today().checked_add_days(Days::new(20)).unwrap()
    );
}

#[test]
fn cleared_items_live_in_the_file_not_in_the_diary() {
    let (store, mut m, ada, bob) = diary();
    let (_, total) = m.progress();
    select(&mut m, bob);
    press(&store, &mut m, &[KeyCode::Char('d'), KeyCode::Esc]);
    // Another run of the diary on the same file sees the week as this one left it.
    let again = tickler::tui::load(&store, today(), "mem".to_string()).unwrap();
    assert_eq!(again.progress(), (1, total));
    assert!(!again.diary.triage.contains(&again.diary.index[&bob]));
    // A command's action on a contact due this week clears it too.
    let tomorrow = today().checked_add_days(Days::new(1)).unwrap();
    let reschedule = actions::RescheduleRequest {
        contact: ContactRef::Id(ada),
        touch: None,
        date: tomorrow,
        force: false,
    };
    actions::reschedule(&store, &reschedule, today()).unwrap();
    let again = tickler::tui::load(&store, today(), "mem".to_string()).unwrap();
    assert_eq!(again.progress(), (2, total));
    // Tomorrow the rescheduled one is due: it comes back, and the count says so.
    let next_day = tickler::tui::load(&store, tomorrow, "mem".to_string()).unwrap();
    assert!(next_day.diary.triage.contains(&next_day.diary.index[&ada]));
    assert_eq!(next_day.progress().0, 1);
    // `u` in the first diary undoes only its own done: not while the command's reschedule is
    // newer; once that is undone where it was made, the done is, and the item is back.
    press(&store, &mut m, &[KeyCode::Char('u')]);
    assert!(m.status.error && m.status.text.contains("another tickler"));
    assert!(store.undo().unwrap().unwrap().starts_with("reschedule"));
    press(&store, &mut m, &[KeyCode::Char('u')]);
    assert!(!m.status.error, "{}", m.status.text);
    let again = tickler::tui::load(&store, today(), "mem".to_string()).unwrap();
    assert!(again.diary.triage.contains(&again.diary.index[&bob]));
}

#[test]
fn a_paste_is_text_in_a_prompt_and_nothing_elsewhere() {
    let (store, mut m, _, bob) = diary();
    select(&mut m, bob);
    let before = store.undo_log().unwrap().len();
    // In the normal mode a paste is refused with a word: none of its letters act as keys.
    tickler::tui::handle_paste(&mut m, "dxsq\nuu");
    assert!(m.status.error && m.status.text.contains("paste ignored"));
    assert_eq!(store.undo_log().unwrap().len(), before);
    assert!(!m.quit);
    // In the summary prompt it is the summary, on one line.
    press(&store, &mut m, &[KeyCode::Char('D')]);
    tickler::tui::handle_paste(&mut m, "sent the report\r\nq and d\n");
    match &m.mode() {
        Mode::Form { text, .. } => assert_eq!(text, "sent the report  q and d"),
        other => panic!("{other:?}"),
    }
    press(&store, &mut m, &[KeyCode::Enter]);
    let done: Vec<_> = store
        .touches_of(bob)
        .unwrap()
        .into_iter()
        .filter(|t| t.state == TouchState::Done)
        .collect();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].summary, "sent the report  q and d");
}

#[test]
fn the_diary_follows_the_clock_unless_today_is_pinned() {
    let (store, mut m, ada, _) = diary();
    let wednesday = today().checked_add_days(Days::new(1)).unwrap();
    // Pinned (--today / TICKLER_TODAY): midnight changes nothing.
    tickler::tui::handle_day(&store, &mut m, wednesday);
    assert_eq!(m.today(), today());
    // Following the clock: the next day, the diary dates its actions on it.
    m.today_pinned = false;
    tickler::tui::handle_day(&store, &mut m, wednesday);
    assert_eq!(m.today(), wednesday);
    select(&mut m, ada);
    press(&store, &mut m, &[KeyCode::Char('d')]);
    let done = store
        .touches_of(ada)
        .unwrap()
        .into_iter()
        .find(|t| t.state == TouchState::Done)
        .unwrap();
    assert_eq!(done.date, wednesday);
}
