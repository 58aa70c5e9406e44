//! The experiment's report, `report.html` and `report.md`: what was run, the headline
//! findings in plain language, the headline table, the figures and the manifest.
//!
//! Owns: the content and order of the report. How it is rendered (HTML with embedded
//! images, Markdown) belongs to [`crate::output::report`].
//! Must never: compute statistics (the analysis passed in has them).

use super::folder::{ExperimentFolder, FolderError};
use super::manifest::ExperimentManifest;
use super::plots::Figure;
use super::shell_quote;
use crate::experiment::compare::CompareRow;
use crate::experiment::indices::{Index, IndexRow};
use crate::experiment::plan::{Design, ExperimentKind, ExperimentPlan};
use crate::experiment::statistics::Describe;
use crate::experiment::sweep::SummaryRow;
use crate::experiment::{human_number, metric_words};
use crate::output::report::{Block, Report, Section, write_html, write_markdown};
use std::path::PathBuf;

/// The analysis of a finished experiment, by kind.
#[derive(Clone, Debug)]
pub enum Analysis {
    Compare {
        rows: Vec<CompareRow>,
        sentences: Vec<String>,
    },
    Sweep {
        rows: Vec<SummaryRow>,
        sentences: Vec<String>,
    },
    Sensitivity {
        rows: Vec<IndexRow>,
        summary: Vec<SummaryRow>,
        sentences: Vec<String>,
    },
}

impl Analysis {
    /// The plain-language findings.
    pub fn sentences(&self) -> &[String] {
        match self {
            Analysis::Compare { sentences, .. }
            | Analysis::Sweep { sentences, .. }
            | Analysis::Sensitivity { sentences, .. } => sentences,
        }
    }
}

/// Writes `report.html` and `report.md`.
pub fn write(
    folder: &ExperimentFolder,
    plan: &ExperimentPlan,
    analysis: &Analysis,
    figures: &[Figure],
    manifest: &ExperimentManifest,
) -> Result<(), FolderError> {
    let report = Report {
        title: title(plan),
        subtitle: format!(
            "gotong {}, started {}",
            manifest.gotong_version, manifest.started_at
        ),
        sections: vec![
            Section {
                heading: "Findings".into(),
                blocks: vec![
                    Block::Paragraph(what_was_run(plan)),
                    Block::Bullets(analysis.sentences().to_vec()),
                ],
            },
            Section {
                heading: "Headline table".into(),
                blocks: vec![headline_table(plan, analysis), Block::Paragraph(table_note(plan))],
            },
            Section {
                heading: "Figures".into(),
                blocks: figures
                    .iter()
                    .map(|f| Block::Figure {
                        png: PathBuf::from(format!("{}.png", f.stem)),
                        caption: f.caption.clone(),
                    })
                    .collect(),
            },
            Section {
                heading: "What was run".into(),
                blocks: vec![
                    Block::Bullets(point_lines(plan)),
                    Block::Code {
                        language: "sh".into(),
                        text: shell_line(&manifest.command),
                    },
                    Block::Paragraph(
                        "Files: the CSV files hold every number in this report; plan.json holds each point's full scenario; jobs/ one file per replicate.".into(),
                    ),
                ],
            },
            Section {
                heading: "Manifest".into(),
                blocks: vec![Block::Code {
                    language: "json".into(),
                    text: serde_json::to_string_pretty(manifest).unwrap_or_default(),
                }],
            },
        ],
    };
    write_html(&report, folder.path())?;
    write_markdown(&report, folder.path())?;
    Ok(())
}

fn title(plan: &ExperimentPlan) -> String {
    match plan.kind {
        ExperimentKind::Compare => {
            let labels: Vec<&str> = plan.points.iter().map(|p| p.label.as_str()).collect();
            format!("Comparison: {}", labels.join(" vs "))
        }
        ExperimentKind::Sweep => format!("Sweep of {}", keys(plan)),
        ExperimentKind::Sensitivity => format!("Sensitivity of the outputs to {}", keys(plan)),
    }
}

fn keys(plan: &ExperimentPlan) -> String {
    let keys: Vec<&str> = plan.varied.iter().map(|v| v.key.as_str()).collect();
    keys.join(", ")
}

fn what_was_run(plan: &ExperimentPlan) -> String {
    let outputs: Vec<String> = plan.outputs.iter().map(metric_words).collect();
    let design = match &plan.design {
        Design::Scenarios { baseline } => format!(
            "{} scenarios compared with `{}` as the baseline",
            plan.points.len(),
            plan.points[*baseline].label
        ),
        Design::Grid => format!(
            "a full grid of {} points over {}",
            plan.points.len(),
            keys(plan)
        ),
        Design::LatinHypercube { points } => {
            format!("a Latin hypercube of {points} points over {}", keys(plan))
        }
        Design::Morris {
            trajectories,
            levels,
        } => format!(
            "Morris elementary effects: {trajectories} trajectories on {levels} levels over {} ({} points)",
            keys(plan),
            plan.points.len()
        ),
        Design::Sobol { samples } => format!(
            "Sobol indices from Saltelli's design: {samples} base samples over {} ({} points)",
            keys(plan),
            plan.points.len()
        ),
    };
    format!(
        "Design: {design}. Each point ran {} replicates with common random numbers (replicate r of every point uses master seed {} and the same streams). Headline outputs: final {}.",
        plan.replicates,
        plan.seed,
        outputs.join(", ")
    )
}

