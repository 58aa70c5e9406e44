//! The files of a tournament folder.
//!
//! Owns: the formats of `pairwise.csv`, `ranking.csv`, `manifest.json` and the heat map of
//! a tournament. Must never: play matches or decide a ranking (the experiment does).
//!
//! ```text
//! <folder>/pairwise.csv     repetition,row,column,total_payoff,payoff_per_turn,cooperation_rate
//! <folder>/ranking.csv      rank,strategy,median,mean,sd,min,max  (payoff per turn, self-play excluded)
//! <folder>/plots/pairwise.png|svg   mean payoff per turn of row against column, ranked order
//! <folder>/manifest.json    the settings, the files, "status": "complete" when done
//! ```

use super::charts::{self, ChartError};
use super::manifest::RunStatus;
use super::tables::csv_field;
use crate::experiment::tournament::{RankedEntrant, TournamentResult, TournamentSpec};
use crate::model::game::Payoffs;
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;

/// Header of `pairwise.csv`.
pub const PAIRWISE_HEADER: &str =
    "repetition,row,column,total_payoff,payoff_per_turn,cooperation_rate";
/// Header of `ranking.csv`.
pub const RANKING_HEADER: &str = "rank,strategy,median,mean,sd,min,max";

/// One line per repetition and ordered pair, entrants in the order given: the row
/// entrant's total payoff against the column entrant, the same per turn, and the share of
/// turns the row entrant cooperated (after noise). Self-play lines hold the mean of the two
/// copies.
pub fn write_pairwise(out: &mut impl Write, result: &TournamentResult) -> io::Result<()> {
    writeln!(out, "{PAIRWISE_HEADER}")?;
    let entrants = &result.spec.entrants;
    let turns = result.spec.turns as f64;
    for (rep, (totals, cooperations)) in result.totals.iter().zip(&result.cooperations).enumerate()
    {
        for (i, row) in entrants.iter().enumerate() {
            for (j, column) in entrants.iter().enumerate() {
                let total = totals[i][j];
                writeln!(
                    out,
                    "{rep},{},{},{total},{},{}",
                    csv_field(&row.name),
                    csv_field(&column.name),
                    total / turns,
                    cooperations[i][j] / turns
                )?;
            }
        }
    }
    Ok(())
}

/// The ranking, best first: per entrant the median, mean, sd, min and max over repetitions
/// of its mean payoff per turn against the others (sd empty for one repetition).
pub fn write_ranking(
    out: &mut impl Write,
    spec: &TournamentSpec,
    ranking: &[RankedEntrant],
) -> io::Result<()> {
    writeln!(out, "{RANKING_HEADER}")?;
    for row in ranking {
        let sd = row.stats.sd.map(|v| v.to_string()).unwrap_or_default();
        writeln!(
            out,
            "{},{},{},{},{sd},{},{}",
            row.rank,
            csv_field(&spec.entrants[row.entrant].name),
            row.median,
            row.stats.mean,
            row.min,
            row.max
        )?;
    }
    Ok(())
}

/// Draws `plots/pairwise.png|svg` into `folder`: the mean payoff per turn of each row
/// entrant against each column entrant, both in rank order, coloured from S to T.
pub fn draw_pairwise_heatmap(
    folder: &Path,
    result: &TournamentResult,
    ranking: &[RankedEntrant],
) -> Result<(), ChartError> {
    let spec = &result.spec;
    let order: Vec<usize> = ranking.iter().map(|r| r.entrant).collect();
    let labels: Vec<String> = (ranking.iter())
        .map(|r| format!("{}. {}", r.rank, spec.entrants[r.entrant].name))
        .collect();
    let turns = spec.turns as f64;
    let values: Vec<Vec<Option<f64>>> = (order.iter())
        .map(|&i| {
            (order.iter())
                .map(|&j| Some(result.mean_total(i, j) / turns))
                .collect()
        })
        .collect();
    let noise = if spec.noise > 0.0 {
        format!(", noise {}", spec.noise)
    } else {
        String::new()
    };
    let title = format!(
        "Payoff per turn of row against column ({} turns, mean of {} repetition{}{noise})",
        spec.turns,
        spec.repetitions,
        if spec.repetitions == 1 { "" } else { "s" }
    );
    let range = (spec.payoffs.sucker, spec.payoffs.temptation);
    charts::heatmap(
        &folder.join("pairwise"),
        &title,
        &labels,
        &labels,
        &values,
        range,
        "payoff per turn",
    )
}

/// The contents of a tournament's `manifest.json`.
#[derive(Clone, Debug, Serialize)]
pub struct TournamentManifest {
    pub status: RunStatus,
    pub gotong_version: &'static str,
    pub command: &'static str,
    /// Entrant names as given, in order.
    pub strategies: Vec<String>,
    /// The strategies as played, e.g. bare `gtft` with its generosity for the game.
    pub resolved_strategies: Vec<String>,
    pub turns: u32,
    pub payoffs: Payoffs,
    pub noise: f64,
    pub repetitions: u32,
    pub seed: u64,
    /// Threads in the pool; results do not depend on it.
    pub threads: usize,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub wall_time_seconds: Option<f64>,
    /// Files of the folder, relative to it.
    pub files: Vec<String>,
}

impl TournamentManifest {
    /// An incomplete manifest for `spec`, started at `started_at` on `threads` threads.
    pub fn new(spec: &TournamentSpec, started_at: String, threads: usize) -> TournamentManifest {
        TournamentManifest {
            status: RunStatus::Incomplete,
            gotong_version: env!("CARGO_PKG_VERSION"),
            command: "tournament",
            strategies: spec.entrants.iter().map(|e| e.name.clone()).collect(),
            resolved_strategies: (spec.entrants.iter())
                .map(|e| e.strategy.to_string())
                .collect(),
            turns: spec.turns,
            payoffs: spec.payoffs,
            noise: spec.noise,
            repetitions: spec.repetitions,
            seed: spec.seed,
            threads,
            started_at,
            finished_at: None,
            wall_time_seconds: None,
            files: Vec::new(),
        }
    }
}
