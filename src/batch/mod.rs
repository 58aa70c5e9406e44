//! `gotong compare`, `sweep` and `sensitivity` as library calls: a plan in, an experiment
//! folder out; and `gotong merge` of shard folders.
//!
//! Owns: the order of an experiment's work (open or create the folder, find the jobs still
//! to run, run them in parallel, then, once every job of the plan is in the folder, analyse
//! and write the results), what happens on interruption (finished jobs stay, the manifest
//! says `interrupted`, `--resume` continues), and the error a caller gets.
//!
//! Determinism: a job's file depends only on its point's scenario, the plan's seed and the
//! replicate number (see `engine::run`); the analysis reads the job files back in job order.
//! So the results are the same byte for byte whatever the thread count, whichever shards ran
//! which jobs, and whether the experiment was interrupted and resumed.
//! Must never: print, or build a thread pool (the caller runs it inside the pool it wants).

pub mod slurm;

use crate::engine::{self, run_replicate};
use crate::experiment::plan::{ExperimentPlan, Job, Shard};
use crate::experiment::results::{JobRows, Results};
use crate::memory::{self, MemoryError};
use crate::model::params::Params;
use crate::observe::Recorder;
use crate::observe::metrics::metric_index;
use crate::output::OutputError;
use crate::output::experiment::folder::{ExperimentFolder, FolderError, difference};
use crate::output::experiment::manifest::{ExperimentManifest, ExperimentStatus};
use crate::output::experiment::write_results;
use crate::output::run_dir::utc_iso8601;
use crate::output::size::{self, OutputLimit, OutputSizeError};
use crate::scenario::{self, Scenario, ScenarioError};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Instant, SystemTime};

/// Where an experiment goes and how much of it to run.
#[derive(Clone, Debug)]
pub struct ExperimentRequest {
    /// The folder to create (absent or empty); `None` makes `<output_base>/<name>-<time>`.
    pub out: Option<PathBuf>,
    /// An earlier folder of the same experiment to continue instead.
    pub resume: Option<PathBuf>,
    /// Where experiments land without `out` (the command line uses `output`).
    pub output_base: PathBuf,
    /// The part of the jobs to run.
    pub shard: Shard,
    /// Whether to draw plots (the report then has none).
    pub plots: bool,
    /// The command as typed, for the manifest.
    pub command: Vec<String>,
    /// Run even if the memory estimate exceeds the memory available (see [`crate::memory`])
    /// or the output estimate exceeds the output limit (see [`crate::output::size`]).
    pub force: bool,
    /// The most bytes the experiment may write (`--max-output`); `None`:
    /// `GOTONG_MAX_OUTPUT`, else [`crate::output::size::DEFAULT_LIMIT`].
    pub max_output: Option<OutputLimit>,
}

/// What an experiment (or a merge) did.
#[derive(Clone, Debug)]
pub struct ExperimentOutcome {
    pub folder: PathBuf,
    pub jobs_total: usize,
    /// Jobs run by this call.
    pub jobs_run: usize,
    /// Jobs found already done (resume) or copied (merge).
    pub jobs_found: usize,
    /// Whether every job is in and the results are written.
    pub complete: bool,
    pub seconds: f64,
    /// The report's lead sentences (empty unless complete).
    pub sentences: Vec<String>,
    /// Result files written, relative to the folder.
    pub files: Vec<String>,
}

/// Why an experiment failed.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    #[error("{0}")]
    Folder(#[from] FolderError),
    #[error("point {point} ({label}): the scenario saved in plan.json does not load: {source}")]
    Scenario {
        point: usize,
        label: String,
        source: Box<ScenarioError>,
    },
    #[error("point {point} replicate {replicate}: {source}")]
    Job {
        point: usize,
        replicate: u32,
        source: engine::RunError,
    },
    #[error(
        "interrupted with {done} of {total} jobs done; they are kept in {}: continue with the same command and --resume {}",
        folder.display(), folder.display()
    )]
    Interrupted {
        folder: PathBuf,
        done: usize,
        total: usize,
    },
    #[error("merge: {0}")]
    Merge(String),
    #[error("{0}")]
    Memory(#[from] MemoryError),
    #[error("{0}")]
    OutputSize(#[from] OutputSizeError),
}

impl ExperimentError {
    /// Whether the user's input is at fault (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            ExperimentError::Folder(e) => e.is_bad_input(),
            ExperimentError::Merge(_)
            | ExperimentError::Memory(_)
            | ExperimentError::OutputSize(_) => true,
            _ => false,
        }
    }

    pub fn is_interrupted(&self) -> bool {
        matches!(self, ExperimentError::Interrupted { .. })
    }
}

