//! The headline chart: over time, each party's acceptable range on the
//! front issue, the zone where the consenting parties' ranges meet, the
//! front line, marks and events.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::crowd::{self, Named};
use super::labels::{self, Label};
use super::legend::{self, Mark};
use super::{ChartError, FONT, Fired, INK, NO_ZONE, Ticks, ZONE, fired_events, shorten};
use crate::model::{IssueMark, Scenario};
use crate::sim::{Outcome, Timeline};
use crate::zone::Interval;

const LEGEND_WIDTH: u32 = 300;

/// The front line's colour: a light grey no party limit is drawn in.
const FRONT: RGBColor = RGBColor(200, 200, 200);
/// The issue's marks' names: a dark grey, like their dashed lines.
const MARK: RGBColor = RGBColor(100, 100, 100);
/// The limits of the parties a crowded chart does not name: a light grey
/// beneath the named ones.
const UNNAMED: RGBColor = RGBColor(185, 185, 185);

pub type Entries = Vec<(Mark, String)>;

/// The y range shown and the horizon, shared by every layer.
#[derive(Clone, Copy)]
struct Frame {
    y_lo: f64,
    y_hi: f64,
    /// Steps in the horizon.
    n: f64,
}

/// Draws the zone chart; with `side_legend` false the plot takes the
/// legend's panel too and the entries are only returned, for a page that
/// sets them in its own text at a size a room can read.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    tl: &Timeline,
    base: Option<(&Timeline, &str)>,
    side_legend: bool,
) -> Result<Entries, ChartError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (base, base_name) = (base.map(|b| b.0), base.map_or("", |b| b.1));
    let events = fired_events(sc, tl);
    let rows = listed(&events);
    let layout = EventLayout::of(rows.len());
    let (w, h) = root.dim_in_pixel();
    let (plot, foot) = root.split_vertically(h - layout.height());
    let (y_lo, y_hi) = match sc.chart_y {
        Some(fixed) => (fixed.low, fixed.high),
        None => {
            let (lo, hi) = view(sc, tl);
            base.map_or((lo, hi), |b| {
                let (blo, bhi) = view(sc, b);
                (lo.min(blo), hi.max(bhi))
            })
        }
    };
    let f = Frame {
        y_lo,
        y_hi,
        n: f64::from(sc.steps),
    };
    let runs: Vec<&Timeline> = std::iter::once(tl).chain(base).collect();
    let named = crowd::zone_named_over(sc, &runs);
    let names = line_labels(sc, tl, f, &named);
    let eps = sc.issues[sc.front_issue].range() * 1e-6;
    let column = labels::column_width(root, &names, eps);
    let legend_width = if side_legend { LEGEND_WIDTH } else { 0 };
    let (main, side) = plot.split_horizontally(w - legend_width);
    // The title spans the plot and its labels' column, centred over both.
    let main = main.margin(10, 0, 0, 0);
    let (title, size) = super::fitted_title(
        &main,
        &format!("{}: is there a zone of possible agreement?", sc.title),
        28,
    );
    let main = main.titled(&title, (FONT, size).into_font().color(&INK))?;
    let (main, _) = main.split_horizontally(main.dim_in_pixel().0 - column);
    let mut chart = axes(&main, sc, f)?;
    let mut entries: Entries = Vec::new();
    // Beneath everything a party draws, so a limit on the line stays seen.
    front_line(&mut chart, sc, tl, &mut entries)?;
    let cells = zone_cells(&mut chart, tl, sc.front_issue, f, &mut entries)?;
    let zone_shown = !cells.is_empty();
    party_limits(&mut chart, sc, tl, &named, &mut entries)?;
    thin_zone_on_top(&mut chart, &cells, f, &mut entries)?;
    nash_points(&mut chart, sc, tl, &mut entries)?;
    marks(&mut chart, sc, f)?;
    draw_events(&mut chart, &events, f.y_lo, f.y_hi, f.n)?;
    deal(&mut chart, sc, tl, f, &mut entries)?;
    // Over the greyed-out rest of a variant that ended in a deal, so the
    // scenario as written stays visible throughout.
    if let Some(base) = base {
        base_limits(&mut chart, sc, base, (base_name, &named), &mut entries)?;
    }
    if !zone_shown {
        chart.draw_series(std::iter::once(Text::new(
            "No zone at any step",
            ((f.n - 1.0) / 2.0, f.y_lo + (f.y_hi - f.y_lo) * 0.05),
            (FONT, 26)
                .into_font()
                .color(&NO_ZONE)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )))?;
    }
    name_lines(root, &chart, names, eps, w - legend_width)?;
    if side_legend {
        legend::draw(&side, "Legend", &entries)?;
    }
    event_list(&foot, sc, &rows, layout)?;
    Ok(entries)
}

