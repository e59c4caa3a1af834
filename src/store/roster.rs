//! The fast path for reading roster rows: a decoder of [`RosterV1`]'s postcard bytes straight into
//! the model (`Profile`, `Facts`), used by [`super::Store::roster`], the read behind every agenda.
//!
//! The format is still defined by the stored type: rows are written through serde and
//! [`RosterV1`], and [`super::codec::decode`] remains the reference reader. This one reads the same
//! layout by hand, for speed: no serde visitors and no intermediate stored values to convert, `Vec`s
//! allocated once at their final size, and day numbers turned into dates through a table shared by
//! every row of a read (dates of a diary cluster within a few years). Tests check it against the
//! serde reader on many values and on every truncation and corruption of a row.
//!
//! Postcard's layout, as used here: unsigned integers are LEB128 varints; signed ones are zigzag
//! varints; `bool` and `Option` tags are one byte, 0 or 1; strings and sequences are a varint
//! length then the items; enum variants are a varint index in declaration order; structs and
//! newtypes are their fields in order. A change to any of the stored types behind a roster row
//! must be mirrored here (the round-trip tests fail otherwise).
//!
//! [`RosterV1`]: super::codec::RosterV1

use super::StoreError;
use super::codec::CODEC_VERSION;
use super::tables::{date_of, name};
use crate::model::{
    Birthday, Cadence, CadenceUnit, CategoryId, Channel, ContactId, Direction, HurryReason,
    NoReason, Profile, Stage, TouchId,
};
use crate::planner::{Facts, MonthTotal, PlannedTouch};
use chrono::NaiveDate;

/// Day numbers to dates through a table covering a window of days, grown on demand (a date read
/// from scratch divides by the 400-year cycle; a table look-up is a load).
#[derive(Debug, Default)]
pub(crate) struct DayTable {
    /// Day number of `dates[0]`.
    base: i32,
    dates: Vec<NaiveDate>,
}

/// The widest window the table grows to (about 180 years); dates outside it are read directly.
const MAX_SPAN: i64 = 1 << 16;
/// Margin added around a missed day when the window grows.
const MARGIN: i64 = 366;

impl DayTable {
    #[inline]
    pub(crate) fn date(&mut self, d: i32) -> Result<NaiveDate, String> {
        match self.get(d) {
            Some(&date) => Ok(date),
            None => self.miss(d),
        }
    }

    #[cold]
    fn miss(&mut self, d: i32) -> Result<NaiveDate, String> {
        self.grow(d);
        match self.get(d) {
            Some(&date) => Ok(date),
            None => date_of(d).ok_or_else(|| format!("day number {d} is not a date")),
        }
    }

    #[inline]
    fn get(&self, d: i32) -> Option<&NaiveDate> {
        let i = i64::from(d) - i64::from(self.base);
        self.dates.get(usize::try_from(i).ok()?)
    }

    /// Rebuild the window to cover `d` (at least doubling it), unless that makes it too wide or
    /// runs off the calendar.
    fn grow(&mut self, d: i32) {
        let d = i64::from(d);
        let (lo, hi) = if self.dates.is_empty() {
            (d - MARGIN, d + MARGIN)
        } else {
            let base = i64::from(self.base);
            let end = base + self.dates.len() as i64;
            let span = end - base;
            if d < base {
                ((d - MARGIN).min(base - span), end)
            } else {
                (base, (d + MARGIN).max(end + span))
            }
        };
        if hi - lo > MAX_SPAN {
            return;
        }
        let (Ok(lo), Ok(hi)) = (i32::try_from(lo), i32::try_from(hi)) else {
            return;
        };
        let (Some(first), Some(_)) = (date_of(lo), date_of(hi)) else {
            return;
        };
        let mut dates = Vec::with_capacity(usize::try_from(hi - lo).unwrap_or(0));
        let mut date = Some(first);
        for _ in lo..hi {
            let Some(x) = date else { return };
            dates.push(x);
            date = x.succ_opt();
        }
        self.base = lo;
        self.dates = dates;
    }
}

