//! Building plans: loading and checking every point of a comparison, a sweep or a
//! sensitivity analysis before anything runs.

use super::{
    Common, Design, ExperimentKind, ExperimentPlan, MAX_JOBS, MAX_POINTS, PlanError, Point,
};
use crate::experiment::sampling::{latin_hypercube, morris_design, saltelli_design};
use crate::experiment::vary::{Level, Vary, VaryValues};
use crate::scenario;
use rayon::prelude::*;

/// Loads one point's scenario and records it.
fn load_point(
    source: &str,
    overrides: Vec<String>,
    levels: Vec<Level>,
    label: String,
    context: impl FnOnce() -> String,
) -> Result<(Point, scenario::Scenario), PlanError> {
    let loaded =
        scenario::load(Some(source), &overrides).map_err(|source| PlanError::Scenario {
            context: context(),
            source,
        })?;
    let point = Point {
        label,
        source: source.to_string(),
        overrides,
        levels,
        steps: loaded.scenario.run.steps,
        scenario: loaded.scenario.to_toml(),
    };
    Ok((point, loaded.scenario))
}

/// A comparison of `scenarios` (files or preset names), replicate r of each with the same
/// seed: `--seed`, else the baseline's `run.seed`; replicates: `--replicates`, else the
/// baseline's. `baseline` names a scenario by its label or as given (default: the first).
pub fn compare(
    scenarios: &[String],
    baseline: Option<&str>,
    common: &Common,
) -> Result<ExperimentPlan, PlanError> {
    if scenarios.len() < 2 {
        return Err(PlanError::Argument(
            "compare needs at least two scenarios, e.g. gotong compare default open_school".into(),
        ));
    }
    let (outputs, asked) = (common.outputs()?, !common.metrics.is_empty());
    let first = common.overrides_with(common.seed, &[]);
    let mut loaded = Vec::new();
    for source in scenarios {
        let (point, scenario) =
            load_point(source, first.clone(), Vec::new(), String::new(), || {
                format!("scenario {source}")
            })?;
        recorded(&outputs, asked, &scenario, &format!("scenario {source}"))?;
        loaded.push((point, scenario));
    }
    let labels = unique_labels(
        &loaded
            .iter()
            .map(|(_, s)| s.run.name.clone())
            .collect::<Vec<_>>(),
    );
    let baseline = match baseline {
        None => 0,
        Some(name) => (0..scenarios.len())
            .find(|&i| labels[i] == name || same_source(&scenarios[i], name))
            .ok_or_else(|| {
                PlanError::Argument(format!(
                    "--baseline {name}: not one of the scenarios compared ({}; as given: {})",
                    labels.join(", "),
                    scenarios.join(", ")
                ))
            })?,
    };
    let seed = common.seed.unwrap_or(loaded[baseline].1.run.seed);
    let replicates = common
        .replicates
        .unwrap_or(loaded[baseline].1.run.replicates);
    let common = Common {
        replicates: Some(replicates),
        ..common.clone()
    };
    let mut points = Vec::new();
    for (i, source) in scenarios.iter().enumerate() {
        let overrides = common.overrides_with(Some(seed), &[]);
        let (point, _) = load_point(source, overrides, Vec::new(), labels[i].clone(), || {
            format!("scenario {source}")
        })?;
        points.push(point);
    }
    Ok(ExperimentPlan {
        kind: ExperimentKind::Compare,
        name: format!("compare-{}", labels.join("-vs-")),
        design: Design::Scenarios { baseline },
        replicates,
        seed,
        outputs,
        varied: Vec::new(),
        points,
    })
}

