//! End to end: the real binary in a detached tmux session (send-keys / capture-pane): open the
//! TUI, clear two triage items, quit; then check the database and that the alternate screen is gone.

use crate::common::{BIN, demo_db, have_tmux, start, tmux, wait_for, wait_until};
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn triage_two_items_in_tmux() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "e2e.redb", "200");
    let env = [
        ("TICKLER_DB", db.to_str().unwrap()),
        ("TICKLER_TODAY", "2026-11-24"),
    ];
    let session = format!("tickler-e2e-{}", std::process::id());
    let cmd = format!(
        "env TICKLER_DB='{}' TICKLER_TODAY=2026-11-24 XDG_CONFIG_HOME='{}' NO_COLOR=1 {BIN}; echo EXITED $?; sleep 30",
        db.display(),
        dir.path().display()
    );
    start(&session, &cmd);
    let screen = wait_for(&session, "cleared");
    println!("{screen}");
    assert!(screen.contains("0 of"), "{screen}");
    let mouse = |s: &str| tmux(&["display-message", "-p", "-t", s, "#{mouse_any_flag}"]);
    assert_eq!(mouse(&session).trim(), "1", "mouse captured while running");
    tmux(&["send-keys", "-t", &session, "d"]);
    wait_for(&session, "Enter keep");
    tmux(&["send-keys", "-t", &session, "d"]);
    let screen = wait_for(&session, "2 of");
    println!("{screen}");
    assert!(screen.contains("2 of"), "{screen}");
    tmux(&["send-keys", "-t", &session, "Enter"]);
    tmux(&["send-keys", "-t", &session, "q"]);
    let after = wait_for(&session, "EXITED");
    let mouse_after = mouse(&session);
    tmux(&["kill-session", "-t", &session]);
    assert!(after.contains("EXITED 0"), "{after}");
    // Back on the normal screen: the TUI's frame is gone.
    assert!(!after.contains("Triage"), "{after}");
    assert_eq!(mouse_after.trim(), "0", "mouse capture released on quit");
    let list = Command::new(BIN)
        .args(["undo", "--list"])
        .envs(env)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    assert_eq!(
        text.lines().filter(|l| l.contains("log ")).count(),
        2,
        "{text}"
    );
}

/// The terminal going away (tmux killed, ssh dropped) ends the TUI instead of leaving it spinning
/// on a dead terminal (crossterm's default event source loops forever on end of input).
#[test]
fn the_tui_exits_when_its_terminal_goes_away() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "hangup.redb", "50");
    let session = format!("tickler-hup-{}", std::process::id());
    let cmd = format!(
        "env TICKLER_TODAY=2026-11-24 XDG_CONFIG_HOME='{}' {BIN} --db '{}'",
        dir.path().display(),
        db.display()
    );
    start(&session, &cmd);
    wait_for(&session, "cleared");
    // A tickler process on this file. (Not `pgrep -f` alone: the tmux server started by this
    // test's `new-session` carries the same command line, and outlives the session while other
    // tests' sessions run.)
    let running = || {
        Command::new("pgrep")
            .args(["-f", &db.display().to_string()])
            .output()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .split_whitespace()
                    .any(|pid| {
                        std::fs::read_to_string(format!("/proc/{pid}/comm"))
                            .is_ok_and(|comm| comm.trim() == "tickler")
                    })
            })
            .unwrap_or(false)
    };
    assert!(running(), "the TUI should be running");
    tmux(&["kill-session", "-t", &session]);
    let start = Instant::now();
    while running() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !running(),
        "the TUI kept running after its terminal went away"
    );
}

/// The Insights pane in the real binary: the same figures as `tickler insights --json`, stacked in
/// a small terminal (j scrolls) and all five side by side once the terminal is wide.
#[test]
fn insights_pane_in_tmux() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "insights.redb", "200");
    let out = Command::new(BIN)
        .args(["insights", "--json"])
        .env("TICKLER_DB", &db)
        .env("TICKLER_TODAY", "2026-11-24")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let k = &json["keeping_in_touch"];
    let caption = format!(
        "{}% of {} kept contacts",
        k["within_cadence_percent"], k["kept"]
    );
    let session = format!("tickler-insights-{}", std::process::id());
    let cmd = format!(
        "env TICKLER_DB='{}' TICKLER_TODAY=2026-11-24 XDG_CONFIG_HOME='{}' NO_COLOR=1 {BIN}; echo EXITED $?; sleep 30",
        db.display(),
        dir.path().display()
    );
    start(&session, &cmd);
    wait_for(&session, "cleared");
    tmux(&["send-keys", "-t", &session, "5"]);
    let screen = wait_for(&session, &caption);
    println!("{screen}");
    assert!(screen.contains(&caption), "{screen}");
    assert!(screen.contains("charts 1-2 of 5"), "{screen}");
    tmux(&["send-keys", "-t", &session, "j", "j", "j", "j"]);
    // Wait for the last j, not the first screen that shows the channels chart (charts 4-5).
    let screen = wait_for(&session, "charts 5-5 of 5");
    assert!(screen.contains("Channels, last 12 months"), "{screen}");
    tmux(&["resize-window", "-t", &session, "-x", "160", "-y", "48"]);
    let screen = wait_until(&session, |s| {
        s.contains(&caption) && s.contains("Channels, last 12 months")
    });
    println!("{screen}");
    assert!(screen.contains("Why they said no"), "{screen}");
    // Wide: the weeks as a line chart, its x axis labelled with the middle week's date.
    let middle = k["weeks"][12]["start"].as_str().unwrap();
    assert!(screen.contains(middle), "{screen}");
    assert!(
        screen
            .chars()
            .any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
        "braille line:\n{screen}"
    );
    tmux(&["send-keys", "-t", &session, "q"]);
    let after = wait_for(&session, "EXITED");
    tmux(&["kill-session", "-t", &session]);
    assert!(after.contains("EXITED 0"), "{after}");
}

