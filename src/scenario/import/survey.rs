//! The network a survey file describes, as read: nodes with a role each, and undirected ties.
//!
//! Owns: collecting nodes and ties in file order from a reader ([`SurveyBuilder`]), the rules
//! every format shares: node ids are unique and non-empty, every node has a known role
//! (names matched without regard to case, spaces or hyphens: `Other School` is
//! `other_school`), every tie joins two listed nodes, a tie given twice (also as B–A after
//! A–B, as two survey nominations are) is kept once and counted, a self-loop is dropped and
//! counted, and a strength is a number in [0, 1].
//! Must never: open files (the format readers do) or number agents (`super` does).

use super::error::{ImportError, ImportProblem};
use crate::model::role::Role;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

/// A network as a file gives it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurveyNetwork {
    /// Node ids as written, in file order; a node's position here is its number below.
    pub ids: Vec<String>,
    /// The role of each node.
    pub roles: Vec<Role>,
    /// Ties between node numbers, the lower number first, each once, in the order of their
    /// first appearance in the file.
    pub ties: Vec<(u32, u32)>,
    /// Starting strength in [0, 1] of each tie (`None`: not given), parallel to `ties`; empty
    /// when the file has no strength column or key.
    pub strengths: Vec<Option<f64>>,
    /// Ties given again (either way round) after their first appearance, and merged.
    pub duplicate_ties: u64,
    /// Ties from a node to itself, dropped.
    pub self_loops: u64,
}

/// A fast multiplicative hash for node ids and tie keys: files are the user's own, so
/// collisions made on purpose are no concern, and a million-tie file is hashed ~3 million
/// times (std's SipHash took about half of the load time).
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// A tie whose ends may not be known yet (GraphML may list edges before their nodes).
struct PendingTie {
    source: String,
    target: String,
    strength: Option<f64>,
    line: usize,
}

/// Collects nodes and ties, checking them as they come.
pub struct SurveyBuilder {
    network: SurveyNetwork,
    /// Where the nodes come from, for messages (`people.csv`, "this file").
    nodes_source: String,
    /// The file being read, for messages.
    file: PathBuf,
    /// Node id → (number, line).
    index: HashMap<String, (u32, usize)>,
    /// (lower, higher) node numbers → position in `network.ties`.
    seen: HashMap<u64, usize>,
    pending: Vec<PendingTie>,
    /// Whether every node is known, so an unknown tie end is an error at once.
    nodes_complete: bool,
    /// Whether ties carry a strength (`network.strengths` is kept parallel to the ties).
    has_strengths: bool,
}

/// The most nodes an imported network may have: agent ids are 32-bit.
pub const MAX_NODES: u64 = u32::MAX as u64 - 1;

impl SurveyBuilder {
    /// A builder whose nodes come from `nodes_source` (named in messages).
    pub fn new(nodes_source: impl Into<String>) -> SurveyBuilder {
        SurveyBuilder {
            network: SurveyNetwork::default(),
            nodes_source: nodes_source.into(),
            file: PathBuf::new(),
            index: HashMap::default(),
            seen: HashMap::default(),
            pending: Vec::new(),
            nodes_complete: false,
            has_strengths: false,
        }
    }

    /// Names `file` in the errors that follow.
    pub fn reading(&mut self, file: &Path) {
        self.file = file.to_path_buf();
    }

    /// Says that the ties to come may carry a strength.
    pub fn with_strengths(&mut self) {
        self.has_strengths = true;
        self.network.strengths = vec![None; self.network.ties.len()];
    }

    /// Says that every node has been added: a tie to an unknown id is an error at once.
    pub fn nodes_complete(&mut self) {
        self.nodes_complete = true;
    }

    fn error(&self, line: usize, problem: ImportProblem) -> ImportError {
        ImportError::at(&self.file, Some(line), problem)
    }

    /// Adds node `id` (trimmed) with the role written as `role` on `line`.
    pub fn add_node(
        &mut self,
        id: &str,
        role: Option<&str>,
        line: usize,
    ) -> Result<(), ImportError> {
        let id = id.trim();
        if id.is_empty() {
            return Err(self.error(line, ImportProblem::EmptyId));
        }
        let role = parse_role(id, role).map_err(|problem| self.error(line, problem))?;
        let number = self.network.ids.len() as u64;
        if number >= MAX_NODES {
            let problem = ImportProblem::TooManyNodes {
                nodes: number + 1,
                max: MAX_NODES,
            };
            return Err(self.error(line, problem));
        }
        match self.index.entry(id.to_string()) {
            Entry::Occupied(first) => {
                let problem = ImportProblem::DuplicateNode {
                    id: id.to_string(),
                    first_line: first.get().1,
                };
                Err(ImportError::at(&self.file, Some(line), problem))
            }
            Entry::Vacant(slot) => {
                slot.insert((number as u32, line));
                self.network.ids.push(id.to_string());
                self.network.roles.push(role);
                Ok(())
            }
        }
    }

