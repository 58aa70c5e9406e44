//! Tests of the metrics on graphs small enough to check by hand, and against brute-force
//! definitions on random graphs.

use super::*;
use crate::engine::streams::{Draw, Purpose, SETUP_STEP, Streams};
use crate::network::generators::{barabasi_albert, erdos_renyi};
use std::collections::BTreeSet;

fn graph(n: usize, edges: &[(AgentId, AgentId)]) -> Graph {
    Graph::from_edges(n, edges)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

fn assert_all_close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(close(*g, *w), "agent {k}: got {g}, want {w}");
    }
}

/// A random graph for cross-checks: G(n, p) from our own generator.
fn random_graph(n: usize, p: f64, seed: u64) -> Graph {
    let mut rng = Streams::new(seed, 0).rng(Purpose::Network, SETUP_STEP, 0);
    graph(n, &erdos_renyi(n, p, &mut rng).unwrap())
}

#[test]
fn triangle() {
    let g = graph(3, &[(0, 1), (1, 2), (0, 2)]);
    assert_eq!(triangles(&g), vec![1, 1, 1]);
    assert_eq!(local_clustering(&g), vec![1.0; 3]);
    assert_eq!(average_clustering(&g), 1.0);
    assert_eq!(transitivity(&g), 1.0);
    assert_eq!(density(&g), 1.0);
    assert_eq!(mean_degree(&g), 2.0);
    assert_eq!(betweenness_centrality(&g, true), vec![0.0; 3]);
}

#[test]
fn path_of_four() {
    let g = graph(4, &[(0, 1), (1, 2), (2, 3)]);
    assert_eq!(triangles(&g), vec![0; 4]);
    assert_eq!(average_clustering(&g), 0.0);
    assert_eq!(transitivity(&g), 0.0);
    assert_eq!(density(&g), 0.5); // 3 of 6 possible ties
    assert_eq!(mean_degree(&g), 1.5);
    // Agent 1 is inside the shortest paths 0–2 and 0–3: 2 pairs; normalised by C(3, 2) = 3.
    assert_all_close(&betweenness_centrality(&g, false), &[0.0, 2.0, 2.0, 0.0]);
    assert_all_close(
        &betweenness_centrality(&g, true),
        &[0.0, 2.0 / 3.0, 2.0 / 3.0, 0.0],
    );
}

#[test]
fn star_of_four_leaves() {
    let g = graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
    assert_eq!(local_clustering(&g), vec![0.0; 5]);
    assert_eq!(transitivity(&g), 0.0); // 6 triples, no triangle
    // The centre is on all C(4, 2) = 6 leaf–leaf paths: 6 raw, 6 / C(4, 2) = 1 normalised.
    assert_all_close(
        &betweenness_centrality(&g, false),
        &[6.0, 0.0, 0.0, 0.0, 0.0],
    );
    assert_all_close(
        &betweenness_centrality(&g, true),
        &[1.0, 0.0, 0.0, 0.0, 0.0],
    );
}

