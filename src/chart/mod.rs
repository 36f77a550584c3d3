//! Charts: one module per chart kind, each a function from plain data to
//! any plotters backend, so the same code draws the SVG and the PNG.
//!
//! Text is laid out with a font shipped in the repository (DejaVu Sans,
//! `assets/fonts/`), so PNGs render identically on a machine with no fonts
//! installed at all.

pub mod compare;
pub mod crowd;
mod gap;
pub mod issues;
mod labels;
pub mod legend;
pub mod mc;
pub mod outcome;
pub mod sensitivity;
pub mod simple;
pub mod sweep;
mod zone;

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use gap::draw as draw_gap;
pub use zone::draw as draw_zone;

use crate::model::Scenario;
use crate::output::Staged;
use crate::sim::{Step, Timeline};
use crate::text::shorten;

/// Sized for a projector: wide, with text readable from the back row.
pub const SIZE: (u32, u32) = (1280, 760);

pub const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in and known to be a valid font.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// The width in pixels of `text` drawn at `size` in the charts' font, as
/// the PNG draws it: what a chart's layout and its tests measure with.
pub fn text_width(text: &str, size: u32) -> u32 {
    register_font();
    let guess = (0.62 * f64::from(size) * text.chars().count() as f64) as u32;
    (FONT, size)
        .into_font()
        .box_size(text)
        .map_or(guess, |b| b.0)
}

pub type ChartError = Box<dyn std::error::Error + Send + Sync>;

/// Stages `<stem>.svg` and `<stem>.png` of a figure among results on their
/// way into a folder (the PNG encoder writes to the staged path itself).
pub fn stage(staged: &mut Staged, stem: &str, figure: &impl Figure) -> Result<(), ChartError> {
    let svg = svg(figure)?;
    staged.data(&format!("{stem}.svg"), svg.as_bytes())?;
    let tmp = staged.stage(&format!("{stem}.png"));
    png(figure, &tmp)
}

/// A chart: something that can draw itself on any plotters backend, so one
/// piece of drawing code makes both the SVG and the PNG.
pub trait Figure {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static;
}

/// How the zone chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// Every party's limits, the front line, the Nash points and every
    /// event.
    #[default]
    Detailed,
    /// The two limits that meet or not, on a fixed axis: for teaching.
    Simple,
}

/// The headline zone chart of one run.
pub struct ZoneChart<'a>(pub &'a Scenario, pub &'a Timeline);
/// The gap chart of one run.
pub struct GapChart<'a>(pub &'a Scenario, pub &'a Timeline);
/// Issue by issue at one step of a run (the step `Facts::telling_step`
/// names, for `zopa run`): its first page, which is all of it up to
/// [`issues::PER_PAGE`] issues.
pub struct IssuesChart<'a>(pub &'a Scenario, pub &'a Step, pub &'a str);
/// Page `.3` (from 0) of the issue-by-issue chart.
pub struct IssuesPage<'a>(pub &'a Scenario, pub &'a Step, pub &'a str, pub usize);

impl Figure for IssuesChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        issues::draw(area, self.0, self.1, (self.2, 0))
    }
}

impl Figure for IssuesPage<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        issues::draw(area, self.0, self.1, (self.2, self.3))
    }
}

/// Every page of the issue-by-issue chart as SVG documents, one after
/// another, for a page that shows them all.
pub fn issues_svgs(sc: &Scenario, s: &Step, unit: &str) -> Result<String, ChartError> {
    let pages: Result<Vec<String>, ChartError> = (0..issues::pages(sc))
        .map(|page| svg(&IssuesPage(sc, s, unit, page)))
        .collect();
    Ok(pages?.join("\n"))
}

/// The zone chart of a variant (`--set`), with another run (the scenario
/// as written, or a variant pinned on the page) drawn dashed beneath it,
/// named in the legend by the last field ("as written", "pinned").
pub struct ZoneVersus<'a>(
    pub &'a Scenario,
    pub &'a Timeline,
    pub &'a Timeline,
    pub &'a str,
);
/// The gap chart of a variant, with another run dashed.
pub struct GapVersus<'a>(
    pub &'a Scenario,
    pub &'a Timeline,
    pub &'a Timeline,
    pub &'a str,
);
/// Several scenarios' gap curves.
pub struct CompareChart<'a>(pub &'a [compare::Curve], pub &'a str);

