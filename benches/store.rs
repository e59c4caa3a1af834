//! Store benchmarks over the demo diary: `roster()` (what every planner report reads) and
//! `snapshot()` (full contacts, for listings and the TUI) at 10,000 contacts, and `roster()` at
//! 100,000. Each database is a temporary file filled once by `load_bulk`, then reopened as the CLI
//! opens it (read-only until the first write). mimalloc is the allocator, as in the binary.
//!
//! `action held` / `action released` (10k and 100k): the store side of one TUI action that logs
//! a touch (read the contact, write, read the change count), with the file held throughout, and as
//! the TUI now does it: released after the action (`Store::release`), so the action reopens it
//! read-only, then writable, and the next tick reopens it once more to read the change count.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tickler::model::{Channel, ContactId, Direction, Touch, TouchState};
use tickler::store::Store;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// A demo diary of `contacts` contacts in a new temporary file, reopened. The directory must
/// outlive the store.
fn demo_store(contacts: usize) -> (tempfile::TempDir, Store) {
    let dir = or_stop(tempfile::tempdir(), "temporary directory");
    let path = dir.path().join("bench.tickler");
    {
        let store = or_stop(Store::open(&path), "new database");
        let bulk = tickler::demo::generate(contacts, 1, today());
        or_stop(store.load_bulk(bulk), "demo data");
    }
    let store = or_stop(Store::open(&path), "reopen");
    (dir, store)
}

fn store(c: &mut Criterion) {
    let (_dir, small) = demo_store(10_000);
    c.bench_function("roster 10k", |b| {
        b.iter(|| black_box(or_stop(small.roster(), "roster")))
    });
    c.bench_function("snapshot 10k", |b| {
        b.iter(|| black_box(or_stop(small.snapshot(), "snapshot")))
    });
    actions(c, &small, "10k");
    drop(small);
    let (_dir, large) = demo_store(100_000);
    c.bench_function("roster 100k", |b| {
        b.iter(|| black_box(or_stop(large.roster(), "roster")))
    });
    actions(c, &large, "100k");
}

/// One logged touch, as the TUI's `d` does it in the store (less the roster refresh, the same
/// either way).
fn action(store: &Store) -> u64 {
    let id = ContactId(1);
    or_stop(store.contact(id), "contact");
    or_stop(
        store.write("log", |w| {
            let tid = w.new_touch_id()?;
            w.put_touch(&Touch {
                id: tid,
                contact: id,
                date: today(),
                channel: Channel::Call,
                direction: Direction::Out,
                summary: "called".into(),
                state: TouchState::Done,
            })
        }),
        "write",
    );
    or_stop(store.changes(), "changes")
}

fn actions(c: &mut Criterion, store: &Store, size: &str) {
    c.bench_function(&format!("action held {size}"), |b| {
        b.iter(|| black_box(action(store)))
    });
    c.bench_function(&format!("action released {size}"), |b| {
        b.iter(|| {
            let n = action(store);
            or_stop(store.release(), "release");
            // The next tick: the file's stamp moved, so the change count is read once more.
            or_stop(store.hold(std::time::Duration::ZERO), "hold");
            black_box(or_stop(store.changes(), "changes"));
            or_stop(store.release(), "release");
            n
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = store
}
criterion_main!(benches);
