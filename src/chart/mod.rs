//! Charts: one module per chart kind, each a function from plain data to
//! any plotters backend, so the same code draws the SVG and the PNG.
//!
//! Text is laid out with a font shipped in the repository (DejaVu Sans,
//! `assets/fonts/`), so PNGs render identically on a machine with no fonts
//! installed at all.

pub mod compare;
mod gap;
mod legend;
mod zone;

use std::path::Path;
use std::sync::Once;

use plotters::prelude::*;

pub use gap::draw as draw_gap;
pub use zone::draw as draw_zone;

use crate::model::Scenario;
pub use crate::output::shorten;
use crate::sim::Timeline;

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

pub type ChartError = Box<dyn std::error::Error + Send + Sync>;

/// Which chart to draw.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Zone,
    Gap,
}

fn draw<DB: DrawingBackend>(
    kind: Kind,
    area: DrawingArea<DB, plotters::coord::Shift>,
    sc: &Scenario,
    tl: &Timeline,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    register_font();
    match kind {
        Kind::Zone => zone::draw(&area, sc, tl)?,
        Kind::Gap => gap::draw(&area, sc, tl)?,
    }
    area.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// The chart as an SVG document.
pub fn svg(kind: Kind, sc: &Scenario, tl: &Timeline) -> Result<String, ChartError> {
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        draw(kind, area, sc, tl)?;
    }
    Ok(buf)
}

/// Several scenarios' gap curves on one chart, as SVG.
pub fn compare_svg(curves: &[compare::Curve], step_unit: &str) -> Result<String, ChartError> {
    register_font();
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        compare::draw(&area, curves, step_unit)?;
        area.present().map_err(|e| e.to_string())?;
    }
    Ok(buf)
}

/// The chart as a PNG file at `path`.
pub fn png(kind: Kind, sc: &Scenario, tl: &Timeline, path: &Path) -> Result<(), ChartError> {
    let area = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(kind, area, sc, tl)
}

pub fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// The zone's colour: a strong green no party is likely to use.
pub const ZONE: RGBColor = RGBColor(0, 158, 115);
pub const NO_ZONE: RGBColor = RGBColor(213, 94, 0);
pub const INK: RGBColor = RGBColor(33, 33, 33);
pub const GRID: RGBColor = RGBColor(220, 220, 220);

/// Events that fired in the run, as `(step, number, label)`; numbers start
/// at 1 and are what the charts print beside each marker.
pub fn fired_events(sc: &Scenario, tl: &Timeline) -> Vec<(u32, usize, String)> {
    let mut out = Vec::new();
    for s in &tl.steps {
        for &e in &s.events {
            out.push((s.step, out.len() + 1, sc.events[e].label.clone()));
        }
    }
    out
}
