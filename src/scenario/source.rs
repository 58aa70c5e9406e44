//! Reading scenario text into one merged TOML table, remembering where each key came from.
//!
//! Owns: finding a scenario (a file, or a preset by name), following `extends` (relative to
//! the file, else a preset), applying `--set KEY=VALUE` overrides, and the map from each
//! dotted key path to the file and line that set it last, so later errors can point there.
//! Must never: interpret the values; that is `schema` and `validate`'s job.
//!
//! Merge rules: tables merge key by key, later layers win. When a table's `kind` changes
//! (a child sets `network.kind = "lattice"` over the default's `"sbm"`), the parent's keys
//! of that table are dropped, so keys of the old kind do not linger; sub-tables that name
//! their own `kind` (`[game.educative]`, `[game.conflict]`) are independent and stay.
//! Keys that exclude each other (`count` and `share`, `p` and `mean_degree`) replace each
//! other. A layer that names `network.file` drops an inherited `network.nodes` (the node
//! list of another file) unless it names one too. Arrays (`[[activity]]`) are replaced whole.

use super::error::{ScenarioError, ScenarioErrorKind};
use super::presets::{self, Preset};
use lines::{key_lines, syntax_error, toml_reason};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// `preset:NAME` names a preset even where a file of that name exists.
pub const PRESET_PREFIX: &str = "preset:";

/// `extends` chains of more scenarios than this (files and presets) are refused (they are
/// surely a mistake).
const MAX_EXTENDS_DEPTH: usize = 16;

/// Most parts of a `--set` key (`activity[0].members.teacher` has 4); more would only
/// make its setting recurse deeper.
const MAX_KEY_PARTS: usize = 16;

/// Where a scenario comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A preset embedded in the binary.
    Preset(&'static Preset),
    /// A file on disk.
    File(PathBuf),
    /// Text held by the caller (a library user's scenario, a test); its `extends` can
    /// name presets only.
    Text { name: String, text: String },
}

impl Source {
    /// Finds `name_or_path`: `preset:NAME` is always a preset; otherwise an existing file,
    /// else a preset of that name (with or without `.toml`). `None` is the default preset.
    pub fn find(name_or_path: Option<&str>) -> Result<Source, ScenarioError> {
        let Some(text) = name_or_path else {
            return Ok(Source::Preset(presets::default_preset()));
        };
        let path = Path::new(text);
        if path.is_file() && !text.starts_with(PRESET_PREFIX) {
            return Ok(Source::File(path.to_path_buf()));
        }
        if path.is_dir() {
            return Err(ScenarioError::new(
                ScenarioErrorKind::NotFound,
                text,
                "is a folder; give a scenario file (.toml) or a preset name",
            ));
        }
        if let Some(preset) = presets::find(text.strip_prefix(PRESET_PREFIX).unwrap_or(text)) {
            return Ok(Source::Preset(preset));
        }
        let hint = super::suggest(text.trim_end_matches(".toml"), presets::names())
            .map(|s| format!(" Did you mean the preset `{s}`?"))
            .unwrap_or_default();
        Err(ScenarioError::new(
            ScenarioErrorKind::NotFound,
            text,
            format!(
                "no such file, and no preset of that name.{hint} Presets: {} (see `gotong list`).",
                presets::names().collect::<Vec<_>>().join(", ")
            ),
        ))
    }

    /// How this source is named in messages.
    pub fn origin(&self) -> String {
        match self {
            Source::Preset(preset) => {
                format!("preset `{}` (scenarios/{})", preset.name, preset.file)
            }
            Source::File(path) => path.display().to_string(),
            Source::Text { name, .. } => format!("scenario `{name}`"),
        }
    }

