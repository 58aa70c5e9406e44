//! How much memory a run will need, estimated from the scenario before anything is
//! allocated, and the check that refuses a run that would not fit.
//!
//! Owns: the memory model of a run (what is held at the peak, per agent and per tie view,
//! derived from the sizes of the real types), how many worlds are held at once (the
//! engine's own rule, [`replicates_at_once`]), and where the memory available is read
//! (`GOTONG_MEMORY_LIMIT`, else Linux's `/proc/meminfo` and the cgroup's limit).
//! Must never: allocate in proportion to the scenario, run anything, or print; the caller
//! decides what to do with a refusal (`gotong run` exits with code 2 unless `--force`).
//!
//! Why here and not in `engine`: it reads the machine (the engine does no I/O), and it
//! draws on the scenario, the model's and the recorder's types and the engine's rule for
//! parallel replicates alike, as `run` (its caller) does.
//!
//! The model (docs/performance.md, "Scale and memory", checks it against measured peaks):
//! a world is largest while network change rebuilds its graph, or while its last step is
//! recorded: [`PEAK_BYTES_PER_VIEW`] per tie view, and per agent its columns, CSR offsets,
//! the metrics' per-agent arrays and, at the last step, the path-length search of every
//! thread. Agents are counted as they will be at the end (arrivals take new ids), views at
//! their expected peak: the initial network plus the most ties the scenario can form in
//! every step (breaks and arrivals' ties, which roughly cancel in the default school, are
//! not counted).

use crate::engine::run::replicates_at_once;
use crate::model::role::Role;
use crate::model::strategy::Strategy;
use crate::model::tie::ViewState;
use crate::network::AgentId;
use crate::network::graph::ViewOrigin;
use crate::observe::snapshot::{SnapshotNode, SnapshotTie};
use crate::observe::{Row, metrics::values_per_record_bound};
use crate::scenario::Scenario;
use std::mem::size_of;

/// Bytes per directed tie view at the peak. While a graph is rebuilt: old and new target,
/// old reverse index, origin and view state. While a step is recorded after agents have
/// left: target, reverse index and view state, and the same two of the graph of active
/// agents the metrics use. Both come to the same.
pub const PEAK_BYTES_PER_VIEW: usize =
    2 * size_of::<AgentId>() + size_of::<u32>() + size_of::<ViewOrigin>() + size_of::<ViewState>();

/// Bytes per agent of a world's columns (`model::world::Agents`: role, active, strategy,
/// seven numbers, tenure, arrival step, parent, placed, games this round, and its place in
/// `by_role`). Update with `Agents`.
pub const BYTES_PER_AGENT_COLUMNS: usize = size_of::<Role>()
    + size_of::<bool>()
    + size_of::<Strategy>()
    + 7 * size_of::<f64>()
    + 2 * size_of::<u32>()
    + size_of::<AgentId>()
    + size_of::<bool>()
    + size_of::<u32>()
    + size_of::<AgentId>();

/// Bytes per agent at the peak besides the columns. While a graph is rebuilt: the old and
/// new CSR offsets and the cursor that pairs reverse views. While a step is recorded: the
/// offsets, and the metrics' own (`observe::metrics`, `network::metrics`): the offsets and
/// new ids of the graph of active agents, component labels and triangle counts. The larger.
pub const PEAK_BYTES_PER_AGENT_BESIDES_COLUMNS: usize = {
    let rebuild = 3 * size_of::<usize>();
    let recording = 2 * size_of::<usize>() + 2 * size_of::<u32>() + size_of::<u64>();
    if rebuild > recording {
        rebuild
    } else {
        recording
    }
};

/// Bytes per agent at the peak (without the path-length search of the last step).
pub const PEAK_BYTES_PER_AGENT: usize =
    BYTES_PER_AGENT_COLUMNS + PEAK_BYTES_PER_AGENT_BESIDES_COLUMNS;

/// Bytes per agent and thread of the average shortest-path length at the last step
/// (`network::metrics::distances`: a bit-parallel search keeps three 256-bit words per
/// agent, one search per thread).
pub const PATH_LENGTH_BYTES_PER_AGENT: usize = 3 * 256 / 8;

/// Heap bytes of one short `String` (a group name in a recorded row, a strategy name in a
/// snapshot): the allocator's smallest block on 64-bit glibc.
pub const SHORT_STRING_HEAP: usize = 32;

/// What any run holds whatever its size: the program, its libraries, thread stacks and the
/// allocator's arenas. Measured: a one-replicate run of the `classroom` preset (58 agents)
/// peaks at 13.1 MB (`/usr/bin/time -v gotong run classroom --replicates 1 --no-plots`).
pub const BASE_BYTES: f64 = 13e6;

