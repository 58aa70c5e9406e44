//! How many bytes a command will write, estimated from the scenario before anything runs,
//! and the limit above which it is refused.
//!
//! Owns: the size model of a run folder (`timeseries.csv` and `summary.csv` by rows ×
//! typical line width, GraphML by agents and ties, plots by chart count) and of an
//! experiment folder (job files, tables, plots, reports); the output limit and where it
//! comes from (`--max-output`, else [`LIMIT_VARIABLE`], else [`DEFAULT_LIMIT`]).
//! Must never: write, run anything, or print; the caller decides what a refusal does
//! (`gotong run` and the experiment commands exit with code 2 unless `--force`).
//!
//! The model is checked against real folders (`tests/limits.rs`): the estimate is within a
//! factor of two of the bytes written either way. That is enough for its purpose, which is
//! to catch a run that would write ten or a thousand times more than its author expects
//! (`record_every = 1` over a million steps), not to budget a disk to the megabyte.

use crate::experiment::plan::{ExperimentKind, ExperimentPlan};
use crate::model::role::Role;
use crate::observe::METRICS;
use crate::observe::metrics::values_per_record_bound;
use crate::scenario::Scenario;

/// The environment variable that sets the output limit when `--max-output` is not given,
/// in bytes or with a suffix K, M, G or T (powers of 1024), e.g. `GOTONG_MAX_OUTPUT=50G`.
pub const LIMIT_VARIABLE: &str = "GOTONG_MAX_OUTPUT";

/// The output limit without `--max-output` or [`LIMIT_VARIABLE`]: 10 GiB. Far above any
/// preset (the default school's 20 replicates write about 0.1 GB) and below what a laptop's
/// disk can usually spare; a run past it is most likely a mistake in `record_every` or
/// `steps`.
pub const DEFAULT_LIMIT: u64 = 10 << 30;

/// Bytes of one chart drawn as PNG and SVG (measured: 40 to 160 KB for the per-metric plots
/// of the default school, `ls -l plots/metrics`).
pub const CHART_BYTES: f64 = 100e3;

/// Bytes of one experiment chart as PNG and SVG (measured: 306 KB for the six charts of
/// `gotong compare classroom pta`).
pub const EXPERIMENT_CHART_BYTES: f64 = 50e3;

/// Bytes of the network picture besides its ties (PNG about 420 KB, measured).
pub const NETWORK_PICTURE_BYTES: f64 = 450e3;

/// Bytes per tie of the network picture's SVG (three polylines of about 112 bytes, measured
/// on the default school).
pub const NETWORK_PICTURE_BYTES_PER_TIE: f64 = 350.0;

/// Bytes of one GraphML node line and one edge line (measured: 215 to 226 and 283 to 336).
pub const GRAPHML_NODE_BYTES: f64 = 226.0;
pub const GRAPHML_EDGE_BYTES: f64 = 336.0;

/// Width of a floating-point value as written (shortest round trip: `0.4460227272727273`).
const FLOAT_WIDTH: f64 = 18.0;

/// Bytes written by a command and what they are made of.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutputEstimate {
    /// CSV tables (and, for an experiment, its job files).
    pub table_bytes: f64,
    /// GraphML networks.
    pub network_bytes: f64,
    /// Plots and reports.
    pub plot_bytes: f64,
    /// Manifest, scenario, plan.
    pub other_bytes: f64,
}

impl OutputEstimate {
    pub fn total_bytes(&self) -> f64 {
        self.table_bytes + self.network_bytes + self.plot_bytes + self.other_bytes
    }
}

/// The most a command may write and where that figure came from.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputLimit {
    pub bytes: u64,
    /// Where it was set, for messages: `--max-output 2G`, `GOTONG_MAX_OUTPUT=2G` or the default.
    pub source: String,
}

impl OutputLimit {
    /// The limit given as `--max-output TEXT` (the command line's value parser).
    pub fn from_flag(text: &str) -> Result<OutputLimit, OutputSizeError> {
        let bytes = crate::memory::parse_size(text).ok_or_else(|| OutputSizeError::BadLimit {
            value: text.to_string(),
            origin: "--max-output".into(),
        })?;
        let source = format!("--max-output {}", text.trim());
        Ok(OutputLimit { bytes, source })
    }

