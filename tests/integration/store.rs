//! The redb store: round trips, indexes, facts, undo, durability and refusing files that are not
//! ours. In-memory stores where durability is not the subject; temporary files otherwise.

use chrono::NaiveDate;
use std::path::Path;
use tickler::model::{
    Birthday, Cadence, Category, CategoryId, Channel, Contact, ContactId, Direction, NoReason,
    Profile, Sale, SaleId, Settings, Snooze, Stage, StageMove, Touch, TouchId, TouchState,
};
use tickler::planner::{Facts, summarize};
use tickler::store::{Bulk, SCHEMA_VERSION, Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 3, 10)
}

fn mem() -> Store {
    Store::in_memory().unwrap()
}

fn full_contact(id: ContactId) -> Contact {
    let mut c = Contact::new(id, "Ada Lovelace", today());
    c.company = Some("Analytical Engines".into());
    c.emails = vec!["ada@example.com".into(), "a@example.org".into()];
    c.phones = vec!["+44 20 7946 0958".into()];
    c.address = Some("12 St James's Square\nLondon".into());
    c.birthday = Birthday::new(12, 10, None);
    c.category = Some(CategoryId(1));
    c.tags = vec!["math".into(), "vip".into()];
    c.stage = Stage::StayInTouch;
    c.no_reason = Some(NoReason::NoHurry(Some(
        tickler::model::HurryReason::Procrastinate,
    )));
    c.archived_from = Some(Stage::Proposal);
    c.cadence = Some(Cadence::weeks(6));
    c.notes = "likes engines 🚂".into();
    c.snooze = Some(Snooze {
        until: d(2026, 4, 1),
        since: d(2026, 3, 1),
        note: "on holiday".into(),
    });
    c
}

fn touch(id: TouchId, contact: ContactId, date: NaiveDate, state: TouchState) -> Touch {
    Touch {
        id,
        contact,
        date,
        channel: Channel::Email,
        direction: Direction::Out,
        summary: "sent the article".into(),
        state,
    }
}

fn sale(id: SaleId, contact: ContactId, date: NaiveDate, cents: i64) -> Sale {
    Sale {
        id,
        contact,
        date,
        amount_cents: cents,
        currency: "EUR".into(),
        note: String::new(),
    }
}

fn category(id: CategoryId) -> Category {
    Category {
        id,
        name: "Key accounts".into(),
        cadence: Cadence::months(1),
        channel_mix: vec![Channel::Call, Channel::Meeting],
        priority: 1,
        broadcasts_suffice: false,
        description: "the big ones".into(),
    }
}

/// Add a contact in its own action; returns its id.
fn add_contact(s: &Store, name: &str) -> ContactId {
    s.write(&format!("add {name}"), |w| {
        let id = w.new_contact_id()?;
        w.put_contact(&Contact::new(id, name, today()))?;
        Ok(id)
    })
    .unwrap()
}

/// Add a touch in its own action; returns its id.
fn add_touch(s: &Store, c: ContactId, date: NaiveDate, state: TouchState) -> TouchId {
    s.write("add touch", |w| {
        let id = w.new_touch_id()?;
        w.put_touch(&touch(id, c, date, state))?;
        Ok(id)
    })
    .unwrap()
}

/// The facts a store holds must equal summarize() over what it holds.
fn assert_facts_consistent(s: &Store, c: ContactId) {
    let expected = summarize(&s.touches_of(c).unwrap(), &s.sales_of(c).unwrap());
    assert_eq!(s.facts(c).unwrap(), expected, "facts of contact {c}");
}

/// The roster holds one row per contact, ascending by id: its profile and summarize() over its
/// history; `roster()` is `snapshot()` mapped through `Contact::profile`.
fn assert_roster_consistent(s: &Store) {
    let snap = s.snapshot().unwrap();
    let roster = s.roster().unwrap();
    assert_eq!(roster.settings, snap.settings);
    assert_eq!(roster.categories, snap.categories);
    let expected: Vec<(Profile, Facts)> = snap
        .contacts
        .iter()
        .map(|(c, f)| (c.profile(), f.clone()))
        .collect();
    assert_eq!(roster.rows, expected);
    for (c, f) in &snap.contacts {
        assert_facts_consistent(s, c.id);
        assert_eq!(&s.facts(c.id).unwrap(), f);
        assert_eq!(s.profile(c.id).unwrap(), Some(c.profile()));
    }
}

fn assert_unchanged(path: &Path, before: &[u8]) {
    let after = std::fs::read(path).unwrap();
    assert!(after == before, "{} was modified", path.display());
}

