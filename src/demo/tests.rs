//! Unit tests of the generator's internals; the public contract is tested in
//! `tests/integration/demo.rs`.

use super::*;
use crate::model::{Cadence, Channel, Direction, Stage, TouchState};
use std::collections::BTreeMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn fill_replaces_placeholders() {
    assert_eq!(
        fill("sent the article on {topic}", "heat pumps", "Ana"),
        "sent the article on heat pumps"
    );
    assert_eq!(
        fill("{first} called about {topic}.", "x", "Zoë"),
        "Zoë called about x."
    );
    assert_eq!(fill("{odd} {", "x", "y"), "{odd} {");
    assert_eq!(fill("", "x", "y"), "");
}

#[test]
fn folding_names_for_email() {
    let fold = |s: &str| {
        let mut out = String::new();
        fold_ascii(s, &mut out);
        out
    };
    assert_eq!(fold("Zoë"), "zoe");
    assert_eq!(fold("Małgorzata"), "malgorzata");
    assert_eq!(fold("Søren"), "soren");
    assert_eq!(fold("de Vries"), "devries");
    assert_eq!(fold("O'Brien"), "obrien");
    assert_eq!(fold("Weiß"), "weiss");
    assert_eq!(fold("Müller-Lindholm"), "muller-lindholm");
    assert_eq!(fold("王秀英"), "");
}

#[test]
fn default_categories_are_the_eight_of_the_demo() {
    let cats = default_categories();
    assert_eq!(cats.len(), 8);
    assert_eq!(cats[0].name, "Key accounts");
    assert_eq!(cats[0].cadence, Cadence::days(30));
    assert_eq!(cats[0].priority, 1);
    for (c, id) in cats.iter().zip(1u64..) {
        assert_eq!(c.id, CategoryId(id));
        assert!(
            Kind::of(&c.name).is_some(),
            "{} has no role in the demo",
            c.name
        );
        assert!(!c.channel_mix.is_empty());
        assert!(!c.description.is_empty());
    }
    let not_now = cats.iter().find(|c| c.name == "Not now").unwrap();
    assert!(not_now.broadcasts_suffice);
    assert_eq!(not_now.cadence, Cadence::months(3));
}

/// Prints the shape of a large demo and how long it took:
/// `cargo test --release --lib demo::tests::stats -- --ignored --nocapture`.
#[test]
#[ignore = "prints statistics and timings"]
fn stats() {
    let today = d(2026, 11, 24);
    for n in [10_000, 100_000] {
        let t0 = std::time::Instant::now();
        let b = generate(n, 42, today);
        let took = t0.elapsed();
        println!(
            "{n} contacts: {:?}, {} touches, {} sales",
            took,
            b.touches.len(),
            b.sales.len()
        );
        print_counts(&b);
        print_plans(&b, today);
        print_lybunt(&b);
        println!("  at risk (silence > 1.5 cadences) {}", at_risk(&b, today));
        let total: i64 = b.sales.iter().map(|s| s.amount_cents).sum();
        println!("  sales total {:.2} EUR", total as f64 / 100.0);
    }
}

/// Contacts by stage, touches by channel and state.
fn print_counts(b: &Bulk) {
    let mut stages = BTreeMap::new();
    for c in &b.contacts {
        *stages.entry(c.stage).or_insert(0usize) += 1;
    }
    println!("  stages {stages:?}");
    let mut channels = BTreeMap::new();
    let mut states = BTreeMap::new();
    let mut inbound = 0;
    for t in &b.touches {
        *channels.entry(t.channel).or_insert(0usize) += 1;
        *states.entry(t.state.as_str()).or_insert(0usize) += 1;
        inbound += usize::from(t.direction == Direction::In);
    }
    println!("  channels {channels:?}");
    println!("  states {states:?} inbound {inbound}");
}

