//! Property tests of the scenario loader against hostile files (issue 8, "Scenario files").
//!
//! Every case goes through the entry the CLI uses, `gotong::scenario::load` (which is
//! `Source::find`, the `extends` merge, deserialization and validation), on a file written
//! to a temporary folder, and must return, either a scenario or a [`ScenarioError`] whose
//! rendered message starts with the file's name; when the error is at a key, its line must
//! be a line of the file that writes that key (or the table holding it). The cases:
//! - `bytes`: random bytes, and random edits of the default preset's bytes (invalid UTF-8,
//!   NUL, truncation), plus empty, blank and huge files;
//! - `documents`: the resolved default scenario (every key the schema knows, defaults
//!   included) with one key given a hostile value (NaN, ±inf, -0.0, 1e308, i64 extremes,
//!   2^53 + 1, negative counts, wrong types, long strings, arrays or tables in its place),
//!   an unknown key, a duplicated key, or nesting thousands deep;
//! - `extends`: random graphs of files that extend each other, missing parents, folders,
//!   presets and parents with bad content, checked against the outcome the graph implies;
//! - `overrides`: the same hostile values given as `--set KEY=VALUE`.
//!
//! Cases are sized so the whole target runs in well under a minute in release on 2 cores.
//! A failing case is printed by proptest (shrunk); add it to `tests/bad_inputs/`.

mod bytes;
mod documents;
mod extends;
mod imports;
mod overrides;

use gotong::scenario::{self, ScenarioError};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Loads `path` as `gotong run PATH` does. A panic is turned into a test failure that
/// says which file did it (catch_unwind is a belt: the property is that `load` returns).
pub fn load_path(path: &Path, overrides: &[String]) -> Result<(), ScenarioError> {
    let name = path.to_str().expect("temporary paths are UTF-8");
    load_name(name, overrides)
}

/// Loads a file or preset name as the CLI does, with `overrides` as `--set` arguments.
pub fn load_name(name: &str, overrides: &[String]) -> Result<(), ScenarioError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        scenario::load(Some(name), overrides).map(|_| ())
    }));
    match outcome {
        Ok(result) => result,
        Err(_) => panic!("the loader panicked on {name} with overrides {overrides:?}"),
    }
}

/// The checks every refusal of a file must pass: the message starts with the file's name,
/// the line (if any) exists in the file, and an error at a key has a line.
pub fn check_refusal(err: &ScenarioError, path: &Path, text: &[u8]) -> Result<(), String> {
    let message = err.to_string();
    let name = path.display().to_string();
    if !message.starts_with(&name) {
        return Err(format!("message does not start with {name}: {message}"));
    }
    if message.contains('\n') {
        return Err(format!("message spans several lines: {message}"));
    }
    let lines = text.split(|&b| b == b'\n').count();
    if let Some(line) = err.line
        && (line == 0 || line > lines)
    {
        return Err(format!("line {line} of a {lines}-line file: {message}"));
    }
    Ok(())
}

/// Line `number` (1-based) of `text`, empty if there is none.
pub fn line_text(text: &str, number: usize) -> &str {
    text.lines().nth(number.wrapping_sub(1)).unwrap_or("")
}
