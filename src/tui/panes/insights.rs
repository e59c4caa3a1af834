//! Insights: five charts of the diary's health, drawn with ratatui's chart widgets from the
//! figures in the model (computed by `planner::insights` when the pane opens and after writes; the
//! same struct `tickler insights --json` prints). Each chart has a one-line caption with the number
//! that matters. Wide terminals show all five (two columns, channels across the bottom; the weeks
//! of keeping in touch as a line `Chart`); smaller ones stack as many as fit (the weeks as
//! sparklines), `j`/`k` scrolling by one chart.

use super::super::action::Action;
use super::super::component::{Component, Ctx, Effect, Handled};
use super::super::theme::Theme;
use super::super::widgets::fit;
use crate::model::Stage;
use crate::planner::Insights;
use crate::planner::insights::{WeekTouches, percent};
use crate::text::amounts;
pub use crate::text::thousands;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Borders, Chart, Dataset, GraphType, LineGauge, Paragraph,
    Sparkline,
};

/// The charts, in order: keeping in touch, LYBUNT, pipeline, why they said no, channels.
pub const CHARTS: usize = 5;
/// The smallest height (borders included) each chart is drawn at.
const MIN_HEIGHT: [u16; CHARTS] = [9, 10, 9, 10, 15];
const TITLES: [&str; CHARTS] = [
    "Keeping in touch",
    "LYBUNT: last year's buyers, not yet this year",
    "Pipeline (contacts, median days in stage)",
    "Why they said no (said no │ came back within a year)",
    "Channels, last 12 months (touches, followed by a move or a sale)",
];

/// All five side by side from this size of the pane's area on.
pub fn is_wide(area: Rect) -> bool {
    area.width >= 120 && area.height >= 36
}

/// The charts shown in `area` when the first one is `top`, with their areas, and the header line.
pub fn layout(area: Rect, top: usize) -> (Rect, Vec<(usize, Rect)>) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    if is_wide(area) {
        let [upper, middle, lower] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(MIN_HEIGHT[4]),
        ])
        .areas(body);
        let halves = |r: Rect| -> [Rect; 2] {
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(r)
        };
        let [a, b] = halves(upper);
        let [c, d] = halves(middle);
        return (head, vec![(0, a), (1, b), (2, c), (3, d), (4, lower)]);
    }
    let top = top.min(CHARTS - 1);
    let mut shown = Vec::new();
    let mut used = 0u16;
    for (i, &h) in MIN_HEIGHT.iter().enumerate().skip(top) {
        if !shown.is_empty() && used.saturating_add(h) > body.height {
            break;
        }
        shown.push((i, h));
        used = used.saturating_add(h);
    }
    // The room left goes to the last chart shown.
    let extra = body.height.saturating_sub(used);
    if let Some(last) = shown.last_mut() {
        last.1 = last.1.saturating_add(extra);
    }
    let mut y = body.y;
    let mut out = Vec::new();
    for (i, h) in shown {
        let h = h.min(body.bottom().saturating_sub(y));
        out.push((i, Rect::new(body.x, y, body.width, h)));
        y = y.saturating_add(h);
    }
    (head, out)
}

/// The Insights pane: the figures (read when the pane opens and after every write while it is
/// open; `None` while stale) and the first chart shown when they do not all fit.
#[derive(Debug, Default)]
pub struct InsightsPane {
    pub data: Option<Insights>,
    pub top: usize,
}

impl Component for InsightsPane {
    fn handle(&mut self, action: &Action, _ctx: &Ctx<'_>) -> Handled {
        self.top = match action {
            Action::Up => self.top.saturating_sub(1),
            Action::Down => (self.top + 1).min(CHARTS - 1),
            Action::PageUp | Action::Top => 0,
            Action::PageDown | Action::Bottom => CHARTS - 1,
            _ => return Handled::Ignored,
        };
        Handled::done()
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, area: Rect) {
        let currency = &ctx.diary.roster.settings.default_currency;
        match &self.data {
            Some(ins) => draw(ctx.theme, currency, ins, self.top, f, area),
            None => f.render_widget(
                Paragraph::new(Span::styled(crate::text::words::COMPUTING, ctx.theme.dim)),
                area,
            ),
        }
    }

