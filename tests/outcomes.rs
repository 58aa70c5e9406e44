//! Direction tests of the outcome mechanisms (docs/model.md, "Diffusion, reviews and
//! solidarity"): each runs a treatment and a control with the same seeds through the
//! library and compares the recorded metric at the last step.
//!
//! Margin: the treatment's replicate mean must differ from the control's in the expected
//! direction by more than K = 3 standard errors of the difference (Welch: the square root
//! of sd²/n summed over both arms). With 12 replicates an arm, a difference with no effect
//! behind it reaches 3 standard errors with chance about 0.3% (t with ~22 degrees of
//! freedom); the seeds are fixed, so a test that passes passes every time, and K guards
//! against a direction that is only noise. Every test prints its effect size.

use gotong::engine::Observer;
use gotong::engine::schedule::Schedule;
use gotong::engine::streams::Streams;
use gotong::model::params::Params;
use gotong::model::rules::standard_rules;
use gotong::model::setup::build_world;
use gotong::model::world::World;
use gotong::observe::{METRICS, Recorder};
use gotong::scenario::{self, Scenario};
use rayon::prelude::*;

/// Standard errors the difference of means must exceed.
const K: f64 = 3.0;
/// Replicates per arm.
const REPLICATES: u32 = 12;

fn scenario(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    scenario::from_text("outcomes", text, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs every replicate of `scenario` (after `prepare` changes each world at step 0) and
/// returns, per replicate, the value `value` reads from the metrics of the last step.
fn final_values(
    scenario: &Scenario,
    prepare: impl Fn(&mut World) + Sync,
    value: impl Fn(&Last) -> f64 + Sync,
) -> Vec<f64> {
    let params = Params::new(scenario);
    (0..REPLICATES)
        .into_par_iter()
        .map(|replicate| {
            let streams = Streams::new(scenario.run.seed, replicate as u64);
            let mut world = build_world(scenario, &params, streams).expect("builds");
            prepare(&mut world);
            let schedule = Schedule::new(standard_rules());
            for _ in 0..params.steps {
                schedule.step(&mut world, streams, &params);
            }
            let mut recorder = Recorder::new(false, params.steps);
            recorder.observe(&world, &params);
            value(&Last(recorder))
        })
        .collect()
}

/// The metrics recorded at the last step of one replicate.
struct Last(Recorder);

impl Last {
    fn get(&self, metric: &str, group: &str) -> f64 {
        let index = METRICS.iter().position(|m| m.name == metric).unwrap() as u16;
        self.0
            .rows
            .iter()
            .find(|r| r.metric == index && r.group == group)
            .map(|r| r.value)
            .unwrap_or_else(|| panic!("{metric} {group} not recorded"))
    }

    fn get_or(&self, metric: &str, group: &str, default: f64) -> f64 {
        let index = METRICS.iter().position(|m| m.name == metric).unwrap() as u16;
        self.0
            .rows
            .iter()
            .find(|r| r.metric == index && r.group == group)
            .map_or(default, |r| r.value)
    }
}

fn mean_and_se2(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, variance / n)
}

/// Asserts `higher`'s mean exceeds `lower`'s by more than K standard errors.
fn assert_higher(what: &str, higher: &[f64], lower: &[f64]) {
    let (high, se2_high) = mean_and_se2(higher);
    let (low, se2_low) = mean_and_se2(lower);
    let se = (se2_high + se2_low).sqrt();
    let difference = high - low;
    eprintln!(
        "{what}: {high:.4} vs {low:.4}, difference {difference:.4} = {:.1} standard errors ({se:.5})",
        difference / se
    );
    assert!(
        difference > K * se,
        "{what}: {high} vs {low}: difference {difference} is not above {K} × {se}"
    );
}

/// The classroom preset for one school year, without its year end.
const CLASSROOM: &str = r#"
extends = "preset:classroom"
[run]
steps = 39
"#;

#[test]
fn knowledge_diffusion_raises_mean_knowledge() {
    let on = scenario(CLASSROOM, &[]);
    let off = scenario(CLASSROOM, &["diffusion.knowledge_rate=0"]);
    let knowledge = |last: &Last| last.get("knowledge", "all");
    let with = final_values(&on, |_| {}, knowledge);
    let without = final_values(&off, |_| {}, knowledge);
    assert_higher("knowledge, diffusion 0.02 vs 0", &with, &without);
}

#[test]
fn partnership_brings_outsiders_knowledge_into_the_school() {
    // Parents and neighbours know more than the school: what they know reaches teachers
    // and students at the full rate under partnership, not at all under professional.
    let overrides = [
        "population.teacher.knowledge=0.4",
        "population.student.knowledge={ min = 0.1, max = 0.3 }",
        "population.parent.knowledge=0.8",
        "population.community.knowledge=0.9",
        "diffusion.knowledge_rate=0.05",
    ];
    let run = |governance: &str| {
        let mut all: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        all.push(format!("policy.governance={governance}"));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        final_values(&scenario(CLASSROOM, &all), |_| {}, members_knowledge)
    };
    assert_higher(
        "school members' knowledge, partnership vs professional",
        &run("partnership"),
        &run("professional"),
    );
}

/// Mean knowledge of the school's members (principal, teachers, staff, students).
fn members_knowledge(last: &Last) -> f64 {
    let (mut sum, mut count) = (0.0, 0.0);
    for role in ["principal", "teacher", "staff", "student"] {
        let agents = last.get_or("agents", role, 0.0);
        if agents > 0.0 {
            sum += agents * last.get("knowledge", role);
            count += agents;
        }
    }
    sum / count
}

#[test]
fn reviews_lower_the_trust_free_riders_enjoy() {
    // Contravention (DESIGN §1): the parents cooperate in pairwise games but put nothing
    // into group activities, which give such agents a low image score; here every parent
    // starts with image score 0 so that reviews have free riders to expose from the first
    // step. Ties do not break, so the trust compared is over the same ties in both arms.
    let text = format!(
        "{CLASSROOM}\n[population.parent]\nnorm = 0.0\nstrategy = \"allc\"\n[policy]\nevaluation_every = 4\n\
         [trust]\nbreak_below = 0.0\n[ties]\nbreak_below = 0.0\n"
    );
    let free_riders = |world: &mut World| {
        for (i, role) in world.agents.role.iter().enumerate() {
            if role.name() == "parent" {
                world.agents.reputation[i] = 0.0;
            }
        }
    };
    let trust = |last: &Last| last.get("trust_toward", "student>parent");
    let reviewed = final_values(&scenario(&text, &[]), free_riders, trust);
    let unreviewed = final_values(
        &scenario(&text, &["policy.evaluation_every=0"]),
        free_riders,
        trust,
    );
    assert_higher(
        "students' trust in free-riding parents, no reviews vs reviews every 4 weeks",
        &unreviewed,
        &reviewed,
    );
}

#[test]
fn solidarity_lowers_inequality() {
    let text = format!("{CLASSROOM}\n[solidarity]\nthreshold = 300\nshare = 0.2\n");
    let gini = |last: &Last| last.get("gini_resources", "all");
    let sharing = final_values(&scenario(&text, &[]), |_| {}, gini);
    let keeping = final_values(&scenario(&text, &["solidarity.share=0"]), |_| {}, gini);
    assert_higher(
        "gini of resources, no solidarity vs share 0.2 above 300",
        &keeping,
        &sharing,
    );
}
