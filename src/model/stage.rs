//! Pipeline stages and the reasons of a "no".

use super::ContactId;
use chrono::NaiveDate;
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

    /// The next stage forward in the active pipeline ("move them forward"): lead, qualified,
    /// proposal, then customer; from stay-in-touch back to customer. `None` past the end.
    pub fn forward(self) -> Option<Stage> {
        match self {
            Stage::Lead => Some(Stage::Qualified),
            Stage::Qualified => Some(Stage::Proposal),
            Stage::Proposal | Stage::StayInTouch => Some(Stage::Customer),
            Stage::Customer | Stage::Archived => None,
        }
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

/// One move of a contact from one stage to another: the stage history that the insights read
/// (days spent in a stage, who came back after a "no", which touches were followed by a move).
/// The store records one whenever a contact's stage changes, and one when a contact is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageMove {
    pub contact: ContactId,
    pub date: NaiveDate,
    /// The stage left; `None` when the contact was created in `to` (or its earlier history is
    /// unknown: files from before stage history was kept start with one such move per contact).
    pub from: Option<Stage>,
    pub to: Stage,
    /// The reason of the "no" when `to` takes the contact out of the active pipeline.
    pub reason: Option<NoReason>,
}

impl StageMove {
    /// A move closer to buying: up the pipeline (lead, qualified, proposal, customer), or back
    /// into it from stay-in-touch or the archive. Creation is not a move forward.
    pub fn is_forward(&self) -> bool {
        let Some(from) = self.from else {
            return false;
        };
        let rank = |s: Stage| match s {
            Stage::Lead => Some(0),
            Stage::Qualified => Some(1),
            Stage::Proposal => Some(2),
            Stage::Customer => Some(3),
            Stage::StayInTouch | Stage::Archived => None,
        };
        match (rank(from), rank(self.to)) {
            (Some(a), Some(b)) => b > a,
            (None, Some(_)) => true,
            (_, None) => false,
        }
    }

    /// A "no": a move out of the active pipeline or the customers (into stay-in-touch or the
    /// archive) with its reason; moving between the two light tracks is not a new "no".
    pub fn no_reason(&self) -> Option<NoReason> {
        match self.from {
            Some(f) if f.is_out() => None,
            _ if self.to.is_out() => self.reason,
            _ => None,
        }
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

    #[test]
    fn forward_moves_and_noes() {
        let mv = |from: Option<Stage>, to: Stage, reason: Option<NoReason>| StageMove {
            contact: ContactId(1),
            date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            from,
            to,
            reason,
        };
        assert!(mv(Some(Stage::Lead), Stage::Qualified, None).is_forward());
        assert!(mv(Some(Stage::Proposal), Stage::Customer, None).is_forward());
        assert!(mv(Some(Stage::StayInTouch), Stage::Lead, None).is_forward());
        assert!(mv(Some(Stage::Archived), Stage::Customer, None).is_forward());
        assert!(!mv(Some(Stage::Customer), Stage::Lead, None).is_forward());
        assert!(!mv(Some(Stage::Archived), Stage::StayInTouch, None).is_forward());
        assert!(!mv(None, Stage::Customer, None).is_forward());
        let no = Some(NoReason::NoMoney);
        assert_eq!(
            mv(Some(Stage::Lead), Stage::StayInTouch, no).no_reason(),
            no
        );
        assert_eq!(mv(None, Stage::Archived, no).no_reason(), no);
        assert_eq!(
            mv(Some(Stage::StayInTouch), Stage::Archived, no).no_reason(),
            None
        );
        assert_eq!(
            mv(Some(Stage::Lead), Stage::Qualified, no).no_reason(),
            None
        );
    }
}
