//! Sweeps: final values summarised per point, and the sentences a report leads with.
//!
//! Owns: the rows of `sweep_summary.csv` (per point, metric and group: n, mean, sd, 95%
//! t-interval over replicates) and plain-language sentences about where each headline
//! output was highest and lowest.
//! Must never: read or write files.

use super::plan::ExperimentPlan;
use super::results::Results;
use super::statistics::{Describe, describe};
use super::{human_number, metric_words};

/// One line of `sweep_summary.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    pub point: usize,
    pub metric: String,
    pub group: String,
    pub stats: Describe,
}

/// Every summary row: point by point, then metric (registry order) and group.
pub fn summary_rows(plan: &ExperimentPlan, results: &Results) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for point in 0..plan.points.len() {
        for finals in &results.finals {
            let values = finals.of_point(point);
            if !values.is_empty() {
                rows.push(SummaryRow {
                    point,
                    metric: finals.metric.clone(),
                    group: finals.group.clone(),
                    stats: describe(&values),
                });
            }
        }
    }
    rows
}

/// For each headline output: the points where its mean final value was lowest and highest.
pub fn sentences(plan: &ExperimentPlan, rows: &[SummaryRow]) -> Vec<String> {
    let mut sentences = Vec::new();
    for output in &plan.outputs {
        let of_output: Vec<&SummaryRow> = rows
            .iter()
            .filter(|r| r.metric == output.metric && r.group == output.group)
            .collect();
        let lowest = of_output
            .iter()
            .min_by(|a, b| a.stats.mean.total_cmp(&b.stats.mean));
        let highest = of_output
            .iter()
            .max_by(|a, b| a.stats.mean.total_cmp(&b.stats.mean));
        let (Some(low), Some(high)) = (lowest, highest) else {
            sentences.push(format!(
                "Final {} was not recorded at any point.",
                metric_words(output)
            ));
            continue;
        };
        let words = metric_words(output);
        if low.stats.mean == high.stats.mean {
            sentences.push(format!(
                "Final {words}: {} at every point.",
                human_number(low.stats.mean)
            ));
            continue;
        }
        sentences.push(format!(
            "Final {words} ranged from {}{} at {} to {}{} at {}.",
            human_number(low.stats.mean),
            interval(&low.stats),
            plan.points[low.point].label,
            human_number(high.stats.mean),
            interval(&high.stats),
            plan.points[high.point].label,
        ));
    }
    sentences
}

fn interval(stats: &Describe) -> String {
    stats.ci.map_or_else(String::new, |(low, high)| {
        format!(" (95% CI {} to {})", human_number(low), human_number(high))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::plan::{Design, ExperimentKind, Output, Point};
    use crate::experiment::results::FinalValues;

    #[test]
    fn summary_and_sentences_name_the_extreme_points() {
        let point = |label: &str| Point {
            label: label.into(),
            source: "default".into(),
            overrides: Vec::new(),
            levels: Vec::new(),
            steps: 5,
            scenario: String::new(),
        };
        let plan = ExperimentPlan {
            kind: ExperimentKind::Sweep,
            name: "s".into(),
            design: Design::Grid,
            replicates: 2,
            seed: 0,
            outputs: vec![Output {
                metric: "ties".into(),
                group: "all".into(),
            }],
            varied: Vec::new(),
            points: vec![point("x=0"), point("x=1"), point("x=2")],
        };
        let results = Results {
            finals: vec![FinalValues {
                metric: "ties".into(),
                group: "all".into(),
                values: vec![
                    vec![Some(10.0), Some(12.0)],
                    vec![Some(20.0), None],
                    vec![Some(4.0), Some(6.0)],
                ],
            }],
            series: Vec::new(),
        };
        let rows = summary_rows(&plan, &results);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[1].stats.n, rows[1].stats.mean), (1, 20.0));
        let lines = sentences(&plan, &rows);
        assert!(
            lines[0].starts_with("Final ties ranged from 5 (95% CI "),
            "{}",
            lines[0]
        );
        assert!(lines[0].ends_with("at x=2 to 20 at x=1."), "{}", lines[0]);
    }
}
