//! The figures of an experiment, chosen by its kind and design.
//!
//! Owns: which charts an experiment draws and what they show:
//! - compare: each headline output over time, one band (95% interval over replicates) per
//!   scenario; and its final value per scenario as bars with intervals;
//! - sweep over one key: each headline output's final value against the key, with bands
//!   (bars when the values are names); over two keys (a grid): a heatmap of the mean; a Latin
//!   hypercube or more keys: the point means against each key;
//! - sensitivity: per output, the keys' indices as bars (Morris μ* and σ; Sobol first-order
//!   and total with bootstrap intervals).
//!
//! Must never: compute statistics beyond the mean and interval a chart shows.

use super::folder::{ExperimentFolder, FolderError};
use super::report::Analysis;
use crate::experiment::indices::{Index, point_means};
use crate::experiment::metric_words;
use crate::experiment::plan::{Design, ExperimentPlan, Output};
use crate::experiment::results::Results;
use crate::experiment::statistics::{Describe, describe};
use crate::experiment::vary::Level;
use crate::output::OutputError;
use crate::output::charts::{
    BandPoint, BandSeries, BarSeries, BarValue, ChartError, ScatterSeries,
    bar_chart_with_intervals, heatmap, line_chart_with_bands, scatter_chart,
};

/// A figure written as `<stem>.png` and `<stem>.svg`.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Relative to the folder, e.g. `plots/mean_trust`.
    pub stem: String,
    pub caption: String,
}

/// Draws every figure of the experiment into `plots/`.
pub fn draw(
    folder: &ExperimentFolder,
    plan: &ExperimentPlan,
    results: &Results,
    analysis: &Analysis,
) -> Result<Vec<Figure>, FolderError> {
    folder.subfolder("plots")?;
    let mut figures = Vec::new();
    for (o, output) in plan.outputs.iter().enumerate() {
        let slug = slug(output);
        let words = metric_words(output);
        let mut chart =
            |stem: String,
             caption: String,
             draw: &dyn Fn(&std::path::Path) -> Result<(), ChartError>| {
                draw(&folder.path().join(&stem))
                    .map_err(|e| FolderError::Write(OutputError::Chart(e)))?;
                figures.push(Figure { stem, caption });
                Ok::<(), FolderError>(())
            };
        match analysis {
            Analysis::Compare { .. } => {
                let series = compare_series(plan, results, o);
                let caption = format!(
                    "{words} over time: mean of each scenario with its 95% interval over replicates"
                );
                chart(format!("plots/{slug}"), caption, &|stem| {
                    line_chart_with_bands(
                        stem,
                        &format!("{words} by scenario"),
                        "step",
                        &words,
                        &series,
                        None,
                    )
                })?;
                let bars = final_bars(plan, results, output);
                let labels: Vec<String> = plan.points.iter().map(|p| p.label.clone()).collect();
                let caption = format!("final {words} per scenario (mean, 95% interval)");
                chart(format!("plots/final_{slug}"), caption, &|stem| {
                    bar_chart_with_intervals(
                        stem,
                        &format!("final {words}"),
                        &labels,
                        &words,
                        &bars,
                    )
                })?;
            }
            Analysis::Sweep { .. } => sweep_figure(plan, results, output, &mut chart)?,
            Analysis::Sensitivity { rows, .. } => {
                let of_output: Vec<_> = rows.iter().filter(|r| r.output == *output).collect();
                if of_output.is_empty() {
                    continue;
                }
                let keys: Vec<String> = of_output.iter().map(|r| r.key.clone()).collect();
                let series = index_bars(
                    &of_output
                        .iter()
                        .map(|r| r.index.clone())
                        .collect::<Vec<_>>(),
                );
                let (title, caption) = match plan.design {
                    Design::Morris { .. } => (
                        format!("Morris: influence on final {words}"),
                        format!(
                            "Morris μ* (mean absolute effect over each key's range) and σ (spread: interactions or non-linearity) for final {words}"
                        ),
                    ),
                    _ => (
                        format!("Sobol indices of final {words}"),
                        format!(
                            "Sobol first-order and total indices of final {words}, with 95% bootstrap intervals"
                        ),
                    ),
                };
                chart(format!("plots/sensitivity_{slug}"), caption, &|stem| {
                    bar_chart_with_intervals(stem, &title, &keys, "index", &series)
                })?;
            }
        }
    }
    Ok(figures)
}

