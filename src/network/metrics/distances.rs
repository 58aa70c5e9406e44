//! Average shortest-path length on the largest connected component (networkx
//! `average_shortest_path_length(G.subgraph(largest))`).
//!
//! Owns: the all-pairs distance sum of one component. It runs a breadth-first search from
//! every agent of the component, 256 sources at a time in the bits of four `u64` words (a
//! bit-parallel search: one pass over an agent's ties serves all 256 searches), with
//! batches of sources spread over threads. Distances are integers and are added as integers, so
//! the total is the same for any thread count and any batch order.
//! Must never: change the graph, or turn the integer total into a float before the single
//! division at the end (networkx divides two Python integers, correctly rounded; so do we
//! while both are below 2^53, which holds for any graph this program can run).

use super::{Components, components};
use crate::network::graph::{AgentId, Graph};
use rayon::prelude::*;
use std::mem;

/// Sources searched together: one bit each.
const SOURCES_PER_SEARCH: usize = 256;

/// Sources of [`PathLength::Estimated`] in a run (`observe` picks the method): every
/// agent's mean distance to the rest is a value between 1 and the diameter, and the
/// estimate is the mean of 1,024 of them (four bit-parallel searches).
pub const ESTIMATE_SOURCES: usize = 4 * SOURCES_PER_SEARCH;

/// How [`average_shortest_path_length_in`] gets its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathLength {
    /// A search from every agent of the component: networkx's value, bit for bit.
    Exact,
    /// The mean distance from this many sources (see [`estimated_path_length`]).
    Estimated { sources: usize },
}

/// Mean shortest-path length, in ties, over ordered pairs of distinct agents of the largest
/// connected component: Σ d(s, t) / (n(n − 1)), n agents in that component. When several
/// components are largest, the one holding the lowest agent id (networkx's `max` over
/// `connected_components` picks the same one: the first found in node order).
///
/// A component of one agent gives 0 (as networkx for a one-node graph). A graph without
/// agents gives NaN: networkx raises `NetworkXPointlessConcept` there, and NaN is not
/// recorded. Time O(n·m) in the worst case, about (n/256) × (a few passes over the ties)
/// on a school's network; memory 96 bytes per agent per thread.
///
pub fn average_shortest_path_length(graph: &Graph) -> f64 {
    average_shortest_path_length_in(graph, &components(graph), PathLength::Exact)
}

/// [`average_shortest_path_length`] with the components of `graph` already found, exact
/// or estimated.
pub fn average_shortest_path_length_in(
    graph: &Graph,
    parts: &Components,
    method: PathLength,
) -> f64 {
    let Some(label) = parts.sizes.iter().position(|&size| size == parts.largest) else {
        return f64::NAN; // no agents
    };
    let Some(first) = parts.membership.iter().position(|&of| of as usize == label) else {
        return f64::NAN; // unreachable: the component has an agent
    };
    let members = breadth_first_order(graph, first as AgentId);
    let n = members.len() as u64;
    if n < 2 {
        return 0.0;
    }
    if let PathLength::Estimated { sources } = method {
        return estimated_path_length(graph, &members, sources);
    }
    distance_sum(graph, &members) as f64 / (n * (n - 1)) as f64
}

/// The mean distance from `sources` agents of the component `members` to the rest of it:
/// an estimate of the average shortest-path length. The sources are spread evenly over the
/// members in id order (systematic sampling: no random draw, so the estimate is the same
/// on every run, and in a school, where ids run role by role, every role is represented).
pub fn estimated_path_length(graph: &Graph, members: &[AgentId], sources: usize) -> f64 {
    let n = members.len();
    if n < 2 {
        return if n == 1 { 0.0 } else { f64::NAN };
    }
    let sources = sources.clamp(1, n);
    let mut by_id = members.to_vec();
    by_id.sort_unstable();
    let chosen: Vec<AgentId> = (0..sources).map(|k| by_id[k * n / sources]).collect();
    let total: u64 = chosen
        .par_chunks(SOURCES_PER_SEARCH)
        .map_init(
            || BitSearch::new(graph.agent_count()),
            |search, batch| search.distance_sum(graph, members, batch),
        )
        .sum(); // integers: the order threads add them in does not matter
    total as f64 / (sources as f64 * (n - 1) as f64)
}