impl Figure for ZoneChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        zone::draw(area, self.0, self.1, None, true).map(|_| ())
    }
}

impl Figure for ZoneVersus<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        zone::draw(area, self.0, self.1, Some((self.2, self.3)), true).map(|_| ())
    }
}

impl Figure for GapVersus<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        gap::draw(area, self.0, self.1, Some((self.2, self.3)))
    }
}

impl Figure for GapChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        gap::draw(area, self.0, self.1, None)
    }
}

impl Figure for CompareChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        compare::draw(area, self.0, self.1)
    }
}

/// The chart as an SVG document.
pub fn svg(figure: &impl Figure) -> Result<String, ChartError> {
    register_font();
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        figure.draw(&area)?;
        area.present().map_err(|e| e.to_string())?;
    }
    Ok(buf)
}

/// The zone chart (against `base`, dashed, if given) as an SVG document
/// without its legend panel, and the legend's entries: a page sets them in
/// its own text, readable where the chart's is scaled down.
pub fn zone_svg_and_legend(
    sc: &Scenario,
    tl: &Timeline,
    base: Option<(&Timeline, &str)>,
) -> Result<(String, Vec<(legend::Mark, String)>), ChartError> {
    register_font();
    let mut buf = String::new();
    let entries = {
        let area = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        let entries = zone::draw(&area, sc, tl, base, false)?;
        area.present().map_err(|e| e.to_string())?;
        entries
    };
    Ok((buf, entries))
}

/// The chart as a PNG file at `path` (its extension must be `.png`).
pub fn png(figure: &impl Figure, path: &Path) -> Result<(), ChartError> {
    register_font();
    let area = BitMapBackend::new(path, SIZE).into_drawing_area();
    figure.draw(&area)?;
    area.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// A plot area with its title above it and the margins and axis-label room
/// every chart here uses; `y_labels` is the width kept for the y axis's
/// labels and title.
pub fn titled<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    size: u32,
    y_labels: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    let (title, size) = fitted_title(area, title, size);
    builder
        .caption(title, (FONT, size).into_font().color(&INK))
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(y_labels);
    builder
}

/// Smallest size a title shrinks to before it is shortened instead.
const TITLE_MIN: u32 = 16;

/// A title that fits the width of `area`: a caption is centred, so a long
/// one would be cut off at both edges. It shrinks down to [`TITLE_MIN`],
/// then loses words at its end behind an ellipsis.
pub(crate) fn fitted_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    size: u32,
) -> (String, u32) {
    // The whole width: a caption drawn past it loses its ends.
    fitted_within(area, f64::from(area.dim_in_pixel().0), title, size)
}

/// [`fitted_title`] within `room` pixels of `area`'s width, for a title
/// that shares its line with something else.
pub(crate) fn fitted_within<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    room: f64,
    title: &str,
    size: u32,
) -> (String, u32) {
    let width = |text: &str, size: u32| {
        let style: TextStyle = (FONT, size).into();
        area.estimate_text_size(text, &style)
            .map_or(0.0, |(w, _)| f64::from(w))
    };
    let full = width(title, size);
    if full <= room {
        return (title.to_string(), size);
    }
    let shrunk = ((f64::from(size) * room / full).floor() as u32).max(TITLE_MIN);
    let mut text = title.to_string();
    while width(&text, shrunk) > room {
        let Some(cut) = text.trim_end_matches(" …").rfind(' ') else {
            break;
        };
        text.truncate(cut);
        text.push_str(" …");
    }
    (text, shrunk)
}

/// A chart with numeric axes, as every chart here but the heatmap has.
pub type Chart2d<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// How an axis labels its ticks.
pub enum Ticks {
    /// Whole numbers (steps).
    Whole,
    /// Percentages of a probability, on an axis from 0 to this top: an
    /// axis of a few percent gets a decimal.
    Percent(f64),
    /// Signed values over an axis of this span (gaps).
    Signed(f64),
    /// Plotters' own labels.
    Plain,
}

