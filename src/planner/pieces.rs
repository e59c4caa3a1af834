//! Which piece to send with a due touch: one the contact has not received (nor has on its way)
//! whose kind travels by the touch's channel, the newest first (a fresh newsletter issue before
//! last year's report). Pure: the caller gives the library and what the contact already got.

use crate::model::{Channel, Piece, PieceId};

/// The piece to suggest for a touch over `channel` to a contact who has `had` (received or
/// planned), if any fits.
pub fn suggest_piece(
    pieces: &[Piece],
    had: impl Fn(PieceId) -> bool,
    channel: Channel,
) -> Option<&Piece> {
    pieces
        .iter()
        .filter(|p| p.kind.fits(channel) && !had(p.id))
        .max_by_key(|p| (p.created, p.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PieceKind;
    use chrono::NaiveDate;

    fn piece(id: u64, kind: PieceKind, day: u32) -> Piece {
        Piece {
            id: PieceId(id),
            title: format!("piece {id}"),
            kind,
            url: None,
            note: String::new(),
            created: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
        }
    }

    #[test]
    fn the_newest_fitting_piece_not_yet_had() {
        let lib = [
            piece(1, PieceKind::Newsletter, 1),
            piece(2, PieceKind::Newsletter, 20),
            piece(3, PieceKind::Card, 25),
            piece(4, PieceKind::Sample, 28),
        ];
        let none = |_| false;
        assert_eq!(
            suggest_piece(&lib, none, Channel::Email).map(|p| p.id),
            Some(PieceId(2))
        );
        assert_eq!(
            suggest_piece(&lib, |id| id == PieceId(2), Channel::Email).map(|p| p.id),
            Some(PieceId(1))
        );
        assert_eq!(
            suggest_piece(&lib, none, Channel::Postcard).map(|p| p.id),
            Some(PieceId(3))
        );
        assert_eq!(suggest_piece(&lib, none, Channel::Call), None);
        assert_eq!(
            suggest_piece(&lib, |id| id.0 <= 2, Channel::Newsletter),
            None
        );
    }
}
