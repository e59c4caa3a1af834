//! The JSON export of the whole diary and its lossless restore into an empty database.
//!
//! Shape (version 1; a later version adds fields or bumps `tickler_export`):
//! `{"tickler_export": 1, "exported": "YYYY-MM-DD", "settings": {..}, "categories": [..],
//!   "contacts": [..], "touches": [..], "sales": [..], "stage_moves": [..]}`, each record in the
//! model's serde form. `stage_moves` (the stage history) may be absent: each contact then starts
//! with one move into its current stage. `global_ids` (added with sync: `{"contacts": {"12":
//! "<uuid>"}, "touches": {..}, "sales": {..}}`, each record's globally unique id by its local id) may
//! be absent: the restore then gives every record a new one. Other fields a later tickler adds are
//! skipped.
//!
//! Reading a file is streamed: [`open`] walks it once to check the version and every record
//! (as every input path checks them: [`validate`]) and count the contacts; [`restore_file`] walks
//! it again, each record going straight into the store's one write transaction
//! ([`Store::load_streamed`]). Neither holds the file or its records in memory (a 100,000-contact
//! export is 400 MB of JSON; parsed whole, the restore peaked at 2.1 GB).
//!
//! The export reads a private copy of the database ([`Store::copy`]): writers are not kept
//! waiting while it reads and writes.

use super::ImportError;
use crate::model::{Category, Contact, Sale, Settings, StageMove, Touch, validate};
use crate::store::{Bulk, BulkSink, GlobalKind, Store, StoreError};
use chrono::NaiveDate;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Read the whole diary, from a private copy of the file when there is one (see the module doc).
pub fn export(store: &Store, today: NaiveDate) -> Result<Export, StoreError> {
    let copy = store.copy()?;
    let store: &Store = copy.as_deref().unwrap_or(store);
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
    let ids = &export.global_ids;
    for (what, map) in [
        ("contact", &ids.contacts),
        ("touch", &ids.touches),
        ("sale", &ids.sales),
    ] {
        for (id, gid) in map {
            validate::global_id(gid)
                .map_err(|e| bad(format!("the global id of {what} {id}"), e))?;
        }
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

/// A JSON export on disk, checked whole by [`open`] and ready for [`restore_file`].
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// How many contacts it holds.
    pub contacts: usize,
}

/// One record as the walk meets it.
enum Item {
    Settings(Settings),
    Category(Category),
    Contact(Contact),
    Touch(Touch),
    Sale(Sale),
    StageMove(StageMove),
    GlobalId(GlobalKind, u64, String),
}

/// Check the export at `path` without loading it: the version first, then every record (see
/// [`check`]); counts its contacts.
pub fn open(path: &Path) -> Result<Source, ImportError> {
    let mut contacts = 0usize;
    let mut first_bad: Option<ImportError> = None;
    let version = walk(path, &mut |item| {
        if first_bad.is_none() {
            first_bad = check_item(&item).err();
        }
        if let Item::Contact(_) = item {
            contacts += 1;
        }
        Ok(())
    })?;
    check_version(version)?;
    match first_bad {
        Some(e) => Err(e),
        None => Ok(Source {
            path: path.to_path_buf(),
            contacts,
        }),
    }
}

/// Restore the export [`open`] checked into an empty database, record by record (ids kept;
/// one write transaction). Refuses a database with any record.
pub fn restore_file(store: &Store, source: &Source) -> Result<usize, ImportError> {
    let n = store.contact_count()?;
    let k = store.categories()?.len();
    if n > 0 || k > 0 {
        return Err(ImportError::NotEmpty(format!(
            "{n} contacts, {k} categories"
        )));
    }
    let loaded = store.load_streamed(RESTORE_LABEL, |sink: &mut BulkSink<'_>| {
        let version = walk(&source.path, &mut |item| {
            // Checked again: the file may have changed since `open`.
            check_item(&item)?;
            put(sink, &item).map_err(ImportError::from)
        })?;
        check_version(version)
    });
    match loaded {
        Err(ImportError::Store(StoreError::NotEmpty)) => {
            Err(ImportError::NotEmpty("it has touches or sales".to_string()))
        }
        Err(ImportError::Store(StoreError::Duplicate { kind, id })) => Err(
            ImportError::InvalidRecord(format!("the file holds two {kind} records with id {id}")),
        ),
        other => other,
    }
}

fn put(sink: &mut BulkSink<'_>, item: &Item) -> Result<(), StoreError> {
    match item {
        Item::Settings(s) => sink.settings(s),
        Item::Category(c) => sink.category(c),
        Item::Contact(c) => sink.contact(c),
        Item::Touch(t) => sink.touch(t),
        Item::Sale(s) => sink.sale(s),
        Item::StageMove(m) => sink.stage_move(m),
        Item::GlobalId(kind, id, gid) => sink.global_id(*kind, *id, gid.clone()),
    }
}

fn check_version(version: Option<u64>) -> Result<(), ImportError> {
    match version {
        None => Err(ImportError::BadJson(
            "no \"tickler_export\" version field: only files written by `tickler export --format json` can be restored".to_string(),
        )),
        Some(n) if n > EXPORT_VERSION => Err(ImportError::NewerExport(n)),
        Some(_) => Ok(()),
    }
}

