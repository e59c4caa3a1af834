//! The demo vocabulary: plain text files under `assets/demo/`, compiled in with `include_str!` and
//! split into borrowed `&'static str` slices once per generation (nothing is copied here).
//!
//! Lines starting with `#` are comments; blank lines are skipped; fields are separated by `|`.
//! A malformed line is skipped rather than fatal (the tests check that none are).

use crate::model::{Cadence, Channel};

const FIRST_NAMES: &str = include_str!("../../assets/demo/first_names.txt");
const LAST_NAMES: &str = include_str!("../../assets/demo/last_names.txt");
const WHOLE_NAMES: &str = include_str!("../../assets/demo/whole_names.txt");
const COMPANIES: &str = include_str!("../../assets/demo/companies.txt");
const COUNTRIES: &str = include_str!("../../assets/demo/countries.txt");
const CITIES: &str = include_str!("../../assets/demo/cities.txt");
const STREETS: &str = include_str!("../../assets/demo/streets.txt");
const TOPICS: &str = include_str!("../../assets/demo/topics.txt");
const TOUCHES: &str = include_str!("../../assets/demo/touches.txt");
const SALES: &str = include_str!("../../assets/demo/sales.txt");
const NOTES: &str = include_str!("../../assets/demo/notes.txt");
const TAGS: &str = include_str!("../../assets/demo/tags.txt");
const SNOOZES: &str = include_str!("../../assets/demo/snoozes.txt");
const CATEGORIES: &str = include_str!("../../assets/demo/categories.txt");

/// A name written in its own script, with the romanization used for email addresses.
#[derive(Debug, Clone, Copy)]
pub struct WholeName {
    pub name: &'static str,
    pub ascii: &'static str,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Company {
    pub name: &'static str,
    pub domain: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Country {
    pub name: &'static str,
    pub dial: &'static str,
    /// "12 High Street" rather than "Hauptstraße 12".
    pub number_first: bool,
    /// "Bristol BS1 4DJ" rather than "10115 Berlin".
    pub postcode_last: bool,
}

#[derive(Debug, Clone)]
pub struct City {
    pub name: &'static str,
    pub postcode: &'static str,
    pub area: &'static str,
    pub country: Country,
    pub streets: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct CategorySpec {
    pub name: &'static str,
    pub cadence: Cadence,
    pub priority: u8,
    pub broadcasts_suffice: bool,
    pub channels: Vec<Channel>,
    pub description: &'static str,
}

/// Touch summaries by kind.
#[derive(Debug, Clone, Default)]
pub struct Summaries {
    /// Indexed by the position of the channel in [`Channel::ALL`].
    pub by_channel: Vec<Vec<&'static str>>,
    pub inbound: Vec<&'static str>,
    pub planned: Vec<&'static str>,
}

impl Summaries {
    pub fn of(&self, channel: Channel) -> &[&'static str] {
        let i = Channel::ALL.iter().position(|c| *c == channel).unwrap_or(0);
        self.by_channel.get(i).map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug, Clone)]
pub struct Vocab {
    pub first_names: Vec<&'static str>,
    pub last_names: Vec<&'static str>,
    pub whole_names: Vec<WholeName>,
    pub companies: Vec<Company>,
    pub cities: Vec<City>,
    pub topics: Vec<&'static str>,
    pub summaries: Summaries,
    pub sale_notes: Vec<&'static str>,
    pub notes: Vec<&'static str>,
    pub tags: Vec<&'static str>,
    pub snoozes: Vec<&'static str>,
    pub categories: Vec<CategorySpec>,
}

/// The meaningful lines of an asset file, trimmed.
fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn fields<const N: usize>(line: &'static str) -> Option<[&'static str; N]> {
    let mut out = [""; N];
    let mut parts = line.split('|');
    for slot in &mut out {
        *slot = parts.next()?.trim();
    }
    parts.next().is_none().then_some(out)
}

impl Vocab {
    pub fn load() -> Vocab {
        Vocab {
            first_names: lines(FIRST_NAMES).collect(),
            last_names: lines(LAST_NAMES).collect(),
            whole_names: lines(WHOLE_NAMES)
                .filter_map(fields::<2>)
                .map(|[name, ascii]| WholeName { name, ascii })
                .collect(),
            companies: lines(COMPANIES)
                .filter_map(fields::<2>)
                .map(|[name, domain]| Company { name, domain })
                .collect(),
            cities: cities(),
            topics: lines(TOPICS).collect(),
            summaries: summaries(),
            sale_notes: lines(SALES).collect(),
            notes: lines(NOTES).collect(),
            tags: lines(TAGS).collect(),
            snoozes: lines(SNOOZES).collect(),
            categories: categories(),
        }
    }
}

/// The cities with their country and at least one street.
fn cities() -> Vec<City> {
    let countries: Vec<(&str, Country)> = lines(COUNTRIES)
        .filter_map(fields::<5>)
        .map(|[code, name, dial, number, postcode]| {
            let country = Country {
                name,
                dial,
                number_first: number == "before",
                postcode_last: postcode == "after",
            };
            (code, country)
        })
        .collect();
    let streets: Vec<[&str; 2]> = lines(STREETS).filter_map(fields::<2>).collect();
    lines(CITIES)
        .filter_map(fields::<4>)
        .filter_map(|[code, name, postcode, area]| {
            let country = countries.iter().find(|(c, _)| *c == code)?.1;
            let streets: Vec<&str> = streets
                .iter()
                .filter(|[c, _]| *c == code)
                .map(|[_, s]| *s)
                .collect();
            (!streets.is_empty()).then_some(City {
                name,
                postcode,
                area,
                country,
                streets,
            })
        })
        .collect()
}

/// The touch summaries, by `[section]`: a channel, `in` or `planned`.
fn summaries() -> Summaries {
    let mut summaries = Summaries {
        by_channel: vec![Vec::new(); Channel::ALL.len()],
        ..Summaries::default()
    };
    let mut section: Option<&mut Vec<&'static str>> = None;
    for line in lines(TOUCHES) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = match name {
                "in" => Some(&mut summaries.inbound),
                "planned" => Some(&mut summaries.planned),
                other => other.parse::<Channel>().ok().and_then(|ch| {
                    let i = Channel::ALL.iter().position(|c| *c == ch)?;
                    summaries.by_channel.get_mut(i)
                }),
            };
        } else if let Some(list) = section.as_mut() {
            list.push(line);
        }
    }
    summaries
}

