//! Which channel to use next: vary from the recent ones, fit the category's mix.
//!
//! The candidates are the category's channel mix (favourite first), or [`DEFAULT_MIX`] when the
//! category has none. Broadcast channels are dropped from the candidates unless the mix holds
//! nothing else: a personal touch is never proposed as a newsletter. The first candidate not among
//! the recent channels wins; when every candidate was used recently, the one used least recently.

use super::Facts;
use crate::model::{Category, Channel};

/// The channels proposed for a contact whose category has no channel mix (or no category).
pub const DEFAULT_MIX: [Channel; 5] = [
    Channel::Call,
    Channel::Email,
    Channel::HandwrittenNote,
    Channel::Postcard,
    Channel::Meeting,
];

/// The suggested channel for the next outbound touch.
pub fn suggest_channel(facts: &Facts, category: Option<&Category>) -> Channel {
    let mix: &[Channel] = match category {
        Some(c) if !c.channel_mix.is_empty() => &c.channel_mix,
        _ => &DEFAULT_MIX,
    };
    let only_broadcasts = mix.iter().all(|c| c.is_broadcast());
    let candidates = || {
        mix.iter()
            .copied()
            .filter(move |c| only_broadcasts || c.is_personal())
    };
    let recent = &facts.recent_channels;
    if let Some(fresh) = candidates().find(|c| !recent.contains(c)) {
        return fresh;
    }
    // Every candidate was used recently: the one whose latest use lies furthest back (the first
    // such in the mix on a tie, which only happens when the mix repeats a channel).
    let mut best: Option<(usize, Channel)> = None;
    for c in candidates() {
        let pos = recent.iter().position(|r| *r == c).unwrap_or(usize::MAX);
        if best.is_none_or(|(p, _)| pos > p) {
            best = Some((pos, c));
        }
    }
    best.map_or(Channel::Call, |(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cadence, CategoryId};
    use Channel::*;

    fn cat(mix: &[Channel]) -> Category {
        Category {
            id: CategoryId(1),
            name: "c".into(),
            cadence: Cadence::days(30),
            channel_mix: mix.to_vec(),
            priority: 1,
            broadcasts_suffice: false,
            description: String::new(),
        }
    }

    fn recent(ch: &[Channel]) -> Facts {
        Facts {
            recent_channels: ch.to_vec(),
            ..Facts::default()
        }
    }

    #[test]
    fn favourite_first_when_nothing_recent() {
        assert_eq!(suggest_channel(&Facts::default(), None), Call);
        assert_eq!(
            suggest_channel(&Facts::default(), Some(&cat(&[Postcard, Call]))),
            Postcard
        );
        assert_eq!(suggest_channel(&Facts::default(), Some(&cat(&[]))), Call);
    }

    #[test]
    fn varies_from_recent_channels() {
        assert_eq!(suggest_channel(&recent(&[Call]), None), Email);
        assert_eq!(
            suggest_channel(&recent(&[Email, Call]), None),
            HandwrittenNote
        );
        assert_eq!(
            suggest_channel(&recent(&[Postcard]), Some(&cat(&[Postcard, Letter]))),
            Letter
        );
    }

    #[test]
    fn least_recently_used_when_all_recent() {
        let f = recent(&[Email, Call, Newsletter, Postcard, Meeting, HandwrittenNote]);
        assert_eq!(suggest_channel(&f, None), HandwrittenNote);
        let f = recent(&[Letter, Call, Postcard]);
        assert_eq!(suggest_channel(&f, Some(&cat(&[Call, Letter]))), Call);
    }

    #[test]
    fn never_a_broadcast_unless_only_broadcasts() {
        let f = recent(&[Call]);
        assert_eq!(suggest_channel(&f, Some(&cat(&[Newsletter, Call]))), Call);
        assert_eq!(
            suggest_channel(&Facts::default(), Some(&cat(&[Newsletter, Call]))),
            Call
        );
        assert_eq!(
            suggest_channel(&f, Some(&cat(&[Newsletter, MassMailing]))),
            Newsletter
        );
        let f = recent(&[Newsletter]);
        assert_eq!(
            suggest_channel(&f, Some(&cat(&[Newsletter, MassMailing]))),
            MassMailing
        );
    }
}
