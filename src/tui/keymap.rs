//! Keys to actions: one table of bindings (configurable), one pure [`resolve`], and the help
//! overlay's lines generated from the same table so the help never lies.

use super::action::{Action, Pane};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    In(Pane),
}

/// A key with its modifiers (Shift is folded into the character for printable keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Key {
        Key {
            code: ev.code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    /// Parse "d", "D", "Enter", "Tab", "BackTab", "Esc", "Left", "PageDown", "C-c", "<".
    pub fn parse(s: &str) -> Option<Key> {
        let (ctrl, rest) = match s.strip_prefix("C-") {
            Some(r) if !r.is_empty() => (true, r),
            _ => (false, s),
        };
        let code = match rest {
            "Enter" => KeyCode::Enter,
            "Tab" => KeyCode::Tab,
            "BackTab" | "S-Tab" => KeyCode::BackTab,
            "Esc" => KeyCode::Esc,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "PageUp" => KeyCode::PageUp,
            "PageDown" => KeyCode::PageDown,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "Space" => KeyCode::Char(' '),
            one => {
                let mut chars = one.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        Some(Key { code, ctrl })
    }

    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("C-{base}") } else { base }
    }
}

/// One binding: a key, where it applies, what it does, and its name in the config file.
#[derive(Debug, Clone)]
pub struct Binding {
    pub key: Key,
    pub scope: Scope,
    pub action: Action,
    pub name: &'static str,
    pub help: &'static str,
}

/// The bindings in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

/// Which state the screen is in, as far as key resolution cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Normal(Pane),
    /// A one-line text field (summary, date, search, command, the help's filter): a line editor.
    Prompt,
    /// A form of fields (the contact form, done with): Tab between fields, text fields edit.
    Form,
    /// A which-key menu: the second key of a two-key command.
    Chord,
    /// A picker of numbered options.
    Picker,
    /// The one-key "move forward or move out" decision after a done.
    Decide(Pane),
    /// The help overlay: it scrolls; `/` filters.
    Help,
    Editor,
}

/// Keys inside text fields, forms, pickers, menus and the decision bar: fixed, not in the config
/// (scope, keys, what they do). The help and the README list them after the bindings.
pub const FIXED: &[(&str, &str, &str)] = &[
    ("Text fields", "← → Home End", "move (also C-a C-e)"),
    ("Text fields", "C-u C-k", "delete to the start / to the end"),
    ("Text fields", "C-w", "delete the word before the cursor"),
    ("Text fields", "Enter Esc", "submit / cancel"),
    ("Command line", "Tab", "complete the verb or the contact"),
    ("Command line", "↑ ↓", "choose a completion"),
    ("Search", "type", "match name, company, tags, notes"),
    ("Search", "↑ ↓ Enter", "choose, open the contact"),
    ("Forms", "Tab S-Tab ↑ ↓", "next / previous field"),
    ("Forms", "← →", "change a choice (channel, stage)"),
    ("Forms", "Enter", "save"),
    ("Pickers", "1-9 j k Enter", "pick"),
    ("Menus", "the key shown", "after s (snooze) and O (order)"),
    ("Decision bar", "Enter", "keep the planned next touch"),
    ("Decision bar", "p f o", "another day, forward, move out"),
    ("Notes editor", "Esc", "save (only over what it opened)"),
    ("Notes editor", "C-u C-r", "undo / redo"),
    ("Help", "/", "filter the keys"),
    ("Help", "j k PgUp PgDn", "scroll"),
];

