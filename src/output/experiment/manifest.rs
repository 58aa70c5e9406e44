//! An experiment's `manifest.json`: what state the folder is in, what was run, when.

use crate::experiment::plan::ExperimentPlan;
use serde::Serialize;

/// The state of an experiment folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExperimentStatus {
    /// Jobs are running (or the process was killed: resume it).
    Running,
    /// Stopped by Ctrl-C or a failure; finished jobs are kept: resume it.
    Interrupted,
    /// A shard's jobs are done; merge the shard folders for results.
    Shard,
    /// Every job is in and every result file is written.
    Complete,
}

/// The contents of an experiment's `manifest.json`.
#[derive(Clone, Debug, Serialize)]
pub struct ExperimentManifest {
    pub status: ExperimentStatus,
    pub kind: &'static str,
    pub name: String,
    pub gotong_version: &'static str,
    /// The command as typed (for people; `plan.json` is what a resume checks).
    pub command: Vec<String>,
    /// `I/N` when this folder ran one shard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    pub points: usize,
    pub replicates: u32,
    pub seed: u64,
    pub jobs_total: usize,
    pub jobs_done: usize,
    /// Threads in the pool; results do not depend on it.
    pub threads: usize,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub wall_time_seconds: Option<f64>,
    /// Result files, relative to the folder (`jobs/` and `plan.json` not listed).
    pub files: Vec<String>,
}

impl ExperimentManifest {
    /// A manifest for a folder starting to run `plan`.
    pub fn new(plan: &ExperimentPlan, command: Vec<String>, started_at: String) -> Self {
        ExperimentManifest {
            status: ExperimentStatus::Running,
            kind: plan.kind.name(),
            name: plan.name.clone(),
            gotong_version: env!("CARGO_PKG_VERSION"),
            command,
            shard: None,
            points: plan.points.len(),
            replicates: plan.replicates,
            seed: plan.seed,
            jobs_total: plan.job_count(),
            jobs_done: 0,
            threads: rayon::current_num_threads(),
            started_at,
            finished_at: None,
            wall_time_seconds: None,
            files: Vec::new(),
        }
    }
}
