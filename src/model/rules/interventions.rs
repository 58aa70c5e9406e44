//! Interventions (DESIGN §7): what `[[intervention]]` entries do at the start of their step.
//!
//! First, a school closure whose last step has passed ends (`contact_factor` back to 1).
//! Then every entry with `at` equal to this step applies, in the order of `Params`
//! (by step, then as listed), each in this order:
//! - `set`: the levers change (`Policy::with_lever`; validation checked them);
//! - `start` / `stop`: programmes by name start running this step unless they are
//!   running (members are drawn at their first meeting, this step), or stop (and lose
//!   their members); a programme started after its `end` stops again at once;
//! - `funding_cut = f`: resources of every active principal, teacher and staff × f;
//! - `scandal = d`: every view toward an active principal loses d of trust, keeping its
//!   weight: α ← max(ε, α − d(α + β)), β ← (α + β) − α, so trust falls by exactly d unless
//!   it would go below ε / (α + β) (ε = [`MIN_ALPHA`]);
//! - `closure = { factor, steps }`: contact chances × factor for this step and the next
//!   `steps − 1` (`world.contact_factor`, `world.closure_until`);
//! - `replace_principal`: every principal departs, then as many new principals arrive as
//!   `model::population` makes newcomers (strangers unless onboarded).
//!
//! Owns: when an intervention applies and what it changes. Must never: run in a parallel
//! pass (it writes other agents' views, e.g. toward the principal), or draw from the
//! year-end streams' keys: replacements use `Purpose::Lifecycle` keys from
//! [`REPLACEMENT`] up, above those of `lifecycle.rs`.

use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::model::population::{arrive, depart, settle};
use crate::model::role::Role;
use crate::model::tie::StepRecord;
use crate::model::world::World;
use crate::network::AgentId;
use crate::scenario::Intervention;

/// Interventions of the step.
pub struct Interventions;

/// The smallest α a scandal leaves in a belief.
pub const MIN_ALPHA: f64 = 1e-3;

/// First `Purpose::Lifecycle` stream key of principals who arrive by an intervention
/// (`lifecycle.rs` uses keys below 6 × 2^32); the entry's position is in bits 16..32.
pub const REPLACEMENT: u64 = 16 << 32;

impl Rule for Interventions {
    fn name(&self) -> &'static str {
        "interventions"
    }

    fn phase(&self) -> Phase {
        Phase::Interventions
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        if world.contact_factor != 1.0 && context.step > world.closure_until {
            world.contact_factor = 1.0;
        }
        let list = &context.params.interventions;
        let first = list.partition_point(|i| i.at < context.step);
        let last = list.partition_point(|i| i.at <= context.step);
        for (position, intervention) in list.iter().enumerate().take(last).skip(first) {
            intervene(world, context, intervention, position as u64);
        }
    }
}

fn intervene(world: &mut World, context: &StepContext, intervention: &Intervention, position: u64) {
    for (key, value) in &intervention.set {
        // Validated with the same function; a failure here would leave the levers as they were.
        if let Ok(policy) = world.policy.with_lever(key, value) {
            world.policy = policy;
        }
    }
    for (names, start) in [(&intervention.start, true), (&intervention.stop, false)] {
        for name in names {
            let programmes = context.params.programmes.iter();
            for (state, _) in world
                .programmes
                .iter_mut()
                .zip(programmes)
                .filter(|(_, p)| p.display_name() == name)
            {
                if start {
                    if !state.running {
                        state.start(context.step);
                    }
                } else {
                    state.stop();
                }
            }
        }
    }
    if let Some(factor) = intervention.funding_cut {
        cut_funding(world, factor);
    }
    if let Some(drop) = intervention.scandal {
        scandal(world, drop);
    }
    if let Some(closure) = &intervention.closure {
        world.contact_factor = closure.factor;
        world.closure_until = context.step + closure.steps.saturating_sub(1);
    }
    if intervention.replace_principal {
        replace_principals(world, context, position);
    }
}

/// Resources of the principal, teachers and staff × `factor`.
fn cut_funding(world: &mut World, factor: f64) {
    for role in [Role::Principal, Role::Teacher, Role::Staff] {
        for &agent in &world.agents.by_role[role.index()] {
            world.agents.resources[agent as usize] *= factor;
        }
    }
}

/// Every view toward an active principal loses `drop` of trust, keeping α + β.
fn scandal(world: &mut World, drop: f64) {
    for &principal in &world.agents.by_role[Role::Principal.index()] {
        for v in world.graph.views(principal) {
            let view = &mut world.views[world.graph.reverse(v)];
            let (alpha, beta) = (view.alpha as f64, view.beta as f64);
            let weight = alpha + beta;
            let lowered = (alpha - drop * weight).max(MIN_ALPHA);
            view.alpha = lowered as f32;
            view.beta = (weight - lowered) as f32;
        }
    }
}

/// The principals leave and as many new ones arrive; the graph is rebuilt at once, so the
/// step's per-view records are sized to it again.
fn replace_principals(world: &mut World, context: &StepContext, position: u64) {
    let leaving: Vec<AgentId> = world.agents.by_role[Role::Principal.index()].clone();
    for &principal in &leaving {
        depart(world, principal);
    }
    for k in 0..leaving.len() as u64 {
        let key = REPLACEMENT + (position << 16) + k;
        arrive(
            world,
            context.params,
            &context.streams,
            context.step,
            Role::Principal,
            key,
        );
    }
    settle(world, context.params);
    world.scratch.records.clear();
    world
        .scratch
        .records
        .resize(world.graph.view_count(), StepRecord::IDLE);
}
