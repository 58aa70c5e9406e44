//! Invariants that hold whatever the scenario's levers and seed (issue 8, "Invariants as
//! property tests"), checked with proptest on short runs of the classroom school:
//! - tie views stay symmetric: i has a view toward j iff j has one toward i, each view's
//!   reverse points back to it, no self-ties, no duplicates;
//! - every trust and tie strength stays in [0, 1], every agent's norm and knowledge in
//!   [0, 1], and nothing is NaN.
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
        let scenario = gotong::scenario::load(Some("classroom"), &sets).unwrap().scenario;
        let params = Params::new(&scenario);
        let streams = Streams::new(seed, 0);
        let schedule = Schedule::new(standard_rules());
        let mut world = build_world(&scenario, &params, streams).unwrap();
        prop_assert_eq!(check(&world), Ok(()));
        for step in 1..=steps {
            schedule.step(&mut world, streams, &params);
            let checked = check(&world).map_err(|e| format!("step {step}: {e}"));
            prop_assert_eq!(checked, Ok(()));
        }
    }
}
