//! Learning (DESIGN §5 step 6): every `learning.every` steps agents revise their strategy
//! and norm, synchronously: all read the same start-of-round state, then all write.
//!
//! The round comes after the step's games ([`Learning`], phase 6) or, with
//! `learning.timing = "before_games"`, before them ([`LearningBeforeGames`], listed right
//! after the interventions): the strategy played at step t is then chosen from the payoffs
//! up to t − 1, as in Mesa's pd_grid. Exactly one of the two acts in a run.
//!
//! The payoff compared is the round's total, its payoff per game, or the total since step 1
//! (`learning.payoff`). Neighbours are gone through in the world's [`NeighbourOrder`].
//! - `fermi`: copy a uniformly drawn neighbour's strategy and norm with chance
//!   1 / (1 + exp((own − neighbour) / temperature)).
//! - `imitate_best`: take the first neighbour with the highest payoff; copy it if it is
//!   strictly higher than one's own (`equal_payoffs = "keep_own"`) or unless one's own is
//!   strictly higher (`"copy_neighbour"`).
//! - `conformity`: the norm closes `conformity_rate` of the gap to the trust-weighted mean
//!   norm of the neighbours; with chance `conformity_rate` the strategy becomes the most
//!   common among the neighbours (one's own if it is among the most common, else the
//!   first seen in id order).
//! - `proportional`: Santos & Pacheco's imitation in proportion to the payoff difference
//!   (`imitation.rs`).
//!
//! Then, with chance `exploration`, the strategy is replaced by one drawn uniformly from
//! the strategies the scenario mentions. Round payoffs restart from zero, except
//! cumulative ones.
//!
//! [`NeighbourOrder`]: crate::model::world::NeighbourOrder

use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::params::PayoffMeasure;
use crate::model::strategy::Strategy;
use crate::model::world::World;
use crate::network::AgentId;
use crate::scenario::{EqualPayoffs, LearningRule, LearningTiming, LearningUpdate};

/// Strategy and norm learning after the step's games (`learning.timing = "after_games"`).
pub struct Learning;

impl Rule for Learning {
    fn name(&self) -> &'static str {
        "learning"
    }

    fn phase(&self) -> Phase {
        Phase::Learning
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        if context.params.learning.timing == LearningTiming::AfterGames {
            learning_round(world, context);
        }
    }
}

/// Strategy and norm learning before the step's games (`learning.timing =
/// "before_games"`); listed after the interventions, in their phase.
pub struct LearningBeforeGames;

impl Rule for LearningBeforeGames {
    fn name(&self) -> &'static str {
        "learning_before_games"
    }

    fn phase(&self) -> Phase {
        Phase::Interventions
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        if context.params.learning.timing == LearningTiming::BeforeGames {
            learning_round(world, context);
        }
    }
}

/// One learning round, if this step has one.
fn learning_round(world: &mut World, context: &StepContext) {
    let learning = &context.params.learning;
    if context.step % learning.every != 0 {
        return;
    }
    let n = world.agents.count();
    if learning.update == LearningUpdate::RandomSequential {
        super::sequential::round(world, context);
    } else if learning.rule != LearningRule::None || learning.exploration > 0.0 {
        let payoffs = compared_payoffs(world, context.params.payoff_measure);
        let world_ref = &*world;
        let payoff = |i: usize| payoffs[i];
        let revised = map_blocks(n, agent_blocks(n), |_, block| {
            block
                .map(|i| {
                    let mut rng =
                        context
                            .streams
                            .rng(Purpose::Learning, context.step as u64, i as u64);
                    revise(world_ref, context, &payoff, i as AgentId, &mut rng)
                })
                .collect::<Vec<_>>()
        });
        for (i, (strategy, norm)) in revised.into_iter().flatten().enumerate() {
            world.agents.strategy[i] = strategy;
            world.agents.norm[i] = norm;
        }
    }
    if context.params.payoff_measure != PayoffMeasure::Cumulative {
        world.agents.round_payoff.iter_mut().for_each(|p| *p = 0.0);
        world.agents.round_games.iter_mut().for_each(|g| *g = 0);
    }
}

fn compared_payoffs(world: &World, measure: PayoffMeasure) -> Vec<f64> {
    let agents = &world.agents;
    match measure {
        PayoffMeasure::Total | PayoffMeasure::Cumulative => agents.round_payoff.clone(),
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

/// The strategy and norm of `agent` after its revision, given each agent's compared
/// payoff and the draws of this revision.
pub(super) fn revise(
    world: &World,
    context: &StepContext,
    payoffs: &dyn Fn(usize) -> f64,
    agent: AgentId,
    rng: &mut impl Draw,
) -> (Strategy, f64) {
    let learning = &context.params.learning;
    let i = agent as usize;
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
                    1.0 / (1.0 + ((payoffs(i) - payoffs(model)) / learning.temperature).exp());
                if rng.chance(adopt) {
                    (world.agents.strategy[model], world.agents.norm[model])
                } else {
                    own
                }
            }
            LearningRule::ImitateBest => {
                imitate_best(world, payoffs, agent, learning.equal_payoffs)
            }
            LearningRule::Conformity => conform(world, agent, learning.conformity_rate, rng),
            LearningRule::Proportional => {
                super::imitation::proportional(world, context, payoffs, agent, rng)
            }
        }
    };
    let pool = &context.params.strategy_pool;
    if !pool.is_empty() && rng.chance(learning.exploration) {
        strategy = pool[rng.below(pool.len() as u64) as usize];
    }
    (strategy, norm)
}

/// The strategy and norm of the first best-paid neighbour in neighbourhood order, or one's
/// own: on equal payoffs as `equal` says.
fn imitate_best(
    world: &World,
    payoffs: &dyn Fn(usize) -> f64,
    agent: AgentId,
    equal: EqualPayoffs,
) -> (Strategy, f64) {
    let own = agent as usize;
    let mut best: Option<usize> = None;
    for v in world.neighbour_order.views(&world.graph, agent) {
        let neighbour = world.graph.targets()[v] as usize;
        if best.is_none_or(|b| payoffs(neighbour) > payoffs(b)) {
            best = Some(neighbour);
        }
    }
    let chosen = match best {
        Some(b) if payoffs(b) > payoffs(own) => b,
        Some(b) if equal == EqualPayoffs::CopyNeighbour && payoffs(b) == payoffs(own) => b,
        _ => own,
    };
    (world.agents.strategy[chosen], world.agents.norm[chosen])
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