/// The TUI on `db` in a new tmux session; returns the first screen that shows the triage.
fn open_diary(session: &str, dir: &tempfile::TempDir, db: &std::path::Path) -> String {
    let cmd = format!(
        "env TICKLER_DB='{}' TICKLER_TODAY=2026-11-24 XDG_CONFIG_HOME='{}' NO_COLOR=1 {BIN}; echo EXITED $?; sleep 30",
        db.display(),
        dir.path().display()
    );
    start(session, &cmd);
    wait_for(session, "cleared")
}

/// "N of M cleared" in the triage's title.
fn cleared(screen: &str) -> Option<(usize, usize)> {
    let title = screen.lines().find(|l| l.contains(" cleared"))?;
    let words: Vec<&str> = title.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "of")?;
    Some((
        words.get(at - 1)?.parse().ok()?,
        words.get(at + 1)?.parse().ok()?,
    ))
}

/// The name on the first row of the triage list (the selected one), as drawn.
fn first_row(screen: &str) -> String {
    let row = screen.lines().nth(2).unwrap_or("");
    let inner = row.trim_start_matches('│');
    inner.split("  ").next().unwrap_or("").trim().to_string()
}

/// A week of triage cleared with `d` alone (one key per item: in the decision bar after a done,
/// the next `d` keeps the planned next touch and clears the next item), then the diary quit and
/// opened again: every cleared item stays cleared, and the count says so.
#[test]
fn thirty_cleared_items_stay_cleared_after_a_restart() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "week.redb", "300");
    let session = format!("tickler-week-{}", std::process::id());
    let screen = open_diary(&session, &dir, &db);
    let (zero, total) = cleared(&screen).unwrap_or_else(|| panic!("{screen}"));
    assert_eq!(zero, 0, "{screen}");
    assert!(total >= 30, "{screen}");
    let mut names = Vec::new();
    let mut screen = screen;
    for n in 1..=30 {
        names.push(first_row(&screen));
        tmux(&["send-keys", "-t", &session, "d"]);
        screen = wait_until(&session, |s| cleared(s) == Some((n, total)));
        assert_eq!(cleared(&screen), Some((n, total)), "item {n}: {screen}");
    }
    tmux(&["send-keys", "-t", &session, "q"]);
    let after = wait_for(&session, "EXITED");
    tmux(&["kill-session", "-t", &session]);
    assert!(after.contains("EXITED 0"), "{after}");
    // Opened again: the week as it was left.
    let session = format!("tickler-week2-{}", std::process::id());
    let screen = open_diary(&session, &dir, &db);
    tmux(&["send-keys", "-t", &session, "q"]);
    wait_for(&session, "EXITED");
    tmux(&["kill-session", "-t", &session]);
    assert_eq!(cleared(&screen), Some((30, total)), "{screen}");
    let rows: Vec<&str> = screen.lines().skip(2).take(25).collect();
    for name in &names {
        assert!(
            !rows.iter().any(|r| r.contains(name.as_str())),
            "{name} is back after the restart:\n{screen}"
        );
    }
    // And the 30 touches were logged, each once.
    let list = Command::new(BIN)
        .args(["undo", "--list"])
        .env("TICKLER_DB", &db)
        .env("TICKLER_TODAY", "2026-11-24")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    assert_eq!(
        text.lines().filter(|l| l.contains("log ")).count(),
        30,
        "{text}"
    );
}

/// Text pasted into a prompt (bracketed paste) is text: a multi-line summary, with letters that
/// are keys in the diary, logs one touch with the lines joined, and nothing else happens.
#[test]
fn a_pasted_summary_logs_one_touch() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "paste.redb", "50");
    let done = || {
        let out = Command::new(BIN)
            .args(["export", "--format", "json"])
            .env("TICKLER_DB", &db)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["touches"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["state"] == "done")
            .map(|t| t["summary"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let before = done();
    let session = format!("tickler-paste-{}", std::process::id());
    open_diary(&session, &dir, &db);
    tmux(&["send-keys", "-t", &session, "D"]);
    wait_for(&session, "Done with");
    let buffer = format!("tickler-paste-{}", std::process::id());
    tmux(&["set-buffer", "-b", &buffer, "sent the report\nd s x\nq"]);
    tmux(&["paste-buffer", "-p", "-d", "-b", &buffer, "-t", &session]);
    let screen = wait_for(&session, "sent the report d s x q");
    assert!(
        screen.contains("Done with"),
        "still in the prompt: {screen}"
    );
    tmux(&["send-keys", "-t", &session, "Enter"]);
    wait_for(&session, "Enter keep");
    tmux(&["send-keys", "-t", &session, "q"]);
    let after = wait_for(&session, "EXITED");
    tmux(&["kill-session", "-t", &session]);
    assert!(after.contains("EXITED 0"), "{after}");
    let now = done();
    assert_eq!(now.len(), before.len() + 1, "exactly one touch logged");
    assert!(
        now.iter().any(|s| s == "sent the report d s x q"),
        "{:?}",
        &now[before.len().saturating_sub(3)..]
    );
}
