//! Imported networks: `[network] kind = "import"` starts a run from survey data, an edge
//! list with a node list (CSV) or a GraphML file with a role per node (DESIGN §6).
//!
//! Owns: the scenario keys `network.file`, `network.nodes` and `network.format` (paths
//! relative to the scenario file that names them, see [`anchor_paths`]), reading the files
//! (refusing non-UTF-8 bytes, dropping a byte-order mark, hashing them with 64-bit FNV-1a
//! for the manifest), and turning what the [`csv`] and [`graphml`] readers found into an
//! [`ImportedNetwork`]: agents numbered role by role in canonical order (file order within a
//! role), the ties between them, and the population it implies. The file decides who is
//! there: its role counts replace any `count`, `share` or `total` of the scenario (an
//! `extends` parent's counts included); `[population.<role>]` tables still give norm,
//! resources, knowledge and strategy, a role without a table takes the defaults, and a role
//! with a table but absent from the file gets count 0. `population.scale` is refused.
//! Must never: draw random numbers, or accept a file that names a node it does not list.

pub mod csv;
mod error;
pub mod graphml;
pub mod survey;

pub use error::{ImportError, ImportProblem};
pub use survey::SurveyNetwork;

use super::error::ScenarioErrorKind;
use super::schema::Scenario;
use crate::model::role::{PairTable, ROLE_COUNT, Role, RolePair};
use crate::network::AgentId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `network.format`: how the imported file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// An edge list (`source,target`) with a node list (`id,role`) in `network.nodes`.
    Csv,
    /// A GraphML file holding nodes with a `role` attribute and edges.
    Graphml,
}

impl ImportFormat {
    /// The format a file name's extension says: `.csv`, `.graphml` or `.xml`.
    pub fn of_path(path: &Path) -> Option<ImportFormat> {
        let extension = path.extension()?.to_str()?.to_lowercase();
        match extension.as_str() {
            "csv" => Some(ImportFormat::Csv),
            "graphml" | "xml" => Some(ImportFormat::Graphml),
            _ => None,
        }
    }
}

/// A file an import read, as the manifest records it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportedFile {
    /// The path as resolved (absolute).
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// 64-bit FNV-1a of its bytes, 16 hex digits: a changed file gives a different value.
    pub fnv1a64: String,
}

/// What an import brought in, as the manifest and the run's summary line say it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportSummary {
    pub files: Vec<ImportedFile>,
    /// Agents of each role the file lists.
    pub population: BTreeMap<Role, u32>,
    /// Distinct ties between different nodes.
    pub ties: u64,
    /// Ties given more than once (either way round) and merged into one.
    pub duplicate_ties_merged: u64,
    /// Ties from a node to itself, dropped.
    pub self_loops_dropped: u64,
}

impl ImportSummary {
    /// "population from FILE: 12 teacher, 40 parent; 310 ties (4 duplicates merged, 1
    /// self-loop dropped)".
    pub fn describe(&self) -> String {
        let file = self.files.first().map_or("", |f| f.path.as_str());
        let counts: Vec<String> = (self.population.iter())
            .map(|(role, n)| format!("{n} {role}"))
            .collect();
        let mut text = format!(
            "population from {file}: {}; {} ties",
            counts.join(", "),
            self.ties
        );
        let mut notes = Vec::new();
        let counted =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if self.duplicate_ties_merged > 0 {
            let n = self.duplicate_ties_merged;
            notes.push(counted(n, "duplicate merged", "duplicates merged"));
        }
        if self.self_loops_dropped > 0 {
            let n = self.self_loops_dropped;
            notes.push(counted(n, "self-loop dropped", "self-loops dropped"));
        }
        if !notes.is_empty() {
            text.push_str(&format!(" ({})", notes.join(", ")));
        }
        text
    }
}

/// An imported network with agents numbered (see the module doc), ready for setup.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedNetwork {
    pub summary: ImportSummary,
    /// Agents of each role present, in canonical role order (agents are numbered so).
    pub counts: Vec<(Role, u32)>,
    /// The ties between agent ids.
    pub ties: Vec<(AgentId, AgentId)>,
    /// Starting strength of each tie (parallel to `ties`); empty when the file gives none.
    pub strengths: Vec<Option<f64>>,
    /// Observed density of ties by role pair (ties / possible pairs), in [0, 1]: newcomers
    /// are tied as this block model would tie them.
    pub density: PairTable<f64>,
    /// Each student tied to a parent in the file, with the lowest-numbered such parent:
    /// that parent is the student's family; other students get one as with generators.
    pub family: Vec<(AgentId, AgentId)>,
    /// The file's id of each agent (index: agent id), so that outputs can be mapped back
    /// to the survey (`imported_ids.csv` in the run folder).
    pub ids: Vec<String>,
}

