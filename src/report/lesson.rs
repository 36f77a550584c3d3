//! A lesson from one scenario: a slide deck for the projector, a handout of
//! at most two printed pages, and teacher notes with the expected answers.
//!
//! Contract: every page is one self-contained HTML file (charts inline as
//! SVG, no script or style fetched from the network); a slide is 1280x720
//! with body text of at least 28 px and prints as one page; every sentence
//! is built from the runs' facts through `text` and `why`, so the deck says
//! what `zopa run` and `zopa explain` say. The caller runs the scenario and
//! its `[[variants]]`; this module only lays them out.

use std::fmt::Write;

use crate::chart::{self, ChartError};
use crate::facts::Facts;
use crate::model::Scenario;
use crate::sim::{Outcome, Timeline};
use crate::text::{capitalise, first_zone_text, settlement_text};
use crate::why;

use super::html::esc;

/// How much a lesson shows: `Basic` the simple zone chart and words,
/// `Advanced` the full charts and the numbers behind them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Level {
    #[default]
    Basic,
    Advanced,
}

/// One run of the lesson: the scenario as written or one of its what-ifs.
pub struct Run<'a> {
    pub scenario: &'a Scenario,
    pub timeline: &'a Timeline,
    /// The what-if's title and question; `None` for the scenario as written.
    pub what_if: Option<(&'a str, &'a str)>,
}

/// The three files of a lesson.
pub struct Lesson {
    pub deck: String,
    pub handout: String,
    pub notes: String,
}

/// The glossary every lesson ends with: the four words a class needs.
pub const GLOSSARY: [(&str, &str); 4] = [
    (
        "zone",
        "the settlements every party whose consent is needed would accept; if there is none, no deal is possible",
    ),
    (
        "bar",
        "the worst deal a party would still accept, compared with what it expects without a deal",
    ),
    (
        "red line",
        "a limit a party never crosses, whatever it is offered in return",
    ),
    (
        "blocker",
        "a party whose bar or red line keeps the zone shut",
    ),
];

/// The question the whole lesson answers.
pub fn decision_question(sc: &Scenario) -> String {
    format!(
        "Is there a settlement of {} that every party would accept, and if not, what would have to change?",
        lower_first(&sc.issues[sc.front_issue].label)
    )
}

/// A label inside a sentence: its first letter lower-cased, the rest as
/// written, so a proper name in it ("Russian") keeps its capital.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_lowercase().chain(chars).collect())
}

/// What a run ends in, in one sentence in the issues' units.
pub fn result_sentence(sc: &Scenario, tl: &Timeline) -> String {
    let unit = &sc.step_unit;
    let facts = Facts::of(sc, tl);
    let told = &tl.steps[facts.telling_step() as usize];
    match &tl.outcome {
        Outcome::Deal { step, settlement } => {
            // When the zone first opened answers "how many waves would it
            // have taken": the deal may come later.
            let opened = match facts.first_zone {
                Some(t) if t < *step => format!("The zone first opens at {unit} {t}; a"),
                _ => "A".to_string(),
            };
            format!(
                "{opened} deal at {unit} {step}: {}.",
                settlement_text(sc, settlement)
            )
        }
        Outcome::Missed { first_zone } => format!(
            "A zone appears (first at {}) but no proposal is accepted in time.",
            first_zone_text(Some(*first_zone), unit)
        ),
        Outcome::NoZone => format!(
            "No zone ever appears; at {unit} {}, {}.",
            told.step,
            why::zone_text(sc, told)
        ),
    }
}

/// The deck, the handout and the notes of a lesson. `runs[0]` is the
/// scenario as written, the rest its what-ifs in file order.
pub fn render(runs: &[Run], level: Level) -> Result<Lesson, ChartError> {
    let mut charts = Vec::with_capacity(runs.len());
    for r in runs {
        charts.push(zone_svg(r, level)?);
    }
    Ok(Lesson {
        deck: deck(runs, &charts, level),
        handout: handout(runs, &charts),
        notes: notes(runs),
    })
}

fn zone_svg(r: &Run, level: Level) -> Result<String, ChartError> {
    match level {
        Level::Basic => chart::svg(&chart::simple::SimpleZone(r.scenario, r.timeline)),
        Level::Advanced => chart::svg(&chart::ZoneChart(r.scenario, r.timeline)),
    }
}