#[test]
fn every_record_type_round_trips() {
    let s = mem();
    let settings = Settings {
        undo_depth: 7,
        default_currency: "USD".into(),
        ..Settings::default()
    };
    let (c, t, sa, k) = s
        .write("setup", |w| {
            let k = category(w.new_category_id()?);
            w.put_category(&k)?;
            let c = full_contact(w.new_contact_id()?);
            w.put_contact(&c)?;
            let t = touch(w.new_touch_id()?, c.id, d(2026, 3, 1), TouchState::Done);
            w.put_touch(&t)?;
            let sa = sale(w.new_sale_id()?, c.id, d(2025, 5, 5), 12_345);
            w.put_sale(&sa)?;
            w.put_settings(&settings)?;
            Ok((c, t, sa, k))
        })
        .unwrap();
    assert_eq!(s.contact(c.id).unwrap(), Some(c.clone()));
    assert_eq!(s.contacts().unwrap(), vec![c.clone()]);
    assert_eq!(s.touch(t.id).unwrap(), Some(t.clone()));
    assert_eq!(s.touches_of(c.id).unwrap(), vec![t]);
    assert_eq!(s.sale(sa.id).unwrap(), Some(sa.clone()));
    assert_eq!(s.sales_of(c.id).unwrap(), vec![sa]);
    assert_eq!(s.categories().unwrap(), vec![k.clone()]);
    assert_eq!(s.category(k.id).unwrap(), Some(k));
    assert_eq!(s.settings().unwrap(), settings);
    assert_eq!(s.contact(ContactId(999)).unwrap(), None);
    assert_eq!(s.touch(TouchId(999)).unwrap(), None);
    assert_facts_consistent(&s, c.id);
}

#[test]
fn fresh_store_has_default_settings_and_nothing_else() {
    let s = mem();
    assert_eq!(s.settings().unwrap(), Settings::default());
    assert!(s.contacts().unwrap().is_empty());
    assert!(s.categories().unwrap().is_empty());
    assert!(s.undo_log().unwrap().is_empty());
    let snap = s.snapshot().unwrap();
    assert!(snap.contacts.is_empty());
    assert_eq!(s.facts(ContactId(1)).unwrap(), Default::default());
    assert_eq!(s.undo().unwrap(), None);
}

#[test]
fn ids_start_at_one_and_are_never_reused_even_after_undo() {
    let s = mem();
    let a = add_contact(&s, "A");
    assert_eq!(a, ContactId(1));
    let b = add_contact(&s, "B");
    assert_eq!(s.undo().unwrap(), Some("add B".into()));
    assert_eq!(s.contact(b).unwrap(), None);
    let c = add_contact(&s, "C");
    assert!(c > b, "{c} must not reuse {b}");
    // An explicitly chosen id also moves the counter past it.
    s.write("import", |w| {
        w.put_contact(&Contact::new(ContactId(50), "X", today()))
    })
    .unwrap();
    assert_eq!(add_contact(&s, "D"), ContactId(51));
}

#[test]
fn touch_indexes_follow_date_and_contact_changes() {
    let s = mem();
    let a = add_contact(&s, "A");
    let b = add_contact(&s, "B");
    let t = add_touch(&s, a, d(2026, 3, 12), TouchState::Planned);
    let t2 = add_touch(&s, a, d(2026, 3, 11), TouchState::Planned);
    // ascending by date then id
    let ids: Vec<_> = s.touches_of(a).unwrap().iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![t2, t]);
    assert_eq!(
        s.touches_between(d(2026, 3, 12), d(2026, 3, 12))
            .unwrap()
            .len(),
        1
    );

    // Move the touch to another date and another contact.
    s.write("move", |w| {
        let mut x = w.touch(t)?.unwrap();
        x.date = d(2026, 4, 2);
        x.contact = b;
        w.put_touch(&x)
    })
    .unwrap();
    let ids: Vec<_> = s.touches_of(a).unwrap().iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![t2]);
    let ids: Vec<_> = s.touches_of(b).unwrap().iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![t]);
    assert!(
        s.touches_between(d(2026, 3, 12), d(2026, 3, 12))
            .unwrap()
            .is_empty()
    );
    let moved = s.touches_between(d(2026, 4, 1), d(2026, 4, 30)).unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].id, t);
    assert_eq!(moved[0].contact, b);
    let all = s.touches_between(d(2026, 1, 1), d(2026, 12, 31)).unwrap();
    assert_eq!(all.iter().map(|t| t.id).collect::<Vec<_>>(), vec![t2, t]);
    assert!(
        s.touches_between(d(2026, 12, 31), d(2026, 1, 1))
            .unwrap()
            .is_empty()
    );
    assert_facts_consistent(&s, a);
    assert_facts_consistent(&s, b);
    assert_eq!(s.facts(a).unwrap().planned.len(), 1);
    assert_eq!(s.facts(b).unwrap().planned.len(), 1);
}

#[test]
fn sales_index_follows_changes() {
    let s = mem();
    let a = add_contact(&s, "A");
    let b = add_contact(&s, "B");
    let id = s
        .write("sale", |w| {
            let id = w.new_sale_id()?;
            w.put_sale(&sale(id, a, d(2025, 2, 1), 100))?;
            let id2 = w.new_sale_id()?;
            w.put_sale(&sale(id2, a, d(2024, 2, 1), 50))?;
            Ok(id)
        })
        .unwrap();
    let dates: Vec<_> = s.sales_of(a).unwrap().iter().map(|s| s.date).collect();
    assert_eq!(dates, vec![d(2024, 2, 1), d(2025, 2, 1)]);
    s.write("fix", |w| w.put_sale(&sale(id, b, d(2025, 3, 1), 300)))
        .unwrap();
    assert_eq!(s.sales_of(a).unwrap().len(), 1);
    assert_eq!(s.sales_of(b).unwrap()[0].amount_cents, 300);
    assert_facts_consistent(&s, a);
    assert_facts_consistent(&s, b);
    assert_eq!(s.facts(b).unwrap().last_sale, Some(d(2025, 3, 1)));
    assert_eq!(s.facts(a).unwrap().last_sale, Some(d(2024, 2, 1)));
}