/// Decode one roster row (`[codec version][RosterV1]`) of contact `key`.
pub(crate) fn decode_row(
    days: &mut DayTable,
    key: u64,
    bytes: &[u8],
) -> Result<(Profile, Facts), StoreError> {
    decode_row_if(days, key, bytes, |_| true)?.ok_or_else(|| StoreError::Codec {
        table: name::ROSTER,
        key: key.to_string(),
        detail: "row skipped".to_string(),
    })
}

/// Decode a roster row, stopping after the profile (and returning `None`) when `keep` refuses it:
/// the facts of rows nobody asked for are never decoded.
pub(crate) fn decode_row_if(
    days: &mut DayTable,
    key: u64,
    bytes: &[u8],
    keep: impl Fn(&Profile) -> bool,
) -> Result<Option<(Profile, Facts)>, StoreError> {
    let err = |detail: String| StoreError::Codec {
        table: name::ROSTER,
        key: key.to_string(),
        detail,
    };
    let Some((&version, payload)) = bytes.split_first() else {
        return Err(err("empty value".to_string()));
    };
    if version != CODEC_VERSION {
        return Err(err(format!(
            "unknown codec version {version} (this tickler writes {CODEC_VERSION})"
        )));
    }
    let mut r = Reader {
        bytes: payload,
        days,
    };
    let profile = r.profile().map_err(err)?;
    if !keep(&profile) {
        return Ok(None);
    }
    let facts = r.facts().map_err(err)?;
    if !r.bytes.is_empty() {
        return Err(err(format!("{} unexpected trailing bytes", r.bytes.len())));
    }
    Ok(Some((profile, facts)))
}

struct Reader<'a, 'd> {
    bytes: &'a [u8],
    days: &'d mut DayTable,
}

type R<T> = Result<T, String>;

fn eof() -> String {
    "Hit the end of buffer, expected more data".to_string()
}

fn bad_variant(what: &str, v: u32) -> String {
    format!("unknown {what} variant {v}")
}

impl Reader<'_, '_> {
    #[inline]
    fn byte(&mut self) -> R<u8> {
        let (&b, rest) = self.bytes.split_first().ok_or_else(eof)?;
        self.bytes = rest;
        Ok(b)
    }

    /// A LEB128 varint of at most `max_bytes` bytes whose last byte is at most `last_max`
    /// (postcard's rule).
    #[inline(always)]
    fn varint(&mut self, max_bytes: u32, last_max: u8) -> R<u64> {
        // Up to three bytes (every day number of this era) without a loop; `max_bytes` is 5 or
        // 10, so the last-byte rule cannot apply yet.
        match *self.bytes {
            [b0, ref rest @ ..] if b0 < 0x80 => {
                self.bytes = rest;
                Ok(u64::from(b0))
            }
            [b0, b1, ref rest @ ..] if b1 < 0x80 => {
                self.bytes = rest;
                Ok(u64::from(b0 & 0x7f) | u64::from(b1) << 7)
            }
            [b0, b1, b2, ref rest @ ..] if b2 < 0x80 => {
                self.bytes = rest;
                Ok(u64::from(b0 & 0x7f) | u64::from(b1 & 0x7f) << 7 | u64::from(b2) << 14)
            }
            _ => self.long_varint(max_bytes, last_max),
        }
    }

