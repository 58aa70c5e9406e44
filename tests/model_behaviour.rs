//! The rules of the model on worlds small enough to work out by hand: payoffs, beliefs,
//! breaks, conflict, group activities and learning give exactly the numbers their
//! definitions (docs/model.md) say.

mod common;

use gotong::engine::{Observer, run_replicate};
use gotong::model::params::Params;
use gotong::model::world::World;
use gotong::scenario::Scenario;
use std::sync::atomic::AtomicBool;

/// What a test looks at after each step.
#[derive(Clone, Debug)]
struct Frame {
    step: u32,
    resources: Vec<f64>,
    ties: usize,
    /// Trust of agent 0 toward agent 1, if tied.
    trust_0_to_1: Option<f64>,
    conflict: bool,
    cooperated: u64,
    played: u64,
    strategies: Vec<String>,
}

#[derive(Default)]
struct Frames(Vec<Frame>);

impl Observer for Frames {
    fn observe(&mut self, world: &World, _: &Params) {
        let view = world.graph.find_view(0, 1);
        self.0.push(Frame {
            step: world.step,
            resources: world.agents.resources.clone(),
            ties: world.graph.tie_count(),
            trust_0_to_1: world.trust_toward(0, 1),
            conflict: view.is_some_and(|v| world.is_conflict(v)),
            cooperated: world.scratch.games.cooperated.iter().sum(),
            played: world.scratch.games.played.iter().sum(),
            strategies: world
                .agents
                .strategy
                .iter()
                .map(|s| s.to_string())
                .collect(),
        });
    }
}

/// A teacher and a parent tied to each other, meeting every week, nothing else going on.
const PAIR: &str = r#"
[run]
steps = 30
replicates = 1
[population.teacher]
count = 1
norm = 0.5
resources = 10
strategy = "allc"
[population.parent]
count = 1
norm = 0.5
resources = 10
strategy = "allc"
[network]
kind = "sbm"
density = { "teacher~parent" = 1.0 }
[contacts]
default = 1.0
[trust]
forgetting = 0.0
misread = 0.0
conflict_below = 0.0
break_below = 0.0
[ties]
break_below = 0.0
[network_change]
introduction_rate = 0.0
chance_meeting_rate = 0.0
[learning]
rule = "none"
exploration = 0.0
"#;

use common::model::scenario;

fn frames(scenario: &Scenario) -> Vec<Frame> {
    let params = Params::new(scenario);
    let mut observer = Frames::default();
    run_replicate(
        scenario,
        &params,
        0,
        &mut observer,
        &|| {},
        &AtomicBool::new(false),
    )
    .expect("runs");
    observer.0
}

#[test]
fn two_cooperators_earn_r_and_learn_to_trust() {
    let frames = frames(&scenario(PAIR, &[]));
    assert_eq!(frames.len(), 31, "step 0 and every step recorded");
    for frame in &frames {
        let n = frame.step as f64;
        assert_eq!(frame.resources, vec![10.0 + 3.0 * n; 2], "R = 3 per week");
        // acquaintance prior Beta(2, 2) plus n perceived cooperations
        let expected = (2.0 + n) / (4.0 + n);
        assert!(
            (frame.trust_0_to_1.unwrap() - expected).abs() < 1e-6,
            "step {}: {:?}",
            frame.step,
            frame.trust_0_to_1
        );
        if frame.step > 0 {
            assert_eq!((frame.cooperated, frame.played), (2, 2));
        }
    }
}

#[test]
fn a_defector_exploits_until_distrust_breaks_the_tie() {
    let s = scenario(
        PAIR,
        &[
            "population.parent.strategy=alld",
            "trust.conflict_below=0.1",
            "trust.break_below=0.1",
        ],
    );
    let frames = frames(&s);
    // The teacher (agent 0) gets S = 0 and the parent T = 5 each week while tied.
    // Trust 2 / (4 + k) after k defections falls below 0.1 at k = 17: the tie breaks then.
    for frame in &frames {
        let k = frame.step.min(17) as f64;
        assert_eq!(
            frame.resources,
            vec![10.0, 10.0 + 5.0 * k],
            "step {}",
            frame.step
        );
        assert_eq!(
            frame.ties,
            usize::from(frame.step < 17),
            "step {}",
            frame.step
        );
    }
    let at_16 = frames[16].trust_0_to_1.unwrap();
    assert!((at_16 - 2.0 / 20.0).abs() < 1e-6, "{at_16}");
}

