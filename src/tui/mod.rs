//! The full-screen TUI: `tickler` with no subcommand on a terminal.
//!
//! Data flows one way: key press -> [`keymap::resolve`] (in the context of the top layer, or of
//! the focused pane) -> [`action::Action`] -> [`update::update`] (the top layer first, then the
//! focused pane, then the global keys) -> [`component::Effect`]s run by [`effects::run_all`]
//! against the store -> the diary is re-read and every component refreshes -> [`view::draw`]
//! reads them. The panes (`panes/`) and the overlays (`overlays/`) each own their state.
//! Owns the terminal (set up and always restored: on quit, error, panic, SIGTERM and SIGHUP;
//! handed back on Ctrl-Z and SIGTSTP and taken again on SIGCONT). Never touches redb except
//! through [`crate::store::Store`].

pub mod action;
pub mod command;
pub mod component;
pub mod config;
pub mod diary;
pub mod effects;
pub mod flows;
pub mod job;
pub mod keymap;
pub mod kinds;
pub mod model;
pub mod overlays;
pub mod panes;
pub mod requests;
pub mod search;
pub mod session;
pub mod syncing;
pub mod theme;
pub mod transfer;
pub mod update;
pub mod view;
pub mod watch;
pub mod widgets;

#[cfg(test)]
mod tests;

use crate::store::Store;
use chrono::NaiveDate;
use model::Model;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEvent, KeyEventKind, MouseEvent,
};
use ratatui::crossterm::{cursor, terminal};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGSTOP, SIGTERM, SIGTSTP};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// How long the loop waits for an event before it redraws (spinner, messages expiring) and
/// checks the file for other processes' writes.
const TICK: Duration = Duration::from_millis(200);

/// How keys resolve now: in the top layer's context, or the focused pane's.
pub fn context(m: &Model) -> keymap::Context {
    m.layers
        .last()
        .map_or(keymap::Context::Normal(m.pane), |l| l.context(m.pane))
}

/// One key press, all the way: resolve, update, run the effects.
pub fn handle_key(store: &Store, m: &mut Model, key: &KeyEvent) {
    let Some(action) = keymap::resolve(&m.keymap, key, context(m)) else {
        return;
    };
    tracing::debug!(action = %crate::logging::variant(&action), "key");
    let effects = update::update(m, action);
    effects::run_all(store, m, effects);
}

/// A bracketed paste: text into the focused field, never keys.
pub fn handle_paste(m: &mut Model, text: &str) {
    update::paste(m, text);
}

/// The wall clock's day, checked on every tick: the diary moves to it at midnight unless today
/// was pinned (`--today`, `TICKLER_TODAY`).
pub fn handle_day(store: &Store, m: &mut Model, today: NaiveDate) {
    let effects = update::day_changed(m, today);
    effects::run_all(store, m, effects);
}

/// One tick of the loop: messages age; what the screen needs is read.
pub fn handle_tick(store: &Store, m: &mut Model) {
    update::tick(m);
    effects::settle(store, m);
}

/// One mouse event on a screen of `area`, all the way: [`view::mouse_action`], update, effects.
pub fn handle_mouse(store: &Store, m: &mut Model, ev: &MouseEvent, area: ratatui::layout::Rect) {
    let Some(action) = view::mouse_action(m, ev, area) else {
        return;
    };
    let effects = update::update(m, action);
    effects::run_all(store, m, effects);
}

/// Mouse capture and bracketed paste off and the cursor shown (on quit, error, panic, signal and suspend, before
/// `ratatui::restore` leaves raw mode and the alternate screen).
fn release_mouse() {
    // Best effort: the terminal may already be gone.
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        cursor::Show
    );
}

/// Mouse capture and bracketed paste on (a paste then arrives as one text, never as keys).
fn grab_mouse_and_paste() {
    if let Err(e) = ratatui::crossterm::execute!(std::io::stdout(), EnableMouseCapture) {
        tracing::warn!(%e, "no mouse");
    }
    if let Err(e) = ratatui::crossterm::execute!(std::io::stdout(), EnableBracketedPaste) {
        tracing::warn!(%e, "no bracketed paste");
    }
}

