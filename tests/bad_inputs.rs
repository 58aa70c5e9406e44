//! The corpus of bad scenarios in `tests/bad_inputs/` (issue 8, "Scenario files"): every
//! `NAME.toml` at its top level is run as `gotong run NAME.toml ARGS` from inside a copy of
//! the folder (ARGS: the lines of `NAME.args`, if there is one), and must exit with code 2,
//! print exactly the one line of `NAME.expected` on stderr and nothing on stdout, and leave
//! no file or folder behind. Parents of the `extends` cases live in `parents/`.
//!
//! To rewrite the `.expected` files from what the binary prints now (after improving a
//! message, or for a new entry), run
//!
//! ```sh
//! GOTONG_BLESS=1 cargo test --release --test bad_inputs
//! ```
//!
//! then read every changed line (`git diff tests/bad_inputs`): each must say what is wrong,
//! where, and what would be valid. Blessing still checks the exit code and the folder.

mod common;
use common::{entries, gotong};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// The corpus entries: names of the `.toml` files at the top of the folder, sorted.
fn entry_names() -> Vec<String> {
    entries(&corpus_dir())
        .into_iter()
        .filter_map(|name| name.strip_suffix(".toml").map(str::to_string))
        .collect()
}

/// Copies `from` into `to`, folders included.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file and folder below `dir`, as paths relative to it, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for name in entries(dir) {
        found.push(name.clone());
        if dir.join(&name).is_dir() {
            found.extend(
                listing(&dir.join(&name))
                    .into_iter()
                    .map(|n| format!("{name}/{n}")),
            );
        }
    }
    found
}

/// Runs one entry in `work` (a copy of the corpus); the problems found, if any.
fn check_entry(work: &Path, name: &str, bless: bool) -> Vec<String> {
    let mut args = vec!["run".to_string(), format!("{name}.toml")];
    if let Ok(extra) = std::fs::read_to_string(work.join(format!("{name}.args"))) {
        args.extend(extra.lines().map(str::to_string));
    }
    let before = listing(work);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = gotong(work, &args);
    let mut problems = Vec::new();
    if result.code != 2 {
        problems.push(format!("exit code {} instead of 2", result.code));
    }
    if !result.stdout.is_empty() {
        problems.push(format!("stdout is not empty: {:?}", result.stdout));
    }
    if listing(work) != before {
        problems.push(format!("left files behind: {:?}", listing(work)));
    }
    let expected_path = corpus_dir().join(format!("{name}.expected"));
    if bless {
        std::fs::write(&expected_path, &result.stderr).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if result.stderr != expected {
        problems.push(format!(
            "stderr differs\n  expected: {expected:?}\n  printed:  {:?}",
            result.stderr
        ));
    }
    if result.stderr.lines().count() != 1 || !result.stderr.starts_with("error: ") {
        problems.push("stderr is not one `error: ` line".into());
    }
    problems
}

#[test]
fn every_bad_input_is_refused_with_its_expected_message() {
    let bless = std::env::var_os("GOTONG_BLESS").is_some_and(|v| v == "1");
    let work = tempfile::tempdir().unwrap();
    copy_tree(&corpus_dir(), work.path());
    let names = entry_names();
    assert!(names.len() >= 30, "only {} entries", names.len());
    let failures: Vec<String> = names
        .iter()
        .flat_map(|name| {
            check_entry(work.path(), name, bless)
                .into_iter()
                .map(move |problem| format!("{name}.toml: {problem}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_entry_has_an_expected_message_and_every_message_an_entry() {
    let names = entry_names();
    for name in entries(&corpus_dir()) {
        if let Some(stem) = name
            .strip_suffix(".expected")
            .or(name.strip_suffix(".args"))
        {
            assert!(names.iter().any(|n| n == stem), "{name} has no {stem}.toml");
        }
    }
    for name in &names {
        let expected = corpus_dir().join(format!("{name}.expected"));
        assert!(expected.is_file(), "{name}.toml has no {name}.expected");
    }
}
