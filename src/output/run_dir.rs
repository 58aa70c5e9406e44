//! Run folders that appear whole or not at all.
//!
//! Owns: choosing the folder a run lands in, refusing to overwrite an earlier run, and the
//! write-then-rename protocol: every file is written into a hidden sibling folder
//! `.<name>.partial-<pid>`, which is renamed to its final name only when complete. If the
//! run fails or is interrupted, the partial folder is removed (or, after a hard kill, left
//! hidden and clearly named), so a folder with the final name is always a finished run.
//! Must never: delete or write into a folder it did not create.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Why a run folder could not be made or finished.
#[derive(Debug, thiserror::Error)]
pub enum RunFolderError {
    #[error(
        "{path} already exists and is not empty; an earlier run is never overwritten. Choose another --out, or remove it yourself."
    )]
    NotEmpty { path: PathBuf },
    #[error("{path} exists and is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("cannot create {path}: {source}")]
    Create { path: PathBuf, source: io::Error },
    #[error("cannot move the finished run from {from} to {to}: {source}")]
    Finish {
        from: PathBuf,
        to: PathBuf,
        source: io::Error,
    },
}

/// A run folder being written.
#[derive(Debug)]
pub struct RunFolder {
    staging: PathBuf,
    target: PathBuf,
    chosen_by_user: bool,
    finished: bool,
}

impl RunFolder {
    /// Prepares a folder: `out` if given (it must not exist, or be empty), else a new
    /// `<base>/<name>-<UTC timestamp>` (with `-2`, `-3`... if taken).
    pub fn create(
        out: Option<&Path>,
        base: &Path,
        name: &str,
    ) -> Result<RunFolder, RunFolderError> {
        let (target, chosen_by_user) = match out {
            Some(path) => {
                check_free(path)?;
                (path.to_path_buf(), true)
            }
            None => (
                free_name(
                    base,
                    &format!("{name}-{}", utc_timestamp(SystemTime::now())),
                ),
                false,
            ),
        };
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // A file where a folder of the path should be is the user's to fix (exit 2).
        if let Some(file) = parent
            .ancestors()
            .find(|a| a.exists())
            .filter(|a| !a.is_dir())
        {
            return Err(RunFolderError::NotAFolder {
                path: file.to_path_buf(),
            });
        }
        fs::create_dir_all(parent).map_err(|source| RunFolderError::Create {
            path: parent.to_path_buf(),
            source,
        })?;
        let file_name = target
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".into());
        let staging = parent.join(format!(".{file_name}.partial-{}", std::process::id()));
        if staging.exists() {
            // Left by an earlier process with our pid after a hard kill: ours to replace.
            let _ = fs::remove_dir_all(&staging);
        }
        fs::create_dir(&staging).map_err(|source| RunFolderError::Create {
            path: staging.clone(),
            source,
        })?;
        Ok(RunFolder {
            staging,
            target,
            chosen_by_user,
            finished: false,
        })
    }

    /// Where files are written until [`RunFolder::finish`].
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Creates a subfolder of the staging folder.
    pub fn subfolder(&self, name: &str) -> Result<PathBuf, RunFolderError> {
        let path = self.staging.join(name);
        fs::create_dir_all(&path).map_err(|source| RunFolderError::Create {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    /// Moves the finished run to its final name and returns it.
    pub fn finish(mut self) -> Result<PathBuf, RunFolderError> {
        loop {
            if self.target.is_dir() && is_empty_dir(&self.target) {
                let _ = fs::remove_dir(&self.target); // an empty --out folder, or a race
            }
            match fs::rename(&self.staging, &self.target) {
                Ok(()) => {
                    self.finished = true;
                    return Ok(self.target.clone());
                }
                Err(_) if !self.chosen_by_user && self.target.exists() => {
                    // Another run took the name meanwhile: take the next free one.
                    let base = self.target.parent().unwrap_or(Path::new(".")).to_path_buf();
                    let name = self
                        .target
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    self.target = free_name(&base, &name);
                }
                Err(source) => {
                    return Err(RunFolderError::Finish {
                        from: self.staging.clone(),
                        to: self.target.clone(),
                        source,
                    });
                }
            }
        }
    }
}

impl Drop for RunFolder {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

pub(crate) fn check_free(path: &Path) -> Result<(), RunFolderError> {
    if !path.exists() {
        return Ok(());
    }
    if !path.is_dir() {
        return Err(RunFolderError::NotAFolder {
            path: path.to_path_buf(),
        });
    }
    if !is_empty_dir(path) {
        return Err(RunFolderError::NotEmpty {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

pub(crate) fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false)
}

/// `base/name`, or `base/name-2`, `base/name-3`... whichever does not exist yet.
pub(crate) fn free_name(base: &Path, name: &str) -> PathBuf {
    let stem = strip_counter(name);
    let mut candidate = base.join(name);
    let mut counter = 2;
    while candidate.exists() {
        candidate = base.join(format!("{stem}-{counter}"));
        counter += 1;
    }
    candidate
}

/// `name-3` → `name` when the suffix is a counter this module added.
fn strip_counter(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((stem, digits)) if digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit()) => {
            stem
        }
        _ => name,
    }
}

/// `YYYYMMDD-HHMMSS` in UTC.
pub fn utc_timestamp(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// ISO 8601 UTC time, e.g. `2026-11-28T01:02:03Z`.
pub fn utc_iso8601(time: SystemTime) -> String {
    let stamp = utc_timestamp(time);
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &stamp[0..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13],
        &stamp[13..15]
    )
}

/// Year, month, day of the day `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + (month <= 2) as i64;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(utc_timestamp(UNIX_EPOCH), "19700101-000000");
        // 2026-11-28 00:44:55 UTC
        let t = UNIX_EPOCH + Duration::from_secs(1_795_826_695);
        assert_eq!(utc_timestamp(t), "20261128-004455");
        assert_eq!(utc_iso8601(t), "2026-11-28T00:44:55Z");
        // a leap day
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn folders_appear_only_when_finished_and_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let folder = RunFolder::create(Some(&out), dir.path(), "x").unwrap();
        fs::write(folder.path().join("a.csv"), "1").unwrap();
        assert!(!out.exists(), "not visible before finish");
        let done = folder.finish().unwrap();
        assert_eq!(done, out);
        assert!(out.join("a.csv").is_file());
        let err = RunFolder::create(Some(&out), dir.path(), "x").unwrap_err();
        assert!(err.to_string().contains("never overwritten"), "{err}");

        let abandoned = RunFolder::create(None, dir.path(), "y").unwrap();
        let staging = abandoned.path().to_path_buf();
        assert!(staging.is_dir());
        drop(abandoned);
        assert!(!staging.exists(), "an unfinished run leaves nothing behind");
    }

    #[test]
    fn default_names_get_counters_and_empty_out_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunFolder::create(None, dir.path(), "s")
            .unwrap()
            .finish()
            .unwrap();
        let second = RunFolder::create(None, dir.path(), "s")
            .unwrap()
            .finish()
            .unwrap();
        assert_ne!(first, second);
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        let done = RunFolder::create(Some(&empty), dir.path(), "s")
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(done, empty);
        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        assert!(matches!(
            RunFolder::create(Some(&file), dir.path(), "s"),
            Err(RunFolderError::NotAFolder { .. })
        ));
        // A file in the middle of the path is named, as bad input, and nothing is made.
        match RunFolder::create(Some(&file.join("sub").join("run")), dir.path(), "s") {
            Err(RunFolderError::NotAFolder { path }) => assert_eq!(path, file),
            other => panic!("expected NotAFolder, got {other:?}"),
        }
    }
}
