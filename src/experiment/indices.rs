//! Sensitivity indices of an experiment's outputs: the glue between a plan's points and the
//! estimators in [`super::sensitivity`].
//!
//! Owns: which number each point contributes (the mean over replicates of a headline
//! output's final value), the rows of `sensitivity.csv`, and the sentences a report leads
//! with. Inputs are scaled to [0, 1] over each key's range, so Morris effects are in output
//! units per whole range of a key, comparable across keys.
//! Must never: read or write files.

use super::human_number;
use super::metric_words;
use super::plan::{Design, ExperimentPlan, Output};
use super::results::Results;
use super::sampling::morris_design;
use super::sensitivity::{MorrisIndex, SobolIndex, morris_indices, sobol_indices};

/// Bootstrap resamples behind the Sobol intervals.
pub const BOOTSTRAP_RESAMPLES: usize = 1000;

/// The indices of one key for one output.
#[derive(Clone, Debug, PartialEq)]
pub enum Index {
    Morris(MorrisIndex),
    Sobol(SobolIndex),
}

/// One line of `sensitivity.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexRow {
    pub output: Output,
    pub key: String,
    pub index: Index,
}

/// Indices for every headline output, and a note for each output that has none (not
/// recorded at some point, or constant).
pub fn index_rows(plan: &ExperimentPlan, results: &Results) -> (Vec<IndexRow>, Vec<String>) {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for output in &plan.outputs {
        let Some(outputs) = point_means(plan, results, output) else {
            notes.push(format!(
                "Final {} was not recorded at every point; it has no indices.",
                metric_words(output)
            ));
            continue;
        };
        let indices: Option<Vec<Index>> = match plan.design {
            Design::Morris {
                trajectories,
                levels,
            } => {
                let design = morris_design(trajectories, plan.varied.len(), levels, plan.seed);
                let found = morris_indices(&design, &outputs);
                Some(found.into_iter().map(Index::Morris).collect())
            }
            Design::Sobol { samples } => {
                let dims = plan.varied.len();
                sobol_indices(&outputs, samples, dims, BOOTSTRAP_RESAMPLES, plan.seed)
                    .map(|found| found.into_iter().map(Index::Sobol).collect())
            }
            _ => None,
        };
        let Some(indices) = indices else {
            notes.push(format!(
                "Final {} did not vary across the points; every index is zero.",
                metric_words(output)
            ));
            continue;
        };
        for (vary, index) in plan.varied.iter().zip(indices) {
            rows.push(IndexRow {
                output: output.clone(),
                key: vary.key.clone(),
                index,
            });
        }
    }
    (rows, notes)
}

/// The mean final value of `output` at each point, or `None` if some point lacks it.
pub fn point_means(plan: &ExperimentPlan, results: &Results, output: &Output) -> Option<Vec<f64>> {
    let finals = results.final_values(&output.metric, &output.group)?;
    (0..plan.points.len())
        .map(|point| {
            let values = finals.of_point(point);
            (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
        })
        .collect()
}

/// Per output, the keys in order of influence.
pub fn sentences(plan: &ExperimentPlan, rows: &[IndexRow]) -> Vec<String> {
    let mut sentences = Vec::new();
    for output in &plan.outputs {
        let mut of_output: Vec<&IndexRow> = rows.iter().filter(|r| r.output == *output).collect();
        if of_output.is_empty() {
            continue;
        }
        of_output.sort_by(|a, b| strength(b).total_cmp(&strength(a)));
        let words = metric_words(output);
        let sentence = match &of_output[0].index {
            Index::Morris(_) => {
                let ranked: Vec<String> = (of_output.iter())
                    .map(|r| format!("{} (μ* {})", r.key, human_number(strength(r))))
                    .collect();
                format!(
                    "For final {words}, the keys in order of influence (mean absolute elementary effect over each key's whole range): {}.",
                    ranked.join(", ")
                )
            }
            Index::Sobol(top) => format!(
                "For final {words}, {} matters most: alone it explains {} of the variance (first-order index {}, 95% CI {} to {}), with its interactions {} (total index {}).",
                of_output[0].key,
                percent(top.first),
                human_number(top.first),
                human_number(top.first_ci.0),
                human_number(top.first_ci.1),
                percent(top.total),
                human_number(top.total),
            ),
        };
        sentences.push(sentence);
    }
    sentences
}

/// The number keys are ranked by: μ* (Morris) or the total index (Sobol).
fn strength(row: &IndexRow) -> f64 {
    match &row.index {
        Index::Morris(m) => m.mu_star,
        Index::Sobol(s) => s.total,
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", (share * 100.0).clamp(0.0, 100.0))
}
