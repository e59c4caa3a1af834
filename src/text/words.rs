//! What the full-screen diary says: prompts, titles, hints and its own messages, in one place so
//! the wording stays consistent (the actions word their own outcomes and refusals).

/// A prompt's question, naming whom it acts on.
pub fn prompt_reschedule(who: &str) -> String {
    format!("Reschedule {who} to (fri, +3d, 2026-12-01):")
}

pub fn prompt_snooze(who: &str) -> String {
    format!("Snooze {who} until (+2w, mon, 2027-01-10):")
}

pub fn prompt_plan(who: &str) -> String {
    format!("Plan a touch with {who} on (empty: the lightest allowed day):")
}

pub fn prompt_tag(who: &str) -> String {
    format!("Tag {who} with:")
}

pub fn prompt_done_many(who: &str) -> String {
    format!("Done with {who}, one summary for all (optional):")
}

pub const PROMPT_GOTO: &str = "Go to date (fri, +3w, 2027-01-10):";
pub const TAG_EMPTY: &str = "type a tag to add (letters, digits, dashes), or Esc";
pub const SEARCH: &str = "Search:";
pub const COMMAND: &str = ":";

/// The decision bar after a done (the status line names the contact).
pub fn decide(next: Option<&str>) -> String {
    match next {
        Some(next) => {
            format!("Logged. Enter keeps the next: {next} · p another day · f forward · o move out")
        }
        None => "Logged. Enter keep · f forward · o move out".to_string(),
    }
}

/// Moving out with planned touches: the keys first, so a narrow screen never hides them.
pub fn confirm_out(whom: &str, reason: &str, planned: usize) -> String {
    format!(
        "Enter/y call off {} · k keep {} · Esc cancel: moving {whom} out ({reason})",
        crate::text::count(planned, "planned touch", "planned touches"),
        if planned == 1 { "it" } else { "them" }
    )
}

pub const NOTES_EDITING: &str = "Esc saves · C-u undo · C-r redo";
/// A form's keys.
pub const FORM_KEYS: &str = "Tab next field · ← → change a choice · Enter save · Esc cancel";
pub const NOTES_CONFLICT: &str =
    "Notes changed elsewhere: k keep yours · m merge both · d drop yours · Esc back to editing";
pub const NOTES_MERGED: &str = "merged: both versions are in the editor; Esc saves";
pub const NOTES_DROPPED: &str = "your edit was dropped; the notes are as saved elsewhere";
pub const NOTES_MARKER: &str = "--- merged from this session ---";

pub const PASTE_IGNORED: &str =
    "paste ignored: open a text field first (l log, D done with a summary, : command)";
pub const NOTHING_TO_UNDO_HERE: &str =
    "nothing this session did is left to undo: `tickler undo` reverts older actions";
pub const UNDONE_ELSEWHERE: &str = "your last action was already undone elsewhere: nothing undone";
pub const NOTHING_TO_UNDO: &str = "nothing to undo";

pub fn undone(label: &str) -> String {
    format!("undone: {label}")
}

pub fn not_undone(other: &str) -> String {
    format!(
        "not undone: the newest change (\"{other}\") was made by another tickler since; `tickler undo` reverts it"
    )
}

pub fn cannot_reread(e: &dyn std::fmt::Display) -> String {
    format!("cannot re-read the diary: {e}")
}

pub fn config_ignored(e: &dyn std::fmt::Display) -> String {
    format!("config ignored: {e}")
}

pub fn nothing_planned(who: &str) -> String {
    format!("nothing is planned for {who}: p plans a touch")
}

pub fn no_further(who: &str) -> String {
    format!("{who} is already as far forward as it goes")
}

pub const NO_CONTACT_OPEN: &str =
    "No contact open: Enter on a triage, calendar, pipeline or LYBUNT item, or / to search.";
pub const NOTHING_LEFT: &str = "Nothing left this week. v shows the review list.";
pub const LIST_CLEAN: &str = "The list is clean.";
pub const NOTHING_DUE: &str = "Nothing due.";
pub const NO_LYBUNT: &str = "No LYBUNT customers: everyone who bought last year has bought again.";
pub const NOTHING_MATCHES: &str = "Nothing matches the filter: 0 or Esc clears it.";
pub const COMPUTING: &str = " Computing the insights…";
pub const NOTHING_TO_PICK: &str = "nothing to pick";

/// "3 marked" (multi-select), or nothing.
pub fn marked(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" · {n} marked")
    }
}

/// The keys the status line and the tab bar always show.
pub const TAB_KEYS: &str = "? help  : command  q quit";

/// The help overlay's title.
pub fn help_title(first: usize, last: usize, total: usize, filtering: bool) -> String {
    if filtering {
        format!(" Keys {first}-{last} of {total} · type to filter · Enter keeps it · Esc clears ")
    } else {
        format!(" Keys {first}-{last} of {total} · j/k scroll · / filter · Esc closes ")
    }
}

/// An action that works on one contact only, asked for several.
pub fn not_for_many(request: &crate::actions::Request) -> String {
    format!(
        "{} works on one contact at a time: unmark the others (Esc) and try again",
        crate::logging::variant(request).to_lowercase()
    )
}

/// A change for several contacts with nobody marked.
pub const NOTHING_MARKED: &str = "nobody is marked: space marks a contact, V a range";
