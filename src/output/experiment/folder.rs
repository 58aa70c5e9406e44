//! Experiment folders: created once, filled job by job, resumable, never overwritten.
//!
//! Owns: the folder's identity (`plan.json`), the job files (`jobs/pPPPPPP-rRRRR.json`,
//! each written to a temporary name and renamed, so a job file is whole or absent even after
//! a hard kill), and the checks that keep experiments apart: a new experiment needs a folder
//! that does not exist or is empty; `--resume` and `merge` need the same plan.
//!
//! Unlike a `gotong run` folder, an experiment folder exists while it runs: finished jobs
//! are kept when it is interrupted so that `--resume` can skip them. `manifest.json` says
//! which state it is in; results (CSV, plots, reports) are written only once every job is
//! in, each file atomically, and the manifest's status becomes `complete` last.
//! Must never: delete anything, or write into a folder that holds another experiment.

use crate::experiment::plan::{ExperimentPlan, Job};
use crate::experiment::results::JobRows;
use crate::output::run_dir::{check_free, free_name, utc_timestamp};
use crate::output::{OutputError, write_file};
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Why an experiment folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("{0}")]
    Place(#[from] crate::output::run_dir::RunFolderError),
    #[error(
        "{path} is not an experiment folder (no plan.json); give a folder an earlier `gotong compare`, `sweep` or `sensitivity` made"
    )]
    NotAnExperiment { path: PathBuf },
    #[error("{path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error(
        "{path} holds a different experiment ({difference}); resume or merge only the same command with the same scenarios, or choose another folder"
    )]
    OtherPlan { path: PathBuf, difference: String },
    #[error("cannot create {path}: {source}")]
    Create { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Write(#[from] OutputError),
}

impl FolderError {
    /// Whether the user's input is at fault (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        use crate::output::run_dir::RunFolderError as R;
        matches!(
            self,
            FolderError::Place(R::NotEmpty { .. } | R::NotAFolder { .. })
                | FolderError::NotAnExperiment { .. }
                | FolderError::Unreadable { .. }
                | FolderError::OtherPlan { .. }
        )
    }
}

/// An experiment folder in use.
#[derive(Clone, Debug)]
pub struct ExperimentFolder {
    path: PathBuf,
}

impl ExperimentFolder {
    /// A new folder for `plan`: `out` (absent or empty), else `<base>/<plan name>-<UTC time>`;
    /// writes `plan.json`.
    pub fn create(
        out: Option<&Path>,
        base: &Path,
        plan: &ExperimentPlan,
    ) -> Result<ExperimentFolder, FolderError> {
        let path = match out {
            Some(path) => {
                check_free(path)?;
                path.to_path_buf()
            }
            None => {
                let stamp = utc_timestamp(SystemTime::now());
                free_name(base, &format!("{}-{stamp}", plan.name))
            }
        };
        if let Some(file) = (path.ancestors().skip(1))
            .find(|a| !a.as_os_str().is_empty() && a.exists())
            .filter(|a| !a.is_dir())
        {
            return Err(crate::output::run_dir::RunFolderError::NotAFolder {
                path: file.to_path_buf(),
            }
            .into());
        }
        let jobs = path.join("jobs");
        fs::create_dir_all(&jobs).map_err(|source| FolderError::Create {
            path: jobs.clone(),
            source,
        })?;
        let folder = ExperimentFolder { path };
        folder.write_atomically("plan.json", &to_json(plan)?)?;
        Ok(folder)
    }

    /// An existing folder and its plan (for `merge`).
    pub fn open(path: &Path) -> Result<(ExperimentFolder, ExperimentPlan), FolderError> {
        let file = path.join("plan.json");
        if !file.is_file() {
            return Err(FolderError::NotAnExperiment {
                path: path.to_path_buf(),
            });
        }
        let text = fs::read_to_string(&file).map_err(|e| unreadable(&file, e.to_string()))?;
        let plan: ExperimentPlan =
            serde_json::from_str(&text).map_err(|e| unreadable(&file, e.to_string()))?;
        Ok((
            ExperimentFolder {
                path: path.to_path_buf(),
            },
            plan,
        ))
    }

