//! Whole experiments through the binary: `compare`, `sweep`, `sensitivity`, `merge`,
//! shards, `--resume`, interruption, and bad input. Small runs (the classroom preset, a few
//! steps) so the file takes seconds.

mod common;
use common::{Invocation, entries, gotong};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small, quick sweep: 3 × 2 points of the classroom, 2 replicates, 4 steps.
const SWEEP: [&str; 10] = [
    "sweep",
    "classroom",
    "--vary",
    "policy.transparency=0.2:0.8:3",
    "--vary",
    "learning.rule=none,fermi",
    "--replicates",
    "2",
    "--steps",
    "4",
];

fn run_ok(cwd: &Path, args: &[&str]) -> Invocation {
    let result = gotong(cwd, args);
    assert_eq!(
        result.code, 0,
        "gotong {args:?}\n{}\n{}",
        result.stdout, result.stderr
    );
    result
}

fn with(base: &[&str], extra: &[&str]) -> Vec<String> {
    base.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn run_args(cwd: &Path, args: &[String]) -> Invocation {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run_ok(cwd, &refs)
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn status(folder: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_str(&read(folder.join("manifest.json"))).unwrap();
    manifest["status"].as_str().unwrap().to_string()
}

#[test]
fn a_sweep_writes_its_tables_plots_and_a_self_contained_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_args(dir.path(), &with(&SWEEP, &["--out", "s", "--quiet"]));
    assert!(
        out.stdout.contains("Final cooperation rate ranged from"),
        "{}",
        out.stdout
    );
    let folder = dir.path().join("s");
    assert_eq!(status(&folder), "complete");
    let sweep = read(folder.join("sweep.csv"));
    let header = sweep.lines().next().unwrap();
    assert_eq!(
        header,
        "point,policy.transparency,learning.rule,replicate,metric,group,value"
    );
    assert!(
        sweep.contains("\n6,0.8,fermi,1,mean_trust,all,"),
        "the last point, second replicate"
    );
    let summary = read(folder.join("sweep_summary.csv"));
    assert!(summary.starts_with(
        "point,policy.transparency,learning.rule,metric,group,n,mean,sd,ci_low,ci_high\n"
    ));
    assert!(
        summary.contains("\n1,0.2,none,cooperation_rate,all,2,"),
        "{summary}"
    );
    assert_eq!(entries(&folder.join("jobs")).len(), 12);
    let html = read(folder.join("report.html"));
    assert!(html.contains("data:image/png;base64,"), "figures embedded");
    for external in ["src=\"http", "<script", "<link"] {
        assert!(!html.contains(external), "nothing external: {external}");
    }
    assert!(html.contains("Final cooperation rate ranged from"));
    assert!(read(folder.join("report.md")).contains("](plots/"));
    assert!(
        folder.join("plots/cooperation_rate.png").is_file(),
        "{:?}",
        entries(&folder.join("plots"))
    );
}

#[test]
fn threads_shards_merge_and_resume_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    run_args(
        cwd,
        &with(
            &SWEEP,
            &["--out", "one", "--threads", "1", "--quiet", "--no-plots"],
        ),
    );
    run_args(
        cwd,
        &with(
            &SWEEP,
            &["--out", "two", "--threads", "2", "--quiet", "--no-plots"],
        ),
    );
    for shard in ["1/3", "2/3", "3/3"] {
        let folder = format!("shard{}", &shard[..1]);
        let out = run_args(
            cwd,
            &with(
                &SWEEP,
                &["--shard", shard, "--out", &folder, "--quiet", "--no-plots"],
            ),
        );
        assert!(
            out.stdout.contains(&format!("Shard {shard} done")),
            "{}",
            out.stdout
        );
        assert_eq!(status(&cwd.join(&folder)), "shard");
        assert!(
            !cwd.join(&folder).join("sweep.csv").exists(),
            "a shard has no results"
        );
    }
    run_ok(
        cwd,
        &[
            "merge",
            "shard1",
            "shard2",
            "shard3",
            "--out",
            "merged",
            "--quiet",
            "--no-plots",
        ],
    );
    // An interrupted-like folder (only shard 2's jobs) finished with --resume.
    run_args(
        cwd,
        &with(
            &SWEEP,
            &[
                "--shard",
                "2/3",
                "--out",
                "resumed",
                "--quiet",
                "--no-plots",
            ],
        ),
    );
    let out = run_args(
        cwd,
        &with(&SWEEP, &["--resume", "resumed", "--quiet", "--no-plots"]),
    );
    assert!(
        out.stdout.contains("8 jobs run, 4 already done"),
        "{}",
        out.stdout
    );
    for file in ["sweep.csv", "sweep_summary.csv"] {
        let reference = read(cwd.join("one").join(file));
        for other in ["two", "merged", "resumed"] {
            assert!(
                reference == read(cwd.join(other).join(file)),
                "{other}/{file} differs from one/{file}"
            );
        }
    }
    for other in ["two", "merged", "resumed"] {
        assert_eq!(status(&cwd.join(other)), "complete", "{other}");
    }
}