#[test]
fn stage_index_follows_stage_changes() {
    let s = mem();
    let a = add_contact(&s, "A");
    let b = add_contact(&s, "B");
    let names = |st| {
        s.contacts_in_stage(st)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(Stage::Lead), vec!["A", "B"]);
    s.write("promote", |w| {
        let mut c = w.contact(a)?.unwrap();
        c.stage = Stage::Customer;
        w.put_contact(&c)
    })
    .unwrap();
    assert_eq!(names(Stage::Lead), vec!["B"]);
    assert_eq!(names(Stage::Customer), vec!["A"]);
    // A rename keeps the stage entry.
    s.write("rename", |w| {
        let mut c = w.contact(b)?.unwrap();
        c.name = "Bee".into();
        w.put_contact(&c)
    })
    .unwrap();
    assert_eq!(names(Stage::Lead), vec!["Bee"]);
    s.undo().unwrap();
    s.undo().unwrap();
    assert_eq!(names(Stage::Lead), vec!["A", "B"]);
    assert!(names(Stage::Customer).is_empty());
}

#[test]
fn facts_are_recomputed_on_every_touch_and_sale_change() {
    let s = mem();
    let a = add_contact(&s, "A");
    assert_eq!(s.facts(a).unwrap(), Default::default());
    let t = add_touch(&s, a, d(2026, 3, 20), TouchState::Planned);
    let f = s.facts(a).unwrap();
    assert_eq!(f.planned.len(), 1);
    assert_eq!(f.done_count, 0);
    // Mark it done: planned becomes done.
    s.write("done", |w| {
        let mut x = w.touch(t)?.unwrap();
        x.state = TouchState::Done;
        x.date = d(2026, 3, 9);
        w.put_touch(&x)?;
        // Reads inside the action see the action's own writes, facts included.
        assert_eq!(w.facts(a)?.done_count, 1);
        assert_eq!(w.touches_of(a)?[0].state, TouchState::Done);
        Ok(())
    })
    .unwrap();
    let f = s.facts(a).unwrap();
    assert!(f.planned.is_empty());
    assert_eq!(f.done_count, 1);
    assert_eq!(f.last_personal, Some(d(2026, 3, 9)));
    s.write("sale", |w| {
        let id = w.new_sale_id()?;
        w.put_sale(&sale(id, a, d(2026, 1, 15), 999))
    })
    .unwrap();
    assert_eq!(s.facts(a).unwrap().last_sale, Some(d(2026, 1, 15)));
    assert_facts_consistent(&s, a);
    // Undo brings the facts back too.
    s.undo().unwrap();
    assert_eq!(s.facts(a).unwrap().last_sale, None);
    s.undo().unwrap();
    let f = s.facts(a).unwrap();
    assert_eq!(f.planned.len(), 1);
    assert_eq!(f.done_count, 0);
    s.undo().unwrap();
    assert_eq!(s.facts(a).unwrap(), Default::default());
    assert_facts_consistent(&s, a);
}

#[test]
fn snapshot_pairs_each_contact_with_its_facts() {
    let s = mem();
    let a = add_contact(&s, "A");
    let b = add_contact(&s, "B");
    let c = add_contact(&s, "C");
    add_touch(&s, b, d(2026, 3, 1), TouchState::Done);
    add_touch(&s, c, d(2026, 3, 30), TouchState::Planned);
    s.write("cat", |w| {
        let id = w.new_category_id()?;
        w.put_category(&category(id))
    })
    .unwrap();
    let snap = s.snapshot().unwrap();
    assert_eq!(snap.settings, Settings::default());
    assert_eq!(snap.categories.len(), 1);
    let ids: Vec<_> = snap.contacts.iter().map(|(c, _)| c.id).collect();
    assert_eq!(ids, vec![a, b, c]);
    for (contact, facts) in &snap.contacts {
        assert_eq!(facts, &s.facts(contact.id).unwrap());
    }
    assert_eq!(snap.contacts[0].1, Default::default());
    assert_eq!(snap.contacts[1].1.done_count, 1);
    assert_eq!(snap.contacts[2].1.planned.len(), 1);
}

#[test]
fn planned_load_counts_planned_outbound_touches_per_day() {
    let s = mem();
    let a = add_contact(&s, "A");
    s.write("plan", |w| {
        for (date, state, dir) in [
            (d(2026, 3, 11), TouchState::Planned, Direction::Out),
            (d(2026, 3, 11), TouchState::Planned, Direction::Out),
            (d(2026, 3, 11), TouchState::Planned, Direction::In),
            (d(2026, 3, 11), TouchState::Done, Direction::Out),
            (d(2026, 3, 12), TouchState::Skipped, Direction::Out),
            (d(2026, 3, 13), TouchState::Planned, Direction::Out),
            (d(2026, 3, 20), TouchState::Planned, Direction::Out),
        ] {
            let id = w.new_touch_id()?;
            let mut t = touch(id, a, date, state);
            t.direction = dir;
            w.put_touch(&t)?;
        }
        Ok(())
    })
    .unwrap();
    let load = s.planned_load(d(2026, 3, 11), d(2026, 3, 19)).unwrap();
    assert_eq!(
        load.into_iter().collect::<Vec<_>>(),
        vec![(d(2026, 3, 11), 2), (d(2026, 3, 13), 1)]
    );
    // Completing a planned touch takes it off the load.
    let first = s.touches_between(d(2026, 3, 13), d(2026, 3, 13)).unwrap()[0].clone();
    s.write("done", |w| {
        w.put_touch(&Touch {
            state: TouchState::Done,
            ..first.clone()
        })
    })
    .unwrap();
    assert!(
        !s.planned_load(d(2026, 3, 13), d(2026, 3, 13))
            .unwrap()
            .contains_key(&d(2026, 3, 13))
    );
}