    /// An existing folder of the same experiment as `plan` (for `--resume`).
    pub fn resume(path: &Path, plan: &ExperimentPlan) -> Result<ExperimentFolder, FolderError> {
        let (folder, found) = ExperimentFolder::open(path)?;
        if let Some(difference) = difference(&found, plan) {
            return Err(FolderError::OtherPlan {
                path: path.to_path_buf(),
                difference,
            });
        }
        fs::create_dir_all(folder.path.join("jobs")).map_err(|source| FolderError::Create {
            path: folder.path.join("jobs"),
            source,
        })?;
        Ok(folder)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A subfolder, created if missing.
    pub fn subfolder(&self, name: &str) -> Result<PathBuf, FolderError> {
        let path = self.path.join(name);
        fs::create_dir_all(&path).map_err(|source| FolderError::Create {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    /// The jobs of `plan` whose files are present and readable.
    pub fn done_jobs(&self, plan: &ExperimentPlan) -> BTreeSet<Job> {
        plan.jobs()
            .filter(|&job| self.read_job(job).is_ok())
            .collect()
    }

    /// Writes a job's rows (atomically).
    pub fn write_job(&self, rows: &JobRows) -> Result<(), FolderError> {
        let json = serde_json::to_string(rows).map_err(io::Error::other);
        let json = json.map_err(|source| OutputError::Write {
            path: self.job_path(rows.job()),
            source,
        })?;
        self.write_atomically(&job_file(rows.job()), &json)
    }

    /// Reads a job's rows.
    pub fn read_job(&self, job: Job) -> Result<JobRows, FolderError> {
        let path = self.job_path(job);
        let text = fs::read_to_string(&path).map_err(|e| unreadable(&path, e.to_string()))?;
        let rows: JobRows =
            serde_json::from_str(&text).map_err(|e| unreadable(&path, e.to_string()))?;
        if rows.job() != job {
            let reason = format!(
                "holds point {} replicate {}, not point {} replicate {}",
                rows.point, rows.replicate, job.point, job.replicate
            );
            return Err(unreadable(&path, reason));
        }
        Ok(rows)
    }

    pub fn job_path(&self, job: Job) -> PathBuf {
        self.path.join(job_file(job))
    }

    /// Writes `relative` with `body`: to a temporary name first, then renamed, so the file
    /// is never seen half-written.
    pub fn write_atomically(&self, relative: &str, body: &str) -> Result<(), FolderError> {
        self.write_with(relative, |out| io::Write::write_all(out, body.as_bytes()))
    }

    /// Writes `relative` through `body` atomically (for CSV writers): into a temporary file,
    /// flushed and synced, then renamed. On failure the temporary file is removed (a full
    /// disk leaves no `.partial-` files behind) and the error names `relative`'s path.
    pub fn write_with(
        &self,
        relative: &str,
        body: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), FolderError> {
        let target = self.path.join(relative);
        let temporary = self
            .path
            .join(format!("{relative}.partial-{}", std::process::id()));
        let written = write_file(&temporary, body).and_then(|()| {
            fs::rename(&temporary, &target).map_err(|source| OutputError::Write {
                path: target.clone(),
                source,
            })
        });
        written.map_err(|error| {
            // Ours to remove; if that fails too, the name still says it is unfinished.
            if temporary.exists() {
                fs::remove_file(&temporary).ok();
            }
            FolderError::Write(match error {
                OutputError::Write { source, .. } => OutputError::Write {
                    path: target.clone(),
                    source,
                },
                other => other,
            })
        })
    }
}

/// `jobs/p000012-r0003.json`.
pub fn job_file(job: Job) -> String {
    format!("jobs/p{:06}-r{:04}.json", job.point + 1, job.replicate)
}

fn to_json(plan: &ExperimentPlan) -> Result<String, FolderError> {
    serde_json::to_string_pretty(plan)
        .map(|text| text + "\n")
        .map_err(|e| {
            FolderError::Write(OutputError::Write {
                path: "plan.json".into(),
                source: io::Error::other(e),
            })
        })
}

fn unreadable(path: &Path, reason: String) -> FolderError {
    FolderError::Unreadable {
        path: path.to_path_buf(),
        reason,
    }
}

/// The first way `found` differs from `wanted`, in words; `None` if they are the same.
pub fn difference(found: &ExperimentPlan, wanted: &ExperimentPlan) -> Option<String> {
    if found == wanted {
        return None;
    }
    let said = |what: &str, a: String, b: String| Some(format!("{what}: {a} there, {b} now"));
    if found.kind != wanted.kind {
        return said("kind", found.kind.name().into(), wanted.kind.name().into());
    }
    if found.design != wanted.design {
        return said(
            "design",
            format!("{:?}", found.design),
            format!("{:?}", wanted.design),
        );
    }
    if found.replicates != wanted.replicates {
        return said(
            "replicates",
            found.replicates.to_string(),
            wanted.replicates.to_string(),
        );
    }
    if found.seed != wanted.seed {
        return said("seed", found.seed.to_string(), wanted.seed.to_string());
    }
    if found.outputs != wanted.outputs {
        let list = |p: &ExperimentPlan| {
            (p.outputs.iter().map(|o| o.to_string()))
                .collect::<Vec<_>>()
                .join(",")
        };
        return said("--metric", list(found), list(wanted));
    }
    if found.points.len() != wanted.points.len() {
        return said(
            "points",
            found.points.len().to_string(),
            wanted.points.len().to_string(),
        );
    }
    for (i, (a, b)) in found.points.iter().zip(&wanted.points).enumerate() {
        if a.label != b.label || a.overrides != b.overrides {
            return said(
                &format!("point {}", i + 1),
                a.label.clone(),
                b.label.clone(),
            );
        }
        if a.scenario != b.scenario {
            return Some(format!(
                "point {} ({}): the scenario file changed since the folder was made",
                i + 1,
                a.label
            ));
        }
    }
    Some("the plans differ".into())
}