/// Hand the terminal back (cooked mode, normal screen, no mouse, cursor shown) and stop the
/// process until the shell's `fg` (SIGCONT) continues it; then take the terminal again.
/// Returns `Some(code)` when a SIGTERM or SIGHUP came while stopped (the terminal may be gone, so
/// it is not taken again).
fn suspend(terminal: &mut DefaultTerminal, signals: &Signals) -> std::io::Result<Option<i32>> {
    tracing::info!("suspend");
    release_mouse();
    ratatui::try_restore()?;
    // SIGSTOP, not SIGTSTP: SIGTSTP has our handler (an external `kill -TSTP` comes here too).
    signal_hook::low_level::raise(SIGSTOP)?;
    // Our own stop's SIGCONT: handled here.
    signals.cont.store(false, Ordering::Relaxed);
    if let Some(code) = signals.ended() {
        return Ok(Some(code));
    }
    tracing::info!("resumed");
    take_terminal(terminal)?;
    Ok(None)
}

/// Raw mode, the alternate screen and the mouse (again, after a suspend or an external stop),
/// and a cleared screen with an empty back buffer so the next frame repaints every cell.
fn take_terminal(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    // crossterm skips `enable_raw_mode` when it thinks raw mode is on; after a stop it did not see
    // (`kill -STOP`), the shell has put its own cooked settings back, so reset crossterm's idea.
    terminal::disable_raw_mode()?;
    terminal::enable_raw_mode()?;
    ratatui::crossterm::execute!(std::io::stdout(), terminal::EnterAlternateScreen)?;
    grab_mouse_and_paste();
    // `resize` clears the screen and the back buffer without querying the cursor (`clear` does,
    // and a terminal that never answers would stall the resume); it also picks up a new size.
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// Test-only (a debug build with `TICKLER_TEST_PANIC=1`): F12 makes the next frame panic, so the
/// end-to-end tests can check that a panic inside the UI restores the terminal. Release builds
/// never have it.
#[cfg(debug_assertions)]
fn is_test_panic_key(key: &KeyEvent) -> bool {
    key.code == event::KeyCode::F(12)
        && std::env::var_os("TICKLER_TEST_PANIC").is_some_and(|v| v == "1")
}

#[cfg(not(debug_assertions))]
fn is_test_panic_key(_: &KeyEvent) -> bool {
    false
}

#[cfg(debug_assertions)]
#[allow(clippy::panic)]
fn test_panic() {
    panic!("test panic (TICKLER_TEST_PANIC=1 and F12)");
}

#[cfg(not(debug_assertions))]
fn test_panic() {}

/// What the signal handlers set, read by the run loop between frames.
struct Signals {
    /// SIGTERM or SIGHUP: end with 128 + the signal.
    end: Arc<AtomicUsize>,
    /// SIGTSTP (`kill -TSTP`): suspend as Ctrl-Z does.
    stop: Arc<AtomicBool>,
    /// SIGCONT: continued after a stop we did not see coming (`kill -STOP`): take the terminal
    /// again and repaint.
    cont: Arc<AtomicBool>,
}

impl Signals {
    fn register() -> std::io::Result<Signals> {
        let end = Arc::new(AtomicUsize::new(0));
        for sig in [SIGTERM, SIGHUP] {
            signal_hook::flag::register_usize(sig, Arc::clone(&end), sig as usize)?;
        }
        let stop = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(SIGTSTP, Arc::clone(&stop))?;
        let cont = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(SIGCONT, Arc::clone(&cont))?;
        Ok(Signals { end, stop, cont })
    }

    /// 128 + the signal, once SIGTERM or SIGHUP has come.
    fn ended(&self) -> Option<i32> {
        match self.end.load(Ordering::Relaxed) {
            0 => None,
            sig => {
                tracing::info!(sig, "signal");
                Some(128 + i32::try_from(sig).unwrap_or(0))
            }
        }
    }
}

/// A model of the diary in `store`, with the user's config applied (errors shown, not fatal).
pub fn load(store: &Store, today: NaiveDate, db_label: String) -> anyhow::Result<Model> {
    let cleared = store.cleared(crate::planner::close::week_start(today))?;
    let mut m = Model::new(crate::store::Roster::default(), today, db_label);
    session::load_capture(store, &mut m)?;
    m.set_diary(store.roster()?, cleared);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if let Some(path) = config::path()
        && let Err(e) = config::load(&path, &mut m.keymap, &mut m.theme, no_color)
    {
        m.status.fail(crate::text::words::config_ignored(&e));
    }
    Ok(m)
}

/// Between events: a running `:import` or sync (spinner, or its result once the worker is
/// done); the file handed back after whatever the last event read or wrote; once per tick other
/// processes' writes, the wall clock's day and the messages' age.
fn between_events(
    store: &Store,
    m: &mut Model,
    watch: &mut watch::Watch,
    checked: &mut std::time::Instant,
) {
    let today = m.today();
    transfer::poll(store, m, today);
    syncing::poll(store, m);
    watch.settle(store, m);
    if checked.elapsed() >= TICK {
        watch.check(store, m);
        handle_day(store, m, chrono::Local::now().date_naive());
        handle_tick(store, m);
        *checked = std::time::Instant::now();
    }
}

/// One event from the terminal: a key press (only presses: Windows terminals also report
/// releases), the mouse, a paste.
fn handle_event(
    store: &Store,
    m: &mut Model,
    terminal: &DefaultTerminal,
    panic_armed: &mut bool,
) -> anyhow::Result<()> {
    match event::read()? {
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            *panic_armed |= is_test_panic_key(&key);
            handle_key(store, m, &key);
        }
        Event::Mouse(ev) => {
            let size = terminal.size()?;
            let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
            handle_mouse(store, m, &ev, area);
        }
        Event::Paste(text) => handle_paste(m, &text),
        _ => {}
    }
    Ok(())
}

