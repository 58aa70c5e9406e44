//! Random sequential learning (`learning.update = "random_sequential"`), the update of most
//! of the lattice literature (Szabó & Tőke 1998): one learning round is as many elementary
//! updates as there are agents; each draws one agent uniformly (active or not: a departed
//! agent's turn passes) and revises it by the round's rule, at once, so the next update
//! already sees the new strategy.
//!
//! Owns: the order of elementary updates and the payoffs they compare. A payoff is computed
//! at the moment it is needed, from the current strategies: the sum over the agent's ties
//! (all of them: contact chances do not apply) of the game's payoff for the actions the
//! two pure strategies play (`allc` cooperates, `alld` defects), plus self-play with
//! `game.self_interaction`; divided by the number of games with `learning.payoff =
//! "per_game"`. Validation admits only `allc` and `alld` here.
//! Must never: run in parallel: each update reads what the one before it wrote. Its
//! randomness is keyed by the update's index in the round, so it is the same for any
//! number of threads.

use super::learning::revise;
use crate::engine::schedule::StepContext;
use crate::engine::streams::{Draw, Purpose};
use crate::model::params::PayoffMeasure;
use crate::model::strategy::Strategy;
use crate::model::tie::Action;
use crate::model::world::World;
use crate::network::AgentId;

/// One round of `agents.count()` elementary updates.
pub(super) fn round(world: &mut World, context: &StepContext) {
    let n = world.agents.count();
    for update in 0..n {
        let mut rng = context.streams.rng(
            Purpose::SequentialLearning,
            context.step as u64,
            update as u64,
        );
        let agent = rng.below(n as u64) as usize;
        if !world.agents.active[agent] {
            continue;
        }
        let world_now = &*world;
        let payoff = |i: usize| current_payoff(world_now, context, i);
        let (strategy, norm) = revise(world_now, context, &payoff, agent as AgentId, &mut rng);
        world.agents.strategy[agent] = strategy;
        world.agents.norm[agent] = norm;
    }
}

/// The action a pure strategy plays (validation admits no other here).
fn pure_action(strategy: Strategy) -> Action {
    match strategy {
        Strategy::Alld => Action::Defect,
        _ => Action::Cooperate,
    }
}

/// Agent `i`'s payoff against its neighbours under the current strategies.
fn current_payoff(world: &World, context: &StepContext, i: usize) -> f64 {
    let agents = &world.agents;
    let params = context.params;
    let own = pure_action(agents.strategy[i]);
    let (mut total, mut games) = (0.0, 0u32);
    for v in world.neighbour_order.views(&world.graph, i as AgentId) {
        let partner = world.graph.targets()[v] as usize;
        if !agents.active[partner] {
            continue;
        }
        let game = params.game_between(agents.role[i], agents.role[partner], world.is_conflict(v));
        total += game
            .payoffs
            .payoff(own, pure_action(agents.strategy[partner]));
        games += 1;
    }
    if params.self_interaction {
        let game = params.game_between(agents.role[i], agents.role[i], false);
        total += game.payoffs.payoff(own, own);
        games += 1;
    }
    match params.payoff_measure {
        PayoffMeasure::PerGame if games > 0 => total / games as f64,
        PayoffMeasure::PerGame => 0.0,
        PayoffMeasure::Total | PayoffMeasure::Cumulative => total,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::rules::learning::Learning;
    use crate::model::world::World;
    use crate::scenario;

    fn scenario(update: &str) -> scenario::Scenario {
        let text = format!(
            "[run]\nsteps = 1\n[population]\ninitial_defectors = 0.5\n[population.student]\n\
             share = 1.0\nstrategy = \"allc\"\n[network]\nkind = \"lattice\"\nwidth = 8\n\
             height = 8\nneighbourhood = \"von_neumann\"\n[lifecycle]\nenabled = false\n\
             [game]\nkind = \"weak_pd\"\nb = 1.5\n\
             [learning]\nrule = \"imitate_best\"\nevery = 1\nexploration = 0.0\n\
             payoff = \"total\"\nupdate = \"{update}\"\n"
        );
        scenario::from_text("sequential", &text, &[]).unwrap()
    }

    fn learn(scenario: &scenario::Scenario, world: &mut World) {
        let params = crate::model::params::Params::new(scenario);
        let streams = crate::engine::streams::Streams::new(scenario.run.seed, 0);
        let context = crate::engine::schedule::StepContext {
            step: 1,
            streams,
            params: &params,
        };
        crate::engine::schedule::Rule::apply(&Learning, world, &context);
    }

    fn world_of(scenario: &scenario::Scenario) -> World {
        let params = crate::model::params::Params::new(scenario);
        let streams = crate::engine::streams::Streams::new(scenario.run.seed, 0);
        crate::model::setup::build_world(scenario, &params, streams).unwrap()
    }

    #[test]
    fn a_sequential_round_sees_earlier_updates_and_moves_only_toward_better_paid_moves() {
        // Imitate-best with no games played yet: synchronously every payoff is 0 and nobody
        // changes; sequentially payoffs come from the strategies, so defectors next to
        // cooperators (paid b per cooperating neighbour) are copied.
        let synchronous = scenario("synchronous");
        let mut world = world_of(&synchronous);
        let before = world.agents.strategy.clone();
        learn(&synchronous, &mut world);
        assert_eq!(world.agents.strategy, before);

        let sequential = scenario("random_sequential");
        let mut world = world_of(&sequential);
        let before = world.agents.strategy.clone();
        learn(&sequential, &mut world);
        assert_ne!(world.agents.strategy, before);
        let defectors = |s: &[crate::model::strategy::Strategy]| {
            s.iter()
                .filter(|&&s| s == crate::model::strategy::Strategy::Alld)
                .count()
        };
        assert!(defectors(&world.agents.strategy) > defectors(&before));
    }

    #[test]
    fn only_pure_strategies_update_sequentially() {
        let text = "[population.student]\nshare = 1.0\nstrategy = \"tft\"\n[network]\n\
                    kind = \"lattice\"\nwidth = 4\nheight = 4\n[lifecycle]\nenabled = false\n\
                    [learning]\nupdate = \"random_sequential\"\n";
        let error = scenario::from_text("bad", text, &[]).unwrap_err();
        assert_eq!(error.key.as_deref(), Some("learning.update"));
        assert!(error.message.contains("`allc` and `alld`"), "{error}");
    }
}
