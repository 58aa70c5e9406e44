//! Tests of layering, overrides and locations.
use super::*;

fn merged(text: &str, overrides: &[&str]) -> Result<Table, ScenarioError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text).unwrap();
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    merge(&Source::File(path), &overrides).map(|m| m.table)
}

#[test]
fn overrides_take_toml_values_and_bare_words() {
    let table = merged(
        "[policy]\ntransparency = 0.5\n",
        &[
            "policy.transparency=0.9",
            "learning.rule=fermi",
            "contacts.teacher~parent=0.2",
            "contacts.\"parent~parent\"=0.1",
        ],
    )
    .unwrap();
    assert_eq!(table["policy"]["transparency"].as_float(), Some(0.9));
    assert_eq!(table["learning"]["rule"].as_str(), Some("fermi"));
    assert_eq!(table["contacts"]["teacher~parent"].as_float(), Some(0.2));
    assert_eq!(table["contacts"]["parent~parent"].as_float(), Some(0.1));
}

#[test]
fn overrides_index_arrays_and_refuse_nonsense() {
    let text = "[[activity]]\nname = \"a\"\nsynergy = 1.5\n";
    let table = merged(text, &["activity.0.synergy=2.5", "activity[0].name=b"]).unwrap();
    assert_eq!(table["activity"][0]["synergy"].as_float(), Some(2.5));
    assert_eq!(table["activity"][0]["name"].as_str(), Some("b"));
    for (bad, needle) in [
        ("activity.3.synergy=1", "has 1 entries"),
        ("policy", "KEY=VALUE"),
        ("=3", "empty"),
        ("a..b=1", "empty part"),
        ("activity.0.name.x=1", "is a string"),
        ("policy.transparency=[1,", "not a TOML value"),
    ] {
        let err = merged(text, &[bad]).unwrap_err();
        assert_eq!(err.kind, ScenarioErrorKind::BadOverride, "{bad}");
        assert!(err.to_string().contains(needle), "{bad}: {err}");
        assert!(err.to_string().starts_with("--set "), "{err}");
    }
}

#[test]
fn changing_kind_replaces_the_table() {
    let text = "[network]\nkind = \"sbm\"\ndensity = { default = 0.1 }\n";
    let table = merged(text, &["network.kind=lattice", "network.width=4"]).unwrap();
    assert!(table["network"].get("density").is_none());
    assert_eq!(table["network"]["width"].as_integer(), Some(4));
    let same = merged(text, &["network.kind=sbm"]).unwrap();
    assert!(same["network"].get("density").is_some());
}

#[test]
fn extends_merges_and_detects_cycles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.toml"), "[run]\nsteps = 5\nseed = 1\n").unwrap();
    std::fs::write(
        dir.path().join("child.toml"),
        "extends = \"base.toml\"\n[run]\nseed = 2\n",
    )
    .unwrap();
    let merged = merge(&Source::File(dir.path().join("child.toml")), &[]).unwrap();
    assert_eq!(merged.table["run"]["steps"].as_integer(), Some(5));
    assert_eq!(merged.table["run"]["seed"].as_integer(), Some(2));
    let (origin, line) = merged.locations.find("run.steps");
    assert!(
        origin.ends_with("base.toml") && line == Some(2),
        "{origin} {line:?}"
    );
    let (origin, line) = merged.locations.find("run.seed");
    assert!(
        origin.ends_with("child.toml") && line == Some(3),
        "{origin} {line:?}"
    );

    std::fs::write(dir.path().join("a.toml"), "extends = \"b.toml\"\n").unwrap();
    std::fs::write(dir.path().join("b.toml"), "extends = \"a.toml\"\n").unwrap();
    let err = merge(&Source::File(dir.path().join("a.toml")), &[]).unwrap_err();
    assert_eq!(err.kind, ScenarioErrorKind::Extends);
    assert!(err.message.contains("cycle"), "{err}");

    std::fs::write(
        dir.path().join("orphan.toml"),
        "\n\nextends = \"nowhere.toml\"\n",
    )
    .unwrap();
    let err = merge(&Source::File(dir.path().join("orphan.toml")), &[]).unwrap_err();
    assert_eq!((err.kind, err.line), (ScenarioErrorKind::Extends, Some(3)));
}

#[test]
fn syntax_errors_have_lines() {
    let err = merged("[run]\nsteps = 5\nseed = \n", &[]).unwrap_err();
    assert_eq!((err.kind, err.line), (ScenarioErrorKind::Syntax, Some(3)));
    let err = merged("[run]\n[run]\n", &[]).unwrap_err();
    assert_eq!(err.kind, ScenarioErrorKind::Syntax);
}

#[test]
fn locations_fall_back_to_enclosing_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(
        &path,
        "[population.teacher]\ncount = 3\n\n[[activity]]\nname = \"x\"\n",
    )
    .unwrap();
    let merged = merge(&Source::File(path), &["run.steps=4".into()]).unwrap();
    assert_eq!(merged.locations.find("population.teacher.norm").1, Some(1));
    assert_eq!(merged.locations.find("activity[0].members").1, Some(4));
    let (origin, line) = merged.locations.find("run.steps");
    assert_eq!((origin.as_str(), line), ("--set run.steps=4", None));
    assert!(
        merged
            .locations
            .find("trust.forgetting")
            .0
            .ends_with("s.toml")
    );
}

#[test]
fn a_new_kind_keeps_sub_tables_with_their_own_kind() {
    let text = "[game]\nkind = \"pd\"\npayoffs = { R = 3, S = 0, T = 5, P = 1 }\n[game.educative]\nkind = \"stag_hunt\"\n[game.internal]\npayoffs = { R = 1, S = 0, T = 2, P = 0 }\n";
    let table = merged(text, &["game.kind=snowdrift"]).unwrap();
    let game = table["game"].as_table().unwrap();
    assert_eq!(game["kind"].as_str(), Some("snowdrift"));
    assert!(
        game.get("payoffs").is_none(),
        "the old kind's payoffs are gone"
    );
    assert!(
        game.get("educative").is_some(),
        "a game with its own kind stays"
    );
    assert!(
        game.get("internal").is_none(),
        "an override that inherits the old kind goes"
    );
}

#[test]
fn exclusive_keys_replace_each_other_across_layers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("base.toml"),
        "[population.teacher]\ncount = 3\n[network]\nkind = \"erdos_renyi\"\np = 0.1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("child.toml"),
        "extends = \"base.toml\"\n[population.teacher]\nshare = 1.0\n",
    )
    .unwrap();
    let merged = merge(
        &Source::File(dir.path().join("child.toml")),
        &["network.mean_degree=4".into()],
    )
    .unwrap();
    let teacher = merged.table["population"]["teacher"].as_table().unwrap();
    assert!(teacher.get("count").is_none() && teacher.get("share").is_some());
    let network = merged.table["network"].as_table().unwrap();
    assert!(network.get("p").is_none() && network.get("mean_degree").is_some());
}

#[test]
fn errors_below_a_reset_table_belong_to_the_reset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(
        &path,
        "[network]\nkind = \"sbm\"\ndensity = { default = 0.1 }\n",
    )
    .unwrap();
    let merged = merge(&Source::File(path), &["network.kind=lattice".into()]).unwrap();
    let (origin, line) = merged.locations.find("network.density");
    assert_eq!(
        (origin.as_str(), line),
        ("--set network.kind=lattice", None)
    );
    let (origin, _) = merged.locations.find("network.width");
    assert_eq!(origin, "--set network.kind=lattice");
}
