//! A picture of a network: nodes as dots coloured by group, edges shaded by weight.
//!
//! Owns: fitting given positions to the canvas, the drawing order (weak edges under strong
//! ones, marked edges on top, small groups over large ones) and the caption.
//! Must never: compute positions (see [`crate::output::layout`]) or choose which nodes to
//! show (callers subsample, e.g. with [`crate::output::layout::sample_for_picture`]).

use super::style::{
    LegendEntry, MARKED_EDGE_COLOUR, MUTED_TEXT_COLOUR, NOTE_SIZE, Swatch, draw_centred_note,
    draw_legend, draw_title, legend_width, series_colour, text_size, text_style,
};
use super::{ChartError, DrawResult, Picture, input_error, write_png_and_svg};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::Path;

/// A node; its colour and legend entry come from `group` (an index into the group labels).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkNode {
    pub group: usize,
}

/// An undirected edge between nodes `a` and `b` (indices into the node list).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkEdge {
    pub a: u32,
    pub b: u32,
    /// 0 (faint, thin) to 1 (dark, thicker), e.g. trust; clamped, NaN counts as 0.
    pub weight: f64,
    /// Drawn red and dashed on top of the others, e.g. a conflict tie.
    pub marked: bool,
}

const SIZE: (u32, u32) = (1000, 700);
const EDGE_COLOUR: RGBColor = RGBColor(50, 50, 60);
/// Plain and marked edges above which each is drawn fainter (marked ones stand out more,
/// so fewer of them make a picture busy).
const PLAIN_EDGES_AT_FULL_OPACITY: f64 = 1500.0;
const MARKED_EDGES_AT_FULL_OPACITY: f64 = 150.0;
pub(super) const CAPTION_LINE: i32 = 22;
const CAPTION_MAX_LINES: usize = 3;

/// Writes `<stem>.png` and `<stem>.svg` of a network: `nodes[i]` drawn at `positions[i]`,
/// edges as thin lines (opacity and width grow with weight, marked edges red and dashed),
/// a legend of the groups present with their node counts, and an optional caption below.
///
/// Positions may be in any units: they are scaled uniformly to fit the canvas, with y
/// growing downwards as on screen (so [`crate::output::layout::grid`] puts row 0 on top).
/// Meant for up to a few thousand nodes and tens of thousands of edges.
pub fn network_picture(
    stem: &Path,
    title: &str,
    nodes: &[NetworkNode],
    group_labels: &[String],
    edges: &[NetworkEdge],
    positions: &[(f64, f64)],
    caption: Option<&str>,
) -> Result<(), ChartError> {
    check_network(nodes, group_labels, edges, positions)
        .map_err(|reason| input_error(stem, reason))?;
    let picture = NetworkPicture {
        title,
        nodes,
        group_labels,
        edges,
        positions,
        caption,
    };
    write_png_and_svg(stem, &picture)
}

fn check_network(
    nodes: &[NetworkNode],
    group_labels: &[String],
    edges: &[NetworkEdge],
    positions: &[(f64, f64)],
) -> Result<(), String> {
    if positions.len() != nodes.len() {
        return Err(format!(
            "{} positions for {} nodes",
            positions.len(),
            nodes.len()
        ));
    }
    if let Some(index) = positions
        .iter()
        .position(|(x, y)| !(x.is_finite() && y.is_finite()))
    {
        return Err(format!("position of node {index} is not finite"));
    }
    if let Some(index) = nodes
        .iter()
        .position(|node| node.group >= group_labels.len())
    {
        let group = nodes[index].group;
        return Err(format!(
            "node {index} is in group {group} but there are {} group labels",
            group_labels.len()
        ));
    }
    let outside = |end: u32| end as usize >= nodes.len();
    if let Some(edge) = edges.iter().find(|edge| outside(edge.a) || outside(edge.b)) {
        return Err(format!(
            "edge ({}, {}) is outside the {} nodes",
            edge.a,
            edge.b,
            nodes.len()
        ));
    }
    Ok(())
}

struct NetworkPicture<'a> {
    title: &'a str,
    nodes: &'a [NetworkNode],
    group_labels: &'a [String],
    edges: &'a [NetworkEdge],
    positions: &'a [(f64, f64)],
    caption: Option<&'a str>,
}

