//! The next due touch of one contact, and why.
//!
//! Every kept contact gets exactly one [`NextDue`]; archived contacts get none. The date and the
//! reason are decided in this order (each step is deterministic; later steps see earlier results):
//!
//! 1. **Planned.** The earliest planned touch (by date, then id), whatever its date: the user
//!    confirmed it, so it wins over every proposal (cadence, try again, LYBUNT). Channel and touch
//!    are the planned touch's. One exception, the two clocks of the stay-in-touch track: when the
//!    planned touch is still ahead (the personal retry the reason of the "no" set) and the light
//!    cadence's next date is earlier, the light touch comes first, reason `Cadence`. The light
//!    clock counts from the last real touch or the move onto the track, whichever is later.
//! 2. Otherwise a **proposal**:
//!    - never touched (no real touch; see below): the contact's creation date, reason `Adrift`;
//!    - else one effective cadence after the last real touch, reason `Cadence`, or `AtRisk` when
//!      today is past the "at worst" date;
//!    - **TryAgain**: a stay-in-touch contact with the reason of its "no" and nothing planned (moving
//!      out plans the retry; this covers contacts from before that, or added to the track) is due
//!      again on [`retry_date`] (counted from `stage_changed`) when that is earlier than the date
//!      above and no real touch happened on or after it yet (once tried, the cadence takes over);
//!      channel Call.
//!
//!    A real touch is the last done personal touch, or the later of that and the last broadcast when
//!    the category says broadcasts suffice.
//! 3. **LYBUNT.** When the contact bought in the previous fiscal year and not in the current one,
//!    `lybunt_cents` is set; a `Cadence` proposal still in the future is pulled forward to half a
//!    cadence after the last real touch (never sooner than [`MIN_RETURN_DAYS`] after it, never
//!    before the first day from today the guard allows), reason `Lybunt`: a LYBUNT customer called
//!    today is not due again in three days.
//! 4. **Guard.** A proposal (any reason but `Planned` and `Snoozed`) that falls inside the annoyance
//!    guard of a done or planned outbound touch moves to the first date the guard allows. Proposals
//!    that pass stay where they are, overdue ones included, so they show as overdue.
//! 5. **Snooze.** A snooze whose `until` is later than the date so far replaces it (reason `Snoozed`,
//!    no touch; the channel stays). Planned and snoozed dates are the user's: never moved by the guard.
//! 6. **Birthday.** A card date ([`birthday_card`]) within 60 days of today that is strictly earlier
//!    than the date so far wins (reason `Birthday`, channel BirthdayCard). A snooze does not push it.
//!
//! Then: `urgency` is Upcoming after today, else AtRisk when the reason is AtRisk or today is past
//! the at-worst date of the silence (counted from the last real touch, or from `created` when there
//! is none), else Due. `adrift` is [`is_adrift`].
//! Proposals other than TryAgain and Birthday use [`suggest_channel`].

use super::fiscal::fiscal_start_month_index;
use super::guard::{earliest_allowed, passes_guard};
use super::suggest::suggest_channel;
use super::{Entry, Facts, add_days, days_between, month_index};
use crate::model::{
    Cadence, Category, Channel, ContactId, NoReason, Profile, Settings, Stage, TouchId,
};
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// Why a contact is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueReason {
    /// The user planned a touch for that date.
    Planned,
    /// Snoozed until that date.
    Snoozed,
    /// One cadence after the last real touch.
    Cadence,
    /// Card time: the birthday is `birthday_lead_days` ahead.
    Birthday,
    /// The delay set by the reason of their "no" is over: time to try again.
    TryAgain,
    /// Bought last fiscal year, nothing this year.
    Lybunt,
    /// Silence beyond the "at worst" interval.
    AtRisk,
    /// Kept, but nothing planned and never touched: the planner proposes a first touch.
    Adrift,
}

impl DueReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DueReason::Planned => "planned",
            DueReason::Snoozed => "snoozed",
            DueReason::Cadence => "cadence",
            DueReason::Birthday => "birthday",
            DueReason::TryAgain => "try-again",
            DueReason::Lybunt => "lybunt",
            DueReason::AtRisk => "at-risk",
            DueReason::Adrift => "adrift",
        }
    }
}

/// How urgent a due item is relative to `today` (the UI colours: none, yellow, red).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// Due after today.
    Upcoming,
    /// Due today, or overdue but still inside the "at worst" interval (yellow).
    Due,
    /// Silence beyond the "at worst" interval (red).
    AtRisk,
}

/// A contact's next touch as the planner proposes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextDue {
    pub contact: ContactId,
    pub date: NaiveDate,
    pub reason: DueReason,
    /// The planned touch's channel, or the suggested one.
    pub channel: Channel,
    /// The planned touch this item stands for, when `reason` is `Planned`.
    pub touch: Option<TouchId>,
    pub urgency: Urgency,
    /// Days between `date` and today when `date` is in the past, else 0.
    pub days_overdue: i64,
    /// Nothing planned and not snoozed: nobody confirmed a next touch (shown loudly).
    pub adrift: bool,
    /// Last fiscal year's sales in cents when the contact is LYBUNT, else 0.
    pub lybunt_cents: i64,
    /// A prospect touched `move_forward_after` times without a stage change.
    pub move_forward_or_out: bool,
    /// The category priority (1 highest; 255 without a category).
    pub priority: u8,
}

