//! Crash safety: writers are killed with SIGKILL at random moments, hundreds of times; after every
//! kill the database is reopened and must hold every write that was acknowledged, pass redb's
//! integrity check and keep tickler's invariants (indexes and roster rows match the records).
//!
//! Two kinds of writer:
//! - the real binary: a loop of `tickler log` processes, each acknowledged by exit 0, each killed
//!   after a random delay (during start-up, the open, crash recovery, the write or the close);
//! - a long-lived writer (this test binary re-running itself as `writer_child`) that adds contacts,
//!   touches and sales and edits notes through `Store::write`, printing an ack after each commit,
//!   killed at a random moment in its stream of writes.
//!
//! Seeded: `TICKLER_CRASH_SEED` (default below) and `TICKLER_CRASH_KILLS` (kills per writer kind,
//! default 100, so at least 200 a run). SIGKILL ends the process, not the machine: the kernel's
//! page cache survives, so this proves tickler's and redb's commit protocol against process crashes,
//! not a disk's honesty about fsync.

mod store_support;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use store_support::{env_count, open_and_check, rng, seeded_db, tickler, today};
use tickler::model::{
    Channel, Contact, ContactId, Direction, Sale, SaleId, Touch, TouchId, TouchState,
};
use tickler::store::Store;

const DEFAULT_SEED: u64 = 20_261_124;

/// What the writers acknowledged, and what a reopened database must therefore hold.
#[derive(Default)]
struct Acked {
    /// Touches logged by `tickler log`, by summary.
    cli_touches: Vec<String>,
    /// Records written by the writer child: id -> what it must hold.
    contacts: BTreeMap<u64, String>,
    touches: BTreeMap<u64, String>,
    sales: BTreeMap<u64, i64>,
    /// Contact -> the highest notes version acknowledged (a later unacknowledged one may be there).
    notes: BTreeMap<u64, u64>,
}

impl Acked {
    fn count(&self) -> usize {
        self.cli_touches.len()
            + self.contacts.len()
            + self.touches.len()
            + self.sales.len()
            + self.notes.len()
    }

    /// Every acknowledged write that `s` does not hold, described.
    fn missing(&self, s: &Store, cli_contacts: &[ContactId]) -> Vec<String> {
        let mut lost = Vec::new();
        let mut summaries = HashSet::new();
        for c in cli_contacts {
            for t in s.touches_of(*c).unwrap() {
                summaries.insert(t.summary);
            }
        }
        for want in &self.cli_touches {
            if !summaries.contains(want) {
                lost.push(format!("tickler log '{want}'"));
            }
        }
        for (id, name) in &self.contacts {
            match s.contact(ContactId(*id)).unwrap() {
                Some(c) if &c.name == name => {}
                other => lost.push(format!("contact {id} '{name}': found {other:?}")),
            }
        }
        for (id, summary) in &self.touches {
            match s.touch(TouchId(*id)).unwrap() {
                Some(t) if &t.summary == summary => {}
                other => lost.push(format!("touch {id} '{summary}': found {other:?}")),
            }
        }
        for (id, cents) in &self.sales {
            match s.sale(SaleId(*id)).unwrap() {
                Some(x) if x.amount_cents == *cents => {}
                other => lost.push(format!("sale {id} of {cents}: found {other:?}")),
            }
        }
        for (id, version) in &self.notes {
            let notes = s.contact(ContactId(*id)).unwrap().map(|c| c.notes);
            let found = notes
                .as_deref()
                .and_then(|n| n.strip_prefix("v"))
                .and_then(|v| v.parse::<u64>().ok());
            if found.is_none_or(|f| f < *version) {
                lost.push(format!("notes v{version} of contact {id}: found {notes:?}"));
            }
        }
        lost
    }
}

/// Tallies of one run, printed as the summary line.
#[derive(Default)]
struct Tally {
    kills: usize,
    survived: usize,
    /// Writer processes that finished (exit 0) before their kill came.
    completed: usize,
    /// Writer-child kills after its first acknowledged write (in its stream of writes), and
    /// before it (during start-up, the open and crash recovery).
    mid_stream: usize,
    at_start: usize,
    failures: Vec<String>,
}

impl Tally {
    fn line(&self, acked: &Acked, lost: usize) -> String {
        format!(
            "kills survived: {}/{}, writes acknowledged: {}, writes lost: {lost} ({} tickler log processes finished before their kill; writer kills: {} mid-stream, {} during start-up)",
            self.survived,
            self.kills,
            acked.count(),
            self.completed,
            self.mid_stream,
            self.at_start
        )
    }
}

/// Kill `child` (SIGKILL) if it is still running; whether the kill hit a live process.
fn kill(child: &mut Child) -> bool {
    let alive = child.try_wait().unwrap().is_none();
    if alive {
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no close
    }
    alive
}

