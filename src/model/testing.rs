//! Hand-built worlds for unit tests of rules and metrics (compiled only for tests).
//!
//! Owns: a way to lay out a small world exactly (roles, ties, trust of each view) without
//! a scenario's random set-up. Must never: be used outside tests.

use super::params::Params;
use super::role::Role;
use super::strategy::Strategy;
use super::tie::{BetaBelief, ViewState};
use super::world::{Agents, Ledger, Newcomer, Scratch, World};
use crate::engine::schedule::StepContext;
use crate::engine::streams::Streams;
use crate::network::{AgentId, Graph};
use crate::scenario::Policy;

/// Parameters of a one-teacher scenario with every default; tests change fields directly.
pub fn params() -> Params {
    let scenario = crate::scenario::from_text(
        "test",
        "[population.teacher]\ncount = 1\n[network]\nkind = \"sbm\"\ndensity = { default = 0.0 }\n",
        &[],
    )
    .expect("a valid scenario");
    Params::new(&scenario)
}

/// A world of agents with `roles` (ids in order, knowledge 0.5, resources 10) and the
/// undirected `edges`, every view at trust 0.5 (Beta(5, 5)).
pub fn world(roles: &[Role], edges: &[(AgentId, AgentId)]) -> World {
    let mut agents = Agents::default();
    for &role in roles {
        agents.push(Newcomer {
            role,
            strategy: Strategy::Allc,
            norm: 0.5,
            resources: 10.0,
            knowledge: 0.5,
            arrived: 0,
        });
    }
    agents.index_roles();
    let graph = Graph::from_edges(roles.len(), edges);
    let prior = BetaBelief {
        alpha: 5.0,
        beta: 5.0,
    };
    let views = vec![ViewState::new(prior, 0.5); graph.view_count()];
    World {
        step: 0,
        agents,
        graph,
        views,
        policy: Policy::default(),
        programmes: Vec::new(),
        contact_factor: 1.0,
        closure_until: 0,
        ledger: Ledger::default(),
        scratch: Scratch::default(),
        neighbour_order: crate::model::world::NeighbourOrder::default(),
    }
}

/// Sets the trust of `from` toward `to` (they must be tied) to `trust`, with weight 10.
pub fn set_trust(world: &mut World, from: AgentId, to: AgentId, trust: f64) {
    let v = world.graph.find_view(from, to).expect("tied");
    world.views[v].alpha = (10.0 * trust) as f32;
    world.views[v].beta = (10.0 * (1.0 - trust)) as f32;
}

/// The context of step `step` with `params` and fixed streams.
pub fn context(params: &Params, step: u32) -> StepContext<'_> {
    StepContext {
        step,
        streams: Streams::new(1, 0),
        params,
    }
}
