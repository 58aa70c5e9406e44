//! Network metrics with networkx's definitions: triangles, clustering, transitivity,
//! density, degree, connected components, betweenness centrality, average shortest-path
//! length on the largest component ([`distances`]) and degree assortativity
//! ([`assortativity`]).
//!
//! Owns: how each metric of DESIGN §8 that depends only on the tie structure is computed, so
//! that every number can be checked against networkx on the same graph (the peer test
//! `tests/peers_networkx.rs` does). Where networkx has a convention we follow it: the
//! clustering of an agent with fewer than two ties is 0, the average clustering counts those
//! agents, betweenness is normalised by 1/((n−1)(n−2)) for an undirected graph.
//! Must never: change the graph, know about roles (a per-role breakdown passes the agents it
//! wants), or let a floating-point total depend on the thread count. Per-agent values are
//! computed in parallel into a `Vec` in agent order and summed sequentially; betweenness sums
//! per-block partial vectors in block order, with blocks fixed by the agent count (the
//! invariant of [`crate::engine::parallel`]). Rayon's float `sum`/`reduce` is never used.
//! Only integer counts (triangles, distance sums) are added by threads in whatever order
//! they run.

use crate::network::graph::{AgentId, Graph};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

pub mod assortativity;
pub mod distances;

pub use assortativity::degree_assortativity_coefficient;
pub use distances::{
    ESTIMATE_SOURCES, PathLength, average_shortest_path_length, average_shortest_path_length_in,
};

/// Agents per rayon task for per-agent passes; the result does not depend on it.
const MIN_AGENTS_PER_TASK: usize = 512;

/// Number of triangles each agent is part of (networkx `triangles`), in agent order.
pub fn triangles(graph: &Graph) -> Vec<u64> {
    let counts: Vec<AtomicU64> = (0..graph.agent_count())
        .map(|_| AtomicU64::new(0))
        .collect();
    (0..graph.agent_count() as AgentId)
        .into_par_iter()
        .with_min_len(MIN_AGENTS_PER_TASK)
        .for_each(|lowest| count_triangles_from(graph, lowest, &counts));
    counts.into_iter().map(AtomicU64::into_inner).collect()
}

/// Finds each triangle whose lowest agent is `lowest` and adds one to the count of each of
/// its three agents. Each triangle is found once (half the work of counting it from every
/// corner); the counts are integers, so the order in which threads add them does not matter.
fn count_triangles_from(graph: &Graph, lowest: AgentId, counts: &[AtomicU64]) {
    let row = graph.neighbours(lowest);
    let later = &row[row.partition_point(|&x| x <= lowest)..];
    // The highest neighbour has no later one to close a triangle with.
    let middles = &later[..later.len().saturating_sub(1)];
    touch_neighbour_lists(graph, middles);
    let mut found = 0;
    for (k, &middle) in middles.iter().enumerate() {
        let of_middle = graph.neighbours(middle);
        let after_middle = &of_middle[of_middle.partition_point(|&x| x <= middle)..];
        let closed = for_each_common(&later[k + 1..], after_middle, |highest| {
            counts[highest as usize].fetch_add(1, Ordering::Relaxed);
        });
        if closed > 0 {
            counts[middle as usize].fetch_add(closed, Ordering::Relaxed);
            found += closed;
        }
    }
    if found > 0 {
        counts[lowest as usize].fetch_add(found, Ordering::Relaxed);
    }
}

/// Triangles through `agent` alone: pairs of its neighbours (u, w), u < w, that are tied.
/// For a subset of agents; [`triangles`] is faster for all of them.
fn triangles_at(graph: &Graph, agent: AgentId) -> u64 {
    let row = graph.neighbours(agent);
    let closable = &row[..row.len().saturating_sub(1)];
    touch_neighbour_lists(graph, closable);
    closable
        .iter()
        .enumerate()
        .map(|(k, &u)| {
            let of_u = graph.neighbours(u);
            let later_of_u = &of_u[of_u.partition_point(|&x| x <= u)..];
            for_each_common(&row[k + 1..], later_of_u, |_| {})
        })
        .sum()
}

