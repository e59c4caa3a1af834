//! The diary as the items it would have on the server: one card per contact, one VTODO per open
//! follow-up (and, once synced, per follow-up since done or cancelled, so the phone sees it
//! closed), one history item per contact and year with done touches, sales or stage moves.

use super::super::mapping::contact::{self, CardWriter};
use super::super::mapping::journal::{self, Entry, History, What};
use super::super::mapping::todo::{self, FollowUp, TodoState};
use super::super::plan::{self, ItemKind, Local};
use super::state;
use crate::model::{Category, CategoryId, Contact, ContactId, Settings, Touch, TouchState};
use crate::store::{GlobalKind, Store, StoreError};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// Everything read once for building the items.
struct Read {
    settings: Settings,
    categories: HashMap<CategoryId, Category>,
    contacts: BTreeMap<ContactId, Contact>,
    gids: [HashMap<u64, String>; 3],
}

impl Read {
    fn gid(&self, kind: GlobalKind, id: u64) -> Option<&String> {
        let i = match kind {
            GlobalKind::Contact => 0,
            GlobalKind::Touch => 1,
            GlobalKind::Sale => 2,
        };
        self.gids[i].get(&id)
    }

    fn cadence_phrase(&self, c: &Contact) -> String {
        let cadence = c
            .cadence
            .or_else(|| {
                c.category
                    .and_then(|k| self.categories.get(&k))
                    .map(|k| k.cadence)
            })
            .unwrap_or(self.settings.default_cadence);
        format!("keeps the every-{cadence} cadence")
    }
}

/// Build every item. Contacts without a global id (not possible after schema 4) are left out.
pub fn items(
    store: &Store,
    writer: &dyn CardWriter,
    today: NaiveDate,
) -> Result<BTreeMap<String, Local>, StoreError> {
    let read = Read {
        settings: store.settings()?,
        categories: store.categories()?.into_iter().map(|k| (k.id, k)).collect(),
        contacts: store.contacts()?.into_iter().map(|c| (c.id, c)).collect(),
        gids: [
            store.global_ids(GlobalKind::Contact)?,
            store.global_ids(GlobalKind::Touch)?,
            store.global_ids(GlobalKind::Sale)?,
        ],
    };
    let known = store.sync_items()?;
    let touches = store.touches_between(NaiveDate::MIN, NaiveDate::MAX)?;
    let mut out = BTreeMap::new();
    cards(&read, writer, &mut out);
    follow_ups(&touches, &read, &known, today, &mut out);
    histories(store, &touches, &read, today, &mut out)?;
    Ok(out)
}

fn cards(read: &Read, writer: &dyn CardWriter, out: &mut BTreeMap<String, Local>) {
    for c in read.contacts.values() {
        let Some(gid) = read.gid(GlobalKind::Contact, c.id.0) else {
            continue;
        };
        // The export's rule too, so a contact's card has one UID wherever it goes.
        let uid = &crate::interop::vcard::write::uid(c, Some(gid));
        let category = c
            .category
            .and_then(|k| read.categories.get(&k))
            .map(|k| k.name.as_str());
        let text = writer.card(c, uid, &contact::extra(c, category));
        // The record as the server will read it back, so nothing differs by writing alone.
        let record =
            contact::read(&text).map_or_else(|_| contact::record(c, category), |r| r.record);
        out.insert(
            uid.clone(),
            Local {
                uid: uid.clone(),
                kind: ItemKind::Contact,
                record,
                text,
            },
        );
    }
}

fn follow_ups(
    touches: &[Touch],
    read: &Read,
    known: &BTreeMap<String, crate::store::SyncItem>,
    today: NaiveDate,
    out: &mut BTreeMap<String, Local>,
) {
    for t in touches {
        let Some(uid) = read.gid(GlobalKind::Touch, t.id.0) else {
            continue;
        };
        let state = match t.state {
            TouchState::Planned => TodoState::Open,
            // Closed here: sent as closed only if the server has it as a follow-up.
            _ if known
                .get(uid)
                .is_none_or(|k| k.kind != state::kind_name(ItemKind::FollowUp)) =>
            {
                continue;
            }
            TouchState::Done => TodoState::Completed(t.date),
            _ => TodoState::Cancelled,
        };
        let (Some(c), Some(contact_uid)) = (
            read.contacts.get(&t.contact),
            read.gid(GlobalKind::Contact, t.contact.0),
        ) else {
            continue;
        };
        let f = FollowUp {
            uid: uid.clone(),
            contact_uid: contact_uid.clone(),
            who: c.label(),
            channel: t.channel,
            due: t.date,
            why: read.cadence_phrase(c),
            send: t.summary.clone(),
            state,
        };
        out.insert(
            uid.clone(),
            Local {
                uid: uid.clone(),
                kind: ItemKind::FollowUp,
                record: f.record(),
                text: todo::write(&f, today),
            },
        );
    }
}

fn histories(
    store: &Store,
    touches: &[Touch],
    read: &Read,
    today: NaiveDate,
    out: &mut BTreeMap<String, Local>,
) -> Result<(), StoreError> {
    let mut by_year: BTreeMap<(ContactId, i32), Vec<Entry>> = BTreeMap::new();
    for t in touches {
        let Some(id) = read.gid(GlobalKind::Touch, t.id.0) else {
            continue;
        };
        if t.state == TouchState::Done {
            by_year
                .entry((t.contact, t.date.year()))
                .or_default()
                .push(Entry {
                    id: id.clone(),
                    date: t.date,
                    what: What::Touch {
                        channel: t.channel,
                        direction: t.direction,
                        summary: t.summary.clone(),
                    },
                });
        }
    }
    for s in store.sales()? {
        let Some(id) = read.gid(GlobalKind::Sale, s.id.0) else {
            continue;
        };
        by_year
            .entry((s.contact, s.date.year()))
            .or_default()
            .push(Entry {
                id: id.clone(),
                date: s.date,
                what: What::Sale {
                    amount_cents: s.amount_cents,
                    currency: s.currency.clone(),
                    note: s.note.clone(),
                },
            });
    }
    for m in store.stage_moves()? {
        let Some(contact_uid) = read.gid(GlobalKind::Contact, m.contact.0) else {
            continue;
        };
        // A stage move has no id of its own: the same move on two diaries is one entry.
        let id = format!("{contact_uid}-stage-{}-{}", m.date, m.to);
        by_year
            .entry((m.contact, m.date.year()))
            .or_default()
            .push(Entry {
                id,
                date: m.date,
                what: What::Stage {
                    from: m.from,
                    to: m.to,
                    reason: m.reason,
                },
            });
    }
    for ((contact, year), entries) in by_year {
        let (Some(c), Some(contact_uid)) = (
            read.contacts.get(&contact),
            read.gid(GlobalKind::Contact, contact.0),
        ) else {
            continue;
        };
        let h = History {
            contact_uid: contact_uid.clone(),
            who: c.label(),
            year,
            entries: journal::union(&entries, &[]),
        };
        out.insert(
            h.uid(),
            Local {
                uid: h.uid(),
                kind: ItemKind::History,
                record: plan::history_record(&h.entries),
                text: journal::write(&h, today),
            },
        );
    }
    Ok(())
}
