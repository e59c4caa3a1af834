//! Helpers shared by the test binaries (`tests/integration` and `tests/reliability_*`): the real
//! binary, a demo diary, and a detached tmux session driven by send-keys / capture-pane.
// Each test binary uses only some of these.
#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_tickler");

/// Run tmux with `args`; its stdout.
pub fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The screen of `session` once it shows `needle`, or after 15 s (the caller's assert then fails
/// with the screen in its message).
pub fn wait_for(session: &str, needle: &str) -> String {
    wait_until(session, |screen| screen.contains(needle))
}

/// The screen of `session` once `done(screen)` holds, or after 15 s.
pub fn wait_until(session: &str, done: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", session]);
        if done(&screen) || start.elapsed() > Duration::from_secs(15) {
            return screen;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One tmux format variable of `session`'s pane, e.g. `#{alternate_on}`.
pub fn pane_var(session: &str, var: &str) -> String {
    tmux(&["display-message", "-p", "-t", session, var])
        .trim()
        .to_string()
}

/// Whether tmux is installed; prints why a test is skipped when it is not.
pub fn have_tmux() -> bool {
    let ok = Command::new("tmux").arg("-V").output().is_ok();
    if !ok {
        println!("skipped: tmux is not installed");
    }
    ok
}

/// A demo diary of `contacts` contacts in `dir`.
pub fn demo_db(dir: &tempfile::TempDir, name: &str, contacts: &str) -> std::path::PathBuf {
    let db = dir.path().join(name);
    let ok = Command::new(BIN)
        .args(["demo", "--contacts", contacts])
        .env("TICKLER_DB", &db)
        .env("TICKLER_TODAY", "2026-11-24")
        .status()
        .unwrap();
    assert!(ok.success());
    db
}

/// A detached 100x30 tmux session running `cmd`.
pub fn start(session: &str, cmd: &str) {
    tmux(&[
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "100",
        "-y",
        "30",
        cmd,
    ]);
}
