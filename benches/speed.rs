//! Speed of one run and of the charts, on the bundled baseline scenario.
//!
//! `cargo bench --bench speed` prints the median and the fastest of many
//! repetitions of each measurement (a plain timing loop: the quantities are
//! large enough that no statistics crate is needed to read them).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use zopa::{chart, scenario, sim};

fn measure(label: &str, reps: usize, mut f: impl FnMut()) -> Duration {
    // Warm up caches and the font registry.
    for _ in 0..reps.div_ceil(10) {
        f();
    }
    let mut times: Vec<Duration> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let median = times[reps / 2];
    println!(
        "{label:<44} median {:>10.3?}   fastest {:>10.3?}   ({reps} reps)",
        median, times[0]
    );
    median
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sc =
        scenario::load(&root.join("scenarios/budapest-cancelled.toml")).expect("baseline loads");
    println!(
        "baseline: {} parties, {} issues, {} steps",
        sc.parties.len(),
        sc.issues.len(),
        sc.steps
    );

    let mut seed = 0;
    measure("one run of the baseline (zone at every step)", 2000, || {
        seed += 1;
        black_box(sim::run(black_box(&sc), seed));
    });

    let tl = sim::run(&sc, 1);
    let dir = std::env::temp_dir().join(format!("zopa-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    measure("both charts, SVG and PNG", 30, || {
        black_box(chart::svg(&chart::ZoneChart(&sc, &tl)).expect("svg"));
        black_box(chart::svg(&chart::GapChart(&sc, &tl)).expect("svg"));
        chart::png(&chart::ZoneChart(&sc, &tl), &dir.join("z.png")).expect("png");
        chart::png(&chart::GapChart(&sc, &tl), &dir.join("g.png")).expect("png");
    });
    measure("both charts, SVG only", 30, || {
        black_box(chart::svg(&chart::ZoneChart(&sc, &tl)).expect("svg"));
        black_box(chart::svg(&chart::GapChart(&sc, &tl)).expect("svg"));
    });
    let outcome = chart::outcome::OutcomeChart {
        scenario: &sc,
        timeline: &tl,
        step: 51,
        pair: [1, 2],
    };
    measure("outcome chart, SVG and PNG", 30, || {
        black_box(chart::svg(&outcome).expect("svg"));
        chart::png(&outcome, &dir.join("o.png")).expect("png");
    });
    let _ = std::fs::remove_dir_all(&dir);

    // The cost of a step under each archetype and protocol: whole runs of
    // the horizon (the deal is taken out so every run is as long).
    println!();
    let per_step = |name: &str, edit: &dyn Fn(&mut zopa::model::Scenario)| {
        let mut sc = scenario::load(&root.join(format!("scenarios/{name}.toml"))).expect("loads");
        edit(&mut sc);
        let mut seed = 0;
        let run = measure(&format!("one run of {name}"), 400, || {
            seed += 1;
            black_box(sim::run(black_box(&sc), seed));
        });
        let tl = sim::run(&sc, 1);
        println!(
            "{:<44} {:>10.3?} a step ({} steps run)",
            "",
            run / tl.steps.len().max(1) as u32,
            tl.steps.len()
        );
    };
    per_step("budapest-cancelled", &|_| {});
    // Fearon's war with the indivisible stake on: no deal ends a run early.
    per_step("rationalist-explanations", &|sc| {
        for (path, value) in [
            ("parties.russia.red_lines.territory.min", 2.0),
            ("parties.ukraine.red_lines.territory.max", 0.0),
        ] {
            let a = zopa::model::Assignment {
                path: path.into(),
                value: zopa::model::Setting::Number(value),
            };
            sc.assign(&a).expect("a field of the scenario");
        }
    });
    per_step("negmas-bilateral", &|_| {});
    per_step("negmas-alternating", &|_| {});

    // Two yes/no issues against the same two issues continuous: the
    // textbook car with a warranty and a service plan, bars apart so that
    // every run lasts its horizon.
    println!();
    let textbook = std::fs::read_to_string(root.join("scenarios/textbook.toml")).expect("reads");
    let two_more = |kind: &str| {
        let issues = format!(
            "[[issues]]\nid = \"warranty\"\nlabel = \"Warranty\"\n{kind}\n\n\
             [[issues]]\nid = \"service\"\nlabel = \"Service plan\"\n{kind}\n\n[[parties]]"
        );
        let text = textbook
            .replacen("[[parties]]", &issues, 1)
            .replacen("steps = 12", "steps = 200", 1)
            .replacen("reservation = 0.4", "reservation = 0.75", 1)
            .replacen("reservation = 0.3", "reservation = 0.75", 1)
            .replacen(
                "ideal = { price = 10 }",
                "ideal = { price = 10, warranty = 0, service = 0 }",
                1,
            )
            .replacen(
                "ideal = { price = 0 }",
                "ideal = { price = 0, warranty = 1, service = 1 }",
                1,
            );
        scenario::parse(Path::new("two-more.toml"), text).expect("parses")
    };
    let mut cost = Vec::new();
    for (name, kind) in [
        ("two continuous issues more", "min = 0\nmax = 1"),
        ("two yes/no issues more", "kind = \"yes_no\""),
    ] {
        let sc = two_more(kind);
        let mut seed = 0;
        let run = measure(&format!("one run, textbook with {name}"), 400, || {
            seed += 1;
            black_box(sim::run(black_box(&sc), seed));
        });
        let steps = sim::run(&sc, 1).steps.len().max(1) as u32;
        println!(
            "{:<44} {:>10.3?} a step ({steps} steps run)",
            "",
            run / steps
        );
        cost.push(run / steps);
    }
    println!(
        "yes/no against continuous, per step: {:.2}x",
        cost[1].as_secs_f64() / cost[0].as_secs_f64()
    );
}
