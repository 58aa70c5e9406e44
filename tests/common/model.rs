//! Helpers for tests that drive the model through the library: scenarios from text, and
//! runs that keep a copy of the world at every recorded step.

use gotong::engine::{Observer, run_replicate};
use gotong::model::params::Params;
use gotong::model::world::World;
use gotong::scenario::{self, Scenario};
use std::sync::atomic::AtomicBool;

/// The scenario `text` (TOML) with `overrides` (`KEY=VALUE`); panics with the message of
/// an invalid scenario, which is a bug in the test.
pub fn scenario(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    scenario::from_text("test", text, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// Keeps a copy of the world after every recorded step (step 0 included).
#[derive(Default)]
pub struct Worlds(pub Vec<World>);

impl Observer for Worlds {
    fn observe(&mut self, world: &World, _: &Params) {
        self.0.push(world.clone());
    }
}

/// Replicate 0 of `scenario`, as the world after every recorded step.
pub fn worlds(scenario: &Scenario) -> Vec<World> {
    let params = Params::new(scenario);
    let mut observer = Worlds::default();
    run_replicate(
        scenario,
        &params,
        0,
        &mut observer,
        &|| {},
        &AtomicBool::new(false),
    )
    .expect("runs");
    observer.0
}

/// Equal up to rounding.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}
