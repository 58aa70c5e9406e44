//! The plots of a run: which series go in which picture. Drawing itself is `charts`.
//!
//! Headline plots (PNG and SVG each): cooperation rate and mean trust with 95% bands, ties
//! by kind, the role × role trust heatmap at the last step, the final network of replicate
//! 0 coloured by role. Then one plot per registered metric under `plots/metrics/`, so a new
//! metric is drawn without touching this file.

use super::charts::{self, BandPoint, BandSeries, ChartError, NetworkEdge, NetworkNode};
use super::layout;
use crate::engine::streams::Streams;
use crate::experiment::statistics::{Summary, SummaryRow};
use crate::model::role::{Role, TieKind};
use crate::observe::{METRICS, NetworkSnapshot};
use crate::scenario::{NetworkKind, Scenario};
use std::path::Path;

/// Most groups drawn in one per-metric plot; metrics with more (e.g. role pairs) show `all`
/// and the first groups in output order, and say so in the title.
const MAX_GROUPS_PER_PLOT: usize = 8;

/// Most agents drawn in the network picture; larger networks show a sample.
pub const MAX_PICTURE_AGENTS: usize = 1500;

/// Draws every plot into `folder`; returns the file names written (relative to `folder`).
pub fn draw_run_plots(
    folder: &Path,
    scenario: &Scenario,
    summary: &Summary,
    final_network: Option<&NetworkSnapshot>,
    layout_streams: Streams,
) -> Result<Vec<String>, ChartError> {
    let mut written = Vec::new();
    let mut add = |stem: &str| {
        written.push(format!("{stem}.png"));
        written.push(format!("{stem}.svg"));
    };
    // A scenario that lists `run.metrics` gets the plots of those metrics only.
    let recorded = |metric: &str| {
        (scenario.run.metrics.as_ref()).is_none_or(|listed| listed.iter().any(|m| m == metric))
    };
    if recorded("cooperation_rate") || recorded("mean_trust") {
        cooperation_and_trust(folder, summary)?;
        add("cooperation_and_trust");
    }
    if recorded("ties") {
        ties_by_kind(folder, summary)?;
        add("ties_by_kind");
    }
    if recorded("trust_toward") {
        trust_heatmap(folder, scenario, summary)?;
        add("trust_heatmap");
    }
    if let Some(snapshot) = final_network {
        network_picture(folder, scenario, snapshot, layout_streams)?;
        add("network");
    }
    let metrics_folder = folder.join("metrics");
    for metric in METRICS.iter().filter(|m| recorded(m.name)) {
        per_metric_plot(&metrics_folder, summary, metric.name, metric.description)?;
        add(&format!("metrics/{}", metric.name));
    }
    Ok(written)
}

fn cooperation_and_trust(folder: &Path, summary: &Summary) -> Result<(), ChartError> {
    let series = vec![
        bands(summary, "cooperation_rate", "all", "cooperation rate"),
        bands(summary, "mean_trust", "all", "mean trust"),
    ];
    charts::line_chart_with_bands(
        &folder.join("cooperation_and_trust"),
        "Cooperation and trust (mean of replicates, 95% band)",
        "step (week)",
        "share / trust",
        &series,
        Some((0.0, 1.0)),
    )
}

fn ties_by_kind(folder: &Path, summary: &Summary) -> Result<(), ChartError> {
    let kinds: Vec<BandSeries> = TieKind::ALL
        .iter()
        .map(|k| bands(summary, "ties", k.name(), k.name()))
        .collect();
    charts::line_chart_with_bands(
        &folder.join("ties_by_kind"),
        "Ties by kind (mean of replicates, 95% band)",
        "step (week)",
        "ties",
        &kinds,
        None,
    )
}

fn bands(summary: &Summary, metric: &str, group: &str, label: &str) -> BandSeries {
    BandSeries {
        label: label.to_string(),
        points: summary.series(metric, group).map(band_point).collect(),
    }
}

fn band_point(row: &SummaryRow) -> BandPoint {
    let mean = row.stats.mean;
    let (low, high) = row.stats.ci.unwrap_or((mean, mean));
    BandPoint {
        x: row.step as f64,
        mean,
        low,
        high,
    }
}