impl Picture for NetworkPicture<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let body = draw_title(root, self.title)?;
        let caption_lines = match self.caption {
            Some(caption) => wrap_caption(&body, caption)?,
            None => Vec::new(),
        };
        let (width, height) = body.dim_in_pixel();
        let caption_band = if caption_lines.is_empty() {
            0
        } else {
            caption_lines.len() as i32 * CAPTION_LINE + 12
        };
        let (body, caption_area) = body.split_vertically(height as i32 - caption_band);
        draw_caption(&caption_area, &caption_lines)?;

        let group_sizes = group_sizes(self.nodes, self.group_labels.len());
        let entries = legend_entries(&group_sizes, self.group_labels);
        let legend_columns = legend_width(&body, &entries, None, width * 3 / 10)?;
        let (plot_area, legend_area) = body.split_horizontally(width - legend_columns);
        draw_legend(&legend_area.margin(10, 0, 0, 0), &entries, None)?;
        if self.nodes.is_empty() {
            return draw_centred_note(&plot_area, "no data");
        }
        let radius = node_radius(plot_area.dim_in_pixel(), self.nodes.len());
        let projection = Projection::fit(self.positions, plot_area.dim_in_pixel(), radius + 12);
        draw_edges(&plot_area, self.edges, self.positions, &projection)?;
        draw_nodes(
            &plot_area,
            self.nodes,
            &group_sizes,
            self.positions,
            &projection,
            radius,
        )
    }
}

pub(super) fn group_sizes(nodes: &[NetworkNode], group_count: usize) -> Vec<usize> {
    let mut sizes = vec![0; group_count];
    for node in nodes {
        sizes[node.group] += 1;
    }
    sizes
}

/// One entry per group that has nodes, in group order: "label (count)".
fn legend_entries(group_sizes: &[usize], labels: &[String]) -> Vec<LegendEntry> {
    (group_sizes.iter().enumerate())
        .filter(|(_, size)| **size > 0)
        .map(|(group, size)| LegendEntry {
            label: format!("{} ({size})", labels[group]),
            swatch: Swatch::Dot(series_colour(group)),
        })
        .collect()
}

/// Dot radius in pixels: smaller as nodes get denser, between 2 and 6.
pub(super) fn node_radius((width, height): (u32, u32), node_count: usize) -> i32 {
    let spacing = width.min(height) as f64 / (node_count.max(1) as f64).sqrt();
    (spacing * 0.2).clamp(2.0, 6.0).round() as i32
}

/// Uniform scaling of positions into a pixel area, keeping the aspect ratio.
pub(super) struct Projection {
    scale: f64,
    source_min: (f64, f64),
    offset: (f64, f64),
}

impl Projection {
    pub(super) fn fit(
        positions: &[(f64, f64)],
        (width, height): (u32, u32),
        margin: i32,
    ) -> Projection {
        let (mut min, mut max) = (
            (f64::INFINITY, f64::INFINITY),
            (f64::NEG_INFINITY, f64::NEG_INFINITY),
        );
        for &(x, y) in positions {
            min = (min.0.min(x), min.1.min(y));
            max = (max.0.max(x), max.1.max(y));
        }
        let room = (
            (width as f64 - 2.0 * margin as f64).max(1.0),
            (height as f64 - 2.0 * margin as f64).max(1.0),
        );
        let span = (max.0 - min.0, max.1 - min.1);
        let scale = match (span.0 > 0.0, span.1 > 0.0) {
            (true, true) => (room.0 / span.0).min(room.1 / span.1),
            (true, false) => room.0 / span.0,
            (false, true) => room.1 / span.1,
            (false, false) => 0.0,
        };
        let offset = (
            margin as f64 + (room.0 - span.0 * scale) / 2.0,
            margin as f64 + (room.1 - span.1 * scale) / 2.0,
        );
        Projection {
            scale,
            source_min: min,
            offset,
        }
    }

