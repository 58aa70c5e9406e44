//! Comparing scenarios: final values per scenario, and each scenario against the baseline.
//!
//! Owns: the rows of `compare.csv` (per final-step metric and group, per scenario: n, mean,
//! sd, 95% t-interval; and against the baseline: the difference of means with Welch's 95%
//! interval, Cohen's d, Welch's and Mann–Whitney's two-sided p-values) and the plain-language
//! sentences a report leads with.
//!
//! The tests treat replicates of two scenarios as independent samples, although the
//! scenarios share random numbers (replicate r of each uses the same seed): in this model runs
//! diverge within a few steps once a parameter differs, so the correlation is weak (see
//! docs/experiments.md for measured values) and a paired test would gain little.
//! Must never: read or write files.

use super::plan::{ExperimentPlan, Output};
use super::results::Results;
use super::statistics::{Describe, cohens_d, describe, mann_whitney, welch_test};
use super::{human_number, metric_words};

/// A scenario against the baseline for one metric and group.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Contrast {
    /// mean(scenario) − mean(baseline).
    pub difference: f64,
    /// Welch's 95% interval of the difference (`None`: fewer than 2 values, or no
    /// variation at all in either).
    pub ci: Option<(f64, f64)>,
    pub cohens_d: Option<f64>,
    pub welch_p: Option<f64>,
    pub mann_whitney_p: Option<f64>,
    /// Whether every replicate gave the baseline's value exactly (same seeds, no effect).
    pub identical: bool,
}

/// One line of `compare.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    pub metric: String,
    pub group: String,
    /// Index of the scenario in the plan's points.
    pub point: usize,
    pub stats: Describe,
    /// Against the baseline; `None` for the baseline itself, or when either lacks values.
    pub contrast: Option<Contrast>,
}

/// Every row of `compare.csv`, metric by metric (registry order), group by group, scenario
/// by scenario (in the order given).
pub fn compare_rows(plan: &ExperimentPlan, results: &Results) -> Vec<CompareRow> {
    let baseline = plan.baseline();
    let mut rows = Vec::new();
    for finals in &results.finals {
        let base = finals.of_point(baseline);
        for point in 0..plan.points.len() {
            let values = finals.of_point(point);
            if values.is_empty() {
                continue;
            }
            let contrast = (point != baseline && !base.is_empty()).then(|| {
                let identical = finals.values[point] == finals.values[baseline];
                Contrast {
                    identical,
                    ..contrast(&base, &values)
                }
            });
            rows.push(CompareRow {
                metric: finals.metric.clone(),
                group: finals.group.clone(),
                point,
                stats: describe(&values),
                contrast,
            });
        }
    }
    rows
}

/// `values` against `base` (`identical` when they are equal element by element).
pub fn contrast(base: &[f64], values: &[f64]) -> Contrast {
    let welch = welch_test(base, values);
    let difference = describe(values).mean - describe(base).mean;
    Contrast {
        difference,
        ci: welch.as_ref().map(|w| w.ci),
        cohens_d: cohens_d(base, values),
        welch_p: welch.map(|w| w.p_value),
        mann_whitney_p: mann_whitney(base, values).map(|m| m.p_value),
        identical: base == values,
    }
}

/// The lead sentences of a comparison: for each headline output and each scenario, what
/// it did to the output's final value relative to the baseline, e.g. "open_school raised
/// final mean trust by 0.12 (95% CI 0.09 to 0.15) over default."
pub fn sentences(plan: &ExperimentPlan, rows: &[CompareRow]) -> Vec<String> {
    let baseline = &plan.points[plan.baseline()].label;
    let mut sentences: Vec<String> = different_steps(plan).into_iter().collect();
    for output in &plan.outputs {
        if let Some(note) = not_recorded(plan, rows, output) {
            sentences.push(note);
        }
        for row in rows.iter().filter(|r| is_output(r, output)) {
            let Some(contrast) = row.contrast else {
                continue;
            };
            let label = &plan.points[row.point].label;
            sentences.push(sentence(label, baseline, output, &contrast));
        }
    }
    sentences
}

/// A warning when the scenarios ran different numbers of steps: their final values are
/// then taken at different times.
fn different_steps(plan: &ExperimentPlan) -> Option<String> {
    let first = plan.points.first()?.steps;
    if plan.points.iter().all(|p| p.steps == first) {
        return None;
    }
    let each: Vec<String> = (plan.points.iter())
        .map(|p| format!("{} {}", p.label, p.steps))
        .collect();
    Some(format!(
        "The scenarios ran different numbers of steps ({}), so their final values are from different times; give --steps N to compare them at the same step.",
        each.join(", ")
    ))
}

/// Says which scenarios never recorded `output` (a group that does not occur there, or a
/// misspelt group); `None` when every scenario did.
fn not_recorded(plan: &ExperimentPlan, rows: &[CompareRow], output: &Output) -> Option<String> {
    let missing: Vec<&str> = (0..plan.points.len())
        .filter(|&p| !rows.iter().any(|r| r.point == p && is_output(r, output)))
        .map(|p| plan.points[p].label.as_str())
        .collect();
    let words = metric_words(output);
    if missing.is_empty() {
        None
    } else if missing.len() == plan.points.len() {
        Some(format!(
            "Final {words} was not recorded in any scenario (is the group `{}` spelt as in compare.csv?).",
            output.group
        ))
    } else {
        Some(format!(
            "Final {words} was not recorded in {}, so it is not compared there.",
            missing.join(", ")
        ))
    }
}

