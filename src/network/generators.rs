//! Initial networks: square lattices, Erdős–Rényi, Watts–Strogatz, Barabási–Albert, the
//! stochastic block model, random regular graphs and the complete graph (`regular.rs`).
//!
//! Owns: which pairs of agents `0..n` are tied before the first step, for each classic
//! random-graph model, with networkx's definitions (same parameters, same structure, same
//! distribution) so that a network built here can be checked against one built there. Every
//! generator returns the ties as `(lower id, higher id)` pairs, each tie once and no
//! self-loops; the caller builds the [`Graph`](crate::network::Graph) with
//! `Graph::from_edges` and decides what the agents are.
//! Must never: know about roles or schools (the caller maps roles to blocks or cells), do
//! I/O or read the clock, or draw a random number other than through
//! [`Draw`] on a generator the caller hands in (for the block
//! model, on the caller's [`Streams`]). `rand`'s own distributions may change their numbers
//! in a new version; ours may not, or a scenario would stop giving the network it gave.
//!
//! Why geometric skipping for G(n, p) and the block model: one coin per pair costs n²/2
//! coins, 5·10¹¹ for a million agents. Drawing instead the number of failed pairs before the
//! next tie (a geometric variable, Batagelj & Brandes 2005, as networkx's
//! `fast_gnp_random_graph`) costs one draw per tie: O(n + m).
//!
//! The numbers are not networkx's: it draws from a Mersenne Twister, we from our streams.
//! Deterministic cases (a lattice, Watts–Strogatz without rewiring) match networkx tie for
//! tie; random ones match in distribution.

use crate::engine::streams::{Draw, Purpose, SETUP_STEP, Streams};
use crate::network::graph::AgentId;
use rand::Rng;
use rayon::prelude::*;
use std::ops::Range;

/// An undirected tie as (lower id, higher id).
pub type Edge = (AgentId, AgentId);

/// Most agents a generated network can have: ids are `u32`, and `n` itself must fit.
pub const MAX_AGENTS: usize = u32::MAX as usize;

/// Parameters no network can be built from. Messages say what would be valid.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum GeneratorError {
    #[error("a network can have at most {max} agents (ids are 32-bit), asked for {requested}")]
    TooManyAgents { requested: u128, max: usize },
    #[error("{what} must be a probability in [0, 1], got {value}")]
    NotAProbability { what: &'static str, value: f64 },
    #[error(
        "watts_strogatz needs an even k with k < n (each agent is tied to k/2 neighbours on \
         each side of the ring), got n = {n}, k = {k}"
    )]
    WattsStrogatzDegree { n: usize, k: usize },
    #[error(
        "barabasi_albert needs 1 <= m < n (each newcomer brings m ties to earlier agents), \
         got n = {n}, m = {m}"
    )]
    BarabasiAlbertTies { n: usize, m: usize },
    #[error(
        "random_regular needs n × degree even and degree < n (every agent has exactly `degree` \
         ties, no self-ties, no double ties), got n = {n}, degree = {degree}"
    )]
    RegularDegree { n: usize, degree: usize },
    #[error(
        "a complete graph of {n} agents has {ties} ties; the most gotong builds is {max} \
         (about 4,500 agents)"
    )]
    TooManyTies { n: usize, ties: u64, max: u64 },
    #[error(
        "a random regular graph of {n} agents with degree {degree} has {ties} ties; the most \
         gotong builds is {max}"
    )]
    TooManyRegularTies {
        n: usize,
        degree: usize,
        ties: u64,
        max: u64,
    },
    #[error("block {index} ({start}..{end}) ends before it starts")]
    ReversedBlock {
        index: usize,
        start: AgentId,
        end: AgentId,
    },
    #[error("blocks {first} and {second} share agents; blocks must be disjoint id ranges")]
    OverlappingBlocks { first: usize, second: usize },
    #[error("density of block pair ({a}, {b}) must be a probability in [0, 1], got {value}")]
    BlockDensity { a: usize, b: usize, value: f64 },
}

/// Which cells of a square lattice are neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neighbourhood {
    /// The 4 cells sharing a side.
    VonNeumann,
    /// The 8 cells sharing a side or a corner.
    Moore,
}

/// What happens at the edge of a lattice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// Cells on the border have fewer neighbours.
    Fixed,
    /// The lattice wraps around in both directions (a torus).
    Periodic,
}

