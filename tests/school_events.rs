//! Interventions, programmes, networking events, contests and governance on small
//! worlds where their effects can be worked out by hand (docs/model.md): each gives
//! exactly the numbers it should (tests/levers.rs shows directions on whole schools).

mod common;
use common::model::{close, scenario, worlds};

use gotong::model::params::Params;
use gotong::model::role::Role;
use gotong::model::world::World;

/// A quiet school where nothing changes unless an intervention does it: no contacts, no
/// activities, no learning, no forgetting.
const QUIET: &str = r#"
[run]
steps = 8
replicates = 1
[population.principal]
count = 1
resources = 20
[population.teacher]
count = 6
resources = 10
[population.staff]
count = 2
resources = 8
[population.parent]
count = 8
resources = 10
[network]
kind = "sbm"
density = { default = 0.6 }
[contacts]
default = 0.0
[trust]
forgetting = 0.0
[ties]
decay = 0.0
[network_change]
introduction_rate = 0.0
chance_meeting_rate = 0.0
[learning]
rule = "none"
exploration = 0.0
[lifecycle]
enabled = false
"#;

fn with_intervention(table: &str, overrides: &[&str]) -> Vec<World> {
    worlds(&scenario(
        &format!("{QUIET}\n[[intervention]]\nat = 3\n{table}\n"),
        overrides,
    ))
}

#[test]
fn a_funding_cut_multiplies_the_school_staffs_resources() {
    let worlds = with_intervention("funding_cut = 0.25", &[]);
    for world in &worlds {
        let cut = world.step >= 3;
        for (i, role) in world.agents.role.iter().enumerate() {
            let start = match role {
                Role::Principal => 20.0,
                Role::Teacher | Role::Parent => 10.0,
                _ => 8.0,
            };
            let expected = if cut && *role != Role::Parent {
                start * 0.25
            } else {
                start
            };
            assert_eq!(world.agents.resources[i], expected, "step {}", world.step);
        }
    }
}

#[test]
fn a_scandal_lowers_trust_toward_the_principal_by_d_keeping_the_weight() {
    let worlds = with_intervention("scandal = 0.3", &[]);
    let principal = worlds[0].agents.by_role[Role::Principal.index()][0];
    for world in &worlds {
        let hit = world.step >= 3;
        assert!(world.graph.degree(principal) > 0);
        for v in world.graph.views(principal) {
            let toward = &world.views[world.graph.reverse(v)];
            let expected = if hit { 0.5 - 0.3 } else { 0.5 };
            assert!((toward.trust() - expected).abs() < 1e-6);
            assert!(((toward.alpha + toward.beta) as f64 - 4.0).abs() < 1e-5);
            assert!(
                (world.views[v].trust() - 0.5).abs() < 1e-6,
                "own views unchanged"
            );
        }
    }
    // A drop larger than the trust left stops at a tiny alpha (kept here: no breaks).
    let worlds = with_intervention(
        "scandal = 0.9",
        &["trust.break_below=0", "trust.conflict_below=0"],
    );
    let last = worlds.last().unwrap();
    let v = last.graph.views(principal).start;
    let toward = &last.views[last.graph.reverse(v)];
    assert!(toward.alpha > 0.0 && toward.trust() < 0.001);
}

#[test]
fn a_closure_cuts_contacts_for_its_steps_only() {
    let played = |w: &World| w.scratch.games.played.iter().sum::<u64>();
    let open = with_intervention("set = {}", &["contacts.default=1"]);
    let closed = with_intervention(
        "closure = { factor = 0.0, steps = 3 }",
        &["contacts.default=1"],
    );
    for (o, c) in open.iter().zip(&closed).skip(1) {
        let during = (3..=5).contains(&c.step);
        assert_eq!(played(c) == 0, during, "step {}", c.step);
        assert!(played(o) > 0);
        assert_eq!(c.contact_factor, if during { 0.0 } else { 1.0 });
    }
    // Halved: at the closure's first step (same state before it) fewer ties are active.
    let halved = with_intervention(
        "closure = { factor = 0.5, steps = 1 }",
        &["contacts.default=0.8"],
    );
    let open = with_intervention("set = {}", &["contacts.default=0.8"]);
    assert!(played(&halved[3]) < played(&open[3]));
    assert_eq!(played(&halved[2]), played(&open[2]));
}

