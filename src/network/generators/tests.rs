//! Tests of the generators: exact structure where it is deterministic, counts within stated
//! statistical tolerance where it is random, and the simple-graph property everywhere.

use super::*;
use crate::engine::streams::Streams;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

fn rng(seed: u64) -> ChaCha8Rng {
    Streams::new(seed, 0).rng(Purpose::Network, SETUP_STEP, 0)
}

/// Every tie is (low, high) with low < high < n, and no tie appears twice.
fn assert_simple(edges: &[Edge], n: usize) {
    let mut seen = BTreeSet::new();
    for &(a, b) in edges {
        assert!(a < b, "tie ({a}, {b}) not ordered or a self-loop");
        assert!((b as usize) < n, "tie ({a}, {b}) outside 0..{n}");
        assert!(seen.insert((a, b)), "tie ({a}, {b}) twice");
    }
}

fn degrees(edges: &[Edge], n: usize) -> Vec<usize> {
    let mut degree = vec![0; n];
    for &(a, b) in edges {
        degree[a as usize] += 1;
        degree[b as usize] += 1;
    }
    degree
}

fn edge_set(edges: &[Edge]) -> BTreeSet<Edge> {
    edges.iter().copied().collect()
}

/// |count − mean| ≤ 5 sd for a binomial(trials, p) count; sd = sqrt(trials · p · (1 − p)).
fn assert_binomial(count: usize, trials: f64, p: f64, what: &str) {
    let mean = trials * p;
    let sd = (trials * p * (1.0 - p)).sqrt();
    let off = (count as f64 - mean).abs();
    assert!(
        off <= 5.0 * sd,
        "{what}: {count} ties, expected {mean} ± 5·{sd}"
    );
}

/// The lattice by definition: every pair of cells, tied iff their (wrapped) distance per
/// dimension makes them neighbours.
fn lattice_by_definition(w: usize, h: usize, nb: Neighbourhood, bd: Boundary) -> BTreeSet<Edge> {
    let distance = |a: usize, b: usize, size: usize| {
        let d = a.abs_diff(b);
        if bd == Boundary::Periodic {
            d.min(size - d)
        } else {
            d
        }
    };
    let mut ties = BTreeSet::new();
    for a in 0..w * h {
        for b in a + 1..w * h {
            let (dx, dy) = (distance(a % w, b % w, w), distance(a / w, b / w, h));
            let tied = match nb {
                Neighbourhood::VonNeumann => dx + dy == 1,
                Neighbourhood::Moore => dx.max(dy) == 1,
            };
            if tied {
                ties.insert((a as AgentId, b as AgentId));
            }
        }
    }
    ties
}

#[test]
fn lattices_equal_their_definition_at_every_small_size() {
    for nb in [Neighbourhood::VonNeumann, Neighbourhood::Moore] {
        for bd in [Boundary::Fixed, Boundary::Periodic] {
            for w in 0..6 {
                for h in 0..6 {
                    let edges = lattice(w, h, nb, bd).unwrap();
                    assert_simple(&edges, w * h);
                    let want = lattice_by_definition(w, h, nb, bd);
                    assert_eq!(edge_set(&edges), want, "{w}x{h} {nb:?} {bd:?}");
                }
            }
        }
    }
}

#[test]
fn lattice_degrees_and_counts() {
    use Boundary::*;
    use Neighbourhood::*;
    // (width, height, neighbourhood, boundary, ties, degree of corner, side, interior)
    let cases = [
        (4, 3, VonNeumann, Fixed, 17, 2, 3, 4), // (w−1)h + w(h−1)
        (4, 3, Moore, Fixed, 29, 3, 5, 8),      // plus 2(w−1)(h−1) diagonals
        (4, 3, VonNeumann, Periodic, 24, 4, 4, 4),
        (4, 3, Moore, Periodic, 48, 8, 8, 8),
        (3, 3, Moore, Periodic, 36, 8, 8, 8), // the complete graph on 9 cells
        (2, 2, VonNeumann, Periodic, 4, 2, 2, 2), // a 4-cycle
        (2, 2, Moore, Periodic, 6, 3, 3, 3),  // complete on 4
    ];
    for (w, h, nb, bd, ties, corner, side, interior) in cases {
        let edges = lattice(w, h, nb, bd).unwrap();
        assert_eq!(edges.len(), ties, "{w}x{h} {nb:?} {bd:?}");
        let degree = degrees(&edges, w * h);
        assert_eq!(degree[0], corner);
        assert_eq!(degree[1], side);
        if w > 2 && h > 2 {
            assert_eq!(degree[w + 1], interior);
        }
    }
    // Cell (1, 1) of a fixed 4×3 von Neumann lattice is agent 5: left 4, right 6, up 1, down 9.
    let edges = lattice(4, 3, VonNeumann, Fixed).unwrap();
    let of_five: BTreeSet<AgentId> = edges
        .iter()
        .filter_map(|&(a, b)| (a == 5).then_some(b).or((b == 5).then_some(a)))
        .collect();
    assert_eq!(of_five, BTreeSet::from([1, 4, 6, 9]));
    assert_eq!(lattice_cell(5, 4), (1, 1));
    assert_eq!(lattice_cell(11, 4), (3, 2));
}

