//! Capture as one action: the messages and meetings read by [`crate::capture`] become touches,
//! each logged through [`super::log_in`] (so a captured personal touch completes what it fulfils
//! and restarts the cadence like any other), in one write transaction recorded as one undo
//! entry. What was seen is remembered (`captured`), so running again adds nothing; each run
//! is recorded (`capture_runs`) so the review can show what the last one logged and undo it.
//!
//! The rules, in order, for a message: it needs a date, on or after `--since` and not after
//! today; bulk mail (List-Id, Precedence, Auto-Submitted) is skipped; a Message-ID already
//! captured is skipped; a message from one of `my_addresses` is an outbound email to each
//! contact it went to (To, Cc); a message from someone else to one of `my_addresses` is an
//! inbound email from that contact, or, from a stranger, counted for the review's possible new
//! contacts. For an event: not cancelled, not after today, once per UID and day; each contact
//! among the organizer and the attendees who did not decline gets a meeting touch (inbound when
//! they organised it).

use super::touches::log_in;
use super::{ActionError, Completes, ContactRef, LogRequest, Logged, Result};
use crate::capture::{Addr, EventItem, MailItem};
use crate::model::{
    CaptureRun, CaptureSource, Captured, Channel, ContactId, Correspondent, Direction, TouchId,
};
use crate::store::{Store, Writer};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What to capture.
#[derive(Debug, Clone)]
pub enum CaptureItems {
    Mail(Vec<MailItem>),
    Calendar(Vec<EventItem>),
}

/// One capture run.
#[derive(Debug, Clone)]
pub struct CaptureRequest {
    pub items: CaptureItems,
    /// Leave out what is dated before this day.
    pub since: Option<NaiveDate>,
    /// Show what would be logged; change nothing.
    pub dry_run: bool,
}

/// What a capture run did (or would do).
#[derive(Debug, Clone)]
pub struct CaptureOutcome {
    pub source: CaptureSource,
    pub dry_run: bool,
    /// Messages or events looked at.
    pub examined: usize,
    /// The touches logged, with the key of what they came from.
    pub logged: Vec<(String, Logged)>,
    /// How many were skipped, by reason (worded for people), in the order first met.
    pub skipped: Vec<(String, u32)>,
    /// The run's number (`None` when it changed nothing, or in a dry run).
    pub run: Option<u64>,
}

impl CaptureOutcome {
    /// "Captured mail: 3 touches logged; 12 skipped (9 already captured, 3 mailing list)".
    pub fn message(&self) -> String {
        let verb = if self.dry_run {
            "would be logged"
        } else {
            "logged"
        };
        let n = self.logged.len();
        let mut m = format!(
            "Captured {} ({} looked at): {n} touch{} {verb}",
            self.source.as_str(),
            self.examined,
            if n == 1 { "" } else { "es" }
        );
        let skipped: u32 = self.skipped.iter().map(|(_, c)| c).sum();
        if skipped > 0 {
            let why: Vec<String> = self
                .skipped
                .iter()
                .map(|(r, c)| format!("{c} {r}"))
                .collect();
            m.push_str(&format!("; {skipped} skipped ({})", why.join(", ")));
        }
        if self.dry_run {
            m.push_str("; nothing was changed (dry run)");
        } else if n == 0 {
            m.push_str("; nothing new");
        }
        m
    }

    /// One line per touch logged.
    pub fn lines(&self) -> Vec<String> {
        self.logged
            .iter()
            .map(|(_, l)| {
                let dir = match l.touch.direction {
                    Direction::Out => "to",
                    Direction::In => "from",
                };
                format!(
                    "  {} {} {dir} {} (t{}): {}",
                    l.touch.date, l.touch.channel, l.who, l.touch.id, l.touch.summary
                )
            })
            .collect()
    }
}

/// Run a capture in one transaction (one undo entry); a dry run aborts it, and so does a run that
/// found nothing new (an unchanged mailbox commits nothing: no write, no change for a full-screen
/// diary to notice).
pub fn capture(store: &Store, req: &CaptureRequest, today: NaiveDate) -> Result<CaptureOutcome> {
    super::commit_unless(
        store,
        "capture",
        |w| capture_in(w, req, today),
        |out| req.dry_run || out.run.is_none(),
    )
}

