//! `zopa value`: a settlement's worth to each party, who accepts it and
//! why not, checked against the textbook's hand calculation (seller: U =
//! p/10, bar 0.4; buyer: U = 1 - p/10, bar 0.3) and a red line; bad
//! settlements exit 2.

use std::process::{Command, Output};

fn zopa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the zopa binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["value"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let o = zopa(&all);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn close(v: &serde_json::Value, x: f64) -> bool {
    (v.as_f64().expect("number") - x).abs() < 1e-12
}

#[test]
fn inside_the_zone_both_accept_with_their_hand_utilities() {
    let j = json(&["scenarios/textbook.toml", "--at", "price=5.5"]);
    let p = &j["parties"];
    assert!(
        close(&p[0]["utility"], 0.55) && close(&p[0]["bar"], 0.4),
        "{j}"
    );
    assert!(
        close(&p[1]["utility"], 0.45) && close(&p[1]["bar"], 0.3),
        "{j}"
    );
    assert_eq!(j["agreed"], true);
}

#[test]
fn below_the_sellers_bar_the_seller_refuses_by_its_bar() {
    let j = json(&["scenarios/textbook.toml", "--at", "price=3"]);
    let seller = &j["parties"][0];
    assert_eq!(seller["accepts"], false);
    assert_eq!(
        seller["why_not"][0],
        "its bar: 0.100 short in utility, worth 1.00 thousand EUR of price to Seller"
    );
    assert_eq!(j["parties"][1]["accepts"], true);
    assert_eq!(j["agreed"], false);
}

#[test]
fn a_settlement_beyond_a_red_line_is_refused_by_that_line_in_units() {
    // Ukraine's line is one point behind the front (19 at week 0).
    let j = json(&[
        "scenarios/budapest-cancelled.toml",
        "--at",
        "territory=25,sanctions=0,security=100",
    ]);
    let ukraine = (j["parties"].as_array().expect("parties").iter())
        .find(|p| p["party"] == "ukraine")
        .expect("ukraine");
    let why = ukraine["why_not"].as_array().expect("reasons");
    assert!(
        why.iter().any(|w| w
            .as_str()
            .is_some_and(|w| w.starts_with("its red line on territory: at most 18"))),
        "{ukraine}"
    );
    let text =
        String::from_utf8(zopa(&["value", "scenarios/textbook.toml", "--at", "price=3"]).stdout)
            .expect("utf-8");
    assert!(
        text.contains("Seller: utility 0.300, bar 0.400: refuses (its bar"),
        "{text}"
    );
}

#[test]
fn a_bad_settlement_or_step_exits_2_saying_what_to_fix() {
    for (args, says) in [
        (vec!["--at", "prise=3"], "did you mean `price`?"),
        (
            vec!["--at", "price=30"],
            "outside the range of `price`, 0 to 10",
        ),
        (vec!["--at", "price=3,price=4"], "given twice"),
        (vec!["--at", "price"], "has no `=`"),
        (
            vec!["--at", "price=3", "--step", "40"],
            "--step 40 is beyond the horizon",
        ),
    ] {
        let mut all = vec!["value", "scenarios/textbook.toml"];
        all.extend(&args);
        let o = zopa(&all);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let o = zopa(&[
        "value",
        "scenarios/budapest-cancelled.toml",
        "--at",
        "territory=19",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no value for sanctions, security"));
}

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

#[test]
fn a_chart_mark_is_drawn_on_the_outcome_chart_where_its_utilities_put_it() {
    let text = format!(
        "{TEXTBOOK}\n[charts]\n\n[[charts.marks]]\nlabel = \"split the difference\"\nat = {{ price = 5 }}\n"
    );
    let sc = zopa::scenario::parse(std::path::Path::new("m.toml"), text).expect("valid");
    assert_eq!(sc.chart_marks.len(), 1);
    assert_eq!(sc.chart_marks[0].at, vec![5.0]);
    let tl = zopa::sim::run(&sc, 1);
    let chart = zopa::chart::outcome::OutcomeChart {
        scenario: &sc,
        timeline: &tl,
        step: 0,
        pair: [0, 1],
    };
    let svg = zopa::chart::svg(&chart).expect("svg");
    assert!(
        svg.contains("split the difference"),
        "the mark's label is drawn"
    );
    assert!(
        svg.contains("mark: split the difference"),
        "and named in the legend"
    );
}

#[test]
fn a_chart_mark_without_an_issue_or_out_of_range_is_located_and_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (i, (at, says)) in [
        ("at = { }", "gives no value for issue `price`"),
        ("at = { price = 50 }", "outside"),
        ("at = { prise = 5 }", "price"),
    ]
    .into_iter()
    .enumerate()
    {
        let text = format!("{TEXTBOOK}\n[charts]\n\n[[charts.marks]]\nlabel = \"m\"\n{at}\n");
        let file = tmp.path().join(format!("m{i}.toml"));
        std::fs::write(&file, &text).expect("write");
        let o = zopa(&["validate", &file.display().to_string()]);
        let err =
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
        let line = text[..text.find(at).expect("at")].matches('\n').count() + 1;
        assert!(err.contains(&format!("m{i}.toml:{line}:")), "{err}");
    }
}

/// On a yes/no or options issue a settlement names its option (or gives
/// its value); a name that is no option, or a value between two, is
/// refused with the options to choose from.
#[test]
fn a_discrete_issue_is_given_by_its_options_name() {
    let out = zopa(&[
        "value",
        "scenarios/job-offer.toml",
        "--at",
        "salary=70,start=0,bonus=10,remote=yes",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("remote: yes"), "{text}");
    let by_value = zopa(&[
        "value",
        "scenarios/job-offer.toml",
        "--at",
        "salary=70,start=0,bonus=10,remote=1",
    ]);
    assert_eq!(
        by_value.stdout, out.stdout,
        "an option's value reads as its name"
    );
    for bad in ["remote=maybe", "remote=0.5"] {
        let at = format!("salary=70,start=0,bonus=10,{bad}");
        let out = zopa(&["value", "scenarios/job-offer.toml", "--at", &at]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("is no option of `remote`") && err.contains("`no`, `yes`"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}
