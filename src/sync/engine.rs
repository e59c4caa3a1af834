//! One sync, start to end, over any [`Transport`] and any [`Diary`]:
//!
//! 1. find (or create) the two collections;
//! 2. ask each what changed since its sync token, and fetch the changed items whose ETag is not
//!    the one the diary knows (a sync report gives hrefs and ETags only);
//! 3. decide the diary's changes ([`plan::pull`]) on its state and items as read just then, and
//!    apply them as one undoable action, together with the new sync states; that write first
//!    checks the diary did not change since that read (the diary is shared with other processes
//!    between the steps: see [`super::diary`]), and if it did, nothing is written and the changes
//!    are decided again on a new read;
//! 4. write the diary's changes to the server ([`plan::push`]), conditionally; record each write;
//! 5. when an item changed on the server meanwhile (a 412), go round again (at most
//!    [`ROUNDS`] times), so the change is merged rather than overwritten.
//!
//! The sync tokens are saved only at the end of a round, so a sync stopped anywhere (killed, the
//! server gone) is completed by the next one; see `plan` for why that is safe.

use super::mapping::{MappingError, contact, journal, todo};
use super::plan::{self, Case, Change, ItemKind, Known, Local, Op, Parsed, Pulled, Remote};
use super::transport::{Collection, Listed, Transport, TransportError};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many rounds one sync makes at most when items change on the server during it.
pub const ROUNDS: usize = 3;

/// How many times one round plans its pull again when the diary changes between the read the
/// plan is made on and the write that applies it (another process's action in between).
pub const PLANS: usize = 5;

/// Writes recorded in the diary's sync state at once while pushing (a kill loses at most these,
/// and the next sync finds them again by their ETag).
const SAVE_EVERY: usize = 100;

/// What the diary keeps for the sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    pub known: BTreeMap<String, Known>,
    pub tokens: BTreeMap<Collection, String>,
}

/// A change of the sync state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateUpdate {
    pub put: Vec<Known>,
    pub forget: Vec<String>,
    /// New tokens (`None`: forget the token, the next sync lists everything).
    pub tokens: Vec<(Collection, Option<String>)>,
}

/// What a diary applied of a pull.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// One line per change made ("logged call with c12 Ada Lovelace on 2026-03-05").
    pub done: Vec<String>,
    /// Changes that could not be made, and why (listed; the item stays as it is on the server).
    pub refused: Vec<Case>,
}

/// The diary side of a sync: the store and the actions.
pub trait Diary {
    /// Every item the diary would have on the server now.
    fn items(&mut self, today: NaiveDate) -> Result<BTreeMap<String, Local>, SyncError>;

    fn state(&mut self) -> Result<State, SyncError>;

    /// Make the changes of a pull (through the actions) and record its states, in one undoable
    /// action. `None`: the diary changed since the state and items the pull was planned on were
    /// read (another process wrote), and nothing was written: the engine plans again.
    fn apply(&mut self, pulled: &Pulled, today: NaiveDate) -> Result<Option<Applied>, SyncError>;

    /// Record sync states (after writes to the server).
    fn save(&mut self, update: &StateUpdate) -> Result<(), SyncError>;
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("{0}")]
    Diary(String),
}

/// Counts per kind of item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub contacts: usize,
    pub follow_ups: usize,
    pub history: usize,
}

impl Counts {
    fn add(&mut self, kind: ItemKind) {
        match kind {
            ItemKind::Contact => self.contacts += 1,
            ItemKind::FollowUp => self.follow_ups += 1,
            ItemKind::History => self.history += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.contacts + self.follow_ups + self.history
    }
}

/// What a sync did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub location: String,
    pub dry_run: bool,
    /// Items read from the server that changed.
    pub fetched: Counts,
    /// Changes made in the diary, one line each.
    pub applied: Vec<String>,
    pub created: Counts,
    pub updated: Counts,
    pub deleted: Counts,
    /// Items both sides changed, and anything not taken over as it is.
    pub cases: Vec<Case>,
    pub rounds: usize,
}

/// Options of one sync.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub today: NaiveDate,
    pub dry_run: bool,
}

/// Run one sync.
pub fn sync(t: &mut dyn Transport, d: &mut dyn Diary, opts: Options) -> Result<Report, SyncError> {
    let mut report = Report {
        location: t.location(),
        dry_run: opts.dry_run,
        ..Report::default()
    };
    let exists = t.prepare(!opts.dry_run)?;
    for round in 1..=ROUNDS {
        report.rounds = round;
        let state = d.state()?;
        // A round after a refused create lists everything, so the item is found.
        let full = round > 1;
        let read = if exists {
            read_changes(t, &state, full, &mut report)?
        } else {
            Fetch::default()
        };
        let Some((local, state)) = pull(d, &read, opts, &mut report)? else {
            return Ok(report);
        };
        let conflicts = push_all(t, d, &plan::push(&local, &state.known), &mut report)?;
        d.save(&StateUpdate {
            tokens: read.tokens,
            ..StateUpdate::default()
        })?;
        if conflicts == 0 {
            return Ok(report);
        }
    }
    report.cases.push(Case {
        uid: String::new(),
        kind: ItemKind::Contact,
        field: None,
        ours: None,
        theirs: None,
        kept: None,
        note: format!(
            "items kept changing on the server during {ROUNDS} rounds; run `tickler sync` again to finish"
        ),
    });
    Ok(report)
}

