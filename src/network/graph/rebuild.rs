//! Rebuilding the graph after a step's tie changes, and carrying per-view state over.
//!
//! Owns: [`Graph::rebuild`] and [`carry_over`]. A rebuild runs in three passes over the
//! engine's fixed agent blocks (`engine::parallel`: boundaries depend on the agent count
//! only): the rows' new lengths, then the rows themselves, then every view's reverse. The
//! result is a pure function of the old graph and the change lists, whatever the thread
//! count: there are no floats and no draws here.
//!
//! Why the reverse views are cheap: a step changes few rows (a few thousand of 100,000 in a
//! school). A kept view i→j whose partner's row j did not change finds its reverse at the
//! same place in row j as before, shifted by where row j now starts; only views into a
//! changed row, and new views, search row j (sorted, so a binary search). An earlier
//! parallel rebuild searched for every view and cost more than a second thread saved
//! (docs/performance.md, "Optimisations that mattered").
//!
//! Memory: at most 16 bytes per view are held at once (old targets and reverse views, new
//! targets and origins; then the old reverse views, new targets, origins and new reverse
//! views), as in the one-pass construction it replaces.
//! Must never: hold or interpret view state; [`carry_over`] moves values it does not read.

use super::{AgentId, Graph, NEW_VIEW, ViewOrigin};
use crate::engine::parallel::{agent_blocks, map_blocks, split_agents, split_views};
use rayon::prelude::*;
use std::ops::Range;

impl Graph {
    /// A new graph with `removed` ties taken out, `added` ties put in (both as unordered
    /// pairs; absent removals and present additions are ignored; self-loops dropped), and
    /// grown to `agent_count` (never shrunk). Returns the graph and, for every view of it,
    /// the view of `self` it continues ([`NEW_VIEW`] for a new tie). A pair in both lists is
    /// removed and then added again: it comes back as a new tie. Kept views keep their
    /// order: their origins increase with their new index (what [`carry_over`] relies on).
    /// `self` is consumed; its targets are freed before the new reverse views are made.
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
        let changes = Changes {
            removed: directed_sorted(removed),
            added: directed_sorted(added),
        };
        let blocks = agent_blocks(agent_count);
        let old = self;
        let offsets = new_offsets(&old, &changes, &blocks, agent_count);
        let (targets, origins) = new_rows(&old, &changes, &blocks, &offsets);
        let Graph {
            offsets: old_offsets,
            targets: old_targets,
            reverse: old_reverse,
        } = old;
        drop(old_targets);
        let moved = OldViews {
            reverse: &old_reverse,
            shift: changes.row_shifts(&old_offsets, &offsets),
        };
        drop(old_offsets);
        let reverse = new_reverse(&moved, &blocks, &offsets, &targets, &origins);
        assert!(targets.len() < u32::MAX as usize, "too many tie views");
        let graph = Graph {
            offsets,
            targets,
            reverse,
        };
        (graph, origins)
    }
}

/// Directed pairs (source, target).
type Pairs = [(AgentId, AgentId)];

/// A step's changes, both orientations of every pair, sorted by (source, target).
struct Changes {
    removed: Vec<(AgentId, AgentId)>,
    added: Vec<(AgentId, AgentId)>,
}

impl Changes {
    /// The entries of both lists whose source is in `rows`.
    fn of_rows(&self, rows: &Range<usize>) -> (&Pairs, &Pairs) {
        let slice = |list: &Pairs| -> Range<usize> {
            let start = list.partition_point(|&(a, _)| (a as usize) < rows.start);
            let end = list.partition_point(|&(a, _)| (a as usize) < rows.end);
            start..end
        };
        let (r, a) = (slice(&self.removed), slice(&self.added));
        (&self.removed[r], &self.added[a])
    }

    /// For every row, how far its views moved, if they moved together: the new start
    /// less the old, or [`ROW_CHANGED`] for a row named by a change (its views may have
    /// moved within it) or new since.
    fn row_shifts(&self, old_offsets: &[usize], offsets: &[usize]) -> Vec<i64> {
        let old_rows = old_offsets.len() - 1;
        let mut shift: Vec<i64> = (0..offsets.len() - 1)
            .map(|j| match old_offsets.get(j) {
                Some(&old_start) if j < old_rows => offsets[j] as i64 - old_start as i64,
                _ => ROW_CHANGED,
            })
            .collect();
        for &(a, _) in self.removed.iter().chain(&self.added) {
            shift[a as usize] = ROW_CHANGED;
        }
        shift
    }
}

