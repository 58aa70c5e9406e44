//! TOML documents built from the keys the schema knows: the default preset resolved with
//! every default (`Scenario::to_toml`), then one key given a hostile value, one table
//! replaced, one unknown key added or one key written twice.

use crate::{check_refusal, line_text, load_path};
use gotong::scenario::{ScenarioError, ScenarioErrorKind};
use proptest::prelude::*;
use proptest::sample::Index;
use std::sync::OnceLock;
use toml::{Table, Value};

/// One step of a key path: a table key or an array index.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Every key of the resolved default scenario: its leaves (values that are not tables or
/// arrays of tables) and its tables, as paths from the top.
pub struct Schema {
    pub document: Table,
    pub leaves: Vec<Vec<Segment>>,
    pub tables: Vec<Vec<Segment>>,
}

pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let loaded = gotong::scenario::load(Some("preset:default"), &[]).unwrap();
        let document: Table = toml::from_str(&loaded.scenario.to_toml()).unwrap();
        let (mut leaves, mut tables) = (Vec::new(), Vec::new());
        walk(
            &Value::Table(document.clone()),
            &mut Vec::new(),
            &mut leaves,
            &mut tables,
        );
        Schema {
            document,
            leaves,
            tables,
        }
    })
}

fn walk(
    value: &Value,
    path: &mut Vec<Segment>,
    leaves: &mut Vec<Vec<Segment>>,
    tables: &mut Vec<Vec<Segment>>,
) {
    let mut visit = |path: &mut Vec<Segment>, segment, child: &Value| {
        path.push(segment);
        walk(child, path, leaves, tables);
        path.pop();
    };
    match value {
        Value::Table(table) => {
            for (key, child) in table {
                visit(path, Segment::Key(key.clone()), child);
            }
        }
        Value::Array(items) if items.iter().all(Value::is_table) && !items.is_empty() => {
            for (index, child) in items.iter().enumerate() {
                visit(path, Segment::Index(index), child);
            }
        }
        _ => {
            leaves.push(path.clone());
            return;
        }
    }
    if !path.is_empty() && value.is_table() {
        tables.push(path.clone());
    }
}

/// `a.b[0].c`, the notation of `ScenarioError::key`.
pub fn path_string(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => out.push_str(&format!(".{key}")),
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// The slot at `path` in `value`.
pub fn slot<'v>(value: &'v mut Value, path: &[Segment]) -> &'v mut Value {
    path.iter().fold(value, |node, segment| match segment {
        Segment::Key(key) => node.get_mut(key.as_str()).unwrap(),
        Segment::Index(index) => node.get_mut(*index).unwrap(),
    })
}

/// Whether one of the two key paths lies within the other (`a.b` and `a.b.c`, `a[0]`).
pub fn related(a: &str, b: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        inner == outer
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    within(a, b) || within(b, a)
}

/// Values a scenario writer (or a fuzzer) may put anywhere.
pub fn hostile_value() -> impl Strategy<Value = Value> {
    let floats = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        1e308,
        -1e308,
        5e-324,
        9007199254740993.0,
        -1.5,
        0.5,
    ];
    let integers = [
        i64::MAX,
        i64::MIN,
        (1 << 53) + 1,
        -1,
        0,
        1,
        u32::MAX as i64,
        u32::MAX as i64 + 1,
    ];
    prop_oneof![
        proptest::sample::select(floats.to_vec()).prop_map(Value::Float),
        proptest::sample::select(integers.to_vec()).prop_map(Value::Integer),
        proptest::sample::select(vec!["", "\u{0}", "nan", "inf", "1e308", "sbm", "é✓"])
            .prop_map(|s| Value::String(s.into())),
        (1usize..200_000).prop_map(|n| Value::String("x".repeat(n))),
        Just(Value::Boolean(true)),
        Just(Value::Array(Vec::new())),
        Just(Value::Array(vec![
            Value::Integer(1),
            Value::String("a".into())
        ])),
        (1usize..60).prop_map(nested_arrays),
        Just(Value::Table(Table::new())),
        Just(Value::Table(Table::from_iter([(
            "a".to_string(),
            Value::Integer(1)
        )]))),
        Just(Value::Datetime("1979-05-27T07:32:00Z".parse().unwrap())),
    ]
}