/// A run's estimated peak memory and what it is made of.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryEstimate {
    /// Agents at the start.
    pub agents: f64,
    /// Agents ever in one world by the end (arrivals take new ids; those who leave keep
    /// theirs): the length of every per-agent array at the end.
    pub agents_ever: f64,
    /// Expected tie views (two per tie) of one world at its largest.
    pub peak_views: f64,
    /// Worlds held at once (replicates run in parallel).
    pub worlds_at_once: usize,
    /// Bytes of one world at its peak.
    pub world_bytes: f64,
    /// Bytes of the recorded values of every replicate and their summary.
    pub recorder_bytes: f64,
    /// Bytes of the two network snapshots of replicate 0 (0 when none are kept).
    pub snapshot_bytes: f64,
    /// Everything: [`BASE_BYTES`] + worlds + recorder + snapshots.
    pub total_bytes: f64,
}

/// Estimates the peak memory of running `scenario` on `threads` threads; `snapshots` says
/// whether replicate 0's network is kept at the first and last step (`run::writes_networks`).
pub fn estimate(scenario: &Scenario, threads: usize, snapshots: bool) -> MemoryEstimate {
    let agents = scenario.agent_count() as f64;
    let agents_ever = expected_agents_ever(scenario);
    let peak_ties = expected_peak_ties(scenario);
    let peak_views = 2.0 * peak_ties;
    let worlds_at_once = replicates_at_once(scenario, scenario.run.replicates as usize, threads);
    let path_length = match &scenario.run.metrics {
        Some(names) if !names.iter().any(|n| n == "average_shortest_path_length") => 0,
        _ => PATH_LENGTH_BYTES_PER_AGENT * threads.max(1),
    };
    let world_bytes = agents_ever * (PEAK_BYTES_PER_AGENT + path_length) as f64
        + peak_views * PEAK_BYTES_PER_VIEW as f64;
    let recorder_bytes = recorder_bytes(scenario);
    let snapshot_bytes = if snapshots {
        let node = (size_of::<SnapshotNode>() + SHORT_STRING_HEAP) as f64;
        2.0 * (agents * node + peak_ties * size_of::<SnapshotTie>() as f64)
    } else {
        0.0
    };
    let total_bytes =
        BASE_BYTES + worlds_at_once as f64 * world_bytes + recorder_bytes + snapshot_bytes;
    MemoryEstimate {
        agents,
        agents_ever,
        peak_views,
        worlds_at_once,
        world_bytes,
        recorder_bytes,
        snapshot_bytes,
        total_bytes,
    }
}

/// Estimates the peak memory of an experiment whose points are `scenarios`, `jobs_at_once`
/// of them running at once on `threads` threads: each job is one replicate of one point,
/// so the largest point's one-replicate world and recorder, times the jobs at once; then
/// the rows every job keeps (`experiment::results::JobRows`: the values of the last step
/// and `series_outputs` headline series), which the analysis holds together at the end.
pub fn estimate_experiment(
    scenarios: &[Scenario],
    jobs_at_once: usize,
    threads: usize,
    series_outputs: usize,
    replicates: u32,
) -> MemoryEstimate {
    let one_job = |scenario: &Scenario| {
        let mut single = scenario.clone();
        single.run.replicates = 1;
        estimate(&single, threads, false)
    };
    let jobs = scenarios.iter().map(one_job);
    let largest = jobs.max_by(|a, b| {
        let size = |e: &MemoryEstimate| e.world_bytes + e.recorder_bytes;
        size(a).total_cmp(&size(b))
    });
    let Some(largest) = largest else {
        return estimate_empty();
    };
    // A kept row: (step, metric name, group name, value), both names on the heap.
    let kept_row = (size_of::<(u32, String, String, f64)>() + 2 * SHORT_STRING_HEAP) as f64;
    let kept: f64 = (scenarios.iter())
        .map(|s| {
            let (records, per_record) = records_and_values(s);
            replicates as f64 * (per_record + series_outputs as f64 * records) * kept_row
        })
        .sum();
    let worlds_at_once = jobs_at_once.max(1);
    let per_job = largest.world_bytes + largest.recorder_bytes;
    MemoryEstimate {
        worlds_at_once,
        recorder_bytes: worlds_at_once as f64 * largest.recorder_bytes + kept,
        total_bytes: BASE_BYTES + worlds_at_once as f64 * per_job + kept,
        ..largest
    }
}