/// Refuses outputs whose metric `scenario` does not record (`run.metrics`). `asked` says
/// whether the outputs came from `--metric` (else they are the default outputs).
fn recorded(
    outputs: &[super::Output],
    asked: bool,
    scenario: &scenario::Scenario,
    source: &str,
) -> Result<(), PlanError> {
    let Some(listed) = &scenario.run.metrics else {
        return Ok(());
    };
    let Some(output) = outputs.iter().find(|o| !listed.contains(&o.metric)) else {
        return Ok(());
    };
    let (metric, example) = (&output.metric, &listed[0]);
    let listed = listed.join(", ");
    let message = if asked {
        format!(
            "--metric {metric}: {source} records only {listed} (run.metrics); add it there or \
             choose one of those"
        )
    } else {
        format!(
            "{source} records only {listed} (run.metrics), and the experiment's default outputs \
             include {metric}: name what to compare with --metric, e.g. --metric {example}"
        )
    };
    Err(PlanError::Argument(message))
}

/// Whether `given` names the scenario `source`: as typed, or as another path to the same file
/// (`./a.toml`, `/home/me/a.toml`).
fn same_source(source: &str, given: &str) -> bool {
    if source == given {
        return true;
    }
    let real = |text: &str| std::fs::canonicalize(text).ok();
    matches!((real(source), real(given)), (Some(a), Some(b)) if a == b)
}

/// Labels that tell scenarios apart: their names, with `#2`, `#3` added to repeats.
fn unique_labels(names: &[String]) -> Vec<String> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let before = names[..i].iter().filter(|n| *n == name).count();
            if before == 0 {
                name.clone()
            } else {
                format!("{name}#{}", before + 1)
            }
        })
        .collect()
}

/// Points of `scenario` at the given values of the varied keys (one row of levels each),
/// checked up front: a value the scenario refuses names its point and key before anything runs.
pub fn points_at(
    kind: ExperimentKind,
    name_suffix: &str,
    scenario: &str,
    varied: Vec<Vary>,
    design: Design,
    rows: Vec<Vec<Level>>,
    common: &Common,
) -> Result<ExperimentPlan, PlanError> {
    let (outputs, asked) = (common.outputs()?, !common.metrics.is_empty());
    if varied.is_empty() {
        return Err(PlanError::Argument(format!(
            "{} needs at least one --vary KEY=..., e.g. --vary policy.transparency=0:1:5",
            kind.name()
        )));
    }
    for (i, vary) in varied.iter().enumerate() {
        if varied[..i].iter().any(|v| v.key == vary.key) {
            return Err(PlanError::Argument(format!(
                "--vary {}: the key is varied twice",
                vary.key
            )));
        }
    }
    if common.steps.is_some() && varied.iter().any(|v| v.key.replace('"', "") == "run.steps") {
        return Err(PlanError::Argument(
            "--vary run.steps and --steps both set the steps; drop --steps".into(),
        ));
    }
    if let Some(vary) = varied.iter().find(|v| fixed_per_experiment(&v.key)) {
        return Err(PlanError::Argument(format!(
            "--vary {}: every point of an experiment runs the same replicates with the same \
             seed (common random numbers); give --seed N or --replicates N instead, or compare \
             seeds with separate experiments",
            vary.key
        )));
    }
    let base = load_point(
        scenario,
        common.overrides_with(common.seed, &[]),
        Vec::new(),
        String::new(),
        || format!("scenario {scenario}"),
    )?
    .1;
    recorded(&outputs, asked, &base, &format!("scenario {scenario}"))?;
    let seed = common.seed.unwrap_or(base.run.seed);
    let replicates = common.replicates.unwrap_or(base.run.replicates);
    // Checked before any point is loaded: loading costs milliseconds a point.
    if rows.len() > MAX_POINTS {
        return Err(PlanError::Argument(format!(
            "{} points is more than {MAX_POINTS}; use fewer values or --lhs N, or split the experiment into several",
            rows.len()
        )));
    }
    if rows.len().saturating_mul(replicates as usize) > MAX_JOBS {
        return Err(PlanError::Argument(format!(
            "{} points × {replicates} replicates is more than {MAX_JOBS} jobs; use fewer values, --lhs N or --replicates N",
            rows.len()
        )));
    }
    let common = Common {
        replicates: Some(replicates),
        ..common.clone()
    };
    // Loading a point takes milliseconds; many points load in parallel, and the first
    // failing point in order is the one reported, whatever the thread count.
    let loaded: Vec<Result<Point, PlanError>> = (rows.into_par_iter().enumerate())
        .map(|(index, levels)| {
            let assignments: Vec<String> = (varied.iter().zip(&levels))
                .map(|(vary, level)| vary.assignment(level))
                .collect();
            let label = assignments.join(", ");
            let overrides = common.overrides_with(Some(seed), &assignments);
            let context = || format!("point {} ({label})", index + 1);
            let (point, loaded) = load_point(scenario, overrides, levels, label.clone(), context)?;
            // A point may record other metrics than the base (`--vary run.metrics`).
            recorded(&outputs, asked, &loaded, &context())?;
            Ok(point)
        })
        .collect();
    let points = loaded
        .into_iter()
        .collect::<Result<Vec<Point>, PlanError>>()?;
    if points.len() * replicates as usize > MAX_JOBS {
        return Err(PlanError::Argument(format!(
            "{} points × {replicates} replicates is more than {MAX_JOBS} jobs",
            points.len()
        )));
    }
    Ok(ExperimentPlan {
        kind,
        name: format!("{}-{}", base.run.name, name_suffix),
        design,
        replicates,
        seed,
        outputs,
        varied,
        points,
    })
}

