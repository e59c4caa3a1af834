//! Reliability, terminal: the real binary in a shell in a tmux pane. Whatever ends or stops the
//! TUI (a panic, SIGTERM, SIGHUP, Ctrl-Z, `kill -TSTP`, `kill -STOP`) must leave the terminal as
//! the shell had it: the same `stty -a`, the alternate screen left, mouse capture off, the cursor
//! shown; and `fg` must bring the TUI back fully redrawn.
//!
//! Skipped, with a printed message, when tmux is not installed (CI installs it). bash runs in the
//! pane for job control; bash puts its own settings back when a job stops, so for the stop
//! scenarios the alternate screen, mouse and cursor are the sharper checks.

mod common;

use common::{BIN, demo_db, have_tmux, pane_var, start, tmux, wait_for, wait_until};
use std::process::Command;
use std::time::{Duration, Instant};

/// A bash in a tmux pane, a demo diary and `./run.sh` that starts tickler on it.
struct Shell {
    session: String,
    dir: tempfile::TempDir,
}

impl Shell {
    fn new(name: &str) -> Shell {
        let dir = tempfile::tempdir().unwrap();
        let db = demo_db(&dir, "term.redb", "50");
        let script = format!(
            "#!/bin/sh\nexport TICKLER_DB='{}' TICKLER_TODAY=2026-11-24 XDG_CONFIG_HOME='{}' \
             NO_COLOR=1 RUST_BACKTRACE=0\nexec '{BIN}' \"$@\"\n",
            db.display(),
            dir.path().display()
        );
        let run = dir.path().join("run.sh");
        std::fs::write(&run, script).unwrap();
        Command::new("chmod").arg("+x").arg(&run).status().unwrap();
        let session = format!("tickler-term-{name}-{}", std::process::id());
        start(
            &session,
            &format!(
                "cd '{}' && env PS1='$ ' HISTFILE=/dev/null bash --norc --noprofile -i",
                dir.path().display()
            ),
        );
        let shell = Shell { session, dir };
        let screen = wait_for(&shell.session, "$");
        assert!(screen.contains('$'), "no shell prompt: {screen}");
        shell
    }

    /// Type `text` and Enter.
    fn line(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.session, "-l", text]);
        tmux(&["send-keys", "-t", &self.session, "Enter"]);
    }

    fn key(&self, key: &str) {
        tmux(&["send-keys", "-t", &self.session, key]);
    }

    /// Run `cmd` then print `tag=$?`; the screen once the output line is there. The tag is typed
    /// split in two so the echoed command line does not match.
    fn run_then_status(&self, cmd: &str, tag: &str) {
        let (a, b) = tag.split_at(1);
        self.line(&format!("{cmd}; echo \"{a}\"\"{b}=$?\""));
    }

    /// The status printed by [`Shell::run_then_status`].
    fn status(&self, tag: &str) -> (Option<i32>, String) {
        let prefix = format!("{tag}=");
        let screen = wait_until(&self.session, |s| s.lines().any(|l| l.starts_with(&prefix)));
        let code = screen
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|c| {
                let digits: String = c.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            });
        (code, screen)
    }

    /// `stty -a` of the pane's terminal, as the shell runs commands.
    fn stty(&self, name: &str) -> String {
        let file = self.dir.path().join(format!("stty-{name}"));
        self.run_then_status(&format!("stty -a > '{}'", file.display()), "STTY");
        let (code, screen) = self.status("STTY");
        assert_eq!(code, Some(0), "stty failed: {screen}");
        // The next status line must not see this one.
        self.line("clear");
        wait_until(&self.session, |s| !s.contains("STTY="));
        std::fs::read_to_string(file).unwrap()
    }

    /// Wait for the TUI's first frame; its pid.
    fn tui_started(&self) -> String {
        let screen = wait_for(&self.session, "cleared");
        assert!(screen.contains("Triage"), "the TUI did not start: {screen}");
        assert_eq!(self.var("#{alternate_on}"), "1", "alternate screen on");
        self.tui_pid()
    }

    fn tui_pid(&self) -> String {
        let shell = self.var("#{pane_pid}");
        let start = Instant::now();
        loop {
            let out = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
            let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !pid.is_empty() || start.elapsed() > Duration::from_secs(5) {
                assert!(!pid.is_empty(), "no tickler process under the shell");
                return pid;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn var(&self, var: &str) -> String {
        pane_var(&self.session, var)
    }

    /// The terminal is the shell's again: normal screen, no mouse capture, cursor shown.
    fn assert_handed_back(&self, when: &str) {
        assert_eq!(self.var("#{alternate_on}"), "0", "alternate screen {when}");
        assert_eq!(self.var("#{mouse_any_flag}"), "0", "mouse capture {when}");
        assert_eq!(self.var("#{cursor_flag}"), "1", "cursor shown {when}");
    }

    /// After `fg`: the TUI owns the terminal again and has repainted the whole screen (the
    /// shell's lines are gone), and keys work.
    fn assert_resumed(&self) {
        let screen = wait_until(&self.session, |s| {
            s.contains("cleared") && !s.contains("Stopped")
        });
        assert_eq!(
            self.var("#{alternate_on}"),
            "1",
            "alternate screen after fg"
        );
        assert_eq!(self.var("#{mouse_any_flag}"), "1", "mouse after fg");
        assert!(screen.contains("1 Triage"), "tab bar: {screen}");
        assert!(screen.contains("This week"), "triage title: {screen}");
        assert!(!screen.contains("Stopped"), "not fully redrawn: {screen}");
        self.key("2");
        let screen = wait_for(&self.session, "Enter: the day's list");
        assert!(
            screen.contains("Enter: the day's list"),
            "the calendar after a key: {screen}"
        );
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.session]);
    }
}

