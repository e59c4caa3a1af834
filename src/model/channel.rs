//! Channels a touch travels by, and its direction.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How a touch reached (or came from) a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Call,
    Email,
    Meeting,
    Letter,
    Postcard,
    Newsletter,
    MassMailing,
    Sample,
    HandwrittenNote,
    BirthdayCard,
    Gift,
    Other,
}

impl Channel {
    /// Every channel, in the order they are listed to users.
    pub const ALL: [Channel; 12] = [
        Channel::Call,
        Channel::Email,
        Channel::Meeting,
        Channel::Letter,
        Channel::Postcard,
        Channel::Newsletter,
        Channel::MassMailing,
        Channel::Sample,
        Channel::HandwrittenNote,
        Channel::BirthdayCard,
        Channel::Gift,
        Channel::Other,
    ];

    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Email => "email",
            Channel::Meeting => "meeting",
            Channel::Letter => "letter",
            Channel::Postcard => "postcard",
            Channel::Newsletter => "newsletter",
            Channel::MassMailing => "mass-mailing",
            Channel::Sample => "sample",
            Channel::HandwrittenNote => "handwritten-note",
            Channel::BirthdayCard => "birthday-card",
            Channel::Gift => "gift",
            Channel::Other => "other",
        }
    }

    /// A broadcast (newsletter, mass mailing) is logged and shown, but restarts the cadence clock
    /// only for contacts whose category says broadcasts suffice. Every other channel is personal.
    pub fn is_broadcast(self) -> bool {
        matches!(self, Channel::Newsletter | Channel::MassMailing)
    }

    /// The opposite of [`Channel::is_broadcast`].
    pub fn is_personal(self) -> bool {
        !self.is_broadcast()
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a channel name tickler does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel '{0}': use one of {list}", list = Channel::ALL.map(Channel::as_str).join(", "))]
pub struct UnknownChannel(pub String);

impl FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let alias = match norm.as_str() {
            "phone" => "call",
            "mail" | "e-mail" => "email",
            "visit" => "meeting",
            "card" => "postcard",
            "note" => "handwritten-note",
            "birthday" => "birthday-card",
            "mailing" => "mass-mailing",
            other => other,
        };
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == alias)
            .ok_or_else(|| UnknownChannel(s.to_string()))
    }
}

/// Whether we reached out, or they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// From us to them. Only outbound touches count against the annoyance guard.
    #[default]
    Out,
    /// From them to us (they called, wrote, came by).
    In,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Out => "out",
            Direction::In => "in",
        }
    }
}

impl FromStr for Direction {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "out" | "outbound" => Ok(Direction::Out),
            "in" | "inbound" => Ok(Direction::In),
            _ => Err(format!("unknown direction '{s}': use 'out' or 'in'")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
        }
    }

    #[test]
    fn aliases_and_case() {
        assert_eq!("Phone".parse::<Channel>(), Ok(Channel::Call));
        assert_eq!(
            "handwritten_note".parse::<Channel>(),
            Ok(Channel::HandwrittenNote)
        );
        assert!("pigeon".parse::<Channel>().is_err());
    }

    #[test]
    fn broadcasts() {
        assert!(Channel::Newsletter.is_broadcast());
        assert!(Channel::MassMailing.is_broadcast());
        assert!(Channel::Call.is_personal());
        assert!(Channel::Email.is_personal());
    }
}
