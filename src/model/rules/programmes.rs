//! Programmes (DESIGN §1, §7): named, recurring group activities with standing members —
//! a parent–teacher association, an industry class, a sister school, a university
//! partnership, community service.
//!
//! Programme i (`params.programmes[i]`, state `world.programmes[i]`):
//! - starts running at step max(`start`, 1) when `active` (or when an intervention starts
//!   it), and stops after step `end` (or when an intervention stops it); a stopped
//!   programme has no members;
//! - meets at the step it starts and every `interval()` steps after, while running;
//! - at each meeting, its slots are filled: a member who left the school or no longer has
//!   the role it stands for is dropped, and each role's missing members are drawn
//!   uniformly among the active agents of that role who are not members
//!   (`Purpose::Programme`, keyed by the programme); at the first meeting that draws them
//!   all;
//! - a meeting plays the group game of `group_game.rs` (the same game and levers as an
//!   `[[activity]]`: endowment, synergy and `new_tie_chance` from the programme, trust
//!   sensitivity and the cooperation threshold 0.5, no expertise); its members are listed
//!   in `scratch.attended`, and its outcome appears in `group_contribution` under the
//!   programme's name.
//!
//! Owns: when programmes run and who their members are. Must never: play a group game of
//! its own (group_game.rs owns it), or draw from the activities' streams.

use super::group_game::{self, GroupGame};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::Purpose;
use crate::model::world::{Agents, GroupSource, ProgrammeState, World};
use crate::network::AgentId;
use crate::scenario::Programme;

/// Programme meetings.
pub struct Programmes;

/// Stream entities of programme meetings for the sanction and innovation streams have this
/// bit set (activities' entities are below it), and the programme's index in bits 32..62.
pub const PROGRAMME_KEY: u64 = 1 << 62;

/// `Purpose::Programme` entity of a programme's meeting draws (its membership draws use
/// the programme's index alone).
pub const MEETING: u64 = 1 << 32;

impl Rule for Programmes {
    fn name(&self) -> &'static str {
        "programmes"
    }

    fn phase(&self) -> Phase {
        Phase::Groups
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let step = context.step;
        let mut meeting = Vec::new();
        for (index, programme) in context.params.programmes.iter().enumerate() {
            let state = &mut world.programmes[index];
            if !state.running && programme.active && step == programme.start.max(1) {
                state.start(step);
            }
            if state.running && programme.end.is_some_and(|end| step > end) {
                state.stop();
            }
            if state.running && (step - state.since) % programme.interval() == 0 {
                let mut rng = context
                    .streams
                    .rng(Purpose::Programme, step as u64, index as u64);
                fill(state, programme, &world.agents, &mut rng);
                if !state.members.is_empty() {
                    meeting.push(index);
                }
            }
        }
        let world_ref = &*world;
        let results: Vec<_> = meeting
            .iter()
            .map(|&index| meet(world_ref, context, index))
            .collect();
        for &index in &meeting {
            let members = &world.programmes[index].members;
            world.scratch.attended.extend_from_slice(members);
        }
        group_game::apply(world, results);
    }
}

/// One meeting of programme `index` with its current members. Its misreadings and
/// meetings between members draw from the programme's meeting stream (entity
/// [`MEETING`] + index; membership draws use entity index).
fn meet(world: &World, context: &StepContext, index: usize) -> group_game::GroupResult {
    let programme = &context.params.programmes[index];
    let members = world.programmes[index].members.clone();
    let mut rng = context.streams.rng(
        Purpose::Programme,
        context.step as u64,
        MEETING + index as u64,
    );
    group_game::play(
        world,
        context,
        &GroupGame::of_programme(programme),
        members,
        GroupSource::Programme(index),
        PROGRAMME_KEY | ((index as u64) << 32),
        &mut rng,
    )
}

/// Drops members who left or changed role and draws the missing members of each role.
fn fill(
    state: &mut ProgrammeState,
    programme: &Programme,
    agents: &Agents,
    rng: &mut impl crate::engine::streams::Draw,
) {
    let mut members = Vec::new();
    let mut roles = Vec::new();
    for (role, wanted) in programme.member_counts() {
        let kept: Vec<AgentId> = state
            .members
            .iter()
            .zip(&state.roles)
            .filter(|&(&a, &r)| {
                r == role && agents.active[a as usize] && agents.role[a as usize] == role
            })
            .map(|(&a, _)| a)
            .collect();
        let missing = (wanted as usize).saturating_sub(kept.len());
        let mut drawn = Vec::new();
        if missing > 0 {
            let mut sorted = kept.clone();
            sorted.sort_unstable();
            let candidates: Vec<AgentId> = agents.by_role[role.index()]
                .iter()
                .copied()
                .filter(|a| sorted.binary_search(a).is_err())
                .collect();
            drawn = group_game::draw_from(&candidates, missing, rng);
        }
        let count = kept.len() + drawn.len();
        members.extend(kept);
        members.extend(drawn);
        roles.extend(std::iter::repeat_n(role, count));
    }
    state.members = members;
    state.roles = roles;
}
