//! Regular evaluation (Maginn's way of building cooperation; DESIGN §7 `evaluation_every`).
//!
//! At every step that is a multiple of `policy.evaluation_every` (0: never), the review
//! exposes free riders: every active agent whose reputation (image score) is below 0.5 is
//! seen defecting by each of its contacts, so each contact's view of it gets β + 1.
//! The viewer writes its own views (each agent checks the reputation of the agents it
//! views), so the pass runs in parallel by agent blocks without collecting anything.
//!
//! Owns: the review. Must never: change reputations, memories or the reviewed agent's own
//! views; draw random numbers (a review is not misread).

use crate::engine::parallel::{agent_blocks, map_blocks, split_views};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::model::world::World;
use crate::network::AgentId;

/// Reputation below which a review exposes an agent as a free rider.
pub const FREE_RIDER_BELOW: f64 = 0.5;

/// Reviews that expose free riders.
pub struct Evaluation;

impl Rule for Evaluation {
    fn name(&self) -> &'static str {
        "evaluation"
    }

    fn phase(&self) -> Phase {
        Phase::Diffusion
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let every = world.policy.evaluation_every;
        if every == 0 || context.step % every != 0 {
            return;
        }
        let n = world.agents.count();
        let blocks = agent_blocks(n);
        let World {
            graph,
            views,
            agents,
            ..
        } = world;
        let pieces = split_views(graph.offsets(), &blocks, views);
        let items: Vec<_> = blocks.into_iter().zip(pieces).collect();
        let (graph, reputation) = (&*graph, &agents.reputation);
        map_blocks(n, items, |_, (block, views)| {
            let first_view = graph.offsets()[block.start];
            for i in block {
                for v in graph.views(i as AgentId) {
                    if reputation[graph.targets()[v] as usize] < FREE_RIDER_BELOW {
                        views[v - first_view].beta += 1.0;
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::role::Role::{Parent, Teacher};
    use crate::model::testing::{context, params, world};

    #[test]
    fn each_contact_of_a_free_rider_sees_it_defect_once_per_review() {
        let params = params();
        // a star around free rider 0, plus a tie between two contributors 1 and 2
        let mut w = world(
            &[Teacher, Teacher, Parent, Parent, Teacher],
            &[(0, 1), (0, 2), (0, 3), (1, 2), (3, 4)],
        );
        w.agents.reputation = vec![0.2, 0.9, 0.5, 0.7, 0.49];
        w.policy.evaluation_every = 4;
        let before = w.views.clone();
        Evaluation.apply(&mut w, &context(&params, 3));
        assert_eq!(w.views, before, "step 3 is not a review");
        Evaluation.apply(&mut w, &context(&params, 8));
        for i in 0..5u32 {
            for v in w.graph.views(i) {
                let target = w.graph.targets()[v];
                let expected = u32::from(target == 0 || target == 4) as f32;
                assert_eq!(w.views[v].beta - before[v].beta, expected, "{i}→{target}");
                assert_eq!(w.views[v].alpha, before[v].alpha);
            }
        }
        // exactly one β per contact of a free rider: 3 contacts of 0, 1 of 4
        let added: f32 = w
            .views
            .iter()
            .zip(&before)
            .map(|(a, b)| a.beta - b.beta)
            .sum();
        assert_eq!(added, 4.0);
    }

    #[test]
    fn no_reviews_when_the_lever_is_off() {
        let params = params();
        let mut w = world(&[Teacher, Teacher], &[(0, 1)]);
        w.agents.reputation = vec![0.0, 0.0];
        let before = w.views.clone();
        Evaluation.apply(&mut w, &context(&params, 40));
        assert_eq!(w.views, before);
    }
}
