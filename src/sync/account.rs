//! The account a diary syncs with, and one whole sync of a store: what the `sync` verb and the
//! full-screen diary's sync key both run.
//!
//! Settings (kept in the diary, see `store::sync_state`): `sync_url` (a server's base or principal
//! URL, or a local directory), `sync_username`, `sync_password_command` (a command whose first
//! line of output is the password, as vdirsyncer's `password.fetch`), `sync_after_change` (`on`:
//! the full-screen diary syncs after each change). The password itself comes from
//! `TICKLER_SYNC_PASSWORD` or that command, and is never stored, logged or shown.

use super::diary::StoreDiary;
use super::engine::{self, Options, Report, SyncError};
use super::mapping::contact::CardWriter;
use super::transport::{self, Credentials, Target};
use crate::model::Contact;
use crate::store::Store;
use chrono::NaiveDate;

pub const SYNC_URL: &str = "sync_url";
pub const SYNC_USERNAME: &str = "sync_username";
pub const SYNC_PASSWORD_COMMAND: &str = "sync_password_command";
pub const SYNC_AFTER_CHANGE: &str = "sync_after_change";
/// Every sync setting, as `tickler settings` lists them.
pub const SETTING_NAMES: [&str; 4] = [
    SYNC_URL,
    SYNC_USERNAME,
    SYNC_PASSWORD_COMMAND,
    SYNC_AFTER_CHANGE,
];
/// The cases the last sync listed (JSON), for `tickler review`.
const LAST_CASES: &str = "last_sync_cases";
/// The environment variable holding the password.
pub const PASSWORD_ENV: &str = "TICKLER_SYNC_PASSWORD";

/// Where to sync and as whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub url: String,
    pub username: Option<String>,
    pub password_command: Option<String>,
}

/// The account from the settings, with `--url` / `--username` given on the command line first.
pub fn account(
    store: &Store,
    url: Option<&str>,
    username: Option<&str>,
) -> Result<Account, SyncError> {
    let meta = store
        .sync_meta()
        .map_err(|e| SyncError::Diary(e.to_string()))?;
    let url = url
        .map(str::to_string)
        .or_else(|| meta.get(SYNC_URL).cloned())
        .ok_or_else(|| {
            SyncError::Diary(
                "no account to sync with yet: run `tickler sync --url URL --username NAME` once (a server's address, or a directory for a vdir)".to_string(),
            )
        })?;
    Ok(Account {
        url,
        username: username
            .map(str::to_string)
            .or_else(|| meta.get(SYNC_USERNAME).cloned())
            .filter(|u| !u.is_empty()),
        password_command: meta
            .get(SYNC_PASSWORD_COMMAND)
            .cloned()
            .filter(|c| !c.trim().is_empty()),
    })
}

/// Where the account syncs, as it may be shown (a directory, or the server's URL without any
/// `user:password@` part): what the full-screen diary says while it syncs.
pub fn location(a: &Account) -> String {
    match Target::parse(&a.url) {
        Ok(Target::Vdir(dir)) => dir.display().to_string(),
        Ok(Target::Dav(uri)) => transport::redact_url(&uri.to_string()),
        Err(_) => transport::redact_url(a.url.trim()),
    }
}

/// Whether the diary syncs after each change in the full-screen diary.
pub fn after_change(store: &Store) -> bool {
    store
        .sync_meta()
        .ok()
        .and_then(|m| m.get(SYNC_AFTER_CHANGE).cloned())
        .is_some_and(|v| matches!(v.as_str(), "on" | "true" | "yes" | "1"))
}

/// The login for a server: the user name, and the password from the environment or the command.
/// A vdir needs none.
pub fn credentials(a: &Account, target: &Target) -> Result<Option<Credentials>, SyncError> {
    let (Target::Dav(_), Some(username)) = (target, &a.username) else {
        return Ok(None);
    };
    let password = match std::env::var(PASSWORD_ENV) {
        Ok(p) if !p.is_empty() => p,
        _ => match &a.password_command {
            Some(cmd) => run_password_command(cmd)?,
            None => {
                return Err(SyncError::Diary(format!(
                    "no password for {username}: set {PASSWORD_ENV}, or `tickler settings set {SYNC_PASSWORD_COMMAND} 'pass show dav'` (a command that prints it)"
                )));
            }
        },
    };
    Ok(Some(Credentials {
        username: username.clone(),
        password,
    }))
}

