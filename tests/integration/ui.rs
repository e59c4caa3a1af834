//! TUI: key sequences through `handle_key` on a real (in-memory) store, the screen through a
//! TestBackend. Snapshots at the four sizes are in `ui_snapshots`, the salesperson's flows in
//! `ui_flows`; the helpers here serve all three.

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tickler::store::Store;
use tickler::tui::action::Pane;
use tickler::tui::model::{Mode, Model};
use tickler::tui::overlays::search::Search;
use tickler::tui::{handle_key, view};

/// The sizes every pane and overlay is checked at.
pub const SIZES: [(u16, u16); 4] = [(40, 12), (80, 24), (160, 48), (250, 70)];

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A 300-contact demo diary in memory and the diary open on it (no colours: stable snapshots).
pub fn setup() -> (Store, Model) {
    let store = Store::in_memory().unwrap();
    store
        .load_bulk(tickler::demo::generate(300, 1, today()))
        .unwrap();
    let mut m = tickler::tui::load(&store, today(), "demo.redb".to_string()).unwrap();
    m.theme = tickler::tui::theme::Theme::mono();
    (store, m)
}

pub fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// Type `keys`: `\n` is Enter, `\u{1b}` Esc, `\t` Tab, `\u{8}` Backspace; other characters as
/// typed (Shift folded in).
pub fn press(store: &Store, m: &mut Model, keys: &str) {
    for c in keys.chars() {
        let ev = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            '\u{1b}' => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            '\t' => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
            '\u{8}' => KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
            c => key(c),
        };
        handle_key(store, m, &ev);
    }
}

/// One special key, with modifiers.
pub fn special(store: &Store, m: &mut Model, code: KeyCode, mods: KeyModifiers) {
    handle_key(store, m, &KeyEvent::new(code, mods));
}

pub fn render(m: &Model, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(m, f)).unwrap();
    t
}

/// The screen as plain text, one line per row.
pub fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

pub fn shown(m: &Model, w: u16, h: u16) -> String {
    screen_text(&render(m, w, h))
}

/// What the `:` line holds, or a panic naming the state.
pub fn typed(m: &Model) -> String {
    match m.mode() {
        Mode::Command { text } | Mode::Prompt { text, .. } | Mode::Form { text, .. } => text,
        other => panic!("expected a text field, got {other:?}"),
    }
}

#[test]
fn small_and_tiny_terminals_do_not_panic() {
    let (store, mut m) = setup();
    press(&store, &mut m, "\n");
    for pane in Pane::ALL {
        m.pane = pane;
        for (w, h) in [(80, 24), (20, 5), (1, 1), (200, 60), (40, 12)] {
            render(&m, w, h);
        }
    }
    for keys in [
        "1?",
        "\u{1b}/a",
        "\u{1b}:pl",
        "\u{1b}o",
        "\u{1b}n",
        "\u{1b}s",
    ] {
        press(&store, &mut m, keys);
        for (w, h) in [(10, 3), (1, 1), (20, 5)] {
            render(&m, w, h);
        }
    }
}

#[test]
fn triage_clears_items_and_undo_restores_them() {
    let (store, mut m) = setup();
    let before = m.panes.triage.rows.len();
    assert!(before > 2, "the demo week has work: {before}");
    let first = m.selected_contact().unwrap();
    press(&store, &mut m, "d");
    assert!(matches!(m.mode(), Mode::Decide { .. }));
    // Any key but a decision keeps the cadence and acts: `d` logs the next item.
    press(&store, &mut m, "d\n");
    assert_eq!(m.progress().0, 2);
    assert_eq!(m.panes.triage.rows.len(), before - 2);
    let row = m.diary.row_of(first).unwrap();
    assert!(!m.panes.triage.rows.contains(&row));
    assert_eq!(store.undo_log().unwrap().len(), 2);
    press(&store, &mut m, "u");
    assert_eq!(m.progress().0, 1);
    press(&store, &mut m, "u");
    assert_eq!(m.progress().0, 0);
    assert_eq!(m.panes.triage.rows.len(), before);
    assert_eq!(m.selected_contact(), Some(first));
}

#[test]
fn snooze_skip_and_reschedule_clear_items() {
    let (store, mut m) = setup();
    let before = m.panes.triage.rows.len();
    press(&store, &mut m, "s");
    // Which-key: the second keys are shown.
    assert_eq!(m.mode(), Mode::Chord);
    assert!(shown(&m, 80, 24).contains("+1 week"));
    press(&store, &mut m, "w"); // snooze a week
    press(&store, &mut m, "x"); // skip
    press(&store, &mut m, "r+10d\n"); // reschedule
    assert_eq!(m.progress().0, 3, "{}", m.status.text);
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.panes.triage.rows.len(), before - 3);
    // A bad date keeps what was typed.
    press(&store, &mut m, "rnot a date\n");
    assert!(m.status.error);
    assert!(matches!(m.mode(), Mode::Prompt { text, .. } if text == "not a date"));
}

