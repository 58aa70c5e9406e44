//! The principal's levers that act in group activities and on conflict ties, on worlds
//! small enough to work out by hand: each gives exactly the numbers docs/model.md says
//! (tests/levers.rs shows their directions on whole schools; tests/school_events.rs
//! checks interventions, programmes, networking events, contests and governance).

mod common;
use common::model::{close, scenario, worlds};

use gotong::model::role::Role;
use gotong::model::world::World;

/// A teacher (norm 1) and a parent (norm 0.2) tied to each other, never playing pairwise,
/// meeting in one committee a week: shares 1 and 0.2 of an endowment of 1.5, synergy 1.8.
const COMMITTEE: &str = r#"
[run]
steps = 4
replicates = 1
[population.teacher]
count = 1
norm = 1.0
resources = 10
knowledge = 1.0
strategy = "allc"
[population.parent]
count = 1
norm = 0.2
resources = 10
knowledge = 1.0
strategy = "allc"
[network]
kind = "sbm"
density = { "teacher~parent" = 1.0 }
[contacts]
default = 0.0
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
[[activity]]
name = "committee"
members = { teacher = 1, parent = 1 }
per_step = 1
endowment = 1.5
synergy = 1.8
trust_sensitivity = 0
new_tie_chance = 0
expertise = ["teacher"]
"#;

/// The teacher's and the parent's payoff per week in the committee.
fn weekly_payoffs(overrides: &[&str]) -> (f64, f64) {
    let worlds = worlds(&scenario(COMMITTEE, overrides));
    let (teacher, parent) = (
        worlds[4].agents.resources[0] - 10.0,
        worlds[4].agents.resources[1] - 10.0,
    );
    for (step, world) in worlds.iter().enumerate() {
        let step = step as f64;
        assert!(close(
            world.agents.resources[0],
            10.0 + step * teacher / 4.0
        ));
        assert!(close(world.agents.resources[1], 10.0 + step * parent / 4.0));
    }
    (teacher / 4.0, parent / 4.0)
}

fn assert_payoffs(overrides: &[&str], expected: (f64, f64)) {
    let got = weekly_payoffs(overrides);
    assert!(
        close(got.0, expected.0) && close(got.1, expected.1),
        "{overrides:?}: {got:?} vs {expected:?}"
    );
}

#[test]
fn the_committee_pays_as_the_public_goods_game_says() {
    // Pot (1.5 + 0.3) × 1.8 = 3.24, 1.62 each, minus what each put in.
    assert_payoffs(&[], (0.12, 1.32));
}

#[test]
fn shared_goals_and_role_clarity_multiply_the_synergy() {
    // shared_goals 1: r × 1.5. role_clarity 1 with half the members teachers: r × 1.5.
    assert_payoffs(
        &["policy.shared_goals=1"],
        (1.8 * 2.7 / 2.0 - 1.5, 1.8 * 2.7 / 2.0 - 0.3),
    );
    assert_payoffs(
        &["policy.role_clarity=1"],
        (1.8 * 2.7 / 2.0 - 1.5, 1.8 * 2.7 / 2.0 - 0.3),
    );
    // Both: r = 1.8 × 1.5 × 1.5 = 4.05, pot 7.29.
    assert_payoffs(
        &["policy.shared_goals=1", "policy.role_clarity=1"],
        (3.645 - 1.5, 3.645 - 0.3),
    );
    // No expertise named: role clarity does nothing.
    assert_payoffs(
        &["policy.role_clarity=1", "activity.0.expertise=[]"],
        (0.12, 1.32),
    );
}

#[test]
fn fair_workload_moves_shares_toward_the_mean() {
    // Fully fair: both put in 0.6 × 1.5 = 0.9; the pot is unchanged.
    assert_payoffs(&["policy.fair_workload=1"], (0.72, 0.72));
    // Half way: shares 0.8 and 0.4.
    assert_payoffs(&["policy.fair_workload=0.5"], (1.62 - 1.2, 1.62 - 0.6));
}

