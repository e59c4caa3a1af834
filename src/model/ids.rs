//! Stable record ids. Ids are allocated from monotonic counters in the store and never reused, even
//! after an undo removes the record that held them.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// The letter that prefixes this id when it is shown to a user (`c12`, `t7`, ...).
            pub const PREFIX: &'static str = $prefix;
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A contact's id.
    ContactId,
    "c"
);
id_type!(
    /// A touch's id (done or planned).
    TouchId,
    "t"
);
id_type!(
    /// A sale's id.
    SaleId,
    "s"
);
id_type!(
    /// A category's id.
    CategoryId,
    "k"
);
id_type!(
    /// A piece's id (something sent: a newsletter issue, a report, a sample).
    PieceId,
    "p"
);