type Chart<'a> = dyn FnMut(
        String,
        String,
        &dyn Fn(&std::path::Path) -> Result<(), ChartError>,
    ) -> Result<(), FolderError>
    + 'a;

fn sweep_figure(
    plan: &ExperimentPlan,
    results: &Results,
    output: &Output,
    chart: &mut Chart,
) -> Result<(), FolderError> {
    let slug = slug(output);
    let words = metric_words(output);
    let finals = results.final_values(&output.metric, &output.group);
    let stats: Vec<Option<Describe>> = (0..plan.points.len())
        .map(|p| {
            finals
                .map(|f| f.of_point(p))
                .filter(|v| !v.is_empty())
                .map(|v| describe(&v))
        })
        .collect();
    let numeric = |key: usize| plan.points.iter().all(|p| p.levels[key].number.is_some());
    match (&plan.design, plan.varied.len()) {
        (Design::Grid, 1) if numeric(0) => {
            let key = &plan.varied[0].key;
            let points = (plan.points.iter().zip(&stats))
                .filter_map(|(p, s)| s.map(|s| band_point(p.levels[0].number.unwrap_or(0.0), &s)))
                .collect();
            let series = [BandSeries {
                label: words.clone(),
                points,
            }];
            chart(
                format!("plots/{slug}"),
                format!("final {words} against {key}: mean and 95% interval over replicates"),
                &|stem| {
                    line_chart_with_bands(
                        stem,
                        &format!("final {words}"),
                        key,
                        &words,
                        &series,
                        None,
                    )
                },
            )
        }
        (Design::Grid, 1) => {
            let key = &plan.varied[0].key;
            let labels: Vec<String> = plan
                .points
                .iter()
                .map(|p| p.levels[0].text.clone())
                .collect();
            let bars = [BarSeries {
                label: words.clone(),
                values: stats.iter().map(bar_value).collect(),
            }];
            chart(
                format!("plots/{slug}"),
                format!("final {words} for each value of {key} (mean, 95% interval)"),
                &|stem| {
                    bar_chart_with_intervals(
                        stem,
                        &format!("final {words}"),
                        &labels,
                        &words,
                        &bars,
                    )
                },
            )
        }
        (Design::Grid, 2) => {
            let (rows, cols) = (
                plan.varied[1].levels().unwrap_or(&[]),
                plan.varied[0].levels().unwrap_or(&[]),
            );
            let texts =
                |levels: &[Level]| levels.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
            // Points are ordered first key slowest: point = col * rows + row.
            let values: Vec<Vec<Option<f64>>> = (0..rows.len())
                .map(|r| {
                    (0..cols.len())
                        .map(|c| stats[c * rows.len() + r].map(|s| s.mean))
                        .collect()
                })
                .collect();
            let range = value_range(values.iter().flatten().flatten().copied());
            let title = format!(
                "final {words}: {} (columns) × {} (rows)",
                plan.varied[0].key, plan.varied[1].key
            );
            chart(
                format!("plots/{slug}"),
                format!(
                    "mean final {words} at each combination of {} and {}",
                    plan.varied[0].key, plan.varied[1].key
                ),
                &|stem| {
                    heatmap(
                        stem,
                        &title,
                        &texts(rows),
                        &texts(cols),
                        &values,
                        range,
                        &words,
                    )
                },
            )
        }
        _ => {
            let Some(means) = point_means(plan, results, output) else {
                return Ok(());
            };
            for (k, vary) in plan.varied.iter().enumerate() {
                let points = (plan.points.iter().zip(&means))
                    .map(|(p, &y)| (level_x(vary, &p.levels[k]), y))
                    .collect();
                let series = [ScatterSeries {
                    label: words.clone(),
                    points,
                }];
                let key = &vary.key;
                chart(
                    format!("plots/{slug}_vs_{}", slug_text(key)),
                    format!("final {words} (mean over replicates) at each point against {key}"),
                    &|stem| {
                        scatter_chart(
                            stem,
                            &format!("final {words} against {key}"),
                            key,
                            &words,
                            &series,
                        )
                    },
                )?;
            }
            Ok(())
        }
    }
}

