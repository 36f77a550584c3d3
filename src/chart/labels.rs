//! Names of the zone chart's horizontal lines, set in a column of their own
//! right of the plot: no label can lie on a line of the plot, labels never
//! overlap each other, and each is tied to its line's end by a thin leader.
//! Lines that end at the same value are named together ("Ukraine = Europe:
//! at most"), since a reader cannot tell them apart anyway.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FONT, INK};

/// The labels' font size, as for every other chart text read on a projector.
pub const SIZE: u32 = 17;
/// A label's height on the page, with the room kept between two labels.
const ROW: f64 = 22.0;
/// From the plot's edge to the start of a label's text: the leader's room.
const LEADER: i32 = 26;
/// The column's narrowest and widest: wide enough for "Ukraine: at most",
/// never so wide that the plot loses its room.
const WIDTH: (i32, i32) = (150, 290);

/// One horizontal line's name, before lines that coincide are merged.
#[derive(Clone)]
pub struct Label {
    pub value: f64,
    /// Who the line belongs to ("Russia") and what it says ("at least"):
    /// coinciding lines with the same word are named as one
    /// ("Ukraine = Europe: at most").
    pub who: String,
    pub word: String,
    pub colour: RGBColor,
    /// Where the line ends on the x axis (a run that ended in a deal ends
    /// before the horizon): the leader starts there.
    pub end: f64,
}

/// A merged label as drawn: its text, colour and the value of its line.
struct Placed {
    value: f64,
    end: f64,
    text: String,
    colour: RGBColor,
}

/// Lines whose values differ by no more than `eps` and that say the same
/// word coincide: their names are joined ("Ukraine = Europe: at most").
/// Coinciding lines with different words keep a label each, side by side,
/// "at least" first.
fn merge(mut labels: Vec<Label>, eps: f64) -> Vec<Placed> {
    labels.sort_by(|a, b| a.value.total_cmp(&b.value));
    let mut groups: Vec<Vec<Label>> = Vec::new();
    for l in labels {
        match groups.last_mut() {
            Some(g) if (l.value - g[0].value).abs() <= eps => g.push(l),
            _ => groups.push(vec![l]),
        }
    }
    let mut out = Vec::new();
    for mut g in groups {
        g.sort_by_key(|l| l.word != "at least");
        let mut words: Vec<(&str, Vec<&Label>)> = Vec::new();
        for l in &g {
            match words.iter_mut().find(|(w, _)| *w == l.word) {
                Some((_, same)) => same.push(l),
                None => words.push((&l.word, vec![l])),
            }
        }
        for (word, same) in words {
            let who: Vec<&str> = same.iter().map(|l| l.who.as_str()).collect();
            let text = if word.is_empty() {
                who.join(" = ")
            } else {
                format!("{}: {word}", who.join(" = "))
            };
            // One party's colour would claim a shared line for that party.
            let colour = if same.len() == 1 { same[0].colour } else { INK };
            out.push(Placed {
                value: g[0].value,
                end: same[0].end,
                text,
                colour,
            });
        }
    }
    out
}

/// The width the label column needs for these labels, within its bounds.
pub fn column_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[Label],
    eps: f64,
) -> u32 {
    let style = TextStyle::from((FONT, SIZE).into_font());
    let widest = (merge(labels.to_vec(), eps).iter())
        .map(|p| text_width(area, &p.text, &style))
        .max()
        .unwrap_or(0);
    (widest + LEADER + 12).clamp(WIDTH.0, WIDTH.1) as u32
}

fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
) -> i32 {
    // A generous guess if the font cannot be measured: wider, never overlapping.
    let guess = (0.62 * f64::from(SIZE) * text.chars().count() as f64) as u32;
    area.estimate_text_size(text, style).map_or(guess, |b| b.0) as i32
}

/// Where the column is: the plot's right edge and the plot's top and bottom,
/// in the root area's pixels, and the value-to-pixel map of the y axis.
pub struct Column<'m> {
    pub edge: i32,
    pub top: i32,
    pub bottom: i32,
    pub width: i32,
    pub to_pixel: &'m dyn Fn(f64, f64) -> (i32, i32),
}

