//! Tests of the metric registry and of the metrics on hand-built worlds.

use super::*;

#[test]
fn gini_of_known_distributions() {
    assert_eq!(gini(&[]), 0.0);
    assert_eq!(gini(&[5.0, 5.0, 5.0]), 0.0);
    assert_eq!(gini(&[0.0, 0.0]), 0.0);
    // one of four holds everything: (n - 1) / n = 0.75
    assert!((gini(&[0.0, 0.0, 0.0, 8.0]) - 0.75).abs() < 1e-12);
    // negatives count as zero
    assert!((gini(&[-3.0, 0.0, 0.0, 8.0]) - 0.75).abs() < 1e-12);
    // 1, 2, 3: sum |xi - xj| / (2 n^2 mean) = 8 / (2 * 9 * 2) = 2/9
    assert!((gini(&[3.0, 1.0, 2.0]) - 2.0 / 9.0).abs() < 1e-12);
}

#[test]
fn the_bound_on_values_per_record_holds() {
    // 45 steps: past the first year end (step 40), so newcomers, alumni and the new
    // metrics' groups all appear.
    let steps = 45;
    for name in ["default", "classroom"] {
        let scenario = crate::scenario::load(Some(name), &[]).unwrap().scenario;
        let params = Params::new(&scenario);
        let streams = crate::engine::streams::Streams::new(1, 0);
        let mut world = crate::model::setup::build_world(&scenario, &params, streams).unwrap();
        let schedule =
            crate::engine::schedule::Schedule::new(crate::model::rules::standard_rules());
        let mut recorder = crate::observe::Recorder::new(false, steps);
        for _ in 0..steps {
            schedule.step(&mut world, streams, &params);
            crate::engine::Observer::observe(&mut recorder, &world, &params);
        }
        let most_at_a_step = |metric: Option<usize>| {
            (1..=steps)
                .map(|step| {
                    let rows = recorder.rows.iter().filter(|r| r.step == step);
                    rows.filter(|r| metric.is_none_or(|m| r.metric as usize == m))
                        .count()
                })
                .max()
                .unwrap() as u64
        };
        // Roles any agent has held (graduation makes alumni where a scenario had none) ...
        let mut held: Vec<_> = world.agents.role.clone();
        held.sort();
        held.dedup();
        // ... and the roles the scenario names (`agents` reports them even at a count of 0).
        let mut named = held.clone();
        named.extend(params.population.roles.keys());
        named.sort();
        named.dedup();
        let activities = scenario.activities.len() + scenario.programmes.len();
        let every: Vec<usize> = (0..METRICS.len()).collect();
        for &index in &every {
            let (most, bound) = (
                most_at_a_step(Some(index)),
                values_per_record_bound(&[index], named.len(), activities),
            );
            let metric = METRICS[index].name;
            assert!(
                most <= bound,
                "{name}: {most} values of {metric}, bound {bound}"
            );
        }
        let (most, bound) = (
            most_at_a_step(None),
            values_per_record_bound(&every, held.len(), activities),
        );
        assert!(
            most <= bound,
            "{name}: {most} values recorded, bound {bound}"
        );
        assert!(
            bound <= 2 * most,
            "{name}: the bound {bound} is loose against {most}"
        );
        for (index, metric) in METRICS.iter().enumerate() {
            assert!(
                recorder.rows.iter().any(|r| r.metric as usize == index),
                "{name}: {} never recorded",
                metric.name
            );
        }
        for metric in ["cooperation_rate", "mean_trust"] {
            let index = metric_index(metric).unwrap() as u16;
            assert!(
                recorder
                    .rows
                    .iter()
                    .any(|r| r.metric == index && r.group == "newcomer" && r.step > 40),
                "{name}: no newcomer group for {metric}"
            );
        }
    }
}

#[test]
fn names_are_unique() {
    let mut names: Vec<&str> = METRICS.iter().map(|m| m.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), METRICS.len());
}

