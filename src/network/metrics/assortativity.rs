//! Degree assortativity (Newman 2003, eq. 21; networkx `degree_assortativity_coefficient`).
//!
//! Owns: Newman's r, the Pearson correlation of the degrees at the two ends of a tie, each
//! tie counted in both directions. Over the 2m tie views (u → v), with x = d(u) and
//! y = d(v), the sums N = 2m, Sx = Σ x = Σ_u d(u)², Sxx = Σ x² = Σ_u d(u)³ and
//! Sxy = Σ x·y are integers, and
//!
//! ```text
//! r = (N·Sxy − Sx²) / (N·Sxx − Sx²)
//! ```
//!
//! (the y sums equal the x sums because every view has its reverse). networkx builds the
//! normalised degree-mixing matrix e and computes Σ xy(e_xy − a_x b_y) / (σ_a σ_b) in
//! floating point, the same quantity; we keep every sum exact (in `i128`) and round once
//! when dividing, so the two agree to networkx's own rounding error.
//! Must never: add floats in an order that depends on threads (it adds no floats at all).

use crate::network::graph::{AgentId, Graph};

/// Newman's degree assortativity r, in [−1, 1] (networkx
/// `degree_assortativity_coefficient(G)`): positive when agents with many ties are tied to
/// each other, negative when they are tied to agents with few.
///
/// NaN when undefined, as networkx (which also warns of a division by zero): when every
/// agent with ties has the same degree (a cycle, a complete graph, a periodic lattice: the
/// variance of degrees at tie ends is 0) and when there is no tie. O(n + m).
pub fn degree_assortativity_coefficient(graph: &Graph) -> f64 {
    let (mut views, mut sum_x, mut sum_xx, mut sum_xy) = (0i128, 0i128, 0i128, 0i128);
    for agent in 0..graph.agent_count() as AgentId {
        let degree = graph.degree(agent) as i128;
        let neighbour_degrees: u64 = (graph.neighbours(agent).iter())
            .map(|&other| graph.degree(other) as u64)
            .sum();
        views += degree;
        sum_x += degree * degree;
        sum_xx += degree * degree * degree;
        sum_xy += degree * i128::from(neighbour_degrees);
    }
    let covariance = views * sum_xy - sum_x * sum_x; // N² × cov(x, y)
    let variance = views * sum_xx - sum_x * sum_x; // N² × var(x) = N² × var(y)
    if variance == 0 {
        return f64::NAN;
    }
    covariance as f64 / variance as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::streams::{Purpose, SETUP_STEP, Streams};
    use crate::network::generators::{barabasi_albert, erdos_renyi, watts_strogatz};

    fn graph(n: usize, edges: &[(AgentId, AgentId)]) -> Graph {
        Graph::from_edges(n, edges)
    }

    /// Pearson's r of (d(u), d(v)) over every tie view, in floating point, from the
    /// textbook definition (means first, then centred sums).
    fn pearson_over_views(g: &Graph) -> f64 {
        let pairs: Vec<(f64, f64)> = (0..g.agent_count() as AgentId)
            .flat_map(|u| {
                (g.neighbours(u).iter()).map(move |&v| (g.degree(u) as f64, g.degree(v) as f64))
            })
            .collect();
        let n = pairs.len() as f64;
        let mean_x = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let mean_y = pairs.iter().map(|p| p.1).sum::<f64>() / n;
        let cov: f64 = pairs.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
        let var_x: f64 = pairs.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
        let var_y: f64 = pairs.iter().map(|p| (p.1 - mean_y).powi(2)).sum();
        cov / (var_x * var_y).sqrt()
    }

    #[test]
    fn paths_and_stars_by_hand() {
        // Path 0–1–2–3: views (1,2)×2, (2,1)×2, (2,2)×2; N = 6, Sx = 10, Sxx = 18, Sxy = 16:
        // (6·16 − 100) / (6·18 − 100) = −4/8.
        assert_eq!(
            degree_assortativity_coefficient(&graph(4, &[(0, 1), (1, 2), (2, 3)])),
            -0.5
        );
        // A star: every tie joins the centre (degree k) to a leaf (degree 1): r = −1.
        for leaves in [2, 3, 10] {
            let edges: Vec<_> = (1..=leaves).map(|leaf| (0, leaf)).collect();
            let star = graph(leaves as usize + 1, &edges);
            assert_eq!(degree_assortativity_coefficient(&star), -1.0, "{leaves}");
        }
        // A triangle and a separate tie: ends always have equal degrees, r = 1.
        let g = graph(5, &[(0, 1), (1, 2), (0, 2), (3, 4)]);
        assert_eq!(degree_assortativity_coefficient(&g), 1.0);
    }

    #[test]
    fn regular_graphs_and_graphs_without_ties_are_undefined() {
        let cycle: Vec<_> = (0..6).map(|i| (i, (i + 1) % 6)).collect();
        assert!(degree_assortativity_coefficient(&graph(6, &cycle)).is_nan());
        let complete: Vec<_> = (0..5)
            .flat_map(|a| (a + 1..5).map(move |b| (a, b)))
            .collect();
        assert!(degree_assortativity_coefficient(&graph(5, &complete)).is_nan());
        // Isolated agents do not count: the cycle plus two of them is still undefined.
        assert!(degree_assortativity_coefficient(&graph(8, &cycle)).is_nan());
        assert!(degree_assortativity_coefficient(&graph(4, &[])).is_nan());
        assert!(degree_assortativity_coefficient(&Graph::default()).is_nan());
    }

    #[test]
    fn exact_sums_agree_with_the_textbook_pearson_correlation() {
        let rng = |seed| Streams::new(seed, 0).rng(Purpose::Network, SETUP_STEP, 0);
        let graphs = [
            graph(300, &erdos_renyi(300, 0.03, &mut rng(1)).unwrap()),
            graph(500, &barabasi_albert(500, 3, &mut rng(2)).unwrap()),
            graph(200, &watts_strogatz(200, 6, 0.2, &mut rng(3)).unwrap()),
        ];
        for g in &graphs {
            let (exact, textbook) = (degree_assortativity_coefficient(g), pearson_over_views(g));
            assert!(
                (exact - textbook).abs() <= 1e-12,
                "exact {exact}, textbook {textbook}"
            );
            assert!(exact.abs() > 1e-3, "a graph that tests something: {exact}");
        }
    }
}
