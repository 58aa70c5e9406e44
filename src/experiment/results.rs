//! What an experiment's jobs recorded, gathered per point for analysis.
//!
//! Owns: which of a replicate's rows a job keeps ([`JobRows::keep`]: every metric and group
//! at the point's last step, plus the headline outputs at every recorded step), and the
//! arrangement of all jobs' rows into final values per (metric, group, point, replicate)
//! and headline time series per point. The order of metrics and groups is fixed by the
//! metric registry and by the first job (in job order) that recorded a group, never by
//! which shard or thread ran a job, so tables built from it are the same byte for byte
//! however the work was split.
//! Must never: run jobs, or read and write files.

use super::plan::{ExperimentPlan, Job};
use crate::observe::metrics::metric_index;
use crate::observe::{METRICS, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The rows one job keeps: `(step, metric, group, value)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobRows {
    pub point: usize,
    pub replicate: u32,
    pub rows: Vec<(u32, String, String, f64)>,
}

impl JobRows {
    /// Keeps from a replicate's recorded `rows` those an experiment needs.
    pub fn keep(job: Job, plan: &ExperimentPlan, rows: &[Row]) -> JobRows {
        let last_step = plan.points[job.point].steps;
        let headline: Vec<(usize, &str)> = (plan.outputs.iter())
            .filter_map(|o| metric_index(&o.metric).map(|m| (m, o.group.as_str())))
            .collect();
        let kept = rows
            .iter()
            .filter(|row| {
                row.step == last_step
                    || headline
                        .iter()
                        .any(|&(m, g)| m == row.metric as usize && g == row.group)
            })
            .map(|row| {
                let name = METRICS[row.metric as usize].name.to_string();
                (row.step, name, row.group.clone(), row.value)
            })
            .collect();
        JobRows {
            point: job.point,
            replicate: job.replicate,
            rows: kept,
        }
    }

    pub fn job(&self) -> Job {
        Job {
            point: self.point,
            replicate: self.replicate,
        }
    }
}

/// Final-step values of one (metric, group): `values[point][replicate]`, `None` where a
/// replicate did not record it (undefined there, e.g. clustering of an empty network).
#[derive(Clone, Debug, PartialEq)]
pub struct FinalValues {
    pub metric: String,
    pub group: String,
    pub values: Vec<Vec<Option<f64>>>,
}

impl FinalValues {
    /// The recorded values of `point`, in replicate order.
    pub fn of_point(&self, point: usize) -> Vec<f64> {
        self.values[point].iter().flatten().copied().collect()
    }
}

/// A headline output over time at one point: `(step, values over replicates)`.
pub type Series = Vec<(u32, Vec<f64>)>;

/// Everything an experiment's analysis reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// One entry per (metric, group) recorded at any point's last step, in registry order,
    /// groups in order of first appearance.
    pub finals: Vec<FinalValues>,
    /// `series[output][point]`, for the plan's outputs in order.
    pub series: Vec<Vec<Series>>,
}

impl Results {
    /// Arranges the rows of every job of `plan`; `jobs` must hold each job once, in any order.
    pub fn gather(plan: &ExperimentPlan, mut jobs: Vec<JobRows>) -> Results {
        jobs.sort_by_key(|j| (j.point, j.replicate));
        let points = plan.points.len();
        let replicates = plan.replicates as usize;
        let mut index: HashMap<(usize, &str), usize> = HashMap::new();
        let mut keys: Vec<(usize, &str)> = Vec::new();
        for job in &jobs {
            let last = plan.points[job.point].steps;
            for (step, metric, group, _) in &job.rows {
                if *step != last {
                    continue;
                }
                let m = metric_index(metric).unwrap_or(usize::MAX);
                index.entry((m, group.as_str())).or_insert_with(|| {
                    keys.push((m, group.as_str()));
                    keys.len() - 1
                });
            }
        }
        // Registry order, then first appearance (a stable sort keeps the latter).
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by_key(|&k| keys[k].0);
        let mut finals: Vec<FinalValues> = order
            .iter()
            .map(|&k| FinalValues {
                metric: metric_name(keys[k].0),
                group: keys[k].1.to_string(),
                values: vec![vec![None; replicates]; points],
            })
            .collect();
        let position: HashMap<usize, usize> =
            order.iter().enumerate().map(|(pos, &k)| (k, pos)).collect();
        let mut series = vec![vec![Series::new(); points]; plan.outputs.len()];
        for job in &jobs {
            let last = plan.points[job.point].steps;
            let r = job.replicate as usize;
            for (step, metric, group, value) in &job.rows {
                if *step == last {
                    let m = metric_index(metric).unwrap_or(usize::MAX);
                    let k = index[&(m, group.as_str())];
                    finals[position[&k]].values[job.point][r] = Some(*value);
                }
                for (o, output) in plan.outputs.iter().enumerate() {
                    if output.metric == *metric && output.group == *group {
                        push_series(&mut series[o][job.point], *step, *value);
                    }
                }
            }
        }
        Results { finals, series }
    }

    /// The final values of `metric` for `group`.
    pub fn final_values(&self, metric: &str, group: &str) -> Option<&FinalValues> {
        self.finals
            .iter()
            .find(|f| f.metric == metric && f.group == group)
    }
}

fn metric_name(index: usize) -> String {
    METRICS
        .get(index)
        .map_or_else(|| "unknown".to_string(), |m| m.name.to_string())
}

/// Adds `value` at `step`, keeping steps in order (jobs come in replicate order, and every
/// replicate of a point records the same steps, so this appends almost always).
fn push_series(series: &mut Series, step: u32, value: f64) {
    match series.binary_search_by_key(&step, |(s, _)| *s) {
        Ok(at) => series[at].1.push(value),
        Err(at) => series.insert(at, (step, vec![value])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::plan::{Design, ExperimentKind, Output, Point};

    fn plan(points: usize, replicates: u32) -> ExperimentPlan {
        ExperimentPlan {
            kind: ExperimentKind::Sweep,
            name: "t".into(),
            design: Design::Grid,
            replicates,
            seed: 1,
            outputs: vec![Output {
                metric: "mean_trust".into(),
                group: "all".into(),
            }],
            varied: Vec::new(),
            points: (0..points)
                .map(|i| Point {
                    label: format!("p{i}"),
                    source: "default".into(),
                    overrides: Vec::new(),
                    levels: Vec::new(),
                    steps: 2,
                    scenario: String::new(),
                })
                .collect(),
        }
    }

    fn row(step: u32, metric: &str, group: &str, value: f64) -> Row {
        Row {
            step,
            metric: metric_index(metric).unwrap() as u16,
            group: group.into(),
            value,
        }
    }

    #[test]
    fn jobs_keep_the_last_step_and_the_headline_series() {
        let plan = plan(1, 1);
        let rows = [
            row(0, "mean_trust", "all", 0.5),
            row(0, "ties", "all", 10.0),
            row(1, "mean_trust", "teacher~parent", 0.4),
            row(2, "ties", "all", 12.0),
            row(2, "mean_trust", "all", 0.6),
        ];
        let kept = JobRows::keep(
            Job {
                point: 0,
                replicate: 0,
            },
            &plan,
            &rows,
        );
        let steps: Vec<(u32, &str)> = kept.rows.iter().map(|r| (r.0, r.1.as_str())).collect();
        assert_eq!(steps, [(0, "mean_trust"), (2, "ties"), (2, "mean_trust")]);
    }

    #[test]
    fn gathering_is_independent_of_job_order_and_orders_metrics_by_registry() {
        let plan = plan(2, 2);
        let job = |point, replicate: u32, extra: bool| {
            let mut rows = vec![
                row(0, "mean_trust", "all", 0.1),
                row(2, "ties", "all", 5.0 + point as f64 + replicate as f64),
                row(2, "mean_trust", "all", 0.2 * (1 + replicate) as f64),
            ];
            if extra {
                rows.push(row(2, "ties", "cultural", 1.0));
            }
            JobRows::keep(Job { point, replicate }, &plan, &rows)
        };
        let jobs = vec![
            job(1, 1, true),
            job(0, 0, false),
            job(1, 0, false),
            job(0, 1, false),
        ];
        let mut reversed = jobs.clone();
        reversed.reverse();
        let results = Results::gather(&plan, jobs);
        assert_eq!(results, Results::gather(&plan, reversed));
        let names: Vec<(&str, &str)> = (results.finals.iter())
            .map(|f| (f.metric.as_str(), f.group.as_str()))
            .collect();
        assert_eq!(
            names,
            [("mean_trust", "all"), ("ties", "all"), ("ties", "cultural")]
        );
        let cultural = results.final_values("ties", "cultural").unwrap();
        assert_eq!(cultural.values[1], [None, Some(1.0)]);
        assert_eq!(cultural.of_point(0), Vec::<f64>::new());
        assert_eq!(
            results.final_values("ties", "all").unwrap().of_point(1),
            [6.0, 7.0]
        );
        assert_eq!(
            results.series[0][0],
            [(0, vec![0.1, 0.1]), (2, vec![0.2, 0.4])]
        );
    }
}