/// The component of `root`, in the order a breadth-first search from it reaches them.
/// Searched as sources in this order, a batch holds agents near each other, whose searches
/// reach most agents at the same distances: fewer passes over each agent's ties.
fn breadth_first_order(graph: &Graph, root: AgentId) -> Vec<AgentId> {
    let mut seen = vec![false; graph.agent_count()];
    let mut order = vec![root];
    seen[root as usize] = true;
    let mut next = 0;
    while next < order.len() {
        let agent = order[next];
        next += 1;
        for &other in graph.neighbours(agent) {
            if !seen[other as usize] {
                seen[other as usize] = true;
                order.push(other);
            }
        }
    }
    order
}

/// Σ over ordered pairs (s, t) of `members` of the distance d(s, t) in ties. `members` must
/// be one whole connected component of `graph` (so every search stays inside it).
pub fn distance_sum(graph: &Graph, members: &[AgentId]) -> u64 {
    let agents = graph.agent_count();
    members
        .par_chunks(SOURCES_PER_SEARCH)
        .map_init(
            || BitSearch::new(agents),
            |search, sources| search.distance_sum(graph, members, sources),
        )
        .sum() // integers: the order threads add them in does not matter
}

/// Words of 64 bits per agent in one search: 256 sources at once.
const WORDS: usize = SOURCES_PER_SEARCH / 64;

/// The sources of a search that reached an agent, one bit each.
type Bits = [u64; WORDS];

const NONE: Bits = [0; WORDS];

fn and_not(a: &Bits, b: &Bits) -> Bits {
    std::array::from_fn(|k| a[k] & !b[k])
}

fn or_into(a: &mut Bits, b: &Bits) {
    for k in 0..WORDS {
        a[k] |= b[k];
    }
}

fn count(a: &Bits) -> u64 {
    a.iter().map(|w| u64::from(w.count_ones())).sum()
}

/// Scratch of a bit-parallel breadth-first search, indexed by agent id. Bit b of an
/// agent's bits belongs to the b-th source of the batch. All zero between searches.
struct BitSearch {
    /// Sources that have reached the agent.
    seen: Vec<Bits>,
    /// Sources that reached the agent at the current distance.
    frontier: Vec<Bits>,
    /// Sources that reach the agent at the next distance.
    next: Vec<Bits>,
    /// Agents with non-zero `frontier` bits, and with non-zero `next` bits.
    frontier_agents: Vec<AgentId>,
    next_agents: Vec<AgentId>,
}

impl BitSearch {
    fn new(agents: usize) -> BitSearch {
        BitSearch {
            seen: vec![NONE; agents],
            frontier: vec![NONE; agents],
            next: vec![NONE; agents],
            frontier_agents: Vec::new(),
            next_agents: Vec::new(),
        }
    }

    /// Σ over `sources` (at most [`SOURCES_PER_SEARCH`]) and every agent t of
    /// d(source, t); `members` is the component the sources are in (its bits are cleared
    /// afterwards).
    fn distance_sum(&mut self, graph: &Graph, members: &[AgentId], sources: &[AgentId]) -> u64 {
        debug_assert!(sources.len() <= SOURCES_PER_SEARCH);
        self.frontier_agents.clear();
        for (bit, &source) in sources.iter().enumerate() {
            let mut bits = NONE;
            bits[bit / 64] = 1 << (bit % 64);
            self.seen[source as usize] = bits;
            self.frontier[source as usize] = bits;
            self.frontier_agents.push(source);
        }
        let mut total = 0;
        let mut distance = 0;
        while !self.frontier_agents.is_empty() {
            distance += 1;
            total += distance * self.advance(graph);
        }
        for &agent in members {
            self.seen[agent as usize] = NONE;
        }
        total
    }

