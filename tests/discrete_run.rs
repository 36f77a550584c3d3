//! A run with a yes/no issue, as a user meets it: the settlement takes an
//! option, and the summary and the reasons name it.

use std::process::Command;

use zopa::zone::ZONE_TOL;

const TEXTBOOK: &str = include_str!("../scenarios/textbook.toml");

/// The textbook car with a warranty (yes/no): the seller wants price 10 and
/// no warranty (weights 0.5, 0.5, bar 0.4), the buyer price 0 and a
/// warranty (weights 0.8, 0.2, bar 0.3), read exactly by the mediator.
/// In normalised price y: without a warranty the Nash product
/// (0.1 + 0.5y)(0.5 - 0.8y) peaks at y = 0.2125 (0.20625 * 0.33); with one,
/// (0.5y - 0.4)(0.7 - 0.8y) peaks at y = 0.8375 (0.01875 * 0.03). The
/// mediator offers price 2.125 without a warranty, which both accept.
fn warranty() -> String {
    let issue =
        "[[issues]]\nid = \"warranty\"\nlabel = \"Warranty\"\nkind = \"yes_no\"\n\n[[parties]]";
    TEXTBOOK
        .replacen("[[parties]]", issue, 1)
        .replacen(
            "ideal = { price = 10 }",
            "ideal = { price = 10, warranty = \"no\" }\nweights = { price = 0.5, warranty = 0.5 }",
            1,
        )
        .replacen(
            "ideal = { price = 0 }",
            "ideal = { price = 0, warranty = 1 }\nweights = { price = 0.8, warranty = 0.2 }",
            1,
        )
        .replacen("perception_noise = 0.12", "perception_noise = 0", 1)
}

#[test]
fn the_mediator_settles_on_the_best_combination_of_options() {
    let sc = zopa::scenario::parse(std::path::Path::new("warranty.toml"), warranty())
        .expect("a valid scenario");
    assert_eq!(sc.issues[1].options, ["no", "yes"]);
    let tl = zopa::sim::run(&sc, 1);
    let first = &tl.steps[0];
    assert!(first.gap <= ZONE_TOL);
    // -0.33/1.3: the deeper combination is "no warranty".
    assert!((first.gap + 0.33 / 1.3).abs() < 1e-9, "gap {}", first.gap);
    assert_eq!(first.options_in_zone, vec![vec![], vec![0, 1]]);
    let deal = match &tl.outcome {
        zopa::sim::Outcome::Deal { step, settlement } => {
            assert_eq!(*step, 0);
            settlement.clone()
        }
        other => panic!("expected a deal, got {other:?}"),
    };
    assert!((deal[0] - 2.125).abs() < 1e-6, "price {}", deal[0]);
    assert_eq!(deal[1], 0.0);
    let why = zopa::why::zone_text(&sc, first);
    assert!(why.contains("Warranty no or yes"), "{why}");
    assert!(
        why.contains("Price 0.00 thousand EUR to 8.75 thousand EUR"),
        "{why}"
    );
}

#[test]
fn the_summary_names_the_option_and_lines_that_leave_none_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("warranty.toml");
    std::fs::write(&path, warranty()).unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args([
            "run",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("DEAL at round 0: price 2.1"), "{stdout}");
    assert!(stdout.contains("warranty: no"), "{stdout}");
    assert!(stdout.contains("nash point:    price 2.1"), "{stdout}");

    // The seller will give no warranty, the buyer wants one: no option of
    // the warranty is left.
    let crossed = warranty()
        .replacen(
            "weights = { price = 0.5, warranty = 0.5 }",
            "weights = { price = 0.5, warranty = 0.5 }\nred_lines = [{ issue = \"warranty\", max = 0 }]",
            1,
        )
        .replacen(
            "weights = { price = 0.8, warranty = 0.2 }",
            "weights = { price = 0.8, warranty = 0.2 }\nred_lines = [{ issue = \"warranty\", min = 1 }]",
            1,
        );
    let sc = zopa::scenario::parse(std::path::Path::new("crossed.toml"), crossed)
        .expect("a valid scenario");
    let tl = zopa::sim::run(&sc, 1);
    let s = &tl.steps[0];
    assert!(s.gap > ZONE_TOL && s.lines_cross());
    let why = zopa::why::zone_text(&sc, s);
    assert!(
        why.contains(
            "Buyer needs at least yes, Seller gives at most no: no option of Warranty is left"
        ),
        "{why}"
    );
}

#[test]
fn monte_carlo_with_a_yes_no_issue_is_the_same_on_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("warranty.toml");
    // With a noisy mediator, so offers vary from run to run.
    std::fs::write(
        &path,
        warranty().replacen("perception_noise = 0", "perception_noise = 0.2", 1),
    )
    .unwrap();
    let run = |threads: &str| {
        let out = tmp.path().join(format!("mc{threads}"));
        let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args([
                "mc",
                path.to_str().unwrap(),
                "--runs",
                "200",
                "--threads",
                threads,
            ])
            .args(["--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut files: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect::<Vec<_>>()
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
}