/// The values `name` records for `world`, by group.
fn values(world: &World, params: &Params, name: &str) -> Vec<(String, f64)> {
    let mut rows = Vec::new();
    let mut sink = Sink {
        rows: &mut rows,
        step: world.step,
        metric: 0,
    };
    let observed = Observed::new(world, params);
    (METRICS[metric_index(name).unwrap()].compute)(&observed, &mut sink);
    rows.into_iter().map(|r| (r.group, r.value)).collect()
}

fn value(values: &[(String, f64)], group: &str) -> Option<f64> {
    values.iter().find(|(g, _)| g == group).map(|(_, v)| *v)
}

fn assert_close(got: Option<f64>, want: f64) {
    let got = got.expect("recorded");
    assert!((got - want).abs() < 1e-6, "got {got}, want {want}");
}

mod hand_built {
    use super::*;
    use crate::model::role::Role::{Community, Parent, Student, Teacher};
    use crate::model::testing::{params, set_trust, world};

    #[test]
    fn closure_counts_closed_chains_and_parent_pairs() {
        // 0 P0, 1 P1, 2 S0 (of P0), 3 S1 (of P1), 4 T0, 5 T1, 6 S2 (of P0), 7 S3 (of P1),
        // 8 S4 (of P2), 9 P2
        let roles = [
            Parent, Parent, Student, Student, Teacher, Teacher, Student, Student, Student, Parent,
        ];
        let edges = [
            (0, 2),
            (1, 3),
            (0, 6),
            (1, 7),
            (9, 8), // families
            (2, 4),
            (2, 5),
            (3, 4), // students and teachers
            (0, 4),
            (0, 1), // P0–T0, P0–P1
            (2, 3),
            (2, 6),
            (6, 7),
            (2, 8), // students
        ];
        let mut w = world(&roles, &edges);
        for (student, parent) in [(2, 0), (3, 1), (6, 0), (7, 1), (8, 9)] {
            w.agents.parent[student] = parent;
        }
        // chains: S0 with P0 and T0, T1 (P0–T0 closed), S1 with P1 and T0 (open): 1 of 3.
        // pairs: S0–S1 (P0–P1 tied), S2–S3 (tied), S0–S4 (P0–P2 not); S0–S2 share P0.
        let got = values(&w, &params(), "closure");
        assert_close(value(&got, "parent_student_teacher"), 1.0 / 3.0);
        assert_close(value(&got, "parent_parent"), 2.0 / 3.0);
        assert_close(value(&got, "all"), 0.5);
        // Without students nothing is recorded.
        let empty = world(&[Parent, Teacher], &[(0, 1)]);
        assert!(values(&empty, &params(), "closure").is_empty());
    }

    #[test]
    fn learning_index_averages_the_defined_parts() {
        // 0 T0, 1 T1, 2 T2, 3 S0 (of P0), 4 S1 (of P1), 5 P0, 6 P1, 7 S2 (no parent)
        let roles = [
            Teacher, Teacher, Teacher, Student, Student, Parent, Parent, Student,
        ];
        let edges = [
            (3, 0),
            (3, 1),
            (3, 2),
            (0, 1), // S0's teachers; only T0–T1 tied
            (5, 0),
            (5, 2),
            (3, 5), // P0 knows T0 and T2; family tie
            (4, 0),
            (6, 1),
            (4, 6), // S1: one teacher; P1 knows T1 only
        ];
        let mut w = world(&roles, &edges);
        w.agents.parent[3] = 5;
        w.agents.parent[4] = 6;
        for (from, to, trust) in [
            (0, 1, 0.8),
            (1, 0, 0.6),
            (5, 0, 0.9),
            (0, 5, 0.7),
            (5, 2, 0.5),
            (2, 5, 0.3),
        ] {
            set_trust(&mut w, from, to, trust);
        }
        w.agents.enrichment[3] = 0.2;
        w.agents.enrichment[4] = 0.4;
        // S0: collaboration (0.8 + 0.6) / 2 = 0.7, home-school (0.9 + 0.7 + 0.5 + 0.3) / 4
        // = 0.6, enrichment 0.2: index 0.5. S1: only enrichment, 0.4. S2: enrichment 0.
        let got = values(&w, &params(), "learning_index");
        assert_close(value(&got, "all"), (0.5 + 0.4 + 0.0) / 3.0);
        assert_close(value(&got, "teacher_collaboration"), 0.7);
        assert_close(value(&got, "home_school"), 0.6);
        assert_close(value(&got, "enrichment"), 0.2);
    }