#[test]
fn lattice_rejects_more_agents_than_ids() {
    let err = lattice(1 << 20, 1 << 20, Neighbourhood::Moore, Boundary::Fixed).unwrap_err();
    assert!(matches!(err, GeneratorError::TooManyAgents { requested, .. } if requested == 1 << 40));
}

#[test]
fn erdos_renyi_extremes_are_exact_and_bad_p_is_refused() {
    assert!(erdos_renyi(50, 0.0, &mut rng(1)).unwrap().is_empty());
    let complete = erdos_renyi(50, 1.0, &mut rng(1)).unwrap();
    assert_simple(&complete, 50);
    assert_eq!(complete.len(), 50 * 49 / 2);
    assert!(erdos_renyi(1, 0.5, &mut rng(1)).unwrap().is_empty());
    assert!(erdos_renyi(0, 0.5, &mut rng(1)).unwrap().is_empty());
    for p in [-0.1, 1.5, f64::NAN] {
        let err = erdos_renyi(10, p, &mut rng(1)).unwrap_err();
        assert!(matches!(
            err,
            GeneratorError::NotAProbability { what: "p", .. }
        ));
    }
}

#[test]
fn erdos_renyi_counts_within_five_sd() {
    for seed in 0..5 {
        // n = 2000, p = 0.01: 1 999 000 pairs, mean 19 990, sd sqrt(19 990 · 0.99) ≈ 141.
        let n = 2000;
        let edges = erdos_renyi(n, 0.01, &mut rng(seed)).unwrap();
        assert_simple(&edges, n);
        let pairs = (n * (n - 1) / 2) as f64;
        assert_binomial(edges.len(), pairs, 0.01, "G(2000, 0.01)");
        // Ties inside the first half: 999 · 1000 / 2 = 499 500 pairs, sd ≈ 70.
        let low_half = edges.iter().filter(|&&(_, b)| (b as usize) < n / 2).count();
        assert_binomial(
            low_half,
            (n / 2 * (n / 2 - 1) / 2) as f64,
            0.01,
            "first half",
        );
    }
    // Long skips: n = 200 000, p = 1e-5: about 2·10¹⁰ pairs, mean ≈ 2·10⁵, sd ≈ 447.
    let n = 200_000;
    let edges = erdos_renyi(n, 1e-5, &mut rng(9)).unwrap();
    assert_simple(&edges, n);
    assert_binomial(
        edges.len(),
        (n as f64) * (n as f64 - 1.0) / 2.0,
        1e-5,
        "sparse",
    );
}

fn ring(n: usize, k: usize) -> BTreeSet<Edge> {
    (0..n)
        .flat_map(|u| (1..=k / 2).map(move |j| ordered(u as AgentId, ((u + j) % n) as AgentId)))
        .collect()
}

#[test]
fn watts_strogatz_without_rewiring_is_the_ring_lattice() {
    for (n, k) in [(20, 4), (7, 6), (10, 2), (5, 0), (1000, 10)] {
        let edges = watts_strogatz(n, k, 0.0, &mut rng(3)).unwrap();
        assert_simple(&edges, n);
        assert_eq!(edge_set(&edges), ring(n, k), "n = {n}, k = {k}");
        assert_eq!(edges.len(), n * k / 2);
    }
}

#[test]
fn watts_strogatz_rewires_the_expected_share() {
    // Rewiring events ~ Binomial(n·k/2 = 5000, 0.2): mean 1000, sd sqrt(5000·0.2·0.8) ≈ 28.3.
    // A rewired tie lands back on a free ring position with chance about k/n = 1%, far
    // inside the tolerance.
    let (n, k) = (1000, 10);
    let ring = ring(n, k);
    for seed in 0..4 {
        let edges = watts_strogatz(n, k, 0.2, &mut rng(seed)).unwrap();
        assert_simple(&edges, n);
        assert_eq!(edges.len(), n * k / 2);
        let off_ring = edges.iter().filter(|e| !ring.contains(e)).count();
        assert_binomial(off_ring, (n * k / 2) as f64, 0.2, "rewired ties");
    }
    // Every agent tied to everybody: every rewiring is skipped (and must not loop forever).
    let complete = watts_strogatz(5, 4, 1.0, &mut rng(1)).unwrap();
    assert_eq!(complete.len(), 10);
}

