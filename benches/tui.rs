//! TUI frame time: draw the triage, pipeline and insights panes into a 160x48 TestBackend (render + diff,
//! what `Terminal::draw` does every frame) on 10,000 and 100,000 demo contacts. Lists are
//! virtualized, so the frame time should not grow with the diary. `frame_cpu_*`: the same frames
//! in CPU time of the drawing thread.
//!
//! `first_frame_10000`: start to first frame, whole process. The real binary (built in the
//! bench profile) on a 160x48 pseudo-terminal (`support/pty.rs`), on the diary
//! `tickler demo --contacts 10000 --seed 1` writes, `TICKLER_TODAY=2026-11-24`, `TICKLER_LOG=off`,
//! an empty HOME and XDG_CONFIG_HOME (no user config) and no other environment but PATH and TERM.
//! Timed from just before the spawn until the first frame has been written whole (its end: the
//! cursor hidden after the last cell); then `q` quits it and it is reaped, outside the timing.
//! `first_frame_10000_cpu`: the same starts, measured as the CPU time the TUI's threads had used
//! when the first frame arrived (a figure a busy machine hardly changes). One start before the
//! measurement makes the day's backup, so the measured starts do not (it happens once a day).

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::ffi::OsString;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tickler::store::Store;
use tickler::tui::action::Pane;
use tickler::tui::model::Model;
use tickler::tui::view;

#[path = "support/pty.rs"]
mod pty;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn or_stop<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

fn model(contacts: usize) -> Model {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or(NaiveDate::MIN);
    let store = or_stop(Store::in_memory(), "in-memory store");
    or_stop(
        store.load_bulk(tickler::demo::generate(contacts, 1, today)),
        "load the demo",
    );
    let mut m = Model::new(
        or_stop(store.roster(), "roster"),
        today,
        "bench".to_string(),
    );
    // Computed when the pane opens (never per frame): the frame only draws them.
    m.panes.insights.data = Some(or_stop(
        tickler::actions::insights(&store, today),
        "insights",
    ));
    m
}

/// The CPU time of the calling thread.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which lives through the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut ts) };
    assert_eq!(rc, 0, "clock_gettime: {}", std::io::Error::last_os_error());
    let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(ts.tv_nsec).unwrap_or(0);
    Duration::new(secs, nanos)
}

fn frames(c: &mut Criterion) {
    for contacts in [10_000usize, 100_000] {
        let mut m = model(contacts);
        let mut term = or_stop(Terminal::new(TestBackend::new(160, 48)), "terminal");
        for (pane, name) in [
            (Pane::Triage, "triage"),
            (Pane::Pipeline, "pipeline"),
            (Pane::Insights, "insights"),
        ] {
            m.pane = pane;
            // Scroll somewhere in the middle so the window is not at the top.
            m.panes.triage.sel = m.panes.triage.rows.len() / 2;
            m.panes.pipeline.col = 3;
            let mut frame = || {
                // Alternate the selection so every frame has a diff to flush.
                m.panes.pipeline.card_sel[3] ^= 1;
                m.panes.triage.sel ^= 1;
                m.panes.insights.top ^= 1;
                or_stop(term.draw(|f| view::draw(black_box(&m), f)), "draw");
            };
            c.bench_function(&format!("frame_{name}_{contacts}"), |b| b.iter(&mut frame));
            // The same frames in CPU time of this thread (a busy machine hardly changes it).
            c.bench_function(&format!("frame_cpu_{name}_{contacts}"), |b| {
                b.iter_custom(|iters| {
                    let t0 = thread_cpu();
                    (0..iters).for_each(|_| frame());
                    thread_cpu().saturating_sub(t0)
                });
            });
        }
    }
}

/// The terminal the first-frame bench starts the TUI on.
const COLS: u16 = 160;
const ROWS: u16 = 48;

