//! The TUI's config file (`config.toml` in the platform config dir, e.g. ~/.config/tickler):
//! theme and key bindings. An unknown key is a clear error in the status bar, never a crash.
//!
//! ```toml
//! theme = "light"          # dark (default), light or mono
//! [keys]
//! triage-done = "c"        # names as in the help overlay's config names
//! ```

use super::keymap::Keymap;
use super::theme::Theme;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    theme: Option<String>,
    #[serde(default)]
    keys: BTreeMap<String, String>,
}

/// The config file's path.
pub fn path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tickler").map(|d| d.config_dir().join("config.toml"))
}

/// Apply the config text to the keymap and theme (`no_color` forces the mono theme).
pub fn apply(
    text: &str,
    keymap: &mut Keymap,
    theme: &mut Theme,
    no_color: bool,
) -> Result<(), String> {
    let file: File = toml::from_str(text).map_err(|e| e.message().to_string())?;
    if let Some(name) = &file.theme {
        *theme =
            Theme::named(name).ok_or_else(|| format!("theme '{name}': use dark, light or mono"))?;
    }
    for (name, key) in &file.keys {
        keymap.rebind(name, key)?;
    }
    if no_color {
        *theme = Theme::mono();
    }
    Ok(())
}

/// Load the config at `path` if it exists; the error names the file.
pub fn load(
    path: &Path,
    keymap: &mut Keymap,
    theme: &mut Theme,
    no_color: bool,
) -> Result<(), String> {
    if no_color {
        *theme = Theme::mono();
    }
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    apply(&text, keymap, theme, no_color).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_not_panics() {
        let (mut k, mut t) = (Keymap::default(), Theme::default());
        assert!(apply("colour = 1", &mut k, &mut t, false).is_err());
        assert!(apply("[keys]\nfrobnicate = \"x\"", &mut k, &mut t, false).is_err());
        assert!(apply("theme = \"pink\"", &mut k, &mut t, false).is_err());
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
}
