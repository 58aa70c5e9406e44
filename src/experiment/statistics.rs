//! Summaries over replicates: mean, standard deviation and a 95% t-interval; and comparisons
//! of two sets of replicates (Welch's t-test, Cohen's d, the Mann–Whitney U test).
//!
//! Owns: the arithmetic of these summaries and tests, as pure functions of the values given.
//! Must never: read or write files, run the model, or draw random numbers.

use crate::observe::{METRICS, Row};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use std::collections::HashMap;

mod mann_whitney;
pub use mann_whitney::{MannWhitney, mann_whitney};

#[cfg(test)]
mod tests;

/// Mean, sample standard deviation and 95% confidence interval of the mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Describe {
    /// Number of values.
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator); `None` for fewer than 2 values.
    pub sd: Option<f64>,
    /// 95% Student-t interval of the mean; `None` for fewer than 2 values.
    pub ci: Option<(f64, f64)>,
}

/// Describes `values` (which must be non-empty), summing in the order given.
pub fn describe(values: &[f64]) -> Describe {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Describe {
            n,
            mean,
            sd: None,
            ci: None,
        };
    }
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let sd = variance.sqrt();
    let half_width = t_quantile_975(n - 1) * sd / (n as f64).sqrt();
    Describe {
        n,
        mean,
        sd: Some(sd),
        ci: Some((mean - half_width, mean + half_width)),
    }
}

/// The 0.975 quantile of Student's t with `freedom` degrees of freedom (>= 1).
pub fn t_quantile_975(freedom: usize) -> f64 {
    StudentsT::new(0.0, 1.0, freedom as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959_963_984_540_054)
}

/// The `p` quantile of Student's t with `freedom` degrees of freedom (> 0; fractional, as
/// Welch's test gives, is fine). `p` = 0 or 1 gives −∞ or +∞; `p` outside [0, 1], a NaN, or
/// `freedom` not > 0 gives NaN. An infinite `freedom` gives the standard normal quantile.
pub fn t_quantile(p: f64, freedom: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || freedom.is_nan() || freedom <= 0.0 {
        return f64::NAN;
    }
    if freedom.is_infinite() {
        return Normal::standard().inverse_cdf(p);
    }
    StudentsT::new(0.0, 1.0, freedom).map_or(f64::NAN, |t| t.inverse_cdf(p))
}

/// The chance that Student's t with `freedom` degrees of freedom (> 0) is at least `|t|` in
/// absolute value: the two-sided p-value of the statistic `t`.
fn t_two_sided_p(t: f64, freedom: f64) -> f64 {
    StudentsT::new(0.0, 1.0, freedom).map_or(f64::NAN, |dist| (2.0 * dist.cdf(-t.abs())).min(1.0))
}

/// Mean and sample variance (n − 1 denominator) of `values` (at least 2 of them).
fn mean_and_variance(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, variance)
}

/// Welch's unequal-variance t-test of mean(b) − mean(a), two-sided.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WelchTest {
    /// mean(b) − mean(a), in the values' units.
    pub difference: f64,
    /// The difference over its standard error sqrt(var(a)/n_a + var(b)/n_b).
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom (fractional, between min(n) − 1 and n_a + n_b − 2).
    pub freedom: f64,
    /// Two-sided p-value in [0, 1]: the chance of a |t| at least this large if the means were
    /// equal.
    pub p_value: f64,
    /// 95% confidence interval of mean(b) − mean(a): difference ± t(0.975, freedom) × se.
    pub ci: (f64, f64),
}

/// Welch's t-test of mean(b) − mean(a) (two-sided, as `scipy.stats.ttest_ind(b, a,
/// equal_var=False)`). `None` when either sample has fewer than 2 values, or both have zero
/// variance (the test is undefined then: the caller reports the plain difference of means).
pub fn welch_test(a: &[f64], b: &[f64]) -> Option<WelchTest> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (mean_a, var_a) = mean_and_variance(a);
    let (mean_b, var_b) = mean_and_variance(b);
    // Squared standard errors of each mean.
    let se2_a = var_a / a.len() as f64;
    let se2_b = var_b / b.len() as f64;
    let se2 = se2_a + se2_b;
    if se2 <= 0.0 || se2.is_nan() {
        return None;
    }
    let freedom =
        se2 * se2 / (se2_a * se2_a / (a.len() - 1) as f64 + se2_b * se2_b / (b.len() - 1) as f64);
    let se = se2.sqrt();
    let difference = mean_b - mean_a;
    let t = difference / se;
    let half_width = t_quantile(0.975, freedom) * se;
    Some(WelchTest {
        difference,
        t,
        freedom,
        p_value: t_two_sided_p(t, freedom),
        ci: (difference - half_width, difference + half_width),
    })
}

/// Cohen's d: (mean(b) − mean(a)) / pooled standard deviation, the pooled variance being
/// ((n_a − 1) var(a) + (n_b − 1) var(b)) / (n_a + n_b − 2) with n − 1 sample variances.
/// Unitless. `None` when either sample has fewer than 2 values or the pooled sd is 0.
pub fn cohens_d(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (mean_a, var_a) = mean_and_variance(a);
    let (mean_b, var_b) = mean_and_variance(b);
    let (n_a, n_b) = (a.len() as f64, b.len() as f64);
    let pooled = (((n_a - 1.0) * var_a + (n_b - 1.0) * var_b) / (n_a + n_b - 2.0)).sqrt();
    (pooled > 0.0).then(|| (mean_b - mean_a) / pooled)
}

/// One line of `summary.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    pub step: u32,
    /// Index into [`METRICS`].
    pub metric: u16,
    pub group: String,
    pub stats: Describe,
}

impl SummaryRow {
    /// The metric's name.
    pub fn metric_name(&self) -> &'static str {
        METRICS[self.metric as usize].name
    }
}

/// The summary of a run: one row per (step, metric, group) that some replicate recorded,
/// ordered by step, then metric, then the order in which groups first appear.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub rows: Vec<SummaryRow>,
}

impl Summary {
    /// Summarises the rows of each replicate (given in replicate order).
    pub fn from_replicates<'a>(replicates: impl IntoIterator<Item = &'a [Row]>) -> Summary {
        let mut index: HashMap<(u32, u16, &str), usize> = HashMap::new();
        let mut cells: Vec<(u32, u16, &str, Vec<f64>)> = Vec::new();
        for rows in replicates {
            for row in rows {
                let key = (row.step, row.metric, row.group.as_str());
                let slot = *index.entry(key).or_insert_with(|| {
                    cells.push((row.step, row.metric, row.group.as_str(), Vec::new()));
                    cells.len() - 1
                });
                cells[slot].3.push(row.value);
            }
        }
        // Stable: groups of one (step, metric) keep the order they first appeared in.
        cells.sort_by_key(|(step, metric, _, _)| (*step, *metric));
        let rows = cells
            .into_iter()
            .map(|(step, metric, group, values)| SummaryRow {
                step,
                metric,
                group: group.to_string(),
                stats: describe(&values),
            })
            .collect();
        Summary { rows }
    }

    /// The rows of `metric` / `group` in step order.
    pub fn series<'a>(
        &'a self,
        metric: &'a str,
        group: &'a str,
    ) -> impl Iterator<Item = &'a SummaryRow> + 'a {
        self.rows
            .iter()
            .filter(move |row| row.metric_name() == metric && row.group == group)
    }

    /// The last step any row describes.
    pub fn last_step(&self) -> Option<u32> {
        self.rows.iter().map(|row| row.step).max()
    }
}