const DECK_STYLE: &str = r#"
html, body { margin: 0; background: #222; font-family: sans-serif; }
.slide { width: 1280px; height: 720px; box-sizing: border-box; padding: 40px 60px;
  background: #fff; color: #111; font-size: 28px; line-height: 1.3; overflow: hidden;
  display: none; }
.slide.on { display: block; }
.slide h1 { font-size: 44px; margin: 0 0 20px 0; }
.slide h2 { font-size: 36px; margin: 0 0 14px 0; }
.slide p, .slide li { font-size: 28px; margin: 0 0 12px 0; }
.slide .chart svg { width: auto; height: 420px; display: block; margin: 0 auto; }
.slide.chart-slide p { font-size: 28px; }
.foot { font-size: 24px; color: #555; }
.slide .quote { font-size: 24px; font-style: italic; color: #333; }
@media print {
  @page { size: 1280px 720px; margin: 0; }
  html, body { background: #fff; }
  .slide { display: block; page-break-after: always; break-after: page; }
}
"#;

const DECK_SCRIPT: &str = r#"
(function () {
  var slides = document.querySelectorAll('.slide');
  var at = 0;
  function show(i) {
    at = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach(function (s, k) { s.classList.toggle('on', k === at); });
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') { show(at + 1); }
    if (e.key === 'ArrowLeft' || e.key === 'PageUp') { show(at - 1); }
  });
  // "deck.html#3" opens at the third slide.
  show((parseInt(location.hash.slice(1), 10) || 1) - 1);
})();
"#;

fn deck(runs: &[Run], charts: &[String], level: Level) -> String {
    let Some(base) = runs.first() else {
        return String::new();
    };
    let sc = base.scenario;
    let mut slides: Vec<String> = vec![
        format!(
            "<h1>{}</h1><p>{}</p><p><b>The question:</b> {}</p><p class=\"foot\">Arrow keys move between slides.</p>",
            esc(&sc.title),
            esc(&sc.description),
            esc(&decision_question(sc))
        ),
        parties_slide(sc),
        chart_slide(
            "Where the parties stand",
            &charts[0],
            &result_sentence(sc, base.timeline),
        ),
    ];
    for (r, svg) in runs.iter().zip(charts).skip(1) {
        let (title, question) = r.what_if.unwrap_or(("", ""));
        slides.push(format!(
            "<h1>What if: {}</h1><p>{}</p><p class=\"foot\">Discuss, then move on for the answer.</p>",
            esc(title),
            esc(question)
        ));
        slides.push(chart_slide(
            &format!("What if: {title}"),
            svg,
            &result_sentence(r.scenario, r.timeline),
        ));
    }
    slides.push(list_slide("Debrief", &debrief(runs)));
    let glossary: Vec<String> = GLOSSARY
        .iter()
        .map(|(w, m)| format!("<b>{w}</b>: {m}"))
        .collect();
    slides.push(list_slide("Words", &glossary));
    let level_name = match level {
        Level::Basic => "basic",
        Level::Advanced => "advanced",
    };
    let mut h = page_head(&sc.title, DECK_STYLE);
    for s in &slides {
        let _ = writeln!(
            h,
            "<section class=\"slide\" data-level=\"{level_name}\">{s}</section>"
        );
    }
    let _ = writeln!(h, "<script>{DECK_SCRIPT}</script></body></html>");
    h
}

fn parties_slide(sc: &Scenario) -> String {
    let items: Vec<String> = (0..sc.parties.len()).map(|i| party_item(sc, i)).collect();
    list_slide("Who is at the table", &items)
}

/// A party's goal in words, then the article's own words for each value
/// the scenario cites for it, so the class hears the source and not only
/// the model. Each quote is marked `<q data-line="N">` with the line it is
/// a verbatim fragment of (validation checked that), so a reader can find
/// it and a test can check it (HTML-safe).
fn party_item(sc: &Scenario, i: usize) -> String {
    let p = &sc.parties[i];
    let mut s = format!("<b>{}</b>: {}", esc(&p.name), esc(p.goal_text()));
    let prefix = format!("parties.{}.", p.id);
    for c in sc.cites.iter().filter(|c| c.path.starts_with(&prefix)) {
        let _ = write!(
            s,
            "<br><span class=\"quote\"><q data-line=\"{}\">{}</q> (article, line {})</span>",
            c.line,
            esc(&c.quote),
            c.line
        );
    }
    s
}

fn chart_slide(title: &str, svg: &str, sentence: &str) -> String {
    format!(
        "<h2>{}</h2><div class=\"chart\">{svg}</div><p>{}</p>",
        esc(title),
        esc(sentence)
    )
}

fn list_slide(title: &str, items: &[String]) -> String {
    let mut s = format!("<h1>{}</h1><ul>", esc(title));
    for i in items {
        let _ = write!(s, "<li>{i}</li>");
    }
    s.push_str("</ul>");
    s
}

/// Questions for the end of the class, the same in the deck and the
/// handout (items are HTML-safe).
fn debrief(runs: &[Run]) -> Vec<String> {
    let mut q = vec![
        "Which party's bar or red line keeps the zone shut, and why does that party hold it?"
            .to_string(),
    ];
    // A scenario without what-ifs has none to compare.
    if runs.len() > 1 {
        q.push(
            "Which what-if came closest to a deal, and what would it cost the party that gives way?"
                .to_string(),
        );
    }
    if let Some(base) = runs.first() {
        let sc = base.scenario;
        q.push(esc(&format!(
            "What would you change in {} to make a deal possible, and who would have to accept it?",
            sc.title
        )));
    }
    q
}

const HANDOUT_STYLE: &str = r#"
body { font-family: sans-serif; font-size: 11pt; line-height: 1.3; max-width: 18cm; margin: 1cm auto; color: #111; }
h1 { font-size: 16pt; margin: 0 0 6pt 0; } h2 { font-size: 12pt; margin: 10pt 0 4pt 0; }
.chart svg { width: 100%; height: auto; max-height: 8cm; }
.pair { display: flex; gap: 0.4cm; } .pair > div { flex: 1; }
.pair .chart svg { max-height: 4.5cm; }
@page { size: A4; margin: 1cm; }
"#;

fn handout(runs: &[Run], charts: &[String]) -> String {
    let Some(base) = runs.first() else {
        return String::new();
    };
    let sc = base.scenario;
    let mut h = page_head(&format!("{}: handout", sc.title), HANDOUT_STYLE);
    let _ = writeln!(
        h,
        "<h1>{}</h1><p><b>The question:</b> {}</p>",
        esc(&sc.title),
        esc(&decision_question(sc))
    );
    let _ = writeln!(h, "<h2>Who is at the table</h2><ul>");
    for i in 0..sc.parties.len() {
        let _ = writeln!(h, "<li>{}</li>", party_item(sc, i));
    }
    let _ = writeln!(
        h,
        "</ul><h2>Where the parties stand</h2><div class=\"chart\">{}</div>",
        charts[0]
    );
    let _ = writeln!(h, "<p>{}</p>", esc(&result_sentence(sc, base.timeline)));
    if runs.len() > 1 {
        let _ = writeln!(h, "<h2>What if?</h2><div class=\"pair\">");
        for (r, svg) in runs.iter().zip(charts).skip(1) {
            let (title, question) = r.what_if.unwrap_or(("", ""));
            let _ = writeln!(
                h,
                "<div><b>{}</b><br>{}<div class=\"chart\">{svg}</div></div>",
                esc(title),
                esc(question)
            );
        }
        let _ = writeln!(h, "</div>");
    }
    let _ = writeln!(h, "<h2>Debrief</h2><ol>");
    for q in debrief(runs) {
        let _ = writeln!(h, "<li>{q}</li>");
    }
    let _ = writeln!(h, "</ol><h2>Words</h2><ul>");
    for (w, m) in GLOSSARY {
        let _ = writeln!(h, "<li><b>{w}</b>: {m}</li>");
    }
    let _ = writeln!(h, "</ul></body></html>");
    h
}

fn notes(runs: &[Run]) -> String {
    let Some(base) = runs.first() else {
        return String::new();
    };
    let sc = base.scenario;
    let mut h = page_head(&format!("{}: teacher notes", sc.title), HANDOUT_STYLE);
    let _ = writeln!(h, "<h1>{}: teacher notes</h1>", esc(&sc.title));
    let _ = writeln!(
        h,
        "<h2>As written</h2><p>{}</p>",
        esc(&result_sentence(sc, base.timeline))
    );
    let facts = Facts::of(sc, base.timeline);
    // The question asks what keeps the zone shut: answer it at the last
    // step before the zone first opened, or where the parties came
    // closest when it never did.
    let answer = match facts.first_zone {
        Some(0) => "The zone is open from the start: no bar or red line keeps it shut".to_string(),
        Some(t) => format!(
            "Until {unit} {t} the zone is shut; at {unit} {}, {}",
            t - 1,
            why::zone_text(sc, &base.timeline.steps[t as usize - 1]),
            unit = sc.step_unit
        ),
        None => capitalise(&why::zone_text(
            sc,
            &base.timeline.steps[facts.telling_step() as usize],
        )),
    };
    let _ = writeln!(
        h,
        "<p>Expected answer to the first debrief question: {}. Main blocker over the run: {}.</p>",
        esc(&answer),
        esc(&facts.main_blocker_name(sc))
    );
    if runs.len() > 1 {
        let _ = writeln!(h, "<h2>What-ifs: expected answers</h2><ol>");
        for r in runs.iter().skip(1) {
            let (title, question) = r.what_if.unwrap_or(("", ""));
            let _ = writeln!(
                h,
                "<li><b>{}</b> ({}) {}</li>",
                esc(title),
                esc(question),
                esc(&result_sentence(r.scenario, r.timeline))
            );
        }
        let _ = writeln!(h, "</ol>");
    }
    let _ = writeln!(h, "</body></html>");
    h
}

fn page_head(title: &str, style: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{style}</style></head><body>\n",
        esc(title)
    )
}