/// The first line the command prints. Its output is never shown, not even when it fails.
fn run_password_command(cmd: &str) -> Result<String, SyncError> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| {
            SyncError::Diary(format!(
                "cannot run {SYNC_PASSWORD_COMMAND} ({e}): check the setting"
            ))
        })?;
    if !out.status.success() {
        return Err(SyncError::Diary(format!(
            "{SYNC_PASSWORD_COMMAND} failed ({}): run it yourself to see why, or set {PASSWORD_ENV}",
            out.status
        )));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next().unwrap_or_default().to_string();
    if line.is_empty() {
        return Err(SyncError::Diary(format!(
            "{SYNC_PASSWORD_COMMAND} printed nothing: it should print the password"
        )));
    }
    Ok(line)
}

/// Contacts as vCards through the vCard export (4.0, tickler's fields passed by sync itself).
pub struct ExportCards;

impl CardWriter for ExportCards {
    fn card(&self, contact: &Contact, uid: &str, extra: &[(String, String)]) -> String {
        let extra: Vec<(&str, &str)> = extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        crate::interop::vcard::card(
            contact,
            &crate::interop::vcard::CardOptions {
                version: crate::interop::vcard::Version::V4,
                uid,
                category: None,
                extra: &extra,
                tickler_fields: false,
            },
        )
    }
}

/// The cases the last sync listed (fields both sides changed, items not taken over).
pub fn last_cases(store: &Store) -> Result<Vec<super::plan::Case>, crate::store::StoreError> {
    Ok(store
        .sync_meta()?
        .get(LAST_CASES)
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default())
}

/// One line for a status bar: what a sync did.
pub fn summary(r: &Report) -> String {
    let written = r.created.total() + r.updated.total() + r.deleted.total();
    let mut text = format!(
        "synced with {}: {} change(s) here, {written} written there",
        r.location,
        r.applied.len()
    );
    if !r.cases.is_empty() {
        text.push_str(&format!(
            "; {} to look at (`tickler review` lists them)",
            r.cases.len()
        ));
    }
    text
}

/// What one sync did, with the undo-log numbers of the changes it made in the diary (oldest
/// first; a sync that failed after applying a pull made some too).
#[derive(Debug)]
pub struct Synced {
    pub result: Result<Report, SyncError>,
    pub undo: Vec<u64>,
}

/// One sync of `store` with the account. After a sync that did not fail, `--url` and
/// `--username` given for it are remembered (not after a dry run).
pub fn run(
    store: &Store,
    a: &Account,
    today: NaiveDate,
    dry_run: bool,
) -> Result<Report, SyncError> {
    run_recorded(store, a, today, dry_run).result
}

/// [`run`], also telling which undo-log entries it made (what the full-screen diary lets `u`
/// undo). The file is handed back ([`Store::release`]) before the sync goes to the server and
/// after each step on the diary (see [`super::diary`]).
pub fn run_recorded(store: &Store, a: &Account, today: NaiveDate, dry_run: bool) -> Synced {
    let mut diary = StoreDiary::new(store, &ExportCards);
    let result = sync_with(store, a, &mut diary, Options { today, dry_run });
    Synced {
        result,
        undo: diary.undo,
    }
}

fn sync_with(
    store: &Store,
    a: &Account,
    diary: &mut StoreDiary<'_>,
    opts: Options,
) -> Result<Report, SyncError> {
    let failed = |e: crate::store::StoreError| SyncError::Diary(e.to_string());
    // What the account was read from is not needed while the server is asked.
    store.release().map_err(failed)?;
    let target = Target::parse(&a.url)?;
    let creds = credentials(a, &target)?;
    let mut t = transport::open(&target, creds)?;
    let report = engine::sync(t.as_mut(), diary, opts)?;
    if !opts.dry_run {
        let cases = serde_json::to_string(&report.cases).unwrap_or_else(|_| "[]".to_string());
        let meta = [
            (SYNC_URL.to_string(), Some(a.url.clone())),
            (SYNC_USERNAME.to_string(), a.username.clone()),
            (LAST_CASES.to_string(), Some(cases)),
        ];
        store.save_sync(&[], &[], &meta).map_err(failed)?;
        store.release().map_err(failed)?;
    }
    Ok(report)
}