    fn hit(&self, _: &Ctx<'_>, _: Rect, _: u16, _: u16) -> Option<Action> {
        None
    }

    fn selected(&self, _: &Ctx<'_>) -> Option<crate::model::ContactId> {
        None
    }

    fn loads(&self, _: &Ctx<'_>) -> Vec<Effect> {
        if self.data.is_none() {
            vec![Effect::LoadInsights]
        } else {
            Vec::new()
        }
    }

    fn hints(&self, _: &Ctx<'_>) -> String {
        "j/k charts · the figures of `tickler insights`".to_string()
    }
}

/// The figures, the first chart shown being `top`.
pub fn draw(m: &Theme, currency: &str, ins: &Insights, top: usize, f: &mut Frame<'_>, area: Rect) {
    let (head, charts) = layout(area, top);
    let first = charts.first().map_or(0, |c| c.0) + 1;
    let last = charts.last().map_or(0, |c| c.0) + 1;
    let more = if charts.len() < CHARTS {
        format!(" · charts {first}-{last} of {CHARTS} (j/k)")
    } else {
        String::new()
    };
    let text = format!(" Insights on {}{more} · as `tickler insights`", ins.today);
    f.render_widget(
        Paragraph::new(Span::styled(fit(&text, usize::from(head.width)), m.dim)),
        head,
    );
    let captions = captions(ins, currency);
    let wide = is_wide(area);
    for (i, rect) in charts {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {} ", TITLES[i]), m.title));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        if inner.height == 0 {
            continue;
        }
        let [caption, chart] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        f.render_widget(
            Paragraph::new(Span::styled(
                fit(&captions[i], usize::from(caption.width)),
                m.base,
            )),
            caption,
        );
        match i {
            0 => keeping_in_touch(m, ins, f, chart, wide),
            1 => lybunt(m, ins, f, chart),
            2 => pipeline(m, ins, f, chart),
            3 => reasons(m, ins, f, chart),
            _ => channels(m, ins, f, chart),
        }
    }
}

/// A short amount for a bar: `640`, `6.4k`, `64k`, `2.4M`.
fn short(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..10_000 => format!("{:.1}k", n as f64 / 1e3),
        10_000..1_000_000 => format!("{}k", n / 1_000),
        1_000_000..10_000_000 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{}M", n / 1_000_000),
    }
}

fn pct(p: Option<u32>) -> String {
    p.map_or_else(|| "-".to_string(), |p| format!("{p}%"))
}

/// The LYBUNT chart's caption: the money at stake (per currency, never added), how many
/// customers, how much of it is at risk.
fn lybunt_caption(l: &crate::planner::insights::LybuntFigures, currency: &str) -> String {
    format!(
        "{} at stake · {} customers · {}",
        amounts(
            l.totals.iter().map(|t| (t.currency.as_str(), t.cents)),
            currency
        ),
        thousands(u64::from(l.contacts)),
        l.risk_phrase(&amounts(
            l.totals
                .iter()
                .filter(|t| t.at_risk_cents > 0)
                .map(|t| (t.currency.as_str(), t.at_risk_cents)),
            currency
        )),
    )
}

