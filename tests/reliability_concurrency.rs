//! Two processes on one file. The choice (see `src/store/open.rs` and the README): readers share the
//! file, a writer needs it alone, and a command waits up to 2 s (`LOCK_WAIT`) for the other one to
//! let go before it reports the file locked (exit 1, with what to do). So scripted commands take
//! turns; the full-screen diary holds the file only while it reads or writes, so commands work
//! beside it; a file held for long (another program) gives a clear error in bounded time; nothing
//! hangs, nothing acknowledged is lost, the file stays sound.

mod common;
mod store_support;

use common::{demo_db, have_tmux, start, tmux, wait_for, wait_until};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use store_support::{open_and_check, seeded_db, tickler};
use tickler::model::ContactId;
use tickler::store::Store;

/// The message of a locked file (exit 1).
const LOCKED: &str = "is in use by another tickler";
/// No command may take longer than this, whatever holds the file.
const HANG: Duration = Duration::from_secs(20);
/// `LOCK_WAIT` in src/cli/context.rs.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Run `cmd` to completion, killing it (and failing) if it outlives `HANG`.
fn run_bounded(mut cmd: Command) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > HANG {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "a tickler command hung for {HANG:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let out = child.wait_with_output().unwrap();
    (out, started.elapsed())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Assert the command failed because the file is locked: exit 1, the message naming the file and
/// what to do.
fn assert_locked(out: &Output, db: &Path) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(LOCKED), "{err}");
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(err.contains("wait for the other command"), "{err}");
}

fn log(db: &Path, contact: ContactId, summary: &str) -> Command {
    let mut cmd = tickler(db);
    cmd.args(["log", &format!("c{}", contact.0), "--in", "-s", summary]);
    cmd
}

#[test]
fn concurrent_commands_take_turns_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.tickler");
    let contacts = seeded_db(&db, 3);
    const WRITERS: usize = 3;
    const ROUNDS: usize = 12;
    let mut threads = Vec::new();
    for (w, &contact) in contacts.iter().enumerate().take(WRITERS) {
        let db = db.clone();
        threads.push(std::thread::spawn(move || {
            let mut acked = Vec::new();
            let mut locked = 0;
            let mut slowest = Duration::ZERO;
            for r in 0..ROUNDS {
                let summary = format!("writer {w} round {r}");
                let (out, took) = run_bounded(log(&db, contact, &summary));
                slowest = slowest.max(took);
                if out.status.success() {
                    acked.push((contact, summary));
                } else {
                    assert_locked(&out, &db);
                    locked += 1;
                }
            }
            (acked, locked, slowest)
        }));
    }
    // A reader alongside: reads share the file with each other and wait for writers.
    let reader = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut ok = 0;
            for _ in 0..ROUNDS {
                let mut cmd = tickler(&db);
                cmd.args(["due", "--json"]);
                let (out, _) = run_bounded(cmd);
                if out.status.success() {
                    ok += 1;
                } else {
                    assert_locked(&out, &db);
                }
            }
            ok
        })
    };
    let mut acked = Vec::new();
    let mut locked = 0;
    let mut slowest = Duration::ZERO;
    for t in threads {
        let (a, l, s) = t.join().unwrap();
        acked.extend(a);
        locked += l;
        slowest = slowest.max(s);
    }
    let reads = reader.join().unwrap();
    eprintln!(
        "concurrency: {} writes acknowledged, {locked} refused as locked, {reads}/{ROUNDS} reads, slowest command {slowest:?}",
        acked.len()
    );
    // The 2 s wait lets commands that hold the file for milliseconds take turns.
    assert_eq!(locked, 0, "writers collided despite the lock wait");
    assert_eq!(reads, ROUNDS, "readers collided despite the lock wait");
    let s = open_and_check(&db).unwrap();
    for (contact, summary) in &acked {
        assert!(
            s.touches_of(*contact)
                .unwrap()
                .iter()
                .any(|t| &t.summary == summary),
            "acknowledged '{summary}' lost"
        );
    }
    assert_eq!(acked.len(), WRITERS * ROUNDS);
}

#[test]
fn a_command_waits_for_a_short_holder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.tickler");
    let contacts = seeded_db(&db, 1);
    // Another process's write, standing in: the file held writable for 600 ms.
    let holder = Store::open(&db).unwrap();
    holder
        .write("hold", |w| w.new_touch_id().map(|_| ()))
        .unwrap();
    assert!(holder.is_writable());
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(600));
        drop(holder);
    });
    let (out, took) = run_bounded(log(&db, contacts[0], "after the wait"));
    release.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(took >= Duration::from_millis(500), "did not wait: {took:?}");
    let s = open_and_check(&db).unwrap();
    assert!(
        s.touches_of(contacts[0])
            .unwrap()
            .iter()
            .any(|t| t.summary == "after the wait")
    );
}

