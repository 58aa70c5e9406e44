//! The step schedule: which rules run, in which order, with which context.
//!
//! Owns: the [`Rule`] interface and the order of [`Phase`]s (DESIGN §5). A new rule of the
//! model is a type in `model/` that implements [`Rule`] and is listed in
//! `model::rules::standard_rules`; the engine sorts rules by phase (stable, so rules of one
//! phase keep their listed order) and needs no edit.
//! Must never: look inside a rule.

use super::streams::Streams;
use crate::model::params::Params;
use crate::model::world::World;

/// Where a rule sits in a step (DESIGN §5). Rules read the state left by earlier phases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Interventions scheduled for this step (levers, programmes, shocks).
    Interventions = 1,
    /// Which ties are active, and the pairwise games played on them.
    Games = 2,
    /// Group activities, programmes, networking events, contests.
    Groups = 3,
    /// Belief and tie updates from what was observed.
    Beliefs = 4,
    /// New ties and breaks.
    NetworkChange = 5,
    /// Strategy and norm learning.
    Learning = 6,
    /// Year ends: graduation, arrivals, departures.
    Lifecycle = 7,
    /// Knowledge, opinions and reputation spread; evaluation; solidarity.
    Diffusion = 8,
}

/// What a rule may know about the step it runs in.
#[derive(Clone, Copy, Debug)]
pub struct StepContext<'a> {
    /// The step being computed, from 1 to `steps`.
    pub step: u32,
    /// Random streams of this replicate; key draws by `step`.
    pub streams: Streams,
    /// The run's parameters.
    pub params: &'a Params,
}

/// One rule of the model.
pub trait Rule: Send + Sync {
    /// Name for logs and profiles.
    fn name(&self) -> &'static str;
    /// Where in the step it runs.
    fn phase(&self) -> Phase;
    /// Applies the rule to the world for one step.
    fn apply(&self, world: &mut World, context: &StepContext);
}

/// Rules in the order they run.
pub struct Schedule {
    rules: Vec<Box<dyn Rule>>,
}

impl Schedule {
    /// A schedule of `rules`, ordered by phase.
    pub fn new(mut rules: Vec<Box<dyn Rule>>) -> Schedule {
        rules.sort_by_key(|rule| rule.phase());
        Schedule { rules }
    }

    /// Names of the rules in run order.
    pub fn names(&self) -> Vec<&'static str> {
        self.rules.iter().map(|rule| rule.name()).collect()
    }

    /// Runs one step: every rule in order, then the step counter advances.
    pub fn step(&self, world: &mut World, streams: Streams, params: &Params) {
        let context = StepContext {
            step: world.step + 1,
            streams,
            params,
        };
        world.begin_step();
        for rule in &self.rules {
            rule.apply(world, &context);
        }
        world.step += 1;
    }
}
