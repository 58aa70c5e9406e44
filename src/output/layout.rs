//! Positions of nodes for network pictures, and picking which nodes to show.
//!
//! Owns: the force-directed layout ([`force_directed`]: Fruchterman–Reingold with a linear
//! cooling schedule, springs softened for dense graphs, a pull towards the centre, and
//! nodes without ties set on rings around the rest), gentle further moves from given
//! positions ([`settle`], for the frames of an animation), the lattice layout ([`grid`]) and
//! deterministic subsampling of large networks ([`sample_for_picture`]).
//! Must never: change simulation state. Its only randomness is [`Purpose::Layout`] streams,
//! which feed nothing but pictures, so drawing or not drawing never changes a run.
//!
//! Cost: every iteration of [`force_directed`] compares all pairs of nodes with ties,
//! O(n²) (spread over the rayon threads): 2000 nodes × [`DEFAULT_ITERATIONS`] take about
//! two seconds on two cores. Beyond [`MAX_LAYOUT_NODES`], subsample first:
//! ```
//! use gotong::engine::streams::Streams;
//! use gotong::output::layout::{self, Sampling};
//! let (node_count, edges) = (5000, vec![(0, 1), (1, 2), (4000, 4999)]);
//! let streams = Streams::new(7, 0);
//! let max_nodes = layout::MAX_LAYOUT_NODES;
//! let sample =
//!     layout::sample_for_picture(node_count, &edges, max_nodes, Sampling::Snowball, &streams);
//! let kept_edges = sample.edges(&edges); // renumbered 0..sample.len()
//! let iterations = layout::DEFAULT_ITERATIONS;
//! let positions = layout::force_directed(sample.len(), &kept_edges, &streams, iterations);
//! assert_eq!(positions.len(), max_nodes);
//! // Node i of the picture is node sample.kept()[i] of the network.
//! ```

use crate::engine::streams::{Draw, Purpose, Streams};
use crate::network::Graph;
use rayon::prelude::*;

/// Largest network [`force_directed`] is meant for (about two seconds per layout).
pub const MAX_LAYOUT_NODES: usize = 2000;
/// Iterations that let a few thousand nodes settle.
pub const DEFAULT_ITERATIONS: usize = 200;

/// Pull of every node towards the centre, per unit of distance from it: keeps separate
/// components side by side. Repulsion alone would push a small component out to about
/// √(n / GRAVITY) from the centre, just outside a disc of radius about √(n / π) holding
/// the rest.
const GRAVITY: f64 = 1.5;
/// Distance between the outermost node with ties and the first ring of nodes without,
/// and between neighbours on those rings (in ideal edge lengths).
const RING_GAP: f64 = 1.5;
const RING_SPACING: f64 = 1.0;
/// Nodes closer than this are treated as sitting on the same spot.
const SAME_SPOT: f64 = 1e-6;
/// Stream entities of [`Purpose::Layout`] at step 0.
const STARTING_POSITIONS_STREAM: u64 = 0;
const SAMPLING_STREAM: u64 = 1;

