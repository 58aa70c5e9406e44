//! Belief and tie maintenance (DESIGN §4 and §5 step 4).
//!
//! Per agent, on its own views: apply what it saw in group activities, forget toward the
//! stranger prior of the role pair, mark the tie a conflict tie when trust falls below
//! `trust.conflict_below` (it stays one until the tie breaks: mediation is a lever of the
//! school model), and propose a break when trust or strength falls below its threshold.

use crate::engine::parallel::{agent_blocks, map_blocks, split_views};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::model::world::{GroupObservation, World};
use crate::network::AgentId;

/// Belief and tie maintenance.
pub struct BeliefUpdate;

impl Rule for BeliefUpdate {
    fn name(&self) -> &'static str {
        "belief_update"
    }

    fn phase(&self) -> Phase {
        Phase::Beliefs
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let params = context.params;
        let n = world.agents.count();
        let blocks = agent_blocks(n);
        let World {
            graph,
            views,
            agents,
            scratch,
            ..
        } = world;
        // Stable sort: observations of one pair keep the order they were made in.
        scratch.group_observations.sort_by_key(|o| o.observer);
        let observations = &scratch.group_observations;
        let pieces = split_views(graph.offsets(), &blocks, views);
        let items: Vec<_> = blocks.into_iter().zip(pieces).collect();
        let (graph, roles) = (&*graph, &agents.role);
        let breaks = map_blocks(n, items, |_, (block, views)| {
            let first_view = graph.offsets()[block.start];
            let mut breaks = Vec::new();
            for i in block {
                let agent = i as AgentId;
                for observation in observations_of(observations, agent) {
                    if let Some(v) = graph.find_view(agent, observation.observed) {
                        views[v - first_view].observe(observation.perceived);
                    }
                }
                for v in graph.views(agent) {
                    let partner = graph.targets()[v];
                    let view = &mut views[v - first_view];
                    view.forget(
                        *params.stranger_prior.get(roles[i], roles[partner as usize]),
                        params.forgetting,
                    );
                    let trust = view.trust();
                    if trust < params.conflict_below {
                        view.conflict = true;
                    }
                    if trust < params.trust_break_below
                        || (view.strength as f64) < params.ties.break_below
                    {
                        breaks.push((agent, partner));
                    }
                }
            }
            breaks
        });
        scratch.breaks.extend(breaks.into_iter().flatten());
    }
}

/// The observations made by `observer`, from a list sorted by observer.
fn observations_of(sorted: &[GroupObservation], observer: AgentId) -> &[GroupObservation] {
    let start = sorted.partition_point(|o| o.observer < observer);
    let end = sorted.partition_point(|o| o.observer <= observer);
    &sorted[start..end]
}
