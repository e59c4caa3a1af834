//! Each component's `handle` on its own: no store, no terminal, no effects run. A diary built in
//! memory from the demo generator (the same rows the store would give), and the effects a key
//! asks for checked as data.

use super::action::{Action, Pane};
use super::component::{Component, Ctx, Effect, Handled, Layer, Then};
use super::diary::Diary;
use super::keymap::Keymap;
use super::kinds::{PickerKind, PromptKind};
use super::overlays::chord::Chord;
use super::overlays::form::Form;
use super::overlays::help::Help;
use super::overlays::notes::NotesEditor;
use super::overlays::picker::Picker;
use super::overlays::prompt::Prompt;
use super::panes::calendar::Calendar;
use super::panes::contact::{ContactPane, ContactView};
use super::panes::insights::{CHARTS, InsightsPane};
use super::panes::lybunt::Lybunt;
use super::panes::pipeline::{COLUMNS, Pipeline};
use super::panes::triage::Triage;
use super::theme::Theme;
use crate::actions::{BatchAction, Completes, ContactRef, Request};
use crate::model::{ContactId, Stage};
use crate::planner::{Order, facts};
use crate::store::Roster;
use chrono::{Days, NaiveDate};
use ratatui::layout::Rect;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A diary of `n` demo contacts, its rows as the store computes them (profile and facts), and
/// the contacts' records (what the contact pane and the form read from the store).
struct Fixture {
    diary: Diary,
    theme: Theme,
    keymap: Keymap,
    contacts: Vec<crate::model::Contact>,
}

impl Fixture {
    fn new(n: usize) -> Fixture {
        let bulk = crate::demo::generate(n, 1, today());
        let rows = bulk
            .contacts
            .iter()
            .map(|c| {
                let touches: Vec<_> = bulk
                    .touches
                    .iter()
                    .filter(|t| t.contact == c.id)
                    .cloned()
                    .collect();
                let sales: Vec<_> = bulk
                    .sales
                    .iter()
                    .filter(|s| s.contact == c.id)
                    .cloned()
                    .collect();
                (c.profile(), facts::summarize(&touches, &sales))
            })
            .collect();
        let roster = Roster {
            settings: bulk.settings.clone(),
            categories: bulk.categories.clone(),
            rows,
        };
        Fixture {
            diary: Diary::new(roster, today()),
            theme: Theme::mono(),
            keymap: Keymap::default(),
            contacts: bulk.contacts,
        }
    }

    fn ctx(&self, pane: Pane) -> Ctx<'_> {
        Ctx {
            diary: &self.diary,
            theme: &self.theme,
            keymap: &self.keymap,
            pane,
            size: Rect::new(0, 0, 80, 24),
        }
    }
}

fn effects(h: Handled) -> Vec<Effect> {
    match h {
        Handled::Consumed(e) | Handled::PassOn(e) => e,
        Handled::Ignored => panic!("ignored"),
    }
}

/// The one action request among `effects`, and what follows it.
fn request(effects: &[Effect]) -> (&Request, &Then) {
    let acts: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Act { request, then } => Some((request.as_ref(), then)),
            _ => None,
        })
        .collect();
    assert_eq!(acts.len(), 1, "{effects:?}");
    acts[0]
}

fn ids_of(req: &Request) -> Vec<ContactId> {
    match req {
        Request::Batch(b) => b
            .selection
            .contacts
            .iter()
            .filter_map(|c| match c {
                ContactRef::Id(id) => Some(*id),
                ContactRef::Query(_) => None,
            })
            .collect(),
        other => panic!("not a batch: {other:?}"),
    }
}

#[test]
fn triage_done_logs_exactly_the_selected_item_then_decides() {
    let fx = Fixture::new(60);
    let ctx = fx.ctx(Pane::Triage);
    let mut t = Triage::default();
    t.refresh(&ctx);
    t.handle(&Action::Down, &ctx);
    let id = t.selected(&ctx).unwrap();
    let e = effects(t.handle(&Action::Done, &ctx));
    let (req, then) = request(&e);
    let Request::Log(log) = req else {
        panic!("{req:?}")
    };
    assert_eq!(log.contact, ContactRef::Id(id));
    assert_eq!(log.completes, Completes::Item(fx.diary.item_touch(id)));
    assert_eq!(*then, Then::Decide(id));
}

