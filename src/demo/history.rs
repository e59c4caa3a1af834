//! The demo's past and near future: touches (done, skipped, planned) and sales.

use super::{Gen, Kind, Person, days_between, fill, in_last_year, shift};
use crate::model::{Channel, Contact, Direction, Sale, SaleId, Stage, Touch, TouchId, TouchState};
use chrono::{Datelike, NaiveDate, Weekday};

/// Multiplies every category's pace of personal touches (tuned for ~10 touches a contact overall).
const PACE: f64 = 1.85;
/// Share of kept contacts with a planned next touch; the rest are "adrift".
const PLANNED_SHARE: f64 = 0.8;
/// Share of planned touches already overdue.
const OVERDUE_SHARE: f64 = 0.12;
/// How far ahead planned touches go, in days.
const PLAN_AHEAD_DAYS: i64 = 42;
/// Share of customers (of those who were customers before this year) made LYBUNT: bought last
/// year, not yet this year. About 12% of all customers.
const LYBUNT_SHARE: f64 = 0.145;

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

/// Typical days between personal touches for a category.
fn pace_days(kind: Option<Kind>) -> f64 {
    match kind {
        Some(Kind::Key) => 32.0,
        Some(Kind::Hot) => 21.0,
        Some(Kind::Regular) => 48.0,
        Some(Kind::Competitor) => 65.0,
        Some(Kind::Partner) => 60.0,
        Some(Kind::Occasional) => 95.0,
        Some(Kind::NotNow) => 100.0,
        Some(Kind::Press) => 170.0,
        None => 75.0,
    }
}

/// Share of a category's contacts who receive the newsletter.
fn subscribes(kind: Option<Kind>) -> f64 {
    match kind {
        Some(Kind::NotNow) => 0.4,
        Some(Kind::Press) => 0.35,
        Some(Kind::Regular | Kind::Occasional) => 0.25,
        Some(Kind::Competitor | Kind::Partner) => 0.2,
        Some(Kind::Key | Kind::Hot) => 0.15,
        None => 0.1,
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

impl<'v> Gen<'v> {
    /// The quarterly newsletters (first Tuesday of March, June, September, December) and the two
    /// yearly mailings (spring catalogue in February, open day in September) of the last three years.
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
            for (month, day) in [(2, 10), (9, 20)] {
                let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
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
        let v = self.v;
        let today = self.today;
        let created = c.created;
        let interval = c
            .cadence
            .map_or(pace_days(p.kind), |k| f64::from(k.approx_days()))
            * PACE;
        let interval_days = interval.round() as i64;

        // Personal touches; a few kept contacts went quiet long ago (they are "at risk" now).
        let mut hist_end = p.end;
        if c.stage.is_kept() && self.chance(0.08) {
            hist_end = shift(hist_end, -self.int(2 * interval_days, 4 * interval_days));
        }
        let mut date = shift(created, self.int(0, interval_days / 2));
        let mut last_channel = None;
        let mut last_out: Option<NaiveDate> = None;
        while date <= hist_end {
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
            self.push_touch(c, date, channel, direction, summary, state);
            if direction == Direction::Out && state == TouchState::Done {
                last_out = Some(date);
            }
            last_channel = Some(channel);
            let mut gap = interval * (0.6 + 0.8 * self.unit());
            if self.chance(0.06) {
                gap *= 3.0;
            }
            let next = shift(date, (gap.round() as i64).max(4));
            if next <= date {
                break; // the end of the calendar
            }
            date = next;
        }

        // Broadcasts to subscribers.
        let end = p.end;
        if self.chance(subscribes(p.kind)) {
            for i in 0..self.newsletters.len() {
                let Some((d, text)) = self.newsletters.get(i) else {
                    continue;
                };
                if *d >= created && *d <= end {
                    let (d, text) = (*d, text.clone());
                    self.push_touch(
                        c,
                        d,
                        Channel::Newsletter,
                        Direction::Out,
                        text,
                        TouchState::Done,
                    );
                }
            }
        }
        if self.chance(0.2) {
            for i in 0..self.mailings.len() {
                let Some((d, text)) = self.mailings.get(i) else {
                    continue;
                };
                if *d >= created && *d <= end {
                    let (d, text) = (*d, text.clone());
                    self.push_touch(
                        c,
                        d,
                        Channel::MassMailing,
                        Direction::Out,
                        text,
                        TouchState::Done,
                    );
                }
            }
        }

        // Birthday cards, a few days ahead, most years.
        let lead = i64::from(self.settings.birthday_lead_days);
        if let Some(b) = c.birthday {
            for year in created.year()..=end.year() {
                let Some(day) = b.in_year(year) else { continue };
                let card = shift(day, -lead);
                if card >= created && card <= end && self.chance(0.7) {
                    let summary = self.summary(v.summaries.of(Channel::BirthdayCard), p);
                    self.push_touch(
                        c,
                        card,
                        Channel::BirthdayCard,
                        Direction::Out,
                        summary,
                        TouchState::Done,
                    );
                    last_out = last_out.max(Some(card));
                }
            }
        }

        // The next planned touch (archived contacts have none; some kept ones are adrift).
        let snoozed_until = c.snooze.as_ref().map(|s| s.until);
        if !c.stage.is_kept() || !(snoozed_until.is_some() || self.chance(PLANNED_SHARE)) {
            return;
        }
        let min_gap = i64::from(self.settings.min_gap_days);
        let earliest = last_out.map_or(created, |d| shift(d, min_gap)).max(created);
        let wanted = match snoozed_until {
            Some(until) => until,
            None if self.chance(OVERDUE_SHARE) => shift(today, -self.int(1, 21)),
            None => shift(today, self.int(0, PLAN_AHEAD_DAYS)),
        };
        let channel = self.channel(p.category, last_channel);
        let summary = self.summary(&v.summaries.planned, p);
        self.push_touch(
            c,
            wanted.max(earliest),
            channel,
            Direction::Out,
            summary,
            TouchState::Planned,
        );
        if let Some(b) = c.birthday
            && let Some(next) = b.next_on_or_after(shift(today, lead))
        {
            let card = shift(next, -lead);
            if days_between(today, card) <= PLAN_AHEAD_DAYS {
                let summary = self.summary(v.summaries.of(Channel::BirthdayCard), p);
                self.push_touch(
                    c,
                    card,
                    Channel::BirthdayCard,
                    Direction::Out,
                    summary,
                    TouchState::Planned,
                );
            }
        }
    }

    fn amount_cents(&mut self, lo: f64, hi: f64) -> i64 {
        let euros = (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp();
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
            self.push_sale(c, p, date, lo, hi);
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
                self.push_sale(c, p, day, lo, hi);
            }
            self.lybunt += 1;
        } else if bought_last_year && !bought_this_year {
            // A loyal customer who has already ordered this year.
            let day = shift(jan1, self.int(0, days_between(jan1, today)));
            self.push_sale(c, p, day, lo, hi);
        }
    }
}
