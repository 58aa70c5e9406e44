//! docs/model.md is the model's description (ODD protocol): this test keeps it complete.
//!
//! It fails when a scenario key, a metric or an ODD section is missing from the document,
//! so a key added to the code cannot go undocumented. Keys are collected by walking the
//! default scenario as the library resolves it (every default filled in), serialized twice:
//! to a TOML table (what a scenario file holds) and to JSON (which also shows optional keys
//! the default leaves unset, as `null`). Tables are descended into; an array of tables is
//! descended into through its first element; of the role tables `[population.<role>]` only
//! the first is descended into (every role has the same keys); tables keyed by role pair
//! (`network.density`, `contacts`, `trust.prior`, `network_change.meeting_affinity`) and the
//! lever map of an intervention (`set`) are checked by their own name only. The keys of
//! `[[programme]]`, `[[intervention]]` and `[[contest]]`, which the default scenario has
//! none of, are listed below from src/scenario/school.rs, and are also collected from a
//! scenario that extends the default with one of each.
//!
//! A key counts as documented when the document has its name in backticks exactly, e.g.
//! `` `record_every` `` (a qualified `run.record_every` alone does not count); a table also
//! counts when its header is in backticks, e.g. `` `[run]` `` or `` `[[activity]]` ``.

use gotong::model::role::Role;
use gotong::observe::METRICS;
use serde_json::Value;
use std::collections::BTreeSet;

/// The document under test.
fn doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/model.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Tables keyed by role pair (`"teacher~parent" = ..`), and other maps whose keys are
/// data rather than settings: only their own name is a key.
const MAPS: [&str; 5] = [
    "network.density",
    "contacts",
    "trust.prior",
    "network_change.meeting_affinity",
    "intervention.set",
];

/// Fields of `[[programme]]` (src/scenario/school.rs, `Programme`).
const PROGRAMME_KEYS: [&str; 10] = [
    "kind",
    "name",
    "members",
    "start",
    "end",
    "every",
    "endowment",
    "synergy",
    "new_tie_chance",
    "active",
];

/// Fields of `[[intervention]]` and of its `closure` (`Intervention`, `Closure`).
const INTERVENTION_KEYS: [&str; 10] = [
    "at",
    "set",
    "start",
    "stop",
    "funding_cut",
    "scandal",
    "closure",
    "replace_principal",
    "factor",
    "steps",
];

/// Fields of `[[contest]]` (`Contest`).
const CONTEST_KEYS: [&str; 7] = [
    "name",
    "role",
    "every",
    "contestants",
    "prize",
    "effort_cost",
    "rivalry",
];

/// Keys the default scenario leaves out and serializes in neither form: `extends` (read
/// while files are merged), `population.total` (only with role shares), the tie-kind game
/// tables the default does not override, and `self_interaction` (only when given).
const OTHER_KEYS: [&str; 5] = [
    "extends",
    "total",
    "cultural",
    "internal",
    "self_interaction",
];

/// One of each list-valued table, with every key given, on top of the default school.
const WITH_EVERY_TABLE: &str = r#"
extends = "default"

[[programme]]
kind = "parent_teacher_association"
name = "pta"
members = { principal = 1, teacher = 4, parent = 10 }
start = 0
end = 200
every = 4
endowment = 2.0
synergy = 1.8
new_tie_chance = 0.2
active = true

[[intervention]]
at = 120
set = { "policy.transparency" = 0.9 }
start = ["pta"]
stop = ["pta"]
funding_cut = 0.5
scandal = 0.3
closure = { factor = 0.2, steps = 20 }
replace_principal = true

[[contest]]
name = "teacher_award"
role = "teacher"
every = 40
contestants = 5
prize = 10.0
effort_cost = 1.0
rivalry = 1.0
"#;

/// Adds every key path of `value` under `path` to `keys` (see the module doc).
fn walk(value: &Value, path: &str, keys: &mut BTreeSet<String>) {
    let Value::Object(table) = value else {
        return;
    };
    let roles = Role::names();
    // The first role present in canonical order (JSON objects come back sorted by key).
    let first_role = roles.iter().find(|r| table.contains_key(**r));
    for (key, child) in table {
        let child_path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        keys.insert(child_path.clone());
        if MAPS.contains(&child_path.as_str()) {
            continue;
        }
        if path == "population"
            && roles.contains(&key.as_str())
            && first_role != Some(&key.as_str())
        {
            continue;
        }
        match child {
            Value::Object(_) => walk(child, &child_path, keys),
            Value::Array(items) => {
                if let Some(first @ Value::Object(_)) = items.first() {
                    walk(first, &child_path, keys);
                }
            }
            _ => {}
        }
    }
}

