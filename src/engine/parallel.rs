//! Parallel passes over agents in fixed blocks.
//!
//! Owns: how per-agent and per-view arrays are cut into pieces that threads write at once.
//! Invariant relied on by the determinism contract: block boundaries depend only on the
//! number of agents (never on the thread count), every agent's work depends only on its own
//! stream and on arrays no one writes during the pass, and any floating-point total is
//! built from per-block partial results collected by [`map_blocks`] (in block order) and
//! added up sequentially in that order (as `observe::metrics` does). Rayon's own
//! `sum`/`reduce` on floats split the work where threads happen to steal it, so they are
//! never used for values that reach an output.
//! Must never: decide anything about the model.

use rayon::prelude::*;
use std::ops::Range;

/// Agents per block. Large enough to amortise task overhead, small enough to balance two
/// cores on a school of a few hundred agents.
pub const AGENT_BLOCK: usize = 256;

/// Below this many agents a pass runs on the calling thread: spawning costs more than the
/// work. The result is the same either way.
pub const PARALLEL_THRESHOLD: usize = 2048;

/// The agent ranges of the blocks for `agent_count` agents.
pub fn agent_blocks(agent_count: usize) -> Vec<Range<usize>> {
    (0..agent_count.div_ceil(AGENT_BLOCK))
        .map(|b| b * AGENT_BLOCK..((b + 1) * AGENT_BLOCK).min(agent_count))
        .collect()
}

/// Cuts `per_view` (indexed like the graph's views) into one mutable piece per block of
/// `blocks`, using the CSR `offsets`.
pub fn split_views<'a, T>(
    offsets: &[usize],
    blocks: &[Range<usize>],
    mut per_view: &'a mut [T],
) -> Vec<&'a mut [T]> {
    let mut pieces = Vec::with_capacity(blocks.len());
    for block in blocks {
        let len = offsets[block.end] - offsets[block.start];
        let (head, tail) = per_view.split_at_mut(len);
        pieces.push(head);
        per_view = tail;
    }
    pieces
}

/// Cuts `per_agent` into one mutable piece per block.
pub fn split_agents<'a, T>(
    blocks: &[Range<usize>],
    mut per_agent: &'a mut [T],
) -> Vec<&'a mut [T]> {
    let mut pieces = Vec::with_capacity(blocks.len());
    for block in blocks {
        let (head, tail) = per_agent.split_at_mut(block.len());
        pieces.push(head);
        per_agent = tail;
    }
    pieces
}

/// Runs `work` on every item, in parallel when `agent_count` is large enough; results come
/// back in item order whatever the thread count.
pub fn map_blocks<I, R, F>(agent_count: usize, items: Vec<I>, work: F) -> Vec<R>
where
    I: Send,
    R: Send,
    F: Fn(usize, I) -> R + Sync + Send,
{
    if agent_count < PARALLEL_THRESHOLD {
        items
            .into_iter()
            .enumerate()
            .map(|(k, item)| work(k, item))
            .collect()
    } else {
        items
            .into_par_iter()
            .enumerate()
            .map(|(k, item)| work(k, item))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_agents_and_views_exactly() {
        let n = 1000;
        let blocks = agent_blocks(n);
        assert_eq!(blocks.first().unwrap().start, 0);
        assert_eq!(blocks.last().unwrap().end, n);
        assert!(blocks.windows(2).all(|w| w[0].end == w[1].start));
        let offsets: Vec<usize> = (0..=n).map(|i| i * 3).collect();
        let mut views = vec![0u8; 3 * n];
        let pieces = split_views(&offsets, &blocks, &mut views);
        let lens: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
        assert_eq!(lens.iter().sum::<usize>(), 3 * n);
        assert_eq!(lens[0], 3 * AGENT_BLOCK);
        let mut agents = vec![0u8; n];
        assert_eq!(split_agents(&blocks, &mut agents).len(), blocks.len());
    }

    #[test]
    fn map_blocks_keeps_order_on_any_pool() {
        let items: Vec<usize> = (0..5000).collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let out = pool.install(|| map_blocks(1 << 20, items.clone(), |k, x| k * 10 + x));
        assert_eq!(out, items.iter().map(|x| x * 11).collect::<Vec<_>>());
    }
}