#[test]
fn merge_and_resume_refuse_what_does_not_belong() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    run_args(
        cwd,
        &with(
            &SWEEP,
            &["--shard", "1/2", "--out", "a", "--quiet", "--no-plots"],
        ),
    );
    let missing = gotong(cwd, &["merge", "a", "--out", "m"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("6 of 12 jobs are in none of the folders"),
        "{}",
        missing.stderr
    );
    assert!(!cwd.join("m").exists(), "no folder for a failed merge");
    let mut other = with(
        &SWEEP,
        &["--shard", "2/2", "--out", "b", "--quiet", "--no-plots"],
    );
    other[9] = "5".into(); // --steps 5: another experiment
    run_args(cwd, &other);
    let mixed = gotong(cwd, &["merge", "a", "b", "--out", "m"]);
    assert_eq!(mixed.code, 2);
    assert!(
        mixed.stderr.contains("hold different experiments"),
        "{}",
        mixed.stderr
    );
    let refs: Vec<&str> = other[..10].iter().map(String::as_str).collect();
    let resumed = gotong(cwd, &[&refs[..], &["--resume", "a"]].concat());
    assert_eq!(resumed.code, 2);
    assert!(
        resumed.stderr.contains("holds a different experiment"),
        "{}",
        resumed.stderr
    );
    let taken = gotong(cwd, &[&SWEEP[..], &["--out", "a"]].concat());
    assert_eq!(taken.code, 2);
    assert!(
        taken.stderr.contains("never overwritten"),
        "{}",
        taken.stderr
    );
    let not_one = gotong(cwd, &["merge", "nowhere"]);
    assert_eq!(not_one.code, 2);
    assert!(
        not_one.stderr.contains("not an experiment folder"),
        "{}",
        not_one.stderr
    );
}