#[test]
fn undo_reverts_a_multi_record_action() {
    let s = mem();
    let a = add_contact(&s, "A");
    let t0 = add_touch(&s, a, d(2026, 3, 1), TouchState::Planned);
    let before_contact = s.contact(a).unwrap().unwrap();
    let before_touch = s.touch(t0).unwrap().unwrap();
    let (b, t1, s1) = s
        .write("triage", |w| {
            // update a contact twice (only the first before-image counts)
            let mut c = w.contact(a)?.unwrap();
            c.stage = Stage::Qualified;
            w.put_contact(&c)?;
            c.name = "A2".into();
            w.put_contact(&c)?;
            // update a touch
            let mut t = w.touch(t0)?.unwrap();
            t.state = TouchState::Done;
            t.date = d(2026, 3, 2);
            w.put_touch(&t)?;
            // add a contact, a touch and a sale
            let b = w.new_contact_id()?;
            w.put_contact(&Contact::new(b, "B", today()))?;
            let t1 = w.new_touch_id()?;
            w.put_touch(&touch(t1, b, d(2026, 4, 1), TouchState::Planned))?;
            let s1 = w.new_sale_id()?;
            w.put_sale(&sale(s1, a, d(2026, 3, 2), 500))?;
            Ok((b, t1, s1))
        })
        .unwrap();
    assert_eq!(s.undo_log().unwrap()[0].label, "triage");
    assert_eq!(s.undo().unwrap(), Some("triage".into()));
    assert_eq!(s.contact(a).unwrap(), Some(before_contact));
    assert_eq!(s.touch(t0).unwrap(), Some(before_touch));
    assert_eq!(s.contact(b).unwrap(), None);
    assert_eq!(s.touch(t1).unwrap(), None);
    assert_eq!(s.sale(s1).unwrap(), None);
    assert!(s.touches_of(b).unwrap().is_empty());
    assert!(s.sales_of(a).unwrap().is_empty());
    assert!(
        s.touches_between(d(2026, 4, 1), d(2026, 4, 1))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.contacts_in_stage(Stage::Lead)
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        vec![a]
    );
    assert!(s.contacts_in_stage(Stage::Qualified).unwrap().is_empty());
    assert_facts_consistent(&s, a);
    assert_facts_consistent(&s, b);
    assert_eq!(s.facts(b).unwrap(), Default::default());
    assert_eq!(
        s.planned_load(d(2026, 3, 1), d(2026, 4, 30)).unwrap().len(),
        1
    );
    // ids are not handed out again
    let next = s.write("x", |w| w.new_touch_id()).unwrap();
    assert!(next > t1);
}

#[test]
fn undo_of_deletes_and_settings_and_categories() {
    let s = mem();
    let a = add_contact(&s, "A");
    let t = add_touch(&s, a, d(2026, 3, 11), TouchState::Planned);
    let deleted = s.write("unplan", |w| w.delete_touch(t)).unwrap();
    assert_eq!(deleted.id, t);
    assert!(s.touches_of(a).unwrap().is_empty());
    assert_eq!(s.facts(a).unwrap(), Default::default());
    assert!(matches!(
        s.write("again", |w| w.delete_touch(t)),
        Err(StoreError::NotFound { kind: "touch", .. })
    ));
    s.undo().unwrap();
    assert_eq!(s.touch(t).unwrap(), Some(deleted));
    assert_eq!(s.facts(a).unwrap().planned.len(), 1);

    s.write("settings", |w| {
        w.put_settings(&Settings {
            daily_cap: 3,
            ..Settings::default()
        })?;
        let k = w.new_category_id()?;
        w.put_category(&category(k))
    })
    .unwrap();
    assert_eq!(s.settings().unwrap().daily_cap, 3);
    s.undo().unwrap();
    assert_eq!(s.settings().unwrap(), Settings::default());
    assert!(s.categories().unwrap().is_empty());
}

#[test]
fn undo_log_is_trimmed_to_the_configured_depth() {
    let s = mem();
    s.write("depth", |w| {
        w.put_settings(&Settings {
            undo_depth: 3,
            ..Settings::default()
        })
    })
    .unwrap();
    for i in 0..6 {
        add_contact(&s, &format!("c{i}"));
    }
    let log = s.undo_log().unwrap();
    let labels: Vec<_> = log.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, vec!["add c5", "add c4", "add c3"]);
    assert!(log[0].seq > log[1].seq);
    for _ in 0..3 {
        assert!(s.undo().unwrap().is_some());
    }
    assert_eq!(s.undo().unwrap(), None);
    assert_eq!(s.contacts().unwrap().len(), 3);
}