/// `[[[ ... 1 ... ]]]`, `depth` arrays deep (within the TOML reader's limit of 80).
fn nested_arrays(depth: usize) -> Value {
    (0..depth).fold(Value::Integer(1), |inner, _| Value::Array(vec![inner]))
}

/// The checks of a refused document: those of every file, plus an error at a key names a
/// line that writes that key or the nearest table above it that the document writes.
fn check_document(err: &ScenarioError, path: &std::path::Path, text: &str) -> Result<(), String> {
    check_refusal(err, path, text.as_bytes())?;
    let Some(key) = &err.key else { return Ok(()) };
    let Some(line) = err.line else {
        return Err(format!("error at key {key} has no line: {err}"));
    };
    let written = Value::Table(toml::from_str(text).map_err(|e| format!("{e}"))?);
    // The nearest key at or above `key` that the document writes, and its name.
    let mut node = &written;
    let mut deepest = None;
    for segment in parse_path(key) {
        let next = match &segment {
            Segment::Key(name) => node.get(name.as_str()),
            Segment::Index(index) => node.get(*index),
        };
        let Some(next) = next else { break };
        node = next;
        if let Segment::Key(name) = segment {
            deepest = Some(name);
        }
    }
    match deepest {
        Some(name) if line_text(text, line).contains(&name) => Ok(()),
        _ => Err(format!(
            "line {line} ({:?}) does not write {key}: {err}",
            line_text(text, line)
        )),
    }
}

/// The segments of `a.b[0].c`.
fn parse_path(key: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    for part in key.split('.') {
        let mut pieces = part.split('[');
        segments.push(Segment::Key(pieces.next().unwrap_or_default().to_string()));
        for index in pieces {
            let index = index.trim_end_matches(']').parse().unwrap_or(usize::MAX);
            segments.push(Segment::Index(index));
        }
    }
    segments
}

/// Writes `document` as TOML to a temporary file and loads it.
fn load_document(
    text: &str,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Result<(), ScenarioError>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.toml");
    std::fs::write(&path, text).unwrap();
    let result = load_path(&path, &[]);
    (dir, path, result)
}

