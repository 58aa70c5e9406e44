//! The experiment commands: `compare`, `sweep`, `sensitivity` and `merge`.
//!
//! Owns: their flags, and the glue from flags to a plan (`experiment::plan`), to the
//! experiment run (`batch`) or the Slurm script (`batch::slurm`), and to what is printed.
//! Must never: hold logic a library user would need.

use super::{
    CommandResult, DelayedProgress, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, STOP, plural,
    stop_on_signals, thread_pool,
};
use crate::batch::slurm::{MAX_SHARDS, SlurmScript};
use crate::batch::{self, ExperimentOutcome, ExperimentRequest};
use crate::experiment::plan::{self, Common, ExperimentPlan, Method, PlanError, Shard};
use crate::experiment::vary::Vary;
use crate::output::experiment::shell_quote;
use crate::output::run_dir::utc_timestamp;
use crate::output::size::OutputLimit;
use crate::run;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Flags every experiment command shares.
#[derive(Args, Debug, Clone)]
pub(super) struct ExperimentArgs {
    /// Replicates per point (default: the scenario's run.replicates; the baseline's for compare).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    replicates: Option<u32>,
    /// Steps to simulate (overrides run.steps of every point).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    steps: Option<u32>,
    /// Master seed of every point, 0 to 2^63 − 1 (default: the scenario's run.seed).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Override a scenario key for every point, e.g. --set policy.transparency=0.9.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
    /// Headline outputs: metric or metric:group, comma-separated or repeated (default: cooperation_rate,mean_trust,ties).
    #[arg(long, value_name = "METRIC", value_delimiter = ',')]
    metric: Vec<String>,
    /// Folder to create for the experiment (must not exist, or be empty). Default: output/<name>-<time>.
    #[arg(long, value_name = "DIR", conflicts_with = "resume")]
    out: Option<PathBuf>,
    /// Continue an interrupted experiment in DIR (same command): finished jobs are skipped.
    #[arg(long, value_name = "DIR")]
    resume: Option<PathBuf>,
    /// Run only part I of N of the jobs (1-based); merge the shard folders with `gotong merge`.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Write a Slurm job-array script that runs the shards and merges them; runs nothing here.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["shard", "resume"])]
    emit_slurm: Option<PathBuf>,
    /// Shards (array tasks) for --emit-slurm (default: one per point, at most 1000).
    #[arg(long, value_name = "N", requires = "emit_slurm", value_parser = clap::value_parser!(u32).range(1..=MAX_SHARDS as i64))]
    shards: Option<u32>,
    /// Worker threads (default: all cores; with --emit-slurm, CPUs per task, default 1). Results are identical for any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Skip the plots (data files and reports only).
    #[arg(long)]
    no_plots: bool,
    /// Run even if the estimated memory (the largest point × the jobs run at once) exceeds what is available, or the estimated output exceeds --max-output.
    #[arg(long)]
    force: bool,
    /// Refuse (unless --force) an experiment estimated to write more than SIZE: bytes or K, M, G, T (powers of 1024), e.g. 500M, 2G. Default: GOTONG_MAX_OUTPUT, else 10G.
    #[arg(long, value_name = "SIZE", value_parser = super::parse_max_output)]
    max_output: Option<OutputLimit>,
}

#[derive(Args, Debug)]
pub(super) struct CompareArgs {
    /// Scenario files or preset names (two or more).
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    scenarios: Vec<String>,
    /// The scenario the others are compared with, by name or as given (default: the first).
    #[arg(long, value_name = "NAME")]
    baseline: Option<String>,
    #[command(flatten)]
    common: ExperimentArgs,
}

