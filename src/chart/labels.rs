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
    /// The names and the word the text is made of, to wrap it by name.
    who: Vec<String>,
    word: String,
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
                who: who.iter().map(|w| w.to_string()).collect(),
                word: word.to_string(),
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
    let style = TextStyle::from((FONT, SIZE).into_font());
    let room = (col.width - LEADER - 6).max(40);
    let texts: Vec<Vec<String>> = placed
        .iter()
        .map(|p| wrapped(root, p, &style, room))
        .collect();
    let heights: Vec<f64> = texts.iter().map(|t| ROW * t.len() as f64).collect();
    // A line beyond a fixed axis is named at the axis' end it passes.
    let wanted: Vec<f64> = placed
        .iter()
        .map(|p| f64::from((col.to_pixel)(p.end, p.value).1.clamp(col.top, col.bottom)))
        .collect();
    let at = spread_sized(&wanted, &heights, f64::from(col.top), f64::from(col.bottom));
    for (((p, &want), &y), lines) in placed.iter().zip(&wanted).zip(&at).zip(&texts) {
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
        // The leader meets the middle of a wrapped label's block of lines.
        let first = y as f64 - ROW * (lines.len() as f64 - 1.0) / 2.0;
        for (k, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (col.edge + LEADER, (first + ROW * k as f64).round() as i32),
                style.color(&colour).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
    }
    Ok(())
}

/// Most lines a label wraps onto before the rest is cut with an ellipsis.
const MAX_LINES: usize = 3;

/// The label's text in lines that fit `room` pixels: whole when it fits,
/// else broken after an " =" between two names ("Ford = General Motors =",
/// "Stellantis: at most"), so every name stays readable.
fn wrapped<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Placed,
    style: &TextStyle<'_>,
    room: i32,
) -> Vec<String> {
    if text_width(area, &p.text, style) <= room || p.who.len() < 2 {
        return vec![fit(area, &p.text, style, room)];
    }
    let n = p.who.len();
    let piece = |i: usize| {
        if i + 1 < n {
            format!("{} =", p.who[i])
        } else if p.word.is_empty() {
            p.who[i].clone()
        } else {
            format!("{}: {}", p.who[i], p.word)
        }
    };
    let mut lines: Vec<String> = vec![piece(0)];
    for i in 1..n {
        let next = piece(i);
        let last = lines.last_mut().expect("one line at least");
        let joined = format!("{last} {next}");
        if text_width(area, &joined, style) <= room {
            *last = joined;
        } else {
            lines.push(next);
        }
    }
    if lines.len() > MAX_LINES {
        let rest = lines.split_off(MAX_LINES - 1).join(" ");
        lines.push(rest);
    }
    lines.iter().map(|l| fit(area, l, style, room)).collect()
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
#[cfg(test)]
pub fn spread(wanted: &[f64], top: f64, bottom: f64) -> Vec<f64> {
    spread_sized(wanted, &vec![ROW; wanted.len()], top, bottom)
}

/// As [`spread`], for labels of the given heights (a wrapped label takes a
/// row per line): neighbours' centres are at least half of each one's
/// height apart, and a block sits where its labels' squared distances to
/// their lines are least, within `[top, bottom]`.
pub fn spread_sized(wanted: &[f64], heights: &[f64], top: f64, bottom: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]));
    // A block: its first label's place in `order`, its size and its top.
    let mut blocks: Vec<(usize, usize, f64)> = Vec::new();
    let height = |first: usize, len: usize| -> f64 {
        order[first..first + len].iter().map(|&j| heights[j]).sum()
    };
    // The top that puts the block's centres nearest their lines.
    let best_top = |first: usize, len: usize| -> f64 {
        let mut offset = 0.0;
        let mut sum = 0.0;
        for &j in &order[first..first + len] {
            sum += wanted[j] - offset - heights[j] / 2.0;
            offset += heights[j];
        }
        sum / len as f64
    };
    for (k, _) in order.iter().enumerate() {
        blocks.push((k, 1, best_top(k, 1)));
        loop {
            let n = blocks.len();
            let (first, len, t) = blocks[n - 1];
            blocks[n - 1].2 = t.min(bottom - height(first, len)).max(top);
            if n < 2 {
                break;
            }
            let prev = blocks[n - 2];
            if prev.2 + height(prev.0, prev.1) <= blocks[n - 1].2 + 1e-9 {
                break;
            }
            let len = prev.1 + len;
            blocks.pop();
            if let Some(b) = blocks.last_mut() {
                *b = (prev.0, len, best_top(prev.0, len));
            }
        }
    }
    let mut out = vec![0.0; wanted.len()];
    for (first, len, start) in blocks {
        let mut y = start;
        for &j in &order[first..first + len] {
            out[j] = y + heights[j] / 2.0;
            y += heights[j];
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
        assert_eq!(placed[0].who, ["Ukraine", "Europe"]);
        assert_eq!(
            texts,
            [
                "Ukraine = Europe: at most",
                "Russia: at least",
                "Europe: at most"
            ]
        );
    }

    #[test]
    fn a_tall_label_keeps_its_neighbours_clear_of_it() {
        let wanted = [100.0, 110.0, 300.0];
        let heights = [ROW, 3.0 * ROW, ROW];
        let at = spread_sized(&wanted, &heights, 0.0, 400.0);
        assert!(at[1] - at[0] >= (ROW + 3.0 * ROW) / 2.0 - 1e-9, "{at:?}");
        assert_eq!(at[2], 300.0, "a label alone stays at its line");
        let placed = spread_sized(&[395.0, 396.0], &[2.0 * ROW, ROW], 0.0, 400.0);
        assert!(placed[1] + ROW / 2.0 <= 400.0 + 1e-9, "{placed:?}");
        assert!(placed[1] - placed[0] >= 1.5 * ROW - 1e-9, "{placed:?}");
    }
}
