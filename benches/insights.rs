//! Insights over the 100,000-contact demo diary: every figure of the pane and of
//! `tickler insights` from data already in memory (the pure `planner::insights`, target < 50 ms),
//! and the same with the store reads (`actions::insights` on an in-memory store).

use chrono::{Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tickler::planner::{self, Diary};
use tickler::store::Store;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn or_stop<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

fn insights(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or(NaiveDate::MIN);
    let store = or_stop(Store::in_memory(), "in-memory store");
    or_stop(
        store.load_bulk(tickler::demo::generate(100_000, 1, today)),
        "load the demo",
    );
    let roster = or_stop(store.roster(), "roster");
    let from = today.checked_sub_days(Days::new(366)).unwrap_or(today);
    let touches = or_stop(store.touches_between(from, today), "touches");
    let sales = or_stop(store.sales(), "sales");
    let moves = or_stop(store.stage_moves(), "stage moves");
    eprintln!(
        "100,000 contacts: {} touches in the last year, {} sales, {} stage moves",
        touches.len(),
        sales.len(),
        moves.len()
    );
    let diary = Diary {
        settings: &roster.settings,
        categories: &roster.categories,
        rows: &roster.rows,
        touches: &touches,
        sales: &sales,
        moves: &moves,
    };
    // CPU time (both threads), which the load of a shared machine does not inflate as it does
    // the wall-clock time criterion reports.
    if let Some(before) = cpu_ticks() {
        const RUNS: u32 = 40;
        for _ in 0..RUNS {
            black_box(planner::insights(black_box(&diary), today));
        }
        if let Some(after) = cpu_ticks() {
            let ms = (after - before) as f64 * 1000.0 / ticks_per_second() / f64::from(RUNS);
            eprintln!("insights_figures_100000: {ms:.1} ms CPU per run (both threads)");
        }
    }
    c.bench_function("insights_figures_100000", |b| {
        b.iter(|| planner::insights(black_box(&diary), today));
    });
    c.bench_function("insights_read_and_figures_100000", |b| {
        b.iter(|| {
            or_stop(
                tickler::actions::insights(black_box(&store), today),
                "insights",
            )
        });
    });
}

/// User + system CPU time of this process so far, in clock ticks (Linux `/proc/self/stat`).
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime) are 11 and 12 after the name.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux).
fn ticks_per_second() -> f64 {
    100.0
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = insights
}
criterion_main!(benches);