/// A level's position on an axis: its number, else its place in the key's list.
fn level_x(vary: &crate::experiment::vary::Vary, level: &Level) -> f64 {
    level.number.unwrap_or_else(|| {
        (vary.levels().unwrap_or(&[]).iter())
            .position(|l| l == level)
            .unwrap_or(0) as f64
    })
}

fn compare_series(plan: &ExperimentPlan, results: &Results, output: usize) -> Vec<BandSeries> {
    (plan.points.iter().zip(&results.series[output]))
        .map(|(point, series)| BandSeries {
            label: point.label.clone(),
            points: series
                .iter()
                .map(|(step, values)| band_point(*step as f64, &describe(values)))
                .collect(),
        })
        .collect()
}

fn final_bars(plan: &ExperimentPlan, results: &Results, output: &Output) -> Vec<BarSeries> {
    let finals = results.final_values(&output.metric, &output.group);
    let values = (0..plan.points.len())
        .map(|p| {
            bar_value(
                &finals
                    .map(|f| f.of_point(p))
                    .filter(|v| !v.is_empty())
                    .map(|v| describe(&v)),
            )
        })
        .collect();
    vec![BarSeries {
        label: "mean over replicates".into(),
        values,
    }]
}

/// Bars of a sensitivity index: part 0 is μ* (Morris) or first-order (Sobol), part 1 σ or total.
fn index_value(index: &Index, part: usize) -> BarValue {
    let (value, interval) = match (index, part) {
        (Index::Morris(m), 0) => (m.mu_star, None),
        (Index::Morris(m), _) => (m.sigma, None),
        (Index::Sobol(s), 0) => (s.first, Some(s.first_ci)),
        (Index::Sobol(s), _) => (s.total, Some(s.total_ci)),
    };
    BarValue { value, interval }
}

fn index_bars(indices: &[Index]) -> Vec<BarSeries> {
    let labels = match indices.first() {
        Some(Index::Morris(_)) => ["μ*", "σ"],
        _ => ["first-order", "total"],
    };
    (labels.iter().enumerate())
        .map(|(part, label)| BarSeries {
            label: label.to_string(),
            values: indices.iter().map(|i| index_value(i, part)).collect(),
        })
        .collect()
}

fn band_point(x: f64, stats: &Describe) -> BandPoint {
    let (low, high) = stats.ci.unwrap_or((stats.mean, stats.mean));
    BandPoint {
        x,
        mean: stats.mean,
        low,
        high,
    }
}

fn bar_value(stats: &Option<Describe>) -> BarValue {
    match stats {
        Some(s) => BarValue {
            value: s.mean,
            interval: s.ci,
        },
        None => BarValue {
            value: f64::NAN,
            interval: None,
        },
    }
}

/// A colour scale's range: the values' span, widened when they are all equal.
fn value_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    if !low.is_finite() {
        (0.0, 1.0)
    } else if low == high {
        (low - 0.5, high + 0.5)
    } else {
        (low, high)
    }
}

/// A file name for an output: `mean_trust`, `trust_toward-teacher_parent`.
pub fn slug(output: &Output) -> String {
    if output.group == "all" {
        slug_text(&output.metric)
    } else {
        format!("{}-{}", slug_text(&output.metric), slug_text(&output.group))
    }
}

fn slug_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