#[test]
fn a_replaced_principal_leaves_and_a_stranger_takes_over() {
    let worlds = with_intervention("replace_principal = true", &[]);
    let before = &worlds[2];
    let after = &worlds[3];
    let old = before.agents.by_role[Role::Principal.index()][0];
    let new = &after.agents.by_role[Role::Principal.index()];
    assert_eq!(new.len(), 1);
    let new = new[0];
    assert_ne!(new, old);
    assert!(!after.agents.active[old as usize]);
    assert_eq!(after.graph.degree(old), 0);
    assert_eq!(after.agents.arrived[new as usize], 3);
    assert!(after.graph.degree(new) > 0, "the newcomer gets ties");
    for v in after.graph.views(new) {
        assert!(
            (after.views[v].trust() - 1.0 / 3.0).abs() < 1e-6,
            "a stranger"
        );
    }
}

#[test]
fn an_intervention_sets_levers_from_its_step() {
    let worlds = with_intervention(
        "set = { \"policy.transparency\" = 0.9, \"policy.governance\" = \"partnership\" }",
        &[],
    );
    for world in &worlds {
        let set = world.step >= 3;
        assert_eq!(world.policy.transparency, if set { 0.9 } else { 0.5 });
    }
}

#[test]
fn interventions_start_and_stop_programmes() {
    let text = format!(
        "{QUIET}\n[[programme]]\nkind = \"custom\"\nname = \"reading_club\"\nmembers = {{ teacher = 2, parent = 4 }}\nevery = 2\nactive = false\n\
         [[intervention]]\nat = 3\nstart = [\"reading_club\"]\n[[intervention]]\nat = 6\nstop = [\"reading_club\"]\n"
    );
    let worlds = worlds(&scenario(&text, &["run.steps=10"]));
    for world in &worlds {
        let running = (3..6).contains(&world.step);
        let state = &world.programmes[0];
        assert_eq!(state.running, running, "step {}", world.step);
        let meets = running && (world.step - 3) % 2 == 0;
        assert_eq!(
            !world.scratch.attended.is_empty(),
            meets,
            "step {}",
            world.step
        );
        assert_eq!(!world.scratch.activities.is_empty(), meets);
        if running {
            let roles = &state.roles;
            assert_eq!(roles.iter().filter(|r| **r == Role::Teacher).count(), 2);
            assert_eq!(roles.iter().filter(|r| **r == Role::Parent).count(), 4);
        } else {
            assert!(state.members.is_empty());
        }
    }
}

#[test]
fn programme_members_who_leave_or_change_role_are_replaced() {
    // Years of 5 steps: every year end a third of the students graduate into alumni.
    let text = format!(
        "{QUIET}\n[population.student]\ncount = 30\n\
         [[programme]]\nkind = \"custom\"\nname = \"class\"\nmembers = {{ principal = 1, student = 12 }}\nevery = 1\n"
    );
    let worlds = worlds(&scenario(
        &text,
        &[
            "run.steps=16",
            "run.steps_per_year=5",
            "lifecycle.enabled=true",
            "lifecycle.principal_change=1",
        ],
    ));
    let mut replaced = 0;
    for pair in worlds.windows(2) {
        let (before, after) = (&pair[0].programmes[0], &pair[1].programmes[0]);
        let agents = &pair[1].agents;
        assert_eq!(after.members.len(), 13, "step {}", pair[1].step);
        // Year ends come after the meeting: leavers are replaced at the next one.
        let year_end = pair[1].step % 5 == 0;
        for (&member, &role) in after.members.iter().zip(&after.roles).filter(|_| !year_end) {
            assert!(agents.active[member as usize]);
            assert_eq!(agents.role[member as usize], role);
        }
        let mut sorted = after.members.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 13, "distinct members");
        replaced += after
            .members
            .iter()
            .filter(|m| !before.members.contains(m))
            .count();
    }
    // Step 1 draws 13; year ends at 5, 10, 15 replace the principal and graduates.
    assert!(replaced > 13 + 3, "{replaced}");
}

