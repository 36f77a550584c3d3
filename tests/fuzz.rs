//! A mutation fuzzer for parsing, validation and a short run, on the stable
//! toolchain.
//!
//! It starts from the corpus in `fuzz/corpus/` (the bundled scenarios and
//! hand-made edge cases), mutates inputs with byte edits, line splices and
//! tokens that scenario files are made of (`nan`, `-1`, `1e308`, brackets,
//! field names), and feeds each to the parser, the validator and, when the
//! scenario is valid, 20 steps of a run. Inputs that produce an outcome not
//! seen before (a new error kind and message shape, or a new outcome of a
//! valid run) join the working corpus, which steers the search towards new
//! behaviour without instrumentation. Any panic is saved to `fuzz/crashes/`
//! and fails the test; every file there is replayed as a regression test.
//!
//!     cargo test --test fuzz                                   # CI: a short pass
//!     ZOPA_FUZZ_EXECS=1000000 cargo test --release --test fuzz -- --nocapture
//!
//! With `ZOPA_FUZZ_SAVE=1` the inputs that reached new outcomes are written
//! to `fuzz/corpus/found/`, so the next session starts from them.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zopa::{rng, scenario, sim};

const TOKENS: &[&str] = &[
    "nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "1",
    "1e308",
    "-1e308",
    "4294967296",
    "9223372036854775807",
    "0.5",
    "\"\"",
    "[",
    "]",
    "{",
    "}",
    "[[",
    "]]",
    "=",
    ",",
    "\n",
    "#",
    "\"",
    "'",
    "true",
    "false",
    "[[parties]]",
    "[[issues]]",
    "[[events]]",
    "[world]",
    "[mediator]",
    "[time]",
    "[scenario]",
    "reservation",
    "ideal",
    "weights",
    "red_lines",
    "knobs",
    "follows_front",
    "min",
    "max",
    "steps",
    "at_step",
    "probability",
    "from_step",
    "until_step",
    "effects",
    "target",
    "set",
    "add",
    "scale",
    "world.front",
    "world.pressure",
    "parties.usa.engaged",
    "events.1.probability",
    "front_issue",
    "veto",
    "archetype",
    "quick_deal",
    "political_victory",
    "sustained_pressure",
    "deadline",
    "concession",
    "victory_margin",
    "é",
    "\u{0}",
];

/// What an input did, coarse enough that new values mean new behaviour.
fn outcome(input: &[u8]) -> String {
    let text = match String::from_utf8(input.to_vec()) {
        Ok(t) => t,
        Err(_) => return "not-utf8".into(),
    };
    match scenario::parse(Path::new("fuzz.toml"), text) {
        Err(e) => {
            let first = &e.problems[0];
            // The message's shape: its words without the numbers and names.
            let shape: String = first
                .problem
                .message()
                .split('`')
                .step_by(2)
                .collect::<Vec<_>>()
                .join("_");
            let shape: String = shape
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .take(60)
                .collect();
            format!(
                "err:{}:{}:{shape}",
                first.problem.code(),
                e.problems.len().min(4)
            )
        }
        Ok(sc) => {
            let tl = sim::run_until(&sc, 1, &mut rng::stream(1, 0), 20);
            let _ = zopa::output::summary_text(&sc, &tl, &zopa::facts::Facts::of(&sc, &tl));
            format!(
                "ok:{}:{}:{}:{}",
                tl.outcome.label(),
                sc.issues.len(),
                sc.parties.len(),
                tl.steps.iter().filter(|s| s.zone_exists()).count().min(3)
            )
        }
    }
}

