//! One generated contact: who they are, how to reach them, where they stand, and the rest (tags,
//! a note, a cadence of their own, a snooze).
//!
//! Every choice is drawn from the generator's one stream, in a fixed order: reordering the steps
//! below changes the diary every seed gives.

use super::vocab::{City, Company};
use super::{Gen, Kind, Person, days_between, fill, fold_ascii, shift};
use crate::model::{Birthday, Cadence, Contact, ContactId, HurryReason, NoReason, Snooze, Stage};
use chrono::NaiveDate;

/// A generated name: as shown, the first name (summaries say "{first} called"), and the local
/// part of the contact's e-mail addresses.
struct Name<'v> {
    full: String,
    first: &'v str,
    local: String,
}

/// Where a contact stands, beyond what its record holds: what its history is drawn from.
struct Standing {
    kind: Option<Kind>,
    /// The last day of active history: today, or the day they were archived.
    end: NaiveDate,
    customer_since: Option<NaiveDate>,
}

impl<'v> Gen<'v> {
    pub(super) fn contact(
        &mut self,
        id: ContactId,
        created: NaiveDate,
        imported: bool,
    ) -> (Contact, Person<'v>) {
        let v = self.v;
        let name = self.name(id);
        let mut c = Contact::new(id, name.full, created);
        let company = self
            .chance(0.85)
            .then(|| self.pick(&v.companies))
            .filter(|co| !co.name.is_empty());
        c.company = company.map(|co| co.name.to_string());
        self.reach(&mut c, company, &name.local);
        self.near_duplicate(&mut c);
        c.birthday = if self.chance(0.4) {
            self.birthday()
        } else {
            None
        };
        let standing = self.standing(&mut c, imported);
        let category = self.category_of(standing.kind);
        c.category = category.and_then(|i| self.categories.get(i)).map(|k| k.id);
        self.extras(&mut c, name.first);
        c.updated = c.stage_changed.max(created).min(self.today);
        let topics = [
            self.pick(&v.topics),
            self.pick(&v.topics),
            self.pick(&v.topics),
        ];
        let person = Person {
            first: name.first,
            kind: standing.kind,
            category,
            topics,
            end: standing.end.min(self.today),
            customer_since: standing.customer_since,
        };
        (c, person)
    }

