//! Renders one sample of each chart, to look at them and to time the network picture.
//!
//! `cargo run --release --example chart_samples -- [folder]` (default `/tmp/gotong-charts`)
//! writes `bands`, `heatmap`, `network` and `network_2000` as PNG and SVG there. The data
//! are made up (sine waves, a planted-partition random graph); nothing is simulated.

use gotong::engine::streams::{Draw, Purpose, Streams};
use gotong::model::role::Role;
use gotong::output::charts::{
    BandPoint, BandSeries, ChartError, NetworkEdge, NetworkNode, heatmap, line_chart_with_bands,
    network_picture,
};
use gotong::output::layout::{self, force_directed};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() -> Result<(), ChartError> {
    let folder: PathBuf = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/gotong-charts".into())
        .into();
    let streams = Streams::new(2024, 0);
    write_band_sample(&folder.join("bands"))?;
    write_heatmap_sample(&folder.join("heatmap"), &streams)?;
    write_network_sample(&folder.join("network"), 800, 8.0, &streams)?;
    write_network_sample(&folder.join("network_2000"), 2000, 20.0, &streams)?;
    println!("samples written to {}", folder.display());
    Ok(())
}

fn write_band_sample(stem: &Path) -> Result<(), ChartError> {
    let series = |label: &str, level: f64, phase: f64| BandSeries {
        label: label.to_string(),
        points: (0..=200)
            .step_by(5)
            .map(|step| {
                let x = step as f64;
                let mean = level + 0.15 * (x / 30.0 + phase).sin() * (1.0 - (-x / 40.0).exp());
                let half_width = 0.03 + 0.04 * (x / 200.0);
                BandPoint {
                    x,
                    mean,
                    low: mean - half_width,
                    high: mean + half_width,
                }
            })
            .collect(),
    };
    let data = [
        series("transparency 0.8", 0.62, 0.0),
        series("transparency 0.2", 0.41, 1.5),
    ];
    line_chart_with_bands(
        stem,
        "Cooperation rate over time (20 replicates)",
        "step",
        "cooperation rate",
        &data,
        Some((0.0, 1.0)),
    )
}

fn write_heatmap_sample(stem: &Path, streams: &Streams) -> Result<(), ChartError> {
    let names: Vec<String> = Role::ALL
        .iter()
        .map(|role| role.name().to_string())
        .collect();
    let mut rng = streams.rng(Purpose::Attributes, 0, 0);
    let values: Vec<Vec<Option<f64>>> = (0..names.len())
        .map(|row| {
            (0..names.len())
                .map(|col| {
                    let missing = (row + col) % 11 == 10;
                    (!missing).then(|| {
                        (0.35 + 0.04 * (row as f64 - col as f64).abs() + 0.3 * rng.uniform())
                            .min(1.0)
                    })
                })
                .collect()
        })
        .collect();
    heatmap(
        stem,
        "Mean trust, row role towards column role (step 200)",
        &names,
        &names,
        &values,
        (0.0, 1.0),
        "mean trust",
    )
}

/// A planted partition: 5 groups of unequal size, most ties inside groups, a few isolated
/// nodes, 3% of ties marked.
fn write_network_sample(
    stem: &Path,
    node_count: usize,
    mean_degree: f64,
    streams: &Streams,
) -> Result<(), ChartError> {
    let group_of = |node: usize| match node * 100 / node_count {
        0..40 => 3,
        40..70 => 4,
        70..85 => 1,
        85..97 => 2,
        _ => 0,
    };
    let mut rng = streams.rng(Purpose::Network, 0, node_count as u64);
    let mut edges = Vec::new();
    let target = (node_count as f64 * mean_degree / 2.0) as usize;
    while edges.len() < target {
        let a = rng.below(node_count as u64) as u32;
        let b = rng.below(node_count as u64) as u32;
        let same_group = group_of(a as usize) == group_of(b as usize);
        let isolated = |node: u32| node % 97 == 0;
        if a != b && !isolated(a) && !isolated(b) && (same_group || rng.chance(0.15)) {
            let weight = if same_group {
                0.4 + 0.6 * rng.uniform()
            } else {
                0.5 * rng.uniform()
            };
            edges.push(NetworkEdge {
                a,
                b,
                weight,
                marked: rng.chance(0.03),
            });
        }
    }
    let nodes: Vec<NetworkNode> = (0..node_count)
        .map(|node| NetworkNode {
            group: group_of(node),
        })
        .collect();
    let labels: Vec<String> = ["principal", "teacher", "staff", "student", "parent"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let started = Instant::now();
    let pairs: Vec<(u32, u32)> = edges.iter().map(|edge| (edge.a, edge.b)).collect();
    let positions = force_directed(node_count, &pairs, streams, layout::DEFAULT_ITERATIONS);
    let laid_out = started.elapsed();
    let caption = format!(
        "{node_count} nodes, {} ties; tie darkness and width show trust, red dashed ties are in conflict. Every 97th node has no ties.",
        edges.len()
    );
    let title = format!("School network, {node_count} agents (made-up data)");
    network_picture(
        stem,
        &title,
        &nodes,
        &labels,
        &edges,
        &positions,
        Some(&caption),
    )?;
    println!(
        "{}: layout {:.2} s, drawing {:.2} s",
        stem.display(),
        laid_out.as_secs_f64(),
        (started.elapsed() - laid_out).as_secs_f64()
    );
    Ok(())
}