    /// Moves every search one tie further: the agents first reached now become the
    /// frontier. Returns how many (source, agent) pairs were first reached.
    fn advance(&mut self, graph: &Graph) -> u64 {
        self.next_agents.clear();
        for &from in &self.frontier_agents {
            let arriving = self.frontier[from as usize];
            for &to in graph.neighbours(from) {
                let to = to as usize;
                let new = and_not(&arriving, &self.seen[to]);
                if new != NONE {
                    if self.next[to] == NONE {
                        self.next_agents.push(to as AgentId);
                    }
                    or_into(&mut self.next[to], &new);
                    or_into(&mut self.seen[to], &new);
                }
            }
        }
        for &agent in &self.frontier_agents {
            self.frontier[agent as usize] = NONE;
        }
        let reached = (self.next_agents.iter())
            .map(|&agent| count(&self.next[agent as usize]))
            .sum();
        mem::swap(&mut self.frontier, &mut self.next);
        mem::swap(&mut self.frontier_agents, &mut self.next_agents);
        reached
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::streams::{Purpose, SETUP_STEP, Streams};
    use crate::network::generators::{barabasi_albert, erdos_renyi};

    fn graph(n: usize, edges: &[(AgentId, AgentId)]) -> Graph {
        Graph::from_edges(n, edges)
    }

    fn path(n: usize) -> Graph {
        let edges: Vec<_> = (1..n as AgentId).map(|i| (i - 1, i)).collect();
        graph(n, &edges)
    }

    fn cycle(n: usize) -> Graph {
        let edges: Vec<_> = (0..n as AgentId)
            .map(|i| (i, (i + 1) % n as AgentId))
            .collect();
        graph(n, &edges)
    }

    fn complete(n: usize) -> Graph {
        let n = n as AgentId;
        let edges: Vec<_> = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect();
        graph(n as usize, &edges)
    }

    /// Σ of distances over ordered pairs within the component of each source, one plain
    /// breadth-first search per source.
    fn distance_sum_one_by_one(g: &Graph, sources: &[AgentId]) -> u64 {
        let mut total = 0;
        for &source in sources {
            let mut distance = vec![u32::MAX; g.agent_count()];
            distance[source as usize] = 0;
            let mut queue = std::collections::VecDeque::from([source]);
            while let Some(v) = queue.pop_front() {
                for &w in g.neighbours(v) {
                    if distance[w as usize] == u32::MAX {
                        distance[w as usize] = distance[v as usize] + 1;
                        total += u64::from(distance[w as usize]);
                        queue.push_back(w);
                    }
                }
            }
        }
        total
    }

    #[test]
    fn paths_stars_cycles_and_complete_graphs_by_hand() {
        // Path 0–1–2–3: ordered pairs sum 2 × (1 + 2 + 3 + 1 + 2 + 1) = 20 over 12 pairs.
        assert_eq!(average_shortest_path_length(&path(4)), 20.0 / 12.0);
        // Star of k = 4 leaves: 2k pairs at 1, k(k − 1) at 2: 2k² / (k(k + 1)) = 8/5.
        let star = graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        assert_eq!(average_shortest_path_length(&star), 1.6);
        // Cycle of 5: from each agent 1 + 1 + 2 + 2 = 6, so 30/20; of 6: 1+1+2+2+3 = 9, 54/30.
        assert_eq!(average_shortest_path_length(&cycle(5)), 1.5);
        assert_eq!(average_shortest_path_length(&cycle(6)), 1.8);
        assert_eq!(average_shortest_path_length(&complete(7)), 1.0);
        assert_eq!(average_shortest_path_length(&complete(2)), 1.0);
    }

    #[test]
    fn the_largest_component_counts_and_the_first_of_equals() {
        // Path 0–1–2 (4/3) and triangle 3–4–5 (1): both of 3 agents; the first is taken.
        let g = graph(7, &[(0, 1), (1, 2), (3, 4), (4, 5), (3, 5)]);
        assert_eq!(average_shortest_path_length(&g), 4.0 / 3.0);
        // The triangle grows to 4 agents (5–6): now it is the largest, with 4 pairs at
        // distance 1 and 2 at distance 2, both ways: 16 over 12 ordered pairs.
        let g = graph(7, &[(0, 1), (1, 2), (3, 4), (4, 5), (3, 5), (5, 6)]);
        assert_eq!(average_shortest_path_length(&g), 16.0 / 12.0);
    }

    #[test]
    fn tiny_graphs_follow_networkx() {
        assert!(average_shortest_path_length(&Graph::default()).is_nan());
        assert!(estimated_path_length(&Graph::default(), &[], 8).is_nan());
        assert_eq!(estimated_path_length(&graph(1, &[]), &[0], 8), 0.0);
        assert_eq!(average_shortest_path_length(&graph(1, &[])), 0.0);
        assert_eq!(average_shortest_path_length(&graph(3, &[])), 0.0);
        assert_eq!(average_shortest_path_length(&graph(3, &[(1, 2)])), 1.0);
    }

    #[test]
    fn bit_parallel_search_equals_one_search_per_source() {
        let rng = |seed| Streams::new(seed, 0).rng(Purpose::Network, SETUP_STEP, 0);
        let graphs = [
            graph(300, &erdos_renyi(300, 0.02, &mut rng(1)).unwrap()),
            graph(250, &erdos_renyi(250, 0.005, &mut rng(2)).unwrap()),
            graph(400, &barabasi_albert(400, 2, &mut rng(3)).unwrap()),
            path(200), // 199 levels: many rounds per batch
            cycle(129),
        ];
        for g in &graphs {
            let parts = components(g);
            for label in 0..parts.count.min(5) {
                let members: Vec<AgentId> = (0..g.agent_count() as AgentId)
                    .filter(|&a| parts.membership[a as usize] as usize == label)
                    .collect();
                assert_eq!(
                    distance_sum(g, &members),
                    distance_sum_one_by_one(g, &members),
                    "component {label} of {} agents",
                    members.len()
                );
            }
        }
    }

    #[test]
    fn the_result_does_not_depend_on_the_thread_count() {
        let mut rng = Streams::new(5, 0).rng(Purpose::Network, SETUP_STEP, 0);
        let g = graph(1500, &barabasi_albert(1500, 3, &mut rng).unwrap());
        let on = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| average_shortest_path_length(&g)).to_bits()
        };
        assert_eq!(on(1), on(3));
        assert!(f64::from_bits(on(1)) > 1.0);
    }

    #[test]
    fn the_estimate_is_exact_with_every_source_and_close_with_a_sample() {
        let mut rng = Streams::new(8, 0).rng(Purpose::Network, SETUP_STEP, 0);
        let graphs = [
            graph(3000, &barabasi_albert(3000, 3, &mut rng).unwrap()),
            graph(2000, &erdos_renyi(2000, 0.004, &mut rng).unwrap()),
            path(600), // distances from 1 to 599: the hardest case for a sample
            graph(12_000, &barabasi_albert(12_000, 3, &mut rng).unwrap()),
        ];
        for g in &graphs {
            let parts = components(g);
            let label = parts
                .sizes
                .iter()
                .position(|&s| s == parts.largest)
                .unwrap();
            let members: Vec<AgentId> = (0..g.agent_count() as AgentId)
                .filter(|&a| parts.membership[a as usize] as usize == label)
                .collect();
            let n = members.len();
            let exact = distance_sum(g, &members) as f64 / (n * (n - 1)) as f64;
            assert_eq!(estimated_path_length(g, &members, n), exact);
            // 256 (1,024 for the largest, as runs use) of n sources: systematic sampling
            // over ids. Tolerance 2%: the sources' own mean distances spread by a few
            // percent on these graphs (and evenly spaced sources on a path average out
            // almost exactly).
            let sources = if n > 10_000 { ESTIMATE_SOURCES } else { 256 };
            let estimate = estimated_path_length(g, &members, sources);
            assert!(
                (estimate / exact - 1.0).abs() < 0.02,
                "{n} agents: estimate {estimate} vs exact {exact}"
            );
        }
    }
}
