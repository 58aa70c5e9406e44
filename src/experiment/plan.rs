//! The plan of an experiment: which scenario variants ("points") run, how many replicates
//! each, and the jobs and shards that split the work.
//!
//! Owns: turning a comparison, a sweep or a sensitivity analysis into an ordered list of
//! points, each a fully resolved and validated scenario; the job numbering
//! (job = point × replicates + replicate); which jobs a shard `I/N` runs; and the headline
//! outputs. A plan is written to `plan.json` and is the identity of an experiment: resuming
//! and merging check that the plan is the same, so results of different experiments are
//! never mixed.
//!
//! Common random numbers: every point runs with the same master seed, so replicate r of
//! every point draws from the same streams (see `engine::streams`); differences between
//! points are then not blurred by different luck.
//! Must never: run the model, or read and write experiment folders.

use super::vary::{Level, Vary};
use crate::observe::METRICS;
use crate::observe::metrics::metric_index;
use crate::scenario::{ScenarioError, suggest};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The three kinds of experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExperimentKind {
    Compare,
    Sweep,
    Sensitivity,
}

impl ExperimentKind {
    pub fn name(self) -> &'static str {
        match self {
            ExperimentKind::Compare => "compare",
            ExperimentKind::Sweep => "sweep",
            ExperimentKind::Sensitivity => "sensitivity",
        }
    }
}

/// How the points of a sweep or sensitivity analysis were chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "design")]
pub enum Design {
    /// Scenarios side by side; `baseline` indexes the points.
    Scenarios { baseline: usize },
    /// Every combination of the varied keys' values, the first key varying slowest.
    Grid,
    /// A Latin hypercube of `points` points over the varied keys.
    LatinHypercube { points: usize },
    /// Morris elementary effects: `trajectories` one-at-a-time paths on `levels` levels.
    Morris { trajectories: usize, levels: usize },
    /// Saltelli's design for Sobol indices with `samples` base rows (dims + 2 points each).
    Sobol { samples: usize },
}

/// A metric and group whose final value an experiment reports first (and whose time series
/// it keeps for the plots). Written `metric` (group `all`) or `metric:group`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub metric: String,
    pub group: String,
}

impl Output {
    /// Reads `metric` or `metric:group`, checking the metric exists.
    pub fn parse(text: &str) -> Result<Output, PlanError> {
        let (metric, group) = text.split_once(':').unwrap_or((text, "all"));
        let (metric, group) = (metric.trim(), group.trim());
        if metric_index(metric).is_none() {
            let names: Vec<&str> = METRICS.iter().map(|m| m.name).collect();
            let hint = suggest(metric, names.iter().copied())
                .map(|s| format!(" Did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(PlanError::Argument(format!(
                "--metric {text}: no metric `{metric}`.{hint} Metrics: {}.",
                names.join(", ")
            )));
        }
        if group.is_empty() {
            return Err(PlanError::Argument(format!(
                "--metric {text}: the group after `:` is empty (e.g. mean_trust:teacher~parent)"
            )));
        }
        Ok(Output {
            metric: metric.to_string(),
            group: group.to_string(),
        })
    }

    /// Words for people: `mean_trust`, or `mean_trust (teacher~parent)`.
    pub fn label(&self) -> String {
        if self.group == "all" {
            self.metric.clone()
        } else {
            format!("{} ({})", self.metric, self.group)
        }
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group == "all" {
            write!(f, "{}", self.metric)
        } else {
            write!(f, "{}:{}", self.metric, self.group)
        }
    }
}

/// The headline outputs when `--metric` is not given.
pub const DEFAULT_OUTPUTS: [&str; 3] = ["cooperation_rate", "mean_trust", "ties"];

/// One scenario variant of an experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// How tables and plots name it: the scenario's name (compare) or its values (sweep).
    pub label: String,
    /// The scenario file or preset as given on the command line.
    pub source: String,
    /// Every `--set` applied, the varied keys' last.
    pub overrides: Vec<String>,
    /// The value of each varied key, in the order of [`ExperimentPlan::varied`].
    pub levels: Vec<Level>,
    /// Steps this point runs (its last step is the one compared).
    pub steps: u32,
    /// The fully resolved scenario as TOML: what the jobs run.
    pub scenario: String,
}