/// The cadence that applies to a contact: its override, else its category's, else the default; on
/// the stay-in-touch track, the longer of that and `stay_in_touch_cadence`.
pub fn effective_cadence(contact: &Profile, category: Option<&Category>, s: &Settings) -> Cadence {
    let own = contact
        .cadence
        .or(category.map(|c| c.cadence))
        .unwrap_or(s.default_cadence);
    if contact.stage == Stage::StayInTouch
        && s.stay_in_touch_cadence.approx_days() > own.approx_days()
    {
        s.stay_in_touch_cadence
    } else {
        own
    }
}

/// When to try again after a "no" given on `moved_out`.
pub fn retry_date(reason: NoReason, moved_out: NaiveDate, s: &Settings) -> NaiveDate {
    let months = |n: u32| {
        moved_out
            .checked_add_months(Months::new(n))
            .unwrap_or(NaiveDate::MAX)
    };
    match reason {
        NoReason::NoMoney => {
            let (_, last) = super::fiscal::fiscal_year(moved_out, s.fiscal_year_start_month);
            add_days(last, 1)
        }
        NoReason::NoHurry(_) => add_days(moved_out, i64::from(s.retry_no_hurry_days)),
        NoReason::NoNeed => months(s.retry_no_need_months),
        NoReason::NoInterest => months(s.retry_no_interest_months),
        NoReason::NotAFit => months(s.retry_not_a_fit_months),
    }
}

/// The one next touch of a kept contact; `None` for archived contacts.
pub fn next_due(entry: Entry<'_>, s: &Settings, today: NaiveDate) -> Option<NextDue> {
    plan(&Ctx::new(s, today), entry, NaiveDate::MIN).map(|p| p.due)
}

/// How many days ahead a birthday card may be the next due.
pub const BIRTHDAY_HORIZON_DAYS: i64 = 60;
/// A birthday card done this many days back (or fewer) means no new card.
pub const BIRTHDAY_CARD_RECENT_DAYS: i64 = 30;

/// The date to send a birthday card, if one is due: `birthday_lead_days` before the next birthday
/// on or after today, not before today, moved forward past the annoyance guard. `None` without a
/// birthday, when the guard pushes the card past the birthday itself, when a birthday card is
/// already planned between 30 days back and the birthday, or when one was done in the last 30 days.
///
/// Facts keep no date per recent channel, so "done in the last 30 days" is judged from the position
/// `i` of the newest BirthdayCard in `recent_channels`: at most `i` done touches are newer, so the
/// card (an outbound touch) is no older than the `i`-th newest done outbound date. When that lower
/// bound is within 30 days the card counts as recent. The bound is exact when the touches after the
/// card were outbound; otherwise it errs towards proposing a card.
///
/// Unlike [`next_due`], no 60-day horizon applies (the agenda shows cards in any range it covers).
pub fn birthday_card(entry: Entry<'_>, s: &Settings, today: NaiveDate) -> Option<NaiveDate> {
    let recent_from = add_days(today, -BIRTHDAY_CARD_RECENT_DAYS);
    card_until(entry, s, today, recent_from, NaiveDate::MAX)
}

/// [`birthday_card`] when it falls on or before `limit`, else `None`. The guard only moves a card
/// forward, so a card whose unguarded date is after `limit` is dismissed before the guard runs.
fn card_until(
    entry: Entry<'_>,
    s: &Settings,
    today: NaiveDate,
    recent_from: NaiveDate,
    limit: NaiveDate,
) -> Option<NaiveDate> {
    let birthday = entry.contact.birthday?;
    let facts = entry.facts;
    let day = birthday.next_on_or_after(today)?;
    let card = add_days(day, -i64::from(s.birthday_lead_days)).max(today);
    if card > limit {
        return None;
    }
    let planned = facts
        .planned
        .iter()
        .any(|p| p.channel == Channel::BirthdayCard && p.date >= recent_from && p.date <= day);
    if planned || card_done_since(facts, recent_from) {
        return None;
    }
    let card = guarded(facts, s, card);
    (card <= day && card <= limit).then_some(card)
}

/// Whether a birthday card was done on or after `since` (see [`birthday_card`] for the bound).
fn card_done_since(facts: &Facts, since: NaiveDate) -> bool {
    let Some(i) = facts
        .recent_channels
        .iter()
        .position(|c| *c == Channel::BirthdayCard)
    else {
        return false;
    };
    let out = &facts.done_outbound;
    let Some(newest) = out.len().checked_sub(1) else {
        return false;
    };
    out.get(newest - i.min(newest)).is_some_and(|d| *d >= since)
}

/// `date`, or the first date after it the guard allows when it falls inside the guard.
fn guarded(facts: &Facts, s: &Settings, date: NaiveDate) -> NaiveDate {
    if passes_guard(facts, s, date, None) {
        date
    } else {
        earliest_allowed(facts, s, date, None)
    }
}

/// What is fixed for a whole run over many contacts (the settings, today, the fiscal years).
pub(crate) struct Ctx<'a> {
    pub s: &'a Settings,
    pub today: NaiveDate,
    /// Month index of the first month of the current fiscal year.
    pub fiscal_start: i64,
    /// The last day a birthday card may be the next due (today + 60 days).
    pub horizon: NaiveDate,
    /// A birthday card done on or after this day is recent (today - 30 days).
    pub recent_from: NaiveDate,
}

