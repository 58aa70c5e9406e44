//! GraphML: one file with nodes, their roles and the edges.
//!
//! Owns: which parts of GraphML are read. A node attribute named `role`, declared by
//! `<key attr.name="role" for="node">` (or `for="all"`) before the graph, gives each
//! `<node id>` its role through `<data key="ID-of-that-key">teacher</data>`; `<edge source
//! target>` is a tie, and an edge attribute named `strength` (or `weight`, for `edge` or
//! `all`) its starting strength in [0, 1]. Other keys, `<desc>`, `<default>` and ports are
//! ignored. A directed graph (`edgedefault="directed"` or `directed="true"` edges) is read as
//! undirected: A→B and B→A become one tie, counted as a duplicate. One `<graph>` per file;
//! nested graphs and hyperedges are refused. This reads back what `output::graphml` writes.
//! Must never: read files (`super` hands over the text, already checked to be UTF-8), or
//! number agents.

use super::error::{ImportError, ImportProblem, line_at};
use super::survey::{SurveyBuilder, SurveyNetwork};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::path::Path;

/// Reads the GraphML text of file `path`.
pub fn read_graphml(path: &Path, text: &str) -> Result<SurveyNetwork, ImportError> {
    if text.trim().is_empty() {
        let expected = "it should hold a <graphml> document with nodes and edges";
        return Err(ImportError::at(
            path,
            None,
            ImportProblem::Empty { expected },
        ));
    }
    let mut state = State::new(path, text);
    let mut reader = Reader::from_str(text);
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|err| {
            let at = reader.error_position() as usize;
            let problem = ImportProblem::Xml {
                message: err.to_string(),
            };
            ImportError::at(path, Some(line_at(text.as_bytes(), at)), problem)
        })?;
        let line = state.line_at(start);
        match event {
            Event::Start(element) => state.open(&element, line, false)?,
            Event::Empty(element) => state.open(&element, line, true)?,
            Event::End(element) => state.close(element.local_name().as_ref())?,
            Event::Text(content) => {
                let content = content.xml_content().map_err(|e| state.xml(line, e))?;
                state.text(&content);
            }
            Event::CData(content) => {
                let content = content.decode().map_err(|e| state.xml(line, e))?;
                state.text(&content);
            }
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference).map_err(|e| state.xml(line, e))?;
                state.text(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    state.finish()
}

/// The element being read whose data matter.
enum Open {
    Node {
        id: String,
        role: Option<String>,
    },
    Edge {
        source: String,
        target: String,
        strength: Option<String>,
    },
}

/// Everything known so far while walking the document.
struct State<'t> {
    path: &'t Path,
    text: &'t str,
    builder: SurveyBuilder,
    /// Key ids of the node attribute `role` and the edge attribute `strength`/`weight`.
    role_key: Option<String>,
    strength_key: Option<String>,
    /// The node or edge being read, and the line it started on.
    open: Option<(Open, usize)>,
    /// The key of the `<data>` being read inside it, and its text so far.
    data: Option<(String, String)>,
    /// Elements open (to tell a truncated file), graphs open, graphs seen.
    depth: usize,
    graphs_open: usize,
    graphs_seen: usize,
    /// Byte offset and line of the last event, to count lines incrementally.
    counted: (usize, usize),
}

impl<'t> State<'t> {
    fn new(path: &'t Path, text: &'t str) -> Self {
        let mut builder = SurveyBuilder::new("this file's <node> elements");
        builder.reading(path);
        State {
            path,
            text,
            builder,
            role_key: None,
            strength_key: None,
            open: None,
            data: None,
            depth: 0,
            graphs_open: 0,
            graphs_seen: 0,
            counted: (0, 1),
        }
    }

    /// 1-based line of byte `offset`, counting from the last offset asked (offsets grow).
    fn line_at(&mut self, offset: usize) -> usize {
        let (from, line) = self.counted;
        let offset = offset.clamp(from, self.text.len());
        let newlines = self.text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.counted = (offset, line + newlines);
        line + newlines
    }

    fn error(&self, line: usize, message: impl Into<String>) -> ImportError {
        let problem = ImportProblem::GraphMl {
            message: message.into(),
        };
        ImportError::at(self.path, Some(line), problem)
    }

    fn xml(&self, line: usize, err: impl std::fmt::Display) -> ImportError {
        let problem = ImportProblem::Xml {
            message: err.to_string(),
        };
        ImportError::at(self.path, Some(line), problem)
    }

    /// The value of attribute `name` of `element`, if present.
    fn attribute(
        &self,
        element: &BytesStart,
        name: &str,
        line: usize,
    ) -> Result<Option<String>, ImportError> {
        let attribute = element
            .try_get_attribute(name)
            .map_err(|e| self.xml(line, e))?;
        attribute
            .map(|a| a.unescape_value().map(|v| v.into_owned()))
            .transpose()
            .map_err(|e| self.xml(line, e))
    }

    /// Like [`State::attribute`], but the attribute must be there.
    fn required(
        &self,
        element: &BytesStart,
        name: &str,
        line: usize,
    ) -> Result<String, ImportError> {
        let tag = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
        self.attribute(element, name, line)?
            .ok_or_else(|| self.error(line, format!("a <{tag}> has no `{name}` attribute")))
    }