/// The estimate of nothing at all: [`BASE_BYTES`].
fn estimate_empty() -> MemoryEstimate {
    MemoryEstimate {
        agents: 0.0,
        agents_ever: 0.0,
        peak_views: 0.0,
        worlds_at_once: 0,
        world_bytes: 0.0,
        recorder_bytes: 0.0,
        snapshot_bytes: 0.0,
        total_bytes: BASE_BYTES,
    }
}

/// Expected agents ever in one world by the last step: the starting population plus, at
/// each year end, the arrivals `model::rules::lifecycle` makes (new students for the
/// graduates, a new parent for each with chance `new_parent_chance`, replacements of
/// transferring teachers and changing principals, new firms).
pub fn expected_agents_ever(scenario: &Scenario) -> f64 {
    let agents = scenario.agent_count() as f64;
    let lifecycle = &scenario.lifecycle;
    if !lifecycle.enabled {
        return agents;
    }
    let counts = scenario.role_counts();
    let count = |role: Role| {
        counts
            .iter()
            .find(|(r, _)| *r == role)
            .map_or(0.0, |(_, n)| *n as f64)
    };
    let graduates = count(Role::Student) / lifecycle.school_years.max(1) as f64;
    let per_year = graduates * lifecycle.intake * (1.0 + lifecycle.new_parent_chance)
        + count(Role::Teacher) * lifecycle.teacher_transfer
        + count(Role::Principal) * lifecycle.principal_change
        + lifecycle.firm_entry;
    let year_ends = (scenario.run.steps / scenario.run.steps_per_year.max(1)) as f64;
    agents + year_ends * per_year
}

/// Expected ties of one world at its largest: the initial network plus, for every step,
/// the most ties the scenario can form in a step ([`formation_bound`]).
pub fn expected_peak_ties(scenario: &Scenario) -> f64 {
    scenario.expected_initial_ties() + scenario.run.steps as f64 * formation_bound(scenario)
}

/// The most new ties a step can form, in expectation: one per agent that asks for an
/// introduction or meets someone by chance, and the co-members who meet in activities,
/// programme meetings and networking events. Each is an upper bound (an introduction needs
/// a trusted contact; co-members may already be tied).
pub fn formation_bound(scenario: &Scenario) -> f64 {
    let pairs = |members: f64| members * (members - 1.0).max(0.0) / 2.0;
    let change = &scenario.network_change;
    let attempts =
        scenario.agent_count() as f64 * (change.introduction_rate + change.chance_meeting_rate);
    let activities: f64 = scenario
        .activities
        .iter()
        .map(|a| {
            let members = a.members.values().map(|&n| n as f64).sum();
            a.per_step * pairs(members) * a.new_tie_chance
        })
        .sum();
    let programmes: f64 = scenario
        .programmes
        .iter()
        .map(|p| {
            let members = p.member_counts().values().map(|&n| n as f64).sum();
            pairs(members) * p.new_tie_chance.unwrap_or(0.2) / p.interval().max(1) as f64
        })
        .sum();
    let diffusion = &scenario.diffusion;
    let events = scenario.policy.networking_events / scenario.run.steps_per_year.max(1) as f64
        * pairs(diffusion.event_size as f64)
        * diffusion.event_tie_chance;
    attempts + activities + programmes + events
}

/// Bytes of every replicate's recorded rows (at most `values_per_record_bound` a record)
/// and of the summary made from them at the end (one row per value of one replicate,
/// holding every replicate's value).
fn recorder_bytes(scenario: &Scenario) -> f64 {
    let run = &scenario.run;
    let (records, per_record) = records_and_values(scenario);
    let values = records * per_record;
    let row = (size_of::<Row>() + SHORT_STRING_HEAP) as f64;
    let replicates = run.replicates as f64;
    let summary = values * (row + replicates * size_of::<f64>() as f64);
    replicates * values * row + summary
}

/// Recordings of one replicate (step 0, every `record_every`-th and the last; at most) and
/// values per recording (at most `values_per_record_bound`, every role counted).
fn records_and_values(scenario: &Scenario) -> (f64, f64) {
    let run = &scenario.run;
    let records = (run.steps / run.record_every.max(1)) as f64 + 2.0;
    let groups = scenario.activities.len() + scenario.programmes.len();
    let metrics = crate::model::params::recorded_metrics(run.metrics.as_deref());
    let per_record = values_per_record_bound(&metrics, crate::model::role::ROLE_COUNT, groups);
    (records, per_record as f64)
}

/// The memory a run may use and where that figure came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Available {
    pub bytes: u64,
    /// Where it was read, for messages.
    pub source: String,
}

