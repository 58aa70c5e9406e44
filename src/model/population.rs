//! Arrivals and departures: the only way agents enter or leave a running world.
//!
//! Owns: what a newcomer starts with (attributes from its role's distributions, ties as the
//! initial network would give an agent of its role, beliefs of a stranger, and onboarding
//! when the lever says so: the median norm of its role, a mentor, and introductions, so its
//! ties start from the acquaintance prior), what a departure does (the agent becomes inactive and its ties
//! break), and [`settle`], which applies both to the graph at once.
//! Must never: decide *who* arrives or leaves (the school year and interventions do).
//!
//! Use: call [`arrive`] and [`depart`] as often as needed, then [`settle`] once.

use super::params::Params;
use super::role::Role;
use super::setup::newcomer_of;
use super::world::World;
use crate::engine::streams::{Draw, Purpose, Streams};
use crate::network::AgentId;

/// The agent leaves: it becomes inactive, it is no longer drawn as anyone's partner, and
/// all its ties are set to break at [`settle`].
pub fn depart(world: &mut World, agent: AgentId) {
    world.agents.active[agent as usize] = false;
    let role = world.agents.role[agent as usize];
    world.agents.by_role[role.index()].retain(|&a| a != agent);
    for &partner in world.graph.neighbours(agent) {
        world.scratch.breaks.push((agent, partner));
    }
}

/// A new agent of `role` arrives at `step`; `key` tells its draws apart from other
/// arrivals of the same step (an event kind and a counter). Its ties are proposed for
/// [`settle`]. Returns its id.
pub fn arrive(
    world: &mut World,
    params: &Params,
    streams: &Streams,
    step: u32,
    role: Role,
    key: u64,
) -> AgentId {
    let mut rng = streams.rng(Purpose::Lifecycle, step as u64, key);
    let mut newcomer = newcomer_of(&params.population, role, step, &mut rng);
    let onboarded =
        streams.uniform(Purpose::Onboarding, step as u64, key) < world.policy.onboarding;
    let mentor = if onboarded {
        newcomer.norm = median_norm(world, role).unwrap_or(newcomer.norm);
        mentor_for(world, params, step, role, &mut rng)
    } else {
        None
    };
    let partners = newcomer_partners(world, params, role, &mut rng);
    let id = world.agents.push(newcomer);
    world.agents.by_role[role.index()].push(id); // the largest id: the list stays sorted
    for partner in partners {
        world.scratch.new_ties.push((id, partner));
        if onboarded {
            world.scratch.acquainted.push((id, partner)); // introduced, not a stranger
        }
    }
    if let Some(mentor) = mentor {
        world.scratch.new_ties.push((id, mentor));
        world.scratch.acquainted.push((id, mentor));
    }
    id
}

/// Applies the arrivals and departures: roles are re-indexed and the graph rebuilt. A tie
/// proposed to someone who left in the meantime is dropped.
pub fn settle(world: &mut World, params: &Params) {
    let active = &world.agents.active;
    world
        .scratch
        .new_ties
        .retain(|&(a, b)| active[a as usize] && active[b as usize]);
    world.agents.index_roles();
    world.apply_tie_changes(params);
}

/// Partners a newcomer of `role` gets: with a block model, each active agent of each role
/// with that pair's density; otherwise `newcomer_degree` agents drawn uniformly.
fn newcomer_partners(
    world: &World,
    params: &Params,
    role: Role,
    rng: &mut impl Draw,
) -> Vec<AgentId> {
    let by_role = &world.agents.by_role;
    match &params.density {
        Some(density) => Role::ALL
            .iter()
            .flat_map(|&other| {
                let pool = &by_role[other.index()];
                rng.bernoulli_subset(pool.len(), *density.get(role, other))
                    .into_iter()
                    .map(|k| pool[k])
                    .collect::<Vec<_>>()
            })
            .collect(),
        None => {
            let everyone: Vec<AgentId> = by_role.iter().flatten().copied().collect();
            if everyone.is_empty() {
                return Vec::new();
            }
            let wanted = rng.round_stochastic(params.newcomer_degree);
            (0..wanted)
                .map(|_| everyone[rng.below(everyone.len() as u64) as usize])
                .collect()
        }
    }
}

/// The median norm of the active agents of `role` (the lower middle of an even count).
fn median_norm(world: &World, role: Role) -> Option<f64> {
    let mut norms: Vec<f64> = world.agents.by_role[role.index()]
        .iter()
        .map(|&a| world.agents.norm[a as usize])
        .collect();
    if norms.is_empty() {
        return None;
    }
    norms.sort_by(f64::total_cmp);
    Some(norms[(norms.len() - 1) / 2])
}

/// A random active member of `role` who has been at the school at least a school year.
fn mentor_for(
    world: &World,
    params: &Params,
    step: u32,
    role: Role,
    rng: &mut impl Draw,
) -> Option<AgentId> {
    let agents = &world.agents;
    let seasoned: Vec<AgentId> = agents.by_role[role.index()]
        .iter()
        .copied()
        .filter(|&a| !agents.is_newcomer(a as usize, step, params.steps_per_year))
        .collect();
    (!seasoned.is_empty()).then(|| seasoned[rng.below(seasoned.len() as u64) as usize])
}