/// Kept contacts, those with a planned touch, and the planned touches overdue.
fn print_plans(b: &Bulk, today: NaiveDate) {
    let mut planned = vec![false; b.contacts.len() + 1];
    let mut overdue = 0;
    for t in &b.touches {
        if t.state == TouchState::Planned && t.channel != Channel::BirthdayCard {
            planned[t.contact.0 as usize] = true;
            overdue += usize::from(t.date < today);
        }
    }
    let kept = b.contacts.iter().filter(|c| c.stage.is_kept()).count();
    let with_plan = b
        .contacts
        .iter()
        .filter(|c| planned[c.id.0 as usize])
        .count();
    println!("  kept {kept}, planned {with_plan}, overdue {overdue}");
}

/// Customers, and those who bought in 2025 but not in 2026.
fn print_lybunt(b: &Bulk) {
    let mut by_contact: BTreeMap<u64, (i64, i64)> = BTreeMap::new();
    for s in &b.sales {
        let e = by_contact.entry(s.contact.0).or_default();
        if s.date.year() == 2025 {
            e.0 += s.amount_cents;
        }
        if s.date.year() == 2026 {
            e.1 += s.amount_cents;
        }
    }
    let customers = b
        .contacts
        .iter()
        .filter(|c| c.stage == Stage::Customer)
        .count();
    let lybunt: Vec<i64> = b
        .contacts
        .iter()
        .filter(|c| c.stage == Stage::Customer)
        .filter_map(|c| by_contact.get(&c.id.0))
        .filter(|(last, this)| *last > 0 && *this == 0)
        .map(|(last, _)| *last)
        .collect();
    println!(
        "  customers {customers}, lybunt {} (max last year {:.2})",
        lybunt.len(),
        lybunt.iter().max().copied().unwrap_or(0) as f64 / 100.0
    );
}

/// Kept contacts whose last personal touch is more than one and a half cadences ago.
fn at_risk(b: &Bulk, today: NaiveDate) -> usize {
    let mut last_personal = vec![None; b.contacts.len() + 1];
    for t in &b.touches {
        if t.state == TouchState::Done && t.channel.is_personal() && t.direction == Direction::Out {
            let slot = &mut last_personal[t.contact.0 as usize];
            *slot = (*slot).max(Some(t.date));
        }
    }
    b.contacts
        .iter()
        .filter(|c| c.stage.is_kept())
        .filter(|c| {
            let cadence = c
                .cadence
                .or_else(|| {
                    let k = c.category?;
                    b.categories.iter().find(|x| x.id == k).map(|x| x.cadence)
                })
                .unwrap_or(b.settings.default_cadence);
            let cadence = if c.stage == Stage::StayInTouch
                && cadence.approx_days() < b.settings.stay_in_touch_cadence.approx_days()
            {
                b.settings.stay_in_touch_cadence
            } else {
                cadence
            };
            last_personal[c.id.0 as usize].is_none_or(|d| cadence.at_worst_after(d, 150) < today)
        })
        .count()
}

/// Prints a few contacts with their history, to see what the demo looks like:
/// `cargo test --lib demo::tests::sample -- --ignored --nocapture`.
#[test]
#[ignore = "prints a sample"]
fn sample() {
    let b = generate(2_000, 42, d(2026, 11, 24));
    for id in [1u64, 700, 1_500, 1_990] {
        let c = &b.contacts[id as usize - 1];
        println!("{c:#?}");
        for t in b.touches.iter().filter(|t| t.contact == c.id) {
            println!(
                "  {} {:<16} {:<3} {:<7} {}",
                t.date,
                t.channel.as_str(),
                t.direction.as_str(),
                t.state.as_str(),
                t.summary
            );
        }
        for s in b.sales.iter().filter(|s| s.contact == c.id) {
            println!(
                "  sale {} {:>10.2} {}",
                s.date,
                s.amount_cents as f64 / 100.0,
                s.note
            );
        }
    }
}
