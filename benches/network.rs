//! Timings of network set-up and metrics at the scale DESIGN §6 asks of the block model:
//! a million agents with mean degree about 20.
//!
//! Owns: nothing the model relies on; numbers for the README and for regressions.
//! Must never: assert anything (tests do that).

use gotong::engine::streams::Streams;
use gotong::network::generators::{Edge, stochastic_block};
use gotong::network::{Graph, metrics};
use std::ops::Range;
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// 10 blocks of 100 000 agents: within a block p = 1e-4 (≈ 10 ties), between blocks
/// p = 1/90 000 (≈ 10 ties to the other 900 000): mean degree ≈ 20, about 10⁷ ties.
fn million_agents() -> Vec<Edge> {
    let blocks: Vec<Range<u32>> = (0..10).map(|b| b * 100_000..(b + 1) * 100_000).collect();
    let density = |a: usize, b: usize| if a == b { 1e-4 } else { 1.0 / 90_000.0 };
    stochastic_block(&blocks, density, &Streams::new(1, 0)).expect("valid block model")
}

static EDGES: LazyLock<Vec<Edge>> = LazyLock::new(million_agents);
static GRAPH: LazyLock<Graph> = LazyLock::new(|| Graph::from_edges(1_000_000, &EDGES));

#[divan::bench(sample_count = 3, sample_size = 1)]
fn sbm_million_generate() -> Vec<Edge> {
    million_agents()
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn sbm_million_build_graph(bencher: divan::Bencher) {
    let edges = &*EDGES;
    bencher.bench(|| Graph::from_edges(1_000_000, edges));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn sbm_million_average_clustering(bencher: divan::Bencher) {
    let graph = &*GRAPH;
    bencher.bench(|| metrics::average_clustering(graph));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn sbm_million_transitivity(bencher: divan::Bencher) {
    let graph = &*GRAPH;
    bencher.bench(|| metrics::transitivity(graph));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn sbm_million_components(bencher: divan::Bencher) {
    let graph = &*GRAPH;
    bencher.bench(|| metrics::components(graph));
}
