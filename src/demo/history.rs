//! The demo's past and near future: touches (done, skipped, planned) and sales.

use super::{Gen, Kind, Person, days_between, fill, in_last_year, shift};
use crate::model::{Channel, Contact, Direction, Sale, SaleId, Stage, Touch, TouchId, TouchState};
use chrono::{Datelike, NaiveDate, Weekday};

/// How much sparser the history gets going back in time: gaps three years ago are `1 + RAMP`
/// cadences long, those of the last [`RECENT_DAYS`] one cadence (the diary was kept loosely at
/// first, and now it is kept well). Tuned for about ten touches a contact overall.
const RAMP: f64 = 7.0;
/// The recent past in which contacts are touched at their cadence.
const RECENT_DAYS: i64 = 240;
/// Share of kept contacts with a planned next touch; the rest are "adrift".
const PLANNED_SHARE: f64 = 0.8;
/// Share of planned touches already overdue.
const OVERDUE_SHARE: f64 = 0.12;
/// How far ahead planned touches go, in days.
const PLAN_AHEAD_DAYS: i64 = 42;
/// Share of customers (of those who were customers before this year) made LYBUNT: bought last
/// year, not yet this year. About 12% of all customers.
const LYBUNT_SHARE: f64 = 0.165;

/// Channels that are not in a category's mix but are used now and then anyway.
const EXTRA_CHANNELS: [(Channel, u32); 7] = [
    (Channel::Postcard, 3),
    (Channel::Letter, 2),
    (Channel::Sample, 2),
    (Channel::HandwrittenNote, 3),
    (Channel::Gift, 1),
    (Channel::Meeting, 2),
    (Channel::Other, 1),
];

/// The nearest working day to `d` within `lo..=hi`: the Friday before a weekend, else the Monday
/// after, else `d` itself.
fn working_day(d: NaiveDate, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    let (back, fwd) = match d.weekday() {
        Weekday::Sat => (1, 2),
        Weekday::Sun => (2, 1),
        _ => return d,
    };
    let before = shift(d, -back);
    let after = shift(d, fwd);
    if before >= lo && before <= hi {
        before
    } else if after >= lo && after <= hi {
        after
    } else {
        d
    }
}

/// Share of a category's contacts who receive the newsletter.
fn subscribes(kind: Option<Kind>) -> f64 {
    match kind {
        Some(Kind::NotNow) => 0.35,
        Some(Kind::Press) => 0.3,
        Some(Kind::Regular | Kind::Occasional) => 0.2,
        Some(Kind::Competitor | Kind::Partner) => 0.15,
        Some(Kind::Key | Kind::Hot) => 0.1,
        None => 0.08,
    }
}

/// Days between orders and the usual order size in euros, by category.
fn sales_profile(kind: Option<Kind>) -> (i64, i64, f64, f64) {
    match kind {
        Some(Kind::Key) => (25, 75, 5_000.0, 50_000.0),
        Some(Kind::Regular) => (50, 130, 800.0, 12_000.0),
        Some(Kind::Occasional) => (150, 420, 200.0, 3_000.0),
        Some(Kind::Partner) => (80, 200, 1_000.0, 15_000.0),
        _ => (100, 250, 300.0, 5_000.0),
    }
}

/// What a contact's past leaves for planning the next touch.
#[derive(Default)]
struct Trail {
    last_channel: Option<Channel>,
    /// The last outbound touch done (the next one keeps the minimum gap from it).
    last_out: Option<NaiveDate>,
    last_personal: Option<NaiveDate>,
}

/// A touch for each broadcast in `sent` dated while the contact was in the diary (from their
/// creation to `end`).
fn received<'a>(
    c: &'a Contact,
    end: NaiveDate,
    sent: &'a [(NaiveDate, String)],
    channel: Channel,
) -> impl Iterator<Item = Touch> + 'a {
    sent.iter()
        .filter(move |(d, _)| *d >= c.created && *d <= end)
        .map(move |(date, text)| Touch {
            id: TouchId(0),
            contact: c.id,
            date: *date,
            channel,
            direction: Direction::Out,
            summary: text.clone(),
            state: TouchState::Done,
        })
}

