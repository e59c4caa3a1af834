//! The real `tickler` binary started on a pseudo-terminal, for the start-to-first-frame bench.
//!
//! The child gets the terminal's slave side as stdin, stdout, stderr and as its controlling
//! terminal (the TUI reads keys from /dev/tty), in a session of its own. This side reads what the
//! TUI writes and answers the queries a terminal answers (cursor position, device attributes,
//! keyboard-protocol flags, colours, size) the way a terminal would, so a query can never turn the
//! figure into a timeout; it counts them so the bench can say whether there were any.
//!
//! The end of the first frame: ratatui hides the cursor once at the end of `Terminal::draw`,
//! after it has queued every cell, and flushes; nothing before the first frame hides it. So the
//! first `ESC [ ? 25 l` in the output means the whole first frame has been written.

use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The end of a frame: the cursor hidden.
pub const FRAME_END: &[u8] = b"\x1b[?25l";

/// What a terminal would answer to each query a TUI may send at start.
const ANSWERS: &[(&[u8], &[u8])] = &[
    // Cursor position report.
    (b"\x1b[6n", b"\x1b[1;1R"),
    // Primary device attributes (crossterm asks them beside the keyboard-protocol query).
    (b"\x1b[c", b"\x1b[?62;22c"),
    (b"\x1b[0c", b"\x1b[?62;22c"),
    // Keyboard enhancement (kitty protocol) flags: none.
    (b"\x1b[?u", b"\x1b[?0u"),
    // Foreground and background colours.
    (b"\x1b]10;?", b"\x1b]10;rgb:ffff/ffff/ffff\x1b\\"),
    (b"\x1b]11;?", b"\x1b]11;rgb:0000/0000/0000\x1b\\"),
    // Text area in characters and in pixels, cell size in pixels.
    (b"\x1b[18t", b"\x1b[8;48;160t"),
    (b"\x1b[14t", b"\x1b[4;768;1280t"),
    (b"\x1b[16t", b"\x1b[6;16;8t"),
];

