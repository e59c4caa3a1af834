//! The TUI's config file (`config.toml` in the platform config dir, e.g. ~/.config/tickler):
//! theme and key bindings.
//!
//! ```toml
//! theme = "light"          # dark (default), light or mono
//! [keys]
//! triage-done = "c"        # names as in the help overlay's config names
//! ```
//!
//! Decisions: only a regular file is read (a FIFO would block the start forever, a link to
//! `/dev/zero` would read until memory runs out), and at most [`MAX_BYTES`]. The file is applied
//! whole or not at all: every entry is checked on copies of the keymap and theme, which replace
//! the real ones only when all passed, and the message says so. Every error names the file, the
//! line and the column. Bindings are checked together ([`Keymap::check`]): two actions on one
//! key where both would apply, and a key that works in every state (suspend) taking a key that
//! text fields need, are refused.

use super::keymap::Keymap;
use super::theme::Theme;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use thiserror::Error;
use toml::Spanned;

/// The largest config file read (1 MiB; a real one is a few hundred bytes).
pub const MAX_BYTES: u64 = 1024 * 1024;

/// Why the config file was not applied (nothing of it was).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error(
        "{path} is not a regular file ({kind}): make it a plain file; nothing in it was applied"
    )]
    NotAFile { path: String, kind: &'static str },
    #[error("{path} is larger than 1 MiB: a config file is a few lines; nothing in it was applied")]
    TooLarge { path: String },
    #[error("{path} cannot be read ({detail}); nothing in it was applied")]
    Read { path: String, detail: String },
    #[error("{path} is not UTF-8 text: save it as UTF-8; nothing in it was applied")]
    NotUtf8 { path: String },
    #[error("{path}:{line}:{column}: {message}; nothing in the file was applied")]
    At {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    theme: Option<Spanned<String>>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// The config file's path.
pub fn path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tickler").map(|d| d.config_dir().join("config.toml"))
}

/// Apply the config text to the keymap and theme (`no_color` forces the mono theme), all or
/// nothing. `name` names the file in errors.
pub fn apply_named(
    name: &str,
    text: &str,
    keymap: &mut Keymap,
    theme: &mut Theme,
    no_color: bool,
) -> Result<(), ConfigError> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        ConfigError::At {
            path: name.to_string(),
            line,
            column,
            message,
        }
    };
    let file: File = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(offset, e.message().trim().to_string())
    })?;
    let mut new_theme = *theme;
    let mut new_keys = keymap.clone();
    if let Some(name) = &file.theme {
        new_theme = Theme::named(name.get_ref()).ok_or_else(|| {
            at(
                name.span().start,
                format!("theme '{}': use dark, light or mono", name.get_ref()),
            )
        })?;
    }
    for (name, key) in &file.keys {
        new_keys
            .rebind(name.get_ref(), key.get_ref())
            .map_err(|e| at(key.span().start, e))?;
    }
    if let Err((names, e)) = new_keys.check() {
        let offset = file
            .keys
            .iter()
            .filter(|(n, _)| names.contains(&n.get_ref().as_str()))
            .map(|(_, k)| k.span().start)
            .max()
            .unwrap_or(0);
        return Err(at(offset, e));
    }
    *keymap = new_keys;
    *theme = if no_color { Theme::mono() } else { new_theme };
    Ok(())
}

