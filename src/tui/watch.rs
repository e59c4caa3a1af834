//! Sharing the file with other processes: the diary holds the database only while it reads or
//! writes (from a key press to the end of its effects), then [`Watch::settle`] releases it, so a
//! scripted `tickler log`, an import or a cron backup beside the diary (which wait up to 2 s for
//! the file) get their turn. Their writes are picked up on the loop's tick by [`Watch::check`]:
//! one `stat` of the file each tick; only when its time or length moved is the store's change
//! count read ([`Store::changes`], one small read), and only when that moved by more than the
//! diary's own writes is the model reloaded ([`session::refresh`], as after its own writes: the
//! pane and the open contact are kept).

use super::model::Model;
use super::session;
use crate::store::Store;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// File times on some file systems only move every few milliseconds (or seconds): a stamp this
/// young may not show a write made right after it was taken, so it is not trusted (as git does
/// with its index) and the change count is read on the next ticks until the stamp is older.
const RACY: Duration = Duration::from_secs(2);

/// What the diary last saw of its file.
#[derive(Debug)]
pub struct Watch {
    /// `None` for an in-memory diary (nothing to watch).
    path: Option<PathBuf>,
    /// The store's change count the model was last loaded at.
    changes: u64,
    /// [`Store::own_changes`] at that point.
    own: u64,
    /// The file's modification time and length when the store was last released.
    stamp: Option<(SystemTime, u64)>,
    /// The stamp was too young to be trusted (see [`RACY`]).
    racy: bool,
    /// Reloads for other processes' writes so far (the log and the tests).
    reloads: u64,
}

fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Watch {
    /// Start watching `store`, whose contents the model was just loaded from (the store is
    /// still held, so no other process wrote since).
    pub fn new(store: &Store) -> crate::store::Result<Watch> {
        Ok(Watch {
            path: store.path().map(std::path::Path::to_path_buf),
            changes: store.changes()?,
            own: store.own_changes(),
            stamp: None,
            racy: true,
            reloads: 0,
        })
    }

    /// After the effects of an event (or at start): if the store is held, reload the model when
    /// another process wrote since it was last loaded (seen when a read reopened the file), take
    /// the file's stamp, and release the file. A no-op when nothing opened the store.
    pub fn settle(&mut self, store: &Store, m: &mut Model) {
        if self.path.is_none() || !store.is_held() {
            return;
        }
        self.sync(store, m);
    }

    /// On the loop's tick: when the file's stamp moved (or is too young to trust), read the
    /// change count without waiting for the file (if another process holds it, try again on the
    /// next tick) and reload the model if another process wrote. Then release the file again.
    pub fn check(&mut self, store: &Store, m: &mut Model) {
        let Some(path) = &self.path else {
            return;
        };
        if !self.racy && self.stamp.is_some() && stamp(path) == self.stamp {
            return;
        }
        match store.hold(Duration::ZERO) {
            Ok(()) => self.sync(store, m),
            Err(e) => tracing::debug!(%e, "change check skipped"),
        }
    }

    /// The store is held: compare its change count, reload if needed, stamp, release.
    fn sync(&mut self, store: &Store, m: &mut Model) {
        let synced = store.changes().and_then(|changes| {
            let own = store.own_changes();
            let expected = self.changes.wrapping_add(own.wrapping_sub(self.own));
            if changes != expected {
                self.reloads += 1;
                tracing::info!(
                    changes,
                    expected,
                    reloads = self.reloads,
                    "the file changed: reload"
                );
                session::refresh(store, m)?;
            }
            self.changes = changes;
            self.own = own;
            Ok(())
        });
        if let Err(e) = &synced {
            m.status.fail(crate::text::words::cannot_reread(e));
        }
        // Taken while the file is still held: nobody else can have written since the count was
        // read. (Releasing a writable file writes to it, so after our own write the next tick
        // sees a new stamp and reads the count once more: cheap, and no reload.)
        self.stamp = self.path.as_deref().and_then(stamp);
        // After a failed reload, look again on the next tick.
        self.racy = synced.is_err()
            || self.stamp.is_none_or(|(time, _)| {
                SystemTime::now()
                    .duration_since(time)
                    .map_or(true, |age| age < RACY)
            });
        if let Err(e) = store.release() {
            tracing::warn!(%e, "release");
            m.status.fail(format!("cannot hand the file back: {e}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn add(store: &Store, name: &str) {
        store
            .write(&format!("add {name}"), |w| {
                let id = w.new_contact_id()?;
                w.put_contact(&Contact::new(id, name, today()))
            })
            .unwrap();
    }

    fn names(m: &Model) -> Vec<String> {
        m.diary
            .roster
            .rows
            .iter()
            .map(|(p, _)| p.name.clone())
            .collect()
    }

    #[test]
    fn picks_up_other_writes_and_not_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.redb");
        let store = Store::open_waiting(&path, Duration::from_secs(2)).unwrap();
        add(&store, "A");
        let mut m = Model::new(store.roster().unwrap(), today(), "w".into());
        let mut watch = Watch::new(&store).unwrap();
        watch.settle(&store, &mut m);
        assert!(!store.is_held(), "released after settling");

        // Another process writes and keeps the file: the check does not wait for it.
        let other = Store::open(&path).unwrap();
        add(&other, "B");
        let started = std::time::Instant::now();
        watch.check(&store, &mut m);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(names(&m), ["A"]);
        drop(other);
        // Once it lets go, the next tick reloads.
        watch.check(&store, &mut m);
        assert_eq!(names(&m), ["A", "B"]);
        assert_eq!(watch.reloads, 1);
        assert!(!store.is_held());

        // Our own write, refreshed as the effects do: counted as ours, then released.
        add(&store, "C");
        session::refresh(&store, &mut m).unwrap();
        watch.settle(&store, &mut m);
        assert!(!store.is_held());
        assert_eq!(watch.changes, store.changes().unwrap());
        store.release().unwrap();
        m.status.text.clear();
        watch.check(&store, &mut m);
        assert_eq!(names(&m), ["A", "B", "C"]);
        assert_eq!(watch.reloads, 1, "no reload for our own write");
        assert!(m.status.text.is_empty(), "{}", m.status.text);

        // A write seen by a read of an event (not by a tick) is picked up when it settles.
        add(&Store::open(&path).unwrap(), "D");
        store.contact(crate::model::ContactId(1)).unwrap();
        watch.settle(&store, &mut m);
        assert_eq!(names(&m), ["A", "B", "C", "D"]);
        assert_eq!(watch.reloads, 2);
        assert!(!store.is_held());
    }
}