/// The cell (x, y) of agent `id` on a lattice `width` cells wide: x is the column in
/// `0..width`, y the row. The inverse of `id = y * width + x`.
///
/// # Panics
/// If `width` is 0 (such a lattice has no cells).
pub fn lattice_cell(id: AgentId, width: usize) -> (usize, usize) {
    (id as usize % width, id as usize / width)
}

/// A `width` × `height` square lattice; the agent of cell (x, y) is `y * width + x`.
///
/// With [`Boundary::Periodic`] the lattice is a torus. Along a dimension of length 2 the
/// step left and the step right reach the same cell, and along a dimension of length 1 they
/// reach the cell itself: such a tie is kept once and a self-tie is dropped, so the result is
/// always a simple graph. This is networkx's `grid_2d_graph(height, width, periodic=True)`
/// for von Neumann (it only wraps dimensions longer than 2). Examples: a 2×2 von Neumann
/// torus is a 4-cycle (degree 2), a 3×3 Moore torus is complete (degree 8), a 1×n torus is
/// a ring for n ≥ 3. An empty lattice (width or height 0) has no agents and no ties.
pub fn lattice(
    width: usize,
    height: usize,
    neighbourhood: Neighbourhood,
    boundary: Boundary,
) -> Result<Vec<Edge>, GeneratorError> {
    let cells = width as u128 * height as u128;
    if cells > MAX_AGENTS as u128 {
        let max = MAX_AGENTS;
        return Err(GeneratorError::TooManyAgents {
            requested: cells,
            max,
        });
    }
    let cells = cells as usize;
    // Half of each neighbourhood; the other half is found from the neighbour's side.
    let forward: &[(isize, isize)] = match neighbourhood {
        Neighbourhood::VonNeumann => &[(1, 0), (0, 1)],
        Neighbourhood::Moore => &[(1, 0), (0, 1), (1, 1), (-1, 1)],
    };
    let mut edges = Vec::with_capacity(cells * forward.len());
    for y in 0..height {
        for x in 0..width {
            let here = (y * width + x) as AgentId;
            for &(dx, dy) in forward {
                let Some((nx, ny)) = lattice_step((x, y), (dx, dy), (width, height), boundary)
                else {
                    continue;
                };
                let there = (ny * width + nx) as AgentId;
                if there != here {
                    edges.push(ordered(here, there));
                }
            }
        }
    }
    edges.sort_unstable(); // tiny tori reach one neighbour twice
    edges.dedup();
    Ok(edges)
}

/// The offsets (dx, dy) of a neighbourhood in reading order, dx first, from −1 to 1:
/// (−1,−1), (−1,0), (−1,1), (0,−1), (0,1), (1,−1), (1,0), (1,1) for Moore, and the four
/// orthogonal ones in the same order for von Neumann. This is the order in which Mesa's
/// `OrthogonalMooreGrid` and `OrthogonalVonNeumannGrid` list a cell's neighbours.
pub fn neighbourhood_offsets(neighbourhood: Neighbourhood) -> &'static [(isize, isize)] {
    match neighbourhood {
        Neighbourhood::Moore => &[
            (-1, -1),
            (-1, 0),
            (-1, 1),
            (0, -1),
            (0, 1),
            (1, -1),
            (1, 0),
            (1, 1),
        ],
        Neighbourhood::VonNeumann => &[(-1, 0), (0, -1), (0, 1), (1, 0)],
    }
}

/// The neighbours of cell (x, y) of a [`lattice`] (agent `y * width + x`), in the order of
/// [`neighbourhood_offsets`]; a cell reached twice (tiny tori) is listed where it is first
/// reached, and the cell itself never.
pub fn lattice_neighbours(
    (x, y): (usize, usize),
    (width, height): (usize, usize),
    neighbourhood: Neighbourhood,
    boundary: Boundary,
) -> Vec<AgentId> {
    let here = (y * width + x) as AgentId;
    let mut listed: Vec<AgentId> = Vec::with_capacity(8);
    for &offset in neighbourhood_offsets(neighbourhood) {
        if let Some((nx, ny)) = lattice_step((x, y), offset, (width, height), boundary) {
            let there = (ny * width + nx) as AgentId;
            if there != here && !listed.contains(&there) {
                listed.push(there);
            }
        }
    }
    listed
}

/// The cell one step `(dx, dy)` from `(x, y)`, or `None` past a fixed border.
fn lattice_step(
    (x, y): (usize, usize),
    (dx, dy): (isize, isize),
    (width, height): (usize, usize),
    boundary: Boundary,
) -> Option<(usize, usize)> {
    match boundary {
        Boundary::Fixed => {
            let nx = x.checked_add_signed(dx).filter(|&nx| nx < width)?;
            let ny = y.checked_add_signed(dy).filter(|&ny| ny < height)?;
            Some((nx, ny))
        }
        Boundary::Periodic => Some((
            (x + width).wrapping_add_signed(dx) % width,
            (y + height).wrapping_add_signed(dy) % height,
        )),
    }
}

