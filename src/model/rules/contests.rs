//! Contests (DESIGN §1: competition, the paper's dissociative side).
//!
//! Every `every` steps (at steps that are multiples of it), contest c draws `contestants`
//! distinct active agents of its `role` uniformly (`Purpose::Contest`, entity c; skipped
//! when fewer than two are there). Contestant i spends effort e_i = 1 − norm_i / 2 at a
//! cost of `effort_cost × e_i`, and wins with chance e_i / Σ e (a Tullock lottery); the
//! winner receives `prize`. Costs and the prize count as payoffs (resources and the
//! learning round's payoff; one game for each contestant). Each loser adds `rivalry`
//! pseudo-defections (β += rivalry) to its own view of every rival it is tied to (every
//! other contestant); a loser not tied to a rival changes nothing toward it. Contests run
//! in the order listed.
//!
//! Owns: who competes, who wins, what it costs and the losers' resentment. Must never:
//! change a view other than a loser's own, or create or break ties.

use super::group_game::draw_from;
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::world::World;
use crate::network::AgentId;
use crate::scenario::Contest;

/// Contests.
pub struct Contests;

impl Rule for Contests {
    fn name(&self) -> &'static str {
        "contests"
    }

    fn phase(&self) -> Phase {
        Phase::Groups
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        for (index, contest) in context.params.contests.iter().enumerate() {
            if context.step % contest.every == 0 {
                let mut rng =
                    context
                        .streams
                        .rng(Purpose::Contest, context.step as u64, index as u64);
                compete(world, contest, &mut rng);
            }
        }
    }
}

/// Effort of an agent with norm `norm`: the less cooperative, the harder it competes.
pub fn effort(norm: f64) -> f64 {
    1.0 - norm / 2.0
}

fn compete(world: &mut World, contest: &Contest, rng: &mut impl Draw) {
    let pool = &world.agents.by_role[contest.role.index()];
    let contestants = draw_from(pool, contest.contestants as usize, rng);
    if contestants.len() < 2 {
        return;
    }
    let efforts: Vec<f64> = contestants
        .iter()
        .map(|&a| effort(world.agents.norm[a as usize]))
        .collect();
    let winner = rng.weighted_index(&efforts).unwrap_or(0);
    for (k, (&agent, e)) in contestants.iter().zip(&efforts).enumerate() {
        let prize = if k == winner { contest.prize } else { 0.0 };
        let payoff = prize - contest.effort_cost * e;
        let i = agent as usize;
        world.agents.resources[i] += payoff;
        world.agents.round_payoff[i] += payoff;
        world.agents.round_games[i] += 1;
        if k != winner {
            resent(world, agent, &contestants, contest.rivalry);
        }
    }
}

/// The loser's own views of its rivals gain `rivalry` pseudo-defections.
fn resent(world: &mut World, loser: AgentId, contestants: &[AgentId], rivalry: f64) {
    for &rival in contestants {
        if rival == loser {
            continue;
        }
        if let Some(v) = world.graph.find_view(loser, rival) {
            world.views[v].beta += rivalry as f32;
        }
    }
}