    #[test]
    fn newcomers_have_their_own_groups() {
        let params = params(); // 40 steps a year
        let mut w = world(&[Teacher, Teacher, Parent], &[(0, 1), (1, 2)]);
        w.step = 50;
        w.agents.arrived[1] = 20; // a newcomer until step 60
        w.agents.arrived[2] = 10; // arrived more than a year ago
        set_trust(&mut w, 1, 0, 0.9);
        set_trust(&mut w, 1, 2, 0.7);
        assert_close(value(&values(&w, &params, "mean_trust"), "newcomer"), 0.8);
        assert_eq!(
            value(&values(&w, &params, "cooperation_rate"), "newcomer"),
            None
        );
        w.scratch.games.newcomer_played = 4;
        w.scratch.games.newcomer_cooperated = 3;
        assert_close(
            value(&values(&w, &params, "cooperation_rate"), "newcomer"),
            0.75,
        );
        w.step = 60;
        assert_eq!(value(&values(&w, &params, "mean_trust"), "newcomer"), None);
    }

    #[test]
    fn school_outcomes_follow_their_formulas() {
        let mut params = params();
        params.steps_per_year = 40;
        // 0 T, 1 T, 2 Community (tied to 1), 3 Community (left the school)
        let mut w = world(&[Teacher, Teacher, Community, Community], &[(1, 2)]);
        w.agents.active[3] = false;
        w.agents.index_roles();
        w.agents.knowledge = vec![0.2, 0.4, 0.9, 1.0];
        w.agents.opinion = vec![0.0, 0.0, 0.7, 0.1];
        w.agents.reputation = vec![0.3, 0.5, 0.6, 0.0];
        w.ledger.recent_innovations = 0.003; // per step, 3 active agents
        w.ledger.recent_mobilised = 0.5;
        set_trust(&mut w, 1, 2, 0.8);
        set_trust(&mut w, 2, 1, 0.6);
        let agents = values(&w, &params, "agents");
        assert_eq!(value(&agents, "all"), Some(3.0));
        assert_eq!(value(&agents, "community"), Some(1.0));
        let knowledge = values(&w, &params, "knowledge");
        assert_close(value(&knowledge, "all"), 0.5);
        assert_close(value(&knowledge, "teacher"), 0.3);
        let reputation = values(&w, &params, "reputation");
        assert_close(value(&reputation, "school"), 0.7);
        assert_close(value(&reputation, "teacher"), 0.4);
        let progress = values(&w, &params, "progress_index");
        let innovation = 1.0 - (-0.003f64 * 100.0 / 3.0 * 40.0).exp();
        let networking = 0.7 * (2.0 / 3.0); // mean trust × largest component share
        let technology = 0.5;
        let natural = 1.0 - (-0.5f64).exp();
        assert_close(value(&progress, "innovation"), innovation);
        assert_close(value(&progress, "networking"), networking);
        assert_close(value(&progress, "technology"), technology);
        assert_close(value(&progress, "natural_resources"), natural);
        let weighted = 0.45 * innovation + 0.25 * networking + 0.20 * technology + 0.10 * natural;
        assert_close(value(&progress, "all"), weighted);
    }
}
