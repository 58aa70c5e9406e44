//! `--initial-moves FILE.csv`: the starting move of each cell of a lattice, given by hand or
//! by another tool (Mesa's pd_grid), so both start from the same grid.
//!
//! Owns: the file format (columns `x`, `y`, `move`; `move` is `C` or `D`), its errors (file,
//! line, column, what is valid) and the check against the scenario's lattice.
//! Must never: draw anything, or accept a cell twice or outside the grid.
//!
//! Cell (x, y) is agent `y * width + x` (see `network::generators::lattice`); `x` is the
//! first element of a Mesa cell's coordinate. `C` starts the agent as `allc`, `D` as `alld`.
//! Cells the file does not list keep what the scenario draws for them, so a file may seed a
//! single defector in an otherwise cooperating grid.

use super::error::{ScenarioError, ScenarioErrorKind};
use super::schema::{NetworkKind, Scenario};
use crate::model::strategy::Strategy;
use std::path::{Path, PathBuf};

/// The move a cell starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Cooperate,
    Defect,
}

impl Move {
    /// The pure strategy that plays this move: `allc` or `alld`.
    pub fn strategy(self) -> Strategy {
        match self {
            Move::Cooperate => Strategy::Allc,
            Move::Defect => Strategy::Alld,
        }
    }
}

/// One listed cell and the line it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct CellMove {
    pub x: u64,
    pub y: u64,
    pub initial: Move,
    /// 1-based line of the file.
    pub line: usize,
}

/// The cells of an initial-moves file, in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct InitialMoves {
    /// The file as given, for messages and the manifest.
    pub path: PathBuf,
    /// Its text, copied into the run folder as is.
    pub text: String,
    pub cells: Vec<CellMove>,
}

const COLUMNS: [&str; 3] = ["x", "y", "move"];

impl InitialMoves {
    /// Reads and parses `path`.
    pub fn read(path: &Path) -> Result<InitialMoves, ScenarioError> {
        let cannot_read = |reason: String| {
            ScenarioError::new(
                ScenarioErrorKind::NotFound,
                path.display().to_string(),
                format!("cannot read the initial moves: {reason}"),
            )
        };
        let bytes = super::read_data_file(path).map_err(|e| cannot_read(e.to_string()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| cannot_read("it is not UTF-8 text".to_string()))?;
        InitialMoves::parse(path, text)
    }

    /// Parses the text of an initial-moves file named `path`.
    pub fn parse(path: &Path, text: String) -> Result<InitialMoves, ScenarioError> {
        let origin = path.display().to_string();
        let error = |line: usize, column: Option<&str>, message: String| ScenarioError {
            kind: ScenarioErrorKind::InvalidValue,
            origin: origin.clone(),
            line: Some(line),
            key: column.map(str::to_string),
            message,
        };
        let mut lines = text
            .trim_start_matches('\u{feff}')
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty());
        let Some((header_line, header)) = lines.next() else {
            return Err(error(
                1,
                None,
                "the file is empty: it needs the header `x,y,move` and one line per cell".into(),
            ));
        };
        let names: Vec<String> = header.split(',').map(|c| c.trim().to_lowercase()).collect();
        if let Some(twice) = (names.iter().enumerate())
            .find(|(k, name)| !name.is_empty() && names[..*k].contains(name))
            .map(|(_, name)| name)
        {
            return Err(error(
                header_line,
                Some(twice),
                format!("the header `{header}` names the column `{twice}` twice"),
            ));
        }
        let position = |name: &str| names.iter().position(|c| c == name);
        let (Some(xi), Some(yi), Some(mi)) = (position("x"), position("y"), position("move"))
        else {
            return Err(error(
                header_line,
                None,
                format!(
                    "the header is `{header}`; it must name the columns {}",
                    COLUMNS.join(", ")
                ),
            ));
        };
        let mut cells = Vec::new();
        for (line, row) in lines {
            let fields: Vec<&str> = row.split(',').map(str::trim).collect();
            if fields.len() != names.len() {
                return Err(error(
                    line,
                    None,
                    format!(
                        "{} fields, but the header has {}",
                        fields.len(),
                        names.len()
                    ),
                ));
            }
            let coordinate = |index: usize, name: &str| {
                fields[index].parse::<u64>().map_err(|_| {
                    error(
                        line,
                        Some(name),
                        format!(
                            "`{}` is not a cell coordinate: give a whole number from 0 to \
                             the lattice's {} − 1",
                            fields[index],
                            if name == "x" { "width" } else { "height" }
                        ),
                    )
                })
            };
            let initial = match fields[mi] {
                "C" | "c" => Move::Cooperate,
                "D" | "d" => Move::Defect,
                other => {
                    return Err(error(
                        line,
                        Some("move"),
                        format!("`{other}` is not a move: use C or D"),
                    ));
                }
            };
            cells.push(CellMove {
                x: coordinate(xi, "x")?,
                y: coordinate(yi, "y")?,
                initial,
                line,
            });
        }
        Ok(InitialMoves {
            path: path.to_path_buf(),
            text,
            cells,
        })
    }

