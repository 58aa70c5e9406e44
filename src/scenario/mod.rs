//! Scenario files: the format, defaults, presets, overrides and validation.
//!
//! Owns: turning a file name or preset name plus `--set` overrides into a validated
//! [`Scenario`], or into a [`ScenarioError`] that names the file, line and key and says
//! what would be valid. The pipeline is: [`source`] reads and merges TOML layers (the
//! `extends` chain, then overrides) while recording where each key was written; [`schema`]
//! deserializes the merged table with every default; [`scale`] applies `population.scale`
//! (once, then removes it); [`validate`] checks ranges and combinations. Errors of the
//! last three steps carry a key path that `source` maps back to a file and line.
//! Must never: run anything, or print; callers decide how to show errors.

mod error;
pub mod games;
pub mod import;
pub mod initial_moves;
pub mod presets;
pub mod scale;
pub mod schema;
pub mod school;
mod size;
mod source;
mod suggest;
mod validate;
pub mod values;

pub use error::{ScenarioError, ScenarioErrorKind};
pub use games::{
    GameProblem, GameSettings, GameSpec, resolve_conflict_game, resolve_game, unused_game_keys,
};
pub use initial_moves::InitialMoves;
pub use schema::*;
pub use school::*;
pub use source::Source;
pub use suggest::suggest;
pub use validate::{Problem, check_policy};

use crate::model::role::Role;

/// A validated scenario and where it came from.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    /// The scenario with every default filled in.
    pub scenario: Scenario,
    /// Where it was read from.
    pub source: Source,
    /// The `--set` overrides applied, in order.
    pub overrides: Vec<String>,
}

/// Loads `name_or_path` (a file or preset name; `None` for the default preset), applies
/// `overrides` (`KEY=VALUE`, in order) and validates the result.
pub fn load(
    name_or_path: Option<&str>,
    overrides: &[String],
) -> Result<LoadedScenario, ScenarioError> {
    let source = Source::find(name_or_path)?;
    let scenario = load_source(&source, overrides)?;
    Ok(LoadedScenario {
        scenario,
        source,
        overrides: overrides.to_vec(),
    })
}

impl LoadedScenario {
    /// Reads `--initial-moves FILE.csv` into the scenario, after checking it against the
    /// scenario's lattice.
    pub fn with_initial_moves(mut self, path: &std::path::Path) -> Result<Self, ScenarioError> {
        let moves = InitialMoves::read(path)?;
        moves.check(&self.scenario)?;
        self.scenario.initial_moves = Some(moves);
        Ok(self)
    }
}

/// Loads and validates a scenario given as TOML text, e.g. by a program that builds it;
/// `name` names it in messages and run folders, and `extends` can name presets.
pub fn from_text(name: &str, text: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let source = Source::Text {
        name: name.to_string(),
        text: text.to_string(),
    };
    load_source(&source, overrides)
}

/// Loads and validates a scenario from an already-found source.
pub fn load_source(source: &Source, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let merged = source::merge(source, overrides)?;
    let locations = merged.locations;
    let value = toml::Value::Table(merged.table);
    let mut scenario: Scenario =
        serde_path_to_error::deserialize(value.clone()).map_err(|err| {
            let path = path_to_string(err.path());
            let mut message = err.inner().message().to_string();
            if message.contains("unit variant, expected string only") {
                message = not_a_name(&value, err.path()).unwrap_or(message);
            }
            // A list where a table belongs is read as the table's keys in order, and the
            // error is then about one of its items: say what is really wrong.
            if let Some(list) = list_for_table(&value, table_shapes(), "") {
                return located(&locations, not_a_list(list));
            }
            located(&locations, serde_problem(path, shorten_numbers(&message)))
        })?;
    let resolved = toml::Value::try_from(&scenario).unwrap_or(toml::Value::Boolean(false));
    if let Some(path) = list_for_table(&value, &resolved, "") {
        return Err(located(&locations, not_a_list(path)));
    }
    if scenario.run.name.is_empty() {
        scenario.run.name = source.short_name();
    }
    if scenario.network.kind == NetworkKind::Import {
        import::apply(&mut scenario).map_err(|failure| match failure {
            import::ImportFailure::Key { kind, key, message } => {
                located(&locations, (kind, key.to_string(), message))
            }
            import::ImportFailure::File(err) => err.into(),
        })?;
    }
    scale::apply(&mut scenario).map_err(|(path, message)| {
        located(&locations, (ScenarioErrorKind::InvalidValue, path, message))
    })?;
    validate::check(&scenario).map_err(|(path, message)| {
        // A rule between keys may be broken by a later layer than the reported key's.
        let message = shorten_numbers(&message);
        let (origin, line) = locations.find_blamed(&path, &message);
        ScenarioError {
            kind: ScenarioErrorKind::InvalidValue,
            origin,
            line,
            key: (!path.is_empty()).then_some(path),
            message,
        }
    })?;
    Ok(scenario)
}

