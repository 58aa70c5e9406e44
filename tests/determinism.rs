//! The determinism contract: the same scenario and seed give the same bytes in
//! `timeseries.csv` and `summary.csv` with 1, 2 or 4 threads, and replicate r does not
//! depend on how many replicates the run has.

mod common;
use common::gotong;
use std::path::Path;

fn run(dir: &Path, out: &str, extra: &[&str]) {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/determinism.toml");
    let mut args = vec![
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out,
        "--quiet",
        "--no-plots",
    ];
    args.extend_from_slice(extra);
    let result = gotong(dir, &args);
    assert_eq!(result.code, 0, "{}", result.stderr);
}

fn read(dir: &Path, out: &str, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(out).join(file)).unwrap()
}

#[test]
fn outputs_are_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    for threads in ["1", "2", "4"] {
        run(dir.path(), &format!("t{threads}"), &["--threads", threads]);
    }
    for file in ["timeseries.csv", "summary.csv"] {
        let one = read(dir.path(), "t1", file);
        assert!(one.len() > 10_000, "{file} has data");
        assert!(
            one == read(dir.path(), "t2", file),
            "{file}: 1 vs 2 threads differ"
        );
        assert!(
            one == read(dir.path(), "t4", file),
            "{file}: 1 vs 4 threads differ"
        );
    }
    let manifest = String::from_utf8(read(dir.path(), "t4", "manifest.json")).unwrap();
    assert!(manifest.contains("\"threads\": 4"), "{manifest}");
}

#[test]
fn replicates_do_not_depend_on_the_replicate_count() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), "four", &["--replicates", "4", "--steps", "5"]);
    run(dir.path(), "two", &["--replicates", "2", "--steps", "5"]);
    let text = |out| String::from_utf8(read(dir.path(), out, "timeseries.csv")).unwrap();
    let (four, two) = (text("four"), text("two"));
    let first_two: Vec<&str> = four
        .lines()
        .filter(|l| l.starts_with("0,") || l.starts_with("1,"))
        .collect();
    let all_of_two: Vec<&str> = two.lines().skip(1).collect();
    assert_eq!(first_two, all_of_two);
    assert!(four.lines().any(|l| l.starts_with("3,")));
}

#[test]
fn another_seed_gives_other_numbers() {
    let dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        "a",
        &["--seed", "1", "--steps", "5", "--replicates", "1"],
    );
    run(
        dir.path(),
        "b",
        &["--seed", "2", "--steps", "5", "--replicates", "1"],
    );
    assert_ne!(
        read(dir.path(), "a", "timeseries.csv"),
        read(dir.path(), "b", "timeseries.csv")
    );
}

/// The validation set-ups take other paths through the engine (lattice neighbour order,
/// learning before games, cumulative payoffs, random sequential updates, the proportional
/// rule, random regular and complete networks): the contract holds there too.
#[test]
fn validation_scenarios_are_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let validation = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation");
    let mut files: Vec<_> = std::fs::read_dir(&validation)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 7,
        "the validation scenarios are there: {files:?}"
    );
    for file in &files {
        let name = file.file_stem().unwrap().to_str().unwrap().to_string();
        for threads in ["1", "2"] {
            let out = format!("{name}-{threads}");
            let args = [
                "run",
                file.to_str().unwrap(),
                "--out",
                &out,
                "--quiet",
                "--no-plots",
                "--threads",
                threads,
                "--steps",
                "6",
                "--replicates",
                "2",
                "--set",
                "run.record_every=1",
            ];
            let result = gotong(dir.path(), &args);
            assert_eq!(result.code, 0, "{name}: {}", result.stderr);
        }
        let one = read(dir.path(), &format!("{name}-1"), "timeseries.csv");
        let two = read(dir.path(), &format!("{name}-2"), "timeseries.csv");
        assert!(one == two, "{name}: 1 vs 2 threads differ");
    }
}
