//! Outcomes of the school model (DESIGN §8): head counts, resources mobilised, knowledge,
//! the school's reputation, innovations, placements and the progress index.
//!
//! Owns: how each of these is computed from the world (formulas in docs/model.md).
//! Must never: change the world, or record an undefined value (a mean over nobody).

use super::{Observed, Sink, push_by_role};
use crate::model::role::{ROLE_COUNT, Role};

/// `agents`: active agents, all and by role, for every role the scenario names or some
/// agent (active or not) holds, so a role whose agents all left or graduated reads 0
/// rather than vanishing.
pub(super) fn agents(o: &Observed, sink: &mut Sink) {
    let agents = &o.world.agents;
    let mut seen = [false; ROLE_COUNT];
    for role in agents.role.iter().chain(o.params.population.roles.keys()) {
        seen[role.index()] = true;
    }
    sink.push("all", agents.active_count() as f64);
    for role in Role::ALL {
        if seen[role.index()] {
            sink.push(role.name(), agents.by_role[role.index()].len() as f64);
        }
    }
}

/// `resources_mobilised`: given to school activities and programmes this step.
pub(super) fn resources_mobilised(o: &Observed, sink: &mut Sink) {
    let mobilised = &o.world.scratch.mobilised;
    sink.push("all", mobilised.iter().sum::<f64>());
    for role in Role::ALL {
        if !o.world.agents.by_role[role.index()].is_empty() {
            sink.push(role.name(), mobilised[role.index()]);
        }
    }
}

/// `knowledge`: mean knowledge, all and by role.
pub(super) fn knowledge(o: &Observed, sink: &mut Sink) {
    push_by_role(o, sink, &o.world.agents.knowledge);
}

/// `reputation`: the school's (mean opinion among active outsiders) and each role's mean
/// image score.
pub(super) fn reputation(o: &Observed, sink: &mut Sink) {
    let agents = &o.world.agents;
    let (mut opinion, mut outsiders) = (0.0, 0u64);
    let mut sums = [0.0; ROLE_COUNT];
    let mut counts = [0u64; ROLE_COUNT];
    for (i, image) in o.active_values(&agents.reputation) {
        let role = agents.role[i];
        sums[role.index()] += image;
        counts[role.index()] += 1;
        if !role.is_inside_school() {
            opinion += agents.opinion[i];
            outsiders += 1;
        }
    }
    if outsiders > 0 {
        sink.push("school", opinion / outsiders as f64);
    }
    for role in Role::ALL {
        if counts[role.index()] > 0 {
            sink.push(
                role.name(),
                sums[role.index()] / counts[role.index()] as f64,
            );
        }
    }
}

/// `innovations`: implemented since the start.
pub(super) fn innovations(o: &Observed, sink: &mut Sink) {
    sink.push("all", o.world.ledger.innovations as f64);
}

/// `placements`: graduates placed since the start.
pub(super) fn placements(o: &Observed, sink: &mut Sink) {
    sink.push("all", o.world.ledger.placements as f64);
}

/// The four components of the progress index, each in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Progress {
    pub innovation: f64,
    pub networking: f64,
    pub technology: f64,
    pub natural_resources: f64,
}

impl Progress {
    /// The components of the observed world (none without active agents):
    /// - innovation = 1 − exp(−ι × 100 / N × Y), ι the smoothed innovations per step, N
    ///   active agents, Y steps per year: innovations per 100 agents per year, saturating
    ///   (one a year per 100 agents gives 0.63);
    /// - networking = mean trust over all views × share of agents in the largest
    ///   component (0 without ties): a network that is both trusting and connected;
    /// - technology = mean knowledge of active agents;
    /// - natural_resources = 1 − exp(−m), m the smoothed resources mobilised per active
    ///   agent per step (one unit per agent per week gives 0.63).
    pub fn of(o: &Observed) -> Option<Progress> {
        let world = o.world;
        let active = world.agents.active_count();
        if active == 0 {
            return None;
        }
        let year = o.params.steps_per_year as f64;
        let ledger = &world.ledger;
        let per_hundred = ledger.recent_innovations * 100.0 / active as f64;
        let totals = o.views();
        let views: u64 = totals.views.iter().sum();
        let mean_trust = if views == 0 {
            0.0
        } else {
            totals.trust.iter().sum::<f64>() / views as f64
        };
        let knowledge: f64 = o
            .active_values(&world.agents.knowledge)
            .map(|(_, k)| k)
            .sum();
        Some(Progress {
            innovation: 1.0 - (-per_hundred * year).exp(),
            networking: mean_trust * o.largest_share(),
            technology: knowledge / active as f64,
            natural_resources: 1.0 - (-ledger.recent_mobilised.max(0.0)).exp(),
        })
    }

    /// The index: the components weighted by `[outcomes]`.
    pub fn index(&self, weights: &crate::scenario::Outcomes) -> f64 {
        weights.innovation * self.innovation
            + weights.networking * self.networking
            + weights.technology * self.technology
            + weights.natural_resources * self.natural_resources
    }
}

/// `progress_index`: the weighted index and its components.
pub(super) fn progress_index(o: &Observed, sink: &mut Sink) {
    let Some(progress) = Progress::of(o) else {
        return;
    };
    sink.push("all", progress.index(&o.params.outcomes));
    sink.push("innovation", progress.innovation);
    sink.push("networking", progress.networking);
    sink.push("technology", progress.technology);
    sink.push("natural_resources", progress.natural_resources);
}
