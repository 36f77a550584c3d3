//! `zopa lesson` as a teacher runs it: three self-contained files, every
//! declared what-if run with the result `zopa run --set` gives, and bad
//! input refused with nothing written.

use std::path::Path;
use std::process::{Command, Output};

fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The outcome line of `zopa run` with the variant's assignments.
fn outcome_of(scenario: &str, set: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["run", scenario, "--out", out.path().to_str().unwrap()];
    for s in set {
        args.extend(["--set", s]);
    }
    let o = zopa(&args);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let line = text.lines().find(|l| l.starts_with("outcome:")).unwrap();
    line.trim_start_matches("outcome:").trim().to_string()
}

#[test]
fn a_lesson_holds_every_what_if_with_the_result_run_gives() {
    let out = tempfile::tempdir().unwrap();
    let scenario = "scenarios/freeze-the-front.toml";
    let o = zopa(&["lesson", scenario, "--out", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let deck = read(out.path(), "deck.html");
    let handout = read(out.path(), "handout.html");
    let notes = read(out.path(), "teacher-notes.html");
    // Self-contained: nothing is fetched.
    for (name, page) in [("deck", &deck), ("handout", &handout), ("notes", &notes)] {
        for link in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!page.contains(link), "{name} fetches `{link}`");
        }
    }
    // Ukraine and Europe cede the rest of Donetsk: a deal, at the week and
    // settlement `run` gives.
    let freeze = outcome_of(
        scenario,
        &[
            "parties.ukraine.red_lines.territory.max=2",
            "parties.europe.red_lines.territory.max=2",
        ],
    );
    let week = freeze
        .strip_prefix("DEAL at week ")
        .and_then(|r| r.split(':').next())
        .unwrap_or_else(|| panic!("{freeze}"));
    let said = format!("deal at week {week}:");
    assert!(deck.contains(&said), "deck says `{said}`");
    assert!(notes.contains(&said), "notes say `{said}`");
    for title in [
        "Russia accepts a freeze",
        "Ukraine and Europe cede the rest of Donetsk",
        "The US walks away",
        "More pressure",
    ] {
        assert!(
            deck.contains(title) && handout.contains(title) && notes.contains(title),
            "{title}"
        );
    }
    for word in ["zone", "bar", "red line", "blocker"] {
        assert!(
            handout.contains(&format!("<b>{word}</b>")),
            "glossary: {word}"
        );
    }
    assert_eq!(
        deck.matches("<svg").count(),
        5,
        "one chart as written, one per what-if"
    );
}

#[test]
fn an_unknown_level_is_refused_and_nothing_is_written() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("lesson");
    let o = zopa(&[
        "lesson",
        "scenarios/textbook.toml",
        "--level",
        "expert",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("'expert'") && err.contains("basic, advanced"),
        "{err}"
    );
    assert!(!dir.exists());
}

#[test]
fn a_refused_variant_stops_the_lesson_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/textbook.toml"),
    )
    .unwrap()
        + "\n[[variants]]\ntitle = \"dearer\"\nquestion = \"?\"\nset = [\"parties.seller.reservation=1.5\"]\n";
    let file = tmp.path().join("case.toml");
    std::fs::write(&file, &text).unwrap();
    let dir = tmp.path().join("lesson");
    let o = zopa(&[
        "lesson",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let line = text.lines().count();
    assert!(err.contains(&format!("case.toml:{line}:")), "{err}");
    assert!(
        err.contains("variant `dearer`") && err.contains("help:"),
        "{err}"
    );
    assert!(!dir.exists());
}

#[test]
fn the_decision_question_keeps_the_capitals_of_names_in_the_issue() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/budapest-cancelled.toml");
    let sc = zopa::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let q = zopa::report::lesson::decision_question(&sc);
    assert!(
        q.contains("settlement of territory under Russian control"),
        "{q}"
    );
}

/// The text of every `<q data-line="N">...</q>` in `html`, with its line,
/// HTML entities undone.
fn quotes(html: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for part in html.split("<q data-line=\"").skip(1) {
        let (line, rest) = part.split_once("\">").unwrap();
        let (text, _) = rest.split_once("</q>").unwrap();
        let text = text
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.push((line.parse().unwrap(), text));
    }
    out
}

#[test]
fn the_parties_slide_quotes_the_article_verbatim_with_its_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join("scenarios/budapest-cancelled.toml");
    let sc = zopa::scenario::load(&file).unwrap_or_else(|e| panic!("{e}"));
    // The source, read here from the path the file gives, not through the
    // library, so a quote the view altered cannot pass.
    let source = std::fs::read_to_string(root.join("scenarios").join(&sc.source)).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    let out = tempfile::tempdir().unwrap();
    let o = zopa(&[
        "lesson",
        file.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let deck = read(out.path(), "deck.html");
    let slide = deck
        .split("<section")
        .find(|s| s.contains("Who is at the table"))
        .expect("a parties slide");
    let shown = quotes(slide);
    assert_eq!(shown.len(), sc.cites.len(), "one quote per cite: {shown:?}");
    for (line, quote) in &shown {
        let said = lines.get(line - 1).copied().unwrap_or("");
        assert!(
            said.contains(quote.as_str()),
            "line {line} `{said}` lacks `{quote}`"
        );
        assert!(
            slide.contains(&format!("(article, line {line})")),
            "line {line} named"
        );
    }
    // Each quote sits in its own party's item.
    let europe = slide
        .split("<li>")
        .find(|i| i.starts_with("<b>Europe</b>"))
        .expect("Europe's item");
    assert_eq!(quotes(europe).len(), 2, "{europe}");
    let handout = read(out.path(), "handout.html");
    assert_eq!(
        quotes(&handout).len(),
        sc.cites.len(),
        "the handout quotes too"
    );
}

#[test]
fn a_scenario_without_what_ifs_gets_no_what_if_heading_or_question() {
    // The textbook has no [[variants]]; the job offer has.
    let out = tempfile::tempdir().unwrap();
    let o = zopa(&[
        "lesson",
        "scenarios/textbook.toml",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for name in ["handout.html", "deck.html", "teacher-notes.html"] {
        let page = read(out.path(), name);
        assert!(!page.to_lowercase().contains("what if"), "{name}");
        assert!(!page.to_lowercase().contains("what-if"), "{name}");
    }
    for name in ["handout.html", "deck.html"] {
        let page = read(out.path(), name);
        assert!(page.contains("Which party's bar or red line"), "{name}");
    }
}