#[test]
fn bad_experiment_arguments_say_what_would_be_valid() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (
            vec!["sweep", "classroom", "--vary", "policy.transparency"],
            "expected KEY=START:STOP:COUNT",
        ),
        (
            vec!["sweep", "classroom", "--vary", "policy.transparency=0:2:3"],
            "point 3 (policy.transparency=2): --set policy.transparency=2: key `policy.transparency`",
        ),
        (
            vec!["sweep", "classroom", "--vary", "policy.transparency=0:1"],
            "needs --lhs",
        ),
        (
            vec![
                "sweep",
                "classroom",
                "--vary",
                "a.b=1,2",
                "--metric",
                "mean_trus",
            ],
            "Did you mean `mean_trust`",
        ),
        (vec!["compare", "classroom", "nosuch"], "nosuch"),
        (
            vec!["sweep", "classroom", "--vary", "x=1,2", "--shard", "3/2"],
            "expected I/N",
        ),
        (
            vec![
                "sensitivity",
                "classroom",
                "--vary",
                "policy.transparency=0:1",
                "--levels",
                "3",
            ],
            "even number of levels",
        ),
        (
            vec![
                "sweep",
                "classroom",
                "--vary",
                "policy.transparency=0,1",
                "--set",
                "run.metrics=[\"ties\"]",
                "--metric",
                "mean_trust",
            ],
            "records only ties (run.metrics)",
        ),
        (
            vec![
                "sweep",
                "classroom",
                "--vary",
                "policy.transparency=0,1",
                "--set",
                "run.metrics=[\"ties\"]",
            ],
            "default outputs include cooperation_rate: name what to compare with --metric, e.g. --metric ties",
        ),
        (
            vec![
                "sweep",
                "classroom",
                "--vary",
                "run.metrics=[\"ties\"],[\"mean_trust\"]",
                "--metric",
                "ties",
            ],
            "point 2 (run.metrics=[\"mean_trust\"]) records only mean_trust",
        ),
    ] {
        let result = gotong(dir.path(), &args);
        assert_eq!(result.code, 2, "{args:?}: {}", result.stderr);
        assert!(
            result.stderr.contains(needle),
            "{args:?}: {}",
            result.stderr
        );
        assert!(!result.stderr.contains("panicked"), "{}", result.stderr);
    }
    assert!(
        entries(dir.path()).is_empty(),
        "bad input leaves nothing: {:?}",
        entries(dir.path())
    );
}

#[test]
fn comparing_a_scenario_with_itself_shows_no_difference_thanks_to_common_random_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    fs::write(
        cwd.join("open.toml"),
        "extends = \"classroom\"\n[policy]\ntransparency = 0.95\n",
    )
    .unwrap();
    let out = run_ok(
        cwd,
        &[
            "compare",
            "classroom",
            "classroom",
            "open.toml",
            "--replicates",
            "4",
            "--steps",
            "6",
            "--out",
            "c",
            "--quiet",
        ],
    );
    assert!(
        out.stdout.contains(
            "classroom#2 and classroom gave the same final cooperation rate in every replicate"
        ),
        "{}",
        out.stdout
    );
    let csv = read(cwd.join("c/compare.csv"));
    assert!(csv.starts_with("metric,group,scenario,n,mean,sd,ci_low,ci_high,difference,difference_ci_low,difference_ci_high,cohens_d,welch_p,mann_whitney_p\n"));
    let same: Vec<&str> = csv
        .lines()
        .filter(|l| l.split(',').nth(2) == Some("classroom#2"))
        .collect();
    assert!(!same.is_empty());
    for line in same {
        assert_eq!(
            line.split(',').nth(8),
            Some("0"),
            "identical replicates: {line}"
        );
    }
    let baseline: Vec<&str> = csv
        .lines()
        .filter(|l| l.split(',').nth(2) == Some("classroom"))
        .collect();
    assert!(
        baseline.iter().all(|l| l.ends_with(",,,,,,")),
        "the baseline has no contrast"
    );
    assert!(cwd.join("c/plots/final_mean_trust.png").is_file());
    assert!(read(cwd.join("c/report.html")).contains("open"));
}

#[test]
fn sensitivity_analyses_write_indices_for_every_key() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    for (method, samples, expected_points) in [("morris", "3", 9), ("sobol", "4", 16)] {
        let out_dir = format!("sa-{method}");
        run_ok(
            cwd,
            &[
                "sensitivity",
                "classroom",
                "--vary",
                "policy.transparency=0:1",
                "--vary",
                "trust.misread=0:0.2",
                "--method",
                method,
                "--samples",
                samples,
                "--replicates",
                "1",
                "--steps",
                "4",
                "--out",
                &out_dir,
                "--quiet",
                "--metric",
                "mean_trust",
            ],
        );
        let folder = cwd.join(&out_dir);
        assert_eq!(
            entries(&folder.join("jobs")).len(),
            expected_points,
            "{method}"
        );
        let csv = read(folder.join("sensitivity.csv"));
        let keys: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(2).unwrap())
            .collect();
        assert_eq!(
            keys,
            ["policy.transparency", "trust.misread"],
            "{method}: {csv}"
        );
        assert_eq!(status(&folder), "complete");
    }
}

