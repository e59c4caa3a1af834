//! TUI frame time: draw the triage, pipeline and insights panes into a 160x48 TestBackend (render + diff,
//! what `Terminal::draw` does every frame) on 10,000 and 100,000 demo contacts. Lists are
//! virtualized, so the frame time should not grow with the diary.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use tickler::store::Store;
use tickler::tui::action::Pane;
use tickler::tui::model::Model;
use tickler::tui::view;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn or_stop<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

fn model(contacts: usize) -> Model {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or(NaiveDate::MIN);
    let store = or_stop(Store::in_memory(), "in-memory store");
    or_stop(
        store.load_bulk(tickler::demo::generate(contacts, 1, today)),
        "load the demo",
    );
    let mut m = Model::new(
        or_stop(store.roster(), "roster"),
        today,
        "bench".to_string(),
    );
    // Computed when the pane opens (never per frame): the frame only draws them.
    m.panes.insights.data = Some(or_stop(
        tickler::actions::insights(&store, today),
        "insights",
    ));
    m
}

fn frames(c: &mut Criterion) {
    for contacts in [10_000usize, 100_000] {
        let mut m = model(contacts);
        let mut term = or_stop(Terminal::new(TestBackend::new(160, 48)), "terminal");
        for (pane, name) in [
            (Pane::Triage, "triage"),
            (Pane::Pipeline, "pipeline"),
            (Pane::Insights, "insights"),
        ] {
            m.pane = pane;
            // Scroll somewhere in the middle so the window is not at the top.
            m.panes.triage.sel = m.panes.triage.rows.len() / 2;
            m.panes.pipeline.col = 3;
            c.bench_function(&format!("frame_{name}_{contacts}"), |b| {
                b.iter(|| {
                    // Alternate the selection so every frame has a diff to flush.
                    m.panes.pipeline.card_sel[3] ^= 1;
                    m.panes.triage.sel ^= 1;
                    m.panes.insights.top ^= 1;
                    or_stop(term.draw(|f| view::draw(black_box(&m), f)), "draw");
                });
            });
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = frames
}
criterion_main!(benches);