const DEFAULTS: &[(&str, Scope, Action, &str, &str)] = {
    use Action as A;
    use Scope::{Global as G, In};
    &[
        ("q", G, A::Quit, "quit", "quit"),
        ("C-z", G, A::Suspend, "suspend", "suspend (fg)"),
        ("?", G, A::Help, "help", "this help"),
        ("Tab", G, A::NextPane, "next-pane", "next pane"),
        ("BackTab", G, A::PrevPane, "prev-pane", "previous pane"),
        ("1", G, A::Goto(Pane::Triage), "pane-triage", "triage"),
        ("2", G, A::Goto(Pane::Calendar), "pane-calendar", "calendar"),
        ("3", G, A::Goto(Pane::Pipeline), "pane-pipeline", "pipeline"),
        ("4", G, A::Goto(Pane::Contact), "pane-contact", "contact"),
        ("5", G, A::Goto(Pane::Insights), "pane-insights", "insights"),
        (
            "6",
            G,
            A::Goto(Pane::Lybunt),
            "pane-lybunt",
            "LYBUNT: last year's buyers",
        ),
        (
            "n",
            G,
            A::NewContact,
            "new-contact",
            "new contact (the contact form)",
        ),
        ("u", G, A::Undo, "undo", "undo the last action"),
        ("S", G, A::Sync, "sync", "sync with the account"),
        ("/", G, A::Search, "search", "fuzzy search contacts"),
        (
            ":",
            G,
            A::Command,
            "command",
            "command line (the : commands below)",
        ),
        ("j", G, A::Down, "down", "down"),
        ("Down", G, A::Down, "down-arrow", "down"),
        ("k", G, A::Up, "up", "up"),
        ("Up", G, A::Up, "up-arrow", "up"),
        ("PageDown", G, A::PageDown, "page-down", "page down"),
        ("PageUp", G, A::PageUp, "page-up", "page up"),
        ("Home", G, A::Top, "top", "first"),
        ("End", G, A::Bottom, "bottom", "last"),
        (
            "Enter",
            In(Pane::Triage),
            A::Open,
            "triage-open",
            "open the contact",
        ),
        (
            "d",
            In(Pane::Triage),
            A::Done,
            "triage-done",
            "done: log it, then decide",
        ),
        (
            "D",
            In(Pane::Triage),
            A::DoneWith,
            "triage-done-summary",
            "done: another channel, inbound, a summary",
        ),
        (
            "s",
            In(Pane::Triage),
            A::Snooze,
            "triage-snooze",
            "snooze (+1 day / week / month / pick)",
        ),
        (
            "r",
            In(Pane::Triage),
            A::Reschedule,
            "triage-reschedule",
            "reschedule to a date",
        ),
        (
            "x",
            In(Pane::Triage),
            A::Skip,
            "triage-skip",
            "skip (plan the next one)",
        ),
        (
            "o",
            In(Pane::Triage),
            A::MoveOut,
            "triage-out",
            "move out (reason)",
        ),
        (
            "f",
            In(Pane::Triage),
            A::Forward,
            "triage-forward",
            "move forward a stage",
        ),
        (
            "p",
            In(Pane::Triage),
            A::Plan,
            "triage-plan",
            "plan a touch",
        ),
        (
            "v",
            In(Pane::Triage),
            A::ToggleReview,
            "triage-review",
            "week / review list",
        ),
        ("l", In(Pane::Triage), A::Log, "triage-log", "log a touch"),
        (
            "X",
            In(Pane::Triage),
            A::CancelTouch,
            "triage-cancel",
            "cancel the planned touch",
        ),
        (
            "m",
            In(Pane::Triage),
            A::MoveStage,
            "triage-move",
            "move stage",
        ),
        (
            "a",
            In(Pane::Triage),
            A::Archive,
            "triage-archive",
            "archive (reason)",
        ),
        (
            "E",
            In(Pane::Triage),
            A::EditContact,
            "triage-edit",
            "edit the contact",
        ),
        ("t", In(Pane::Triage), A::Tag, "triage-tag", "add a tag"),
        (
            "Space",
            In(Pane::Triage),
            A::Mark,
            "triage-mark",
            "mark / unmark",
        ),
        (
            "V",
            In(Pane::Triage),
            A::MarkRange,
            "triage-mark-range",
            "mark up to here",
        ),
        (
            "Esc",
            In(Pane::Triage),
            A::Clear,
            "triage-clear",
            "unmark all, then clear the filter",
        ),
        (
            "c",
            In(Pane::Triage),
            A::PickCategory,
            "triage-category",
            "filter: a category",
        ),
        (
            "#",
            In(Pane::Triage),
            A::PickTag,
            "triage-tag-filter",
            "filter: a tag",
        ),
        (
            "0",
            In(Pane::Triage),
            A::ClearFilter,
            "triage-clear-filter",
            "clear the filter",
        ),
        (
            "O",
            In(Pane::Triage),
            A::SortMenu,
            "triage-sort",
            "order: urgency, due date, value",
        ),
        ("h", In(Pane::Calendar), A::Left, "cal-left", "previous day"),
        (
            "Left",
            In(Pane::Calendar),
            A::Left,
            "cal-left-arrow",
            "previous day",
        ),
        ("l", In(Pane::Calendar), A::Right, "cal-right", "next day"),
        (
            "Right",
            In(Pane::Calendar),
            A::Right,
            "cal-right-arrow",
            "next day",
        ),
        (
            "[",
            In(Pane::Calendar),
            A::PrevMonth,
            "cal-prev-month",
            "previous month",
        ),
        (
            "]",
            In(Pane::Calendar),
            A::NextMonth,
            "cal-next-month",
            "next month",
        ),
        ("t", In(Pane::Calendar), A::Today, "cal-today", "today"),
        (
            "g",
            In(Pane::Calendar),
            A::GoToDate,
            "cal-goto",
            "go to a date",
        ),
        (
            "Enter",
            In(Pane::Calendar),
            A::Open,
            "cal-open",
            "the day's list, then open the contact",
        ),
        (
            "Esc",
            In(Pane::Calendar),
            A::Clear,
            "cal-clear",
            "unmark all, back to the month",
        ),
        (
            "d",
            In(Pane::Calendar),
            A::Done,
            "cal-done",
            "done: log it, then decide",
        ),
        (
            "D",
            In(Pane::Calendar),
            A::DoneWith,
            "cal-done-with",
            "done: another channel, inbound, a summary",
        ),
        ("s", In(Pane::Calendar), A::Snooze, "cal-snooze", "snooze"),
        ("p", In(Pane::Calendar), A::Plan, "cal-plan", "plan a touch"),
        (
            "r",
            In(Pane::Calendar),
            A::Reschedule,
            "cal-reschedule",
            "reschedule to a date",
        ),
        (
            "x",
            In(Pane::Calendar),
            A::Skip,
            "cal-skip",
            "skip (plan the next one)",
        ),
        (
            "X",
            In(Pane::Calendar),
            A::CancelTouch,
            "cal-cancel",
            "cancel the planned touch",
        ),
        (
            "o",
            In(Pane::Calendar),
            A::MoveOut,
            "cal-out",
            "move out (reason)",
        ),
        (
            "m",
            In(Pane::Calendar),
            A::MoveStage,
            "cal-move",
            "move stage",
        ),
        (
            "E",
            In(Pane::Calendar),
            A::EditContact,
            "cal-edit",
            "edit the contact",
        ),
        (
            "Space",
            In(Pane::Calendar),
            A::Mark,
            "cal-mark",
            "mark / unmark",
        ),
        (
            "V",
            In(Pane::Calendar),
            A::MarkRange,
            "cal-mark-range",
            "mark up to here",
        ),
        (
            "h",
            In(Pane::Pipeline),
            A::Left,
            "pipe-left",
            "previous column",
        ),
        (
            "Left",
            In(Pane::Pipeline),
            A::Left,
            "pipe-left-arrow",
            "previous column",
        ),
        (
            "l",
            In(Pane::Pipeline),
            A::Right,
            "pipe-right",
            "next column",
        ),
        (
            "Right",
            In(Pane::Pipeline),
            A::Right,
            "pipe-right-arrow",
            "next column",
        ),
        (
            "<",
            In(Pane::Pipeline),
            A::StageLeft,
            "pipe-stage-back",
            "move card a stage back",
        ),
        (
            "H",
            In(Pane::Pipeline),
            A::StageLeft,
            "pipe-stage-back-h",
            "move card a stage back",
        ),
        (
            ">",
            In(Pane::Pipeline),
            A::StageRight,
            "pipe-stage-on",
            "move card a stage on",
        ),
        (
            "L",
            In(Pane::Pipeline),
            A::StageRight,
            "pipe-stage-on-l",
            "move card a stage on",
        ),
        (
            "Enter",
            In(Pane::Pipeline),
            A::Open,
            "pipe-open",
            "open the contact",
        ),
        (
            "c",
            In(Pane::Pipeline),
            A::PickCategory,
            "pipe-category",
            "filter: a category",
        ),
        (
            "#",
            In(Pane::Pipeline),
            A::PickTag,
            "pipe-tag",
            "filter: a tag",
        ),
        (
            "0",
            In(Pane::Pipeline),
            A::ClearFilter,
            "pipe-clear",
            "clear the filter",
        ),
        (
            "Esc",
            In(Pane::Pipeline),
            A::Clear,
            "pipe-clear-esc",
            "unmark all, then clear the filter",
        ),
        (
            "d",
            In(Pane::Pipeline),
            A::Done,
            "pipe-done",
            "done: log it, then decide",
        ),
        (
            "D",
            In(Pane::Pipeline),
            A::DoneWith,
            "pipe-done-with",
            "done: another channel, inbound, a summary",
        ),
        ("s", In(Pane::Pipeline), A::Snooze, "pipe-snooze", "snooze"),
        (
            "p",
            In(Pane::Pipeline),
            A::Plan,
            "pipe-plan",
            "plan a touch",
        ),
        (
            "X",
            In(Pane::Pipeline),
            A::CancelTouch,
            "pipe-cancel",
            "cancel the planned touch",
        ),
        (
            "o",
            In(Pane::Pipeline),
            A::MoveOut,
            "pipe-out",
            "move out (reason)",
        ),
        (
            "m",
            In(Pane::Pipeline),
            A::MoveStage,
            "pipe-move",
            "move stage",
        ),
        (
            "a",
            In(Pane::Pipeline),
            A::Archive,
            "pipe-archive",
            "archive (reason)",
        ),
        (
            "E",
            In(Pane::Pipeline),
            A::EditContact,
            "pipe-edit",
            "edit the contact",
        ),
        ("t", In(Pane::Pipeline), A::Tag, "pipe-tag-add", "add a tag"),
        (
            "Space",
            In(Pane::Pipeline),
            A::Mark,
            "pipe-mark",
            "mark / unmark",
        ),
        (
            "V",
            In(Pane::Pipeline),
            A::MarkRange,
            "pipe-mark-range",
            "mark up to here",
        ),
        (
            "l",
            In(Pane::Contact),
            A::Log,
            "contact-log",
            "log a touch (channel, date, summary)",
        ),
        (
            "p",
            In(Pane::Contact),
            A::Plan,
            "contact-plan",
            "plan a touch",
        ),
        (
            "s",
            In(Pane::Contact),
            A::Snooze,
            "contact-snooze",
            "snooze",
        ),
        (
            "m",
            In(Pane::Contact),
            A::MoveStage,
            "contact-move",
            "move stage",
        ),
        (
            "a",
            In(Pane::Contact),
            A::Archive,
            "contact-archive",
            "archive (reason)",
        ),
        (
            "e",
            In(Pane::Contact),
            A::EditNotes,
            "contact-edit",
            "edit notes (Esc saves)",
        ),
        (
            "E",
            In(Pane::Contact),
            A::EditContact,
            "contact-edit-fields",
            "edit every field",
        ),
        (
            "d",
            In(Pane::Contact),
            A::Done,
            "contact-done",
            "done: log the due touch, then decide",
        ),
        (
            "D",
            In(Pane::Contact),
            A::DoneWith,
            "contact-done-with",
            "done: another channel, inbound, a summary",
        ),
        (
            "r",
            In(Pane::Contact),
            A::Reschedule,
            "contact-reschedule",
            "reschedule the due touch",
        ),
        (
            "x",
            In(Pane::Contact),
            A::Skip,
            "contact-skip",
            "skip the due touch",
        ),
        (
            "X",
            In(Pane::Contact),
            A::CancelTouch,
            "contact-cancel",
            "cancel a planned touch",
        ),
        (
            "o",
            In(Pane::Contact),
            A::MoveOut,
            "contact-out",
            "move out (reason)",
        ),
        (
            "f",
            In(Pane::Contact),
            A::Forward,
            "contact-forward",
            "move forward a stage",
        ),
        ("t", In(Pane::Contact), A::Tag, "contact-tag", "add a tag"),
        (
            "j",
            In(Pane::Insights),
            A::Down,
            "insights-down",
            "next chart",
        ),
        (
            "k",
            In(Pane::Insights),
            A::Up,
            "insights-up",
            "previous chart",
        ),
        (
            "Enter",
            In(Pane::Lybunt),
            A::Open,
            "lybunt-open",
            "open the contact",
        ),
        (
            "p",
            In(Pane::Lybunt),
            A::Plan,
            "lybunt-plan",
            "plan a touch",
        ),
        ("l", In(Pane::Lybunt), A::Log, "lybunt-log", "log a touch"),
        (
            "d",
            In(Pane::Lybunt),
            A::Done,
            "lybunt-done",
            "done: log the next touch, then decide",
        ),
        (
            "D",
            In(Pane::Lybunt),
            A::DoneWith,
            "lybunt-done-with",
            "done: another channel, inbound, a summary",
        ),
        ("s", In(Pane::Lybunt), A::Snooze, "lybunt-snooze", "snooze"),
        (
            "m",
            In(Pane::Lybunt),
            A::MoveStage,
            "lybunt-move",
            "move stage",
        ),
        (
            "o",
            In(Pane::Lybunt),
            A::MoveOut,
            "lybunt-out",
            "move out (reason)",
        ),
        (
            "E",
            In(Pane::Lybunt),
            A::EditContact,
            "lybunt-edit",
            "edit the contact",
        ),
        ("t", In(Pane::Lybunt), A::Tag, "lybunt-tag", "add a tag"),
        (
            "Space",
            In(Pane::Lybunt),
            A::Mark,
            "lybunt-mark",
            "mark / unmark",
        ),
        (
            "V",
            In(Pane::Lybunt),
            A::MarkRange,
            "lybunt-mark-range",
            "mark up to here",
        ),
        (
            "Esc",
            In(Pane::Lybunt),
            A::Clear,
            "lybunt-clear",
            "unmark all",
        ),
    ]
};

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .filter_map(|&(k, scope, action, name, help)| {
                Key::parse(k).map(|key| Binding {
                    key,
                    scope,
                    action,
                    name,
                    help,
                })
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// Rebind the binding called `name` to `key` (from the config file).
    pub fn rebind(&mut self, name: &str, key: &str) -> Result<(), String> {
        let parsed = Key::parse(key).ok_or_else(|| format!("keys.{name}: unknown key '{key}'"))?;
        let b = self
            .bindings
            .iter_mut()
            .find(|b| b.name == name)
            .ok_or_else(|| format!("keys.{name}: no such action"))?;
        b.key = parsed;
        Ok(())
    }

    /// Check the bindings together (after a config file rebound some): `Err((names, message))`
    /// names the bindings at fault. Refused: a binding on C-c (it always quits); a suspend key
    /// that text fields need (suspend works in every state, a prompt and the notes editor
    /// included: `suspend = "e"` would suspend while typing an "e"); one key for two actions where
    /// both would apply (the same scope, or a pane's key hiding a global one there).
    pub fn check(&self) -> Result<(), (Vec<&'static str>, String)> {
        for b in &self.bindings {
            let label = b.key.label();
            if b.key.ctrl && b.key.code == KeyCode::Char('c') {
                return Err((
                    vec![b.name],
                    format!(
                        "keys.{} = \"C-c\": C-c always quits; choose another key",
                        b.name
                    ),
                ));
            }
            if b.action == Action::Suspend && text_needs(b.key) {
                return Err((
                    vec![b.name],
                    format!(
                        "keys.{} = \"{label}\": suspend works in every state, a prompt and the notes editor included, so it cannot be a key text fields need; use a Ctrl key the notes editor does not use, such as C-z, C-g, C-l, C-o, C-q, C-s or C-t",
                        b.name
                    ),
                ));
            }
        }
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.key != b.key || a.action == b.action {
                    continue;
                }
                let clash = a.scope == b.scope
                    || a.scope == Scope::Global
                    || b.scope == Scope::Global
                    || a.action == Action::Suspend
                    || b.action == Action::Suspend;
                if clash {
                    let where_ = match (a.scope, b.scope) {
                        (Scope::In(p), _) | (_, Scope::In(p)) => p.title(),
                        _ => "every pane",
                    };
                    return Err((
                        vec![a.name, b.name],
                        format!(
                            "keys.{} and keys.{} both use \"{}\" in {where_} ({} / {}): give one of them another key",
                            a.name,
                            b.name,
                            a.key.label(),
                            a.help,
                            b.help
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn lookup(&self, key: Key, pane: Pane) -> Option<Action> {
        let in_pane = self
            .bindings
            .iter()
            .find(|b| b.key == key && b.scope == Scope::In(pane));
        in_pane
            .or_else(|| {
                self.bindings
                    .iter()
                    .find(|b| b.key == key && b.scope == Scope::Global)
            })
            .map(|b| b.action)
    }

    /// The help overlay's lines: (scope title, key, what it does), one per action and scope.
    pub fn help_lines(&self) -> Vec<(&'static str, String, &'static str)> {
        let mut out: Vec<(&'static str, String, &'static str)> = Vec::new();
        for b in &self.bindings {
            let scope = match b.scope {
                Scope::Global => "Global",
                Scope::In(p) => p.title(),
            };
            if let Some(line) = out.iter_mut().find(|(s, _, h)| *s == scope && *h == b.help) {
                line.1 = format!("{} {}", line.1, b.key.label());
            } else {
                out.push((scope, b.key.label(), b.help));
            }
        }
        out
    }
}

/// The Ctrl keys the notes editor uses (ratatui-textarea's default bindings), and C-i / C-m,
/// which terminals send for Tab and Enter.
const EDITOR_CTRL: &str = "abcdefhijkmnpruvwxy";

/// Whether a one-line prompt or the notes editor needs `key`: every key without Ctrl, and the
/// editor's Ctrl keys.
fn text_needs(key: Key) -> bool {
    if !key.ctrl {
        return true;
    }
    match key.code {
        KeyCode::Char(c) => EDITOR_CTRL.contains(c.to_ascii_lowercase()),
        _ => true,
    }
}

/// The help overlay's keys: scroll, filter, close.
fn help_key(key: Key) -> Option<Action> {
    if key.ctrl {
        return None;
    }
    match key.code {
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PageDown),
        KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
        KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
        KeyCode::Char('/') => Some(Action::Search),
        _ => Some(Action::Cancel),
    }
}

/// Resolve one key press in `ctx`. Pure: the same key in the same context is the same action.
pub fn resolve(keymap: &Keymap, ev: &KeyEvent, ctx: Context) -> Option<Action> {
    let key = Key::from_event(ev);
    if key.ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    // Suspending works in every state (a prompt or the editor included), as Ctrl-C quits.
    if keymap
        .bindings
        .iter()
        .any(|b| b.action == Action::Suspend && b.key == key)
    {
        return Some(Action::Suspend);
    }
    match ctx {
        Context::Editor => Some(Action::Key(*ev)),
        Context::Help => help_key(key),
        Context::Prompt => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Tab => Some(Action::Complete),
            KeyCode::Char(c) if !key.ctrl => Some(Action::Char(c)),
            _ => Some(Action::Key(*ev)),
        },
        Context::Form => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Tab | KeyCode::Down => Some(Action::NextField),
            KeyCode::BackTab | KeyCode::Up => Some(Action::PrevField),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char(c) if !key.ctrl => Some(Action::Char(c)),
            _ => Some(Action::Key(*ev)),
        },
        Context::Chord => match key.code {
            KeyCode::Char(c) if !key.ctrl => Some(Action::Char(c)),
            _ => Some(Action::Cancel),
        },
        Context::Picker => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Char(c @ '1'..='9') => Some(Action::Pick(c as usize - '1' as usize)),
            KeyCode::Char(c) => Some(Action::Char(c)),
            _ => None,
        },
        Context::Decide(pane) => match key.code {
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Char('p') => Some(Action::Plan),
            KeyCode::Char('f') => Some(Action::Forward),
            KeyCode::Char('o') => Some(Action::MoveOut),
            _ => keymap.lookup(key, pane),
        },
        Context::Normal(pane) => keymap.lookup(key, pane),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn k(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn pane_keys_come_before_global_ones() {
        let km = Keymap::default();
        assert_eq!(
            resolve(&km, &k('d'), Context::Normal(Pane::Triage)),
            Some(Action::Done)
        );
        assert_eq!(
            resolve(&km, &k('l'), Context::Normal(Pane::Contact)),
            Some(Action::Log)
        );
        assert_eq!(
            resolve(&km, &k('l'), Context::Normal(Pane::Calendar)),
            Some(Action::Right)
        );
        assert_eq!(resolve(&km, &k('z'), Context::Normal(Pane::Pipeline)), None);
        assert_eq!(
            resolve(&km, &k('q'), Context::Normal(Pane::Pipeline)),
            Some(Action::Quit)
        );
        assert_eq!(
            resolve(&km, &k('2'), Context::Normal(Pane::Triage)),
            Some(Action::Goto(Pane::Calendar))
        );
    }

    #[test]
    fn shifted_letters_and_special_keys() {
        let km = Keymap::default();
        let shift_d = KeyEvent::new(KeyCode::Char('D'), KeyModifiers::SHIFT);
        assert_eq!(
            resolve(&km, &shift_d, Context::Normal(Pane::Triage)),
            Some(Action::DoneWith)
        );
        let back = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            resolve(&km, &back, Context::Normal(Pane::Triage)),
            Some(Action::PrevPane)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(resolve(&km, &ctrl_c, Context::Prompt), Some(Action::Quit));
    }

    #[test]
    fn prompts_take_characters_and_decisions_fall_through() {
        let km = Keymap::default();
        assert_eq!(
            resolve(&km, &k('q'), Context::Prompt),
            Some(Action::Char('q'))
        );
        assert_eq!(
            resolve(&km, &k('3'), Context::Picker),
            Some(Action::Pick(2))
        );
        assert_eq!(
            resolve(&km, &k('o'), Context::Decide(Pane::Triage)),
            Some(Action::MoveOut)
        );
        assert_eq!(
            resolve(&km, &k('d'), Context::Decide(Pane::Triage)),
            Some(Action::Done)
        );
    }

    #[test]
    fn ctrl_z_suspends_in_every_state() {
        let km = Keymap::default();
        let ctrl_z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL);
        for ctx in [
            Context::Normal(Pane::Pipeline),
            Context::Prompt,
            Context::Picker,
            Context::Decide(Pane::Triage),
            Context::Help,
            Context::Editor,
        ] {
            assert_eq!(resolve(&km, &ctrl_z, ctx), Some(Action::Suspend), "{ctx:?}");
        }
        assert_eq!(
            resolve(&km, &k('z'), Context::Editor),
            Some(Action::Key(k('z')))
        );
        assert!(
            km.help_lines()
                .iter()
                .any(|(s, k, h)| *s == "Global" && k == "C-z" && h.starts_with("suspend"))
        );
    }

    #[test]
    fn rebinding_and_help() {
        let mut km = Keymap::default();
        assert!(km.rebind("triage-done", "c").is_ok());
        assert_eq!(
            resolve(&km, &k('c'), Context::Normal(Pane::Triage)),
            Some(Action::Done)
        );
        assert!(km.rebind("nope", "c").is_err());
        assert!(km.rebind("quit", "Hyper-x").is_err());
        let help = km.help_lines();
        assert!(
            help.iter()
                .any(|(s, k, h)| *s == "Global" && k == "j ↓" && *h == "down")
        );
    }
}