#[test]
fn an_action_that_changes_nothing_is_not_logged() {
    let s = mem();
    add_contact(&s, "A");
    s.write("look", |w| w.settings().map(|_| ())).unwrap();
    assert_eq!(s.undo_log().unwrap().len(), 1);
}

#[test]
fn a_failed_action_writes_nothing() {
    let s = mem();
    let a = add_contact(&s, "A");
    let r: Result<(), StoreError> = s.write("fails", |w| {
        let mut c = w.contact(a)?.unwrap();
        c.name = "changed".into();
        w.put_contact(&c)?;
        let id = w.new_touch_id()?;
        w.put_touch(&touch(id, a, d(2026, 3, 11), TouchState::Planned))?;
        Err(StoreError::NotFound {
            kind: "thing",
            id: 1,
        })
    });
    assert!(matches!(r, Err(StoreError::NotFound { kind: "thing", .. })));
    assert_eq!(s.contact(a).unwrap().unwrap().name, "A");
    assert!(s.touches_of(a).unwrap().is_empty());
    assert_eq!(s.facts(a).unwrap(), Default::default());
    assert_eq!(s.undo_log().unwrap().len(), 1);
    // Even the id counter was rolled back with the transaction.
    assert_eq!(s.write("t", |w| w.new_touch_id()).unwrap(), TouchId(1));
}

fn bulk(n_contacts: u64, touches_per: u64) -> Bulk {
    let mut b = Bulk {
        settings: Settings {
            daily_cap: 9,
            ..Settings::default()
        },
        categories: vec![category(CategoryId(3))],
        ..Bulk::default()
    };
    let mut tid = 10;
    for c in 1..=n_contacts {
        let mut contact = Contact::new(ContactId(c * 2), format!("c{c}"), today());
        contact.stage = if c % 2 == 0 {
            Stage::Customer
        } else {
            Stage::Lead
        };
        b.contacts.push(contact);
        for k in 0..touches_per {
            tid += 1;
            let state = if k == 0 {
                TouchState::Planned
            } else {
                TouchState::Done
            };
            b.touches.push(touch(
                TouchId(tid),
                ContactId(c * 2),
                d(2025, 1, 1) + chrono::Days::new((c * 7 + k * 13) % 500),
                state,
            ));
        }
        b.sales
            .push(sale(SaleId(c + 100), ContactId(c * 2), d(2025, 6, 1), 100));
    }
    b
}

#[test]
fn load_bulk_keeps_ids_builds_indexes_and_facts() {
    let s = mem();
    let b = bulk(50, 5);
    s.load_bulk(b.clone()).unwrap();
    assert_eq!(s.settings().unwrap().daily_cap, 9);
    assert_eq!(s.categories().unwrap(), b.categories);
    assert_eq!(s.contacts().unwrap(), b.contacts);
    assert_eq!(s.contacts_in_stage(Stage::Customer).unwrap().len(), 25);
    for c in &b.contacts {
        assert_eq!(s.touches_of(c.id).unwrap().len(), 5);
        assert_eq!(s.sales_of(c.id).unwrap().len(), 1);
        assert_facts_consistent(&s, c.id);
    }
    let snap = s.snapshot().unwrap();
    assert_eq!(snap.contacts.len(), 50);
    assert!(snap.contacts.iter().all(|(_, f)| f.planned.len() == 1));
    assert_roster_consistent(&s);
    assert_eq!(
        s.touches_between(d(2000, 1, 1), d(2100, 1, 1))
            .unwrap()
            .len(),
        250
    );
    // Not undoable; counters continue after the largest ids.
    assert!(s.undo_log().unwrap().is_empty());
    let (c, t, sa, k) = s
        .write("next", |w| {
            Ok((
                w.new_contact_id()?,
                w.new_touch_id()?,
                w.new_sale_id()?,
                w.new_category_id()?,
            ))
        })
        .unwrap();
    assert_eq!(c, ContactId(101));
    assert_eq!(t, TouchId(261));
    assert_eq!(sa, SaleId(151));
    assert_eq!(k, CategoryId(4));
    // Only into an empty database.
    assert!(matches!(s.load_bulk(bulk(1, 1)), Err(StoreError::NotEmpty)));
}