#[test]
fn x_on_three_marked_items_skips_them_all_as_one_undo() {
    use tickler::model::TouchState;
    let (store, mut m) = setup();
    let before = m.panes.triage.rows.len();
    let undo_before = store.undo_log().unwrap().len();
    // Space marks the first row, V marks the range down to the third.
    press(&store, &mut m, " jjV");
    let marked: Vec<_> = m.panes.triage.marks.ids.iter().copied().collect();
    assert_eq!(marked.len(), 3);
    let state = |store: &Store, id| {
        let touches = store.touches_of(id).unwrap();
        (
            touches
                .iter()
                .filter(|t| t.state == TouchState::Skipped)
                .count(),
            touches.len(),
        )
    };
    let states: Vec<_> = marked.iter().map(|&id| state(&store, id)).collect();
    let items: Vec<_> = marked.iter().map(|&id| m.diary.item_touch(id)).collect();
    press(&store, &mut m, "x");
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.status.text, "Skipped the due touch of 3 of 3 contacts");
    let log = store.undo_log().unwrap();
    assert_eq!(log.len(), undo_before + 1, "one undo for the three");
    assert_eq!(log[0].label, "skip the due touch for 3 contacts");
    for ((&id, item), (skipped, _)) in marked.iter().zip(&items).zip(&states) {
        assert_eq!(
            state(&store, id).0,
            skipped + 1,
            "c{id}: one more skipped touch"
        );
        if let Some(t) = item {
            let t = store.touch(*t).unwrap().unwrap();
            assert_eq!(t.state, TouchState::Skipped, "c{id}: its own item");
        }
    }
    assert_eq!(m.panes.triage.rows.len(), before - 3);
    assert!(m.panes.triage.marks.is_empty());
    press(&store, &mut m, "u");
    assert!(!m.status.error, "{}", m.status.text);
    let after: Vec<_> = marked.iter().map(|&id| state(&store, id)).collect();
    assert_eq!(after, states, "one undo restores all three");
    assert_eq!(m.panes.triage.rows.len(), before);
}

#[test]
fn moving_out_asks_a_reason() {
    let (store, mut m) = setup();
    press(&store, &mut m, "o");
    assert!(matches!(m.mode(), Mode::Picker { .. }));
    let id = m.selected_contact().unwrap();
    press(&store, &mut m, "4");
    if matches!(m.mode(), Mode::ConfirmOut { .. }) {
        press(&store, &mut m, "\n");
    }
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
    assert!(matches!(m.mode(), Mode::Picker { .. }));
    press(&store, &mut m, "\u{1b}");
    assert_eq!(m.mode(), Mode::Normal);
}

#[test]
fn notes_editor_saves_on_esc_and_search_opens_contacts() {
    let (store, mut m) = setup();
    press(&store, &mut m, "\n");
    let id = m.contact().unwrap().contact.id;
    press(&store, &mut m, "e");
    assert_eq!(m.mode(), Mode::Editor);
    press(&store, &mut m, "hi 山田\u{1b}");
    assert_eq!(m.mode(), Mode::Normal);
    assert!(
        store
            .contact(id)
            .unwrap()
            .unwrap()
            .notes
            .starts_with("hi 山田")
    );

    let name = m.diary.profile(5).unwrap().name.clone();
    press(&store, &mut m, "/");
    press(&store, &mut m, &name);
    assert!(!m.top::<Search>().unwrap().results.is_empty());
    press(&store, &mut m, "\n");
    assert_eq!(m.pane, Pane::Contact);
    assert!(m.contact().unwrap().contact.name.contains(&name));

    press(&store, &mut m, "2g2026-12-25\n");
    assert_eq!(
        m.panes.calendar.cursor,
        NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()
    );
    press(&store, &mut m, ":plan c1 +3d\n");
    assert!(!m.status.error, "{}", m.status.text);
}

/// Every card in the pipeline's columns, as contact ids.
fn cards(m: &Model) -> Vec<tickler::model::ContactId> {
    m.panes
        .pipeline
        .columns
        .iter()
        .flatten()
        .map(|&r| m.diary.profile(r).unwrap().id)
        .collect()
}

#[test]
fn pipeline_filters_by_category_and_tag() {
    let (store, mut m) = setup();
    press(&store, &mut m, "3");
    let all = cards(&m).len();
    // `c` picks a category; 1 is the first.
    press(&store, &mut m, "c");
    assert!(matches!(m.mode(), Mode::Picker { .. }));
    press(&store, &mut m, "1");
    let cat = m
        .panes
        .pipeline
        .filter
        .category
        .expect("1 picks the first category");
    let by_cat = cards(&m);
    assert!(!by_cat.is_empty() && by_cat.len() < all);
    for id in &by_cat {
        assert_eq!(store.contact(*id).unwrap().unwrap().category, Some(cat));
    }
    assert!(shown(&m, 80, 24).contains("Filter: category"));
    // `#` loads the tags once and opens a picker; 1 picks the first.
    press(&store, &mut m, "#");
    assert!(matches!(m.mode(), Mode::Picker { .. }));
    assert!(!m.diary.search.all_tags.is_empty());
    press(&store, &mut m, "1");
    let tag = m.panes.pipeline.filter.tag.clone().unwrap();
    for id in cards(&m) {
        let c = store.contact(id).unwrap().unwrap();
        assert_eq!(c.category, Some(cat));
        assert!(c.tags.contains(&tag));
    }
    press(&store, &mut m, "0");
    assert_eq!(cards(&m).len(), all);
    // Tag alone, shown in the filter line, cleared by Esc.
    press(&store, &mut m, "#j\n");
    assert_eq!(
        m.panes.pipeline.filter.tag.as_deref(),
        m.diary.search.all_tags.get(1).map(String::as_str)
    );
    insta::assert_snapshot!("pipeline_filter_80x24", render(&m, 80, 24).backend());
    press(&store, &mut m, "\u{1b}");
    assert_eq!(m.panes.pipeline.filter.tag, None);
    assert_eq!(cards(&m).len(), all);
    // Esc in the picker picks nothing.
    press(&store, &mut m, "c\u{1b}");
    assert_eq!(m.panes.pipeline.filter.category, None);
}

