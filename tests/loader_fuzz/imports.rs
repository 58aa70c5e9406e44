//! Imported networks under hostile data: random bytes and random edits of the survey
//! example's files never make the loader panic, and an error names the file it is about;
//! random node and tie lists (duplicate ids, unknown roles, dangling ids, self-loops,
//! repeated and reversed ties) give exactly the outcome the lists imply.

use super::load_path;
use gotong::model::role::Role;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

const SCENARIO: &str = "[run]\nsteps = 2\nreplicates = 1\n[lifecycle]\nenabled = false\n\
                        [network]\nkind = \"import\"\nfile = \"ties.csv\"\nnodes = \"people.csv\"\n";
const GRAPHML_SCENARIO: &str = "[run]\nsteps = 2\nreplicates = 1\n[lifecycle]\nenabled = false\n\
                                [network]\nkind = \"import\"\nfile = \"school.graphml\"\n";
const SURVEY_PEOPLE: &[u8] = include_bytes!("../../scenarios/examples/survey/people.csv");
const SURVEY_TIES: &[u8] = include_bytes!("../../scenarios/examples/survey/ties.csv");
const SURVEY_GRAPHML: &[u8] = include_bytes!("../../scenarios/examples/survey/school.graphml");

/// Writes the files, loads `scenario.toml`; an error must begin with the name of one of the
/// files (the scenario or a data file) and be one line.
fn load_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), String> {
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    match load_path(&dir.join("scenario.toml"), &[]) {
        Ok(()) => Ok(()),
        Err(err) => {
            let message = err.to_string();
            let named = files
                .iter()
                .any(|(name, _)| message.starts_with(&dir.join(name).display().to_string()));
            if !named || message.contains('\n') {
                return Err(format!("names no file, or spans lines: {message}"));
            }
            Ok(())
        }
    }
}

/// A random edit: overwrite, insert or delete bytes at a fraction of the length.
fn edited(base: &[u8], at: f64, bytes: &[u8], delete: usize) -> Vec<u8> {
    let mut text = base.to_vec();
    let start = ((text.len() as f64 * at) as usize).min(text.len());
    let end = (start + delete).min(text.len());
    text.splice(start..end, bytes.iter().copied());
    text
}

/// Role names drawn for nodes: valid ones and a misspelt one.
fn role_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(Role::names()).prop_map(str::to_string),
        1 => Just("parnet".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_as_an_imported_file_are_refused_with_its_name(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        which in 0usize..3,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let outcome = match which {
            0 => load_files(dir.path(), &[("scenario.toml", SCENARIO.as_bytes()),
                ("people.csv", &bytes), ("ties.csv", SURVEY_TIES)]),
            1 => load_files(dir.path(), &[("scenario.toml", SCENARIO.as_bytes()),
                ("people.csv", SURVEY_PEOPLE), ("ties.csv", &bytes)]),
            _ => load_files(dir.path(), &[("scenario.toml", GRAPHML_SCENARIO.as_bytes()),
                ("school.graphml", &bytes)]),
        };
        prop_assert_eq!(outcome, Ok(()));
    }

    #[test]
    fn random_edits_of_the_survey_files_never_panic(
        at in 0.0f64..1.0,
        bytes in proptest::collection::vec(any::<u8>(), 0..12),
        delete in 0usize..40,
        which in 0usize..3,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let outcome = match which {
            0 => load_files(dir.path(), &[("scenario.toml", SCENARIO.as_bytes()),
                ("people.csv", &edited(SURVEY_PEOPLE, at, &bytes, delete)), ("ties.csv", SURVEY_TIES)]),
            1 => load_files(dir.path(), &[("scenario.toml", SCENARIO.as_bytes()),
                ("people.csv", SURVEY_PEOPLE), ("ties.csv", &edited(SURVEY_TIES, at, &bytes, delete))]),
            _ => load_files(dir.path(), &[("scenario.toml", GRAPHML_SCENARIO.as_bytes()),
                ("school.graphml", &edited(SURVEY_GRAPHML, at, &bytes, delete))]),
        };
        prop_assert_eq!(outcome, Ok(()));
    }

    #[test]
    fn random_node_and_tie_lists_give_the_outcome_they_imply(
        nodes in proptest::collection::vec((0u8..12, role_name()), 1..10),
        ties in proptest::collection::vec((0u8..14, 0u8..14), 0..25),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut people = String::from("id,role\n");
        for (id, role) in &nodes {
            people.push_str(&format!("n{id},{role}\n"));
        }
        let mut tie_lines = String::from("source,target\n");
        for (a, b) in &ties {
            tie_lines.push_str(&format!("n{a},n{b}\n"));
        }
        for (name, text) in [("scenario.toml", SCENARIO), ("people.csv", &people), ("ties.csv", &tie_lines)] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let path = dir.path().join("scenario.toml");
        let loaded = gotong::scenario::load(Some(path.to_str().unwrap()), &[]);
        let ids: Vec<u8> = nodes.iter().map(|(id, _)| *id).collect();
        let distinct: BTreeSet<u8> = ids.iter().copied().collect();
        let message = loaded.as_ref().err().map(|e| e.to_string()).unwrap_or_default();
        // The node file's first bad line is the one blamed: a repeated id or an unknown role
        // (a line with both may be blamed for either).
        let mut seen = BTreeSet::new();
        let first_bad = nodes.iter().enumerate().find_map(|(k, (id, role))| {
            let repeated = !seen.insert(*id);
            (repeated || role == "parnet").then_some((k + 2, repeated, role == "parnet"))
        });
        if let Some((line, repeated, unknown)) = first_bad {
            let at_line = format!("people.csv:{line}:");
            let blamed = (repeated && message.contains("twice"))
                || (unknown && message.contains("unknown role `parnet`"));
            prop_assert!(message.contains(&at_line) && blamed, "expected line {}: {}", line, message);
        } else if ties.iter().any(|(a, b)| !distinct.contains(a) || !distinct.contains(b)) {
            prop_assert!(message.contains("is not a node"), "dangling id: {}", message);
        } else {
            // Each unordered pair of two different nodes is one tie, however often given.
            let pairs: BTreeSet<(u8, u8)> = (ties.iter())
                .filter(|(a, b)| a != b)
                .map(|&(a, b)| (a.min(b), a.max(b)))
                .collect();
            let scenario = match loaded {
                Ok(loaded) => loaded.scenario,
                // The file is fine; a school rule may still refuse it (the activities
                // of a bare scenario need no one): then it must not blame the files.
                Err(e) => return Err(TestCaseError::fail(format!("valid lists refused: {e}"))),
            };
            let imported = scenario.imported.expect("an imported network");
            prop_assert_eq!(imported.summary.ties, pairs.len() as u64);
            prop_assert_eq!(imported.ties.len(), pairs.len());
            let self_loops = ties.iter().filter(|(a, b)| a == b).count() as u64;
            prop_assert_eq!(imported.summary.self_loops_dropped, self_loops);
            let agents: u32 = imported.counts.iter().map(|(_, n)| n).sum();
            prop_assert_eq!(agents as usize, nodes.len());
        }
    }
}
