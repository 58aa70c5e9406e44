//! The command line: argument definitions and the glue from each command to the library.
//!
//! Owns: what the user types and sees: flags, help texts, progress bars, messages, and exit
//! codes (0 success, 2 bad input, 1 any other failure).
//! Must never: hold logic a library user would need; each command calls one library
//! function and renders its result or error.

use crate::experiment::tournament::TournamentSpec;
use crate::output::size::OutputLimit;
use crate::run::{self, RunRequest};
use crate::scenario::{self, presets};
use crate::tournament::{self, TournamentRequest};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Prints a line on stdout; a closed stdout (`gotong list | head -1`) is not an error.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod experiment;

/// Exit code for bad input (scenario, arguments, an occupied output folder).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for any other failure (disk, memory).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Set by the first Ctrl-C or SIGTERM; the engine stops between steps.
static STOP: AtomicBool = AtomicBool::new(false);

/// The first Ctrl-C (or SIGTERM) asks the run to stop between steps, so its folder is
/// removed cleanly; a second one exits at once.
fn stop_on_signals() {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(EXIT_INTERRUPTED as i32);
        }
        eprintln!(
            "\nstopping after the current step or match (a second Ctrl-C or signal quits at once)"
        );
    });
}

/// gotong: networking and cooperation in a school community, simulated.
#[derive(Parser, Debug)]
#[command(name = "gotong", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario: replicates in parallel, data files, networks and plots in a new folder.
    Run(RunArgs),
    /// Check scenario files without running them.
    Validate {
        /// Scenario files or preset names.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
    },
    /// List the built-in scenarios (presets).
    List,
    /// Play an Axelrod-style round robin of strategies: every pair, and each against a copy of itself.
    Tournament(TournamentArgs),
    /// Compare scenarios with common random numbers: statistics, plots and a report.
    Compare(experiment::CompareArgs),
    /// Sweep parameters over a grid or a Latin hypercube: a table, plots and a report.
    Sweep(experiment::SweepArgs),
    /// Sensitivity analysis: Morris elementary effects or Sobol indices of the outputs.
    Sensitivity(experiment::SensitivityArgs),
    /// Combine shard folders of one experiment (from --shard or --emit-slurm) into its results.
    Merge(experiment::MergeArgs),
    /// Serve a live view of one run in the browser, with play/pause, levers and shocks (see docs/serve.md).
    Serve(ServeArgs),
    /// Write a fully commented scenario to edit.
    Init {
        /// Where to write it (an existing file is never overwritten).
        path: PathBuf,
        /// Start from this preset (see `gotong list`).
        #[arg(long, default_value = "default")]
        preset: String,
    },
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Scenario file or preset name (see `gotong list`); the default school if omitted.
    scenario: Option<String>,
    /// Folder to create for the results (must not exist, or be empty). Default: output/<name>-<time>.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Master seed, 0 to 2^63 − 1 (overrides run.seed).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Number of replicates (overrides run.replicates).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    replicates: Option<u32>,
    /// Steps to simulate (overrides run.steps).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    steps: Option<u32>,
    /// Worker threads (default: all cores). Results are identical for any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Override any scenario key by its dotted path, with a TOML value, e.g. --set policy.transparency=0.9.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Skip the plots (data files only; faster for large sweeps of runs).
    #[arg(long)]
    no_plots: bool,
    /// Also write plots/network.gif: replicate 0's network over the run, about 50 frames, roles coloured (not with --no-plots).
    #[arg(long)]
    animate: bool,
    /// Run even if the estimated memory exceeds what is available (GOTONG_MEMORY_LIMIT, else MemAvailable of /proc/meminfo and the cgroup's limit), or the estimated output exceeds --max-output.
    #[arg(long)]
    force: bool,
    /// Refuse (unless --force) a run estimated to write more than SIZE: bytes or K, M, G, T (powers of 1024), e.g. 500M, 2G. Default: GOTONG_MAX_OUTPUT, else 10G.
    #[arg(long, value_name = "SIZE", value_parser = parse_max_output)]
    max_output: Option<OutputLimit>,
    /// Starting move of lattice cells: a CSV file with columns x,y,move (move C or D); cells not listed keep what the scenario draws.
    #[arg(long, value_name = "FILE.csv")]
    initial_moves: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Scenario file or preset name (see `gotong list`); the default school if omitted.
    scenario: Option<String>,
    /// Port on localhost (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Open the page in the default browser (xdg-open, open or start).
    #[arg(long)]
    open: bool,
    /// Master seed, 0 to 2^63 − 1 (overrides run.seed).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Override any scenario key by its dotted path, with a TOML value, e.g. --set policy.transparency=0.9.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
}

