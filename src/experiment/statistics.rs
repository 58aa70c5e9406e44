//! Summaries over replicates: mean, standard deviation and a 95% t-interval.

use crate::observe::{METRICS, Row};
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::collections::HashMap;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Two-sided 95% critical values from standard tables.
        for (df, expected) in [
            (1, 12.706),
            (2, 4.303),
            (9, 2.262),
            (19, 2.093),
            (30, 2.042),
            (1000, 1.962),
        ] {
            assert!(
                (t_quantile_975(df) - expected).abs() < 1e-3,
                "df {df}: {}",
                t_quantile_975(df)
            );
        }
    }

    #[test]
    fn describe_small_samples() {
        let one = describe(&[2.5]);
        assert_eq!((one.n, one.mean, one.sd, one.ci), (1, 2.5, None, None));
        let d = describe(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(d.mean, 2.5);
        let sd = (5.0f64 / 3.0).sqrt();
        assert!((d.sd.unwrap() - sd).abs() < 1e-12);
        let half = 3.182446305284263 * sd / 2.0; // t(0.975, 3)
        let (low, high) = d.ci.unwrap();
        assert!((low - (2.5 - half)).abs() < 1e-9 && (high - (2.5 + half)).abs() < 1e-9);
    }

    #[test]
    fn summary_groups_cells_across_replicates() {
        let row = |step, metric, group: &str, value| Row {
            step,
            metric,
            group: group.into(),
            value,
        };
        let first = vec![
            row(0, 1, "all", 1.0),
            row(0, 1, "teacher", 2.0),
            row(0, 0, "all", 0.5),
        ];
        let second = vec![row(0, 1, "all", 3.0), row(0, 0, "all", 0.7)];
        let summary = Summary::from_replicates([first.as_slice(), second.as_slice()]);
        let keys: Vec<(u16, &str, usize)> = summary
            .rows
            .iter()
            .map(|r| (r.metric, r.group.as_str(), r.stats.n))
            .collect();
        assert_eq!(keys, vec![(0, "all", 2), (1, "all", 2), (1, "teacher", 1)]);
        assert_eq!(summary.rows[1].stats.mean, 2.0);
    }
}
