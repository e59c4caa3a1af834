//! A file's bytes as text: which encoding, and how it was decided.
//!
//! In order: `--encoding NAME` when given; a byte-order mark (UTF-8, UTF-16LE, UTF-16BE); UTF-16
//! without a mark (every other byte zero, as Excel's "Unicode text" can be); valid UTF-8; the
//! CHARSET a vCard declares; otherwise a guess among the legacy 8-bit and East Asian encodings
//! (chardetng, the detector Firefox uses) — Outlook on Windows writes its code page (windows-1252,
//! windows-1250, Shift_JIS...). The guess is reported, so the user can override it. Pure: no I/O.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use serde::Serialize;

/// How the encoding of a file was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    /// Named with `--encoding`.
    Given,
    /// A byte-order mark.
    Bom,
    /// Every other byte zero: UTF-16 without a mark.
    Zeros,
    /// The bytes are valid UTF-8 (plain ASCII included).
    Utf8,
    /// A vCard `CHARSET=` parameter.
    Declared,
    /// Guessed from the bytes.
    Guessed,
}

/// A file decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding (its name as encoding_rs spells it: "UTF-8", "windows-1252", "Shift_JIS"...).
    pub encoding: &'static Encoding,
    pub how: How,
    /// Bytes that were not valid in that encoding (each became U+FFFD).
    pub replaced: bool,
}

impl Decoded {
    /// One line for the user, unless the file was plain UTF-8: "read as windows-1252 (guessed)".
    pub fn note(&self) -> Option<String> {
        let why = match self.how {
            How::Utf8 => return None,
            How::Given => "as asked",
            How::Bom => "byte-order mark",
            How::Zeros => "no byte-order mark, every other byte zero",
            How::Declared => "the file's CHARSET",
            How::Guessed => "guessed: if names look wrong, import again with --encoding NAME",
        };
        Some(format!("read as {} ({why})", self.encoding.name()))
    }
}

/// The encoding `--encoding` names (WHATWG labels: "utf-8", "latin1", "cp1252", "utf-16le",
/// "shift_jis", "gbk"...), or `None` for an unknown name.
pub fn encoding_for(name: &str) -> Option<&'static Encoding> {
    let name = name.trim();
    Encoding::for_label(name.as_bytes()).or_else(|| {
        // Common spellings WHATWG does not list.
        let n = name.to_ascii_lowercase().replace(['-', '_', ' '], "");
        match n.as_str() {
            "cp65001" | "utf8" => Some(UTF_8),
            "ansi" | "windows1252" => Encoding::for_label(b"windows-1252"),
            "macroman" => Encoding::for_label(b"macintosh"),
            "ucs2" | "ucs2le" | "utf16" => Some(UTF_16LE),
            _ => None,
        }
    })
}

/// Decode `bytes` (taken, so that a UTF-8 file becomes its text without a copy). `given` is
/// `--encoding`; `declared` a charset the file names for itself (a vCard's `CHARSET=`), used when
/// the bytes are not UTF-8.
pub fn decode(
    mut bytes: Vec<u8>,
    given: Option<&'static Encoding>,
    declared: Option<&str>,
) -> Decoded {
    if let Some(enc) = given {
        // A byte-order mark of the named encoding is dropped, never read as text.
        let (bom, len) = Encoding::for_bom(&bytes).unwrap_or((enc, 0));
        if bom == enc {
            bytes.drain(..len);
        }
        return with(enc, bytes, How::Given);
    }
    if let Some((enc, len)) = Encoding::for_bom(&bytes) {
        bytes.drain(..len);
        return with(enc, bytes, How::Bom);
    }
    if let Some(enc) = utf16_by_zeros(&bytes) {
        return with(enc, bytes, How::Zeros);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Decoded {
                text,
                encoding: UTF_8,
                how: How::Utf8,
                replaced: false,
            };
        }
        Err(e) => e.into_bytes(),
    };
    if let Some(enc) = declared.and_then(encoding_for).filter(|e| *e != UTF_8) {
        return with(enc, bytes, How::Declared);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
    with(enc, bytes, How::Guessed)
}

fn with(enc: &'static Encoding, bytes: Vec<u8>, how: How) -> Decoded {
    let bytes = if enc == UTF_8 {
        match String::from_utf8(bytes) {
            Ok(text) => {
                return Decoded {
                    text,
                    encoding: enc,
                    how,
                    replaced: false,
                };
            }
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    let (text, replaced) = enc.decode_without_bom_handling(&bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc,
        how,
        replaced,
    }
}

/// UTF-16 without a byte-order mark: in the first 4 KiB, most odd (LE) or even (BE) bytes are
/// zero and the others are not.
fn utf16_by_zeros(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for p in head.chunks_exact(2) {
        even += usize::from(p[0] == 0);
        odd += usize::from(p[1] == 0);
    }
    let most = pairs * 9 / 10;
    if odd >= most && even == 0 {
        Some(UTF_16LE)
    } else if even >= most && odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The first `CHARSET=` parameter a vCard's bytes name, if any (ASCII-only scan).
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let upper = b"CHARSET=";
    let pos = bytes
        .windows(upper.len())
        .position(|w| w.eq_ignore_ascii_case(upper))?;
    let rest = &bytes[pos + upper.len()..];
    let end = rest
        .iter()
        .position(|b| matches!(b, b';' | b':' | b',' | b'\r' | b'\n'))
        .unwrap_or(rest.len());
    let name = String::from_utf8_lossy(&rest[..end])
        .trim_matches('"')
        .to_string();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_zeros_utf8_declared_and_guesses() {
        let d = decode(b"\xEF\xBB\xBFName\n".to_vec(), None, None);
        assert_eq!((d.text.as_str(), d.how), ("Name\n", How::Bom));
        let le: Vec<u8> = "\u{feff}Zoë,x\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode(le, None, None);
        assert_eq!(
            (d.text.as_str(), d.encoding.name()),
            ("Zoë,x\n", "UTF-16LE")
        );
        let be: Vec<u8> = "Name,Email\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let d = decode(be, None, None);
        assert_eq!((d.text.as_str(), d.how), ("Name,Email\n", How::Zeros));
        assert_eq!(
            decode("Müller".as_bytes().to_vec(), None, None).how,
            How::Utf8
        );
        // windows-1252: "Müller, Straße" in a German Outlook export.
        let d = decode(
            b"Name\nM\xfcller Stra\xdfe Gr\xfc\xdfe\n".to_vec(),
            None,
            None,
        );
        assert_eq!(d.text, "Name\nMüller Straße Grüße\n");
        assert_eq!((d.encoding.name(), d.how), ("windows-1252", How::Guessed));
        assert!(d.note().unwrap().contains("guessed"));
        let d = decode(b"N\xe4me".to_vec(), None, Some("ISO-8859-1"));
        assert_eq!((d.text.as_str(), d.how), ("Näme", How::Declared));
        let d = decode(b"\x8c\x8e".to_vec(), encoding_for("latin1"), None);
        assert_eq!(d.encoding.name(), "windows-1252");
        assert_eq!(encoding_for("cp1252"), encoding_for("windows-1252"));
        assert_eq!(encoding_for("nope"), None);
    }

    #[test]
    fn charset_parameter_is_found() {
        let v = b"BEGIN:VCARD\r\nN;charset=Shift_JIS;ENCODING=QUOTED-PRINTABLE:x\r\n";
        assert_eq!(declared_charset(v).as_deref(), Some("Shift_JIS"));
        assert_eq!(declared_charset(b"FN:x"), None);
    }
}