/// Fruchterman–Reingold positions for `node_count` nodes joined by `edges` (undirected;
/// duplicates and self-loops ignored). The ideal edge length is 1; the nodes with ties
/// are centred on the origin and fill a disc roughly √n across. Nodes without ties take
/// no part in the simulation: they are set on rings just outside the others, in id order
/// from the top, so that they stay in the picture without crowding it.
///
/// Starting positions come from `streams.rng(Purpose::Layout, 0, 0)`, so the result
/// depends only on the inputs (not on the number of threads).
///
/// # Panics
/// If an edge has an end `>= node_count`.
pub fn force_directed(
    node_count: usize,
    edges: &[(u32, u32)],
    streams: &Streams,
    iterations: usize,
) -> Vec<(f64, f64)> {
    let graph = Graph::from_edges(node_count, edges);
    let side = (node_count as f64).sqrt().max(1.0);
    let mut positions = starting_positions(node_count, side, streams);
    let (tied, untied): (Vec<u32>, Vec<u32>) =
        (0..node_count as u32).partition(|&node| graph.degree(node) > 0);
    let mut tied_positions: Vec<(f64, f64)> =
        tied.iter().map(|&node| positions[node as usize]).collect();
    spring_embed(
        &induced_graph(&graph, &tied),
        &mut tied_positions,
        iterations,
    );
    centre_on_origin(&mut tied_positions);
    let rim = (tied_positions.iter()).fold(0.0f64, |rim, &(x, y)| rim.max(x.hypot(y)));
    for (&node, &position) in tied.iter().zip(&tied_positions) {
        positions[node as usize] = position;
    }
    let first_ring = if tied.is_empty() { 0.0 } else { rim + RING_GAP };
    for (&node, position) in untied.iter().zip(rings(first_ring, untied.len())) {
        positions[node as usize] = position;
    }
    positions
}

/// Moves the nodes of `movable` (ids below `positions.len()`) from where they are by
/// Fruchterman–Reingold forces for `iterations` steps, each step no longer than a
/// temperature falling linearly from `start_temperature` (in ideal edge lengths) to 0.
/// Only ties between movable nodes count; other nodes stay put and take no part. Uses no
/// randomness, so the result depends only on the inputs.
///
/// # Panics
/// If an edge has an end `>= positions.len()`.
pub fn settle(
    positions: &mut [(f64, f64)],
    edges: &[(u32, u32)],
    movable: &[u32],
    iterations: usize,
    start_temperature: f64,
) {
    let mut new_ids = vec![u32::MAX; positions.len()];
    for (new_id, &node) in movable.iter().enumerate() {
        new_ids[node as usize] = new_id as u32;
    }
    let moving_edges: Vec<(u32, u32)> = (edges.iter())
        .map(|&(a, b)| (new_ids[a as usize], new_ids[b as usize]))
        .filter(|&(a, b)| a != u32::MAX && b != u32::MAX)
        .collect();
    let graph = Graph::from_edges(movable.len(), &moving_edges);
    let mut moving: Vec<(f64, f64)> = movable.iter().map(|&n| positions[n as usize]).collect();
    spring_embed_from(&graph, &mut moving, iterations, start_temperature);
    for (&node, &position) in movable.iter().zip(&moving) {
        positions[node as usize] = position;
    }
}

fn starting_positions(node_count: usize, side: f64, streams: &Streams) -> Vec<(f64, f64)> {
    let mut rng = streams.rng(Purpose::Layout, 0, STARTING_POSITIONS_STREAM);
    (0..node_count)
        .map(|_| ((rng.uniform() - 0.5) * side, (rng.uniform() - 0.5) * side))
        .collect()
}

/// The subgraph on `kept` (which must hold both ends of every edge), renumbered 0.. in
/// the order of `kept`.
fn induced_graph(graph: &Graph, kept: &[u32]) -> Graph {
    let mut new_ids = vec![u32::MAX; graph.agent_count()];
    for (new_id, &node) in kept.iter().enumerate() {
        new_ids[node as usize] = new_id as u32;
    }
    let edges: Vec<(u32, u32)> = (graph.ties())
        .map(|(a, b, _)| (new_ids[a as usize], new_ids[b as usize]))
        .collect();
    Graph::from_edges(kept.len(), &edges)
}

/// Moves `positions` by Fruchterman–Reingold forces for `iterations` steps, each step no
/// longer than a temperature that falls linearly from a tenth of the layout's width to 0.
fn spring_embed(graph: &Graph, positions: &mut [(f64, f64)], iterations: usize) {
    let start_temperature = (positions.len() as f64).sqrt().max(1.0) / 10.0;
    spring_embed_from(graph, positions, iterations, start_temperature);
}

