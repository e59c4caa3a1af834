//! The log file: where it goes, how much of it is kept, and what may be written to it.
//!
//! Decisions:
//! - **No payloads.** A log line names kinds and ids only (an action's or an effect's variant, a
//!   contact id, a count), never a note, a name, an e-mail, a summary or text the user typed: the
//!   log is a plain file that outlives the session. [`variant`] gives the name of an enum's
//!   variant without formatting its fields (a 1 MiB note is never even formatted).
//! - **Level** from `TICKLER_LOG` (`off`, `error`, `warn`, `info`, `debug`, `trace`; default
//!   `info`). An unknown value keeps the default and says so in the log.
//! - **Capped.** The file is rotated when it would pass [`MAX_BYTES`]: `NAME` becomes `NAME.1`,
//!   `NAME.1` becomes `NAME.2`, and so on up to [`KEPT`] old files; the oldest is dropped. At most
//!   `(KEPT + 1) * MAX_BYTES` on disk. Files are created readable by their owner only.
//! - Written by a background thread (tracing-appender's non-blocking writer), so a slow disk never
//!   stalls a key press; the returned guard flushes it at exit.
//!
//! Must not touch the terminal: nothing is ever logged to the screen.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use tracing::level_filters::LevelFilter;

/// The largest a log file grows before it is rotated.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// How many rotated files are kept besides the current one.
pub const KEPT: usize = 2;
/// The environment variable that sets the level.
pub const LEVEL_VAR: &str = "TICKLER_LOG";

/// The level `value` names (`None`: not a level).
pub fn parse_level(value: &str) -> Option<LevelFilter> {
    match value.trim().to_ascii_lowercase().as_str() {
        "off" | "none" => Some(LevelFilter::OFF),
        "error" => Some(LevelFilter::ERROR),
        "warn" | "warning" => Some(LevelFilter::WARN),
        "info" => Some(LevelFilter::INFO),
        "debug" => Some(LevelFilter::DEBUG),
        "trace" => Some(LevelFilter::TRACE),
        _ => None,
    }
}

/// Log to `dir/name` (capped, see the module doc) at the level `TICKLER_LOG` names. `None` when
/// the file cannot be opened or a logger is already installed (then nothing is logged).
pub fn start(dir: &Path, name: &str) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let wanted = std::env::var(LEVEL_VAR).ok();
    let level = wanted
        .as_deref()
        .map_or(Some(LevelFilter::INFO), parse_level);
    let chosen = level.unwrap_or(LevelFilter::INFO);
    if chosen == LevelFilter::OFF {
        return None;
    }
    let file = Capped::open(dir, name, MAX_BYTES, KEPT).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(chosen)
        .try_init()
        .ok()?;
    if level.is_none() {
        tracing::warn!(
            "{LEVEL_VAR} is not a level (off, error, warn, info, debug, trace): logging at info"
        );
    }
    Some(guard)
}

/// The name of `value`'s variant (or type) as `Debug` prints it, without its fields: formatting
/// stops at the first character that is not part of a name, so a payload is never formatted.
pub fn variant<T: std::fmt::Debug>(value: &T) -> String {
    struct Name(String);
    impl std::fmt::Write for Name {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            for c in s.chars() {
                if c.is_alphanumeric() || c == '_' {
                    self.0.push(c);
                } else {
                    return Err(std::fmt::Error);
                }
            }
            Ok(())
        }
    }
    let mut name = Name(String::new());
    let _ = std::fmt::write(&mut name, format_args!("{value:?}"));
    name.0
}

/// A log file rotated by size (see the module doc).
pub struct Capped {
    path: PathBuf,
    file: File,
    len: u64,
    max: u64,
    kept: usize,
}

impl Capped {
    /// Open (appending) `dir/name`, rotating first if it is already full.
    pub fn open(dir: &Path, name: &str, max: u64, kept: usize) -> std::io::Result<Capped> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(name);
        let file = open_append(&path)?;
        let len = file.metadata()?.len();
        let mut c = Capped {
            path,
            file,
            len,
            max,
            kept,
        };
        if c.len >= c.max {
            c.rotate()?;
        }
        Ok(c)
    }

    fn rotated(&self, n: usize) -> PathBuf {
        let mut name = self.path.as_os_str().to_os_string();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn rotate(&mut self) -> std::io::Result<()> {
        self.file.flush()?;
        if self.kept == 0 {
            let _ = std::fs::remove_file(&self.path);
        } else {
            let _ = std::fs::remove_file(self.rotated(self.kept));
            for n in (1..self.kept).rev() {
                let _ = std::fs::rename(self.rotated(n), self.rotated(n + 1));
            }
            std::fs::rename(&self.path, self.rotated(1))?;
        }
        self.file = open_append(&self.path)?;
        self.len = 0;
        Ok(())
    }
}

fn open_append(path: &Path) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = u64::try_from(buf.len()).unwrap_or(u64::MAX);
        if self.len > 0 && self.len.saturating_add(n) > self.max {
            self.rotate()?;
        }
        let written = self.file.write(buf)?;
        self.len = self
            .len
            .saturating_add(u64::try_from(written).unwrap_or(u64::MAX));
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code)]
    enum Effect {
        SaveNotes { id: u64, text: String },
        Log(u64, String),
        Quit,
    }

    #[test]
    fn variant_names_without_payload() {
        let e = Effect::SaveNotes {
            id: 3,
            text: "secret".to_string(),
        };
        assert_eq!(variant(&e), "SaveNotes");
        assert_eq!(variant(&Effect::Log(1, "ada@example.com".into())), "Log");
        assert_eq!(variant(&Effect::Quit), "Quit");
        assert_eq!(variant(&Some(5)), "Some");
    }

    #[test]
    fn levels() {
        assert_eq!(parse_level("DEBUG"), Some(LevelFilter::DEBUG));
        assert_eq!(parse_level(" off "), Some(LevelFilter::OFF));
        assert_eq!(parse_level("loud"), None);
    }

    #[test]
    fn rotation_caps_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Capped::open(dir.path(), "t.log", 100, 2).unwrap();
        for i in 0..100 {
            writeln!(c, "line {i:04} .............................").unwrap();
        }
        c.flush().unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["t.log", "t.log.1", "t.log.2"]);
        for n in &names {
            let len = std::fs::metadata(dir.path().join(n)).unwrap().len();
            assert!(len <= 100, "{n}: {len}");
        }
        let last = std::fs::read_to_string(dir.path().join("t.log")).unwrap();
        assert!(last.contains("line 0099"), "{last}");
        // Reopening a full file rotates it first.
        drop(c);
        std::fs::write(dir.path().join("t.log"), vec![b'x'; 150]).unwrap();
        let c = Capped::open(dir.path(), "t.log", 100, 2).unwrap();
        assert_eq!(c.len, 0);
    }
}
