//! The per-field three-way merge of one synced item (a contact, a follow-up), against the version
//! both sides last agreed on. Pure: no I/O, no clock.
//!
//! A record is a map of named fields. For each field:
//! - changed on one side only: that side's value;
//! - a set (emails, phones, tags): what either side added is kept, what either side removed is
//!   removed; never a conflict;
//! - free text (notes): appends on both sides are both kept (base, then ours, then theirs); two
//!   rewrites keep both texts, ours first, and the case is listed;
//! - any other value changed on both sides to different values: the server's value wins (it is
//!   what every other device already shows), ours is kept in the listed case so the caller can
//!   write it down (the contact's notes) and show it: nothing a user wrote is dropped silently.
//!
//! The history (touches, sales, stage moves) is append-only and merged by union elsewhere
//! (`mapping::journal`): it never conflicts.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A field's value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// Absent or empty.
    None,
    /// One value (a name, a date as YYYY-MM-DD, a stage...).
    One(String),
    /// An unordered set (emails, phones, tags).
    Set(BTreeSet<String>),
    /// Free text that people append to (notes).
    Text(String),
}

impl Value {
    pub fn one(s: impl Into<String>) -> Value {
        Value::One(s.into())
    }

    /// `One` for a present value, `None` for an absent or empty one.
    pub fn opt(s: Option<impl Into<String>>) -> Value {
        match s.map(Into::into) {
            Some(v) if !v.is_empty() => Value::One(v),
            _ => Value::None,
        }
    }

    pub fn set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Value {
        Value::Set(items.into_iter().map(Into::into).collect())
    }

    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    /// The value as text, if it is one value or text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::One(s) | Value::Text(s) => Some(s),
            Value::None | Value::Set(_) => None,
        }
    }

    fn items(&self) -> BTreeSet<String> {
        match self {
            Value::Set(s) => s.clone(),
            Value::One(s) | Value::Text(s) if !s.is_empty() => BTreeSet::from([s.clone()]),
            _ => BTreeSet::new(),
        }
    }
}

/// A synced item's fields by name.
pub type Record = BTreeMap<String, Value>;

/// How a conflicting field was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Both sides changed it to different values; the server's value was kept.
    ServerWins,
    /// Both sides rewrote the text; both texts were kept, ours first.
    BothKept,
}

/// One field both sides changed differently: the case listed for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub field: String,
    pub ours: Value,
    pub theirs: Value,
    pub kept: Value,
    pub rule: Rule,
}

/// The merge of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub record: Record,
    pub conflicts: Vec<Conflict>,
}

impl Merged {
    /// Whether the merge differs from `record` (the side given): that side must be written.
    pub fn differs_from(&self, record: &Record) -> bool {
        normalized(&self.record) != normalized(record)
    }
}

/// Whether two records hold the same values (absent and empty fields alike).
pub fn equivalent(a: &Record, b: &Record) -> bool {
    normalized(a) == normalized(b)
}

/// A record without its absent fields, for comparisons.
fn normalized(r: &Record) -> BTreeMap<&String, &Value> {
    r.iter().filter(|(_, v)| !is_empty(v)).collect()
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::None => true,
        Value::One(s) | Value::Text(s) => s.is_empty(),
        Value::Set(s) => s.is_empty(),
    }
}

fn same(a: &Value, b: &Value) -> bool {
    (is_empty(a) && is_empty(b)) || a == b
}

/// Merge `ours` and `theirs` (the server's) against `base`, the version both last agreed on
/// (`None`: they never agreed, so every difference is a change on both sides).
pub fn merge(base: Option<&Record>, ours: &Record, theirs: &Record) -> Merged {
    let empty = Record::new();
    let base_record = base.unwrap_or(&empty);
    let names: BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    let mut record = Record::new();
    let mut conflicts = Vec::new();
    let none = Value::None;
    for name in names {
        let o = ours.get(name).unwrap_or(&none);
        let t = theirs.get(name).unwrap_or(&none);
        let b = base_record.get(name).unwrap_or(&none);
        let (value, conflict) = field(name, base.map(|_| b), o, t);
        if let Some(c) = conflict {
            conflicts.push(c);
        }
        if !is_empty(&value) {
            record.insert(name.clone(), value);
        }
    }
    Merged { record, conflicts }
}

/// One field: the merged value and the listed case, if any.
fn field(name: &str, base: Option<&Value>, o: &Value, t: &Value) -> (Value, Option<Conflict>) {
    if same(o, t) {
        return (o.clone(), None);
    }
    let is_set = matches!(o, Value::Set(_)) || matches!(t, Value::Set(_));
    if is_set {
        return (set_merge(base, o, t), None);
    }
    if let Some(b) = base {
        if same(b, o) {
            return (t.clone(), None);
        }
        if same(b, t) {
            return (o.clone(), None);
        }
    }
    let is_text = matches!(o, Value::Text(_)) || matches!(t, Value::Text(_));
    if is_text {
        return text_merge(name, base, o, t);
    }
    let conflict = Conflict {
        field: name.to_string(),
        ours: o.clone(),
        theirs: t.clone(),
        kept: t.clone(),
        rule: Rule::ServerWins,
    };
    (t.clone(), Some(conflict))
}

