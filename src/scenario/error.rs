//! The error of a scenario that cannot be used, with where and what.

use std::fmt;

/// What went wrong with a scenario, for callers that react differently to each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScenarioErrorKind {
    /// The file could not be read, or neither a file nor a preset has that name.
    NotFound,
    /// The text is not valid TOML.
    Syntax,
    /// A key that the format does not have.
    UnknownKey,
    /// A key whose value has the wrong type or is out of range.
    InvalidValue,
    /// A required key is missing.
    MissingKey,
    /// `extends` names a missing parent or forms a cycle.
    Extends,
    /// A `--set KEY=VALUE` argument that cannot be applied.
    BadOverride,
    /// A network file named by `network.file` or `network.nodes` is malformed or
    /// inconsistent (`origin` and `line` are then the imported file's).
    ImportedNetwork,
}

/// A scenario error that names the file (or `--set` argument), line and key.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// What kind of problem it is.
    pub kind: ScenarioErrorKind,
    /// The file, preset or `--set` argument the offending text came from.
    pub origin: String,
    /// 1-based line in `origin`, when known.
    pub line: Option<usize>,
    /// Dotted path of the key, e.g. `population.teacher.count`, when known.
    pub key: Option<String>,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl ScenarioError {
    /// An error with no key, e.g. an unreadable file.
    pub fn new(
        kind: ScenarioErrorKind,
        origin: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ScenarioError {
            kind,
            origin: origin.into(),
            line: None,
            key: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "key `{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScenarioError {}
