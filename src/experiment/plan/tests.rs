use super::*;
use crate::experiment::vary::Vary;
use crate::scenario;

fn common(replicates: u32, steps: u32) -> Common {
    Common {
        replicates: Some(replicates),
        steps: Some(steps),
        ..Common::default()
    }
}

#[test]
fn a_comparison_runs_every_scenario_on_the_baselines_seed() {
    let scenarios = ["classroom".to_string(), "transparency".to_string()];
    let plan = compare(&scenarios, Some("transparency"), &Common::default()).unwrap();
    assert_eq!(plan.baseline(), 1);
    let baseline = scenario::load(Some("transparency"), &[]).unwrap().scenario;
    assert_eq!(plan.seed, baseline.run.seed);
    assert_eq!(plan.replicates, baseline.run.replicates);
    for point in &plan.points {
        let loaded = scenario::from_text("p", &point.scenario, &[]).unwrap();
        assert_eq!(loaded.run.seed, plan.seed, "{}", point.label);
        assert_eq!(loaded.run.replicates, plan.replicates);
    }
    assert_eq!(plan.job_count(), 2 * plan.replicates as usize);
    let outputs: Vec<String> = plan.outputs.iter().map(|o| o.to_string()).collect();
    assert_eq!(outputs, DEFAULT_OUTPUTS);
}

#[test]
fn comparisons_name_repeats_apart_and_refuse_an_unknown_baseline() {
    let twice = ["classroom".to_string(), "classroom".to_string()];
    let plan = compare(&twice, None, &common(2, 3)).unwrap();
    let labels: Vec<&str> = plan.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["classroom", "classroom#2"]);
    let err = compare(&twice, Some("nope"), &common(2, 3))
        .unwrap_err()
        .to_string();
    assert!(err.contains("--baseline nope: not one of"), "{err}");
    let err = compare(&twice[..1], None, &common(2, 3))
        .unwrap_err()
        .to_string();
    assert!(err.contains("at least two"), "{err}");
}

#[test]
fn a_grid_varies_the_first_key_slowest_and_validates_every_point() {
    let varied = vec![
        Vary::parse("policy.transparency=0.2:0.8:3").unwrap(),
        Vary::parse("learning.rule=none,fermi").unwrap(),
    ];
    let plan = sweep("classroom", varied, None, &common(2, 5)).unwrap();
    let labels: Vec<&str> = plan.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(
        labels[..3],
        [
            "policy.transparency=0.2, learning.rule=none",
            "policy.transparency=0.2, learning.rule=fermi",
            "policy.transparency=0.5, learning.rule=none",
        ]
    );
    assert_eq!(plan.points.len(), 6);
    assert!(plan.points[5].scenario.contains("transparency = 0.8"));
    let bad = vec![Vary::parse("policy.transparency=0.5,1.5").unwrap()];
    let err = sweep("classroom", bad, None, &common(2, 5))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("point 2 (policy.transparency=1.5)"),
        "{err}"
    );
    assert!(err.contains("policy.transparency"), "{err}");
    let unknown = vec![Vary::parse("policy.transparancy=0:1:2").unwrap()];
    let err = sweep("classroom", unknown, None, &common(2, 5))
        .unwrap_err()
        .to_string();
    assert!(err.contains("transparency"), "a suggestion: {err}");
}

#[test]
fn a_latin_hypercube_sweep_spreads_its_points_over_each_range() {
    let varied = vec![Vary::parse("policy.transparency=0:1").unwrap()];
    let plan = sweep("classroom", varied.clone(), Some(10), &common(1, 5)).unwrap();
    let mut strata: Vec<usize> = (plan.points.iter())
        .map(|p| (p.levels[0].number.unwrap() * 10.0) as usize)
        .collect();
    strata.sort();
    assert_eq!(strata, (0..10).collect::<Vec<_>>());
    let err = sweep("classroom", varied, None, &common(1, 5))
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs --lhs"), "{err}");
}

