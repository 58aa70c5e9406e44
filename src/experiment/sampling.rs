//! Experiment designs in the unit cube [0, 1]^k: Latin hypercubes, Morris one-at-a-time
//! trajectories and Saltelli's matrices for Sobol indices. A caller maps each coordinate to a
//! scenario key's range (min + x (max − min)) and runs the model at each row.
//!
//! Owns: where the points of a design lie and how they are drawn.
//! Must never: know about scenarios or the model, read or write files, or draw from anything
//! but [`Purpose::ExperimentDesign`] streams.
//!
//! Stream keying: `Streams::new(seed, 0).rng(Purpose::ExperimentDesign, step, entity)`, with
//! `step` naming the design and matrix and `entity` the column or trajectory:
//!
//! | design             | step | entity     | draws, in order                                |
//! |--------------------|------|------------|------------------------------------------------|
//! | Latin hypercube    | 0    | dimension  | the strata permutation, then one position per point |
//! | Morris             | 1    | trajectory | base levels, directions, order of dimensions   |
//! | Saltelli, matrix A | 2    | dimension  | the column, row 0 first                        |
//! | Saltelli, matrix B | 3    | dimension  | the column, row 0 first                        |
//!
//! So adding a dimension leaves the other columns as they were; Morris trajectory t and the
//! first n rows of Saltelli's A and B do not depend on how many trajectories or rows follow.

use crate::engine::streams::{Draw, Purpose, Streams};
use rand_chacha::ChaCha8Rng;

/// `step` of the Latin hypercube's streams.
const LATIN_HYPERCUBE_STEP: u64 = 0;
/// `step` of the Morris trajectories' streams.
const MORRIS_STEP: u64 = 1;
/// `step` of the streams of Saltelli's base matrix A.
const SALTELLI_A_STEP: u64 = 2;
/// `step` of the streams of Saltelli's base matrix B.
const SALTELLI_B_STEP: u64 = 3;

/// The design stream for `step` (which design and matrix) and `entity` (column or trajectory).
fn design_rng(seed: u64, step: u64, entity: usize) -> ChaCha8Rng {
    Streams::new(seed, 0).rng(Purpose::ExperimentDesign, step, entity as u64)
}

/// `points` points of a Latin hypercube in [0, 1)^dims: in each dimension the `points`
/// strata [i/n, (i+1)/n) hold exactly one point each, at a uniform position within its
/// stratum; strata are paired across dimensions by an independent random permutation per
/// dimension. Row-major: `result[point][dim]`. The same seed gives the same design.
pub fn latin_hypercube(points: usize, dims: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rows = vec![vec![0.0; dims]; points];
    let width = 1.0 / points as f64;
    for dim in 0..dims {
        let mut rng = design_rng(seed, LATIN_HYPERCUBE_STEP, dim);
        let mut strata: Vec<usize> = (0..points).collect();
        rng.shuffle(&mut strata);
        for (row, stratum) in rows.iter_mut().zip(strata) {
            let top = ((stratum + 1) as f64 * width).min(1.0);
            // Rounding of (stratum + u) / points could reach the next stratum's edge: stop
            // one float below it (top > 0, so its bits less one are the next float down).
            let below_top = f64::from_bits(top.to_bits() - 1);
            row[dim] = ((stratum as f64 + rng.uniform()) * width).min(below_top);
        }
    }
    rows
}

/// One step of a Morris trajectory: the dimension that changed and by how much.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisMove {
    /// Index of the input that changed (0..dims).
    pub dimension: usize,
    /// The change of that coordinate, +Δ or −Δ (in [0, 1] units).
    pub change: f64,
}

/// A Morris one-at-a-time design on a grid of `levels` levels.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisDesign {
    /// The points, `trajectories × (dims + 1)` rows of `dims` coordinates in [0, 1]:
    /// trajectory 0 points 0..=dims, then trajectory 1, and so on. Consecutive points of a
    /// trajectory differ in exactly one coordinate, by ±`delta`.
    pub rows: Vec<Vec<f64>>,
    pub trajectories: usize,
    pub dims: usize,
    /// Grid levels per coordinate: {0, 1/(levels − 1), ..., 1}.
    pub levels: usize,
    /// The step Δ = levels / (2 (levels − 1)), in [0, 1] units.
    pub delta: f64,
    /// `trajectories × dims` moves: move k of trajectory t (index t·dims + k) leads from row
    /// t·(dims + 1) + k to the row after it. Each trajectory moves every dimension once.
    pub moves: Vec<MorrisMove>,
}