fn spring_embed_from(
    graph: &Graph,
    positions: &mut [(f64, f64)],
    iterations: usize,
    start_temperature: f64,
) {
    let attraction = attraction_scale(graph);
    for iteration in 0..iterations {
        let temperature = start_temperature * (1.0 - iteration as f64 / iterations as f64);
        let (xs, ys): (Vec<f64>, Vec<f64>) = positions.iter().copied().unzip();
        let displacements: Vec<(f64, f64)> = (0..positions.len())
            .into_par_iter()
            .map(|node| {
                let (rx, ry) = repulsion(node, &xs, &ys);
                let (ax, ay) = attraction_towards_neighbours(node, graph, &xs, &ys);
                let gravity = (-GRAVITY * xs[node], -GRAVITY * ys[node]);
                (
                    rx + attraction * ax + gravity.0,
                    ry + attraction * ay + gravity.1,
                )
            })
            .collect();
        for (position, (dx, dy)) in positions.iter_mut().zip(displacements) {
            let length = (dx * dx + dy * dy).sqrt();
            if length > 0.0 {
                let step = length.min(temperature) / length;
                position.0 += dx * step;
                position.1 += dy * step;
            }
        }
    }
}

fn centre_on_origin(positions: &mut [(f64, f64)]) {
    let count = positions.len().max(1) as f64;
    let (sum_x, sum_y) = positions
        .iter()
        .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
    let (mean_x, mean_y) = (sum_x / count, sum_y / count);
    for position in positions.iter_mut() {
        *position = (position.0 - mean_x, position.1 - mean_y);
    }
}

/// `count` places on concentric rings from radius `first_radius` outwards, each ring as
/// full as its circumference allows (the last spread evenly), starting at the top.
fn rings(first_radius: f64, count: usize) -> Vec<(f64, f64)> {
    let mut places = Vec::with_capacity(count);
    let mut radius = first_radius;
    while places.len() < count {
        let capacity = ((std::f64::consts::TAU * radius / RING_SPACING).floor() as usize).max(1);
        let on_ring = capacity.min(count - places.len());
        for slot in 0..on_ring {
            let angle =
                -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * slot as f64 / on_ring as f64;
            places.push((radius * angle.cos(), radius * angle.sin()));
        }
        radius += RING_SPACING;
    }
    places
}

/// Scale of the spring force: 1 up to mean degree 2, then 2 / mean degree, so that the
/// pull on a typical node does not grow with the density of the graph. Without it a dense
/// graph contracts far below the ideal edge length and leaves its small components far away.
fn attraction_scale(graph: &Graph) -> f64 {
    let mean_degree = graph.view_count() as f64 / graph.agent_count().max(1) as f64;
    (2.0 / mean_degree).min(1.0)
}

/// Sum of k²/d pushes (k = 1) from every other node, in node order. The loop body has no
/// branch (the division is selected away for the node itself); nodes on the same spot are
/// separated by a push in a direction fixed by the node's id.
fn repulsion(node: usize, xs: &[f64], ys: &[f64]) -> (f64, f64) {
    let (x, y) = (xs[node], ys[node]);
    let (mut fx, mut fy, mut same_spot) = (0.0, 0.0, 0usize);
    for (&ox, &oy) in xs.iter().zip(ys) {
        let (dx, dy) = (x - ox, y - oy);
        let d2 = dx * dx + dy * dy;
        let apart = d2 > SAME_SPOT * SAME_SPOT;
        let push = if apart { 1.0 / d2 } else { 0.0 };
        fx += dx * push;
        fy += dy * push;
        same_spot += usize::from(!apart);
    }
    if same_spot > 1 {
        // Others share this spot (the node itself always does).
        let angle = (node as f64 * 2.399_963).rem_euclid(std::f64::consts::TAU);
        let push = (same_spot - 1) as f64 / SAME_SPOT;
        fx += push * angle.cos();
        fy += push * angle.sin();
    }
    (fx, fy)
}

