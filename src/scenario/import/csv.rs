//! The CSV pair: a node list (`id,role`) and an edge list (`source,target`).
//!
//! Owns: the columns each file must have and the CSV dialect read: a header line is
//! required; column names are matched without regard to case or surrounding spaces, and
//! columns not named here are ignored (a Gephi export's `Label`, `Type`, ...); fields may be
//! quoted (`"Smith, J."`); lines may end in CRLF; blank lines and lines starting with `#`
//! are skipped; spaces around fields are trimmed. Node list: `id` and `role`. Edge list:
//! `source` and `target` (or `from` and `to`), and optionally `strength` (or `weight`), a
//! number in [0, 1], the tie's starting strength (an empty cell: the scenario's
//! `ties.initial_strength`).
//! Must never: read files (`super` hands over their text, already checked to be UTF-8 and
//! without a byte-order mark), or number agents.

use super::error::{ImportError, ImportProblem};
use super::survey::{SurveyBuilder, SurveyNetwork};
use std::path::Path;

/// Reads the node list `nodes_text` (of file `nodes_path`) and the edge list `edges_text`
/// (of `edges_path`).
pub fn read_csv_pair(
    (nodes_path, nodes_text): (&Path, &str),
    (edges_path, edges_text): (&Path, &str),
) -> Result<SurveyNetwork, ImportError> {
    let mut builder = SurveyBuilder::new(format!("the nodes file {}", nodes_path.display()));
    builder.reading(nodes_path);
    read_nodes(nodes_path, nodes_text, &mut builder)?;
    builder.nodes_complete();
    builder.reading(edges_path);
    read_edges(edges_path, edges_text, &mut builder)?;
    builder.reading(nodes_path);
    builder.finish("give one line per person: id,role")
}

/// A CSV file open for reading, with its column names (lowercase, trimmed).
struct Table<'t> {
    path: &'t Path,
    reader: csv::Reader<&'t [u8]>,
    columns: Vec<String>,
    header: String,
    header_line: usize,
}

impl<'t> Table<'t> {
    /// Opens `text` and reads its header; `expected` says what the file should hold.
    fn open(path: &'t Path, text: &'t str, expected: &'static str) -> Result<Self, ImportError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|err| csv_error(path, &err))?
            .clone();
        if headers.iter().all(str::is_empty) {
            return Err(ImportError::at(
                path,
                None,
                ImportProblem::Empty { expected },
            ));
        }
        let header_line = headers.position().map_or(1, |p| p.line() as usize);
        let columns: Vec<String> = headers.iter().map(|c| c.trim().to_lowercase()).collect();
        for (k, name) in columns.iter().enumerate() {
            if !name.is_empty() && columns[..k].contains(name) {
                let problem = ImportProblem::DuplicateColumn {
                    column: name.clone(),
                };
                return Err(ImportError::at(path, Some(header_line), problem));
            }
        }
        Ok(Table {
            path,
            reader,
            header: headers.iter().collect::<Vec<_>>().join(","),
            columns,
            header_line,
        })
    }

    /// The position of the first of `names` present.
    fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|name| self.columns.iter().position(|c| c == name))
    }

    /// An error saying the header lacks `missing` (a list of column names).
    fn missing(&self, missing: &str) -> ImportError {
        let problem = ImportProblem::MissingColumn {
            header: self.header.clone(),
            missing: missing.to_string(),
        };
        ImportError::at(self.path, Some(self.header_line), problem)
    }

    /// Calls `row` with each record and its line, stopping at the first error.
    fn each_row(
        &mut self,
        mut row: impl FnMut(&csv::StringRecord, usize) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let mut record = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line() as usize);
                    row(&record, line)?;
                }
                Err(err) => return Err(csv_error(self.path, &err)),
            }
        }
    }
}

fn read_nodes(path: &Path, text: &str, builder: &mut SurveyBuilder) -> Result<(), ImportError> {
    let mut table = Table::open(path, text, "the nodes file needs the header `id,role`")?;
    let (id, role) = match (table.find(&["id"]), table.find(&["role"])) {
        (Some(id), Some(role)) => (id, role),
        (None, Some(_)) => return Err(table.missing("id")),
        (Some(_), None) => return Err(table.missing("role")),
        (None, None) => return Err(table.missing("id, role")),
    };
    table.each_row(|record, line| builder.add_node(&record[id], record.get(role), line))
}

fn read_edges(path: &Path, text: &str, builder: &mut SurveyBuilder) -> Result<(), ImportError> {
    let mut table = Table::open(path, text, "the edge list needs the header `source,target`")?;
    let ends = match (table.find(&["source"]), table.find(&["target"])) {
        (Some(source), Some(target)) => (source, target),
        _ => match (table.find(&["from"]), table.find(&["to"])) {
            (Some(from), Some(to)) => (from, to),
            _ => return Err(table.missing("source, target (or from, to)")),
        },
    };
    let strength = table.find(&["strength", "weight"]);
    if strength.is_some() {
        builder.with_strengths();
    }
    table.each_row(|record, line| {
        let given = strength.map(|k| &record[k]);
        builder.add_tie(&record[ends.0], &record[ends.1], given, line)
    })
}

/// A CSV reader's error as an import problem, at its line when known.
fn csv_error(path: &Path, err: &csv::Error) -> ImportError {
    let line = err.position().map(|p| p.line() as usize);
    let problem = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ImportProblem::FieldCount {
            found: *len,
            expected: *expected_len,
        },
        _ => ImportProblem::Csv {
            message: err.to_string(),
        },
    };
    ImportError::at(path, line, problem)
}