/// How the fired events are listed under the plot: every one of them, in
/// one column up to six, then in two or three.
#[derive(Clone, Copy)]
struct EventLayout {
    columns: usize,
    rows: usize,
}

impl EventLayout {
    fn of(n: usize) -> EventLayout {
        let columns = match n {
            0..=6 => 1,
            7..=16 => 2,
            _ => 3,
        };
        EventLayout {
            columns,
            rows: n.div_ceil(columns),
        }
    }
    fn height(self) -> u32 {
        if self.rows == 0 {
            0
        } else {
            26 * self.rows as u32 + 34
        }
    }
    /// Characters a label may take in its column.
    fn width(self) -> usize {
        [110, 56, 34][self.columns - 1]
    }
}

fn axes<'a, DB: DrawingBackend>(
    main: &'a DrawingArea<DB, Shift>,
    sc: &Scenario,
    f: Frame,
) -> Result<Chart<'a, DB>, ChartError>
where
    DB::ErrorType: 'static,
{
    let issue = &sc.issues[sc.front_issue];
    let unit = if issue.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", issue.unit)
    };
    let mut chart = ChartBuilder::on(main)
        .margin(16)
        .margin_top(4)
        .x_label_area_size(56)
        .y_label_area_size(86)
        .build_cartesian_2d(-0.5..(f.n - 0.5), f.y_lo..f.y_hi)?;
    let x_title = format!("{} of the scenario", sc.step_unit);
    let y_title = format!("{}{unit}", issue.label);
    super::frame(
        &mut chart,
        (&x_title, Ticks::Whole),
        (&y_title, Ticks::Plain),
    )?;
    Ok(chart)
}

/// Each party's limits on the front issue, drawn as lines in its colour
/// where they are real limits (not the end of the axis). A party with no limit
/// on this issue at any step is listed as accepting the whole range, so no
/// party is invisible.
fn party_limits<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sc: &Scenario,
    tl: &Timeline,
    named: &Named,
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    // The parties not named go first, thin and grey, beneath the rest.
    let unnamed = (0..sc.parties.len()).filter(|&p| !named.names(p));
    for p in unnamed {
        for upper in [false, true] {
            for seg in contiguous(&limit_steps(sc, tl, p, upper)) {
                chart.draw_series(LineSeries::new(seg, UNNAMED.stroke_width(1)))?;
            }
        }
    }
    let n = named.parties.len();
    let colours = crowd::colours(sc, named);
    for (i, &p) in named.parties.iter().enumerate() {
        let party = &sc.parties[p];
        let colour = colours[i];
        // Earlier parties' lines are wider, so limits that coincide (Ukraine's
        // and Europe's at the front) show as nested stripes, none hidden.
        let width = (3 + 2 * (n - 1 - i) as u32).min(9);
        let accepts_something = tl.steps.iter().any(|s| s.ranges[p].is_some());
        let mut limited = false;
        for upper in [false, true] {
            let pts = limit_steps(sc, tl, p, upper);
            for seg in contiguous(&pts) {
                chart.draw_series(LineSeries::new(seg, colour.stroke_width(width)))?;
            }
            limited |= !pts.is_empty();
        }
        let left = tl
            .steps
            .iter()
            .find(|s| !s.engaged[p])
            .map_or(String::new(), |s| {
                format!(" (left at {} {})", sc.step_unit, s.step)
            });
        let veto = if party.veto {
            left
        } else {
            format!(" (no veto){left}")
        };
        let text = if !accepts_something {
            format!("{} accepts nothing{veto}", party.name)
        } else if limited {
            format!("{}{veto}", party.name)
        } else {
            format!("{} accepts the whole range{veto}", party.name)
        };
        entries.push((Mark::Line(colour, width), text));
    }
    let fewer = format!("binding at fewer {}s", sc.step_unit);
    let rest = named.rest_text("within the range", &fewer);
    if !rest.is_empty() {
        entries.push((Mark::Line(UNNAMED, 2), rest));
    }
    Ok(())
}

