//! The diary's flows through the real binary in tmux (send-keys / capture-pane): the LYBUNT view,
//! the contact form, a log for several marked contacts as one action, the help's filter. Each
//! checks what the file holds afterwards through the CLI.

use crate::common::{BIN, demo_db, have_tmux, start, tmux, wait_for, wait_until};
use std::path::Path;
use std::process::Command;

/// A test's tmux session, killed when the test ends, also when it fails half-way: no TUI is left
/// running.
struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        // Gone already after a clean quit.
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

/// The TUI on `db` in a new tmux session; returns the first screen that shows the triage.
fn open(session: &str, dir: &tempfile::TempDir, db: &Path) -> String {
    let cmd = format!(
        "env TICKLER_DB='{}' TICKLER_TODAY=2026-11-24 XDG_CONFIG_HOME='{}' NO_COLOR=1 {BIN}; echo EXITED $?; sleep 30",
        db.display(),
        dir.path().display()
    );
    start(session, &cmd);
    wait_for(session, "cleared")
}

fn keys(session: &str, keys: &[&str]) {
    for k in keys {
        tmux(&["send-keys", "-t", session, k]);
    }
}

/// Text typed as is (no key names).
fn typed(session: &str, text: &str) {
    tmux(&["send-keys", "-t", session, "-l", text]);
}

/// Quit, and check the TUI ended well.
fn quit(session: &str) {
    keys(session, &["q"]);
    let after = wait_for(session, "EXITED");
    tmux(&["kill-session", "-t", session]);
    assert!(after.contains("EXITED 0"), "{after}");
}

/// What the CLI prints for `args` on `db`.
fn cli(db: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("TICKLER_DB", db)
        .env("TICKLER_TODAY", "2026-11-24")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `6` opens the LYBUNT view: last year's buyers by value, the money at stake, each one's next
/// touch; `p` plans a touch for the selected one (the prompt names the contact), Enter takes the
/// planner's day.
#[test]
fn the_lybunt_view_lists_last_years_buyers_and_plans_one() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "lybunt.redb", "300");
    let session = format!("tickler-lybunt-{}", std::process::id());
    let _session = Session(session.clone());
    open(&session, &dir, &db);
    keys(&session, &["6"]);
    let screen = wait_for(&session, "at stake");
    assert!(screen.contains("LYBUNT:"), "{screen}");
    assert!(screen.contains("last year"), "{screen}");
    assert!(screen.contains("next touch"), "{screen}");
    let before = cli(&db, &["undo", "--list"]);
    keys(&session, &["p"]);
    let prompt = wait_for(&session, "Plan a touch with c");
    keys(&session, &["Enter"]);
    let screen = wait_until(&session, |s| {
        s.contains("Planned") || s.contains("planned for")
    });
    quit(&session);
    let after = cli(&db, &["undo", "--list"]);
    let plans = |list: &str| list.lines().filter(|l| l.contains(" plan ")).count();
    assert_eq!(
        plans(&after),
        plans(&before) + 1,
        "one plan: {prompt}\n{screen}\n{before}\n{after}"
    );
}

/// `n` opens the contact form; what is typed in its fields makes the contact, with every field
/// the CLI's `add` takes that was filled in.
#[test]
fn the_contact_form_adds_a_contact_with_its_fields() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "form.redb", "50");
    let session = format!("tickler-form-{}", std::process::id());
    let _session = Session(session.clone());
    open(&session, &dir, &db);
    keys(&session, &["n"]);
    wait_for(&session, "New contact");
    typed(&session, "Zelda Formfield");
    keys(&session, &["Tab"]);
    typed(&session, "Hyrule Traders");
    keys(&session, &["Tab"]);
    typed(&session, "zelda@example.com");
    keys(&session, &["Enter"]);
    let screen = wait_until(&session, |s| !s.contains("New contact"));
    quit(&session);
    let shown = cli(&db, &["show", "Zelda Formfield"]);
    assert!(shown.contains("Hyrule Traders"), "{screen}\n{shown}");
    assert!(shown.contains("zelda@example.com"), "{shown}");
}

/// Space marks two contacts; `l` logs one touch to both as ONE action (one line in the undo
/// log, one `u` undoes both).
#[test]
fn a_log_for_two_marked_contacts_is_one_action() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "marked.redb", "100");
    let session = format!("tickler-marked-{}", std::process::id());
    let _session = Session(session.clone());
    open(&session, &dir, &db);
    keys(&session, &["Space", "j", "Space"]);
    wait_for(&session, "2 marked");
    keys(&session, &["l"]);
    wait_for(&session, "Log a touch with");
    // Channel, direction, date (empty: today), summary.
    keys(&session, &["Tab", "Tab", "Tab"]);
    typed(&session, "the winter newsletter");
    keys(&session, &["Enter"]);
    let screen = wait_for(&session, "2 of 2 contacts");
    assert!(
        !screen.contains("2 marked"),
        "the marks go once done: {screen}"
    );
    quit(&session);
    let list = cli(&db, &["undo", "--list"]);
    let newest = list.lines().find(|l| l.contains("log ")).unwrap_or("");
    assert!(newest.contains("2 contacts"), "{screen}\n{list}");
    let json = cli(&db, &["export", "--format", "json"]);
    assert_eq!(
        json.matches("the winter newsletter").count(),
        2,
        "one touch each"
    );
}

/// `?` then `/` filters the help as you type: only keys that match stay, under their headings;
/// Esc clears the filter, Esc again closes the help.
#[test]
fn the_help_filters_as_you_type() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "help.redb", "20");
    let session = format!("tickler-help-{}", std::process::id());
    let _session = Session(session.clone());
    open(&session, &dir, &db);
    keys(&session, &["?"]);
    let all = wait_for(&session, "Keys 1-");
    assert!(all.contains("suspend (fg)"), "{all}");
    keys(&session, &["/"]);
    typed(&session, "snooze");
    let some = wait_until(&session, |s| {
        s.contains("type to filter") && s.contains("snooze") && !s.contains("suspend (fg)")
    });
    assert!(some.contains("Triage"), "under its heading: {some}");
    keys(&session, &["Escape"]);
    let cleared = wait_for(&session, "suspend (fg)");
    assert!(cleared.contains("Keys 1-"), "{cleared}");
    keys(&session, &["Escape"]);
    wait_for(&session, "cleared");
    quit(&session);
}