fn kill(sig: &str, pid: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{sig}"), pid])
        .status()
        .unwrap();
    assert!(ok.success(), "kill -{sig} {pid}");
}

#[test]
fn a_panic_in_the_ui_restores_the_terminal_and_says_why() {
    if !have_tmux() {
        return;
    }
    let sh = Shell::new("panic");
    let before = sh.stty("before");
    sh.run_then_status("TICKLER_TEST_PANIC=1 ./run.sh", "EXIT");
    sh.tui_started();
    sh.key("F12");
    let (code, screen) = sh.status("EXIT");
    assert_eq!(code, Some(101), "a panic exits non-zero: {screen}");
    assert!(
        screen.contains("test panic (TICKLER_TEST_PANIC=1 and F12)"),
        "the panic message is shown: {screen}"
    );
    sh.assert_handed_back("after a panic");
    assert_eq!(sh.stty("after"), before, "stty after a panic");
}

/// Without the variable (or in a release build) F12 does nothing.
#[test]
fn the_test_panic_key_needs_its_variable() {
    if !have_tmux() {
        return;
    }
    let sh = Shell::new("nopanic");
    sh.run_then_status("./run.sh", "EXIT");
    sh.tui_started();
    sh.key("F12");
    sh.key("q");
    let (code, screen) = sh.status("EXIT");
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains("panic"), "{screen}");
}

fn ended_by(sig: &str, expected: i32) {
    if !have_tmux() {
        return;
    }
    let sh = Shell::new(sig);
    let before = sh.stty("before");
    sh.run_then_status("./run.sh", "EXIT");
    let pid = sh.tui_started();
    kill(sig, &pid);
    let (code, screen) = sh.status("EXIT");
    assert_eq!(code, Some(expected), "exit status after SIG{sig}: {screen}");
    sh.assert_handed_back(&format!("after SIG{sig}"));
    assert_eq!(sh.stty("after"), before, "stty after SIG{sig}");
}

#[test]
fn sigterm_restores_the_terminal_and_exits_143() {
    ended_by("TERM", 128 + 15);
}

#[test]
fn sighup_restores_the_terminal_and_exits_129() {
    ended_by("HUP", 128 + 1);
}