/// The one-line caption of each chart: the number that matters first.
pub fn captions(i: &Insights, currency: &str) -> [String; CHARTS] {
    let k = &i.keeping_in_touch;
    let stages = &i.pipeline.stages;
    let active: u32 = stages
        .iter()
        .filter(|s| s.stage.is_prospect())
        .map(|s| s.contacts)
        .sum();
    let medians: Vec<String> = stages
        .iter()
        .filter(|s| s.stage.is_prospect())
        .map(|s| {
            let d = s
                .median_days
                .map_or_else(|| "-".to_string(), |d| d.to_string());
            format!("{} {d}", s.stage)
        })
        .collect();
    let n = &i.no_reasons;
    let best_reason = n
        .reasons
        .iter()
        .filter(|r| r.said_no > 0)
        .max_by_key(|r| (percent(r.came_back, r.said_no), r.said_no));
    let c = &i.channels;
    let floor = (c.touches / 100).max(10);
    let best_channel = c
        .channels
        .iter()
        .filter(|f| f.touches >= floor)
        .max_by_key(|f| (f.followed_percent, f.touches));
    [
        format!(
            "{} of {} kept contacts within their cadence · {} at risk · {} adrift",
            pct(k.within_cadence_percent),
            thousands(u64::from(k.kept)),
            thousands(u64::from(k.at_risk)),
            thousands(u64::from(k.adrift)),
        ),
        lybunt_caption(&i.lybunt, currency),
        format!(
            "{} in the active pipeline · median days {}",
            thousands(u64::from(active)),
            medians.join(", ")
        ),
        format!(
            "{} {}, {} came back within a year ({}){}",
            thousands(u64::from(n.said_no)),
            if n.said_no == 1 { "no" } else { "noes" },
            thousands(u64::from(n.came_back)),
            pct(percent(n.came_back, n.said_no)),
            best_reason.map_or_else(String::new, |r| format!(
                " · most: {} {}",
                r.reason,
                pct(percent(r.came_back, r.said_no))
            )),
        ),
        format!(
            "{} touches, {} followed by a move or a sale in 60 days{}",
            thousands(u64::from(c.touches)),
            pct(percent(c.followed, c.touches)),
            best_channel.map_or_else(String::new, |f| format!(
                " · best: {} {}",
                f.channel,
                pct(f.followed_percent)
            )),
        ),
    ]
}

/// Each week's count repeated to fill `width` columns.
fn stretch(values: &[u32], width: u16) -> Vec<u64> {
    let per = (usize::from(width) / values.len().max(1)).max(1);
    values
        .iter()
        .flat_map(|&v| std::iter::repeat_n(u64::from(v), per))
        .collect()
}

fn keeping_in_touch(m: &Theme, i: &Insights, f: &mut Frame<'_>, area: Rect, wide: bool) {
    let k = &i.keeping_in_touch;
    let [gauge, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let ratio = if k.kept == 0 {
        0.0
    } else {
        f64::from(k.within_cadence) / f64::from(k.kept)
    };
    f.render_widget(
        LineGauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(format!("{} within cadence ", pct(k.within_cadence_percent)))
            .filled_symbol("█")
            .unfilled_symbol("░")
            .filled_style(m.ok)
            .unfilled_style(m.dim),
        gauge,
    );
    if wide {
        weekly_chart(m, i, f, rest);
    } else {
        weekly_sparklines(m, i, f, rest);
    }
}

/// The 26 weeks as two sparklines, one under the other (small terminals).
fn weekly_sparklines(m: &Theme, i: &Insights, f: &mut Frame<'_>, area: Rect) {
    let k = &i.keeping_in_touch;
    let [l1, s1, l2, s2] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    let first = k.weeks.first().map_or(i.today, |w| w.start);
    let personal: Vec<u32> = k.weeks.iter().map(|w| w.personal).collect();
    let broadcast: Vec<u32> = k.weeks.iter().map(|w| w.broadcast).collect();
    let label = |text: String, r: Rect, f: &mut Frame<'_>| {
        f.render_widget(
            Paragraph::new(Span::styled(fit(&text, usize::from(r.width)), m.dim)),
            r,
        );
    };
    label(
        format!(
            "personal touches per week since {first}: {} in 26 weeks",
            thousands(u64::from(k.personal))
        ),
        l1,
        f,
    );
    f.render_widget(
        Sparkline::default()
            .data(stretch(&personal, s1.width))
            .style(m.title),
        s1,
    );
    label(
        format!(
            "broadcast touches per week: {} in 26 weeks",
            thousands(u64::from(k.broadcast))
        ),
        l2,
        f,
    );
    f.render_widget(
        Sparkline::default()
            .data(stretch(&broadcast, s2.width))
            .style(m.due),
        s2,
    );
}