/// Whether `key` is a run setting the plan fixes for every point (`run.seed`,
/// `run.replicates`), however it is quoted.
fn fixed_per_experiment(key: &str) -> bool {
    let bare: String = key
        .chars()
        .filter(|c| !matches!(c, '"' | '\'' | ' '))
        .collect();
    matches!(bare.as_str(), "run.seed" | "run.replicates")
}

/// The full grid of the varied keys' lists, first key slowest.
pub fn grid_rows(varied: &[Vary]) -> Result<Vec<Vec<Level>>, PlanError> {
    let mut rows: Vec<Vec<Level>> = vec![Vec::new()];
    for vary in varied {
        let Some(levels) = vary.levels() else {
            return Err(PlanError::Argument(format!(
                "--vary {vary}: a range MIN:MAX needs --lhs N (a Latin hypercube of N points); for a grid give START:STOP:COUNT"
            )));
        };
        if rows.len().saturating_mul(levels.len()) > MAX_JOBS {
            return Err(PlanError::Argument(format!(
                "the grid would have more than {MAX_JOBS} points; use fewer values or --lhs N"
            )));
        }
        rows = rows
            .into_iter()
            .flat_map(|row| {
                levels.iter().map(move |level| {
                    let mut next = row.clone();
                    next.push(level.clone());
                    next
                })
            })
            .collect();
    }
    Ok(rows)
}

/// Rows of a design in the unit cube mapped onto the varied keys' values.
pub fn rows_from_unit(varied: &[Vary], unit_rows: &[Vec<f64>]) -> Vec<Vec<Level>> {
    unit_rows
        .iter()
        .map(|row| {
            (varied.iter().zip(row))
                .map(|(vary, &u)| vary.at_unit(u))
                .collect()
        })
        .collect()
}

/// A sweep of `scenario`: the full grid of the varied keys, or a Latin hypercube of
/// `lhs` points (drawn from the plan's seed).
pub fn sweep(
    scenario: &str,
    varied: Vec<Vary>,
    lhs: Option<usize>,
    common: &Common,
) -> Result<ExperimentPlan, PlanError> {
    let varied = with_integer_ranges(scenario, varied, common);
    let (design, rows) = match lhs {
        None => (Design::Grid, grid_rows(&varied)?),
        Some(points) => {
            if points == 0 || points > MAX_JOBS {
                return Err(PlanError::Argument(format!(
                    "--lhs {points}: give 1 to {MAX_JOBS} points"
                )));
            }
            let seed = design_seed(scenario, common)?;
            let unit = latin_hypercube(points, varied.len(), seed);
            (
                Design::LatinHypercube { points },
                rows_from_unit(&varied, &unit),
            )
        }
    };
    points_at(
        ExperimentKind::Sweep,
        "sweep",
        scenario,
        varied,
        design,
        rows,
        common,
    )
}