#[test]
fn logging_a_touch_asks_channel_date_and_summary() {
    let (store, mut m) = setup();
    press(&store, &mut m, "\n");
    let id = m.contact().unwrap().contact.id;
    let done = |store: &Store| {
        store
            .touches_of(id)
            .unwrap()
            .into_iter()
            .filter(|t| t.state == tickler::model::TouchState::Done)
            .collect::<Vec<_>>()
    };
    let before = done(&store).len();
    // The form: channel, direction, date, summary.
    press(&store, &mut m, "l");
    assert!(matches!(m.mode(), Mode::Form { .. }));
    // A future date is refused and what was typed is kept.
    press(&store, &mut m, "\t\t+2d\n");
    assert!(m.status.error, "{}", m.status.text);
    assert_eq!(typed(&m), "+2d");
    press(&store, &mut m, "\u{8}\u{8}\u{8}-1d\tlunch at the fair 山田");
    // Back to the channel: the second one.
    for _ in 0..3 {
        special(&store, &mut m, KeyCode::BackTab, KeyModifiers::SHIFT);
    }
    special(&store, &mut m, KeyCode::Right, KeyModifiers::NONE);
    press(&store, &mut m, "\n");
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.mode(), Mode::Normal);
    let touches = done(&store);
    assert_eq!(touches.len(), before + 1);
    let t = touches
        .iter()
        .find(|t| t.summary == "lunch at the fair 山田")
        .unwrap();
    assert_eq!(t.date, today().pred_opt().unwrap());
    assert_eq!(t.channel, tickler::model::Channel::ALL[1]);
    // l, Enter: today, the first channel, no summary.
    press(&store, &mut m, "l\n");
    let touches = done(&store);
    assert_eq!(touches.len(), before + 2);
    assert!(
        touches
            .iter()
            .any(|t| t.date == today() && t.summary.is_empty())
    );
}

#[test]
fn calendar_week_strip_counts_done_due_and_late() {
    let (store, mut m) = setup();
    assert!(m.panes.calendar.grid.loaded.is_none());
    press(&store, &mut m, "2");
    assert!(m.panes.calendar.grid.loaded.is_some(), "the grid is read");
    let done = |m: &Model| m.panes.calendar.grid.done_by_day.get(&today()).copied();
    let before = done(&m).unwrap_or(0);
    press(&store, &mut m, "1d\n2"); // one more touch done today
    assert_eq!(done(&m), Some(before + 1));
    let screen = shown(&m, 160, 48);
    for label in ["due", "done", "late", "bday", "Week 48"] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
    // A new month is read again.
    let loaded = m.panes.calendar.grid.loaded;
    press(&store, &mut m, "]");
    assert_ne!(m.panes.calendar.grid.loaded, loaded);
}

#[test]
fn search_finds_words_in_notes() {
    let (store, mut m) = setup();
    // The index is read when the search first opens ...
    press(&store, &mut m, "/\u{1b}");
    assert!(m.diary.search.loaded);
    press(&store, &mut m, "\n");
    let id = m.contact().unwrap().contact.id;
    // ... and again after a write: the new note is found.
    press(&store, &mut m, "ezebrafish\u{1b}");
    press(&store, &mut m, "/zebrafish");
    assert_eq!(m.top::<Search>().unwrap().results.first(), Some(&id));
}

#[test]
fn triage_badges_stay_readable_at_80_columns() {
    let (_store, m) = setup();
    let screen = shown(&m, 80, 24);
    assert!(screen.contains("AT-RISK"), "{screen}");
    assert!(!screen.contains("AT-RI…"), "{screen}");
}