/// Reads the ends of each listed agent's neighbour list, so that the loop after it finds
/// the lists in cache. On a large graph every list is a cache miss: these reads do not
/// depend on each other and the processor overlaps them, while inside the counting loop
/// each miss waits for the search before it. On a million agents of mean degree 20 (on a
/// busy 2-core VM) this pass cut the time of [`triangles`] by about half.
fn touch_neighbour_lists(graph: &Graph, agents: &[AgentId]) {
    let mut any = 0;
    for &agent in agents {
        let list = graph.neighbours(agent);
        any ^= list.first().copied().unwrap_or(0) ^ list.last().copied().unwrap_or(0);
    }
    std::hint::black_box(any);
}

/// Calls `found` on every agent in both sorted lists (each without duplicates) and returns
/// how many there are. Merges lists of similar length; searches the longer one when it is
/// much longer (a hub next to a leaf).
fn for_each_common(a: &[AgentId], b: &[AgentId], mut found: impl FnMut(AgentId)) -> u64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0;
    }
    let mut common = 0;
    if long.len() / short.len() >= 16 {
        let mut rest = long;
        for &x in short {
            let at = rest.partition_point(|&y| y < x);
            if rest.get(at) == Some(&x) {
                found(x);
                common += 1;
            }
            rest = &rest[at..];
        }
        return common;
    }
    let (mut i, mut j) = (0, 0);
    while i < short.len() && j < long.len() {
        let (x, y) = (short[i], long[j]);
        if x == y {
            found(x);
            common += 1;
        }
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    common
}

/// Local clustering coefficient of an agent with `triangles` triangles and `degree` ties,
/// in [0, 1]: 2T / (d(d − 1)), 0 when d < 2 (networkx `clustering`, unweighted).
fn clustering_of(triangles: u64, degree: usize) -> f64 {
    if triangles == 0 {
        return 0.0;
    }
    let degree = degree as u64;
    // networkx divides the two integers 2T and d(d − 1); so do we, with the same rounding.
    (2 * triangles) as f64 / (degree * (degree - 1)) as f64
}

/// Local clustering coefficient of every agent, in [0, 1], in agent order (networkx
/// `clustering`): the share of pairs of an agent's neighbours that are tied; 0 for an agent
/// with fewer than two ties.
pub fn local_clustering(graph: &Graph) -> Vec<f64> {
    let triangles = triangles(graph);
    (0..graph.agent_count() as AgentId)
        .map(|agent| clustering_of(triangles[agent as usize], graph.degree(agent)))
        .collect()
}

/// Mean local clustering over all agents, agents with fewer than two ties counting as 0
/// (networkx `average_clustering` with its default `count_zeros=True`), in [0, 1]. 0 for a
/// graph without agents (networkx raises an error there).
pub fn average_clustering(graph: &Graph) -> f64 {
    mean_in_order(&local_clustering(graph))
}

/// [`average_clustering`] from per-agent triangle counts already computed with
/// [`triangles`] (so a caller that also wants [`transitivity`] counts them once).
pub fn average_clustering_from_triangles(graph: &Graph, triangles: &[u64]) -> f64 {
    let values: Vec<f64> = triangles
        .iter()
        .enumerate()
        .map(|(agent, &t)| clustering_of(t, graph.degree(agent as AgentId)))
        .collect();
    mean_in_order(&values)
}

/// Mean local clustering over `agents`, summed in the order given (an agent listed twice
/// counts twice), in [0, 1]; 0 for an empty list. For per-role breakdowns: networkx's
/// `average_clustering(G, nodes=agents)` for a list without repeats.
///
/// # Panics
/// If an agent is not in the graph.
pub fn average_clustering_of(graph: &Graph, agents: &[AgentId]) -> f64 {
    let values: Vec<f64> = agents
        .par_iter()
        .with_min_len(MIN_AGENTS_PER_TASK)
        .map(|&agent| clustering_of(triangles_at(graph, agent), graph.degree(agent)))
        .collect();
    mean_in_order(&values)
}

/// Sequential mean, left to right, as Python's `sum(values) / len(values)`; 0 when empty.
fn mean_in_order(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().fold(0.0, |total, x| total + x) / values.len() as f64
}

