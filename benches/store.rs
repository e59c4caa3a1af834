//! Store benchmarks over the demo diary: `roster()` (what every planner report reads) and
//! `snapshot()` (full contacts, for listings and the TUI) at 10,000 contacts, and `roster()` at
//! 100,000. Each database is a temporary file filled once by `load_bulk`, then reopened as the CLI
//! opens it (read-only until the first write). mimalloc is the allocator, as in the binary.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tickler::store::Store;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or(NaiveDate::MIN)
}

/// A demo diary of `contacts` contacts in a new temporary file, reopened. The directory must
/// outlive the store.
fn demo_store(contacts: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("bench.tickler");
    {
        let store = Store::open(&path).expect("new database");
        store
            .load_bulk(tickler::demo::generate(contacts, 1, today()))
            .expect("demo data");
    }
    let store = Store::open(&path).expect("reopen");
    (dir, store)
}

fn store(c: &mut Criterion) {
    let (_dir, small) = demo_store(10_000);
    c.bench_function("roster 10k", |b| {
        b.iter(|| black_box(small.roster().expect("roster")))
    });
    c.bench_function("snapshot 10k", |b| {
        b.iter(|| black_box(small.snapshot().expect("snapshot")))
    });
    drop(small);
    if std::env::var_os("SMALL_ONLY").is_some() {
        return;
    }
    let (_dir, large) = demo_store(100_000);
    c.bench_function("roster 100k", |b| {
        b.iter(|| black_box(large.roster().expect("roster")))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = store
}
criterion_main!(benches);