fn per_metric_plot(
    folder: &Path,
    summary: &Summary,
    metric: &str,
    description: &str,
) -> Result<(), ChartError> {
    let mut groups: Vec<&str> = Vec::new();
    for row in summary.rows.iter().filter(|r| r.metric_name() == metric) {
        if !groups.contains(&row.group.as_str()) {
            groups.push(&row.group);
        }
    }
    let total = groups.len();
    groups.truncate(MAX_GROUPS_PER_PLOT);
    let series: Vec<BandSeries> = groups
        .iter()
        .map(|g| bands(summary, metric, g, g))
        .collect();
    let title = if total > MAX_GROUPS_PER_PLOT {
        format!(
            "{metric} ({} of {total} groups; all are in summary.csv)",
            MAX_GROUPS_PER_PLOT
        )
    } else {
        metric.to_string()
    };
    let y_label = description
        .split([',', ';', '('])
        .next()
        .unwrap_or(metric)
        .trim();
    charts::line_chart_with_bands(
        &folder.join(metric),
        &title,
        "step (week)",
        y_label,
        &series,
        None,
    )
}

fn trust_heatmap(folder: &Path, scenario: &Scenario, summary: &Summary) -> Result<(), ChartError> {
    let roles: Vec<Role> = scenario
        .role_counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(r, _)| r)
        .collect();
    let last = summary.last_step().unwrap_or(0);
    let value = |a: Role, b: Role| {
        let group = format!("{a}>{b}");
        summary
            .series("trust_toward", &group)
            .find(|row| row.step == last)
            .map(|row| row.stats.mean)
    };
    let values: Vec<Vec<Option<f64>>> = roles
        .iter()
        .map(|&a| roles.iter().map(|&b| value(a, b)).collect())
        .collect();
    let labels: Vec<String> = roles.iter().map(|r| r.name().to_string()).collect();
    charts::heatmap(
        &folder.join("trust_heatmap"),
        &format!("Trust of row role toward column role at step {last} (mean of replicates)"),
        &labels,
        &labels,
        &values,
        (0.0, 1.0),
        "trust",
    )
}

fn network_picture(
    folder: &Path,
    scenario: &Scenario,
    snapshot: &NetworkSnapshot,
    streams: Streams,
) -> Result<(), ChartError> {
    // Agents who left are not drawn: number the active ones densely.
    let active: Vec<u32> = (0..snapshot.nodes.len() as u32)
        .filter(|&i| snapshot.nodes[i as usize].active)
        .collect();
    let mut dense = vec![u32::MAX; snapshot.nodes.len()];
    for (k, &id) in active.iter().enumerate() {
        dense[id as usize] = k as u32;
    }
    let edges: Vec<(u32, u32)> = snapshot
        .ties
        .iter()
        .map(|t| (dense[t.a as usize], dense[t.b as usize]))
        .collect();
    let sample = layout::sample_for_picture(
        active.len(),
        &edges,
        MAX_PICTURE_AGENTS,
        layout::Sampling::Snowball,
        &streams,
    );
    let kept_edges = sample.edges(&edges);
    let positions = match (
        scenario.network.kind,
        scenario.network.width,
        scenario.network.height,
    ) {
        (NetworkKind::Lattice, Some(w), Some(h))
            if sample.len() == snapshot.nodes.len() && active.len() == snapshot.nodes.len() =>
        {
            layout::grid(w as usize, h as usize)
        }
        _ => layout::force_directed(sample.len(), &kept_edges, &streams, 150),
    };
    let roles_present: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| snapshot.nodes.iter().any(|n| n.active && n.role == *r))
        .collect();
    let nodes: Vec<NetworkNode> = sample
        .kept()
        .iter()
        .map(|&id| NetworkNode {
            group: roles_present
                .iter()
                .position(|r| *r == snapshot.nodes[active[id as usize] as usize].role)
                .unwrap_or(0),
        })
        .collect();
    let picture_edges: Vec<NetworkEdge> = snapshot
        .ties
        .iter()
        .filter_map(|t| {
            let (a, b) = (
                sample.new_id(dense[t.a as usize])?,
                sample.new_id(dense[t.b as usize])?,
            );
            Some(NetworkEdge {
                a,
                b,
                weight: (t.trust_ab + t.trust_ba) / 2.0,
                marked: t.conflict,
            })
        })
        .collect();
    let labels: Vec<String> = roles_present.iter().map(|r| r.name().to_string()).collect();
    let mut caption =
        "colour: role · darker line: more trust · red dashed: conflict tie".to_string();
    if sample.len() < active.len() {
        caption.push_str(&format!(
            " · a sample of {} of {} agents",
            sample.len(),
            active.len()
        ));
    }
    charts::network_picture(
        &folder.join("network"),
        &format!("Network at step {} (replicate 0)", snapshot.step),
        &nodes,
        &labels,
        &picture_edges,
        &positions,
        Some(&caption),
    )
}