impl<'a> Ctx<'a> {
    pub fn new(s: &'a Settings, today: NaiveDate) -> Self {
        Ctx {
            s,
            today,
            fiscal_start: fiscal_start_month_index(today, s.fiscal_year_start_month),
            horizon: add_days(today, BIRTHDAY_HORIZON_DAYS),
            recent_from: add_days(today, -BIRTHDAY_CARD_RECENT_DAYS),
        }
    }

    /// Sales of the previous and of the current fiscal year, in cents.
    pub fn fiscal_sales(&self, facts: &Facts) -> (i64, i64) {
        let (mut prev, mut cur) = (0i64, 0i64);
        for m in facts.sales_by_month.iter().rev() {
            let i = month_index(m.year, m.month);
            if i >= self.fiscal_start + 12 {
                continue;
            } else if i >= self.fiscal_start {
                cur = cur.saturating_add(m.cents);
            } else if i >= self.fiscal_start - 12 {
                prev = prev.saturating_add(m.cents);
            } else {
                break;
            }
        }
        (prev, cur)
    }

    /// Last fiscal year's sales when the contact is LYBUNT, else 0.
    pub fn lybunt_cents(&self, facts: &Facts) -> i64 {
        match self.fiscal_sales(facts) {
            (prev, 0) if prev > 0 => prev,
            _ => 0,
        }
    }
}

/// A contact touched on `last` is never due again sooner than this many days after it, whatever
/// pulls it forward (LYBUNT): "a contact touched today does not come back the same week".
pub const MIN_RETURN_DAYS: i64 = 7;

/// Where LYBUNT pulls a cadence proposal: half a cadence after the last real touch (at least
/// [`MIN_RETURN_DAYS`]), and not before the first day from today the guard allows.
fn lybunt_pull(
    facts: &Facts,
    s: &Settings,
    cadence: Cadence,
    last: NaiveDate,
    today: NaiveDate,
) -> NaiveDate {
    let half = i64::from(cadence.approx_days() / 2).max(MIN_RETURN_DAYS);
    let wanted = add_days(last, half).max(today);
    guarded(facts, s, wanted)
}

/// A prospect touched (outbound) `move_forward_after` times or more since its last stage change.
pub(crate) fn move_forward_or_out(contact: &Profile, facts: &Facts, s: &Settings) -> bool {
    if !contact.stage.is_prospect() {
        return false;
    }
    let out = &facts.done_outbound;
    let since = out.len() - out.partition_point(|d| *d < contact.stage_changed);
    u32::try_from(since).unwrap_or(u32::MAX) >= s.move_forward_after
}

/// *Adrift*, the one meaning used everywhere (the next due's flag, the review list, the badges,
/// the JSON, the insights): a kept contact with no confirmed next touch, i.e. nothing planned and
/// no snooze reaching today. A contact never touched with nothing planned is the first case of it
/// (its proposal's reason is then `adrift` too). Archived contacts are never adrift.
pub fn is_adrift(contact: &Profile, facts: &Facts, today: NaiveDate) -> bool {
    contact.stage.is_kept()
        && facts.planned.is_empty()
        && contact.snooze_until.is_none_or(|until| until < today)
}

/// The next due of one contact plus what the agenda needs to add its other items.
pub(crate) struct Plan {
    pub due: NextDue,
    /// The contact's silence, for the urgency of its other items.
    pub silence: Silence,
    /// The birthday card date without the 60-day horizon (see [`birthday_card`]), when it is the
    /// next due or on or before the `cards_until` given to [`plan`].
    pub card: Option<NaiveDate>,
}

/// How long a contact has been silent: since its last real touch (or its creation), measured
/// against its effective cadence. The at-worst date is only computed when an urgency needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Silence {
    pub cadence: Cadence,
    pub since: NaiveDate,
    pub pct: u32,
}

impl Silence {
    /// Whether `today` is past the "at worst" date.
    pub fn too_long(self, today: NaiveDate) -> bool {
        today > self.cadence.at_worst_after(self.since, self.pct)
    }
}

/// Days from `date` to `today` when `date` is in the past, else 0.
pub(crate) fn days_overdue(date: NaiveDate, today: NaiveDate) -> i64 {
    if date < today {
        days_between(today, date)
    } else {
        0
    }
}

pub(crate) fn urgency(
    date: NaiveDate,
    reason: DueReason,
    today: NaiveDate,
    silence: Silence,
) -> Urgency {
    if date > today {
        Urgency::Upcoming
    } else if reason == DueReason::AtRisk || silence.too_long(today) {
        Urgency::AtRisk
    } else {
        Urgency::Due
    }
}

/// The next due as the rules shape it, one rule after the other.
struct Draft {
    date: NaiveDate,
    reason: DueReason,
    touch: Option<TouchId>,
    channel: Option<Channel>,
}

