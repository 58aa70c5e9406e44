//! The world at step 0: who is there, what they start with, and the initial network.
//!
//! Roles: with the block model, agents are numbered role by role in canonical order (each
//! role is a block). With role-blind generators (lattice, Erdős–Rényi, Watts–Strogatz,
//! Barabási–Albert, random regular, complete) the roles are shuffled over the network's positions, so no role sits
//! in one region of a lattice or at the hubs of a scale-free network by construction.
//! An imported network (`scenario::import`) numbers its agents role by role too, in the
//! file's order within a role, and is not shuffled: its ties are the file's.
//! Attributes come from each agent's own stream, so they do not depend on other agents.

use super::params::Params;
use super::role::{ROLE_COUNT, Role};
use super::strategy::Strategy;
use super::tie::ViewState;
use super::world::{Agents, Ledger, NeighbourOrder, Newcomer, ProgrammeState, Scratch, World};
use crate::engine::streams::{Draw, Purpose, SETUP_STEP, Streams};
use crate::network::generators::{self, Boundary, GeneratorError, Neighbourhood};
use crate::network::{AgentId, Graph};
use crate::scenario::{self, NetworkKind, Population, Scenario};

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
    let mut agents = draw_agents(scenario, roles, streams);
    let mut edges = initial_ties(scenario, &agents, streams)?;
    let imported = scenario.imported.as_deref();
    let families = imported.map_or(&[][..], |n| &n.family[..]);
    edges.extend(assign_families(&mut agents, families, streams));
    assign_grades(&mut agents, scenario.lifecycle.school_years);
    let graph = Graph::from_edges(agents.count(), &edges);
    drop(edges); // before the views: the peak of a large setup
    let mut views = initial_views(&graph, params);
    if let Some(imported) = imported {
        imported_strengths(&graph, imported, &mut views);
    }
    let neighbour_order = lattice_shape(scenario)
        .map(|shape| lattice_order(&graph, &shape))
        .unwrap_or_default();
    Ok(World {
        step: 0,
        agents,
        graph,
        views,
        policy: scenario.policy.clone(),
        programmes: vec![ProgrammeState::default(); scenario.programmes.len()],
        contact_factor: 1.0,
        closure_until: 0,
        ledger: Ledger::default(),
        scratch: Scratch::default(),
        neighbour_order,
    })
}

/// Size, neighbourhood and boundary of a lattice network.
pub struct LatticeShape {
    pub width: usize,
    pub height: usize,
    pub neighbourhood: Neighbourhood,
    pub boundary: Boundary,
}

/// The lattice of the scenario's network, if it is one.
pub fn lattice_shape(scenario: &Scenario) -> Option<LatticeShape> {
    let network = &scenario.network;
    (network.kind == NetworkKind::Lattice).then(|| LatticeShape {
        width: network.width.unwrap_or(0) as usize,
        height: network.height.unwrap_or(0) as usize,
        neighbourhood: match network
            .neighbourhood
            .unwrap_or(scenario::Neighbourhood::Moore)
        {
            scenario::Neighbourhood::Moore => Neighbourhood::Moore,
            scenario::Neighbourhood::VonNeumann => Neighbourhood::VonNeumann,
        },
        boundary: match network.boundary.unwrap_or(scenario::Boundary::Periodic) {
            scenario::Boundary::Periodic => Boundary::Periodic,
            scenario::Boundary::Fixed => Boundary::Fixed,
        },
    })
}

/// The neighbour order of a lattice as built: each cell's neighbours in the reading order
/// of the offsets (docs/model.md 7.11), as Mesa lists them, then the cell's other ties (a
/// student's parent, when the lattice holds both roles) in ascending id.
fn lattice_order(graph: &Graph, shape: &LatticeShape) -> NeighbourOrder {
    let mut listed = Vec::with_capacity(graph.view_count());
    let cells = (shape.width, shape.height);
    for y in 0..shape.height {
        for x in 0..shape.width {
            let agent = (y * shape.width + x) as AgentId;
            let start = listed.len();
            let lattice =
                generators::lattice_neighbours((x, y), cells, shape.neighbourhood, shape.boundary);
            for neighbour in lattice {
                let view = graph
                    .find_view(agent, neighbour)
                    .expect("the lattice ties every cell to its neighbours");
                listed.push(view as u32);
            }
            let others: Vec<u32> = (graph.views(agent).map(|view| view as u32))
                .filter(|view| !listed[start..].contains(view))
                .collect();
            listed.extend(others);
        }
    }
    NeighbourOrder::listed(graph, listed)
}

/// Gives every student a parent: students an imported file ties to a parent keep that one
/// (`known`, no new tie); parents in random order take one of the other students each,
/// and students left over (more students than parents) get a random parent. Returns the
/// new family ties.
fn assign_families(
    agents: &mut Agents,
    known: &[(AgentId, AgentId)],
    streams: Streams,
) -> Vec<(AgentId, AgentId)> {
    let mut students = agents.by_role[Role::Student.index()].clone();
    let mut parents = agents.by_role[Role::Parent.index()].clone();
    if parents.is_empty() {
        return Vec::new();
    }
    for &(student, parent) in known {
        agents.parent[student as usize] = parent;
    }
    if !known.is_empty() {
        let has_parent: std::collections::HashSet<AgentId> =
            known.iter().map(|&(student, _)| student).collect();
        students.retain(|student| !has_parent.contains(student));
    }
    let mut rng = streams.rng(Purpose::Population, SETUP_STEP, 1);
    rng.shuffle(&mut parents);
    let mut ties = Vec::with_capacity(students.len());
    for (k, &student) in students.iter().enumerate() {
        let parent = parents
            .get(k)
            .copied()
            .unwrap_or_else(|| parents[rng.below(parents.len() as u64) as usize]);
        agents.parent[student as usize] = parent;
        ties.push((student, parent));
    }
    ties
}