#[test]
fn distrust_turns_a_tie_into_conflict_with_its_own_game() {
    let s = scenario(
        PAIR,
        &[
            "population.parent.strategy=alld",
            "trust.conflict_below=0.25",
            "run.steps=8",
        ],
    );
    let frames = frames(&s);
    // Trust 2 / (4 + k) < 0.25 first at k = 5: from step 6 on, the conflict game (1, −2, 2, −1).
    assert!(
        !frames[4].conflict && frames[5].conflict,
        "{:?}",
        frames.iter().map(|f| f.conflict).collect::<Vec<_>>()
    );
    let teacher: Vec<f64> = frames.iter().map(|f| f.resources[0]).collect();
    let parent: Vec<f64> = frames.iter().map(|f| f.resources[1]).collect();
    assert_eq!(
        teacher,
        vec![10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 8.0, 6.0, 4.0]
    );
    assert_eq!(
        parent,
        vec![10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 37.0, 39.0, 41.0]
    );
}

#[test]
fn without_contact_nobody_plays_and_ties_weaken() {
    let s = scenario(PAIR, &["contacts.default=0", "ties.decay=0.1"]);
    let params = Params::new(&s);
    let streams = gotong::engine::streams::Streams::new(s.run.seed, 0);
    let mut world = gotong::model::setup::build_world(&s, &params, streams).unwrap();
    let schedule = gotong::engine::schedule::Schedule::new(gotong::model::rules::standard_rules());
    for _ in 0..5 {
        schedule.step(&mut world, streams, &params);
    }
    assert_eq!(world.agents.resources, vec![10.0, 10.0]);
    assert_eq!(world.scratch.games.played.iter().sum::<u64>(), 0);
    let strength = world.views[0].strength as f64;
    assert!((strength - 0.5 * 0.9f64.powi(5)).abs() < 1e-6, "{strength}");
}

#[test]
fn misreading_makes_cooperators_look_like_defectors() {
    let s = scenario(
        PAIR,
        &["trust.misread=1", "policy.transparency=0", "run.steps=6"],
    );
    let last = frames(&s).pop().unwrap();
    // Every cooperation is seen as a defection: Beta(2, 2 + 6).
    assert!((last.trust_0_to_1.unwrap() - 0.2).abs() < 1e-6);
    let clear = scenario(
        PAIR,
        &["trust.misread=1", "policy.transparency=1", "run.steps=6"],
    );
    let last = frames(&clear).pop().unwrap();
    assert!(
        (last.trust_0_to_1.unwrap() - 0.8).abs() < 1e-6,
        "full transparency: no misreading"
    );
}

#[test]
fn a_group_activity_pays_each_member_r_minus_one_when_all_give_everything() {
    let text = format!(
        "{PAIR}\n[[activity]]\nname = \"committee\"\nmembers = {{ teacher = 1, parent = 1 }}\nper_step = 2\nendowment = 1.5\nsynergy = 1.8\ntrust_sensitivity = 0\nnew_tie_chance = 0\n"
    );
    let s = scenario(
        &text,
        &[
            "contacts.default=0",
            "population.teacher.norm=1",
            "population.parent.norm=1",
            "run.steps=4",
        ],
    );
    let frames = frames(&s);
    // Two occurrences a week, each: pot 2 × 1.5 × 1.8 = 5.4 shared by 2, minus 1.5 put in.
    for frame in &frames {
        let expected = 10.0 + frame.step as f64 * 2.0 * (2.7 - 1.5);
        for resources in &frame.resources {
            assert!(
                (resources - expected).abs() < 1e-9,
                "step {}: {resources} vs {expected}",
                frame.step
            );
        }
    }
    // Each saw the other give everything: two cooperations a week on top of Beta(2, 2).
    assert!((frames[4].trust_0_to_1.unwrap() - 10.0 / 12.0).abs() < 1e-6);
}