#[test]
fn mouse_clicks_tabs_and_rows_and_the_wheel_scrolls() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    use ratatui::layout::Rect;
    let (store, mut m) = setup();
    let area = Rect::new(0, 0, 80, 24);
    let click = |store: &Store, m: &mut Model, x: u16, y: u16| {
        let ev = MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        };
        tickler::tui::handle_mouse(store, m, &ev, area);
    };
    let wheel = |store: &Store, m: &mut Model, kind| {
        let ev = MouseEvent {
            kind,
            column: 10,
            row: 10,
            modifiers: KeyModifiers::NONE,
        };
        tickler::tui::handle_mouse(store, m, &ev, area);
    };
    // Triage rows start on screen row 2 (tab bar, then the block's border).
    click(&store, &mut m, 10, 5);
    assert_eq!(m.panes.triage.sel, 3);
    wheel(&store, &mut m, MouseEventKind::ScrollDown);
    assert_eq!(m.panes.triage.sel, 4);
    wheel(&store, &mut m, MouseEventKind::ScrollUp);
    assert_eq!(m.panes.triage.sel, 3);
    // " 1 Triage " and " 2 Calendar " come before " 3 Pipeline ".
    click(&store, &mut m, 24, 0);
    assert_eq!(m.pane, Pane::Pipeline);
    // Three columns fit at 80: the third (proposal) starts at x=54; its second card at rows 6-8.
    click(&store, &mut m, 60, 7);
    assert_eq!((m.panes.pipeline.col, m.panes.pipeline.card_sel[2]), (2, 1));
    click(&store, &mut m, 14, 0);
    assert_eq!(m.pane, Pane::Calendar);
    // The day's list is below the month (rows 10-): a click on its second row selects it.
    click(&store, &mut m, 10, 12);
    assert_eq!(m.panes.calendar.day_sel, 1);
    assert!(m.panes.calendar.in_list);
    // A click far below the last row selects the last one; clicks in a prompt do nothing.
    press(&store, &mut m, "1v");
    click(&store, &mut m, 10, 20);
    let review = m.diary.review.len();
    assert_eq!(m.panes.triage.review_sel, review.min(19).saturating_sub(1));
    press(&store, &mut m, "/");
    click(&store, &mut m, 40, 0);
    assert_eq!(m.pane, Pane::Triage);
}

#[test]
fn command_line_sale_archive_restore_add_undo_and_help() {
    use tickler::model::Stage;
    let (store, mut m) = setup();
    let p = m
        .diary
        .roster
        .rows
        .iter()
        .map(|(p, _)| p)
        .find(|p| p.stage == Stage::Lead)
        .unwrap()
        .clone();
    let id = p.id;
    let before = store.sales_of(id).unwrap().len();
    // A bad amount: an error in the status bar, the typed line kept.
    press(&store, &mut m, &format!(":sale c{id} 12,x\n"));
    assert!(m.status.error);
    assert_eq!(typed(&m), format!("sale c{id} 12,x"));
    press(&store, &mut m, "\u{1b}");
    press(&store, &mut m, &format!(":sale c{id} 10 -d tomorrow\n"));
    assert!(m.status.error, "{}", m.status.text);
    assert!(m.status.text.contains("future"), "{}", m.status.text);
    press(&store, &mut m, "\u{1b}");
    press(&store, &mut m, &format!(":sale c{id} 1250.50\n"));
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.mode(), Mode::Normal);
    let sales = store.sales_of(id).unwrap();
    assert_eq!(sales.len(), before + 1);
    let s = sales.iter().max_by_key(|s| s.id).unwrap();
    assert_eq!(
        (s.amount_cents, s.currency.as_str(), s.date),
        (125_050, "EUR", today())
    );

    // Archive needs a reason: without one, the reason picker asks; restore brings the contact
    // back to its stage.
    press(&store, &mut m, &format!(":archive c{id}\n"));
    assert!(
        matches!(m.mode(), Mode::Picker { .. }),
        "{:?} {}",
        m.mode(),
        m.status.text
    );
    press(&store, &mut m, "3"); // no-money
    if matches!(m.mode(), Mode::ConfirmOut { .. }) {
        press(&store, &mut m, "\n"); // call off its planned touches
    }
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.mode(), Mode::Normal);
    assert_eq!(store.contact(id).unwrap().unwrap().stage, Stage::Archived);
    press(
        &store,
        &mut m,
        &format!(":archive c{id} --reason no-money\n"),
    );
    assert!(
        m.status.text.contains("already archived"),
        "{}",
        m.status.text
    );
    press(&store, &mut m, "\u{1b}");
    press(&store, &mut m, &format!(":restore c{id}\n"));
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(store.contact(id).unwrap().unwrap().stage, Stage::Lead);
    press(&store, &mut m, &format!(":restore c{id}\n"));
    assert!(m.status.text.contains("not archived"), "{}", m.status.text);
    press(&store, &mut m, "\u{1b}");

    // Add validates like `tickler add`; undo takes it back.
    let n = m.diary.roster.rows.len();
    press(&store, &mut m, ":add Ada Lovelace --email nope\n");
    assert!(m.status.error, "{}", m.status.text);
    assert_eq!(typed(&m), "add Ada Lovelace --email nope");
    press(&store, &mut m, "\u{1b}:add --company Acme\n");
    assert!(m.status.error, "an empty name is refused");
    press(&store, &mut m, "\u{1b}");
    press(
        &store,
        &mut m,
        ":add Ada Lovelace --company Analytical Engines --email ada@example.org\n",
    );
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.diary.roster.rows.len(), n + 1);
    let added = store
        .contacts()
        .unwrap()
        .into_iter()
        .find(|c| c.name == "Ada Lovelace")
        .unwrap();
    assert_eq!(added.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(added.emails, vec!["ada@example.org".to_string()]);
    assert_eq!(added.stage, Stage::Lead);
    // The same name and company again: added, with a note, as `tickler add` does.
    press(
        &store,
        &mut m,
        ":add ada lovelace --company Analytical Engines\n",
    );
    assert!(
        m.status.text.contains("same name and company"),
        "{}",
        m.status.text
    );
    assert_eq!(m.diary.roster.rows.len(), n + 2);
    press(&store, &mut m, ":undo\n");
    press(&store, &mut m, ":undo\n");
    assert!(
        m.status.text.starts_with("undone: add Ada"),
        "{}",
        m.status.text
    );
    assert_eq!(m.diary.roster.rows.len(), n);

    // Unknown verbs list the commands; help opens the overlay, which lists them too (at its
    // end: G goes there).
    press(&store, &mut m, ":frobnicate\n");
    assert!(
        m.status.text.contains("unknown command 'frobnicate'") && m.status.text.contains("sale"),
        "{}",
        m.status.text
    );
    press(&store, &mut m, "\u{1b}:help\n");
    assert_eq!(m.mode(), Mode::Help);
    press(&store, &mut m, "G");
    let help = shown(&m, 80, 24);
    for verb in [
        "sale C AMOUNT",
        "archive C",
        "restore C",
        "add NAME",
        "undo",
    ] {
        assert!(help.contains(verb), "{verb} missing from the help:\n{help}");
    }
    insta::assert_snapshot!("help_commands_80x24", render(&m, 80, 24).backend());
}