fn is_output(row: &CompareRow, output: &Output) -> bool {
    row.metric == output.metric && row.group == output.group
}

fn sentence(label: &str, baseline: &str, output: &Output, c: &Contrast) -> String {
    let what = format!("final {}", metric_words(output));
    let size = human_number(c.difference.abs());
    if c.identical {
        return format!("{label} and {baseline} gave the same {what} in every replicate.");
    }
    match c.ci {
        Some((low, high)) if low > 0.0 || high < 0.0 => {
            let verb = if c.difference > 0.0 {
                "raised"
            } else {
                "lowered"
            };
            format!(
                "{label} {verb} {what} by {size} (95% CI {} to {}) over {baseline}.",
                human_number(low.abs().min(high.abs())),
                human_number(low.abs().max(high.abs())),
            )
        }
        Some((low, high)) => format!(
            "{label} made no clear difference to {what}: {} (95% CI {} to {}) against {baseline}.",
            signed(c.difference),
            signed(low),
            signed(high),
        ),
        None => format!(
            "{label} changed {what} by {} against {baseline} (too few replicates, or no variation, for an interval).",
            signed(c.difference)
        ),
    }
}

fn signed(value: f64) -> String {
    if value > 0.0 {
        format!("+{}", human_number(value))
    } else {
        human_number(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::plan::{Design, ExperimentKind, Point};
    use crate::experiment::results::FinalValues;

    fn plan() -> ExperimentPlan {
        let point = |label: &str| Point {
            label: label.into(),
            source: label.into(),
            overrides: Vec::new(),
            levels: Vec::new(),
            steps: 10,
            scenario: String::new(),
        };
        ExperimentPlan {
            kind: ExperimentKind::Compare,
            name: "c".into(),
            design: Design::Scenarios { baseline: 1 },
            replicates: 4,
            seed: 0,
            outputs: vec![Output {
                metric: "mean_trust".into(),
                group: "all".into(),
            }],
            varied: Vec::new(),
            points: vec![point("open"), point("default"), point("closed")],
        }
    }

    fn results(values: [[f64; 4]; 3]) -> Results {
        Results {
            finals: vec![FinalValues {
                metric: "mean_trust".into(),
                group: "all".into(),
                values: values
                    .iter()
                    .map(|v| v.iter().map(|&x| Some(x)).collect())
                    .collect(),
            }],
            series: Vec::new(),
        }
    }

    #[test]
    fn rows_compare_each_scenario_with_the_baseline() {
        let plan = plan();
        let results = results([
            [0.62, 0.64, 0.66, 0.68],
            [0.50, 0.52, 0.54, 0.56],
            [0.50, 0.53, 0.51, 0.56],
        ]);
        let rows = compare_rows(&plan, &results);
        assert_eq!(rows.len(), 3);
        assert!(rows[1].contrast.is_none(), "the baseline has no contrast");
        let open = rows[0].contrast.unwrap();
        assert!((open.difference - 0.12).abs() < 1e-12);
        // Equal spreads (sd 0.0258): d = 0.12 / 0.0258 = 4.648.
        assert!((open.cohens_d.unwrap() - 4.6476).abs() < 1e-3);
        // Complete separation of 4 vs 4: exact two-sided Mann–Whitney p = 2/70.
        assert!((open.mann_whitney_p.unwrap() - 2.0 / 70.0).abs() < 1e-12);
        let lines = sentences(&plan, &rows);
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with("open raised final mean trust by 0.12 (95% CI 0.0"),
            "{}",
            lines[0]
        );
        assert!(lines[0].ends_with("over default."), "{}", lines[0]);
        assert!(
            lines[1].starts_with("closed made no clear difference"),
            "{}",
            lines[1]
        );
    }

    #[test]
    fn missing_outputs_and_different_steps_are_said() {
        let mut plan = plan();
        plan.points[2].steps = 5;
        plan.outputs.push(Output {
            metric: "ties".into(),
            group: "nobody".into(),
        });
        let mut results = results([[0.5; 4], [0.5; 4], [0.5; 4]]);
        results.finals[0].values[0] = vec![None; 4];
        let rows = compare_rows(&plan, &results);
        let lines = sentences(&plan, &rows);
        assert_eq!(
            lines[0],
            "The scenarios ran different numbers of steps (open 10, default 10, closed 5), so their final values are from different times; give --steps N to compare them at the same step."
        );
        assert_eq!(
            lines[1],
            "Final mean trust was not recorded in open, so it is not compared there."
        );
        assert!(
            lines[3].starts_with("Final ties (nobody) was not recorded in any scenario"),
            "{lines:?}"
        );
        assert_eq!(lines.len(), 4, "{lines:?}");
    }

    #[test]
    fn identical_scenarios_are_said_to_agree() {
        let plan = plan();
        let same = [0.5, 0.5, 0.5, 0.5];
        let rows = compare_rows(&plan, &results([same, same, same]));
        let c = rows[0].contrast.unwrap();
        assert_eq!((c.difference, c.ci, c.welch_p), (0.0, None, None));
        let lines = sentences(&plan, &rows);
        assert_eq!(
            lines[0],
            "open and default gave the same final mean trust in every replicate."
        );
    }
}
