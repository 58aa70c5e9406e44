//! Contacts and pairwise games (DESIGN §5 steps 1, 2 and the pairwise part of 4).
//!
//! Two passes over agents, each writing only the agent's own views and entries:
//! 1. *decide*: for each tie, whether it is active this step (a pair-keyed draw, so both
//!    ends agree without talking) and, if so, the agent's action from its strategy. The
//!    chance is the role pair's contact chance × `world.contact_factor` (a school closure),
//!    × `policy.governance.outside_contact_factor()` on ties that join a member of the
//!    school with an outsider;
//! 2. *play*: each agent, going through its ties in the world's neighbour order (which
//!    fixes the order of the floating-point payoff sum, then self-play last), reads its
//!    partner's recorded action through the reverse view,
//!    collects its payoff, perceives the partner's action (misread with chance
//!    `misread × (1 − transparency)`), and updates its belief, memory and tie strength.
//!
//! A tie is a conflict tie, and plays the conflict game, when either end marked it so at
//! the start of the step.

use crate::engine::parallel::{agent_blocks, map_blocks, split_agents, split_views};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::role::TieKind;
use crate::model::tie::{Action, StepRecord, ViewState};
use crate::model::world::{GameTally, World};
use crate::network::AgentId;

/// Contacts and pairwise games.
pub struct PairwiseGames;

impl Rule for PairwiseGames {
    fn name(&self) -> &'static str {
        "pairwise_games"
    }

    fn phase(&self) -> Phase {
        Phase::Games
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        decide(world, context);
        play(world, context);
    }
}

fn decide(world: &mut World, context: &StepContext) {
    let step = context.step as u64;
    let n = world.agents.count();
    let closure = world.contact_factor;
    let outside = closure * world.policy.governance.outside_contact_factor();
    let blocks = agent_blocks(n);
    let World {
        graph,
        views,
        agents,
        scratch,
        ..
    } = world;
    let pieces = split_views(graph.offsets(), &blocks, &mut scratch.records);
    let items: Vec<_> = blocks.into_iter().zip(pieces).collect();
    let (graph, views, agents) = (&*graph, &*views, &*agents);
    let contact_draws = context.streams.uniforms(Purpose::Contact, step);
    map_blocks(n, items, |_, (block, records)| {
        let first_view = graph.offsets()[block.start];
        for i in block {
            let agent = i as AgentId;
            let role = agents.role[i];
            let mut rng = context.streams.lazy_rng(Purpose::Action, step, i as u64);
            for v in graph.views(agent) {
                let partner = graph.targets()[v];
                let partner_role = agents.role[partner as usize];
                let factor = if TieKind::crosses_school_boundary(role, partner_role) {
                    outside
                } else {
                    closure
                };
                let contact = *context.params.contact.get(role, partner_role) * factor;
                // A draw in [0, 1) is below any contact chance of 1 or more: skip it then.
                if contact < 1.0 && contact_draws.of_pair(agent, partner) >= contact {
                    continue; // records start IDLE
                }
                let view = &views[v];
                let action =
                    agents.strategy[i].choose(view, view.trust(), agents.norm[i], &mut rng);
                records[v - first_view] = StepRecord::played(action, view.conflict);
            }
        }
    });
}

/// Per-block mutable pieces written by the play pass.
struct PlayBlock<'a> {
    agents: std::ops::Range<usize>,
    views: &'a mut [ViewState],
    resources: &'a mut [f64],
    round_payoff: &'a mut [f64],
    round_games: &'a mut [u32],
}

fn play(world: &mut World, context: &StepContext) {
    let misread = world.misread_chance(context.params.misread);
    let n = world.agents.count();
    let blocks = agent_blocks(n);
    let World {
        graph,
        views,
        agents,
        scratch,
        neighbour_order,
        ..
    } = world;
    let view_pieces = split_views(graph.offsets(), &blocks, views);
    let resources = split_agents(&blocks, &mut agents.resources);
    let payoffs = split_agents(&blocks, &mut agents.round_payoff);
    let games = split_agents(&blocks, &mut agents.round_games);
    let items: Vec<PlayBlock> = blocks
        .into_iter()
        .zip(view_pieces)
        .zip(resources.into_iter().zip(payoffs).zip(games))
        .map(
            |((agents, views), ((resources, round_payoff), round_games))| PlayBlock {
                agents,
                views,
                resources,
                round_payoff,
                round_games,
            },
        )
        .collect();
    let (graph, records) = (&*graph, &scratch.records);
    let (roles, strategies, norms) = (&agents.role, &agents.strategy, &agents.norm);
    let tallies = map_blocks(n, items, |_, block| {
        let mut tally = GameTally::default();
        let first_view = graph.offsets()[block.agents.start];
        let first_agent = block.agents.start;
        for i in block.agents.clone() {
            let agent = i as AgentId;
            let mut rng = context
                .streams
                .lazy_rng(Purpose::Misread, context.step as u64, i as u64);
            let (mut payoff, mut played) = (0.0, 0u32);
            for v in neighbour_order.views(graph, agent) {
                let view = &mut block.views[v - first_view];
                let Some(own) = records[v].action() else {
                    view.strength -= (context.params.ties.decay * view.strength as f64) as f32;
                    continue;
                };
                let partner_record = records[graph.reverse(v)];
                let other = partner_record
                    .action()
                    .expect("both ends of a tie agree it is active");
                let partner = graph.targets()[v] as usize;
                let conflict = records[v].conflict() || partner_record.conflict();
                let game = context
                    .params
                    .game_between(roles[i], roles[partner], conflict);
                payoff += game.payoffs.payoff(own, other);
                let perceived = if rng.chance(misread) {
                    other.opposite()
                } else {
                    other
                };
                perceive(view, own, perceived, context);
                tally.add(roles[i], own);
                played += 1;
            }
            if context.params.self_interaction {
                payoff += self_play_payoff(i, roles, strategies, norms, context);
                played += 1;
            }
            let local = i - first_agent;
            block.resources[local] += payoff;
            block.round_payoff[local] += payoff;
            block.round_games[local] += played;
        }
        tally
    });
    for tally in &tallies {
        scratch.games.merge(tally);
    }
}

/// Belief, memory and strength after one game.
fn perceive(view: &mut ViewState, own: Action, perceived: Action, context: &StepContext) {
    view.observe(perceived);
    view.memory.remember(own, perceived);
    let ties = &context.params.ties;
    let strength = view.strength as f64;
    view.strength = match perceived {
        Action::Cooperate => strength + ties.growth * (1.0 - strength),
        Action::Defect => strength - ties.loss * strength,
    } as f32;
}

/// Payoff of agent `i` playing itself once (Nowak & May's self-interaction): its strategy
/// against a partner it has no memory of, on a tie within its own role.
fn self_play_payoff(
    i: usize,
    roles: &[crate::model::role::Role],
    strategies: &[crate::model::strategy::Strategy],
    norms: &[f64],
    context: &StepContext,
) -> f64 {
    let mut rng = context
        .streams
        .rng(Purpose::SelfPlay, context.step as u64, i as u64);
    let fresh = ViewState::default();
    let prior = context.params.stranger_prior.get(roles[i], roles[i]).mean();
    let action = strategies[i].choose(&fresh, prior, norms[i], &mut rng);
    context
        .params
        .game_between(roles[i], roles[i], false)
        .payoffs
        .payoff(action, action)
}
