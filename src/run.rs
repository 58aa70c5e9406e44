//! `gotong run` as a library call: scenario in, run folder out.
//!
//! Owns: the order of a run's work (load and validate, check that it fits in memory
//! (`crate::memory`) and under the output limit (`crate::output::size`), prepare the
//! folder, run the replicates, write data, networks and plots and, if asked, the
//! animation, mark the manifest complete, reveal the folder) and the error a caller gets
//! when any of it fails. Nothing is left behind on failure: the folder only appears once
//! complete (see `output::run_dir`).
//! Must never: print, or build a thread pool (the caller runs it inside the pool it wants).

use crate::engine::{self, streams::Streams};
use crate::experiment::statistics::{Describe, Summary};
use crate::memory::{self, MemoryError};
use crate::model::params::Params;
use crate::observe::{Recorder, frames};
use crate::output::animation;
use crate::output::manifest::{Manifest, RunStatus, metric_infos};
use crate::output::run_dir::{RunFolder, RunFolderError, utc_iso8601};
use crate::output::size::{self, OutputLimit, OutputSizeError};
use crate::output::{self, OutputError};
use crate::scenario::{LoadedScenario, ScenarioError};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Instant, SystemTime};

/// Where a run goes and what it draws.
#[derive(Clone, Debug, Default)]
pub struct RunRequest {
    /// The folder to create; `None` makes `<output_base>/<name>-<timestamp>`.
    pub out: Option<PathBuf>,
    /// Where runs land without `out` (the command line uses `output`).
    pub output_base: PathBuf,
    /// Whether to draw the plots (PNG and SVG).
    pub plots: bool,
    /// Run even if the memory estimate exceeds the memory available (see [`crate::memory`])
    /// or the output estimate exceeds the output limit (see [`crate::output::size`]).
    pub force: bool,
    /// The most bytes the run may write (`--max-output`); `None`: `GOTONG_MAX_OUTPUT`, else
    /// [`crate::output::size::DEFAULT_LIMIT`].
    pub max_output: Option<OutputLimit>,
    /// Also write `plots/network.gif`, replicate 0's network over the run (needs `plots`;
    /// see [`crate::output::animation`]).
    pub animate: bool,
}

/// What became of the animation a run was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnimationOutcome {
    /// `animate` was off.
    NotAsked,
    /// `plots/network.gif` is written.
    Written,
    /// Not drawn, for the reason given (the run itself is complete).
    Skipped(String),
}

/// What a finished run produced.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    /// The run folder.
    pub folder: PathBuf,
    /// Agents in the scenario.
    pub agents: usize,
    /// Replicates and steps run.
    pub replicates: u32,
    pub steps: u32,
    /// Wall time in seconds, all included.
    pub seconds: f64,
    /// Final-step statistics of the headline metrics (name, statistics).
    pub headline: Vec<(&'static str, Describe)>,
    /// Whether replicate 0's networks were written (GraphML and the network picture); not
    /// above [`MAX_NETWORK_FILE_TIES`].
    pub networks_written: bool,
    /// Whether `plots/network.gif` was written, or why not.
    pub animation: AnimationOutcome,
    /// The files written, relative to the folder (as listed in `manifest.json`).
    pub files: Vec<String>,
}

/// Networks expected to start with more ties than this are not written (no GraphML files,
/// no network picture) and not kept in memory for it: a GraphML file takes about 330 bytes
/// per tie (1.9 GB for the 5.8 million ties of `scenarios/bench/school_1m.toml` at step 0,
/// measured), and the two snapshots held until the end about 55 bytes per tie and 80 per
/// agent (docs/performance.md, "Scale and memory").
pub const MAX_NETWORK_FILE_TIES: f64 = 1_000_000.0;

