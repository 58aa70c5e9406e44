//! `--set KEY=VALUE` with the same hostile values, over the default preset: they take the
//! same path as a file's keys, and a refusal names the argument (the preset is valid, so
//! the argument is at fault) and a key within the one it sets.

use crate::documents::{hostile_value, path_string, related, schema};
use crate::load_name;
use gotong::scenario::ScenarioErrorKind;
use proptest::prelude::*;
use proptest::sample::Index;
use toml::Value;

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn a_hostile_override_is_refused_naming_the_argument_or_loaded(
        leaf in any::<Index>(),
        value in hostile_value(),
    ) {
        let schema = schema();
        let leaf = &schema.leaves[leaf.index(schema.leaves.len())];
        let key = path_string(leaf);
        let number = {
            let mut document = Value::Table(schema.document.clone());
            matches!(crate::documents::slot(&mut document, leaf), Value::Float(_) | Value::Integer(_))
        };
        let not_finite = matches!(value, Value::Float(x) if !x.is_finite());
        let argument = format!("{key}={value}");
        match load_name("preset:default", std::slice::from_ref(&argument)) {
            Ok(()) => prop_assert!(!(number && not_finite), "--set {argument} was accepted"),
            Err(err) => {
                let at = err.key.clone().unwrap_or_default();
                // A rule between two keys of one table (`b > c`) is reported at one of
                // them, where the preset wrote it; its message gives both values.
                let sibling = at.rsplit_once('.').map(|(table, _)| table)
                    == key.rsplit_once('.').map(|(table, _)| table);
                prop_assert!(
                    err.origin == format!("--set {argument}") || sibling,
                    "blamed on {}: {}", err.origin, err
                );
                // A rule between keys may be shown at its other key (`b` for `--set
                // ...c=5`, an activity's members for `--set population.ROLE.count=0`);
                // the message then names the key that was set.
                prop_assert!(
                    at.is_empty() && err.kind == ScenarioErrorKind::BadOverride
                        || related(&at, &key)
                        || err.to_string().contains(&key),
                    "--set {argument} was blamed on `{at}`: {err}"
                );
            }
        }
    }
}

#[test]
fn hostile_override_keys_and_values_name_the_argument() {
    let deep = format!("run.steps={}{}", "[".repeat(10_000), "]".repeat(10_000));
    let long_key = format!("{}=1", vec!["a"; 10_000].join("."));
    let cases = [
        "run.steps=nan",
        "policy.transparency=inf",
        "policy.transparency=-inf",
        "population.teacher.count=-1",
        "population.teacher.count=4294967296",
        "run.seed=9223372036854775808",
        "run.steps=1e308",
        "population=[1, 2]",
        "a..b=1",
        "activity[99999999999999999999].name=x",
        "activity[7].name=x",
        "run.steps[0]=1",
        "=1",
        "run.steps=",
        "run.steps=\"unterminated",
        &deep,
        &long_key,
    ];
    for argument in cases {
        let err = load_name("preset:default", &[argument.to_string()])
            .expect_err(&format!("--set {argument} was accepted"));
        let rendered = err.to_string();
        assert!(
            rendered.starts_with(&format!("--set {argument}")),
            "{}",
            &rendered[..rendered.len().min(300)]
        );
    }
}
