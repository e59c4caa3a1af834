//! Planner benchmarks over 100,000 synthetic contacts: next due for all, a week's agenda, LYBUNT.
//!
//! The diary is built deterministically from arithmetic (a small hash of the contact number), with
//! about ten touches per contact, a planned touch for most, sales in the previous and the current
//! year for some, ten categories, birthdays and snoozes for a few. Facts come from `summarize`, as
//! the store would keep them.

use chrono::{Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tickler::model::{
    Birthday, Cadence, Category, CategoryId, Channel, Contact, ContactId, Direction, NoReason,
    Profile, Sale, SaleId, Settings, Snooze, Stage, Touch, TouchId, TouchState,
};
use tickler::planner::{Entry, Facts, agenda, lybunt, next_due, summarize};

const CONTACTS: u64 = 100_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or(NaiveDate::MIN)
}

/// A deterministic 64-bit mix (splitmix64) of `x`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn back(days: u64) -> NaiveDate {
    today()
        .checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}

fn ahead(days: u64) -> NaiveDate {
    today()
        .checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

fn categories() -> Vec<Category> {
    let cadences = [
        Cadence::days(14),
        Cadence::days(30),
        Cadence::weeks(6),
        Cadence::months(2),
        Cadence::months(3),
    ];
    (0..10u64)
        .map(|k| Category {
            id: CategoryId(k),
            name: format!("category {k}"),
            cadence: cadences[(k % 5) as usize],
            channel_mix: match k % 3 {
                0 => vec![],
                1 => vec![Channel::Call, Channel::Email, Channel::Postcard],
                _ => vec![
                    Channel::Email,
                    Channel::HandwrittenNote,
                    Channel::Newsletter,
                ],
            },
            priority: (k % 5 + 1) as u8,
            broadcasts_suffice: k.is_multiple_of(4),
            description: String::new(),
        })
        .collect()
}

fn contact(i: u64) -> (Profile, Facts) {
    let h = mix(i);
    let id = ContactId(i + 1);
    let mut c = Contact::new(id, format!("Contact {i}"), back(200 + h % 1500));
    c.stage = match h % 20 {
        0..=4 => Stage::Lead,
        5..=7 => Stage::Qualified,
        8 => Stage::Proposal,
        9..=15 => Stage::Customer,
        16..=18 => Stage::StayInTouch,
        _ => Stage::Archived,
    };
    c.stage_changed = back(h % 400);
    if c.stage == Stage::StayInTouch {
        c.no_reason = Some(NoReason::NoHurry(None));
    }
    c.category = (!h.is_multiple_of(11)).then_some(CategoryId((h >> 8) % 10));
    if (h >> 12).is_multiple_of(3) {
        c.birthday = Birthday::new(
            (((h >> 16) % 12) + 1) as u32,
            (((h >> 20) % 28) + 1) as u32,
            None,
        );
    }
    if (h >> 24).is_multiple_of(25) {
        c.snooze = Some(Snooze {
            until: ahead((h >> 28) % 40),
            since: back(3),
            note: String::new(),
        });
    }
    if (h >> 32).is_multiple_of(7) {
        c.cadence = Some(Cadence::days(20 + ((h >> 36) % 60) as u32));
    }
    c.emails.push(format!("c{i}@example.com"));

    let n = 6 + (h >> 40) % 9; // 6..=14 touches
    let mut touches = Vec::with_capacity(n as usize);
    for j in 0..n {
        let t = mix(h ^ j);
        let planned = j == n - 1 && !(h >> 44).is_multiple_of(5); // a planned touch for 80%
        touches.push(Touch {
            id: TouchId((i + 1) * 100 + j),
            contact: id,
            date: if planned {
                ahead(t % 45)
            } else {
                back(t % 720)
            },
            channel: Channel::ALL[(t >> 16) as usize % Channel::ALL.len()],
            direction: if (t >> 20).is_multiple_of(4) {
                Direction::In
            } else {
                Direction::Out
            },
            summary: String::new(),
            state: if planned {
                TouchState::Planned
            } else if (t >> 24).is_multiple_of(15) {
                TouchState::Skipped
            } else {
                TouchState::Done
            },
        });
    }
    let sales: Vec<Sale> = (0..(h >> 48) % 4)
        .map(|j| {
            let t = mix(h.wrapping_add(j));
            Sale {
                id: SaleId((i + 1) * 10 + j),
                contact: id,
                date: back(t % 700),
                amount_cents: (1 + t % 5000) as i64 * 100,
                currency: "EUR".into(),
                note: String::new(),
            }
        })
        .collect();
    let facts = summarize(&touches, &sales);
    (c.profile(), facts)
}

fn diary() -> (Vec<(Profile, Facts)>, Vec<Category>) {
    ((0..CONTACTS).map(contact).collect(), categories())
}

fn entries<'a>(list: &'a [(Profile, Facts)], cats: &'a [Category]) -> Vec<Entry<'a>> {
    list.iter()
        .map(|(contact, facts)| Entry {
            contact,
            facts,
            category: contact.category.and_then(|k| cats.get(k.0 as usize)),
        })
        .collect()
}

fn bench_planner(c: &mut Criterion) {
    let (list, cats) = diary();
    let entries = entries(&list, &cats);
    let s = Settings::default();
    let today = today();
    let week = ahead(6);

    let mut g = c.benchmark_group("planner_100k");
    g.sample_size(30);
    g.bench_function("next_due_all", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for e in &entries {
                if next_due(*e, &s, today).is_some() {
                    n += 1;
                }
            }
            black_box(n)
        })
    });
    g.bench_function("agenda_week", |b| {
        b.iter(|| black_box(agenda(black_box(&entries), &s, today, today, week)))
    });
    g.bench_function("lybunt", |b| {
        b.iter(|| black_box(lybunt(black_box(&entries), &s, today)))
    });
    g.finish();

    let mut g = c.benchmark_group("summarize");
    let long: Vec<Touch> = (0..5000u64)
        .map(|j| {
            let t = mix(j);
            Touch {
                id: TouchId(j),
                contact: ContactId(1),
                date: back(t % 3650),
                channel: Channel::ALL[(t >> 16) as usize % Channel::ALL.len()],
                direction: if (t >> 20).is_multiple_of(4) {
                    Direction::In
                } else {
                    Direction::Out
                },
                summary: String::new(),
                state: if j.is_multiple_of(50) {
                    TouchState::Planned
                } else {
                    TouchState::Done
                },
            }
        })
        .collect();
    g.bench_function("history_5000_touches", |b| {
        b.iter(|| black_box(summarize(black_box(&long), &[])))
    });
    g.finish();
}

criterion_group!(benches, bench_planner);
criterion_main!(benches);