/// The 26 weeks on one chart (wide terminals): personal touches as a line, broadcast touches as
/// stems (they come in bursts, a line between mailings would invent slopes). The two differ by
/// marker as well as colour, so they stay apart in mono. The legend is the line above the plot:
/// the chart's own legend box is drawn over the data without clearing it.
fn weekly_chart(m: &Theme, i: &Insights, f: &mut Frame<'_>, area: Rect) {
    let k = &i.keeping_in_touch;
    let [legend, plot] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let first = k.weeks.first().map_or(i.today, |w| w.start);
    let text = [
        Span::styled(
            format!("⣀⣀ personal {}", thousands(u64::from(k.personal))),
            m.title,
        ),
        Span::styled("  ", m.dim),
        Span::styled(
            format!("•• broadcast {}", thousands(u64::from(k.broadcast))),
            m.due,
        ),
        Span::styled(format!("  touches per week since {first}"), m.dim),
    ];
    f.render_widget(Paragraph::new(Line::from(text.to_vec())), legend);
    if plot.height < 3 || plot.width < 12 {
        return;
    }
    let points = |pick: fn(&WeekTouches) -> u32| -> Vec<(f64, f64)> {
        k.weeks
            .iter()
            .enumerate()
            .map(|(n, w)| (n as f64, f64::from(pick(w))))
            .collect()
    };
    let personal = points(|w| w.personal);
    let broadcast = points(|w| w.broadcast);
    let top = k
        .weeks
        .iter()
        .map(|w| w.personal.max(w.broadcast))
        .max()
        .unwrap_or(0)
        .max(1);
    let last = k.weeks.len().saturating_sub(1);
    let date = |n: usize| {
        k.weeks
            .get(n)
            .map_or_else(String::new, |w| w.start.to_string())
    };
    let datasets = vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(m.title)
            .data(&personal),
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Bar)
            .style(m.due)
            .data(&broadcast),
    ];
    f.render_widget(
        Chart::new(datasets)
            .x_axis(
                Axis::default()
                    .style(m.dim)
                    .bounds([0.0, last.max(1) as f64])
                    .labels_alignment(Alignment::Right)
                    .labels([date(0), date(last / 2), date(last)]),
            )
            .y_axis(
                Axis::default()
                    .style(m.dim)
                    .bounds([0.0, f64::from(top)])
                    .labels(["0".to_string(), thousands(u64::from(top))]),
            )
            .legend_position(None),
        plot,
    );
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn lybunt(m: &Theme, i: &Insights, f: &mut Frame<'_>, area: Rect) {
    let months = &i.lybunt.months;
    let n = u16::try_from(months.len().max(1)).unwrap_or(12);
    let width = (area.width.saturating_sub(n - 1) / n).clamp(1, 9);
    let bars: Vec<Bar<'_>> = months
        .iter()
        .map(|mv| {
            let name = MONTHS
                .get(usize::try_from(mv.month).unwrap_or(1).saturating_sub(1))
                .copied()
                .unwrap_or("?");
            let label = if width >= 3 { name } else { &name[..1] };
            let whole = u64::try_from(mv.cents / 100).unwrap_or(0);
            Bar::default()
                .value(whole)
                .text_value(short(whole))
                .label(Line::from(label.to_string()))
        })
        .collect();
    f.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(width)
            .bar_gap(1)
            .bar_style(m.at_risk)
            .value_style(m.selected)
            .label_style(m.dim),
        area,
    );
}

fn stage_style(m: &Theme, s: Stage) -> Style {
    match s {
        Stage::Customer => m.ok,
        Stage::StayInTouch | Stage::Archived => m.dim,
        _ => m.title,
    }
}