fn table_note(plan: &ExperimentPlan) -> String {
    match plan.kind {
        ExperimentKind::Compare => "Mean of the final value over replicates with its 95% t-interval; the difference from the baseline with Welch's 95% interval, Cohen's d, and the two-sided p-values of Welch's t-test and the Mann–Whitney U test. Every metric and group is in compare.csv.".into(),
        ExperimentKind::Sweep => "Mean of the final value over replicates with its 95% t-interval. Every metric and group is in sweep_summary.csv; every replicate in sweep.csv.".into(),
        ExperimentKind::Sensitivity => "Morris: μ* is the mean absolute change of the output when a key moves across its whole range (estimated from one-at-a-time steps), σ the spread of those changes (large σ: interactions or non-linear effects). Sobol: the share of the output's variance due to a key alone (first-order) and with all its interactions (total), with 95% bootstrap intervals. Inputs per point: sweep_summary.csv.".into(),
    }
}

fn with_interval(stats: &Describe) -> String {
    match stats.ci {
        Some((low, high)) => format!(
            "{} ({} to {})",
            human_number(stats.mean),
            human_number(low),
            human_number(high)
        ),
        None => human_number(stats.mean),
    }
}

fn optional(value: Option<f64>) -> String {
    value.map(human_number).unwrap_or_else(|| "–".into())
}

fn headline_table(plan: &ExperimentPlan, analysis: &Analysis) -> Block {
    match analysis {
        Analysis::Compare { rows, .. } => {
            let header = [
                "output",
                "scenario",
                "mean (95% CI)",
                "difference (95% CI)",
                "Cohen's d",
                "Welch p",
                "Mann–Whitney p",
            ];
            let rows = (plan.outputs.iter())
                .flat_map(|o| {
                    rows.iter()
                        .filter(move |r| r.metric == o.metric && r.group == o.group)
                        .map(move |r| (o, r))
                })
                .map(|(o, r)| {
                    let c = r.contrast;
                    vec![
                        metric_words(o),
                        plan.points[r.point].label.clone(),
                        with_interval(&r.stats),
                        c.map_or("baseline".into(), |c| match c.ci {
                            Some((l, h)) => format!(
                                "{} ({} to {})",
                                human_number(c.difference),
                                human_number(l),
                                human_number(h)
                            ),
                            None => human_number(c.difference),
                        }),
                        optional(c.and_then(|c| c.cohens_d)),
                        optional(c.and_then(|c| c.welch_p)),
                        optional(c.and_then(|c| c.mann_whitney_p)),
                    ]
                })
                .collect();
            table(&header, rows, vec![2, 3, 4, 5, 6])
        }
        Analysis::Sweep { rows, .. } => point_table(plan, rows),
        Analysis::Sensitivity { rows, .. } => {
            let sobol = rows.iter().any(|r| matches!(r.index, Index::Sobol(_)));
            let header: &[&str] = if sobol {
                &["output", "key", "first-order (95% CI)", "total (95% CI)"]
            } else {
                &["output", "key", "μ*", "σ", "μ"]
            };
            let rows = rows
                .iter()
                .map(|r| {
                    let mut line = vec![metric_words(&r.output), r.key.clone()];
                    match &r.index {
                        Index::Morris(m) => {
                            line.extend([m.mu_star, m.sigma, m.mu].map(human_number))
                        }
                        Index::Sobol(s) => line.extend([
                            format!(
                                "{} ({} to {})",
                                human_number(s.first),
                                human_number(s.first_ci.0),
                                human_number(s.first_ci.1)
                            ),
                            format!(
                                "{} ({} to {})",
                                human_number(s.total),
                                human_number(s.total_ci.0),
                                human_number(s.total_ci.1)
                            ),
                        ]),
                    }
                    line
                })
                .collect();
            let numeric = (2..header.len()).collect();
            table(header, rows, numeric)
        }
    }
}

/// A sweep's points with each headline output's mean (at most 200 rows; the CSV has all).
fn point_table(plan: &ExperimentPlan, rows: &[SummaryRow]) -> Block {
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(plan.varied.iter().map(|v| v.key.clone()));
    header.extend(plan.outputs.iter().map(metric_words));
    let lines = (0..plan.points.len().min(200))
        .map(|p| {
            let mut line = vec![(p + 1).to_string()];
            line.extend(plan.points[p].levels.iter().map(|l| l.text.clone()));
            for o in &plan.outputs {
                let found = rows
                    .iter()
                    .find(|r| r.point == p && r.metric == o.metric && r.group == o.group);
                line.push(found.map_or("–".into(), |r| with_interval(&r.stats)));
            }
            line
        })
        .collect();
    let numeric = (1..header.len()).collect();
    Block::Table {
        header,
        rows: lines,
        numeric_columns: numeric,
    }
}

fn table(header: &[&str], rows: Vec<Vec<String>>, numeric_columns: Vec<usize>) -> Block {
    Block::Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
        numeric_columns,
    }
}

fn point_lines(plan: &ExperimentPlan) -> Vec<String> {
    let shown = plan.points.iter().enumerate().take(50).map(|(i, p)| {
        let overrides = if p.overrides.is_empty() {
            "no overrides".to_string()
        } else {
            p.overrides.join(" ")
        };
        format!(
            "point {}: `{}` from {} with {}; {} steps",
            i + 1,
            p.label,
            p.source,
            overrides,
            p.steps
        )
    });
    let mut lines: Vec<String> = shown.collect();
    if plan.points.len() > 50 {
        lines.push(format!(
            "… and {} more points (all in plan.json)",
            plan.points.len() - 50
        ));
    }
    lines
}

/// The command as one shell line.
fn shell_line(command: &[String]) -> String {
    command
        .iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}