/// G(n, p): every pair of `0..n` tied independently with probability `p` (networkx's
/// `gnp_random_graph`, drawn like its `fast_gnp_random_graph`): expected ties
/// p·n(n−1)/2, O(n + m) time. `p` = 0 gives no ties, `p` = 1 the complete graph.
pub fn erdos_renyi(n: usize, p: f64, rng: &mut impl Rng) -> Result<Vec<Edge>, GeneratorError> {
    check_agent_count(n)?;
    check_probability("p", p)?;
    let mut edges = Vec::new();
    ties_within(0..n as AgentId, p, rng, &mut edges);
    Ok(edges)
}

/// Watts–Strogatz small world, as networkx's `watts_strogatz_graph(n, k, rewire)`: a ring
/// where each agent is tied to the k/2 nearest agents on each side; then, for each distance
/// j = 1..=k/2 and each agent u in id order, with probability `rewire` the tie (u, u+j mod n)
/// is replaced by (u, w), w uniform among agents other than u and not yet tied to u (skipped
/// if u is tied to everybody). The number of ties stays n·k/2.
///
/// Requires an even `k` with `k < n` (networkx silently uses k−1 for an odd k and returns
/// the complete graph for k = n) and `rewire` in [0, 1].
pub fn watts_strogatz(
    n: usize,
    k: usize,
    rewire: f64,
    rng: &mut impl Rng,
) -> Result<Vec<Edge>, GeneratorError> {
    check_agent_count(n)?;
    check_probability("rewire", rewire)?;
    if k % 2 != 0 || k >= n {
        return Err(GeneratorError::WattsStrogatzDegree { n, k });
    }
    let half = k / 2;
    let mut neighbours: Vec<Vec<AgentId>> = (0..n)
        .map(|u| {
            (1..=half)
                .flat_map(|j| [(u + j) % n, (u + n - j) % n])
                .map(|v| v as AgentId)
                .collect()
        })
        .collect();
    for j in 1..=half {
        for u in 0..n {
            if !rng.chance(rewire) {
                continue;
            }
            let Some(new_end) = free_partner(&neighbours[u], u, n, rng) else {
                continue; // u is tied to everybody
            };
            // With k < n no other step can have removed the ring tie (u, u + j) before now.
            untie(&mut neighbours, u, (u + j) % n);
            neighbours[u].push(new_end as AgentId);
            neighbours[new_end].push(u as AgentId);
        }
    }
    let mut edges: Vec<Edge> = (0..n)
        .flat_map(|u| {
            let u = u as AgentId;
            neighbours[u as usize]
                .iter()
                .filter(move |&&v| v > u)
                .map(move |&v| (u, v))
        })
        .collect();
    edges.sort_unstable();
    Ok(edges)
}

/// An agent drawn uniformly among those other than `agent` and not in its `row` of
/// neighbours (`n` agents in all); `None` if there is none.
fn free_partner(row: &[AgentId], agent: usize, n: usize, rng: &mut impl Rng) -> Option<usize> {
    /// Draws before listing the free partners; each draw costs O(degree).
    const TRIES: usize = 16;
    let free_count = (n - 1).saturating_sub(row.len());
    if free_count == 0 {
        return None;
    }
    // Draw while a draw has a fair chance (about 1 in TRIES or better) to hit a free partner.
    let tries = if free_count * TRIES >= n { TRIES } else { 0 };
    for _ in 0..tries {
        let w = rng.below(n as u64) as usize;
        if w != agent && !row.contains(&(w as AgentId)) {
            return Some(w);
        }
    }
    // Few free partners (a dense ring): list them and pick one, the same distribution as
    // drawing until one is free.
    let mut taken = vec![false; n];
    taken[agent] = true;
    for &v in row {
        taken[v as usize] = true;
    }
    let free: Vec<usize> = (0..n).filter(|&w| !taken[w]).collect();
    Some(free[rng.below(free.len() as u64) as usize])
}

/// Removes the tie {a, b} from adjacency lists that hold it.
fn untie(neighbours: &mut [Vec<AgentId>], a: usize, b: usize) {
    for (from, to) in [(a, b), (b, a)] {
        let row = &mut neighbours[from];
        let at = row.iter().position(|&x| x as usize == to);
        debug_assert!(at.is_some(), "tie ({a}, {b}) to rewire is present");
        if let Some(at) = at {
            row.swap_remove(at);
        }
    }
}

