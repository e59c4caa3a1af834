//! The demo diary: realistic, deterministic generated data (same `--contacts` and `--seed`, same
//! diary). Vocabulary comes from `assets/demo/`.
//!
//! Owns nothing but generation: no clock (everything hangs off the given `today`), no I/O, no
//! store. One ChaCha8 stream seeded from `seed` drives every choice, in a fixed order, so the output
//! depends on `(contacts, seed, today)` only.
//!
//! The shape of the diary:
//! - contacts 1..=N, the first third imported on day one (three years ago), the rest added evenly
//!   since, so ids follow creation dates; stages depend on age (recent contacts are mostly still
//!   prospects); categories follow stages; a few near-duplicates and unreachable contacts to clean;
//! - history ([`history`]): personal touches at a pace set by the category, quarterly newsletters
//!   and a twice-yearly mailing to subscribers, birthday cards; one planned touch for about 80% of
//!   kept contacts (some overdue), none for archived ones;
//! - sales for customers at a pace and size set by the category, with 10-15% of customers LYBUNT;
//! - a stage history leading to each contact's stage ([`stages`]).

mod history;
mod people;
mod stages;
mod vocab;

use crate::model::{Category, CategoryId, Contact, ContactId, Settings};
use crate::store::Bulk;
use chrono::{Datelike, Days, Months, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vocab::{CategorySpec, Vocab};

/// How far back the demo history goes, in months.
const HISTORY_MONTHS: u32 = 36;
/// Per mille of contacts imported on the first day of the diary.
const IMPORTED_PER_MILLE: usize = 350;

/// Generate a demo diary of `contacts` contacts with about three years of history ending `today`.
pub fn generate(contacts: usize, seed: u64, today: NaiveDate) -> Bulk {
    let vocab = Vocab::load();
    let mut g = Gen::new(&vocab, seed, today, contacts);
    g.run(contacts);
    let mut bulk = g.finish();
    bulk.stage_moves = stages::history(&bulk.contacts, seed);
    bulk
}

/// The demo's categories (ids 1..), usable as a starting set for a new diary.
pub fn default_categories() -> Vec<Category> {
    categories(&Vocab::load().categories)
}

fn categories(specs: &[CategorySpec]) -> Vec<Category> {
    specs
        .iter()
        .zip(1u64..)
        .map(|(s, id)| Category {
            id: CategoryId(id),
            name: s.name.to_string(),
            cadence: s.cadence,
            channel_mix: s.channels.clone(),
            priority: s.priority,
            broadcasts_suffice: s.broadcasts_suffice,
            description: s.description.to_string(),
        })
        .collect()
}

/// The role a category plays in the simulation, recognised by its name in `categories.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Key,
    Hot,
    Regular,
    Competitor,
    Partner,
    Occasional,
    NotNow,
    Press,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        Some(match name {
            "Key accounts" => Kind::Key,
            "Hot prospects" => Kind::Hot,
            "Regular customers" => Kind::Regular,
            "Competitor customers" => Kind::Competitor,
            "Partners" => Kind::Partner,
            "Occasional buyers" => Kind::Occasional,
            "Not now" => Kind::NotNow,
            "Press & friends" => Kind::Press,
            _ => return None,
        })
    }
}

/// The date `n` days after `d` (before, when negative), saturating at chrono's range.
fn shift(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs()))
            .unwrap_or(NaiveDate::MAX)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
            .unwrap_or(NaiveDate::MIN)
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// A contact being generated, with what the history needs to know about it.
struct Person<'v> {
    /// Used in summaries ("{first} called").
    first: &'v str,
    kind: Option<Kind>,
    /// Index into the categories (for the channel mix).
    category: Option<usize>,
    /// Three subjects this contact cares about.
    topics: [&'v str; 3],
    /// Last day of active history: today, or the day they were archived.
    end: NaiveDate,
    /// When they became a customer, if they ever did.
    customer_since: Option<NaiveDate>,
}

struct Gen<'v> {
    rng: ChaCha8Rng,
    v: &'v Vocab,
    today: NaiveDate,
    /// First day of the diary.
    start: NaiveDate,
    settings: Settings,
    categories: Vec<Category>,
    kinds: Vec<Option<Kind>>,
    contacts: Vec<Contact>,
    touches: Vec<crate::model::Touch>,
    sales: Vec<crate::model::Sale>,
    newsletters: Vec<(NaiveDate, String)>,
    mailings: Vec<(NaiveDate, String)>,
    /// Customers so far, and how many of them were made LYBUNT.
    customers: usize,
    lybunt: usize,
}

