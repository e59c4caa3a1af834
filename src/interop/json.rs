//! The JSON export of the whole diary and its lossless restore into an empty database.
//!
//! Shape (version 1; a later version adds fields or bumps `tickler_export`):
//! `{"tickler_export": 1, "exported": "YYYY-MM-DD", "settings": {..}, "categories": [..],
//!   "contacts": [..], "touches": [..], "sales": [..], "stage_moves": [..]}`, each record in the
//! model's serde form. `stage_moves` (the stage history) may be absent: each contact then starts
//! with one move into its current stage. `global_ids` (added with sync: `{"contacts": {"12":
//! "<uuid>"}, "touches": {..}, "sales": {..}}`, each record's globally unique id by its local id) may
//! be absent: the restore then gives every record a new one.

use super::ImportError;
use crate::model::{Category, Contact, Sale, Settings, StageMove, Touch, validate};
use crate::store::{Bulk, GlobalKind, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The export format version this tickler writes and reads.
pub const EXPORT_VERSION: u64 = 1;

/// The whole diary as exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub tickler_export: u64,
    pub exported: NaiveDate,
    pub settings: Settings,
    pub categories: Vec<Category>,
    pub contacts: Vec<Contact>,
    pub touches: Vec<Touch>,
    pub sales: Vec<Sale>,
    #[serde(default)]
    pub stage_moves: Vec<StageMove>,
    #[serde(default)]
    pub global_ids: Box<GlobalIds>,
}

/// Every record's global id by its local id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalIds {
    #[serde(default)]
    pub contacts: BTreeMap<u64, String>,
    #[serde(default)]
    pub touches: BTreeMap<u64, String>,
    #[serde(default)]
    pub sales: BTreeMap<u64, String>,
}

impl GlobalIds {
    fn read(store: &Store) -> Result<GlobalIds, StoreError> {
        let all = |kind| -> Result<BTreeMap<u64, String>, StoreError> {
            Ok(store.global_ids(kind)?.into_iter().collect())
        };
        Ok(GlobalIds {
            contacts: all(GlobalKind::Contact)?,
            touches: all(GlobalKind::Touch)?,
            sales: all(GlobalKind::Sale)?,
        })
    }

    fn into_list(self) -> Vec<(GlobalKind, u64, String)> {
        let tag = |kind: GlobalKind, m: BTreeMap<u64, String>| {
            m.into_iter().map(move |(id, gid)| (kind, id, gid))
        };
        tag(GlobalKind::Contact, self.contacts)
            .chain(tag(GlobalKind::Touch, self.touches))
            .chain(tag(GlobalKind::Sale, self.sales))
            .collect()
    }
}

/// Read the whole diary (one consistent read per table; the CLI holds the file read-only).
pub fn export(store: &Store, today: NaiveDate) -> Result<Export, StoreError> {
    let contacts = store.contacts()?;
    let mut touches = Vec::new();
    let mut sales = Vec::new();
    for c in &contacts {
        touches.extend(store.touches_of(c.id)?);
        sales.extend(store.sales_of(c.id)?);
    }
    touches.sort_by_key(|t| t.id);
    sales.sort_by_key(|s| s.id);
    Ok(Export {
        tickler_export: EXPORT_VERSION,
        exported: today,
        settings: store.settings()?,
        categories: store.categories()?,
        contacts,
        touches,
        sales,
        stage_moves: store.stage_moves()?,
        global_ids: Box::new(GlobalIds::read(store)?),
    })
}

/// Parse an export, checking its version.
pub fn parse(text: &str) -> Result<Export, ImportError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ImportError::BadJson(e.to_string()))?;
    match v.get("tickler_export").and_then(serde_json::Value::as_u64) {
        None => {
            return Err(ImportError::BadJson(
                "no \"tickler_export\" version field: only files written by `tickler export --format json` can be restored".to_string(),
            ));
        }
        Some(n) if n > EXPORT_VERSION => return Err(ImportError::NewerExport(n)),
        Some(_) => {}
    }
    serde_json::from_value(v).map_err(|e| ImportError::BadJson(e.to_string()))
}

/// Every record passes the rules every other input path applies (a restore is exact, so a value
/// that fails is refused, not repaired), naming the record.
pub fn check(export: &Export) -> Result<(), ImportError> {
    let bad = |what: String, e: validate::ValidationError| {
        ImportError::InvalidRecord(format!("{what}: {e}"))
    };
    validate::currency(&export.settings.default_currency)
        .map_err(|e| bad("the settings' default currency".to_string(), e))?;
    for c in &export.categories {
        validate::category(c).map_err(|e| bad(format!("category {} ({})", c.id.0, c.name), e))?;
    }
    for c in &export.contacts {
        validate::contact(c).map_err(|e| bad(format!("contact c{}", c.id.0), e))?;
    }
    for t in &export.touches {
        validate::touch(t).map_err(|e| bad(format!("touch t{}", t.id.0), e))?;
    }
    for s in &export.sales {
        validate::sale(s).map_err(|e| bad(format!("sale s{}", s.id.0), e))?;
    }
    for m in &export.stage_moves {
        validate::date("stage move date", m.date)
            .map_err(|e| bad(format!("a stage move of c{}", m.contact.0), e))?;
    }
    Ok(())
}

/// The undo log's mark of a restore (undo stops there: see [`Store::load_bulk_as`]).
pub const RESTORE_LABEL: &str = "restore from a JSON export";

/// Restore an export into an empty database (ids kept). Refuses a database with any record.
pub fn restore(store: &Store, export: Export) -> Result<usize, ImportError> {
    let n = store.contact_count()?;
    let k = store.categories()?.len();
    if n > 0 || k > 0 {
        return Err(ImportError::NotEmpty(format!(
            "{n} contacts, {k} categories"
        )));
    }
    check(&export)?;
    let count = export.contacts.len();
    let bulk = Bulk {
        settings: export.settings,
        categories: export.categories,
        contacts: export.contacts,
        touches: export.touches,
        sales: export.sales,
        stage_moves: export.stage_moves,
        global_ids: export.global_ids.into_list(),
    };
    match store.load_bulk_as(bulk, RESTORE_LABEL) {
        Ok(()) => Ok(count),
        Err(StoreError::NotEmpty) => {
            Err(ImportError::NotEmpty("it has touches or sales".to_string()))
        }
        Err(e) => Err(e.into()),
    }
}