#[test]
fn a_networking_event_ties_everyone_who_meets() {
    let text = r#"
[run]
steps = 1
replicates = 1
[population.parent]
count = 10
[network]
kind = "sbm"
density = { default = 0.0 }
[contacts]
default = 0.0
[network_change]
introduction_rate = 0.0
chance_meeting_rate = 0.0
[policy]
networking_events = 40
[diffusion]
event_size = 10
event_tie_chance = 1.0
"#;
    let met = worlds(&scenario(text, &[]));
    assert_eq!(met[0].graph.tie_count(), 0);
    assert_eq!(
        met[1].graph.tie_count(),
        45,
        "one event a week, all 10 meet"
    );
    for view in &met[1].views {
        assert!((view.trust() - 1.0 / 3.0).abs() < 1e-6, "strangers");
    }
    let none = worlds(&scenario(text, &["policy.networking_events=0"]));
    assert_eq!(none[1].graph.tie_count(), 0);
}

/// Five teachers, all tied, who never play pairwise: a contest among all of them.
const RIVALS: &str = r#"
[run]
steps = 1
replicates = 1
[population.teacher]
count = 5
norm = 0.6
resources = 10
[network]
kind = "sbm"
density = { default = 1.0 }
[contacts]
default = 0.0
[trust]
forgetting = 0.0
conflict_below = 0.0
break_below = 0.0
[network_change]
introduction_rate = 0.0
chance_meeting_rate = 0.0
[learning]
rule = "none"
exploration = 0.0
[lifecycle]
enabled = false
[[contest]]
name = "best_teacher"
role = "teacher"
every = 1
contestants = 5
prize = 10
effort_cost = 1
rivalry = 1.5
"#;

#[test]
fn a_contest_costs_effort_pays_the_winner_and_embitters_the_losers() {
    let worlds = worlds(&scenario(RIVALS, &[]));
    let world = &worlds[1];
    // Effort 1 − 0.6 / 2 = 0.7 each.
    let resources = &world.agents.resources;
    let winners: Vec<usize> = (0..5).filter(|&i| resources[i] > 10.0).collect();
    assert_eq!(winners.len(), 1);
    for (i, r) in resources.iter().enumerate() {
        let expected = if winners.contains(&i) { 19.3 } else { 9.3 };
        assert!(close(*r, expected), "{i}: {r}");
    }
    for i in 0..5u32 {
        for v in world.graph.views(i) {
            let expected = if winners.contains(&(i as usize)) {
                2.0
            } else {
                3.5
            };
            assert_eq!(world.views[v].beta as f64, expected, "{i}'s views");
            assert_eq!(world.views[v].alpha, 2.0);
        }
    }
}

#[test]
fn harder_competitors_win_more_often() {
    // Teacher 0 has norm 0 (effort 1), the others norm 1 (effort 0.5): it wins with chance
    // 1 / (1 + 4 × 0.5) = 1/3. Over 600 contests: 200 wins, sd √(600 × 2/9) = 11.5; the
    // tolerance of 46 is 4 sd.
    let text = format!("{RIVALS}\n[population.principal]\ncount = 0\n");
    let s = scenario(
        &text,
        &[
            "run.steps=600",
            "contest.0.prize=1",
            "contest.0.effort_cost=0",
        ],
    );
    let params = Params::new(&s);
    let streams = gotong::engine::streams::Streams::new(s.run.seed, 0);
    let mut world = gotong::model::setup::build_world(&s, &params, streams).unwrap();
    world.agents.norm = vec![0.0, 1.0, 1.0, 1.0, 1.0];
    let schedule = gotong::engine::schedule::Schedule::new(gotong::model::rules::standard_rules());
    for _ in 0..600 {
        schedule.step(&mut world, streams, &params);
    }
    let wins = world.agents.resources[0] - 10.0;
    assert!((wins - 200.0).abs() < 46.0, "{wins} wins");
}

#[test]
fn governance_scales_contacts_across_the_school_boundary() {
    // Step 1 starts from the same state: the ties active under a lower contact chance are
    // a subset of those under a higher one (the same pair draws).
    let played = |governance: &str| {
        let worlds = worlds(&scenario(
            QUIET,
            &[
                "contacts.default=0.5",
                "run.steps=1",
                &format!("policy.governance={governance}"),
            ],
        ));
        let games = &worlds[1].scratch.games.played;
        (games[Role::Parent.index()], games[Role::Teacher.index()])
    };
    let (professional, advocacy, partnership) = (
        played("professional"),
        played("advocacy"),
        played("partnership"),
    );
    assert!(professional.0 < advocacy.0 && advocacy.0 < partnership.0);
    assert!(professional.1 < advocacy.1 && advocacy.1 < partnership.1);
}