impl<'v> Gen<'v> {
    /// The quarterly newsletters (first Tuesday of March, June, September, December) and the two
    /// yearly mailings (second Thursday of February, third Thursday of September) of the last
    /// three years.
    pub(super) fn plan_broadcasts(&mut self) {
        let v = self.v;
        for year in self.start.year()..=self.today.year() {
            for month in [3, 6, 9, 12] {
                let Some(date) = NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Tue, 1)
                else {
                    continue;
                };
                if date >= self.start && date <= self.today {
                    let template = self.pick(v.summaries.of(Channel::Newsletter));
                    let topic = self.pick(&v.topics);
                    self.newsletters.push((date, fill(template, topic, "")));
                }
            }
            for (month, nth) in [(2, 2), (9, 3)] {
                let Some(date) =
                    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Thu, nth)
                else {
                    continue;
                };
                if date >= self.start && date <= self.today {
                    let template = self.pick(v.summaries.of(Channel::MassMailing));
                    let topic = self.pick(&v.topics);
                    self.mailings.push((date, fill(template, topic, "")));
                }
            }
        }
    }

    /// A channel from the category's mix (favourite first, weighted), now and then another one,
    /// and rarely the same as the previous touch.
    fn channel(&mut self, category: Option<usize>, last: Option<Channel>) -> Channel {
        let v = self.v;
        let mix: &[Channel] = category
            .and_then(|i| v.categories.get(i))
            .map_or(&[Channel::Email, Channel::Call], |c| c.channels.as_slice());
        let mut pick = Channel::Email;
        for _ in 0..2 {
            pick = if mix.is_empty() || self.chance(0.1) {
                self.weighted(&EXTRA_CHANNELS, Channel::Postcard)
            } else {
                // Weights n, n-1, ..., 1 for a mix of n channels.
                let n = mix.len() as u32;
                let mut roll = self.rng_u32(n * (n + 1) / 2);
                let mut chosen = mix[0];
                for (i, ch) in mix.iter().enumerate() {
                    let w = n - i as u32;
                    if roll < w {
                        chosen = *ch;
                        break;
                    }
                    roll -= w;
                }
                chosen
            };
            if Some(pick) != last {
                break;
            }
        }
        pick
    }

    fn rng_u32(&mut self, below: u32) -> u32 {
        u32::try_from(self.int(0, i64::from(below) - 1)).unwrap_or(0)
    }

    fn summary(&mut self, templates: &[&'static str], p: &Person<'v>) -> String {
        let template = self.pick(templates);
        let topic = p.topics[self.index(p.topics.len())];
        fill(template, topic, p.first)
    }

    fn push_touch(
        &mut self,
        c: &Contact,
        date: NaiveDate,
        channel: Channel,
        direction: Direction,
        summary: String,
        state: TouchState,
    ) {
        self.touches.push(Touch {
            id: TouchId(0),
            contact: c.id,
            date,
            channel,
            direction,
            summary,
            state,
        });
    }

    /// Every touch of one contact: the past (done and skipped) and the next planned one.
    pub(super) fn history(&mut self, c: &Contact, p: &Person<'v>) {
        let interval = self.cadence_days(c, p);
        let mut trail = self.personal_touches(c, p, interval);
        // Broadcasts to subscribers.
        if self.chance(subscribes(p.kind)) {
            let sent = received(c, p.end, &self.newsletters, Channel::Newsletter);
            self.touches.extend(sent);
        }
        if self.chance(0.15) {
            let sent = received(c, p.end, &self.mailings, Channel::MassMailing);
            self.touches.extend(sent);
        }
        let last_card = self.birthday_cards(c, p);
        trail.last_out = trail.last_out.max(last_card);
        self.next_touch(c, p, interval, &trail);
    }

    /// The personal touches from soon after the contact was entered to the end of their history,
    /// sparser going back in time; a few kept contacts went quiet long ago (they are "at risk"
    /// now).
    fn personal_touches(&mut self, c: &Contact, p: &Person<'v>, interval: f64) -> Trail {
        let created = c.created;
        let interval_days = interval.round() as i64;
        let mut hist_end = p.end;
        if c.stage.is_kept() && self.chance(0.05) {
            hist_end = shift(hist_end, -self.int(2 * interval_days, 4 * interval_days));
        }
        // The first contact comes soon after they were entered.
        let mut date = shift(created, self.int(0, (interval_days / 2).min(10)));
        let mut trail = Trail::default();
        while date <= hist_end {
            let day = working_day(date, created, hist_end);
            let (channel, direction, state) = self.personal_touch(c, p, day, trail.last_channel);
            if direction == Direction::Out && state == TouchState::Done {
                trail.last_out = Some(day);
            }
            trail.last_personal = Some(day);
            trail.last_channel = Some(channel);
            let next = shift(date, (self.gap(date, interval).round() as i64).max(4));
            if next <= date {
                break; // the end of the calendar
            }
            date = next;
        }
        trail
    }

    /// One personal touch on `day`: its channel, now and then inbound, rarely skipped.
    fn personal_touch(
        &mut self,
        c: &Contact,
        p: &Person<'v>,
        day: NaiveDate,
        last_channel: Option<Channel>,
    ) -> (Channel, Direction, TouchState) {
        let v = self.v;
        let channel = self.channel(p.category, last_channel);
        let inbound = matches!(channel, Channel::Call | Channel::Email | Channel::Meeting)
            && self.chance(0.12);
        let (direction, summary) = if inbound {
            (Direction::In, self.summary(&v.summaries.inbound, p))
        } else {
            (Direction::Out, self.summary(v.summaries.of(channel), p))
        };
        let state = if !inbound && self.chance(0.02) {
            TouchState::Skipped
        } else {
            TouchState::Done
        };
        self.push_touch(c, day, channel, direction, summary, state);
        (channel, direction, state)
    }

    /// Days from a personal touch on `date` to the next: one cadence lately, up to `1 + RAMP`
    /// cadences three years ago, give or take 40%.
    fn gap(&mut self, date: NaiveDate, interval: f64) -> f64 {
        let span = (days_between(self.start, self.today) - RECENT_DAYS).max(1) as f64;
        let back = (days_between(date, self.today) - RECENT_DAYS).max(0) as f64;
        let ramp = 1.0 + RAMP * (back / span).min(1.0);
        // Even in the early, loosely kept years nobody went more than about nine months
        // without a personal touch, except for the odd long silence.
        let mut gap = (interval * ramp).min(interval.max(270.0)) * (0.6 + 0.8 * self.unit());
        // Now and then a long silence, but not lately (those went quiet on purpose above).
        if back > 0.0 && self.chance(0.06) {
            gap *= 3.0;
        }
        gap
    }

    /// Birthday cards, a few days ahead, most years; the day of the last one sent.
    fn birthday_cards(&mut self, c: &Contact, p: &Person<'v>) -> Option<NaiveDate> {
        let v = self.v;
        let (created, end) = (c.created, p.end);
        let lead = i64::from(self.settings.birthday_lead_days);
        let b = c.birthday?;
        let mut last = None;
        for year in created.year()..=end.year() {
            let Some(day) = b.in_year(year) else { continue };
            let card = working_day(shift(day, -lead), created, end);
            if card >= created && card <= end && self.chance(0.7) {
                let summary = self.summary(v.summaries.of(Channel::BirthdayCard), p);
                let (out, done) = (Direction::Out, TouchState::Done);
                self.push_touch(c, card, Channel::BirthdayCard, out, summary, done);
                last = Some(card);
            }
        }
        last
    }

    /// The next planned touch (archived contacts have none; some kept ones are adrift), and the
    /// next birthday card when it falls within the planning horizon.
    fn next_touch(&mut self, c: &Contact, p: &Person<'v>, interval: f64, trail: &Trail) {
        let snoozed_until = c.snooze.as_ref().map(|s| s.until);
        if !c.stage.is_kept() || !(snoozed_until.is_some() || self.chance(PLANNED_SHARE)) {
            return;
        }
        let v = self.v;
        let (today, created) = (self.today, c.created);
        let min_gap = i64::from(self.settings.min_gap_days);
        let earliest = trail
            .last_out
            .map_or(created, |d| shift(d, min_gap))
            .max(created);
        let horizon = shift(today, PLAN_AHEAD_DAYS);
        let wanted = match snoozed_until {
            Some(until) => until,
            None => self.unsnoozed_day(trail.last_personal, interval),
        };
        let wanted = wanted.max(earliest);
        let wanted = working_day(wanted, earliest, horizon.max(wanted));
        let channel = self.channel(p.category, trail.last_channel);
        let summary = self.summary(&v.summaries.planned, p);
        let (out, planned) = (Direction::Out, TouchState::Planned);
        self.push_touch(c, wanted, channel, out, summary, planned);
        let lead = i64::from(self.settings.birthday_lead_days);
        if let Some(b) = c.birthday
            && let Some(next) = b.next_on_or_after(shift(today, lead))
        {
            let card = working_day(shift(next, -lead), today, horizon);
            if card >= today && card <= horizon {
                let summary = self.summary(v.summaries.of(Channel::BirthdayCard), p);
                self.push_touch(c, card, Channel::BirthdayCard, out, summary, planned);
            }
        }
    }

    /// The day wanted for the next touch of a contact who is not snoozed: some are overdue; the
    /// others one cadence after the last personal touch, as the planner would propose, late ones
    /// caught up within two weeks.
    fn unsnoozed_day(&mut self, last_personal: Option<NaiveDate>, interval: f64) -> NaiveDate {
        let today = self.today;
        if self.chance(OVERDUE_SHARE) {
            return shift(today, -self.int(1, 21));
        }
        let next = last_personal.map_or(today, |d| {
            shift(d, (interval * (0.8 + 0.4 * self.unit())).round() as i64)
        });
        if next < today {
            shift(today, self.int(0, 14))
        } else {
            next.min(shift(today, self.int(0, PLAN_AHEAD_DAYS)).max(today))
        }
    }

    /// The cadence a contact is kept at, in days: its own, its category's, or the default; never
    /// shorter than the stay-in-touch track for contacts on it.
    fn cadence_days(&self, c: &Contact, p: &Person<'v>) -> f64 {
        let cadence = c
            .cadence
            .or_else(|| {
                p.category
                    .and_then(|i| self.categories.get(i))
                    .map(|k| k.cadence)
            })
            .unwrap_or(self.settings.default_cadence);
        let mut days = cadence.approx_days();
        if c.stage == Stage::StayInTouch {
            days = days.max(self.settings.stay_in_touch_cadence.approx_days());
        }
        f64::from(days.max(7))
    }

    /// An order amount between `lo` and `hi` euros, small ones far more common than large ones
    /// (the cube of a uniform number: median about an eighth of the way up). Only `*` and `+`, so
    /// the result is the same on every platform.
    fn amount_cents(&mut self, lo: f64, hi: f64) -> i64 {
        let u = self.unit();
        let euros = lo + (hi - lo) * u * u * u;
        let cents = if self.chance(0.55) {
            (euros / 10.0).round() * 1_000.0
        } else {
            (euros * 100.0).round()
        };
        (cents as i64).max(20_000)
    }

    fn push_sale(&mut self, c: &Contact, p: &Person<'v>, date: NaiveDate, lo: f64, hi: f64) {
        let amount_cents = self.amount_cents(lo, hi);
        let v = self.v;
        let note = self.summary(&v.sale_notes, p);
        self.sales.push(Sale {
            id: SaleId(0),
            contact: c.id,
            date,
            amount_cents,
            currency: "EUR".to_string(),
            note,
        });
    }

    /// A customer's orders since they became one; 10-15% of current customers LYBUNT.
    pub(super) fn sales_of(&mut self, c: &Contact, p: &Person<'v>) {
        let Some(since) = p.customer_since else {
            return;
        };
        let today = self.today;
        let (gap_lo, gap_hi, lo, hi) = sales_profile(p.kind);
        let first = self.sales.len();
        let mut date = shift(since, self.int(0, 30));
        while date <= p.end {
            let day = working_day(date, since, p.end);
            self.push_sale(c, p, day, lo, hi);
            let next = shift(date, self.int(gap_lo, gap_hi));
            if next <= date {
                break; // the end of the calendar
            }
            date = next;
        }
        if c.stage != Stage::Customer {
            return;
        }
        self.customers += 1;
        let Some(jan1) = NaiveDate::from_ymd_opt(today.year(), 1, 1) else {
            return;
        };
        let last_year_start = jan1.with_year(today.year() - 1).unwrap_or(jan1);
        let last_year_end = shift(jan1, -1);
        let lybunt = since <= last_year_end
            && (self.chance(LYBUNT_SHARE) || (self.customers >= 3 && self.lybunt == 0));
        let bought_last_year = self
            .sales
            .get(first..)
            .is_some_and(|s| s.iter().any(|s| in_last_year(s.date, today)));
        let bought_this_year = self
            .sales
            .get(first..)
            .is_some_and(|s| s.iter().any(|s| s.date >= jan1));
        if lybunt {
            self.sales.truncate(
                first
                    + self
                        .sales
                        .get(first..)
                        .map_or(0, |s| s.iter().take_while(|s| s.date < jan1).count()),
            );
            if !bought_last_year {
                let from = since.max(last_year_start);
                let day = shift(from, self.int(0, days_between(from, last_year_end)));
                let day = working_day(day, from, last_year_end);
                self.push_sale(c, p, day, lo, hi);
            }
            self.lybunt += 1;
        } else if bought_last_year && !bought_this_year {
            // A loyal customer who has already ordered this year.
            let day = shift(jan1, self.int(0, days_between(jan1, today)));
            let day = working_day(day, jan1, today);
            self.push_sale(c, p, day, lo, hi);
        }
    }
}