/// Spreads the students evenly over the school years (grade = position mod years).
fn assign_grades(agents: &mut Agents, school_years: u32) {
    let students = agents.by_role[Role::Student.index()].clone();
    for (k, student) in students.into_iter().enumerate() {
        agents.tenure[student as usize] = k as u32 % school_years.max(1);
    }
}

/// The role of each agent id.
fn assign_roles(scenario: &Scenario, streams: Streams) -> Vec<Role> {
    let mut roles: Vec<Role> = scenario
        .role_counts()
        .into_iter()
        .flat_map(|(role, count)| std::iter::repeat_n(role, count as usize))
        .collect();
    if !matches!(
        scenario.network.kind,
        NetworkKind::Sbm | NetworkKind::Import
    ) {
        streams
            .rng(Purpose::Population, SETUP_STEP, 0)
            .shuffle(&mut roles);
    }
    roles
}

fn draw_agents(scenario: &Scenario, roles: Vec<Role>, streams: Streams) -> Agents {
    let mut agents = Agents::default();
    let defectors = scenario.population.initial_defectors;
    for (id, role) in roles.into_iter().enumerate() {
        let mut rng = streams.rng(Purpose::Attributes, SETUP_STEP, id as u64);
        let mut newcomer = newcomer_of(&scenario.population, role, 0, &mut rng);
        if rng.chance(defectors) {
            newcomer.strategy = Strategy::Alld;
        }
        agents.push(newcomer);
    }
    if let Some(moves) = &scenario.initial_moves {
        let width = scenario.network.width.unwrap_or(0) as u64;
        for (agent, strategy) in moves.strategies(width) {
            agents.strategy[agent] = strategy;
        }
    }
    agents.index_roles();
    agents
}

/// Attributes of a new agent of `role` arriving at `step`, drawn from the role's
/// distributions (the same draws, in the same order, at the start and later); a role the
/// scenario does not describe gets the defaults of `[population.<role>]`.
pub fn newcomer_of(
    population: &Population,
    role: Role,
    step: u32,
    rng: &mut impl Draw,
) -> Newcomer {
    let fallback = crate::scenario::RoleSettings::default();
    let settings = population.roles.get(&role).unwrap_or(&fallback);
    Newcomer {
        role,
        norm: settings.norm.sample(rng, 0.0, 1.0),
        resources: settings.resources.sample(rng, 0.0, f64::INFINITY),
        knowledge: settings.knowledge.sample(rng, 0.0, 1.0),
        strategy: settings.strategy.sample(rng),
        arrived: step,
    }
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
        NetworkKind::Lattice => {
            let shape = lattice_shape(scenario).expect("a lattice network");
            generators::lattice(
                shape.width,
                shape.height,
                shape.neighbourhood,
                shape.boundary,
            )
        }
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
        NetworkKind::RandomRegular => {
            generators::random_regular(n, network.degree.unwrap_or(0) as usize, &mut rng)
        }
        NetworkKind::Complete => generators::complete(n),
        NetworkKind::Import => Ok(scenario
            .imported
            .as_ref()
            .map_or_else(Vec::new, |network| network.ties.clone())),
    }
}

/// Sets both views of each imported tie that the file gives a strength to that strength.
fn imported_strengths(
    graph: &Graph,
    imported: &scenario::import::ImportedNetwork,
    views: &mut [ViewState],
) {
    for (&(a, b), strength) in imported.ties.iter().zip(&imported.strengths) {
        let Some(strength) = strength else { continue };
        for (from, to) in [(a, b), (b, a)] {
            if let Some(view) = graph.find_view(from, to) {
                views[view].strength = *strength as f32;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A lattice holding students and their parents has family ties beside the lattice's:
    /// the order lists the lattice neighbours in reading order, then the family tie.
    #[test]
    fn lattice_order_lists_family_ties_after_the_lattice_neighbours() {
        let scenario = crate::scenario::from_text(
            "test",
            "[population.student]\nshare = 0.5\n[population.parent]\nshare = 0.5\n\
             [network]\nkind = \"lattice\"\nwidth = 4\nheight = 4\nneighbourhood = \"von_neumann\"\n\
             [lifecycle]\nenabled = false\n",
            &[],
        )
        .expect("a valid scenario");
        let params = Params::new(&scenario);
        let world = build_world(&scenario, &params, Streams::new(1, 0)).expect("builds");
        let graph = &world.graph;
        let mut family_ties = 0;
        for agent in 0..16 {
            let order: Vec<AgentId> = (world.neighbour_order.views(graph, agent))
                .map(|view| graph.targets()[view])
                .collect();
            let (x, y) = (agent as usize % 4, agent as usize / 4);
            let lattice = generators::lattice_neighbours(
                (x, y),
                (4, 4),
                Neighbourhood::VonNeumann,
                Boundary::Periodic,
            );
            assert_eq!(order[..lattice.len()], lattice[..], "agent {agent}");
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(
                sorted,
                graph.neighbours(agent),
                "agent {agent}: each tie once"
            );
            family_ties += order.len() - lattice.len();
        }
        assert!(family_ties > 0, "some parent is not a lattice neighbour");
    }
}