/// Whether a run of `scenario` writes replicate 0's networks (see [`MAX_NETWORK_FILE_TIES`]).
pub fn writes_networks(scenario: &crate::scenario::Scenario) -> bool {
    scenario.run.networks && scenario.expected_initial_ties() <= MAX_NETWORK_FILE_TIES
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    #[error("{0}")]
    Folder(#[from] RunFolderError),
    #[error("{0}")]
    Output(#[from] OutputError),
    #[error("{0}")]
    Engine(#[from] engine::RunError),
    #[error("{0}")]
    Memory(#[from] MemoryError),
    #[error("{0}")]
    OutputSize(#[from] OutputSizeError),
    #[error(
        "--animate draws plots/network.gif, so it cannot be combined with --no-plots; drop one of the two"
    )]
    AnimateWithoutPlots,
}

impl RunError {
    /// Whether the run stopped because it was asked to (Ctrl-C, SIGTERM).
    pub fn is_interrupted(&self) -> bool {
        matches!(self, RunError::Engine(engine::RunError::Interrupted))
    }
}

impl RunError {
    /// Whether the user's input is at fault (exit code 2) rather than the machine (1).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            RunError::Scenario(_)
                | RunError::Memory(_)
                | RunError::OutputSize(_)
                | RunError::AnimateWithoutPlots
                | RunError::Folder(
                    RunFolderError::NotEmpty { .. } | RunFolderError::NotAFolder { .. }
                )
        )
    }
}

/// Metrics summarised in the outcome, at the last step, group `all`.
pub const HEADLINE_METRICS: [&str; 3] = ["cooperation_rate", "mean_trust", "ties"];

/// Runs a loaded scenario (see [`crate::scenario::load`]) to a complete run folder.
/// `on_step` is called after every step of every replicate (total: replicates × steps);
/// `stop` ends the run early with [`RunError::is_interrupted`], leaving no folder behind.
pub fn run(
    loaded: &LoadedScenario,
    request: &RunRequest,
    on_step: &(dyn Fn() + Sync),
    stop: &AtomicBool,
) -> Result<RunOutcome, RunError> {
    let clock = Instant::now();
    let started_at = utc_iso8601(SystemTime::now());
    let scenario = &loaded.scenario;
    if request.animate && !request.plots {
        return Err(RunError::AnimateWithoutPlots);
    }
    let networks_written = writes_networks(scenario);

    check_limits(scenario, request, networks_written)?;
    let params = Params::new(scenario);
    // Frames are kept only for a network that starts small enough to draw.
    let animation_fits = animation::animates(scenario.agent_count());
    let frame_steps = if request.animate && animation_fits.is_ok() {
        let recorded: Vec<u32> = (0..=params.steps)
            .filter(|&step| engine::is_recorded(step, &params))
            .collect();
        frames::frame_steps(&recorded)
    } else {
        Vec::new()
    };
    let folder = RunFolder::create(
        request.out.as_deref(),
        &request.output_base,
        &scenario.run.name,
    )?;
    let mut manifest = Manifest {
        status: RunStatus::Incomplete,
        gotong_version: env!("CARGO_PKG_VERSION"),
        source: loaded.source.origin(),
        overrides: loaded.overrides.clone(),
        initial_moves: (scenario.initial_moves.as_ref()).map(|m| m.path.display().to_string()),
        imported: (scenario.imported.as_ref()).map(|n| n.summary.clone()),
        seed: scenario.run.seed,
        replicates: scenario.run.replicates,
        steps: scenario.run.steps,
        agents: scenario.agent_count(),
        threads: rayon::current_num_threads(),
        started_at,
        finished_at: None,
        wall_time_seconds: None,
        files: Vec::new(),
        metrics: metric_infos(&params.recorded_metrics),
        scenario: scenario.clone(),
    };
    output::write_manifest(folder.path(), &manifest)?;

    let replicates: Vec<u32> = (0..scenario.run.replicates).collect();
    let recorders = engine::run_replicates(
        scenario,
        &params,
        &replicates,
        |replicate| {
            let frames = if replicate == 0 {
                frame_steps.clone()
            } else {
                Vec::new()
            };
            Recorder::new(replicate == 0 && networks_written, params.steps).with_frames(frames)
        },
        on_step,
        stop,
    )?;
    let summary = Summary::from_replicates(recorders.iter().map(|r| r.rows.as_slice()));
    let layout_streams = Streams::new(scenario.run.seed, 0);
    let files = output::write_run_files(
        &folder,
        scenario,
        &recorders,
        &summary,
        request.plots,
        layout_streams,
    )?;

    manifest.files = files;
    let animation = if !request.animate {
        AnimationOutcome::NotAsked
    } else if let Err(skipped) = &animation_fits {
        AnimationOutcome::Skipped(skipped.to_string())
    } else {
        let frames = recorders.first().map(|r| r.frames.as_slice());
        let plots = folder.subfolder("plots")?;
        let gif = plots.join("network.gif");
        let year = scenario.run.steps_per_year;
        let frames = frames.unwrap_or_default();
        animation::write_network_animation(&gif, frames, year, &layout_streams)
            .map_err(OutputError::from)?;
        manifest.files.push("plots/network.gif".into());
        AnimationOutcome::Written
    };
    manifest.files.push("manifest.json".into());
    manifest.status = RunStatus::Complete;
    manifest.finished_at = Some(utc_iso8601(SystemTime::now()));
    manifest.wall_time_seconds = Some(clock.elapsed().as_secs_f64());
    output::write_manifest(folder.path(), &manifest)?;
    let folder = folder.finish()?;
    Ok(RunOutcome {
        folder,
        agents: manifest.agents,
        replicates: scenario.run.replicates,
        steps: scenario.run.steps,
        seconds: clock.elapsed().as_secs_f64(),
        headline: headline(&summary),
        networks_written,
        animation,
        files: manifest.files,
    })
}

/// Refuses a run whose output or memory estimate exceeds its limit, unless `force` (which
/// skips both checks, and reading their limits).
fn check_limits(
    scenario: &crate::scenario::Scenario,
    request: &RunRequest,
    networks: bool,
) -> Result<(), RunError> {
    if request.force {
        return Ok(());
    }
    let limit = OutputLimit::resolve(request.max_output.as_ref())?;
    let animate = request.animate && request.plots;
    let output = size::estimate_run(scenario, networks, request.plots, animate);
    size::check(&output, &limit)?;
    let threads = rayon::current_num_threads();
    let estimate = memory::estimate(scenario, threads, networks);
    memory::check(&estimate, memory::available()?)?;
    Ok(())
}

fn headline(summary: &Summary) -> Vec<(&'static str, Describe)> {
    let Some(last) = summary.last_step() else {
        return Vec::new();
    };
    HEADLINE_METRICS
        .iter()
        .filter_map(|&name| {
            summary
                .series(name, "all")
                .find(|row| row.step == last)
                .map(|row| (name, row.stats))
        })
        .collect()
}

/// The default place runs land: `output/` in the current folder.
pub fn default_output_base() -> PathBuf {
    Path::new("output").to_path_buf()
}
