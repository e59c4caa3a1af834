//! Pieces: the library of what is sent (a newsletter issue, a special report, a sample, a book),
//! so a stay-in-touch program can see who already received what and never send it twice.

use super::{Channel, ContactId, PieceId, TouchId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What kind of thing a piece is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PieceKind {
    Newsletter,
    Report,
    Article,
    Video,
    Sample,
    Book,
    Card,
    Gift,
    Other,
}

impl PieceKind {
    /// Every kind, in the order they are listed to users.
    pub const ALL: [PieceKind; 9] = [
        PieceKind::Newsletter,
        PieceKind::Report,
        PieceKind::Article,
        PieceKind::Video,
        PieceKind::Sample,
        PieceKind::Book,
        PieceKind::Card,
        PieceKind::Gift,
        PieceKind::Other,
    ];

    /// The name on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PieceKind::Newsletter => "newsletter",
            PieceKind::Report => "report",
            PieceKind::Article => "article",
            PieceKind::Video => "video",
            PieceKind::Sample => "sample",
            PieceKind::Book => "book",
            PieceKind::Card => "card",
            PieceKind::Gift => "gift",
            PieceKind::Other => "other",
        }
    }

    /// The channels a piece of this kind travels by: what the planner matches a due touch's
    /// channel against when it suggests a piece.
    pub fn channels(self) -> &'static [Channel] {
        use Channel::*;
        match self {
            PieceKind::Newsletter => &[Newsletter, MassMailing, Email, Letter],
            PieceKind::Report | PieceKind::Article => {
                &[Email, Letter, Newsletter, MassMailing, Meeting]
            }
            PieceKind::Video => &[Email, Newsletter, MassMailing],
            PieceKind::Sample => &[Sample, Letter, Meeting],
            PieceKind::Book => &[Gift, Letter, Meeting],
            PieceKind::Card => &[Postcard, BirthdayCard, HandwrittenNote, Letter],
            PieceKind::Gift => &[Gift, Meeting, Letter],
            PieceKind::Other => &Channel::ALL,
        }
    }

    /// Whether a piece of this kind can travel by `channel`.
    pub fn fits(self, channel: Channel) -> bool {
        self.channels().contains(&channel)
    }
}

impl fmt::Display for PieceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PieceKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase();
        let alias = match norm.as_str() {
            "postcard" | "birthday-card" => "card",
            "special-report" | "whitepaper" | "white-paper" => "report",
            other => other,
        };
        PieceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == alias)
            .ok_or_else(|| {
                format!(
                    "unknown kind '{s}': use one of {}",
                    PieceKind::ALL.map(PieceKind::as_str).join(", ")
                )
            })
    }
}

/// Something worth receiving, sent to many contacts over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub id: PieceId,
    pub title: String,
    pub kind: PieceKind,
    pub url: Option<String>,
    pub note: String,
    pub created: NaiveDate,
}

/// A piece that went out with a touch (a done touch: received; planned: on its way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PieceSend {
    pub piece: PieceId,
    pub touch: TouchId,
    pub contact: ContactId,
    pub date: NaiveDate,
    /// The touch happened (it is done), so the contact received the piece.
    pub received: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_and_print() {
        for k in PieceKind::ALL {
            assert_eq!(k.as_str().parse::<PieceKind>(), Ok(k));
        }
        assert_eq!("Postcard".parse::<PieceKind>(), Ok(PieceKind::Card));
        assert!(
            "flyer"
                .parse::<PieceKind>()
                .unwrap_err()
                .contains("newsletter")
        );
    }

    #[test]
    fn kinds_fit_their_channels() {
        assert!(PieceKind::Newsletter.fits(Channel::Newsletter));
        assert!(!PieceKind::Newsletter.fits(Channel::Call));
        assert!(PieceKind::Card.fits(Channel::BirthdayCard));
        assert!(!PieceKind::Sample.fits(Channel::Email));
        assert!(Channel::ALL.iter().all(|c| PieceKind::Other.fits(*c)));
    }
}