/// The next due of one contact (see the module documentation for the order of the rules).
///
/// `cards_until`: also report in [`Plan::card`] a birthday card up to this date (the agenda's end;
/// `NaiveDate::MIN` when only the next due matters).
pub(crate) fn plan(ctx: &Ctx<'_>, entry: Entry<'_>, cards_until: NaiveDate) -> Option<Plan> {
    let Entry {
        contact,
        facts,
        category,
    } = entry;
    if !contact.stage.is_kept() {
        return None;
    }
    let (s, today) = (ctx.s, ctx.today);
    let cadence = effective_cadence(contact, category, s);
    let last_real = if category.is_some_and(|c| c.broadcasts_suffice) {
        facts.last_personal.max(facts.last_broadcast)
    } else {
        facts.last_personal
    };
    let silence = Silence {
        cadence,
        since: last_real.unwrap_or(contact.created),
        pct: s.at_worst_pct,
    };

    // 1-2. Planned, else a proposal.
    let mut d = planned_or_proposed(entry, s, today, last_real, silence);

    // 3. LYBUNT: pulled forward within the cadence, never back within a week of the last touch.
    let lybunt_cents = ctx.lybunt_cents(facts);
    if lybunt_cents > 0
        && d.reason == DueReason::Cadence
        && d.date > today
        && let Some(last) = last_real
    {
        let pulled = lybunt_pull(facts, s, cadence, last, today);
        if pulled < d.date {
            d.date = pulled;
            d.reason = DueReason::Lybunt;
        }
    }

    // 4. Guard (proposals only).
    if d.reason != DueReason::Planned {
        d.date = guarded(facts, s, d.date);
    }

    // 5. Snooze.
    if let Some(until) = contact.snooze_until
        && until > d.date
    {
        d.date = until;
        d.reason = DueReason::Snoozed;
        d.touch = None;
    }

    // 6. Birthday card.
    let card = card_candidate(ctx, entry, d.date, cards_until);
    if let Some(c) = card
        && c < d.date
        && c <= ctx.horizon
    {
        d.date = c;
        d.reason = DueReason::Birthday;
        d.touch = None;
        d.channel = Some(Channel::BirthdayCard);
    }

    let due = NextDue {
        contact: contact.id,
        date: d.date,
        reason: d.reason,
        channel: d
            .channel
            .unwrap_or_else(|| suggest_channel(facts, category)),
        touch: d.touch,
        urgency: urgency(d.date, d.reason, today, silence),
        days_overdue: days_overdue(d.date, today),
        adrift: is_adrift(contact, facts, today),
        lybunt_cents,
        move_forward_or_out: move_forward_or_out(contact, facts, s),
        priority: category.map_or(u8::MAX, |c| c.priority),
    };
    Some(Plan { due, silence, card })
}

/// Rules 1-2: the first planned touch, else a proposal. On the stay-in-touch track the light
/// cadence runs beside the planned personal retry: its proposal comes first when it is earlier.
fn planned_or_proposed(
    entry: Entry<'_>,
    s: &Settings,
    today: NaiveDate,
    last_real: Option<NaiveDate>,
    silence: Silence,
) -> Draft {
    let Entry { contact, facts, .. } = entry;
    // The light clock starts again when the contact moves onto the track.
    let light = (contact.stage == Stage::StayInTouch).then(|| {
        let since = last_real
            .unwrap_or(contact.created)
            .max(contact.stage_changed);
        guarded(facts, s, silence.cadence.after(since))
    });
    let light_first = |p: &super::PlannedTouch| p.date > today && light.is_some_and(|l| l < p.date);
    match facts.planned.first() {
        Some(p) if light_first(p) => Draft {
            date: light.unwrap_or(p.date),
            reason: DueReason::Cadence,
            touch: None,
            channel: None,
        },
        Some(p) => Draft {
            date: p.date,
            reason: DueReason::Planned,
            touch: Some(p.id),
            channel: Some(p.channel),
        },
        None => proposal(entry, s, today, last_real, silence),
    }
}

/// What is proposed when nothing is planned: adrift when never touched, else one cadence after
/// the last real touch (at risk when the silence has gone on too long); on the stay-in-touch
/// track, the retry of the "no" when that comes first.
fn proposal(
    entry: Entry<'_>,
    s: &Settings,
    today: NaiveDate,
    last_real: Option<NaiveDate>,
    silence: Silence,
) -> Draft {
    let Entry { contact, facts, .. } = entry;
    let cadence = silence.cadence;
    let (mut date, mut reason, mut channel) = match last_real {
        None => (contact.created, DueReason::Adrift, None),
        Some(last) if silence.too_long(today) => (cadence.after(last), DueReason::AtRisk, None),
        Some(last) => (cadence.after(last), DueReason::Cadence, None),
    };
    if contact.stage == Stage::StayInTouch
        && facts.planned.is_empty()
        && let Some(no) = contact.no_reason
    {
        let retry = retry_date(no, contact.stage_changed, s);
        if retry < date && last_real.is_none_or(|l| l < retry) {
            (date, reason, channel) = (retry, DueReason::TryAgain, Some(Channel::Call));
        }
    }
    Draft {
        date,
        reason,
        touch: None,
        channel,
    }
}