#[test]
fn triage_marks_act_on_all_of_them_as_one_batch() {
    let fx = Fixture::new(60);
    let ctx = fx.ctx(Pane::Triage);
    let mut t = Triage::default();
    t.refresh(&ctx);
    t.handle(&Action::Mark, &ctx);
    t.handle(&Action::Down, &ctx);
    t.handle(&Action::Down, &ctx);
    t.handle(&Action::MarkRange, &ctx);
    assert_eq!(t.marks.ids.len(), 3);
    let e = effects(t.handle(&Action::Done, &ctx));
    let (req, then) = request(&e);
    assert_eq!(ids_of(req).len(), 3);
    let Request::Batch(b) = req else { panic!() };
    let BatchAction::Log(log) = &b.action else {
        panic!("{:?}", b.action)
    };
    // Each contact's own item: what the log fulfils for each.
    assert_eq!(log.completes, Completes::Fulfilled);
    assert_eq!(*then, Then::Status);
    // Esc unmarks first.
    t.handle(&Action::Clear, &ctx);
    assert!(t.marks.is_empty());
}

#[test]
fn triage_x_on_marks_skips_each_marked_item_as_one_batch() {
    let fx = Fixture::new(60);
    let ctx = fx.ctx(Pane::Triage);
    let mut t = Triage::default();
    t.refresh(&ctx);
    let one = t.selected(&ctx).unwrap();
    // Alone: exactly the selected item's touch.
    let e = effects(t.handle(&Action::Skip, &ctx));
    let (req, _) = request(&e);
    let Request::Skip(s) = req else {
        panic!("{req:?}")
    };
    assert_eq!(s.contact, ContactRef::Id(one));
    assert_eq!(s.touch, fx.diary.item_touch(one));
    // Three marked: one batch of the three, each skipping its own due item.
    t.handle(&Action::Mark, &ctx);
    t.handle(&Action::Down, &ctx);
    t.handle(&Action::Down, &ctx);
    t.handle(&Action::MarkRange, &ctx);
    let marked: Vec<ContactId> = t.marks.ids.iter().copied().collect();
    assert_eq!(marked.len(), 3);
    let e = effects(t.handle(&Action::Skip, &ctx));
    let (req, then) = request(&e);
    let mut ids = ids_of(req);
    ids.sort_unstable();
    let mut want = marked.clone();
    want.sort_unstable();
    assert_eq!(ids, want);
    let Request::Batch(b) = req else { panic!() };
    let BatchAction::Skip(s) = &b.action else {
        panic!("{:?}", b.action)
    };
    assert_eq!(
        s.touch, None,
        "each contact's own due item, not the first one's touch"
    );
    assert_eq!(*then, Then::Status);
}

#[test]
fn triage_orders_by_value_and_filters_by_category() {
    let fx = Fixture::new(200);
    let ctx = fx.ctx(Pane::Triage);
    let mut t = Triage::default();
    t.refresh(&ctx);
    let all = t.rows.len();
    t.handle(&Action::SortBy(Order::Value), &ctx);
    let values: Vec<i64> = t
        .rows
        .iter()
        .map(|&r| fx.diary.values.get(r).copied().unwrap_or(0))
        .collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    let k = fx.diary.roster.categories.first().unwrap().id;
    t.handle(&Action::SetCategory(Some(k)), &ctx);
    assert!(t.rows.len() < all);
    assert!(
        t.rows
            .iter()
            .all(|&r| fx.diary.profile(r).unwrap().category == Some(k))
    );
    t.handle(&Action::ClearFilter, &ctx);
    assert_eq!(t.rows.len(), all);
}