impl ImportedNetwork {
    /// Numbers the agents of `survey` role by role and carries its ties over.
    pub fn from_survey(survey: SurveyNetwork, files: Vec<ImportedFile>) -> ImportedNetwork {
        let mut order: Vec<u32> = (0..survey.ids.len() as u32).collect();
        order.sort_by_key(|&node| survey.roles[node as usize]); // stable: file order kept
        let mut agent_of = vec![0 as AgentId; order.len()];
        for (agent, &node) in order.iter().enumerate() {
            agent_of[node as usize] = agent as AgentId;
        }
        let mut per_role = [0u32; ROLE_COUNT];
        for role in &survey.roles {
            per_role[role.index()] += 1;
        }
        let counts: Vec<(Role, u32)> = (Role::ALL.iter().copied())
            .filter(|role| per_role[role.index()] > 0)
            .map(|role| (role, per_role[role.index()]))
            .collect();
        let ties: Vec<(AgentId, AgentId)> = (survey.ties.iter())
            .map(|&(a, b)| (agent_of[a as usize], agent_of[b as usize]))
            .collect();
        let role_of = |node: u32| survey.roles[node as usize];
        let density = observed_density(
            &per_role,
            survey.ties.iter().map(|&(a, b)| (role_of(a), role_of(b))),
        );
        let family = student_families(&survey, &agent_of);
        let ids = (order.iter())
            .map(|&node| survey.ids[node as usize].clone())
            .collect();
        let summary = ImportSummary {
            files,
            population: counts.iter().copied().collect(),
            ties: ties.len() as u64,
            duplicate_ties_merged: survey.duplicate_ties,
            self_loops_dropped: survey.self_loops,
        };
        ImportedNetwork {
            summary,
            counts,
            ties,
            strengths: survey.strengths,
            density,
            family,
            ids,
        }
    }
}

/// Ties by role pair over the pairs possible, from the head counts `per_role`.
fn observed_density(
    per_role: &[u32; ROLE_COUNT],
    tie_roles: impl Iterator<Item = (Role, Role)>,
) -> PairTable<f64> {
    let mut ties = PairTable::filled(0u64);
    for (a, b) in tie_roles {
        let count = *ties.get(a, b) + 1;
        ties.set(RolePair::new(a, b), count);
    }
    let mut density = PairTable::filled(0.0);
    for pair in RolePair::all() {
        let (a, b) = pair.roles();
        let (na, nb) = (per_role[a.index()] as f64, per_role[b.index()] as f64);
        let pairs = if a == b {
            na * (na - 1.0) / 2.0
        } else {
            na * nb
        };
        if pairs > 0.0 {
            density.set(pair, (*ties.get(a, b) as f64 / pairs).min(1.0));
        }
    }
    density
}

/// (student, parent) for each student tied to a parent, the parent with the lowest agent id.
fn student_families(survey: &SurveyNetwork, agent_of: &[AgentId]) -> Vec<(AgentId, AgentId)> {
    let mut parent_of: BTreeMap<AgentId, AgentId> = BTreeMap::new();
    for &(a, b) in &survey.ties {
        for (student, parent) in [(a, b), (b, a)] {
            let roles = (
                survey.roles[student as usize],
                survey.roles[parent as usize],
            );
            if roles == (Role::Student, Role::Parent) {
                let (student, parent) = (agent_of[student as usize], agent_of[parent as usize]);
                let slot = parent_of.entry(student).or_insert(parent);
                *slot = (*slot).min(parent);
            }
        }
    }
    parent_of.into_iter().collect()
}

/// 64-bit FNV-1a of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ b as u64).wrapping_mul(PRIME))
}

/// Keys of `[network]` that name files, resolved against the naming scenario's folder.
const PATH_KEYS: [&str; 2] = ["file", "nodes"];

/// Makes `network.file` and `network.nodes` of one scenario file's table relative to
/// `folder` (the folder of the file that names them) when they are relative paths.
pub fn anchor_paths(table: &mut toml::Table, folder: &Path) {
    let Some(toml::Value::Table(network)) = table.get_mut("network") else {
        return;
    };
    for key in PATH_KEYS {
        if let Some(toml::Value::String(path)) = network.get_mut(key) {
            if Path::new(path.as_str()).is_relative() {
                *path = folder.join(path.as_str()).display().to_string();
            }
        }
    }
}

/// Why an import could not be applied: a scenario key at fault (located by the caller)
/// or a problem inside an imported file.
#[derive(Debug)]
pub enum ImportFailure {
    Key {
        kind: ScenarioErrorKind,
        key: &'static str,
        message: String,
    },
    File(ImportError),
}

