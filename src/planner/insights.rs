//! The health of the diary at a glance: every figure of the insights pane and of
//! `tickler insights`, computed in one pass over plain data (no I/O, `today` is a parameter).
//!
//! Definitions (the README's "Insights" section says the same for users):
//! - **Keeping in touch**: done touches per week over the last 26 weeks (week 26 is the 7 days
//!   ending today), personal and broadcast apart. A kept contact is *within its cadence* when its
//!   last real touch (broadcasts count where the category says they suffice) plus its effective
//!   cadence is today or later; *at risk* and *adrift* are the planner's (see [`super::due`]).
//! - **LYBUNT**: the planner's [`lybunt`] list, its last year's sales by the month of the
//!   contact's last purchase (the months of the previous fiscal year), the total at stake and the
//!   part at risk (the whole total once less than a quarter of the year is left).
//! - **Pipeline**: contacts per stage, and per stage the median (the lower middle one for an even
//!   count) of the days spent in it, over every completed stay of the stage history.
//! - **Why they said no**: every "no" of the stage history ([`StageMove::no_reason`]) by reason,
//!   and how many of them came back: moved forward ([`StageMove::is_forward`]) within 365 days.
//! - **Channels**: done touches of the last 12 months by channel, and how many of them were
//!   followed, the same day or within the 60 days after, by a move forward or a sale of the same
//!   contact (of the roster).
//!
//! Cost: one pass over the touches, the sales and the stage history, and the planner's next due
//! of each kept contact, the latter on a second thread (scoped; no I/O).

use super::fiscal::fiscal_year;
use super::{Entry, Facts, add_days, days_between, due, lybunt, month_index};
use crate::model::{
    Category, Channel, ContactId, NoReason, Profile, Sale, Settings, Stage, StageMove, Touch,
    TouchState,
};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// Weeks of the touches sparkline.
pub const WEEKS: usize = 26;
/// A touch counts as working when a move forward or a sale follows within this many days.
pub const FOLLOW_DAYS: i64 = 60;
/// A "no" came back when the contact moved forward within this many days.
pub const CAME_BACK_DAYS: i64 = 365;

/// Everything the insights read: the roster (as the store keeps it), the touches and sales (any
/// order, any dates; only the windows above count) and the stage history (any order).
#[derive(Debug, Clone, Copy)]
pub struct Diary<'a> {
    pub settings: &'a Settings,
    pub categories: &'a [Category],
    pub rows: &'a [(Profile, Facts)],
    pub touches: &'a [Touch],
    pub sales: &'a [Sale],
    pub moves: &'a [StageMove],
}

/// Every figure of the insights pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Insights {
    pub today: NaiveDate,
    pub keeping_in_touch: KeepingInTouch,
    pub lybunt: LybuntFigures,
    pub pipeline: Pipeline,
    pub no_reasons: NoReasons,
    pub channels: Channels,
}

/// Done touches of one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WeekTouches {
    /// The first day of the week (the last week ends today).
    pub start: NaiveDate,
    pub personal: u32,
    pub broadcast: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeepingInTouch {
    /// Oldest first; the last one ends today.
    pub weeks: Vec<WeekTouches>,
    /// Done personal touches over the 26 weeks.
    pub personal: u32,
    /// Done broadcast touches over the 26 weeks.
    pub broadcast: u32,
    /// Kept (not archived) contacts.
    pub kept: u32,
    /// Kept contacts touched within their cadence.
    pub within_cadence: u32,
    /// `within_cadence` of `kept`, in percent (rounded; null without kept contacts).
    pub within_cadence_percent: Option<u32>,
    pub at_risk: u32,
    pub adrift: u32,
}

/// LYBUNT value of one month of last fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthValue {
    pub year: i32,
    pub month: u32,
    /// Last year's sales of the LYBUNT contacts whose last purchase fell in this month.
    pub cents: i64,
    pub contacts: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LybuntFigures {
    /// The previous fiscal year.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The twelve months of the previous fiscal year, in order.
    pub months: Vec<MonthValue>,
    pub contacts: u32,
    /// Cents of every currency added (the chart's scale); [`LybuntFigures::totals`] keeps
    /// currencies apart.
    pub total_cents: i64,
    pub at_risk_cents: i64,
    /// Last year's sales of the LYBUNT contacts per currency: amounts in different currencies
    /// are never added.
    pub totals: Vec<super::lybunt::CurrencyTotal>,
}