/// Barabási–Albert preferential attachment, as networkx's `barabasi_albert_graph(n, m)`:
/// a star of agents `0..=m` with centre 0, then each agent `m+1..n` in turn is tied to m
/// distinct earlier agents, each drawn with probability proportional to its current degree
/// (uniformly from a list holding every agent once per tie). Exactly m·(n − m) ties (the
/// star's m plus m for each of the n − m − 1 newcomers), as networkx. Requires 1 ≤ m < n.
pub fn barabasi_albert(
    n: usize,
    m: usize,
    rng: &mut impl Rng,
) -> Result<Vec<Edge>, GeneratorError> {
    check_agent_count(n)?;
    if m < 1 || m >= n {
        return Err(GeneratorError::BarabasiAlbertTies { n, m });
    }
    let mut edges: Vec<Edge> = Vec::with_capacity(m * (n - m));
    // Every agent once per tie it has: a uniform pick from this list is a preferential pick.
    let mut ends_of_ties: Vec<AgentId> = Vec::with_capacity(2 * m * (n - m));
    ends_of_ties.extend(std::iter::repeat_n(0, m));
    for leaf in 1..=m as AgentId {
        edges.push((0, leaf));
        ends_of_ties.push(leaf);
    }
    // The newcomer that last picked each agent, to keep a newcomer's m targets distinct.
    let mut picked_by = vec![AgentId::MAX; n];
    let mut targets: Vec<AgentId> = Vec::with_capacity(m);
    for newcomer in (m + 1) as AgentId..n as AgentId {
        targets.clear();
        while targets.len() < m {
            let pick = ends_of_ties[rng.below(ends_of_ties.len() as u64) as usize];
            if picked_by[pick as usize] != newcomer {
                picked_by[pick as usize] = newcomer;
                targets.push(pick);
            }
        }
        edges.extend(targets.iter().map(|&t| (t, newcomer)));
        ends_of_ties.extend_from_slice(&targets);
        ends_of_ties.extend(std::iter::repeat_n(newcomer, m));
    }
    Ok(edges)
}

/// The stream number of block pair (a, b), a ≤ b, in [`stochastic_block`]: `b(b+1)/2 + a`,
/// the position of the pair when pairs are listed by b, then a. It does not depend on the
/// number of blocks, so adding a block at the end keeps every other pair's ties.
pub fn block_pair_index(a: usize, b: usize) -> u64 {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    (b as u64 * (b as u64 + 1)) / 2 + a as u64
}

/// Stochastic block model: `blocks` are disjoint ranges of agent ids (they need not be in
/// order nor cover every agent; an agent in no block gets no ties), and `density(a, b)` for
/// block indices a ≤ b is the probability, in [0, 1], that any given pair with one agent in
/// block a and one in block b is tied (within a block, each unordered pair once). This is
/// networkx's `stochastic_block_model` with contiguous blocks.
///
/// Block pair (a, b) draws from its own stream
/// `streams.rng(Purpose::Network, SETUP_STEP, block_pair_index(a, b))` with geometric
/// skipping, so the work is O(n + m) and block pairs run in parallel; the ties come back
/// block pair by block pair in [`block_pair_index`] order, the same for any thread count.
/// `density` is asked once per block pair, before any tie is drawn.
pub fn stochastic_block(
    blocks: &[Range<AgentId>],
    density: impl Fn(usize, usize) -> f64,
    streams: &Streams,
) -> Result<Vec<Edge>, GeneratorError> {
    check_blocks(blocks)?;
    let mut pairs = Vec::with_capacity(blocks.len() * (blocks.len() + 1) / 2);
    for b in 0..blocks.len() {
        for a in 0..=b {
            let value = density(a, b);
            if !(0.0..=1.0).contains(&value) {
                return Err(GeneratorError::BlockDensity { a, b, value });
            }
            pairs.push((a, b, value));
        }
    }
    let per_pair: Vec<Vec<Edge>> = pairs
        .into_par_iter()
        .map(|(a, b, p)| {
            let mut edges = Vec::new();
            if p > 0.0 {
                let mut rng = streams.rng(Purpose::Network, SETUP_STEP, block_pair_index(a, b));
                if a == b {
                    ties_within(blocks[a].clone(), p, &mut rng, &mut edges);
                } else {
                    ties_between(
                        blocks[a].clone(),
                        blocks[b].clone(),
                        p,
                        &mut rng,
                        &mut edges,
                    );
                }
            }
            edges
        })
        .collect();
    Ok(per_pair.concat())
}

