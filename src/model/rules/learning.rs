//! Learning (DESIGN §5 step 6): every `learning.every` steps agents revise their strategy
//! and norm, synchronously: all read the same start-of-round state, then all write.
//!
//! The payoff compared is the round's total or its payoff per game (`learning.payoff`).
//! - `fermi`: copy a uniformly drawn neighbour's strategy and norm with chance
//!   1 / (1 + exp((own − neighbour) / temperature)).
//! - `imitate_best`: copy the neighbour with the highest payoff if it is strictly higher
//!   than one's own; among equal best neighbours the one with the lowest id.
//! - `conformity`: the norm closes `conformity_rate` of the gap to the trust-weighted mean
//!   norm of the neighbours; with chance `conformity_rate` the strategy becomes the most
//!   common among the neighbours (one's own if it is among the most common, else the
//!   first seen in id order).
//! - `proportional`: Santos & Pacheco's imitation in proportion to the payoff difference
//!   (`imitation.rs`).
//!
//! Then, with chance `exploration`, the strategy is replaced by one drawn uniformly from
//! the strategies the scenario mentions. Round payoffs restart from zero.

use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::params::PayoffMeasure;
use crate::model::strategy::Strategy;
use crate::model::world::World;
use crate::network::AgentId;
use crate::scenario::LearningRule;

/// Strategy and norm learning.
pub struct Learning;

impl Rule for Learning {
    fn name(&self) -> &'static str {
        "learning"
    }

    fn phase(&self) -> Phase {
        Phase::Learning
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let learning = &context.params.learning;
        if context.step % learning.every != 0 {
            return;
        }
        let n = world.agents.count();
        if learning.rule != LearningRule::None || learning.exploration > 0.0 {
            let payoffs = compared_payoffs(world, context.params.payoff_measure);
            let world_ref = &*world;
            let revised = map_blocks(n, agent_blocks(n), |_, block| {
                block
                    .map(|i| revise(world_ref, context, &payoffs, i as AgentId))
                    .collect::<Vec<_>>()
            });
            for (i, (strategy, norm)) in revised.into_iter().flatten().enumerate() {
                world.agents.strategy[i] = strategy;
                world.agents.norm[i] = norm;
            }
        }
        world.agents.round_payoff.iter_mut().for_each(|p| *p = 0.0);
        world.agents.round_games.iter_mut().for_each(|g| *g = 0);
    }
}

fn compared_payoffs(world: &World, measure: PayoffMeasure) -> Vec<f64> {
    let agents = &world.agents;
    match measure {
        PayoffMeasure::Total => agents.round_payoff.clone(),
        PayoffMeasure::PerGame => agents
            .round_payoff
            .iter()
            .zip(&agents.round_games)
            .map(|(payoff, &games)| {
                if games == 0 {
                    0.0
                } else {
                    payoff / games as f64
                }
            })
            .collect(),
    }
}

/// The strategy and norm of `agent` after this round.
fn revise(
    world: &World,
    context: &StepContext,
    payoffs: &[f64],
    agent: AgentId,
) -> (Strategy, f64) {
    let learning = &context.params.learning;
    let i = agent as usize;
    let mut rng = context
        .streams
        .rng(Purpose::Learning, context.step as u64, agent as u64);
    let own = (world.agents.strategy[i], world.agents.norm[i]);
    let neighbours = world.graph.neighbours(agent);
    let (mut strategy, norm) = if neighbours.is_empty() {
        own
    } else {
        match learning.rule {
            LearningRule::None => own,
            LearningRule::Fermi => {
                let model = neighbours[rng.below(neighbours.len() as u64) as usize] as usize;
                let adopt =
                    1.0 / (1.0 + ((payoffs[i] - payoffs[model]) / learning.temperature).exp());
                if rng.chance(adopt) {
                    (world.agents.strategy[model], world.agents.norm[model])
                } else {
                    own
                }
            }
            LearningRule::ImitateBest => imitate_best(world, payoffs, agent),
            LearningRule::Conformity => conform(world, agent, learning.conformity_rate, &mut rng),
            LearningRule::Proportional => {
                super::imitation::proportional(world, context, payoffs, agent, &mut rng)
            }
        }
    };
    let pool = &context.params.strategy_pool;
    if !pool.is_empty() && rng.chance(learning.exploration) {
        strategy = pool[rng.below(pool.len() as u64) as usize];
    }
    (strategy, norm)
}

fn imitate_best(world: &World, payoffs: &[f64], agent: AgentId) -> (Strategy, f64) {
    let mut best = agent as usize;
    for &neighbour in world.graph.neighbours(agent) {
        if payoffs[neighbour as usize] > payoffs[best] {
            best = neighbour as usize;
        }
    }
    (world.agents.strategy[best], world.agents.norm[best])
}

fn conform(world: &World, agent: AgentId, rate: f64, rng: &mut impl Draw) -> (Strategy, f64) {
    let i = agent as usize;
    let (mut weighted, mut weights) = (0.0, 0.0);
    let mut counts: Vec<(Strategy, u32)> = Vec::new();
    for v in world.graph.views(agent) {
        let neighbour = world.graph.targets()[v] as usize;
        let trust = world.views[v].trust();
        weighted += trust * world.agents.norm[neighbour];
        weights += trust;
        let strategy = world.agents.strategy[neighbour];
        match counts.iter_mut().find(|(s, _)| *s == strategy) {
            Some((_, count)) => *count += 1,
            None => counts.push((strategy, 1)),
        }
    }
    let own_norm = world.agents.norm[i];
    let norm = if weights > 0.0 {
        own_norm + rate * (weighted / weights - own_norm)
    } else {
        own_norm
    };
    let own = world.agents.strategy[i];
    let mut strategy = own;
    if rng.chance(rate) {
        let top = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
        let own_is_top = counts.iter().any(|(s, c)| *s == own && *c == top);
        if !own_is_top {
            strategy = counts
                .iter()
                .find(|(_, c)| *c == top)
                .map_or(own, |(s, _)| *s);
        }
    }
    (strategy, norm.clamp(0.0, 1.0))
}
