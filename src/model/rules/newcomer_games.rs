//! The pairwise games newcomers played this step, for the `cooperation_rate` group
//! `newcomer` (DESIGN §7: onboarding should make newcomers cooperate sooner).
//!
//! Runs right after the pairwise games, in their phase, while `scratch.records` still
//! matches the graph (network change rebuilds it later in the step). A newcomer is an
//! agent that arrived less than a school year ago ([`crate::model::world::Agents::is_newcomer`]).
//!
//! Owns: `scratch.games.newcomer_played` and `newcomer_cooperated`.
//! Must never: change anything else; it only counts what the games rule recorded.

use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::model::tie::Action;
use crate::model::world::World;
use crate::network::AgentId;

/// Counts newcomers' games.
pub struct NewcomerGames;

impl Rule for NewcomerGames {
    fn name(&self) -> &'static str {
        "newcomer_games"
    }

    fn phase(&self) -> Phase {
        Phase::Games
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let (step, year) = (context.step, context.params.steps_per_year);
        let n = world.agents.count();
        let world_ref = &*world;
        let counts = map_blocks(n, agent_blocks(n), |_, block| {
            let (mut played, mut cooperated) = (0u64, 0u64);
            for i in block {
                let agents = &world_ref.agents;
                if !agents.active[i] || !agents.is_newcomer(i, step, year) {
                    continue;
                }
                for v in world_ref.graph.views(i as AgentId) {
                    if let Some(action) = world_ref.scratch.records[v].action() {
                        played += 1;
                        cooperated += (action == Action::Cooperate) as u64;
                    }
                }
            }
            (played, cooperated)
        });
        let games = &mut world.scratch.games;
        for (played, cooperated) in counts {
            games.newcomer_played += played;
            games.newcomer_cooperated += cooperated;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::role::Role::Teacher;
    use crate::model::testing::{context, params, world};
    use crate::model::tie::StepRecord;

    #[test]
    fn counts_only_the_games_newcomers_played() {
        let params = params(); // 40 steps a year
        let mut w = world(&[Teacher, Teacher, Teacher], &[(0, 1), (1, 2), (0, 2)]);
        w.agents.arrived[1] = 30; // a newcomer at step 41, not at step 70
        w.begin_step();
        let play = |w: &mut World, from: u32, to: u32, action: Action| {
            let v = w.graph.find_view(from, to).unwrap();
            w.scratch.records[v] = StepRecord::played(action, false);
        };
        play(&mut w, 1, 0, Action::Cooperate);
        play(&mut w, 0, 1, Action::Defect);
        play(&mut w, 1, 2, Action::Defect);
        play(&mut w, 2, 1, Action::Cooperate);
        NewcomerGames.apply(&mut w, &context(&params, 41));
        let games = &w.scratch.games;
        assert_eq!((games.newcomer_played, games.newcomer_cooperated), (2, 1));
        w.scratch.games = Default::default();
        NewcomerGames.apply(&mut w, &context(&params, 70));
        assert_eq!(w.scratch.games.newcomer_played, 0);
    }
}