    pub(super) fn pixel(&self, (x, y): (f64, f64)) -> (i32, i32) {
        let px = self.offset.0 + (x - self.source_min.0) * self.scale;
        let py = self.offset.1 + (y - self.source_min.1) * self.scale;
        (px.round() as i32, py.round() as i32)
    }
}

pub(super) fn draw_edges<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    edges: &[NetworkEdge],
    positions: &[(f64, f64)],
    projection: &Projection,
) -> DrawResult<DB> {
    let weight = |edge: &NetworkEdge| {
        if edge.weight.is_nan() {
            0.0
        } else {
            edge.weight.clamp(0.0, 1.0)
        }
    };
    let mut order: Vec<usize> = (0..edges.len()).collect();
    order.sort_by(|&i, &j| {
        let key = |edge: &NetworkEdge| (edge.marked, weight(edge));
        let (a, b) = (key(&edges[i]), key(&edges[j]));
        a.0.cmp(&b.0).then(a.1.total_cmp(&b.1))
    });
    let marked_count = edges.iter().filter(|edge| edge.marked).count();
    let plain_fade = opacity_scale(edges.len() - marked_count, PLAIN_EDGES_AT_FULL_OPACITY);
    let marked_fade = opacity_scale(marked_count, MARKED_EDGES_AT_FULL_OPACITY);
    for edge in order.iter().map(|&index| &edges[index]) {
        let ends = vec![
            projection.pixel(positions[edge.a as usize]),
            projection.pixel(positions[edge.b as usize]),
        ];
        if edge.marked {
            let style = MARKED_EDGE_COLOUR
                .mix(0.9 * marked_fade)
                .stroke_width(if marked_fade > 0.5 { 2 } else { 1 });
            area.draw(&plotters::element::DashedPathElement::new(
                ends, 6, 4, style,
            ))?;
        } else {
            let w = weight(edge);
            let style = EDGE_COLOUR
                .mix(plain_fade * (0.12 + 0.6 * w))
                .stroke_width(if w > 0.66 { 2 } else { 1 });
            area.draw(&PathElement::new(ends, style))?;
        }
    }
    Ok(())
}

/// 1 up to `full_at` edges, then falling with the square root of their number (never
/// below 0.25) so that dense pictures do not turn into a blot.
fn opacity_scale(edge_count: usize, full_at: f64) -> f64 {
    (full_at / edge_count.max(1) as f64).sqrt().clamp(0.25, 1.0)
}

/// Dots, largest groups first so that rare groups stay visible on top.
pub(super) fn draw_nodes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    nodes: &[NetworkNode],
    group_sizes: &[usize],
    positions: &[(f64, f64)],
    projection: &Projection,
    radius: i32,
) -> DrawResult<DB> {
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(group_sizes[nodes[index].group]));
    for index in order {
        let centre = projection.pixel(positions[index]);
        area.draw(&Circle::new(
            centre,
            radius,
            series_colour(nodes[index].group).filled(),
        ))?;
        if radius >= 4 {
            area.draw(&Circle::new(centre, radius, WHITE.mix(0.9).stroke_width(1)))?;
        }
    }
    Ok(())
}