/// The sensitivity methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Morris,
    Sobol,
}

/// A sensitivity analysis of `scenario` over ranges `varied`: Morris with `samples`
/// trajectories on `levels` levels, or Sobol with `samples` base rows (Saltelli's design).
pub fn sensitivity(
    scenario: &str,
    varied: Vec<Vary>,
    method: Method,
    samples: usize,
    levels: usize,
    common: &Common,
) -> Result<ExperimentPlan, PlanError> {
    if !(2..=MAX_JOBS).contains(&samples) {
        return Err(PlanError::Argument(format!(
            "--samples {samples}: give 2 to {MAX_JOBS}"
        )));
    }
    let dims = varied.len();
    let per_sample = match method {
        Method::Morris => dims + 1,
        Method::Sobol => dims + 2,
    };
    if samples.saturating_mul(per_sample) > MAX_JOBS {
        return Err(PlanError::Argument(format!(
            "--samples {samples}: {samples} × {per_sample} points is more than {MAX_JOBS} jobs"
        )));
    }
    let seed = design_seed(scenario, common)?;
    let varied = with_integer_ranges(scenario, varied, common);
    let (design, unit) = match method {
        Method::Morris => {
            if levels < 2 || levels % 2 != 0 {
                return Err(PlanError::Argument(format!(
                    "--levels {levels}: Morris needs an even number of levels, 2 or more (4 is usual)"
                )));
            }
            let design = morris_design(samples, dims, levels, seed);
            let trajectories = samples;
            (
                Design::Morris {
                    trajectories,
                    levels,
                },
                design.rows,
            )
        }
        Method::Sobol => (
            Design::Sobol { samples },
            saltelli_design(samples, dims, seed),
        ),
    };
    let rows = rows_from_unit(&varied, &unit);
    points_at(
        ExperimentKind::Sensitivity,
        method_name(method),
        scenario,
        varied,
        design,
        rows,
        common,
    )
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Morris => "morris",
        Method::Sobol => "sobol",
    }
}

/// Marks the ranges whose key takes whole numbers only: the scenario refuses a value
/// between two integers of the range but accepts an integer (so `network.mean_degree=4:12`
/// samples 4, 5, ... 12, and `policy.transparency=0:1` samples fractions).
fn with_integer_ranges(scenario: &str, mut varied: Vec<Vary>, common: &Common) -> Vec<Vary> {
    for vary in &mut varied {
        if let VaryValues::Range { min, max, integer } = &mut vary.values {
            let whole = min.ceil();
            if whole > *max {
                continue;
            }
            let fraction = if whole + 0.5 <= *max {
                whole + 0.5
            } else {
                (*min + *max) / 2.0
            };
            let accepts = |value: String| {
                let overrides =
                    common.overrides_with(common.seed, &[format!("{}={value}", vary.key)]);
                scenario::load(Some(scenario), &overrides).is_ok()
            };
            *integer = !accepts(format!("{fraction:?}")) && accepts(format!("{whole:.0}"));
        }
    }
    varied
}

/// The seed a design is drawn from: the experiment's master seed.
fn design_seed(scenario: &str, common: &Common) -> Result<u64, PlanError> {
    if let Some(seed) = common.seed {
        return Ok(seed);
    }
    let (_, base) = load_point(
        scenario,
        common.overrides_with(None, &[]),
        Vec::new(),
        String::new(),
        || format!("scenario {scenario}"),
    )?;
    Ok(base.run.seed)
}
