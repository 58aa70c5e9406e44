//! The tidy data files: `timeseries.csv`, `summary.csv`, and for an imported network
//! `imported_ids.csv`.
//!
//! Numbers are written with Rust's shortest round-trip formatting, so a value read back
//! is bit-identical, and the same run gives the same bytes.

use crate::experiment::statistics::Summary;
use crate::observe::{METRICS, Row};
use std::io::{self, Write};

/// Header of `timeseries.csv`.
pub const TIMESERIES_HEADER: &str = "replicate,step,metric,group,value";
/// Header of `summary.csv`.
pub const SUMMARY_HEADER: &str = "step,metric,group,n,mean,sd,ci_low,ci_high";

/// A CSV field, quoted when it holds a comma, quote or line break.
pub fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

/// Header of `imported_ids.csv`.
pub const IMPORTED_IDS_HEADER: &str = "node,id,role";

/// Writes which agent each node of an imported file became: `node` is the agent's id in
/// the GraphML snapshots (`n<agent>`), `id` the file's own id, `role` its role. Agents who
/// arrive during the run have no file id and are not listed.
pub fn write_imported_ids(
    out: &mut impl Write,
    imported: &crate::scenario::import::ImportedNetwork,
) -> io::Result<()> {
    writeln!(out, "{IMPORTED_IDS_HEADER}")?;
    let roles =
        (imported.counts.iter()).flat_map(|&(role, n)| std::iter::repeat_n(role, n as usize));
    for (agent, (id, role)) in imported.ids.iter().zip(roles).enumerate() {
        writeln!(out, "n{agent},{},{role}", csv_field(id))?;
    }
    Ok(())
}

/// Writes every replicate's rows, replicate by replicate, in recording order.
pub fn write_timeseries<'a>(
    out: &mut impl Write,
    replicates: impl IntoIterator<Item = (u32, &'a [Row])>,
) -> io::Result<()> {
    writeln!(out, "{TIMESERIES_HEADER}")?;
    for (replicate, rows) in replicates {
        for row in rows {
            writeln!(
                out,
                "{replicate},{},{},{},{}",
                row.step,
                METRICS[row.metric as usize].name,
                csv_field(&row.group),
                row.value
            )?;
        }
    }
    Ok(())
}

/// `n,mean,sd,ci_low,ci_high` of `stats` as CSV fields; undefined ones (sd and interval of a
/// single value) empty.
pub fn describe_fields(stats: &crate::experiment::statistics::Describe) -> String {
    let optional = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    format!(
        "{},{},{},{},{}",
        stats.n,
        stats.mean,
        optional(stats.sd),
        optional(stats.ci.map(|c| c.0)),
        optional(stats.ci.map(|c| c.1)),
    )
}

/// Writes the summary; undefined statistics (sd and interval of a single value) are empty.
pub fn write_summary(out: &mut impl Write, summary: &Summary) -> io::Result<()> {
    writeln!(out, "{SUMMARY_HEADER}")?;
    for row in &summary.rows {
        let stats = &row.stats;
        writeln!(
            out,
            "{},{},{},{}",
            row.step,
            row.metric_name(),
            csv_field(&row.group),
            describe_fields(stats),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("teacher~parent"), "teacher~parent");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn timeseries_round_trips_floats() {
        let rows = vec![Row {
            step: 3,
            metric: 0,
            group: "all".into(),
            value: 0.1 + 0.2,
        }];
        let mut out = Vec::new();
        write_timeseries(&mut out, [(7, rows.as_slice())]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert_eq!(
            line,
            format!("7,3,{},all,0.30000000000000004", METRICS[0].name)
        );
        let value: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
        assert_eq!(value, 0.1 + 0.2);
    }
}