#[derive(Args, Debug)]
struct TournamentArgs {
    /// Comma-separated strategies: allc, alld, tft, stft, tf2t, grudger, wsls, alternator, gtft, gtft(g), random, random(p).
    #[arg(long, value_name = "LIST")]
    strategies: String,
    /// Turns per match.
    #[arg(long, value_name = "N", default_value_t = 200)]
    turns: u32,
    /// The prisoner's dilemma as R,S,T,P (T > R > P > S).
    #[arg(
        long,
        value_name = "R,S,T,P",
        default_value = "3,0,5,1",
        allow_hyphen_values = true
    )]
    payoffs: String,
    /// Chance in [0, 1] that each intended action is flipped.
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.0,
        allow_hyphen_values = true
    )]
    noise: f64,
    /// How many times the whole round robin is played.
    #[arg(long, value_name = "N", default_value_t = 10)]
    repetitions: u32,
    /// Master seed, 0 to 2^63 − 1 (noise and the random strategies draw from it).
    #[arg(long, value_name = "N", default_value_t = 42, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: u64,
    /// Folder to create for the results (must not exist, or be empty). Default: output/tournament-<time>.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Worker threads (default: all cores). Results are identical for any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Skip the plot.
    #[arg(long)]
    no_plots: bool,
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run_command(args),
        Command::Validate { files } => validate_command(&files),
        Command::Tournament(args) => tournament_command(args),
        Command::List => list_command(),
        Command::Compare(args) => experiment::compare_command(args),
        Command::Sweep(args) => experiment::sweep_command(args),
        Command::Sensitivity(args) => experiment::sensitivity_command(args),
        Command::Merge(args) => experiment::merge_command(args),
        Command::Serve(args) => serve_command(args),
        Command::Init { path, preset } => init_command(&path, &preset),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("error: {message}");
            ExitCode::from(code)
        }
    }
}

type CommandResult = Result<(), (u8, String)>;

/// `--max-output SIZE`, read by clap (a bad size is a usage error, exit 2).
fn parse_max_output(text: &str) -> Result<OutputLimit, String> {
    OutputLimit::from_flag(text).map_err(|e| e.to_string())
}

/// The exit status of a failed command: bad input (2) or another failure.
fn exit_code(bad_input: bool) -> u8 {
    if bad_input {
        EXIT_BAD_INPUT
    } else {
        EXIT_FAILURE
    }
}

fn serve_command(args: ServeArgs) -> CommandResult {
    let mut overrides = args.overrides.clone();
    overrides.extend(args.seed.map(|v| format!("run.seed={v}")));
    let loaded = scenario::load(args.scenario.as_deref(), &overrides)
        .map_err(|e| (EXIT_BAD_INPUT, e.to_string()))?;
    let session = crate::serve::session::Session::new(loaded.scenario.clone())
        .map_err(|e| (EXIT_BAD_INPUT, e.to_string()))?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], args.port));
    let server = crate::serve::start(session, addr)
        .map_err(|e| (exit_code(e.is_bad_input()), e.to_string()))?;
    let url = format!("http://{}/", server.addr);
    out!(
        "Serving {} ({} agents) at {url}",
        loaded.scenario.run.name,
        loaded.scenario.agent_count()
    );
    out!("Press Ctrl-C to stop.");
    if args.open {
        open_in_browser(&url);
    }
    stop_on_signals();
    while !STOP.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();
    Ok(())
}

/// Asks the desktop to open `url`; says so if it cannot (the server keeps running).
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(opener.0)
        .args(&opener.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!(
            "could not open a browser ({}); open {url} yourself",
            opener.0
        );
    }
}