/// Splits `caption` into lines that fit the width of `area` (at most three; the last one
/// shortened with an ellipsis if the caption is longer).
pub(super) fn wrap_caption<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
) -> DrawResult<DB, Vec<String>> {
    let style = text_style(NOTE_SIZE, MUTED_TEXT_COLOUR, HPos::Left, VPos::Center);
    let room = area.dim_in_pixel().0.saturating_sub(40);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in caption.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && text_size(area, &candidate, &style)?.0 > room {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    if lines.len() > CAPTION_MAX_LINES {
        lines.truncate(CAPTION_MAX_LINES);
        let last = lines.last_mut().expect("three lines");
        let shortened = super::style::fit_text(area, &format!("{last} …"), &style, room)?;
        *last = shortened;
    }
    Ok(lines)
}

pub(super) fn draw_caption<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
) -> DrawResult<DB> {
    let style = text_style(NOTE_SIZE, MUTED_TEXT_COLOUR, HPos::Left, VPos::Center);
    for (index, line) in lines.iter().enumerate() {
        let y = CAPTION_LINE / 2 + 4 + index as i32 * CAPTION_LINE;
        area.draw_text(line, &style, (20, y))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::assert_png_and_svg;
    use super::*;

    fn ring(node_count: u32) -> (Vec<NetworkNode>, Vec<NetworkEdge>, Vec<(f64, f64)>) {
        let nodes = (0..node_count)
            .map(|i| NetworkNode {
                group: (i % 3) as usize,
            })
            .collect();
        let edges = (0..node_count)
            .map(|i| NetworkEdge {
                a: i,
                b: (i + 1) % node_count,
                weight: i as f64 / node_count as f64,
                marked: i % 7 == 0,
            })
            .collect();
        let positions = (0..node_count)
            .map(|i| {
                let angle = std::f64::consts::TAU * i as f64 / node_count as f64;
                (angle.cos() * 40.0, angle.sin() * 40.0)
            })
            .collect();
        (nodes, edges, positions)
    }

    fn groups() -> Vec<String> {
        ["teacher", "parent", "student", "firm"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn writes_png_and_svg_with_legend_of_groups_present() {
        let folder = tempfile::tempdir().expect("tempdir");
        let stem = folder.path().join("network");
        let (nodes, edges, positions) = ring(30);
        network_picture(
            &stem,
            "Ties at step 100",
            &nodes,
            &groups(),
            &edges,
            &positions,
            Some("A ring."),
        )
        .expect("picture");
        assert_png_and_svg(
            &stem,
            SIZE,
            &[
                "Ties at step 100",
                "teacher (10)",
                "student (10)",
                "A ring.",
            ],
        );
        let svg = std::fs::read_to_string(folder.path().join("network.svg")).expect("svg");
        assert!(
            !svg.contains("firm"),
            "groups without nodes stay out of the legend"
        );
    }

    #[test]
    fn edge_cases_draw_without_error() {
        let folder = tempfile::tempdir().expect("tempdir");
        let one = [NetworkNode { group: 0 }];
        type Case<'a> = (&'a str, &'a [NetworkNode], &'a [(f64, f64)]);
        let cases: [Case; 3] = [
            ("empty", &[], &[]),
            ("single", &one, &[(5.0, 5.0)]),
            ("same_place", &[one[0], one[0]], &[(1.0, 1.0), (1.0, 1.0)]),
        ];
        for (name, nodes, positions) in cases {
            let stem = folder.path().join(name);
            network_picture(&stem, name, nodes, &groups(), &[], positions, None).expect(name);
            assert_png_and_svg(&stem, SIZE, &[name]);
        }
        let long_caption = "word ".repeat(400);
        let (nodes, edges, positions) = ring(5);
        let stem = folder.path().join("long_caption");
        network_picture(
            &stem,
            "t",
            &nodes,
            &groups(),
            &edges,
            &positions,
            Some(&long_caption),
        )
        .expect("caption");
    }

    #[test]
    fn bad_input_is_an_error_naming_the_problem() {
        let stem = Path::new("unused/never-written");
        let (nodes, mut edges, positions) = ring(4);
        let error = network_picture(stem, "t", &nodes, &groups(), &edges, &positions[..3], None)
            .unwrap_err();
        assert!(
            error.to_string().contains("3 positions for 4 nodes"),
            "{error}"
        );
        edges.push(NetworkEdge {
            a: 0,
            b: 9,
            weight: 1.0,
            marked: false,
        });
        let error =
            network_picture(stem, "t", &nodes, &groups(), &edges, &positions, None).unwrap_err();
        assert!(error.to_string().contains("edge (0, 9)"), "{error}");
        let error =
            network_picture(stem, "t", &nodes, &groups()[..1], &[], &positions, None).unwrap_err();
        assert!(error.to_string().contains("group 1"), "{error}");
        assert!(!stem.exists());
    }

    #[test]
    fn projection_keeps_aspect_and_margin() {
        let projection = Projection::fit(&[(0.0, 0.0), (10.0, 5.0)], (220, 220), 10);
        assert_eq!(projection.pixel((0.0, 0.0)), (10, 60));
        assert_eq!(projection.pixel((10.0, 5.0)), (210, 160));
    }
}
