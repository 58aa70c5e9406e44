//! The Mann–Whitney U test (Wilcoxon rank-sum test) of two independent samples, two-sided,
//! following the rules of `scipy.stats.mannwhitneyu(x, y, method="auto",
//! use_continuity=True)`.
//!
//! Owns: ranking with ties, the exact null distribution of U, and the tie-corrected normal
//! approximation.
//! Must never: read or write files, or draw random numbers.

use statrs::distribution::{ContinuousCDF, Normal};

/// The result of a two-sided Mann–Whitney U test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MannWhitney {
    /// U of the first sample `a`: the number of pairs (x in a, y in b) with x > y, ties
    /// counting one half; between 0 and len(a) × len(b). (scipy's `statistic`.)
    pub u: f64,
    /// Two-sided p-value in [0, 1].
    pub p_value: f64,
    /// Whether `p_value` comes from the exact distribution of U (true) or from the normal
    /// approximation (false).
    pub exact: bool,
}

/// The largest sample size, of the smaller sample, for which the exact distribution is used
/// (when there are no ties), as scipy's `method="auto"` does.
const EXACT_MAX_SMALLER: usize = 8;

/// The largest len(a) × len(b) for which the exact distribution is counted (its table has
/// that many entries of 16 bytes); beyond it the normal approximation is used.
const EXACT_MAX_PRODUCT: usize = 1 << 22;

/// Mann–Whitney U test of `a` against `b`, two-sided, as `scipy.stats.mannwhitneyu(a, b)`
/// with its defaults: the exact distribution of U when the smaller sample has at most 8
/// values and no value occurs twice among both samples; otherwise the normal approximation
/// with the tie correction of the variance and a continuity correction of 0.5. The p-value is
/// 2 P(U ≥ max(U_a, U_b)) under the null, capped at 1.
///
/// `None` when either sample is empty, any value is NaN, or every value of both is the same
/// (there is no order to test then).
pub fn mann_whitney(a: &[f64], b: &[f64]) -> Option<MannWhitney> {
    if a.is_empty() || b.is_empty() || a.iter().chain(b).any(|x| x.is_nan()) {
        return None;
    }
    let (ranks, tie_sizes) = midranks(a.iter().chain(b).copied());
    if tie_sizes.len() == 1 && tie_sizes[0] == a.len() + b.len() {
        return None; // all values identical
    }
    let (n_a, n_b) = (a.len() as f64, b.len() as f64);
    let rank_sum_a: f64 = ranks[..a.len()].iter().sum();
    let u_a = rank_sum_a - n_a * (n_a + 1.0) / 2.0;
    let u_b = n_a * n_b - u_a;
    let u_larger = u_a.max(u_b);
    let exact_p = if tie_sizes.is_empty() && a.len().min(b.len()) <= EXACT_MAX_SMALLER {
        exact_upper_tail(u_larger as u64, a.len(), b.len())
    } else {
        None
    };
    let (one_sided, exact) = match exact_p {
        Some(p) => (p, true),
        None => (
            normal_upper_tail(u_larger, a.len(), b.len(), &tie_sizes),
            false,
        ),
    };
    Some(MannWhitney {
        u: u_a,
        p_value: (2.0 * one_sided).min(1.0),
        exact,
    })
}

/// The ranks (1-based; tied values share the mean of their ranks) of `values` in their
/// order, and the sizes of the groups of tied values (only groups of 2 or more).
fn midranks(values: impl Iterator<Item = f64>) -> (Vec<f64>, Vec<usize>) {
    let values: Vec<f64> = values.collect();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    let mut ranks = vec![0.0; values.len()];
    let mut tie_sizes = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their mean:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &index in &order[start..end] {
            ranks[index] = rank;
        }
        if end - start > 1 {
            tie_sizes.push(end - start);
        }
        start = end;
    }
    (ranks, tie_sizes)
}

