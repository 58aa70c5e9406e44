//! The data files of an experiment: `compare.csv`, `sweep.csv`, `sweep_summary.csv`,
//! `sensitivity.csv`.
//!
//! Numbers use Rust's shortest round-trip formatting (read back bit for bit); an undefined
//! statistic is an empty field. Rows come in the order the analysis gives them, which
//! depends only on the plan and the jobs' records, so a merged run writes the same bytes as
//! an unsharded one.
//! Must never: compute statistics (the `experiment` module does).

use crate::experiment::compare::CompareRow;
use crate::experiment::indices::{Index, IndexRow};
use crate::experiment::plan::ExperimentPlan;
use crate::experiment::results::Results;
use crate::experiment::sweep::SummaryRow;
use crate::output::tables::{csv_field, describe_fields};
use std::io::{self, Write};

/// A statistic as a CSV field: empty when undefined (`None`, NaN or infinite).
fn optional(value: Option<f64>) -> String {
    value
        .filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn number(value: f64) -> String {
    optional(Some(value))
}

/// `compare.csv`: per metric, group and scenario, with the contrast to the baseline.
pub fn write_compare(
    out: &mut impl Write,
    plan: &ExperimentPlan,
    rows: &[CompareRow],
) -> io::Result<()> {
    writeln!(
        out,
        "metric,group,scenario,n,mean,sd,ci_low,ci_high,difference,difference_ci_low,difference_ci_high,cohens_d,welch_p,mann_whitney_p"
    )?;
    for row in rows {
        let c = row.contrast;
        write!(
            out,
            "{},{},{},{},",
            row.metric,
            csv_field(&row.group),
            csv_field(&plan.points[row.point].label),
            describe_fields(&row.stats),
        )?;
        writeln!(
            out,
            "{},{},{},{},{},{}",
            optional(c.map(|c| c.difference)),
            optional(c.and_then(|c| c.ci).map(|ci| ci.0)),
            optional(c.and_then(|c| c.ci).map(|ci| ci.1)),
            optional(c.and_then(|c| c.cohens_d)),
            optional(c.and_then(|c| c.welch_p)),
            optional(c.and_then(|c| c.mann_whitney_p)),
        )?;
    }
    Ok(())
}

/// The varied keys as CSV header fields.
fn key_header(plan: &ExperimentPlan) -> String {
    (plan.varied.iter())
        .map(|v| format!("{},", csv_field(&v.key)))
        .collect()
}

/// A point's values as CSV fields.
fn key_fields(plan: &ExperimentPlan, point: usize) -> String {
    (plan.points[point].levels.iter())
        .map(|l| format!("{},", csv_field(&l.text)))
        .collect()
}

/// `sweep.csv`: one row per point, replicate, metric and group (final step).
pub fn write_sweep(
    out: &mut impl Write,
    plan: &ExperimentPlan,
    results: &Results,
) -> io::Result<()> {
    writeln!(
        out,
        "point,{}replicate,metric,group,value",
        key_header(plan)
    )?;
    for point in 0..plan.points.len() {
        let keys = key_fields(plan, point);
        for replicate in 0..plan.replicates as usize {
            for finals in &results.finals {
                if let Some(value) = finals.values[point][replicate] {
                    writeln!(
                        out,
                        "{},{keys}{replicate},{},{},{value}",
                        point + 1,
                        finals.metric,
                        csv_field(&finals.group)
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// `sweep_summary.csv`: per point, metric and group over replicates.
pub fn write_sweep_summary(
    out: &mut impl Write,
    plan: &ExperimentPlan,
    rows: &[SummaryRow],
) -> io::Result<()> {
    writeln!(
        out,
        "point,{}metric,group,n,mean,sd,ci_low,ci_high",
        key_header(plan)
    )?;
    for row in rows {
        writeln!(
            out,
            "{},{}{},{},{}",
            row.point + 1,
            key_fields(plan, row.point),
            row.metric,
            csv_field(&row.group),
            describe_fields(&row.stats),
        )?;
    }
    Ok(())
}

/// `sensitivity.csv`: per output and key, Morris's (mu, mu_star, sigma) or Sobol's
/// (first, total with 95% bootstrap intervals).
pub fn write_sensitivity(out: &mut impl Write, rows: &[IndexRow]) -> io::Result<()> {
    let sobol = rows.iter().any(|r| matches!(r.index, Index::Sobol(_)));
    if sobol {
        writeln!(
            out,
            "metric,group,key,first,first_ci_low,first_ci_high,total,total_ci_low,total_ci_high"
        )?;
    } else {
        writeln!(out, "metric,group,key,mu,mu_star,sigma")?;
    }
    for row in rows {
        let lead = format!(
            "{},{},{}",
            row.output.metric,
            csv_field(&row.output.group),
            csv_field(&row.key)
        );
        match &row.index {
            Index::Morris(m) => writeln!(
                out,
                "{lead},{},{},{}",
                number(m.mu),
                number(m.mu_star),
                number(m.sigma)
            )?,
            Index::Sobol(s) => writeln!(
                out,
                "{lead},{},{},{},{},{},{}",
                number(s.first),
                number(s.first_ci.0),
                number(s.first_ci.1),
                number(s.total),
                number(s.total_ci.0),
                number(s.total_ci.1)
            )?,
        }
    }
    Ok(())
}