#[test]
fn imitate_best_copies_the_best_paid_neighbour() {
    // A star: one alld centre and three allc leaves, every tie active. In week 1 the centre
    // earns 3 × T = 15 (per game 5) and each leaf S = 0: every leaf copies the centre.
    let text = r#"
[run]
steps = 1
replicates = 1
[population.principal]
count = 1
strategy = "alld"
[population.teacher]
count = 3
strategy = "allc"
[network]
kind = "sbm"
density = { "principal~teacher" = 1.0 }
[contacts]
default = 1.0
[network_change]
introduction_rate = 0.0
chance_meeting_rate = 0.0
[learning]
rule = "imitate_best"
every = 1
exploration = 0.0
"#;
    let frames = frames(&scenario(text, &[]));
    assert_eq!(frames[0].strategies, ["alld", "allc", "allc", "allc"]);
    assert_eq!(frames[1].strategies, ["alld", "alld", "alld", "alld"]);
}

#[test]
fn trusted_contacts_introduce_strangers() {
    // A path 0 – 1 – 2 (a 3 × 1 lattice with fixed edges): with an introduction every week
    // and any trust enough, 1 introduces its two contacts to each other. The chance that it
    // has not happened in 10 weeks is (1/4)^10 (each end picks itself half the time).
    let path = r#"
[run]
steps = 10
replicates = 1
[population.parent]
share = 1.0
[network]
kind = "lattice"
width = 3
height = 1
neighbourhood = "von_neumann"
boundary = "fixed"
[contacts]
default = 0.0
[network_change]
introduction_rate = 1.0
introduce_above = 0.0
chance_meeting_rate = 0.0
[learning]
rule = "none"
"#;
    let closed = frames(&scenario(path, &[]));
    assert_eq!(closed[0].ties, 2);
    assert_eq!(closed.last().unwrap().ties, 3, "the triangle closed");
    let control = frames(&scenario(path, &["network_change.introduction_rate=0"]));
    assert_eq!(
        control.last().unwrap().ties,
        2,
        "no introductions, no new tie"
    );
}

#[test]
fn chance_meetings_tie_strangers() {
    let text = r#"
[run]
steps = 10
replicates = 1
[population.parent]
count = 2
[network]
kind = "sbm"
density = { default = 0.0 }
[contacts]
default = 0.0
[network_change]
introduction_rate = 0.0
chance_meeting_rate = 1.0
[learning]
rule = "none"
"#;
    let met = frames(&scenario(text, &[]));
    assert_eq!(met[0].ties, 0);
    assert_eq!(
        met.last().unwrap().ties,
        1,
        "met by chance (each week: 3/4)"
    );
    let never = frames(&scenario(text, &["network_change.chance_meeting_rate=0"]));
    assert_eq!(never.last().unwrap().ties, 0);
}

#[test]
fn max_degree_holds_even_when_many_meet_at_once() {
    // 50 strangers who all meet someone every week, but nobody may have more than 2 ties.
    let text = r#"
[run]
steps = 5
replicates = 1
[population.parent]
count = 50
[network]
kind = "sbm"
density = { default = 0.0 }
[contacts]
default = 0.0
[network_change]
introduction_rate = 0.0
chance_meeting_rate = 1.0
max_degree = 2
[learning]
rule = "none"
"#;
    let s = scenario(text, &[]);
    let params = Params::new(&s);
    let streams = gotong::engine::streams::Streams::new(s.run.seed, 0);
    let mut world = gotong::model::setup::build_world(&s, &params, streams).unwrap();
    let schedule = gotong::engine::schedule::Schedule::new(gotong::model::rules::standard_rules());
    for _ in 0..5 {
        schedule.step(&mut world, streams, &params);
        let most = (0..50).map(|a| world.graph.degree(a)).max().unwrap();
        assert!(most <= 2, "an agent has {most} ties");
    }
    assert!(
        world.graph.tie_count() >= 30,
        "{} ties: meetings happened",
        world.graph.tie_count()
    );
}

#[test]
fn a_school_wide_event_with_thousands_of_members_runs() {
    // 4,000 parents in one event: the cost is linear in members and their ties, not squared.
    let text = r#"
[run]
steps = 2
replicates = 1
[population.parent]
count = 4000
[network]
kind = "sbm"
density = { default = 0.002 }
[contacts]
default = 0.5
[[activity]]
name = "festival"
members = { parent = 4000 }
per_step = 1
new_tie_chance = 0.0001
"#;
    let started = std::time::Instant::now();
    let frames = frames(&scenario(text, &[]));
    assert_eq!(frames.len(), 3);
    // About 0.0001 × 4000 × 3999 / 2 ≈ 800 new ties a week, minus breaks.
    assert!(
        frames[2].ties > frames[0].ties,
        "{} -> {}",
        frames[0].ties,
        frames[2].ties
    );
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
}
