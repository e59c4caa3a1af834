//! The piece library: adding a piece, resolving one by id or title, and who received it. A
//! piece goes out with a touch (`log --piece`, a campaign), never twice to the same contact
//! unless forced: the refusal names when they received it.

use super::{ActionError, Result};
use crate::model::{ContactId, Piece, PieceId, PieceKind, PieceSend, validate};
use crate::store::{Store, Writer};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A new piece.
#[derive(Debug, Clone)]
pub struct PieceAdd {
    pub title: String,
    pub kind: PieceKind,
    pub url: Option<String>,
    pub note: String,
}

/// What adding a piece did.
#[derive(Debug, Clone)]
pub struct PieceAdded {
    pub piece: Piece,
}

impl PieceAdded {
    pub fn message(&self) -> String {
        format!(
            "Added piece p{} \"{}\" ({})",
            self.piece.id, self.piece.title, self.piece.kind
        )
    }
}

/// Add a piece to the library (a title is used once: pieces are named by it).
pub fn piece_add(store: &Store, req: &PieceAdd, today: NaiveDate) -> Result<PieceAdded> {
    store.transact("piece add", |w| piece_add_in(w, req, today))
}

/// [`piece_add`] inside a caller's write transaction.
pub fn piece_add_in(w: &mut Writer<'_>, req: &PieceAdd, today: NaiveDate) -> Result<PieceAdded> {
    let title = validate::name("title", &req.title)?;
    let url = req
        .url
        .as_deref()
        .map(|u| validate::line("url", u, validate::MAX_FIELD_CHARS * 4))
        .transpose()?;
    let note = validate::text("note", &req.note, validate::MAX_SUMMARY_BYTES)?;
    let pieces = w.pieces()?;
    if let Some(p) = pieces
        .iter()
        .find(|p| p.title.to_lowercase() == title.to_lowercase())
    {
        return Err(ActionError::PieceExists {
            title: p.title.clone(),
            id: p.id,
        });
    }
    let piece = Piece {
        id: w.new_piece_id()?,
        title,
        kind: req.kind,
        url,
        note,
        created: today,
    };
    w.set_label(format!("piece add p{} {}", piece.id, piece.title));
    w.put_piece(&piece)?;
    Ok(PieceAdded { piece })
}

/// A piece by id (`p3`, `3`) or by title: an exact, case-insensitive title wins over a part of
/// one, which must match one piece only.
pub fn resolve<'a>(pieces: &'a [Piece], query: &str) -> Result<&'a Piece> {
    let q = query.trim();
    if q.is_empty() {
        return Err(ActionError::BadValue(
            "the piece is empty: give its id (p3) or part of its title (`tickler piece list`)"
                .to_string(),
        ));
    }
    let digits = q.strip_prefix(['p', 'P']).unwrap_or(q);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let id = digits.parse::<u64>().ok();
        if let Some(p) = pieces.iter().find(|p| Some(p.id.0) == id) {
            return Ok(p);
        }
    }
    let lower = q.to_lowercase();
    if let Some(p) = pieces.iter().find(|p| p.title.to_lowercase() == lower) {
        return Ok(p);
    }
    let hits: Vec<&Piece> = pieces
        .iter()
        .filter(|p| p.title.to_lowercase().contains(&lower))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(ActionError::NoPiece(q.to_string())),
        many => Err(ActionError::BadValue(format!(
            "'{q}' matches {} pieces: {}; give the id (e.g. p{})",
            many.len(),
            many.iter()
                .take(10)
                .map(|p| format!("p{} {}", p.id, p.title))
                .collect::<Vec<_>>()
                .join(", "),
            many[0].id
        ))),
    }
}

/// Who received which piece and when (the first time), and what is on its way (planned).
#[derive(Debug, Clone, Default)]
pub struct Received {
    done: HashMap<(ContactId, PieceId), NaiveDate>,
    planned: HashMap<(ContactId, PieceId), NaiveDate>,
}

impl Received {
    pub fn of(sends: &[PieceSend]) -> Received {
        let mut r = Received::default();
        for s in sends {
            let map = if s.received {
                &mut r.done
            } else {
                &mut r.planned
            };
            let e = map.entry((s.contact, s.piece)).or_insert(s.date);
            *e = (*e).min(s.date);
        }
        r
    }

    /// When `contact` received `piece`, if they did.
    pub fn when(&self, contact: ContactId, piece: PieceId) -> Option<NaiveDate> {
        self.done.get(&(contact, piece)).copied()
    }

    /// When `piece` is planned to go to `contact`, if it is.
    pub fn planned(&self, contact: ContactId, piece: PieceId) -> Option<NaiveDate> {
        self.planned.get(&(contact, piece)).copied()
    }

    /// Whether `contact` received `piece` or has it on its way.
    pub fn has(&self, contact: ContactId, piece: PieceId) -> bool {
        self.done.contains_key(&(contact, piece)) || self.planned.contains_key(&(contact, piece))
    }

    /// Record a send made by the current action.
    pub fn add(&mut self, contact: ContactId, piece: PieceId, date: NaiveDate, done: bool) {
        let map = if done {
            &mut self.done
        } else {
            &mut self.planned
        };
        map.entry((contact, piece)).or_insert(date);
    }
}

/// The refusal of sending `piece` again to a contact who received it on `date`.
pub(crate) fn already(id: ContactId, name: &str, piece: &Piece, date: NaiveDate) -> ActionError {
    ActionError::AlreadyReceived {
        id,
        name: name.to_string(),
        piece: piece.title.clone(),
        piece_id: piece.id,
        date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TouchId;

    fn piece(id: u64, title: &str) -> Piece {
        Piece {
            id: PieceId(id),
            title: title.into(),
            kind: PieceKind::Report,
            url: None,
            note: String::new(),
            created: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        }
    }

    #[test]
    fn pieces_resolve_by_id_exact_title_or_a_unique_part() {
        let all = [
            piece(1, "Heat pumps 2026"),
            piece(2, "Heat pumps"),
            piece(3, "Solar report"),
        ];
        assert_eq!(resolve(&all, "p3").unwrap().id, PieceId(3));
        assert_eq!(resolve(&all, "3").unwrap().id, PieceId(3));
        assert_eq!(resolve(&all, "heat PUMPS").unwrap().id, PieceId(2));
        assert_eq!(resolve(&all, "solar").unwrap().id, PieceId(3));
        assert!(
            resolve(&all, "heat")
                .unwrap_err()
                .to_string()
                .contains("matches 2 pieces")
        );
        assert!(matches!(
            resolve(&all, "wind"),
            Err(ActionError::NoPiece(_))
        ));
        assert!(resolve(&all, " ").is_err());
    }

    #[test]
    fn received_keeps_the_first_date_and_tells_planned_apart() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        let send = |touch, day, received| PieceSend {
            piece: PieceId(1),
            touch: TouchId(touch),
            contact: ContactId(7),
            date: d(day),
            received,
        };
        let r = Received::of(&[send(1, 9, true), send(2, 3, true), send(3, 20, false)]);
        assert_eq!(r.when(ContactId(7), PieceId(1)), Some(d(3)));
        assert_eq!(r.planned(ContactId(7), PieceId(1)), Some(d(20)));
        assert!(r.has(ContactId(7), PieceId(1)));
        assert!(!r.has(ContactId(8), PieceId(1)));
    }
}
