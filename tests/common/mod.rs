//! Helpers shared by the whole-run tests: running the `gotong` binary in a scratch folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The result of one `gotong` invocation.
pub struct Invocation {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `gotong ARGS` with `cwd` as working directory.
pub fn gotong(cwd: &Path, args: &[&str]) -> Invocation {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the gotong binary runs");
    Invocation {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The repository's `scenarios/` folder.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Names of the entries of `dir` (empty if it does not exist), sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
pub mod model;
pub mod validation;