impl LybuntFigures {
    /// The "at risk of LYBUNT" part of a caption, given the at-risk total already formatted. The
    /// planner's at-risk flag is the same for every LYBUNT customer (less than a quarter of the
    /// fiscal year left), so the phrase says which case it is rather than repeating the total.
    pub fn risk_phrase(&self, at_risk: &str) -> String {
        if self.total_cents == 0 {
            "nothing at risk".into()
        } else if self.at_risk_cents == 0 {
            "none at risk before the last quarter".into()
        } else if self.at_risk_cents == self.total_cents {
            "all at risk: the year's last quarter".into()
        } else {
            format!("{at_risk} at risk")
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StageFigures {
    pub stage: Stage,
    /// Contacts in this stage now.
    pub contacts: u32,
    /// Completed stays in this stage found in the history.
    pub stays: u32,
    /// Median days of those stays (null without any).
    pub median_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pipeline {
    /// Every stage, in pipeline order.
    pub stages: Vec<StageFigures>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReasonFigures {
    /// As written on the command line (`no-hurry` alone is a "no hurry" without a sub-reason).
    pub reason: &'static str,
    pub said_no: u32,
    pub came_back: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoReasons {
    /// One per reason, in the order of `NoReason::NAMES`.
    pub reasons: Vec<ReasonFigures>,
    /// Every "no hurry", with or without a sub-reason.
    pub no_hurry: ReasonFigures,
    pub said_no: u32,
    pub came_back: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChannelFigures {
    pub channel: Channel,
    pub touches: u32,
    /// Touches followed by a move forward or a sale within 60 days.
    pub followed: u32,
    /// `followed` of `touches` in percent (rounded; null without touches).
    pub followed_percent: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Channels {
    /// The last 12 months, today included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every channel, in the order channels are listed to users.
    pub channels: Vec<ChannelFigures>,
    pub touches: u32,
    pub followed: u32,
}

/// `n` of `of` in percent, rounded half up; `None` when `of` is 0.
pub fn percent(n: u32, of: u32) -> Option<u32> {
    (of > 0).then(|| {
        let v = (u64::from(n) * 200 + u64::from(of)) / (u64::from(of) * 2);
        u32::try_from(v).unwrap_or(u32::MAX)
    })
}

/// Compute every figure.
pub fn insights(d: &Diary<'_>, today: NaiveDate) -> Insights {
    let entries = super::entries(d.categories, d.rows);
    let per_contact = || kept_figures(d, &entries, today);
    // Two halves of about the same cost, on two threads when one can be had: the planner's next
    // due of each kept contact, and the rest (one pass over the touches and the stage history).
    let ((kept, within, at_risk, adrift), lybunt, (weeks, channels), pipeline, no_reasons) =
        std::thread::scope(|s| {
            let other = std::thread::Builder::new().spawn_scoped(s, per_contact);
            let moves = sorted_moves(d.moves);
            let history = touch_figures(d, &moves, today);
            let pipeline = pipeline(d, &moves);
            let no_reasons = no_reasons(&moves);
            let lybunt = lybunt_figures(d, &entries, today);
            let contacts = match other {
                Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                Err(_) => per_contact(),
            };
            (contacts, lybunt, history, pipeline, no_reasons)
        });
    Insights {
        today,
        keeping_in_touch: KeepingInTouch {
            personal: weeks.iter().map(|w| w.personal).sum(),
            broadcast: weeks.iter().map(|w| w.broadcast).sum(),
            weeks,
            kept,
            within_cadence: within,
            within_cadence_percent: percent(within, kept),
            at_risk,
            adrift,
        },
        lybunt,
        pipeline,
        no_reasons,
        channels,
    }
}

/// The moves by contact, then date, keeping the given order within a day.
fn sorted_moves(moves: &[StageMove]) -> Vec<&StageMove> {
    let mut v: Vec<&StageMove> = moves.iter().collect();
    if !v.is_sorted_by_key(|m| (m.contact, m.date)) {
        v.sort_by_key(|m| (m.contact, m.date));
    }
    v
}

/// Consecutive runs of moves of one contact.
fn by_contact<'m, 'a>(moves: &'m [&'a StageMove]) -> impl Iterator<Item = &'m [&'a StageMove]> {
    moves.chunk_by(|a, b| a.contact == b.contact)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Kept contacts, those within their cadence, at risk, adrift.
fn kept_figures(d: &Diary<'_>, entries: &[Entry<'_>], today: NaiveDate) -> (u32, u32, u32, u32) {
    let (mut kept, mut within, mut at_risk, mut adrift) = (0u32, 0u32, 0u32, 0u32);
    for e in entries.iter().filter(|e| e.contact.stage.is_kept()) {
        kept += 1;
        let cadence = due::effective_cadence(e.contact, e.category, d.settings);
        let last = if e.category.is_some_and(|c| c.broadcasts_suffice) {
            e.facts.last_personal.max(e.facts.last_broadcast)
        } else {
            e.facts.last_personal
        };
        if last.is_some_and(|l| cadence.after(l) >= today) {
            within += 1;
        }
        if let Some(n) = due::next_due(*e, d.settings, today) {
            at_risk += u32::from(n.urgency == due::Urgency::AtRisk);
            adrift += u32::from(n.adrift);
        }
    }
    (kept, within, at_risk, adrift)
}

fn lybunt_figures(d: &Diary<'_>, entries: &[Entry<'_>], today: NaiveDate) -> LybuntFigures {
    let (this_first, _) = fiscal_year(today, d.settings.fiscal_year_start_month);
    let (from, to) = fiscal_year(add_days(this_first, -1), d.settings.fiscal_year_start_month);
    let mut months: Vec<MonthValue> = (0..12)
        .filter_map(|i| from.checked_add_months(Months::new(i)))
        .map(|m| MonthValue {
            year: m.year(),
            month: m.month(),
            cents: 0,
            contacts: 0,
        })
        .collect();
    let first_month = month_index(from.year(), from.month());
    let list = lybunt(entries, d.settings, today);
    // The month of the last purchase *of last year*. That is the contact's latest sale unless a
    // sale is dated after it (in the future): then last year's latest is looked up in the sales,
    // or last year's money would fall off the chart. Rare, so the sales are read only then.
    let in_year = |day: &Option<NaiveDate>| day.is_some_and(|x| from <= x && x <= to);
    let mut odd: HashMap<ContactId, Option<NaiveDate>> = list
        .iter()
        .filter(|l| !in_year(&l.last_sale))
        .map(|l| (l.contact, None))
        .collect();
    if !odd.is_empty() {
        for sale in d.sales.iter().filter(|s| from <= s.date && s.date <= to) {
            if let Some(last) = odd.get_mut(&sale.contact) {
                *last = (*last).max(Some(sale.date));
            }
        }
    }
    for l in &list {
        let last = if in_year(&l.last_sale) {
            l.last_sale
        } else {
            odd.get(&l.contact).copied().flatten()
        };
        let Some(last) = last else {
            continue;
        };
        let i = month_index(last.year(), last.month()) - first_month;
        if let Some(m) = usize::try_from(i).ok().and_then(|i| months.get_mut(i)) {
            m.cents = m.cents.saturating_add(l.last_year_cents);
            m.contacts += 1;
        }
    }
    let (_, totals) = super::lybunt::per_currency(&list, d.sales, from, to);
    LybuntFigures {
        from,
        to,
        months,
        totals,
        contacts: count(list.len()),
        total_cents: list.iter().map(|l| l.last_year_cents).sum(),
        at_risk_cents: list
            .iter()
            .filter(|l| l.at_risk)
            .map(|l| l.last_year_cents)
            .sum(),
    }
}

fn stage_slot(s: Stage) -> usize {
    Stage::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

fn pipeline(d: &Diary<'_>, moves: &[&StageMove]) -> Pipeline {
    let mut contacts = [0u32; Stage::ALL.len()];
    for (p, _) in d.rows {
        contacts[stage_slot(p.stage)] += 1;
    }
    let mut stays: [Vec<i64>; Stage::ALL.len()] = Default::default();
    for run in by_contact(moves) {
        for w in run.windows(2) {
            stays[stage_slot(w[0].to)].push(days_between(w[1].date, w[0].date));
        }
    }
    let stages = Stage::ALL
        .iter()
        .zip(contacts)
        .zip(stays.iter_mut())
        .map(|((&stage, contacts), days)| StageFigures {
            stage,
            contacts,
            stays: count(days.len()),
            median_days: median(days),
        })
        .collect();
    Pipeline { stages }
}

/// The median (the lower middle one for an even count).
fn median(v: &mut [i64]) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    let mid = (v.len() - 1) / 2;
    Some(*v.select_nth_unstable(mid).1)
}

fn no_reasons(moves: &[&StageMove]) -> NoReasons {
    let mut reasons: Vec<ReasonFigures> = NoReason::NAMES
        .iter()
        .map(|&reason| ReasonFigures {
            reason,
            said_no: 0,
            came_back: 0,
        })
        .collect();
    let mut no_hurry = ReasonFigures {
        reason: "no-hurry",
        said_no: 0,
        came_back: 0,
    };
    for run in by_contact(moves) {
        for (i, m) in run.iter().enumerate() {
            let Some(reason) = m.no_reason() else {
                continue;
            };
            let until = add_days(m.date, CAME_BACK_DAYS);
            let back = run[i + 1..]
                .iter()
                .take_while(|n| n.date <= until)
                .any(|n| n.is_forward());
            let name = reason.as_str();
            if let Some(r) = reasons.iter_mut().find(|r| r.reason == name) {
                r.said_no += 1;
                r.came_back += u32::from(back);
            }
            if matches!(reason, NoReason::NoHurry(_)) {
                no_hurry.said_no += 1;
                no_hurry.came_back += u32::from(back);
            }
        }
    }
    NoReasons {
        said_no: reasons.iter().map(|r| r.said_no).sum(),
        came_back: reasons.iter().map(|r| r.came_back).sum(),
        reasons,
        no_hurry,
    }
}

/// One pass over the touches: done touches per week, and per channel with how many were followed.
fn touch_figures(
    d: &Diary<'_>,
    moves: &[&StageMove],
    today: NaiveDate,
) -> (Vec<WeekTouches>, Channels) {
    let weeks_i64 = WEEKS as i64;
    let first = add_days(today, -(weeks_i64 * 7 - 1));
    let mut weeks: Vec<WeekTouches> = (0..weeks_i64)
        .map(|i| WeekTouches {
            start: add_days(first, i * 7),
            personal: 0,
            broadcast: 0,
        })
        .collect();
    let from = today
        .checked_sub_months(Months::new(12))
        .map_or(NaiveDate::MIN, |d| add_days(d, 1));
    // Day numbers: integer arithmetic in the loop over the touches (chrono's is much slower).
    let (first_day, from_day, today_day) = (day(first), day(from), day(today));
    // What counts as "it worked": the days of every move forward and every sale, per contact.
    let wins = PerContact::new(
        d.rows,
        moves
            .iter()
            .filter(|m| m.is_forward() && m.date >= from)
            .map(|m| (m.contact.0, day(m.date)))
            .chain(
                d.sales
                    .iter()
                    .filter(|s| s.date >= from)
                    .map(|s| (s.contact.0, day(s.date))),
            ),
    );
    let mut figures: Vec<ChannelFigures> = Channel::ALL
        .iter()
        .map(|&channel| ChannelFigures {
            channel,
            touches: 0,
            followed: 0,
            followed_percent: None,
        })
        .collect();
    for t in d.touches {
        let t_day = day(t.date);
        if t.state != TouchState::Done || t_day > today_day {
            continue;
        }
        if t_day >= first_day {
            let i = usize::try_from((t_day - first_day) / 7).unwrap_or(0);
            if let Some(w) = weeks.get_mut(i) {
                if t.channel.is_broadcast() {
                    w.broadcast = w.broadcast.saturating_add(1);
                } else {
                    w.personal = w.personal.saturating_add(1);
                }
            }
        }
        if t_day < from_day {
            continue;
        }
        let days = wins.of(t.contact.0);
        let at = days.partition_point(|w| *w < t_day);
        let followed = days.get(at).is_some_and(|w| *w <= t_day + FOLLOW_DAYS_I32);
        if let Some(f) = figures.get_mut(channel_slot(t.channel)) {
            f.touches += 1;
            f.followed += u32::from(followed);
        }
    }
    for f in &mut figures {
        f.followed_percent = percent(f.followed, f.touches);
    }
    let channels = Channels {
        from,
        to: today,
        touches: figures.iter().map(|f| f.touches).sum(),
        followed: figures.iter().map(|f| f.followed).sum(),
        channels: figures,
    };
    (weeks, channels)
}

/// Day numbers grouped by contact (ascending within each), for the roster's contacts: counted, then
/// placed, so grouping costs two passes and no global sort. Dates of other contacts are dropped.
struct PerContact {
    /// Contact id -> slot + 1 (0: not in the roster), when ids are dense enough.
    dense: Vec<u32>,
    /// Contact id -> slot otherwise.
    sparse: HashMap<u64, u32>,
    /// The days of slot `i` are `days[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    days: Vec<i32>,
}

impl PerContact {
    fn new(rows: &[(Profile, Facts)], items: impl Iterator<Item = (u64, i32)> + Clone) -> Self {
        let max = rows.iter().map(|(p, _)| p.id.0).max().unwrap_or(0);
        let room = u64::try_from(rows.len()).unwrap_or(u64::MAX);
        let mut grouped = PerContact {
            dense: Vec::new(),
            sparse: HashMap::new(),
            starts: vec![0; rows.len() + 1],
            days: Vec::new(),
        };
        if max <= room.saturating_mul(4).saturating_add(1024) {
            grouped.dense = vec![0; usize::try_from(max).unwrap_or(0) + 1];
            for ((p, _), slot) in rows.iter().zip(1u32..) {
                if let Some(x) = usize::try_from(p.id.0)
                    .ok()
                    .and_then(|i| grouped.dense.get_mut(i))
                {
                    *x = slot;
                }
            }
        } else {
            grouped.sparse = rows
                .iter()
                .zip(0u32..)
                .map(|((p, _), i)| (p.id.0, i))
                .collect();
        }
        for (c, _) in items.clone() {
            if let Some(i) = grouped.slot(c) {
                grouped.starts[i + 1] += 1;
            }
        }
        for i in 1..grouped.starts.len() {
            grouped.starts[i] += grouped.starts[i - 1];
        }
        let mut next = grouped.starts.clone();
        grouped.days = vec![0; grouped.starts[rows.len()]];
        for (c, day) in items {
            if let Some(i) = grouped.slot(c) {
                grouped.days[next[i]] = day;
                next[i] += 1;
            }
        }
        for w in grouped.starts.windows(2) {
            grouped.days[w[0]..w[1]].sort_unstable();
        }
        grouped
    }

    fn slot(&self, id: u64) -> Option<usize> {
        if self.dense.is_empty() {
            self.sparse.get(&id).map(|&i| i as usize)
        } else {
            let s = *self.dense.get(usize::try_from(id).ok()?)?;
            (s > 0).then(|| s as usize - 1)
        }
    }

    /// The days of a contact, ascending (empty for a contact not in the roster).
    fn of(&self, id: u64) -> &[i32] {
        match self.slot(id) {
            Some(i) => &self.days[self.starts[i]..self.starts[i + 1]],
            None => &[],
        }
    }
}

/// A date as a day number (days from CE).
fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// [`FOLLOW_DAYS`] for day numbers.
const FOLLOW_DAYS_I32: i32 = FOLLOW_DAYS as i32;

/// The position of a channel in `Channel::ALL`.
fn channel_slot(c: Channel) -> usize {
    Channel::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Cadence, CategoryId, Contact, ContactId, Direction, HurryReason, SaleId, TouchId,
    };
    use crate::planner::summarize;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A Saturday just after a year boundary.
    fn today() -> NaiveDate {
        d(2026, 1, 10)
    }

    fn category(id: u64, broadcasts_suffice: bool) -> Category {
        Category {
            id: CategoryId(id),
            name: format!("k{id}"),
            cadence: Cadence::days(30),
            channel_mix: vec![],
            priority: 1,
            broadcasts_suffice,
            description: String::new(),
        }
    }

    struct Hand {
        settings: Settings,
        categories: Vec<Category>,
        rows: Vec<(Profile, Facts)>,
        touches: Vec<Touch>,
        sales: Vec<Sale>,
        moves: Vec<StageMove>,
    }

    impl Hand {
        fn diary(&self) -> Diary<'_> {
            Diary {
                settings: &self.settings,
                categories: &self.categories,
                rows: &self.rows,
                touches: &self.touches,
                sales: &self.sales,
                moves: &self.moves,
            }
        }
    }

    /// The hand-built history of the module tests (see each contact's comment).
    fn hand() -> Hand {
        use Stage::*;
        // (id, stage, category, created)
        let people = [
            (1, Customer, Some(1), d(2025, 1, 1)),
            (2, Customer, Some(2), d(2023, 1, 1)),
            (3, Lead, None, d(2025, 1, 1)),
            (4, Archived, Some(1), d(2024, 1, 1)),
            (5, StayInTouch, Some(1), d(2025, 2, 1)),
        ];
        let touches = hand_touches();
        let sales = hand_sales();
        let rows = people
            .iter()
            .map(|&(id, stage, cat, created)| {
                let mut c = Contact::new(ContactId(id), format!("c{id}"), created);
                c.stage = stage;
                c.category = cat.map(CategoryId);
                let t: Vec<Touch> = touches
                    .iter()
                    .filter(|t| t.contact.0 == id)
                    .cloned()
                    .collect();
                let s: Vec<Sale> = sales
                    .iter()
                    .filter(|s| s.contact.0 == id)
                    .cloned()
                    .collect();
                (c.profile(), summarize(&t, &s))
            })
            .collect();
        Hand {
            settings: Settings::default(),
            categories: vec![category(1, false), category(2, true)],
            rows,
            touches,
            sales,
            moves: hand_moves(),
        }
    }

    /// The touches of [`hand`]'s contacts, ids in order.
    fn hand_touches() -> Vec<Touch> {
        use Channel::*;
        use TouchState::*;
        // (contact, date, channel, state)
        let touches = [
            (1, d(2025, 2, 10), Meeting, Done), // a move and a sale within 60 days
            (1, d(2025, 9, 20), Letter, Done),  // the sale is 61 days later
            (1, d(2025, 9, 21), Email, Done),   // the sale is 60 days later
            (1, d(2025, 10, 1), Call, Skipped), // counts for nothing
            (1, d(2026, 1, 5), Call, Done),     // nothing follows
            (1, d(2026, 1, 8), Newsletter, Done), // nothing follows
            (1, d(2026, 2, 1), Call, Planned),
            (2, d(2025, 6, 1), Call, Done), // the sale is 213 days later
            (2, d(2025, 11, 15), Newsletter, Done), // the sale 46 days later
            (2, d(2026, 1, 8), Newsletter, Done), // the 2026 sale was before
            (2, d(2026, 2, 15), Email, Planned),
            (3, d(2025, 1, 10), Call, Skipped), // skipped: nothing is planned
            (4, d(2025, 7, 12), Email, Done),   // one day before the 26 weeks
            (4, d(2025, 7, 13), Email, Done),   // first day of the 26 weeks
            (5, d(2025, 5, 1), Call, Done),     // came back 31 days later
            (5, d(2025, 12, 20), Email, Done),
            (5, d(2026, 2, 1), Call, Planned),
        ];
        touches
            .iter()
            .zip(1u64..)
            .map(|(&(c, date, channel, state), id)| Touch {
                id: TouchId(id),
                contact: ContactId(c),
                date,
                channel,
                direction: Direction::Out,
                summary: String::new(),
                state,
            })
            .collect()
    }

    /// The sales of [`hand`]'s contacts, ids in order.
    fn hand_sales() -> Vec<Sale> {
        let sales = [
            (1, d(2025, 3, 15), 50_000),
            (1, d(2025, 11, 20), 20_000),
            (2, d(2025, 12, 31), 10_000),
            (2, d(2026, 1, 2), 5_000),
            (4, d(2025, 5, 1), 99_000),
        ];
        sales
            .iter()
            .zip(1u64..)
            .map(|(&(c, date, amount_cents), id)| Sale {
                id: SaleId(id),
                contact: ContactId(c),
                date,
                amount_cents,
                currency: "EUR".into(),
                note: String::new(),
            })
            .collect()
    }

    /// The stage history of [`hand`]'s contacts, given out of order (the insights sort them).
    fn hand_moves() -> Vec<StageMove> {
        use Stage::*;
        let no = |r| Some(r);
        // (contact, date, from, to, reason)
        let moves = [
            (1, d(2025, 1, 1), None, Lead, None),
            (1, d(2025, 1, 11), Some(Lead), Qualified, None),
            (1, d(2025, 3, 1), Some(Qualified), Customer, None),
            (2, d(2023, 1, 1), None, Lead, None),
            (
                2,
                d(2023, 2, 1),
                Some(Lead),
                StayInTouch,
                no(NoReason::NoInterest),
            ),
            (2, d(2024, 3, 1), Some(StayInTouch), Customer, None), // 394 days later
            (3, d(2025, 1, 1), None, Lead, None),
            (4, d(2024, 1, 1), None, Lead, None),
            (4, d(2024, 3, 1), Some(Lead), Customer, None),
            (
                4,
                d(2025, 6, 1),
                Some(Customer),
                Archived,
                no(NoReason::NoNeed),
            ),
            (5, d(2025, 2, 1), None, Lead, None),
            (
                5,
                d(2025, 2, 21),
                Some(Lead),
                StayInTouch,
                no(NoReason::NoHurry(Some(HurryReason::Procrastinate))),
            ),
            (5, d(2025, 6, 1), Some(StayInTouch), Qualified, None),
            (
                5,
                d(2025, 9, 1),
                Some(Qualified),
                StayInTouch,
                no(NoReason::NoMoney),
            ),
        ];
        let mut moves: Vec<StageMove> = moves
            .iter()
            .map(|&(c, date, from, to, reason)| StageMove {
                contact: ContactId(c),
                date,
                from,
                to,
                reason,
            })
            .collect();
        moves.reverse();
        moves
    }

    #[test]
    fn keeping_in_touch_on_a_hand_built_history() {
        let h = hand();
        let k = insights(&h.diary(), today()).keeping_in_touch;
        assert_eq!(k.weeks.len(), WEEKS);
        assert_eq!(k.weeks[0].start, d(2025, 7, 13));
        assert_eq!(k.weeks[25].start, d(2026, 1, 4));
        let nonzero: Vec<(usize, u32, u32)> = k
            .weeks
            .iter()
            .enumerate()
            .filter(|(_, w)| w.personal + w.broadcast > 0)
            .map(|(i, w)| (i, w.personal, w.broadcast))
            .collect();
        assert_eq!(
            nonzero,
            vec![
                (0, 1, 0),
                (9, 1, 0),
                (10, 1, 0),
                (17, 0, 1),
                (22, 1, 0),
                (25, 1, 2)
            ]
        );
        assert_eq!((k.personal, k.broadcast), (5, 3));
        // c1 (call 5 days ago), c2 (a newsletter suffices for its category), c5 (stay-in-touch
        // cadence); not c3 (never touched); c4 is archived.
        assert_eq!((k.kept, k.within_cadence), (4, 3));
        assert_eq!(k.within_cadence_percent, Some(75));
        // c3: nothing planned, silent since created a year ago.
        assert_eq!((k.at_risk, k.adrift), (1, 1));
    }

    #[test]
    fn lybunt_by_month_of_last_purchase_across_the_year_boundary() {
        let h = hand();
        let l = insights(&h.diary(), today()).lybunt;
        assert_eq!((l.from, l.to), (d(2025, 1, 1), d(2025, 12, 31)));
        assert_eq!(l.months.len(), 12);
        assert_eq!((l.months[0].year, l.months[0].month), (2025, 1));
        // c1 only: c2 bought on Jan 2, c4 is archived.
        assert_eq!((l.contacts, l.total_cents), (1, 70_000));
        let nov = l.months[10];
        assert_eq!((nov.month, nov.cents, nov.contacts), (11, 70_000, 1));
        assert_eq!(l.months.iter().map(|m| m.cents).sum::<i64>(), 70_000);
        // 356 of 365 days left: not at risk yet.
        assert_eq!(l.at_risk_cents, 0);
        // With under a quarter of the year left, all of it is at risk.
        let late = insights(&h.diary(), d(2026, 12, 1)).lybunt;
        assert_eq!(late.from, d(2025, 1, 1));
        assert_eq!(late.at_risk_cents, late.total_cents);
        // The caption says which case it is instead of repeating the total.
        assert_eq!(
            l.risk_phrase("0.00"),
            "none at risk before the last quarter"
        );
        assert_eq!(
            late.risk_phrase("700.00"),
            "all at risk: the year's last quarter"
        );
        let nothing = LybuntFigures {
            total_cents: 0,
            at_risk_cents: 0,
            ..late.clone()
        };
        assert_eq!(nothing.risk_phrase("0.00"), "nothing at risk");
        let part = LybuntFigures {
            at_risk_cents: 100,
            ..late
        };
        assert_eq!(part.risk_phrase("1.00"), "1.00 at risk");
    }

    #[test]
    fn pipeline_counts_and_median_stays() {
        let h = hand();
        let p = insights(&h.diary(), today()).pipeline;
        let got: Vec<(Stage, u32, u32, Option<i64>)> = p
            .stages
            .iter()
            .map(|s| (s.stage, s.contacts, s.stays, s.median_days))
            .collect();
        assert_eq!(
            got,
            vec![
                // 10, 20, 31, 60 days: the lower middle one.
                (Stage::Lead, 1, 4, Some(20)),
                (Stage::Qualified, 0, 2, Some(49)),
                (Stage::Proposal, 0, 0, None),
                // 2024-03-01 to 2025-06-01.
                (Stage::Customer, 2, 1, Some(457)),
                (Stage::StayInTouch, 1, 2, Some(100)),
                (Stage::Archived, 1, 0, None),
            ]
        );
    }

    #[test]
    fn reasons_and_who_came_back_within_a_year() {
        let h = hand();
        let n = insights(&h.diary(), today()).no_reasons;
        let got: Vec<(&str, u32, u32)> = n
            .reasons
            .iter()
            .filter(|r| r.said_no > 0)
            .map(|r| (r.reason, r.said_no, r.came_back))
            .collect();
        assert_eq!(
            got,
            vec![
                ("no-need", 1, 0),
                ("no-interest", 1, 0), // came back after 394 days
                ("no-money", 1, 0),
                ("no-hurry:procrastinate", 1, 1),
            ]
        );
        assert_eq!(n.reasons.len(), NoReason::NAMES.len());
        assert_eq!((n.said_no, n.came_back), (4, 1));
        assert_eq!((n.no_hurry.said_no, n.no_hurry.came_back), (1, 1));
    }

    #[test]
    fn which_channels_are_followed_by_a_move_or_a_sale() {
        let h = hand();
        let c = insights(&h.diary(), today()).channels;
        assert_eq!((c.from, c.to), (d(2025, 1, 11), today()));
        let got: Vec<(Channel, u32, u32, Option<u32>)> = c
            .channels
            .iter()
            .filter(|f| f.touches > 0)
            .map(|f| (f.channel, f.touches, f.followed, f.followed_percent))
            .collect();
        assert_eq!(
            got,
            vec![
                (Channel::Call, 3, 1, Some(33)),
                (Channel::Email, 4, 1, Some(25)),
                (Channel::Meeting, 1, 1, Some(100)),
                (Channel::Letter, 1, 0, Some(0)),
                (Channel::Newsletter, 3, 1, Some(33)),
            ]
        );
        assert_eq!((c.touches, c.followed), (12, 4));
    }

    #[test]
    fn an_empty_diary_has_every_row_and_no_figures() {
        let h = Hand {
            settings: Settings::default(),
            categories: vec![],
            rows: vec![],
            touches: vec![],
            sales: vec![],
            moves: vec![],
        };
        let i = insights(&h.diary(), today());
        assert_eq!(i.keeping_in_touch.weeks.len(), WEEKS);
        assert_eq!(i.keeping_in_touch.within_cadence_percent, None);
        assert_eq!(i.keeping_in_touch.kept, 0);
        assert_eq!(i.lybunt.months.len(), 12);
        assert_eq!(i.lybunt.total_cents, 0);
        assert_eq!(i.pipeline.stages.len(), Stage::ALL.len());
        assert!(i.pipeline.stages.iter().all(|s| s.median_days.is_none()));
        assert_eq!(i.no_reasons.reasons.len(), NoReason::NAMES.len());
        assert_eq!(i.channels.channels.len(), Channel::ALL.len());
        assert!(
            i.channels
                .channels
                .iter()
                .all(|f| f.followed_percent.is_none())
        );
    }

    #[test]
    fn fiscal_years_starting_in_april() {
        let mut h = hand();
        h.settings.fiscal_year_start_month = 4;
        let l = insights(&h.diary(), today()).lybunt;
        // Today is in Apr 2025..Mar 2026; last year is Apr 2024..Mar 2025: c4 is archived, and
        // c1's March sale makes it a buyer of both years.
        assert_eq!((l.from, l.to), (d(2024, 4, 1), d(2025, 3, 31)));
        assert_eq!((l.months[0].year, l.months[0].month), (2024, 4));
        assert_eq!((l.months[11].year, l.months[11].month), (2025, 3));
        assert_eq!(l.contacts, 0);
    }

    #[test]
    fn dates_per_contact_with_dense_and_sparse_ids() {
        for ids in [[1u64, 2, 5], [7, 1 << 40, 1 << 50]] {
            let rows: Vec<(Profile, Facts)> = ids
                .iter()
                .map(|&id| {
                    let c = Contact::new(ContactId(id), "x", today());
                    (c.profile(), Facts::default())
                })
                .collect();
            let items = [(ids[2], 30), (ids[0], 20), (ids[2], 10), (999, 10)]; // 999: not in the roster
            let g = PerContact::new(&rows, items.iter().copied());
            assert_eq!(g.of(ids[0]), [20]);
            assert!(g.of(ids[1]).is_empty());
            assert_eq!(g.of(ids[2]), [10, 30]);
            assert!(g.of(999).is_empty());
            assert!(g.of(u64::MAX).is_empty());
        }
    }

    #[test]
    fn percent_rounds_half_up() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(0, 5), Some(0));
        assert_eq!(percent(5, 5), Some(100));
        assert_eq!(percent(0, 0), None);
    }
}