/// The environment variable that sets the memory a run may use, in bytes or with a suffix
/// K, M, G or T (powers of 1024), e.g. `GOTONG_MEMORY_LIMIT=8G`. It replaces what the
/// machine reports: for a cluster job whose limit the node does not show, and for tests.
pub const LIMIT_VARIABLE: &str = "GOTONG_MEMORY_LIMIT";

/// Why a run is refused before it starts.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    #[error(
        "the run would need about {} of memory (estimated from the scenario: {:.0} agents, \
         about {:.0} tie views at the largest, {} at once), but {} is available ({}): {}; \
         or run it anyway with --force",
        gigabytes(.estimate.total_bytes),
        .estimate.agents,
        .estimate.peak_views,
        worlds(.estimate.worlds_at_once),
        gigabytes(.available.bytes as f64),
        .available.source,
        advice(.estimate)
    )]
    TooLarge {
        estimate: MemoryEstimate,
        available: Available,
    },
    #[error(
        "{LIMIT_VARIABLE}={value} is not a memory size: give bytes, or a number with K, M, G \
         or T (powers of 1024), e.g. {LIMIT_VARIABLE}=8G"
    )]
    BadLimit { value: String },
}

fn gigabytes(bytes: f64) -> String {
    format!("{:.1} GB", bytes / 1e9)
}

fn worlds(count: usize) -> String {
    match count {
        1 => "1 replicate".to_string(),
        n => format!("{n} replicates"),
    }
}

fn advice(estimate: &MemoryEstimate) -> String {
    let mut ways = vec![
        "use fewer agents (a smaller population.scale or counts) or a sparser network".to_string(),
    ];
    if estimate.worlds_at_once > 1 {
        ways.push(format!(
            "run fewer replicates at once with --threads 1 (one world instead of {})",
            estimate.worlds_at_once
        ));
    }
    if estimate.recorder_bytes > estimate.world_bytes {
        ways.push("record less (a larger run.record_every, fewer replicates)".to_string());
    }
    ways.join(", or ")
}

/// Refuses `estimate` if it exceeds `available` (nothing is refused when the memory
/// available is unknown).
pub fn check(estimate: &MemoryEstimate, available: Option<Available>) -> Result<(), MemoryError> {
    match available {
        Some(available) if estimate.total_bytes > available.bytes as f64 => {
            Err(MemoryError::TooLarge {
                estimate: estimate.clone(),
                available,
            })
        }
        _ => Ok(()),
    }
}

/// The memory a run may use: [`LIMIT_VARIABLE`] if set, else the smaller of Linux's
/// `MemAvailable` and what the cgroup (a container or a cluster job) still allows; `None`
/// where neither can be read.
pub fn available() -> Result<Option<Available>, MemoryError> {
    if let Some(value) = std::env::var_os(LIMIT_VARIABLE) {
        let value = value.to_string_lossy().into_owned();
        let bytes = parse_size(&value).ok_or(MemoryError::BadLimit { value })?;
        let source = LIMIT_VARIABLE.to_string();
        return Ok(Some(Available { bytes, source }));
    }
    let machine = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| mem_available(&text))
        .map(|bytes| Available {
            bytes,
            source: "MemAvailable in /proc/meminfo".to_string(),
        });
    let cgroup = cgroup_room().map(|bytes| Available {
        bytes,
        source: "the cgroup's memory.max less memory.current".to_string(),
    });
    Ok(match (machine, cgroup) {
        (Some(m), Some(c)) => Some(if c.bytes < m.bytes { c } else { m }),
        (m, c) => m.or(c),
    })
}

/// `MemAvailable` of a `/proc/meminfo` text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kilobytes.checked_mul(1024)
}

/// What cgroup v2 still allows this process: `memory.max` (not `max`) less `memory.current`.
fn cgroup_room() -> Option<u64> {
    let read = |name: &str| std::fs::read_to_string(format!("/sys/fs/cgroup/{name}")).ok();
    let max: u64 = read("memory.max")?.trim().parse().ok()?;
    let current: u64 = read("memory.current")?.trim().parse().ok()?;
    Some(max.saturating_sub(current))
}

/// Bytes of `text`: a whole number, optionally followed by K, M, G or T (powers of 1024,
/// upper or lower case, an optional `B` or `iB` after it).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..digits].parse().ok()?;
    let unit = text[digits..].trim().to_ascii_uppercase();
    let unit = unit.trim_end_matches("IB").trim_end_matches('B');
    let power = match unit {
        "" => 0,
        "K" => 1,
        "M" => 2,
        "G" => 3,
        "T" => 4,
        _ => return None,
    };
    number.checked_mul(1024u64.pow(power))
}

#[cfg(test)]
mod tests;
