//! Planner invariants over arbitrary histories: dates far in the past and the future, leap days,
//! year ends, every fiscal start month, odd settings.

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;
use std::collections::BTreeMap;
use tickler::model::{
    Birthday, Cadence, Category, CategoryId, Channel, Contact, ContactId, Direction, HurryReason,
    NoReason, Profile, Sale, SaleId, Settings, Snooze, Stage, Touch, TouchId, TouchState,
};
use tickler::planner::{
    self, DueReason, Entry, Facts, agenda, check_guard, earliest_allowed, fiscal::fiscal_year,
    lybunt, next_due, pick_day, review, summarize,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn plus(date: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        date.checked_add_days(Days::new(n as u64)).unwrap()
    } else {
        date.checked_sub_days(Days::new(n.unsigned_abs())).unwrap()
    }
}

/// A date: mostly near 2026, sometimes centuries away, often on a leap day or a year end.
fn date() -> impl Strategy<Value = NaiveDate> {
    let base = d(2026, 11, 24);
    prop_oneof![
        4 => (-60i64..60).prop_map(move |n| plus(base, n)),
        3 => (-800i64..400).prop_map(move |n| plus(base, n)),
        1 => (-100_000i64..100_000).prop_map(move |n| plus(base, n)),
        1 => (1600i32..2400, 0usize..4).prop_map(|(y, k)| {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            match k {
                0 if leap => d(y, 2, 29),
                0 | 1 => d(y, 12, 31),
                2 => d(y, 1, 1),
                _ => d(y, 2, 28),
            }
        }),
    ]
}

/// "Today": near 2026, or on a year end, leap day or far away.
fn today() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        6 => (-30i64..30).prop_map(|n| plus(d(2026, 11, 24), n)),
        2 => (-400i64..400).prop_map(|n| plus(d(2026, 11, 24), n)),
        1 => Just(d(2028, 2, 29)),
        1 => Just(d(2026, 12, 31)),
        1 => Just(d(2027, 1, 1)),
        1 => (1700i32..2300, 1u32..=12, 1u32..=28).prop_map(|(y, m, day)| d(y, m, day)),
    ]
}

fn channel() -> impl Strategy<Value = Channel> {
    proptest::sample::select(Channel::ALL.to_vec())
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        (0u32..8, 1u32..8, 0u32..45, 0u32..5, 0u32..6),
        (1u32..=12, 0u32..15, 1u32..6, 50u32..250, 0u32..6),
    )
        .prop_map(
            |((gap, cap, window, daily, level), (fiscal, lead, forward, worst, sit))| Settings {
                min_gap_days: gap,
                max_touches_per_window: cap,
                window_days: window,
                daily_cap: daily,
                levelling_window_days: level,
                fiscal_year_start_month: fiscal,
                birthday_lead_days: lead,
                move_forward_after: forward,
                at_worst_pct: worst,
                stay_in_touch_cadence: Cadence::months(sit + 1),
                ..Settings::default()
            },
        )
}

fn touch() -> impl Strategy<Value = (NaiveDate, Channel, bool, u8)> {
    (date(), channel(), any::<bool>(), 0u8..10)
}

fn touches(contact: ContactId, first_id: u64) -> impl Strategy<Value = Vec<Touch>> {
    proptest::collection::vec(touch(), 0..14).prop_map(move |ts| {
        ts.into_iter()
            .enumerate()
            .map(|(i, (date, channel, inbound, state))| Touch {
                id: TouchId(first_id + i as u64),
                contact,
                date,
                channel,
                direction: if inbound {
                    Direction::In
                } else {
                    Direction::Out
                },
                summary: String::new(),
                state: match state {
                    0..=5 => TouchState::Done,
                    6..=8 => TouchState::Planned,
                    _ => TouchState::Skipped,
                },
            })
            .collect()
    })
}