/// The diary `tickler demo --contacts N --seed 1` writes, in `dir`, and the environment the TUI
/// starts with on it (nothing of the user's: the variables are all there is).
fn demo_diary(dir: &Path, contacts: usize) -> Vec<(&'static str, OsString)> {
    let home = dir.join("home");
    or_stop(std::fs::create_dir_all(home.join(".config")), "home");
    let env = vec![
        ("PATH", std::env::var_os("PATH").unwrap_or_default()),
        ("TERM", OsString::from("xterm-256color")),
        ("HOME", home.clone().into_os_string()),
        ("XDG_CONFIG_HOME", home.join(".config").into_os_string()),
        ("XDG_DATA_HOME", home.join(".local/share").into_os_string()),
        ("TICKLER_DB", dir.join("diary.redb").into_os_string()),
        ("TICKLER_TODAY", OsString::from("2026-11-24")),
        ("TICKLER_LOG", OsString::from("off")),
    ];
    let made = or_stop(
        std::process::Command::new(env!("CARGO_BIN_EXE_tickler"))
            .args(["demo", "--contacts", &contacts.to_string(), "--seed", "1"])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output(),
        "tickler demo",
    );
    assert!(made.status.success(), "tickler demo: {made:?}");
    env
}

/// What one start measured.
struct Start {
    /// From just before the spawn until the first frame had been written whole.
    wall: Duration,
    /// The CPU time the TUI had used by then.
    cpu: Duration,
    /// What it wrote up to the end of the first frame.
    frame: Vec<u8>,
    /// The terminal queries answered.
    queries: Vec<String>,
}

/// One start of the TUI, quit and reaped before returning (not timed).
fn start(env: &[(&str, OsString)]) -> Start {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_tickler"));
    let t0 = Instant::now();
    let mut tui = or_stop(pty::Tui::spawn(&bin, env, COLS, ROWS), "spawn the TUI");
    let end = or_stop(
        tui.read_until(pty::FRAME_END, 0, Duration::from_secs(20)),
        "first frame",
    );
    let wall = t0.elapsed();
    let cpu = or_stop(tui.cpu_time(), "the TUI's CPU time");
    let frame = tui.output[..end].to_vec();
    let queries = std::mem::take(&mut tui.queries);
    let status = or_stop(tui.quit(b"q", Duration::from_secs(10)), "quit the TUI");
    assert!(status.success(), "the TUI ended with {status}");
    check_frame(&frame);
    Start {
        wall,
        cpu,
        frame,
        queries,
    }
}

/// The first frame is the whole screen: the tab bar, the triage, its key hints and the status
/// bar on the last row with the counts.
fn check_frame(frame: &[u8]) {
    let text = String::from_utf8_lossy(frame);
    for part in [
        " 1 Triage ",
        "This week",
        "d done",
        "x skip",
        "overdue ",
        "LYBUNT ",
    ] {
        assert!(
            text.contains(part),
            "first frame without {part:?}: {text:?}"
        );
    }
    let last_row = format!("\x1b[{ROWS};");
    let status = text.rfind(&last_row).map(|at| &text[at..]);
    assert!(
        status.is_some_and(|s| s.contains("overdue ") && s.contains("LYBUNT ")),
        "the last thing drawn is not the status bar: {status:?}"
    );
}

fn first_frame(c: &mut Criterion) {
    let dir = or_stop(tempfile::tempdir(), "temporary directory");
    let env = demo_diary(dir.path(), 10_000);
    // The day's backup (once a day), then a start as the measured ones are.
    start(&env);
    let one = start(&env);
    eprintln!(
        "first frame: {} bytes; terminal queries answered: {}",
        one.frame.len(),
        if one.queries.is_empty() {
            "none".to_string()
        } else {
            one.queries.join(", ")
        }
    );
    let mut group = c.benchmark_group("start");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("first_frame_10000", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| start(&env).wall).sum());
    });
    // The same starts in CPU time of the TUI (all its threads) up to the first frame.
    group.bench_function("first_frame_10000_cpu", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| start(&env).cpu).sum());
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    // The starts first: the process forks, and is small before the 100,000-contact models.
    targets = first_frame, frames
}
criterion_main!(benches);
