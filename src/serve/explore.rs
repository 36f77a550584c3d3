//! The explore page's work: a variant of a scenario (the page's edits and
//! seed) becomes the scenario text it stands for, is read like any file,
//! run, and drawn with the same chart code as `zopa run`.

use std::time::Instant;

use plotters::style::RGBColor;
use serde::{Deserialize, Serialize};
use zopa::chart::legend::Mark;
use zopa::facts::Facts;
use zopa::model::{Change, Field, Scenario};
use zopa::scenario::edit::{self, Edit};
use zopa::sim::{self, Timeline};
use zopa::{chart, output, report, why};

use super::book::Entry;

/// Most edits one request may carry: more than every control of the
/// largest scenario.
pub const MAX_EDITS: usize = 1000;

/// What the page sends: its edits, the seed, and optionally the step to
/// look at and a pinned variant to draw beneath.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Ask {
    #[serde(default)]
    pub edits: Vec<Edit>,
    #[serde(default = "one")]
    pub seed: u64,
    pub at: Option<u32>,
    pub pin: Option<Pin>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Pin {
    #[serde(default)]
    pub edits: Vec<Edit>,
    #[serde(default = "one")]
    pub seed: u64,
}

fn one() -> u64 {
    1
}

/// Why the page's request cannot be run, in words for the page.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    /// The control at fault, if one is.
    pub path: Option<String>,
    pub message: String,
}

/// A variant ready to run.
pub struct Variant {
    /// The scenario file the variant stands for, as downloaded.
    pub text: String,
    pub scenario: Scenario,
    pub changes: Vec<Change>,
}

/// The variant's text: the file with the edits made, under a header that
/// says how to reproduce the page; then read as any scenario file.
pub fn variant(entry: &Entry, edits: &[Edit], seed: u64) -> Result<Variant, Refusal> {
    if edits.len() > MAX_EDITS {
        return Err(Refusal {
            path: None,
            message: format!(
                "{} changes at once is more than the {MAX_EDITS} a page sends",
                edits.len()
            ),
        });
    }
    let (body, changes) =
        edit::apply(&entry.text, &entry.scenario, edits).map_err(|e| Refusal {
            path: Some(e.path.clone()),
            message: e.message,
        })?;
    let text = format!("{}{body}", header(entry, seed, &changes));
    let scenario = zopa::scenario::parse(&entry.path, text.clone()).map_err(|e| Refusal {
        path: None,
        message: plain(&e),
    })?;
    Ok(Variant {
        text,
        scenario,
        changes,
    })
}

/// What the file's validation says, without the snippet of a file the page
/// never shows: each problem and how to fix it.
fn plain(e: &zopa::scenario::FileErrors) -> String {
    let lines: Vec<String> = e
        .problems
        .iter()
        .map(|d| format!("{} (to fix: {})", d.problem.message(), d.problem.hint()))
        .collect();
    lines.join("\n")
}

/// The comment block a downloaded variant starts with.
fn header(entry: &Entry, seed: u64, changes: &[Change]) -> String {
    if changes.is_empty() {
        return String::new();
    }
    let file = entry
        .path
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let mut h = format!(
        "# A variant of {file} made on the zopa page (seed {seed}).\n# `zopa run THIS_FILE --seed {seed}` reproduces the page's timeline.\n# Changed on the page (was -> now):\n"
    );
    for c in changes {
        h.push_str(&format!("#   {}: {} -> {}\n", c.path, c.from, c.to));
    }
    h.push('\n');
    h
}

/// Everything the page shows for one variant.
#[derive(Debug, Serialize)]
pub struct View {
    pub changes: Vec<ChangeView>,
    /// The step the issue and outcome charts and the openings look at.
    pub at: u32,
    pub steps_run: usize,
    pub outcome: &'static str,
    pub first_zone: String,
    /// Whether a zone exists at `at`.
    pub zone_at: bool,
    pub why: String,
    /// What the scenario chose rather than read from its source (the
    /// page's Assumptions box).
    pub assumptions: Vec<String>,
    /// The values read from the source, with their line and quote (the
    /// box's "Read from the article").
    pub cited: Vec<String>,
    /// Each bloc's rule, pivotal member and members' bars, shown as they
    /// are: the page has no control for them.
    pub blocs: Vec<String>,
    pub openings: String,
    pub story: String,
    pub summary: String,
    pub charts: Charts,
    /// The fingerprint of the variant's timeline.csv, to compare runs.
    pub timeline_hash: String,
    pub millis: f64,
    /// Each bar control's value said as the settlements that meet it, so a
    /// utility slider never stands without its worth in units.
    pub bar_worth: Vec<BarWorth>,
}

