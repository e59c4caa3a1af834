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

/// The real diary in tmux, syncing a demo diary big enough that its first sync to a vdir takes
/// seconds: while it runs the screen follows the keys (the help opens and closes) with the status
/// bar still saying it syncs, and a `tickler add` beside it goes through; then the result line
/// comes and the vdir holds every card. Quitting during a sync ends at once with the terminal
/// restored, and the next `tickler sync` completes it.
mod in_tmux {
    use crate::common::{BIN, demo_db, have_tmux, pane_var, start, tmux, wait_until};
    use std::path::Path;
    use std::process::Command;
    use std::time::{Duration, Instant};

    /// Contacts of the demo diary: its first sync to a vdir lasts several seconds in a debug
    /// build (one card each, plus follow-ups and histories).
    const CONTACTS: &str = "300";

    fn cli(db: &Path, args: &[&str]) -> std::process::Output {
        Command::new(BIN)
            .args(args)
            .env("TICKLER_DB", db)
            .env("TICKLER_TODAY", "2026-11-24")
            .output()
            .unwrap()
    }

    /// A demo diary set to sync with a vdir, and the diary on it in a new tmux session.
    fn open(session: &str, dir: &tempfile::TempDir) -> (std::path::PathBuf, std::path::PathBuf) {
        let db = demo_db(dir, "sync.redb", CONTACTS);
        let vdir = dir.path().join("dav");
        let set = cli(
            &db,
            &["settings", "set", "sync_url", vdir.to_str().unwrap()],
        );
        assert!(set.status.success(), "{set:?}");
        let cmd = format!(
            "env TICKLER_DB='{}' TICKLER_TODAY=2026-11-24 XDG_CONFIG_HOME='{}' NO_COLOR=1 {BIN}; echo EXITED $?; sleep 30",
            db.display(),
            dir.path().display()
        );
        start(session, &cmd);
        wait_until(session, |s| s.contains("cleared"));
        (db, vdir)
    }

    fn keys(session: &str, k: &str) {
        tmux(&["send-keys", "-t", session, k]);
    }

    fn screen(session: &str) -> String {
        tmux(&["capture-pane", "-p", "-t", session])
    }

    fn cards(vdir: &Path) -> usize {
        std::fs::read_dir(vdir.join("tickler-contacts"))
            .map_or(0, |d| d.filter_map(Result::ok).count())
    }

    #[test]
    fn the_screen_follows_the_keys_while_it_syncs() {
        if !have_tmux() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let session = format!("tickler-sync-bg-{}", std::process::id());
        let (db, vdir) = open(&session, &dir);
        keys(&session, "S");
        let started = Instant::now();
        let syncing = wait_until(&session, |s| s.contains("syncing with"));
        assert!(syncing.contains("syncing with"), "{syncing}");

        keys(&session, "?");
        let help = wait_until(&session, |s| s.contains("Keys 1-"));
        let opened = started.elapsed();
        assert!(help.contains("Keys 1-"), "the help opened: {help}");
        assert!(help.contains("syncing with"), "still syncing: {help}");
        keys(&session, "Escape");
        let closed = wait_until(&session, |s| !s.contains("Keys 1-"));
        assert!(closed.contains("syncing with"), "still syncing: {closed}");
        keys(&session, "S");
        let again = wait_until(&session, |s| s.contains("is running"));
        assert!(again.contains("is running"), "a second S: {again}");

        // A command beside the sync gets the file (the sync holds it only for its steps).
        let add = cli(&db, &["add", "Zed Zimmer"]);
        assert!(add.status.success(), "{add:?}");

        let deadline = Instant::now() + Duration::from_secs(300);
        let mut done = screen(&session);
        while !done.contains("synced with") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(200));
            done = screen(&session);
        }
        let took = started.elapsed();
        println!("help shown after {opened:?}; sync took {took:?}");
        assert!(done.contains("synced with"), "{done}");
        assert!(took > opened * 2, "the sync outlasted the check: {took:?}");
        // The contacts (and Zed, if the sync read the diary after the add) and the displayname.
        let n: usize = CONTACTS.parse().unwrap();
        assert!(cards(&vdir) > n, "{} cards", cards(&vdir));
        keys(&session, "q");
        let after = wait_until(&session, |s| s.contains("EXITED"));
        tmux(&["kill-session", "-t", &session]);
        assert!(after.contains("EXITED 0"), "{after}");
    }

    #[test]
    fn quitting_during_a_sync_ends_at_once_and_the_next_sync_completes_it() {
        if !have_tmux() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let session = format!("tickler-sync-quit-{}", std::process::id());
        let (db, vdir) = open(&session, &dir);
        keys(&session, "S");
        wait_until(&session, |s| s.contains("syncing with"));
        let asked = Instant::now();
        keys(&session, "q");
        let after = wait_until(&session, |s| s.contains("EXITED"));
        let quit_in = asked.elapsed();
        let alternate = pane_var(&session, "#{alternate_on}");
        tmux(&["kill-session", "-t", &session]);
        assert!(after.contains("EXITED 0"), "{after}");
        assert_eq!(alternate, "0", "the terminal is restored");
        assert!(quit_in < Duration::from_secs(3), "quit took {quit_in:?}");

        let sync = cli(&db, &["sync"]);
        assert!(sync.status.success(), "{sync:?}");
        let n: usize = CONTACTS.parse().unwrap();
        assert_eq!(cards(&vdir), n + 1, "every card and the displayname file");
    }
}
