//! Actions on the diary itself: categories, settings, undo.

use super::{ActionError, Result, resolve};
use crate::model::{Cadence, Category, Channel, Settings, validate};
use crate::store::{Store, Undone};
use chrono::NaiveDate;

/// A new category.
#[derive(Debug, Clone)]
pub struct CategoryAdd {
    pub name: String,
    pub cadence: Cadence,
    pub priority: u8,
    pub channels: Vec<Channel>,
    pub broadcasts_suffice: bool,
    pub description: String,
}

/// Changes to a category (by name or id); `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CategoryEdit {
    pub category: String,
    pub name: Option<String>,
    pub cadence: Option<Cadence>,
    pub priority: Option<u8>,
    pub channels: Option<Vec<Channel>>,
    pub broadcasts_suffice: Option<bool>,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CategoryChanged {
    pub category: Category,
    pub added: bool,
}

impl CategoryChanged {
    pub fn message(&self, _today: NaiveDate) -> String {
        let k = &self.category;
        if self.added {
            format!("Added category k{} {} (every {})", k.id, k.name, k.cadence)
        } else {
            format!("Updated category k{} {}", k.id, k.name)
        }
    }
}

fn priority(p: u8) -> Result<u8> {
    if p == 0 {
        Err(ActionError::BadValue(
            "--priority must be 1 (highest) or more".to_string(),
        ))
    } else {
        Ok(p)
    }
}

fn mix(channels: &[Channel]) -> Vec<Channel> {
    let mut out = Vec::new();
    for c in channels {
        if !out.contains(c) {
            out.push(*c);
        }
    }
    out
}

/// A name no other category (but `except`) has, case-insensitively.
fn unique_name(existing: &[Category], name: &str, except: Option<&Category>) -> Result<String> {
    let name = validate::name("category name", name)?;
    if existing
        .iter()
        .any(|k| Some(k.id) != except.map(|e| e.id) && k.name.eq_ignore_ascii_case(&name))
    {
        return Err(ActionError::CategoryExists(name));
    }
    Ok(name)
}

pub fn category_add(store: &Store, req: &CategoryAdd) -> Result<CategoryChanged> {
    let description = validate::text("description", &req.description, validate::MAX_SUMMARY_BYTES)?;
    let priority = priority(req.priority)?;
    store.transact("add category", |w| {
        let name = unique_name(&w.categories()?, &req.name, None)?;
        w.set_label(format!("add category {name}"));
        let k = Category {
            id: w.new_category_id()?,
            name,
            cadence: req.cadence,
            channel_mix: mix(&req.channels),
            priority,
            broadcasts_suffice: req.broadcasts_suffice,
            description: description.clone(),
        };
        w.put_category(&k)?;
        Ok(CategoryChanged {
            category: k,
            added: true,
        })
    })
}

pub fn category_edit(store: &Store, req: &CategoryEdit) -> Result<CategoryChanged> {
    store.transact("edit category", |w| {
        let existing = w.categories()?;
        let old = resolve::category(&existing, &req.category)?;
        let mut k = old.clone();
        if let Some(n) = &req.name {
            k.name = unique_name(&existing, n, Some(old))?;
        }
        if let Some(c) = req.cadence {
            k.cadence = c;
        }
        if let Some(p) = req.priority {
            k.priority = priority(p)?;
        }
        if let Some(ch) = &req.channels {
            k.channel_mix = mix(ch);
        }
        if let Some(b) = req.broadcasts_suffice {
            k.broadcasts_suffice = b;
        }
        if let Some(d) = &req.description {
            k.description = validate::text("description", d, validate::MAX_SUMMARY_BYTES)?;
        }
        w.set_label(format!("edit category {}", k.name));
        w.put_category(&k)?;
        Ok(CategoryChanged {
            category: k,
            added: false,
        })
    })
}

#[derive(Debug, Clone)]
pub struct SettingChanged {
    pub key: String,
    pub value: String,
    pub settings: Settings,
}

impl SettingChanged {
    pub fn message(&self, _today: NaiveDate) -> String {
        format!("{} = {}", self.key, self.value)
    }
}

/// Set one setting (checked by [`Settings::set`]) over the settings as the transaction reads them.
pub fn setting_set(store: &Store, key: &str, value: &str) -> Result<SettingChanged> {
    let key = key.trim().to_string();
    store.transact(&format!("set {key} = {value}"), |w| {
        let mut s = w.settings()?;
        if crate::sync::account::SETTING_NAMES.contains(&key.as_str()) {
            // The sync account's settings are kept beside the sync state (`crate::sync::account`).
            w.set_sync_meta(&key, Some(value.trim()).filter(|v| !v.is_empty()))?;
        } else {
            s.set(&key, value)
                .map_err(|e| ActionError::BadValue(e.to_string()))?;
            w.put_settings(&s)?;
        }
        Ok(SettingChanged {
            key: key.clone(),
            value: value.to_string(),
            settings: s,
        })
    })
}

/// Revert the newest action of the undo log; with `expect`, only if it is that one (a session's
/// own action), never one another process made since (checked and reverted in one transaction).
pub fn undo(store: &Store, expect: Option<Option<u64>>) -> Result<Undone> {
    Ok(match expect {
        Some(seq) => store.undo_expecting(seq)?,
        None => match store.undo()? {
            Some(label) => Undone::Done(label),
            None => Undone::Nothing,
        },
    })
}