#[test]
fn roster_rows_follow_every_change_and_its_undo() {
    let s = mem();
    assert!(s.roster().unwrap().rows.is_empty());
    let a = add_contact(&s, "Ada");
    let b = add_contact(&s, "Bob");
    assert_roster_consistent(&s);
    assert!(!s.profile(a).unwrap().unwrap().reachable);

    // Every step is one action; after each the roster must be consistent, and after undoing them
    // all in reverse it must be as after each step before.
    let mut states = vec![s.roster().unwrap().rows];
    let step = |s: &Store, states: &mut Vec<Vec<(Profile, Facts)>>, f: &dyn Fn(&Store)| {
        f(s);
        assert_roster_consistent(s);
        states.push(s.roster().unwrap().rows);
    };
    // A full record: reachable, company, snooze, category, cadence, birthday.
    step(&s, &mut states, &|s| {
        s.write("edit", |w| w.put_contact(&full_contact(a)))
            .unwrap();
        let p = s.profile(a).unwrap().unwrap();
        assert!(p.reachable);
        assert_eq!(p.snooze_until, Some(d(2026, 4, 1)));
        assert_eq!(p.company.as_deref(), Some("Analytical Engines"));
    });
    step(&s, &mut states, &|s| {
        add_touch(s, a, d(2026, 2, 1), TouchState::Done);
    });
    step(&s, &mut states, &|s| {
        add_touch(s, a, d(2026, 5, 1), TouchState::Planned);
    });
    step(&s, &mut states, &|s| {
        s.write("sale", |w| {
            let id = w.new_sale_id()?;
            w.put_sale(&sale(id, a, d(2026, 1, 15), 5000))
        })
        .unwrap();
        assert_eq!(s.facts(a).unwrap().last_sale, Some(d(2026, 1, 15)));
    });
    // Rename, new stage, no snooze, no way to reach them: one action.
    step(&s, &mut states, &|s| {
        s.write("edit", |w| {
            let mut c = w.contact(a)?.unwrap();
            c.name = "Augusta Ada King".into();
            c.stage = Stage::Archived;
            c.stage_changed = d(2026, 3, 9);
            c.snooze = None;
            c.emails.clear();
            c.phones.clear();
            c.address = None;
            w.put_contact(&c)
        })
        .unwrap();
        let p = s.profile(a).unwrap().unwrap();
        assert_eq!(p.name, "Augusta Ada King");
        assert_eq!(p.stage, Stage::Archived);
        assert_eq!(p.snooze_until, None);
        assert!(!p.reachable);
        // Archived rows stay in the roster: the planner skips them.
        assert_eq!(s.roster().unwrap().rows.len(), 2);
    });
    // A touch moved from one contact to the other: both rows change.
    step(&s, &mut states, &|s| {
        s.write("move", |w| {
            let t = w.touches_of(a)?.into_iter().next().unwrap();
            w.put_touch(&Touch { contact: b, ..t })
        })
        .unwrap();
        assert_eq!(s.facts(b).unwrap().done_count, 1);
        assert_eq!(s.facts(a).unwrap().done_count, 0);
    });
    // A touch deleted, and inside the action the facts already show it.
    step(&s, &mut states, &|s| {
        s.write("delete", |w| {
            let t = w.touches_of(a)?.into_iter().next().unwrap();
            w.delete_touch(t.id)?;
            assert!(w.facts(a)?.planned.is_empty());
            Ok(())
        })
        .unwrap();
    });
    // A contact made with its history in one action.
    step(&s, &mut states, &|s| {
        s.write("add with history", |w| {
            let id = w.new_contact_id()?;
            let tid = w.new_touch_id()?;
            w.put_touch(&touch(tid, id, d(2026, 1, 3), TouchState::Done))?;
            w.put_contact(&Contact::new(id, "Cy", today()))?;
            assert_eq!(w.facts(id)?.done_count, 1);
            Ok(())
        })
        .unwrap();
        assert_eq!(s.roster().unwrap().rows.len(), 3);
        assert_eq!(s.roster().unwrap().rows[2].1.done_count, 1);
    });

    let done = states.pop().unwrap();
    assert_eq!(s.roster().unwrap().rows, done);
    while let Some(before) = states.pop() {
        s.undo().unwrap().unwrap();
        assert_roster_consistent(&s);
        assert_eq!(s.roster().unwrap().rows, before);
    }
    // Undoing the creations removes the rows.
    s.undo().unwrap().unwrap();
    assert_roster_consistent(&s);
    assert_eq!(s.profile(b).unwrap(), None);
    s.undo().unwrap().unwrap();
    assert_roster_consistent(&s);
    assert_eq!(s.profile(a).unwrap(), None);
    assert_eq!(s.facts(a).unwrap(), Facts::default());
    assert!(s.roster().unwrap().rows.is_empty());
}

#[test]
fn roster_of_the_demo_diary_matches_its_snapshot() {
    let s = mem();
    s.load_bulk(tickler::demo::generate(300, 7, today()))
        .unwrap();
    let roster = s.roster().unwrap();
    assert_eq!(roster.rows.len(), 300);
    assert!(roster.rows.windows(2).all(|w| w[0].0.id < w[1].0.id));
    assert_roster_consistent(&s);
    // The kept roster is the roster without the archived rows, nothing else changed.
    let kept = s.roster_kept().unwrap();
    let expected: Vec<_> = roster
        .rows
        .iter()
        .filter(|(p, _)| p.stage.is_kept())
        .cloned()
        .collect();
    assert!(
        expected.len() < roster.rows.len(),
        "the demo has archived contacts"
    );
    assert_eq!(kept.rows, expected);
    assert_eq!(kept.settings, roster.settings);
    assert_eq!(kept.categories, roster.categories);
}

// ---- files ----

#[test]
fn a_new_file_is_created_with_its_directories_and_reopens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/diary.tickler");
    let a = {
        let s = Store::open(&path).unwrap();
        assert_eq!(s.path(), Some(path.as_path()));
        let a = add_contact(&s, "A");
        add_touch(&s, a, d(2026, 3, 11), TouchState::Planned);
        a
    };
    let s = Store::open(&path).unwrap();
    assert_eq!(s.contact(a).unwrap().unwrap().name, "A");
    assert_eq!(s.facts(a).unwrap().planned.len(), 1);
    assert_eq!(s.undo_log().unwrap().len(), 2);
    assert_eq!(s.undo().unwrap(), Some("add touch".into()));
    drop(s);
    let s = Store::open(&path).unwrap();
    assert!(s.touches_of(a).unwrap().is_empty());
    // No temporary file left next to it.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("diary.tickler")]);
}

