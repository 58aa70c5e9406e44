//! Peer check: `scenarios/validation/mesa_pd_grid.toml` run with `--initial-moves` counts the
//! same cooperators as Mesa's pd_grid example at every step (issue 4, docs/validation.md).
//!
//! Owns: the claim that gotong expresses Mesa's "Simultaneous" pd_grid exactly: its
//! neighbour order, cumulative scores, tie-breaking (the agent itself listed last, the
//! first maximum wins), torus and payoffs. Mesa draws the initial grid; gotong starts from
//! the same grid through `--initial-moves` and must give Mesa's count of C at step 0 and
//! after every step, exactly, on several sizes, seeds and temptations.
//! Must never: skip for any reason other than a missing Python or an unreachable package
//! index (see `support::python`).
//!
//! The test installs mesa (and networkx, which mesa's examples package imports) into
//! `target/peers-venv` and says so on stderr. Mesa's side is `tests/peers/mesa_pd_grid.py`.

mod support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::python::{python_with, run_python, say};

/// The mesa this comparison was written against, and what its examples import.
const REQUIREMENTS: [&str; 2] = ["mesa==3.3.1", "networkx==3.6.1"];

fn scenario_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation/mesa_pd_grid.toml")
}

/// gotong's cooperator count at steps 0..=steps, from `strategy_share` of `allc`.
fn gotong_counts(job: &Value, moves: &str, out: &Path) -> Vec<u64> {
    let (width, height) = (
        job["width"].as_u64().unwrap(),
        job["height"].as_u64().unwrap(),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .arg("run")
        .arg(scenario_path())
        .args([
            "--initial-moves",
            moves,
            "--quiet",
            "--no-plots",
            "--threads",
            "2",
        ])
        .args(["--steps", &job["steps"].to_string()])
        .args(["--set", &format!("network.width={width}")])
        .args(["--set", &format!("network.height={height}")])
        .args(["--set", &format!("game.b={}", job["b"])])
        .arg("--out")
        .arg(out)
        .output()
        .expect("run gotong");
    assert!(
        output.status.success(),
        "gotong failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        out.join("initial_moves.csv").exists(),
        "the run keeps its initial moves"
    );
    let cells = (width * height) as f64;
    let timeseries = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    timeseries
        .lines()
        .filter(|line| line.contains(",strategy_share,allc,"))
        .map(|line| {
            let share: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
            (share * cells).round() as u64
        })
        .collect()
}

#[test]
fn gotong_counts_mesas_cooperators_step_by_step() {
    let python = match python_with(&REQUIREMENTS) {
        Ok(python) => python,
        Err(skip) => {
            say(&format!("SKIPPED: {skip}"));
            return;
        }
    };
    // Sizes from the example's 50 × 50 down to tiny tori where a neighbour is reached by
    // two offsets (a side of 2); temptations on both sides of the 1.6 of the example, and
    // values where sums of 1 and b tie in floating point only in one summation order.
    let mut jobs = Vec::new();
    for (width, height, seed, b, steps) in [
        (50, 50, 1, 1.6, 150),
        (50, 50, 2, 1.6, 150),
        (50, 50, 3, 1.3, 150),
        (50, 50, 4, 1.9, 100),
        (40, 25, 5, 1.6, 150),
        (13, 31, 6, 1.45, 100),
        (7, 4, 7, 1.6, 40),
        (3, 3, 8, 1.2, 20),
        (2, 5, 9, 1.1, 20),
    ] {
        jobs.push(json!({"width": width, "height": height, "seed": seed, "b": b, "steps": steps}));
    }
    let dir = tempfile::tempdir().unwrap();
    let jobs_file = dir.path().join("jobs.json");
    std::fs::write(&jobs_file, serde_json::to_vec(&jobs).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/mesa_pd_grid.py");
    let stdout = run_python(&python, &script, &[&jobs_file, dir.path()]);
    let answer: Value = serde_json::from_str(&stdout).expect("the mesa script prints JSON");
    assert_eq!(answer["mesa"], "3.3.1", "the pinned mesa answered");
    let results = answer["results"].as_array().expect("a list of results");
    assert_eq!(results.len(), jobs.len());
    for (index, (job, result)) in jobs.iter().zip(results).enumerate() {
        let theirs: Vec<u64> = serde_json::from_value(result["cooperators"].clone()).unwrap();
        assert_eq!(theirs.len() as u64, job["steps"].as_u64().unwrap() + 1);
        let moves = result["moves"].as_str().unwrap();
        let ours = gotong_counts(job, moves, &dir.path().join(format!("run-{index}")));
        assert_eq!(
            ours, theirs,
            "cooperators per step differ from Mesa's for {job}"
        );
    }
}
