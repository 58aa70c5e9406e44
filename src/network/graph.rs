//! The tie structure: an undirected simple graph stored as directed *views* in CSR form.
//!
//! Owns: which agents are tied, the position of every view i→j in the per-view arrays, and
//! the index of its reverse view j→i. Neighbour lists are sorted by agent id, so a view is
//! found by binary search and common neighbours by a merge.
//! Must never: hold trust, strength or any other view state (the model keeps those in
//! arrays parallel to [`Graph::targets`]); when the structure changes, [`Graph::rebuild`]
//! says where each new view came from so the owner of that state can carry it over.
//!
//! Invariants relied on elsewhere: no self-loops, no duplicate ties; i has j as neighbour iff
//! j has i; `reverse(reverse(v)) == v`; views of agent i are the contiguous range
//! `offsets[i]..offsets[i + 1]`, ordered by neighbour id.

use rayon::prelude::*;
use std::ops::Range;

mod rebuild;
pub use rebuild::carry_over;

/// Dense id of an agent: its index in every per-agent array.
pub type AgentId = u32;

/// An undirected simple graph over agents `0..agent_count`, as CSR directed views.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    offsets: Vec<usize>,
    targets: Vec<AgentId>,
    reverse: Vec<u32>,
}

/// Where a view of a rebuilt graph came from: the index of the view of the old graph it
/// continues, or [`NEW_VIEW`] for a new tie. A `u32` with a sentinel rather than an
/// `Option<u32>`: 4 bytes per view instead of 8, at the moment a rebuild holds the most.
pub type ViewOrigin = u32;

/// The origin of a view of a new tie. Never a view index: a graph has fewer than
/// `u32::MAX` views.
pub const NEW_VIEW: ViewOrigin = u32::MAX;