fn mutate(rng: &mut ChaCha8Rng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let at = if out.is_empty() {
            0
        } else {
            rng.random_range(0..=out.len())
        };
        match rng.random_range(0..7) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.random_range(0..8);
            }
            1 if !out.is_empty() => {
                let end = (at + rng.random_range(1..32)).min(out.len());
                out.drain(at.min(end)..end);
            }
            2 | 3 => {
                let t = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                out.splice(at..at, t.iter().copied());
            }
            4 => {
                // Replace a number-looking run with a token.
                let t = TOKENS[rng.random_range(0..12)].as_bytes();
                let end = out[at..]
                    .iter()
                    .position(|b| !b.is_ascii_digit() && *b != b'.')
                    .map_or(out.len(), |p| at + p);
                out.splice(at..end, t.iter().copied());
            }
            5 => {
                // Splice a line from another corpus entry.
                let other = &corpus[rng.random_range(0..corpus.len())];
                let lines: Vec<&[u8]> = other.split(|b| *b == b'\n').collect();
                let line = lines[rng.random_range(0..lines.len())];
                out.splice(at..at, line.iter().copied().chain(std::iter::once(b'\n')));
            }
            _ => {
                // Duplicate a line (repeated keys and tables).
                let lines: Vec<Vec<u8>> = out.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
                if !lines.is_empty() {
                    let i = rng.random_range(0..lines.len());
                    let mut l = lines[i].clone();
                    l.push(b'\n');
                    out.splice(at..at, l);
                }
            }
        }
    }
    out.truncate(256 * 1024);
    out
}

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(name)
}

/// The files directly in `path` (not in its sub-folders), sorted.
fn read_dir(path: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(path)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_saved_crash_and_corpus_entry_runs_without_panicking() {
    let all = read_dir(&dir("crashes"))
        .into_iter()
        .chain(read_dir(&dir("corpus")))
        .chain(read_dir(&dir("corpus").join("found")));
    for (path, input) in all {
        let result = catch_unwind(AssertUnwindSafe(|| outcome(&input)));
        assert!(result.is_ok(), "{} panics", path.display());
    }
}

#[test]
fn mutated_scenarios_never_panic() {
    let execs: u64 = std::env::var("ZOPA_FUZZ_EXECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000);
    let seed: u64 = std::env::var("ZOPA_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let mut corpus: Vec<Vec<u8>> = read_dir(&dir("corpus"))
        .into_iter()
        .chain(read_dir(&dir("corpus").join("found")))
        .map(|(_, b)| b)
        .collect();
    assert!(!corpus.is_empty(), "fuzz/corpus holds the seed inputs");
    let initial = corpus.len();
    let mut seen: HashSet<String> = corpus.iter().map(|c| outcome(c)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut crashes = Vec::new();
    for exec in 0..execs {
        let parent = &corpus[rng.random_range(0..corpus.len())];
        let input = mutate(&mut rng, parent, &corpus);
        match catch_unwind(AssertUnwindSafe(|| outcome(&input))) {
            Ok(o) => {
                if seen.insert(o) && corpus.len() < 4_000 {
                    corpus.push(input);
                }
            }
            Err(_) => {
                let path = dir("crashes").join(format!("crash-{seed}-{exec}.toml"));
                let _ = std::fs::create_dir_all(dir("crashes"));
                let _ = std::fs::write(&path, &input);
                crashes.push(path);
            }
        }
    }
    std::panic::set_hook(quiet);
    if std::env::var("ZOPA_FUZZ_SAVE").is_ok_and(|v| v == "1") {
        let found = dir("corpus").join("found");
        let _ = std::fs::create_dir_all(&found);
        // Small inputs only, and not too many: the corpus lives in the
        // repository.
        let keep = corpus
            .iter()
            .enumerate()
            .skip(initial)
            .filter(|(_, c)| c.len() <= 16 * 1024)
            .take(400);
        for (i, input) in keep {
            let _ = std::fs::write(found.join(format!("{seed}-{i:04}.toml")), input);
        }
    }
    println!(
        "fuzz: {execs} executions, {} distinct outcomes, working corpus {} inputs, {} crashes",
        seen.len(),
        corpus.len(),
        crashes.len()
    );
    assert!(crashes.is_empty(), "inputs that panic, saved: {crashes:?}");
}
