//! `S`, `:sync` and the setting sync_after_change in the full-screen diary: one sync with the
//! account ([`account::run_recorded`], as `tickler sync` runs it) on a worker thread, with its own
//! handle on the file, which it holds only while it reads or writes (see [`crate::sync::diary`]).
//! The loop keeps drawing and taking keys meanwhile; each pass [`poll`] turns the spinner in the
//! status bar (a message said since stays until it expires). When the worker is done its result
//! line is said, the diary is re-read (the pane and the selection kept) and what the sync changed
//! here is this session's to undo. A second `S` says a sync is running; a change made meanwhile
//! with sync_after_change on queues one more sync after it. Quitting does not wait for the
//! worker: a sync stopped half way is completed by the next one. An in-memory diary has no file
//! for a second handle: its sync runs on the loop.

use super::job::SyncJob;
use super::model::Model;
use super::session;
use crate::store::Store;
use crate::sync::account::{self, Account, Synced};
use crate::sync::engine::SyncError;
use crate::text::words;
use chrono::NaiveDate;
use std::path::Path;
use std::sync::mpsc::{self, TryRecvError};

/// Start a sync (`before`: the message of the change it follows, for sync_after_change), or, if
/// one is running, say so (`S`) or queue one more after it (a change).
pub fn start(store: &Store, m: &mut Model, before: Option<String>) {
    if let Some(job) = m.sync.as_mut() {
        match before {
            Some(said) => {
                job.again = true;
                m.status
                    .say(format!("{said} · syncs again when the running sync ends"));
            }
            None => m.status.say(format!(
                "a sync with {} is running: its result shows here when it ends",
                job.location
            )),
        }
        return;
    }
    let account = match account::account(store, None, None) {
        Ok(a) => a,
        Err(e) => return say(m, before, &format!("sync failed: {e}"), true),
    };
    let today = m.today();
    let Some(path) = store.path().map(Path::to_path_buf) else {
        let synced = account::run_recorded(store, &account, today, false);
        return finish(store, m, before, Some(synced));
    };
    let (tx, rx) = mpsc::channel();
    let (wait, a) = (store.lock_wait(), account.clone());
    let spawned = std::thread::Builder::new()
        .name("sync".to_string())
        .spawn(move || {
            // The receiver may be gone (the diary quit): nothing to do then.
            let _ = tx.send(work(&path, wait, &a, today));
        });
    if let Err(e) = spawned {
        return say(m, before, &format!("cannot start the sync: {e}"), true);
    }
    tracing::info!("sync started");
    let mut job = SyncJob::new(account::location(&account), rx, before);
    show(m, &mut job);
    m.sync = Some(job);
}

/// The worker: its own handle on the file, then the whole sync.
fn work(path: &Path, wait: std::time::Duration, a: &Account, today: NaiveDate) -> Synced {
    match Store::open_existing(path, wait) {
        Ok(store) => account::run_recorded(&store, a, today, false),
        Err(e) => Synced {
            result: Err(SyncError::Diary(e.to_string())),
            undo: Vec::new(),
        },
    }
}

/// The progress line in the status bar, unless a message said since it was last shown is still
/// there.
fn show(m: &mut Model, job: &mut SyncJob) {
    if m.status.text.is_empty() || m.status.text == job.shown || job.shown.is_empty() {
        job.shown = match &job.before {
            Some(b) => format!("{b} · {}", job.progress()),
            None => job.progress(),
        };
        m.status.say(job.shown.clone());
    }
}

/// On every pass of the loop: turn the spinner, or take the result when the worker is done.
/// Returns true while a sync is still running.
pub fn poll(store: &Store, m: &mut Model) -> bool {
    let Some(mut job) = m.sync.take() else {
        return false;
    };
    match job.rx.try_recv() {
        Err(TryRecvError::Empty) => {
            job.ticks += 1;
            show(m, &mut job);
            m.sync = Some(job);
            true
        }
        Ok(synced) => end(store, m, job, Some(synced)),
        Err(TryRecvError::Disconnected) => end(store, m, job, None),
    }
}

/// Block until the running sync (if any, and any queued after it) is done and taken (tests; no
/// terminal needed).
pub fn wait(store: &Store, m: &mut Model) {
    while let Some(job) = m.sync.take() {
        // The file handed back as the loop does after an event, so the worker can write.
        if let Err(e) = store.release() {
            m.status.fail(e.to_string());
        }
        let synced = job.rx.recv().ok();
        end(store, m, job, synced);
    }
}

/// The worker is done: take its result, then start the queued sync if a change asked for one.
fn end(store: &Store, m: &mut Model, job: SyncJob, synced: Option<Synced>) -> bool {
    finish(store, m, job.before, synced);
    if job.again {
        let said = m.status.text.clone();
        start(store, m, Some(said));
    }
    m.sync.is_some()
}

/// Record what the sync changed here as this session's to undo, re-read the diary and say the
/// result (after `before`).
fn finish(store: &Store, m: &mut Model, before: Option<String>, synced: Option<Synced>) {
    let Some(synced) = synced else {
        return say(
            m,
            before,
            "the sync stopped unexpectedly: run it again",
            true,
        );
    };
    m.own_undo.extend(synced.undo);
    let (text, error) = match synced.result {
        Ok(r) => (account::summary(&r), false),
        Err(e) => (format!("sync failed: {e}"), true),
    };
    tracing::info!(error, "sync done");
    if let Err(e) = session::refresh(store, m) {
        return m.status.fail(words::cannot_reread(&e));
    }
    say(m, before, &text, error);
}