/// After a kill: reopen, check, and compare with what was acknowledged. `Err` describes the
/// failure (lost writes or a failed check).
fn verify(
    path: &Path,
    acked: &Acked,
    cli_contacts: &[ContactId],
    lost: &mut usize,
) -> Result<(), String> {
    let s = open_and_check(path)?;
    let missing = acked.missing(&s, cli_contacts);
    *lost = missing.len();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} acknowledged writes lost: {:?}",
            missing.len(),
            &missing[..missing.len().min(5)]
        ))
    }
}

/// The real binary, killed at random: each `tickler log` that exits 0 is acknowledged.
fn cli_rounds(
    path: &Path,
    rng: &mut ChaCha8Rng,
    target: usize,
    contacts: &[ContactId],
    acked: &mut Acked,
    tally: &mut Tally,
) {
    // How long one `tickler log` takes here, so the kills spread over its whole life.
    let mut spans = Vec::new();
    for i in 0..3 {
        let summary = format!("calibrate {i}");
        let started = Instant::now();
        let status = log_command(path, contacts[0], &summary)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "tickler log failed: {status}");
        spans.push(started.elapsed());
        acked.cli_touches.push(summary);
    }
    spans.sort();
    let span = spans[1].as_micros() as u64;
    let mut n = 0u64;
    let mut rounds = 0;
    let start_kills = tally.kills;
    while tally.kills - start_kills < target {
        rounds += 1;
        assert!(
            rounds < target * 10,
            "the kills keep missing: {rounds} rounds"
        );
        n += 1;
        let summary = format!("cli {n}");
        let contact = contacts[rng.random_range(0..contacts.len())];
        let mut child = log_command(path, contact, &summary)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Up to 1.2 spans: most kills land in the process's life, some after it ended.
        let delay = rng.random_range(0..=span + span / 5);
        std::thread::sleep(Duration::from_micros(delay));
        if kill(&mut child) {
            child.wait().unwrap();
            tally.kills += 1;
        } else {
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                acked.cli_touches.push(summary);
                tally.completed += 1;
            } else {
                tally.failures.push(format!(
                    "tickler log after a crash failed ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            continue;
        }
        let mut lost = 0;
        match verify(path, acked, contacts, &mut lost) {
            Ok(()) => tally.survived += 1,
            Err(e) => tally.failures.push(format!(
                "after CLI kill {} (delay {delay} µs): {e}",
                tally.kills
            )),
        }
    }
}

fn log_command(path: &Path, contact: ContactId, summary: &str) -> Command {
    let mut cmd = tickler(path);
    cmd.args(["log", &format!("c{}", contact.0), "--in", "-s", summary]);
    cmd
}

/// Child half of the long-lived writer: writes until killed, printing one ack line per commit.
#[test]
#[ignore = "run by acknowledged_writes_survive_random_sigkills in a child process"]
fn writer_child() {
    use std::io::Write;
    let Some(path) = std::env::var_os("TICKLER_CRASH_CHILD_DB") else {
        return;
    };
    let seed: u64 = std::env::var("TICKLER_CRASH_CHILD_SEED")
        .unwrap()
        .parse()
        .unwrap();
    let mut rng = <ChaCha8Rng as rand::SeedableRng>::seed_from_u64(seed);
    let s = Store::open(Path::new(&path)).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    let contacts: Vec<u64> = s.contacts().unwrap().iter().map(|c| c.id.0).collect();
    for i in 0u64.. {
        let tag = format!("{seed}-{i}");
        let line = match rng.random_range(0..10u8) {
            0 => {
                let name = format!("Child {tag}");
                let id = s
                    .write("add", |w| {
                        let id = w.new_contact_id()?;
                        w.put_contact(&Contact::new(id, &name, today()))?;
                        Ok(id)
                    })
                    .unwrap();
                format!("contact {} {name}", id.0)
            }
            1 | 2 => {
                let c = ContactId(contacts[rng.random_range(0..contacts.len())]);
                let cents = rng.random_range(1..1_000_000i64);
                let id = s
                    .write("sale", |w| {
                        let id = w.new_sale_id()?;
                        w.put_sale(&Sale {
                            id,
                            contact: c,
                            date: today(),
                            amount_cents: cents,
                            currency: "EUR".into(),
                            note: String::new(),
                        })?;
                        Ok(id)
                    })
                    .unwrap();
                format!("sale {} {cents}", id.0)
            }
            3 => {
                let c = contacts[rng.random_range(0..contacts.len())];
                // Versions grow across children: each child has a larger seed.
                let version = seed * 1_000_000 + i;
                s.write("notes", |w| {
                    let Some(mut contact) = w.contact(ContactId(c))? else {
                        return Ok(());
                    };
                    contact.notes = format!("v{version}");
                    w.put_contact(&contact)
                })
                .unwrap();
                format!("notes {c} {version}")
            }
            _ => {
                let c = ContactId(contacts[rng.random_range(0..contacts.len())]);
                let summary = format!("child {tag}");
                let planned = rng.random_range(0..2u8) == 0;
                let id = s
                    .write("touch", |w| {
                        let id = w.new_touch_id()?;
                        w.put_touch(&Touch {
                            id,
                            contact: c,
                            date: today() + chrono::Days::new(i % 60),
                            channel: Channel::Email,
                            direction: Direction::Out,
                            summary: summary.clone(),
                            state: if planned {
                                TouchState::Planned
                            } else {
                                TouchState::Done
                            },
                        })?;
                        Ok(id)
                    })
                    .unwrap();
                format!("touch {} {summary}", id.0)
            }
        };
        writeln!(out, "{line}").unwrap();
        out.flush().unwrap();
    }
}

/// Record one ack line of the writer child.
fn record_ack(acked: &mut Acked, line: &str) {
    let mut parts = line.splitn(3, ' ');
    let (kind, id, rest) = (
        parts.next().unwrap_or(""),
        parts.next().and_then(|s| s.parse::<u64>().ok()),
        parts.next().unwrap_or(""),
    );
    let Some(id) = id else { return };
    match kind {
        "contact" => {
            acked.contacts.insert(id, rest.to_string());
        }
        "touch" => {
            acked.touches.insert(id, rest.to_string());
        }
        "sale" => {
            acked.sales.insert(id, rest.parse().unwrap());
        }
        "notes" => {
            let v: u64 = rest.parse().unwrap();
            let e = acked.notes.entry(id).or_insert(0);
            *e = (*e).max(v);
        }
        _ => {}
    }
}

fn child_command(path: &Path, seed: u64) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["writer_child", "--exact", "--ignored", "--nocapture"])
        .env("TICKLER_CRASH_CHILD_DB", path)
        .env("TICKLER_CRASH_CHILD_SEED", seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    cmd
}

