//! One self-contained HTML file: charts inline as SVG, no script, no
//! network, a print stylesheet with a page per scenario. The markup is kept
//! well-formed XML so that it can be checked mechanically.

use std::fmt::Write as _;

use super::{Analysis, change_text, lever_value, openings_sentence, variant_sentence};
use crate::chart::sensitivity::{ROWS, Tornado};
use crate::chart::{self, ChartError, compare::Curve};
use crate::explain::Openings;
use crate::model::Scenario;
use crate::sensitivity::{Sensitivity, carriers, share};
use crate::sim::{Step, Timeline};
use crate::text::{and_list, capitalise, first_zone_text, gap_text, settlement_text, value};

const STYLE: &str = r#"
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #212121; max-width: 1180px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.9em; margin-bottom: 0.2em; }
h2 { font-size: 1.5em; border-bottom: 3px solid #009e73; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.15em; margin-top: 1.5em; }
.meta { color: #555; }
.variant { background: #fff3e0; border-left: 5px solid #d55e00; padding: 0.5em 0.9em; font-weight: bold; }
table { border-collapse: collapse; margin: 0.8em 0; }
th, td { border: 1px solid #c8c8c8; padding: 0.35em 0.7em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.together td { background: #eef3f8; font-style: italic; }
tr.in-units td { color: #444; font-size: 0.9em; }
figure { margin: 1em 0; }
figure svg { width: 100%; height: auto; border: 1px solid #e0e0e0; }
figcaption { color: #555; font-size: 0.92em; }
ol.narrative li, ol.questions li { margin-bottom: 0.5em; }
div.assumptions { border: 1px solid #d9c27a; background: #fdf8e7; padding: 0.2em 1em; margin: 1em 0; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  section.scenario, section.compare { page-break-before: always; }
  figure, table, li { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
}
"#;

/// Text made safe inside HTML elements and attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The whole report for one or more analysed scenarios.
pub fn render(
    analyses: &[Analysis<'_>],
    seed: u64,
    style: chart::Style,
) -> Result<String, ChartError> {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>zopa report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let titles: Vec<String> = analyses
        .iter()
        .map(|a| {
            let variant = if a.variant.is_empty() {
                ""
            } else {
                " (a variant)"
            };
            format!("{}{variant}", esc(&a.scenario.title))
        })
        .collect();
    let _ = writeln!(
        h,
        "<header>\n<h1>Is there a zone of possible agreement?</h1>"
    );
    let _ = writeln!(
        h,
        "<p class=\"meta\">Scenarios: {}. Seed {seed}. Every number below comes from the run.</p>\n</header>",
        titles.join(", ")
    );
    if analyses.len() > 1 {
        comparison(&mut h, analyses)?;
    }
    for a in analyses {
        scenario(&mut h, a, style)?;
    }
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

fn comparison(h: &mut String, analyses: &[Analysis<'_>]) -> Result<(), ChartError> {
    let _ = writeln!(h, "<section class=\"compare\">\n<h2>Side by side</h2>");
    let _ = writeln!(
        h,
        "<table class=\"comparison\">\n<tr><th>scenario</th><th>outcome</th><th>first zone</th><th>smallest gap</th><th>main blocker</th><th>settlement</th></tr>"
    );
    for a in analyses {
        let sc = a.scenario;
        let f = &a.facts;
        let unit = &sc.step_unit;
        let _ = writeln!(
            h,
            "<tr data-scenario=\"{}\"><td><a href=\"#{}\">{}</a></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} ({unit} {})</td><td>{}</td><td>{}</td></tr>",
            esc(&sc.name),
            esc(&sc.name),
            esc(&sc.title),
            esc(f.outcome.label()),
            first_zone_text(f.first_zone, unit),
            gap_text(f.smallest_gap.gap),
            f.smallest_gap.step,
            esc(&f.main_blocker_name(sc)),
            f.settlement
                .as_ref()
                .map_or("none".into(), |s| esc(&format!(
                    "{unit} {}: {}",
                    s.step,
                    settlement_text(sc, &s.values)
                ))),
        );
    }
    h.push_str("</table>\n");
    let curves: Vec<Curve> = analyses
        .iter()
        .map(|a| {
            let sc = a.scenario;
            let at = |s: &crate::sim::Step| f64::from(s.step);
            // The worst crossing as a share of its issue's range; lines
            // that leave room are drawn at zero, whatever the room.
            let share = |s: &crate::sim::Step| {
                (0..sc.issues.len())
                    .map(|k| s.crossing(k) / sc.issues[k].range())
                    .fold(0.0, f64::max)
            };
            let steps = &a.timeline.steps;
            Curve {
                title: sc.title.clone(),
                lines: steps.iter().map(|s| (at(s), share(s))).collect(),
                bars: steps.iter().map(|s| (at(s), s.bar_gap)).collect(),
            }
        })
        .collect();
    let unit = analyses
        .first()
        .map_or("step".to_string(), |a| a.scenario.step_unit.clone());
    let svg = chart::svg(&chart::CompareChart(&curves, &unit))?;
    let _ = writeln!(
        h,
        "<figure class=\"chart compare\">\n{svg}\n<figcaption>The gap over time in each scenario: above the orange line the parties are apart, below it a zone exists.</figcaption>\n</figure>\n</section>"
    );
    Ok(())
}

fn scenario(h: &mut String, a: &Analysis<'_>, style: chart::Style) -> Result<(), ChartError> {
    let sc = a.scenario;
    let tl = &a.timeline;
    let unit = &sc.step_unit;
    let _ = writeln!(h, "<section class=\"scenario\" id=\"{}\">", esc(&sc.name));
    let _ = writeln!(h, "<h2>{}</h2>", esc(&sc.title));
    if let Some(v) = variant_sentence(&a.variant) {
        let _ = writeln!(h, "<p class=\"variant\">{}</p>", esc(&v));
    }
    if !sc.description.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(&sc.description));
    }
    let f = &a.facts;
    let told = &tl.steps[f.telling_step() as usize];
    let _ = writeln!(
        h,
        "<table class=\"facts\">\n<tr><th>outcome</th><td>{}</td></tr>\n<tr><th>first zone</th><td>{}</td></tr>\n<tr><th>smallest gap</th><td>{} at {unit} {}</td></tr>\n<tr><th>main blocker</th><td>{}</td></tr>\n<tr><th>why</th><td>{}</td></tr>\n<tr><th>source</th><td>{}</td></tr>\n</table>",
        esc(f.outcome.label()),
        first_zone_text(f.first_zone, unit),
        gap_text(f.smallest_gap.gap),
        f.smallest_gap.step,
        esc(&f.main_blocker_name(sc)),
        esc(&format!(
            "{unit} {}: {}",
            told.step,
            crate::why::zone_text(sc, told)
        )),
        esc(&sc.source),
    );
    assumptions(h, sc);
    blocs(h, sc);
    charts(h, sc, tl, told, style)?;
    let _ = writeln!(h, "<h3>What happened</h3>\n<ol class=\"narrative\">");
    for p in &a.narrative {
        let _ = writeln!(h, "<li>{}</li>", esc(p));
    }
    h.push_str("</ol>\n");
    if let Some(o) = &a.openings {
        openings(h, sc, tl, o);
    }
    if let Some(s) = &a.sensitivity {
        sensitivity(h, sc, s)?;
    }
    let _ = writeln!(
        h,
        "<h3>Questions for discussion</h3>\n<ol class=\"questions\">"
    );
    for q in &a.questions {
        let _ = writeln!(h, "<li>{}</li>", esc(q));
    }
    h.push_str("</ol>\n</section>\n");
    Ok(())
}

/// The Assumptions box: what the scenario chose where its source is
/// silent, beside the facts read from it.
fn assumptions(h: &mut String, sc: &Scenario) {
    let all = super::assumptions(sc);
    let cited = super::cited(sc);
    if all.is_empty() && cited.is_empty() {
        return;
    }
    h.push_str("<div class=\"assumptions\">\n<h3>Assumptions</h3>\n");
    let mut list = |title: &str, items: &[String]| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(h, "<p>{title}</p>\n<ul>");
        for a in items {
            let _ = writeln!(h, "<li>{}</li>", esc(a));
        }
        h.push_str("</ul>\n");
    };
    list("Not in the article: chosen for this scenario.", &all);
    list("Read from the article:", &cited);
    h.push_str("</div>\n");
}

/// Each bloc's rule, pivotal member and members' bars, so a reader can
/// check whose yes the bloc waits for.
fn blocs(h: &mut String, sc: &Scenario) {
    let blocs = crate::text::bloc_lines(sc);
    if blocs.is_empty() {
        return;
    }
    h.push_str("<div class=\"blocs\">\n<h3>Blocs</h3>\n");
    for b in &blocs {
        let _ = writeln!(h, "<p>{}</p>", esc(b));
    }
    h.push_str("</div>\n");
}

/// The zone, per-issue (at step `told`) and gap charts, inline, with their
/// captions.
fn charts(
    h: &mut String,
    sc: &Scenario,
    tl: &Timeline,
    told: &Step,
    style: chart::Style,
) -> Result<(), ChartError> {
    let unit = &sc.step_unit;
    let label = esc(&sc.issues[sc.front_issue].label);
    let (zone, caption) = match style {
        chart::Style::Detailed => (
            chart::svg(&chart::ZoneChart(sc, tl))?,
            format!(
                "Each party's limits on {label} (lines in its colour, named at the right; limits that coincide show as nested stripes), the zone where the consenting parties' ranges meet (green), {} (wide grey) and every event, numbered as in the scenario file.",
                sc.labels.front_words()
            ),
        ),
        chart::Style::Simple => (
            chart::svg(&chart::simple::SimpleZone(sc, tl))?,
            format!(
                "On {label}: the highest limit any party whose consent is needed puts below (\"needs at least\") and the lowest it puts above (\"accepts at most\"), in the colour of the party that sets it. Green is the zone; grey is room on this issue while other issues or the bars keep the parties apart."
            ),
        ),
    };
    let gap = chart::svg(&chart::GapChart(sc, tl))?;
    let issues = chart::issues_svgs(sc, told, unit)?;
    let _ = writeln!(
        h,
        "<figure class=\"chart issues\">\n{issues}\n<figcaption>Issue by issue at {unit} {}: on each issue, what each party accepts with the other issues settled as at the best joint settlement (dashed). The bars meet on every issue exactly when the zone exists.</figcaption>\n</figure>",
        told.step
    );
    let _ = writeln!(
        h,
        "<figure class=\"chart zone\">\n{zone}\n<figcaption>{caption}</figcaption>\n</figure>"
    );
    let _ = writeln!(
        h,
        "<figure class=\"chart gap\">\n{gap}\n<figcaption>The gap, wall by wall, and who blocks at each {unit}. Where the red lines cross at some {unit}, the upper panel shows by how much, in the issue's own units (below zero, the room they leave); the lower panel how far apart the bars are in utility (between the lines where they cross; below zero, the zone's depth). The legend says what a step of the bars' axis is worth in the front issue's units.</figcaption>\n</figure>"
    );
    Ok(())
}

/// The "what would open the zone" section on its own, for the classroom
/// page.
pub fn openings_html(sc: &Scenario, tl: &Timeline, o: &Openings) -> String {
    let mut h = String::new();
    openings(&mut h, sc, tl, o);
    h
}

/// The "what would open the zone" table: each party's levers alone, in
/// their own currencies, then two parties together.
fn openings(h: &mut String, sc: &Scenario, tl: &Timeline, o: &Openings) {
    let step = tl.steps.get(o.step as usize);
    let unit = &sc.step_unit;
    let _ = writeln!(
        h,
        "<h3>What would open the zone at {unit} {}</h3>\n<p>For each party whose consent is needed, each lever moved alone, everything else as it is at that {unit}: its bar in utility, each red line and its ideal on each issue in the issue's own units; \"none alone\" where that lever alone cannot open the zone. \"All at once\" is the smallest <em>concession</em> d that opens it: the bar lowered by d and every red line moved out by d of its issue's range. Which assumptions carry the result is the sensitivity table's question, below.</p>",
        o.step
    );
    if let Some(why) = super::reason_text(sc, o) {
        let _ = writeln!(h, "<p>Why {unit} {}: {}.</p>", o.step, esc(&why));
    }
    let _ = writeln!(
        h,
        "<table class=\"openings\">\n<tr><th>party</th><th>what changes</th><th>now</th><th>opens the zone at</th><th>change</th></tr>"
    );
    for a in &o.alone {
        for m in &a.moves {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&sc.parties[m.party].name),
                esc(&m.lever.name(sc)),
                esc(&lever_value(sc, m.lever, m.from)),
                m.to.map_or("none alone".into(), |v| esc(&lever_value(sc, m.lever, v))),
                esc(&change_text(sc, m)),
            );
            if let Some(note) = step.and_then(|s| super::bar_row_note(sc, s, m)) {
                let _ = writeln!(
                    h,
                    "<tr class=\"in-units\"><td></td><td colspan=\"4\">{}</td></tr>",
                    esc(&note)
                );
            }
        }
        let all = match a.concession {
            Some(d) => format!(
                "concession {}",
                super::party_concession_text(sc, a.party, d)
            ),
            None => "impossible alone: the others have no zone without it".into(),
        };
        let _ = writeln!(
            h,
            "<tr class=\"together\"><td>{}</td><td colspan=\"4\">all at once: {all}</td></tr>",
            esc(&sc.parties[a.party].name)
        );
    }
    h.push_str("</table>\n");
    if !o.joint.is_empty() {
        let _ = writeln!(
            h,
            "<table class=\"joint\">\n<tr><th>two parties, each conceding alike</th><th>concession d</th></tr>"
        );
        for j in &o.joint {
            let _ = writeln!(
                h,
                "<tr><td>{} and {}</td><td>{}{}</td></tr>",
                esc(&sc.parties[j.parties[0]].name),
                esc(&sc.parties[j.parties[1]].name),
                esc(&super::joint_concession_text(sc, j)),
                o.suffices_alone(j).map_or(String::new(), |p| format!(
                    " ({} alone suffices)",
                    esc(&sc.parties[p].name)
                ))
            );
        }
        h.push_str("</table>\n");
    }
    let _ = writeln!(
        h,
        "<p><strong>{}.</strong></p>",
        esc(&capitalise(&openings_sentence(sc, o)))
    );
}

/// Which assumptions carry the result: the tornado chart and the table of
/// the fields with the largest effects.
fn sensitivity(h: &mut String, sc: &Scenario, s: &Sensitivity) -> Result<(), ChartError> {
    let pct = |k: u64, n: u64| format!("{:.1}%", 100.0 * share(k, n));
    let b = &s.base;
    let _ = writeln!(
        h,
        "<h3>Which assumptions carry the result</h3>\n<p>Each bar, red line, knob, chance event's probability and starting world value moved down and up by {:.0}% of its span (clipped to its allowed range), {} runs each with the same random streams as the scenario as written: P(zone within {} {}s) {}, P(deal) {}, mean smallest gap {} as written.</p>",
        100.0 * s.step,
        s.runs,
        sc.steps,
        sc.step_unit,
        pct(b.zone, b.runs),
        pct(b.deal, b.runs),
        gap_text(b.mean_smallest_gap()),
    );
    let tornado = chart::svg(&Tornado(sc, s))?;
    let _ = writeln!(
        h,
        "<figure class=\"chart sensitivity\">\n{tornado}\n<figcaption>The {} fields with the largest effect, largest first: blue bars the field moved down, orange moved up, measured from the scenario as written (black line).</figcaption>\n</figure>",
        s.rows.len().min(ROWS)
    );
    h.push_str("<table class=\"sensitivity\">\n<tr><th>field</th><th>as written</th><th>down / up</th><th>P(zone) down / up</th><th>P(deal) down / up</th><th>mean smallest gap down / up</th></tr>\n");
    for r in s.rows.iter().take(ROWS) {
        let f = &r.factor;
        let _ = writeln!(
            h,
            "<tr><td>{} <code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{} / {}</td><td class=\"num\">{} / {}</td><td class=\"num\">{} / {}</td></tr>",
            esc(&capitalise(&f.words)),
            esc(&f.path),
            value(f.base),
            value(f.low),
            value(f.high),
            pct(r.low.zone, r.low.runs),
            pct(r.high.zone, r.high.runs),
            pct(r.low.deal, r.low.runs),
            pct(r.high.deal, r.high.runs),
            gap_text(r.low.mean_smallest_gap()),
            gap_text(r.high.mean_smallest_gap()),
        );
    }
    h.push_str("</table>\n");
    let carriers = carriers(s);
    let line = if carriers.is_empty() {
        "No single field moved this far changes P(zone) or P(deal) by 5 points or more. That does not mean the result rests on no assumption: two parties holding the same line or bar each hand the wall to the other when moved alone; move them together (a sweep of two fields) to see what they carry.".to_string()
    } else {
        format!(
            "Carrying the result (a change of 5 points or more): {}.",
            and_list(&carriers)
        )
    };
    let _ = writeln!(h, "<p><strong>{}</strong></p>", esc(&line));
    Ok(())
}