/// Sum of d²/k pulls (k = 1) towards the node's neighbours.
fn attraction_towards_neighbours(node: usize, graph: &Graph, xs: &[f64], ys: &[f64]) -> (f64, f64) {
    let (x, y) = (xs[node], ys[node]);
    let (mut fx, mut fy) = (0.0, 0.0);
    for &neighbour in graph.neighbours(node as u32) {
        let (dx, dy) = (xs[neighbour as usize] - x, ys[neighbour as usize] - y);
        let d = (dx * dx + dy * dy).sqrt();
        fx += dx * d;
        fy += dy * d;
    }
    (fx, fy)
}

/// Lattice positions: node `y * width + x` at `(x, y)`, row 0 on top in a picture.
pub fn grid(width: usize, height: usize) -> Vec<(f64, f64)> {
    (0..height)
        .flat_map(|y| (0..width).map(move |x| (x as f64, y as f64)))
        .collect()
}

/// How [`sample_for_picture`] picks nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampling {
    /// Every node equally likely: group shares stay as in the network, but most edges are
    /// lost (keeping a share s of nodes keeps about s² of the edges).
    Uniform,
    /// Breadth-first from random starting nodes: neighbourhoods stay whole, so the picture
    /// shows local structure; hubs and the groups near them are over-represented.
    Snowball,
}

/// Which nodes of a network a picture shows, numbered 0.. in the order of their ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PictureSample {
    kept: Vec<u32>,
    new_ids: Vec<Option<u32>>,
}

impl PictureSample {
    /// Original ids of the kept nodes, ascending: picture node `i` is network node `kept()[i]`.
    pub fn kept(&self) -> &[u32] {
        &self.kept
    }

    /// Number of nodes kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether no node is kept.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The picture id of network node `original`, if it is kept.
    pub fn new_id(&self, original: u32) -> Option<u32> {
        self.new_ids.get(original as usize).copied().flatten()
    }

    /// The edges with both ends kept, in picture ids.
    pub fn edges(&self, edges: &[(u32, u32)]) -> Vec<(u32, u32)> {
        (edges.iter())
            .filter_map(|&(a, b)| Some((self.new_id(a)?, self.new_id(b)?)))
            .collect()
    }
}

/// At most `max_nodes` of `node_count` nodes, chosen deterministically from
/// `streams.rng(Purpose::Layout, 0, 1)`; all nodes when there are not more than that.
///
/// # Panics
/// If an edge has an end `>= node_count`.
pub fn sample_for_picture(
    node_count: usize,
    edges: &[(u32, u32)],
    max_nodes: usize,
    sampling: Sampling,
    streams: &Streams,
) -> PictureSample {
    let mut kept: Vec<u32> = if node_count <= max_nodes {
        (0..node_count as u32).collect()
    } else {
        let mut rng = streams.rng(Purpose::Layout, 0, SAMPLING_STREAM);
        let mut order: Vec<u32> = (0..node_count as u32).collect();
        rng.shuffle(&mut order);
        match sampling {
            Sampling::Uniform => order.into_iter().take(max_nodes).collect(),
            Sampling::Snowball => {
                snowball(&Graph::from_edges(node_count, edges), &order, max_nodes)
            }
        }
    };
    kept.sort_unstable();
    let mut new_ids = vec![None; node_count];
    for (new_id, &original) in kept.iter().enumerate() {
        new_ids[original as usize] = Some(new_id as u32);
    }
    PictureSample { kept, new_ids }
}