#[test]
fn an_interrupted_experiment_keeps_its_jobs_and_resumes_to_the_same_result() {
    interrupt_and_resume("-INT");
}

#[test]
fn a_terminated_experiment_keeps_its_jobs_and_resumes_to_the_same_result() {
    interrupt_and_resume("-TERM");
}

/// SIGKILL (the OOM killer, a scheduler's hard limit) cannot be caught: the manifest still
/// says `running`, and the job files written so far are whole, so `--resume` still works.
#[test]
fn a_killed_experiment_keeps_its_jobs_and_resumes_to_the_same_result() {
    interrupt_and_resume("-KILL");
}

/// Sends `signal` to a sweep once two jobs are written, then resumes it and compares the
/// result with an uninterrupted sweep, byte for byte.
fn interrupt_and_resume(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let args = [
        "sweep",
        "classroom",
        "--vary",
        "policy.transparency=0:1:6",
        "--replicates",
        "4",
        "--steps",
        "60",
        "--no-plots",
        "--threads",
        "1",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(args)
        .args(["--out", "x", "--quiet"])
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while entries(&cwd.join("x/jobs"))
        .iter()
        .filter(|f| f.ends_with(".json"))
        .count()
        < 2
    {
        assert!(started.elapsed() < Duration::from_secs(60), "jobs appear");
        assert!(child.try_wait().unwrap().is_none(), "still running");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The signal lands with 22 of 24 jobs (hundreds of milliseconds) still to run; a sweep
    // that finished first would show here as exit code 0, not as a silent pass.
    if signal == "-KILL" {
        assert_eq!(output.status.code(), None, "killed: {stderr}");
        assert_eq!(status(&cwd.join("x")), "running");
    } else {
        assert_eq!(output.status.code(), Some(130), "{stderr}");
        assert!(stderr.contains("--resume x"), "{stderr}");
        assert_eq!(status(&cwd.join("x")), "interrupted");
    }
    let kept = (entries(&cwd.join("x/jobs")).iter())
        .filter(|f| f.ends_with(".json"))
        .count();
    assert!((2..24).contains(&kept), "{kept} jobs kept");
    let resumed = run_ok(cwd, &[&args[..], &["--resume", "x", "--quiet"]].concat());
    assert!(
        resumed.stdout.contains(&format!("{kept} already done")),
        "{}",
        resumed.stdout
    );
    run_ok(cwd, &[&args[..], &["--out", "y", "--quiet"]].concat());
    assert!(read(cwd.join("x/sweep.csv")) == read(cwd.join("y/sweep.csv")));
}

#[test]
fn an_experiment_job_is_the_same_simulation_as_gotong_run() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let common = ["--replicates", "2", "--steps", "4", "--quiet", "--no-plots"];
    run_ok(
        cwd,
        &[&["run", "classroom", "--out", "r"][..], &common].concat(),
    );
    // policy.transparency 0.5 is the classroom's own value: one point, the same scenario.
    run_ok(
        cwd,
        &[
            &[
                "sweep",
                "classroom",
                "--vary",
                "policy.transparency=0.5",
                "--out",
                "s",
            ][..],
            &common,
        ]
        .concat(),
    );
    let mut from_run: Vec<String> = read(cwd.join("r/timeseries.csv"))
        .lines()
        .filter_map(|l| {
            l.strip_prefix("0,4,")
                .map(|rest| format!("0,{rest}"))
                .or_else(|| l.strip_prefix("1,4,").map(|rest| format!("1,{rest}")))
        })
        .collect();
    let mut from_sweep: Vec<String> = read(cwd.join("s/sweep.csv"))
        .lines()
        .skip(1)
        .map(|l| l.splitn(3, ',').nth(2).unwrap().to_string())
        .collect();
    assert!(from_run.len() > 50, "{}", from_run.len());
    // Experiments order groups by first appearance over all jobs, runs by replicate.
    from_run.sort();
    from_sweep.sort();
    assert_eq!(
        from_run, from_sweep,
        "every metric and group at the last step"
    );
}