/// The names of the lines that reach the last step drawn: each party's
/// limits ("Russia: at least", only for a party still at the table) and the
/// issue's marks in view.
fn line_labels(sc: &Scenario, tl: &Timeline, f: Frame, named: &Named) -> Vec<Label> {
    let mut out = Vec::new();
    let present = |p: usize| tl.steps.last().is_some_and(|s| s.engaged[p]);
    let colours = crowd::colours(sc, named);
    for (&p, &colour) in named
        .parties
        .iter()
        .zip(&colours)
        .filter(|(p, _)| present(**p))
    {
        let party = &sc.parties[p];
        for (upper, word) in [(false, "at least"), (true, "at most")] {
            if let Some(&(end, value)) = limit_steps(sc, tl, p, upper).last() {
                out.push(Label {
                    value,
                    who: party.name.clone(),
                    word: word.into(),
                    colour,
                    end,
                });
            }
        }
    }
    let issue = &sc.issues[sc.front_issue];
    let shown = (issue.marks.iter()).filter(|m| (f.y_lo..=f.y_hi).contains(&m.value));
    out.extend(shown.map(|m| Label {
        value: m.value,
        who: shorten(&m.label, 32),
        word: String::new(),
        colour: MARK,
        end: f.n - 0.5,
    }));
    out
}

/// Names each line at the right of the plot, in the column between the
/// plot and the legend that ends at `column_end`.
fn name_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    names: Vec<Label>,
    eps: f64,
    column_end: u32,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let to_pixel = |x: f64, v: f64| chart.backend_coord(&(x, v));
    let col = labels::Column {
        edge: xs.end,
        top: ys.start,
        bottom: ys.end,
        width: column_end as i32 - xs.end,
        to_pixel: &to_pixel,
    };
    labels::draw(root, names, eps, &col)
}

/// A party's lower (or upper) limit on the front issue as a stepped line:
/// two points a step, where the limit is a real one (not the end of the
/// axis).
fn limit_steps(sc: &Scenario, tl: &Timeline, p: usize, upper: bool) -> Vec<(f64, f64)> {
    let issue = &sc.issues[sc.front_issue];
    let eps = issue.range() * 1e-6;
    (tl.steps.iter())
        // A party that walked away no longer limits anything.
        .filter(|s| s.engaged[p])
        .filter_map(|s| {
            let r = s.ranges[p]?;
            let v = if upper { r.high } else { r.low };
            let t = f64::from(s.step);
            (v > issue.min + eps && v < issue.max - eps).then_some([(t - 0.5, v), (t + 0.5, v)])
        })
        .flatten()
        .collect()
}

/// Another variant (the scenario as written, or one pinned on the page)
/// beneath this one: each party's limits as thin
/// dashed lines in its colour.
fn base_limits<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sc: &Scenario,
    base: &Timeline,
    (name, named): (&str, &Named),
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let colours = crowd::colours(sc, named);
    for p in 0..sc.parties.len() {
        let colour = match named.parties.iter().position(|&n| n == p) {
            Some(i) => colours[i],
            None => UNNAMED,
        };
        for upper in [false, true] {
            let pts = limit_steps(sc, base, p, upper);
            for seg in contiguous(&pts) {
                chart.draw_series(DashedLineSeries::new(seg, 5, 4, colour.stroke_width(1)))?;
            }
        }
    }
    entries.push((Mark::Dashed(INK, 1), format!("Dashed: {name}")));
    Ok(())
}

/// One step's zone on the chart: its step and its drawn low and high.
type Cell = (f64, f64, f64);

