//! The tables of issue 14 (schema 5): the piece library, the piece each touch carried, and what
//! capture has seen and done. Record operations for writes and undo, and the reads of
//! [`Store`] and [`Writer`].
//!
//! Who received a piece is not stored apart: it is read through the touch that carried it (its
//! contact, date and state), so a merge moving touches, a touch cancelled or an undo need nothing
//! more here.

use super::codec::{self, CaptureRunV1, CapturedV1, PieceV1};
use super::ops::{get, next_id};
use super::tables::{Bytes, CAPTURE_RUNS, CAPTURED, PIECES, TOUCH_PIECES, TOUCHES, meta, name};
use super::undo::{Before, RecordKey};
use super::{Result, Store, Writer};
use crate::model::{CaptureRun, Captured, Piece, PieceId, PieceSend, Touch, TouchId, TouchState};
use redb::{ReadableTable, WriteTransaction};
use sha2::{Digest, Sha256};

/// The key of a capture record: the first 16 bytes of the SHA-256 of its key text.
pub(crate) fn captured_key(key: &str) -> u128 {
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

/// Insert, replace or delete a piece. Returns the old one.
pub(crate) fn set_piece(
    txn: &WriteTransaction,
    id: u64,
    new: Option<&Piece>,
) -> Result<Option<Piece>> {
    let mut t = txn.open_table(PIECES)?;
    let old = get::<PieceV1>(&t, PIECES, id)?;
    match new {
        Some(p) => t.insert(id, codec::encode::<PieceV1>(name::PIECES, p)?.as_slice())?,
        None => t.remove(id)?,
    };
    Ok(old)
}

/// Set or remove the piece a touch carried. Returns the old one.
pub(crate) fn set_touch_piece(
    txn: &WriteTransaction,
    touch: u64,
    piece: Option<u64>,
) -> Result<Option<u64>> {
    let mut t = txn.open_table(TOUCH_PIECES)?;
    let old = match piece {
        Some(p) => t.insert(touch, p)?,
        None => t.remove(touch)?,
    };
    Ok(old.map(|v| v.value()))
}

/// Insert, replace or delete a capture record. Returns the old one.
pub(crate) fn set_captured(
    txn: &WriteTransaction,
    key: u128,
    new: Option<&Captured>,
) -> Result<Option<Captured>> {
    let mut t = txn.open_table(CAPTURED)?;
    let old = match t.get(key)? {
        Some(v) => Some(codec::decode::<CapturedV1>(name::CAPTURED, key, v.value())?),
        None => None,
    };
    match new {
        Some(c) => t.insert(
            key,
            codec::encode::<CapturedV1>(name::CAPTURED, c)?.as_slice(),
        )?,
        None => t.remove(key)?,
    };
    Ok(old)
}

/// Insert, replace or delete a capture run. Returns the old one.
pub(crate) fn set_capture_run(
    txn: &WriteTransaction,
    id: u64,
    new: Option<&CaptureRun>,
) -> Result<Option<CaptureRun>> {
    let mut t = txn.open_table(CAPTURE_RUNS)?;
    let old = get::<CaptureRunV1>(&t, CAPTURE_RUNS, id)?;
    match new {
        Some(r) => t.insert(
            id,
            codec::encode::<CaptureRunV1>(name::CAPTURE_RUNS, r)?.as_slice(),
        )?,
        None => t.remove(id)?,
    };
    Ok(old)
}

/// Every piece, ascending by id.
fn pieces(t: &impl ReadableTable<u64, Bytes>) -> Result<Vec<Piece>> {
    super::ops::all::<PieceV1>(t, PIECES)
}

/// Every touch that carried a piece, with its contact, date and state: what was sent and
/// received, ascending by touch id.
fn sends(
    links: &impl ReadableTable<u64, u64>,
    touches: &impl ReadableTable<u64, Bytes>,
) -> Result<Vec<PieceSend>> {
    let mut out = Vec::new();
    for entry in links.range::<u64>(..)? {
        let (k, v) = entry?;
        let touch: Option<Touch> = get::<codec::TouchV1>(touches, TOUCHES, k.value())?;
        // A link whose touch is gone (deleted planned touch) sent nothing.
        if let Some(t) = touch {
            match t.state {
                TouchState::Done | TouchState::Planned => out.push(PieceSend {
                    piece: PieceId(v.value()),
                    touch: t.id,
                    contact: t.contact,
                    date: t.date,
                    received: t.state == TouchState::Done,
                }),
                TouchState::Skipped | TouchState::Cancelled => {}
            }
        }
    }
    Ok(out)
}

/// Every capture run, ascending.
fn runs(t: &impl ReadableTable<u64, Bytes>) -> Result<Vec<CaptureRun>> {
    super::ops::all::<CaptureRunV1>(t, CAPTURE_RUNS)
}

/// Every capture record.
fn all_captured(t: &impl ReadableTable<u128, Bytes>) -> Result<Vec<Captured>> {
    let mut out =
        Vec::with_capacity(usize::try_from(redb::ReadableTableMetadata::len(t)?).unwrap_or(0));
    for entry in t.range::<u128>(..)? {
        let (k, v) = entry?;
        out.push(codec::decode::<CapturedV1>(
            name::CAPTURED,
            k.value(),
            v.value(),
        )?);
    }
    Ok(out)
}

impl Store {
    /// The piece library, ascending by id.
    pub fn pieces(&self) -> Result<Vec<Piece>> {
        pieces(&self.read()?.open_table(PIECES)?)
    }

    /// Every piece sent (with a done touch: received) or on its way (a planned touch).
    pub fn piece_sends(&self) -> Result<Vec<PieceSend>> {
        let txn = self.read()?;
        sends(&txn.open_table(TOUCH_PIECES)?, &txn.open_table(TOUCHES)?)
    }

    /// The piece a touch carried.
    pub fn touch_piece(&self, touch: TouchId) -> Result<Option<PieceId>> {
        let txn = self.read()?;
        let t = txn.open_table(TOUCH_PIECES)?;
        Ok(t.get(touch.0)?.map(|v| PieceId(v.value())))
    }

    /// The pieces the given touches carried (those that carried one), in the touches' order:
    /// one read for a contact's timeline.
    pub fn touch_pieces_of(
        &self,
        touches: impl IntoIterator<Item = TouchId>,
    ) -> Result<Vec<(TouchId, PieceId)>> {
        let txn = self.read()?;
        let t = txn.open_table(TOUCH_PIECES)?;
        let mut out = Vec::new();
        for touch in touches {
            if let Some(v) = t.get(touch.0)? {
                out.push((touch, PieceId(v.value())));
            }
        }
        Ok(out)
    }

    /// Every capture run, oldest first.
    pub fn capture_runs(&self) -> Result<Vec<CaptureRun>> {
        runs(&self.read()?.open_table(CAPTURE_RUNS)?)
    }

    /// The newest capture run, if any.
    pub fn last_capture_run(&self) -> Result<Option<CaptureRun>> {
        let txn = self.read()?;
        let t = txn.open_table(CAPTURE_RUNS)?;
        match t.last()? {
            Some((k, v)) => Ok(Some(codec::decode::<CaptureRunV1>(
                name::CAPTURE_RUNS,
                k.value(),
                v.value(),
            )?)),
            None => Ok(None),
        }
    }

    /// Everything capture has seen.
    pub fn captured(&self) -> Result<Vec<Captured>> {
        all_captured(&self.read()?.open_table(CAPTURED)?)
    }
}

impl Writer<'_> {
    pub fn pieces(&self) -> Result<Vec<Piece>> {
        pieces(&self.txn.open_table(PIECES)?)
    }

    pub fn piece(&self, id: PieceId) -> Result<Option<Piece>> {
        get::<PieceV1>(&self.txn.open_table(PIECES)?, PIECES, id.0)
    }

    pub fn new_piece_id(&mut self) -> Result<PieceId> {
        next_id(self.txn, meta::NEXT_PIECE).map(PieceId)
    }

    /// Insert or replace a piece (undoable).
    pub fn put_piece(&mut self, p: &Piece) -> Result<()> {
        super::ops::bump_counter(self.txn, meta::NEXT_PIECE, p.id.0)?;
        let old = set_piece(self.txn, p.id.0, Some(p))?;
        self.remember(RecordKey::Piece(p.id.0), || Before::Piece(p.id.0, old));
        Ok(())
    }

    /// Every piece sent or on its way, as of this transaction.
    pub fn piece_sends(&self) -> Result<Vec<PieceSend>> {
        sends(
            &self.txn.open_table(TOUCH_PIECES)?,
            &self.txn.open_table(TOUCHES)?,
        )
    }

    /// Record the piece a touch carried (undoable).
    pub fn set_touch_piece(&mut self, touch: TouchId, piece: Option<PieceId>) -> Result<()> {
        let old = set_touch_piece(self.txn, touch.0, piece.map(|p| p.0))?;
        self.remember(RecordKey::TouchPiece(touch.0), || {
            Before::TouchPiece(touch.0, old)
        });
        Ok(())
    }

    /// What capture recorded under `key`, as of this transaction.
    pub fn captured(&self, key: &str) -> Result<Option<Captured>> {
        let k = captured_key(key);
        let t = self.txn.open_table(CAPTURED)?;
        match t.get(k)? {
            Some(v) => Ok(Some(codec::decode::<CapturedV1>(
                name::CAPTURED,
                key,
                v.value(),
            )?)),
            None => Ok(None),
        }
    }

    /// Record what capture saw (undoable: an undone run captures it again).
    pub fn put_captured(&mut self, c: &Captured) -> Result<()> {
        let k = captured_key(&c.key);
        let old = set_captured(self.txn, k, Some(c))?;
        self.remember(RecordKey::Captured(k), || Before::Captured(k, old));
        Ok(())
    }

    /// Everything capture has seen, as of this transaction.
    pub fn all_captured(&self) -> Result<Vec<Captured>> {
        all_captured(&self.txn.open_table(CAPTURED)?)
    }

    /// A new capture run's number.
    pub fn new_capture_run_id(&mut self) -> Result<u64> {
        next_id(self.txn, meta::NEXT_CAPTURE_RUN)
    }

    /// The number the undo log will give this action when it commits (what a capture run
    /// records to undo exactly itself later). Only meaningful for an action that writes.
    pub fn pending_undo_seq(&self) -> Result<u64> {
        let m = self.txn.open_table(super::tables::META)?;
        Ok(super::ops::meta_u64(&m, meta::NEXT_UNDO)?.max(1))
    }

    /// Record a capture run (undoable).
    pub fn put_capture_run(&mut self, r: &CaptureRun) -> Result<()> {
        let old = set_capture_run(self.txn, r.id, Some(r))?;
        self.remember(RecordKey::CaptureRun(r.id), || {
            Before::CaptureRun(r.id, old)
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_keys_are_stable() {
        // Pinned: changing the hash would capture every message again.
        assert_eq!(
            format!("{:032x}", captured_key("mail:<1@example.com>")),
            format!("{:032x}", captured_key("mail:<1@example.com>"))
        );
        assert_ne!(captured_key("mail:<1@x>"), captured_key("mail:<2@x>"));
        assert_eq!(
            format!("{:032x}", captured_key("")),
            "e3b0c44298fc1c149afbf4c8996fb924"
        );
    }
}
