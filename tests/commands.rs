//! `gotong list`, `gotong init` and `gotong validate` on the shipped scenarios.

mod common;
use common::{gotong, scenarios_dir};

#[test]
fn list_shows_every_preset_with_a_description() {
    let dir = tempfile::tempdir().unwrap();
    let result = gotong(dir.path(), &["list"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    for preset in gotong::scenario::presets::PRESETS {
        let line = result
            .stdout
            .lines()
            .find(|l| l.starts_with(preset.name))
            .unwrap_or_else(|| panic!("{} listed", preset.name));
        assert!(line.contains("agents)"), "{line}");
        assert!(!line.contains("invalid"), "{line}");
    }
}

#[test]
fn every_file_in_scenarios_is_a_valid_preset() {
    let files: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    for file in &files {
        let preset = gotong::scenario::presets::find(file)
            .unwrap_or_else(|| panic!("{file} is not embedded as a preset"));
        let on_disk = std::fs::read_to_string(scenarios_dir().join(file)).unwrap();
        assert_eq!(
            preset.text, on_disk,
            "{file}: the embedded text is the file"
        );
    }
    assert_eq!(files.len(), gotong::scenario::presets::PRESETS.len());
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<String> = files
        .iter()
        .map(|f| scenarios_dir().join(f).display().to_string())
        .collect();
    let mut args = vec!["validate"];
    args.extend(paths.iter().map(String::as_str));
    let result = gotong(dir.path(), &args);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
}

#[test]
fn init_writes_an_editable_scenario_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let result = gotong(dir.path(), &["init", "mine.toml"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let text = std::fs::read_to_string(dir.path().join("mine.toml")).unwrap();
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 40,
        "fully commented"
    );
    assert_eq!(gotong(dir.path(), &["validate", "mine.toml"]).code, 0);
    let edited = text.replace("transparency = 0.5", "transparency = 0.8");
    std::fs::write(dir.path().join("mine.toml"), edited).unwrap();
    let again = gotong(dir.path(), &["init", "mine.toml"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
    assert!(
        std::fs::read_to_string(dir.path().join("mine.toml"))
            .unwrap()
            .contains("transparency = 0.8")
    );

    let from_preset = gotong(dir.path(), &["init", "class.toml", "--preset", "classroom"]);
    assert_eq!(from_preset.code, 0, "{}", from_preset.stderr);
    assert_eq!(
        gotong(dir.path(), &["validate", "class.toml"]).code,
        0,
        "its extends resolves to the preset"
    );
    let unknown = gotong(dir.path(), &["init", "x.toml", "--preset", "clasroom"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("Did you mean `classroom`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn help_explains_each_command() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["run", "validate", "list", "init"] {
        let result = gotong(dir.path(), &[command, "--help"]);
        assert_eq!(result.code, 0);
        assert!(result.stdout.contains("Usage: gotong"), "{}", result.stdout);
    }
    let run_help = gotong(dir.path(), &["run", "--help"]).stdout;
    for flag in [
        "--out",
        "--seed",
        "--replicates",
        "--steps",
        "--threads",
        "--set",
        "--quiet",
    ] {
        assert!(run_help.contains(flag), "{flag} in run --help");
    }
}

#[test]
fn the_readme_starts_with_the_two_commands_and_lists_every_metric() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let first_block: Vec<&str> = readme.split("```").nth(1).unwrap().lines().collect();
    assert!(
        first_block
            .iter()
            .any(|l| l.starts_with("cargo run --release -- run")),
        "{first_block:?}"
    );
    assert!(
        first_block
            .iter()
            .any(|l| l.starts_with("cargo test --release")),
        "{first_block:?}"
    );
    for metric in gotong::observe::METRICS {
        assert!(
            readme.contains(&format!("`{}`", metric.name)),
            "README does not describe `{}`",
            metric.name
        );
    }
}