/// Breadth-first search from the starts in the given order until `max_nodes` are reached.
fn snowball(graph: &Graph, starts: &[u32], max_nodes: usize) -> Vec<u32> {
    let mut seen = vec![false; graph.agent_count()];
    let mut kept = Vec::with_capacity(max_nodes);
    let mut queue = std::collections::VecDeque::new();
    for &start in starts {
        if kept.len() == max_nodes {
            break;
        }
        if seen[start as usize] {
            continue;
        }
        seen[start as usize] = true;
        queue.push_back(start);
        while let Some(node) = queue.pop_front() {
            if kept.len() == max_nodes {
                break;
            }
            kept.push(node);
            for &neighbour in graph.neighbours(node) {
                if !seen[neighbour as usize] {
                    seen[neighbour as usize] = true;
                    queue.push_back(neighbour);
                }
            }
        }
        queue.clear();
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    fn mean(values: impl Iterator<Item = f64>) -> f64 {
        let (sum, count) = values.fold((0.0, 0usize), |(sum, count), v| (sum + v, count + 1));
        sum / count as f64
    }

    /// Edges of a complete graph on `first..first + size`.
    fn clique(first: u32, size: u32) -> Vec<(u32, u32)> {
        (first..first + size)
            .flat_map(|a| (a + 1..first + size).map(move |b| (a, b)))
            .collect()
    }

    /// Two 10-cliques (0..10 and 10..20) joined by the edge (9, 10).
    fn barbell() -> Vec<(u32, u32)> {
        let mut edges = clique(0, 10);
        edges.extend(clique(10, 10));
        edges.push((9, 10));
        edges
    }

    #[test]
    fn layout_is_deterministic_and_finite() {
        let streams = Streams::new(11, 2);
        let first = force_directed(20, &barbell(), &streams, 100);
        let second = force_directed(20, &barbell(), &streams, 100);
        assert_eq!(first, second);
        assert!(first.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
        let other_seed = force_directed(20, &barbell(), &Streams::new(12, 2), 100);
        assert_ne!(first, other_seed);
        assert_eq!(force_directed(0, &[], &streams, 10), vec![]);
        assert_eq!(force_directed(1, &[], &streams, 10).len(), 1);
        let pair = force_directed(2, &[(0, 1), (1, 0), (1, 1)], &streams, 50);
        assert!(pair.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
    }

    #[test]
    fn barbell_keeps_tied_nodes_closer_than_untied_ones() {
        let edges = barbell();
        let positions = force_directed(20, &edges, &Streams::new(3, 0), DEFAULT_ITERATIONS);
        let tied = |a: u32, b: u32| edges.contains(&(a, b)) || edges.contains(&(b, a));
        let pairs = || (0..20u32).flat_map(|a| (a + 1..20).map(move |b| (a, b)));
        let gap = |(a, b): (u32, u32)| distance(positions[a as usize], positions[b as usize]);
        let tied_mean = mean(pairs().filter(|&(a, b)| tied(a, b)).map(gap));
        let untied_mean = mean(pairs().filter(|&(a, b)| !tied(a, b)).map(gap));
        // The untied pairs are exactly the pairs across the two bells (less the bridge).
        // Stated inequality: an untied pair is on average more than twice as far apart as a
        // tied pair, i.e. the two bells are drawn as two separate clusters.
        assert!(
            untied_mean > 2.0 * tied_mean,
            "tied {tied_mean:.3}, untied {untied_mean:.3}"
        );
    }

    #[test]
    fn isolated_nodes_and_components_stay_in_view_and_apart() {
        // Two separate 8-cliques and 6 isolated nodes.
        let mut edges = clique(0, 8);
        edges.extend(clique(8, 8));
        let node_count = 22;
        let positions = force_directed(node_count, &edges, &Streams::new(5, 0), DEFAULT_ITERATIONS);
        let typical_edge = mean(
            edges
                .iter()
                .map(|&(a, b)| distance(positions[a as usize], positions[b as usize])),
        );
        let centroid = |nodes: std::ops::Range<usize>| {
            let count = nodes.len() as f64;
            let (sx, sy) = positions[nodes]
                .iter()
                .fold((0.0, 0.0), |(sx, sy), p| (sx + p.0, sy + p.1));
            (sx / count, sy / count)
        };
        let all = centroid(0..node_count);
        // In view: nothing is flung further than 5 edge lengths × √n from the centre.
        let reach = 5.0 * typical_edge * (node_count as f64).sqrt();
        assert!(
            positions.iter().all(|&p| distance(p, all) < reach),
            "{positions:?}"
        );
        // Apart: the components' centres are further apart than two typical edges, and no
        // two nodes share a spot (closer than a tenth of an edge).
        assert!(distance(centroid(0..8), centroid(8..16)) > 2.0 * typical_edge);
        for a in 0..node_count {
            for b in a + 1..node_count {
                assert!(
                    distance(positions[a], positions[b]) > 0.1 * typical_edge,
                    "{a} and {b} overlap"
                );
            }
        }
    }

    #[test]
    fn settle_moves_only_movable_nodes_and_only_a_little() {
        let edges = barbell();
        let start = force_directed(20, &edges, &Streams::new(3, 0), DEFAULT_ITERATIONS);
        let mut settled = start.clone();
        let movable: Vec<u32> = (0..10).collect();
        let (iterations, temperature) = (10, 0.5);
        settle(&mut settled, &edges, &movable, iterations, temperature);
        assert_eq!(settled[10..], start[10..]);
        // Each step is at most the temperature, which falls linearly: at most
        // 0.5 × (1 + 0.9 + ... + 0.1) = 2.75 edge lengths in all.
        for node in 0..10 {
            assert!(distance(settled[node], start[node]) <= 2.75 + 1e-9);
        }
        assert_ne!(settled[..10], start[..10]);
        let mut again = start.clone();
        settle(&mut again, &edges, &movable, iterations, temperature);
        assert_eq!(again, settled);
    }

    #[test]
    fn grid_numbers_nodes_row_by_row() {
        let positions = grid(3, 2);
        assert_eq!(positions.len(), 6);
        let (width, x, y) = (3, 2, 1);
        assert_eq!(positions[y * width + x], (2.0, 1.0));
        assert_eq!(grid(0, 5), vec![]);
    }

    #[test]
    fn samples_are_deterministic_bounded_and_renumbered() {
        let streams = Streams::new(9, 0);
        // A 30×30 lattice.
        let width = 30u32;
        let edges: Vec<(u32, u32)> = (0..width * width)
            .flat_map(|node| {
                let right = (node % width + 1 < width).then_some((node, node + 1));
                let down = (node + width < width * width).then_some((node, node + width));
                right.into_iter().chain(down)
            })
            .collect();
        let count = (width * width) as usize;
        let all = sample_for_picture(count, &edges, 5000, Sampling::Uniform, &streams);
        assert_eq!(all.len(), count);
        assert_eq!(all.edges(&edges), edges);
        for sampling in [Sampling::Uniform, Sampling::Snowball] {
            let sample = sample_for_picture(count, &edges, 300, sampling, &streams);
            assert_eq!(
                sample,
                sample_for_picture(count, &edges, 300, sampling, &streams)
            );
            assert_eq!(sample.len(), 300);
            assert!(sample.kept().windows(2).all(|pair| pair[0] < pair[1]));
            let original = sample.kept()[7];
            assert_eq!(sample.new_id(original), Some(7));
            assert!(
                sample
                    .edges(&edges)
                    .iter()
                    .all(|&(a, b)| a < 300 && b < 300)
            );
        }
        let uniform = sample_for_picture(count, &edges, 300, Sampling::Uniform, &streams);
        let snowball = sample_for_picture(count, &edges, 300, Sampling::Snowball, &streams);
        // A third of the nodes keeps about a ninth of the 1740 edges when uniform; a snowball
        // keeps a connected patch with well over half of its nodes' edges.
        assert!(snowball.edges(&edges).len() > 2 * uniform.edges(&edges).len());
    }
}