/// Run one writer child, kill it after `delay`, and return its ack lines (drained to the end: a
/// line the child printed before it died was acknowledged).
fn run_child(path: &Path, seed: u64, delay: Duration) -> (bool, Vec<String>) {
    let mut child = child_command(path, seed).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    std::thread::sleep(delay);
    let hit = kill(&mut child);
    child.wait().unwrap();
    (hit, reader.join().unwrap())
}

fn child_rounds(
    path: &Path,
    rng: &mut ChaCha8Rng,
    target: usize,
    contacts: &[ContactId],
    acked: &mut Acked,
    tally: &mut Tally,
) {
    // How long the child takes to start and open the store, and how fast it writes.
    let started = Instant::now();
    let (_, lines) = run_child(path, 1, Duration::from_millis(300));
    let calibration = started.elapsed();
    assert!(
        lines.iter().any(|l| l == "ready"),
        "the writer child did not start: {lines:?}"
    );
    for l in &lines {
        record_ack(acked, l);
    }
    let writes = lines
        .iter()
        .skip_while(|l| *l != "ready")
        .count()
        .saturating_sub(1)
        .max(1);
    // From start-up (kills during the open and crash recovery) to a few dozen writes in.
    let per_write = calibration.as_micros() as u64 / writes as u64;
    let max_delay = 40_000 + per_write * 15;
    let start_kills = tally.kills;
    let mut round = 0u64;
    while tally.kills - start_kills < target {
        round += 1;
        assert!(round < target as u64 * 10, "the kills keep missing");
        let seed = 2 + round;
        let delay = Duration::from_micros(rng.random_range(0..=max_delay));
        let (hit, lines) = run_child(path, seed, delay);
        if lines.is_empty() && !hit {
            tally.failures.push(format!(
                "writer child {seed} exited by itself before starting"
            ));
            continue;
        }
        let acks_before = acked.count();
        for l in &lines {
            record_ack(acked, l);
        }
        if !hit {
            tally.failures.push(format!(
                "writer child {seed} exited by itself (a write failed?) after {} acks",
                acked.count() - acks_before
            ));
            continue;
        }
        tally.kills += 1;
        let writes_this_run = lines.iter().skip_while(|l| *l != "ready").skip(1).count();
        if writes_this_run > 0 {
            tally.mid_stream += 1;
        } else {
            tally.at_start += 1;
        }
        let mut lost = 0;
        match verify(path, acked, contacts, &mut lost) {
            Ok(()) => tally.survived += 1,
            Err(e) => tally.failures.push(format!(
                "after writer kill {} (child {seed}, delay {delay:?}, {} acks this run): {e}",
                tally.kills,
                acked.count() - acks_before
            )),
        }
    }
}

