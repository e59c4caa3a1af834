//! The full-screen TUI: `tickler` with no subcommand on a terminal.
//!
//! Data flows one way: key press -> [`keymap::resolve`] -> [`action::Action`] ->
//! [`update::update`] -> [`update::Effect`]s run by [`effects::run`] against the store -> the model
//! is refreshed -> [`view::draw`] reads it. Owns the terminal (set up and always restored: on quit,
//! error, panic, SIGTERM and SIGHUP). Never touches redb except through [`crate::store::Store`].

pub mod action;
pub mod command;
pub mod config;
pub mod effects;
pub mod keymap;
pub mod model;
pub mod panes;
pub mod search;
pub mod theme;
pub mod transfer;
pub mod update;
pub mod view;
pub mod widgets;

use crate::store::Store;
use chrono::NaiveDate;
use model::{Mode, Model};
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEvent, KeyEventKind, MouseEvent,
};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The resolution context of the model's current state.
pub fn context(m: &Model) -> keymap::Context {
    match &m.mode {
        Mode::Normal => keymap::Context::Normal(m.pane),
        Mode::Help => keymap::Context::Help,
        Mode::Prompt { .. } => keymap::Context::Prompt,
        Mode::Picker { .. } => keymap::Context::Picker,
        Mode::Decide { .. } => keymap::Context::Decide(m.pane),
        Mode::Editor => keymap::Context::Editor,
    }
}

/// One key press, all the way: resolve, update, run the effects.
pub fn handle_key(store: &Store, m: &mut Model, key: &KeyEvent, today: NaiveDate) {
    let Some(action) = keymap::resolve(&m.keymap, key, context(m)) else {
        return;
    };
    tracing::debug!(?action, "key");
    for effect in update::update(m, action, today) {
        tracing::info!(?effect, "effect");
        effects::run(store, m, effect, today);
    }
}

/// One mouse event on a screen of `area`, all the way: [`view::mouse_action`], update, effects.
pub fn handle_mouse(
    store: &Store,
    m: &mut Model,
    ev: &MouseEvent,
    area: ratatui::layout::Rect,
    today: NaiveDate,
) {
    let Some(action) = view::mouse_action(m, ev, area) else {
        return;
    };
    for effect in update::update(m, action, today) {
        effects::run(store, m, effect, today);
    }
}

/// Mouse capture off (on quit, error, panic and signal, before `ratatui::restore`).
fn release_mouse() {
    // Best effort: the terminal may already be gone.
    let _ = ratatui::crossterm::execute!(std::io::stdout(), DisableMouseCapture);
}

/// A model of the diary in `store`, with the user's config applied (errors shown, not fatal).
pub fn load(store: &Store, today: NaiveDate, db_label: String) -> anyhow::Result<Model> {
    let mut m = Model::new(store.roster()?, today, db_label);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if let Some(path) = config::path()
        && let Err(e) = config::load(&path, &mut m.keymap, &mut m.theme, no_color)
    {
        m.status.text = format!("config ignored: {e}");
        m.status.error = true;
    }
    Ok(m)
}

/// Log to `tui.log` beside the database (never to the screen).
fn start_logging(dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    std::fs::create_dir_all(dir).ok()?;
    let appender = tracing_appender::rolling::never(dir, "tui.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Run the TUI until the user quits. Returns `Some(code)` when a signal ended it (128 + signal).
/// `daily_backup` is false for the demo diary (regenerated at will: a backup would be noise).
pub fn run(
    store: &Store,
    today: NaiveDate,
    db_path: &Path,
    daily_backup: bool,
) -> anyhow::Result<Option<i32>> {
    let _log = db_path.parent().and_then(start_logging);
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    let mut m = load(store, today, db_path.display().to_string())?;
    tracing::info!(contacts = m.roster.rows.len(), "tui start");
    transfer::daily_backup(&mut m, store.path().filter(|_| daily_backup), today);
    let mut terminal = ratatui::try_init()?;
    // Mouse capture, released before ratatui's own panic hook restores the terminal.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_mouse();
        hook(info);
    }));
    if let Err(e) = ratatui::crossterm::execute!(std::io::stdout(), EnableMouseCapture) {
        tracing::warn!(%e, "no mouse");
    }
    let result = (|| -> anyhow::Result<Option<i32>> {
        loop {
            // A running `:import`: spinner and count, or its result once the worker is done.
            transfer::poll(store, &mut m, today);
            terminal.draw(|f| view::draw(&m, f))?;
            if m.quit {
                return Ok(None);
            }
            let sig = signal.load(Ordering::Relaxed);
            if sig != 0 {
                tracing::info!(sig, "signal");
                return Ok(Some(128 + i32::try_from(sig).unwrap_or(0)));
            }
            if !event::poll(Duration::from_millis(200))? {
                continue;
            }
            match event::read()? {
                // Only presses: Windows terminals also report releases.
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    handle_key(store, &mut m, &key, today);
                }
                Event::Mouse(ev) => {
                    let size = terminal.size()?;
                    let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
                    handle_mouse(store, &mut m, &ev, area, today);
                }
                _ => {}
            }
        }
    })();
    release_mouse();
    ratatui::restore();
    result
}