/// Transitivity, in [0, 1]: 3 × triangles / connected triples (paths of length two), 0
/// when there is no triangle (networkx `transitivity`).
pub fn transitivity(graph: &Graph) -> f64 {
    transitivity_from_triangles(graph, &triangles(graph))
}

/// [`transitivity`] from per-agent triangle counts already computed with [`triangles`].
pub fn transitivity_from_triangles(graph: &Graph, per_agent: &[u64]) -> f64 {
    // Σ over agents of its triangles is 3 × triangles; Σ d(d − 1)/2 counts connected
    // triples by their middle agent. Integer sums: the order does not matter.
    let closed: u64 = per_agent.iter().sum();
    let triples: u64 = (0..graph.agent_count() as AgentId)
        .map(|agent| {
            let degree = graph.degree(agent) as u64;
            degree * degree.saturating_sub(1) / 2
        })
        .sum();
    if closed == 0 {
        return 0.0;
    }
    closed as f64 / triples as f64
}

/// Density, in [0, 1]: ties / possible ties = 2m / (n(n − 1)); 0 for fewer than two agents
/// (networkx `density`).
pub fn density(graph: &Graph) -> f64 {
    let (n, ties) = (graph.agent_count() as u64, graph.tie_count() as u64);
    if n < 2 || ties == 0 {
        return 0.0;
    }
    // networkx: m / (n(n − 1)), then doubled (exact), the same rounding as 2m / (n(n − 1)).
    ties as f64 / (n * (n - 1)) as f64 * 2.0
}

/// Mean number of ties per agent, 2m / n; 0 for a graph without agents.
pub fn mean_degree(graph: &Graph) -> f64 {
    if graph.agent_count() == 0 {
        return 0.0;
    }
    2.0 * graph.tie_count() as f64 / graph.agent_count() as f64
}

/// Connected components (an agent without ties is a component of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Components {
    /// Number of components (networkx `number_connected_components`).
    pub count: usize,
    /// Agents in the largest component; 0 for a graph without agents.
    pub largest: usize,
    /// Agents in each component, indexed by component label.
    pub sizes: Vec<usize>,
    /// Component label of each agent, in agent order. Labels are `0..count`, numbered in
    /// order of each component's lowest agent id (agent 0 is always in component 0).
    pub membership: Vec<u32>,
}

/// The connected components, found by breadth-first search in O(n + m).
pub fn components(graph: &Graph) -> Components {
    const UNSEEN: u32 = u32::MAX;
    let n = graph.agent_count();
    let mut membership = vec![UNSEEN; n];
    let mut sizes = Vec::new();
    let mut queue = VecDeque::new();
    for root in 0..n as AgentId {
        if membership[root as usize] != UNSEEN {
            continue;
        }
        let label = sizes.len() as u32;
        membership[root as usize] = label;
        queue.push_back(root);
        let mut size = 0;
        while let Some(agent) = queue.pop_front() {
            size += 1;
            for &next in graph.neighbours(agent) {
                if membership[next as usize] == UNSEEN {
                    membership[next as usize] = label;
                    queue.push_back(next);
                }
            }
        }
        sizes.push(size);
    }
    Components {
        count: sizes.len(),
        largest: sizes.iter().copied().max().unwrap_or(0),
        sizes,
        membership,
    }
}

/// Share of agents in the largest connected component, in [0, 1]; 0 without agents.
pub fn largest_component_share(graph: &Graph) -> f64 {
    let n = graph.agent_count();
    if n == 0 {
        return 0.0;
    }
    components(graph).largest as f64 / n as f64
}

/// Source blocks of [`betweenness_centrality`]: their number depends only on the agent
/// count, so sums come out the same on any thread count. Each block holds one partial
/// vector of n values: memory is about 8 · `SOURCE_BLOCKS` · n bytes.
const SOURCE_BLOCKS: usize = 64;

