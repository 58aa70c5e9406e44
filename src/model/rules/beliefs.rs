//! Belief and tie maintenance (DESIGN §4 and §5 step 4).
//!
//! Per agent, on its own views: apply what it saw in group activities; mediate (a tie that
//! was a conflict tie at the start of the pass, by either side's mark, is repaired with
//! chance `policy.mediation`: a pair-keyed draw, so both ends agree, after which each end
//! drops its conflict mark and restarts its belief from the stranger prior of the pair);
//! forget toward the stranger prior of the role pair; mark the tie a conflict tie when
//! trust falls below `trust.conflict_below` (it stays one until mediated or broken); and
//! propose a break when trust or strength falls below its threshold.

use crate::engine::parallel::{agent_blocks, map_blocks, split_views};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Purpose, Streams};
use crate::model::tie::{BetaBelief, ViewState};
use crate::model::world::{GroupObservation, World};
use crate::network::{AgentId, Graph};

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
        let mediation_chance = world.policy.mediation;
        if nothing_to_maintain(world, context) {
            return;
        }
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
        let mediation = Mediation::new(graph, views, context, mediation_chance);
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
                    let prior = *params.stranger_prior.get(roles[i], roles[partner as usize]);
                    if mediation.repairs(v, agent, partner) {
                        view.restart(prior);
                    }
                    if maintain(view, prior, context) {
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

/// Whether this step's pass would change nothing: no observations from group activities,
/// no mediation, no forgetting, and thresholds no trust or strength can fall below (both are
/// at least 0). Lattice games and other models without beliefs then skip the pass.
fn nothing_to_maintain(world: &World, context: &StepContext) -> bool {
    let params = context.params;
    world.scratch.group_observations.is_empty()
        && world.policy.mediation <= 0.0
        && params.forgetting <= 0.0
        && params.conflict_below <= 0.0
        && params.trust_break_below <= 0.0
        && params.ties.break_below <= 0.0
}

/// Forgetting, the conflict mark and the break test on one view; true if the tie breaks.
fn maintain(view: &mut ViewState, prior: BetaBelief, context: &StepContext) -> bool {
    let params = context.params;
    if params.forgetting > 0.0 {
        view.forget(prior, params.forgetting);
    }
    let trust = view.trust();
    if trust < params.conflict_below {
        view.conflict = true;
    }
    trust < params.trust_break_below || (view.strength as f64) < params.ties.break_below
}

/// Which conflict ties mediation may repair this step: the conflict status of every view
/// at the start of the pass (either side's mark), read while each agent rewrites its own.
struct Mediation {
    chance: f64,
    conflict: Vec<bool>,
    streams: Streams,
    step: u64,
}

impl Mediation {
    fn new(graph: &Graph, views: &[ViewState], context: &StepContext, chance: f64) -> Mediation {
        let conflict = if chance > 0.0 {
            (0..graph.view_count())
                .map(|v| views[v].conflict || views[graph.reverse(v)].conflict)
                .collect()
        } else {
            Vec::new()
        };
        Mediation {
            chance,
            conflict,
            streams: context.streams,
            step: context.step as u64,
        }
    }

    /// Whether the conflict tie of view `v` (between `agent` and `partner`) is repaired.
    fn repairs(&self, v: usize, agent: AgentId, partner: AgentId) -> bool {
        self.chance > 0.0
            && self.conflict[v]
            && self
                .streams
                .pair_uniform(Purpose::Mediation, self.step, agent, partner)
                < self.chance
    }
}
