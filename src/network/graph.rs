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
        let targets = directed.into_iter().map(|(_, b)| b).collect();
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

    /// A new graph with `removed` ties taken out, `added` ties put in (both as unordered
    /// pairs, duplicates and already-present or absent ties ignored) and the agent count
    /// grown to `agent_count` (never shrunk). Returns the graph and, for every view of it,
    /// the view of `self` it continues ([`NEW_VIEW`] for a new tie). A pair in both lists is
    /// removed and then added again: it comes back as a new tie. Kept views keep their
    /// order: their origins increase with their new index (what [`carry_over`] relies on).
    /// `self` is consumed, and freed before the new graph's reverse views are made.
    pub fn rebuild(
        self,
        removed: &[(AgentId, AgentId)],
        added: &[(AgentId, AgentId)],
        agent_count: usize,
    ) -> (Graph, Vec<ViewOrigin>) {
        assert!(
            agent_count >= self.agent_count(),
            "agents are never removed"
        );
        let removed = directed_sorted(removed);
        let added = directed_sorted(added);
        let mut offsets = Vec::with_capacity(agent_count + 1);
        let mut targets = Vec::with_capacity(self.targets.len() + added.len());
        let mut origins = Vec::with_capacity(self.targets.len() + added.len());
        offsets.push(0);
        let (mut next_removed, mut next_added) = (0usize, 0usize);
        for i in 0..agent_count as AgentId {
            let old_views = if (i as usize) < self.agent_count() {
                self.views(i)
            } else {
                0..0
            };
            let row_removed = take_row(&removed, &mut next_removed, i);
            let row_added = take_row(&added, &mut next_added, i);
            merge_row(
                &self.targets,
                old_views,
                row_removed,
                row_added,
                &mut targets,
                &mut origins,
            );
            offsets.push(targets.len());
        }
        drop(self);
        (Graph::with_reverse(offsets, targets), origins)
    }
}

/// Rearranges per-view `values` of an old graph into the order of the graph [`Graph::rebuild`]
/// made, in place: the value of every kept view moves to its new index (`values[v] =
/// old values[origins[v]]`), and `values` gets the new length. The slots of new views
/// ([`NEW_VIEW`]) hold unspecified values: the caller sets each of them.
///
/// In place, so the old and the new per-view arrays are never held at once. Kept views keep
/// their order, so the views moving toward the front can be moved front to back and those
/// moving toward the back, back to front, without either overwriting a value not yet moved.
pub fn carry_over<T: Copy + Default>(values: &mut Vec<T>, origins: &[ViewOrigin]) {
    let new_len = origins.len();
    debug_assert!(
        origins
            .iter()
            .filter(|&&o| o != NEW_VIEW)
            .is_sorted_by(|a, b| a < b),
        "kept views keep their order"
    );
    if new_len > values.len() {
        values.reserve_exact(new_len - values.len());
        values.resize(new_len, T::default());
    }
    for (v, &origin) in origins.iter().enumerate() {
        if origin != NEW_VIEW && origin as usize >= v {
            values[v] = values[origin as usize];
        }
    }
    for (v, &origin) in origins.iter().enumerate().rev() {
        if origin != NEW_VIEW && (origin as usize) < v {
            values[v] = values[origin as usize];
        }
    }
    values.truncate(new_len);
}

/// Both orientations of every pair, sorted, without self-loops or duplicates.
fn directed_sorted(pairs: &[(AgentId, AgentId)]) -> Vec<(AgentId, AgentId)> {
    let mut directed: Vec<(AgentId, AgentId)> = pairs
        .iter()
        .filter(|(a, b)| a != b)
        .flat_map(|&(a, b)| [(a, b), (b, a)])
        .collect();
    directed.sort_unstable();
    directed.dedup();
    directed
}

/// The targets of the entries of `sorted` whose source is `row`, advancing `cursor`.
fn take_row<'a>(
    sorted: &'a [(AgentId, AgentId)],
    cursor: &mut usize,
    row: AgentId,
) -> &'a [(AgentId, AgentId)] {
    let start = *cursor;
    while *cursor < sorted.len() && sorted[*cursor].0 == row {
        *cursor += 1;
    }
    &sorted[start..*cursor]
}

/// Appends one row of the rebuilt graph: the old row minus `removed`, merged with `added`.
fn merge_row(
    old_targets: &[AgentId],
    old_views: Range<usize>,
    removed: &[(AgentId, AgentId)],
    added: &[(AgentId, AgentId)],
    targets: &mut Vec<AgentId>,
    origins: &mut Vec<ViewOrigin>,
) {
    let mut removed = removed.iter().map(|&(_, b)| b).peekable();
    let mut added = added.iter().map(|&(_, b)| b).peekable();
    let mut kept = old_views
        .filter(|&v| {
            let target = old_targets[v];
            while removed.peek().is_some_and(|&r| r < target) {
                removed.next();
            }
            removed.peek() != Some(&target)
        })
        .peekable();
    loop {
        let old_next = kept.peek().map(|&v| old_targets[v]);
        match (old_next, added.peek().copied()) {
            (None, None) => break,
            (Some(old), Some(new)) if new < old => {
                targets.push(new);
                origins.push(NEW_VIEW);
                added.next();
            }
            (Some(old), new) => {
                if new == Some(old) {
                    added.next(); // already tied: keep the old view
                }
                let view = kept.next().expect("peeked");
                targets.push(old);
                origins.push(view as u32);
            }
            (None, Some(new)) => {
                targets.push(new);
                origins.push(NEW_VIEW);
                added.next();
            }
        }
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

    /// What `carry_over` must equal: a fresh array filled from the old one.
    fn carried_by_copy(old: &[u64], origins: &[ViewOrigin]) -> Vec<Option<u64>> {
        origins
            .iter()
            .map(|&o| (o != NEW_VIEW).then(|| old[o as usize]))
            .collect()
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