/// The zone, solid green, beneath the parties' lines. Returns the cells
/// drawn, so a zone too thin to show between the lines can be drawn again
/// on top of them.
fn zone_cells<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    tl: &Timeline,
    fi: usize,
    f: Frame,
    entries: &mut Entries,
) -> Result<Vec<Cell>, ChartError>
where
    DB::ErrorType: 'static,
{
    let min_height = (f.y_hi - f.y_lo) * 0.012;
    let cells: Vec<Cell> = tl
        .steps
        .iter()
        .filter_map(|s| {
            let Interval { low, high } = s.extent_on(fi)?;
            let mid = (low + high) / 2.0;
            let half = ((high - low) / 2.0).max(min_height / 2.0);
            Some((f64::from(s.step), mid - half, mid + half))
        })
        .collect();
    chart.draw_series(cells.iter().map(|&(t, lo, hi)| {
        Rectangle::new([(t - 0.5, lo), (t + 0.5, hi)], ZONE.mix(0.9).filled())
    }))?;
    chart.draw_series(cells.iter().map(|&(t, lo, hi)| {
        Rectangle::new(
            [(t - 0.5, lo), (t + 0.5, hi)],
            RGBColor(0, 90, 60).stroke_width(1),
        )
    }))?;
    entries.push((Mark::Block(ZONE), "Zone of possible agreement".into()));
    Ok(cells)
}

/// A zone narrower than the parties' widest line would lie under the lines
/// that bound it: those cells are drawn again above every line, as a strip
/// tall enough to see from the back of a room, and the legend says so.
fn thin_zone_on_top<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    cells: &[Cell],
    f: Frame,
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let seen = (f.y_hi - f.y_lo) * 0.03;
    let thin: Vec<Cell> = cells
        .iter()
        .filter(|c| c.2 - c.1 < seen)
        .map(|&(t, lo, hi)| {
            let mid = (lo + hi) / 2.0;
            (t, mid - seen / 2.0, mid + seen / 2.0)
        })
        .collect();
    if thin.is_empty() {
        return Ok(());
    }
    chart.draw_series(
        thin.iter()
            .map(|&(t, lo, hi)| Rectangle::new([(t - 0.45, lo), (t + 0.45, hi)], ZONE.filled())),
    )?;
    chart.draw_series(thin.iter().map(|&(t, lo, hi)| {
        Rectangle::new([(t - 0.45, lo), (t + 0.45, hi)], WHITE.stroke_width(1))
    }))?;
    entries.push((Mark::Block(ZONE), "Zone too thin to see: on top".into()));
    Ok(())
}

fn nash_points<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sc: &Scenario,
    tl: &Timeline,
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let nash: Vec<(f64, f64)> = tl
        .steps
        .iter()
        .filter(|s| s.point_is_nash && s.zone_exists())
        .map(|s| (f64::from(s.step), s.point[sc.front_issue]))
        .collect();
    if !nash.is_empty() {
        chart.draw_series(nash.iter().map(|&p| Circle::new(p, 4, WHITE.filled())))?;
        chart.draw_series(nash.iter().map(|&p| Circle::new(p, 4, INK.stroke_width(1))))?;
        entries.push((Mark::Dot, "Nash bargaining point".into()));
    }
    Ok(())
}

/// The issue's named reference values, dashed across the plot (named at
/// the right with the parties' limits).
fn marks<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sc: &Scenario,
    f: Frame,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let issue = &sc.issues[sc.front_issue];
    let shown = (issue.marks.iter()).filter(|m| (f.y_lo..=f.y_hi).contains(&m.value));
    for IssueMark { value: v, .. } in shown {
        chart.draw_series(DashedLineSeries::new(
            [(-0.5, *v), (f.n - 0.5, *v)],
            6,
            6,
            RGBColor(90, 90, 90).stroke_width(1),
        ))?;
    }
    Ok(())
}

