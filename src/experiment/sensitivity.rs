//! Sensitivity indices from the outputs of a design's runs: Morris elementary effects and
//! Sobol first-order and total indices with bootstrap confidence intervals.
//!
//! Owns: the estimators, as pure functions of a design and one output per design row.
//! Must never: run the model, read or write files, or draw from anything but
//! [`Purpose::Bootstrap`] streams.
//!
//! Units: effects are per unit of the [0, 1]-scaled input, as SALib reports them when given
//! the scaled inputs. For an input mapped to [min, max], an effect per unit of the input's
//! own scale is the reported effect / (max − min).

use crate::engine::streams::{Draw, Purpose, Streams};
use crate::experiment::sampling::MorrisDesign;

#[cfg(test)]
mod tests;

/// Morris screening measures of one input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect (output units per unit of the [0, 1]-scaled input).
    pub mu: f64,
    /// Mean absolute elementary effect: the input's overall influence.
    pub mu_star: f64,
    /// Standard deviation of the elementary effects (n − 1 denominator): non-linearity or
    /// interaction with other inputs. NaN with a single trajectory (undefined, not 0: one
    /// effect says nothing about how effects vary).
    pub sigma: f64,
}

/// The Morris measures of each input (index = dimension) from `outputs`, one per row of
/// `design.rows` in the same order. Elementary effect of a move: (output after − output
/// before) / change of the coordinate (±Δ). With no trajectories every measure is NaN.
///
/// # Panics
/// If `outputs.len()` differs from `design.rows.len()`.
pub fn morris_indices(design: &MorrisDesign, outputs: &[f64]) -> Vec<MorrisIndex> {
    assert_eq!(
        outputs.len(),
        design.rows.len(),
        "one output per Morris design row"
    );
    let mut effects = vec![Vec::with_capacity(design.trajectories); design.dims];
    for trajectory in 0..design.trajectories {
        for k in 0..design.dims {
            let step = design.moves[trajectory * design.dims + k];
            let row = trajectory * (design.dims + 1) + k;
            effects[step.dimension].push((outputs[row + 1] - outputs[row]) / step.change);
        }
    }
    effects
        .iter()
        .map(|effects| {
            let n = effects.len() as f64;
            let mu = effects.iter().sum::<f64>() / n;
            let mu_star = effects.iter().map(|e| e.abs()).sum::<f64>() / n;
            let sigma = if effects.len() < 2 {
                f64::NAN
            } else {
                (effects.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
            };
            MorrisIndex { mu, mu_star, sigma }
        })
        .collect()
}

/// Sobol indices of one input, with 95% bootstrap percentile intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// First-order index S1: the share of the output's variance explained by this input alone.
    pub first: f64,
    pub first_ci: (f64, f64),
    /// Total index ST: the share involving this input, alone or with others.
    pub total: f64,
    pub total_ci: (f64, f64),
}

/// The outputs of a Saltelli design, addressed by base row j (see
/// [`crate::experiment::sampling::saltelli_design`]).
struct SaltelliOutputs<'a> {
    outputs: &'a [f64],
    dims: usize,
    /// The mean of every output, subtracted from f(B) in the first-order estimator.
    centre: f64,
}

impl SaltelliOutputs<'_> {
    fn a(&self, j: usize) -> f64 {
        self.outputs[j * (self.dims + 2)]
    }
    fn b(&self, j: usize) -> f64 {
        self.outputs[j * (self.dims + 2) + self.dims + 1]
    }
    /// f(AB_i) at base row j.
    fn ab(&self, j: usize, i: usize) -> f64 {
        self.outputs[j * (self.dims + 2) + 1 + i]
    }

    /// First-order and total indices of every input from the base rows `rows` (each counted
    /// as often as listed); `None` if the variance of f(A) and f(B) over them is 0.
    fn estimate(&self, rows: &[usize]) -> Option<(Vec<f64>, Vec<f64>)> {
        let count = rows.len() as f64;
        let mean = rows.iter().map(|&j| self.a(j) + self.b(j)).sum::<f64>() / (2.0 * count);
        let variance = rows
            .iter()
            .map(|&j| (self.a(j) - mean).powi(2) + (self.b(j) - mean).powi(2))
            .sum::<f64>()
            / (2.0 * count);
        if variance.is_nan() || variance <= 0.0 {
            return None;
        }
        let (first, total) = (0..self.dims)
            .map(|i| {
                let (mut first, mut total) = (0.0, 0.0);
                for &j in rows {
                    let (a, ab) = (self.a(j), self.ab(j, i));
                    first += (self.b(j) - self.centre) * (ab - a);
                    total += (a - ab).powi(2);
                }
                (first / count / variance, total / count / (2.0 * variance))
            })
            .unzip();
        Some((first, total))
    }
}

