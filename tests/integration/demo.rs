//! The demo generator's contract: deterministic, realistic in shape, internally consistent.

use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use tickler::demo::{default_categories, generate};
use tickler::model::{
    Channel, ContactId, Direction, HurryReason, NoReason, Stage, TouchState, validate,
};
use tickler::store::Bulk;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Tuesday 24 November 2026.
fn today() -> NaiveDate {
    d(2026, 11, 24)
}

fn same(a: &Bulk, b: &Bulk) -> bool {
    a.settings == b.settings
        && a.categories == b.categories
        && a.contacts == b.contacts
        && a.touches == b.touches
        && a.sales == b.sales
}

/// Checks every invariant that must hold whatever the size, seed and day.
fn check_consistency(b: &Bulk, n: usize, today: NaiveDate) {
    assert_eq!(b.contacts.len(), n);
    for (c, id) in b.contacts.iter().zip(1u64..) {
        assert_eq!(c.id, ContactId(id), "contact ids run 1..=N in order");
    }
    let categories: BTreeSet<_> = b.categories.iter().map(|k| k.id).collect();
    assert_eq!(categories.len(), b.categories.len(), "category ids unique");
    let stage_of: BTreeMap<_, _> = b.contacts.iter().map(|c| (c.id, c.stage)).collect();

    for c in &b.contacts {
        assert!(c.created <= today && c.stage_changed <= today && c.updated <= today);
        assert!(
            c.stage_changed >= c.created,
            "c{}: stage changed before created",
            c.id
        );
        if let Some(k) = c.category {
            assert!(categories.contains(&k), "c{}: unknown category {k}", c.id);
        }
        match c.stage {
            Stage::StayInTouch => assert!(c.no_reason.is_some(), "c{}: no reason", c.id),
            Stage::Archived => {
                assert!(c.archived_from.is_some_and(|s| s != Stage::Archived));
                assert!(c.snooze.is_none());
            }
            _ => assert!(c.archived_from.is_none()),
        }
        if let Some(z) = &c.snooze {
            assert!(z.until > today && z.since <= today);
        }
    }

    let mut touch_ids = BTreeSet::new();
    for t in &b.touches {
        assert!(touch_ids.insert(t.id), "touch id {} twice", t.id);
        let stage = stage_of.get(&t.contact);
        assert!(
            stage.is_some(),
            "touch {} of unknown contact {}",
            t.id,
            t.contact
        );
        assert!(
            !t.summary.trim().is_empty(),
            "touch {} has no summary",
            t.id
        );
        match t.state {
            TouchState::Done | TouchState::Skipped | TouchState::Cancelled => {
                assert!(t.date <= today, "touch {} done in the future", t.id)
            }
            TouchState::Planned => {
                assert_ne!(
                    stage,
                    Some(&Stage::Archived),
                    "archived contact with a plan"
                );
                assert_eq!(t.direction, Direction::Out);
            }
        }
    }
    let mut sale_ids = BTreeSet::new();
    for s in &b.sales {
        assert!(sale_ids.insert(s.id), "sale id {} twice", s.id);
        assert!(
            stage_of.contains_key(&s.contact),
            "sale {} of unknown contact",
            s.id
        );
        assert!(s.date <= today, "sale {} in the future", s.id);
        assert!(s.amount_cents > 0);
        assert_eq!(s.currency, "EUR");
    }
}

#[test]
fn same_seed_same_diary_other_seed_other_diary() {
    let a = generate(1_500, 7, today());
    let b = generate(1_500, 7, today());
    assert!(same(&a, &b), "same arguments must give the same diary");
    let c = generate(1_500, 8, today());
    assert!(!same(&a, &c), "another seed must give another diary");
    assert_ne!(a.contacts, c.contacts);
    assert_ne!(a.touches, c.touches);
    let e = generate(1_500, 7, d(2026, 11, 25));
    assert!(!same(&a, &e), "another day must give another diary");
}

