//! Imitation in proportion to the payoff difference (`learning.rule = "proportional"`), the
//! update rule of Santos & Pacheco (PRL 95:098104, 2005).
//!
//! Agent x draws a neighbour y uniformly. If y earned more, x takes y's strategy and norm with
//! chance (π_y − π_x) / (D · k_>), where D is the spread of the game on their tie (largest
//! payoff minus smallest: T − S for a prisoner's dilemma, T − P for a snowdrift game) and k_>
//! the larger of their two degrees. With `learning.payoff = "per_game"` the payoffs are
//! already per game and the divisor is D alone. The chance is capped at 1 (payoffs from
//! several steps, or from self-interaction, can exceed one step's largest difference).
//!
//! On a complete graph with `total` payoffs this is the replicator dynamics with time scaled
//! by 1/D: the expected change of the cooperator share x per round is
//! x(1 − x)(π_C − π_D) / D, π being the expected payoff of one game (tests/validation_dynamics.rs).
//!
//! Owns: the rule's decision for one agent. Must never: write state (the learning rule
//! applies what this returns, synchronously) or draw from a stream other than the agent's
//! learning generator it is handed.

use crate::engine::schedule::StepContext;
use crate::engine::streams::Draw;
use crate::model::params::PayoffMeasure;
use crate::model::strategy::Strategy;
use crate::model::world::World;
use crate::network::AgentId;

/// The strategy and norm `agent` takes under the proportional rule, given the round's
/// compared `payoffs` (indexed by agent). An agent without ties keeps its own.
pub(super) fn proportional(
    world: &World,
    context: &StepContext,
    payoffs: &dyn Fn(usize) -> f64,
    agent: AgentId,
    rng: &mut impl Draw,
) -> (Strategy, f64) {
    let x = agent as usize;
    let own = (world.agents.strategy[x], world.agents.norm[x]);
    let neighbours = world.graph.neighbours(agent);
    if neighbours.is_empty() {
        return own;
    }
    let y = neighbours[rng.below(neighbours.len() as u64) as usize];
    let gain = payoffs(y as usize) - payoffs(x);
    if gain <= 0.0 {
        return own;
    }
    let roles = &world.agents.role;
    let spread = payoff_spread(
        &context
            .params
            .game_between(roles[x], roles[y as usize], false)
            .payoffs,
    );
    if spread <= 0.0 {
        return own; // every outcome pays the same: nothing to imitate for
    }
    let divisor = if context.params.payoff_measure == PayoffMeasure::PerGame {
        spread
    } else {
        let larger_degree = neighbours.len().max(world.graph.neighbours(y).len());
        spread * larger_degree as f64
    };
    if rng.chance((gain / divisor).min(1.0)) {
        (
            world.agents.strategy[y as usize],
            world.agents.norm[y as usize],
        )
    } else {
        own
    }
}

/// D: the largest payoff of the matrix minus the smallest.
pub(super) fn payoff_spread(payoffs: &crate::model::game::Payoffs) -> f64 {
    let all = [
        payoffs.reward,
        payoffs.sucker,
        payoffs.temptation,
        payoffs.punishment,
    ];
    let max = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = all.iter().copied().fold(f64::INFINITY, f64::min);
    max - min
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::game::Payoffs;

    #[test]
    fn spread_is_t_minus_s_for_a_dilemma_and_t_minus_p_for_snowdrift() {
        assert_eq!(payoff_spread(&Payoffs::weak_pd(1.5)), 1.5);
        let snowdrift = Payoffs {
            reward: 3.0,
            sucker: 1.0,
            temptation: 5.0,
            punishment: 0.0,
        };
        assert_eq!(payoff_spread(&snowdrift), 5.0);
    }

    /// A star: leaf 1 (degree 1, payoff 0) looks at the centre 0 (degree 3, payoff 1.8), its
    /// only neighbour; with D = b = 1.5 it copies with chance 1.8 / (1.5 · 3) = 0.4.
    #[test]
    fn a_leaf_copies_a_better_paid_hub_with_the_papers_chance() {
        use crate::model::role::Role;
        use crate::model::testing;
        let scenario = crate::scenario::from_text(
            "test",
            "[population.teacher]\ncount = 4\n[network]\nkind = \"sbm\"\ndensity = { default = 0.0 }\n\
             [game]\nkind = \"weak_pd\"\nb = 1.5\n[learning]\npayoff = \"total\"\n",
            &[],
        )
        .expect("a valid scenario");
        let params = crate::model::params::Params::new(&scenario);
        let mut world = testing::world(&[Role::Teacher; 4], &[(0, 1), (0, 2), (0, 3)]);
        world.agents.strategy[0] = Strategy::Alld;
        let payoffs = [1.8, 0.0, 0.0, 0.0];
        let trials = 20_000;
        let copied = (0..trials)
            .filter(|&step| {
                let context = testing::context(&params, step);
                let mut rng =
                    context
                        .streams
                        .rng(crate::engine::streams::Purpose::Learning, step as u64, 1);
                proportional(&world, &context, &|i| payoffs[i], 1, &mut rng).0 == Strategy::Alld
            })
            .count();
        let share = copied as f64 / trials as f64;
        // Binomial standard error sqrt(0.4 · 0.6 / 20000) = 0.0035; 4 of them.
        assert!(
            (share - 0.4).abs() < 0.014,
            "copied in {share} of the trials"
        );
        // The hub never copies a worse-paid leaf.
        let context = testing::context(&params, 0);
        let mut rng = context
            .streams
            .rng(crate::engine::streams::Purpose::Learning, 0, 0);
        assert_eq!(
            proportional(&world, &context, &|i| payoffs[i], 0, &mut rng).0,
            Strategy::Alld
        );
    }
}
