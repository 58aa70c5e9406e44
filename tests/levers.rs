//! Each lever of the principal and each intervention moves its documented metric in the
//! documented direction (docs/model.md), shown on whole runs of a 206-agent school.
//!
//! Design: every comparison runs R = 20 replicates of both arms with common random numbers
//! (replicate r of each arm uses the same streams), so the per-replicate differences
//! d_r = high_r − low_r are paired. A test asserts mean(d) > K × SE(d) with
//! SE = sd(d) / √R and K = 3: under "no effect" the one-sided chance of a mean difference
//! that large is below 0.4% (Student's t, 19 degrees of freedom). The numbers are
//! deterministic (fixed seed), so a pass is reproducible; K says how far from noise the
//! effect is. Each test prints both means, the difference and its SE (`--nocapture`).
//! Exact, deterministic effects are checked in tests/school_rules.rs.
//! `evaluation_every` is shown in tests/outcomes.rs, beside the reputation it reads.

use gotong::engine::{Observer, run_replicates};
use gotong::model::params::Params;
use gotong::model::role::Role;
use gotong::model::world::World;
use gotong::observe::Recorder;
use gotong::observe::metrics::metric_index;
use gotong::scenario;
use std::sync::atomic::AtomicBool;

/// Replicates per arm.
const R: u32 = 20;
/// Standard errors the mean paired difference must exceed.
const K: f64 = 3.0;

/// The default school scaled down to 206 agents, 80 weeks (two school years).
const SCHOOL: &str = r#"
extends = "default.toml"
[run]
steps = 80
replicates = 1
record_every = 80
[population.teacher]
count = 12
[population.staff]
count = 4
[population.student]
count = 100
[population.parent]
count = 70
[population.alumnus]
count = 5
[population.firm]
count = 2
[population.university]
count = 1
[population.other_school]
count = 1
[population.ngo]
count = 1
[population.community]
count = 8
"#;

type Measure = dyn Fn(&World, &Params) -> f64 + Sync;

/// Values of a measure at every recorded step of one replicate.
struct Probe<'a> {
    measure: &'a Measure,
    values: Vec<(u32, f64)>,
}

impl Observer for Probe<'_> {
    fn observe(&mut self, world: &World, params: &Params) {
        self.values
            .push((world.step, (self.measure)(world, params)));
    }
}

/// How a replicate's recorded values become one number.
#[derive(Clone, Copy)]
enum Reduce {
    /// The value at the last step.
    Last,
    /// The mean over recorded steps from this one on.
    MeanFrom(u32),
}

fn reduce(values: &[(u32, f64)], how: Reduce) -> f64 {
    match how {
        Reduce::Last => values.last().unwrap().1,
        Reduce::MeanFrom(first) => {
            let kept: Vec<f64> = values
                .iter()
                .filter(|(s, _)| *s >= first)
                .map(|(_, v)| *v)
                .collect();
            kept.iter().sum::<f64>() / kept.len() as f64
        }
    }
}

/// One number per replicate for the school `text` with `overrides`.
fn replicate_values(text: &str, overrides: &[String], measure: &Measure, how: Reduce) -> Vec<f64> {
    let s = scenario::from_text("levers", text, overrides).unwrap_or_else(|e| panic!("{e}"));
    let params = Params::new(&s);
    let replicates: Vec<u32> = (0..R).collect();
    let probes = run_replicates(
        &s,
        &params,
        &replicates,
        |_| Probe {
            measure,
            values: Vec::new(),
        },
        &|| {},
        &AtomicBool::new(false),
    )
    .expect("runs");
    probes.iter().map(|p| reduce(&p.values, how)).collect()
}

/// A metric of the registry for one group (NaN when not recorded at that step).
fn metric(name: &'static str, group: &'static str) -> impl Fn(&World, &Params) -> f64 + Sync {
    let index = metric_index(name).expect("a metric") as u16;
    move |world, params| {
        let mut recorder = Recorder::new(false, 0);
        recorder.observe(world, params);
        recorder
            .rows
            .iter()
            .find(|row| row.metric == index && row.group == group)
            .map_or(f64::NAN, |row| row.value)
    }
}

/// A paired comparison of two arms that differ in `low` and `high` overrides.
struct Comparison<'a> {
    what: &'a str,
    text: &'a str,
    common: &'a [&'a str],
    low: &'a [&'a str],
    high: &'a [&'a str],
    how: Reduce,
}