/// Every key path of `scenario`, from its TOML and its JSON form.
fn key_paths(scenario: &gotong::scenario::Scenario) -> BTreeSet<String> {
    let table = toml::Table::try_from(scenario).expect("the scenario serializes to TOML");
    let mut keys = BTreeSet::new();
    walk(
        &serde_json::to_value(&table).expect("a TOML table converts to JSON"),
        "",
        &mut keys,
    );
    walk(
        &serde_json::to_value(scenario).expect("the scenario serializes to JSON"),
        "",
        &mut keys,
    );
    keys
}

/// The last segment of a key path: the key name as written in a scenario file.
fn key_name(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// The key paths (or names) in `keys` whose name `doc` does not have in backticks. A table
/// may also be named by its header, `[path]` or `[[path]]`.
fn undocumented<'k>(doc: &str, keys: impl IntoIterator<Item = &'k str>) -> Vec<&'k str> {
    keys.into_iter()
        .filter(|path| {
            let forms = [
                format!("`{}`", key_name(path)),
                format!("`[{path}]`"),
                format!("`[[{path}]]`"),
            ];
            !forms.iter().any(|form| doc.contains(form.as_str()))
        })
        .collect()
}

#[test]
fn every_key_of_the_default_scenario_is_documented() {
    let loaded = gotong::scenario::load(Some("default"), &[]).expect("the default scenario loads");
    let keys = key_paths(&loaded.scenario);
    // The walk must have reached every table of the scenario and the first role's keys.
    for expected in [
        "run.record_every",
        "population.initial_defectors",
        "population.principal.norm",
        "population.principal.share",
        "network.density",
        "network.width",
        "game.payoffs.R",
        "game.conflict.kind",
        "trust.stranger_prior.alpha",
        "ties.decay",
        "network_change.max_degree",
        "activity.trust_sensitivity",
        "learning.conformity_rate",
        "policy.governance",
        "lifecycle.firm_entry",
        "solidarity.threshold",
        "diffusion.event_tie_chance",
        "outcomes.natural_resources",
    ] {
        assert!(
            keys.contains(expected),
            "the walk missed {expected}: {keys:?}"
        );
    }
    assert!(
        !keys.contains("population.teacher.norm"),
        "only the first role is walked"
    );
    assert!(
        !keys.iter().any(|k| k.starts_with("contacts.")),
        "pair maps are not walked"
    );
    let doc = doc();
    let missing = undocumented(&doc, keys.iter().map(String::as_str));
    assert!(
        missing.is_empty(),
        "docs/model.md does not mention these scenario keys in backticks: {missing:?}"
    );
}

#[test]
fn keys_of_programmes_interventions_and_contests_are_documented() {
    let doc = doc();
    let listed = PROGRAMME_KEYS
        .iter()
        .chain(&INTERVENTION_KEYS)
        .chain(&CONTEST_KEYS)
        .chain(&OTHER_KEYS)
        .copied();
    let missing = undocumented(&doc, listed);
    assert!(
        missing.is_empty(),
        "docs/model.md does not mention these keys in backticks: {missing:?}"
    );
    // The same tables as the library reads them: a field added to the code shows up here
    // even before it is added to the lists above.
    let scenario = gotong::scenario::from_text("docs", WITH_EVERY_TABLE, &[])
        .expect("the default with one programme, intervention and contest loads");
    let keys = key_paths(&scenario);
    for table in ["programme", "intervention", "contest"] {
        assert!(
            keys.iter().any(|k| k.starts_with(&format!("{table}."))),
            "the walk missed [[{table}]]: {keys:?}"
        );
    }
    let missing = undocumented(&doc, keys.iter().map(String::as_str));
    assert!(
        missing.is_empty(),
        "docs/model.md does not mention these scenario keys in backticks: {missing:?}"
    );
}

#[test]
fn every_role_and_metric_is_documented() {
    let doc = doc();
    let roles = Role::names();
    let missing = undocumented(&doc, roles.iter().copied());
    assert!(missing.is_empty(), "roles not in backticks: {missing:?}");
    let missing: Vec<&str> = METRICS
        .iter()
        .map(|m| m.name)
        .filter(|name| !doc.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/model.md does not mention these metrics in backticks: {missing:?}"
    );
}

#[test]
fn the_document_has_the_seven_odd_sections() {
    let doc = doc();
    let headings: Vec<String> = doc
        .lines()
        .filter(|line| line.starts_with('#'))
        .map(str::to_lowercase)
        .collect();
    let sections = [
        "purpose and patterns",
        "entities, state variables and scales",
        "process overview and scheduling",
        "design concepts",
        "initialization",
        "input data",
        "submodels",
    ];
    let mut last = 0;
    for (number, title) in sections.iter().enumerate() {
        let found = headings
            .iter()
            .position(|h| h.contains(title))
            .unwrap_or_else(|| panic!("no heading for ODD section {}: {title}", number + 1));
        assert!(
            found >= last,
            "ODD section {} ({title}) comes before the one it should follow",
            number + 1
        );
        last = found;
    }
}
