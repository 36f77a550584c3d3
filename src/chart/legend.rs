//! A legend drawn in its own panel beside the plot, so it never hides data.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, FONT, INK};

/// The symbol of one legend entry.
pub enum Mark {
    /// A filled box with an edge, as for a band.
    Band(RGBColor, f64),
    /// A solid box.
    Block(RGBColor),
    Line(RGBColor, u32),
    /// A dashed line, for a series drawn dashed: the sample matches it.
    Dashed(RGBColor, u32),
    Dot,
    Cross,
    /// No symbol: the entry continues the text of the one above.
    Blank,
}

/// Draws `title` and the entries, one a row, in the panel `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    entries: &[(Mark, String)],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.draw(&Text::new(
        title.to_string(),
        (10, 36),
        (FONT, 20).into_font().color(&INK),
    ))?;
    let style = (FONT, 17).into_font().color(&INK);
    let top = 70;
    let row = 30;
    // An entry wider than the panel goes on over the rows below it, with no
    // symbol of their own, rather than running off the edge.
    let room = area.dim_in_pixel().0 as i32 - 10 - 36 - 6;
    let width = |t: &str| {
        area.estimate_text_size(t, &style)
            .map_or(9 * t.len() as i32, |b| b.0 as i32)
    };
    let mut i = 0;
    for (mark, text) in entries {
        for (n, line) in fitted_lines(text, room, width).into_iter().enumerate() {
            let mark = if n == 0 { mark } else { &Mark::Blank };
            entry(area, (10, top + row * i), mark, &line, &style)?;
            i += 1;
        }
    }
    Ok(())
}

/// `text` broken between words into lines at most `room` wide by
/// `width` (a single word wider than that keeps a line of its own).
fn fitted_lines(text: &str, room: i32, width: impl Fn(&str) -> i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if width(&format!("{line} {word}")) <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The entries side by side on one line, centred in the strip `area`.
pub fn row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(Mark, String)],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let style = (FONT, 18).into_font().color(&INK);
    let (w, h) = area.dim_in_pixel();
    let widths: Vec<i32> = entries
        .iter()
        .map(|(_, t)| {
            36 + area
                .estimate_text_size(t, &style)
                .map_or(9 * t.len() as u32, |b| b.0) as i32
                + 40
        })
        .collect();
    let mut x = (w as i32 - widths.iter().sum::<i32>()).max(0) / 2;
    for ((mark, text), width) in entries.iter().zip(widths) {
        entry(area, (x, h as i32 / 2), mark, text, &style)?;
        x += width;
    }
    Ok(())
}

/// One swatch and its text, the swatch's left end at `(x, y)`.
fn entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    mark: &Mark,
    text: &str,
    style: &TextStyle<'_>,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    match mark {
        Mark::Band(c, alpha) => {
            area.draw(&Rectangle::new(
                [(x, y - 8), (x + 26, y + 8)],
                c.mix(*alpha).filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x, y - 8), (x + 26, y + 8)],
                c.stroke_width(2),
            ))?;
        }
        Mark::Block(c) => area.draw(&Rectangle::new([(x, y - 8), (x + 26, y + 8)], c.filled()))?,
        Mark::Line(c, w) => area.draw(&PathElement::new(
            vec![(x, y), (x + 26, y)],
            c.stroke_width(*w),
        ))?,
        Mark::Dashed(c, w) => {
            for x0 in [x, x + 11, x + 22] {
                area.draw(&PathElement::new(
                    vec![(x0, y), ((x0 + 6).min(x + 28), y)],
                    c.stroke_width(*w),
                ))?;
            }
        }
        Mark::Dot => {
            area.draw(&Circle::new((x + 13, y), 5, WHITE.filled()))?;
            area.draw(&Circle::new((x + 13, y), 5, INK.stroke_width(1)))?;
        }
        Mark::Cross => area.draw(&Cross::new((x + 13, y), 7, INK.stroke_width(3)))?,
        Mark::Blank => {}
    }
    area.draw(&Text::new(
        text.to_string(),
        (x + 36, y),
        style.pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        )),
    ))?;
    Ok(())
}