    /// `flag` if given, else [`LIMIT_VARIABLE`] if set, else [`DEFAULT_LIMIT`].
    pub fn resolve(flag: Option<&OutputLimit>) -> Result<OutputLimit, OutputSizeError> {
        if let Some(limit) = flag {
            return Ok(limit.clone());
        }
        match std::env::var_os(LIMIT_VARIABLE) {
            Some(value) => {
                let value = value.to_string_lossy().into_owned();
                let bytes =
                    crate::memory::parse_size(&value).ok_or_else(|| OutputSizeError::BadLimit {
                        value: value.clone(),
                        origin: LIMIT_VARIABLE.into(),
                    })?;
                let source = format!("{LIMIT_VARIABLE}={value}");
                Ok(OutputLimit { bytes, source })
            }
            None => Ok(OutputLimit {
                bytes: DEFAULT_LIMIT,
                source: "the default; set --max-output or GOTONG_MAX_OUTPUT".into(),
            }),
        }
    }
}

/// Why a command is refused before it writes anything.
#[derive(Debug, thiserror::Error)]
pub enum OutputSizeError {
    #[error(
        "this would write about {} ({}), more than the output limit of {} ({}): {}, or a \
         larger limit; or run it anyway with --force",
        human(.estimate.total_bytes()),
        parts(.estimate),
        human(.limit.bytes as f64),
        .limit.source,
        advice(.estimate)
    )]
    TooLarge {
        estimate: OutputEstimate,
        limit: OutputLimit,
    },
    #[error(
        "{origin} {value:?} is not a size: give bytes, or a whole number with K, M, G or T \
         (powers of 1024), e.g. 500M or 2G"
    )]
    BadLimit { value: String, origin: String },
}

/// `estimate` against `limit`.
pub fn check(estimate: &OutputEstimate, limit: &OutputLimit) -> Result<(), OutputSizeError> {
    if estimate.total_bytes() > limit.bytes as f64 {
        return Err(OutputSizeError::TooLarge {
            estimate: estimate.clone(),
            limit: limit.clone(),
        });
    }
    Ok(())
}

/// `1.2 GiB`, `35 MiB`, `12 KiB` (powers of 1024, as limits are given).
pub fn human(bytes: f64) -> String {
    let kib = 1024.0;
    if bytes >= kib * kib * kib {
        format!("{:.1} GiB", bytes / (kib * kib * kib))
    } else if bytes >= kib * kib {
        format!("{:.0} MiB", bytes / (kib * kib))
    } else {
        format!("{:.0} KiB", bytes / kib)
    }
}

