//! Checks of `[learning]`: ranges, and what a random sequential update needs.

use super::{Problem, in_unit, problem};
use crate::scenario::Scenario;

/// The first problem of `[learning]`, if any.
pub fn check(scenario: &Scenario) -> Result<(), Problem> {
    let learning = &scenario.learning;
    if learning.every == 0 {
        return problem(
            "learning.every",
            "must be at least 1 (steps between learning rounds)",
        );
    }
    if !(learning.temperature.is_finite() && learning.temperature > 0.0) {
        return problem(
            "learning.temperature",
            format!("{} must be a finite number > 0", learning.temperature),
        );
    }
    in_unit("learning.exploration", learning.exploration)?;
    in_unit("learning.conformity_rate", learning.conformity_rate)?;
    check_sequential_update(scenario)
}

/// Random sequential updates compute payoffs from strategies, which only pure strategies
/// determine, and from the payoffs of one moment, not a sum over steps.
fn check_sequential_update(scenario: &Scenario) -> Result<(), Problem> {
    use crate::model::strategy::Strategy;
    use crate::scenario::{LearningUpdate, PayoffMeasureSetting};
    let learning = &scenario.learning;
    if learning.update != LearningUpdate::RandomSequential {
        return Ok(());
    }
    if learning.payoff == PayoffMeasureSetting::Cumulative {
        return problem(
            "learning.payoff",
            "`cumulative` cannot be used with learning.update = \"random_sequential\", which \
             computes payoffs from the strategies of the moment: use `total` or `per_game`",
        );
    }
    let pool = crate::model::params::strategy_pool(scenario);
    if let Some(other) = pool
        .iter()
        .find(|s| !matches!(s, Strategy::Allc | Strategy::Alld))
    {
        return problem(
            "learning.update",
            format!(
                "`random_sequential` computes payoffs from the strategies of the moment, which \
                 only `allc` and `alld` fix, but the population starts with `{other}`: give \
                 every role allc or alld, or use update = \"synchronous\""
            ),
        );
    }
    Ok(())
}