/// Run the TUI until the user quits. Returns `Some(code)` when a signal ended it (128 + signal).
/// `daily_backup` is false for the demo diary (regenerated at will: a backup would be noise).
/// `today_pinned`: today was given (`--today`, `TICKLER_TODAY`) and does not follow the clock.
pub fn run(
    store: &Store,
    today: NaiveDate,
    today_pinned: bool,
    db_path: &Path,
    daily_backup: bool,
) -> anyhow::Result<Option<i32>> {
    // Kinds and ids only, capped, level from TICKLER_LOG: see `crate::logging`.
    let _log = db_path
        .parent()
        .and_then(|dir| crate::logging::start(dir, "tui.log"));
    let signals = Signals::register()?;
    let mut m = load(store, today, db_path.display().to_string())?;
    m.today_pinned = today_pinned;
    tracing::info!(contacts = m.diary.roster.rows.len(), "tui start");
    transfer::daily_backup(&mut m, store.path().filter(|_| daily_backup), today);
    // Holds the file only while it reads or writes: see `watch`.
    let mut watch = watch::Watch::new(store)?;
    let mut checked = std::time::Instant::now();
    let mut terminal = ratatui::try_init()?;
    // Mouse capture, released before ratatui's own panic hook restores the terminal.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_mouse();
        hook(info);
    }));
    grab_mouse_and_paste();
    let mut panic_armed = false;
    // False once the terminal is handed back for good while suspended: leaving the alternate
    // screen a second time would move the shell's cursor back to where the TUI started.
    let mut holding = true;
    let result = (|| -> anyhow::Result<Option<i32>> {
        loop {
            between_events(store, &mut m, &mut watch, &mut checked);
            m.size = terminal.get_frame().area();
            terminal.draw(|f| {
                if panic_armed {
                    test_panic();
                }
                view::draw(&m, f);
            })?;
            if m.quit {
                return Ok(None);
            }
            if let Some(code) = signals.ended() {
                return Ok(Some(code));
            }
            if std::mem::take(&mut m.suspend) | signals.stop.swap(false, Ordering::Relaxed) {
                if let Some(code) = suspend(&mut terminal, &signals)? {
                    holding = false;
                    return Ok(Some(code));
                }
                continue;
            }
            if signals.cont.swap(false, Ordering::Relaxed) {
                tracing::info!("continued");
                take_terminal(&mut terminal)?;
                continue;
            }
            if !event::poll(TICK)? {
                continue;
            }
            handle_event(store, &mut m, &terminal, &mut panic_armed)?;
        }
    })();
    if holding {
        release_mouse();
        ratatui::restore();
    }
    result
}