/// Reads a data file a scenario names (an imported network, initial moves): only a regular
/// file, so that a device such as `/dev/zero` or a named pipe cannot make the loader read
/// forever or wait for a writer.
pub(crate) fn read_data_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        let what = if metadata.is_dir() {
            "a folder"
        } else {
            "a device or pipe"
        };
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {what}, not a regular file"),
        ));
    }
    std::fs::read(path)
}

fn not_a_list(path: String) -> (ScenarioErrorKind, String, String) {
    let message = "expected a table of keys (`[name]` or `{ key = value }`), not a list";
    (ScenarioErrorKind::InvalidValue, path, message.to_string())
}

/// Where the default preset, read with every default, has tables: the reference for
/// [`list_for_table`] when a scenario cannot be read at all.
fn table_shapes() -> &'static toml::Value {
    static SHAPES: std::sync::OnceLock<toml::Value> = std::sync::OnceLock::new();
    SHAPES.get_or_init(|| {
        let preset = Source::Preset(presets::default_preset());
        source::merge(&preset, &[])
            .ok()
            .and_then(|merged| toml::Value::Table(merged.table).try_into::<Scenario>().ok())
            .and_then(|scenario| toml::Value::try_from(&scenario).ok())
            .unwrap_or(toml::Value::Boolean(false))
    })
}

/// The first key path at which `given` (the merged files) has a list where `resolved`
/// (the scenario read from it, written back as TOML) has a table. serde reads a list as a
/// table's keys in order (`ties = [0.5, 0.1]` would set `initial_strength` and `growth`),
/// which no scenario writer means.
fn list_for_table(given: &toml::Value, resolved: &toml::Value, path: &str) -> Option<String> {
    use toml::Value;
    match (given, resolved) {
        (Value::Array(_), Value::Table(_)) => Some(path.to_string()),
        (Value::Table(given), Value::Table(resolved)) => given.iter().find_map(|(key, value)| {
            let below = match path {
                "" => key.clone(),
                _ => format!("{path}.{key}"),
            };
            list_for_table(value, resolved.get(key)?, &below)
        }),
        (Value::Array(given), Value::Array(resolved)) => given
            .iter()
            .zip(resolved)
            .enumerate()
            .find_map(|(index, (value, resolved))| {
                list_for_table(value, resolved, &format!("{path}[{index}]"))
            }),
        _ => None,
    }
}

fn located(
    locations: &source::Locations,
    (kind, path, message): (ScenarioErrorKind, String, String),
) -> ScenarioError {
    let (origin, line) = locations.find(&path);
    ScenarioError {
        kind,
        origin,
        line,
        key: (!path.is_empty()).then_some(path),
        message,
    }
}

/// A key that takes one of some names was given something else (a number, `true`, a
/// table): the TOML reader only says "invalid type: unit variant". To say what is valid,
/// deserialize again with a name that cannot be valid in its place and read the list of
/// valid names from that error.
fn not_a_name(value: &toml::Value, path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    const PROBE: &str = "\u{1}";
    let mut probe = value.clone();
    let mut slot = &mut probe;
    for segment in path.iter() {
        slot = match segment {
            Segment::Map { key } => slot.get_mut(key.as_str())?,
            Segment::Seq { index } => slot.get_mut(*index)?,
            _ => return None,
        };
    }
    let given = std::mem::replace(slot, toml::Value::String(PROBE.into()));
    let err = serde_path_to_error::deserialize::<_, Scenario>(probe).err()?;
    let message = err.inner().message();
    let (_, valid, _) = misnamed(message, &format!("unknown variant `{PROBE}"))?;
    Some(format!(
        "`{given}` is not a valid value: it must be one of these names, as text in quotes. \
         Valid values: {valid}."
    ))
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or variant) messages: the
/// wrong name, the valid ones joined, and a " Did you mean ..." hint (or nothing).
fn misnamed<'m>(message: &'m str, prefix: &str) -> Option<(&'m str, String, String)> {
    let rest = message.strip_prefix(prefix)?;
    let wrong = rest.split('`').next().unwrap_or_default();
    let valid: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
    let hint = suggest(wrong, valid.iter().copied())
        .map(|s| format!(" Did you mean `{s}`?"))
        .unwrap_or_default();
    Some((wrong, valid.join(", "), hint))
}

