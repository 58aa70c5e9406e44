//! The school year: graduation, intake, turnover, families, newcomers as strangers,
//! onboarding and placements, checked on whole runs of small schools.

mod common;
use common::model::worlds;
use gotong::model::role::Role;
use gotong::model::world::{NO_AGENT, World};
use gotong::scenario::Scenario;

/// A small school whose years are 10 steps long.
const SCHOOL: &str = r#"
[run]
steps = 30
steps_per_year = 10
replicates = 1
[population.principal]
count = 1
[population.teacher]
count = 10
[population.student]
count = 60
[population.parent]
count = 50
[population.alumnus]
count = 5
[population.firm]
count = 4
[network]
kind = "sbm"
density = { default = 0.05, "teacher~student" = 0.2, "firm~alumnus" = 0.5 }
[contacts]
default = 0.5
[lifecycle]
school_years = 3
intake = 1.0
teacher_transfer = 0.2
principal_change = 1.0
firm_exit = 0.5
firm_entry = 2.0
"#;

fn school(overrides: &[&str]) -> Scenario {
    common::model::scenario(SCHOOL, overrides)
}

fn count(world: &World, role: Role) -> usize {
    world.agents.by_role[role.index()].len()
}

#[test]
fn a_year_end_graduates_a_cohort_and_admits_the_next() {
    // Strength changes only at graduation here, so the halving can be seen exactly.
    let worlds = worlds(&school(&["ties.growth=0", "ties.loss=0", "ties.decay=0"]));
    let (before, after) = (&worlds[9], &worlds[10]);
    assert_eq!(count(before, Role::Student), 60);
    assert_eq!(
        count(after, Role::Student),
        60,
        "intake 1 keeps the school's size"
    );
    assert_eq!(
        count(after, Role::Alumnus),
        5 + 20,
        "a third of 60 graduated"
    );
    let graduates: Vec<usize> = (0..before.agents.count())
        .filter(|&i| {
            before.agents.role[i] == Role::Student && after.agents.role[i] == Role::Alumnus
        })
        .collect();
    assert_eq!(graduates.len(), 20);
    assert!(
        graduates.iter().all(|&g| before.agents.tenure[g] == 2),
        "the last-year students graduate"
    );
    for &g in &graduates {
        for v in before.graph.views(g as u32) {
            let partner = before.graph.targets()[v];
            if let Some(v_after) = after.graph.find_view(g as u32, partner) {
                let partner_role = before.agents.role[partner as usize];
                let (old, new) = (before.views[v].strength, after.views[v_after].strength);
                let expected = if matches!(partner_role, Role::Teacher | Role::Student) {
                    old * 0.5
                } else {
                    old
                };
                assert!(
                    (new - expected).abs() < 1e-6,
                    "{partner_role} tie: {old} -> {new}, expected {expected}"
                );
            }
        }
    }
    // Every student has a parent at the school, tied to it.
    for &s in &after.agents.by_role[Role::Student.index()] {
        let parent = after.agents.parent[s as usize];
        assert_ne!(parent, NO_AGENT);
        assert!(after.agents.active[parent as usize] && after.graph.has_tie(s, parent));
        assert_eq!(after.agents.role[parent as usize], Role::Parent);
    }
    // Parents with no child left at the school join the community.
    let community = count(after, Role::Community);
    assert!(community > 0, "some parents had their only child graduate");
}

#[test]
fn newcomers_start_as_strangers_and_leavers_lose_their_ties() {
    let worlds = worlds(&school(&[]));
    let after = &worlds[10];
    let newcomers: Vec<u32> = (0..after.agents.count() as u32)
        .filter(|&i| after.agents.arrived[i as usize] == 10)
        .collect();
    assert!(newcomers.len() >= 20, "{} arrived", newcomers.len());
    let stranger = 1.0 / 3.0; // Beta(1, 2)
    let acquaintance = 0.5; // Beta(2, 2): family and mentor ties
    for &n in &newcomers {
        assert!(after.graph.degree(n) > 0, "newcomer {n} has ties");
        for v in after.graph.views(n) {
            let trust = after.views[v].trust();
            assert!(
                (trust - stranger).abs() < 1e-6 || (trust - acquaintance).abs() < 1e-6,
                "trust {trust}"
            );
        }
    }
    let left: Vec<usize> = (0..after.agents.count())
        .filter(|&i| !after.agents.active[i])
        .collect();
    assert!(
        !left.is_empty(),
        "the principal, some teachers and firms left"
    );
    for &i in &left {
        assert_eq!(
            after.graph.degree(i as u32),
            0,
            "agent {i} left but keeps ties"
        );
    }
    assert_eq!(
        count(after, Role::Principal),
        1,
        "the principal was replaced by one new principal"
    );
    assert_eq!(
        count(after, Role::Teacher),
        10,
        "transferring teachers are replaced"
    );
}

#[test]
fn onboarding_gives_newcomers_a_mentor_and_the_median_norm() {
    let worlds = worlds(&school(&[
        "policy.onboarding=1",
        "population.teacher.norm={ min = 0.1, max = 0.9 }",
    ]));
    let (before, after) = (&worlds[9], &worlds[10]);
    let new_teachers: Vec<u32> = after.agents.by_role[Role::Teacher.index()]
        .iter()
        .copied()
        .filter(|&t| after.agents.arrived[t as usize] == 10)
        .collect();
    assert!(!new_teachers.is_empty(), "teachers transferred");
    let mut norms: Vec<f64> = before.agents.by_role[Role::Teacher.index()]
        .iter()
        .filter(|&&t| after.agents.active[t as usize])
        .map(|&t| before.agents.norm[t as usize])
        .collect();
    norms.sort_by(f64::total_cmp);
    for &t in &new_teachers {
        let mentors = after.graph.views(t).filter(|&v| {
            let partner = after.graph.targets()[v];
            after.agents.role[partner as usize] == Role::Teacher
                && (after.views[v].trust() - 0.5).abs() < 1e-6
        });
        assert!(
            mentors.count() >= 1,
            "new teacher {t} has a mentor tie at the acquaintance prior"
        );
        let norm = after.agents.norm[t as usize];
        assert!(
            norms.iter().any(|n| (n - norm).abs() < 1e-12),
            "norm {norm} is a staying teacher's (the median)"
        );
    }
}

#[test]
fn alumni_tied_to_firms_get_placed() {
    let worlds = worlds(&school(&["diffusion.placement_rate=1"]));
    let last = worlds.last().unwrap();
    let placed = last.agents.placed.iter().filter(|&&p| p).count() as u64;
    assert!(placed > 0);
    assert_eq!(
        placed, last.ledger.placements,
        "the ledger counts every placement once"
    );
    assert!(
        last.agents
            .placed
            .iter()
            .enumerate()
            .all(|(i, &p)| !p || last.agents.role[i] == Role::Alumnus)
    );
    let none = worlds_of(&["diffusion.placement_rate=0"]);
    assert_eq!(none.ledger.placements, 0);
}

fn worlds_of(overrides: &[&str]) -> World {
    worlds(&school(overrides)).pop().unwrap()
}

#[test]
fn without_a_school_year_nobody_comes_or_goes() {
    let last = worlds_of(&["lifecycle.enabled=false"]);
    assert!(last.agents.active.iter().all(|&a| a));
    assert_eq!(last.agents.count(), 1 + 10 + 60 + 50 + 5 + 4);
}