#[test]
fn diamond_has_split_paths() {
    // K4 without the tie 0–3: triangles (0,1,2) and (1,2,3).
    let g = graph(4, &[(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]);
    assert_eq!(triangles(&g), vec![1, 2, 2, 1]);
    assert_all_close(&local_clustering(&g), &[1.0, 2.0 / 3.0, 2.0 / 3.0, 1.0]);
    assert!(close(average_clustering(&g), 5.0 / 6.0));
    assert_eq!(transitivity(&g), 0.75); // 3·2 / (1 + 3 + 3 + 1) triples
    // The pair 0–3 has two shortest paths, via 1 and via 2: half each.
    assert_all_close(&betweenness_centrality(&g, false), &[0.0, 0.5, 0.5, 0.0]);
    assert_all_close(
        &betweenness_centrality(&g, true),
        &[0.0, 1.0 / 6.0, 1.0 / 6.0, 0.0],
    );
    assert_eq!(average_clustering_of(&g, &[0, 3]), 1.0);
    assert!(close(average_clustering_of(&g, &[1, 0]), 5.0 / 6.0));
    assert_eq!(average_clustering_of(&g, &[]), 0.0);
}

#[test]
fn two_components_and_an_isolated_agent() {
    let g = graph(6, &[(0, 1), (1, 2), (0, 2), (3, 4)]);
    let parts = components(&g);
    assert_eq!(parts.count, 3);
    assert_eq!(parts.largest, 3);
    assert_eq!(parts.sizes, vec![3, 2, 1]);
    assert_eq!(parts.membership, vec![0, 0, 0, 1, 1, 2]);
    assert_eq!(largest_component_share(&g), 0.5);
    assert_eq!(average_clustering(&g), 0.5); // three 1s and three 0s
    assert_eq!(density(&g), 4.0 / 15.0);
    assert_eq!(betweenness_centrality(&g, true), vec![0.0; 6]);
}

#[test]
fn empty_graph_and_single_agent() {
    let empty = Graph::default();
    assert!(triangles(&empty).is_empty());
    assert_eq!(average_clustering(&empty), 0.0);
    assert_eq!(transitivity(&empty), 0.0);
    assert_eq!(density(&empty), 0.0);
    assert_eq!(mean_degree(&empty), 0.0);
    assert_eq!(largest_component_share(&empty), 0.0);
    let parts = components(&empty);
    assert_eq!((parts.count, parts.largest), (0, 0));
    assert!(betweenness_centrality(&empty, true).is_empty());

    let single = graph(1, &[]);
    assert_eq!(local_clustering(&single), vec![0.0]);
    assert_eq!(density(&single), 0.0);
    assert_eq!(components(&single).count, 1);
    assert_eq!(largest_component_share(&single), 1.0);
    assert_eq!(betweenness_centrality(&single, true), vec![0.0]);
}

#[test]
fn common_neighbours_agree_with_sets() {
    let mut rng = Streams::new(4, 0).rng(Purpose::Network, SETUP_STEP, 1);
    let mut sorted_list = |max_len: u64| -> Vec<AgentId> {
        let len = rng.below(max_len + 1);
        let set: BTreeSet<AgentId> = (0..len).map(|_| rng.below(400) as AgentId).collect();
        set.into_iter().collect()
    };
    let common = |a: &[AgentId], b: &[AgentId]| {
        let mut found = Vec::new();
        let count = for_each_common(a, b, |x| found.push(x));
        assert_eq!(count, found.len() as u64);
        found
    };
    for _ in 0..300 {
        // Short against long exercises the search branch, similar lengths the merge.
        let (short, long, other) = (sorted_list(12), sorted_list(300), sorted_list(300));
        for (a, b) in [(&short, &long), (&long, &short), (&other, &long)] {
            let want: Vec<AgentId> = a
                .iter()
                .copied()
                .filter(|x| b.binary_search(x).is_ok())
                .collect();
            assert_eq!(common(a, b), want);
        }
    }
}

#[test]
fn per_subset_clustering_agrees_with_whole_graph() {
    // triangles_at (one agent, every corner) against triangles (each triangle once).
    let mut rng = Streams::new(6, 0).rng(Purpose::Network, SETUP_STEP, 0);
    for g in [
        random_graph(300, 0.05, 5),
        graph(400, &barabasi_albert(400, 4, &mut rng).unwrap()),
    ] {
        let everyone: Vec<AgentId> = (0..g.agent_count() as AgentId).collect();
        assert_eq!(
            average_clustering_of(&g, &everyone).to_bits(),
            average_clustering(&g).to_bits()
        );
        let per_agent = local_clustering(&g);
        for agent in [0, 7, 150] {
            assert_eq!(
                average_clustering_of(&g, &[agent]),
                per_agent[agent as usize]
            );
        }
        assert!(average_clustering(&g) > 0.0);
    }
}

#[test]
fn triangles_agree_with_brute_force() {
    for seed in 0..3 {
        let g = random_graph(60, 0.2, seed);
        let n = g.agent_count() as AgentId;
        let mut want = vec![0u64; n as usize];
        for a in 0..n {
            for b in a + 1..n {
                for c in b + 1..n {
                    if g.has_tie(a, b) && g.has_tie(b, c) && g.has_tie(a, c) {
                        for x in [a, b, c] {
                            want[x as usize] += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(triangles(&g), want);
    }
}

/// Distances and shortest-path counts from every agent, by plain BFS.
fn all_pairs(g: &Graph) -> (Vec<Vec<u32>>, Vec<Vec<f64>>) {
    let n = g.agent_count();
    let mut distance = vec![vec![u32::MAX; n]; n];
    let mut paths = vec![vec![0.0; n]; n];
    for s in 0..n {
        distance[s][s] = 0;
        paths[s][s] = 1.0;
        let mut frontier = vec![s as AgentId];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for &v in &frontier {
                for &w in g.neighbours(v) {
                    let (dv, w) = (distance[s][v as usize], w as usize);
                    if distance[s][w] == u32::MAX {
                        distance[s][w] = dv + 1;
                        next.push(w as AgentId);
                    }
                    if distance[s][w] == dv + 1 {
                        paths[s][w] += paths[s][v as usize];
                    }
                }
            }
            frontier = next;
        }
    }
    (distance, paths)
}

#[test]
fn betweenness_agrees_with_its_definition() {
    // Raw betweenness of v: Σ over pairs s < t (both ≠ v) of σ_st(v) / σ_st, where
    // σ_st(v) = σ_sv · σ_vt when d(s, v) + d(v, t) = d(s, t).
    for (g, name) in [
        (random_graph(40, 0.08, 1), "sparse"),
        (random_graph(30, 0.3, 2), "dense"),
    ] {
        let n = g.agent_count();
        let (d, sigma) = all_pairs(&g);
        let mut want = vec![0.0; n];
        for s in 0..n {
            for t in s + 1..n {
                if d[s][t] == u32::MAX {
                    continue;
                }
                for v in (0..n).filter(|&v| v != s && v != t && d[s][v] != u32::MAX) {
                    if d[s][v] + d[v][t] == d[s][t] {
                        want[v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
                    }
                }
            }
        }
        let got = betweenness_centrality(&g, false);
        for v in 0..n {
            assert!(
                (got[v] - want[v]).abs() <= 1e-9 * want[v].max(1.0),
                "{name} agent {v}"
            );
        }
    }
}

#[test]
fn parallel_results_are_identical_on_one_and_three_threads() {
    let mut rng = Streams::new(8, 0).rng(Purpose::Network, SETUP_STEP, 0);
    let g = graph(1500, &barabasi_albert(1500, 3, &mut rng).unwrap());
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let bc = betweenness_centrality(&g, true);
            (
                local_clustering(&g),
                average_clustering(&g),
                transitivity(&g),
                bc,
            )
        })
    };
    let (one, three) = (run(1), run(3));
    assert_eq!(one.0, three.0);
    assert_eq!(one.1.to_bits(), three.1.to_bits());
    assert_eq!(one.2.to_bits(), three.2.to_bits());
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one.3), bits(&three.3));
    assert!(one.1 > 0.0 && one.3.iter().any(|&b| b > 0.0));
}