#[test]
fn acknowledged_writes_survive_random_sigkills() {
    let (seed, mut rng) = rng("TICKLER_CRASH_SEED", DEFAULT_SEED);
    let per_kind = env_count("TICKLER_CRASH_KILLS", 100);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.tickler");
    let contacts = seeded_db(&path, 6);
    let mut acked = Acked::default();
    let mut tally = Tally::default();
    let started = Instant::now();

    cli_rounds(&path, &mut rng, per_kind, &contacts, &mut acked, &mut tally);
    let cli_secs = started.elapsed().as_secs_f64();
    child_rounds(&path, &mut rng, per_kind, &contacts, &mut acked, &mut tally);

    let mut lost = 0;
    let last = verify(&path, &acked, &contacts, &mut lost);
    let line = tally.line(&acked, lost);
    eprintln!(
        "reliability_crash (seed {seed}): {line}; {cli_secs:.1} s for the tickler log kills, {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    assert!(
        tally.failures.is_empty() && last.is_ok(),
        "{line} (seed {seed}; rerun with TICKLER_CRASH_SEED={seed}): {:?} {last:?}",
        &tally.failures[..tally.failures.len().min(10)]
    );
    assert!(tally.kills >= 2 * per_kind, "{line}");
    assert_eq!(tally.survived, tally.kills, "{line}");
    // Most writer kills land in its stream of writes, not before it.
    assert!(tally.mid_stream >= per_kind / 2, "{line}");
    // The writes really happened: both writers were acknowledged many times.
    assert!(
        acked.cli_touches.len() >= 3 && acked.touches.len() >= per_kind,
        "{line}: too few acknowledged writes to mean anything"
    );
}

/// Start after a crash, measured (not a CI test: run it in release, it builds a 100,000-contact
/// diary first):
/// `cargo test --release --test reliability_crash -- --ignored reopen --nocapture`.
/// A writer is killed (SIGKILL) in the middle of a stream of writes to the demo diary, then the
/// next open is timed: in-process `Store::open` (redb's recovery plus tickler's open) and a whole
/// `tickler agenda` process (and the same after a clean close); 20 rounds each, medians printed;
/// the reopen is held to the 300 ms.
#[test]
#[ignore = "a measurement: run in release, see the doc comment"]
fn reopen_after_sigkill_of_the_100k_demo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.redb");
    let made = Instant::now();
    let out = tickler(&path)
        .args(["demo", "--contacts", "100000"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "demo diary: {} bytes in {:.1} s",
        std::fs::metadata(&path).unwrap().len(),
        made.elapsed().as_secs_f64()
    );
    let rounds = env_count("TICKLER_REOPEN_ROUNDS", 20);
    // Kill a writer after it has acknowledged a few writes (so it is mid-stream).
    let crash = |seed: u64| {
        let mut child = child_command(&path, seed).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut acks = 0;
        while let Some(Ok(l)) = lines.next() {
            if l != "ready" && !l.is_empty() && !l.starts_with("running") {
                acks += 1;
                if acks == 5 {
                    break;
                }
            }
        }
        assert_eq!(acks, 5, "the writer did not get going");
        assert!(kill(&mut child));
        child.wait().unwrap();
    };
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut open_ms = Vec::new();
    let mut agenda_ms = Vec::new();
    let mut clean_open_ms = Vec::new();
    let mut clean_agenda_ms = Vec::new();
    for round in 0..rounds as u64 {
        crash(1000 + 2 * round);
        let t = Instant::now();
        let s = Store::open(&path).unwrap();
        open_ms.push(t.elapsed());
        drop(s);
        let t = Instant::now();
        drop(Store::open(&path).unwrap());
        clean_open_ms.push(t.elapsed());
        crash(1001 + 2 * round);
        let t = Instant::now();
        let out = tickler(&path)
            .args(["agenda"])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        agenda_ms.push(t.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The same command again, after a clean close: what the agenda itself costs.
        let t = Instant::now();
        let out = tickler(&path)
            .args(["agenda"])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        clean_agenda_ms.push(t.elapsed());
        assert!(out.status.success());
    }
    let (open, agenda, clean, clean_agenda) = (
        median(open_ms),
        median(agenda_ms),
        median(clean_open_ms),
        median(clean_agenda_ms),
    );
    eprintln!(
        "reopen after SIGKILL, median of {rounds}: Store::open {open:?} (after a clean close {clean:?}); whole `tickler agenda` {agenda:?} (after a clean close {clean_agenda:?})"
    );
    let s = open_and_check(&path).unwrap();
    assert!(s.contact_count().unwrap() >= 100_000);
    assert!(open < Duration::from_millis(300), "{open:?}");
    // The whole command's time is mostly the agenda over 100,000 contacts (and the machine's
    // load); the crash must add little to it.
    assert!(
        agenda < clean_agenda + Duration::from_millis(100),
        "{agenda:?} after a crash, {clean_agenda:?} after a clean close"
    );
}