/// [`capture`] inside a caller's write transaction.
pub fn capture_in(
    w: &mut Writer<'_>,
    req: &CaptureRequest,
    today: NaiveDate,
) -> Result<CaptureOutcome> {
    let settings = w.settings()?;
    let mine: HashSet<String> = settings.my_addresses.iter().cloned().collect();
    let (source, examined) = match &req.items {
        CaptureItems::Mail(items) => (CaptureSource::Mail, items.len()),
        CaptureItems::Calendar(items) => (CaptureSource::Calendar, items.len()),
    };
    if source == CaptureSource::Mail && mine.is_empty() {
        return Err(ActionError::BadValue(
            "capture needs your own addresses to tell sent from received mail: `tickler settings set my_addresses 'you@example.com, you@work.example'`".to_string(),
        ));
    }
    let mut run = Run {
        mine,
        by_email: emails(w)?,
        since: req.since,
        today,
        logged: Vec::new(),
        skipped: Vec::new(),
        wrote: false,
    };
    match &req.items {
        CaptureItems::Mail(items) => {
            let mut order: Vec<&MailItem> = items.iter().collect();
            order.sort_by_key(|m| m.date);
            for m in order {
                run.mail(w, m)?;
            }
        }
        CaptureItems::Calendar(items) => {
            let mut order: Vec<&EventItem> = items.iter().collect();
            order.sort_by_key(|e| e.date);
            for e in order {
                run.event(w, e)?;
            }
        }
    }
    let id = if run.wrote {
        let id = w.new_capture_run_id()?;
        w.put_capture_run(&CaptureRun {
            id,
            date: today,
            source,
            undo_seq: w.pending_undo_seq()?,
            logged: run.logged.iter().map(|(_, l)| l.touch.id).collect(),
            skipped: run.skipped.clone(),
        })?;
        w.set_label(format!(
            "capture {}: {} touches logged",
            source.as_str(),
            run.logged.len()
        ));
        Some(id)
    } else {
        None
    };
    Ok(CaptureOutcome {
        source,
        dry_run: req.dry_run,
        examined,
        logged: run.logged,
        skipped: run.skipped,
        run: id,
    })
}

/// Every contact e-mail address (lower case) and the contacts that have it.
fn emails(w: &Writer<'_>) -> Result<HashMap<String, Vec<ContactId>>> {
    let mut by: HashMap<String, Vec<ContactId>> = HashMap::new();
    for c in w.contacts()? {
        for e in &c.emails {
            let ids = by.entry(e.trim().to_lowercase()).or_default();
            if !ids.contains(&c.id) {
                ids.push(c.id);
            }
        }
    }
    Ok(by)
}

/// The state of one run.
struct Run {
    mine: HashSet<String>,
    by_email: HashMap<String, Vec<ContactId>>,
    since: Option<NaiveDate>,
    today: NaiveDate,
    logged: Vec<(String, Logged)>,
    skipped: Vec<(String, u32)>,
    wrote: bool,
}

/// Who a message or an event is with, as the diary knows them.
struct People {
    contacts: Vec<(ContactId, Direction)>,
    /// Addresses several contacts share (not guessed between).
    shared: bool,
}

impl Run {
    fn skip(&mut self, why: &str) {
        match self.skipped.iter_mut().find(|(r, _)| r == why) {
            Some((_, n)) => *n += 1,
            None => self.skipped.push((why.to_string(), 1)),
        }
    }

    /// Whether the date is inside the run's range; skipped (and `false`) otherwise.
    fn in_range(&mut self, date: NaiveDate) -> bool {
        if self.since.is_some_and(|s| date < s) {
            self.skip("dated before --since");
            false
        } else if date > self.today {
            self.skip("not yet (dated after today)");
            false
        } else {
            true
        }
    }

