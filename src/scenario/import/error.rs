//! What can be wrong with an imported network file, and where.
//!
//! Owns: [`ImportError`] (the file, the 1-based line when known, and the [`ImportProblem`])
//! and its conversion into a [`ScenarioError`] whose origin is the imported file, so that
//! `gotong run` shows it as one `error:` line and exits 2 like any scenario error.
//! Must never: read files or decide what is valid (the readers do).

use crate::scenario::error::{ScenarioError, ScenarioErrorKind};
use std::path::PathBuf;

/// One thing wrong with an imported file; each message says what is valid.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ImportProblem {
    #[error("the file is empty: {expected}")]
    Empty { expected: &'static str },
    #[error(
        "byte {byte} is not UTF-8 text; save the file as UTF-8 (most spreadsheet programs offer \"CSV UTF-8\")"
    )]
    NotUtf8 { byte: usize },
    #[error("the header is `{header}`; it must name the column{} {}", plural(.missing), .missing)]
    MissingColumn { header: String, missing: String },
    #[error("the header names the column `{column}` twice")]
    DuplicateColumn { column: String },
    #[error("{found} fields, but the header has {expected}")]
    FieldCount { found: u64, expected: u64 },
    #[error("the CSV cannot be read: {message}")]
    Csv { message: String },
    #[error("this is not well-formed XML: {message}")]
    Xml { message: String },
    #[error("{message}")]
    GraphMl { message: String },
    #[error("node `{id}` has no role; give every node one of the roles: {valid}")]
    MissingRole { id: String, valid: String },
    #[error("node `{id}` has the unknown role `{role}`.{hint} Valid roles: {valid}.")]
    UnknownRole {
        id: String,
        role: String,
        hint: String,
        valid: String,
    },
    #[error("a node has an empty id; every node needs one")]
    EmptyId,
    #[error("node `{id}` is listed twice (first on line {first_line}); node ids must be unique")]
    DuplicateNode { id: String, first_line: usize },
    #[error(
        "the {end} `{id}` is not a node of {nodes}.{hint} Every tie must join two listed nodes"
    )]
    DanglingId {
        end: &'static str,
        id: String,
        nodes: String,
        hint: String,
    },
    #[error(
        "the strength `{value}` is not a number in [0, 1] (leave the cell empty for the scenario's ties.initial_strength)"
    )]
    BadStrength { value: String },
    #[error("lists no nodes; {expected}")]
    NoNodes { expected: &'static str },
    #[error(
        "{nodes} nodes is more than gotong can index (at most {max}); split the network or sample it"
    )]
    TooManyNodes { nodes: u64, max: u64 },
}

fn plural(list: &str) -> &'static str {
    if list.contains(',') { "s" } else { "" }
}

/// A problem in an imported file at a line (1-based) when known.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}{}: {problem}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ImportError {
    /// The file as the scenario named it (after resolving it against the scenario's folder).
    pub file: PathBuf,
    /// 1-based line of the file, when the problem sits on one.
    pub line: Option<usize>,
    /// What is wrong (boxed: errors stay small on the path of every row read).
    pub problem: Box<ImportProblem>,
}

impl ImportError {
    /// `problem` at `line` of `file`.
    pub fn at(file: impl Into<PathBuf>, line: Option<usize>, problem: ImportProblem) -> Self {
        ImportError {
            file: file.into(),
            line,
            problem: Box::new(problem),
        }
    }
}

impl From<ImportError> for ScenarioError {
    fn from(err: ImportError) -> ScenarioError {
        ScenarioError {
            kind: ScenarioErrorKind::ImportedNetwork,
            origin: err.file.display().to_string(),
            line: err.line,
            key: None,
            message: err.problem.to_string(),
        }
    }
}

/// 1-based line of byte `offset` in `bytes`.
pub fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