/// An experiment folder ready to run: what is done and what is left.
pub struct Prepared {
    folder: ExperimentFolder,
    /// Jobs of this shard still to run, in job order.
    pub pending: Vec<Job>,
    /// Jobs of the plan already in the folder.
    pub done: usize,
    manifest: ExperimentManifest,
    clock: Instant,
}

impl Prepared {
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// Steps the pending jobs will run (for a progress bar).
    pub fn pending_steps(&self, plan: &ExperimentPlan) -> u64 {
        (self.pending.iter())
            .map(|job| plan.points[job.point].steps as u64)
            .sum()
    }
}

/// Opens (`resume`) or creates the experiment's folder and finds the jobs left to run.
pub fn prepare(
    plan: &ExperimentPlan,
    request: &ExperimentRequest,
) -> Result<Prepared, ExperimentError> {
    let clock = Instant::now();
    if !request.force {
        check_limits(plan, request)?;
    }
    let folder = match &request.resume {
        Some(path) => ExperimentFolder::resume(path, plan)?,
        None => ExperimentFolder::create(request.out.as_deref(), &request.output_base, plan)?,
    };
    let done = folder.done_jobs(plan);
    let pending: Vec<Job> = (plan.jobs().enumerate())
        .filter(|(number, job)| request.shard.owns(*number) && !done.contains(job))
        .map(|(_, job)| job)
        .collect();
    let mut manifest = ExperimentManifest::new(
        plan,
        request.command.clone(),
        utc_iso8601(SystemTime::now()),
    );
    manifest.shard = (request.shard != Shard::WHOLE).then(|| request.shard.to_string());
    manifest.jobs_done = done.len();
    Ok(Prepared {
        folder,
        pending,
        done: done.len(),
        manifest,
        clock,
    })
}

/// Refuses an experiment whose output or memory estimate exceeds its limit: the whole
/// plan's output, and the largest point's memory times the jobs that run at once (one per
/// thread of the pool, at most the jobs of this shard).
fn check_limits(plan: &ExperimentPlan, request: &ExperimentRequest) -> Result<(), ExperimentError> {
    let scenarios: Vec<Scenario> = (point_scenarios(plan)?.into_iter())
        .map(|(scenario, _)| scenario)
        .collect();
    let limit = OutputLimit::resolve(request.max_output.as_ref())?;
    let output = size::estimate_experiment(plan, &scenarios, request.plots);
    size::check(&output, &limit)?;
    let threads = rayon::current_num_threads();
    let shard_jobs = (0..plan.job_count())
        .filter(|&n| request.shard.owns(n))
        .count();
    let estimate = memory::estimate_experiment(
        &scenarios,
        threads.min(shard_jobs),
        threads,
        plan.outputs.len(),
        plan.replicates,
    );
    memory::check(&estimate, memory::available()?)?;
    Ok(())
}