/// `84 MiB of tables, 6 MiB of networks, 8 MiB of plots`, parts that are there.
fn parts(estimate: &OutputEstimate) -> String {
    let named = [
        (estimate.table_bytes, "tables"),
        (estimate.network_bytes, "networks"),
        (estimate.plot_bytes, "plots and reports"),
    ];
    (named.iter().filter(|(bytes, _)| *bytes > 0.0))
        .map(|(bytes, name)| format!("{} of {name}", human(*bytes)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What would make the output smaller, largest part first.
fn advice(estimate: &OutputEstimate) -> String {
    let mut ways = vec![
        "record less often (a larger run.record_every)",
        "fewer metrics (run.metrics)",
    ];
    if estimate.network_bytes > estimate.table_bytes / 10.0 {
        ways.push("no networks (run.networks = false)");
    }
    if estimate.plot_bytes > estimate.table_bytes {
        ways.push("no plots (--no-plots)");
    }
    ways.push("fewer steps, replicates or points");
    ways.join(", ")
}

/// The bytes `gotong run` writes for `scenario`: `networks` as `run::writes_networks`,
/// `plots` and `animate` as asked.
pub fn estimate_run(
    scenario: &Scenario,
    networks: bool,
    plots: bool,
    animate: bool,
) -> OutputEstimate {
    let run = &scenario.run;
    let records = records(scenario);
    let replicate_width = digits(run.replicates.saturating_sub(1) as f64);
    let step_width = digits(run.steps as f64);
    let summary_prefix = step_width + digits(run.replicates as f64) + 4.0 * FLOAT_WIDTH + 8.0;
    let (mut timeseries, mut summary) = (0.0, 0.0);
    for (index, count) in values_per_metric(scenario) {
        let name = METRICS[index].name;
        let row = name.len() as f64 + group_width(name);
        timeseries += count * (row + replicate_width + step_width + value_width(name) + 5.0);
        summary += count * (row + summary_prefix);
    }
    let table_bytes = records * (run.replicates as f64 * timeseries + summary);
    let final_ties = expected_final_ties(scenario);
    let network_bytes = if networks {
        let nodes = scenario.agent_count() as f64 + crate::memory::expected_agents_ever(scenario);
        let edges = scenario.expected_initial_ties() + final_ties;
        2e3 + nodes * GRAPHML_NODE_BYTES + edges * GRAPHML_EDGE_BYTES
    } else {
        0.0
    };
    let plot_bytes = if plots {
        let charts = run_chart_count(scenario) as f64;
        let picture = if networks {
            NETWORK_PICTURE_BYTES + final_ties * NETWORK_PICTURE_BYTES_PER_TIE
        } else {
            0.0
        };
        let animation = if animate { ANIMATION_BYTES } else { 0.0 };
        charts * CHART_BYTES + picture + animation
    } else {
        0.0
    };
    OutputEstimate {
        table_bytes,
        network_bytes,
        plot_bytes,
        other_bytes: 3.0 * scenario.to_toml().len() as f64 + 4e3,
    }
}

/// Bytes of `plots/network.gif` (about 50 frames; 1.6 MB measured for the default school).
pub const ANIMATION_BYTES: f64 = 3e6;

/// The bytes an experiment writes for `plan`, whose points load as `scenarios`.
pub fn estimate_experiment(
    plan: &ExperimentPlan,
    scenarios: &[Scenario],
    plots: bool,
) -> OutputEstimate {
    let replicates = plan.replicates as f64;
    let outputs = plan.outputs.len() as f64;
    // sweep.csv (sweep and sensitivity): a line per replicate and value of the last step.
    let per_replicate_tables = !matches!(plan.kind, ExperimentKind::Compare);
    let mut table_bytes = 0.0;
    for scenario in scenarios {
        let finals: f64 = values_per_metric(scenario).iter().map(|(_, n)| n).sum();
        let series = outputs * records(scenario);
        // A job file's row: `[12,"trust_toward","teacher>parent",0.5234],` (about 45 bytes
        // measured); a line of sweep.csv about 45; a line of compare.csv or
        // sweep_summary.csv (statistics of the point) 90 to 130.
        let jobs = replicates * (finals + series) * 45.0;
        let lines = if per_replicate_tables {
            replicates * 45.0
        } else {
            0.0
        };
        table_bytes += jobs + finals * (lines + 130.0);
    }
    // Charts: up to two per headline output (PNG and SVG, about 50 KB together, measured
    // on `compare classroom pta`), each PNG embedded again in report.html (about 60 KB).
    let charts = 2.0 * outputs;
    let plot_bytes = if plots {
        charts * (EXPERIMENT_CHART_BYTES + 60e3)
    } else {
        0.0
    } + 15e3;
    let plan_bytes: f64 = plan.points.iter().map(|p| p.scenario.len() as f64).sum();
    OutputEstimate {
        table_bytes,
        network_bytes: 0.0,
        plot_bytes,
        other_bytes: 1.1 * plan_bytes + 4e3,
    }
}

/// Recordings of one replicate: step 0, every `record_every`-th step and the last.
fn records(scenario: &Scenario) -> f64 {
    let run = &scenario.run;
    (run.steps / run.record_every.max(1)) as f64 + 2.0
}

/// Each recorded metric with the values it records at one step (its groups), for the roles
/// the scenario has or will have (graduates become alumni, parents who leave community).
fn values_per_metric(scenario: &Scenario) -> Vec<(usize, f64)> {
    let mut roles: Vec<Role> = (scenario.role_counts().into_iter())
        .filter(|(_, n)| *n > 0)
        .map(|(role, _)| role)
        .collect();
    if scenario.lifecycle.enabled {
        for role in [Role::Alumnus, Role::Community] {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }
    let groups = scenario.activities.len() + scenario.programmes.len();
    let metrics = crate::model::params::recorded_metrics(scenario.run.metrics.as_deref());
    (metrics.iter())
        .map(|&m| (m, values_per_record_bound(&[m], roles.len(), groups) as f64))
        .collect()
}

/// Typical width of a group name: a role pair (`teacher~parent`) or a single name.
fn group_width(metric: &str) -> f64 {
    match metric {
        "mean_trust" | "trust_toward" => 15.0,
        _ => 8.0,
    }
}

/// Typical width of a value: counts are short, fractions are [`FLOAT_WIDTH`].
fn value_width(metric: &str) -> f64 {
    match metric {
        "agents" | "ties" | "components" | "innovations" | "placements" | "conflict_ties" => 4.0,
        _ => FLOAT_WIDTH,
    }
}

/// Decimal digits of a whole number.
fn digits(value: f64) -> f64 {
    (value.max(1.0).log10().floor() + 1.0).max(1.0)
}

/// Ties at the last step: the initial network plus what forms, at most the bound of
/// `crate::memory` (breaks are not counted, so this is high for long runs).
fn expected_final_ties(scenario: &Scenario) -> f64 {
    crate::memory::expected_peak_ties(scenario)
}

/// Charts of a run folder: the per-metric plots and up to three headline charts.
fn run_chart_count(scenario: &Scenario) -> usize {
    let recorded = crate::model::params::recorded_metrics(scenario.run.metrics.as_deref());
    recorded.len() + 3
}

#[cfg(test)]
mod tests;