fn run_command(args: RunArgs) -> CommandResult {
    let mut overrides = args.overrides.clone();
    overrides.extend(args.seed.map(|v| format!("run.seed={v}")));
    overrides.extend(args.replicates.map(|v| format!("run.replicates={v}")));
    overrides.extend(args.steps.map(|v| format!("run.steps={v}")));
    // Load and validate first, so a bad scenario is reported before any thread or bar starts.
    let mut loaded = scenario::load(args.scenario.as_deref(), &overrides)
        .map_err(|e| (EXIT_BAD_INPUT, e.to_string()))?;
    if let Some(path) = &args.initial_moves {
        loaded = loaded
            .with_initial_moves(path)
            .map_err(|e| (EXIT_BAD_INPUT, e.to_string()))?;
    }
    let request = RunRequest {
        out: args.out.clone(),
        output_base: run::default_output_base(),
        plots: !args.no_plots,
        force: args.force,
        max_output: args.max_output.clone(),
        animate: args.animate,
    };
    let pool = thread_pool(args.threads)?;
    let threads = pool.current_num_threads();
    let total = loaded.scenario.run.replicates as u64 * loaded.scenario.run.steps as u64;
    let progress = DelayedProgress::new(total, args.quiet);
    stop_on_signals();
    let outcome = pool.install(|| run::run(&loaded, &request, &|| progress.tick(), &STOP));
    progress.finish();
    let outcome = outcome.map_err(|e| {
        if e.is_interrupted() {
            (
                EXIT_INTERRUPTED,
                "interrupted; the unfinished run folder was removed".to_string(),
            )
        } else if e.is_bad_input() {
            (EXIT_BAD_INPUT, e.to_string())
        } else {
            (EXIT_FAILURE, e.to_string())
        }
    })?;
    out!(
        "Ran {}: {} agents, {} × {} in {:.1} s on {}.",
        loaded.scenario.run.name,
        outcome.agents,
        plural(outcome.replicates as u64, "replicate"),
        plural(outcome.steps as u64, "step"),
        outcome.seconds,
        plural(threads as u64, "thread"),
    );
    if let Some(imported) = &loaded.scenario.imported {
        out!("  {}", imported.summary.describe());
    }
    for (name, stats) in &outcome.headline {
        let interval = stats
            .ci
            .map(|(low, high)| format!("  (95% CI {} to {})", round(low), round(high)))
            .unwrap_or_default();
        out!(
            "  {name:<18} at step {}: {}{interval}",
            outcome.steps,
            round(stats.mean)
        );
    }
    out!("Results in {}", outcome.folder.display());
    out!("  {}", top_level_entries(&outcome.files).join(", "));
    match &outcome.animation {
        run::AnimationOutcome::NotAsked => {}
        run::AnimationOutcome::Written => out!("  plots/network.gif: the network over the run"),
        run::AnimationOutcome::Skipped(reason) => {
            out!("  no plots/network.gif: {reason}")
        }
    }
    if !loaded.scenario.run.networks {
        out!("  networks/ is empty and there is no network picture: run.networks = false");
    } else if !outcome.networks_written {
        out!(
            "  networks/ is empty and there is no network picture: the network starts with about {:.0} ties, more than the {:.0} written as GraphML",
            loaded.scenario.expected_initial_ties(),
            run::MAX_NETWORK_FILE_TIES
        );
    }
    Ok(())
}

fn tournament_command(args: TournamentArgs) -> CommandResult {
    let spec = TournamentSpec::new(
        &args.strategies,
        args.turns,
        &args.payoffs,
        args.noise,
        args.repetitions,
        args.seed,
    )
    .map_err(|e| (EXIT_BAD_INPUT, e.to_string()))?;
    let request = TournamentRequest {
        out: args.out,
        output_base: run::default_output_base(),
        plots: !args.no_plots,
    };
    let pool = thread_pool(args.threads)?;
    stop_on_signals();
    let outcome = pool
        .install(|| tournament::run_tournament(&spec, &request, &STOP))
        .map_err(|e| {
            if e.is_interrupted() {
                let said = "interrupted; the unfinished tournament folder was removed";
                (EXIT_INTERRUPTED, said.to_string())
            } else {
                (exit_code(e.is_bad_input()), e.to_string())
            }
        })?;
    let p = &spec.payoffs;
    out!(
        "Tournament of {} strategies: {} × {}, payoffs R={} S={} T={} P={}, noise {}, in {:.1} s on {}.",
        spec.entrants.len(),
        plural(spec.turns as u64, "turn"),
        plural(spec.repetitions as u64, "repetition"),
        p.reward,
        p.sucker,
        p.temptation,
        p.punishment,
        spec.noise,
        outcome.seconds,
        plural(pool.current_num_threads() as u64, "thread"),
    );
    out!("  rank  strategy        payoff per turn (median over repetitions, self-play excluded)");
    for (name, row) in &outcome.ranking {
        out!("  {:>4}  {name:<15} {:.4}", row.rank, row.median);
    }
    out!("Results in {}", outcome.folder.display());
    out!("  {}", outcome.files.join(", "));
    Ok(())
}