#[test]
fn lybunt_lists_by_last_years_value_and_p_asks_a_date_naming_the_contact() {
    let fx = Fixture::new(300);
    let ctx = fx.ctx(Pane::Lybunt);
    assert!(!fx.diary.lybunt.is_empty());
    let mut l = Lybunt::default();
    l.refresh(&ctx);
    let id = l.selected(&ctx).unwrap();
    assert_eq!(Some(id), fx.diary.lybunt.first().map(|(_, e)| e.contact));
    let e = effects(l.handle(&Action::Plan, &ctx));
    let Some(Effect::Push(layer)) = e.first() else {
        panic!("{e:?}")
    };
    let prompt = layer.as_any().downcast_ref::<Prompt>().unwrap();
    assert_eq!(prompt.kind, PromptKind::PlanDate { contacts: vec![id] });
    assert!(prompt.label.contains(&format!("c{id}")), "{}", prompt.label);
}

#[test]
fn a_prompt_keeps_what_was_typed_and_a_bad_date_is_said() {
    let fx = Fixture::new(30);
    let ctx = fx.ctx(Pane::Triage);
    let ids: Vec<ContactId> = fx
        .diary
        .roster
        .rows
        .iter()
        .take(2)
        .map(|(p, _)| p.id)
        .collect();
    let mut p = Prompt::new(
        PromptKind::SnoozeDate {
            contacts: ids.clone(),
        },
        &ctx,
    );
    for c in "nonsense".chars() {
        p.handle(&Action::Char(c), &ctx);
    }
    let e = effects(p.handle(&Action::Submit, &ctx));
    assert!(matches!(e.as_slice(), [Effect::Fail(_)]), "{e:?}");
    assert_eq!(p.line.text(), "nonsense", "kept for a correction");
    p.line = super::widgets::line::LineEdit::default();
    for c in "+1w".chars() {
        p.handle(&Action::Char(c), &ctx);
    }
    let e = effects(p.handle(&Action::Submit, &ctx));
    let (req, then) = request(&e);
    assert_eq!(ids_of(req), ids);
    let Request::Batch(b) = req else { panic!() };
    let BatchAction::Snooze(s) = &b.action else {
        panic!()
    };
    assert_eq!(s.until, today() + Days::new(7));
    assert_eq!(*then, Then::Close, "the prompt closes once it succeeded");
}

#[test]
fn the_snooze_menu_snoozes_a_week_with_one_key() {
    let fx = Fixture::new(30);
    let ctx = fx.ctx(Pane::Triage);
    let id = fx.diary.roster.rows[0].0.id;
    let Effect::Push(mut chord) = Chord::snooze(vec![id], &ctx) else {
        panic!()
    };
    let e = effects(chord.handle(&Action::Char('w'), &ctx));
    assert!(matches!(e.first(), Some(Effect::Pop)), "{e:?}");
    let (req, _) = request(&e);
    let Request::Snooze(s) = req else {
        panic!("{req:?}")
    };
    assert_eq!(s.until, today() + Days::new(7));
    assert_eq!(s.contact, ContactRef::Id(id));
}

#[test]
fn the_stage_picker_moves_and_moving_out_asks_the_reason() {
    let fx = Fixture::new(30);
    let ctx = fx.ctx(Pane::Triage);
    let id = fx.diary.roster.rows[0].0.id;
    let kind = PickerKind::Stage { contacts: vec![id] };
    let mut p = Picker::new(kind.clone(), &ctx);
    let qualified = Stage::ALL
        .iter()
        .position(|s| *s == Stage::Qualified)
        .unwrap();
    let e = effects(p.handle(&Action::Pick(qualified), &ctx));
    let (req, _) = request(&e);
    let Request::Move(m) = req else {
        panic!("{req:?}")
    };
    assert_eq!(m.target, Stage::Qualified);
    let mut p = Picker::new(kind, &ctx);
    let out = Stage::ALL.iter().position(|s| s.is_out()).unwrap();
    let e = effects(p.handle(&Action::Pick(out), &ctx));
    assert!(
        e.iter()
            .any(|e| matches!(e, Effect::Push(l) if l.as_any().is::<Picker>())),
        "the reason picker: {e:?}"
    );
    assert!(!e.iter().any(|e| matches!(e, Effect::Act { .. })));
}

