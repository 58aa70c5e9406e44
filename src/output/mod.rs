//! Everything a run writes: data files, network files, plots and the manifest.
//!
//! Owns: the layout of a run folder (DESIGN §9) and the formats of its files.
//! Must never: change simulation state, or run the model.
//!
//! ```text
//! <run>/manifest.json      what was run, with what, when; "status": "complete" when done
//! <run>/scenario.toml      the fully resolved scenario: `gotong run <run>/scenario.toml` repeats it
//! <run>/timeseries.csv     replicate,step,metric,group,value
//! <run>/summary.csv        step,metric,group,n,mean,sd,ci_low,ci_high (95% t-interval)
//! <run>/networks/*.graphml replicate 0 at the first and the last recorded step
//! <run>/plots/*.png|svg    headline plots; plots/metrics/ one per metric
//! <run>/plots/network.gif  with --animate: replicate 0's network over the run ([`animation`])
//! ```
//!
//! A tournament folder (`gotong tournament`) is described in [`tournament`]; an experiment
//! folder (`gotong compare`, `sweep`, `sensitivity`, `merge`) in [`experiment`]. An
//! experiment's `report.html` (self-contained) and `report.md` are rendered by [`report`].

pub mod animation;
pub mod charts;
pub mod experiment;
pub mod graphml;
pub mod layout;
pub mod manifest;
pub mod plots;
pub mod report;
pub mod run_dir;
pub mod size;
pub mod tables;
pub mod tournament;

use crate::engine::streams::Streams;
use crate::experiment::statistics::Summary;
use crate::observe::Recorder;
use crate::scenario::Scenario;
use manifest::Manifest;
use run_dir::{RunFolder, RunFolderError};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Folder(#[from] RunFolderError),
    #[error("{0}")]
    Chart(#[from] charts::ChartError),
}

/// Writes a file through a buffer, flushed and synced before it returns, mapping errors to
/// the file's path. (A `BufWriter` dropped unflushed loses its last write's error; this
/// never drops one unflushed.)
pub fn write_file(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), OutputError> {
    let file = File::create(path).map_err(|source| write_error(path, source))?;
    let file = write_buffered(path, file, body)?;
    file.sync_all().map_err(|source| write_error(path, source))
}

/// Runs `body` on a buffer over `inner`, flushes it and hands `inner` back; any error names
/// `path`.
fn write_buffered<W: Write>(
    path: &Path,
    inner: W,
    body: impl FnOnce(&mut BufWriter<W>) -> io::Result<()>,
) -> Result<W, OutputError> {
    let mut writer = BufWriter::with_capacity(1 << 20, inner);
    body(&mut writer).map_err(|source| write_error(path, source))?;
    writer.flush().map_err(|source| write_error(path, source))?;
    writer
        .into_inner()
        .map_err(|error| write_error(path, error.into_error()))
}

fn write_error(path: &Path, source: io::Error) -> OutputError {
    OutputError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `manifest.json` into `folder`.
pub fn write_manifest(folder: &Path, manifest: &Manifest) -> Result<(), OutputError> {
    write_file(&folder.join("manifest.json"), |out| {
        serde_json::to_writer_pretty(&mut *out, manifest).map_err(io::Error::other)?;
        writeln!(out)
    })
}

/// Writes the data, network and plot files of a run and returns their paths relative to
/// the folder.
pub fn write_run_files(
    folder: &RunFolder,
    scenario: &Scenario,
    recorders: &[Recorder],
    summary: &Summary,
    draw_plots: bool,
    layout_streams: Streams,
) -> Result<Vec<String>, OutputError> {
    let root = folder.path();
    let mut files = vec![
        "scenario.toml".to_string(),
        "timeseries.csv".into(),
        "summary.csv".into(),
    ];
    write_file(&root.join("scenario.toml"), |out| {
        out.write_all(scenario.to_toml().as_bytes())
    })?;
    write_file(&root.join("timeseries.csv"), |out| {
        let replicates = recorders
            .iter()
            .enumerate()
            .map(|(r, rec)| (r as u32, rec.rows.as_slice()));
        tables::write_timeseries(out, replicates)
    })?;
    write_file(&root.join("summary.csv"), |out| {
        tables::write_summary(out, summary)
    })?;
    if let Some(moves) = &scenario.initial_moves {
        write_file(&root.join("initial_moves.csv"), |out| {
            out.write_all(moves.text.as_bytes())
        })?;
        files.push("initial_moves.csv".into());
    }
    if let Some(imported) = &scenario.imported {
        write_file(&root.join("imported_ids.csv"), |out| {
            tables::write_imported_ids(out, imported)
        })?;
        files.push("imported_ids.csv".into());
    }
    let networks = folder.subfolder("networks")?;
    let snapshots = recorders
        .first()
        .map(|r| r.snapshots.as_slice())
        .unwrap_or_default();
    for snapshot in snapshots {
        let name = format!("replicate0_step{}.graphml", snapshot.step);
        write_file(&networks.join(&name), |out| {
            graphml::write_graphml(out, snapshot)
        })?;
        files.push(format!("networks/{name}"));
    }
    if draw_plots {
        let plots_folder = folder.subfolder("plots")?;
        let drawn = plots::draw_run_plots(
            &plots_folder,
            scenario,
            summary,
            snapshots.last(),
            layout_streams,
        )?;
        files.extend(drawn.into_iter().map(|name| format!("plots/{name}")));
    }
    Ok(files)
}

#[cfg(test)]
mod tests;