impl<'v> Gen<'v> {
    fn new(v: &'v Vocab, seed: u64, today: NaiveDate, contacts: usize) -> Gen<'v> {
        let categories = categories(&v.categories);
        let kinds = v.categories.iter().map(|c| Kind::of(c.name)).collect();
        let start = today
            .checked_sub_months(Months::new(HISTORY_MONTHS))
            .unwrap_or(NaiveDate::MIN);
        let mut g = Gen {
            rng: ChaCha8Rng::seed_from_u64(seed),
            v,
            today,
            start,
            settings: Settings::default(),
            categories,
            kinds,
            contacts: Vec::with_capacity(contacts),
            touches: Vec::with_capacity(contacts.saturating_mul(11)),
            sales: Vec::with_capacity(contacts.saturating_mul(2)),
            newsletters: Vec::new(),
            mailings: Vec::new(),
            customers: 0,
            lybunt: 0,
        };
        g.plan_broadcasts();
        g
    }

    fn finish(self) -> Bulk {
        let mut touches = self.touches;
        // Ids follow dates, as if each touch had been entered when it happened.
        touches.sort_by_key(|t| (t.date, t.contact));
        for (t, id) in touches.iter_mut().zip(1u64..) {
            t.id = crate::model::TouchId(id);
        }
        let mut sales = self.sales;
        sales.sort_by_key(|s| (s.date, s.contact));
        for (s, id) in sales.iter_mut().zip(1u64..) {
            s.id = crate::model::SaleId(id);
        }
        Bulk {
            settings: self.settings,
            categories: self.categories,
            contacts: self.contacts,
            touches,
            sales,
            stage_moves: Vec::new(),
            global_ids: Vec::new(),
        }
    }

    // ----- randomness helpers -----

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    /// A uniform integer in `lo..=hi` (`lo` when the range is empty).
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..=hi)
        }
    }

    fn unit(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    fn index(&mut self, len: usize) -> usize {
        if len <= 1 {
            0
        } else {
            self.rng.random_range(0..len)
        }
    }

    fn pick<T: Copy + Default>(&mut self, list: &[T]) -> T {
        let i = self.index(list.len());
        list.get(i).copied().unwrap_or_default()
    }

    fn weighted<T: Copy>(&mut self, table: &[(T, u32)], fallback: T) -> T {
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        if total == 0 {
            return fallback;
        }
        let mut roll = self.rng.random_range(0..total);
        for &(item, w) in table {
            if roll < w {
                return item;
            }
            roll -= w;
        }
        fallback
    }

    fn category_of(&self, kind: Option<Kind>) -> Option<usize> {
        let kind = kind?;
        self.kinds.iter().position(|k| *k == Some(kind))
    }

    // ----- contacts -----

    fn run(&mut self, n: usize) {
        let imported = n * IMPORTED_PER_MILLE / 1000;
        let span = days_between(self.start, self.today).max(0);
        for i in 0..n {
            let created = if i < imported {
                self.start
            } else {
                let k = (i - imported + 1) as u128;
                let step = k * span as u128 / (n - imported) as u128;
                shift(self.start, i64::try_from(step).unwrap_or(span))
            };
            let id = ContactId(i as u64 + 1);
            let (contact, person) = self.contact(id, created, i < imported);
            self.history(&contact, &person);
            self.sales_of(&contact, &person);
            self.contacts.push(contact);
        }
    }
}

/// `template` with `{topic}` and `{first}` filled in, built in one allocation.
fn fill(template: &str, topic: &str, first: &str) -> String {
    let mut out = String::with_capacity(template.len() + topic.len().max(first.len()) + 8);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(r) = tail.strip_prefix("{topic}") {
            out.push_str(topic);
            rest = r;
        } else if let Some(r) = tail.strip_prefix("{first}") {
            out.push_str(first);
            rest = r;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Append `name` to `out` as lower-case ASCII for an email address: accents dropped, letters that
/// have a usual spelling in ASCII spelled so, spaces and apostrophes removed.
fn fold_ascii(name: &str, out: &mut String) {
    for ch in name.chars().flat_map(char::to_lowercase) {
        let s = match ch {
            'a'..='z' | '0'..='9' => {
                out.push(ch);
                continue;
            }
            '-' => "-",
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'ă' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'ğ' => "g",
            'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => "i",
            'ł' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'ō' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ß' => "ss",
            'ť' | 'ț' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => "",
        };
        out.push_str(s);
    }
}

/// Whether `d` falls in the calendar year before `today`'s.
fn in_last_year(d: NaiveDate, today: NaiveDate) -> bool {
    d.year() == today.year() - 1
}

#[cfg(test)]
mod tests;