fn pipeline(m: &Theme, i: &Insights, f: &mut Frame<'_>, area: Rect) {
    let bars: Vec<Bar<'_>> = i
        .pipeline
        .stages
        .iter()
        .map(|s| {
            let median = s
                .median_days
                .map_or_else(|| "-".to_string(), |d| format!("{d} d"));
            // The numbers go in the label: a value drawn over a short horizontal bar garbles.
            Bar::default()
                .value(u64::from(s.contacts))
                .text_value(String::new())
                .label(Line::from(format!(
                    "{:<13} {:>7} {:>7}",
                    s.stage.as_str(),
                    thousands(u64::from(s.contacts)),
                    median
                )))
                .style(stage_style(m, s.stage))
        })
        .collect();
    let gap = u16::from(area.height >= 12);
    f.render_widget(
        BarChart::default()
            .direction(Direction::Horizontal)
            .data(BarGroup::default().bars(&bars))
            .bar_width(1)
            .bar_gap(gap)
            .label_style(m.dim),
        area,
    );
}

/// Short reason names for the bar groups, in the order of `NoReason::NAMES`.
const REASON_LABELS: [&str; 8] = [
    "need", "interest", "money", "hurry", "h:work", "h:procr", "h:prior", "not fit",
];

fn reasons(m: &Theme, i: &Insights, f: &mut Frame<'_>, area: Rect) {
    let list = &i.no_reasons.reasons;
    let n = u16::try_from(list.len().max(1)).unwrap_or(8);
    let group = (area.width.saturating_sub(n - 1) / n).max(2);
    let bar = (group / 2).clamp(1, 6);
    let groups: Vec<BarGroup<'_>> = list
        .iter()
        .zip(REASON_LABELS)
        .map(|(r, label)| {
            let said = u64::from(r.said_no);
            let back = u64::from(r.came_back);
            BarGroup::default().label(Line::from(label)).bars(&[
                Bar::default()
                    .value(said)
                    .text_value(short(said))
                    .style(m.due)
                    .value_style(m.selected),
                Bar::default()
                    .value(back)
                    .text_value(short(back))
                    .style(m.ok)
                    .value_style(m.selected),
            ])
        })
        .collect();
    let mut chart = BarChart::default()
        .bar_width(bar)
        .bar_gap(0)
        .group_gap(1)
        .label_style(m.dim);
    for g in groups {
        chart = chart.data(g);
    }
    f.render_widget(chart, area);
}