fn sales(contact: ContactId) -> impl Strategy<Value = Vec<Sale>> {
    proptest::collection::vec((date(), 1i64..1_000_000), 0..4).prop_map(move |v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (date, amount_cents))| Sale {
                id: SaleId(i as u64),
                contact,
                date,
                amount_cents,
                currency: "EUR".into(),
                note: String::new(),
            })
            .collect()
    })
}

fn no_reason() -> impl Strategy<Value = Option<NoReason>> {
    proptest::option::of(proptest::sample::select(vec![
        NoReason::NoNeed,
        NoReason::NoInterest,
        NoReason::NoMoney,
        NoReason::NoHurry(None),
        NoReason::NoHurry(Some(HurryReason::BuyingIsWork)),
        NoReason::NotAFit,
    ]))
}

/// One contact with its touches and sales.
#[derive(Debug, Clone)]
struct Case {
    contact: Contact,
    touches: Vec<Touch>,
    sales: Vec<Sale>,
}

fn case(id: u64) -> impl Strategy<Value = Case> {
    let cid = ContactId(id);
    (
        (
            proptest::sample::select(Stage::ALL.to_vec()),
            date(),
            date(),
            proptest::option::of((1u32..=12, 1u32..=31)),
            proptest::option::of(0u64..4),
        ),
        (
            proptest::option::of(1u32..200),
            proptest::option::of((date(), 0i64..90)),
            no_reason(),
            any::<bool>(),
        ),
        touches(cid, id * 1000),
        sales(cid),
    )
        .prop_map(
            move |(
                (stage, created, changed, bday, cat),
                (cadence, snooze, no, reachable),
                touches,
                sales,
            )| {
                let mut c = Contact::new(cid, format!("c{id}"), created);
                c.stage = stage;
                c.stage_changed = changed;
                c.birthday = bday.and_then(|(m, day)| Birthday::new(m, day, None));
                c.category = cat.map(CategoryId);
                c.cadence = cadence.map(Cadence::days);
                c.snooze = snooze.map(|(since, len)| Snooze {
                    until: plus(since, len),
                    since,
                    note: String::new(),
                });
                c.no_reason = no;
                if reachable {
                    c.emails.push("a@example.com".into());
                }
                Case {
                    contact: c,
                    touches,
                    sales,
                }
            },
        )
}

fn cases() -> impl Strategy<Value = Vec<Case>> {
    (0usize..12).prop_flat_map(|n| (1..=n as u64).map(case).collect::<Vec<_>>())
}

fn categories() -> Vec<Category> {
    let mixes = [
        vec![],
        vec![Channel::Call, Channel::Email],
        vec![Channel::Newsletter, Channel::MassMailing],
        vec![Channel::Newsletter, Channel::Postcard, Channel::Sample],
    ];
    mixes
        .into_iter()
        .enumerate()
        .map(|(i, channel_mix)| Category {
            id: CategoryId(i as u64),
            name: format!("k{i}"),
            cadence: [
                Cadence::days(14),
                Cadence::weeks(6),
                Cadence::months(3),
                Cadence::days(1),
            ][i],
            channel_mix,
            priority: (i as u8) * 3 + 1,
            broadcasts_suffice: i % 2 == 1,
            description: String::new(),
        })
        .collect()
}

struct World {
    cases: Vec<Case>,
    profiles: Vec<Profile>,
    facts: Vec<Facts>,
    cats: Vec<Category>,
}

impl World {
    fn new(cases: Vec<Case>) -> Self {
        let facts = cases
            .iter()
            .map(|c| summarize(&c.touches, &c.sales))
            .collect();
        let profiles = cases.iter().map(|c| c.contact.profile()).collect();
        World {
            cases,
            profiles,
            facts,
            cats: categories(),
        }
    }

    fn entries(&self) -> Vec<Entry<'_>> {
        self.cases
            .iter()
            .zip(&self.facts)
            .zip(&self.profiles)
            .map(|((c, facts), profile)| Entry {
                contact: profile,
                facts,
                category: c
                    .contact
                    .category
                    .and_then(|k| self.cats.iter().find(|cat| cat.id == k)),
            })
            .collect()
    }
}