/// Betweenness centrality of every agent, in agent order (networkx
/// `betweenness_centrality(G, normalized=normalized)`, unweighted, endpoints excluded):
/// the sum over pairs {s, t} of other agents of the share of shortest s–t paths through the
/// agent. With `normalized` it is divided by (n−1)(n−2)/2 and lies in [0, 1]; n ≤ 2 gives 0.
/// Brandes' algorithm, O(n·m) time: fine for a school, not for a million agents.
pub fn betweenness_centrality(graph: &Graph, normalized: bool) -> Vec<f64> {
    let n = graph.agent_count();
    let blocks: Vec<Range<usize>> = (0..SOURCE_BLOCKS)
        .map(|b| b * n / SOURCE_BLOCKS..(b + 1) * n / SOURCE_BLOCKS)
        .filter(|block| !block.is_empty())
        .collect();
    let partials: Vec<Vec<f64>> = blocks
        .into_par_iter()
        .map(|sources| {
            let mut search = ShortestPaths::new(n);
            let mut partial = vec![0.0; n];
            for source in sources {
                search.add_dependencies(graph, source as AgentId, &mut partial);
            }
            partial
        })
        .collect();
    let mut total = vec![0.0; n];
    for partial in &partials {
        for (sum, x) in total.iter_mut().zip(partial) {
            *sum += x;
        }
    }
    rescale_betweenness(&mut total, normalized);
    total
}

/// networkx's rescaling for an undirected graph: the sums above count each pair {s, t}
/// from both ends. Normalised: × 1/((n−1)(n−2)); raw: × (n−1)/(2(n−1)) = ½.
fn rescale_betweenness(values: &mut [f64], normalized: bool) {
    let pairs_through = values.len().saturating_sub(1) as u64; // n − 1 possible targets
    if pairs_through < 2 {
        return; // every value is 0
    }
    let scale = if normalized {
        1.0 / (pairs_through * (pairs_through - 1)) as f64
    } else {
        pairs_through as f64 / (pairs_through * 2) as f64
    };
    for value in values {
        *value *= scale;
    }
}

/// Scratch of one breadth-first search of Brandes' algorithm, reused across sources.
struct ShortestPaths {
    /// Distance from the source in ties; `u32::MAX` for not reached.
    distance: Vec<u32>,
    /// Number of shortest paths from the source (f64 as in networkx: it can be huge).
    paths: Vec<f64>,
    /// Dependency of the source on each agent.
    dependency: Vec<f64>,
    /// Agents in the order the search reached them.
    reached: Vec<AgentId>,
}

impl ShortestPaths {
    fn new(n: usize) -> ShortestPaths {
        ShortestPaths {
            distance: vec![u32::MAX; n],
            paths: vec![0.0; n],
            dependency: vec![0.0; n],
            reached: Vec::with_capacity(n),
        }
    }

    /// Adds the dependency of `source` on every other agent to `betweenness`.
    fn add_dependencies(&mut self, graph: &Graph, source: AgentId, betweenness: &mut [f64]) {
        self.search(graph, source);
        for &agent in self.reached.iter().rev() {
            if agent == source {
                continue; // reached first, so handled last: no predecessor, no self-dependency
            }
            let index = agent as usize;
            let coefficient = (1.0 + self.dependency[index]) / self.paths[index];
            let before = self.distance[index] - 1;
            for &previous in graph.neighbours(agent) {
                if self.distance[previous as usize] == before {
                    self.dependency[previous as usize] +=
                        self.paths[previous as usize] * coefficient;
                }
            }
            betweenness[index] += self.dependency[index];
        }
        for &agent in &self.reached {
            let index = agent as usize;
            self.distance[index] = u32::MAX;
            self.paths[index] = 0.0;
            self.dependency[index] = 0.0;
        }
    }

    /// Breadth-first search from `source`: distances, shortest-path counts, reach order.
    fn search(&mut self, graph: &Graph, source: AgentId) {
        self.reached.clear();
        self.reached.push(source);
        self.distance[source as usize] = 0;
        self.paths[source as usize] = 1.0;
        let mut next = 0;
        while next < self.reached.len() {
            let agent = self.reached[next];
            next += 1;
            let here = self.distance[agent as usize];
            let paths_here = self.paths[agent as usize];
            for &neighbour in graph.neighbours(agent) {
                let index = neighbour as usize;
                if self.distance[index] == u32::MAX {
                    self.distance[index] = here + 1;
                    self.reached.push(neighbour);
                }
                if self.distance[index] == here + 1 {
                    self.paths[index] += paths_here;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