/// The key path in the notation `source` records: `a.b[0].c`.
fn path_to_string(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

/// Turns serde's message into one that says what is valid, with a suggestion.
fn serde_problem(path: String, message: String) -> (ScenarioErrorKind, String, String) {
    if let Some((wrong, valid, hint)) = misnamed(&message, "unknown field `") {
        let text = format!("unknown key `{wrong}`.{hint} Valid keys here: {valid}.");
        // Hand-written visitors report the error at the table, not at the key: add it.
        let at_key = path.rsplit(['.', ']']).next() == Some(wrong);
        let path = match (at_key, path.is_empty()) {
            (true, _) => path,
            (false, true) => wrong.to_string(),
            (false, false) => format!("{path}.{wrong}"),
        };
        return (ScenarioErrorKind::UnknownKey, path, text);
    }
    if let Some((wrong, valid, hint)) = misnamed(&message, "unknown variant `") {
        let text = format!("`{wrong}` is not a valid value.{hint} Valid values: {valid}.");
        return (ScenarioErrorKind::InvalidValue, path, text);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let missing = rest.split('`').next().unwrap_or_default();
        let full = if path.is_empty() {
            missing.to_string()
        } else {
            format!("{path}.{missing}")
        };
        return (
            ScenarioErrorKind::MissingKey,
            full,
            "is required but missing".into(),
        );
    }
    (ScenarioErrorKind::InvalidValue, path, humanize(&message))
}

/// Numbers of more than 20 digits (`1e308` printed in full) in scientific notation.
fn shorten_numbers(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let digits = &rest[start..];
        let end = digits
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(digits.len());
        let number = &digits[..end];
        match number.parse::<f64>() {
            Ok(value) if number.len() > 20 => out.push_str(&format!("{value:e}")),
            _ => out.push_str(number),
        }
        rest = &digits[end..];
    }
    out.push_str(rest);
    out
}

/// Serde's names of Rust types in words a scenario writer knows.
fn humanize(message: &str) -> String {
    let mut text = message.to_string();
    for (rust, plain) in [
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        (
            "expected u64",
            "expected a whole number from 0 to 9223372036854775807",
        ),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list such as [1, 2]"),
        ("expected a map", "expected a table"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: map", "invalid type: a table"),
    ] {
        text = text.replace(rust, plain);
    }
    if let Some(start) = text.find("expected struct ") {
        text.replace_range(
            start..,
            "expected a table of keys (`[name]` or `{ key = value }`)",
        );
    }
    text.replace("integer `", "`")
        .replace("floating point `", "`")
}

impl Scenario {
    /// Number of agents of each role present, in canonical role order. Shares are turned
    /// into counts of the total (or of the lattice's cells) by largest remainder, ties
    /// going to the earlier role.
    pub fn role_counts(&self) -> Vec<(Role, u32)> {
        let roles = &self.population.roles;
        if roles.values().all(|r| r.share.is_none()) {
            return roles
                .iter()
                .map(|(role, r)| (*role, r.count.unwrap_or(0)))
                .collect();
        }
        let total = match (self.network.kind, self.network.width, self.network.height) {
            (NetworkKind::Lattice, Some(w), Some(h)) => w as u64 * h as u64,
            _ => self.population.total.unwrap_or(0) as u64,
        };
        let exact: Vec<(Role, f64)> = roles
            .iter()
            .map(|(role, r)| (*role, r.share.unwrap_or(0.0) * total as f64))
            .collect();
        let mut counts: Vec<(Role, u32)> = exact
            .iter()
            .map(|(role, x)| (*role, x.floor() as u32))
            .collect();
        let assigned: u64 = counts.iter().map(|(_, n)| *n as u64).sum();
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by(|&a, &b| {
            let remainder = |i: usize| exact[i].1 - exact[i].1.floor();
            remainder(b).total_cmp(&remainder(a)).then(a.cmp(&b))
        });
        for &i in order.iter().take(total.saturating_sub(assigned) as usize) {
            counts[i].1 += 1;
        }
        counts
    }

    /// The number of agents.
    pub fn agent_count(&self) -> usize {
        self.role_counts().iter().map(|(_, n)| *n as usize).sum()
    }

    /// The resolved scenario as TOML: running this text again gives the same run.
    pub fn to_toml(&self) -> String {
        toml::to_string(self)
            .unwrap_or_else(|err| format!("# could not write the scenario as TOML: {err}\n"))
    }
}