impl Comparison<'_> {
    /// Asserts that `measure` is higher in the high arm by more than K standard errors of
    /// the paired difference; returns the mean difference.
    fn assert_raises(&self, measure: &Measure) -> f64 {
        let arm = |extra: &[&str]| {
            let overrides: Vec<String> = self
                .common
                .iter()
                .chain(extra)
                .map(|s| s.to_string())
                .collect();
            replicate_values(self.text, &overrides, measure, self.how)
        };
        let (low, high) = (arm(self.low), arm(self.high));
        let diffs: Vec<f64> = high.iter().zip(&low).map(|(h, l)| h - l).collect();
        let n = diffs.len() as f64;
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let d = mean(&diffs);
        let sd = (diffs.iter().map(|x| (x - d).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let se = sd / n.sqrt();
        eprintln!(
            "{}: low {:.4}, high {:.4}, difference {:.4} (SE {:.4}, {:.1} SE)",
            self.what,
            mean(&low),
            mean(&high),
            d,
            se,
            d / se
        );
        assert!(d.is_finite() && d > K * se, "{}: {d} vs SE {se}", self.what);
        d
    }
}

fn compare<'a>(what: &'a str, low: &'a [&'a str], high: &'a [&'a str]) -> Comparison<'a> {
    Comparison {
        what,
        text: SCHOOL,
        common: &[],
        low,
        high,
        how: Reduce::Last,
    }
}

/// Levers that change what group work pays are compared with learning off: payoffs
/// feed back into the state only through learning, so this isolates the lever's effect
/// on earnings from the strategy drift it may also cause.
const NO_LEARNING: &[&str] = &["learning.rule=none", "learning.exploration=0"];

#[test]
fn shared_goals_raise_what_group_work_earns() {
    Comparison {
        common: NO_LEARNING,
        ..compare(
            "shared_goals → mean_resources",
            &[],
            &["policy.shared_goals=1"],
        )
    }
    .assert_raises(&metric("mean_resources", "all"));
}

#[test]
fn role_clarity_raises_what_tasks_with_named_expertise_earn() {
    let common = [
        "activity.0.expertise=[\"teacher\"]",
        "activity.1.expertise=[\"principal\", \"teacher\"]",
    ];
    let common = [common[0], common[1], NO_LEARNING[0], NO_LEARNING[1]];
    Comparison {
        common: &common,
        ..compare(
            "role_clarity → mean_resources",
            &[],
            &["policy.role_clarity=1"],
        )
    }
    .assert_raises(&metric("mean_resources", "all"));
}

#[test]
fn transparency_raises_trust() {
    Comparison {
        common: &["trust.misread=0.3"],
        ..compare(
            "transparency 0.1 → 0.9 → mean_trust",
            &["policy.transparency=0.1"],
            &["policy.transparency=0.9"],
        )
    }
    .assert_raises(&metric("mean_trust", "all"));
}

#[test]
fn recognition_raises_resources() {
    Comparison {
        common: NO_LEARNING,
        ..compare(
            "recognition → mean_resources",
            &[],
            &["policy.recognition=0.5"],
        )
    }
    .assert_raises(&metric("mean_resources", "all"));
}

#[test]
fn mediation_lowers_conflict_ties() {
    let conflicts = metric("conflict_ties", "all");
    compare("mediation → −conflict_ties", &["policy.mediation=0.5"], &[]).assert_raises(&conflicts);
}

#[test]
fn networking_events_make_ties() {
    compare(
        "networking_events → ties",
        &[],
        &["policy.networking_events=20"],
    )
    .assert_raises(&metric("ties", "all"));
}

#[test]
fn openness_turns_ideas_into_innovations() {
    let innovations = |w: &World, _: &Params| w.ledger.innovations as f64;
    let values = replicate_values(SCHOOL, &[], &innovations, Reduce::Last);
    assert!(
        values.iter().all(|&v| v == 0.0),
        "no openness, no innovation"
    );
    compare("openness → innovations", &[], &["policy.openness=0.8"]).assert_raises(&innovations);
}

#[test]
fn agreed_rules_keep_contributors_from_being_outplayed() {
    // Group work must matter for payoffs for sanctions to change what is imitated: larger,
    // more frequent class projects with a larger endowment. Without sanctions free riders
    // earn more and norms fall; fines reverse that.
    let common = [
        "activity.0.endowment=5",
        "activity.0.per_step=20",
        "activity.0.members={ teacher = 1, student = 9 }",
    ];
    Comparison {
        common: &common,
        ..compare("agreed_rules → mean_norm", &[], &["policy.agreed_rules=1"])
    }
    .assert_raises(&metric("mean_norm", "all"));
}

/// Standard deviation of the students' image scores (what each is seen to give).
fn burden_spread(world: &World, _: &Params) -> f64 {
    let students = &world.agents.by_role[Role::Student.index()];
    let scores: Vec<f64> = students
        .iter()
        .map(|&a| world.agents.reputation[a as usize])
        .collect();
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    (scores.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / scores.len() as f64).sqrt()
}