/// Sets: kept where both have it, or where one side added it since the base.
fn set_merge(base: Option<&Value>, o: &Value, t: &Value) -> Value {
    let b = base.map(Value::items).unwrap_or_default();
    let (o, t) = (o.items(), t.items());
    let out: BTreeSet<String> = o
        .union(&t)
        .filter(|x| (o.contains(*x) && t.contains(*x)) || !b.contains(*x))
        .cloned()
        .collect();
    Value::Set(out)
}

/// Free text: both appends kept in order; two rewrites both kept, ours first, and listed.
fn text_merge(name: &str, base: Option<&Value>, o: &Value, t: &Value) -> (Value, Option<Conflict>) {
    let os = o.as_str().unwrap_or_default();
    let ts = t.as_str().unwrap_or_default();
    let bs = base.and_then(Value::as_str).unwrap_or_default();
    // Appends on both sides (a base to append to, or one side still empty).
    if let (Some(oa), Some(ta)) = (os.strip_prefix(bs), ts.strip_prefix(bs))
        && (!bs.is_empty() || os.is_empty() || ts.is_empty())
    {
        return (Value::text(format!("{bs}{oa}{ta}")), None);
    }
    // One side already holds the other's text (a merge written back before): keep the longer.
    if os.contains(ts) {
        return (o.clone(), None);
    }
    if ts.contains(os) {
        return (t.clone(), None);
    }
    let kept = Value::text(format!("{os}\n{ts}"));
    let conflict = Conflict {
        field: name.to_string(),
        ours: o.clone(),
        theirs: t.clone(),
        kept: kept.clone(),
        rule: Rule::BothKept,
    };
    (kept, Some(conflict))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rec(pairs: &[(&str, Value)]) -> Record {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn different_fields_both_kept() {
        let base = rec(&[("phone", Value::set(["1"])), ("company", Value::one("AE"))]);
        let ours = rec(&[("phone", Value::set(["2"])), ("company", Value::one("AE"))]);
        let theirs = rec(&[
            ("phone", Value::set(["1"])),
            ("company", Value::one("AE Ltd")),
        ]);
        let m = merge(Some(&base), &ours, &theirs);
        assert!(m.conflicts.is_empty());
        assert_eq!(m.record["phone"], Value::set(["2"]));
        assert_eq!(m.record["company"], Value::one("AE Ltd"));
        assert!(m.differs_from(&ours) && m.differs_from(&theirs));
    }

    #[test]
    fn same_field_server_wins_and_the_case_is_listed() {
        let base = rec(&[("company", Value::one("AE"))]);
        let ours = rec(&[("company", Value::one("Analytical"))]);
        let theirs = rec(&[("company", Value::one("Engines"))]);
        let m = merge(Some(&base), &ours, &theirs);
        assert_eq!(m.record["company"], Value::one("Engines"));
        assert_eq!(
            m.conflicts,
            vec![Conflict {
                field: "company".into(),
                ours: Value::one("Analytical"),
                theirs: Value::one("Engines"),
                kept: Value::one("Engines"),
                rule: Rule::ServerWins,
            }]
        );
    }

    #[test]
    fn notes_appended_on_both_sides_keep_both_appends() {
        let base = rec(&[("notes", Value::text("met at the fair\n"))]);
        let ours = rec(&[("notes", Value::text("met at the fair\nwants a quote\n"))]);
        let theirs = rec(&[("notes", Value::text("met at the fair\nnew address\n"))]);
        let m = merge(Some(&base), &ours, &theirs);
        assert!(m.conflicts.is_empty());
        assert_eq!(
            m.record["notes"],
            Value::text("met at the fair\nwants a quote\nnew address\n")
        );
    }

    #[test]
    fn notes_rewritten_on_both_sides_keep_both_texts() {
        let base = rec(&[("notes", Value::text("a"))]);
        let ours = rec(&[("notes", Value::text("b"))]);
        let theirs = rec(&[("notes", Value::text("c"))]);
        let m = merge(Some(&base), &ours, &theirs);
        assert_eq!(m.record["notes"], Value::text("b\nc"));
        assert_eq!(m.conflicts[0].rule, Rule::BothKept);
        // Merging the result again with either side changes nothing more.
        let again = merge(Some(&m.record), &m.record, &m.record);
        assert_eq!(again.record, m.record);
    }

    #[test]
    fn sets_keep_additions_and_removals_of_both_sides() {
        let base = rec(&[("tags", Value::set(["a", "b", "c"]))]);
        let ours = rec(&[("tags", Value::set(["a", "b", "x"]))]); // -c +x
        let theirs = rec(&[("tags", Value::set(["b", "c", "y"]))]); // -a +y
        let m = merge(Some(&base), &ours, &theirs);
        assert_eq!(m.record["tags"], Value::set(["b", "x", "y"]));
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn without_a_base_sets_are_joined_and_values_listed() {
        let ours = rec(&[("tags", Value::set(["a"])), ("name", Value::one("Ada"))]);
        let theirs = rec(&[("tags", Value::set(["b"])), ("name", Value::one("Ada L."))]);
        let m = merge(None, &ours, &theirs);
        assert_eq!(m.record["tags"], Value::set(["a", "b"]));
        assert_eq!(m.record["name"], Value::one("Ada L."));
        assert_eq!(m.conflicts.len(), 1);
    }

    #[test]
    fn a_field_cleared_on_one_side_is_cleared() {
        let base = rec(&[("company", Value::one("AE")), ("name", Value::one("Ada"))]);
        let ours = rec(&[("name", Value::one("Ada"))]);
        let theirs = base.clone();
        let m = merge(Some(&base), &ours, &theirs);
        assert!(!m.record.contains_key("company"));
        assert!(m.conflicts.is_empty());
    }

    const FIELDS: [&str; 4] = ["name", "company", "due", "state"];

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![Just(Value::None), "[a-c]{1,2}".prop_map(Value::One),]
    }

    fn set() -> impl Strategy<Value = Value> {
        proptest::collection::btree_set("[a-e]", 0..4).prop_map(Value::Set)
    }

    fn text() -> impl Strategy<Value = Value> {
        "[a-c\n]{0,6}".prop_map(Value::Text)
    }

    fn record() -> impl Strategy<Value = Record> {
        (
            proptest::collection::vec(scalar(), FIELDS.len()),
            set(),
            text(),
        )
            .prop_map(|(scalars, tags, notes)| {
                let mut r: Record = FIELDS
                    .iter()
                    .zip(scalars)
                    .map(|(k, v)| ((*k).to_string(), v))
                    .collect();
                r.insert("tags".into(), tags);
                r.insert("notes".into(), notes);
                r.retain(|_, v| !is_empty(v));
                r
            })
    }

    proptest! {
        #[test]
        fn unchanged_sides_take_the_other(base in record(), other in record()) {
            let m = merge(Some(&base), &base, &other);
            prop_assert!(!m.differs_from(&other));
            prop_assert!(m.conflicts.is_empty());
            let m = merge(Some(&base), &other, &base);
            prop_assert!(!m.differs_from(&other));
            prop_assert!(m.conflicts.is_empty());
        }

        #[test]
        fn agreeing_sides_need_nothing(base in proptest::option::of(record()), both in record()) {
            let m = merge(base.as_ref(), &both, &both);
            prop_assert!(!m.differs_from(&both));
            prop_assert!(m.conflicts.is_empty());
        }

        #[test]
        fn merging_is_deterministic(base in record(), ours in record(), theirs in record()) {
            prop_assert_eq!(merge(Some(&base), &ours, &theirs), merge(Some(&base), &ours, &theirs));
        }

        #[test]
        fn nothing_written_is_dropped_silently(base in record(), ours in record(), theirs in record()) {
            let m = merge(Some(&base), &ours, &theirs);
            let none = Value::None;
            for (name, o) in &ours {
                let b = base.get(name).unwrap_or(&none);
                let t = theirs.get(name).unwrap_or(&none);
                let kept = m.record.get(name).unwrap_or(&none);
                if same(o, b) || same(o, kept) {
                    continue; // not a change of ours, or kept as is
                }
                match o {
                    // Set members we added are kept unless the server has them removed from the base.
                    Value::Set(items) => {
                        let b = b.items();
                        for x in items.iter().filter(|x| !b.contains(*x)) {
                            prop_assert!(kept.items().contains(x), "{} lost {}", name, x);
                        }
                    }
                    // Our text survives inside the merge.
                    Value::Text(s) => {
                        let k = kept.as_str().unwrap_or_default();
                        let added = s.strip_prefix(b.as_str().unwrap_or_default()).unwrap_or(s);
                        prop_assert!(k.contains(added), "{:?} lost from {:?}", added, k);
                    }
                    // A value of ours not kept is listed, with the server's value kept.
                    _ => {
                        let listed = m.conflicts.iter().any(|c| &c.field == name && &c.ours == o);
                        prop_assert!(listed || same(t, b), "{} = {:?} dropped", name, o);
                    }
                }
            }
        }

        #[test]
        fn disjoint_changes_merge_without_conflict(
            base in record(),
            changes in proptest::collection::vec((0usize..FIELDS.len(), scalar(), any::<bool>()), 0..6)
        ) {
            let (mut ours, mut theirs) = (base.clone(), base.clone());
            let mut touched = BTreeMap::new();
            for (i, v, mine) in changes {
                // Each field is changed by one side only.
                let side = *touched.entry(i).or_insert(mine);
                let target = if side { &mut ours } else { &mut theirs };
                target.insert(FIELDS[i].to_string(), v);
            }
            let m = merge(Some(&base), &ours, &theirs);
            prop_assert!(m.conflicts.is_empty());
            for (i, mine) in touched {
                let from = if mine { &ours } else { &theirs };
                let none = Value::None;
                prop_assert!(same(
                    m.record.get(FIELDS[i]).unwrap_or(&none),
                    from.get(FIELDS[i]).unwrap_or(&none)
                ));
            }
        }
    }
}