#[derive(Args, Debug)]
pub(super) struct SweepArgs {
    /// Scenario file or preset name.
    scenario: String,
    /// A key and its values: KEY=START:STOP:COUNT, KEY=a,b,c, or KEY=MIN:MAX with --lhs. Repeat for a grid.
    #[arg(long, required = true, value_name = "KEY=VALUES")]
    vary: Vec<String>,
    /// A Latin hypercube of N points instead of the full grid.
    #[arg(long, value_name = "N")]
    lhs: Option<usize>,
    #[command(flatten)]
    common: ExperimentArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum MethodArg {
    Morris,
    Sobol,
}

#[derive(Args, Debug)]
pub(super) struct SensitivityArgs {
    /// Scenario file or preset name.
    scenario: String,
    /// A key and its range KEY=MIN:MAX (or values KEY=a,b,c). Repeat for each key.
    #[arg(long, required = true, value_name = "KEY=MIN:MAX")]
    vary: Vec<String>,
    /// Morris elementary effects (screening, cheap) or Sobol indices (variance shares).
    #[arg(long, value_enum, default_value = "morris")]
    method: MethodArg,
    /// Morris: trajectories (default 10); Sobol: base samples (default 64). Points: Morris N × (keys + 1), Sobol N × (keys + 2).
    #[arg(long, value_name = "N")]
    samples: Option<usize>,
    /// Morris: levels of the grid (even; default 4).
    #[arg(long, value_name = "N")]
    levels: Option<usize>,
    #[command(flatten)]
    common: ExperimentArgs,
}

#[derive(Args, Debug)]
pub(super) struct MergeArgs {
    /// Shard folders of one experiment (e.g. out-shards/shard-*).
    #[arg(required = true, value_name = "DIR")]
    folders: Vec<PathBuf>,
    /// Folder to create for the merged experiment. Default: output/<name>-<time>.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Worker threads for the plots (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Skip the plots.
    #[arg(long)]
    no_plots: bool,
}

fn bad(e: impl ToString) -> (u8, String) {
    (EXIT_BAD_INPUT, e.to_string())
}

impl ExperimentArgs {
    /// `--shard I/N`, read before anything is loaded.
    fn shard(&self) -> Result<Shard, (u8, String)> {
        match &self.shard {
            Some(text) => Shard::parse(text).map_err(bad),
            None => Ok(Shard::WHOLE),
        }
    }

    fn common(&self) -> Common {
        Common {
            overrides: self.overrides.clone(),
            replicates: self.replicates,
            steps: self.steps,
            seed: self.seed,
            metrics: self.metric.clone(),
        }
    }