    /// Adds the tie `source`–`target` of `line`, with its strength text if the file has
    /// a strength column (an empty text is no strength).
    pub fn add_tie(
        &mut self,
        source: &str,
        target: &str,
        strength: Option<&str>,
        line: usize,
    ) -> Result<(), ImportError> {
        let strength = match strength.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => Some(parse_strength(text).map_err(|p| self.error(line, p))?),
        };
        self.resolve_tie(source.trim(), target.trim(), strength, line)
    }

    /// Adds a tie whose strength is already parsed.
    fn resolve_tie(
        &mut self,
        source: &str,
        target: &str,
        strength: Option<f64>,
        line: usize,
    ) -> Result<(), ImportError> {
        match (self.index.get(source), self.index.get(target)) {
            (Some(&(a, _)), Some(&(b, _))) => {
                self.insert_tie(a, b, strength);
                Ok(())
            }
            _ if !self.nodes_complete => {
                self.pending.push(PendingTie {
                    source: source.to_string(),
                    target: target.to_string(),
                    strength,
                    line,
                });
                Ok(())
            }
            (None, _) => Err(self.dangling("source", source, line)),
            (_, None) => Err(self.dangling("target", target, line)),
        }
    }

    fn dangling(&self, end: &'static str, id: &str, line: usize) -> ImportError {
        let hint = crate::scenario::suggest(id, self.network.ids.iter().map(String::as_str))
            .map(|s| format!(" Did you mean `{s}`?"))
            .unwrap_or_default();
        let problem = ImportProblem::DanglingId {
            end,
            id: id.to_string(),
            nodes: self.nodes_source.clone(),
            hint,
        };
        self.error(line, problem)
    }

    fn insert_tie(&mut self, a: u32, b: u32, strength: Option<f64>) {
        if a == b {
            self.network.self_loops += 1;
            return;
        }
        let (low, high) = (a.min(b), a.max(b));
        let key = (low as u64) << 32 | high as u64;
        let has_strengths = self.has_strengths;
        let ties = &mut self.network.ties;
        let strengths = &mut self.network.strengths;
        match self.seen.entry(key) {
            Entry::Occupied(at) => {
                self.network.duplicate_ties += 1;
                if let (true, Some(new)) = (has_strengths, strength) {
                    let old = &mut strengths[*at.get()];
                    *old = Some(old.map_or(new, |old| old.max(new)));
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(ties.len());
                ties.push((low, high));
                if has_strengths {
                    strengths.push(strength);
                }
            }
        }
    }

    /// Resolves ties read before their nodes and returns the network; `expected` says what
    /// a file with no nodes should have held.
    pub fn finish(mut self, expected: &'static str) -> Result<SurveyNetwork, ImportError> {
        if self.network.ids.is_empty() {
            return Err(ImportError::at(
                &self.file,
                None,
                ImportProblem::NoNodes { expected },
            ));
        }
        self.nodes_complete = true;
        for tie in std::mem::take(&mut self.pending) {
            self.resolve_tie(&tie.source, &tie.target, tie.strength, tie.line)?;
        }
        Ok(self.network)
    }
}

/// The role named by `text` (see the module doc), or what is wrong with it.
pub fn parse_role(id: &str, text: Option<&str>) -> Result<Role, ImportProblem> {
    let valid = || Role::names().join(", ");
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(ImportProblem::MissingRole {
            id: id.to_string(),
            valid: valid(),
        });
    };
    let name: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    name.parse::<Role>().map_err(|_| {
        let names = Role::names();
        let hint = crate::scenario::suggest(&name, names.iter().copied())
            .map(|s| format!(" Did you mean `{s}`?"))
            .unwrap_or_default();
        ImportProblem::UnknownRole {
            id: id.to_string(),
            role: text.to_string(),
            hint,
            valid: valid(),
        }
    })
}

fn parse_strength(text: &str) -> Result<f64, ImportProblem> {
    match text.parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(ImportProblem::BadStrength {
            value: text.to_string(),
        }),
    }
}
