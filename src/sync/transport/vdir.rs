//! The vdir transport: a local directory in the layout vdirsyncer and pimsync use, one
//! subdirectory per collection (`tickler-contacts/`, `tickler-calendar/`, each with a `displayname`
//! file) and one file per item (`.vcf`, `.ics`). An item's href is its file name; its ETag is its
//! modification time, inode and size (as vdirsyncer does), so an edit by another program shows.
//!
//! Writes go to a hidden temporary file in the same directory, then are renamed over the item, so a
//! kill never leaves half an item. Conditional writes compare the ETag just before the rename.

use super::dav::safe_name;
use super::{Changes, Collection, Fetched, Listed, Transport, TransportError};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A vdir rooted at a directory (created when missing).
#[derive(Debug, Clone)]
pub struct Vdir {
    root: PathBuf,
}

fn io(path: &Path, source: std::io::Error) -> TransportError {
    TransportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The ETag of a file: modification time in nanoseconds, inode, size.
fn etag_of(meta: &fs::Metadata) -> String {
    let nanos = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0u64;
    format!("\"{nanos}-{inode}-{}\"", meta.len())
}

impl Vdir {
    pub fn new(root: PathBuf) -> Vdir {
        Vdir { root }
    }

    fn dir(&self, c: Collection) -> PathBuf {
        self.root.join(c.slug())
    }

    /// The path of an href, refusing anything that is not a plain file name of this collection.
    fn item(&self, c: Collection, href: &str) -> Result<PathBuf, TransportError> {
        let plain = !href.is_empty()
            && !href.starts_with('.')
            && !href.contains(['/', '\\'])
            && href.ends_with(c.extension());
        if !plain {
            return Err(TransportError::Protocol {
                what: "the vdir",
                detail: format!("`{href}` is not an item of the {}", c.as_str()),
            });
        }
        Ok(self.dir(c).join(href))
    }

    /// The current ETag of an item, `None` when it does not exist.
    fn current(&self, path: &Path) -> Result<Option<String>, TransportError> {
        match fs::metadata(path) {
            Ok(m) => Ok(Some(etag_of(&m))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(path, e)),
        }
    }

    /// Write `data` to `path` through a temporary file and a rename; the new ETag.
    fn write(&self, path: &Path, data: &str) -> Result<String, TransportError> {
        let dir = path.parent().unwrap_or(&self.root);
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut file = fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
        file.write_all(data.as_bytes()).map_err(|e| io(&tmp, e))?;
        file.sync_all().map_err(|e| io(&tmp, e))?;
        drop(file);
        fs::rename(&tmp, path).map_err(|e| io(path, e))?;
        let meta = fs::metadata(path).map_err(|e| io(path, e))?;
        Ok(etag_of(&meta))
    }
}

impl Transport for Vdir {
    fn location(&self) -> String {
        self.root.display().to_string()
    }

    fn prepare(&mut self, create: bool) -> Result<bool, TransportError> {
        if !create {
            return Ok(Collection::BOTH.iter().all(|c| self.dir(*c).is_dir()));
        }
        for c in Collection::BOTH {
            let dir = self.dir(c);
            fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
            let name = dir.join("displayname");
            if !name.exists() {
                self.write(&name, super::COLLECTION_NAME)?;
            }
        }
        Ok(true)
    }

    fn changes(&mut self, c: Collection, _token: Option<&str>) -> Result<Changes, TransportError> {
        let dir = self.dir(c);
        let mut changed = Vec::new();
        for entry in fs::read_dir(&dir).map_err(|e| io(&dir, e))? {
            let entry = entry.map_err(|e| io(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !name.ends_with(c.extension()) {
                continue;
            }
            let meta = entry.metadata().map_err(|e| io(&entry.path(), e))?;
            if meta.is_file() {
                changed.push(Listed {
                    href: name,
                    etag: Some(etag_of(&meta)),
                });
            }
        }
        changed.sort_by(|a, b| a.href.cmp(&b.href));
        Ok(Changes {
            changed,
            deleted: Vec::new(),
            token: None,
            complete: true,
        })
    }

    fn fetch(&mut self, c: Collection, hrefs: &[String]) -> Result<Vec<Fetched>, TransportError> {
        let mut out = Vec::with_capacity(hrefs.len());
        for href in hrefs {
            let path = self.item(c, href)?;
            let Some(etag) = self.current(&path)? else {
                continue;
            };
            let data = match fs::read(&path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io(&path, e)),
            };
            out.push(Fetched {
                href: href.clone(),
                etag: Some(etag),
                data,
            });
        }
        Ok(out)
    }

    fn create(&mut self, c: Collection, name: &str, data: &str) -> Result<Listed, TransportError> {
        let href = format!("{}{}", safe_name(name), c.extension());
        let path = self.item(c, &href)?;
        if self.current(&path)?.is_some() {
            return Err(TransportError::Changed { href });
        }
        let etag = self.write(&path, data)?;
        Ok(Listed {
            href,
            etag: Some(etag),
        })
    }

    fn update(
        &mut self,
        c: Collection,
        href: &str,
        etag: &str,
        data: &str,
    ) -> Result<Listed, TransportError> {
        let path = self.item(c, href)?;
        if self.current(&path)?.as_deref() != Some(etag) {
            return Err(TransportError::Changed {
                href: href.to_string(),
            });
        }
        let etag = self.write(&path, data)?;
        Ok(Listed {
            href: href.to_string(),
            etag: Some(etag),
        })
    }

    fn delete(&mut self, c: Collection, href: &str, etag: &str) -> Result<(), TransportError> {
        let path = self.item(c, href)?;
        match self.current(&path)? {
            None => Ok(()),
            Some(now) if now == etag => match fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(io(&path, e)),
            },
            Some(_) => Err(TransportError::Changed {
                href: href.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_update_delete_with_etags() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = Vdir::new(dir.path().join("dav"));
        v.prepare(true).unwrap();
        let c = Collection::Calendar;
        let a = v
            .create(c, "t-1", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
            .unwrap();
        assert_eq!(a.href, "t-1.ics");
        assert!(matches!(
            v.create(c, "t-1", "x"),
            Err(TransportError::Changed { .. })
        ));
        let listed = v.changes(c, None).unwrap();
        assert!(listed.complete);
        assert_eq!(listed.changed, vec![a.clone()]);
        let etag = a.etag.clone().unwrap();
        let b = v
            .update(
                c,
                &a.href,
                &etag,
                "BEGIN:VCALENDAR\r\nX:1\r\nEND:VCALENDAR\r\n",
            )
            .unwrap();
        assert_ne!(b.etag, a.etag);
        // The old ETag no longer matches: a conflict, as a 412 from a server.
        assert!(matches!(
            v.update(c, &a.href, &etag, "y"),
            Err(TransportError::Changed { .. })
        ));
        assert!(matches!(
            v.delete(c, &a.href, &etag),
            Err(TransportError::Changed { .. })
        ));
        let fetched = v.fetch(c, std::slice::from_ref(&b.href)).unwrap();
        assert_eq!(
            fetched[0].data,
            "BEGIN:VCALENDAR\r\nX:1\r\nEND:VCALENDAR\r\n"
        );
        v.delete(c, &b.href, b.etag.as_deref().unwrap()).unwrap();
        assert!(v.changes(c, None).unwrap().changed.is_empty());
        assert!(v.fetch(c, &[b.href]).unwrap().is_empty());
        // vdir metadata for vdirsyncer and khal/todoman.
        let name = fs::read_to_string(dir.path().join("dav/tickler-calendar/displayname")).unwrap();
        assert_eq!(name, "tickler");
    }

    #[test]
    fn hrefs_outside_the_collection_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = Vdir::new(dir.path().to_path_buf());
        v.prepare(true).unwrap();
        for bad in ["../x.ics", ".hidden.ics", "x.vcf", ""] {
            assert!(
                v.fetch(Collection::Calendar, &[bad.to_string()]).is_err(),
                "{bad}"
            );
        }
    }
}
