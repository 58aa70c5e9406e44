//! `gotong run` end to end: the run folder, its files and their formats.

mod common;
use common::{entries, gotong};

#[test]
fn a_run_writes_a_complete_folder() {
    let dir = tempfile::tempdir().unwrap();
    let run = gotong(
        dir.path(),
        &[
            "run",
            "classroom",
            "--out",
            "result",
            "--steps",
            "12",
            "--replicates",
            "3",
            "--quiet",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Results in result"), "{}", run.stdout);
    assert!(run.stdout.contains("cooperation_rate"), "{}", run.stdout);
    let folder = dir.path().join("result");
    assert_eq!(
        entries(&folder),
        [
            "manifest.json",
            "networks",
            "plots",
            "scenario.toml",
            "summary.csv",
            "timeseries.csv"
        ]
    );
    assert_eq!(
        entries(&folder.join("networks")),
        ["replicate0_step0.graphml", "replicate0_step12.graphml"]
    );
    for plot in [
        "cooperation_and_trust",
        "ties_by_kind",
        "trust_heatmap",
        "network",
    ] {
        for extension in ["png", "svg"] {
            let path = folder.join("plots").join(format!("{plot}.{extension}"));
            assert!(
                std::fs::metadata(&path)
                    .map(|m| m.len() > 1000)
                    .unwrap_or(false),
                "{}",
                path.display()
            );
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["status"], "complete");
    assert_eq!(manifest["replicates"], 3);
    assert_eq!(manifest["steps"], 12);
    assert_eq!(manifest["scenario"]["run"]["steps"], 12);
    assert!(manifest["wall_time_seconds"].as_f64().unwrap() > 0.0);
    assert!(
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "summary.csv")
    );

    let timeseries = std::fs::read_to_string(folder.join("timeseries.csv")).unwrap();
    let mut lines = timeseries.lines();
    assert_eq!(lines.next(), Some("replicate,step,metric,group,value"));
    let replicates: std::collections::BTreeSet<&str> = lines
        .clone()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(replicates.into_iter().collect::<Vec<_>>(), ["0", "1", "2"]);
    for required in [
        "cooperation_rate",
        "mean_trust",
        "ties",
        "density",
        "mean_degree",
        "avg_clustering",
        "transitivity",
        "largest_component_share",
        "conflict_ties",
        "mean_resources",
        "gini_resources",
    ] {
        assert!(
            lines.clone().any(|l| l.split(',').nth(2) == Some(required)),
            "metric {required} missing"
        );
    }
    for group in ["educative", "cultural", "internal", "teacher~parent"] {
        assert!(
            timeseries.contains(&format!(",{group},")),
            "group {group} missing"
        );
    }
    assert!(!timeseries.contains("NaN") && !timeseries.contains("inf"));

    let summary = std::fs::read_to_string(folder.join("summary.csv")).unwrap();
    assert_eq!(
        summary.lines().next(),
        Some("step,metric,group,n,mean,sd,ci_low,ci_high")
    );
    let trust_at_end = summary
        .lines()
        .find(|l| l.starts_with("12,mean_trust,all,"))
        .expect("final mean trust");
    let fields: Vec<f64> = trust_at_end
        .split(',')
        .skip(3)
        .map(|x| x.parse().unwrap())
        .collect();
    let (n, mean, low, high) = (fields[0], fields[1], fields[3], fields[4]);
    assert_eq!(n, 3.0);
    assert!(
        low <= mean && mean <= high && (0.0..=1.0).contains(&mean),
        "{trust_at_end}"
    );
}

#[test]
fn the_resolved_scenario_repeats_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--steps", "6", "--replicates", "2", "--quiet", "--no-plots"];
    let first = gotong(
        dir.path(),
        &[
            &["run", "classroom", "--out", "a", "--seed", "9"][..],
            &args,
        ]
        .concat(),
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    let second = gotong(
        dir.path(),
        &[&["run", "a/scenario.toml", "--out", "b"][..], &args].concat(),
    );
    assert_eq!(second.code, 0, "{}", second.stderr);
    let read = |run: &str| std::fs::read(dir.path().join(run).join("timeseries.csv")).unwrap();
    assert_eq!(read("a"), read("b"));
}

#[test]
fn runs_never_overwrite_and_default_folders_are_new() {
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
    assert_eq!(gotong(dir.path(), &args).code, 0);
    assert_eq!(gotong(dir.path(), &args).code, 0);
    let runs = entries(&dir.path().join("output"));
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert!(runs.iter().all(|r| r.starts_with("classroom-")), "{runs:?}");

    std::fs::create_dir(dir.path().join("taken")).unwrap();
    std::fs::write(dir.path().join("taken/keep.txt"), "mine").unwrap();
    let refused = gotong(dir.path(), &[&args[..], &["--out", "taken"]].concat());
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("never overwritten"),
        "{}",
        refused.stderr
    );
    assert_eq!(entries(&dir.path().join("taken")), ["keep.txt"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("taken/keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn run_metrics_records_only_the_listed_metrics_with_the_same_values() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--steps", "5", "--replicates", "2", "--quiet", "--no-plots"];
    let run = |out: &str, extra: &[&str]| {
        let result = gotong(
            dir.path(),
            &[&["run", "classroom", "--out", out][..], &args, extra].concat(),
        );
        assert_eq!(result.code, 0, "{}", result.stderr);
        std::fs::read_to_string(dir.path().join(out).join("timeseries.csv")).unwrap()
    };
    let all = run("all", &[]);
    let some = run(
        "some",
        &["--set", r#"run.metrics=["strategy_share","ties"]"#],
    );
    let metric = |line: &str| line.split(',').nth(2).unwrap_or("").to_string();
    let mut listed: Vec<String> = some.lines().skip(1).map(metric).collect();
    listed.dedup();
    listed.sort();
    listed.dedup();
    assert_eq!(listed, ["strategy_share", "ties"]);
    // The listed metrics' lines are exactly those of the full recording.
    let header = all.lines().next().unwrap();
    let kept: Vec<&str> = all
        .lines()
        .filter(|line| ["strategy_share", "ties"].contains(&metric(line).as_str()))
        .collect();
    assert_eq!(some.lines().skip(1).collect::<Vec<_>>(), kept);
    assert_eq!(some.lines().next().unwrap(), header);
}

#[test]
fn run_metrics_draws_and_lists_only_the_listed_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let result = gotong(
        dir.path(),
        &[
            "run",
            "classroom",
            "--steps",
            "3",
            "--replicates",
            "1",
            "--quiet",
            "--out",
            "some",
            "--set",
            r#"run.metrics=["ties","mean_degree"]"#,
        ],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let plots = dir.path().join("some/plots");
    let mut per_metric = entries(&plots.join("metrics"));
    per_metric.sort();
    assert_eq!(
        per_metric,
        ["mean_degree.png", "mean_degree.svg", "ties.png", "ties.svg"]
    );
    assert!(plots.join("ties_by_kind.png").exists());
    assert!(!plots.join("cooperation_and_trust.png").exists());
    assert!(!plots.join("trust_heatmap.png").exists());
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("some/manifest.json")).unwrap(),
    )
    .unwrap();
    let names: Vec<&str> = manifest["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ties", "mean_degree"]);
    let files = manifest["files"].as_array().unwrap();
    assert!(
        files
            .iter()
            .all(|f| !f.as_str().unwrap().contains("cooperation_and_trust"))
    );
}

#[test]
fn run_networks_false_writes_no_graphml_and_no_network_picture() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &str, sets: &[&str]| {
        let mut args = vec![
            "run",
            "classroom",
            "--steps",
            "3",
            "--replicates",
            "1",
            "--out",
            out,
        ];
        for set in sets {
            args.extend(["--set", set]);
        }
        let result = gotong(dir.path(), &args);
        assert_eq!(result.code, 0, "{}", result.stderr);
        result.stdout
    };
    run("with", &[]);
    let stdout = run("without", &["run.networks=false"]);
    assert!(stdout.contains("run.networks = false"), "{stdout}");
    let (with, without) = (dir.path().join("with"), dir.path().join("without"));
    assert_eq!(entries(&with.join("networks")).len(), 2);
    assert!(entries(&without.join("networks")).is_empty());
    assert!(with.join("plots/network.png").exists());
    assert!(!without.join("plots/network.png").exists());
    assert!(without.join("plots/cooperation_and_trust.png").exists());
    // The networks are pictures and files only: the recorded values are the same.
    let read = |folder: &std::path::Path| std::fs::read(folder.join("timeseries.csv")).unwrap();
    assert_eq!(read(&with), read(&without));
}