const PROPOSALS: [DueReason; 6] = [
    DueReason::Cadence,
    DueReason::AtRisk,
    DueReason::Adrift,
    DueReason::Lybunt,
    DueReason::TryAgain,
    DueReason::Birthday,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn agenda_never_proposes_inside_the_guard(
        cases in cases(), s in settings(), today in today(), from_off in -30i64..10, len in 0i64..40,
    ) {
        let w = World::new(cases);
        let entries = w.entries();
        let from = plus(today, from_off);
        let to = plus(from, len);
        let a = agenda(&entries, &s, today, from, to);
        let items = a.overdue.iter().chain(a.days.iter().flat_map(|d| &d.items));
        for item in items {
            let due = &item.due;
            if !PROPOSALS.contains(&due.reason) || due.date < today {
                continue;
            }
            let e = entries.iter().find(|e| e.contact.id == due.contact).unwrap();
            prop_assert!(
                check_guard(e.facts, &s, due.date, None).is_ok(),
                "{:?} inside the guard of {:?}", due, e.facts
            );
            prop_assert!(due.channel.is_personal() || due.reason != DueReason::Birthday);
        }
        // Days: one per date from max(from, today) to `to`, overdue before that.
        let start = from.max(today);
        let want = if to >= start { (to - start).num_days() + 1 } else { 0 };
        prop_assert_eq!(a.days.len() as i64, want);
        for (i, day) in a.days.iter().enumerate() {
            prop_assert_eq!(day.date, plus(start, i as i64));
            prop_assert!(day.items.iter().all(|it| it.due.date == day.date));
        }
        prop_assert!(a.overdue.iter().all(|it| it.due.date < start));
    }

    #[test]
    fn one_next_due_per_kept_contact(cases in cases(), s in settings(), today in today()) {
        let w = World::new(cases);
        for e in w.entries() {
            let n = next_due(e, &s, today);
            if e.contact.stage == Stage::Archived {
                prop_assert!(n.is_none());
            } else {
                let n = n.unwrap();
                prop_assert_eq!(n.contact, e.contact.id);
                prop_assert_eq!(n.days_overdue, (today - n.date).num_days().max(0));
                prop_assert_eq!(n.touch.is_some(), n.reason == DueReason::Planned);
                if n.reason == DueReason::Planned {
                    prop_assert_eq!(Some(&n.touch.unwrap()), e.facts.planned.first().map(|p| &p.id));
                }
                if n.date > today {
                    prop_assert_eq!(n.urgency, planner::Urgency::Upcoming);
                }
                if PROPOSALS.contains(&n.reason) && n.date >= today {
                    prop_assert!(check_guard(e.facts, &s, n.date, None).is_ok(), "{:?}", n);
                }
            }
        }
        // Over a range that covers every next due, each kept contact shows up with its next due.
        let entries = w.entries();
        let a = agenda(&entries, &s, today, today, plus(today, 30));
        for e in &entries {
            let Some(n) = next_due(*e, &s, today) else {
                prop_assert!(a.overdue.iter().chain(a.days.iter().flat_map(|d| &d.items))
                    .all(|it| it.due.contact != e.contact.id));
                continue;
            };
            let shown = a.overdue.iter().chain(a.days.iter().flat_map(|d| &d.items))
                .filter(|it| it.due == n)
                .count();
            prop_assert_eq!(shown, usize::from(n.date <= plus(today, 30)));
        }
    }

    #[test]
    fn results_do_not_depend_on_input_order(
        (cases, shuffled) in cases().prop_flat_map(|c| (Just(c.clone()), Just(c).prop_shuffle())),
        s in settings(),
        today in today(),
    ) {
        let a = World::new(cases);
        let b = World::new(shuffled);
        let (ea, eb) = (a.entries(), b.entries());
        let (from, to) = (plus(today, -7), plus(today, 7));
        prop_assert_eq!(agenda(&ea, &s, today, from, to), agenda(&eb, &s, today, from, to));
        prop_assert_eq!(lybunt(&ea, &s, today), lybunt(&eb, &s, today));
        prop_assert_eq!(review(&ea, &s, today), review(&eb, &s, today));
    }

    #[test]
    fn summarize_does_not_depend_on_touch_order(
        (touches, shuffled) in touches(ContactId(1), 0)
            .prop_flat_map(|t| (Just(t.clone()), Just(t).prop_shuffle())),
        sales in sales(ContactId(1)),
    ) {
        let mut rev_sales = sales.clone();
        rev_sales.reverse();
        let f = summarize(&touches, &sales);
        prop_assert_eq!(&f, &summarize(&shuffled, &rev_sales));
        prop_assert!(f.done_outbound.windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(f.planned.windows(2).all(|w| (w[0].date, w[0].id) <= (w[1].date, w[1].id)));
        let done = touches.iter().filter(|t| t.state == TouchState::Done).count();
        prop_assert_eq!(f.done_count as usize, done);
        prop_assert_eq!(f.recent_channels.len(), done.min(planner::facts::RECENT_CHANNELS));
    }

    #[test]
    fn fiscal_year_contains_its_date(date in date(), start in 0u32..=14) {
        let (first, last) = fiscal_year(date, start);
        prop_assert!(first <= date && date <= last);
        let len = (last - first).num_days() + 1;
        prop_assert!(len == 365 || len == 366, "{len} days");
        prop_assert_eq!(first.day(), 1);
        let m = if (1..=12).contains(&start) { start } else { 1 };
        prop_assert_eq!(first.month(), m);
        prop_assert_eq!(last.succ_opt().map(|n| fiscal_year(n, start).0), last.succ_opt());
    }

    #[test]
    fn earliest_allowed_is_allowed(
        t in touches(ContactId(1), 0), s in settings(), from in date(),
    ) {
        let f = summarize(&t, &[]);
        let e = earliest_allowed(&f, &s, from, None);
        prop_assert!(e >= from);
        prop_assert!(check_guard(&f, &s, e, None).is_ok());
        // And it is the first: the day before (if not before `from`) is refused.
        if e > from {
            prop_assert!(check_guard(&f, &s, e.pred_opt().unwrap(), None).is_err());
        }
    }

    #[test]
    fn pick_day_respects_today_cap_and_guard(
        t in touches(ContactId(1), 0),
        s in settings(),
        today in today(),
        wanted_off in -20i64..20,
        load in proptest::collection::vec((0i64..15, 0u32..6), 0..15),
    ) {
        let f = summarize(&t, &[]);
        let wanted = plus(today, wanted_off);
        let load: BTreeMap<NaiveDate, u32> =
            load.into_iter().map(|(off, n)| (plus(today, off), n)).collect();
        let day = pick_day(&load, &f, &s, wanted, today, None);
        prop_assert!(day >= today);
        prop_assert!(check_guard(&f, &s, day, None).is_ok());
        let start = wanted.max(today);
        let free = (0..=i64::from(s.levelling_window_days))
            .map(|i| plus(start, i))
            .any(|x| load.get(&x).copied().unwrap_or(0) < s.daily_cap
                && check_guard(&f, &s, x, None).is_ok());
        if free {
            prop_assert!(load.get(&day).copied().unwrap_or(0) < s.daily_cap);
            prop_assert!(day <= plus(start, i64::from(s.levelling_window_days)));
        }
    }
}

fn reversed<T: Clone>(v: &[T]) -> Vec<T> {
    v.iter().rev().cloned().collect()
}

/// Stage moves for contacts `1..=n`, consistent or not: the insights must take any history.
fn moves(n: u64) -> impl Strategy<Value = Vec<tickler::model::StageMove>> {
    proptest::collection::vec(
        (
            1..=n.max(1),
            date(),
            proptest::option::of(proptest::sample::select(Stage::ALL.to_vec())),
            proptest::sample::select(Stage::ALL.to_vec()),
            no_reason(),
        ),
        0..40,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(c, date, from, to, reason)| tickler::model::StageMove {
                contact: ContactId(c),
                date,
                from,
                to,
                reason,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The insights' totals are the sums of their parts, shares are shares, and the input order
    /// does not matter, whatever the history (year ends, fiscal start months, far dates).
    #[test]
    fn insights_add_up_and_ignore_input_order(
        (cases, moves) in cases().prop_flat_map(|c| {
            let n = c.len() as u64;
            (Just(c), moves(n))
        }),
        s in settings(),
        today in today(),
    ) {
        let w = World::new(cases);
        let cats = w.cats.clone();
        let rows: Vec<(Profile, Facts)> =
            w.profiles.iter().cloned().zip(w.facts.iter().cloned()).collect();
        let touches: Vec<Touch> = w.cases.iter().flat_map(|c| c.touches.clone()).collect();
        let sales: Vec<Sale> = w.cases.iter().flat_map(|c| c.sales.clone()).collect();
        let diary = planner::Diary {
            settings: &s,
            categories: &cats,
            rows: &rows,
            touches: &touches,
            sales: &sales,
            moves: &moves,
        };
        let i = planner::insights(&diary, today);

        let k = &i.keeping_in_touch;
        prop_assert_eq!(k.weeks.len(), 26);
        prop_assert_eq!(k.weeks.iter().map(|x| x.personal).sum::<u32>(), k.personal);
        prop_assert_eq!(k.weeks.iter().map(|x| x.broadcast).sum::<u32>(), k.broadcast);
        prop_assert!(k.within_cadence <= k.kept && k.at_risk <= k.kept && k.adrift <= k.kept);
        prop_assert!(k.within_cadence_percent.is_none_or(|p| p <= 100));

        let l = &i.lybunt;
        prop_assert_eq!(l.months.len(), 12);
        prop_assert_eq!(l.months.iter().map(|m| m.cents).sum::<i64>(), l.total_cents);
        prop_assert_eq!(l.months.iter().map(|m| m.contacts).sum::<u32>(), l.contacts);
        prop_assert!(l.at_risk_cents == 0 || l.at_risk_cents == l.total_cents);
        prop_assert!(l.from <= l.to && l.to < today);

        let p = &i.pipeline;
        prop_assert_eq!(p.stages.iter().map(|x| x.contacts as usize).sum::<usize>(), rows.len());
        for st in &p.stages {
            prop_assert_eq!(st.median_days.is_some(), st.stays > 0);
            prop_assert!(st.median_days.is_none_or(|d| d >= 0));
        }

        let n = &i.no_reasons;
        prop_assert!(n.came_back <= n.said_no);
        prop_assert_eq!(n.reasons.iter().map(|r| r.said_no).sum::<u32>(), n.said_no);
        prop_assert_eq!(n.reasons.iter().map(|r| r.came_back).sum::<u32>(), n.came_back);
        for r in n.reasons.iter().chain([&n.no_hurry]) {
            prop_assert!(r.came_back <= r.said_no, "{}", r.reason);
        }

        let c = &i.channels;
        prop_assert_eq!(c.channels.iter().map(|x| x.touches).sum::<u32>(), c.touches);
        prop_assert_eq!(c.channels.iter().map(|x| x.followed).sum::<u32>(), c.followed);
        for ch in &c.channels {
            prop_assert!(ch.followed <= ch.touches);
            prop_assert!(ch.followed_percent.is_none_or(|p| p <= 100));
        }

        // Reversed inputs, same figures. One contact's moves keep their order: two moves on one
        // day (lead -> qualified -> proposal) are ordered only by it, as the store keeps them.
        let (rows_r, touches_r, sales_r) = (reversed(&rows), reversed(&touches), reversed(&sales));
        let mut moves_r = moves.clone();
        moves_r.sort_by_key(|m| std::cmp::Reverse(m.contact));
        let reversed = planner::Diary {
            settings: &s,
            categories: &cats,
            rows: &rows_r,
            touches: &touches_r,
            sales: &sales_r,
            moves: &moves_r,
        };
        prop_assert_eq!(planner::insights(&reversed, today), i);
    }
}
