//! Pipeline stages and the reasons of a "no".

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a contact stands. Lead, Qualified and Proposal are the active prospect pipeline; Customer
/// is kept warm at its cadence; StayInTouch is the light track for "not now"; Archived is out of the
/// diary (recorded with a reason, reversible, never deleted).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    #[default]
    Lead,
    Qualified,
    Proposal,
    Customer,
    StayInTouch,
    Archived,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Lead,
        Stage::Qualified,
        Stage::Proposal,
        Stage::Customer,
        Stage::StayInTouch,
        Stage::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Lead => "lead",
            Stage::Qualified => "qualified",
            Stage::Proposal => "proposal",
            Stage::Customer => "customer",
            Stage::StayInTouch => "stay-in-touch",
            Stage::Archived => "archived",
        }
    }

    /// A prospect still in the active pipeline (Lead, Qualified, Proposal).
    pub fn is_prospect(self) -> bool {
        matches!(self, Stage::Lead | Stage::Qualified | Stage::Proposal)
    }

    /// Moving into this stage takes a contact out of the active pipeline and asks for a reason.
    pub fn is_out(self) -> bool {
        matches!(self, Stage::StayInTouch | Stage::Archived)
    }

    /// A kept contact is anyone not archived: every kept contact has a next touch.
    pub fn is_kept(self) -> bool {
        self != Stage::Archived
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let alias = match norm.as_str() {
            "dormant" | "stay" | "sit" => "stay-in-touch",
            "prospect" => "lead",
            other => other,
        };
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == alias)
            .ok_or_else(|| {
                format!(
                    "unknown stage '{s}': use one of {}",
                    Stage::ALL.map(Stage::as_str).join(", ")
                )
            })
    }
}

/// Why "no hurry": the three kinds of delay a prospect gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HurryReason {
    /// Buying is work for them.
    BuyingIsWork,
    /// They procrastinate.
    Procrastinate,
    /// Other priorities come first.
    OtherPriorities,
}

/// The reason of a "no", recorded when a contact moves out of the active pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "detail")]
pub enum NoReason {
    NoNeed,
    NoInterest,
    NoMoney,
    NoHurry(Option<HurryReason>),
    /// Not a fit today (too small, not qualified) but could be later.
    NotAFit,
}

impl NoReason {
    /// Every accepted spelling, for help texts and error messages.
    pub const NAMES: [&'static str; 8] = [
        "no-need",
        "no-interest",
        "no-money",
        "no-hurry",
        "no-hurry:buying-is-work",
        "no-hurry:procrastinate",
        "no-hurry:other-priorities",
        "not-a-fit",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoReason::NoNeed => "no-need",
            NoReason::NoInterest => "no-interest",
            NoReason::NoMoney => "no-money",
            NoReason::NoHurry(None) => "no-hurry",
            NoReason::NoHurry(Some(HurryReason::BuyingIsWork)) => "no-hurry:buying-is-work",
            NoReason::NoHurry(Some(HurryReason::Procrastinate)) => "no-hurry:procrastinate",
            NoReason::NoHurry(Some(HurryReason::OtherPriorities)) => "no-hurry:other-priorities",
            NoReason::NotAFit => "not-a-fit",
        }
    }
}

impl fmt::Display for NoReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NoReason {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let found = match norm.as_str() {
            "no-need" | "need" => Some(NoReason::NoNeed),
            "no-interest" | "interest" => Some(NoReason::NoInterest),
            "no-money" | "money" | "budget" => Some(NoReason::NoMoney),
            "no-hurry" | "hurry" => Some(NoReason::NoHurry(None)),
            "no-hurry:buying-is-work" | "buying-is-work" => {
                Some(NoReason::NoHurry(Some(HurryReason::BuyingIsWork)))
            }
            "no-hurry:procrastinate" | "procrastinate" => {
                Some(NoReason::NoHurry(Some(HurryReason::Procrastinate)))
            }
            "no-hurry:other-priorities" | "other-priorities" => {
                Some(NoReason::NoHurry(Some(HurryReason::OtherPriorities)))
            }
            "not-a-fit" | "no-fit" => Some(NoReason::NotAFit),
            _ => None,
        };
        found.ok_or_else(|| {
            format!(
                "unknown reason '{s}': use one of {}",
                NoReason::NAMES.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip() {
        for name in NoReason::NAMES {
            let r: NoReason = name.parse().unwrap();
            assert_eq!(r.as_str(), name);
        }
    }

    #[test]
    fn stages_round_trip() {
        for st in Stage::ALL {
            assert_eq!(st.as_str().parse::<Stage>(), Ok(st));
        }
        assert_eq!("dormant".parse::<Stage>(), Ok(Stage::StayInTouch));
    }
}
