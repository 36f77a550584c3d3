//! A run with a yes/no issue, as a user meets it: the settlement takes an
//! option, and the summary and the reasons name it.

use zopa::zone::ZONE_TOL;

#[path = "support/cli.rs"]
mod cli;

/// `zopa` with these arguments, which must succeed: its standard output.
fn ok(args: &[&str]) -> String {
    let o = cli::zopa(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

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
    let stdout = ok(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
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
        ok(&[
            "mc",
            path.to_str().unwrap(),
            "--runs",
            "200",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
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

/// The car with a warranty of three options, the buyer wanting a year of it
/// by position, the seller's loss on it by its table where one is written.
fn three_warranties(seller_values: &str) -> String {
    let issue = "[[issues]]\nid = \"warranty\"\nlabel = \"Warranty\"\nkind = \"options\"\noptions = [\"none\", \"6 months\", \"1 year\"]\n\n[[parties]]";
    TEXTBOOK
        .replacen("[[parties]]", issue, 1)
        .replacen(
            "ideal = { price = 10 }",
            &format!("ideal = {{ price = 10, warranty = \"none\" }}\nweights = {{ price = 0.5, warranty = 0.5 }}\n{seller_values}"),
            1,
        )
        .replacen(
            "ideal = { price = 0 }",
            "ideal = { price = 0, warranty = \"1 year\" }\nweights = { price = 0.8, warranty = 0.2 }",
            1,
        )
        .replacen("perception_noise = 0.12", "perception_noise = 0", 1)
}

#[test]
fn a_table_of_values_changes_the_deal_and_every_file_names_its_option() {
    // By position the seller loses 0.5 * 0.5 on six months. With its table
    // (six months worth 0.9: a short warranty costs it little) it loses
    // 0.05. In normalised price y, the Nash products:
    //   none:     (0.1 + 0.5y)(0.5 - 0.8y), peak y = 0.2125, 0.0680625;
    //   6 months, by position: (0.5y - 0.15)(0.6 - 0.8y), peak y = 0.525,
    //     0.02025; by the table: (0.05 + 0.5y)(0.6 - 0.8y), peak y = 0.325,
    //     0.07225;
    //   1 year:   (0.5y - 0.4)(0.7 - 0.8y), peak y = 0.8375, 0.0005625.
    // So the mediator offers none at 2.125 by position, six months at 3.25
    // with the table, and both accept at once.
    let load = |text: String| zopa::scenario::parse(std::path::Path::new("w.toml"), text).unwrap();
    let settled = |text: String| match zopa::sim::run(&load(text), 1).outcome {
        zopa::sim::Outcome::Deal { step, settlement } => (step, settlement),
        other => panic!("no deal: {other:?}"),
    };
    let (step, by_position) = settled(three_warranties(""));
    assert_eq!(step, 0);
    assert!((by_position[0] - 2.125).abs() < 1e-6 && by_position[1] == 0.0);
    let table = "values = { warranty = { none = 1, \"6 months\" = 0.9, \"1 year\" = 0 } }";
    let (step, by_table) = settled(three_warranties(table));
    assert_eq!(step, 0);
    assert!((by_table[0] - 3.25).abs() < 1e-6, "{by_table:?}");
    assert_eq!(by_table[1], 1.0, "six months");

    // Every file a run and a Monte Carlo write names the option.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("w.toml");
    std::fs::write(&path, three_warranties(table)).unwrap();
    let (run, mc) = (tmp.path().join("run"), tmp.path().join("mc"));
    let p = path.to_str().unwrap();
    let summary = ok(&[
        "run",
        p,
        "--no-charts",
        "--format",
        "json",
        "--out",
        run.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(v["settlement"][1]["option"], "6 months");
    assert!(
        v["settlement"][0].get("option").is_none(),
        "price has no options"
    );
    assert_eq!(v["first_zone_nash"][1]["option"], "6 months");
    // Every option is in the zone at step 0, a year barely: the seller
    // takes it at y >= 0.8 (0.5y >= 0.4), the buyer up to y = 0.875.
    let options: Vec<&str> = (v["first_zone_extent"][1]["options"]
        .as_array()
        .unwrap()
        .iter())
    .map(|o| o.as_str().unwrap())
    .collect();
    assert_eq!(options, ["none", "6 months", "1 year"]);
    let timeline = std::fs::read_to_string(run.join("timeline.csv")).unwrap();
    let mut rows = timeline.lines().filter(|l| !l.starts_with('#'));
    let head: Vec<&str> = rows.next().unwrap().split(',').collect();
    let first: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    assert_eq!(first[col("point_option_warranty")], "6 months");
    assert_eq!(first[col("zone_options_warranty")], "none;6 months;1 year");
    assert!(!head.contains(&"point_option_price"));
    let ks = first[col("ks_option_warranty")];
    let ks_value: f64 = first[col("ks_warranty")].parse().unwrap();
    assert_eq!(ks, ["none", "6 months", "1 year"][ks_value as usize]);
    // The long table says the same, one row per issue.
    let issues = std::fs::read_to_string(run.join("issues.csv")).unwrap();
    let mut rows = issues.lines().filter(|l| !l.starts_with('#'));
    let head: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let warranty: Vec<&str> = rows.nth(1).unwrap().split(',').collect();
    assert_eq!(warranty[col("issue")], "warranty");
    assert_eq!(warranty[col("point_option")], "6 months");
    assert_eq!(warranty[col("kalai_smorodinsky_option")], ks);
    assert_eq!(warranty[col("zone_options")], "none;6 months;1 year");
    // `zopa value` names the options it reads back.
    let value = ok(&[
        "value",
        p,
        "--at",
        "price=5,warranty=6 months",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&value).unwrap();
    assert_eq!(v["settlement"]["warranty"], 1.0);
    assert_eq!(v["options"]["warranty"], "6 months");
    assert!(v["options"].get("price").is_none());

    let runs = "30";
    let printed = ok(&[
        "mc",
        p,
        "--runs",
        runs,
        "--per-run",
        "-q",
        "--format",
        "json",
        "--out",
        mc.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&printed).unwrap();
    let deals: Vec<(String, u64)> = (v["settlement"][1]["options"].as_array().unwrap().iter())
        .map(|o| {
            (
                o["option"].as_str().unwrap().to_string(),
                o["deals"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = [("none", 0), ("6 months", 30), ("1 year", 0)]
        .map(|(o, n)| (o.to_string(), n))
        .to_vec();
    assert_eq!(deals, expected);
    assert_eq!(v["settlement"][1]["median"], 1.0);
    let per_run = std::fs::read_to_string(mc.join("runs.csv")).unwrap();
    let mut rows = per_run.lines().filter(|l| !l.starts_with('#'));
    let head: Vec<&str> = rows.next().unwrap().split(',').collect();
    let (value, option) = (
        head.iter()
            .position(|h| *h == "settlement_warranty")
            .unwrap(),
        head.iter()
            .position(|h| *h == "settlement_option_warranty")
            .unwrap(),
    );
    let rows: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    assert_eq!(rows.len(), 30);
    assert!(
        rows.iter()
            .all(|r| r[value] == "1" && r[option] == "6 months"),
        "{per_run}"
    );
}

#[test]
fn drift_moves_a_quick_dealer_on_price_but_leaves_its_table_as_it_is() {
    // Bars of 0.9 each (the quick dealer's floor too) leave no zone, so a
    // quick dealer with drift 0.5 moves its ideal half-way to the nearest
    // settlement each step: on the price it does; on the warranty, which it
    // values by its table, its best option stays "none".
    let table = "values = { warranty = { none = 1, \"6 months\" = 0.9, \"1 year\" = 0 } }\nknobs = { drift = 0.5, floor = 0.9 }";
    let text = three_warranties(table)
        .replacen(
            "archetype = \"sustained_pressure\"",
            "archetype = \"quick_deal\"",
            1,
        )
        .replacen("reservation = 0.4", "reservation = 0.9", 1)
        .replacen("reservation = 0.3", "reservation = 0.9", 1);
    let sc = zopa::scenario::parse(std::path::Path::new("w.toml"), text).unwrap();
    let tl = zopa::sim::run(&sc, 1);
    let seller: Vec<[f64; 2]> = (tl.steps.iter().take(4))
        .map(|s| [s.terms[0].ideal[0], s.terms[0].ideal[1]])
        .collect();
    assert!(tl.steps[..4].iter().all(|s| !s.zone_exists()));
    assert_eq!(seller[0], [1.0, 0.0]);
    assert!(seller.windows(2).all(|w| w[1][0] < w[0][0]), "{seller:?}");
    assert!(seller.iter().all(|s| s[1] == 0.0), "{seller:?}");
}

#[test]
fn an_ideal_on_a_discrete_issue_opens_the_zone_at_an_option_and_a_table_is_no_lever() {
    let table = "values = { warranty = { none = 1, \"6 months\" = 0.9, \"1 year\" = 0 } }";
    let text = three_warranties(table)
        .replacen("reservation = 0.4", "reservation = 0.7", 1)
        .replacen("reservation = 0.3", "reservation = 0.55", 1);
    let sc = zopa::scenario::parse(std::path::Path::new("w.toml"), text).unwrap();
    let tl = zopa::sim::run(&sc, 1);
    assert!(!tl.steps[0].zone_exists());
    let o = zopa::explain::openings(&sc, &tl, 0);
    let ideal_moves = |p: usize| -> Vec<(usize, Option<f64>)> {
        (o.alone[p].moves.iter())
            .filter_map(|m| match m.lever {
                zopa::explain::Lever::Ideal { issue } => Some((issue, m.to)),
                _ => None,
            })
            .collect()
    };
    // The seller values the warranty by its table: no ideal of its to move.
    assert!(ideal_moves(0).iter().all(|&(issue, _)| issue == 0));
    // Bars 0.7 and 0.55: on six months the seller needs y >= 0.5 and the
    // buyer y <= 0.4375, on none y >= 0.4 and y <= 0.3125. The buyer
    // wanting six months (its loss there 0, so y <= 0.5625) opens the zone
    // at the option nearest its year, not at a value between options.
    let (_, to) = *ideal_moves(1).iter().find(|m| m.0 == 1).unwrap();
    assert_eq!(to, Some(1.0), "six months");
    let to = 1.0;
    let mut moved = tl.steps[0].terms.clone();
    moved[1].ideal[1] = sc.issues[1].normalise(to);
    let mut solver = <zopa::zone::Solver>::with_grid(sc.grid());
    assert!(solver.gap(2, &moved).opens());
}

/// Every file a finished command wrote into `dir`, by name.
fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// `zopa run FILE --set SET --out DIR`: its standard output, the folder's
/// name taken out, and every file it wrote.
fn run_set(file: &str, set: &str, dir: &std::path::Path) -> (String, Vec<(String, Vec<u8>)>) {
    let out = dir.to_str().unwrap();
    let stdout = ok(&["run", file, "--set", set, "--out", out]);
    (stdout.replace(out, "OUT"), files(dir))
}

#[test]
fn set_gives_a_discrete_ideal_an_option_by_name_as_by_its_position() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        // A yes/no issue, set to the option the file does not say.
        (
            "scenarios/job-offer.toml",
            "parties.candidate.ideal.remote",
            "no",
            "0",
            "variant: parties.candidate.ideal.remote = no (the file says yes)\n",
        ),
        // An options issue, set to its last option.
        (
            "tests/data/every-new-field.toml",
            "parties.city.ideal.shifts",
            "night",
            "2",
            "variant: parties.city.ideal.shifts = night (the file says mixed)\n",
        ),
    ];
    for (k, (file, path, name, position, line)) in cases.into_iter().enumerate() {
        let by_name = run_set(
            file,
            &format!("{path}={name}"),
            &tmp.path().join(format!("n{k}")),
        );
        let by_position = run_set(
            file,
            &format!("{path}={position}"),
            &tmp.path().join(format!("p{k}")),
        );
        assert!(by_name.0.starts_with(line), "{}", by_name.0);
        assert_eq!(by_name.0, by_position.0, "{file}: the printed summaries");
        assert_eq!(by_name.1.len(), by_position.1.len());
        for ((f, a), (_, b)) in by_name.1.iter().zip(&by_position.1) {
            assert!(a == b, "{file}: {f} differs between {name} and {position}");
        }
        // The summary records the change by the options' names.
        let summary = by_name.1.iter().find(|(f, _)| f == "summary.json").unwrap();
        let json: serde_json::Value = serde_json::from_slice(&summary.1).unwrap();
        let variant = &json["variant"][0];
        assert_eq!(variant["path"], path);
        assert_eq!(variant["to"], position.parse::<f64>().unwrap());
        assert_eq!(variant["to_option"], name);
    }

    // The name gives the ideal the option's value, as the file's reader
    // does; a value between two options stays a number.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sc = zopa::scenario::load(&root.join("scenarios/job-offer.toml")).unwrap();
    let change = sc
        .assign(&"parties.candidate.ideal.remote=no".parse().unwrap())
        .unwrap();
    assert_eq!(sc.parties[1].ideal[3], 0.0);
    assert_eq!(change.to, zopa::model::Setting::Name("no".into()));
    let change = sc
        .assign(&"parties.candidate.ideal.remote=0.5".parse().unwrap())
        .unwrap();
    assert_eq!(change.from, zopa::model::Setting::Name("no".into()));
    assert_eq!(change.to, zopa::model::Setting::Number(0.5));
}

#[test]
fn a_set_name_that_is_no_option_or_on_a_number_is_refused_with_what_the_path_takes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let refused = |file: &str, set: &str| -> String {
        let o = cli::zopa(&["run", file, "--set", set, "--out", out.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{set}: {err}");
        assert!(!out.exists(), "{set}: nothing is written");
        assert!(!err.contains("panicked"), "{err}");
        err
    };
    let err = refused(
        "scenarios/job-offer.toml",
        "parties.candidate.ideal.remote=maybe",
    );
    assert!(
        err.contains("`maybe` is not an option of `remote`")
            && err.contains("choose one of `no`, `yes`")
            && !err.contains("did you mean"),
        "{err}"
    );
    let err = refused(
        "tests/data/every-new-field.toml",
        "parties.city.ideal.shifts=Night",
    );
    assert!(
        err.contains("did you mean `night`? choose one of `day`, `mixed`, `night`"),
        "{err}"
    );
    let err = refused(
        "scenarios/job-offer.toml",
        "parties.candidate.ideal.remote=No",
    );
    assert!(
        err.contains("`No` is not an option of `remote`")
            && err.contains("did you mean `no`? choose one of `no`, `yes`"),
        "{err}"
    );
    let err = refused(
        "scenarios/job-offer.toml",
        "parties.candidate.ideal.salary=high",
    );
    assert!(
        err.contains("`high` is not a number, and `parties.candidate.ideal.salary` takes a number")
            && err.contains("give it a number from 50 to 80"),
        "{err}"
    );
    // The union values shifts by its own table: no name or number moves it.
    let err = refused(
        "tests/data/every-new-field.toml",
        "parties.union.ideal.shifts=night",
    );
    assert!(err.contains("by its table of values"), "{err}");
    // A position that is no option is outside the issue's range.
    let err = refused(
        "scenarios/job-offer.toml",
        "parties.candidate.ideal.remote=2",
    );
    assert!(err.contains("outside the allowed range"), "{err}");

    // A what-if in the file takes the name as --set does, and refuses an
    // unknown one where it is written.
    let text = std::fs::read_to_string("scenarios/job-offer.toml").unwrap();
    let with = |set: &str| {
        format!(
            "{text}\n[[variants]]\ntitle = \"Office\"\nquestion = \"And if the candidate wanted the office?\"\nset = [\"{set}\"]\n"
        )
    };
    let sc = zopa::scenario::parse(
        std::path::Path::new("office.toml"),
        with("parties.candidate.ideal.remote=no"),
    )
    .expect("a name is a what-if's value");
    assert_eq!(
        sc.variants[0].set[0].value,
        zopa::model::Setting::Name("no".into())
    );
    let problems = zopa::scenario::parse(
        std::path::Path::new("office.toml"),
        with("parties.candidate.ideal.remote=office"),
    )
    .unwrap_err();
    assert!(
        format!("{problems:?}").contains("`office` is not an option of `remote`"),
        "{problems:?}"
    );
}

#[test]
fn two_sets_of_one_field_are_refused_rather_than_one_misstating_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = |sets: &[&str]| {
        let mut args = vec![
            "run",
            "scenarios/job-offer.toml",
            "--out",
            out.to_str().unwrap(),
        ];
        for s in sets {
            args.extend(["--set", s]);
        }
        cli::zopa(&args)
    };
    for (first, second) in [
        // The tester's case: the second set would be said to be "the file".
        (
            "parties.candidate.ideal.remote=no",
            "parties.candidate.ideal.remote=yes",
        ),
        (
            "parties.employer.reservation=0.4",
            "parties.employer.reservation=0.3",
        ),
        // An option by name, then by position: one field all the same.
        (
            "parties.candidate.ideal.remote=no",
            "parties.candidate.ideal.remote=1",
        ),
    ] {
        let o = run(&[first, second]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(!out.exists(), "nothing is written");
        assert!(
            err.contains(&format!(
                "--set {first} and --set {second} give the same field twice"
            )) && err.contains("help: keep the one --set you mean"),
            "{err}"
        );
    }
    // Two fields, each once: each line says the file's value.
    let o = run(&[
        "parties.candidate.ideal.remote=no",
        "parties.employer.reservation=0.3",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with(
            "variant: parties.candidate.ideal.remote = no (the file says yes)\n\
             variant: parties.employer.reservation = 0.3 (the file says 0.45)\n"
        ),
        "{stdout}"
    );
}

/// The textbook car with a shift pattern whose first option is named
/// "day only": the seller wants nights (weights 0.5, 0.5), the buyer days
/// (weights 0.8, 0.2). At "day only" the seller reaches its bar 0.4 from a
/// price of 8 (0.05 price), the buyer keeps its 0.3 up to 8.75, so a zone
/// is left there; with `buyer_line` the buyer takes no other pattern.
fn day_only(buyer_line: &str) -> zopa::model::Scenario {
    let issue = "[[issues]]\nid = \"shifts\"\nlabel = \"Shift pattern\"\nkind = \"options\"\n\
                 options = [\"day only\", \"mixed\", \"night\"]\n\n[[parties]]";
    let text = TEXTBOOK
        .replacen("[[parties]]", issue, 1)
        .replacen(
            "ideal = { price = 10 }",
            "ideal = { price = 10, shifts = \"night\" }\nweights = { price = 0.5, shifts = 0.5 }",
            1,
        )
        .replacen(
            "ideal = { price = 0 }",
            &format!(
                "ideal = {{ price = 0, shifts = \"day only\" }}\n\
                 weights = {{ price = 0.8, shifts = 0.2 }}\n{buyer_line}"
            ),
            1,
        )
        .replacen("perception_noise = 0.12", "perception_noise = 0", 1);
    zopa::scenario::parse(std::path::Path::new("day-only.toml"), text).expect("a valid scenario")
}

#[test]
fn an_option_named_day_only_is_quoted_where_the_zone_is_said_to_hold_only_it() {
    let sc = day_only("red_lines = [{ issue = \"shifts\", max = 0 }]");
    let s = &zopa::sim::run(&sc, 1).steps[0];
    assert_eq!(s.options_in_zone[1], vec![0]);
    let why = zopa::why::zone_text(&sc, s);
    assert!(why.contains("; Shift pattern only “day only”"), "{why}");
    assert!(!why.contains("day only only"), "{why}");

    // Without the buyer's line more patterns are open; the one of two
    // words is quoted among them, the one-word names are not.
    let sc = day_only("");
    let s = &zopa::sim::run(&sc, 1).steps[0];
    let open = &s.options_in_zone[1];
    assert!(open.len() > 1 && open[0] == 0, "{open:?}");
    let why = zopa::why::zone_text(&sc, s);
    let names: Vec<&str> = ["“day only”", "mixed", "night"]
        .into_iter()
        .enumerate()
        .filter(|(k, _)| open.contains(k))
        .map(|(_, n)| n)
        .collect();
    let listed = match names.as_slice() {
        [a, b] => format!("Shift pattern {a} or {b}"),
        [a, b, c] => format!("Shift pattern {a}, {b} or {c}"),
        _ => unreachable!(),
    };
    assert!(why.contains(&listed), "{why}");
}

/// The textbook car with days off among options that are words of the
/// sentences ("or", "only") or of two words ("day off"): the seller needs
/// at least "only" (position 2), the buyer gives at most "or" (1).
fn crossing_on_words() -> String {
    let issue = "[[issues]]\nid = \"days\"\nlabel = \"Days off\"\nkind = \"options\"\n\
                 options = [\"none\", \"or\", \"only\", \"day off\"]\n\n[[parties]]";
    TEXTBOOK
        .replacen("[[parties]]", issue, 1)
        .replacen(
            "ideal = { price = 10 }",
            "ideal = { price = 10, days = \"none\" }\nweights = { price = 0.5, days = 0.5 }\n\
             red_lines = [{ issue = \"days\", min = 2 }]",
            1,
        )
        .replacen(
            "ideal = { price = 0 }",
            "ideal = { price = 0, days = \"day off\" }\nweights = { price = 0.8, days = 0.2 }\n\
             red_lines = [{ issue = \"days\", max = 1 }]",
            1,
        )
}

#[test]
fn crossing_red_lines_on_options_quote_the_names_that_would_run_into_the_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("days.toml");
    std::fs::write(&file, crossing_on_words()).unwrap();
    let file = file.to_str().unwrap();
    let out = tmp.path().join("out");
    // Both views wrap their lines: read them as one line of words.
    let words = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let run = words(ok(&["run", file, "--out", out.to_str().unwrap()]));
    let explain = words(ok(&["explain", file]));
    let crossing = "the red lines cross: Seller needs at least “only”, \
                    Buyer gives at most “or”: no option of Days off is left";
    for (view, text) in [("run", &run), ("explain", &explain)] {
        assert!(text.contains(crossing), "{view}: {text}");
        assert!(!text.contains("least only,"), "{view}: {text}");
    }
    // The table of levers quotes them too; a one-word name stays bare.
    assert!(
        explain.contains("days line at least “only” “or”"),
        "{explain}"
    );
    assert!(explain.contains("days ideal none none alone"), "{explain}");
    // A settlement on an option of two words, in the library's words.
    let sc = zopa::scenario::parse(std::path::Path::new("days.toml"), crossing_on_words()).unwrap();
    assert_eq!(
        zopa::text::settlement_text(&sc, &[5.0, 3.0]),
        "price 5.00 thousand EUR, days: “day off”"
    );
    assert_eq!(
        zopa::text::settlement_text(&sc, &[5.0, 0.0]),
        "price 5.00 thousand EUR, days: none"
    );
}

#[test]
fn a_variant_in_json_gives_from_and_to_one_type_and_names_the_options_beside() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // The tester's case: an option ("mixed", 1) set between two options.
    let stdout = ok(&[
        "run",
        "tests/data/every-new-field.toml",
        "--set",
        "parties.city.ideal.shifts=1.5",
        "--set",
        "parties.city.ideal.pension=no",
        "--set",
        "parties.city.ideal.wage=6",
        "--protocol",
        "alternating_offers",
        "--format",
        "json",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let printed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let csv = std::fs::read_to_string(out.join("timeline.csv")).unwrap();
    let stamp: serde_json::Value =
        serde_json::from_str(csv.lines().next().unwrap().strip_prefix("# zopa ").unwrap()).unwrap();
    for (name, doc) in [
        ("stdout", &printed),
        ("summary.json", &summary),
        ("timeline.csv", &stamp),
    ] {
        let v = doc["variant"].as_array().unwrap();
        assert_eq!(v.len(), 4, "{name}: {v:?}");
        for record in v {
            assert_eq!(
                record["from"].is_number(),
                record["to"].is_number(),
                "{name}: from and to of one type: {record}"
            );
        }
        assert_eq!(
            v[0],
            serde_json::json!({
                "path": "parties.city.ideal.shifts", "from": 1.0, "to": 1.5,
                "from_option": "mixed", "to_option": null
            }),
            "{name}"
        );
        assert_eq!(
            v[1],
            serde_json::json!({
                "path": "parties.city.ideal.pension", "from": 1.0, "to": 0.0,
                "from_option": "yes", "to_option": "no"
            }),
            "{name}"
        );
        // A continuous issue's ideal: numbers, and no option beside them.
        assert_eq!(
            v[2],
            serde_json::json!({ "path": "parties.city.ideal.wage", "from": 5.0, "to": 6.0 }),
            "{name}"
        );
        assert_eq!(
            v[3],
            serde_json::json!({
                "path": "mediator.protocol", "from": "mediated", "to": "alternating_offers"
            }),
            "{name}"
        );
    }
}