#[test]
fn free_partner_is_uniform_among_free_agents() {
    // Agent 0 of 50 tied to all but 3 and 7: the listing branch. Tied to all but 3, 7 and
    // 10..=19: the drawing branch. Each free agent is hit Binomial(draws, 1/free) times.
    let few_free: Vec<AgentId> = (1..50).filter(|&v| v != 3 && v != 7).collect();
    let many_free: Vec<AgentId> = few_free
        .iter()
        .copied()
        .filter(|v| !(10..20).contains(v))
        .collect();
    let mut rng = rng(11);
    for (row, free) in [(&few_free, 2usize), (&many_free, 12)] {
        let draws = 600 * free;
        let mut hits = [0usize; 50];
        for _ in 0..draws {
            hits[free_partner(row, 0, 50, &mut rng).unwrap()] += 1;
        }
        for (w, &count) in hits.iter().enumerate() {
            if w == 0 || row.contains(&(w as AgentId)) {
                assert_eq!(count, 0, "agent {w} is not free");
            } else {
                assert_binomial(count, draws as f64, 1.0 / free as f64, "free partner");
            }
        }
    }
    let everybody: Vec<AgentId> = (1..50).collect();
    assert_eq!(free_partner(&everybody, 0, 50, &mut rng), None);
}

#[test]
fn watts_strogatz_refuses_bad_parameters() {
    for (n, k) in [(10, 3), (10, 10), (10, 12), (0, 0)] {
        let err = watts_strogatz(n, k, 0.1, &mut rng(1)).unwrap_err();
        assert_eq!(err, GeneratorError::WattsStrogatzDegree { n, k });
        assert!(err.to_string().contains("even k with k < n"));
    }
    let err = watts_strogatz(10, 4, f64::NAN, &mut rng(1)).unwrap_err();
    assert!(matches!(
        err,
        GeneratorError::NotAProbability { what: "rewire", .. }
    ));
}

#[test]
fn barabasi_albert_has_networkx_structure() {
    for (n, m) in [(10, 3), (5, 1), (2, 1), (500, 4)] {
        for seed in 0..3 {
            let edges = barabasi_albert(n, m, &mut rng(seed)).unwrap();
            assert_simple(&edges, n);
            // networkx: m star ties + m per newcomer m+1..n: m·(n − m) in all.
            assert_eq!(edges.len(), m * (n - m));
            for leaf in 1..=m as AgentId {
                assert!(edges.contains(&(0, leaf)));
            }
            let mut earlier = vec![0; n];
            for &(_, b) in &edges {
                earlier[b as usize] += 1;
            }
            assert!(earlier[m + 1..].iter().all(|&count| count == m));
        }
    }
    for (n, m) in [(10, 0), (10, 10), (3, 5)] {
        let err = barabasi_albert(n, m, &mut rng(1)).unwrap_err();
        assert_eq!(err, GeneratorError::BarabasiAlbertTies { n, m });
    }
}

#[test]
fn barabasi_albert_attachment_is_preferential() {
    // Expected degree of agent i is about m·sqrt(n/i) under preferential attachment (≈ 80
    // on average for i in 1..=20 with n = 10 000, m = 2) but about m·(1 + ln(n/i)) ≈ 17
    // under uniform attachment. The threshold 40 separates the two.
    for seed in 0..3 {
        let n = 10_000;
        let degree = degrees(&barabasi_albert(n, 2, &mut rng(seed)).unwrap(), n);
        let early = degree[1..=20].iter().sum::<usize>() as f64 / 20.0;
        assert!(early > 40.0, "mean degree of agents 1..=20 is {early}");
    }
}

fn three_blocks() -> Vec<Range<AgentId>> {
    vec![0..300, 300..800, 800..1000]
}

fn three_block_density(a: usize, b: usize) -> f64 {
    [[0.1, 0.02, 0.0], [0.0, 0.05, 0.01], [0.0, 0.0, 0.2]][a][b]
}

fn block_of(agent: AgentId, blocks: &[Range<AgentId>]) -> usize {
    blocks.iter().position(|b| b.contains(&agent)).unwrap()
}