/// P(U ≥ u) under the null for samples of sizes `m` and `n` without ties, exactly: the
/// number of the C(m + n, m) equally likely orderings with U ≥ u, divided by their total.
/// `None` if m n is beyond [`EXACT_MAX_PRODUCT`] or the counts overflow (neither happens for
/// samples of replicates; scipy would still count exactly there).
fn exact_upper_tail(u: u64, m: usize, n: usize) -> Option<f64> {
    if m.saturating_mul(n) > EXACT_MAX_PRODUCT {
        return None;
    }
    let counts = u_counts(m.min(n), m.max(n))?;
    let total: i128 = counts.iter().sum();
    let tail: i128 = counts.iter().skip(u as usize).sum();
    Some(tail as f64 / total as f64)
}

/// The number of orderings of `m` values of one sample among `n` of the other giving each
/// U = 0, 1, ..., m n: the coefficients of the Gaussian binomial coefficient
/// [m + n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i), built one factor pair at a
/// time so each intermediate polynomial is [n + i choose i]_q, with integer coefficients.
/// O(m² n) operations; `None` on overflow of i128.
fn u_counts(m: usize, n: usize) -> Option<Vec<i128>> {
    let mut poly: Vec<i128> = vec![1];
    for i in 1..=m {
        let shift = n + i;
        poly.resize((i - 1) * n + 1 + shift, 0);
        // Multiply by (1 − q^shift), from the top so each old coefficient is read once.
        for k in (shift..poly.len()).rev() {
            poly[k] = poly[k].checked_sub(poly[k - shift])?;
        }
        // Divide by (1 − q^i): the quotient Q satisfies Q[k] = P[k] + Q[k − i].
        for k in i..poly.len() {
            poly[k] = poly[k].checked_add(poly[k - i])?;
        }
        poly.truncate(i * n + 1); // the rest is zero: the division is exact
    }
    Some(poly)
}

/// P(U ≥ u) from the normal approximation with mean m n / 2, the tie-corrected variance
/// m n / 12 × ((N + 1) − Σ (t³ − t) / (N (N − 1))) over the tie groups t (N = m + n), and a
/// continuity correction of 0.5 towards the mean.
fn normal_upper_tail(u: f64, m: usize, n: usize, tie_sizes: &[usize]) -> f64 {
    let (m, n) = (m as f64, n as f64);
    let total = m + n;
    let tie_term: f64 = tie_sizes
        .iter()
        .map(|&t| {
            let t = t as f64;
            t * t * t - t
        })
        .sum();
    let sd = (m * n / 12.0 * ((total + 1.0) - tie_term / (total * (total - 1.0)))).sqrt();
    let z = (u - m * n / 2.0 - 0.5) / sd;
    Normal::standard().sf(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts of U for sizes m, n by listing every choice of m ranks out of m + n.
    fn brute_force_counts(m: usize, n: usize) -> Vec<i128> {
        let mut counts = vec![0i128; m * n + 1];
        for mask in 0u32..(1 << (m + n)) {
            if mask.count_ones() as usize != m {
                continue;
            }
            // U of the chosen sample: for each chosen rank, the unchosen ranks below it.
            let mut u = 0;
            for rank in 0..m + n {
                if mask & (1 << rank) != 0 {
                    u += (0..rank).filter(|&below| mask & (1 << below) == 0).count();
                }
            }
            counts[u] += 1;
        }
        counts
    }

    #[test]
    fn gaussian_binomial_counts_match_enumeration() {
        for m in 1..=5 {
            for n in m..=7 {
                assert_eq!(u_counts(m, n).unwrap(), brute_force_counts(m, n), "{m} {n}");
            }
        }
        // C(20, 8) = 125970 orderings in all.
        assert_eq!(u_counts(8, 12).unwrap().iter().sum::<i128>(), 125_970);
    }

    #[test]
    fn midranks_average_ties() {
        let (ranks, ties) = midranks([3.0, 1.0, 3.0, 2.0, 3.0].into_iter());
        assert_eq!(ranks, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(ties, vec![3]);
    }
}
