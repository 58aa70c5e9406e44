//! The rules of one step, each a type implementing [`crate::engine::schedule::Rule`].
//!
//! Owns: the content of every rule and the list of rules a standard run uses.
//! Must never: make streams other than through the `Streams` in the step context, or write
//! another agent's views (each pass writes only the entries of the agent it runs for).

mod activities;
mod beliefs;
mod contests;
mod diffusion;
mod evaluation;
mod games;
mod group_game;
mod imitation;
mod interventions;
mod learning;
mod lifecycle;
mod network_change;
mod networking_events;
mod newcomer_games;
mod programmes;
mod sequential;
mod solidarity;

pub use activities::GroupActivities;
pub use beliefs::BeliefUpdate;
pub use contests::Contests;
pub use diffusion::DiffusionRule;
pub use evaluation::Evaluation;
pub use games::PairwiseGames;
pub use interventions::Interventions;
pub use learning::{Learning, LearningBeforeGames};
pub use lifecycle::SchoolYear;
pub use network_change::NetworkChangeRule;
pub use networking_events::NetworkingEvents;
pub use newcomer_games::NewcomerGames;
pub use programmes::Programmes;
pub use solidarity::SolidarityRule;

use crate::engine::schedule::Rule;

/// The rules of the standard school model; the engine orders them by phase.
pub fn standard_rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(Interventions),
        Box::new(LearningBeforeGames),
        Box::new(PairwiseGames),
        Box::new(NewcomerGames),
        Box::new(GroupActivities),
        Box::new(Programmes),
        Box::new(NetworkingEvents),
        Box::new(Contests),
        Box::new(BeliefUpdate),
        Box::new(NetworkChangeRule),
        Box::new(Learning),
        Box::new(SchoolYear),
        Box::new(DiffusionRule),
        Box::new(Evaluation),
        Box::new(SolidarityRule),
    ]
}
