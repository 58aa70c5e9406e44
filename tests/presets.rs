//! Each preset moves its headline metric in the direction its opening comment states,
//! against `default` run with the same seeds (common random numbers).
//!
//! Margin: for each replicate r the paired difference d_r = preset_r − default_r of the
//! metric averaged over a window of weeks; the test asserts mean(d) > K_SE × sd(d)/√n in the
//! stated direction (K_SE = 2.5: a one-sided paired t-test at about the 1.3% level with 15
//! degrees of freedom; the runs are deterministic, so the margin says how clear the effect is, not
//! how often the test fails). Runs are shortened to 120 weeks (three school years) to keep
//! the suite fast; the windows are chosen within them.

use gotong::engine::run_replicates;
use gotong::model::params::Params;
use gotong::observe::{METRICS, Recorder};
use gotong::scenario;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, OnceLock};

const REPLICATES: u32 = 16;
const STEPS: u32 = 120;
const K_SE: f64 = 2.5;

/// Rows of every replicate of `preset` (run once per preset and cached).
fn rows(preset: &str) -> Vec<Vec<gotong::observe::Row>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Vec<Vec<gotong::observe::Row>>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(rows) = cache.lock().unwrap().get(preset) {
        return rows.clone();
    }
    let overrides = vec![
        format!("run.steps={STEPS}"),
        format!("run.replicates={REPLICATES}"),
    ];
    let scenario = scenario::load(Some(preset), &overrides)
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario;
    let params = Params::new(&scenario);
    let replicates: Vec<u32> = (0..REPLICATES).collect();
    let recorders = run_replicates(
        &scenario,
        &params,
        &replicates,
        |_| Recorder::new(false, STEPS),
        &|| {},
        &AtomicBool::new(false),
    )
    .expect("runs");
    let rows: Vec<_> = recorders.into_iter().map(|r| r.rows).collect();
    cache
        .lock()
        .unwrap()
        .insert(preset.to_string(), rows.clone());
    rows
}