#[test]
fn shards_deal_every_job_to_exactly_one_shard() {
    for count in [1, 2, 3, 7] {
        let mut owners = vec![0; 20];
        for index in 1..=count {
            let shard = Shard { index, count };
            for (job, owner) in owners.iter_mut().enumerate() {
                *owner += shard.owns(job) as u32;
            }
        }
        assert!(owners.iter().all(|&n| n == 1), "{count}: {owners:?}");
    }
    assert_eq!(Shard::parse("2/8").unwrap(), Shard { index: 2, count: 8 });
    for bad in ["0/3", "4/3", "x/3", "3", "1/0"] {
        let err = Shard::parse(bad).unwrap_err().to_string();
        assert!(err.contains("expected I/N"), "{bad}: {err}");
    }
}

#[test]
fn outputs_name_a_metric_and_group() {
    let output = Output::parse("trust_toward:teacher>parent").unwrap();
    assert_eq!(
        (output.metric.as_str(), output.group.as_str()),
        ("trust_toward", "teacher>parent")
    );
    assert_eq!(output.to_string(), "trust_toward:teacher>parent");
    let err = Output::parse("mean_trus").unwrap_err().to_string();
    assert!(err.contains("Did you mean `mean_trust`?"), "{err}");
}

#[test]
fn too_many_jobs_are_refused_before_any_point_is_loaded() {
    // 1000 × 101 points × classroom's 10 replicates: over MAX_JOBS. Every point would be
    // refused (transparency 2 to 3), so the error shows the count was checked first.
    let varied = vec![
        Vary::parse("policy.transparency=2:3:1000").unwrap(),
        Vary::parse("trust.misread=0:0.2:101").unwrap(),
    ];
    let err = sweep("classroom", varied, None, &Common::default())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("101000 points is more than 20000"), "{err}");
    // 1000 × 11 points fit, but not with 100 replicates.
    let varied = vec![
        Vary::parse("policy.transparency=2:3:1000").unwrap(),
        Vary::parse("trust.misread=0:0.2:11").unwrap(),
    ];
    let err = sweep("classroom", varied, None, &common(100, 1))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("11000 points × 100 replicates is more than 1000000 jobs"),
        "{err}"
    );
    let one = vec![Vary::parse("policy.transparency=0:1").unwrap()];
    let err = sensitivity("classroom", one, Method::Sobol, 400_000, 4, &common(1, 1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("400000 × 3 points is more than"), "{err}");
}

#[test]
fn the_seed_and_the_replicates_are_not_varied_per_point() {
    for key in ["run.seed", "run.replicates", "run.\"seed\""] {
        let varied = vec![Vary::parse(&format!("{key}=1,2")).unwrap()];
        let err = sweep("classroom", varied, None, &common(2, 3))
            .unwrap_err()
            .to_string();
        assert!(err.contains("give --seed N or --replicates N"), "{err}");
    }
}

#[test]
fn a_baseline_may_be_named_by_another_path_to_its_file() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("mine.toml");
    std::fs::write(&file, "extends = \"preset:classroom\"\n").unwrap();
    let given = file.display().to_string();
    let scenarios = ["classroom".to_string(), given];
    let other_path = folder.path().join(".").join("mine.toml");
    let plan = compare(
        &scenarios,
        Some(&other_path.display().to_string()),
        &common(1, 2),
    )
    .unwrap();
    assert_eq!(plan.baseline(), 1);
}

#[test]
fn the_experiments_own_run_settings_win_over_set() {
    let common = Common {
        seed: Some(7),
        steps: Some(3),
        overrides: vec!["run.seed=5".into(), "run.steps=9".into()],
        ..Common::default()
    };
    let varied = vec![Vary::parse("policy.transparency=0.2,0.4").unwrap()];
    let plan = sweep("classroom", varied, None, &common).unwrap();
    assert_eq!(plan.seed, 7);
    for point in &plan.points {
        let scenario = scenario::from_text("p", &point.scenario, &[]).unwrap();
        assert_eq!(
            (scenario.run.seed, scenario.run.steps),
            (7, 3),
            "{}",
            point.label
        );
    }
}
