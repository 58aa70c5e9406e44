//! `manifest.json`: everything needed to know what a run folder holds and to repeat it.

use crate::observe::METRICS;
use crate::scenario::Scenario;
use serde::Serialize;

/// The state a run folder's files are in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Files are still being written.
    Incomplete,
    /// Every file listed is written.
    Complete,
}

/// The contents of `manifest.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub status: RunStatus,
    pub gotong_version: &'static str,
    /// Where the scenario came from (file path or preset) and the overrides applied.
    pub source: String,
    pub overrides: Vec<String>,
    /// The `--initial-moves` file as given, if any (copied to `initial_moves.csv`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_moves: Option<String>,
    /// For `network.kind = "import"`: the files read (with their FNV-1a hashes), the head
    /// counts they gave, and the duplicate ties merged and self-loops dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<crate::scenario::import::ImportSummary>,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    pub agents: usize,
    /// Threads in the pool; results do not depend on it.
    pub threads: usize,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub wall_time_seconds: Option<f64>,
    /// Files of the run folder, relative to it.
    pub files: Vec<String>,
    /// Metric names and what they measure.
    pub metrics: Vec<MetricInfo>,
    /// The fully resolved scenario (also in `scenario.toml`, runnable as is).
    pub scenario: Scenario,
}

/// A metric's name and meaning.
#[derive(Clone, Debug, Serialize)]
pub struct MetricInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// The metrics a run records (indices into `METRICS`, as `Params::recorded_metrics`).
pub fn metric_infos(recorded: &[usize]) -> Vec<MetricInfo> {
    recorded
        .iter()
        .map(|&index| &METRICS[index])
        .map(|m| MetricInfo {
            name: m.name,
            description: m.description,
        })
        .collect()
}