/// [`apply_named`] for text that is not a file ("config" in errors).
pub fn apply(
    text: &str,
    keymap: &mut Keymap,
    theme: &mut Theme,
    no_color: bool,
) -> Result<(), ConfigError> {
    apply_named("config", text, keymap, theme, no_color)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Load the config at `path` if it exists (all or nothing; `no_color` forces the mono theme
/// either way).
pub fn load(
    path: &Path,
    keymap: &mut Keymap,
    theme: &mut Theme,
    no_color: bool,
) -> Result<(), ConfigError> {
    if no_color {
        *theme = Theme::mono();
    }
    let Some(text) = read(path)? else {
        return Ok(());
    };
    apply_named(&path.display().to_string(), &text, keymap, theme, no_color)
}

/// The text of the config file (`None`: there is none). Refuses anything but a regular file
/// before opening it (opening a FIFO blocks), and reads at most [`MAX_BYTES`].
fn read(path: &Path) -> Result<Option<String>, ConfigError> {
    let shown = || path.display().to_string();
    let failed = |e: std::io::Error| ConfigError::Read {
        path: shown(),
        detail: e.to_string(),
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(failed(e)),
    };
    not_a_file(&meta).map_or(Ok(()), |kind| {
        Err(ConfigError::NotAFile {
            path: shown(),
            kind,
        })
    })?;
    let file = std::fs::File::open(path).map_err(failed)?;
    // Checked again on the open file: the name may have been swapped meanwhile.
    if let Some(kind) = file.metadata().ok().as_ref().and_then(not_a_file) {
        return Err(ConfigError::NotAFile {
            path: shown(),
            kind,
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_BYTES {
        return Err(ConfigError::TooLarge { path: shown() });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| ConfigError::NotUtf8 { path: shown() })
}

/// What a file that is not a regular file is, for the message (`None`: a regular file).
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a plain file")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::{Action, Pane};
    use crate::tui::keymap::{Context, resolve};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn at(e: ConfigError) -> (usize, usize, String) {
        match e {
            ConfigError::At {
                line,
                column,
                message,
                ..
            } => (line, column, message),
            other => panic!("not a positioned error: {other}"),
        }
    }

    #[test]
    fn unknown_keys_are_errors_with_line_and_column() {
        let (mut k, mut t) = (Keymap::default(), Theme::default());
        let (line, col, msg) = at(apply("colour = 1", &mut k, &mut t, false).unwrap_err());
        assert_eq!((line, col), (1, 1), "{msg}");
        let e = apply("[keys]\nfrobnicate = \"x\"", &mut k, &mut t, false).unwrap_err();
        assert!(
            e.to_string().starts_with("config:2:14: keys.frobnicate"),
            "{e}"
        );
        assert!(
            e.to_string().ends_with("nothing in the file was applied"),
            "{e}"
        );
        let (line, col, _) = at(apply("\n\ntheme = \"pink\"", &mut k, &mut t, false).unwrap_err());
        assert_eq!((line, col), (3, 9));
        assert!(
            apply(
                "theme = \"light\"\n[keys]\nquit = \"Q\"",
                &mut k,
                &mut t,
                false
            )
            .is_ok()
        );
        assert_eq!(t, Theme::light());
        assert!(apply("", &mut k, &mut t, true).is_ok());
        assert_eq!(t, Theme::mono());
    }

    #[test]
    fn all_or_nothing() {
        let (mut k, mut t) = (Keymap::default(), Theme::default());
        let text = "theme = \"light\"\n[keys]\nquit = \"Q\"\ntriage-done = \"Hyper-x\"\n";
        let e = apply(text, &mut k, &mut t, false).unwrap_err();
        assert_eq!(at(e).0, 4);
        assert_eq!(
            t,
            Theme::default(),
            "the theme before the bad entry was not applied"
        );
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            resolve(&k, &q, Context::Normal(Pane::Triage)),
            Some(Action::Quit),
            "nor the binding before it"
        );
    }

    #[test]
    fn conflicts_and_keys_text_fields_need_are_refused() {
        let (mut k, mut t) = (Keymap::default(), Theme::default());
        for (text, says) in [
            ("[keys]\nsuspend = \"e\"", "text fields need"),
            ("[keys]\nsuspend = \"Esc\"", "text fields need"),
            ("[keys]\nsuspend = \"C-a\"", "text fields need"),
            ("[keys]\nquit = \"u\"", "undo"),
            ("[keys]\ntriage-done = \"s\"", "triage-snooze"),
            ("[keys]\ntriage-done = \"q\"", "quit"),
            ("[keys]\nhelp = \"C-c\"", "C-c"),
        ] {
            let e = apply(text, &mut k, &mut t, false).unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
            assert!(e.starts_with("config:2:"), "{text}: {e}");
        }
        // Swapping two keys in one file is fine; so is another Ctrl key for suspend.
        let text = "[keys]\ntriage-done = \"s\"\ntriage-snooze = \"d\"\nsuspend = \"C-g\"";
        apply(text, &mut k, &mut t, false).unwrap();
    }

    #[test]
    fn only_a_small_regular_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let (mut k, mut t) = (Keymap::default(), Theme::default());
        let missing = dir.path().join("none.toml");
        assert_eq!(load(&missing, &mut k, &mut t, false), Ok(()));
        let e = load(dir.path(), &mut k, &mut t, false).unwrap_err();
        assert!(e.to_string().contains("a directory"), "{e}");
        #[cfg(unix)]
        {
            let link = dir.path().join("zero.toml");
            std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
            let e = load(&link, &mut k, &mut t, false).unwrap_err();
            assert!(e.to_string().contains("a device"), "{e}");
        }
        let big = dir.path().join("big.toml");
        std::fs::write(&big, "#".repeat(usize::try_from(MAX_BYTES).unwrap() + 1)).unwrap();
        let e = load(&big, &mut k, &mut t, false).unwrap_err();
        assert_eq!(
            e,
            ConfigError::TooLarge {
                path: big.display().to_string()
            }
        );
    }
}
