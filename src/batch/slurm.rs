//! `--emit-slurm FILE`: a Slurm job-array script that runs an experiment's shards on a
//! cluster and merges them.
//!
//! Owns: the script's text. Run with `bash FILE` on a login node, it submits itself as an
//! array of N tasks (`sbatch --array=1-N`; task I runs shard I/N of the same command into
//! `<out>-shards/shard-I`, resuming that folder if an earlier attempt left one) and then
//! itself again as task 0 with `--dependency=afterok:<array>`, which merges the shards into
//! `<out>`: so the merge job gets the same `#SBATCH` settings (partition, account, time) the
//! user edited into the file.
//! Submitted with `sbatch FILE` it runs just the array. Everything it needs is written in
//! absolute paths, and the binary can be overridden with `GOTONG=/path/to/gotong`.
//! Must never: submit anything itself, or write anything but the script.

use crate::output::experiment::shell_quote;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the script runs.
#[derive(Clone, Debug)]
pub struct SlurmScript {
    /// The experiment's name (job names).
    pub name: String,
    /// The gotong binary.
    pub binary: PathBuf,
    /// The experiment command without `--out`, `--shard`, `--resume`, `--threads`: e.g.
    /// `["sweep", "/abs/school.toml", "--vary", "policy.transparency=0:1:5"]`.
    pub command: Vec<String>,
    /// Where the merged results go (absolute).
    pub out: PathBuf,
    pub shards: usize,
    /// CPUs (and gotong threads) per task.
    pub cpus_per_task: u16,
    /// Where the script is written (named in its own comments).
    pub script: PathBuf,
}

/// The largest array Slurm accepts by default (`MaxArraySize` is 1001).
pub const MAX_SHARDS: usize = 1000;

impl SlurmScript {
    /// Where the shard folders and the Slurm logs go: `<out>-shards`.
    pub fn shards_folder(&self) -> PathBuf {
        let mut name = self.out.file_name().unwrap_or_default().to_os_string();
        name.push("-shards");
        self.out.with_file_name(name)
    }

    /// The script's text.
    pub fn text(&self) -> String {
        let q = |p: &Path| shell_quote(&p.display().to_string());
        let shards_folder = self.shards_folder();
        let job = shell_quote(&format!("gotong-{}", self.name));
        let command: Vec<String> = self.command.iter().map(|a| shell_quote(a)).collect();
        let n = self.shards;
        let shards_glob = format!("{}/shard-*", q(&shards_folder));
        let shard_words = if n == 1 {
            "1 shard".to_string()
        } else {
            format!("{n} shards")
        };
        format!(
            r#"#!/bin/bash
# A Slurm job array for a gotong experiment, written by gotong {version}.
#
#   bash {this_file}    submits the array of {n} shards, then a merge job (task 0 of this
#                        file, with the same #SBATCH settings) that waits for them
#   sbatch {this_file}  submits the array only; merge by hand afterwards:
#                        gotong merge {shards_glob} --out {out}
#
# Re-running one failed shard:  sbatch --array=I {this_file}   (it resumes that shard's folder)
# Edit the #SBATCH lines for your cluster (partition, account, time limit, memory) before
# submitting; they apply to the shards and to the merge job.
#SBATCH --job-name={job}
#SBATCH --array=1-{n}
#SBATCH --cpus-per-task={cpus}
#SBATCH --output="{logs}/slurm-%A_%a.out"
##SBATCH --partition=CHANGE_ME
##SBATCH --account=CHANGE_ME
##SBATCH --time=01:00:00
##SBATCH --mem-per-cpu=2G
set -euo pipefail
GOTONG=${{GOTONG:-{binary}}}
OUT={out}
SHARDS={shards}

if [ -z "${{SLURM_ARRAY_TASK_ID:-}}" ]; then
    # Not inside Slurm: submit the array, then this file as task 0, the merge, after all of it.
    mkdir -p "$SHARDS"
    array=$(sbatch --parsable "$0")
    array=${{array%%;*}}
    merge=$(sbatch --parsable --array=0 --dependency=afterok:"$array" \
        --job-name={job}-merge --output="$SHARDS/slurm-merge-%A.out" "$0")
    merge=${{merge%%;*}}
    echo "submitted array job $array ({shard_words}) and merge job $merge"
    echo "results: $OUT   shards and logs: $SHARDS   watch: squeue -j $array,$merge"
    exit 0
fi

if [ "$SLURM_ARRAY_TASK_ID" = 0 ]; then
    exec "$GOTONG" merge --quiet --out "$OUT" "$SHARDS"/shard-*
fi

folder="$SHARDS/shard-$SLURM_ARRAY_TASK_ID"
if [ -d "$folder" ]; then place=(--resume "$folder"); else place=(--out "$folder"); fi
exec "$GOTONG" {command} \
    --shard "$SLURM_ARRAY_TASK_ID/{n}" --threads "${{SLURM_CPUS_PER_TASK:-1}}" --quiet "${{place[@]}}"
"#,
            version = env!("CARGO_PKG_VERSION"),
            out = q(&self.out),
            shards = q(&shards_folder),
            logs = shards_folder.display().to_string().replace('"', "\\\""),
            binary = q(&self.binary),
            cpus = self.cpus_per_task,
            this_file = q(&self.script),
            command = command.join(" "),
        )
    }

    /// Writes the script to `path` (never over an existing file), executable, and creates
    /// the shards folder its logs go to.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(self.shards_folder())?;
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o755);
        let mut file = options.open(path)?;
        file.write_all(self.text().as_bytes())?;
        file.sync_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_runs_shards_and_a_dependent_merge() {
        let script = SlurmScript {
            name: "classroom-sweep".into(),
            binary: "/opt/gotong/bin/gotong".into(),
            command: vec![
                "sweep".into(),
                "/home/me/my school.toml".into(),
                "--vary".into(),
                "policy.transparency=0:1:5".into(),
            ],
            out: "/scratch/me/sweep".into(),
            shards: 4,
            cpus_per_task: 2,
            script: "/scratch/me/sweep.sh".into(),
        };
        let text = script.text();
        assert!(text.contains("#SBATCH --array=1-4\n"), "{text}");
        assert!(text.contains("#   bash /scratch/me/sweep.sh "), "{text}");
        assert!(!text.contains("{this"), "no placeholder left: {text}");
        assert!(text.contains("#SBATCH --cpus-per-task=2\n"));
        assert!(text.contains("#SBATCH --output=\"/scratch/me/sweep-shards/slurm-%A_%a.out\""));
        assert!(text.contains("sbatch --parsable --array=0 --dependency=afterok:\"$array\""));
        assert!(text.contains("exec \"$GOTONG\" merge --quiet --out \"$OUT\" \"$SHARDS\"/shard-*"));
        assert!(text.contains(
            "exec \"$GOTONG\" sweep '/home/me/my school.toml' --vary policy.transparency=0:1:5"
        ));
        assert!(text.contains("--shard \"$SLURM_ARRAY_TASK_ID/4\""));
        assert!(text.contains("GOTONG=${GOTONG:-/opt/gotong/bin/gotong}"));
        assert_eq!(
            script.shards_folder(),
            PathBuf::from("/scratch/me/sweep-shards")
        );
    }
}
