//! The world at step 0: who is there, what they start with, and the initial network.
//!
//! Roles: with the block model, agents are numbered role by role in canonical order (each
//! role is a block). With role-blind generators (lattice, Erdős–Rényi, Watts–Strogatz,
//! Barabási–Albert) the roles are shuffled over the network's positions, so no role sits
//! in one region of a lattice or at the hubs of a scale-free network by construction.
//! Attributes come from each agent's own stream, so they do not depend on other agents.

use super::params::Params;
use super::role::{ROLE_COUNT, Role};
use super::strategy::Strategy;
use super::tie::ViewState;
use super::world::{Agents, Scratch, World};
use crate::engine::streams::{Draw, Purpose, SETUP_STEP, Streams};
use crate::network::generators::{self, Boundary, GeneratorError, Neighbourhood};
use crate::network::{AgentId, Graph};
use crate::scenario::{self, NetworkKind, Scenario};

/// The initial network could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the initial network: {0}")]
pub struct SetupError(#[from] pub GeneratorError);

/// Builds replicate `streams.replicate()`'s world at step 0.
pub fn build_world(
    scenario: &Scenario,
    params: &Params,
    streams: Streams,
) -> Result<World, SetupError> {
    let roles = assign_roles(scenario, streams);
    let agents = draw_agents(scenario, roles, streams);
    let graph = Graph::from_edges(agents.count(), &initial_ties(scenario, &agents, streams)?);
    let views = initial_views(&graph, params);
    Ok(World {
        step: 0,
        agents,
        graph,
        views,
        policy: scenario.policy.clone(),
        scratch: Scratch::default(),
    })
}

/// The role of each agent id.
fn assign_roles(scenario: &Scenario, streams: Streams) -> Vec<Role> {
    let mut roles: Vec<Role> = scenario
        .role_counts()
        .into_iter()
        .flat_map(|(role, count)| std::iter::repeat_n(role, count as usize))
        .collect();
    if scenario.network.kind != NetworkKind::Sbm {
        streams
            .rng(Purpose::Population, SETUP_STEP, 0)
            .shuffle(&mut roles);
    }
    roles
}

fn draw_agents(scenario: &Scenario, roles: Vec<Role>, streams: Streams) -> Agents {
    let n = roles.len();
    let mut agents = Agents {
        strategy: Vec::with_capacity(n),
        norm: Vec::with_capacity(n),
        resources: Vec::with_capacity(n),
        knowledge: Vec::with_capacity(n),
        round_payoff: vec![0.0; n],
        round_games: vec![0; n],
        ..Agents::default()
    };
    let defectors = scenario.population.initial_defectors;
    for (id, role) in roles.iter().enumerate() {
        let settings = &scenario.population.roles[role];
        let mut rng = streams.rng(Purpose::Attributes, SETUP_STEP, id as u64);
        agents.norm.push(settings.norm.sample(&mut rng, 0.0, 1.0));
        agents
            .resources
            .push(settings.resources.sample(&mut rng, 0.0, f64::INFINITY));
        agents
            .knowledge
            .push(settings.knowledge.sample(&mut rng, 0.0, 1.0));
        let strategy = settings.strategy.sample(&mut rng);
        agents.strategy.push(if rng.chance(defectors) {
            Strategy::Alld
        } else {
            strategy
        });
    }
    agents.role = roles;
    agents.index_roles();
    agents
}

fn initial_ties(
    scenario: &Scenario,
    agents: &Agents,
    streams: Streams,
) -> Result<Vec<(AgentId, AgentId)>, GeneratorError> {
    let network = &scenario.network;
    let n = agents.count();
    let mut rng = streams.rng(Purpose::Network, SETUP_STEP, u64::MAX);
    match network.kind {
        NetworkKind::Sbm => {
            let density = network.density.clone().unwrap_or_default().to_table(0.0);
            let (blocks, block_roles) = role_blocks(agents);
            generators::stochastic_block(
                &blocks,
                |a, b| *density.get(block_roles[a], block_roles[b]),
                &streams,
            )
        }
        NetworkKind::Lattice => generators::lattice(
            network.width.unwrap_or(0) as usize,
            network.height.unwrap_or(0) as usize,
            match network
                .neighbourhood
                .unwrap_or(scenario::Neighbourhood::Moore)
            {
                scenario::Neighbourhood::Moore => Neighbourhood::Moore,
                scenario::Neighbourhood::VonNeumann => Neighbourhood::VonNeumann,
            },
            match network.boundary.unwrap_or(scenario::Boundary::Periodic) {
                scenario::Boundary::Periodic => Boundary::Periodic,
                scenario::Boundary::Fixed => Boundary::Fixed,
            },
        ),
        NetworkKind::ErdosRenyi => {
            let p = network
                .p
                .unwrap_or_else(|| network.mean_degree.unwrap_or(0.0) / (n.max(2) - 1) as f64);
            generators::erdos_renyi(n, p.min(1.0), &mut rng)
        }
        NetworkKind::WattsStrogatz => generators::watts_strogatz(
            n,
            network.k.unwrap_or(0) as usize,
            network.rewire.unwrap_or(0.0),
            &mut rng,
        ),
        NetworkKind::BarabasiAlbert => {
            generators::barabasi_albert(n, network.m.unwrap_or(0) as usize, &mut rng)
        }
    }
}

/// The contiguous id range of each role present (agents are numbered role by role).
fn role_blocks(agents: &Agents) -> (Vec<std::ops::Range<AgentId>>, Vec<Role>) {
    let mut blocks = Vec::new();
    let mut block_roles = Vec::new();
    for index in 0..ROLE_COUNT {
        let members = &agents.by_role[index];
        if let (Some(first), Some(last)) = (members.first(), members.last()) {
            blocks.push(*first..*last + 1);
            block_roles.push(Role::from_index(index));
        }
    }
    (blocks, block_roles)
}

fn initial_views(graph: &Graph, params: &Params) -> Vec<ViewState> {
    vec![
        ViewState::new(params.acquaintance_prior, params.ties.initial_strength);
        graph.view_count()
    ]
}