#[test]
fn ten_thousand_contacts_have_about_ten_touches_each() {
    let n = 10_000;
    let b = generate(n, 42, today());
    check_consistency(&b, n, today());
    assert!(
        (80_000..=130_000).contains(&b.touches.len()),
        "{} touches",
        b.touches.len()
    );
    assert!(b.sales.len() > n, "{} sales", b.sales.len());

    // Ids run 1.. without gaps.
    assert!(
        b.touches
            .iter()
            .map(|t| t.id.0)
            .eq(1..=b.touches.len() as u64)
    );
    assert!(b.sales.iter().map(|s| s.id.0).eq(1..=b.sales.len() as u64));
    assert!(
        b.categories
            .iter()
            .map(|k| k.id.0)
            .eq(1..=b.categories.len() as u64)
    );

    // History spans about three years.
    let first = b.touches.iter().map(|t| t.date).min().unwrap();
    assert!(
        first <= d(2023, 12, 31) && first >= d(2023, 11, 24),
        "{first}"
    );
    let first_sale = b.sales.iter().map(|s| s.date).min().unwrap();
    assert!(first_sale <= d(2024, 1, 31), "{first_sale}");

    // Mostly personal, mostly outbound, some newsletters.
    let broadcasts = b
        .touches
        .iter()
        .filter(|t| t.channel.is_broadcast())
        .count();
    let inbound = b
        .touches
        .iter()
        .filter(|t| t.direction == Direction::In)
        .count();
    let share = |k: usize| k as f64 / b.touches.len() as f64;
    assert!(
        (0.1..0.4).contains(&share(broadcasts)),
        "broadcasts {broadcasts}"
    );
    assert!((0.02..0.2).contains(&share(inbound)), "inbound {inbound}");
    let channels: BTreeSet<Channel> = b.touches.iter().map(|t| t.channel).collect();
    assert_eq!(channels.len(), Channel::ALL.len(), "every channel is used");
}

#[test]
fn contacts_look_like_a_real_diary() {
    let n = 10_000;
    let b = generate(n, 3, today());
    let count =
        |f: &dyn Fn(&tickler::model::Contact) -> bool| b.contacts.iter().filter(|c| f(c)).count();
    let pct = |k: usize| k * 100 / n;

    for c in &b.contacts {
        assert_eq!(
            validate::name("name", &c.name).as_deref(),
            Ok(c.name.as_str())
        );
        if let Some(co) = &c.company {
            assert_eq!(validate::name("company", co).as_deref(), Ok(co.as_str()));
        }
        for e in &c.emails {
            assert_eq!(validate::email(e).as_deref(), Ok(e.as_str()), "c{}", c.id);
        }
        for p in &c.phones {
            assert_eq!(validate::phone(p).as_deref(), Ok(p.as_str()), "c{}", c.id);
        }
        for t in &c.tags {
            assert_eq!(validate::tag(t).as_deref(), Ok(t.as_str()));
        }
        assert!(c.tags.len() <= 3 && c.emails.len() <= 2 && c.phones.len() <= 2);
        assert!(validate::text("notes", &c.notes, validate::MAX_NOTE_BYTES).is_ok());
    }

    assert!((80..=95).contains(&pct(count(&|c| c.company.is_some()))));
    assert!((33..=47).contains(&pct(count(&|c| c.birthday.is_some()))));
    assert!(count(&|c| c.birthday.is_some_and(|b| b.year.is_none())) > 0);
    assert!(count(&|c| c.birthday.is_some_and(|b| b.month == 2 && b.day == 29)) > 0);
    assert!(count(&|c| c.address.is_some()) > n / 4);
    assert!(
        count(&|c| c.is_unreachable()) > 0,
        "some contacts to clean up"
    );
    assert!(count(&|c| !c.name.is_ascii()) > n / 10, "diverse names");
    assert!(
        count(&|c| c
            .name
            .chars()
            .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)))
            > 0,
        "some CJK names"
    );
    assert!(count(&|c| c.cadence.is_some()) > 0);
    assert!(count(&|c| c.snooze.is_some()) > 0);
    assert!(count(&|c| !c.notes.is_empty()) > n / 10);
    assert!(pct(count(&|c| c.category.is_some())) >= 95);

    let mut names = BTreeMap::new();
    for c in &b.contacts {
        *names
            .entry((&c.name, &c.company, c.emails.first()))
            .or_insert(0) += 1;
    }
    assert!(names.values().any(|k| *k > 1), "a few duplicates to merge");

    // Every stage, in realistic proportions.
    let stage = |s: Stage| pct(count(&|c| c.stage == s));
    assert!(
        (5..=20).contains(&stage(Stage::Lead)),
        "{}",
        stage(Stage::Lead)
    );
    assert!((2..=12).contains(&stage(Stage::Qualified)));
    assert!((1..=8).contains(&stage(Stage::Proposal)));
    assert!((30..=45).contains(&stage(Stage::Customer)));
    assert!((20..=35).contains(&stage(Stage::StayInTouch)));
    assert!((8..=18).contains(&stage(Stage::Archived)));
    for r in [
        HurryReason::BuyingIsWork,
        HurryReason::Procrastinate,
        HurryReason::OtherPriorities,
    ] {
        assert!(count(&|c| c.no_reason == Some(NoReason::NoHurry(Some(r)))) > 0);
    }
    assert!(count(&|c| c.archived_from == Some(Stage::Customer)) > 0);

    // Contacts were added over three years, ids in order of creation.
    assert!(b.contacts.windows(2).all(|w| w[0].created <= w[1].created));
    assert!(b.contacts[0].created <= d(2023, 11, 24));
    assert_eq!(b.contacts[n - 1].created, today());
}