#[test]
fn help_scrolls_and_filters() {
    let fx = Fixture::new(10);
    let ctx = fx.ctx(Pane::Triage);
    let mut h = Help::default();
    h.handle(&Action::PageDown, &ctx);
    assert!(h.top > 0);
    h.handle(&Action::Top, &ctx);
    assert_eq!(h.top, 0);
    h.handle(&Action::Search, &ctx);
    assert!(h.filtering);
    for c in "snooze".chars() {
        h.handle(&Action::Char(c), &ctx);
    }
    assert_eq!(h.filter.text(), "snooze");
    let e = effects(h.handle(&Action::Cancel, &ctx));
    assert!(e.is_empty(), "Esc clears the filter first: {e:?}");
    assert_eq!(h.filter.text(), "");
    let e = effects(h.handle(&Action::Cancel, &ctx));
    assert!(matches!(e.as_slice(), [Effect::Pop]), "then closes: {e:?}");
}

#[test]
fn calendar_moves_by_day_week_and_month_and_enter_goes_into_the_days_list() {
    let fx = Fixture::new(200);
    let ctx = fx.ctx(Pane::Calendar);
    let mut c = Calendar::new(today());
    c.handle(&Action::Down, &ctx);
    assert_eq!(c.cursor, today() + Days::new(7));
    c.handle(&Action::Left, &ctx);
    assert_eq!(c.cursor, today() + Days::new(6));
    c.handle(&Action::NextMonth, &ctx);
    assert_eq!(c.cursor, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap());
    c.handle(&Action::Today, &ctx);
    assert_eq!(c.cursor, today());
    let due = fx.diary.due_on(today());
    assert!(due.len() >= 2, "the demo's today has work: {}", due.len());
    let id = |i: usize| fx.diary.profile(due[i]).unwrap().id;
    // On the month, a contact key is not the calendar's.
    assert!(matches!(c.handle(&Action::Done, &ctx), Handled::Ignored));
    c.handle(&Action::Open, &ctx);
    assert!(c.in_list);
    c.handle(&Action::Down, &ctx);
    assert_eq!(c.selected(&ctx), Some(id(1)));
    let e = effects(c.handle(&Action::Open, &ctx));
    assert!(
        matches!(e.as_slice(), [Effect::Open(x)] if *x == id(1)),
        "{e:?}"
    );
    // Two of the day marked: one plan prompt for both.
    c.handle(&Action::Mark, &ctx);
    c.handle(&Action::Up, &ctx);
    c.handle(&Action::Mark, &ctx);
    let e = effects(c.handle(&Action::Plan, &ctx));
    let Some(Effect::Push(layer)) = e.first() else {
        panic!("{e:?}")
    };
    let prompt = layer.as_any().downcast_ref::<Prompt>().unwrap();
    assert_eq!(
        prompt.kind,
        PromptKind::PlanDate {
            contacts: vec![id(0), id(1)]
        }
    );
    // Esc unmarks, then leaves the list for the month.
    c.handle(&Action::Clear, &ctx);
    assert!(c.marks.is_empty() && c.in_list);
    c.handle(&Action::Clear, &ctx);
    assert!(!c.in_list);
}