/// The demo's categories (lines whose every field parses).
fn categories() -> Vec<CategorySpec> {
    lines(CATEGORIES)
        .filter_map(fields::<6>)
        .filter_map(
            |[name, cadence, priority, broadcasts, channels, description]| {
                let channels: Vec<Channel> = channels
                    .split(',')
                    .map(|c| c.parse::<Channel>())
                    .collect::<Result<_, _>>()
                    .ok()?;
                Some(CategorySpec {
                    name,
                    cadence: cadence.parse().ok()?,
                    priority: priority.parse().ok()?,
                    broadcasts_suffice: broadcasts == "yes",
                    channels,
                    description,
                })
            },
        )
        .collect()
}

/// Count the data lines of `text` (for the tests: every line must have parsed).
#[cfg(test)]
fn data_lines(text: &'static str) -> usize {
    lines(text).filter(|l| !l.starts_with('[')).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_parses() {
        let v = Vocab::load();
        assert_eq!(v.whole_names.len(), data_lines(WHOLE_NAMES));
        assert_eq!(v.companies.len(), data_lines(COMPANIES));
        assert_eq!(v.cities.len(), data_lines(CITIES));
        assert_eq!(v.categories.len(), data_lines(CATEGORIES));
        assert_eq!(v.categories.len(), 8);
        let summaries: usize = v.summaries.by_channel.iter().map(Vec::len).sum::<usize>()
            + v.summaries.inbound.len()
            + v.summaries.planned.len();
        assert_eq!(summaries, data_lines(TOUCHES));
        for ch in Channel::ALL {
            assert!(!v.summaries.of(ch).is_empty(), "no summary for {ch}");
        }
        for list in [
            &v.first_names,
            &v.last_names,
            &v.topics,
            &v.sale_notes,
            &v.notes,
            &v.tags,
            &v.snoozes,
        ] {
            assert!(!list.is_empty());
        }
    }

    #[test]
    fn fields_are_clean() {
        let v = Vocab::load();
        for c in &v.companies {
            assert!(
                c.domain
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                c.domain
            );
        }
        for w in &v.whole_names {
            assert!(
                w.ascii.bytes().all(|b| b.is_ascii_lowercase() || b == b'.'),
                "{}",
                w.ascii
            );
        }
        for t in &v.tags {
            assert_eq!(crate::model::validate::tag(t).as_deref(), Ok(*t));
        }
    }
}
