//! Everything an experiment folder holds (`gotong compare`, `sweep`, `sensitivity`, `merge`).
//!
//! Owns: the layout below and the order results are written in.
//! Must never: run jobs, or compute statistics (the `experiment` module does).
//!
//! ```text
//! <dir>/plan.json             the experiment's identity: points (resolved scenarios), seed, replicates
//! <dir>/manifest.json         status running | interrupted | shard | complete, command, times, files
//! <dir>/jobs/pPPPPPP-rRRRR.json  one per finished (point, replicate): final values, headline series
//! <dir>/compare.csv           compare: per metric, group, scenario; contrast with the baseline
//! <dir>/sweep.csv             sweep: per point, replicate, metric, group (final step)
//! <dir>/sweep_summary.csv     sweep: per point, metric, group over replicates
//! <dir>/sensitivity.csv       sensitivity: indices per headline output and key (+ sweep.csv, sweep_summary.csv of its points)
//! <dir>/plots/*.png|svg       the figures of the report
//! <dir>/report.html           one self-contained file (images embedded) to read or send
//! <dir>/report.md             the same for papers and notebooks (images linked from plots/)
//! ```

pub mod folder;
pub mod manifest;
pub mod plots;
pub mod report;
pub mod tables;

use crate::experiment::plan::{ExperimentKind, ExperimentPlan};
use crate::experiment::results::Results;
use crate::experiment::{compare, indices, sweep};
use folder::{ExperimentFolder, FolderError};
use manifest::ExperimentManifest;
use report::Analysis;

/// What [`write_results`] wrote.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// Files relative to the folder, `manifest.json` last.
    pub files: Vec<String>,
    /// The report's lead sentences.
    pub sentences: Vec<String>,
}

/// Analyses `results` and writes the data files, plots (if `plots`) and both reports.
/// `manifest` is the folder's manifest so far (the report shows it as it will be written).
pub fn write_results(
    folder: &ExperimentFolder,
    plan: &ExperimentPlan,
    results: &Results,
    plots: bool,
    manifest: &ExperimentManifest,
    seconds: f64,
) -> Result<Written, FolderError> {
    let mut files = Vec::new();
    let analysis = match plan.kind {
        ExperimentKind::Compare => {
            let rows = compare::compare_rows(plan, results);
            folder.write_with("compare.csv", |out| tables::write_compare(out, plan, &rows))?;
            files.push("compare.csv".to_string());
            let sentences = compare::sentences(plan, &rows);
            Analysis::Compare { rows, sentences }
        }
        ExperimentKind::Sweep | ExperimentKind::Sensitivity => {
            let rows = sweep::summary_rows(plan, results);
            folder.write_with("sweep.csv", |out| tables::write_sweep(out, plan, results))?;
            folder.write_with("sweep_summary.csv", |out| {
                tables::write_sweep_summary(out, plan, &rows)
            })?;
            files.extend(["sweep.csv".to_string(), "sweep_summary.csv".to_string()]);
            if plan.kind == ExperimentKind::Sweep {
                let sentences = sweep::sentences(plan, &rows);
                Analysis::Sweep { rows, sentences }
            } else {
                let (indices, notes) = indices::index_rows(plan, results);
                folder.write_with("sensitivity.csv", |out| {
                    tables::write_sensitivity(out, &indices)
                })?;
                files.push("sensitivity.csv".to_string());
                let mut sentences = indices::sentences(plan, &indices);
                sentences.extend(notes);
                Analysis::Sensitivity {
                    rows: indices,
                    summary: rows,
                    sentences,
                }
            }
        }
    };
    let figures = if plots {
        plots::draw(folder, plan, results, &analysis)?
    } else {
        Vec::new()
    };
    files.extend(figures.iter().flat_map(|f| {
        let stem = f.stem.clone();
        [format!("{stem}.png"), format!("{stem}.svg")]
    }));
    files.extend(["report.html", "report.md", "manifest.json"].map(String::from));
    let mut shown = manifest.clone();
    shown.status = manifest::ExperimentStatus::Complete;
    shown.jobs_done = plan.job_count();
    shown.files = files.clone();
    shown.wall_time_seconds = Some(seconds);
    report::write(folder, plan, &analysis, &figures, &shown)?;
    Ok(Written {
        files,
        sentences: analysis.sentences().to_vec(),
    })
}

/// `arg` as one shell word: as is when safe, else in single quotes.
pub fn shell_quote(arg: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c);
    if !arg.is_empty() && arg.chars().all(safe) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}