#[test]
fn the_resolved_default_loads_and_has_the_keys_of_every_table() {
    let schema = schema();
    let text = toml::to_string(&schema.document).unwrap();
    let (_dir, _path, result) = load_document(&text);
    assert_eq!(result, Ok(()));
    for key in [
        "run.steps",
        "population.teacher.count",
        "network.kind",
        "policy.transparency",
        "activity[0].per_step",
        "game.payoffs.T",
        "trust.forgetting",
        "lifecycle.enabled",
    ] {
        assert!(
            schema.leaves.iter().any(|leaf| path_string(leaf) == key),
            "{key} is not among the {} leaves",
            schema.leaves.len()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn a_hostile_value_at_any_key_is_refused_at_that_key_or_loaded(
        leaf in any::<Index>(),
        value in hostile_value(),
    ) {
        let schema = schema();
        let leaf = &schema.leaves[leaf.index(schema.leaves.len())];
        let key = path_string(leaf);
        let mut document = Value::Table(schema.document.clone());
        let original = std::mem::replace(slot(&mut document, leaf), value.clone());
        let text = toml::to_string(&document).unwrap();
        let (_dir, path, result) = load_document(&text);
        let number = matches!(original, Value::Float(_) | Value::Integer(_));
        let not_finite = matches!(value, Value::Float(x) if !x.is_finite());
        match result {
            Ok(()) => prop_assert!(
                !(number && not_finite),
                "{key} = {value} (a number that is not finite) was accepted"
            ),
            Err(err) => {
                prop_assert_eq!(check_document(&err, &path, &text), Ok(()));
                // A value of another type is refused while reading, at its key. A value
                // of the right type may break a rule between keys (`b > c` of a donation
                // game, members of an activity against the population), which may name
                // the other key: then it is only checked that its line writes that key.
                let number = |v: &Value| v.is_integer() || v.is_float();
                let retyped = original.type_str() != value.type_str()
                    && !(number(&original) && number(&value));
                let at = err.key.clone().unwrap_or_default();
                prop_assert!(
                    !retyped || related(&at, &key),
                    "{key} = {value} was blamed on `{at}`: {err}"
                );
            }
        }
    }

    #[test]
    fn a_table_replaced_by_a_list_is_refused_at_that_table(
        table in any::<Index>(),
        value in hostile_value().prop_filter("not a table", |v| !v.is_table()),
    ) {
        let schema = schema();
        let table = &schema.tables[table.index(schema.tables.len())];
        let key = path_string(table);
        let mut document = Value::Table(schema.document.clone());
        *slot(&mut document, table) = value.clone();
        let text = toml::to_string(&document).unwrap();
        let (_dir, path, result) = load_document(&text);
        // Some tables also take a number or a name (`norm = 0.5`, `strategy = "tft"`);
        // no table takes a list.
        match result {
            Ok(()) => prop_assert!(!value.is_array(), "{key} = {value} was accepted"),
            Err(err) => {
                prop_assert_eq!(check_document(&err, &path, &text), Ok(()));
                let at = err.key.clone().unwrap_or_default();
                prop_assert!(related(&at, &key), "{key} = {value} was blamed on `{at}`: {err}");
            }
        }
    }

    #[test]
    fn an_unknown_key_is_refused_by_name(
        table in any::<Index>(),
        name in "[a-z][a-z_]{0,11}",
    ) {
        let schema = schema();
        let table = &schema.tables[table.index(schema.tables.len())];
        let mut document = Value::Table(schema.document.clone());
        let target = slot(&mut document, table).as_table_mut().unwrap();
        prop_assume!(!target.contains_key(&name));
        target.insert(name.clone(), Value::Integer(1));
        let key = format!("{}.{name}", path_string(table));
        let text = toml::to_string(&document).unwrap();
        let (_dir, path, result) = load_document(&text);
        // A name that happens to be valid there may load; anything else is refused at it.
        if let Err(err) = result {
            prop_assert_eq!(check_document(&err, &path, &text), Ok(()));
            let at = err.key.clone().unwrap_or_default();
            prop_assert!(related(&at, &key), "unknown {key} was blamed on `{at}`: {err}");
        }
    }

    #[test]
    fn a_key_written_twice_is_a_syntax_error_at_the_second(line in any::<Index>()) {
        let text = toml::to_string(&schema().document).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let assignments: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].contains(" = ") && !lines[i].starts_with('['))
            .collect();
        let at = assignments[line.index(assignments.len())];
        let mut edited = lines.clone();
        edited.insert(at + 1, lines[at]);
        let (_dir, path, result) = load_document(&edited.join("\n"));
        let err = result.expect_err("a duplicate key loads");
        prop_assert_eq!(err.kind, ScenarioErrorKind::Syntax);
        prop_assert_eq!(err.line, Some(at + 2), "{}", err);
        prop_assert_eq!(check_refusal(&err, &path, edited.join("\n").as_bytes()), Ok(()));
    }
}

/// Nesting far past the TOML reader's limit of 80 levels is refused with a syntax error
/// (not a stack overflow), on a test thread's small stack (2 MiB, a quarter of main's).
#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for depth in [81, 10_000, 200_000] {
        let cases = [
            format!("x = {}{}", "[".repeat(depth), "]".repeat(depth)),
            format!("x = {}1{}", "{a = ".repeat(depth), "}".repeat(depth)),
            format!("{} = 1", vec!["a"; depth].join(".")),
            format!("[{}]", vec!["a"; depth].join(".")),
            format!("[[{}]]", vec!["a"; depth].join(".")),
        ];
        for text in cases {
            let (_dir, path, result) = load_document(&text);
            let err = result.expect_err("deep nesting loads");
            assert_eq!(err.kind, ScenarioErrorKind::Syntax, "{err}");
            assert_eq!(err.line, Some(1), "{err}");
            assert!(err.message.contains("nested"), "{err}");
            assert_eq!(check_refusal(&err, &path, text.as_bytes()), Ok(()));
        }
    }
}