    /// A name from the vocabulary: now and then a whole name (with its ASCII spelling), else a
    /// first and a last name.
    fn name(&mut self, id: ContactId) -> Name<'v> {
        let v = self.v;
        let (full, first, local) = if self.chance(0.025) && !v.whole_names.is_empty() {
            let w = v.whole_names[self.index(v.whole_names.len())];
            (w.name.to_string(), w.name, w.ascii.to_string())
        } else {
            let first = self.pick(&v.first_names);
            let last = self.pick(&v.last_names);
            let mut local = String::with_capacity(first.len() + last.len() + 1);
            fold_ascii(first, &mut local);
            local.push('.');
            fold_ascii(last, &mut local);
            (format!("{first} {last}"), first, local)
        };
        let local = if local.trim_matches('.').is_empty() {
            format!("contact{}", id.0)
        } else {
            local
        };
        Name { full, first, local }
    }

    /// E-mail addresses (at the company, or private), phones and a postal address in a city of
    /// the vocabulary; 2% end up with none of them (unreachable, to clean up).
    fn reach(&mut self, c: &mut Contact, company: Option<Company>, local: &str) {
        let n_emails = self.weighted(&[(0usize, 10), (1, 65), (2, 25)], 1);
        if n_emails >= 1 {
            match company {
                Some(co) => c.emails.push(format!("{local}@{}.example", co.domain)),
                None => c.emails.push(self.private_email(local)),
            }
        }
        if n_emails == 2 && company.is_some() {
            let private = self.private_email(local);
            c.emails.push(private);
        }
        let v = self.v;
        let city = (!v.cities.is_empty()).then(|| &v.cities[self.index(v.cities.len())]);
        if let Some(city) = city {
            c.phones = self.phones(city);
            if self.chance(0.45) {
                c.address = Some(self.address(city));
            }
        }
        if self.chance(0.02) {
            c.emails.clear();
            c.phones.clear();
            c.address = None;
        }
    }

    /// None, one or two phone numbers in `city`.
    fn phones(&mut self, city: &City) -> Vec<String> {
        let n_phones = self.weighted(&[(0usize, 25), (1, 55), (2, 20)], 1);
        let mut phones = Vec::new();
        for _ in 0..n_phones {
            let (a, b) = (self.int(100, 999), self.int(1000, 9999));
            phones.push(format!("{} {} {a} {b}", city.country.dial, city.area));
        }
        phones
    }

    /// A street address in `city`, written the way its country writes them.
    fn address(&mut self, city: &City) -> String {
        let street = self.pick(&city.streets);
        let no = self.int(1, 180);
        let street_line = if city.country.number_first {
            format!("{no} {street}")
        } else {
            format!("{street} {no}")
        };
        let city_line = if city.country.postcode_last {
            format!("{} {}", city.name, city.postcode)
        } else {
            format!("{} {}", city.postcode, city.name)
        };
        format!("{street_line}\n{city_line}\n{}", city.country.name)
    }

    /// Rarely, a near-duplicate of someone entered before: same name, company and first email.
    fn near_duplicate(&mut self, c: &mut Contact) {
        if c.id.0 <= 20 || !self.chance(0.004) {
            return;
        }
        let j = self.index(self.contacts.len());
        let Some(orig) = self.contacts.get(j) else {
            return;
        };
        c.name.clone_from(&orig.name);
        c.company.clone_from(&orig.company);
        if let Some(e) = orig.emails.first() {
            c.emails.truncate(1);
            match c.emails.first_mut() {
                Some(mine) => mine.clone_from(e),
                None => c.emails.push(e.clone()),
            }
        }
    }

    /// The contact's stage for its age, with the stage's date and, for those who said no, why.
    fn standing(&mut self, c: &mut Contact, imported: bool) -> Standing {
        let created = c.created;
        let age = days_between(created, self.today).max(0);
        let stage = self.stage_for_age(age);
        c.stage = stage;
        if stage == Stage::Archived {
            return self.archived(c, age);
        }
        let mut standing = Standing {
            kind: self.kind_for_stage(stage),
            end: self.today,
            customer_since: None,
        };
        c.stage_changed = match stage {
            Stage::Qualified | Stage::Proposal => shift(created, self.int(age / 4, age)),
            Stage::Customer => {
                let since = if imported {
                    created
                } else {
                    shift(created, self.int(0, age.min(180)))
                };
                standing.customer_since = Some(since);
                since
            }
            Stage::StayInTouch => {
                let since = shift(created, self.int(age / 3, age));
                c.no_reason = Some(self.no_reason());
                since
            }
            Stage::Lead | Stage::Archived => created,
        };
        standing
    }

    /// An archived contact: the stage they left, when, and the reason of their "no".
    fn archived(&mut self, c: &mut Contact, age: i64) -> Standing {
        let from = self.weighted(
            &[
                (Stage::Lead, 40),
                (Stage::Qualified, 15),
                (Stage::Customer, 15),
                (Stage::StayInTouch, 30),
            ],
            Stage::Lead,
        );
        let kind = self.kind_for_stage(from);
        let end = shift(c.created, self.int(age / 3, age));
        c.stage_changed = end;
        c.archived_from = Some(from);
        c.no_reason = Some(self.weighted(
            &[
                (NoReason::NoInterest, 30),
                (NoReason::NoNeed, 25),
                (NoReason::NotAFit, 25),
                (NoReason::NoMoney, 10),
                (NoReason::NoHurry(None), 10),
            ],
            NoReason::NoInterest,
        ));
        Standing {
            kind,
            end,
            customer_since: (from == Stage::Customer).then_some(c.created),
        }
    }

    /// Tags, now and then a note, a cadence of their own, or a snooze.
    fn extras(&mut self, c: &mut Contact, first: &str) {
        let v = self.v;
        let n_tags = self.weighted(&[(0usize, 40), (1, 30), (2, 20), (3, 10)], 0);
        for _ in 0..n_tags {
            let t = self.pick(&v.tags);
            if !t.is_empty() && !c.tags.iter().any(|have| have == t) {
                c.tags.push(t.to_string());
            }
        }
        if self.chance(0.25) {
            let note = self.pick(&v.notes);
            c.notes = fill(note, "", first).replace("\\n", "\n");
        }
        if self.chance(0.05) {
            const OVERRIDES: [Cadence; 5] = [
                Cadence::weeks(2),
                Cadence::weeks(3),
                Cadence::days(45),
                Cadence::months(2),
                Cadence::months(4),
            ];
            c.cadence = OVERRIDES.get(self.index(OVERRIDES.len())).copied();
        }
        if c.stage.is_kept() && self.chance(0.03) {
            let today = self.today;
            c.snooze = Some(Snooze {
                until: shift(today, self.int(7, 42)),
                since: shift(today, -self.int(0, 20)).max(c.created),
                note: self.pick(&v.snoozes).to_string(),
            });
        }
    }

    fn stage_for_age(&mut self, age: i64) -> Stage {
        use Stage::*;
        if age < 90 {
            self.weighted(
                &[
                    (Lead, 45),
                    (Qualified, 20),
                    (Proposal, 10),
                    (Customer, 12),
                    (StayInTouch, 8),
                    (Archived, 5),
                ],
                Lead,
            )
        } else {
            self.weighted(
                &[
                    (Lead, 7),
                    (Qualified, 5),
                    (Proposal, 3),
                    (Customer, 40),
                    (StayInTouch, 31),
                    (Archived, 14),
                ],
                Customer,
            )
        }
    }

    fn kind_for_stage(&mut self, stage: Stage) -> Option<Kind> {
        use Kind::*;
        let table: &[(Option<Kind>, u32)] = match stage {
            Stage::Customer => &[
                (Some(Key), 10),
                (Some(Regular), 50),
                (Some(Occasional), 32),
                (Some(Partner), 8),
            ],
            // A few contacts are left without a category (the planner falls back to the default).
            Stage::Lead => &[
                (Some(Hot), 30),
                (Some(Competitor), 52),
                (Some(Partner), 8),
                (None, 10),
            ],
            Stage::Qualified | Stage::Proposal => &[
                (Some(Hot), 62),
                (Some(Competitor), 30),
                (Some(Partner), 5),
                (None, 3),
            ],
            Stage::StayInTouch | Stage::Archived => &[
                (Some(NotNow), 66),
                (Some(Competitor), 16),
                (Some(Press), 16),
                (None, 2),
            ],
        };
        self.weighted(table, None)
    }

    fn no_reason(&mut self) -> NoReason {
        use HurryReason::*;
        use NoReason::*;
        self.weighted(
            &[
                (NoNeed, 15),
                (NoInterest, 10),
                (NoMoney, 15),
                (NoHurry(None), 8),
                (NoHurry(Some(BuyingIsWork)), 10),
                (NoHurry(Some(Procrastinate)), 12),
                (NoHurry(Some(OtherPriorities)), 12),
                (NotAFit, 18),
            ],
            NoNeed,
        )
    }

    fn private_email(&mut self, local: &str) -> String {
        let host = self.pick(&["mail.example", "post.example", "inbox.example"]);
        if self.chance(0.5) {
            format!("{local}@{host}")
        } else {
            format!("{local}{}@{host}", self.int(1, 99))
        }
    }

    fn birthday(&mut self) -> Option<Birthday> {
        if self.chance(0.015) {
            let year = self.chance(0.5).then(|| 1952 + 4 * self.int(0, 12) as i32);
            return Birthday::new(2, 29, year);
        }
        let month = self.int(1, 12) as u32;
        let len = crate::dates::days_in_month(2001, month).unwrap_or(28);
        let day = self.int(1, i64::from(len)) as u32;
        let year = self.chance(0.6).then(|| self.int(1950, 2002) as i32);
        Birthday::new(month, day, year)
    }
}