/// Whether `levels` is a valid Morris grid: even and at least 2.
pub fn valid_morris_levels(levels: usize) -> bool {
    levels >= 2 && levels % 2 == 0
}

/// A Morris design of `trajectories` trajectories of dims + 1 points each (Morris 1991, as
/// SALib samples without trajectory optimisation). Per trajectory: a random base point with
/// each coordinate on one of the lower levels/2 grid levels, a random direction per
/// dimension (up from the base or down to it, chance 1/2 each) and a random order of the
/// dimensions; the trajectory starts at the base (or base + Δ where the direction is down)
/// and moves one dimension at a time by ±Δ. Every point lies on the grid.
///
/// # Panics
/// If `levels` is odd or below 2 (check with [`valid_morris_levels`] first).
pub fn morris_design(trajectories: usize, dims: usize, levels: usize, seed: u64) -> MorrisDesign {
    assert!(
        valid_morris_levels(levels),
        "Morris levels must be even and >= 2, not {levels}"
    );
    let jump = levels / 2; // Δ in grid steps
    let grid_step = 1.0 / (levels - 1) as f64;
    let delta = jump as f64 * grid_step;
    let mut rows = Vec::with_capacity(trajectories * (dims + 1));
    let mut moves = Vec::with_capacity(trajectories * dims);
    for trajectory in 0..trajectories {
        let mut rng = design_rng(seed, MORRIS_STEP, trajectory);
        let base: Vec<usize> = (0..dims).map(|_| rng.below(jump as u64) as usize).collect();
        let upward: Vec<bool> = (0..dims).map(|_| rng.chance(0.5)).collect();
        let mut order: Vec<usize> = (0..dims).collect();
        rng.shuffle(&mut order);
        let mut level: Vec<usize> = (0..dims)
            .map(|d| if upward[d] { base[d] } else { base[d] + jump })
            .collect();
        rows.push(level.iter().map(|&l| l as f64 * grid_step).collect());
        for &dimension in &order {
            let change = if upward[dimension] {
                level[dimension] += jump;
                delta
            } else {
                level[dimension] -= jump;
                -delta
            };
            moves.push(MorrisMove { dimension, change });
            rows.push(level.iter().map(|&l| l as f64 * grid_step).collect());
        }
    }
    MorrisDesign {
        rows,
        trajectories,
        dims,
        levels,
        delta,
        moves,
    }
}

/// `n` uniform numbers in [0, 1): one column of a Saltelli base matrix.
fn uniform_column(seed: u64, step: u64, dim: usize, n: usize) -> Vec<f64> {
    let mut rng = design_rng(seed, step, dim);
    (0..n).map(|_| rng.uniform()).collect()
}

