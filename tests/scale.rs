//! `population.scale` and the memory check, as a user meets them: whole runs.

mod common;

use gotong::engine::run_replicates;
use gotong::model::params::Params;
use gotong::observe::{METRICS, Recorder, Row};
use gotong::scenario;
use std::sync::atomic::AtomicBool;

const STEPS: u32 = 10;
const REPLICATES: u32 = 3;

/// Rows of every replicate of the default school at `scale`, run for [`STEPS`] steps.
fn rows_at(scale: f64) -> Vec<Vec<Row>> {
    let overrides = [
        format!("population.scale={scale}"),
        format!("run.steps={STEPS}"),
        format!("run.replicates={REPLICATES}"),
    ];
    let scenario = scenario::load(None, &overrides).unwrap().scenario;
    let params = Params::new(&scenario);
    let replicates: Vec<u32> = (0..REPLICATES).collect();
    run_replicates(
        &scenario,
        &params,
        &replicates,
        |_| Recorder::new(false, STEPS),
        &|| {},
        &AtomicBool::new(false),
    )
    .unwrap()
    .into_iter()
    .map(|r| r.rows)
    .collect()
}

/// Mean over replicates of `metric` (group `all`) at `step`.
fn mean_of(rows: &[Vec<Row>], metric: &str, step: u32) -> f64 {
    let index = METRICS.iter().position(|m| m.name == metric).unwrap() as u16;
    let values: Vec<f64> = rows
        .iter()
        .map(|replicate| {
            replicate
                .iter()
                .find(|r| r.metric == index && r.group == "all" && r.step == step)
                .unwrap_or_else(|| panic!("{metric} at step {step}"))
                .value
        })
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// Tolerance on the mean degree: a replicate's initial network has about 4,900 ties at
/// scale 1 (sd of the count about 70, 1.4%) and 14,500 at scale 3 (0.8%), so the ratio of
/// the means of 3 replicates has an sd near 1%; the rule's systematic error is +0.2% (from
/// `Scenario::expected_initial_ties`: within-role blocks give p (1 − 1/s) more ties per
/// agent). Measured: 0.988 at step 0 and at step 10. 4% is four sd; a transformation that
/// forgot to divide the largest block's density (teacher~student, a sixth of the ties)
/// would move the degree by a third.
const DEGREE_TOLERANCE: f64 = 0.04;

#[test]
fn a_school_three_times_as_large_keeps_its_ties_per_person() {
    let (one, three) = (rows_at(1.0), rows_at(3.0));
    for step in [0, STEPS] {
        let agents = (
            mean_of(&one, "agents", step),
            mean_of(&three, "agents", step),
        );
        assert_eq!(agents.1, 3.0 * agents.0, "agents at step {step}");
        let degree = (
            mean_of(&one, "mean_degree", step),
            mean_of(&three, "mean_degree", step),
        );
        let ratio = degree.1 / degree.0;
        assert!(
            (ratio - 1.0).abs() < DEGREE_TOLERANCE,
            "mean degree at step {step}: {degree:?}, ratio {ratio}"
        );
    }
}

/// Runs `gotong ARGS` in `dir` with `GOTONG_MEMORY_LIMIT` set to `limit`.
fn gotong_with_limit(dir: &std::path::Path, limit: &str, args: &[&str]) -> common::Invocation {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(args)
        .env(gotong::memory::LIMIT_VARIABLE, limit)
        .current_dir(dir)
        .output()
        .expect("the gotong binary runs");
    common::Invocation {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn a_run_that_would_not_fit_is_refused_before_anything_is_made() {
    let dir = tempfile::tempdir().unwrap();
    // 60,000 default schools: 50,160,000 agents, some 290 million ties at the start.
    let args = [
        "run",
        "--set",
        "population.scale=60000",
        "--out",
        "big",
        "--quiet",
        "--no-plots",
    ];
    let result = gotong_with_limit(dir.path(), "16G", &args);
    assert_eq!(result.code, 2, "{}", result.stderr);
    let message = result.stderr.trim();
    assert_eq!(message.lines().count(), 1, "one message: {message}");
    for words in [
        "error: the run would need about ",
        " GB of memory (estimated from the scenario: 50160000 agents",
        "but 17.2 GB is available (GOTONG_MEMORY_LIMIT)",
        "use fewer agents",
        "--force",
    ] {
        assert!(message.contains(words), "{words:?} in {message}");
    }
    assert!(
        common::entries(dir.path()).is_empty(),
        "no folder: {:?}",
        common::entries(dir.path())
    );
}

#[test]
fn force_runs_what_the_estimate_refuses_and_a_bad_limit_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "run",
        "classroom",
        "--steps",
        "2",
        "--replicates",
        "1",
        "--quiet",
        "--no-plots",
    ];
    let with_out = |out: &str, force: bool| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--out", out]);
        if force {
            all.push("--force");
        }
        all.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let refused = with_out("refused", false);
    let refused: Vec<&str> = refused.iter().map(String::as_str).collect();
    let result = gotong_with_limit(dir.path(), "1M", &refused);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains("is available (GOTONG_MEMORY_LIMIT)"),
        "{}",
        result.stderr
    );
    assert!(!dir.path().join("refused").exists());
    let forced = with_out("forced", true);
    let forced: Vec<&str> = forced.iter().map(String::as_str).collect();
    let result = gotong_with_limit(dir.path(), "1M", &forced);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(dir.path().join("forced/summary.csv").is_file());
    let result = gotong_with_limit(dir.path(), "lots", &refused);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("GOTONG_MEMORY_LIMIT=lots is not a memory size"),
        "{}",
        result.stderr
    );
}