fn check_item(item: &Item) -> Result<(), ImportError> {
    let bad = |what: String, e: validate::ValidationError| {
        ImportError::InvalidRecord(format!("{what}: {e}"))
    };
    match item {
        Item::Settings(s) => validate::currency(&s.default_currency)
            .map(|_| ())
            .map_err(|e| bad("the settings' default currency".to_string(), e)),
        Item::Category(c) => {
            validate::category(c).map_err(|e| bad(format!("category {} ({})", c.id.0, c.name), e))
        }
        Item::Contact(c) => {
            validate::contact(c).map_err(|e| bad(format!("contact c{}", c.id.0), e))
        }
        Item::Touch(t) => validate::touch(t).map_err(|e| bad(format!("touch t{}", t.id.0), e)),
        Item::Sale(s) => validate::sale(s).map_err(|e| bad(format!("sale s{}", s.id.0), e)),
        Item::StageMove(m) => validate::date("stage move date", m.date)
            .map(|_| ())
            .map_err(|e| bad(format!("a stage move of c{}", m.contact.0), e)),
        Item::GlobalId(kind, id, gid) => validate::global_id(gid)
            .map(|_| ())
            .map_err(|e| bad(format!("the global id of {kind:?} {id}"), e)),
    }
}

/// Walk the export at `path` record by record, in file order, calling `on` for each; returns
/// the `tickler_export` version (`None`: absent). A JSON error is `BadJson`; `on`'s error stops
/// the walk and is returned as it is.
fn walk(
    path: &Path,
    on: &mut dyn FnMut(Item) -> Result<(), ImportError>,
) -> Result<Option<u64>, ImportError> {
    let file = std::fs::File::open(path).map_err(|source| ImportError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    // A UTF-8 byte-order mark (an editor may add one) is not JSON: skip it.
    if std::io::BufRead::fill_buf(&mut reader)
        .map_err(|source| ImportError::Read {
            path: path.display().to_string(),
            source,
        })?
        .starts_with(b"\xEF\xBB\xBF")
    {
        std::io::BufRead::consume(&mut reader, 3);
    }
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut stopped: Option<ImportError> = None;
    let result = de.deserialize_map(Top {
        on,
        stopped: &mut stopped,
    });
    if let Some(e) = stopped {
        return Err(e);
    }
    let version = result.map_err(|e| ImportError::BadJson(e.to_string()))?;
    de.end().map_err(|e| ImportError::BadJson(e.to_string()))?;
    Ok(version)
}

/// The top-level object: small fields read, record arrays walked element by element, unknown
/// fields skipped.
struct Top<'a, 'b> {
    on: &'a mut dyn FnMut(Item) -> Result<(), ImportError>,
    stopped: &'b mut Option<ImportError>,
}

/// The error that stops serde when `on` failed (the real one is in `stopped`).
fn stop<E: serde::de::Error>(stopped: &mut Option<ImportError>, e: ImportError) -> E {
    *stopped = Some(e);
    E::custom("stopped")
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a tickler JSON export (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<u64>, A::Error> {
        let mut version = None;
        while let Some(key) = map.next_key::<String>()? {
            let kind = match key.as_str() {
                "tickler_export" => {
                    version = Some(map.next_value::<u64>()?);
                    continue;
                }
                "settings" => {
                    let s = map.next_value::<Settings>()?;
                    (self.on)(Item::Settings(s)).map_err(|e| stop(self.stopped, e))?;
                    continue;
                }
                "categories" => Kind::Category,
                "contacts" => Kind::Contact,
                "touches" => Kind::Touch,
                "sales" => Kind::Sale,
                "stage_moves" => Kind::StageMove,
                "global_ids" => {
                    map.next_value_seed(Ids {
                        on: &mut *self.on,
                        stopped: &mut *self.stopped,
                        kind: None,
                    })?;
                    continue;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            map.next_value_seed(Each {
                on: &mut *self.on,
                stopped: &mut *self.stopped,
                kind,
            })?;
        }
        Ok(version)
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Category,
    Contact,
    Touch,
    Sale,
    StageMove,
}

/// One record array, handed to `on` element by element.
struct Each<'a> {
    on: &'a mut dyn FnMut(Item) -> Result<(), ImportError>,
    stopped: &'a mut Option<ImportError>,
    kind: Kind,
}

impl<'de> DeserializeSeed<'de> for Each<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Each<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let item = match self.kind {
                Kind::Category => seq.next_element::<Category>()?.map(Item::Category),
                Kind::Contact => seq.next_element::<Contact>()?.map(Item::Contact),
                Kind::Touch => seq.next_element::<Touch>()?.map(Item::Touch),
                Kind::Sale => seq.next_element::<Sale>()?.map(Item::Sale),
                Kind::StageMove => seq.next_element::<StageMove>()?.map(Item::StageMove),
            };
            let Some(item) = item else {
                return Ok(());
            };
            (self.on)(item).map_err(|e| stop(self.stopped, e))?;
        }
    }
}

/// The `global_ids` object (`{"contacts": {"12": "<id>"}, "touches": .., "sales": ..}`), handed to
/// `on` entry by entry; `kind` is `None` at the outer level.
struct Ids<'a> {
    on: &'a mut dyn FnMut(Item) -> Result<(), ImportError>,
    stopped: &'a mut Option<ImportError>,
    kind: Option<GlobalKind>,
}

impl<'de> DeserializeSeed<'de> for Ids<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Ids<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("global ids by kind and local id")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match self.kind {
                None => {
                    let kind = match key.as_str() {
                        "contacts" => GlobalKind::Contact,
                        "touches" => GlobalKind::Touch,
                        "sales" => GlobalKind::Sale,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    map.next_value_seed(Ids {
                        on: &mut *self.on,
                        stopped: &mut *self.stopped,
                        kind: Some(kind),
                    })?;
                }
                Some(kind) => {
                    let id = key.parse::<u64>().map_err(|_| {
                        serde::de::Error::custom(format!("global_ids: '{key}' is not a record id"))
                    })?;
                    let gid = map.next_value::<String>()?;
                    (self.on)(Item::GlobalId(kind, id, gid)).map_err(|e| stop(self.stopped, e))?;
                }
            }
        }
        Ok(())
    }
}
