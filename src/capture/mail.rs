//! Reading mail headers from where mail lives: Maildirs (and Maildir++ subfolders), mbox files,
//! folders of `.eml` files, and the files `notmuch search --output=files` lists.
//!
//! Only headers are read: a message file is read up to its first empty line, an mbox is scanned
//! line by line skipping bodies. Headers are parsed by mail-parser (RFC 2047 encoded words in
//! every charset it knows).

use super::{Addr, Bulk, CaptureError, MailItem, Unreadable, one_line};
use chrono::NaiveDate;
use mail_parser::{HeaderValue, MessageParser};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Headers longer than this are cut (a message whose headers never end is not read further).
const MAX_HEADER_BYTES: usize = 256 * 1024;

/// What was read from the paths given.
#[derive(Debug, Default)]
pub struct Found {
    pub items: Vec<MailItem>,
    pub unreadable: Vec<Unreadable>,
}

/// Read every message under `paths` (Maildirs, mbox files, `.eml` files, folders of them).
pub fn read_paths(paths: &[PathBuf]) -> Result<Found, CaptureError> {
    for p in paths {
        if !p.exists() {
            return Err(CaptureError::Missing(p.clone()));
        }
    }
    let mut out = Found::default();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            read_file(p, false, &mut out);
        }
    }
    Ok(out)
}

/// Read the files notmuch lists for `query` (`notmuch search --output=files`).
pub fn read_notmuch(query: &str) -> Result<Found, CaptureError> {
    let output = std::process::Command::new("notmuch")
        .args(["search", "--output=files", "--", query])
        .output()
        .map_err(|e| CaptureError::Notmuch(e.to_string()))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(CaptureError::NotmuchFailed(one_line(&err)));
    }
    let mut out = Found::default();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if !line.is_empty() {
            read_message_file(Path::new(line), &mut out);
        }
    }
    Ok(out)
}

/// Walk a folder: messages in Maildir `cur`/`new` folders, `.eml` files, mbox files; Maildir
/// `tmp` folders (messages being delivered) and notmuch's own folder are left alone.
fn walk(dir: &Path, out: &mut Found) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return unreadable(out, dir, &e),
    };
    let in_maildir = matches!(
        dir.file_name().and_then(|n| n.to_str()),
        Some("cur" | "new")
    );
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    // A stable order: the same folder reads the same way every time.
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if p.is_dir() {
            if name != "tmp" && name != ".notmuch" {
                walk(&p, out);
            }
        } else if in_maildir {
            read_message_file(&p, out);
        } else if !name.starts_with('.') {
            read_file(&p, true, out);
        }
    }
}

/// A file outside a Maildir: an mbox when it starts with a `From ` line, else a message when it
/// is named `.eml` (or was named on the command line).
fn read_file(path: &Path, only_eml: bool, out: &mut Found) {
    let mut start = [0u8; 5];
    let n = match std::fs::File::open(path).and_then(|mut f| f.read(&mut start)) {
        Ok(n) => n,
        Err(e) => return unreadable(out, path, &e),
    };
    if &start[..n] == b"From " {
        return read_mbox(path, out);
    }
    let eml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("eml"));
    if eml || !only_eml {
        read_message_file(path, out);
    }
}

fn unreadable(out: &mut Found, path: &Path, e: &dyn std::fmt::Display) {
    out.unreadable.push(Unreadable {
        path: path.to_path_buf(),
        why: e.to_string(),
    });
}

/// One message file: its headers only.
fn read_message_file(path: &Path, out: &mut Found) {
    match read_head(path) {
        Ok(head) => match parse_headers(&head) {
            Some(item) => out.items.push(item),
            None => unreadable(out, path, &"no mail headers"),
        },
        Err(e) => unreadable(out, path, &e),
    }
}

/// The bytes of a file up to and including its first empty line.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut f = std::fs::File::open(path)?;
    let mut head = Vec::with_capacity(4096);
    let mut buf = [0u8; 8192];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(head);
        }
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = header_end(&head[from..]) {
            head.truncate(from + end);
            return Ok(head);
        }
        if head.len() > MAX_HEADER_BYTES {
            head.truncate(MAX_HEADER_BYTES);
            return Ok(head);
        }
    }
}

/// Where the headers end (after the empty line), if they do in `bytes`.
fn header_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).enumerate().find_map(|(i, w)| match w {
        b"\n\n" => Some(i + 2),
        b"\n\r" if bytes.get(i + 2) == Some(&b'\n') => Some(i + 3),
        _ => None,
    })
}

/// Every message of an mbox file: the header lines after each `From ` separator, bodies skipped.
fn read_mbox(path: &Path, out: &mut Found) {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return unreadable(out, path, &e),
    };
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut line = Vec::with_capacity(256);
    let mut head: Option<Vec<u8>> = None;
    let mut blank_before = true;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return unreadable(out, path, &e),
        }
        if blank_before && line.starts_with(b"From ") {
            if let Some(h) = head.take() {
                push_mbox_message(&h, path, out);
            }
            head = Some(Vec::with_capacity(2048));
            blank_before = false;
            continue;
        }
        let blank = line == b"\n" || line == b"\r\n";
        if let Some(h) = head.as_mut()
            && !h.ends_with(b"\n\n")
            && !h.ends_with(b"\r\n\r\n")
            && h.len() < MAX_HEADER_BYTES
        {
            h.extend_from_slice(&line);
        }
        blank_before = blank;
    }
    if let Some(h) = head {
        push_mbox_message(&h, path, out);
    }
}