/// A pool of `threads` workers (default: all cores).
fn thread_pool(threads: Option<u16>) -> Result<rayon::ThreadPool, (u8, String)> {
    let threads = threads
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| (EXIT_FAILURE, format!("cannot start {threads} threads: {e}")))
}

/// `1 step`, `2 steps`.
fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A number for people: whole numbers as such, large ones without decimals, others to 3.
fn round(value: f64) -> String {
    if value.fract() == 0.0 || value.abs() >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.3}")
    }
}

/// A progress bar on stderr that shows itself only once a run has lasted half a second.
struct DelayedProgress {
    bar: ProgressBar,
    started: Instant,
    shown: Once,
    quiet: bool,
}

impl DelayedProgress {
    fn new(total: u64, quiet: bool) -> DelayedProgress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {percent:>3}% replicate-steps, eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        DelayedProgress {
            bar,
            started: Instant::now(),
            shown: Once::new(),
            quiet,
        }
    }

    fn tick(&self) {
        self.bar.inc(1);
        if !self.quiet && self.started.elapsed() > Duration::from_millis(500) {
            self.shown
                .call_once(|| self.bar.set_draw_target(ProgressDrawTarget::stderr()));
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn validate_command(files: &[String]) -> CommandResult {
    let mut failures = 0;
    for file in files {
        match scenario::load(Some(file), &[]) {
            Ok(loaded) => {
                let s = &loaded.scenario;
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                let memory = crate::memory::estimate(s, threads, run::writes_networks(s));
                out!(
                    "ok: {} ({} agents, {} network, {} × {}; memory about {:.1} GB at the peak on {})",
                    loaded.source.origin(),
                    s.agent_count(),
                    s.network.kind.name(),
                    plural(s.run.steps as u64, "step"),
                    plural(s.run.replicates as u64, "replicate"),
                    memory.total_bytes / 1e9,
                    plural(threads as u64, "thread"),
                );
                if let Some(imported) = &s.imported {
                    out!("  {}", imported.summary.describe());
                }
            }
            Err(err) => {
                eprintln!("error: {err}");
                failures += 1;
            }
        }
    }
    match failures {
        0 => Ok(()),
        n => Err((
            EXIT_BAD_INPUT,
            format!("{n} of {} scenarios are not valid", files.len()),
        )),
    }
}

fn list_command() -> CommandResult {
    let width = presets::names().map(str::len).max().unwrap_or(0);
    for preset in presets::PRESETS {
        let summary = match scenario::load(Some(preset.name), &[]) {
            Ok(loaded) => format!(
                "{} ({} agents)",
                loaded.scenario.description,
                loaded.scenario.agent_count()
            ),
            Err(err) => format!("(invalid: {err})"),
        };
        out!("{:<width$}  {summary}", preset.name);
    }
    out!(
        "\nRun one with `gotong run NAME`; copy one to edit with `gotong init FILE --preset NAME`."
    );
    Ok(())
}

fn init_command(path: &Path, preset_name: &str) -> CommandResult {
    let Some(preset) = presets::find(preset_name) else {
        let hint = scenario::suggest(preset_name, presets::names())
            .map(|s| format!(" Did you mean `{s}`?"))
            .unwrap_or_default();
        let names = presets::names().collect::<Vec<_>>().join(", ");
        return Err((
            EXIT_BAD_INPUT,
            format!("no preset `{preset_name}`.{hint} Presets: {names}."),
        ));
    };
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| {
            std::io::Write::write_all(&mut file, presets::standalone_text(preset).as_bytes())
        })
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => (
                EXIT_BAD_INPUT,
                format!(
                    "{} already exists; init never overwrites a file",
                    path.display()
                ),
            ),
            _ => (
                EXIT_FAILURE,
                format!("cannot write {}: {e}", path.display()),
            ),
        })?;
    out!(
        "Wrote {} (from the `{}` preset). Edit it, then: gotong run {}",
        path.display(),
        preset.name,
        path.display()
    );
    Ok(())
}

/// The files and folders (`plots/`) directly in a run folder, in the order first written.
fn top_level_entries(files: &[String]) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for file in files {
        let entry = match file.split_once('/') {
            Some((folder, _)) => format!("{folder}/"),
            None => file.clone(),
        };
        if !entries.contains(&entry) {
            entries.push(entry);
        }
    }
    entries
}