/// Saltelli's design for first-order and total Sobol indices: base matrices A and B (n ×
/// dims, independent uniform numbers in [0, 1)) and for each dimension i the matrix AB_i,
/// A with column i taken from B. Rows in SALib's order (`calc_second_order=False`): for each
/// base row j, A_j, AB_j^(0), ..., AB_j^(dims−1), B_j, so `n × (dims + 2)` rows in all.
/// Plain pseudo-random numbers, not SALib's Sobol sequence: estimates converge as 1/sqrt(n).
pub fn saltelli_design(n: usize, dims: usize, seed: u64) -> Vec<Vec<f64>> {
    let a: Vec<Vec<f64>> = (0..dims)
        .map(|dim| uniform_column(seed, SALTELLI_A_STEP, dim, n))
        .collect();
    let b: Vec<Vec<f64>> = (0..dims)
        .map(|dim| uniform_column(seed, SALTELLI_B_STEP, dim, n))
        .collect();
    let mut rows = Vec::with_capacity(n * (dims + 2));
    for j in 0..n {
        let a_row: Vec<f64> = (0..dims).map(|dim| a[dim][j]).collect();
        rows.push(a_row.clone());
        for i in 0..dims {
            let mut mixed = a_row.clone();
            mixed[i] = b[i][j];
            rows.push(mixed);
        }
        rows.push((0..dims).map(|dim| b[dim][j]).collect());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_hypercube_uses_every_stratum_once() {
        let (points, dims) = (50, 4);
        let design = latin_hypercube(points, dims, 7);
        assert_eq!(design.len(), points);
        for dim in 0..dims {
            let mut strata: Vec<usize> = design
                .iter()
                .map(|row| {
                    assert!((0.0..1.0).contains(&row[dim]));
                    (row[dim] * points as f64).floor() as usize
                })
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..points).collect::<Vec<_>>(), "dimension {dim}");
        }
        // Dimensions are paired at random, not in lockstep.
        let column = |d: usize| {
            design
                .iter()
                .map(|r| (r[d] * 50.0) as usize)
                .collect::<Vec<_>>()
        };
        assert_ne!(column(0), column(1));
    }

    #[test]
    fn latin_hypercube_depends_on_the_seed_only() {
        assert_eq!(latin_hypercube(20, 3, 11), latin_hypercube(20, 3, 11));
        assert_ne!(latin_hypercube(20, 3, 11), latin_hypercube(20, 3, 12));
        // A column does not depend on how many dimensions there are.
        let narrow = latin_hypercube(20, 2, 11);
        let wide = latin_hypercube(20, 3, 11);
        assert!(narrow.iter().zip(&wide).all(|(n, w)| n[..] == w[..2]));
        assert!(latin_hypercube(0, 3, 1).is_empty());
    }

    #[test]
    fn morris_trajectories_move_one_dimension_at_a_time_on_the_grid() {
        let (trajectories, dims, levels) = (12, 5, 4);
        let design = morris_design(trajectories, dims, levels, 3);
        assert_eq!(design.rows.len(), trajectories * (dims + 1));
        assert_eq!(design.moves.len(), trajectories * dims);
        assert!((design.delta - 2.0 / 3.0).abs() < 1e-15); // 4 / (2 × 3)
        for row in &design.rows {
            for &x in row {
                let on_grid = (x * 3.0 - (x * 3.0).round()).abs() < 1e-12;
                assert!((0.0..=1.0).contains(&x) && on_grid, "{x}");
            }
        }
        for t in 0..trajectories {
            let mut moved = vec![false; dims];
            for k in 0..dims {
                let step = design.moves[t * dims + k];
                let (before, after) = (
                    &design.rows[t * (dims + 1) + k],
                    &design.rows[t * (dims + 1) + k + 1],
                );
                for d in 0..dims {
                    let change = after[d] - before[d];
                    let expected = if d == step.dimension {
                        step.change
                    } else {
                        0.0
                    };
                    assert!((change - expected).abs() < 1e-12);
                }
                moved[step.dimension] = true;
            }
            assert!(moved.iter().all(|&m| m), "trajectory {t} skips a dimension");
        }
        assert_eq!(design, morris_design(trajectories, dims, levels, 3));
        assert_ne!(
            design.rows,
            morris_design(trajectories, dims, levels, 4).rows
        );
        assert!(!valid_morris_levels(3) && !valid_morris_levels(0) && valid_morris_levels(2));
    }

    #[test]
    fn saltelli_rows_mix_a_and_b_column_by_column() {
        let (n, dims) = (6, 3);
        let design = saltelli_design(n, dims, 5);
        assert_eq!(design.len(), n * (dims + 2));
        for j in 0..n {
            let block = &design[j * (dims + 2)..(j + 1) * (dims + 2)];
            let (a, b) = (&block[0], &block[dims + 1]);
            for i in 0..dims {
                for d in 0..dims {
                    assert_eq!(block[1 + i][d], if d == i { b[d] } else { a[d] });
                }
                assert_ne!(a[i], b[i]);
            }
            assert!(a.iter().chain(b).all(|x| (0.0..1.0).contains(x)));
        }
        // Base rows do not depend on how many follow.
        assert_eq!(saltelli_design(3, dims, 5)[..], design[..3 * (dims + 2)]);
    }
}