#[test]
fn stochastic_block_counts_per_block_pair_within_five_sd() {
    let blocks = three_blocks();
    for seed in 0..4 {
        let edges = stochastic_block(&blocks, three_block_density, &Streams::new(seed, 0)).unwrap();
        assert_simple(&edges, 1000);
        let mut count = [[0usize; 3]; 3];
        let mut last_pair = 0;
        for &(x, y) in &edges {
            let (a, b) = (block_of(x, &blocks), block_of(y, &blocks));
            let (a, b) = (a.min(b), a.max(b));
            count[a][b] += 1;
            assert!(
                block_pair_index(a, b) >= last_pair,
                "ties grouped by block pair"
            );
            last_pair = block_pair_index(a, b);
        }
        for b in 0..3 {
            for a in 0..=b {
                let (sa, sb) = (blocks[a].len() as f64, blocks[b].len() as f64);
                // within: s(s−1)/2 pairs; between: s_a·s_b pairs; sd = sqrt(pairs·p·(1−p)).
                let pairs = if a == b {
                    sa * (sa - 1.0) / 2.0
                } else {
                    sa * sb
                };
                let p = three_block_density(a, b);
                assert_binomial(count[a][b], pairs, p, &format!("blocks ({a}, {b})"));
            }
        }
        assert_eq!(count[0][2], 0, "density 0 gives no ties");
    }
}

#[test]
fn stochastic_block_full_density_and_untouched_pairs() {
    let blocks = vec![10..14, 0..3];
    let edges = stochastic_block(&blocks, |_, _| 1.0, &Streams::new(1, 0)).unwrap();
    assert_simple(&edges, 14);
    assert_eq!(edges.len(), 6 + 4 * 3 + 3);
    // Adding a block at the end keeps every other block pair's ties (stream per pair index).
    let density = |a: usize, b: usize| if a == b { 0.3 } else { 0.1 };
    let two = stochastic_block(&[0..100, 100..250], density, &Streams::new(5, 0)).unwrap();
    let three =
        stochastic_block(&[0..100, 100..250, 250..300], density, &Streams::new(5, 0)).unwrap();
    let kept: Vec<Edge> = three.iter().copied().filter(|&(_, b)| b < 250).collect();
    assert_eq!(two, kept);
    assert!(three.len() > two.len());
}

#[test]
fn stochastic_block_refuses_bad_blocks_and_densities() {
    let streams = Streams::new(1, 0);
    #[allow(clippy::reversed_empty_ranges)]
    let reversed = [0..10, 20..15];
    let err = stochastic_block(&reversed, |_, _| 0.1, &streams).unwrap_err();
    assert_eq!(
        err,
        GeneratorError::ReversedBlock {
            index: 1,
            start: 20,
            end: 15
        }
    );
    let err = stochastic_block(&[20..30, 0..10, 5..21], |_, _| 0.1, &streams).unwrap_err();
    assert!(matches!(err, GeneratorError::OverlappingBlocks { .. }));
    for bad in [1.01, -0.5, f64::NAN] {
        let density = |a: usize, b: usize| if (a, b) == (0, 1) { bad } else { 0.1 };
        let err = stochastic_block(&[0..10, 10..20], density, &streams).unwrap_err();
        assert!(matches!(
            err,
            GeneratorError::BlockDensity { a: 0, b: 1, .. }
        ));
    }
    assert!(stochastic_block(&[0..0, 0..10, 10..10], |_, _| 0.1, &streams).is_ok());
}

#[test]
fn stochastic_block_is_identical_on_one_and_three_threads() {
    let blocks: Vec<Range<AgentId>> = (0..20).map(|b| b * 500..(b + 1) * 500).collect();
    let density = |a: usize, b: usize| if a == b { 0.02 } else { 0.001 };
    let streams = Streams::new(77, 2);
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| stochastic_block(&blocks, density, &streams).unwrap())
    };
    let one = on(1);
    assert_eq!(one, on(3));
    assert!(one.len() > 10_000);
}

#[test]
fn every_generator_gives_a_simple_graph_over_seeds() {
    for seed in 0..8 {
        let n = 300;
        let checks = [
            erdos_renyi(n, 0.05, &mut rng(seed)).unwrap(),
            watts_strogatz(n, 8, 0.5, &mut rng(seed)).unwrap(),
            watts_strogatz(n, 298, 0.5, &mut rng(seed)).unwrap(),
            barabasi_albert(n, 5, &mut rng(seed)).unwrap(),
            stochastic_block(
                &[0..100, 100..300],
                |a, b| 0.1 * (a + b + 1) as f64,
                &Streams::new(seed, 0),
            )
            .unwrap(),
        ];
        for edges in checks {
            assert_simple(&edges, n);
        }
    }
}
