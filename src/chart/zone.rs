//! The headline chart: over time, each party's acceptable range on the
//! front issue, the zone where the consenting parties' ranges meet, the
//! front line, marks and events.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FONT, GRID, INK, NO_ZONE, ZONE, fired_events, rgb, shorten};
use crate::model::Scenario;
use crate::sim::{Outcome, Timeline};

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    tl: &Timeline,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let events = fired_events(sc, tl);
    let listed = events.len().min(6);
    let footer = if listed == 0 {
        0
    } else {
        26 * listed as u32 + 34
    };
    let (h, _) = (root.dim_in_pixel().1, ());
    let (plot, foot) = root.split_vertically(h - footer);

    let issue = &sc.issues[sc.front_issue];
    let n = sc.steps as f64;
    let x_range = -0.5..(n - 0.5);
    let y_range = issue.min..issue.max;
    let unit = if issue.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", issue.unit)
    };

    let mut chart = ChartBuilder::on(&plot)
        .caption(
            format!("{}: is there a zone of possible agreement?", sc.title),
            (FONT, 30).into_font().color(&INK),
        )
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(86)
        .build_cartesian_2d(x_range, y_range)?;
    chart
        .configure_mesh()
        .light_line_style(GRID.mix(0.5))
        .bold_line_style(GRID)
        .x_desc(format!("{} of the scenario", sc.step_unit))
        .y_desc(format!("{}{unit}", issue.label))
        .axis_desc_style((FONT, 22))
        .label_style((FONT, 18))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .draw()?;

    // Each party's acceptable range: a light band, edged in its colour where
    // the edge is a real limit (not the end of the axis), and the edge named
    // at the right ("Russia: at least"), so the eye finds who bounds what.
    let eps = (issue.max - issue.min) * 1e-6;
    let mut edge_labels: Vec<(f64, String, RGBColor, bool)> = Vec::new();
    for (p, party) in sc.parties.iter().enumerate() {
        let colour = rgb(party.colour);
        let cells: Vec<(f64, (f64, f64))> = tl
            .steps
            .iter()
            .filter_map(|s| s.ranges[p].map(|r| (f64::from(s.step), r)))
            .collect();
        let veto = if party.veto { "" } else { " (no veto)" };
        chart
            .draw_series(cells.iter().map(|&(t, (lo, hi))| {
                Rectangle::new([(t - 0.5, lo), (t + 0.5, hi)], colour.mix(0.07).filled())
            }))?
            .label(format!("{} accepts{veto}", party.name))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + Rectangle::new([(0, -7), (22, 7)], colour.mix(0.25).filled())
                    + Rectangle::new([(0, -7), (22, 7)], colour.stroke_width(2))
            });
        for (edge, word) in [(0, "at least"), (1, "at most")] {
            let pts: Vec<(f64, f64)> = cells
                .iter()
                .filter_map(|&(t, r)| {
                    let v = if edge == 0 { r.0 } else { r.1 };
                    (v > issue.min + eps && v < issue.max - eps)
                        .then_some([(t - 0.5, v), (t + 0.5, v)])
                })
                .flatten()
                .collect();
            for seg in contiguous(&pts) {
                chart.draw_series(LineSeries::new(seg, colour.stroke_width(3)))?;
            }
            if let Some(&(_, v)) = pts.last() {
                edge_labels.push((v, format!("{}: {word}", party.name), colour, edge == 0));
            }
        }
    }

    // The zone: solid green where every consenting party's range meets.
    let zone_cells: Vec<(f64, (f64, f64))> = tl
        .steps
        .iter()
        .filter_map(|s| s.extent.map(|z| (f64::from(s.step), z)))
        .collect();
    let min_height = (issue.max - issue.min) * 0.004;
    chart
        .draw_series(zone_cells.iter().map(|&(t, (lo, hi))| {
            Rectangle::new(
                [(t - 0.5, lo), (t + 0.5, hi.max(lo + min_height))],
                ZONE.mix(0.85).filled(),
            )
        }))?
        .label("Zone of possible agreement")
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 22, y + 7)], ZONE.filled()));
    chart.draw_series(zone_cells.iter().map(|&(t, (lo, hi))| {
        Rectangle::new(
            [(t - 0.5, lo), (t + 0.5, hi.max(lo + min_height))],
            RGBColor(0, 90, 60).stroke_width(1),
        )
    }))?;

    // Nash points inside the zone.
    let nash: Vec<(f64, f64)> = tl
        .steps
        .iter()
        .filter(|s| s.point_is_nash && s.zone_exists())
        .map(|s| (f64::from(s.step), s.point[sc.front_issue]))
        .collect();
    if !nash.is_empty() {
        chart
            .draw_series(nash.iter().map(|&p| Circle::new(p, 4, WHITE.filled())))?
            .label("Nash bargaining point")
            .legend(|(x, y)| {
                EmptyElement::at((x + 11, y))
                    + Circle::new((0, 0), 5, WHITE.filled())
                    + Circle::new((0, 0), 5, INK.stroke_width(1))
            });
        chart.draw_series(nash.iter().map(|&p| Circle::new(p, 4, INK.stroke_width(1))))?;
    }

    // Named marks on the issue.
    for (label, v) in &issue.marks {
        chart.draw_series(DashedLineSeries::new(
            [(-0.5, *v), (n - 0.5, *v)],
            6,
            6,
            RGBColor(90, 90, 90).stroke_width(1),
        ))?;
        chart.draw_series(std::iter::once(Text::new(
            format!(" {}", shorten(label, 40)),
            (-0.5, *v),
            (FONT, 16)
                .into_font()
                .color(&RGBColor(70, 70, 70))
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        )))?;
    }

    // The front line, when the scenario has one.
    if sc.has_front {
        let front: Vec<(f64, f64)> = tl
            .steps
            .iter()
            .flat_map(|s| {
                [
                    (f64::from(s.step) - 0.5, s.front),
                    (f64::from(s.step) + 0.5, s.front),
                ]
            })
            .collect();
        // Dashed, so a party's limit lying on the line shows through it.
        chart
            .draw_series(DashedLineSeries::new(front, 10, 6, INK.stroke_width(2)))?
            .label("Front line")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], INK.stroke_width(2)));
    }

    // Events: a dashed line and the events' numbers at the top of the plot;
    // events of the same step share one marker ("2,3").
    let top = issue.max;
    let mut by_step: Vec<(u32, Vec<usize>)> = Vec::new();
    for (step, number, _) in &events {
        match by_step.last_mut() {
            Some((s, nums)) if s == step => nums.push(*number),
            _ => by_step.push((*step, vec![*number])),
        }
    }
    let line_height = (issue.max - issue.min) * 0.045;
    let mut previous: Option<(f64, usize)> = None;
    for (step, numbers) in &by_step {
        let t = f64::from(*step);
        // Markers closer than a few steps would collide: stagger them.
        let row = match previous {
            Some((p, r)) if t - p < 0.04 * n + 1.0 => (r + 1) % 3,
            _ => 0,
        };
        previous = Some((t, row));
        chart.draw_series(DashedLineSeries::new(
            [(t, issue.min), (t, top)],
            4,
            4,
            RGBColor(120, 120, 120).stroke_width(1),
        ))?;
        let label: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
        chart.draw_series(std::iter::once(Text::new(
            label.join(","),
            (t, top - line_height * row as f64),
            (FONT, 18)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Top)),
        )))?;
    }

    // The outcome.
    if let Outcome::Deal { step, settlement } = &tl.outcome {
        // After a deal the run is over; grey out the rest of the horizon.
        let after = f64::from(*step) + 0.5;
        if after < n - 0.5 {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(after, issue.min), (n - 0.5, issue.max)],
                RGBColor(235, 235, 235).mix(0.7).filled(),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                "deal reached: the run ends here",
                (after, issue.min + (issue.max - issue.min) * 0.5),
                (FONT, 20).into_font().color(&RGBColor(110, 110, 110)),
            )))?;
        }
        let p = (f64::from(*step), settlement[sc.front_issue]);
        chart
            .draw_series(std::iter::once(Cross::new(p, 10, INK.stroke_width(4))))?
            .label(format!("Deal ({} {step})", sc.step_unit))
            .legend(|(x, y)| Cross::new((x + 11, y), 6, INK.stroke_width(3)));
    }
    if zone_cells.is_empty() {
        chart.draw_series(std::iter::once(Text::new(
            "No zone at any step",
            ((n - 1.0) / 2.0, issue.min + (issue.max - issue.min) * 0.06),
            (FONT, 26)
                .into_font()
                .color(&NO_ZONE)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )))?;
    }

    // Edge names at the right end: lower limits above their line, upper
    // limits below it, nudged apart when several sit close together.
    edge_labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let min_sep = (issue.max - issue.min) * 0.055;
    for above in [true, false] {
        let mut last = if above {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        let mut labels: Vec<&(f64, String, RGBColor, bool)> =
            edge_labels.iter().filter(|l| l.3 == above).collect();
        if !above {
            labels.reverse();
        }
        for (v, text, colour, _) in labels {
            let at = if above {
                v.max(last + min_sep)
            } else {
                v.min(last - min_sep)
            };
            last = at;
            let vpos = if above { VPos::Bottom } else { VPos::Top };
            chart.draw_series(std::iter::once(Text::new(
                text.clone(),
                (n - 0.5, at),
                (FONT, 17)
                    .into_font()
                    .color(&darker(*colour))
                    .pos(Pos::new(HPos::Right, vpos)),
            )))?;
        }
    }

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(160, 160, 160))
        .label_font((FONT, 17))
        .draw()?;

    if listed > 0 {
        let style = (FONT, 18).into_font().color(&INK);
        foot.draw_text("Events", &(FONT, 19).into_font().color(&INK), (24, 4))?;
        for (row, (step, number, label)) in events.iter().take(listed).enumerate() {
            let text = format!(
                "{number}.  {} {step}: {}",
                sc.step_unit,
                shorten(label, 110)
            );
            foot.draw_text(&text, &style, (40, 30 + 26 * row as i32))?;
        }
        if events.len() > listed {
            let more = format!("… and {} more (see timeline.csv)", events.len() - listed);
            foot.draw_text(&more, &style, (600, 4))?;
        }
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

/// A darker shade, so light party colours stay legible as text.
fn darker(c: RGBColor) -> RGBColor {
    let f = |v: u8| (f64::from(v) * 0.7) as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}
