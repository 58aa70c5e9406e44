//! Invariants that hold whatever the scenario's levers and seed (issue 8, "Invariants as
//! property tests"), checked with proptest on short runs of the classroom school:
//! - tie views stay symmetric: i has a view toward j iff j has one toward i, each view's
//!   reverse points back to it, no self-ties, no duplicates;
//! - every trust and tie strength stays in [0, 1], every agent's norm and knowledge in
//!   [0, 1], and nothing is NaN;
//! - resources change only through game payoffs: with no one arriving or leaving and no
//!   intervention, the total of resources moves by exactly the payoffs earned (pair games,
//!   group activities with recognition, contests), so solidarity's gifts are zero-sum;
//! - with zero-sum pair games and nothing else paying, the total never moves at all;
//! - no file a run writes holds NaN or an infinity (undefined values are left out).
//!
//! proptest draws the cases from its own generator; the model's randomness still comes
//! only from the run's seed (one of the drawn values), so a failing case repeats.

use gotong::engine::schedule::Schedule;
use gotong::engine::streams::Streams;
use gotong::model::params::Params;
use gotong::model::rules::standard_rules;
use gotong::model::setup::build_world;
use gotong::model::world::World;
use gotong::network::AgentId;
use proptest::prelude::*;

/// Every invariant of the module doc, on one world; the message names the first broken one.
fn check(world: &World) -> Result<(), String> {
    let graph = &world.graph;
    for i in 0..graph.agent_count() as AgentId {
        let row = graph.neighbours(i);
        if !row.windows(2).all(|w| w[0] < w[1]) {
            return Err(format!("row {i} is not sorted without duplicates"));
        }
        for v in graph.views(i) {
            let j = graph.targets()[v];
            let back = graph.reverse(v);
            if j == i || graph.targets()[back] != i || graph.reverse(back) != v {
                return Err(format!("view {v} ({i}→{j}) has no matching reverse view"));
            }
            let view = &world.views[v];
            let (trust, strength) = (view.trust(), view.strength as f64);
            if !(0.0..=1.0).contains(&trust) || !(0.0..=1.0).contains(&strength) {
                return Err(format!("view {i}→{j}: trust {trust}, strength {strength}"));
            }
        }
    }
    let agents = &world.agents;
    for (name, values) in [("norm", &agents.norm), ("knowledge", &agents.knowledge)] {
        if let Some(bad) = values.iter().find(|x| !(0.0..=1.0).contains(*x)) {
            return Err(format!("{name} {bad} outside [0, 1]"));
        }
    }
    if agents.resources.iter().any(|x| x.is_nan()) {
        return Err("a resource is NaN".into());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn views_stay_symmetric_and_values_in_range_for_any_levers(
        seed in 0u64..1_000_000,
        transparency in 0.0f64..=1.0,
        mediation in 0.0f64..=1.0,
        agreed_rules in 0.0f64..=1.0,
        onboarding in 0.0f64..=1.0,
        networking_events in 0.0f64..=20.0,
        steps in 1u32..=50,
    ) {
        let sets = [
            format!("policy.transparency={transparency}"),
            format!("policy.mediation={mediation}"),
            format!("policy.agreed_rules={agreed_rules}"),
            format!("policy.onboarding={onboarding}"),
            format!("policy.networking_events={networking_events}"),
            format!("run.steps={steps}"),
        ];
        let checked = run_classroom(&sets, seed, steps, |step, world| {
            check(world).map_err(|e| format!("step {step}: {e}"))
        });
        prop_assert_eq!(checked, Ok(()));
    }
}

/// Builds the classroom school with `sets` and `seed`, then calls `after_step` on the
/// world at the start (step 0) and after each of `steps` steps; the first error ends it.
fn run_classroom(
    sets: &[String],
    seed: u64,
    steps: u32,
    mut after_step: impl FnMut(u32, &World) -> Result<(), String>,
) -> Result<(), String> {
    let scenario = gotong::scenario::load(Some("classroom"), sets)
        .map_err(|e| e.to_string())?
        .scenario;
    let params = Params::new(&scenario);
    let streams = Streams::new(seed, 0);
    let schedule = Schedule::new(standard_rules());
    let mut world = build_world(&scenario, &params, streams).map_err(|e| e.to_string())?;
    after_step(0, &world)?;
    for step in 1..=steps {
        schedule.step(&mut world, streams, &params);
        after_step(step, &world)?;
    }
    Ok(())
}

/// The total of every agent's resources.
fn total_resources(world: &World) -> f64 {
    world.agents.resources.iter().sum()
}

/// Runs `steps` steps of `scenario` with `seed` and checks, after every step, that the
/// total of resources has moved from its start by exactly the payoffs earned so far
/// (`learning.payoff = "cumulative"` keeps `round_payoff` summing over the whole run).
/// Sums are compared within 1e-9 of the larger total: the order of the additions differs.
fn resources_follow_payoffs(sets: &[String], seed: u64, steps: u32) -> Result<(), String> {
    let mut start = None;
    run_classroom(sets, seed, steps, |step, world| {
        let start = *start.get_or_insert(total_resources(world));
        let earned: f64 = world.agents.round_payoff.iter().sum();
        let moved = total_resources(world) - start;
        let scale = start.abs().max(total_resources(world).abs()).max(1.0);
        if (moved - earned).abs() > 1e-9 * scale {
            return Err(format!(
                "step {step}: resources moved by {moved}, payoffs earned {earned}"
            ));
        }
        Ok(())
    })
}

/// Settings that leave payoffs as the only source of resources: nobody arrives or
/// leaves, no intervention, payoffs summed over the whole run.
fn closed_school(threshold: f64, share: f64, steps: u32) -> Vec<String> {
    vec![
        "lifecycle.enabled=false".into(),
        "learning.payoff=\"cumulative\"".into(),
        format!("solidarity.threshold={threshold}"),
        format!("solidarity.share={share}"),
        format!("run.steps={steps}"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn resources_move_only_by_payoffs_and_gifts_are_zero_sum(
        seed in 0u64..1_000_000,
        threshold in 0.0f64..=60.0,
        share in 0.0f64..=1.0,
        recognition in 0.0f64..=1.0,
        steps in 1u32..=40,
    ) {
        let mut sets = closed_school(threshold, share, steps);
        sets.push(format!("policy.recognition={recognition}"));
        sets.push(
            "contest=[{ name = \"prize\", role = \"student\", every = 5, contestants = 4, prize = 6.0 }]".into(),
        );
        prop_assert_eq!(resources_follow_payoffs(&sets, seed, steps), Ok(()));
    }

    #[test]
    fn zero_sum_games_and_gifts_conserve_resources_exactly(
        seed in 0u64..1_000_000,
        threshold in 5.0f64..=30.0,
        share in 0.0f64..=1.0,
        stake in 1u32..=8,
        steps in 1u32..=40,
    ) {
        // What one side wins the other loses, on every tie and on conflict ties; no
        // activities and no self-play, so nothing else pays.
        let stake = stake as f64;
        let matrix = format!(
            "{{ kind = \"matrix\", payoffs = {{ R = 0, S = -{stake}, T = {stake}, P = 0 }} }}"
        );
        let mut sets = closed_school(threshold, share, steps);
        for game in ["game", "game.educative", "game.institutional", "game.conflict"] {
            sets.push(format!("{game}={matrix}"));
        }
        sets.push("activity=[]".into());
        let mut start = None;
        let conserved = run_classroom(&sets, seed, steps, |step, world| {
            let now = total_resources(world);
            let start = *start.get_or_insert(now);
            if (now - start).abs() > 1e-9 * start.abs() {
                return Err(format!("step {step}: total {now} from {start}"));
            }
            Ok(())
        });
        prop_assert_eq!(conserved, Ok(()));
    }
}

/// Every text file under `folder`, recursively (CSV, JSON, GraphML, Markdown).
fn text_files(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(text_files(&path));
        } else if path
            .extension()
            .is_some_and(|e| ["csv", "json", "graphml", "md"].contains(&e.to_str().unwrap()))
        {
            found.push(path);
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn no_output_file_holds_nan_or_infinity(
        seed in 0u64..1_000_000,
        transparency in 0.0f64..=1.0,
        mediation in 0.0f64..=1.0,
        share in 0.0f64..=1.0,
        steps in 1u32..=30,
    ) {
        let sets = [
            format!("run.seed={seed}"),
            format!("run.steps={steps}"),
            "run.replicates=2".to_string(),
            format!("policy.transparency={transparency}"),
            format!("policy.mediation={mediation}"),
            format!("solidarity.share={share}"),
            "solidarity.threshold=12".to_string(),
        ];
        let loaded = gotong::scenario::load(Some("classroom"), &sets).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let request = gotong::run::RunRequest {
            out: Some(dir.path().join("run")),
            output_base: dir.path().to_path_buf(),
            ..Default::default()
        };
        let stop = std::sync::atomic::AtomicBool::new(false);
        let outcome = gotong::run::run(&loaded, &request, &|| {}, &stop).unwrap();
        let files = text_files(&outcome.folder);
        prop_assert!(files.len() >= 4, "{:?}", files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for token in text.split(|c: char| !c.is_ascii_alphanumeric()) {
                let lower = token.to_ascii_lowercase();
                prop_assert!(
                    lower != "nan" && lower != "inf" && lower != "infinity",
                    "{} holds {}", file.display(), token
                );
            }
        }
    }
}