/// The shift of a row whose views did not all move together (see [`Changes::row_shifts`]).
const ROW_CHANGED: i64 = i64::MIN;

/// The old graph's parts that the new reverse views are found from.
struct OldViews<'a> {
    reverse: &'a [u32],
    /// Per row of the new graph: [`Changes::row_shifts`].
    shift: Vec<i64>,
}

/// Pass 1: the CSR offsets of the new graph (rows counted per block, then summed in order).
fn new_offsets(
    old: &Graph,
    changes: &Changes,
    blocks: &[Range<usize>],
    agent_count: usize,
) -> Vec<usize> {
    let mut lengths = vec![0usize; agent_count];
    let pieces = split_agents(blocks, &mut lengths);
    let items: Vec<_> = blocks.iter().cloned().zip(pieces).collect();
    map_blocks(agent_count, items, |_, (block, lengths)| {
        let mut rows = RowCursor::new(old, changes, &block);
        for (k, i) in block.enumerate() {
            let row = rows.next(i as AgentId);
            lengths[k] = if row.unchanged() {
                row.old_views.len()
            } else {
                let mut count = 0;
                row.merge(&old.targets, |_, _| count += 1);
                count
            };
        }
    });
    let mut offsets = Vec::with_capacity(agent_count + 1);
    offsets.push(0);
    let mut total = 0;
    for length in lengths {
        total += length;
        offsets.push(total);
    }
    offsets
}

/// Pass 2: every row's targets and origins, written in place per block.
fn new_rows(
    old: &Graph,
    changes: &Changes,
    blocks: &[Range<usize>],
    offsets: &[usize],
) -> (Vec<AgentId>, Vec<ViewOrigin>) {
    let views = *offsets.last().expect("offsets start at 0");
    let mut targets = vec![0 as AgentId; views];
    let mut origins = vec![NEW_VIEW; views];
    let target_pieces = split_views(offsets, blocks, &mut targets);
    let origin_pieces = split_views(offsets, blocks, &mut origins);
    let items: Vec<_> = (blocks.iter().cloned())
        .zip(target_pieces.into_iter().zip(origin_pieces))
        .collect();
    map_blocks(
        offsets.len() - 1,
        items,
        |_, (block, (targets, origins))| {
            let mut rows = RowCursor::new(old, changes, &block);
            let mut at = 0;
            for i in block {
                let row = rows.next(i as AgentId);
                if row.unchanged() {
                    let n = row.old_views.len();
                    targets[at..at + n].copy_from_slice(&old.targets[row.old_views.clone()]);
                    for (slot, view) in origins[at..at + n].iter_mut().zip(row.old_views) {
                        *slot = view as ViewOrigin;
                    }
                    at += n;
                } else {
                    row.merge(&old.targets, |target, origin| {
                        targets[at] = target;
                        origins[at] = origin;
                        at += 1;
                    });
                }
            }
        },
    );
    (targets, origins)
}

/// Pass 3: the reverse of every view (see the module doc for why it is cheap).
fn new_reverse(
    old: &OldViews,
    blocks: &[Range<usize>],
    offsets: &[usize],
    targets: &[AgentId],
    origins: &[ViewOrigin],
) -> Vec<u32> {
    let mut reverse = vec![0u32; targets.len()];
    let pieces = split_views(offsets, blocks, &mut reverse);
    let items: Vec<_> = blocks.iter().cloned().zip(pieces).collect();
    map_blocks(offsets.len() - 1, items, |_, (block, reverse)| {
        let first_view = offsets[block.start];
        for i in block {
            for v in offsets[i]..offsets[i + 1] {
                let j = targets[v] as usize;
                let (origin, shift) = (origins[v], old.shift[j]);
                let back = if origin != NEW_VIEW && shift != ROW_CHANGED {
                    (old.reverse[origin as usize] as i64 + shift) as usize
                } else {
                    let row = &targets[offsets[j]..offsets[j + 1]];
                    let at = row.binary_search(&(i as AgentId));
                    offsets[j] + at.expect("rows are symmetric")
                };
                reverse[v - first_view] = back as u32;
            }
        }
    });
    reverse
}

/// Walks the rows of one block in order, handing out each row's old views and changes.
struct RowCursor<'a> {
    old: &'a Graph,
    removed: &'a Pairs,
    added: &'a Pairs,
}

/// One row to rebuild: its old views and the changes naming it as source.
struct Row<'a> {
    old_views: Range<usize>,
    removed: &'a Pairs,
    added: &'a Pairs,
}