    /// A short name for run folders: the preset name or the file stem.
    pub fn short_name(&self) -> String {
        match self {
            Source::Preset(preset) => preset.name.to_string(),
            Source::Text { name, .. } => name.clone(),
            Source::File(path) => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "scenario".into()),
        }
    }

    fn read(&self) -> Result<String, ScenarioError> {
        match self {
            Source::Preset(preset) => Ok(preset.text.to_string()),
            Source::Text { text, .. } => Ok(text.clone()),
            Source::File(path) => std::fs::read_to_string(path).map_err(|err| {
                let reason = match err.kind() {
                    std::io::ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
                    _ => err.to_string(),
                };
                ScenarioError::new(
                    ScenarioErrorKind::NotFound,
                    self.origin(),
                    format!("cannot read the file: {reason}"),
                )
            }),
        }
    }

    /// The source named by `extends = "name"` inside this one.
    fn parent(&self, name: &str, line: Option<usize>) -> Result<Source, ScenarioError> {
        let preset_only = name.strip_prefix(PRESET_PREFIX);
        if let (Source::File(path), None) = (self, preset_only) {
            let candidate = path.parent().unwrap_or(Path::new(".")).join(name);
            if candidate.is_file() {
                return Ok(Source::File(candidate));
            }
            if candidate.is_dir() {
                return Err(ScenarioError {
                    kind: ScenarioErrorKind::Extends,
                    origin: self.origin(),
                    line,
                    key: Some("extends".into()),
                    message: format!(
                        "`{name}` is a folder next to this file; name a scenario file (.toml) \
                         or a preset"
                    ),
                });
            }
        }
        presets::find(preset_only.unwrap_or(name))
            .map(Source::Preset)
            .ok_or_else(|| ScenarioError {
                kind: ScenarioErrorKind::Extends,
                origin: self.origin(),
                line,
                key: Some("extends".into()),
                message: format!(
                    "`{name}` is neither a file next to this one nor a preset; presets: {}",
                    presets::names().collect::<Vec<_>>().join(", ")
                ),
            })
    }

    fn identity(&self) -> String {
        match self {
            Source::Preset(preset) => format!("preset:{}", preset.name),
            Source::Text { name, .. } => format!("text:{name}"),
            Source::File(path) => std::fs::canonicalize(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string(),
        }
    }
}

/// The merged table of a scenario and where its keys came from.
#[derive(Clone, Debug)]
pub struct MergedSource {
    pub table: Table,
    pub locations: Locations,
}

/// Reads `source` and its `extends` chain, merges them parent first, then applies the
/// `--set` overrides in order.
pub fn merge(source: &Source, overrides: &[String]) -> Result<MergedSource, ScenarioError> {
    let mut chain = Vec::new();
    collect_chain(source, &mut chain, &mut Vec::new())?;
    let mut table = Table::new();
    let mut locations = Locations::default();
    for (origin, layer, lines) in chain.into_iter().rev() {
        let mut resets = Vec::new();
        merge_table(&mut table, layer, "", &mut resets);
        locations.layers.push(LayerLocations {
            origin,
            lines,
            resets,
        });
    }
    for assignment in overrides {
        let (key, value) = parse_override(assignment)?;
        let origin = format!("--set {assignment}");
        let mut resets = Vec::new();
        apply_override(&mut table, &key, value, &origin, &mut resets)?;
        // The override wrote its key and every table on the way: errors below any of them
        // that no later layer explains are this argument's.
        let lines = (1..=key.len())
            .map(|depth| (path_string(&key[..depth]), 0))
            .collect();
        locations.layers.push(LayerLocations {
            origin,
            lines,
            resets,
        });
    }
    Ok(MergedSource { table, locations })
}

type Layer = (String, Table, HashMap<String, usize>);

/// Identity (to find cycles) and origin (to name them) of each scenario read so far.
type Seen = Vec<(String, String)>;

fn collect_chain(
    source: &Source,
    chain: &mut Vec<Layer>,
    seen: &mut Seen,
) -> Result<(), ScenarioError> {
    seen.push((source.identity(), source.origin()));
    let origin = source.origin();
    let text = source.read()?;
    let lines = key_lines(&text, &origin)?;
    let mut table: Table =
        toml::from_str(&text).map_err(|err| syntax_error(&err, &text, &origin))?;
    if let Source::File(path) = source {
        super::import::anchor_paths(&mut table, path.parent().unwrap_or(Path::new("")));
    }
    let extends_line = lines.get("extends").copied();
    let parent = match table.remove("extends") {
        None => None,
        Some(Value::String(name)) => Some(name),
        Some(other) => {
            return Err(ScenarioError {
                kind: ScenarioErrorKind::InvalidValue,
                origin,
                line: extends_line,
                key: Some("extends".into()),
                message: format!(
                    "must be a file or preset name in quotes, not {}",
                    match other.type_str() {
                        kind @ ("integer" | "array") => format!("an {kind}"),
                        kind => format!("a {kind}"),
                    }
                ),
            });
        }
    };
    chain.push((origin.clone(), table, lines));
    if let Some(name) = parent {
        let parent = source.parent(&name, extends_line)?;
        check_parent(&parent, &name, seen).map_err(|message| ScenarioError {
            kind: ScenarioErrorKind::Extends,
            origin,
            line: extends_line,
            key: Some("extends".into()),
            message,
        })?;
        collect_chain(&parent, chain, seen)?;
    }
    Ok(())
}