#[test]
fn calendar_grid_shows_counts_in_words_and_a_click_selects_a_day() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    use ratatui::layout::Rect;
    let (store, mut m) = setup();
    press(&store, &mut m, "2");
    let screen = shown(&m, 80, 24);
    // Today (Tuesday the 24th): what is open, in words, without a legend.
    let row = screen.lines().nth(7).unwrap();
    assert!(row.contains("24 ") && row.contains(" open"), "{screen}");
    assert!(screen.contains(" done") || screen.contains('✓'), "{screen}");
    let click = |m: &mut Model, x: u16, y: u16| {
        let ev = MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        };
        tickler::tui::handle_mouse(&store, m, &ev, Rect::new(0, 0, 80, 24));
    };
    // The grid starts Monday 26 October; week rows begin on screen row 3, eleven columns a day.
    click(&mut m, 1 + 11 + 2, 4);
    assert_eq!(
        m.panes.calendar.cursor,
        NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()
    );
    assert_eq!(m.pane, Pane::Calendar);
    // A day of another month (Tuesday 27 October) is blank: nothing changes.
    click(&mut m, 1 + 11 + 2, 3);
    assert_eq!(
        m.panes.calendar.cursor,
        NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()
    );
    click(&mut m, 1 + 11 * 6 + 1, 7);
    assert_eq!(
        m.panes.calendar.cursor,
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    );
}