    /// The flags that define the experiment, for the Slurm script's command.
    fn defining_argv(&self) -> Vec<String> {
        let mut argv = Vec::new();
        let mut flag = |name: &str, value: String| argv.extend([format!("--{name}"), value]);
        if let Some(v) = self.replicates {
            flag("replicates", v.to_string());
        }
        if let Some(v) = self.steps {
            flag("steps", v.to_string());
        }
        if let Some(v) = self.seed {
            flag("seed", v.to_string());
        }
        self.overrides.iter().for_each(|v| flag("set", v.clone()));
        if !self.metric.is_empty() {
            flag("metric", self.metric.join(","));
        }
        if self.no_plots {
            argv.push("--no-plots".into());
        }
        if self.force {
            argv.push("--force".into());
        }
        argv
    }
}

/// A scenario argument as the Slurm script must give it: files absolute, presets as named.
fn absolute_scenario(text: &str) -> String {
    let path = Path::new(text);
    match path.is_file().then(|| std::fs::canonicalize(path)) {
        Some(Ok(absolute)) => absolute.display().to_string(),
        _ => text.to_string(),
    }
}

/// `--flag value` for each value.
fn flagged<T: ToString>(flag: &str, values: impl Iterator<Item = T>) -> Vec<String> {
    values
        .flat_map(|v| [format!("--{flag}"), v.to_string()])
        .collect()
}

fn varies(texts: &[String]) -> Result<Vec<Vary>, (u8, String)> {
    texts.iter().map(|t| Vary::parse(t).map_err(bad)).collect()
}

pub(super) fn compare_command(args: CompareArgs) -> CommandResult {
    args.common.shard()?;
    let plan = plan::compare(
        &args.scenarios,
        args.baseline.as_deref(),
        &args.common.common(),
    )
    .map_err(plan_error)?;
    let mut argv = vec!["compare".to_string()];
    argv.extend(args.scenarios.iter().map(|s| absolute_scenario(s)));
    argv.extend(flagged("baseline", args.baseline.iter()));
    experiment(plan, &args.common, argv)
}

pub(super) fn sweep_command(args: SweepArgs) -> CommandResult {
    args.common.shard()?;
    let varied = varies(&args.vary)?;
    let plan =
        plan::sweep(&args.scenario, varied, args.lhs, &args.common.common()).map_err(plan_error)?;
    let mut argv = vec!["sweep".to_string(), absolute_scenario(&args.scenario)];
    argv.extend(flagged("vary", args.vary.iter()));
    argv.extend(flagged("lhs", args.lhs.iter()));
    experiment(plan, &args.common, argv)
}

pub(super) fn sensitivity_command(args: SensitivityArgs) -> CommandResult {
    args.common.shard()?;
    let varied = varies(&args.vary)?;
    let (method, default_samples, name) = match args.method {
        MethodArg::Morris => (Method::Morris, 10, "morris"),
        MethodArg::Sobol => (Method::Sobol, 64, "sobol"),
    };
    let samples = args.samples.unwrap_or(default_samples);
    if matches!(args.method, MethodArg::Sobol) && args.levels.is_some() {
        return Err(bad(
            "--levels sets the grid of the Morris method; Sobol samples ranges continuously (drop --levels, or use --method morris)",
        ));
    }
    let levels = args.levels.unwrap_or(4);
    let plan = plan::sensitivity(
        &args.scenario,
        varied,
        method,
        samples,
        levels,
        &args.common.common(),
    )
    .map_err(plan_error)?;
    let mut argv = vec!["sensitivity".to_string(), absolute_scenario(&args.scenario)];
    argv.extend(flagged("vary", args.vary.iter()));
    argv.extend([
        "--method".into(),
        name.into(),
        "--samples".into(),
        samples.to_string(),
    ]);
    if matches!(args.method, MethodArg::Morris) {
        argv.extend(["--levels".into(), levels.to_string()]);
    }
    experiment(plan, &args.common, argv)
}

fn plan_error(e: PlanError) -> (u8, String) {
    bad(e)
}

/// Runs (or emits a Slurm script for) a planned experiment.
fn experiment(plan: ExperimentPlan, args: &ExperimentArgs, mut argv: Vec<String>) -> CommandResult {
    argv.extend(args.defining_argv());
    if let Some(script) = &args.emit_slurm {
        return emit_slurm(&plan, args, argv, script);
    }
    let shard = args.shard()?;
    let request = ExperimentRequest {
        out: args.out.clone(),
        resume: args.resume.clone(),
        output_base: run::default_output_base(),
        shard,
        plots: !args.no_plots,
        command: std::env::args().collect(),
        force: args.force,
        max_output: args.max_output.clone(),
    };
    let pool = thread_pool(args.threads)?;
    let prepared = pool
        .install(|| batch::prepare(&plan, &request))
        .map_err(experiment_error)?;
    if !args.quiet {
        eprintln!(
            "{}: {} × {} = {}; {} to run{} into {}",
            plan.name,
            plural(plan.points.len() as u64, "point"),
            plural(plan.replicates as u64, "replicate"),
            plural(plan.job_count() as u64, "job"),
            prepared.pending.len(),
            if shard == Shard::WHOLE {
                String::new()
            } else {
                format!(" (shard {shard})")
            },
            prepared.folder().display(),
        );
    }
    let progress = DelayedProgress::new(prepared.pending_steps(&plan), args.quiet);
    stop_on_signals();
    let outcome =
        pool.install(|| batch::run(&plan, prepared, !args.no_plots, &|| progress.tick(), &STOP));
    progress.finish();
    let outcome = outcome.map_err(experiment_error)?;
    print_outcome(&plan, &outcome, pool.current_num_threads(), shard);
    Ok(())
}

fn experiment_error(e: batch::ExperimentError) -> (u8, String) {
    let code = if e.is_interrupted() {
        EXIT_INTERRUPTED
    } else if e.is_bad_input() {
        EXIT_BAD_INPUT
    } else {
        EXIT_FAILURE
    };
    (code, e.to_string())
}

fn print_outcome(plan: &ExperimentPlan, outcome: &ExperimentOutcome, threads: usize, shard: Shard) {
    out!(
        "{} {}: {} run, {} already done, of {}, in {:.1} s on {}.",
        capitalised(plan.kind.name()),
        plan.name,
        plural(outcome.jobs_run as u64, "job"),
        outcome.jobs_found,
        outcome.jobs_total,
        outcome.seconds,
        plural(threads as u64, "thread"),
    );
    if !outcome.complete {
        out!(
            "Shard {shard} done in {}. When every shard is done: gotong merge <the shard folders> --out DIR",
            outcome.folder.display()
        );
        return;
    }
    for sentence in &outcome.sentences {
        out!("  {sentence}");
    }
    out!("Results in {}", outcome.folder.display());
    out!(
        "  report.html (send it as is), report.md, {}",
        data_files(outcome)
    );
}

fn data_files(outcome: &ExperimentOutcome) -> String {
    let csv: Vec<&str> = (outcome.files.iter())
        .filter(|f| f.ends_with(".csv"))
        .map(String::as_str)
        .collect();
    format!("{}, plots/, plan.json, jobs/", csv.join(", "))
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn emit_slurm(
    plan: &ExperimentPlan,
    args: &ExperimentArgs,
    command: Vec<String>,
    script_path: &Path,
) -> CommandResult {
    let jobs = plan.job_count();
    let shards = args
        .shards
        .map_or(plan.points.len().min(MAX_SHARDS), |n| n as usize);
    if shards > jobs {
        return Err(bad(format!(
            "--shards {shards}: the experiment has only {jobs} jobs"
        )));
    }
    let out = match &args.out {
        Some(out) => out.clone(),
        None => run::default_output_base().join(format!(
            "{}-{}",
            plan.name,
            utc_timestamp(SystemTime::now())
        )),
    };
    let out = std::path::absolute(&out).map_err(|e| {
        (
            EXIT_FAILURE,
            format!("cannot resolve {}: {e}", out.display()),
        )
    })?;
    if out.exists() {
        return Err(bad(format!(
            "{} already exists; the merged results need a new folder (--out)",
            out.display()
        )));
    }
    let binary = std::env::current_exe().map_err(|e| {
        (
            EXIT_FAILURE,
            format!("cannot find this program's path: {e}"),
        )
    })?;
    let script = SlurmScript {
        name: plan.name.clone(),
        binary,
        command,
        out,
        shards,
        cpus_per_task: args.threads.unwrap_or(1),
        script: std::path::absolute(script_path).unwrap_or_else(|_| script_path.to_path_buf()),
    };
    script.write(script_path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => bad(format!(
            "{} already exists; --emit-slurm never overwrites a file",
            script_path.display()
        )),
        _ => (
            EXIT_FAILURE,
            format!("cannot write {}: {e}", script_path.display()),
        ),
    })?;
    out!(
        "Wrote {}: {} in {} shards ({} per task).",
        script_path.display(),
        plural(jobs as u64, "job"),
        shards,
        plural(script.cpus_per_task as u64, "CPU"),
    );
    out!(
        "Submit it with: bash {}   (an array of {}, then a merge job that waits for them)",
        shell_quote(&script_path.display().to_string()),
        plural(shards as u64, "task"),
    );
    out!(
        "Results will be in {}; shards and logs in {}",
        script.out.display(),
        script.shards_folder().display()
    );
    Ok(())
}

pub(super) fn merge_command(args: MergeArgs) -> CommandResult {
    let pool = thread_pool(args.threads)?;
    let (plan, outcome) = pool
        .install(|| {
            batch::merge(
                &args.folders,
                args.out.as_deref(),
                &run::default_output_base(),
                !args.no_plots,
                std::env::args().collect(),
            )
        })
        .map_err(experiment_error)?;
    if !args.quiet {
        print_outcome(&plan, &outcome, pool.current_num_threads(), Shard::WHOLE);
    }
    Ok(())
}