    /// The contacts among `addrs` (not one's own), each with the direction `dir_of` gives.
    fn people<'a>(
        &self,
        addrs: impl Iterator<Item = &'a Addr>,
        dir_of: impl Fn(&Addr) -> Direction,
    ) -> People {
        let mut p = People {
            contacts: Vec::new(),
            shared: false,
        };
        for a in addrs.filter(|a| !self.mine.contains(&a.address)) {
            match self.by_email.get(&a.address).map(Vec::as_slice) {
                Some([one]) => {
                    if !p.contacts.iter().any(|(c, _)| c == one) {
                        p.contacts.push((*one, dir_of(a)));
                    }
                }
                Some([]) | None => {}
                Some(_) => p.shared = true,
            }
        }
        p
    }

    fn mail(&mut self, w: &mut Writer<'_>, m: &MailItem) -> Result<()> {
        let Some(date) = m.date else {
            self.skip("no date");
            return Ok(());
        };
        if !self.in_range(date) {
            return Ok(());
        }
        if let Some(b) = m.bulk {
            self.skip(b.as_str());
            return Ok(());
        }
        let prior = w.captured(&m.key)?;
        if prior.as_ref().is_some_and(|c| !c.touches.is_empty()) {
            self.skip("already captured");
            return Ok(());
        }
        let from_me = m
            .from
            .as_ref()
            .is_some_and(|f| self.mine.contains(&f.address));
        let to_me = m.to.iter().any(|a| self.mine.contains(&a.address));
        let people = if from_me {
            self.people(m.to.iter(), |_| Direction::Out)
        } else if to_me {
            self.people(m.from.iter(), |_| Direction::In)
        } else {
            self.skip("not from or to your addresses");
            return Ok(());
        };
        if people.contacts.is_empty() {
            let stranger = (!from_me).then(|| m.from.clone()).flatten();
            if people.shared {
                self.skip("address shared by several contacts");
            } else {
                self.skip("nobody in the diary");
            }
            if prior.is_none() && stranger.is_some() {
                self.remember(w, &m.key, date, Vec::new(), stranger)?;
            }
            return Ok(());
        }
        let touches = self.log(w, &m.key, &people, date, Channel::Email, &m.subject)?;
        self.remember(w, &m.key, date, touches, None)
    }

    fn event(&mut self, w: &mut Writer<'_>, e: &EventItem) -> Result<()> {
        if e.cancelled {
            self.skip("cancelled");
            return Ok(());
        }
        if !self.in_range(e.date) {
            return Ok(());
        }
        let prior = w.captured(&e.key)?;
        if prior.as_ref().is_some_and(|c| !c.touches.is_empty()) {
            self.skip("already captured");
            return Ok(());
        }
        let organizer = e.organizer.as_ref().map(|o| o.address.clone());
        let people = self.people(e.organizer.iter().chain(e.attendees.iter()), |a| {
            if organizer.as_deref() == Some(a.address.as_str()) {
                Direction::In
            } else {
                Direction::Out
            }
        });
        if people.contacts.is_empty() {
            self.skip(if people.shared {
                "address shared by several contacts"
            } else {
                "nobody in the diary"
            });
            return Ok(());
        }
        let touches = self.log(w, &e.key, &people, e.date, Channel::Meeting, &e.summary)?;
        self.remember(w, &e.key, e.date, touches, None)
    }

    /// Log one touch per contact through the log action; a refusal skips that contact.
    fn log(
        &mut self,
        w: &mut Writer<'_>,
        key: &str,
        people: &People,
        date: NaiveDate,
        channel: Channel,
        summary: &str,
    ) -> Result<Vec<TouchId>> {
        let mut touches = Vec::new();
        for (id, direction) in &people.contacts {
            let req = LogRequest {
                contact: ContactRef::Id(*id),
                channel: Some(channel),
                date,
                direction: *direction,
                summary: summary.to_string(),
                // What they sent does not do what we planned to do; what we sent does.
                completes: match direction {
                    Direction::Out => Completes::Fulfilled,
                    Direction::In => Completes::Nothing,
                },
            };
            match log_in(w, &req, self.today) {
                Ok(l) => {
                    touches.push(l.touch.id);
                    self.logged.push((key.to_string(), l));
                }
                Err(e) if e.is_store() => return Err(e),
                Err(_) => self.skip("refused by the log's rules"),
            }
        }
        Ok(touches)
    }

    fn remember(
        &mut self,
        w: &mut Writer<'_>,
        key: &str,
        date: NaiveDate,
        touches: Vec<TouchId>,
        stranger: Option<Addr>,
    ) -> Result<()> {
        w.put_captured(&Captured {
            key: key.to_string(),
            date,
            touches,
            // An address no contact could have (control characters, no domain) is no
            // possible contact: the message is remembered, the stranger is not.
            stranger: stranger
                .filter(|a| crate::model::validate::email(&a.address).is_ok())
                .map(|a| Correspondent {
                    address: a.address,
                    name: a.name,
                }),
        })?;
        self.wrote = true;
        Ok(())
    }
}

/// Someone who wrote often from an address no contact has: a possible new contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleContact {
    pub address: String,
    pub name: String,
    /// Messages captured from them.
    pub messages: u32,
    pub last: NaiveDate,
}

/// At least this many messages make a stranger a possible new contact.
pub const WRITES_OFTEN: u32 = 3;

/// The strangers who wrote at least [`WRITES_OFTEN`] times and are still nobody in the diary,
/// most messages first.
pub fn possible_contacts(store: &Store) -> Result<Vec<PossibleContact>> {
    let known: HashSet<String> = store
        .contacts()?
        .iter()
        .flat_map(|c| c.emails.iter().map(|e| e.trim().to_lowercase()))
        .collect();
    let mut by: BTreeMap<String, PossibleContact> = BTreeMap::new();
    for c in store.captured()? {
        let Some(s) = c.stranger else { continue };
        if known.contains(&s.address) {
            continue;
        }
        let e = by.entry(s.address.clone()).or_insert(PossibleContact {
            address: s.address,
            name: String::new(),
            messages: 0,
            last: c.date,
        });
        e.messages += 1;
        if c.date >= e.last || e.name.is_empty() {
            e.last = e.last.max(c.date);
            if !s.name.is_empty() {
                e.name = s.name;
            }
        }
    }
    let mut out: Vec<PossibleContact> = by
        .into_values()
        .filter(|p| p.messages >= WRITES_OFTEN)
        .collect();
    out.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.address.cmp(&b.address)));
    Ok(out)
}