/// The front line, wide and light grey, drawn first: a party's limit lying
/// on it shows on top of it, and the front stays visible on both sides.
fn front_line<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sc: &Scenario,
    tl: &Timeline,
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    if !sc.has_front {
        return Ok(());
    }
    let front: Vec<(f64, f64)> = tl
        .steps
        .iter()
        .flat_map(|s| {
            let t = f64::from(s.step);
            [(t - 0.5, s.front), (t + 0.5, s.front)]
        })
        .collect();
    chart.draw_series(LineSeries::new(front, FRONT.stroke_width(9)))?;
    entries.push((Mark::Line(FRONT, 9), sc.labels.front_line().into()));
    Ok(())
}

/// The deal's cross; after a deal the run is over, so the rest of the
/// horizon is greyed out.
fn deal<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    sc: &Scenario,
    tl: &Timeline,
    f: Frame,
    entries: &mut Entries,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let Outcome::Deal { step, settlement } = &tl.outcome else {
        return Ok(());
    };
    let after = f64::from(*step) + 0.5;
    if after < f.n - 0.5 {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(after, f.y_lo), (f.n - 0.5, f.y_hi)],
            RGBColor(238, 238, 238).filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            "deal reached: the run ends here",
            (after + 0.02 * f.n, f.y_lo + (f.y_hi - f.y_lo) * 0.06),
            (FONT, 20).into_font().color(&RGBColor(110, 110, 110)),
        )))?;
    }
    let p = (f64::from(*step), settlement[sc.front_issue]);
    chart.draw_series(std::iter::once(Cross::new(p, 10, INK.stroke_width(4))))?;
    entries.push((Mark::Cross, format!("Deal ({} {step})", sc.step_unit)));
    Ok(())
}

/// Every event under the plot, numbered as on the markers (their place in
/// the file), in as many columns as they need. An event that fired more
/// than once is one row that names its steps ("2.  weeks 1-4: ..."), so a
/// repeating event does not read as several events with one number.
fn event_list<DB: DrawingBackend>(
    foot: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    rows: &[ListedEvent],
    layout: EventLayout,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    if rows.is_empty() {
        return Ok(());
    }
    let style = (FONT, 18).into_font().color(&INK);
    foot.draw_text("Events", &(FONT, 19).into_font().color(&INK), (24, 4))?;
    let column_width = (foot.dim_in_pixel().0 as i32 - 40) / layout.columns as i32;
    for (i, row) in rows.iter().enumerate() {
        let (col, line) = (i / layout.rows, i % layout.rows);
        let when = steps_text(&sc.step_unit, &row.steps);
        let room = layout.width().saturating_sub(when.chars().count()).max(12);
        let text = format!("{}.  {when}: {}", row.number, shorten(&row.label, room));
        let at = (40 + column_width * col as i32, 30 + 26 * line as i32);
        foot.draw_text(&text, &style, at)?;
    }
    Ok(())
}

/// One row of the event list: an event and every step it fired at.
#[derive(Debug, Clone, PartialEq)]
struct ListedEvent {
    number: usize,
    label: String,
    steps: Vec<u32>,
}

/// The fired events, one row per event in the order of their first firing.
fn listed(events: &[Fired]) -> Vec<ListedEvent> {
    let mut rows: Vec<ListedEvent> = Vec::new();
    for e in events {
        match rows.iter_mut().find(|r| r.number == e.number) {
            Some(r) => r.steps.push(e.step),
            None => rows.push(ListedEvent {
                number: e.number,
                label: e.label.clone(),
                steps: vec![e.step],
            }),
        }
    }
    rows
}

/// "week 3", "weeks 1-4", "weeks 2, 5 and 9", or for many firings
/// "weeks 1, 3, ..., 19 (10 times)".
fn steps_text(unit: &str, steps: &[u32]) -> String {
    match steps {
        [] => String::new(),
        [one] => format!("{unit} {one}"),
        [first, .., last] if steps.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("{unit}s {first}-{last}")
        }
        [a, b, .., last] if steps.len() > 4 => {
            format!("{unit}s {a}, {b}, ..., {last} ({} times)", steps.len())
        }
        _ => {
            let all: Vec<String> = steps.iter().map(u32::to_string).collect();
            format!("{unit}s {}", crate::text::and_list(&all))
        }
    }
}