impl<'a> RowCursor<'a> {
    fn new(old: &'a Graph, changes: &'a Changes, block: &Range<usize>) -> RowCursor<'a> {
        let (removed, added) = changes.of_rows(block);
        RowCursor {
            old,
            removed,
            added,
        }
    }

    /// Row `i`; rows must be asked for in increasing order.
    fn next(&mut self, i: AgentId) -> Row<'a> {
        let old_views = if (i as usize) < self.old.agent_count() {
            self.old.views(i)
        } else {
            0..0
        };
        Row {
            old_views,
            removed: take_row(&mut self.removed, i),
            added: take_row(&mut self.added, i),
        }
    }
}

impl Row<'_> {
    fn unchanged(&self) -> bool {
        self.removed.is_empty() && self.added.is_empty()
    }

    /// Emits the new row in order, as (target, origin): the old row minus `removed`,
    /// merged with `added` (an addition already tied keeps its old view).
    fn merge(&self, old_targets: &[AgentId], mut emit: impl FnMut(AgentId, ViewOrigin)) {
        let mut removed = self.removed.iter().map(|&(_, b)| b).peekable();
        let mut added = self.added.iter().map(|&(_, b)| b).peekable();
        let mut kept = (self.old_views.clone())
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
                    emit(new, NEW_VIEW);
                    added.next();
                }
                (Some(old), new) => {
                    if new == Some(old) {
                        added.next(); // already tied: keep the old view
                    }
                    let view = kept.next().expect("peeked");
                    emit(old, view as ViewOrigin);
                }
                (None, Some(new)) => {
                    emit(new, NEW_VIEW);
                    added.next();
                }
            }
        }
    }
}

/// Splits off the front entries of `sorted` whose source is `row`.
fn take_row<'a>(sorted: &mut &'a Pairs, row: AgentId) -> &'a Pairs {
    let n = sorted.iter().take_while(|&&(a, _)| a == row).count();
    let (head, tail) = sorted.split_at(n);
    *sorted = tail;
    head
}

/// Both orientations of every pair, sorted, without self-loops or duplicates.
fn directed_sorted(pairs: &Pairs) -> Vec<(AgentId, AgentId)> {
    let mut directed: Vec<(AgentId, AgentId)> = pairs
        .iter()
        .filter(|(a, b)| a != b)
        .flat_map(|&(a, b)| [(a, b), (b, a)])
        .collect();
    directed.sort_unstable();
    directed.dedup();
    directed
}

/// Rearranges per-view `values` of an old graph into the order of the graph [`Graph::rebuild`]
/// made, in place: the value of every kept view moves to its new index (`values[v] =
/// old values[origins[v]]`), and `values` gets the new length. The slots of new views
/// ([`NEW_VIEW`]) hold unspecified values: the caller sets each of them.
///
/// In place, so the old and the new per-view arrays are never held at once. Kept views keep
/// their order, so the views moving toward the front can be moved front to back and those
/// moving toward the back, back to front, without either overwriting a value not yet moved.
/// Kept views come in long runs of consecutive origins (a step changes few rows), and each
/// run moves as one `copy_within` (a memmove).
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
    let runs = runs_of_kept_views(origins);
    for run in runs.iter().filter(|run| run.from >= run.to) {
        values.copy_within(run.from..run.from + run.len, run.to);
    }
    for run in runs.iter().rev().filter(|run| run.from < run.to) {
        values.copy_within(run.from..run.from + run.len, run.to);
    }
    values.truncate(new_len);
}

/// Consecutive new views whose origins are consecutive too.
struct Run {
    /// First old index.
    from: usize,
    /// First new index.
    to: usize,
    len: usize,
}

/// Views whose runs are found by one task: runs are found in parallel (a run that crosses
/// a chunk boundary becomes two runs, which move the same way).
const RUN_CHUNK: usize = 1 << 16;

fn runs_of_kept_views(origins: &[ViewOrigin]) -> Vec<Run> {
    let chunks: Vec<Vec<Run>> = origins
        .par_chunks(RUN_CHUNK)
        .enumerate()
        .map(|(k, chunk)| runs_in(chunk, k * RUN_CHUNK))
        .collect();
    chunks.into_iter().flatten().collect()
}

/// The runs of `origins`, whose first entry is new view `first`.
fn runs_in(origins: &[ViewOrigin], first: usize) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (v, &origin) in (first..).zip(origins) {
        if origin == NEW_VIEW {
            continue;
        }
        let origin = origin as usize;
        match runs.last_mut() {
            Some(run) if run.to + run.len == v && run.from + run.len == origin => run.len += 1,
            _ => runs.push(Run {
                from: origin,
                to: v,
                len: 1,
            }),
        }
    }
    runs
}