fn check_blocks(blocks: &[Range<AgentId>]) -> Result<(), GeneratorError> {
    for (index, block) in blocks.iter().enumerate() {
        if block.start > block.end {
            let (start, end) = (block.start, block.end);
            return Err(GeneratorError::ReversedBlock { index, start, end });
        }
    }
    let mut by_start: Vec<usize> = (0..blocks.len())
        .filter(|&i| !blocks[i].is_empty())
        .collect();
    by_start.sort_by_key(|&i| blocks[i].start);
    for pair in by_start.windows(2) {
        if blocks[pair[0]].end > blocks[pair[1]].start {
            let (first, second) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
            return Err(GeneratorError::OverlappingBlocks { first, second });
        }
    }
    Ok(())
}

/// Number of failed trials before the next success in independent trials of probability p,
/// drawn by inversion: P(gap ≥ k) = (1 − p)^k.
struct GeometricGaps {
    log_failure: f64,
}

impl GeometricGaps {
    /// `p` must be in (0, 1).
    fn new(p: f64) -> GeometricGaps {
        GeometricGaps {
            log_failure: (-p).ln_1p(),
        }
    }

    /// The next gap; saturates at `u64::MAX` (past the end of any run of pairs).
    #[inline]
    fn next(&self, rng: &mut impl Rng) -> u64 {
        // ln(1 − U) ≤ 0 and log_failure < 0: the ratio is ≥ 0; `as` truncates and saturates.
        ((-rng.uniform()).ln_1p() / self.log_failure) as u64
    }
}

/// Ties each unordered pair of `ids` with probability `p`, appending to `edges` in order of
/// the higher id, then the lower.
fn ties_within(ids: Range<AgentId>, p: f64, rng: &mut impl Rng, edges: &mut Vec<Edge>) {
    let size = ids.len() as u64;
    let start = ids.start;
    if size < 2 || p <= 0.0 {
        return;
    }
    if p >= 1.0 {
        for high in ids.clone() {
            edges.extend((start..high).map(|low| (low, high)));
        }
        return;
    }
    let gaps = GeometricGaps::new(p);
    // The candidate pair is (low, high) with low < high; the pair after (high − 1, high) is
    // (0, high + 1), all offsets from `start`.
    let (mut low, mut high) = (0u64, 1u64);
    loop {
        low = low.saturating_add(gaps.next(rng));
        while low >= high {
            low -= high;
            high += 1;
            if high >= size {
                return;
            }
        }
        edges.push((start + low as AgentId, start + high as AgentId));
        low += 1;
    }
}

/// Ties each pair (one agent of `rows`, one of `columns`) with probability `p`; the ranges
/// are disjoint. Appends to `edges` in row order, then column order.
fn ties_between(
    rows: Range<AgentId>,
    columns: Range<AgentId>,
    p: f64,
    rng: &mut impl Rng,
    edges: &mut Vec<Edge>,
) {
    let (height, width) = (rows.len() as u64, columns.len() as u64);
    if height == 0 || width == 0 || p <= 0.0 {
        return;
    }
    if p >= 1.0 {
        for r in rows {
            edges.extend(columns.clone().map(|c| ordered(r, c)));
        }
        return;
    }
    let gaps = GeometricGaps::new(p);
    let (mut row, mut column) = (0u64, 0u64);
    loop {
        column = column.saturating_add(gaps.next(rng));
        if column >= width {
            row = row.saturating_add(column / width);
            column %= width;
        }
        if row >= height {
            return;
        }
        let (r, c) = (
            rows.start + row as AgentId,
            columns.start + column as AgentId,
        );
        edges.push(ordered(r, c));
        column += 1;
    }
}

#[inline]
fn ordered(a: AgentId, b: AgentId) -> Edge {
    if a < b { (a, b) } else { (b, a) }
}

fn check_agent_count(n: usize) -> Result<(), GeneratorError> {
    if n > MAX_AGENTS {
        return Err(GeneratorError::TooManyAgents {
            requested: n as u128,
            max: MAX_AGENTS,
        });
    }
    Ok(())
}

fn check_probability(what: &'static str, value: f64) -> Result<(), GeneratorError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(GeneratorError::NotAProbability { what, value })
    }
}

mod regular;
pub use regular::{MAX_COMPLETE_TIES, MAX_REGULAR_TIES, complete, random_regular};

#[cfg(test)]
mod tests;