/// The part of the front issue worth showing: everything that moves (limits,
/// zone, front, settlement) with a margin, but at least a tenth of the range.
fn view(sc: &Scenario, tl: &Timeline) -> (f64, f64) {
    let issue = &sc.issues[sc.front_issue];
    let eps = issue.range() * 1e-6;
    let mut values: Vec<f64> = Vec::new();
    for s in &tl.steps {
        for r in s.ranges.iter().flatten() {
            values.extend(
                [r.low, r.high]
                    .into_iter()
                    .filter(|v| *v > issue.min + eps && *v < issue.max - eps),
            );
        }
        if let Some(z) = s.extent_on(sc.front_issue) {
            values.extend([z.low, z.high]);
        }
        if sc.has_front {
            values.push(s.front);
        }
    }
    if let Outcome::Deal { settlement, .. } = &tl.outcome {
        values.push(settlement[sc.front_issue]);
    }
    values.extend(issue.marks.iter().map(|m| m.value));
    if values.is_empty() {
        return (issue.min, issue.max);
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(issue.range() * 0.1);
    let mid = (lo + hi) / 2.0;
    let (mut a, mut b) = (mid - 0.75 * span, mid + 0.75 * span);
    if a < issue.min {
        b += issue.min - a;
        a = issue.min;
    }
    if b > issue.max {
        a -= b - issue.max;
        b = issue.max;
    }
    (a.max(issue.min), b)
}

type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A dashed line per step with events and the events' numbers at the top;
/// events of one step share a marker ("2,3"), and close markers are
/// staggered so their numbers do not collide.
fn draw_events<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    events: &[Fired],
    y_lo: f64,
    y_hi: f64,
    n: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let mut by_step: Vec<(u32, Vec<usize>)> = Vec::new();
    for Fired { step, number, .. } in events {
        match by_step.last_mut() {
            Some((s, nums)) if s == step => nums.push(*number),
            _ => by_step.push((*step, vec![*number])),
        }
    }
    let line_height = (y_hi - y_lo) * 0.045;
    let mut previous: Option<(f64, usize)> = None;
    for (step, numbers) in &by_step {
        let t = f64::from(*step);
        let row = match previous {
            Some((p, r)) if t - p < 0.04 * n + 1.0 => (r + 1) % 3,
            _ => 0,
        };
        previous = Some((t, row));
        chart.draw_series(DashedLineSeries::new(
            [(t, y_lo), (t, y_hi)],
            4,
            4,
            RGBColor(120, 120, 120).stroke_width(1),
        ))?;
        let label: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
        chart.draw_series(std::iter::once(Text::new(
            label.join(","),
            (t, y_hi - line_height * row as f64),
            (FONT, 18)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Top)),
        )))?;
    }
    Ok(())
}

/// Splits a stepped polyline where consecutive cells are not adjacent, so a
/// party's range is not joined across steps where it accepts nothing.
fn contiguous(pts: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    for pair in pts.chunks(2) {
        match out.last_mut() {
            Some(seg) if seg.last().is_some_and(|l| (l.0 - pair[0].0).abs() < 1e-9) => {
                seg.extend_from_slice(pair)
            }
            _ => out.push(pair.to_vec()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(step: u32, number: usize) -> Fired {
        Fired {
            step,
            number,
            label: format!("event {number}"),
        }
    }

    #[test]
    fn a_repeating_event_is_one_row_that_names_its_steps() {
        let events = [
            fired(0, 1),
            fired(1, 2),
            fired(2, 2),
            fired(2, 3),
            fired(3, 2),
        ];
        let rows = listed(&events);
        let numbers: Vec<usize> = rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 2, 3], "in the order of first firing");
        assert_eq!(rows[1].steps, [1, 2, 3]);
        assert_eq!(steps_text("week", &rows[1].steps), "weeks 1-3");
        assert_eq!(steps_text("week", &rows[2].steps), "week 2");
    }

    #[test]
    fn steps_apart_are_listed_and_many_are_counted() {
        assert_eq!(steps_text("day", &[2, 5, 9]), "days 2, 5 and 9");
        assert_eq!(
            steps_text("week", &[1, 3, 5, 7, 9]),
            "weeks 1, 3, ..., 9 (5 times)"
        );
    }
}