/// Per replicate, the mean of `metric`/`group` over the recorded weeks in `weeks`.
fn window_means(
    preset: &str,
    metric: &str,
    group: &str,
    weeks: std::ops::RangeInclusive<u32>,
) -> Vec<f64> {
    let index = METRICS
        .iter()
        .position(|m| m.name == metric)
        .unwrap_or_else(|| panic!("no metric {metric}")) as u16;
    rows(preset)
        .iter()
        .map(|replicate| {
            let values: Vec<f64> = replicate
                .iter()
                .filter(|r| r.metric == index && r.group == group && weeks.contains(&r.step))
                .map(|r| r.value)
                .collect();
            assert!(
                !values.is_empty(),
                "{preset}: no {metric}/{group} in weeks {weeks:?}"
            );
            values.iter().sum::<f64>() / values.len() as f64
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Direction {
    Higher,
    Lower,
}

/// Asserts that `preset` has a higher (or lower) `metric`/`group` than `baseline` over
/// `weeks`, by more than K_SE standard errors of the paired differences.
fn assert_moves(
    preset: &str,
    baseline: &str,
    metric: &str,
    group: &str,
    weeks: std::ops::RangeInclusive<u32>,
    direction: Direction,
) {
    let a = window_means(preset, metric, group, weeks.clone());
    let b = window_means(baseline, metric, group, weeks);
    let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let se = sd / n.sqrt();
    let signed = if direction == Direction::Higher {
        mean
    } else {
        -mean
    };
    eprintln!(
        "{preset} vs {baseline}: {metric}/{group} difference {mean:+.4} (se {se:.4}, {:.1} se)",
        signed / se.max(1e-300)
    );
    assert!(
        signed > K_SE * se && signed > 0.0,
        "{preset} should be {direction:?} than {baseline} on {metric}/{group}: mean difference {mean:+.5}, se {se:.5}"
    );
}

/// Before an intervention the two runs are the same run (common random numbers): the
/// metric is equal to the bit in every replicate.
fn assert_same(
    preset: &str,
    baseline: &str,
    metric: &str,
    group: &str,
    weeks: std::ops::RangeInclusive<u32>,
) {
    assert_eq!(
        window_means(preset, metric, group, weeks.clone()),
        window_means(baseline, metric, group, weeks)
    );
}

use Direction::{Higher, Lower};

#[test]
fn transparency_builds_trust() {
    assert_moves(
        "transparency",
        "default",
        "mean_trust",
        "all",
        80..=120,
        Higher,
    );
    assert_moves(
        "transparency",
        "default",
        "conflict_ties",
        "all",
        80..=120,
        Lower,
    );
}

#[test]
fn a_pta_brings_teachers_and_parents_together() {
    assert_moves("pta", "default", "ties", "educative", 80..=120, Higher);
    assert_moves(
        "pta",
        "default",
        "trust_toward",
        "parent>teacher",
        80..=120,
        Higher,
    );
}

#[test]
fn an_industry_class_places_graduates() {
    assert_moves(
        "industry_class",
        "default",
        "placements",
        "all",
        41..=120,
        Higher,
    );
    assert_moves(
        "industry_class",
        "default",
        "ties",
        "institutional",
        80..=120,
        Higher,
    );
}

#[test]
fn a_sister_school_brings_ties_and_knowledge() {
    assert_moves(
        "sister_school",
        "default",
        "ties",
        "institutional",
        80..=120,
        Higher,
    );
    assert_moves(
        "sister_school",
        "default",
        "knowledge",
        "student",
        80..=120,
        Higher,
    );
}

#[test]
fn a_university_partnership_admits_graduates() {
    assert_moves(
        "university_partnership",
        "default",
        "placements",
        "all",
        41..=120,
        Higher,
    );
}

#[test]
fn community_service_ties_students_to_the_community() {
    assert_moves(
        "community_service",
        "default",
        "ties",
        "cultural",
        80..=120,
        Higher,
    );
    assert_moves(
        "community_service",
        "default",
        "mean_trust",
        "student~community",
        80..=120,
        Higher,
    );
}

#[test]
fn a_yearly_new_principal_is_trusted_less() {
    assert_moves(
        "principal_turnover",
        "default",
        "mean_trust",
        "principal~teacher",
        41..=120,
        Lower,
    );
}

#[test]
fn onboarded_newcomers_trust_and_cooperate_sooner() {
    assert_moves(
        "newcomer_onboarding",
        "default",
        "mean_trust",
        "newcomer",
        41..=120,
        Higher,
    );
    assert_moves(
        "newcomer_onboarding",
        "default",
        "cooperation_rate",
        "newcomer",
        41..=120,
        Higher,
    );
}

#[test]
fn a_funding_cut_lowers_the_staff_resources() {
    assert_same(
        "funding_cut",
        "default",
        "mean_resources",
        "teacher",
        0..=79,
    );
    assert_moves(
        "funding_cut",
        "default",
        "mean_resources",
        "teacher",
        80..=120,
        Lower,
    );
}

#[test]
fn a_scandal_costs_the_principal_trust() {
    assert_same(
        "scandal",
        "default",
        "trust_toward",
        "teacher>principal",
        0..=59,
    );
    assert_moves(
        "scandal",
        "default",
        "trust_toward",
        "teacher>principal",
        60..=80,
        Lower,
    );
}

#[test]
fn a_closure_keeps_ties_but_lets_trust_fade() {
    assert_same("pandemic_closure", "default", "mean_trust", "all", 0..=59);
    assert_moves(
        "pandemic_closure",
        "default",
        "ties",
        "all",
        70..=100,
        Higher,
    );
    assert_moves(
        "pandemic_closure",
        "default",
        "mean_trust",
        "all",
        90..=100,
        Lower,
    );
    assert_moves(
        "pandemic_closure",
        "default",
        "cooperation_rate",
        "all",
        70..=100,
        Lower,
    );
}

#[test]
fn partnership_governance_lets_knowledge_in() {
    assert_moves(
        "governance_partnership",
        "governance_advocacy",
        "knowledge",
        "student",
        80..=120,
        Higher,
    );
    assert_moves(
        "governance_advocacy",
        "governance_professional",
        "knowledge",
        "student",
        80..=120,
        Higher,
    );
}