impl Graph {
    /// A graph of `agent_count` agents and the given undirected edges. Self-loops are
    /// dropped and duplicates (in either orientation) merged, as networkx's `Graph` does.
    ///
    /// # Panics
    /// If an endpoint is `>= agent_count` (callers validate imported data first), or if the
    /// graph would have 2^32 views or more.
    pub fn from_edges(agent_count: usize, edges: &[(AgentId, AgentId)]) -> Graph {
        let mut directed: Vec<(AgentId, AgentId)> = Vec::with_capacity(edges.len() * 2);
        for &(a, b) in edges {
            assert!(
                (a as usize) < agent_count && (b as usize) < agent_count,
                "edge ({a}, {b}) outside 0..{agent_count}"
            );
            if a != b {
                directed.push((a, b));
                directed.push((b, a));
            }
        }
        directed.par_sort_unstable();
        directed.dedup();
        let mut offsets = vec![0usize; agent_count + 1];
        for &(a, _) in &directed {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..agent_count {
            offsets[i + 1] += offsets[i];
        }
        // Collected in place into the pairs' buffer, twice the size needed: give the rest
        // back (a million-agent school holds 46 MB less until its first rebuild).
        let mut targets: Vec<AgentId> = directed.into_iter().map(|(_, b)| b).collect();
        targets.shrink_to_fit();
        Graph::with_reverse(offsets, targets)
    }

    /// Completes a graph from sorted, symmetric rows by pairing every view with its
    /// reverse in one pass: walking agents i in increasing order, the views j→i of the
    /// higher neighbours j of i are met in increasing i within each row j, so one cursor
    /// per row finds them without searching (O(views)).
    fn with_reverse(offsets: Vec<usize>, targets: Vec<AgentId>) -> Graph {
        assert!(targets.len() < u32::MAX as usize, "too many tie views");
        let agent_count = offsets.len().saturating_sub(1);
        let mut reverse = vec![0u32; targets.len()];
        // cursor[j]: the next view of row j toward a lower id not yet paired.
        let mut cursor: Vec<usize> = offsets[..agent_count].to_vec();
        for i in 0..agent_count {
            for view in offsets[i]..offsets[i + 1] {
                let j = targets[view] as usize;
                if j > i {
                    let back = cursor[j];
                    debug_assert_eq!(targets[back] as usize, i, "rows are sorted and symmetric");
                    cursor[j] += 1;
                    reverse[view] = back as u32;
                    reverse[back] = view as u32;
                }
            }
        }
        Graph {
            offsets,
            targets,
            reverse,
        }
    }

    /// Number of agents (nodes), including agents without ties.
    pub fn agent_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of directed views (twice the number of ties).
    pub fn view_count(&self) -> usize {
        self.targets.len()
    }

    /// Number of undirected ties.
    pub fn tie_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// The CSR offsets: views of agent i are `offsets[i]..offsets[i + 1]`.
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// The far end of every view, in view order.
    pub fn targets(&self) -> &[AgentId] {
        &self.targets
    }

    /// The range of view indices of agent `agent`.
    #[inline]
    pub fn views(&self, agent: AgentId) -> Range<usize> {
        self.offsets[agent as usize]..self.offsets[agent as usize + 1]
    }

    /// Neighbours of `agent`, sorted by id.
    #[inline]
    pub fn neighbours(&self, agent: AgentId) -> &[AgentId] {
        &self.targets[self.views(agent)]
    }

    /// Number of ties of `agent`.
    #[inline]
    pub fn degree(&self, agent: AgentId) -> usize {
        self.offsets[agent as usize + 1] - self.offsets[agent as usize]
    }

    /// The view j→i of view i→j.
    #[inline]
    pub fn reverse(&self, view: usize) -> usize {
        self.reverse[view] as usize
    }

    /// The view `from`→`to`, if they are tied (`None` also for unknown agents).
    #[inline]
    pub fn find_view(&self, from: AgentId, to: AgentId) -> Option<usize> {
        if from as usize >= self.agent_count() {
            return None;
        }
        let range = self.views(from);
        self.targets[range.clone()]
            .binary_search(&to)
            .ok()
            .map(|k| range.start + k)
    }

    /// Whether `a` and `b` are tied.
    pub fn has_tie(&self, a: AgentId, b: AgentId) -> bool {
        self.find_view(a, b).is_some()
    }

    /// The subgraph induced by the agents with `keep[i]`, renumbered densely in id order
    /// (so neighbour lists stay sorted and no sorting is needed): O(agents + views).
    pub fn induced(&self, keep: &[bool]) -> Graph {
        let mut new_id = vec![AgentId::MAX; self.agent_count()];
        let mut next = 0;
        for (id, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            new_id[id] = next;
            next += 1;
        }
        let mut offsets = Vec::with_capacity(next as usize + 1);
        let mut targets = Vec::with_capacity(self.targets.len());
        offsets.push(0);
        for (id, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            let row = self
                .neighbours(id as AgentId)
                .iter()
                .filter(|&&j| keep[j as usize]);
            targets.extend(row.map(|&j| new_id[j as usize]));
            offsets.push(targets.len());
        }
        Graph::with_reverse(offsets, targets)
    }

    /// Every undirected tie once, as (low id, high id, view low→high), in id order.
    pub fn ties(&self) -> impl Iterator<Item = (AgentId, AgentId, usize)> + '_ {
        (0..self.agent_count() as AgentId).flat_map(move |i| {
            self.views(i)
                .filter(move |&v| self.targets[v] > i)
                .map(move |v| (i, self.targets[v], v))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_invariants(graph: &Graph) {
        for i in 0..graph.agent_count() as AgentId {
            let row = graph.neighbours(i);
            assert!(
                row.windows(2).all(|w| w[0] < w[1]),
                "row {i} sorted, unique"
            );
            for v in graph.views(i) {
                let j = graph.targets()[v];
                assert_ne!(i, j);
                let back = graph.reverse(v);
                assert_eq!(graph.targets()[back], i);
                assert_eq!(graph.reverse(back), v);
            }
        }
    }

    #[test]
    fn from_edges_merges_duplicates_and_drops_loops() {
        let graph = Graph::from_edges(4, &[(0, 1), (1, 0), (2, 2), (1, 3), (3, 1), (0, 3)]);
        check_invariants(&graph);
        assert_eq!(graph.tie_count(), 3);
        assert_eq!(graph.neighbours(1), &[0, 3]);
        assert_eq!(graph.degree(2), 0);
        let ties: Vec<_> = graph.ties().map(|(a, b, _)| (a, b)).collect();
        assert_eq!(ties, vec![(0, 1), (0, 3), (1, 3)]);
    }

    #[test]
    fn induced_subgraphs_renumber_in_order() {
        let graph = Graph::from_edges(5, &[(0, 1), (1, 2), (2, 3), (3, 4), (0, 4), (1, 3)]);
        let sub = graph.induced(&[true, false, true, true, true]);
        check_invariants(&sub);
        let ties: Vec<_> = sub.ties().map(|(a, b, _)| (a, b)).collect();
        // kept 0, 2, 3, 4 become 0, 1, 2, 3; ties 2-3, 3-4, 0-4 survive
        assert_eq!(ties, vec![(0, 3), (1, 2), (2, 3)]);
    }

    #[test]
    fn rebuild_keeps_origins_and_invariants() {
        let graph = Graph::from_edges(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let (next, origins) =
            graph
                .clone()
                .rebuild(&[(2, 1), (0, 4)], &[(0, 2), (4, 0), (3, 2), (5, 0)], 6);
        check_invariants(&next);
        assert_eq!(next.agent_count(), 6);
        let ties: Vec<_> = next.ties().map(|(a, b, _)| (a, b)).collect();
        assert_eq!(ties, vec![(0, 1), (0, 2), (0, 4), (0, 5), (2, 3), (3, 4)]);
        for i in 0..next.agent_count() as AgentId {
            for v in next.views(i) {
                let j = next.targets()[v];
                match origins[v] {
                    NEW_VIEW => {
                        assert!(!graph.has_tie(i, j) || (i.min(j), i.max(j)) == (0, 4))
                    }
                    old => {
                        assert_eq!(graph.targets()[old as usize], j);
                        assert!(graph.views(i).contains(&(old as usize)));
                    }
                }
            }
        }
        // (0,4) was absent: "removed" is ignored, "added" makes it new.
        assert_eq!(origins[next.find_view(0, 4).unwrap()], NEW_VIEW);
        // (2,3) was present and re-added: it keeps its old view.
        assert_ne!(origins[next.find_view(2, 3).unwrap()], NEW_VIEW);
    }

    /// The graph and origins a rebuild must give, made the slow way: the new tie set built
    /// from scratch, and each view's origin looked up in the old graph.
    fn rebuilt_from_scratch(
        old: &Graph,
        removed: &[(AgentId, AgentId)],
        added: &[(AgentId, AgentId)],
        agent_count: usize,
    ) -> (Graph, Vec<ViewOrigin>) {
        let key = |(a, b): (AgentId, AgentId)| (a.min(b), a.max(b));
        let removed: std::collections::HashSet<_> = removed.iter().map(|&p| key(p)).collect();
        let added: std::collections::HashSet<_> = added.iter().map(|&p| key(p)).collect();
        let mut edges: Vec<_> = (old.ties().map(|(a, b, _)| (a, b)))
            .filter(|p| !removed.contains(p))
            .collect();
        edges.extend(added.iter().copied());
        let graph = Graph::from_edges(agent_count, &edges);
        let mut origins = Vec::new();
        for i in 0..agent_count as AgentId {
            for &j in graph.neighbours(i) {
                let renewed = removed.contains(&key((i, j)));
                let before = old.find_view(i, j).filter(|_| !renewed);
                origins.push(before.map_or(NEW_VIEW, |v| v as ViewOrigin));
            }
        }
        (graph, origins)
    }

    #[test]
    fn rebuild_in_blocks_equals_a_graph_made_from_scratch_on_any_thread_count() {
        use crate::engine::streams::{Purpose, SETUP_STEP, Streams};
        use rand::RngExt;
        let mut rng = Streams::new(7, 0).rng(Purpose::Network, SETUP_STEP, 0);
        // Over the parallel threshold, with many blocks; agents 5000.. arrive.
        let (before, after) = (5000u32, 5300u32);
        let mut pairs = |n: usize, agents: u32| -> Vec<(AgentId, AgentId)> {
            (0..n)
                .map(|_| (rng.random_range(0..agents), rng.random_range(0..agents)))
                .collect()
        };
        let graph = Graph::from_edges(before as usize, &pairs(30_000, before));
        let mut removed: Vec<_> = graph.ties().step_by(7).map(|(a, b, _)| (b, a)).collect();
        removed.extend(pairs(300, before)); // mostly absent: ignored
        let mut added = pairs(2_000, after); // some already tied, some to newcomers
        added.extend(removed.iter().step_by(5).copied()); // removed and added: new again
        let (want, want_origins) = rebuilt_from_scratch(&graph, &removed, &added, after as usize);
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let (got, origins) =
                pool.install(|| graph.clone().rebuild(&removed, &added, after as usize));
            check_invariants(&got);
            assert_eq!(got, want, "{threads} threads");
            assert_eq!(origins, want_origins, "{threads} threads");
        }
    }

    /// What `carry_over` must equal: a fresh array filled from the old one.
    fn carried_by_copy(old: &[u64], origins: &[ViewOrigin]) -> Vec<Option<u64>> {
        origins
            .iter()
            .map(|&o| (o != NEW_VIEW).then(|| old[o as usize]))
            .collect()
    }

    #[test]
    fn carry_over_equals_a_copy_when_runs_cross_the_chunks_runs_are_found_in() {
        // 100,000 views, so runs are found in two chunks; ties removed near the front and
        // added near the back move views both ways across the chunk boundary.
        let ring: Vec<_> = (0..50_000).map(|i| (i, (i + 1) % 50_000)).collect();
        let graph = Graph::from_edges(50_000, &ring);
        let removed: Vec<_> = (0..40).map(|i| (i * 7, i * 7 + 1)).collect();
        let added: Vec<_> = (0..300).map(|i| (40_000 + i, 45_000 - i)).collect();
        let old: Vec<u64> = (0..graph.view_count() as u64).collect();
        let (_, origins) = graph.rebuild(&removed, &added, 50_001);
        let mut values = old.clone();
        carry_over(&mut values, &origins);
        for (v, want) in carried_by_copy(&old, &origins).iter().enumerate() {
            if let Some(want) = want {
                assert_eq!(values[v], *want, "view {v}");
            }
        }
    }

    #[test]
    fn carry_over_in_place_equals_a_copy_when_views_move_both_ways() {
        // A ring of 12; agent 0 loses ties and agent 6 gains some, so views before agent 6
        // move toward the front and views after it toward the back; agents 12 and 13 arrive.
        let ring: Vec<_> = (0..12).map(|i| (i, (i + 1) % 12)).collect();
        let graph = Graph::from_edges(12, &ring);
        type Pairs = &'static [(AgentId, AgentId)];
        let cases: [(Pairs, Pairs, usize); 4] = [
            (
                &[(0, 1), (0, 11)],
                &[(6, 1), (6, 3), (6, 9), (6, 12), (13, 2)],
                14,
            ),
            (&[(0, 1), (3, 4), (7, 8), (10, 11)], &[], 12),
            (&[], &[(0, 5), (2, 9), (11, 4)], 12),
            (&[(5, 6)], &[(5, 6)], 12), // removed and added again: a new tie
        ];
        for (removed, added, agents) in cases {
            let old: Vec<u64> = (0..graph.view_count() as u64).map(|v| 100 + v).collect();
            let (next, origins) = graph.clone().rebuild(removed, added, agents);
            let mut values = old.clone();
            carry_over(&mut values, &origins);
            assert_eq!(values.len(), next.view_count());
            let expected = carried_by_copy(&old, &origins);
            for (v, want) in expected.iter().enumerate() {
                if let Some(want) = want {
                    assert_eq!(values[v], *want, "view {v}, case {removed:?} {added:?}");
                }
            }
        }
    }
}