    /// An element starts; `empty` for `<x/>`, which also ends it.
    fn open(&mut self, element: &BytesStart, line: usize, empty: bool) -> Result<(), ImportError> {
        let name = element.local_name();
        let name = name.as_ref();
        if self.depth == 0 && name != b"graphml" {
            let tag = String::from_utf8_lossy(name);
            let message =
                format!("this is not GraphML: the document is a <{tag}>, not a <graphml>");
            return Err(self.error(line, message));
        }
        self.depth += 1;
        match name {
            b"key" => self.key(element, line)?,
            b"graph" => self.graph(line)?,
            b"node" => {
                self.in_graph(line, "node")?;
                let id = self.required(element, "id", line)?;
                self.open = Some((Open::Node { id, role: None }, line));
            }
            b"edge" => {
                self.in_graph(line, "edge")?;
                let source = self.required(element, "source", line)?;
                let target = self.required(element, "target", line)?;
                let edge = Open::Edge {
                    source,
                    target,
                    strength: None,
                };
                self.open = Some((edge, line));
            }
            b"data" if self.open.is_some() => {
                let key = self.required(element, "key", line)?;
                self.data = Some((key, String::new()));
            }
            b"hyperedge" => {
                let message =
                    "hyperedges are not supported; list ties as <edge source target> pairs";
                return Err(self.error(line, message));
            }
            _ => {}
        }
        if empty { self.close(name) } else { Ok(()) }
    }

    /// A `<key>`: remembers the ids of the `role` and `strength`/`weight` attributes.
    fn key(&mut self, element: &BytesStart, line: usize) -> Result<(), ImportError> {
        let id = self.required(element, "id", line)?;
        let domain = self
            .attribute(element, "for", line)?
            .unwrap_or_else(|| "all".into());
        let name = (self.attribute(element, "attr.name", line)?)
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        let for_nodes = domain == "node" || domain == "all";
        let for_edges = domain == "edge" || domain == "all";
        if name == "role" && for_nodes {
            self.role_key = Some(id);
        } else if (name == "strength" || name == "weight") && for_edges {
            if self.strength_key.is_none() || name == "strength" {
                self.strength_key = Some(id);
            }
            self.builder.with_strengths();
        }
        Ok(())
    }

    fn graph(&mut self, line: usize) -> Result<(), ImportError> {
        if self.graphs_open > 0 {
            return Err(self.error(
                line,
                "nested graphs are not supported: give one flat <graph>",
            ));
        }
        if self.graphs_seen > 0 {
            return Err(self.error(
                line,
                "the file holds more than one <graph>; give one per file",
            ));
        }
        self.graphs_seen += 1;
        self.graphs_open += 1;
        Ok(())
    }

    fn in_graph(&self, line: usize, tag: &str) -> Result<(), ImportError> {
        if self.graphs_open == 0 {
            return Err(self.error(line, format!("a <{tag}> outside any <graph>")));
        }
        if self.open.is_some() {
            return Err(self.error(line, format!("a <{tag}> inside a node or an edge")));
        }
        Ok(())
    }

    /// Text inside a `<data>` being read (other text is ignored).
    fn text(&mut self, content: &str) {
        if let Some((_, text)) = &mut self.data {
            text.push_str(content);
        }
    }

    /// An element ends: a node or an edge is complete, a data's text is assigned.
    fn close(&mut self, name: &[u8]) -> Result<(), ImportError> {
        self.depth = self.depth.saturating_sub(1);
        match name {
            b"graph" => self.graphs_open = self.graphs_open.saturating_sub(1),
            b"data" => self.close_data(),
            b"node" => {
                if let Some((Open::Node { id, role }, start)) = self.open.take() {
                    if self.role_key.is_none() {
                        return Err(self.error(start, "the file declares no node attribute `role`: add <key id=\"role\" for=\"node\" attr.name=\"role\" attr.type=\"string\"/> before the <graph>, and <data key=\"role\">teacher</data> (or another role) inside each <node>"));
                    }
                    self.builder.add_node(&id, role.as_deref(), start)?;
                }
            }
            b"edge" => {
                if let Some((
                    Open::Edge {
                        source,
                        target,
                        strength,
                    },
                    start,
                )) = self.open.take()
                {
                    self.builder
                        .add_tie(&source, &target, strength.as_deref(), start)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A `<data>` ends: its text is the node's role or the edge's strength if its key says so.
    fn close_data(&mut self) {
        let Some((key, text)) = self.data.take() else {
            return;
        };
        match &mut self.open {
            Some((Open::Node { role, .. }, _)) if self.role_key.as_deref() == Some(&key) => {
                *role = Some(text);
            }
            Some((Open::Edge { strength, .. }, _))
                if self.strength_key.as_deref() == Some(&key) =>
            {
                *strength = Some(text);
            }
            _ => {}
        }
    }

    fn finish(self) -> Result<SurveyNetwork, ImportError> {
        if self.depth > 0 {
            let line = line_at(self.text.as_bytes(), self.text.len());
            let problem = ImportProblem::Xml {
                message: "the file ends before its elements are closed (is it cut short?)".into(),
            };
            return Err(ImportError::at(self.path, Some(line), problem));
        }
        self.builder
            .finish("give <node id=\"...\"> elements, each with its <data key=\"role\">")
    }
}

/// The text of an entity or character reference: `&amp;` is `&`, `&#233;` is `é`.
fn resolve_reference(reference: &BytesRef) -> Result<String, String> {
    if let Some(c) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name = reference.decode().map_err(|e| e.to_string())?;
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_string)
        .ok_or_else(|| {
            format!("unknown entity `&{name};` (XML knows &amp; &lt; &gt; &quot; &apos;)")
        })
}