fn say(m: &mut Model, before: Option<String>, text: &str, error: bool) {
    let text = match before {
        Some(b) => format!("{b} · {text}"),
        None => text.to_string(),
    };
    m.status.set(text, error);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    }

    /// A diary file of `n` demo contacts set to sync with a vdir, and its model; the file is
    /// handed back as the loop does after each event.
    fn diary(dir: &tempfile::TempDir, n: usize) -> (Store, Model, std::path::PathBuf) {
        let vdir = dir.path().join("dav");
        let store =
            Store::open_waiting(&dir.path().join("t.redb"), Duration::from_secs(2)).unwrap();
        store
            .load_bulk(crate::demo::generate(n, 2, today()))
            .unwrap();
        let url = vdir.display().to_string();
        store
            .save_sync(&[], &[], &[("sync_url".into(), Some(url))])
            .unwrap();
        let m = Model::new(store.roster().unwrap(), today(), "t.redb".into());
        store.release().unwrap();
        (store, m, vdir)
    }

    fn cards(vdir: &Path) -> usize {
        std::fs::read_dir(vdir.join("tickler-contacts"))
            .map_or(0, |d| d.filter_map(Result::ok).count())
    }

    #[test]
    fn a_sync_runs_on_a_worker_and_a_second_press_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (store, mut m, vdir) = diary(&dir, 30);
        start(&store, &mut m, None);
        store.release().unwrap();
        let job = m.sync.as_ref().expect("a sync job");
        assert_eq!(job.location, vdir.display().to_string());
        assert!(m.status.text.contains("syncing with"), "{}", m.status.text);
        assert!(!job.again);

        start(&store, &mut m, None);
        assert!(
            m.status.text.contains("is running"),
            "a second S: {}",
            m.status.text
        );
        assert!(!m.sync.as_ref().unwrap().again, "S queues nothing");

        wait(&store, &mut m);
        assert!(m.sync.is_none());
        assert!(!m.status.error, "{}", m.status.text);
        assert!(
            m.status.text.starts_with("synced with"),
            "{}",
            m.status.text
        );
        assert_eq!(cards(&vdir), 31, "30 cards and the displayname file");
        assert!(!poll(&store, &mut m), "nothing runs any more");
    }

    #[test]
    fn a_change_during_a_sync_queues_exactly_one_more() {
        let dir = tempfile::tempdir().unwrap();
        let (store, mut m, vdir) = diary(&dir, 20);
        start(&store, &mut m, None);
        start(&store, &mut m, Some("logged a call".into()));
        start(&store, &mut m, Some("logged another call".into()));
        store.release().unwrap();
        assert!(m.sync.as_ref().unwrap().again);
        assert!(m.status.text.contains("syncs again"), "{}", m.status.text);
        // The first run's result, then the queued one's: nothing left to write by then.
        let first = m.sync.take().unwrap();
        let synced = first.rx.recv().ok();
        store.release().unwrap();
        assert!(end(&store, &mut m, first, synced), "the queued sync runs");
        assert!(!m.sync.as_ref().unwrap().again, "once");
        wait(&store, &mut m);
        let text = &m.status.text;
        assert_eq!(text.matches("synced with").count(), 2, "{text}");
        assert!(
            text.ends_with("0 change(s) here, 0 written there"),
            "{text}"
        );
        assert_eq!(cards(&vdir), 21);
    }

    #[test]
    fn the_result_is_taken_with_its_undo_and_the_diary_reread() {
        let dir = tempfile::tempdir().unwrap();
        let (store, mut m, vdir) = diary(&dir, 5);
        start(&store, &mut m, None);
        wait(&store, &mut m);
        assert!(m.own_undo.is_empty(), "nothing came from the server");

        // Another diary adds a contact there: the next sync brings it, `u` takes it back.
        let other = Store::in_memory().unwrap();
        other
            .load_bulk(crate::demo::generate(0, 2, today()))
            .unwrap();
        let url = vdir.display().to_string();
        other
            .save_sync(&[], &[], &[("sync_url".into(), Some(url))])
            .unwrap();
        other
            .write("add", |w| {
                let id = w.new_contact_id()?;
                w.put_contact(&crate::model::Contact::new(id, "Zelda Zimmer", today()))
            })
            .unwrap();
        let a = account::account(&other, None, None).unwrap();
        account::run(&other, &a, today(), false).unwrap();

        let before = m.diary.roster.rows.len();
        store.release().unwrap();
        start(&store, &mut m, None);
        store.release().unwrap();
        wait(&store, &mut m);
        assert!(
            m.status.text.contains("1 change(s) here"),
            "{}",
            m.status.text
        );
        assert_eq!(m.diary.roster.rows.len(), before + 1, "re-read");
        assert_eq!(m.own_undo.len(), 1, "the sync's write is ours to undo");
        super::super::effects::run(&store, &mut m, super::super::component::Effect::Undo);
        assert_eq!(m.diary.roster.rows.len(), before, "{}", m.status.text);
    }

    #[test]
    fn a_sync_that_fails_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let (store, mut m, _) = diary(&dir, 3);
        let url = "https://user:secret@dav.example.com/".to_string();
        store
            .save_sync(&[], &[], &[("sync_url".into(), Some(url))])
            .unwrap();
        start(&store, &mut m, Some("logged a call".into()));
        store.release().unwrap();
        wait(&store, &mut m);
        assert!(m.status.error);
        let text = &m.status.text;
        assert!(text.starts_with("logged a call · sync failed:"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
