//! Networking events (DESIGN §7, `policy.networking_events`): occasions the school organises
//! for people to meet.
//!
//! Each step, `networking_events / run.steps_per_year` events are held on average (the
//! whole part always, the fraction by chance). Event k brings `diffusion.event_size`
//! distinct active agents together, drawn uniformly (fewer if the community is smaller);
//! each pair of them meets with chance `diffusion.event_tie_chance`, and strangers who meet
//! propose a tie (`scratch.new_ties`; it starts from the stranger prior at network change).
//! Draws: `Purpose::NetworkingEvent`, entity 0 for the count and k + 1 for event k.
//!
//! Owns: who meets at events. Must never: change beliefs, resources or existing ties.

use super::group_game::draw_from;
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::world::World;
use crate::network::AgentId;
use crate::network::generators::erdos_renyi;

/// Networking events.
pub struct NetworkingEvents;

impl Rule for NetworkingEvents {
    fn name(&self) -> &'static str {
        "networking_events"
    }

    fn phase(&self) -> Phase {
        Phase::Groups
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let per_step = world.policy.networking_events / context.params.steps_per_year as f64;
        if per_step <= 0.0 {
            return;
        }
        let step = context.step as u64;
        let events = context
            .streams
            .rng(Purpose::NetworkingEvent, step, 0)
            .round_stochastic(per_step);
        if events == 0 {
            return;
        }
        let everyone: Vec<AgentId> = world.agents.by_role.iter().flatten().copied().collect();
        let diffusion = &context.params.diffusion;
        for k in 0..events {
            let mut rng = context.streams.rng(Purpose::NetworkingEvent, step, k + 1);
            let guests = draw_from(&everyone, diffusion.event_size as usize, &mut rng);
            let pairs =
                erdos_renyi(guests.len(), diffusion.event_tie_chance, &mut rng).unwrap_or_default();
            for (a, b) in pairs {
                let (a, b) = (guests[a as usize], guests[b as usize]);
                if !world.graph.has_tie(a, b) {
                    world.scratch.new_ties.push((a, b));
                }
            }
        }
    }
}
