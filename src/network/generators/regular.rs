//! Networks where every agent has the same degree: random regular graphs (Santos & Pacheco's
//! homogeneous control) and the complete graph (a well-mixed population).
//!
//! Owns: the two generators and their limits. Must never: draw other than from the
//! generator handed in, or depend on hash-map iteration order.

use super::{Edge, GeneratorError, check_agent_count, ordered};
use crate::engine::streams::Draw;
use crate::network::graph::AgentId;
use rand::Rng;
use std::collections::HashSet;

/// Most ties [`complete`] builds: a complete graph of about 4,500 agents. Beyond that a
/// well-mixed population is better modelled by other means than 10⁷ ties.
pub const MAX_COMPLETE_TIES: u64 = 10_000_000;

/// Most ties [`random_regular`] builds, as for [`complete`]: the pairing keeps every stub and
/// every tie in a hash set while it draws, several times the bytes per tie of the finished
/// graph, which other generators never hold. (What a run of the finished graph needs is
/// checked separately, before the run: `crate::memory`.)
pub const MAX_REGULAR_TIES: u64 = MAX_COMPLETE_TIES;

/// Restarts of [`random_regular`] before it gives up. For degree d ≪ n a pairing almost
/// never fails (each attempt succeeds with probability close to 1), so reaching this limit
/// means the parameters leave almost no simple graph to find.
const MAX_ATTEMPTS: usize = 1000;

/// Every pair of `0..n` tied: n(n − 1)/2 ties, at most [`MAX_COMPLETE_TIES`].
pub fn complete(n: usize) -> Result<Vec<Edge>, GeneratorError> {
    check_agent_count(n)?;
    let ties = n as u64 * (n as u64).saturating_sub(1) / 2;
    if ties > MAX_COMPLETE_TIES {
        return Err(GeneratorError::TooManyTies {
            n,
            ties,
            max: MAX_COMPLETE_TIES,
        });
    }
    let mut edges = Vec::with_capacity(ties as usize);
    for high in 0..n as AgentId {
        edges.extend((0..high).map(|low| (low, high)));
    }
    Ok(edges)
}

/// A random `degree`-regular simple graph on `0..n` (every agent has exactly `degree`
/// ties, no self-ties, no double ties), as networkx's `random_regular_graph(d, n)`: the
/// pairing of Steger & Wormald. Each agent holds `degree` stubs; the free stubs are shuffled
/// and paired in order; a pair that would make a self-tie or a double tie is put back; the
/// stubs put back are shuffled and paired again until none is left. If the stubs left can
/// no longer make any valid pair, the attempt starts over (at most [`MAX_ATTEMPTS`] times).
/// Requires n·`degree` even, `degree` < n (or `degree` = 0) and n·`degree`/2 at most
/// [`MAX_REGULAR_TIES`]. Ties come back sorted.
pub fn random_regular(
    n: usize,
    degree: usize,
    rng: &mut impl Rng,
) -> Result<Vec<Edge>, GeneratorError> {
    check_agent_count(n)?;
    if (n * degree) % 2 != 0 || (degree >= n && degree > 0) {
        return Err(GeneratorError::RegularDegree { n, degree });
    }
    let ties = n as u64 * degree as u64 / 2;
    if ties > MAX_REGULAR_TIES {
        return Err(GeneratorError::TooManyRegularTies {
            n,
            degree,
            ties,
            max: MAX_REGULAR_TIES,
        });
    }
    for _ in 0..MAX_ATTEMPTS {
        if let Some(mut edges) = try_pairing(n, degree, rng) {
            edges.sort_unstable();
            return Ok(edges);
        }
    }
    Err(GeneratorError::RegularDegree { n, degree })
}

/// One attempt of the pairing; `None` when the stubs left cannot be paired.
fn try_pairing(n: usize, degree: usize, rng: &mut impl Rng) -> Option<Vec<Edge>> {
    let mut stubs: Vec<AgentId> = (0..n as AgentId)
        .flat_map(|agent| std::iter::repeat_n(agent, degree))
        .collect();
    let mut edges: Vec<Edge> = Vec::with_capacity(n * degree / 2);
    let mut tied: HashSet<Edge> = HashSet::with_capacity(n * degree / 2);
    while !stubs.is_empty() {
        rng.shuffle(&mut stubs);
        let mut left = Vec::new();
        for pair in stubs.chunks_exact(2) {
            let edge = ordered(pair[0], pair[1]);
            if pair[0] != pair[1] && tied.insert(edge) {
                edges.push(edge);
            } else {
                left.extend_from_slice(pair);
            }
        }
        if !left.is_empty() && !can_pair(&left, &tied) {
            return None;
        }
        stubs = left;
    }
    Some(edges)
}

/// Whether two of the `stubs` belong to different agents not yet tied.
fn can_pair(stubs: &[AgentId], tied: &HashSet<Edge>) -> bool {
    let mut agents = stubs.to_vec();
    agents.sort_unstable();
    agents.dedup();
    agents.iter().enumerate().any(|(i, &a)| {
        agents[i + 1..]
            .iter()
            .any(|&b| !tied.contains(&ordered(a, b)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::streams::{Purpose, SETUP_STEP, Streams};

    fn rng(seed: u64) -> rand_chacha::ChaCha8Rng {
        Streams::new(seed, 0).rng(Purpose::Network, SETUP_STEP, 0)
    }

    #[test]
    fn every_agent_has_the_degree_and_ties_are_simple() {
        for (n, degree, seed) in [
            (10_000, 4, 1),
            (50, 3, 2),
            (7, 6, 3),
            (12, 11, 4),
            (9, 0, 5),
        ] {
            let edges = random_regular(n, degree, &mut rng(seed)).expect("builds");
            assert_eq!(edges.len(), n * degree / 2);
            let mut degrees = vec![0usize; n];
            for &(a, b) in &edges {
                assert!(a < b, "ordered, no self-tie: ({a}, {b})");
                degrees[a as usize] += 1;
                degrees[b as usize] += 1;
            }
            assert!(
                degrees.iter().all(|&d| d == degree),
                "n = {n}, d = {degree}"
            );
            let mut unique = edges.clone();
            unique.dedup();
            assert_eq!(unique.len(), edges.len(), "no double ties");
        }
    }

    #[test]
    fn same_stream_same_graph_other_stream_other_graph() {
        let a = random_regular(1000, 4, &mut rng(7)).unwrap();
        assert_eq!(a, random_regular(1000, 4, &mut rng(7)).unwrap());
        assert_ne!(a, random_regular(1000, 4, &mut rng(8)).unwrap());
    }

    #[test]
    fn impossible_degrees_are_refused() {
        assert!(matches!(
            random_regular(5, 3, &mut rng(1)),
            Err(GeneratorError::RegularDegree { n: 5, degree: 3 })
        ));
        assert!(random_regular(4, 4, &mut rng(1)).is_err());
        assert!(matches!(
            random_regular(100_000, 50_000, &mut rng(1)),
            Err(GeneratorError::TooManyRegularTies {
                ties: 2_500_000_000,
                ..
            })
        ));
    }

    #[test]
    fn complete_graph_ties_every_pair_once() {
        let edges = complete(5).unwrap();
        assert_eq!(edges.len(), 10);
        assert!(edges.contains(&(0, 4)) && edges.contains(&(3, 4)));
        assert!(complete(1).unwrap().is_empty());
        assert!(matches!(
            complete(5000),
            Err(GeneratorError::TooManyTies { n: 5000, .. })
        ));
    }
}