/// Whether `parent` (named `name` by the last scenario of `seen`) may be read next: not
/// one already in the chain, and not past the depth limit.
fn check_parent(parent: &Source, name: &str, seen: &Seen) -> Result<(), String> {
    let identity = parent.identity();
    if seen.iter().any(|(id, _)| *id == identity) {
        let chain: Vec<&str> = seen.iter().map(|(_, origin)| origin.as_str()).collect();
        return Err(format!(
            "`{name}` forms a cycle: {} -> {}; a scenario cannot extend itself or one that \
             extends it",
            chain.join(" -> "),
            parent.origin()
        ));
    }
    if seen.len() >= MAX_EXTENDS_DEPTH {
        return Err(format!(
            "`{name}` would make the `extends` chain longer than {MAX_EXTENDS_DEPTH} \
             scenarios (files and presets, from {})",
            seen[0].1
        ));
    }
    Ok(())
}

fn join_key(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Keys that exclude each other: setting one in a later layer removes the other, so a
/// child can say `share` where its parent said `count`.
const EXCLUSIVE_KEYS: [(&str, &str); 2] = [("count", "share"), ("p", "mean_degree")];

/// Sets `key` in `table` under the layering rules (module doc): a different `kind` clears
/// the table's own settings (keeping sub-tables that name their own kind, such as
/// `[game.conflict]`), and a key removes the key it excludes.
fn set_key(table: &mut Table, path: &str, key: String, value: Value, resets: &mut Vec<String>) {
    if key == "kind" && table.get("kind").is_some_and(|old| *old != value) {
        table.retain(|_, v| v.as_table().is_some_and(|sub| sub.contains_key("kind")));
        resets.push(path.to_string());
    }
    if path == "network" && key == "file" {
        table.remove("nodes");
    }
    for (a, b) in EXCLUSIVE_KEYS {
        if key == a {
            table.remove(b);
        } else if key == b {
            table.remove(a);
        }
    }
    table.insert(key, value);
}

/// Merges `over` into `base`, key by key, `over` winning (see [`set_key`]).
/// `path` is the key path of `base` (empty at the top); `resets` collects the tables whose
/// kind changed.
fn merge_table(base: &mut Table, mut over: Table, path: &str, resets: &mut Vec<String>) {
    if let Some(kind) = over.remove("kind") {
        set_key(base, path, "kind".into(), kind, resets); // first: the rest of `over` survives it
    }
    if let Some(file) = (path == "network").then(|| over.remove("file")).flatten() {
        set_key(base, path, "file".into(), file, resets); // before the `nodes` it would drop
    }
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(base_table)), Value::Table(over_table)) => {
                merge_table(base_table, over_table, &join_key(path, &key), resets)
            }
            (_, value) => set_key(base, path, key, value, resets),
        }
    }
}

/// One segment of a `--set` key: a table key or an array index.
#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn path_string(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

fn bad_override(assignment: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError::new(
        ScenarioErrorKind::BadOverride,
        format!("--set {assignment}"),
        message,
    )
}

/// Splits `KEY=VALUE`; the value is TOML (`0.9`, `true`, `"text"`, `[1, 2]`), and a bare
/// word that is not TOML is taken as a string (`learning.rule=fermi`).
fn parse_override(assignment: &str) -> Result<(Vec<Segment>, Value), ScenarioError> {
    let Some((key, value_text)) = assignment.split_once('=') else {
        return Err(bad_override(
            assignment,
            "expected KEY=VALUE, e.g. --set policy.transparency=0.9",
        ));
    };
    let segments = parse_key(assignment, key.trim())?;
    let value_text = value_text.trim();
    if value_text.is_empty() {
        return Err(bad_override(assignment, "the value after `=` is empty"));
    }
    let value = match toml::from_str::<Table>(&format!("value = {value_text}")) {
        Ok(mut table) => table.remove("value").expect("parsed key"),
        Err(_) if is_bare_word(value_text) => Value::String(value_text.to_string()),
        Err(err) => {
            return Err(bad_override(
                assignment,
                format!(
                    "{} is not a TOML value ({}); quote text like \"this\"",
                    if value_text.chars().count() > 40 {
                        "the value".to_string()
                    } else {
                        format!("`{value_text}`")
                    },
                    toml_reason(&err)
                ),
            ));
        }
    };
    Ok((segments, value))
}

