//! Benchmarks of issue 14's figures, each on a diary in a temporary file (as the CLI opens it):
//!
//! - `capture mail 10k`: read the headers of a Maildir of 10,000 messages and capture them into
//!   a diary of 1,000 contacts (about a third of the messages are with contacts, a tenth are
//!   mailing-list mail, the rest with strangers): the whole `tickler capture mail` minus
//!   process start. Target: under 2 s.
//! - `recapture unchanged 10k`: the same Maildir again, every message already captured.
//!   Target: under 0.3 s.
//! - `read headers 10k`: only the reading part of the two above (walk, read, parse).
//! - `campaign log 1k`: one `log` of a newsletter to a category of 1,000 contacts, one
//!   transaction. Target: under 1 s.
//!
//! The Maildir is generated here (synthetic messages with the headers real mail has); the
//! fixtures from other programs are what the tests read.

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use tickler::actions::capture::{CaptureItems, CaptureRequest, capture};
use tickler::actions::{
    AddRequest, BatchAction, BatchRequest, CategoryAdd, Completes, ContactRef, LogRequest,
    Selection, add_in, batch, category_add,
};
use tickler::model::{Cadence, Channel, Direction};
use tickler::store::Store;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MESSAGES: usize = 10_000;
const CONTACTS: usize = 1_000;
const ME: &str = "me@example.org";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or(NaiveDate::MIN)
}

/// The value, or stop the bench with what failed.
fn or_stop<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

/// A diary of `CONTACTS` contacts (`c{i}@example.com`) in the category "Prospects", with
/// `my_addresses` set, in a new file. The directory must outlive the store.
fn diary() -> (tempfile::TempDir, Store) {
    let dir = or_stop(tempfile::tempdir(), "temporary directory");
    let store = or_stop(Store::open(&dir.path().join("bench.redb")), "new database");
    or_stop(
        tickler::actions::setting_set(&store, "my_addresses", ME),
        "my_addresses",
    );
    let cat = CategoryAdd {
        name: "Prospects".into(),
        cadence: Cadence::days(30),
        priority: 3,
        channels: Vec::new(),
        broadcasts_suffice: false,
        description: String::new(),
    };
    or_stop(category_add(&store, &cat), "category");
    or_stop(
        store.transact::<_, tickler::actions::ActionError>("bench contacts", |w| {
            for i in 0..CONTACTS {
                let req = AddRequest {
                    name: format!("Contact {i}"),
                    emails: vec![format!("c{i}@example.com")],
                    category: Some("Prospects".into()),
                    ..AddRequest::default()
                };
                add_in(w, &req, today())?;
            }
            Ok(())
        }),
        "contacts",
    );
    (dir, store)
}

/// One message's headers and a short body, as mail programs write them.
fn message(i: usize) -> String {
    let day = 1 + i % 28;
    let (from, to) = match i % 10 {
        0 => (format!("list-{i}@lists.example.net"), ME.to_string()),
        1..=3 => (format!("c{}@example.com", i % CONTACTS), ME.to_string()),
        4 => (ME.to_string(), format!("c{}@example.com", i % CONTACTS)),
        _ => (
            format!("stranger{}@elsewhere.example", i % 500),
            ME.to_string(),
        ),
    };
    let list = if i.is_multiple_of(10) {
        "List-Id: <news.lists.example.net>\nPrecedence: list\n"
    } else {
        ""
    };
    format!(
        "Return-Path: <{from}>\nReceived: from mx.example.net by mail.example.org; Tue, {day} Sep 2026 10:00:00 +0000\nDate: Tue, {day} Sep 2026 10:{:02}:00 +0200\nFrom: Someone <{from}>\nTo: <{to}>\nSubject: =?UTF-8?Q?Message_n=C2=B0{i}?=\nMessage-ID: <{i}.bench@example.org>\n{list}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nHello,\n\n{}\n",
        i % 60,
        "A line of body text that capture never reads.\n".repeat(20)
    )
}

/// A Maildir of `MESSAGES` messages.
fn maildir(root: &Path) -> PathBuf {
    let md = root.join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        or_stop(std::fs::create_dir_all(md.join(sub)), "maildir");
    }
    for i in 0..MESSAGES {
        let sub = if i.is_multiple_of(7) { "new" } else { "cur" };
        let path = md.join(sub).join(format!("{i}.M{i}P1.bench:2,S"));
        let mut f = or_stop(std::fs::File::create(path), "message file");
        or_stop(f.write_all(message(i).as_bytes()), "message");
    }
    md
}

fn run_capture(store: &Store, md: &Path) -> usize {
    let read = or_stop(
        tickler::capture::mail::read_paths(&[md.to_path_buf()]),
        "read",
    );
    let req = CaptureRequest {
        items: CaptureItems::Mail(read.items),
        since: None,
        dry_run: false,
    };
    or_stop(capture(store, &req, today()), "capture")
        .logged
        .len()
}

fn capture_benches(c: &mut Criterion) {
    let mail_dir = or_stop(tempfile::tempdir(), "temporary directory");
    let md = maildir(mail_dir.path());
    let mut g = c.benchmark_group("capture");
    g.sample_size(10);
    g.bench_function("capture mail 10k", |b| {
        b.iter_batched(
            diary,
            |(dir, store)| {
                black_box(run_capture(&store, &md));
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    // The part of both that is reading files: headers of 10,000 messages, parsed.
    g.bench_function("read headers 10k", |b| {
        b.iter(|| {
            let read = or_stop(
                tickler::capture::mail::read_paths(&[md.to_path_buf()]),
                "read",
            );
            assert_eq!(read.items.len(), MESSAGES);
            black_box(read)
        })
    });
    let (_dir, store) = diary();
    let first = run_capture(&store, &md);
    assert!(first > 0, "the first capture logs touches");
    g.bench_function("recapture unchanged 10k", |b| {
        b.iter(|| {
            let n = run_capture(&store, &md);
            assert_eq!(n, 0, "an unchanged Maildir adds nothing");
        })
    });
    g.bench_function("campaign log 1k", |b| {
        b.iter_batched(
            diary,
            |(dir, store)| {
                let req = BatchRequest {
                    selection: Selection {
                        category: Some("Prospects".into()),
                        ..Selection::default()
                    },
                    action: BatchAction::Log(LogRequest {
                        contact: ContactRef::Query(String::new()),
                        channel: Some(Channel::Newsletter),
                        date: today(),
                        direction: Direction::Out,
                        summary: "November issue".into(),
                        completes: Completes::Fulfilled,
                    }),
                    force: false,
                    dry_run: false,
                    piece: None,
                };
                let out = or_stop(batch(&store, &req, today()), "campaign");
                assert_eq!(out.done().count(), CONTACTS);
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, capture_benches);
criterion_main!(benches);