#[test]
fn most_kept_contacts_have_a_next_touch_and_some_are_overdue() {
    let n = 10_000;
    let t = today();
    let b = generate(n, 11, t);
    let planned: BTreeSet<ContactId> = b
        .touches
        .iter()
        .filter(|x| x.state == TouchState::Planned)
        .map(|x| x.contact)
        .collect();
    let kept = b.contacts.iter().filter(|c| c.stage.is_kept()).count();
    let with_plan = b
        .contacts
        .iter()
        .filter(|c| c.stage.is_kept() && planned.contains(&c.id))
        .count();
    let share = with_plan as f64 / kept as f64;
    assert!((0.72..=0.88).contains(&share), "{share}");
    let overdue = b
        .touches
        .iter()
        .filter(|x| x.state == TouchState::Planned && x.date < t)
        .count();
    assert!(overdue > with_plan / 20, "{overdue} overdue");
    let horizon = t + chrono::Days::new(45);
    assert!(
        b.touches
            .iter()
            .filter(|x| x.state == TouchState::Planned)
            .all(|x| x.date <= horizon)
    );
    assert!(b.touches.iter().any(|x| x.state == TouchState::Skipped));
}

#[test]
fn some_customers_are_lybunt_some_of_them_big() {
    let n = 10_000;
    let t = today();
    let b = generate(n, 5, t);
    let mut last_year: BTreeMap<ContactId, i64> = BTreeMap::new();
    let mut this_year: BTreeSet<ContactId> = BTreeSet::new();
    for s in &b.sales {
        assert!(
            (20_000..=5_000_000).contains(&s.amount_cents),
            "{}",
            s.amount_cents
        );
        if s.date.year() == t.year() - 1 {
            *last_year.entry(s.contact).or_default() += s.amount_cents;
        } else if s.date.year() == t.year() {
            this_year.insert(s.contact);
        }
    }
    let customers: Vec<_> = b
        .contacts
        .iter()
        .filter(|c| c.stage == Stage::Customer)
        .collect();
    let lybunt: Vec<i64> = customers
        .iter()
        .filter(|c| !this_year.contains(&c.id))
        .filter_map(|c| last_year.get(&c.id).copied())
        .collect();
    let share = lybunt.len() as f64 / customers.len() as f64;
    assert!((0.09..=0.16).contains(&share), "LYBUNT share {share}");
    assert!(
        lybunt.iter().any(|v| *v >= 5_000_000),
        "a big LYBUNT customer"
    );

    let buyers: BTreeSet<ContactId> = b.sales.iter().map(|s| s.contact).collect();
    for id in &buyers {
        let c = &b.contacts[id.0 as usize - 1];
        assert!(
            c.stage == Stage::Customer || c.archived_from == Some(Stage::Customer),
            "c{} bought but is a {}",
            c.id,
            c.stage
        );
    }
    let active = customers.iter().filter(|c| buyers.contains(&c.id)).count();
    assert!(active * 100 / customers.len() >= 95);
}

#[test]
fn small_and_odd_inputs_stay_consistent() {
    for (n, seed) in [(0, 0), (1, 1), (2, 2), (7, 3), (25, u64::MAX), (300, 99)] {
        let b = generate(n, seed, today());
        check_consistency(&b, n, today());
    }
    for day in [
        d(2024, 2, 29),
        d(2027, 1, 1),
        d(2026, 12, 31),
        d(1970, 1, 1),
    ] {
        check_consistency(&generate(200, 4, day), 200, day);
    }
    // The ends of chrono's calendar do not panic.
    let _ = generate(50, 1, NaiveDate::MAX);
    let _ = generate(50, 1, NaiveDate::MIN);
}

#[test]
fn categories_are_the_demo_set() {
    let b = generate(10, 1, today());
    assert_eq!(b.categories, default_categories());
    assert_eq!(b.categories.len(), 8);
    assert_eq!(b.settings, tickler::model::Settings::default());
    let priorities: BTreeSet<u8> = b.categories.iter().map(|k| k.priority).collect();
    assert!(priorities.contains(&1) && priorities.len() >= 5);
}