fn push_mbox_message(head: &[u8], path: &Path, out: &mut Found) {
    match parse_headers(head) {
        Some(item) => out.items.push(item),
        None => unreadable(out, path, &"a message without mail headers"),
    }
}

/// The headers capture reads, from the raw header bytes of one message.
pub fn parse_headers(raw: &[u8]) -> Option<MailItem> {
    let msg = MessageParser::new().parse_headers(raw)?;
    if msg.headers().is_empty() {
        return None;
    }
    let addrs = |a: &mail_parser::Address<'_>| -> Vec<Addr> {
        a.iter()
            .filter_map(|x| {
                let address = x.address()?;
                address
                    .contains('@')
                    .then(|| Addr::new(address, x.name().unwrap_or_default()))
            })
            .collect()
    };
    let from = msg.from().and_then(|a| addrs(a).into_iter().next());
    // Every To and Cc header (a message may carry two).
    let to: Vec<Addr> = msg.all_to().chain(msg.all_cc()).flat_map(addrs).collect();
    let date = msg.date().and_then(|d| {
        NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
    });
    let subject = one_line(msg.subject().unwrap_or_default());
    let key = match msg.message_id().map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => format!("mail:{id}"),
        None => format!("mail-hash:{}", header_hash(&msg)),
    };
    Some(MailItem {
        key,
        date,
        from,
        to,
        subject,
        bulk: bulk(&msg),
    })
}

/// Whether a message is bulk mail, and why.
fn bulk(msg: &mail_parser::Message<'_>) -> Option<Bulk> {
    let text = |name: &str| {
        msg.headers()
            .iter()
            .find(|h| h.name().eq_ignore_ascii_case(name))
            .map(|h| match h.value() {
                HeaderValue::Text(t) => t.trim().to_ascii_lowercase(),
                HeaderValue::TextList(l) => l.join(" ").trim().to_ascii_lowercase(),
                _ => String::from("?"),
            })
    };
    if text("List-Id").is_some() {
        return Some(Bulk::ListId);
    }
    if text("Precedence").is_some_and(|p| ["bulk", "list", "junk"].contains(&p.as_str())) {
        return Some(Bulk::Precedence);
    }
    if text("Auto-Submitted").is_some_and(|a| !a.is_empty() && a != "no") {
        return Some(Bulk::AutoSubmitted);
    }
    None
}

/// A stable hash of the headers that identify a message without a Message-ID: the raw From, To,
/// Cc, Date and Subject (the first 16 bytes of their SHA-256, in hex).
fn header_hash(msg: &mail_parser::Message<'_>) -> String {
    let mut h = Sha256::new();
    for name in ["From", "To", "Cc", "Date", "Subject"] {
        let value = msg
            .headers()
            .iter()
            .find(|x| x.name().eq_ignore_ascii_case(name))
            .and_then(|x| {
                let raw = msg.raw_message();
                raw.get(x.offset_start() as usize..x.offset_end() as usize)
            })
            .unwrap_or_default();
        h.update(name.as_bytes());
        h.update(b":");
        h.update(value.trim_ascii());
        h.update(b"\n");
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_end_at_the_first_empty_line() {
        assert_eq!(header_end(b"A: b\n\nbody"), Some(6));
        assert_eq!(header_end(b"A: b\r\n\r\nbody"), Some(8));
        assert_eq!(header_end(b"A: b\r\nC: d"), None);
    }

    #[test]
    fn a_message_without_message_id_gets_a_stable_hash() {
        let raw = b"From: Ada <ada@example.com>\nTo: me@example.org\nDate: Tue, 3 Nov 2026 10:00:00 +0100\nSubject: hi\n\n";
        let a = parse_headers(raw).unwrap();
        let b = parse_headers(raw).unwrap();
        assert!(a.key.starts_with("mail-hash:"), "{}", a.key);
        assert_eq!(a.key, b.key);
        let other = parse_headers(
            b"From: Ada <ada@example.com>\nTo: me@example.org\nSubject: hi again\n\n",
        )
        .unwrap();
        assert_ne!(a.key, other.key);
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 11, 3));
        assert_eq!(a.from, Some(Addr::new("ada@example.com", "Ada")));
    }

    #[test]
    fn bulk_headers() {
        let p = |h: &str| {
            parse_headers(format!("From: a@b.example\n{h}\n\n").as_bytes())
                .unwrap()
                .bulk
        };
        assert_eq!(p("List-Id: <x.lists.example>"), Some(Bulk::ListId));
        assert_eq!(p("Precedence: Bulk"), Some(Bulk::Precedence));
        assert_eq!(p("Precedence: first-class"), None);
        assert_eq!(p("Auto-Submitted: auto-replied"), Some(Bulk::AutoSubmitted));
        assert_eq!(p("Auto-Submitted: no"), None);
        assert_eq!(p("Subject: hello"), None);
    }
}
