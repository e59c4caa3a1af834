//! The full-screen diary's sync key, `:sync`, and sync after each change (setting
//! sync_after_change), with the result in the status bar; `u` undoes what a sync changed here.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tickler::store::Store;
use tickler::tui::handle_key;
use tickler::tui::model::Model;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
}

fn press(store: &Store, m: &mut Model, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        handle_key(store, m, &KeyEvent::new(code, mods));
    }
}

fn diary(n: usize) -> (Store, Model) {
    let store = Store::in_memory().unwrap();
    store
        .load_bulk(tickler::demo::generate(n, 2, today()))
        .unwrap();
    let m = Model::new(store.roster().unwrap(), today(), "t.redb".to_string());
    (store, m)
}

#[test]
fn the_sync_key_syncs_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let vdir = dir.path().join("dav");
    let (store, mut m) = diary(5);
    // No account yet: the status bar says how to set one up.
    press(&store, &mut m, "S");
    assert!(
        m.status.error && m.status.text.contains("--url"),
        "{}",
        m.status.text
    );

    store
        .save_sync(
            &[],
            &[],
            &[("sync_url".into(), Some(vdir.display().to_string()))],
        )
        .unwrap();
    press(&store, &mut m, "S");
    assert!(!m.status.error, "{}", m.status.text);
    assert!(
        m.status.text.starts_with("synced with"),
        "{}",
        m.status.text
    );
    assert_eq!(
        std::fs::read_dir(vdir.join("tickler-contacts"))
            .unwrap()
            .count(),
        6
    );

    // Another diary adds a contact there; `:sync` brings it, `u` takes it back out.
    let (other, _) = diary(0);
    other
        .save_sync(
            &[],
            &[],
            &[("sync_url".into(), Some(vdir.display().to_string()))],
        )
        .unwrap();
    tickler::actions::add(
        &other,
        &tickler::actions::AddRequest {
            name: "Zelda Zimmer".into(),
            company: None,
            emails: vec!["z@example.com".into()],
            phones: Vec::new(),
            address: None,
            birthday: None,
            category: None,
            tags: Vec::new(),
            stage: None,
            reason: None,
            cadence: None,
            notes: String::new(),
        },
        today(),
    )
    .unwrap();
    let acct = tickler::sync::account::account(&other, None, None).unwrap();
    tickler::sync::account::run(&other, &acct, today(), false).unwrap();
    let before = store.contact_count().unwrap();
    press(&store, &mut m, ":sync\n");
    assert!(m.status.text.contains("change"), "{}", m.status.text);
    assert_eq!(store.contact_count().unwrap(), before + 1);
    press(&store, &mut m, "u");
    assert_eq!(store.contact_count().unwrap(), before, "{}", m.status.text);
}

#[test]
fn sync_after_each_change_when_set() {
    let dir = tempfile::tempdir().unwrap();
    let vdir = dir.path().join("dav");
    let (store, mut m) = diary(5);
    store
        .save_sync(
            &[],
            &[],
            &[
                ("sync_url".into(), Some(vdir.display().to_string())),
                ("sync_after_change".into(), Some("on".into())),
            ],
        )
        .unwrap();
    press(&store, &mut m, ":add Zelda Zimmer --email z@example.com\n");
    assert!(m.status.text.contains("synced with"), "{}", m.status.text);
    let cards = std::fs::read_dir(vdir.join("tickler-contacts"))
        .unwrap()
        .count();
    assert_eq!(cards, 7, "six cards and the displayname file");
}
