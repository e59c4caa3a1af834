//! The merge action: contact B into contact A, inside ONE write transaction that reads both
//! contacts, B's touches and sales, checks the rules and writes (so nothing another process wrote
//! to either contact meanwhile is lost). A keeps its fields and gains what B adds (emails, phones,
//! tags, company, address, birthday, notes); B's history moves to A; B is archived with the note
//! "merged into cA". One undo reverts it.

use crate::model::{Contact, ContactId, Stage};
use crate::store::{Store, StoreError, Writer};
use chrono::NaiveDate;
use thiserror::Error;

/// Merge `from` into `into`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeRequest {
    /// The contact that stays.
    pub into: ContactId,
    /// The contact merged into it, then archived.
    pub from: ContactId,
    pub today: NaiveDate,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The contact that stayed, as written.
    pub into: Contact,
    /// The merged contact, archived, as written.
    pub from: Contact,
    pub touches_moved: usize,
    pub sales_moved: usize,
}

/// Why a merge was refused (nothing was written).
#[derive(Debug, Error)]
pub enum MergeError {
    #[error("c{0} and c{0} are the same contact: give two different contacts")]
    Same(ContactId),
    #[error("c{0} was already merged (see its notes): `tickler undo` reverts a merge")]
    AlreadyMerged(ContactId),
    #[error("no contact c{0}: `tickler list` shows the contacts")]
    NotFound(ContactId),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The undo label of a merge.
fn label(req: &MergeRequest) -> String {
    format!("merge c{} into c{}", req.from, req.into)
}

/// Run a merge as one undoable write.
pub fn run(store: &Store, req: MergeRequest) -> Result<Merged, MergeError> {
    super::in_one_write(store, &label(&req), |w| merge(w, req).map(|m| (m, true)))
}

/// The merge action inside the transaction that commits it.
pub fn merge(w: &mut Writer<'_>, req: MergeRequest) -> Result<Merged, MergeError> {
    if req.into == req.from {
        return Err(MergeError::Same(req.into));
    }
    let mut keep = w.contact(req.into)?.ok_or(MergeError::NotFound(req.into))?;
    let mut gone = w.contact(req.from)?.ok_or(MergeError::NotFound(req.from))?;
    if gone.stage == Stage::Archived && gone.notes.contains("merged into c") {
        return Err(MergeError::AlreadyMerged(gone.id));
    }
    let touches = w.touches_of(gone.id)?;
    let sales = w.sales_of(gone.id)?;
    absorb(&mut keep, &gone, req.today);
    retire(&mut gone, keep.id, req.today);
    let (touches_moved, sales_moved) = (touches.len(), sales.len());
    for mut t in touches {
        t.contact = keep.id;
        w.put_touch(&t)?;
    }
    for mut s in sales {
        s.contact = keep.id;
        w.put_sale(&s)?;
    }
    w.put_contact(&keep)?;
    w.put_contact(&gone)?;
    w.set_label(format!(
        "merge c{} into c{} {}",
        gone.id,
        keep.id,
        keep.label()
    ));
    Ok(Merged {
        into: keep,
        from: gone,
        touches_moved,
        sales_moved,
    })
}

/// `keep` gains what `gone` adds; its own fields win.
fn absorb(keep: &mut Contact, gone: &Contact, today: NaiveDate) {
    let union = |into: &mut Vec<String>, from: &[String]| {
        for v in from {
            if !into.iter().any(|x| x.eq_ignore_ascii_case(v)) {
                into.push(v.clone());
            }
        }
    };
    union(&mut keep.emails, &gone.emails);
    union(&mut keep.phones, &gone.phones);
    union(&mut keep.tags, &gone.tags);
    if keep.company.is_none() {
        keep.company.clone_from(&gone.company);
    }
    if keep.address.is_none() {
        keep.address.clone_from(&gone.address);
    }
    if keep.birthday.is_none() {
        keep.birthday = gone.birthday;
    }
    if !gone.notes.trim().is_empty() {
        if !keep.notes.is_empty() {
            keep.notes.push_str("\n\n");
        }
        keep.notes.push_str(&format!(
            "Merged from c{} {}:\n{}",
            gone.id,
            gone.label(),
            gone.notes
        ));
    }
    keep.updated = today;
}

/// Archive the merged contact with a note naming the one it went into.
fn retire(gone: &mut Contact, into: ContactId, today: NaiveDate) {
    if gone.stage != Stage::Archived {
        gone.archived_from = Some(gone.stage);
        gone.stage = Stage::Archived;
        gone.stage_changed = today;
    }
    gone.snooze = None;
    if !gone.notes.is_empty() {
        gone.notes.push('\n');
    }
    gone.notes.push_str(&format!("merged into c{into}"));
    gone.updated = today;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Channel, Direction, Touch, TouchId, TouchState};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn merge_reads_inside_the_transaction_and_refuses_twice() {
        let store = Store::in_memory().unwrap();
        store
            .write("add", |w| {
                let mut a = Contact::new(ContactId(1), "Ada", day());
                a.emails.push("ada@example.com".into());
                w.put_contact(&a)?;
                let mut b = Contact::new(ContactId(2), "A. Lovelace", day());
                b.phones.push("+44 1".into());
                w.put_contact(&b)?;
                w.put_touch(&Touch {
                    id: TouchId(1),
                    contact: ContactId(2),
                    date: day(),
                    channel: Channel::Call,
                    direction: Direction::Out,
                    state: TouchState::Done,
                    summary: "hello".into(),
                })
            })
            .unwrap();
        let req = MergeRequest {
            into: ContactId(1),
            from: ContactId(2),
            today: day(),
        };
        let m = run(&store, req).unwrap();
        assert_eq!(m.touches_moved, 1);
        assert_eq!(m.into.phones, ["+44 1"]);
        let stored = store.contact(ContactId(2)).unwrap().unwrap();
        assert_eq!(stored.stage, Stage::Archived);
        assert!(matches!(
            run(&store, req),
            Err(MergeError::AlreadyMerged(ContactId(2)))
        ));
        let same = MergeRequest {
            from: ContactId(1),
            ..req
        };
        assert!(matches!(run(&store, same), Err(MergeError::Same(_))));
        let missing = MergeRequest {
            from: ContactId(9),
            ..req
        };
        assert!(matches!(
            run(&store, missing),
            Err(MergeError::NotFound(ContactId(9)))
        ));
        // Refusals write nothing: one undo entry (the add) plus the merge.
        assert_eq!(store.undo_log().unwrap().len(), 2);
    }
}
