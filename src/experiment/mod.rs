//! Experiments over many runs: statistics across replicates, comparisons of scenarios,
//! parameter sweeps and sensitivity analysis, and round-robin tournaments of the model's
//! strategies.
//!
//! Owns: what an experiment runs ([`plan`]: points, jobs, shards, from [`vary`]), how the
//! jobs' records are arranged ([`results`]) and analysed ([`compare`], [`sweep`],
//! [`indices`], [`statistics`], [`sampling`] and [`sensitivity`] for the mathematics), and
//! how a tournament is played and ranked.
//! Must never: run the model itself except through the engine, or write files (the
//! `batch` module runs experiments; `output::experiment` writes their folders).

pub mod compare;
pub mod indices;
pub mod plan;
pub mod results;
pub mod sampling;
pub mod sensitivity;
pub mod statistics;
pub mod sweep;
pub mod tournament;
pub mod vary;

use plan::Output;

/// A number for people: integers as such, large values without decimals, small ones with
/// three significant digits (0.123, 0.0123), zero as 0.
pub fn human_number(value: f64) -> String {
    if !value.is_finite() {
        return "undefined".into();
    }
    if value == 0.0 {
        return "0".into();
    }
    if value.fract() == 0.0 || value.abs() >= 100.0 {
        return format!("{value:.0}");
    }
    let digits = (2 - value.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let text = format!("{value:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// An output in words: `mean trust`, `trust toward (teacher>parent)`.
pub fn metric_words(output: &Output) -> String {
    let words = output.metric.replace('_', " ");
    if output.group == "all" {
        words
    } else {
        format!("{words} ({})", output.group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        for (value, text) in [
            (0.0, "0"),
            (0.12, "0.12"),
            (0.1234, "0.123"),
            (0.012345, "0.0123"),
            (-0.5, "-0.5"),
            (3.0, "3"),
            (12.345, "12.3"),
            (1234.4, "1234"),
            (f64::NAN, "undefined"),
        ] {
            assert_eq!(human_number(value), text, "{value}");
        }
    }
}
