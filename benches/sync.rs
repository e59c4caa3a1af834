//! Sync benchmarks, tickler's own side (a vdir in a temporary directory, so a server's time is
//! not in the figures; against Radicale see `tests/integration/sync/measure.rs` and README.md):
//! the first sync of a 1,000-contact demo diary (every card, follow-up and history item written),
//! a sync with nothing changed, and a sync after one logged touch. Each diary is a temporary file,
//! as the CLI uses it. mimalloc is the allocator, as in the binary.

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tickler::actions::{Completes, LogRequest};
use tickler::model::{Channel, ContactId, Direction};
use tickler::store::Store;
use tickler::sync::account::{self, Account};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or(NaiveDate::MIN)
}

fn or_stop<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

/// A 1,000-contact demo diary and an empty vdir for it, in one temporary directory.
fn fresh() -> (tempfile::TempDir, Store, Account) {
    let dir = or_stop(tempfile::tempdir(), "temporary directory");
    let store = or_stop(
        Store::open(&dir.path().join("bench.tickler")),
        "new database",
    );
    or_stop(
        store.load_bulk(tickler::demo::generate(1000, 1, today())),
        "demo data",
    );
    let acct = Account {
        url: dir.path().join("dav").display().to_string(),
        username: None,
        password_command: None,
    };
    (dir, store, acct)
}

fn sync(store: &Store, acct: &Account) -> usize {
    let r = or_stop(account::run(store, acct, today(), false), "sync");
    r.created.total() + r.updated.total() + r.applied.len()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sync vdir 1k");
    g.sample_size(10);
    g.bench_function("first sync", |b| {
        b.iter_batched(
            fresh,
            |(dir, store, acct)| {
                black_box(sync(&store, &acct));
                (dir, store)
            },
            BatchSize::PerIteration,
        );
    });
    let (_dir, store, acct) = fresh();
    sync(&store, &acct);
    g.bench_function("no change", |b| b.iter(|| black_box(sync(&store, &acct))));
    g.bench_function("after one touch", |b| {
        b.iter_batched(
            || {
                let req = LogRequest {
                    contact: ContactId(7).into(),
                    channel: Some(Channel::Call),
                    date: today(),
                    direction: Direction::Out,
                    summary: "a call".into(),
                    completes: Completes::Nothing,
                };
                or_stop(tickler::actions::log(&store, &req, today()), "log");
            },
            |()| black_box(sync(&store, &acct)),
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
