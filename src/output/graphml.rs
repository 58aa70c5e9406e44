//! GraphML export of a network snapshot, readable by Gephi, networkx and igraph.

use crate::observe::NetworkSnapshot;
use std::io::{self, Write};

const NODE_KEYS: [(&str, &str); 5] = [
    ("role", "string"),
    ("strategy", "string"),
    ("norm", "double"),
    ("resources", "double"),
    ("knowledge", "double"),
];

const EDGE_KEYS: [(&str, &str); 6] = [
    ("trust_source_target", "double"),
    ("trust_target_source", "double"),
    ("strength_source_target", "double"),
    ("strength_target_source", "double"),
    ("kind", "string"),
    ("conflict", "boolean"),
];

/// Writes `snapshot` as an undirected GraphML graph of the active agents. Node ids are
/// `n<agent id>` (agents who left are skipped, so ids can have gaps); each tie appears once
/// with the lower id as source, and carries trust and strength both ways.
pub fn write_graphml(out: &mut impl Write, snapshot: &NetworkSnapshot) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (name, kind) in NODE_KEYS {
        writeln!(
            out,
            r#"  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>"#
        )?;
    }
    for (name, kind) in EDGE_KEYS {
        writeln!(
            out,
            r#"  <key id="{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>"#
        )?;
    }
    writeln!(
        out,
        r#"  <graph id="step{}" edgedefault="undirected">"#,
        snapshot.step
    )?;
    for (id, node) in snapshot.nodes.iter().enumerate().filter(|(_, n)| n.active) {
        writeln!(
            out,
            r#"    <node id="n{id}"><data key="role">{}</data><data key="strategy">{}</data><data key="norm">{}</data><data key="resources">{}</data><data key="knowledge">{}</data></node>"#,
            node.role,
            escape(&node.strategy),
            node.norm,
            node.resources,
            node.knowledge
        )?;
    }
    for tie in &snapshot.ties {
        writeln!(
            out,
            r#"    <edge source="n{}" target="n{}"><data key="trust_source_target">{}</data><data key="trust_target_source">{}</data><data key="strength_source_target">{}</data><data key="strength_target_source">{}</data><data key="kind">{}</data><data key="conflict">{}</data></edge>"#,
            tie.a,
            tie.b,
            tie.trust_ab,
            tie.trust_ba,
            tie.strength_ab,
            tie.strength_ba,
            tie.kind,
            tie.conflict
        )?;
    }
    writeln!(out, "  </graph>\n</graphml>")
}

/// Escapes the five XML special characters.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