#[test]
fn agreed_rules_let_cooperators_fine_free_riders() {
    // The teacher (share 1) fines the parent (share 0.2 < 0.5) for sure: −0.1 × 1.5 and
    // −0.3 × 1.5.
    assert_payoffs(&["policy.agreed_rules=1"], (0.12 - 0.15, 1.32 - 0.45));
    // Nobody to fine when both cooperate.
    assert_payoffs(
        &["policy.agreed_rules=1", "population.parent.norm=1"],
        (1.2, 1.2),
    );
}

#[test]
fn recognition_pays_contributors_from_the_school() {
    assert_payoffs(&["policy.recognition=0.5"], (0.12 + 0.75, 1.32));
}

#[test]
fn openness_turns_raised_ideas_into_innovations() {
    // Knowledge 1 and idea_rate 1: an idea every week; shares 1: implemented with chance
    // openness × 1.
    let open = worlds(&scenario(
        COMMITTEE,
        &[
            "policy.openness=1",
            "diffusion.idea_rate=1",
            "population.parent.norm=1",
        ],
    ));
    for (step, world) in open.iter().enumerate() {
        assert_eq!(world.ledger.innovations, step as u64);
        assert_eq!(world.scratch.innovations, u64::from(step > 0));
    }
    let closed = worlds(&scenario(
        COMMITTEE,
        &["diffusion.idea_rate=1", "population.parent.norm=1"],
    ));
    assert_eq!(closed.last().unwrap().ledger.innovations, 0);
}

#[test]
fn members_earn_an_image_score_and_mobilise_resources() {
    let worlds = worlds(&scenario(COMMITTEE, &[]));
    for (step, world) in worlds.iter().enumerate().skip(1) {
        let decay = 0.8f64.powi(step as i32);
        // r ← 0.8 r + 0.2 s from 0.5: s + (0.5 − s) 0.8^n
        assert!(close(world.agents.reputation[0], 1.0 - 0.5 * decay));
        assert!(close(world.agents.reputation[1], 0.2 + 0.3 * decay));
        let mobilised = world.scratch.mobilised;
        assert!(close(mobilised[Role::Teacher.index()], 1.5));
        assert!(close(mobilised[Role::Parent.index()], 0.3));
    }
}

/// The teacher–parent pair of tests/model_behaviour.rs with an `alld` parent who is met
/// every week: the teacher's trust 2 / (4 + k) falls below 0.25 after 5 defections.
const FEUD: &str = r#"
[run]
steps = 20
replicates = 1
[population.teacher]
count = 1
strategy = "allc"
[population.parent]
count = 1
strategy = "alld"
[network]
kind = "sbm"
density = { "teacher~parent" = 1.0 }
[contacts]
default = 1.0
[trust]
forgetting = 0.0
misread = 0.0
conflict_below = 0.25
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

#[test]
fn mediation_repairs_conflict_ties_and_restarts_beliefs() {
    let conflict = |w: &World| w.views.iter().any(|v| v.conflict);
    let without = worlds(&scenario(FEUD, &[]));
    assert!(
        without[5..].iter().all(conflict),
        "no mediation: stays a conflict"
    );
    let with = worlds(&scenario(FEUD, &["policy.mediation=1"]));
    assert!(conflict(&with[5]));
    // Step 6: repaired (both ends), the teacher's belief back at the stranger prior (1, 2);
    // then 1 / (3 + k) < 0.25 again after 2 defections: conflict at 8, repaired at 9, ...
    for (step, world) in with.iter().enumerate().skip(6) {
        let repaired = (step - 6) % 3 == 0;
        assert_eq!(conflict(world), (step - 6) % 3 == 2, "step {step}");
        if repaired {
            let trust = world.trust_toward(0, 1).unwrap();
            assert!((trust - 1.0 / 3.0).abs() < 1e-6, "step {step}: {trust}");
        }
    }
}