    #[inline(never)]
    fn long_varint(&mut self, max_bytes: u32, last_max: u8) -> R<u64> {
        let mut out = 0u64;
        for (i, &b) in self.bytes.iter().enumerate().take(max_bytes as usize) {
            out |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                if i + 1 == max_bytes as usize && b > last_max {
                    break;
                }
                self.bytes = &self.bytes[i + 1..];
                return Ok(out);
            }
        }
        if self.bytes.len() < max_bytes as usize && self.bytes.iter().all(|b| b & 0x80 != 0) {
            return Err(eof());
        }
        Err(
            "Found a varint that didn't terminate. Is the usize too big for this platform?"
                .to_string(),
        )
    }

    #[inline]
    fn u64(&mut self) -> R<u64> {
        self.varint(10, 0x01)
    }

    #[inline]
    fn u32(&mut self) -> R<u32> {
        // Five bytes carry 35 bits; postcard allows 4 in the last one.
        let v = self.varint(5, 0x0f)?;
        u32::try_from(v).map_err(|_| "varint out of range".to_string())
    }

    #[inline]
    fn i32(&mut self) -> R<i32> {
        let n = self.u32()?;
        Ok(((n >> 1) as i32) ^ -((n & 1) as i32))
    }

    #[inline]
    fn i64(&mut self) -> R<i64> {
        let n = self.u64()?;
        Ok(((n >> 1) as i64) ^ -((n & 1) as i64))
    }

    #[inline]
    fn len(&mut self) -> R<usize> {
        usize::try_from(self.u64()?).map_err(|_| "length out of range".to_string())
    }

    /// A sequence length, and a capacity that garbage cannot inflate (every item takes a byte).
    fn seq(&mut self) -> R<(usize, usize)> {
        let n = self.len()?;
        Ok((n, n.min(self.bytes.len())))
    }

    #[inline]
    fn tag(&mut self) -> R<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("Found an Option discriminant that wasn't 0 or 1".to_string()),
        }
    }

    #[inline]
    fn bool(&mut self) -> R<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("Found a bool that wasn't 0 or 1".to_string()),
        }
    }

    #[inline]
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> R<Option<T>> {
        if self.tag()? {
            f(self).map(Some)
        } else {
            Ok(None)
        }
    }

    fn string(&mut self) -> R<String> {
        let n = self.len()?;
        if n > self.bytes.len() {
            return Err(eof());
        }
        let (s, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        std::str::from_utf8(s)
            .map(str::to_owned)
            .map_err(|_| "Found a bad utf8 string".to_string())
    }

    #[inline]
    fn date(&mut self) -> R<NaiveDate> {
        let d = self.i32()?;
        self.days.date(d)
    }

    #[inline]
    fn stage(&mut self) -> R<Stage> {
        Ok(match self.u32()? {
            0 => Stage::Lead,
            1 => Stage::Qualified,
            2 => Stage::Proposal,
            3 => Stage::Customer,
            4 => Stage::StayInTouch,
            5 => Stage::Archived,
            v => return Err(bad_variant("Stage", v)),
        })
    }

    #[inline]
    fn channel(&mut self) -> R<Channel> {
        Ok(match self.u32()? {
            0 => Channel::Call,
            1 => Channel::Email,
            2 => Channel::Meeting,
            3 => Channel::Letter,
            4 => Channel::Postcard,
            5 => Channel::Newsletter,
            6 => Channel::MassMailing,
            7 => Channel::Sample,
            8 => Channel::HandwrittenNote,
            9 => Channel::BirthdayCard,
            10 => Channel::Gift,
            11 => Channel::Other,
            v => return Err(bad_variant("Channel", v)),
        })
    }

    #[inline]
    fn direction(&mut self) -> R<Direction> {
        Ok(match self.u32()? {
            0 => Direction::Out,
            1 => Direction::In,
            v => return Err(bad_variant("Direction", v)),
        })
    }

    /// `NoReasonV1`.
    fn no_reason(&mut self) -> R<NoReason> {
        Ok(match self.u32()? {
            0 => NoReason::NoNeed,
            1 => NoReason::NoInterest,
            2 => NoReason::NoMoney,
            3 => NoReason::NoHurry(self.opt(|r| {
                Ok(match r.u32()? {
                    0 => HurryReason::BuyingIsWork,
                    1 => HurryReason::Procrastinate,
                    2 => HurryReason::OtherPriorities,
                    v => return Err(bad_variant("HurryReason", v)),
                })
            })?),
            4 => NoReason::NotAFit,
            v => return Err(bad_variant("NoReason", v)),
        })
    }

    fn cadence(&mut self) -> R<Cadence> {
        let n = self.u32()?;
        let unit = match self.u32()? {
            0 => CadenceUnit::Days,
            1 => CadenceUnit::Weeks,
            2 => CadenceUnit::Months,
            v => return Err(bad_variant("CadenceUnit", v)),
        };
        Ok(Cadence { n, unit })
    }

    fn birthday(&mut self) -> R<Birthday> {
        let month = self.u32()?;
        let day = self.u32()?;
        let year = self.opt(Self::i32)?;
        Ok(Birthday { month, day, year })
    }

    /// `ProfileV1`.
    fn profile(&mut self) -> R<Profile> {
        let id = ContactId(self.u64()?);
        let name = self.string()?;
        let company = self.opt(Self::string)?;
        let category = self.opt(Self::u64)?.map(CategoryId);
        let stage = self.stage()?;
        let stage_changed = self.date()?;
        let no_reason = self.opt(Self::no_reason)?;
        let cadence = self.opt(Self::cadence)?;
        let birthday = self.opt(Self::birthday)?;
        let snooze_until = self.opt(Self::date)?;
        let created = self.date()?;
        let reachable = self.bool()?;
        Ok(Profile {
            id,
            name,
            company,
            category,
            stage,
            stage_changed,
            no_reason,
            cadence,
            birthday,
            snooze_until,
            created,
            reachable,
        })
    }

    /// `FactsV1`.
    fn facts(&mut self) -> R<Facts> {
        let last_personal = self.opt(Self::date)?;
        let last_broadcast = self.opt(Self::date)?;
        let (n, cap) = self.seq()?;
        let mut done_outbound = Vec::with_capacity(cap);
        let mut day = 0i32;
        for _ in 0..n {
            day = day.wrapping_add(self.i32()?);
            done_outbound.push(self.days.date(day)?);
        }
        let (n, cap) = self.seq()?;
        let mut recent_channels = Vec::with_capacity(cap);
        for _ in 0..n {
            recent_channels.push(self.channel()?);
        }
        let (n, cap) = self.seq()?;
        let mut planned = Vec::with_capacity(cap);
        for _ in 0..n {
            planned.push(PlannedTouch {
                id: TouchId(self.u64()?),
                date: self.date()?,
                channel: self.channel()?,
                direction: self.direction()?,
            });
        }
        let done_count = self.u32()?;
        let (n, cap) = self.seq()?;
        let mut sales_by_month = Vec::with_capacity(cap);
        for _ in 0..n {
            sales_by_month.push(MonthTotal {
                year: self.i32()?,
                month: self.u32()?,
                cents: self.i64()?,
            });
        }
        let last_sale = self.opt(Self::date)?;
        Ok(Facts {
            last_personal,
            last_broadcast,
            done_outbound,
            recent_channels,
            planned,
            done_count,
            sales_by_month,
            last_sale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stage;
    use crate::store::codec::{self, RosterV1};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn profile() -> Profile {
        Profile {
            id: ContactId(7),
            name: "Ada Lovelace 🚂".into(),
            company: Some("Engines".into()),
            category: Some(CategoryId(300)),
            stage: Stage::StayInTouch,
            stage_changed: d(2026, 1, 2),
            no_reason: Some(NoReason::NoHurry(Some(HurryReason::OtherPriorities))),
            cadence: Some(Cadence::weeks(6)),
            birthday: Birthday::new(12, 10, Some(1815)),
            snooze_until: Some(d(2026, 3, 1)),
            created: d(2019, 5, 6),
            reachable: true,
        }
    }

    fn facts() -> Facts {
        Facts {
            last_personal: Some(d(2026, 1, 5)),
            last_broadcast: Some(d(1999, 12, 31)),
            done_outbound: (0..70)
                .map(|i| d(2020, 1, 1) + chrono::Days::new(i * i * 3))
                .collect(),
            recent_channels: Channel::ALL.to_vec(),
            planned: vec![
                PlannedTouch {
                    id: TouchId(u64::MAX),
                    date: d(2026, 2, 1),
                    channel: Channel::Other,
                    direction: Direction::In,
                },
                PlannedTouch {
                    id: TouchId(200),
                    date: d(2030, 2, 1),
                    channel: Channel::Call,
                    direction: Direction::Out,
                },
            ],
            done_count: u32::MAX,
            sales_by_month: vec![
                MonthTotal {
                    year: -4,
                    month: 6,
                    cents: i64::MIN,
                },
                MonthTotal {
                    year: 2025,
                    month: 12,
                    cents: 123_456_789,
                },
            ],
            last_sale: Some(d(2025, 6, 30)),
        }
    }

    /// Rows covering every variant of every enum and the edges of every number and date.
    fn rows() -> Vec<(Profile, Facts)> {
        let mut out = vec![(profile(), facts()), (profile(), Facts::default())];
        for (i, &stage) in Stage::ALL.iter().enumerate() {
            let mut p = profile();
            p.stage = stage;
            p.no_reason = None;
            p.cadence = Some(Cadence {
                n: u32::MAX,
                unit: [CadenceUnit::Days, CadenceUnit::Weeks, CadenceUnit::Months][i % 3],
            });
            p.birthday = Some(Birthday {
                month: 2,
                day: 29,
                year: [None, Some(i32::MIN), Some(i32::MAX)][i % 3],
            });
            p.company = None;
            p.category = None;
            p.snooze_until = None;
            p.reachable = false;
            p.id = ContactId(u64::MAX - i as u64);
            p.created = [NaiveDate::MIN, NaiveDate::MAX, d(1, 1, 1)][i % 3];
            out.push((p, Facts::default()));
        }
        for r in NoReason::NAMES {
            let mut p = profile();
            p.no_reason = Some(r.parse().unwrap());
            out.push((p, Facts::default()));
        }
        for h in [
            None,
            Some(HurryReason::BuyingIsWork),
            Some(HurryReason::Procrastinate),
            Some(HurryReason::OtherPriorities),
        ] {
            let mut p = profile();
            p.no_reason = Some(NoReason::NoHurry(h));
            out.push((p, facts()));
        }
        let mut f = facts();
        f.done_outbound = vec![NaiveDate::MIN, d(2000, 1, 1), NaiveDate::MAX];
        f.last_sale = Some(NaiveDate::MAX);
        out.push((profile(), f));
        out
    }

    fn encode(row: &(Profile, Facts)) -> Vec<u8> {
        codec::encode::<RosterV1>(name::ROSTER, row).unwrap()
    }

    #[test]
    fn reads_what_serde_reads() {
        let mut days = DayTable::default();
        for row in rows() {
            let bytes = encode(&row);
            let fast = decode_row(&mut days, 1, &bytes).unwrap();
            assert_eq!(fast, row);
            assert_eq!(
                codec::decode::<RosterV1>(name::ROSTER, 1, &bytes).unwrap(),
                row
            );
        }
    }

    /// Every truncation and many corruptions: both readers agree (both fail, or read the same
    /// value), and neither panics.
    #[test]
    fn agrees_with_serde_on_garbage() {
        let mut days = DayTable::default();
        for row in rows() {
            let good = encode(&row);
            let mut cases = vec![Vec::new(), vec![CODEC_VERSION], vec![9, 1, 2]];
            let mut long = good.clone();
            long.push(0);
            cases.push(long);
            for n in 0..good.len() {
                cases.push(good[..n].to_vec());
                for flip in [0xff, 0x80, 0x01, 0x7f] {
                    let mut bad = good.clone();
                    bad[n] ^= flip;
                    cases.push(bad);
                }
            }
            for bytes in cases {
                let fast = decode_row(&mut days, 3, &bytes);
                let slow = codec::decode::<RosterV1>(name::ROSTER, 3, &bytes);
                assert_eq!(fast.as_ref().ok(), slow.as_ref().ok(), "{bytes:02x?}");
                if let Err(e) = fast {
                    assert!(
                        matches!(
                            e,
                            StoreError::Codec {
                                table: "roster",
                                ..
                            }
                        ),
                        "{e}"
                    );
                }
            }
        }
    }

    #[test]
    fn day_table_matches_chrono() {
        let mut days = DayTable::default();
        let mut probe = |n: i32| assert_eq!(days.date(n).ok(), date_of(n), "day {n}");
        let now = 739_000;
        for n in [now, now + 1, now - 400, now + 5000, now - 70_000, 0, 1, -1] {
            probe(n);
        }
        for n in (now - 3000..now + 3000).step_by(7) {
            probe(n);
        }
        for n in [
            i32::MIN,
            i32::MAX,
            tables_day(NaiveDate::MIN),
            tables_day(NaiveDate::MAX),
        ] {
            probe(n);
            probe(n.saturating_add(1));
            probe(n.saturating_sub(1));
        }
    }

    fn tables_day(d: NaiveDate) -> i32 {
        crate::store::tables::day(d)
    }
}
