//! Network change (DESIGN §5 step 5): introductions, chance meetings, and applying every
//! proposed tie and break of the step.
//!
//! Proposals are gathered per agent in parallel (reading the state only), concatenated in
//! agent order with the proposals of earlier rules (activity ties, breaks), and applied at
//! once by rebuilding the graph. A new tie starts from the stranger prior of its role pair
//! and `ties.initial_strength`; surviving ties keep their views.
//!
//! - Introduction (triadic closure weighted by trust): with chance `introduction_rate`, an
//!   agent picks a contact it trusts at least `introduce_above` (weighted by trust), who
//!   picks one of *its* trusted contacts the same way; if the two are not tied, they meet.
//! - Chance meeting: with chance `chance_meeting_rate`, an agent meets a random agent of a
//!   role drawn with weight `meeting_affinity × head count`.
//! - Nobody takes on a new tie at or beyond `max_degree` (when set): proposals are taken in
//!   id order while both ends have room.

use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::role::Role;
use crate::model::world::World;
use crate::network::AgentId;
use std::collections::HashMap;

/// Introductions, chance meetings, and applying the step's ties and breaks.
pub struct NetworkChangeRule;

impl Rule for NetworkChangeRule {
    fn name(&self) -> &'static str {
        "network_change"
    }

    fn phase(&self) -> Phase {
        Phase::NetworkChange
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let change = &context.params.change;
        // At rates of 0 no agent proposes anything (each draw is below a rate of 0 never):
        // skip the pass over agents.
        if change.introduction_rate > 0.0 || change.chance_meeting_rate > 0.0 {
            let n = world.agents.count();
            let world_ref = &*world;
            let proposals = map_blocks(n, agent_blocks(n), |_, block| {
                block
                    .filter_map(|i| propose(world_ref, context, i as AgentId))
                    .collect::<Vec<_>>()
            });
            world
                .scratch
                .new_ties
                .extend(proposals.into_iter().flatten());
        }
        cap_degrees(world, context.params.change.max_degree as usize);
        world.apply_tie_changes(context.params);
    }
}

/// Keeps the proposed ties (in id order, duplicates and existing ties dropped) that leave
/// both ends at or below `max_degree` ties (0: no limit), counting ties accepted so far.
fn cap_degrees(world: &mut World, max_degree: usize) {
    let new_ties = &mut world.scratch.new_ties;
    for tie in new_ties.iter_mut() {
        *tie = (tie.0.min(tie.1), tie.0.max(tie.1));
    }
    new_ties.sort_unstable();
    new_ties.dedup();
    let graph = &world.graph;
    new_ties.retain(|&(a, b)| a != b && !graph.has_tie(a, b));
    if max_degree == 0 {
        return;
    }
    let mut added: HashMap<AgentId, usize> = HashMap::new();
    new_ties.retain(|&(a, b)| {
        let room = |agent: AgentId, added: &HashMap<AgentId, usize>| {
            graph.degree(agent) + added.get(&agent).copied().unwrap_or(0) < max_degree
        };
        let accept = room(a, &added) && room(b, &added);
        if accept {
            *added.entry(a).or_default() += 1;
            *added.entry(b).or_default() += 1;
        }
        accept
    });
}

/// At most one new acquaintance per agent per step: an introduction, else a chance meeting.
fn propose(world: &World, context: &StepContext, agent: AgentId) -> Option<(AgentId, AgentId)> {
    if !world.agents.active[agent as usize] {
        return None;
    }
    let change = &context.params.change;
    let step = context.step as u64;
    // Cheap keyed gates first: most agents do neither, and a generator costs more than a draw.
    let streams = &context.streams;
    if streams.uniform(Purpose::Introduction, step, agent as u64) < change.introduction_rate {
        let mut rng = streams.rng(Purpose::Introduction, step, agent as u64);
        if let Some(stranger) = introduction(world, agent, change.introduce_above, &mut rng) {
            return Some((agent, stranger));
        }
    }
    if streams.uniform(Purpose::ChanceMeeting, step, agent as u64) < change.chance_meeting_rate {
        let mut rng = streams.rng(Purpose::ChanceMeeting, step, agent as u64);
        let other = chance_meeting(world, context, agent, &mut rng)?;
        if other != agent && !world.graph.has_tie(agent, other) {
            return Some((agent, other));
        }
    }
    None
}

/// A trusted contact of `agent` introduces one of its own trusted contacts.
fn introduction(
    world: &World,
    agent: AgentId,
    threshold: f64,
    rng: &mut impl Draw,
) -> Option<AgentId> {
    let introducer = trusted_contact(world, agent, threshold, rng)?;
    let stranger = trusted_contact(world, introducer, threshold, rng)?;
    (stranger != agent && !world.graph.has_tie(agent, stranger)).then_some(stranger)
}

/// A contact of `agent` trusted at least `threshold`, drawn with weight equal to trust.
fn trusted_contact(
    world: &World,
    agent: AgentId,
    threshold: f64,
    rng: &mut impl Draw,
) -> Option<AgentId> {
    let views = world.graph.views(agent);
    let weights: Vec<f64> = views
        .clone()
        .map(|v| {
            let trust = world.views[v].trust();
            if trust >= threshold { trust } else { 0.0 }
        })
        .collect();
    let pick = rng.weighted_index(&weights)?;
    Some(world.graph.targets()[views.start + pick])
}

fn chance_meeting(
    world: &World,
    context: &StepContext,
    agent: AgentId,
    rng: &mut impl Draw,
) -> Option<AgentId> {
    let role = world.agents.role[agent as usize];
    let weights: Vec<f64> = Role::ALL
        .iter()
        .map(|&other| {
            context.params.affinity.get(role, other)
                * world.agents.by_role[other.index()].len() as f64
        })
        .collect();
    let pool = &world.agents.by_role[rng.weighted_index(&weights)?];
    Some(pool[rng.below(pool.len() as u64) as usize])
}