/// What an experiment runs. Equal plans describe the same experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExperimentPlan {
    pub kind: ExperimentKind,
    /// The name folders and reports use.
    pub name: String,
    pub design: Design,
    /// Replicates per point; replicate r of every point uses the same seed.
    pub replicates: u32,
    /// The master seed of every point.
    pub seed: u64,
    pub outputs: Vec<Output>,
    /// The keys a sweep or sensitivity analysis varies (empty for a comparison).
    pub varied: Vec<Vary>,
    pub points: Vec<Point>,
}

/// One unit of work: a replicate of a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Job {
    pub point: usize,
    pub replicate: u32,
}

/// The most jobs one experiment may plan (each writes a file).
pub const MAX_JOBS: usize = 1_000_000;

/// The most points one experiment may plan: each is loaded and checked up front (a few
/// milliseconds) and kept whole in `plan.json` (about 8 KB for the default school).
pub const MAX_POINTS: usize = 20_000;

impl ExperimentPlan {
    /// Every job, in order.
    pub fn jobs(&self) -> impl Iterator<Item = Job> + '_ {
        (0..self.points.len()).flat_map(move |point| {
            (0..self.replicates).map(move |replicate| Job { point, replicate })
        })
    }

    pub fn job_count(&self) -> usize {
        self.points.len() * self.replicates as usize
    }

    /// The baseline point of a comparison (the first point otherwise).
    pub fn baseline(&self) -> usize {
        match self.design {
            Design::Scenarios { baseline } => baseline,
            _ => 0,
        }
    }
}

/// A part `index` of `count` (1-based) of an experiment's jobs. Jobs are dealt round-robin
/// by job number (job j goes to shard j mod count + 1), so shards get a similar mix of
/// points even when points differ in cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The whole experiment as one shard.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Reads `I/N` with 1 <= I <= N.
    pub fn parse(text: &str) -> Result<Shard, PlanError> {
        let bad = || {
            PlanError::Argument(format!(
                "--shard {text}: expected I/N with 1 <= I <= N, e.g. --shard 2/8 (the second of 8 shards)"
            ))
        };
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = index.trim().parse().map_err(|_| bad())?;
        let count: usize = count.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether job number `job` belongs to this shard.
    pub fn owns(&self, job: usize) -> bool {
        job % self.count == self.index - 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Why a plan cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A command-line argument is wrong.
    #[error("{0}")]
    Argument(String),
    /// A point's scenario does not load or validate.
    #[error("{context}: {source}")]
    Scenario {
        context: String,
        #[source]
        source: ScenarioError,
    },
}

/// What the command line asked for, before scenarios are loaded.
#[derive(Clone, Debug, Default)]
pub struct Common {
    /// `--set` overrides applied to every point, before the varied keys.
    pub overrides: Vec<String>,
    pub replicates: Option<u32>,
    pub steps: Option<u32>,
    pub seed: Option<u64>,
    /// `--metric` values; empty for [`DEFAULT_OUTPUTS`].
    pub metrics: Vec<String>,
}

impl Common {
    fn outputs(&self) -> Result<Vec<Output>, PlanError> {
        let texts: Vec<&str> = if self.metrics.is_empty() {
            DEFAULT_OUTPUTS.to_vec()
        } else {
            self.metrics.iter().map(String::as_str).collect()
        };
        let mut outputs: Vec<Output> = Vec::new();
        for text in texts {
            let output = Output::parse(text)?;
            if !outputs.contains(&output) {
                outputs.push(output);
            }
        }
        Ok(outputs)
    }

    /// The overrides for a point: `--set`, then the point's own, then the run settings the
    /// experiment fixes (seed, replicates, steps), which no `--set` can then contradict.
    fn overrides_with(&self, seed: Option<u64>, extra: &[String]) -> Vec<String> {
        let mut all = Vec::new();
        all.extend(self.overrides.iter().cloned());
        all.extend(extra.iter().cloned());
        all.extend(seed.map(|v| format!("run.seed={v}")));
        all.extend(self.replicates.map(|v| format!("run.replicates={v}")));
        all.extend(self.steps.map(|v| format!("run.steps={v}")));
        all
    }
}

mod build;
pub use build::{Method, compare, grid_rows, points_at, rows_from_unit, sensitivity, sweep};

#[cfg(test)]
mod tests;