fn key_error(kind: ScenarioErrorKind, key: &'static str, message: String) -> ImportFailure {
    ImportFailure::Key { kind, key, message }
}

/// Reads the files `scenario.network` names, replaces the population with the file's, and
/// keeps the network in `scenario.imported` (see the module doc).
pub fn apply(scenario: &mut Scenario) -> Result<(), ImportFailure> {
    use ScenarioErrorKind::{InvalidValue, MissingKey};
    if scenario.population.scale.is_some() {
        let message = "does not apply to network.kind = \"import\": the file decides who is there; leave it out".into();
        return Err(key_error(InvalidValue, "population.scale", message));
    }
    let network = &scenario.network;
    let Some(file) = network.file.clone() else {
        let message = "missing: name the network file, e.g. file = \"ties.csv\" (with nodes = \"people.csv\") or file = \"school.graphml\"".into();
        return Err(key_error(MissingKey, "network.file", message));
    };
    let Some(format) = network
        .format
        .or_else(|| ImportFormat::of_path(Path::new(&file)))
    else {
        let message = format!(
            "cannot tell the format of `{file}` from its extension; give format = \"csv\" or \"graphml\""
        );
        return Err(key_error(MissingKey, "network.format", message));
    };
    let (survey, files) = match (format, network.nodes.clone()) {
        (ImportFormat::Csv, None) => {
            let message = "missing: an edge list has no roles, so name the node list too (columns id,role), e.g. nodes = \"people.csv\"".into();
            return Err(key_error(MissingKey, "network.nodes", message));
        }
        (ImportFormat::Graphml, Some(_)) => {
            let message = "applies to CSV edge lists only: a GraphML file holds the nodes and their roles itself; leave it out".into();
            return Err(key_error(InvalidValue, "network.nodes", message));
        }
        (ImportFormat::Csv, Some(nodes)) => {
            let (nodes, nodes_read) = read_text(&nodes, "network.nodes")?;
            let (edges, edges_read) = read_text(&file, "network.file")?;
            let survey = csv::read_csv_pair(
                (&nodes_read.path, &nodes_read.text),
                (&edges_read.path, &edges_read.text),
            )
            .map_err(ImportFailure::File)?;
            (survey, vec![edges, nodes])
        }
        (ImportFormat::Graphml, None) => {
            let (graph, read) = read_text(&file, "network.file")?;
            let survey =
                graphml::read_graphml(&read.path, &read.text).map_err(ImportFailure::File)?;
            (survey, vec![graph])
        }
    };
    let imported = ImportedNetwork::from_survey(survey, files);
    scenario.network.file = imported.summary.files.first().map(|f| f.path.clone());
    if scenario.network.nodes.is_some() {
        scenario.network.nodes = imported.summary.files.get(1).map(|f| f.path.clone());
    }
    replace_population(scenario, &imported.counts);
    scenario.imported = Some(Arc::new(imported));
    Ok(())
}

/// The text of a file read for an import.
struct ReadText {
    path: PathBuf,
    text: String,
}

/// Reads `path` (named by scenario key `key`), checks it is UTF-8 and drops a byte-order
/// mark; returns its manifest record and its text.
fn read_text(path: &str, key: &'static str) -> Result<(ImportedFile, ReadText), ImportFailure> {
    let bytes = super::read_data_file(Path::new(path)).map_err(|err| {
        let message = format!("cannot read `{path}`: {err}");
        key_error(ScenarioErrorKind::NotFound, key, message)
    })?;
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path));
    let record = ImportedFile {
        path: resolved.display().to_string(),
        bytes: bytes.len() as u64,
        fnv1a64: format!("{:016x}", fnv1a64(&bytes)),
    };
    let text = String::from_utf8(bytes).map_err(|err| {
        let byte = err.utf8_error().valid_up_to();
        let line = error::line_at(err.as_bytes(), byte);
        let problem = ImportProblem::NotUtf8 { byte };
        ImportFailure::File(ImportError::at(path, Some(line), problem))
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let path = PathBuf::from(path);
    Ok((record, ReadText { path, text }))
}

/// The file's head counts replace the scenario's (see the module doc).
fn replace_population(scenario: &mut Scenario, counts: &[(Role, u32)]) {
    let population = &mut scenario.population;
    population.total = None;
    for settings in population.roles.values_mut() {
        settings.count = Some(0);
        settings.share = None;
    }
    for &(role, count) in counts {
        let settings = population.roles.entry(role).or_default();
        settings.count = Some(count);
    }
}

#[cfg(test)]
mod tests;