/// A pseudo-terminal of `cols` x `rows`: (master, slave), both closed on exec.
fn openpty(cols: u16, rows: u16) -> std::io::Result<(OwnedFd, OwnedFd)> {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes one descriptor into each of the two ints; the name and termios
    // pointers may be null; the window size is only read.
    let rc = unsafe {
        libc::openpty(
            &raw mut master,
            &raw mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &raw const size,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just opened by openpty and belong to nothing else.
    let pair = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    for fd in [&pair.0, &pair.1] {
        // SAFETY: F_SETFD on a descriptor we own; the child gets the slave through dup2 (which
        // clears the flag on the copies), never the master.
        if unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(pair)
}

/// A running TUI on a pseudo-terminal, and what it has written so far.
pub struct Tui {
    child: Child,
    master: File,
    /// Everything read from the terminal.
    pub output: Vec<u8>,
    /// Queries answered, by their text.
    pub queries: Vec<String>,
    /// Where the next search for queries starts.
    scanned: usize,
}

impl Tui {
    /// Start `bin` with exactly `env` on a new `cols` x `rows` terminal.
    pub fn spawn(
        bin: &Path,
        env: &[(&str, OsString)],
        cols: u16,
        rows: u16,
    ) -> std::io::Result<Tui> {
        let (master, slave) = openpty(cols, rows)?;
        let mut cmd = Command::new(bin);
        cmd.env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::from(slave.try_clone()?))
            .stdout(Stdio::from(slave.try_clone()?))
            .stderr(Stdio::from(slave));
        // SAFETY: between fork and exec only async-signal-safe calls: a new session, then the
        // terminal on stdin (the slave) as its controlling terminal.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn()?;
        // The parent's copies of the slave are gone with `cmd`: the master reads end of file
        // (EIO) once the child has closed the terminal.
        drop(cmd);
        Ok(Tui {
            child,
            master: File::from(master),
            output: Vec::with_capacity(1 << 17),
            queries: Vec::new(),
            scanned: 0,
        })
    }

    /// Wait at most `timeout` for the terminal to be readable; false on timeout.
    fn readable(&self, timeout: Duration) -> std::io::Result<bool> {
        let mut fds = libc::pollfd {
            fd: self.master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd for the duration of the call.
        match unsafe { libc::poll(&raw mut fds, 1, ms) } {
            n if n < 0 => Err(std::io::Error::last_os_error()),
            0 => Ok(false),
            _ => Ok(true),
        }
    }

    /// Read what is there; false once the child has closed the terminal.
    fn read_some(&mut self) -> std::io::Result<bool> {
        let mut buf = [0u8; 1 << 16];
        match self.master.read(&mut buf) {
            Ok(0) => Ok(false),
            Ok(n) => {
                self.output.extend_from_slice(&buf[..n]);
                self.answer()?;
                Ok(true)
            }
            // Linux: EIO on the master once no one holds the slave.
            Err(e) if e.raw_os_error() == Some(libc::EIO) => Ok(false),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// Answer every query that arrived since the last look (one pass over the escapes; a query
    /// cut by the end of a read is answered after the next).
    fn answer(&mut self) -> std::io::Result<()> {
        let mut at = self.scanned;
        while let Some(esc) = self.output[at..].iter().position(|&b| b == 0x1b) {
            at += esc;
            let rest = &self.output[at..];
            if ANSWERS
                .iter()
                .any(|(q, _)| rest.len() < q.len() && q.starts_with(rest))
            {
                break;
            }
            if let Some((query, reply)) = ANSWERS.iter().find(|(q, _)| rest.starts_with(q)) {
                self.master.write_all(reply)?;
                self.queries
                    .push(String::from_utf8_lossy(query).escape_debug().to_string());
            }
            at += 1;
        }
        self.scanned = if self.output[at..].contains(&0x1b) {
            at
        } else {
            self.output.len()
        };
        Ok(())
    }

    /// Read until the output holds `marker` (searched from `from`): its end's offset in
    /// [`Tui::output`]. An error after `timeout`, or when the child ends first.
    pub fn read_until(
        &mut self,
        marker: &[u8],
        from: usize,
        timeout: Duration,
    ) -> std::io::Result<usize> {
        let deadline = Instant::now() + timeout;
        let mut searched = from;
        loop {
            if let Some(at) = find(&self.output[searched.min(self.output.len())..], marker) {
                return Ok(searched + at + marker.len());
            }
            searched = self.output.len().saturating_sub(marker.len()).max(from);
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || !self.readable(left)? {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("no {marker:?} within {timeout:?}"),
                ));
            }
            if !self.read_some()? {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the TUI closed the terminal",
                ));
            }
        }
    }

    /// The CPU time the child's threads have had so far (Linux: the first field of each
    /// `/proc/PID/task/TID/schedstat`, nanoseconds on the CPU): what a busy machine hardly changes,
    /// unlike the wall time.
    pub fn cpu_time(&self) -> std::io::Result<Duration> {
        let mut total = 0u64;
        for task in std::fs::read_dir(format!("/proc/{}/task", self.child.id()))? {
            let text = std::fs::read_to_string(task?.path().join("schedstat"))?;
            let ns = text
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok());
            total += ns.ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("schedstat: {text:?}"),
                )
            })?;
        }
        Ok(Duration::from_nanos(total))
    }

    /// Type `keys`, then read until the child closes the terminal and reap it; killed if it has
    /// not ended within `timeout`. Its exit status.
    pub fn quit(
        mut self,
        keys: &[u8],
        timeout: Duration,
    ) -> std::io::Result<std::process::ExitStatus> {
        self.master.write_all(keys)?;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || !self.readable(left)? {
                self.child.kill()?;
                break;
            }
            if !self.read_some()? {
                break;
            }
        }
        self.child.wait()
    }
}

impl Drop for Tui {
    /// Never leave a TUI behind: killed and reaped if still running (after `quit` it is not).
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Where `needle` first starts in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
