//! Solidarity (DESIGN §1: those with more owe a share to those in need; `[solidarity]`,
//! off while `share` is 0).
//!
//! Each step, every active agent i with resources r_i above `threshold` (θ) looks at its
//! contacts, takes the one with the least resources (the lowest id among equals) and, if
//! that contact has less than θ, gives it `share × (r_i − θ)`. Givers and receivers are
//! disjoint (above θ vs below θ). Gifts are decided on the resources as the step's earlier
//! rules left them (in parallel by agent blocks) and applied in giver id order, so several
//! givers can help the same contact. Resources move and are never made or lost.
//!
//! Owns: the transfers. Must never: change payoffs used for learning (`round_payoff`: a
//! gift is not the outcome of a game), or give to someone not tied to the giver.

use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::model::world::World;
use crate::network::AgentId;

/// Gifts from those above the threshold to their neediest contact.
pub struct SolidarityRule;

/// One gift: from, to, amount.
type Gift = (AgentId, AgentId, f64);

impl Rule for SolidarityRule {
    fn name(&self) -> &'static str {
        "solidarity"
    }

    fn phase(&self) -> Phase {
        Phase::Diffusion
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let solidarity = &context.params.solidarity;
        if solidarity.share <= 0.0 {
            return;
        }
        let n = world.agents.count();
        let world_ref = &*world;
        let gifts = map_blocks(n, agent_blocks(n), |_, block| {
            block
                .filter_map(|i| {
                    gift(
                        world_ref,
                        i as AgentId,
                        solidarity.threshold,
                        solidarity.share,
                    )
                })
                .collect::<Vec<Gift>>()
        });
        let resources = &mut world.agents.resources;
        for (giver, receiver, amount) in gifts.into_iter().flatten() {
            resources[giver as usize] -= amount;
            resources[receiver as usize] += amount;
        }
    }
}

/// What `agent` gives this step, if anything.
fn gift(world: &World, agent: AgentId, threshold: f64, share: f64) -> Option<Gift> {
    let agents = &world.agents;
    let own = agents.resources[agent as usize];
    if !agents.active[agent as usize] || own <= threshold {
        return None;
    }
    let mut neediest: Option<AgentId> = None;
    for &contact in world.graph.neighbours(agent) {
        let poorer = neediest.is_none_or(|best| {
            agents.resources[contact as usize] < agents.resources[best as usize]
        });
        if poorer {
            neediest = Some(contact);
        }
    }
    let receiver = neediest?;
    (agents.resources[receiver as usize] < threshold).then_some((
        agent,
        receiver,
        share * (own - threshold),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::streams::{Draw, Purpose, Streams};
    use crate::model::role::Role::Parent;
    use crate::model::testing::{context, params, world};

    #[test]
    fn the_richer_give_a_share_of_their_excess_to_their_neediest_contact() {
        let mut params = params();
        params.solidarity.threshold = 50.0;
        params.solidarity.share = 0.5;
        // 0 (rich) tied to 1, 2, 3; 2 and 3 are equally poor: the lower id receives.
        // 4 (rich) tied to 5, who is not below the threshold: no gift.
        let mut w = world(&[Parent; 6], &[(0, 1), (0, 2), (0, 3), (4, 5), (1, 2)]);
        w.agents.resources = vec![90.0, 20.0, 10.0, 10.0, 80.0, 50.0];
        SolidarityRule.apply(&mut w, &context(&params, 1));
        assert_eq!(w.agents.resources, vec![70.0, 20.0, 30.0, 10.0, 80.0, 50.0]);
    }

    #[test]
    fn resources_are_conserved() {
        let mut params = params();
        params.solidarity.threshold = 40.0;
        params.solidarity.share = 0.25;
        let n = 300u32;
        let streams = Streams::new(11, 0);
        let mut rng = streams.rng(Purpose::Diffusion, 0, 0);
        let edges: Vec<(u32, u32)> = (0..4 * n)
            .map(|_| (rng.below(n as u64) as u32, rng.below(n as u64) as u32))
            .collect();
        let mut w = world(&vec![Parent; n as usize], &edges);
        // Multiples of 1/8 and a share of 1/4: every transfer is exact in binary, so the
        // totals must agree to the last bit.
        for r in w.agents.resources.iter_mut() {
            *r = rng.below(8 * 100) as f64 / 8.0 - 10.0;
        }
        let total = |w: &World| w.agents.resources.iter().sum::<f64>();
        let before = total(&w);
        for step in 1..=3 {
            SolidarityRule.apply(&mut w, &context(&params, step));
        }
        assert_eq!(total(&w), before);
        // Any values: equal up to rounding of the sums.
        for r in w.agents.resources.iter_mut() {
            *r = 100.0 * rng.uniform() - 5.0;
        }
        let before = total(&w);
        let old = w.agents.resources.clone();
        SolidarityRule.apply(&mut w, &context(&params, 4));
        assert_ne!(w.agents.resources, old, "gifts were made");
        assert!((total(&w) - before).abs() <= 1e-9 * before.abs());
    }
}