/// Draws the labels on `root`, each as near its line's height as the
/// others allow, with a leader from the plot's edge to its text.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: Vec<Label>,
    eps: f64,
    col: &Column<'_>,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let placed = merge(labels, eps);
    // A line beyond a fixed axis is named at the axis' end it passes.
    let wanted: Vec<f64> = placed
        .iter()
        .map(|p| f64::from((col.to_pixel)(p.end, p.value).1.clamp(col.top, col.bottom)))
        .collect();
    let at = spread(&wanted, f64::from(col.top), f64::from(col.bottom));
    let style = TextStyle::from((FONT, SIZE).into_font());
    let room = (col.width - LEADER - 6).max(40);
    for ((p, &want), &y) in placed.iter().zip(&wanted).zip(&at) {
        let (want, y) = (want.round() as i32, y.round() as i32);
        let colour = super::darker(p.colour);
        let from = (col.to_pixel)(p.end, p.value).0.min(col.edge) + 2;
        root.draw(&PathElement::new(
            vec![
                (from, want),
                (col.edge + 10, want),
                (col.edge + LEADER - 6, y),
                (col.edge + LEADER - 3, y),
            ],
            colour.stroke_width(1),
        ))?;
        let text = fit(root, &p.text, &style, room);
        root.draw(&Text::new(
            text,
            (col.edge + LEADER, y),
            style.color(&colour).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// The text cut with an ellipsis to fit `room` pixels.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    room: i32,
) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut out = text.to_string();
    while text_width(area, &out, style) > room && chars.len() > 2 {
        chars.pop();
        out = chars.iter().collect::<String>().trim_end().to_string() + "…";
    }
    out
}

/// Label centres as near the wanted ones as possible, at least a row apart
/// and within `[top, bottom]`: labels that would overlap are gathered into
/// a block centred on their mean, and blocks that then touch are merged, so
/// the order of the lines is kept and the leaders never cross.
pub fn spread(wanted: &[f64], top: f64, bottom: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]));
    let half = ROW / 2.0;
    let (lo, hi) = (top + half, bottom - half);
    // A block: its first label's place in `order`, its size and first centre.
    let mut blocks: Vec<(usize, usize, f64)> = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        blocks.push((k, 1, wanted[i]));
        loop {
            let n = blocks.len();
            let last = blocks[n - 1];
            let span = ROW * (last.1 as f64 - 1.0);
            blocks[n - 1].2 = last.2.min(hi - span).max(lo);
            if n < 2 {
                break;
            }
            let prev = blocks[n - 2];
            if prev.2 + ROW * prev.1 as f64 <= blocks[n - 1].2 + 1e-9 {
                break;
            }
            let len = prev.1 + last.1;
            let mean = order[prev.0..prev.0 + len]
                .iter()
                .map(|&j| wanted[j])
                .sum::<f64>()
                / len as f64;
            let start = mean - ROW * (len as f64 - 1.0) / 2.0;
            blocks.pop();
            if let Some(b) = blocks.last_mut() {
                *b = (prev.0, len, start);
            }
        }
    }
    let mut out = vec![0.0; wanted.len()];
    for (first, len, start) in blocks {
        for j in 0..len {
            out[order[first + j]] = start + ROW * j as f64;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_spread_a_row_apart_in_the_order_of_their_lines() {
        let wanted = [100.0, 101.0, 102.0, 300.0, 50.0];
        let at = spread(&wanted, 0.0, 400.0);
        let mut sorted: Vec<(f64, f64)> = wanted.iter().copied().zip(at.clone()).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in sorted.windows(2) {
            assert!(w[1].1 - w[0].1 >= ROW - 1e-9, "{sorted:?}");
        }
        assert_eq!(at[3], 300.0, "a label alone stays at its line");
        assert!(
            (at[1] - 101.0).abs() < 1e-9,
            "a block is centred on its lines"
        );
    }

    #[test]
    fn labels_stay_inside_the_plot_even_when_crowded_at_an_edge() {
        let wanted = [395.0, 396.0, 397.0, 398.0];
        let at = spread(&wanted, 0.0, 400.0);
        assert!(at.iter().all(|&y| y + ROW / 2.0 <= 400.0 + 1e-9), "{at:?}");
        assert!(at.iter().all(|&y| y - ROW / 2.0 >= -1e-9), "{at:?}");
    }

    #[test]
    fn coinciding_lines_are_named_together() {
        let l = |value: f64, who: &str, word: &str| Label {
            value,
            who: who.into(),
            word: word.into(),
            colour: INK,
            end: 0.0,
        };
        let placed = merge(
            vec![
                l(19.0, "Ukraine", "at most"),
                l(20.0, "Russia", "at least"),
                l(19.0, "Europe", "at most"),
                l(20.0, "Europe", "at most"),
            ],
            1e-9,
        );
        let texts: Vec<&str> = placed.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Ukraine = Europe: at most",
                "Russia: at least",
                "Europe: at most"
            ]
        );
    }
}
