//! Group activities: gotong royong as a public-goods game (DESIGN §5.2).
//!
//! Each activity type runs `per_step` times a step on average (the whole part always, the
//! fraction by chance). An occurrence draws its members by role, uniformly among the agents
//! of that role, and plays the group game of `group_game.rs` (shares, the levers, payoffs,
//! observations, new ties, ideas).
//!
//! Occurrences read the state the pairwise games left (this step's beliefs included) and
//! not each other's results, so they are computed in parallel and applied in occurrence
//! order.
//!
//! Owns: how many occurrences run and who takes part. Must never: change the game itself
//! (group_game.rs owns it, so activities and programmes play the same game).

use super::group_game::{self, GroupGame};
use crate::engine::parallel::map_blocks;
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::world::{GroupSource, World};

/// Group activities.
pub struct GroupActivities;

impl Rule for GroupActivities {
    fn name(&self) -> &'static str {
        "group_activities"
    }

    fn phase(&self) -> Phase {
        Phase::Groups
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let occurrences = occurrences(context);
        if occurrences.is_empty() {
            return;
        }
        let world_ref = &*world;
        let results = map_blocks(
            world.agents.count(),
            occurrences,
            |_, (activity, occurrence)| run_occurrence(world_ref, context, activity, occurrence),
        );
        group_game::apply(world, results);
    }
}

/// (activity index, occurrence index) of every occurrence this step.
fn occurrences(context: &StepContext) -> Vec<(usize, u64)> {
    let mut list = Vec::new();
    for (index, activity) in context.params.activities.iter().enumerate() {
        let mut rng =
            context
                .streams
                .rng(Purpose::ActivityCount, context.step as u64, index as u64);
        let whole = activity.per_step.floor();
        let count = whole as u64 + rng.chance(activity.per_step - whole) as u64;
        list.extend((0..count).map(|k| (index, k)));
    }
    list
}

/// The stream entity of occurrence `occurrence` of activity `activity` (below 2^62, apart
/// from programme meetings' keys).
pub fn occurrence_key(activity: usize, occurrence: u64) -> u64 {
    ((activity as u64) << 32) | occurrence
}

/// One occurrence: members drawn from `Purpose::Activity`, then the group game.
fn run_occurrence(
    world: &World,
    context: &StepContext,
    activity_index: usize,
    occurrence: u64,
) -> group_game::GroupResult {
    let activity = &context.params.activities[activity_index];
    let key = occurrence_key(activity_index, occurrence);
    let mut rng = context
        .streams
        .rng(Purpose::Activity, context.step as u64, key);
    let by_role = &world.agents.by_role;
    let members =
        group_game::draw_by_role(&activity.members, |role| &by_role[role.index()], &mut rng);
    group_game::play(
        world,
        context,
        &GroupGame::of_activity(activity),
        members,
        GroupSource::Activity(activity_index),
        key,
        &mut rng,
    )
}