#[test]
fn fair_workload_evens_out_the_burden() {
    compare(
        "fair_workload → −burden spread",
        &["policy.fair_workload=1"],
        &[],
    )
    .assert_raises(&burden_spread);
}

/// Mean trust newcomers (arrived after the start) have in their contacts.
fn newcomers_trust(world: &World, _: &Params) -> f64 {
    let (mut sum, mut views) = (0.0, 0u32);
    for agent in 0..world.agents.count() {
        if world.agents.active[agent] && world.agents.arrived[agent] > 0 {
            for v in world.graph.views(agent as u32) {
                sum += world.views[v].trust();
                views += 1;
            }
        }
    }
    sum / views as f64
}

#[test]
fn onboarding_raises_newcomers_trust() {
    // Measured 5 weeks after the first year end (week 40) brought the newcomers.
    Comparison {
        common: &["run.steps=45", "run.record_every=45"],
        ..compare(
            "onboarding → newcomers' trust",
            &[],
            &["policy.onboarding=1"],
        )
    }
    .assert_raises(&newcomers_trust);
}

#[test]
fn partnership_governance_brings_more_contact_across_the_school_boundary() {
    // Games parents play per week (nearly all their ties cross the boundary), averaged
    // over the run.
    let parents = |w: &World, _: &Params| w.scratch.games.played[Role::Parent.index()] as f64;
    Comparison {
        common: &["run.record_every=1"],
        how: Reduce::MeanFrom(1),
        ..compare(
            "governance professional → partnership → parents' games",
            &["policy.governance=professional"],
            &["policy.governance=partnership"],
        )
    }
    .assert_raises(&parents);
}

#[test]
fn a_funding_cut_leaves_teachers_poorer() {
    compare(
        "funding_cut 0.5 at week 20 → −teachers' resources",
        &["intervention=[{ at = 20, funding_cut = 0.5 }]"],
        &[],
    )
    .assert_raises(&metric("mean_resources", "teacher"));
}

#[test]
fn a_scandal_lowers_trust_in_the_principal_for_weeks() {
    Comparison {
        common: &["run.steps=40", "run.record_every=1"],
        how: Reduce::MeanFrom(20),
        ..compare(
            "scandal 0.3 at week 20 → −teachers' trust in the principal, weeks 20–40",
            &["intervention=[{ at = 20, scandal = 0.3 }]"],
            &[],
        )
    }
    .assert_raises(&metric("trust_toward", "teacher>principal"));
}

#[test]
fn a_closure_weakens_ties() {
    Comparison {
        common: &["run.steps=30", "run.record_every=30"],
        ..compare(
            "closure × 0.1 for weeks 10–29 → −mean_strength at 30",
            &["intervention=[{ at = 10, closure = { factor = 0.1, steps = 20 } }]"],
            &[],
        )
    }
    .assert_raises(&metric("mean_strength", "all"));
}

#[test]
fn a_new_principal_starts_as_a_stranger() {
    Comparison {
        common: &["run.steps=30", "run.record_every=1"],
        how: Reduce::MeanFrom(20),
        ..compare(
            "principal replaced at week 20 → −teachers' trust in the principal, weeks 20–30",
            &["intervention=[{ at = 20, replace_principal = true }]"],
            &[],
        )
    }
    .assert_raises(&metric("trust_toward", "teacher>principal"));
}

#[test]
fn starting_a_parent_teacher_association_makes_educative_ties() {
    Comparison {
        common: &["programme=[{ kind = \"parent_teacher_association\", active = false, every = 2, members = { principal = 1, teacher = 6, parent = 20 } }]"],
        ..compare(
            "PTA started at week 10 → educative ties",
            &[],
            &["intervention=[{ at = 10, start = [\"parent_teacher_association\"] }]"],
        )
    }
    .assert_raises(&metric("ties", "educative"));
}

#[test]
fn stopping_a_parent_teacher_association_makes_fewer_educative_ties() {
    Comparison {
        common: &["programme=[{ kind = \"parent_teacher_association\", every = 2, members = { principal = 1, teacher = 6, parent = 20 } }]"],
        ..compare(
            "PTA stopped at week 10 → −educative ties",
            &["intervention=[{ at = 10, stop = [\"parent_teacher_association\"] }]"],
            &[],
        )
    }
    .assert_raises(&metric("ties", "educative"));
}

#[test]
fn contests_sour_trust_between_rivals() {
    compare(
        "teachers' contest → −trust among teachers",
        &["contest=[{ name = \"award\", role = \"teacher\", every = 1, contestants = 6, prize = 5 }]"],
        &[],
    )
    .assert_raises(&metric("trust_toward", "teacher>teacher"));
}