#[test]
fn a_file_open_elsewhere_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.tickler");
    let s = Store::open(&path).unwrap();
    add_contact(&s, "A");
    let started = std::time::Instant::now();
    match Store::open(&path) {
        Err(StoreError::Locked { path: p }) => assert_eq!(p, path),
        other => panic!("expected Locked, got {other:?}"),
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "must not wait"
    );
    drop(s);
    Store::open(&path).unwrap();
}

// Files that are not ours, damaged, read-only or on a full disk: tests/reliability_files.rs.

#[test]
fn garbage_in_a_record_is_a_codec_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.tickler");
    let a = {
        let s = Store::open(&path).unwrap();
        add_contact(&s, "A")
    };
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(redb::TableDefinition::<u64, &[u8]>::new("contacts"))
            .unwrap()
            .insert(a.0, [1u8, 0xff, 0xff, 0xff].as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let s = Store::open(&path).unwrap();
    let e = s.contact(a).unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::Codec {
                table: "contacts",
                ..
            }
        ),
        "{e}"
    );
    assert!(matches!(s.snapshot(), Err(StoreError::Codec { .. })));
}

#[test]
fn reading_sessions_share_the_file_and_never_write_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.tickler");
    {
        let s = Store::open(&path).unwrap();
        s.load_bulk(bulk(20, 2)).unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let a = Store::open(&path).unwrap();
    let b = Store::open(&path).unwrap();
    assert!(!a.is_writable() && !b.is_writable());
    assert_eq!(a.snapshot().unwrap().contacts.len(), 20);
    assert_eq!(b.contacts().unwrap().len(), 20);
    // A write needs the file to itself.
    let e = a.write("add", |w| w.new_contact_id()).unwrap_err();
    assert!(matches!(e, StoreError::Locked { .. }), "{e}");
    // ... and the failed attempt leaves `a` reading.
    assert_eq!(a.contacts().unwrap().len(), 20);
    drop(b);
    drop(a);
    assert_unchanged(&path, &bytes);
    // Alone, the first write reopens the file writable.
    let a = Store::open(&path).unwrap();
    add_contact(&a, "new");
    assert!(a.is_writable());
    assert!(matches!(Store::open(&path), Err(StoreError::Locked { .. })));
}

#[test]
fn stage_moves_follow_creation_every_stage_change_and_undo() {
    use tickler::actions;
    let s = mem();
    let a = add_contact(&s, "A");
    let later = d(2026, 4, 1);
    let mv = |target, reason, on| {
        let req = actions::MoveRequest {
            contact: a.into(),
            target,
            reason,
            keep_planned: false,
        };
        actions::move_stage(&s, &req, on).unwrap();
    };
    mv(Stage::Qualified, None, later);
    let no = Some(NoReason::NoMoney);
    mv(Stage::StayInTouch, no, d(2026, 5, 1));
    mv(Stage::Archived, no, d(2026, 6, 1));
    actions::restore(
        &s,
        &actions::RestoreRequest { contact: a.into() },
        d(2026, 7, 1),
    )
    .unwrap();
    // A change that keeps the stage records nothing.
    s.write("rename", |w| {
        let mut c = w.contact(a)?.unwrap();
        c.name = "Aa".into();
        w.put_contact(&c)
    })
    .unwrap();
    let mv = |date, from, to, reason| StageMove {
        contact: a,
        date,
        from,
        to,
        reason,
    };
    let all = vec![
        mv(today(), None, Stage::Lead, None),
        mv(later, Some(Stage::Lead), Stage::Qualified, None),
        mv(
            d(2026, 5, 1),
            Some(Stage::Qualified),
            Stage::StayInTouch,
            no,
        ),
        mv(d(2026, 6, 1), Some(Stage::StayInTouch), Stage::Archived, no),
        mv(d(2026, 7, 1), Some(Stage::Archived), Stage::StayInTouch, no),
    ];
    assert_eq!(s.stage_moves().unwrap(), all);
    s.undo().unwrap(); // the rename
    s.undo().unwrap(); // the restore
    assert_eq!(s.stage_moves().unwrap(), all[..4]);
    s.undo().unwrap();
    s.undo().unwrap();
    s.undo().unwrap();
    s.undo().unwrap(); // the add
    assert!(s.stage_moves().unwrap().is_empty());
}

#[test]
fn load_bulk_without_a_stage_history_starts_one_per_contact() {
    let s = mem();
    let b = bulk(20, 1);
    let expected: Vec<StageMove> = b
        .contacts
        .iter()
        .map(|c| StageMove {
            contact: c.id,
            date: c.stage_changed,
            from: None,
            to: c.stage,
            reason: c.stage.is_out().then_some(c.no_reason).flatten(),
        })
        .collect();
    s.load_bulk(b).unwrap();
    assert_eq!(s.stage_moves().unwrap(), expected);
}

