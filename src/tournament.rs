//! `gotong tournament` as a library call: a checked tournament in, a complete folder out.
//!
//! Owns: the order of a tournament's work (prepare the folder, play, write the data, the
//! plot and the manifest, reveal the folder) and the error a caller gets when any of it
//! fails. The folder appears only once complete, as for `gotong run` (see
//! `output::run_dir`).
//! Must never: print, or build a thread pool (the caller runs it inside the pool it wants).

use crate::experiment::tournament::{RankedEntrant, TournamentSpec, play_tournament_until};
use crate::output::manifest::RunStatus;
use crate::output::run_dir::{RunFolder, RunFolderError, utc_iso8601};
use crate::output::tournament::{
    TournamentManifest, draw_pairwise_heatmap, write_pairwise, write_ranking,
};
use crate::output::{self, OutputError};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Instant, SystemTime};

/// Where a tournament goes and what it draws.
#[derive(Clone, Debug, Default)]
pub struct TournamentRequest {
    /// The folder to create; `None` makes `<output_base>/tournament-<timestamp>`.
    pub out: Option<PathBuf>,
    /// Where tournaments land without `out` (the command line uses `output`).
    pub output_base: PathBuf,
    /// Whether to draw the heat map (PNG and SVG).
    pub plots: bool,
}

/// What a finished tournament produced.
#[derive(Clone, Debug)]
pub struct TournamentOutcome {
    /// The folder written.
    pub folder: PathBuf,
    /// The ranking, best first, with entrant names.
    pub ranking: Vec<(String, RankedEntrant)>,
    /// Wall time in seconds, all included.
    pub seconds: f64,
    /// Files of the folder, relative to it.
    pub files: Vec<String>,
}

/// Why a tournament's folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TournamentRunError {
    #[error("{0}")]
    Folder(#[from] RunFolderError),
    #[error("{0}")]
    Output(#[from] OutputError),
    #[error("the tournament was interrupted")]
    Interrupted,
}

impl TournamentRunError {
    /// Whether `stop` ended it (the folder was removed).
    pub fn is_interrupted(&self) -> bool {
        matches!(self, TournamentRunError::Interrupted)
    }

    /// Whether the user's input is at fault (an occupied `--out`: exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            TournamentRunError::Folder(
                RunFolderError::NotEmpty { .. } | RunFolderError::NotAFolder { .. }
            )
        )
    }
}

/// Plays `spec` on the current thread pool and writes its folder. `stop` ends it early
/// with [`TournamentRunError::is_interrupted`], leaving no folder behind.
pub fn run_tournament(
    spec: &TournamentSpec,
    request: &TournamentRequest,
    stop: &AtomicBool,
) -> Result<TournamentOutcome, TournamentRunError> {
    let clock = Instant::now();
    let folder = RunFolder::create(request.out.as_deref(), &request.output_base, "tournament")?;
    let mut manifest = TournamentManifest::new(
        spec,
        utc_iso8601(SystemTime::now()),
        rayon::current_num_threads(),
    );
    write_manifest(&folder, &manifest)?;

    let result = play_tournament_until(spec, stop).ok_or(TournamentRunError::Interrupted)?;
    let ranking = result.ranking();
    let root = folder.path();
    output::write_file(&root.join("pairwise.csv"), |out| {
        write_pairwise(out, &result)
    })?;
    output::write_file(&root.join("ranking.csv"), |out| {
        write_ranking(out, spec, &ranking)
    })?;
    let mut files = vec!["pairwise.csv".to_string(), "ranking.csv".into()];
    if request.plots {
        let plots = folder.subfolder("plots")?;
        draw_pairwise_heatmap(&plots, &result, &ranking).map_err(OutputError::from)?;
        files.extend(["plots/pairwise.png".into(), "plots/pairwise.svg".into()]);
    }
    files.push("manifest.json".into());

    manifest.files = files.clone();
    manifest.status = RunStatus::Complete;
    manifest.finished_at = Some(utc_iso8601(SystemTime::now()));
    manifest.wall_time_seconds = Some(clock.elapsed().as_secs_f64());
    write_manifest(&folder, &manifest)?;
    let folder = folder.finish()?;
    let ranking = (ranking.into_iter())
        .map(|row| (spec.entrants[row.entrant].name.clone(), row))
        .collect();
    Ok(TournamentOutcome {
        folder,
        ranking,
        seconds: clock.elapsed().as_secs_f64(),
        files,
    })
}

fn write_manifest(
    folder: &RunFolder,
    manifest: &TournamentManifest,
) -> Result<(), TournamentRunError> {
    output::write_file(&folder.path().join("manifest.json"), |out| {
        serde_json::to_writer_pretty(&mut *out, manifest).map_err(io::Error::other)?;
        writeln!(out)
    })?;
    Ok(())
}