/// Rule 6's card: only a card before `date` and within the horizon can be next; the agenda wants
/// cards up to its own end (`cards_until`) as well.
fn card_candidate(
    ctx: &Ctx<'_>,
    entry: Entry<'_>,
    date: NaiveDate,
    cards_until: NaiveDate,
) -> Option<NaiveDate> {
    entry.contact.birthday?;
    let before = date.pred_opt().unwrap_or(NaiveDate::MIN);
    let limit = before.min(ctx.horizon).max(cards_until);
    card_until(entry, ctx.s, ctx.today, ctx.recent_from, limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Birthday, CategoryId, Contact, Direction, HurryReason, Snooze};
    use crate::planner::{MonthTotal, PlannedTouch};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 11, 24)
    }

    fn contact(stage: Stage) -> Contact {
        let mut c = Contact::new(ContactId(7), "Ada", d(2026, 1, 5));
        c.stage = stage;
        c.stage_changed = d(2026, 1, 5);
        c
    }

    fn category(cadence: Cadence) -> Category {
        Category {
            id: CategoryId(1),
            name: "key accounts".into(),
            cadence,
            channel_mix: vec![Channel::Call, Channel::Email],
            priority: 2,
            broadcasts_suffice: false,
            description: String::new(),
        }
    }

    fn touched(last: NaiveDate) -> Facts {
        Facts {
            last_personal: Some(last),
            done_outbound: vec![last],
            recent_channels: vec![Channel::Call],
            done_count: 1,
            ..Facts::default()
        }
    }

    fn planned(id: u64, date: NaiveDate, channel: Channel) -> PlannedTouch {
        PlannedTouch {
            id: TouchId(id),
            date,
            channel,
            direction: Direction::Out,
        }
    }

    fn due(c: &Contact, f: &Facts, cat: Option<&Category>) -> NextDue {
        due_with(c, f, cat, &Settings::default())
    }

    fn due_with(c: &Contact, f: &Facts, cat: Option<&Category>, s: &Settings) -> NextDue {
        let p = c.profile();
        let entry = Entry {
            contact: &p,
            facts: f,
            category: cat,
        };
        next_due(entry, s, today()).unwrap()
    }

    // --- effective cadence ---

    #[test]
    fn cadence_override_then_category_then_default() {
        let s = Settings::default();
        let cat = category(Cadence::weeks(6));
        let mut c = contact(Stage::Customer);
        assert_eq!(effective_cadence(&c.profile(), None, &s), Cadence::days(30));
        assert_eq!(
            effective_cadence(&c.profile(), Some(&cat), &s),
            Cadence::weeks(6)
        );
        c.cadence = Some(Cadence::days(10));
        assert_eq!(
            effective_cadence(&c.profile(), Some(&cat), &s),
            Cadence::days(10)
        );
    }

    #[test]
    fn stay_in_touch_takes_the_longer_cadence() {
        let s = Settings::default(); // stay in touch: 3 months
        let mut c = contact(Stage::StayInTouch);
        assert_eq!(
            effective_cadence(&c.profile(), None, &s),
            Cadence::months(3)
        );
        c.cadence = Some(Cadence::months(6));
        assert_eq!(
            effective_cadence(&c.profile(), None, &s),
            Cadence::months(6)
        );
        c.cadence = Some(Cadence::weeks(2));
        assert_eq!(
            effective_cadence(&c.profile(), None, &s),
            Cadence::months(3)
        );
    }

    // --- retry dates ---

    #[test]
    fn retry_dates_per_reason() {
        let s = Settings::default();
        let out = d(2026, 8, 31);
        assert_eq!(retry_date(NoReason::NoMoney, out, &s), d(2027, 1, 1));
        assert_eq!(
            retry_date(NoReason::NoHurry(None), out, &s),
            d(2026, 11, 29)
        );
        assert_eq!(
            retry_date(NoReason::NoHurry(Some(HurryReason::Procrastinate)), out, &s),
            d(2026, 11, 29)
        );
        // Calendar months: Aug 31 + 6 months = Feb 28.
        assert_eq!(retry_date(NoReason::NoNeed, out, &s), d(2027, 2, 28));
        assert_eq!(retry_date(NoReason::NoInterest, out, &s), d(2027, 8, 31));
        assert_eq!(retry_date(NoReason::NotAFit, out, &s), d(2027, 8, 31));
    }

    #[test]
    fn no_money_waits_for_the_next_fiscal_year() {
        let s = Settings {
            fiscal_year_start_month: 4,
            ..Settings::default()
        };
        assert_eq!(
            retry_date(NoReason::NoMoney, d(2026, 8, 31), &s),
            d(2027, 4, 1)
        );
        assert_eq!(
            retry_date(NoReason::NoMoney, d(2026, 3, 31), &s),
            d(2026, 4, 1)
        );
    }

    #[test]
    fn retry_saturates_at_the_end_of_time() {
        let s = Settings::default();
        assert_eq!(
            retry_date(NoReason::NoNeed, NaiveDate::MAX, &s),
            NaiveDate::MAX
        );
        assert_eq!(
            retry_date(NoReason::NoMoney, NaiveDate::MAX, &s),
            NaiveDate::MAX
        );
    }

    // --- next due ---

    #[test]
    fn archived_contacts_have_none() {
        let c = contact(Stage::Archived);
        let f = touched(d(2026, 11, 1));
        let p = c.profile();
        let e = Entry {
            contact: &p,
            facts: &f,
            category: None,
        };
        assert_eq!(next_due(e, &Settings::default(), today()), None);
    }

    #[test]
    fn one_cadence_after_the_last_personal_touch() {
        let c = contact(Stage::Customer);
        let f = touched(d(2026, 11, 10));
        let n = due(&c, &f, None);
        assert_eq!(n.date, d(2026, 12, 10));
        assert_eq!(n.reason, DueReason::Cadence);
        assert_eq!(n.urgency, Urgency::Upcoming);
        assert_eq!(n.channel, Channel::Email); // call was used last
        assert_eq!(n.touch, None);
        assert_eq!(n.days_overdue, 0);
        assert!(n.adrift);
        assert_eq!(n.priority, 255);
        assert_eq!(n.contact, ContactId(7));
    }

    #[test]
    fn overdue_and_at_risk() {
        let c = contact(Stage::Customer);
        // Due Nov 14, at worst (45 days) Dec 5: overdue but not at risk.
        let n = due(&c, &touched(d(2026, 10, 15)), None);
        assert_eq!(
            (n.date, n.reason, n.urgency, n.days_overdue),
            (d(2026, 11, 14), DueReason::Cadence, Urgency::Due, 10)
        );
        // Due Oct 1, at worst Oct 16: at risk, the date stays in the past.
        let n = due(&c, &touched(d(2026, 9, 1)), None);
        assert_eq!(
            (n.date, n.reason, n.urgency, n.days_overdue),
            (d(2026, 10, 1), DueReason::AtRisk, Urgency::AtRisk, 54)
        );
        // Exactly on the at-worst date: not yet at risk.
        let n = due(&c, &touched(d(2026, 10, 10)), None);
        assert_eq!((n.reason, n.urgency), (DueReason::Cadence, Urgency::Due));
    }

    #[test]
    fn never_touched_is_adrift_from_creation() {
        let mut c = contact(Stage::Lead);
        c.created = d(2026, 11, 20);
        let n = due(&c, &Facts::default(), None);
        assert_eq!(
            (n.date, n.reason, n.urgency, n.days_overdue),
            (d(2026, 11, 20), DueReason::Adrift, Urgency::Due, 4)
        );
        assert_eq!(n.channel, Channel::Call);
        // Silence since creation beyond the at-worst interval: red.
        c.created = d(2026, 1, 1);
        assert_eq!(due(&c, &Facts::default(), None).urgency, Urgency::AtRisk);
    }

    #[test]
    fn broadcasts_restart_the_clock_only_when_the_category_says_so() {
        let c = contact(Stage::Customer);
        let mut cat = category(Cadence::days(30));
        let f = Facts {
            last_personal: Some(d(2026, 9, 1)),
            last_broadcast: Some(d(2026, 11, 10)),
            done_outbound: vec![d(2026, 9, 1), d(2026, 11, 10)],
            ..Facts::default()
        };
        assert_eq!(due(&c, &f, Some(&cat)).date, d(2026, 10, 1));
        cat.broadcasts_suffice = true;
        let n = due(&c, &f, Some(&cat));
        assert_eq!(
            (n.date, n.reason, n.priority),
            (d(2026, 12, 10), DueReason::Cadence, 2)
        );
        // Only broadcasts, not sufficient: never touched.
        cat.broadcasts_suffice = false;
        let f = Facts {
            last_personal: None,
            done_outbound: vec![d(2026, 11, 10)],
            ..f
        };
        assert_eq!(due(&c, &f, Some(&cat)).reason, DueReason::Adrift);
    }

    #[test]
    fn planned_touch_wins_over_cadence() {
        let c = contact(Stage::Customer);
        let mut f = touched(d(2026, 9, 1)); // at risk by cadence
        f.planned = vec![
            planned(3, d(2026, 12, 20), Channel::Letter),
            planned(4, d(2026, 12, 21), Channel::Call),
        ];
        let n = due(&c, &f, None);
        assert_eq!(
            (n.date, n.reason, n.channel, n.touch),
            (
                d(2026, 12, 20),
                DueReason::Planned,
                Channel::Letter,
                Some(TouchId(3))
            )
        );
        assert_eq!(n.urgency, Urgency::Upcoming);
        assert!(!n.adrift);
        // An overdue planned touch stays overdue and is red when the silence is too long.
        f.planned = vec![planned(3, d(2026, 11, 20), Channel::Letter)];
        let n = due(&c, &f, None);
        assert_eq!(
            (n.date, n.urgency, n.days_overdue),
            (d(2026, 11, 20), Urgency::AtRisk, 4)
        );
    }

    #[test]
    fn planned_dates_are_not_moved_by_the_guard() {
        let c = contact(Stage::Customer);
        let mut f = touched(d(2026, 11, 23));
        f.planned = vec![planned(3, d(2026, 11, 24), Channel::Call)];
        assert_eq!(due(&c, &f, None).date, d(2026, 11, 24));
    }

    #[test]
    fn snooze_pushes_proposals_and_plans() {
        let mut c = contact(Stage::Customer);
        c.snooze = Some(Snooze {
            until: d(2027, 1, 15),
            since: today(),
            note: String::new(),
        });
        let mut f = touched(d(2026, 11, 10));
        let n = due(&c, &f, None);
        assert_eq!(
            (n.date, n.reason, n.touch),
            (d(2027, 1, 15), DueReason::Snoozed, None)
        );
        assert!(!n.adrift);
        f.planned = vec![planned(3, d(2026, 12, 1), Channel::Letter)];
        let n = due(&c, &f, None);
        assert_eq!(
            (n.date, n.reason, n.channel, n.touch),
            (d(2027, 1, 15), DueReason::Snoozed, Channel::Letter, None)
        );
        // A snooze that ends before the date changes nothing.
        c.snooze = Some(Snooze {
            until: d(2026, 11, 30),
            since: today(),
            note: String::new(),
        });
        let n = due(&c, &f, None);
        assert_eq!((n.date, n.reason), (d(2026, 12, 1), DueReason::Planned));
    }

    #[test]
    fn expired_snooze_leaves_the_contact_adrift() {
        let mut c = contact(Stage::Customer);
        c.snooze = Some(Snooze {
            until: d(2026, 11, 20),
            since: d(2026, 11, 1),
            note: String::new(),
        });
        let n = due(&c, &touched(d(2026, 10, 1)), None);
        // Cadence due Oct 31, snoozed until Nov 20: overdue since the snooze ended.
        assert_eq!(
            (n.date, n.reason, n.days_overdue),
            (d(2026, 11, 20), DueReason::Snoozed, 4)
        );
        assert!(n.adrift);
    }

    #[test]
    fn birthday_card_comes_first_even_when_snoozed() {
        let mut c = contact(Stage::Customer);
        c.birthday = Birthday::new(12, 10, Some(1970));
        c.snooze = Some(Snooze {
            until: d(2027, 1, 15),
            since: today(),
            note: String::new(),
        });
        let mut f = touched(d(2026, 11, 10));
        f.planned = vec![planned(3, d(2026, 12, 20), Channel::Letter)];
        let n = due(&c, &f, None);
        assert_eq!(
            (n.date, n.reason, n.channel, n.touch),
            (
                d(2026, 12, 5),
                DueReason::Birthday,
                Channel::BirthdayCard,
                None
            )
        );
        assert_eq!(n.urgency, Urgency::Upcoming);
        // A planned touch before the card date wins.
        c.snooze = None;
        f.planned = vec![planned(3, d(2026, 12, 1), Channel::Letter)];
        assert_eq!(due(&c, &f, None).reason, DueReason::Planned);
    }

    #[test]
    fn birthday_card_clamped_to_today_and_guarded() {
        let mut c = contact(Stage::Customer);
        c.birthday = Birthday::new(11, 26, None);
        // Card would be Nov 21: today instead. Last touch Nov 10: cadence Dec 10.
        let n = due(&c, &touched(d(2026, 11, 10)), None);
        assert_eq!(
            (n.date, n.reason, n.urgency),
            (today(), DueReason::Birthday, Urgency::Due)
        );
        // A touch done yesterday: the guard moves the card to Nov 26, the birthday itself.
        let n = due(&c, &touched(d(2026, 11, 23)), None);
        assert_eq!((n.date, n.reason), (d(2026, 11, 26), DueReason::Birthday));
        // Pushed past the birthday: no card at all.
        let n = due(&c, &touched(d(2026, 11, 24)), None);
        assert_eq!(n.reason, DueReason::Cadence);
    }

    #[test]
    fn birthday_beyond_sixty_days_is_not_next() {
        let mut c = contact(Stage::Customer);
        c.birthday = Birthday::new(3, 1, None); // card Feb 24, 92 days ahead
        c.snooze = Some(Snooze {
            until: d(2027, 6, 1),
            since: today(),
            note: String::new(),
        });
        let n = due(&c, &touched(d(2026, 11, 10)), None);
        assert_eq!(n.reason, DueReason::Snoozed);
        c.birthday = Birthday::new(1, 28, None); // card Jan 23, 60 days ahead
        let n = due(&c, &touched(d(2026, 11, 10)), None);
        assert_eq!((n.date, n.reason), (d(2027, 1, 23), DueReason::Birthday));
    }

    #[test]
    fn leap_day_birthday() {
        let mut c = contact(Stage::Customer);
        c.birthday = Birthday::new(2, 29, None);
        c.snooze = Some(Snooze {
            until: d(2027, 6, 1),
            since: today(),
            note: String::new(),
        });
        let p = c.profile();
        let e = Entry {
            contact: &p,
            facts: &Facts::default(),
            category: None,
        };
        let s = Settings::default();
        // 2027 is a common year: the birthday falls on Feb 28, the card on Feb 23.
        assert_eq!(birthday_card(e, &s, d(2027, 1, 1)), Some(d(2027, 2, 23)));
        assert_eq!(birthday_card(e, &s, d(2028, 1, 1)), Some(d(2028, 2, 24)));
    }

    #[test]
    fn no_second_card_when_one_was_just_sent_or_is_planned() {
        let mut c = contact(Stage::Customer);
        c.birthday = Birthday::new(11, 28, None);
        let s = Settings::default();
        let mut f = touched(d(2026, 11, 22));
        f.recent_channels = vec![Channel::BirthdayCard];
        let e = |f: &Facts| {
            birthday_card(
                Entry {
                    contact: &c.profile(),
                    facts: f,
                    category: None,
                },
                &s,
                today(),
            )
        };
        assert_eq!(e(&f), None);
        // Card sent last year, several touches since: a new card is due.
        let mut old = f.clone();
        old.done_outbound = vec![d(2025, 11, 23), d(2026, 3, 1), d(2026, 6, 1), d(2026, 9, 1)];
        old.recent_channels = vec![
            Channel::Call,
            Channel::Email,
            Channel::Call,
            Channel::BirthdayCard,
        ];
        assert_eq!(e(&old), Some(d(2026, 11, 24)));
        // The card, then an outbound call: still recent (the bound looks one outbound further back).
        let mut then_call = f.clone();
        then_call.done_outbound = vec![d(2026, 11, 20), d(2026, 11, 23)];
        then_call.recent_channels = vec![Channel::Call, Channel::BirthdayCard];
        assert_eq!(e(&then_call), None);
        // A card already planned.
        let mut plan = touched(d(2026, 10, 1));
        plan.planned = vec![planned(9, d(2026, 11, 25), Channel::BirthdayCard)];
        assert_eq!(e(&plan), None);
    }

    #[test]
    fn try_again_after_the_no() {
        let mut c = contact(Stage::StayInTouch);
        c.no_reason = Some(NoReason::NoHurry(None));
        c.stage_changed = d(2026, 8, 1); // retry Oct 30
        // Last touch Aug 1: stay-in-touch cadence (3 months) due Nov 1; try again first.
        let n = due(&c, &touched(d(2026, 8, 1)), None);
        assert_eq!(
            (n.date, n.reason, n.channel),
            (d(2026, 10, 30), DueReason::TryAgain, Channel::Call)
        );
        assert_eq!(n.days_overdue, 25);
        // Already tried (a touch on or after the retry date): back to the cadence.
        let n = due(&c, &touched(d(2026, 11, 2)), None);
        assert_eq!((n.date, n.reason), (d(2027, 2, 2), DueReason::Cadence));
        // Retry later than the cadence: the cadence wins.
        c.no_reason = Some(NoReason::NoInterest);
        let n = due(&c, &touched(d(2026, 8, 1)), None);
        assert_eq!((n.date, n.reason), (d(2026, 11, 1), DueReason::Cadence));
    }

    #[test]
    fn lybunt_pulls_a_future_cadence_date_forward_within_its_cadence() {
        let c = contact(Stage::Customer);
        // Touched 30 days ago (cadence 30 days): due by the cadence today anyway.
        let mut f = touched(d(2026, 10, 10));
        f.sales_by_month = vec![MonthTotal {
            year: 2025,
            month: 6,
            cents: 120_000,
        }];
        let n = due(&c, &f, None);
        assert_eq!((n.date, n.lybunt_cents), (d(2026, 11, 9), 120_000));
        // Touched 20 days ago: the cadence says in 10 days, LYBUNT half a cadence on (today).
        let mut f1 = touched(d(2026, 11, 4));
        f1.sales_by_month = f.sales_by_month.clone();
        let n = due(&c, &f1, None);
        assert_eq!(
            (n.date, n.reason, n.lybunt_cents, n.urgency),
            (today(), DueReason::Lybunt, 120_000, Urgency::Due)
        );
        // Touched two days ago: half a cadence after that, not the first day the guard allows.
        let mut f2 = touched(d(2026, 11, 22));
        f2.sales_by_month = f.sales_by_month.clone();
        let n = due(&c, &f2, None);
        assert_eq!((n.date, n.reason), (d(2026, 12, 7), DueReason::Lybunt));
        // Touched today: never back within the week, whatever the cadence.
        let mut short = c.clone();
        short.cadence = Some(Cadence::days(8));
        let mut f3 = touched(today());
        f3.sales_by_month = f.sales_by_month.clone();
        let n = due(&short, &f3, None);
        assert_eq!(n.date, add_days(today(), MIN_RETURN_DAYS));
        // Bought this year too: not LYBUNT.
        f1.sales_by_month.push(MonthTotal {
            year: 2026,
            month: 2,
            cents: 1,
        });
        let n = due(&c, &f1, None);
        assert_eq!((n.reason, n.lybunt_cents), (DueReason::Cadence, 0));
    }

    #[test]
    fn lybunt_does_not_override_a_plan_but_is_flagged() {
        let c = contact(Stage::Customer);
        let mut f = touched(d(2026, 11, 10));
        f.sales_by_month = vec![MonthTotal {
            year: 2025,
            month: 6,
            cents: 5,
        }];
        f.planned = vec![planned(1, d(2026, 12, 20), Channel::Meeting)];
        let n = due(&c, &f, None);
        assert_eq!((n.reason, n.lybunt_cents), (DueReason::Planned, 5));
    }

    #[test]
    fn the_guard_moves_proposals_forward() {
        let c = contact(Stage::Customer);
        let s = Settings {
            min_gap_days: 5,
            ..Settings::default()
        };
        // Cadence due Dec 1 (cadence 7 days); a planned inbound touch does not count,
        // but a done newsletter on Nov 29 does.
        let cat = category(Cadence::days(7));
        let f = Facts {
            last_personal: Some(d(2026, 11, 24)),
            last_broadcast: Some(d(2026, 11, 29)),
            done_outbound: vec![d(2026, 11, 24), d(2026, 11, 29)],
            ..Facts::default()
        };
        let n = due_with(&c, &f, Some(&cat), &s);
        assert_eq!((n.date, n.reason), (d(2026, 12, 4), DueReason::Cadence));
        // An overdue proposal that passes the guard stays in the past.
        let f = Facts {
            last_personal: Some(d(2026, 11, 1)),
            last_broadcast: Some(d(2026, 11, 20)),
            done_outbound: vec![d(2026, 11, 1), d(2026, 11, 20)],
            ..Facts::default()
        };
        let n = due_with(&c, &f, Some(&cat), &s);
        assert_eq!((n.date, n.reason), (d(2026, 11, 8), DueReason::AtRisk));
    }

    #[test]
    fn move_forward_or_out_counts_outbound_since_the_stage_change() {
        let mut c = contact(Stage::Qualified);
        c.stage_changed = d(2026, 6, 1);
        let mut f = touched(d(2026, 11, 10));
        f.done_outbound = vec![d(2026, 5, 1), d(2026, 6, 1), d(2026, 8, 1), d(2026, 10, 1)];
        assert!(!due(&c, &f, None).move_forward_or_out);
        f.done_outbound.push(d(2026, 11, 10));
        assert!(due(&c, &f, None).move_forward_or_out);
        c.stage = Stage::Customer;
        assert!(!due(&c, &f, None).move_forward_or_out);
    }

    #[test]
    fn deterministic() {
        let mut c = contact(Stage::Customer);
        c.birthday = Birthday::new(12, 1, None);
        let f = touched(d(2026, 11, 10));
        assert_eq!(due(&c, &f, None), due(&c, &f, None));
    }
}
