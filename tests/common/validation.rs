//! Helpers for the validation tests: the scenarios of `scenarios/validation/` with
//! overrides, and runs that record only the cooperator share (the metrics of a school run
//! would cost more than the model on these large lattices and dense graphs).

use gotong::engine::{Observer, run_replicates};
use gotong::model::params::Params;
use gotong::model::strategy::Strategy;
use gotong::model::world::World;
use gotong::scenario::{self, Scenario};
use std::sync::atomic::AtomicBool;

/// The share of agents playing `allc` at every recorded step, as (step, share).
#[derive(Default)]
pub struct CooperatorShare(pub Vec<(u32, f64)>);

impl Observer for CooperatorShare {
    fn observe(&mut self, world: &World, _: &Params) {
        let strategies = &world.agents.strategy;
        let cooperators = strategies.iter().filter(|&&s| s == Strategy::Allc).count();
        self.0
            .push((world.step, cooperators as f64 / strategies.len() as f64));
    }
}

/// `scenarios/validation/<file>` with `overrides` (`KEY=VALUE`); panics with the message
/// of an invalid scenario, which is a bug in the test.
pub fn validation_scenario(file: &str, overrides: &[&str]) -> Scenario {
    let path = format!("{}/scenarios/validation/{file}", env!("CARGO_MANIFEST_DIR"));
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    scenario::load(Some(&path), &overrides)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .scenario
}

/// The cooperator share at every recorded step of every replicate of `scenario`.
pub fn cooperator_shares(scenario: &Scenario) -> Vec<Vec<(u32, f64)>> {
    let params = Params::new(scenario);
    let replicates: Vec<u32> = (0..scenario.run.replicates).collect();
    let observers = run_replicates(
        scenario,
        &params,
        &replicates,
        |_| CooperatorShare::default(),
        &|| {},
        &AtomicBool::new(false),
    )
    .expect("runs");
    observers.into_iter().map(|o| o.0).collect()
}