/// What a party's bar at step 0 stands for on its issue.
#[derive(Debug, Serialize)]
pub struct BarWorth {
    /// The control's path, `parties.<id>.reservation`.
    pub path: String,
    /// "met by territory of at least 15.00 % of Ukraine, other issues at
    /// its ideal" (`text::bar_met`, as the story says it).
    pub text: String,
}

/// The worth of every bar a control sets, in the variant's own values.
fn bar_worth(sc: &Scenario) -> Vec<BarWorth> {
    (sc.parties.iter().enumerate())
        .filter(|(_, party)| party.archetype.unread(Field::Reservation).is_none())
        .map(|(p, party)| {
            let ideal = &party.ideal[..sc.issues.len()];
            let text = zopa::text::bar_met(sc, p, party.reservation, ideal);
            BarWorth {
                path: format!("parties.{}.reservation", party.id),
                text: text.unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub path: String,
    pub from: String,
    pub to: String,
    /// A bar's new value said as the settlements that meet it, with the
    /// party's other issues at its ideal as written (" (met by territory
    /// of at least 15.00 % of Ukraine, other issues at its ideal)"); ""
    /// for any other field.
    pub units: String,
}

/// The units a changed bar is said in on the page, from `text::bar_aside`.
fn bar_in_units(sc: &Scenario, c: &Change) -> String {
    let id = match c.path.split('.').collect::<Vec<_>>().as_slice() {
        ["parties", id, "reservation"] => id.to_string(),
        _ => return String::new(),
    };
    let (Some(p), zopa::model::Setting::Number(bar)) = (sc.party_index(&id), &c.to) else {
        return String::new();
    };
    let ideal = &sc.parties[p].ideal[..sc.issues.len()];
    zopa::text::bar_aside(sc, p, *bar, ideal)
}

#[derive(Debug, Serialize)]
pub struct Charts {
    /// The zone chart without its legend panel: the page sets the legend
    /// (`zone_legend`) in its own text, at least 14 px at 1280x720, where
    /// the chart's own would be scaled down to about 9.
    pub zone: String,
    pub zone_legend: Vec<LegendEntry>,
    pub gap: String,
    pub issues: String,
    pub outcome: String,
}

/// One entry of a chart's legend, as the page draws it: the sample's
/// kind (`line`, `dashed`, `block`, `band`, `dot`, `cross`, or `blank`
/// for a line continuing the entry above), its colour and stroke width in
/// pixels of the chart, and the words.
#[derive(Debug, Serialize)]
pub struct LegendEntry {
    pub kind: &'static str,
    pub colour: String,
    pub width: u32,
    pub text: String,
}

impl LegendEntry {
    fn of((mark, text): &(Mark, String)) -> Self {
        let hex = |c: &RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        let ink = "#212121".to_string();
        let (kind, colour, width) = match mark {
            Mark::Band(c, _) => ("band", hex(c), 2),
            Mark::Block(c) => ("block", hex(c), 0),
            Mark::Line(c, w) => ("line", hex(c), *w),
            Mark::Dashed(c, w) => ("dashed", hex(c), *w),
            Mark::Dot => ("dot", ink, 1),
            Mark::Cross => ("cross", ink, 3),
            Mark::Blank => ("blank", ink, 0),
        };
        LegendEntry {
            kind,
            colour,
            width,
            text: text.clone(),
        }
    }
}

/// Runs a request and draws it.
pub fn view(entry: &Entry, ask: &Ask) -> Result<View, Refusal> {
    let started = Instant::now();
    let v = variant(entry, &ask.edits, ask.seed)?;
    let sc = &v.scenario;
    if let Some(at) = ask.at.filter(|&a| a >= sc.steps) {
        return Err(Refusal {
            path: Some("at".into()),
            message: format!(
                "step {at} is beyond the horizon; the last is {}",
                sc.steps - 1
            ),
        });
    }
    let pinned = match &ask.pin {
        Some(p) => Some(sim::run(
            &variant(entry, &p.edits, p.seed)?.scenario,
            p.seed,
        )),
        None => None,
    };
    let tl = sim::run(sc, ask.seed);
    let csv = timeline_file(sc, &tl, ask.seed);
    let facts = Facts::of(sc, &tl);
    let last = tl.steps.len().saturating_sub(1) as u32;
    let at = ask.at.unwrap_or_else(|| facts.telling_step()).min(last);
    let charts = draw(sc, &tl, &facts, at, pinned.as_ref()).map_err(|e| Refusal {
        path: None,
        message: format!("the charts could not be drawn: {e}"),
    })?;
    let summary = output::summary_text(sc, &tl, &facts);
    let a = report::analyse(sc, tl, entry.source.as_deref(), Some(at));
    let step = &a.timeline.steps[at as usize];
    let openings = a
        .openings
        .as_ref()
        .filter(|_| !step.zone_exists())
        .map(|o| report::html::openings_html(sc, &a.timeline, o))
        .unwrap_or_default();
    Ok(View {
        changes: v
            .changes
            .iter()
            .map(|c| ChangeView {
                path: c.path.clone(),
                from: c.from.to_string(),
                to: c.to.to_string(),
                units: bar_in_units(sc, c),
            })
            .collect(),
        at,
        steps_run: a.timeline.steps.len(),
        outcome: a.facts.outcome.label(),
        first_zone: a.facts.first_zone_text(&sc.step_unit),
        zone_at: step.zone_exists(),
        why: format!("{} {at}: {}", sc.step_unit, why::zone_text(sc, step)),
        assumptions: report::assumptions(sc),
        cited: report::cited(sc),
        blocs: zopa::text::bloc_lines(sc),
        openings,
        story: report::text::render(&a),
        summary,
        charts,
        timeline_hash: output::fingerprint(csv.as_bytes()),
        millis: started.elapsed().as_secs_f64() * 1e3,
        bar_worth: bar_worth(sc),
    })
}

fn draw(
    sc: &Scenario,
    tl: &Timeline,
    facts: &Facts,
    at: u32,
    pinned: Option<&Timeline>,
) -> Result<Charts, chart::ChartError> {
    let step = &tl.steps[at as usize];
    let outcome = chart::outcome::OutcomeChart {
        scenario: sc,
        timeline: tl,
        step: at,
        pair: facts.outcome_pair(step),
    };
    let (zone, entries) = chart::zone_svg_and_legend(sc, tl, pinned.map(|p| (p, "pinned")))?;
    let gap = match pinned {
        Some(p) => chart::svg(&chart::GapVersus(sc, tl, p, "pinned"))?,
        None => chart::svg(&chart::GapChart(sc, tl))?,
    };
    Ok(Charts {
        zone,
        zone_legend: entries.iter().map(LegendEntry::of).collect(),
        gap,
        issues: chart::issues_svgs(sc, step, &sc.step_unit)?,
        outcome: chart::svg(&outcome)?,
    })
}

/// The variant's timeline.csv, as `zopa run` writes it.
pub fn timeline(entry: &Entry, ask: &Ask) -> Result<String, Refusal> {
    let v = variant(entry, &ask.edits, ask.seed)?;
    let tl = sim::run(&v.scenario, ask.seed);
    Ok(timeline_file(&v.scenario, &tl, ask.seed))
}

/// timeline.csv as `zopa run --seed SEED` writes it for the downloaded
/// variant: the page's edits are in that file's text, not `--set` values,
/// so its provenance line names the scenario and seed and no variant, and
/// the two files are the same bytes.
fn timeline_file(sc: &Scenario, tl: &Timeline, seed: u64) -> String {
    output::Provenance::new("run", &sc.name, seed, 1).stamp(&output::timeline_csv(sc, tl))
}