    /// Checks the cells against the scenario: its network must be a lattice, every cell
    /// inside it and listed once.
    pub fn check(&self, scenario: &Scenario) -> Result<(), ScenarioError> {
        let origin = self.path.display().to_string();
        let network = &scenario.network;
        if network.kind != NetworkKind::Lattice {
            return Err(ScenarioError {
                kind: ScenarioErrorKind::InvalidValue,
                origin,
                line: None,
                key: None,
                message: format!(
                    "initial moves need a lattice (network.kind = \"lattice\"), but the scenario's network is \"{}\"",
                    network.kind.name()
                ),
            });
        }
        let (width, height) = (
            network.width.unwrap_or(0) as u64,
            network.height.unwrap_or(0) as u64,
        );
        let mut seen = vec![0usize; (width * height) as usize];
        for cell in &self.cells {
            let at = |key: &str, message: String| ScenarioError {
                kind: ScenarioErrorKind::InvalidValue,
                origin: origin.clone(),
                line: Some(cell.line),
                key: Some(key.to_string()),
                message,
            };
            if cell.x >= width {
                return Err(at(
                    "x",
                    format!(
                        "{} is outside the grid: x must be in 0..{width} (network.width = {width})",
                        cell.x
                    ),
                ));
            }
            if cell.y >= height {
                return Err(at(
                    "y",
                    format!(
                        "{} is outside the grid: y must be in 0..{height} (network.height = {height})",
                        cell.y
                    ),
                ));
            }
            let index = (cell.y * width + cell.x) as usize;
            if seen[index] != 0 {
                return Err(at(
                    "x",
                    format!(
                        "cell ({}, {}) is listed twice (first on line {})",
                        cell.x, cell.y, seen[index]
                    ),
                ));
            }
            seen[index] = cell.line;
        }
        Ok(())
    }

    /// (agent, strategy) of every listed cell on a grid `width` wide.
    pub fn strategies(&self, width: u64) -> impl Iterator<Item = (usize, Strategy)> + '_ {
        self.cells
            .iter()
            .map(move |c| ((c.y * width + c.x) as usize, c.initial.strategy()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<InitialMoves, ScenarioError> {
        InitialMoves::parse(Path::new("moves.csv"), text.to_string())
    }

    #[test]
    fn reads_cells_in_any_column_order() {
        let moves = parse("move, x ,y\r\nC,0,1\n\nd,2,0\n").unwrap();
        assert_eq!(moves.cells.len(), 2);
        assert_eq!((moves.cells[0].x, moves.cells[0].y), (0, 1));
        assert_eq!(moves.cells[1].initial, Move::Defect);
        assert_eq!(moves.cells[1].line, 4);
        let agents: Vec<_> = moves.strategies(3).collect();
        assert_eq!(agents, vec![(3, Strategy::Allc), (2, Strategy::Alld)]);
    }

    #[test]
    fn bad_files_name_line_and_column() {
        let e = parse("x,y,move\n0,0,C\n1,0,X\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(3), Some("move")));
        assert!(e.to_string().contains("use C or D"), "{e}");
        let e = parse("x,y,move\n-1,0,C\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("x")));
        let e = parse("x,y\n0,0\n").unwrap_err();
        assert!(e.to_string().contains("x, y, move"), "{e}");
        let e = parse("x,y,move\n0,0\n").unwrap_err();
        assert!(e.to_string().contains("2 fields"), "{e}");
        assert!(parse("").is_err());
        let e = parse("x,y,move\n99999999999999999999,0,C\n").unwrap_err();
        assert!(
            e.to_string().contains("from 0 to the lattice's width − 1"),
            "{e}"
        );
        let e = parse("y,x,Y,move\n0,0,0,C\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(1), Some("y")));
        assert!(e.to_string().contains("names the column `y` twice"), "{e}");
    }

    #[test]
    fn a_network_other_than_a_lattice_is_named_as_in_scenario_files() {
        let scenario = crate::scenario::from_text("test", "extends = \"preset:classroom\"", &[])
            .expect("the classroom preset");
        let e = parse("x,y,move\n0,0,C\n")
            .unwrap()
            .check(&scenario)
            .unwrap_err();
        assert!(e.to_string().contains("network is \"sbm\""), "{e}");
    }
}