fn is_bare_word(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_alphanumeric() || "_-~.()".contains(c))
}

/// `a.b[2].c`, `a.b.2.c` or `contacts."teacher~parent"` into segments.
fn parse_key(assignment: &str, key: &str) -> Result<Vec<Segment>, ScenarioError> {
    let mut segments = Vec::new();
    let mut rest = key;
    while !rest.is_empty() {
        let (segment, tail) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| bad_override(assignment, "a quoted key is not closed"))?;
            (Segment::Key(quoted[..end].to_string()), &quoted[end + 1..])
        } else if let Some(indexed) = rest.strip_prefix('[') {
            let end = indexed
                .find(']')
                .ok_or_else(|| bad_override(assignment, "`[` without `]` in the key"))?;
            let index = indexed[..end]
                .parse()
                .map_err(|_| bad_override(assignment, "an index in [] must be a whole number"))?;
            (Segment::Index(index), &indexed[end + 1..])
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let word = &rest[..end];
            let segment = match word.parse::<usize>() {
                Ok(index) => Segment::Index(index),
                Err(_) => Segment::Key(word.to_string()),
            };
            (segment, &rest[end..])
        };
        if segment == Segment::Key(String::new()) {
            return Err(bad_override(
                assignment,
                "the key has an empty part; write it like policy.transparency",
            ));
        }
        segments.push(segment);
        rest = tail.strip_prefix('.').unwrap_or(tail);
    }
    if segments.is_empty() {
        return Err(bad_override(assignment, "the key before `=` is empty"));
    }
    if segments.len() > MAX_KEY_PARTS {
        return Err(bad_override(
            assignment,
            format!(
                "the key has {} parts; scenario keys have at most {MAX_KEY_PARTS}",
                segments.len()
            ),
        ));
    }
    Ok(segments)
}

fn apply_override(
    table: &mut Table,
    segments: &[Segment],
    value: Value,
    origin: &str,
    resets: &mut Vec<String>,
) -> Result<(), ScenarioError> {
    let assignment = origin.trim_start_matches("--set ");
    let mut root = Value::Table(std::mem::take(table));
    let outcome = set_in_value(&mut root, segments, 0, value, (assignment, resets));
    if let Value::Table(root) = root {
        *table = root;
    }
    outcome
}

/// Sets `segments[depth..]` below `node`, creating tables on the way.
fn set_in_value(
    node: &mut Value,
    segments: &[Segment],
    depth: usize,
    value: Value,
    (assignment, resets): (&str, &mut Vec<String>),
) -> Result<(), ScenarioError> {
    let segment = &segments[depth];
    let is_last = depth + 1 == segments.len();
    let type_name = node.type_str();
    match (node, segment) {
        (Value::Table(table), Segment::Key(key)) => {
            if is_last {
                set_key(
                    table,
                    &path_string(&segments[..depth]),
                    key.clone(),
                    value,
                    resets,
                );
                return Ok(());
            }
            let child = table
                .entry(key.clone())
                .or_insert_with(|| Value::Table(Table::new()));
            set_in_value(child, segments, depth + 1, value, (assignment, resets))
        }
        (Value::Array(items), Segment::Index(index)) => {
            let count = items.len();
            let Some(child) = items.get_mut(*index) else {
                return Err(bad_override(
                    assignment,
                    format!(
                        "`{}` has {count} entries (indices 0..{count}); there is no [{index}]",
                        path_string(&segments[..depth])
                    ),
                ));
            };
            if is_last {
                *child = value;
                return Ok(());
            }
            set_in_value(child, segments, depth + 1, value, (assignment, resets))
        }
        (_, segment) => {
            let below = match segment {
                Segment::Key(key) => format!("key `{key}`"),
                Segment::Index(index) => format!("entry [{index}]"),
            };
            Err(bad_override(
                assignment,
                format!(
                    "`{}` is a {type_name}, so it has no {below}",
                    path_string(&segments[..depth])
                ),
            ))
        }
    }
}

mod lines;
mod locations;

use locations::LayerLocations;
pub use locations::Locations;

#[cfg(test)]
mod tests;