/// Stop the TUI with `stop` (Ctrl-Z or a signal), check the shell has the terminal back, `fg`,
/// check the full redraw, quit with `q`.
fn stop_and_resume(name: &str, stop: impl Fn(&Shell, &str), handed_back: bool) {
    if !have_tmux() {
        return;
    }
    let sh = Shell::new(name);
    let before = sh.stty("before");
    sh.line("./run.sh");
    let pid = sh.tui_started();
    stop(&sh, &pid);
    let screen = wait_for(&sh.session, "Stopped");
    assert!(screen.contains("Stopped"), "the job stopped: {screen}");
    if handed_back {
        sh.assert_handed_back("while suspended");
        assert_eq!(sh.stty("suspended"), before, "stty while suspended");
    }
    sh.line("fg");
    sh.assert_resumed();
    sh.key("q");
    wait_until(&sh.session, |s| !s.contains("Enter: the day's list"));
    // `fg`'s status is the job's.
    sh.line("echo \"D\"\"ONE=$?\"");
    let (code, screen) = sh.status("DONE");
    assert_eq!(code, Some(0), "q after fg: {screen}");
    sh.assert_handed_back("after q");
    assert_eq!(sh.stty("after"), before, "stty after q");
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    stop_and_resume("ctrlz", |sh, _| sh.key("C-z"), true);
}

#[test]
fn an_external_sigtstp_suspends_like_ctrl_z() {
    stop_and_resume("tstp", |_, pid| kill("TSTP", pid), true);
}

/// SIGSTOP cannot be caught: the TUI still has the alternate screen while stopped, but the
/// SIGCONT of `fg` makes it take the terminal again and repaint everything.
#[test]
fn sigcont_after_an_uncatchable_stop_redraws() {
    stop_and_resume("stop", |_, pid| kill("STOP", pid), false);
}

/// SIGTERM to the suspended TUI: on `fg` it ends with 143 without taking the terminal again.
#[test]
fn sigterm_while_suspended_ends_on_fg() {
    if !have_tmux() {
        return;
    }
    let sh = Shell::new("tstpterm");
    let before = sh.stty("before");
    sh.line("./run.sh");
    let pid = sh.tui_started();
    sh.key("C-z");
    let screen = wait_for(&sh.session, "Stopped");
    assert!(screen.contains("Stopped"), "the job stopped: {screen}");
    kill("TERM", &pid);
    sh.run_then_status("fg", "EXIT");
    let (code, screen) = sh.status("EXIT");
    assert_eq!(code, Some(143), "{screen}");
    // The shell's lines in order: leaving the alternate screen twice would move the cursor back
    // to where the TUI started and write over them.
    let at = |needle: &str| screen.lines().position(|l| l.contains(needle));
    assert!(
        at("Stopped") < at("fg;") && at("fg;") < at("EXIT=143") && at("Stopped").is_some(),
        "the shell's lines, in order: {screen}"
    );
    sh.assert_handed_back("after SIGTERM while suspended");
    assert_eq!(
        sh.stty("after"),
        before,
        "stty after SIGTERM while suspended"
    );
}

/// Ctrl-Z in the notes editor: what was typed is still there after `fg`, and Esc saves it.
#[test]
fn ctrl_z_in_the_editor_keeps_what_was_typed() {
    if !have_tmux() {
        return;
    }
    let sh = Shell::new("editor");
    // Alone on its line: bash goes on with the rest of a list when its job stops.
    sh.line("./run.sh");
    sh.tui_started();
    sh.key("Enter");
    sh.key("e");
    let screen = wait_for(&sh.session, "Esc saves");
    assert!(screen.contains("Esc saves"), "{screen}");
    tmux(&["send-keys", "-t", &sh.session, "-l", "zq-marker"]);
    wait_for(&sh.session, "zq-marker");
    sh.key("C-z");
    let screen = wait_for(&sh.session, "Stopped");
    assert!(screen.contains("Stopped"), "{screen}");
    sh.assert_handed_back("while suspended from the editor");
    sh.line("fg");
    // The whole redraw, not its first rows: the editor's text comes with it.
    let screen = wait_until(&sh.session, |s| {
        s.contains("Esc saves") && !s.contains("Stopped") && s.contains("zq-marker")
    });
    assert!(
        screen.contains("zq-marker") && screen.contains("Esc saves"),
        "the editor as it was: {screen}"
    );
    sh.key("Escape");
    let screen = wait_until(&sh.session, |s| !s.contains("Esc saves"));
    assert!(screen.contains("zq-marker"), "saved and shown: {screen}");
    sh.key("q");
    wait_until(&sh.session, |s| !s.contains("zq-marker"));
    sh.line("echo \"E\"\"XIT=$?\"");
    let (code, screen) = sh.status("EXIT");
    assert_eq!(code, Some(0), "{screen}");
}