/// Runs the pending jobs, then writes the results if every job of the plan is in.
/// `on_step` is called after every step of every job; `stop` ends the work between steps,
/// keeping finished jobs ([`ExperimentError::Interrupted`]).
pub fn run(
    plan: &ExperimentPlan,
    mut prepared: Prepared,
    plots: bool,
    on_step: &(dyn Fn() + Sync),
    stop: &AtomicBool,
) -> Result<ExperimentOutcome, ExperimentError> {
    write_manifest(&prepared.folder, &prepared.manifest)?;
    let scenarios = point_scenarios(plan)?;
    let finished = AtomicUsize::new(0);
    let result = prepared.pending.par_iter().try_for_each(|&job| {
        run_job(plan, &scenarios, job, &prepared.folder, on_step, stop)?;
        finished.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let jobs_run = finished.load(Ordering::Relaxed);
    prepared.manifest.jobs_done = prepared.done + jobs_run;
    let result = result.and_then(|()| finish(plan, &mut prepared, plots, jobs_run));
    result.map_err(|error| {
        mark_interrupted(&mut prepared);
        match error {
            ExperimentError::Job {
                source: engine::RunError::Interrupted,
                ..
            } => ExperimentError::Interrupted {
                folder: prepared.folder.path().to_path_buf(),
                done: prepared.manifest.jobs_done,
                total: plan.job_count(),
            },
            other => other,
        }
    })
}

/// After a failure or an interruption: the manifest says `interrupted` (finished jobs are
/// kept for `--resume`). If even that cannot be written (a full disk), the manifest written
/// when the experiment started stays, saying `running`: never `complete`. The error that
/// stopped the experiment is the one reported, so this one is not.
fn mark_interrupted(prepared: &mut Prepared) {
    prepared.manifest.status = ExperimentStatus::Interrupted;
    prepared.manifest.files.clear();
    if write_manifest(&prepared.folder, &prepared.manifest).is_err() {
        prepared.manifest.status = ExperimentStatus::Running;
    }
}

/// Writes the results if every job is in; otherwise marks the folder as a finished shard.
fn finish(
    plan: &ExperimentPlan,
    prepared: &mut Prepared,
    plots: bool,
    jobs_run: usize,
) -> Result<ExperimentOutcome, ExperimentError> {
    let folder = &prepared.folder;
    let all_done = prepared.manifest.jobs_done == plan.job_count()
        || folder.done_jobs(plan).len() == plan.job_count();
    let mut outcome = ExperimentOutcome {
        folder: folder.path().to_path_buf(),
        jobs_total: plan.job_count(),
        jobs_run,
        jobs_found: prepared.done,
        complete: all_done,
        seconds: 0.0,
        sentences: Vec::new(),
        files: Vec::new(),
    };
    if all_done {
        let jobs = plan
            .jobs()
            .map(|job| folder.read_job(job))
            .collect::<Result<Vec<_>, _>>()?;
        let results = Results::gather(plan, jobs);
        let seconds = prepared.clock.elapsed().as_secs_f64();
        let written = write_results(folder, plan, &results, plots, &prepared.manifest, seconds)?;
        outcome.sentences = written.sentences;
        outcome.files = written.files.clone();
        prepared.manifest.files = written.files;
        prepared.manifest.status = ExperimentStatus::Complete;
        prepared.manifest.jobs_done = plan.job_count();
    } else {
        prepared.manifest.status = ExperimentStatus::Shard;
    }
    prepared.manifest.finished_at = Some(utc_iso8601(SystemTime::now()));
    outcome.seconds = prepared.clock.elapsed().as_secs_f64();
    prepared.manifest.wall_time_seconds = Some(outcome.seconds);
    write_manifest(&prepared.folder, &prepared.manifest)?;
    Ok(outcome)
}

fn write_manifest(
    folder: &ExperimentFolder,
    manifest: &ExperimentManifest,
) -> Result<(), FolderError> {
    let text = serde_json::to_string_pretty(manifest).map_err(|e| OutputError::Write {
        path: folder.path().join("manifest.json"),
        source: std::io::Error::other(e),
    })?;
    folder.write_atomically("manifest.json", &(text + "\n"))
}

/// Each point's scenario, read back from the plan (so shards and resumes run exactly what
/// was planned, even if the files changed since), with its parameters.
fn point_scenarios(plan: &ExperimentPlan) -> Result<Vec<(Scenario, Params)>, ExperimentError> {
    (plan.points.iter().enumerate())
        .map(|(index, point)| {
            let scenario =
                scenario::from_text(&point.label, &point.scenario, &[]).map_err(|source| {
                    ExperimentError::Scenario {
                        point: index + 1,
                        label: point.label.clone(),
                        source: Box::new(source),
                    }
                })?;
            let params = Params::new(&scenario);
            Ok((scenario, params))
        })
        .collect()
}

fn run_job(
    plan: &ExperimentPlan,
    scenarios: &[(Scenario, Params)],
    job: Job,
    folder: &ExperimentFolder,
    on_step: &(dyn Fn() + Sync),
    stop: &AtomicBool,
) -> Result<(), ExperimentError> {
    let (scenario, params) = &scenarios[job.point];
    let headline = (plan.outputs.iter())
        .filter_map(|o| metric_index(&o.metric))
        .collect();
    let mut recorder = Recorder::new(false, params.steps).recording_between(headline);
    run_replicate(
        scenario,
        params,
        job.replicate,
        &mut recorder,
        on_step,
        stop,
    )
    .map_err(|source| ExperimentError::Job {
        point: job.point + 1,
        replicate: job.replicate,
        source,
    })?;
    folder.write_job(&JobRows::keep(job, plan, &recorder.rows))?;
    Ok(())
}

/// Combines shard folders of one experiment into a new folder `out` (or
/// `<output_base>/<name>-<time>`) holding every job and the results: the same files an
/// unsharded run writes, the CSVs byte for byte.
pub fn merge(
    folders: &[PathBuf],
    out: Option<&Path>,
    output_base: &Path,
    plots: bool,
    command: Vec<String>,
) -> Result<(ExperimentPlan, ExperimentOutcome), ExperimentError> {
    let clock = Instant::now();
    let Some((first, rest)) = folders.split_first() else {
        return Err(ExperimentError::Merge(
            "give the shard folders to merge, e.g. gotong merge out-shards/shard-*".into(),
        ));
    };
    let (first_folder, plan) = ExperimentFolder::open(first)?;
    let mut opened = vec![first_folder];
    for path in rest {
        let (folder, other) = ExperimentFolder::open(path)?;
        if let Some(difference) = difference(&other, &plan) {
            return Err(ExperimentError::Merge(format!(
                "{} and {} hold different experiments ({difference})",
                first.display(),
                path.display()
            )));
        }
        opened.push(folder);
    }
    let mut jobs = Vec::with_capacity(plan.job_count());
    let mut missing = Vec::new();
    for job in plan.jobs() {
        match opened.iter().find_map(|f| f.read_job(job).ok()) {
            Some(rows) => jobs.push(rows),
            None => missing.push(job),
        }
    }
    if !missing.is_empty() {
        return Err(ExperimentError::Merge(missing_jobs(&plan, &missing)));
    }
    let folder = ExperimentFolder::create(out, output_base, &plan)?;
    for rows in &jobs {
        folder.write_job(rows)?;
    }
    let mut manifest = ExperimentManifest::new(&plan, command, utc_iso8601(SystemTime::now()));
    manifest.jobs_done = plan.job_count();
    let mut prepared = Prepared {
        folder,
        pending: Vec::new(),
        done: plan.job_count(),
        manifest,
        clock,
    };
    let outcome = finish(&plan, &mut prepared, plots, 0).inspect_err(|_| {
        mark_interrupted(&mut prepared);
    })?;
    Ok((plan, outcome))
}

/// Says which jobs no folder holds, and which shard `I/N` of a few usual counts ran them.
fn missing_jobs(plan: &ExperimentPlan, missing: &[Job]) -> String {
    let shown: Vec<String> = (missing.iter().take(5))
        .map(|job| format!("point {} replicate {}", job.point + 1, job.replicate))
        .collect();
    let more = if missing.len() > 5 {
        format!(" and {} more", missing.len() - 5)
    } else {
        String::new()
    };
    format!(
        "{} of {} jobs are in none of the folders ({}{more}); run the missing shards (or `--resume` their folders) and merge again",
        missing.len(),
        plan.job_count(),
        shown.join(", ")
    )
}