/// A file written by schema 1 (no stage history) opens, migrates to the current schema once, and
/// gets one move per contact from its current stage and stage date.
#[test]
fn a_version_1_file_migrates_to_a_stage_history() {
    use redb::{ReadableDatabase, TableDefinition};
    const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.tickler");
    let b = bulk(30, 2);
    let contacts = b.contacts.clone();
    {
        let s = Store::open(&path).unwrap();
        s.load_bulk(b).unwrap();
    }
    // Make it a version 1 file: no stage_moves table, no counter, version 1.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        assert!(
            txn.delete_table(TableDefinition::<(u64, i32, u64), &[u8]>::new(
                "stage_moves"
            ))
            .unwrap()
        );
        {
            let mut m = txn.open_table(META).unwrap();
            m.remove("next_stage_move").unwrap();
            m.insert("schema_version", 1u32.to_le_bytes().as_slice())
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let s = Store::open(&path).unwrap();
    let moves = s.stage_moves().unwrap();
    assert_eq!(moves.len(), contacts.len());
    for (m, c) in moves.iter().zip(&contacts) {
        assert_eq!(
            (m.contact, m.date, m.from, m.to),
            (c.id, c.stage_changed, None, c.stage)
        );
    }
    // New moves continue after the seeded ones, and undo still works.
    let c = contacts.iter().find(|c| c.stage == Stage::Lead).unwrap();
    let req = tickler::actions::MoveRequest {
        contact: c.id.into(),
        target: Stage::Proposal,
        reason: None,
        keep_planned: false,
    };
    tickler::actions::move_stage(&s, &req, today()).unwrap();
    assert_eq!(s.stage_moves().unwrap().len(), contacts.len() + 1);
    s.undo().unwrap();
    assert_eq!(s.stage_moves().unwrap(), moves);
    drop(s);
    let db = redb::Database::open(&path).unwrap();
    let txn = db.begin_read().unwrap();
    let v = txn
        .open_table(META)
        .unwrap()
        .get("schema_version")
        .unwrap()
        .unwrap();
    assert_eq!(v.value(), SCHEMA_VERSION.to_le_bytes().as_slice());
    assert_eq!(SCHEMA_VERSION, 5);
}

/// A store that releases the file between actions (as the full-screen diary does) takes turns
/// with another store on the same file: each sees the other's writes, a write while the other
/// holds the file waits and then fails `Locked` (never "closed" for good), nothing is lost.
#[test]
fn a_released_store_takes_turns_with_another_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.redb");
    let wait = std::time::Duration::from_millis(300);
    let a = Store::open_waiting(&path, wait).unwrap();
    let ca = add_contact(&a, "A");
    assert!(a.is_writable());
    // Held: another open cannot have the file.
    assert!(matches!(Store::open(&path), Err(StoreError::Locked { .. })));
    let seen = a.changes().unwrap();
    assert_eq!(a.own_changes(), 1);
    a.release().unwrap();
    assert!(!a.is_held());
    a.release().unwrap();

    // Released: another store opens, writes and keeps the file writable.
    let b = Store::open_waiting(&path, wait).unwrap();
    let cb = add_contact(&b, "B");
    assert_eq!(b.changes().unwrap(), seen + 1);
    // The first one cannot read or write meanwhile: `Locked` after its wait, state unchanged.
    assert!(matches!(a.contact(cb), Err(StoreError::Locked { .. })));
    assert!(matches!(
        a.write("blocked", |w| w.new_touch_id()),
        Err(StoreError::Locked { .. })
    ));
    assert!(matches!(
        a.hold(std::time::Duration::ZERO),
        Err(StoreError::Locked { .. })
    ));
    b.release().unwrap();

    // The first one reads the other's write (its change count moved by one it did not make)...
    assert_eq!(a.contact(cb).unwrap().unwrap().name, "B");
    assert_eq!(a.changes().unwrap(), seen + 1);
    assert_eq!(a.own_changes(), 1);
    assert!(!a.is_writable(), "a read reopens read-only");
    // ... writes again, and undoes its own write.
    let t = add_touch(&a, ca, d(2026, 3, 11), TouchState::Done);
    assert_eq!(a.own_changes(), 2);
    a.release().unwrap();
    assert_eq!(b.touch(t).unwrap().unwrap().contact, ca);
    b.release().unwrap();
    assert_eq!(a.undo().unwrap().as_deref(), Some("add touch"));
    a.release().unwrap();
    // A failed action leaves the store usable.
    let failed: Result<(), StoreError> = a.write("fails", |_| {
        Err(StoreError::NotFound {
            kind: "thing",
            id: 1,
        })
    });
    assert!(failed.is_err());
    a.release().unwrap();
    assert!(b.touch(t).unwrap().is_none());
    assert_eq!(b.contact(ca).unwrap().unwrap().name, "A");
    assert_eq!(b.changes().unwrap(), seen + 3);
    let labels: Vec<String> = b.undo_log().unwrap().into_iter().map(|e| e.label).collect();
    assert_eq!(labels, ["add B", "add A"]);
    drop(b);
    drop(a);
    let s = Store::open(&path).unwrap();
    assert!(s.check_integrity().unwrap());
    assert!(s.check_invariants().unwrap().is_sound());
}

/// A file deleted while released is an error at the next read, not a new empty diary.
#[test]
fn a_released_store_does_not_recreate_a_deleted_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gone.redb");
    let s = Store::open(&path).unwrap();
    add_contact(&s, "A");
    s.release().unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(s.contact(ContactId(1)).is_err());
    assert!(s.write("x", |w| w.new_touch_id()).is_err());
    assert!(!path.exists());
}