#[test]
fn a_long_holder_gives_a_clear_error_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diary.tickler");
    let contacts = seeded_db(&db, 1);
    // A process holding the file writable for long (as the full-screen diary did before it
    // released the file after each action).
    let holder = Store::open(&db).unwrap();
    holder
        .write("hold", |w| w.new_touch_id().map(|_| ()))
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let mut agenda = tickler(&db);
    agenda.arg("agenda");
    for cmd in [log(&db, contacts[0], "refused"), agenda] {
        let (out, took) = run_bounded(cmd);
        assert_locked(&out, &db);
        assert!(
            took >= LOCK_WAIT && took < LOCK_WAIT + Duration::from_secs(3),
            "waited {took:?}, not about {LOCK_WAIT:?}"
        );
    }
    // `tickler check` too: exit 1 (cannot check), not 4 (damaged).
    let mut check = tickler(&db);
    check.arg("check");
    let (out, _) = run_bounded(check);
    assert_locked(&out, &db);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a refused command wrote"
    );
    drop(holder);
    let (out, _) = run_bounded(log(&db, contacts[0], "now"));
    assert!(out.status.success(), "{}", stderr(&out));
    open_and_check(&db).unwrap();
}

/// The real full-screen diary in tmux: it holds the file only while it reads or writes, so
/// commands read and write beside it, also after its own writes; it shows their writes after its
/// next tick; its own actions keep working (and undoing) after theirs.
#[test]
fn commands_beside_the_full_screen_diary() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "tui.redb", "100");
    let today = "2026-11-24";
    let cli = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tickler"));
        cmd.args(args)
            .env("TICKLER_DB", &db)
            .env("TICKLER_TODAY", today);
        run_bounded(cmd)
    };
    let session = format!("tickler-conc-{}", std::process::id());
    let cmd = format!(
        "env TICKLER_DB='{}' TICKLER_TODAY={today} XDG_CONFIG_HOME='{}' NO_COLOR=1 {}; echo EXITED $?; sleep 30",
        db.display(),
        dir.path().display(),
        env!("CARGO_BIN_EXE_tickler")
    );
    start(&session, &cmd);
    let screen = wait_for(&session, "cleared");
    let result = std::panic::catch_unwind(|| {
        assert!(screen.contains("cleared"), "{screen}");
        let (out, _) = cli(&["due", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        // The diary's first write (it used to keep the file alone from here until it quit).
        tmux(&["send-keys", "-t", &session, "d"]);
        let screen = wait_for(&session, "Enter keep");
        assert!(screen.contains("Enter keep"), "{screen}");
        // Out of the decision, open the selected contact: "c<id> <name>" heads its pane.
        tmux(&["send-keys", "-t", &session, "Escape"]);
        // One key at a time: an Escape read together with the next key is Alt+that key.
        wait_until(&session, |s| !s.contains("Enter keep"));
        tmux(&["send-keys", "-t", &session, "Enter"]);
        let screen = wait_until(&session, |s| contact_id(s).is_some());
        let id = contact_id(&screen).unwrap_or_else(|| panic!("no contact pane: {screen}"));
        // A command reads and writes beside it, well within its lock wait.
        let (out, _) = cli(&["due", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let (out, took) = cli(&["log", &format!("c{id}"), "--in", "-s", "beside the tui"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(took < LOCK_WAIT, "{took:?}");
        // The diary shows it after its next tick, in the open contact's timeline.
        let screen = wait_for(&session, "beside the tui");
        assert!(screen.contains("beside the tui"), "{screen}");
        // Its own actions still work: a write in triage, then undo it.
        tmux(&["send-keys", "-t", &session, "1"]);
        tmux(&["send-keys", "-t", &session, "d"]);
        // (The command's log cleared its contact's item too, when that one was due this week.)
        let screen = wait_for(&session, "Enter keep");
        assert!(screen.contains("Enter keep"), "{screen}");
        tmux(&["send-keys", "-t", &session, "Escape"]);
        wait_until(&session, |s| !s.contains("Enter keep"));
        tmux(&["send-keys", "-t", &session, "u"]);
        let screen = wait_for(&session, "undone: log");
        assert!(screen.contains("undone: log"), "{screen}");
        // And commands still get the file after that.
        let (out, _) = cli(&["undo", "--list"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let logs: Vec<&str> = text.lines().filter(|l| l.contains("log ")).collect();
        assert_eq!(logs.len(), 2, "{text}");
        assert!(logs[0].contains(&format!("c{id} ")), "{text}");
        tmux(&["send-keys", "-t", &session, "q"]);
        let after = wait_for(&session, "EXITED");
        assert!(after.contains("EXITED 0"), "{after}");
        // Quit: the file is sound, with the diary's write, the command's, and not the undone one.
        let (out, _) = cli(&["check"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let (out, _) = cli(&["log", "c1", "--in", "-s", "after the tui"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let (out, _) = cli(&["undo", "--list"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(
            text.lines().filter(|l| l.contains("log ")).count(),
            3,
            "{text}"
        );
    });
    tmux(&["kill-session", "-t", &session]);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// The id in the contact pane's title ("┌ c38 Niklas Schulz ───").
fn contact_id(screen: &str) -> Option<u64> {
    let rest = screen.split("┌ c").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// What one writer got acknowledged (exit 0) and how often it found the file locked.
#[derive(Default, Debug)]
struct Acked {
    values: Vec<String>,
    locked: usize,
    /// Notes editor: saves that met notes changed elsewhere and merged them.
    conflicts: usize,
}

/// Run `tickler ARGS(n)` over and over until `until`: the values of the acknowledged runs.
fn keep_writing(db: &Path, until: Instant, args: impl Fn(usize) -> (Vec<String>, String)) -> Acked {
    let mut acked = Acked::default();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let (argv, value) = args(n);
        let mut cmd = tickler(db);
        cmd.args(&argv);
        let (out, _) = run_bounded(cmd);
        if out.status.success() {
            acked.values.push(value);
        } else {
            assert_locked(&out, db);
            acked.locked += 1;
        }
    }
    acked
}

/// The full-screen diary's notes editor on the same contact, in this process: open, type a line,
/// Esc to save; when the notes changed meanwhile (a conflict), merge (m) and save again. Returns
/// the lines it saved.
fn notes_editor_sessions(db: &Path, contact: ContactId, until: Instant) -> Acked {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut acked = Acked::default();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let store = match Store::open_waiting(db, LOCK_WAIT) {
            Ok(s) => s,
            Err(_) => {
                acked.locked += 1;
                continue;
            }
        };
        let Ok(mut m) = tickler::tui::load(&store, store_support::today(), "d".into()) else {
            acked.locked += 1;
            continue;
        };
        let _ = store.release();
        let press = |m: &mut tickler::tui::model::Model, code: KeyCode| {
            tickler::tui::handle_key(&store, m, &KeyEvent::new(code, KeyModifiers::NONE));
            let _ = store.release();
        };
        for c in format!(":show c{}", contact.0).chars() {
            press(&mut m, KeyCode::Char(c));
        }
        press(&mut m, KeyCode::Enter);
        press(&mut m, KeyCode::Char('e'));
        press(&mut m, KeyCode::End);
        press(&mut m, KeyCode::Enter);
        let line = format!("tui line {n}");
        for c in line.chars() {
            press(&mut m, KeyCode::Char(c));
        }
        std::thread::sleep(Duration::from_millis(100)); // room for the others to write
        let mut saved = false;
        for _ in 0..20 {
            press(&mut m, KeyCode::Esc);
            match &m.mode() {
                tickler::tui::model::Mode::Normal => {
                    saved = !m.status.error;
                    break;
                }
                tickler::tui::model::Mode::NotesConflict { .. } => {
                    acked.conflicts += 1;
                    press(&mut m, KeyCode::Char('m'));
                }
                _ => {} // locked: Esc again
            }
        }
        if saved {
            acked.values.push(line);
        } else {
            acked.locked += 1;
        }
    }
    acked
}

/// Four writers on ONE contact for 30 s (tags added, notes appended, stage moves, snoozes), each
/// `tickler` process reading what it changes inside its write, plus the full-screen diary's notes
/// editor saving over the same notes: every acknowledged write is there at the end.
/// (`TICKLER_CONCURRENCY_SECONDS` shortens or lengthens the run.)
#[test]
fn four_writers_and_the_notes_editor_lose_nothing_on_one_contact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("one.tickler");
    let c = seeded_db(&db, 1)[0];
    let seconds = store_support::env_count("TICKLER_CONCURRENCY_SECONDS", 30) as u64;
    let until = Instant::now() + Duration::from_secs(seconds);
    let who = format!("c{}", c.0);
    let stages = ["qualified", "proposal", "lead"];
    let writers: Vec<std::thread::JoinHandle<Acked>> = vec![
        {
            let (db, who) = (db.clone(), who.clone());
            std::thread::spawn(move || {
                keep_writing(&db, until, |n| {
                    let tag = format!("t{n}");
                    (
                        vec!["edit".into(), who.clone(), "--add-tag".into(), tag.clone()],
                        tag,
                    )
                })
            })
        },
        {
            let (db, who) = (db.clone(), who.clone());
            std::thread::spawn(move || {
                keep_writing(&db, until, |n| {
                    let line = format!("cli line {n}");
                    let argv = vec![
                        "edit".into(),
                        who.clone(),
                        "--append-note".into(),
                        line.clone(),
                    ];
                    (argv, line)
                })
            })
        },
        {
            let (db, who) = (db.clone(), who.clone());
            std::thread::spawn(move || {
                keep_writing(&db, until, |n| {
                    let stage = stages[n % stages.len()].to_string();
                    (vec!["move".into(), who.clone(), stage.clone()], stage)
                })
            })
        },
        {
            let (db, who) = (db.clone(), who.clone());
            std::thread::spawn(move || {
                keep_writing(&db, until, |n| {
                    let until = store_support::today()
                        .checked_add_days(chrono::Days::new(n as u64 % 300 + 1))
                        .unwrap()
                        .to_string();
                    let argv = vec![
                        "snooze".into(),
                        who.clone(),
                        until.clone(),
                        "--exact".into(),
                    ];
                    (argv, until)
                })
            })
        },
        {
            let db = db.clone();
            std::thread::spawn(move || notes_editor_sessions(&db, c, until))
        },
    ];
    let [tags, notes, moves, snoozes, editor]: [Acked; 5] = writers
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    println!(
        "acknowledged in {seconds} s: {} tags, {} note lines, {} moves, {} snoozes, {} editor saves ({} after merging a conflict); locked: {} {} {} {} {}",
        tags.values.len(),
        notes.values.len(),
        moves.values.len(),
        snoozes.values.len(),
        editor.values.len(),
        editor.conflicts,
        tags.locked,
        notes.locked,
        moves.locked,
        snoozes.locked,
        editor.locked
    );
    open_and_check(&db).unwrap();
    let s = Store::open(&db).unwrap();
    let contact = s.contact(c).unwrap().unwrap();
    let lost_tags: Vec<&String> = tags
        .values
        .iter()
        .filter(|t| !contact.tags.contains(t))
        .collect();
    assert!(lost_tags.is_empty(), "tags lost: {lost_tags:?}");
    let lines: Vec<&str> = contact.notes.lines().collect();
    for line in notes.values.iter().chain(&editor.values) {
        assert!(
            lines.contains(&line.as_str()),
            "note line lost: {line}\n{}",
            contact.notes
        );
    }
    if let Some(last) = moves.values.last() {
        assert_eq!(contact.stage.as_str(), last, "the last acknowledged move");
        let recorded = s
            .stage_moves()
            .unwrap()
            .iter()
            .filter(|m| m.contact == c && m.from.is_some())
            .count();
        assert_eq!(
            recorded,
            moves.values.len(),
            "every acknowledged move is in the history"
        );
    }
    if let Some(last) = snoozes.values.last() {
        let until = contact.snooze.as_ref().map(|z| z.until.to_string());
        assert_eq!(
            until.as_deref(),
            Some(last.as_str()),
            "the last acknowledged snooze"
        );
    }
    assert!(
        !tags.values.is_empty() && !notes.values.is_empty() && !editor.values.is_empty(),
        "every writer got through at least once"
    );
}

/// Long reads (`check`, the JSON export) run on a private copy of the file: a command that
/// writes beside them waits only while the copy is taken, never for the whole read, and the read
/// still succeeds. (Before, `check` and the export held the file to the end: at 100,000 contacts
/// a `log` beside them failed after its 2 s wait.)
#[test]
fn long_reads_leave_the_file_to_writers() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir, "diary.tickler", "3000");
    let export = dir.path().join("diary.json");
    let reads: [&[&str]; 2] = [
        &["check"],
        &["export", "--format", "json", "-o", export.to_str().unwrap()],
    ];
    for read in reads {
        let mut reader = tickler(&db)
            .args(read)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let mut beside = 0;
        loop {
            let (out, took) = run_bounded(log(&db, ContactId(1), "beside a long read"));
            assert!(out.status.success(), "{read:?}: {}", stderr(&out));
            assert!(took < LOCK_WAIT, "{read:?}: a log waited {took:?}");
            if reader.try_wait().unwrap().is_some() {
                break;
            }
            beside += 1;
            assert!(started.elapsed() < HANG, "{read:?} hung");
        }
        let out = reader.wait_with_output().unwrap();
        assert!(out.status.success(), "{read:?}: {}", stderr(&out));
        assert!(
            beside >= 1,
            "{read:?} ended before any write could run beside it ({:?})",
            started.elapsed()
        );
    }
    open_and_check(&db).unwrap();
}