fn channels(m: &Theme, i: &Insights, f: &mut Frame<'_>, area: Rect) {
    let c = &i.channels;
    let overall = percent(c.followed, c.touches).unwrap_or(0);
    let bars: Vec<Bar<'_>> = c
        .channels
        .iter()
        .map(|ch| {
            let works = ch.touches > 0 && ch.followed_percent.unwrap_or(0) > overall;
            Bar::default()
                .value(u64::from(ch.touches))
                .text_value(String::new())
                .label(Line::from(format!(
                    "{:<16} {:>7} {:>4}",
                    ch.channel.as_str(),
                    thousands(u64::from(ch.touches)),
                    pct(ch.followed_percent)
                )))
                .style(if works { m.ok } else { m.title })
        })
        .collect();
    f.render_widget(
        BarChart::default()
            .direction(Direction::Horizontal)
            .data(BarGroup::default().bars(&bars))
            .bar_width(1)
            .bar_gap(0)
            .label_style(m.dim),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_bars() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(short(640), "640");
        assert_eq!(short(6_400), "6.4k");
        assert_eq!(short(64_000), "64k");
        assert_eq!(short(2_412_457), "2.4M");
    }

    #[test]
    fn narrow_stacks_what_fits_and_wide_shows_all() {
        let (_, at_80x21) = layout(Rect::new(0, 1, 80, 21), 0);
        assert_eq!(at_80x21.iter().map(|c| c.0).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(at_80x21.iter().map(|c| c.1.height).sum::<u16>(), 20);
        let (_, last) = layout(Rect::new(0, 1, 80, 21), 4);
        assert_eq!(last.iter().map(|c| c.0).collect::<Vec<_>>(), vec![4]);
        let (_, tiny) = layout(Rect::new(0, 1, 40, 6), 0);
        assert_eq!(tiny.len(), 1);
        assert!(tiny[0].1.bottom() <= 7);
        let (_, wide) = layout(Rect::new(0, 1, 160, 45), 3);
        assert_eq!(wide.len(), CHARTS);
    }

    /// A model whose weeks have known counts: personal 3, 6, 9, … (26 weeks), broadcast 0 but
    /// a mailing of 90 in week 4.
    fn model_with_weeks(theme: crate::tui::theme::Theme) -> (Theme, Insights) {
        use crate::planner::insights::{Diary, insights};
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let settings = crate::model::Settings::default();
        let diary = Diary {
            settings: &settings,
            categories: &[],
            rows: &[],
            touches: &[],
            sales: &[],
            moves: &[],
        };
        let mut ins = insights(&diary, today);
        for (n, w) in ins.keeping_in_touch.weeks.iter_mut().enumerate() {
            w.personal = 3 * (u32::try_from(n).unwrap() + 1);
            w.broadcast = if n == 4 { 90 } else { 0 };
        }
        ins.keeping_in_touch.personal = 3 * (26 * 27 / 2);
        ins.keeping_in_touch.broadcast = 90;
        (theme, ins)
    }

    fn screen(m: &(Theme, Insights), w: u16, h: u16) -> Vec<String> {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
        t.draw(|f| draw(&m.0, "EUR", &m.1, 0, f, f.area())).unwrap();
        let buf = t.backend().buffer();
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect()
    }

    fn braille(s: &str) -> usize {
        s.chars()
            .filter(|c| ('\u{2801}'..='\u{28ff}').contains(c))
            .count()
    }

    #[test]
    fn wide_keeping_in_touch_is_a_chart_with_axes_and_a_legend() {
        for theme in [
            crate::tui::theme::Theme::dark(),
            crate::tui::theme::Theme::mono(),
        ] {
            let m = model_with_weeks(theme);
            let weeks = &m.1.keeping_in_touch.weeks;
            let dates = [weeks[0].start, weeks[12].start, weeks[25].start].map(|d| d.to_string());
            let rows = screen(&m, 160, 48);
            // The keeping-in-touch chart is the upper left quarter.
            let left: Vec<String> = rows[2..20]
                .iter()
                .map(|r| r.chars().take(80).collect())
                .collect();
            let all = left.join("\n");
            assert!(all.contains("⣀⣀ personal 1,053  •• broadcast 90"), "{all}");
            for d in &dates {
                assert!(all.contains(d.as_str()), "x label {d} missing:\n{all}");
            }
            // y axis from 0 to the highest week (the mailing, 90), labelled at both ends.
            let axis: Vec<&String> = left.iter().filter(|r| r.contains('│')).collect();
            assert!(axis.iter().any(|r| r.starts_with("│90│")), "{all}");
            assert!(axis.iter().any(|r| r.starts_with("│0 │")), "{all}");
            // The personal line in braille, the mailing as a stem of dots: marker, not colour.
            assert!(braille(&all) > 26, "{all}");
            let stem = left
                .iter()
                .filter(|r| r.chars().skip(4).any(|c| c == '•'))
                .count();
            assert!(stem >= 6, "the mailing's stem spans the plot:\n{all}");
            assert!(
                !all.contains("broadcast touches per week:"),
                "no sparklines:\n{all}"
            );
        }
    }

    #[test]
    fn the_chart_draws_at_the_edges_of_wide() {
        let m = model_with_weeks(crate::tui::theme::Theme::dark());
        for (w, h) in [(120, 37), (121, 38), (300, 90), (120, 200)] {
            let rows = screen(&m, w, h);
            assert!(braille(&rows.join("")) > 0, "{w}x{h}:\n{}", rows.join("\n"));
        }
    }

    #[test]
    fn small_keeping_in_touch_keeps_the_sparklines() {
        let m = model_with_weeks(crate::tui::theme::Theme::dark());
        let all = screen(&m, 80, 24).join("\n");
        assert_eq!(braille(&all), 0, "{all}");
        assert!(all.contains("personal touches per week since"), "{all}");
        assert!(
            all.contains("broadcast touches per week: 90 in 26 weeks"),
            "{all}"
        );
        assert!(all.contains('█'), "{all}");
    }
}