/// First-order and total Sobol indices of each of `dims` inputs from `outputs`, one per row
/// of `saltelli_design(n, dims, _)` in its order. Variance V: of all f(A) and f(B) (2n
/// values, n denominator as SALib). First order (Saltelli et al. 2010, on outputs centred
/// on their mean f̄ as SALib centres them): mean_j (f(B_j) − f̄) (f(AB_j^i) − f(A_j)) / V;
/// total (Jansen 1999): mean_j (f(A_j) − f(AB_j^i))² / 2V. Centring leaves the expectation
/// unchanged (E f(AB^i) = E f(A)) but makes the estimate shift-invariant: without it, an
/// output whose mean is large against its spread (trust near 0.4 ± 0.03) gives first-order
/// estimates of ±50 from sampling noise in mean f(A) − mean f(B) alone.
/// Estimates are not clipped to [0, 1]: small true indices can come out slightly negative.
///
/// Confidence intervals: the 2.5% and 97.5% percentiles (linear interpolation between order
/// statistics) of the indices recomputed on `resamples` bootstrap resamples of the n base
/// rows, resample r drawn from `Streams::new(seed, 0).rng(Purpose::Bootstrap, 0, r)`.
/// Resamples whose V is 0 are left out; with none left (or `resamples` = 0) the intervals
/// are (NaN, NaN).
///
/// `None` if the output is constant (every value equal, or V is 0), n is 0, or
/// `outputs.len()` is not n × (dims + 2).
pub fn sobol_indices(
    outputs: &[f64],
    n: usize,
    dims: usize,
    resamples: usize,
    seed: u64,
) -> Option<Vec<SobolIndex>> {
    if n == 0 || outputs.len() != n * (dims + 2) || outputs.iter().all(|&y| y == outputs[0]) {
        return None;
    }
    let centre = outputs.iter().sum::<f64>() / outputs.len() as f64;
    let saltelli = SaltelliOutputs {
        outputs,
        dims,
        centre,
    };
    let all_rows: Vec<usize> = (0..n).collect();
    let (first, total) = saltelli.estimate(&all_rows)?;
    let mut first_draws = vec![Vec::with_capacity(resamples); dims];
    let mut total_draws = vec![Vec::with_capacity(resamples); dims];
    let mut rows = vec![0; n];
    for resample in 0..resamples {
        let mut rng = Streams::new(seed, 0).rng(Purpose::Bootstrap, 0, resample as u64);
        for row in rows.iter_mut() {
            *row = rng.below(n as u64) as usize;
        }
        if let Some((first, total)) = saltelli.estimate(&rows) {
            for i in 0..dims {
                first_draws[i].push(first[i]);
                total_draws[i].push(total[i]);
            }
        }
    }
    let interval = |draws: &mut Vec<f64>| (percentile(draws, 0.025), percentile(draws, 0.975));
    Some(
        (0..dims)
            .map(|i| SobolIndex {
                first: first[i],
                first_ci: interval(&mut first_draws[i]),
                total: total[i],
                total_ci: interval(&mut total_draws[i]),
            })
            .collect(),
    )
}

/// The `q` quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between order statistics
/// (numpy's default); sorts `values`. NaN when empty.
fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let position = q * (values.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(values.len() - 1);
    let fraction = position - below as f64;
    values[below] + fraction * (values[above] - values[below])
}