impl Ticks {
    pub fn label(&self, v: f64) -> String {
        match *self {
            // Plotters places ticks between whole steps on a short axis;
            // those stay unlabelled rather than rounded onto a neighbour.
            Ticks::Whole if (v - v.round()).abs() > 1e-9 => String::new(),
            Ticks::Whole => format!("{:.0}", v.round() + 0.0),
            Ticks::Percent(top) if top <= 0.1 => format!("{:.1}%", 100.0 * v),
            Ticks::Percent(_) => format!("{:.0}%", 100.0 * v),
            Ticks::Signed(span) => signed(v, span),
            // Not used: plain ticks keep plotters' own labels.
            Ticks::Plain => v.to_string(),
        }
    }
}

/// The frame all the time charts share: a light grid, axis titles and tick
/// labels sized to be read on a projector.
pub fn frame<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    x: (&str, Ticks),
    y: (&str, Ticks),
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let x_fmt = |v: &f64| x.1.label(*v);
    let y_fmt = |v: &f64| y.1.label(*v);
    let x_span = chart.x_range().end - chart.x_range().start;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(GRID.mix(0.5))
        .bold_line_style(GRID)
        .x_desc(x.0)
        .y_desc(y.0)
        .axis_desc_style((FONT, 22))
        .label_style((FONT, 18));
    if !matches!(x.1, Ticks::Plain) {
        mesh.x_label_formatter(&x_fmt);
    }
    if matches!(x.1, Ticks::Whole) && x_span < 10.0 {
        // A short horizon: one tick per step, so no two read alike.
        mesh.x_labels(x_span.ceil() as usize + 1);
    }
    if !matches!(y.1, Ticks::Plain) {
        mesh.y_label_formatter(&y_fmt);
    }
    mesh.draw()?;
    Ok(())
}

/// The frame of every chart of the gap over the steps: the steps on x, the
/// gap on y, signed, with as many decimals as its span `hi - lo` needs.
pub fn gap_frame<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    step_unit: &str,
    (lo, hi): (f64, f64),
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let unit = format!("{step_unit} of the scenario");
    frame(
        chart,
        (&unit, Ticks::Whole),
        ("gap (above 0: no zone)", Ticks::Signed(hi - lo)),
    )
}

/// The top of a probability axis fitted to the data: the smallest of 2 %,
/// 5 %, 10 %, 20 %, 50 % and 100 % that holds `max` with a margin, so a
/// probability of a few percent is not drawn flat along a 0-100 % axis.
pub fn probability_top(max: f64) -> f64 {
    [0.02, 0.05, 0.1, 0.2, 0.5]
        .into_iter()
        .find(|&top| max * 1.1 <= top)
        .unwrap_or(1.0)
}

/// Colours for up to eight series (parties, scenarios) that stay apart for
/// readers with any common colour-vision deficiency: Okabe and Ito's
/// palette, ordered so that the first few are the most distinct (the two
/// blues far apart).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// A signed axis label with as many decimals as the axis' span needs to
/// tell its ticks apart.
pub fn signed(y: f64, span: f64) -> String {
    let decimals = if span >= 0.2 {
        2
    } else if span >= 0.02 {
        3
    } else {
        4
    };
    format!("{y:+.decimals$}")
}

pub fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// A darker shade, so light party colours stay legible as text.
pub(crate) fn darker(c: RGBColor) -> RGBColor {
    let f = |v: u8| (f64::from(v) * 0.7) as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// The zone's colour: a strong green no party is likely to use.
pub const ZONE: RGBColor = RGBColor(0, 158, 115);
pub const NO_ZONE: RGBColor = RGBColor(213, 94, 0);
pub const INK: RGBColor = RGBColor(33, 33, 33);
pub const GRID: RGBColor = RGBColor(220, 220, 220);

/// An event that fired in a run, as the charts list it.
pub struct Fired {
    pub step: u32,
    /// The event's place in the scenario file, from 1: what the charts
    /// print beside each marker, so a reader finds it in the file.
    pub number: usize,
    pub label: String,
}

/// The events that fired in the run, in step order and, within a step, in
/// the file's order: the order a reader looks for them in.
pub fn fired_events(sc: &Scenario, tl: &Timeline) -> Vec<Fired> {
    let mut out = Vec::new();
    for s in &tl.steps {
        let mut fired = s.events.clone();
        fired.sort_unstable();
        for e in fired {
            out.push(Fired {
                step: s.step,
                number: e + 1,
                label: sc.events[e].label.clone(),
            });
        }
    }
    out
}