#[test]
fn pipeline_moves_a_card_a_stage_on_and_marked_cards_together() {
    let fx = Fixture::new(200);
    let ctx = fx.ctx(Pane::Pipeline);
    let mut p = Pipeline::default();
    p.refresh(&ctx);
    assert!(p.columns[0].len() >= 2, "{:?}", p.columns[0].len());
    let first = p.selected(&ctx).unwrap();
    let e = effects(p.handle(&Action::StageRight, &ctx));
    let (req, _) = request(&e);
    let Request::Move(m) = req else {
        panic!("{req:?}")
    };
    assert_eq!((&m.contact, m.target), (&ContactRef::Id(first), COLUMNS[1]));
    // Nothing left of the first column.
    assert!(effects(p.handle(&Action::StageLeft, &ctx)).is_empty());
    p.handle(&Action::Mark, &ctx);
    p.handle(&Action::Down, &ctx);
    p.handle(&Action::Mark, &ctx);
    let second = p.selected(&ctx).unwrap();
    let e = effects(p.handle(&Action::StageRight, &ctx));
    let (req, _) = request(&e);
    assert_eq!(ids_of(req), [first, second]);
    let Request::Batch(b) = req else { panic!() };
    assert!(matches!(&b.action, BatchAction::Move(m) if m.target == COLUMNS[1]));
    p.handle(&Action::Clear, &ctx);
    assert!(p.marks.is_empty());
    // Into stay-in-touch, a move out: the reason is asked first.
    p.handle(&Action::Right, &ctx);
    p.handle(&Action::Right, &ctx);
    p.handle(&Action::Right, &ctx);
    assert_eq!(COLUMNS[p.col], Stage::Customer);
    assert!(p.selected(&ctx).is_some(), "the demo has customers");
    let e = effects(p.handle(&Action::StageRight, &ctx));
    assert!(
        matches!(e.as_slice(), [Effect::Push(l)] if l.as_any().is::<Picker>()),
        "{e:?}"
    );
}

#[test]
fn the_contact_pane_acts_on_its_contact_and_opens_its_notes_and_fields() {
    let fx = Fixture::new(30);
    let ctx = fx.ctx(Pane::Contact);
    let mut pane = ContactPane::default();
    assert!(matches!(pane.handle(&Action::Done, &ctx), Handled::Ignored));
    let c = fx.contacts[3].clone();
    let row = fx.diary.row_of(c.id).unwrap();
    pane.view = Some(ContactView {
        contact: c.clone(),
        facts: fx.diary.roster.rows[row].1.clone(),
        touches: Vec::new(),
        sales: Vec::new(),
        due: fx.diary.due(row).cloned(),
        scroll: 0,
        carried: std::collections::HashMap::new(),
        suggested: None,
    });
    let e = effects(pane.handle(&Action::EditNotes, &ctx));
    let [Effect::Push(layer)] = e.as_slice() else {
        panic!("{e:?}")
    };
    let editor = layer.as_any().downcast_ref::<NotesEditor>().unwrap();
    assert_eq!(
        (editor.contact, editor.base.as_str()),
        (c.id, c.notes.as_str())
    );
    let e = effects(pane.handle(&Action::EditContact, &ctx));
    let [Effect::Push(layer)] = e.as_slice() else {
        panic!("{e:?}")
    };
    let form = layer.as_any().downcast_ref::<Form>().unwrap();
    assert_eq!(form.get("name"), c.name);
    let e = effects(pane.handle(&Action::Skip, &ctx));
    let (req, _) = request(&e);
    assert!(
        matches!(req, Request::Skip(s) if s.contact == ContactRef::Id(c.id)),
        "{req:?}"
    );
}

#[test]
fn the_insights_pane_scrolls_its_charts_and_asks_for_the_figures() {
    let fx = Fixture::new(10);
    let ctx = fx.ctx(Pane::Insights);
    let mut pane = InsightsPane::default();
    assert!(matches!(
        pane.loads(&ctx).as_slice(),
        [Effect::LoadInsights]
    ));
    for _ in 0..10 {
        pane.handle(&Action::Down, &ctx);
    }
    assert_eq!(pane.top, CHARTS - 1);
    pane.handle(&Action::Up, &ctx);
    assert_eq!(pane.top, CHARTS - 2);
    pane.handle(&Action::Top, &ctx);
    assert_eq!(pane.top, 0);
    assert!(matches!(pane.handle(&Action::Done, &ctx), Handled::Ignored));
}

mod layers;
