//! Capture: touches that happened anyway, read from where they already are. Mail from Maildirs,
//! mbox files, folders of `.eml` files or what `notmuch search --output=files` lists (headers
//! only); meetings from `.ics` files or a vdir.
//!
//! Owns reading those files into plain items ([`MailItem`], [`EventItem`]). Never touches the
//! store and decides nothing about the diary: which item becomes which touch is decided by
//! [`crate::actions::capture`], inside the one write transaction that logs them.

pub mod ics;
pub mod mail;

use chrono::NaiveDate;
use std::path::PathBuf;

/// An e-mail address with the display name it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    /// Lower case.
    pub address: String,
    pub name: String,
}

impl Addr {
    pub fn new(address: &str, name: &str) -> Addr {
        Addr {
            address: address.trim().to_lowercase(),
            name: one_line(name),
        }
    }
}

/// Why a message is bulk mail (never a personal touch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// It has a List-Id header (a mailing list).
    ListId,
    /// `Precedence: bulk`, `list` or `junk`.
    Precedence,
    /// `Auto-Submitted` other than `no` (an auto-reply, a notification).
    AutoSubmitted,
}

impl Bulk {
    pub fn as_str(self) -> &'static str {
        match self {
            Bulk::ListId => "mailing list (List-Id)",
            Bulk::Precedence => "bulk mail (Precedence)",
            Bulk::AutoSubmitted => "automatic mail (Auto-Submitted)",
        }
    }
}

/// The headers of one message that capture reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailItem {
    /// `mail:<Message-ID>`, or `mail-hash:<hash of From, To, Cc, Date and Subject>` without one.
    pub key: String,
    /// The day of its Date header, as written (the sender's local day).
    pub date: Option<NaiveDate>,
    pub from: Option<Addr>,
    /// To and Cc.
    pub to: Vec<Addr>,
    pub subject: String,
    pub bulk: Option<Bulk>,
}

/// A calendar event (one occurrence) that capture reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventItem {
    /// `calendar:<UID>:<date>`.
    pub key: String,
    pub date: NaiveDate,
    pub summary: String,
    pub organizer: Option<Addr>,
    /// Attendees who did not decline.
    pub attendees: Vec<Addr>,
    /// STATUS:CANCELLED.
    pub cancelled: bool,
}

/// A file that could not be read, and why (capture goes on without it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub path: PathBuf,
    pub why: String,
}

/// Why capture could not start.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("{}: no such file or folder: give a Maildir, an mbox file, a folder of .eml files, or an .ics file or vdir", .0.display())]
    Missing(PathBuf),
    #[error("notmuch could not be run ({0}): is it installed and on PATH?")]
    Notmuch(String),
    #[error("notmuch failed: {0}")]
    NotmuchFailed(String),
}

/// A header or property value as one clean line: control characters become spaces, runs of
/// white space one space, at most `MAX_LINE` characters.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_LINE));
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || crate::sanitize::unsafe_in_line(c) {
            space = !out.is_empty();
            continue;
        }
        if out.chars().count() >= MAX_LINE {
            break;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// The longest summary capture writes (a subject, an event's title), in characters.
pub const MAX_LINE: usize = 300;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_cleans_and_bounds() {
        assert_eq!(one_line("  Re:\tthe\r\n  quote "), "Re: the quote");
        assert_eq!(one_line("a\u{202e}b"), "a b");
        assert_eq!(one_line(&"x".repeat(1000)).chars().count(), MAX_LINE);
        assert_eq!(one_line(""), "");
    }
}