#[test]
fn the_insights_pane_scrolls_its_charts() {
    let (store, mut m) = setup();
    press(&store, &mut m, "5");
    assert_eq!(m.pane, Pane::Insights);
    assert!(
        m.panes.insights.data.is_some(),
        "computed when the pane opens"
    );
    // At 80x24 the charts stack two at a time: j scrolls to the rest.
    press(&store, &mut m, "jj");
    insta::assert_snapshot!("insights_80x24_pipeline", render(&m, 80, 24).backend());
    press(&store, &mut m, "jj");
    insta::assert_snapshot!("insights_80x24_channels", render(&m, 80, 24).backend());
    press(&store, &mut m, "j");
    assert_eq!(m.panes.insights.top, 4, "stops at the last chart");
    for (w, h) in [(20, 5), (1, 1), (119, 40), (120, 39), (200, 60)] {
        render(&m, w, h);
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn command_line_import_reloads_the_roster_and_u_undoes_it_all() {
    use tickler::tui::transfer;
    let (store, mut m) = setup();
    let before = store.contact_count().unwrap();
    let rows = m.diary.roster.rows.len();
    let file = fixture("contacts.vcf");
    // A dry run writes nothing.
    press(
        &store,
        &mut m,
        &format!(":import {} --dry-run\n", file.display()),
    );
    assert!(m.import.is_some(), "the import runs on a worker");
    assert!(
        m.status.text.contains("importing contacts.vcf"),
        "{}",
        m.status.text
    );
    transfer::wait(&store, &mut m, today());
    assert!(m.import.is_none());
    assert!(
        m.status
            .text
            .starts_with("dry run of contacts.vcf: would make 4 new"),
        "{}",
        m.status.text
    );
    assert_eq!(store.contact_count().unwrap(), before);
    // The import: one write, the roster reloaded.
    press(&store, &mut m, &format!(":import {}\n", file.display()));
    transfer::wait(&store, &mut m, today());
    assert!(!m.status.error, "{}", m.status.text);
    assert!(
        m.status.text.starts_with("imported contacts.vcf: 4 new"),
        "{}",
        m.status.text
    );
    assert_eq!(store.contact_count().unwrap(), before + 4);
    assert_eq!(m.diary.roster.rows.len(), rows + 4);
    assert!(
        m.diary
            .roster
            .rows
            .iter()
            .any(|(p, _)| p.name == "Grace Hopper")
    );
    // u undoes the whole import.
    press(&store, &mut m, "u");
    assert!(
        m.status.text.starts_with("undone: import contacts.vcf"),
        "{}",
        m.status.text
    );
    assert_eq!(store.contact_count().unwrap(), before);
    assert_eq!(m.diary.roster.rows.len(), rows);
    // A file that is not there: an error in the status bar, nothing written.
    press(&store, &mut m, ":import /no/such/file.csv\n");
    transfer::wait(&store, &mut m, today());
    assert!(m.status.error);
    assert!(
        m.status.text.contains("cannot read /no/such/file.csv"),
        "{}",
        m.status.text
    );
}

#[test]
fn command_line_import_of_a_big_file_shows_progress_on_each_tick() {
    use std::fmt::Write as _;
    use tickler::tui::transfer;
    let (store, mut m) = setup();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.csv");
    let mut csv = String::from("Name,Email\n");
    for i in 0..20_000 {
        writeln!(csv, "Person {i},p{i}@example.com").unwrap();
    }
    std::fs::write(&file, csv).unwrap();
    press(&store, &mut m, &format!(":import {}\n", file.display()));
    let mut ticks = 0;
    while transfer::poll(&store, &mut m, today()) {
        assert!(
            m.status.text.contains("importing big.csv: "),
            "{}",
            m.status.text
        );
        assert!(m.status.text.contains(" read"), "{}", m.status.text);
        ticks += 1;
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(
        m.status.text.starts_with("imported big.csv: 20000 new"),
        "{} after {ticks} ticks",
        m.status.text
    );
    press(&store, &mut m, "u");
    assert_eq!(store.contact_count().unwrap(), 300);
}

#[test]
fn command_line_export_writes_csv_json_and_ics() {
    let (store, mut m) = setup();
    let dir = tempfile::tempdir().unwrap();
    for (format, name, starts) in [
        ("csv", "out.csv", "id,name,"),
        ("json", "out.json", "{"),
        ("ics", "out.ics", "BEGIN:VCALENDAR"),
    ] {
        let path = dir.path().join(name);
        press(
            &store,
            &mut m,
            &format!(":export --format {format} -o {}\n", path.display()),
        );
        assert!(!m.status.error, "{}", m.status.text);
        assert_eq!(m.status.text, format!("exported to {}", path.display()));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.to_lowercase().starts_with(&starts.to_lowercase()),
            "{name}: {}",
            &text[..40.min(text.len())]
        );
    }
    let json = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["contacts"].as_array().unwrap().len(), 300);
    // A bad format keeps the prompt open with the usage.
    press(&store, &mut m, "\u{1b}:export --format pdf -o x.pdf\n");
    assert!(m.status.error);
    assert!(m.status.text.contains("'pdf'"), "{}", m.status.text);
    press(&store, &mut m, "\u{1b}");
    // Writing where it cannot: an error, not a panic.
    press(
        &store,
        &mut m,
        ":export --format csv -o /no/such/dir/x.csv\n",
    );
    assert!(m.status.error);
    assert!(
        m.status.text.starts_with("export failed"),
        "{}",
        m.status.text
    );
}

#[test]
fn daily_backup_when_the_tui_opens_reports_failure_in_the_status_bar() {
    use tickler::tui::transfer;
    let (_store, mut m) = setup();
    // The in-memory diary (or the demo): nothing to do.
    transfer::daily_backup(&mut m, None, today());
    assert!(m.status.text.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.redb");
    drop(Store::open(&db).unwrap());
    transfer::daily_backup(&mut m, Some(&db), today());
    assert!(!m.status.error, "{}", m.status.text);
    assert!(dir.path().join("backups/tickler-2026-11-24.redb").exists());
    // A database file that is gone: shown, not fatal.
    m.status.text.clear();
    transfer::daily_backup(
        &mut m,
        Some(&dir.path().join("elsewhere/gone.redb")),
        today(),
    );
    assert!(m.status.error);
    assert!(
        m.status.text.starts_with("daily backup failed"),
        "{}",
        m.status.text
    );
}

/// The pane and `tickler insights --json` show the same figures, from the same diary file.
#[test]
fn the_insights_pane_shows_what_the_cli_prints() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    let cli = || {
        let mut c = assert_cmd::Command::cargo_bin("tickler").unwrap();
        c.env("TICKLER_DB", &db)
            .env("TICKLER_TODAY", "2026-11-24")
            .env("HOME", dir.path());
        c
    };
    cli()
        .args(["demo", "--contacts", "300", "--seed", "1"])
        .assert()
        .success();
    let out = cli().args(["insights", "--json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();

    let store = Store::open(&db).unwrap();
    let mut m = Model::new(store.roster().unwrap(), today(), "demo.redb".to_string());
    m.theme = tickler::tui::theme::Theme::mono();
    press(&store, &mut m, "5");
    let shown = m.panes.insights.data.clone().unwrap();
    assert_eq!(serde_json::to_value(&shown).unwrap(), json);

    // A few of the numbers, as drawn.
    let text = screen_text(&render(&m, 160, 48));
    let kept = json["keeping_in_touch"]["kept"].as_u64().unwrap();
    let percent = json["keeping_in_touch"]["within_cadence_percent"]
        .as_u64()
        .unwrap();
    assert!(
        text.contains(&format!("{percent}% of {kept} kept contacts")),
        "{text}"
    );
    let said_no = json["no_reasons"]["said_no"].as_u64().unwrap();
    assert!(text.contains(&format!("{said_no} noes")), "{text}");
    let touches = json["channels"]["touches"].as_u64().unwrap();
    assert!(
        text.contains(&tickler::tui::panes::insights::thousands(touches)),
        "{text}"
    );
    let lead = json["pipeline"]["stages"][0]["contacts"].as_u64().unwrap();
    assert!(
        text.lines()
            .any(|l| l.contains("│lead ") && l.contains(&format!(" {lead} "))),
        "{text}"
    );

    // After a write on the pane the figures are recomputed: a move out adds a "no", undo takes
    // it back.
    let c = store
        .contacts()
        .unwrap()
        .into_iter()
        .find(|c| c.stage == tickler::model::Stage::Lead)
        .unwrap();
    press(
        &store,
        &mut m,
        &format!(":move c{} stay-in-touch --reason no-money\n", c.id),
    );
    assert!(!m.status.error, "{}", m.status.text);
    let after = m.panes.insights.data.as_ref().unwrap();
    assert_eq!(after.no_reasons.said_no, shown.no_reasons.said_no + 1);
    press(&store, &mut m, "u");
    assert_eq!(m.panes.insights.data.as_ref().unwrap(), &shown);
}

#[test]
fn the_insights_pane_of_an_empty_diary() {
    let store = Store::in_memory().unwrap();
    let mut m = Model::new(store.roster().unwrap(), today(), "empty.redb".to_string());
    m.theme = tickler::tui::theme::Theme::mono();
    press(&store, &mut m, "5");
    for (w, h) in [(80, 24), (160, 48)] {
        let text = screen_text(&render(&m, w, h));
        assert!(text.contains("- of 0 kept contacts"), "{text}");
        assert!(text.contains("0.00 EUR at stake"), "{text}");
    }
}

#[test]
fn u_never_undoes_what_another_tickler_did_since() {
    let (store, mut m) = setup();
    let named =
        |store: &Store, name: &str| store.contacts().unwrap().iter().any(|c| c.name == name);
    let script_adds = |name: &str| {
        let req = tickler::actions::AddRequest {
            name: name.to_string(),
            ..Default::default()
        };
        tickler::actions::add(&store, &req, today()).unwrap();
    };
    // A script's action from before (the diary never made it).
    script_adds("Zed Older");
    press(&store, &mut m, ":add Ada Lovelace\n");
    assert!(named(&store, "Ada Lovelace"));
    // Another process (a script's `tickler add`) writes after it.
    script_adds("Grace Hopper");
    // `u` refuses to revert the script's action and says so; both contacts stay.
    press(&store, &mut m, "u");
    assert!(m.status.error, "{}", m.status.text);
    assert!(
        m.status.text.contains("another tickler"),
        "{}",
        m.status.text
    );
    assert!(
        m.status.text.contains("add Grace Hopper"),
        "{}",
        m.status.text
    );
    assert!(named(&store, "Grace Hopper") && named(&store, "Ada Lovelace"));
    // Once that one is undone where it was made, `u` reverts the diary's own action.
    assert_eq!(store.undo().unwrap(), Some("add Grace Hopper".to_string()));
    press(&store, &mut m, "u");
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.status.text, "undone: add Ada Lovelace");
    assert!(!named(&store, "Ada Lovelace"));
    // After its own first undo, the newest action in the file is the script's older one: `u`
    // leaves it alone.
    press(&store, &mut m, "u");
    assert!(
        m.status
            .text
            .starts_with("nothing this session did is left to undo"),
        "{}",
        m.status.text
    );
    assert!(named(&store, "Zed Older"));
}

/// The contact pane shows the piece to send with the next touch, the pieces received, and which
/// touch of the timeline carried which piece; a diary without pieces shows none of it.
#[test]
fn the_contact_pane_shows_pieces_received_and_the_one_to_send() {
    use tickler::actions::pieces::{PieceAdd, piece_add};
    use tickler::actions::{BatchAction, BatchRequest, Completes, ContactRef, LogRequest};
    use tickler::model::{Channel, Direction, PieceKind};
    let (store, mut m) = setup();
    press(&store, &mut m, "\n");
    let id = m.contact().unwrap().contact.id;
    let v = m.contact().unwrap();
    assert!(v.suggested.is_none() && v.carried.is_empty());
    for title in ["Autumn issue", "Heat pumps report"] {
        let req = PieceAdd {
            title: title.into(),
            kind: PieceKind::Other,
            url: None,
            note: String::new(),
        };
        piece_add(&store, &req, today()).unwrap();
    }
    let log = BatchRequest {
        selection: tickler::actions::Selection::of_ids([id]),
        action: BatchAction::Log(LogRequest {
            contact: ContactRef::Id(id),
            channel: Some(Channel::Email),
            date: today(),
            direction: Direction::Out,
            summary: "the autumn letter".into(),
            completes: Completes::Fulfilled,
        }),
        force: true,
        dry_run: false,
        piece: None,
    };
    // The `:` line logs with a piece as the CLI does (the same request as `log`).
    press(
        &store,
        &mut m,
        &format!(":log c{id} -c email -s \"the autumn letter\" --piece Autumn --force\n"),
    );
    assert!(!m.status.error, "{}", m.status.text);
    let v = m.contact().unwrap();
    assert!(v.due.is_some());
    let text = screen_text(&render(&m, 160, 48));
    assert!(
        text.contains("│send     \"Heat pumps report\" (other)"),
        "{text}"
    );
    assert!(text.contains("received Autumn issue"), "{text}");
    assert!(
        text.contains("email the autumn letter [Autumn issue]"),
        "{text}"
    );
    // Once the report is received too, nothing is left to suggest.
    let mut second = log;
    second.piece = Some("Heat pumps".into());
    tickler::actions::batch(&store, &second, today()).unwrap();
    tickler::tui::session::open(&store, &mut m, id).unwrap();
    let text = screen_text(&render(&m, 160, 48));
    assert!(m.contact().unwrap().suggested.is_none());
    assert!(!text.contains("│send     "), "{text}");
    assert!(
        text.contains("received Heat pumps report, Autumn issue"),
        "{text}"
    );
}

/// The review lists the contacts the last capture logged touches for; `u` takes the capture back
/// while it is the newest change, even when another tickler (cron) ran it.
#[test]
fn the_review_lists_what_the_last_capture_logged_and_u_undoes_it() {
    use tickler::actions::capture::{CaptureItems, CaptureRequest, capture};
    use tickler::tui::model::ReviewKind;
    let store = Store::in_memory().unwrap();
    tickler::actions::setting_set(
        &store,
        "my_addresses",
        "allan@archlinux.org, ned@innosoft.com",
    )
    .unwrap();
    for (name, email) in [
        ("François Boulogne", "boulogne.f@gmail.com"),
        ("Nathaniel Borenstein", "nsb@nsb.fv.com"),
        ("Nobody Wrote", "nobody@example.net"),
    ] {
        let req = tickler::actions::AddRequest {
            name: name.into(),
            emails: vec![email.into()],
            ..Default::default()
        };
        tickler::actions::add(&store, &req, today()).unwrap();
    }
    let mut m = Model::new(store.roster().unwrap(), today(), "t.redb".to_string());
    m.theme = tickler::tui::theme::Theme::mono();
    tickler::tui::session::refresh(&store, &mut m).unwrap();
    assert!(m.diary.captured.is_empty());
    // Another process captures (as cron would): the TUI sees it at its next refresh.
    let md =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/capture/maildir");
    let read = tickler::capture::mail::read_paths(&[md]).unwrap();
    let req = CaptureRequest {
        items: CaptureItems::Mail(read.items),
        since: None,
        dry_run: false,
    };
    let out = capture(&store, &req, today()).unwrap();
    assert_eq!(out.logged.len(), 2);
    tickler::tui::session::refresh(&store, &mut m).unwrap();
    let names = |m: &Model| {
        let mut v: Vec<String> = m
            .diary
            .review
            .iter()
            .filter(|(_, k)| *k == ReviewKind::Captured)
            .map(|&(r, _)| m.diary.profile(r).unwrap().name.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&m), ["François Boulogne", "Nathaniel Borenstein"]);
    press(&store, &mut m, "v");
    assert!(m.panes.triage.review_on);
    let text = screen_text(&render(&m, 100, 30));
    assert!(
        text.contains("captured             François Boulogne"),
        "{text}"
    );
    let done = |s: &Store| {
        s.snapshot()
            .unwrap()
            .contacts
            .iter()
            .map(|(c, _)| s.touches_of(c.id).unwrap().len())
            .sum::<usize>()
    };
    let before = done(&store);
    press(&store, &mut m, "u");
    assert!(!m.status.error, "{}", m.status.text);
    assert!(
        m.status.text.starts_with("undone: capture mail"),
        "{}",
        m.status.text
    );
    assert!(done(&store) < before);
    assert!(names(&m).is_empty());
    // The contacts were added by another process: `u` has nothing of its own left to undo.
    let after = done(&store);
    press(&store, &mut m, "u");
    assert!(
        m.status.text.starts_with("nothing this session did"),
        "{}",
        m.status.text
    );
    assert_eq!(done(&store), after);
}

#[test]
fn pasted_escapes_never_reach_the_diary() {
    let (store, mut m) = setup();
    let n = m.diary.roster.rows.len();
    // A paste into the command line: a direction control is refused as `tickler add` refuses it.
    press(&store, &mut m, ":");
    tickler::tui::handle_paste(&mut m, "add \"Mallory \u{202e}ecalevoL\"");
    press(&store, &mut m, "\n");
    assert!(m.status.error, "{}", m.status.text);
    assert!(
        m.status.text.contains("text-direction control"),
        "{}",
        m.status.text
    );
    // Control characters in a paste become spaces before anything is parsed.
    press(&store, &mut m, "\u{1b}:");
    tickler::tui::handle_paste(&mut m, "add \"Eve\u{1b}]0;pwned\u{7}\u{9b}2J\"");
    press(&store, &mut m, "\n");
    assert!(!m.status.error, "{}", m.status.text);
    assert_eq!(m.diary.roster.rows.len(), n + 1);
    let names: Vec<String> = store
        .contacts()
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(names.iter().any(|n| n.starts_with("Eve")), "added");
    assert!(
        names
            .iter()
            .all(|n| !n.contains(tickler::sanitize::unsafe_in_line)),
        "no stored name holds a control or direction character"
    );
}