/// The diary's items and sync state after a pull: what the push is planned on.
type Planned = (BTreeMap<String, Local>, State);

/// Plan the pull on the diary as it is now and apply it, planning again (at most [`PLANS`] times)
/// when the diary changed between the read and the write. Returns the diary's items and sync
/// state after it, or `None` after a dry run (the report then says what it would do).
fn pull(
    d: &mut dyn Diary,
    read: &Fetch,
    opts: Options,
    report: &mut Report,
) -> Result<Option<Planned>, SyncError> {
    let complete: Vec<ItemKind> = read.complete_kinds();
    let complete = Some(&complete).filter(|k| !k.is_empty()).map(Vec::as_slice);
    for _ in 0..PLANS {
        let state = d.state()?;
        let local = d.items(opts.today)?;
        let pulled = plan::pull(
            &read.remote,
            &read.deleted,
            complete,
            &local,
            &state.known,
            opts.today,
        );
        if opts.dry_run {
            report.cases.extend(pulled.cases.iter().cloned());
            report.cases.extend(read.unreadable.iter().cloned());
            report.applied.extend(pulled.changes.iter().map(describe));
            dry_push(&plan::push(&local, &state.known), report);
            return Ok(None);
        }
        // Nothing came from the server: the diary and its sync state are as just read.
        if pulled.is_empty() {
            report.cases.extend(pulled.cases);
            report.cases.extend(read.unreadable.iter().cloned());
            return Ok(Some((local, state)));
        }
        let Some(applied) = d.apply(&pulled, opts.today)? else {
            continue;
        };
        report.cases.extend(pulled.cases);
        report.cases.extend(read.unreadable.iter().cloned());
        report.applied.extend(applied.done);
        report.cases.extend(applied.refused);
        let state = d.state()?;
        return Ok(Some((d.items(opts.today)?, state)));
    }
    Err(SyncError::Diary(format!(
        "the diary kept changing while the sync read it ({PLANS} times): run the sync again"
    )))
}

/// What was read from the server in one round.
#[derive(Debug, Default)]
struct Fetch {
    remote: Vec<Remote>,
    deleted: Vec<String>,
    complete: Vec<Collection>,
    tokens: Vec<(Collection, Option<String>)>,
    unreadable: Vec<Case>,
}

impl Fetch {
    fn complete_kinds(&self) -> Vec<ItemKind> {
        let mut kinds = Vec::new();
        for c in &self.complete {
            match c {
                Collection::Contacts => kinds.push(ItemKind::Contact),
                Collection::Calendar => kinds.extend([ItemKind::FollowUp, ItemKind::History]),
            }
        }
        kinds
    }
}

fn read_changes(
    t: &mut dyn Transport,
    state: &State,
    full: bool,
    report: &mut Report,
) -> Result<Fetch, SyncError> {
    let by_href: BTreeMap<&str, &Known> =
        state.known.values().map(|k| (k.href.as_str(), k)).collect();
    let mut out = Fetch::default();
    for c in Collection::BOTH {
        let token = if full {
            None
        } else {
            state.tokens.get(&c).map(String::as_str)
        };
        let changes = t.changes(c, token)?;
        if changes.complete {
            out.complete.push(c);
        }
        out.tokens.push((c, changes.token.clone()));
        out.deleted.extend(changes.deleted);
        let mut wanted = Vec::new();
        for Listed { href, etag } in changes.changed {
            match by_href.get(href.as_str()) {
                // Unchanged since we last read or wrote it: no need to fetch it.
                Some(k) if k.etag.is_some() && k.etag == etag => out.remote.push(Remote {
                    href,
                    etag,
                    item: placeholder(k),
                }),
                _ => wanted.push(href),
            }
        }
        for f in t.fetch(c, &wanted)? {
            match parse(c, &f.data) {
                Ok(item) => {
                    report.fetched.add(kind_of(&item));
                    out.remote.push(Remote {
                        href: f.href,
                        etag: f.etag,
                        item,
                    });
                }
                Err(e) => out.unreadable.push(Case {
                    uid: f.href,
                    kind: if c == Collection::Contacts {
                        ItemKind::Contact
                    } else {
                        ItemKind::FollowUp
                    },
                    field: None,
                    ours: None,
                    theirs: None,
                    kept: None,
                    note: e.to_string(),
                }),
            }
        }
    }
    Ok(out)
}

/// An unchanged item known by its state: pull skips it, and a full listing sees it.
fn placeholder(k: &Known) -> Parsed {
    Parsed::Unchanged {
        uid: k.uid.clone(),
        kind: k.kind,
    }
}

fn kind_of(p: &Parsed) -> ItemKind {
    match p {
        Parsed::Card(_) => ItemKind::Contact,
        Parsed::Todo(_) => ItemKind::FollowUp,
        Parsed::Journal(_) => ItemKind::History,
        Parsed::Unchanged { kind, .. } => *kind,
    }
}

/// Read an item of a collection: a vCard, or a VTODO or VJOURNAL.
fn parse(c: Collection, data: &str) -> Result<Parsed, MappingError> {
    match c {
        Collection::Contacts => contact::read(data).map(Parsed::Card),
        Collection::Calendar if data.contains("BEGIN:VJOURNAL") => {
            journal::read(data).map(|(h, _)| Parsed::Journal(h))
        }
        Collection::Calendar => todo::read(data).map(Parsed::Todo),
    }
}

fn describe(c: &Change) -> String {
    match c {
        Change::AddContact { uid, record } => format!(
            "add contact {} ({uid})",
            record.get("name").and_then(|v| v.as_str()).unwrap_or("?")
        ),
        Change::EditContact { uid, .. } => format!("edit contact {uid}"),
        Change::Plan { uid, due, .. } => format!("plan follow-up {uid} on {due}"),
        Change::Reschedule { uid, due } => format!("reschedule {uid} to {due}"),
        Change::EditFollowUp { uid, .. } => format!("change what to send for {uid}"),
        Change::Log {
            uid, date, channel, ..
        } => format!("log {channel} {uid} on {date}"),
        Change::Sale { uid, date, .. } => format!("record sale {uid} on {date}"),
        Change::Complete { uid, date } => format!("complete {uid} on {date}"),
        Change::Cancel { uid } => format!("cancel {uid}"),
    }
}

fn dry_push(ops: &[Op], report: &mut Report) {
    for op in ops {
        match op {
            Op::Create { kind, .. } => report.created.add(*kind),
            Op::Update { kind, .. } => report.updated.add(*kind),
            Op::Delete { kind, .. } => report.deleted.add(*kind),
        }
    }
}

/// Make the writes, recording each; the number refused because the item changed on the server.
fn push_all(
    t: &mut dyn Transport,
    d: &mut dyn Diary,
    ops: &[Op],
    report: &mut Report,
) -> Result<usize, SyncError> {
    let mut pending = StateUpdate::default();
    let mut conflicts = 0;
    for op in ops {
        let c = op.kind().collection();
        let done = match op {
            Op::Create { uid, text, .. } => t.create(c, uid, text).map(Some),
            Op::Update {
                href, etag, text, ..
            } => t.update(c, href, etag, text).map(Some),
            Op::Delete { href, etag, .. } => t.delete(c, href, etag).map(|()| None),
        };
        match done {
            Ok(written) => record(op, written, &mut pending, report),
            Err(TransportError::Changed { .. }) => conflicts += 1,
            // The server refuses this one item (a component it does not keep, a size limit): the
            // others go on, and it is listed.
            Err(e @ TransportError::Status { status, .. }) if refused_item(status) => {
                report.cases.push(Case {
                    uid: op.uid().to_string(),
                    kind: op.kind(),
                    field: None,
                    ours: None,
                    theirs: None,
                    kept: None,
                    note: format!("refused by the server: {e}"),
                });
            }
            Err(e) => {
                d.save(&pending)?;
                return Err(e.into());
            }
        }
        if pending.put.len() + pending.forget.len() >= SAVE_EVERY {
            d.save(&std::mem::take(&mut pending))?;
        }
    }
    d.save(&pending)?;
    Ok(conflicts)
}

/// A status that refuses one item rather than the whole account (not a login or server failure).
fn refused_item(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 401 | 404 | 408 | 429)
}

fn record(op: &Op, written: Option<Listed>, pending: &mut StateUpdate, report: &mut Report) {
    match (op, written) {
        (
            Op::Create {
                uid, kind, record, ..
            }
            | Op::Update {
                uid, kind, record, ..
            },
            Some(w),
        ) => {
            if matches!(op, Op::Create { .. }) {
                report.created.add(*kind);
            } else {
                report.updated.add(*kind);
            }
            pending.put.push(Known {
                uid: uid.clone(),
                kind: *kind,
                href: w.href,
                etag: w.etag,
                base: record.clone(),
            });
        }
        (Op::Delete { uid, kind, .. }, _) => {
            report.deleted.add(*kind);
            pending.forget.push(uid.clone());
        }
        _ => {}
    }
}
