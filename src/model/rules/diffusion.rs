//! Diffusion (DESIGN §5 step 8): what networking brings, spread along trusted ties.
//!
//! One synchronous pass per step (every agent reads the state as the step's earlier rules
//! left it and writes only its own entries), then two moving averages:
//! - **knowledge**: an active agent i closes `diffusion.knowledge_rate` (k) of the mean
//!   gap to its contacts j who know more and whom it trusts at least `trust_above`:
//!   `knowledge_i += k × Σ_{j∈S_i} f_ij (knowledge_j − knowledge_i) / |S_i|`, where
//!   f_ij = `policy.governance.inflow_factor()` when i is a member of the school and j an
//!   outsider (else 1). S_i holds every such contact, heard or not: an outsider whom the
//!   school does not listen to still takes a share of i's attention, so opening the school
//!   (a larger f) never slows its learning;
//! - **word of mouth**: an active outsider's opinion of the school closes
//!   `diffusion.word_of_mouth` of the gap to the mean of what it hears: its mean trust in
//!   the school members it is tied to (if any) and the mean opinion of the outsiders it
//!   trusts at least `trust_above` (if any); with neither it keeps its opinion. Members of
//!   the school keep theirs (the opinion measured is the outsiders');
//! - **enrichment**: `e ← (1 − 1/Y) e + (1/Y) [attended a programme this step]`, Y =
//!   `run.steps_per_year`, for every active agent;
//! - **ledger**: `recent_innovations ← (1 − 1/Y) recent + (1/Y) innovations this step`, and
//!   `recent_mobilised` the same with the resources mobilised this step per active agent.
//!
//! Knowledge stays in [0, 1]: the gap is closed by a weighted mean of shares at most 1.
//! Owns: `knowledge`, `opinion`, `enrichment`, `ledger.recent_*`.
//! Must never: draw random numbers (diffusion is deterministic), or write another agent's
//! entries.

use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::model::world::World;
use crate::network::AgentId;

/// Knowledge diffusion, word of mouth, and the year-long moving averages.
pub struct DiffusionRule;

impl Rule for DiffusionRule {
    fn name(&self) -> &'static str {
        "diffusion"
    }

    fn phase(&self) -> Phase {
        Phase::Diffusion
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        spread(world, context);
        let weight = 1.0 / context.params.steps_per_year.max(1) as f64;
        update_enrichment(world, weight);
        update_ledger(world, weight);
    }
}

/// Rates of one diffusion pass.
#[derive(Clone, Copy)]
struct Rates {
    knowledge: f64,
    inflow: f64,
    word_of_mouth: f64,
    trust_above: f64,
}

/// Knowledge and opinion, synchronously: new values from old, then all written.
fn spread(world: &mut World, context: &StepContext) {
    let diffusion = &context.params.diffusion;
    let rates = Rates {
        knowledge: diffusion.knowledge_rate,
        inflow: world.policy.governance.inflow_factor(),
        word_of_mouth: diffusion.word_of_mouth,
        trust_above: diffusion.trust_above,
    };
    if rates.knowledge <= 0.0 && rates.word_of_mouth <= 0.0 {
        return;
    }
    let n = world.agents.count();
    let world_ref = &*world;
    let updated = map_blocks(n, agent_blocks(n), |_, block| {
        block
            .map(|i| Heard::gather(world_ref, i as AgentId, rates).apply(world_ref, i, rates))
            .collect::<Vec<_>>()
    });
    for (i, (knowledge, opinion)) in updated.into_iter().flatten().enumerate() {
        world.agents.knowledge[i] = knowledge;
        world.agents.opinion[i] = opinion;
    }
}

/// What one agent takes from its contacts in one pass over its views.
#[derive(Default)]
struct Heard {
    /// Σ f_ij × gap over the contacts it learns from, and their number.
    gaps: f64,
    sources: u32,
    /// Its trust in the school members it is tied to (outsiders only), and their number.
    members: f64,
    member_count: u32,
    /// The opinions of the outsiders it trusts (outsiders only), and their number.
    word: f64,
    word_count: u32,
}

impl Heard {
    fn gather(world: &World, agent: AgentId, rates: Rates) -> Heard {
        let agents = &world.agents;
        let i = agent as usize;
        let mut heard = Heard::default();
        if !agents.active[i] {
            return heard;
        }
        let own = agents.knowledge[i];
        let inside = agents.role[i].is_inside_school();
        let learns = rates.knowledge > 0.0;
        let listens = rates.word_of_mouth > 0.0 && !inside;
        for v in world.graph.views(agent) {
            let j = world.graph.targets()[v] as usize;
            let gap = agents.knowledge[j] - own;
            if !listens && (!learns || gap <= 0.0) {
                continue; // nothing to take from j: skip computing trust
            }
            let trust = world.views[v].trust();
            let j_inside = agents.role[j].is_inside_school();
            let factor = if inside && !j_inside {
                rates.inflow
            } else {
                1.0
            };
            if learns && gap > 0.0 && trust >= rates.trust_above {
                heard.gaps += factor * gap;
                heard.sources += 1;
            }
            if listens && j_inside {
                heard.members += trust;
                heard.member_count += 1;
            } else if listens && trust >= rates.trust_above {
                heard.word += agents.opinion[j];
                heard.word_count += 1;
            }
        }
        heard
    }

    /// The agent's knowledge and opinion after this step.
    fn apply(&self, world: &World, i: usize, rates: Rates) -> (f64, f64) {
        let (knowledge, opinion) = (world.agents.knowledge[i], world.agents.opinion[i]);
        let knowledge = if self.sources == 0 {
            knowledge
        } else {
            (knowledge + rates.knowledge * self.gaps / self.sources as f64).clamp(0.0, 1.0)
        };
        let mut target = (0.0, 0u32); // sum and number of the parts heard
        for (sum, count) in [
            (self.members, self.member_count),
            (self.word, self.word_count),
        ] {
            if count > 0 {
                target = (target.0 + sum / count as f64, target.1 + 1);
            }
        }
        let opinion = if target.1 == 0 {
            opinion
        } else {
            opinion + rates.word_of_mouth * (target.0 / target.1 as f64 - opinion)
        };
        (knowledge, opinion)
    }
}

/// Moves every active agent's enrichment toward whether it attended a programme.
fn update_enrichment(world: &mut World, weight: f64) {
    let agents = &mut world.agents;
    let mut attended = vec![false; agents.count()];
    for &agent in &world.scratch.attended {
        if let Some(flag) = attended.get_mut(agent as usize) {
            *flag = true;
        }
    }
    for (i, enrichment) in agents.enrichment.iter_mut().enumerate() {
        if agents.active[i] {
            let now = if attended[i] { 1.0 } else { 0.0 };
            *enrichment = (1.0 - weight) * *enrichment + weight * now;
        }
    }
}

/// The ledger's year-long moving averages of innovations and mobilised resources.
fn update_ledger(world: &mut World, weight: f64) {
    let scratch = &world.scratch;
    let ledger = &mut world.ledger;
    ledger.recent_innovations =
        (1.0 - weight) * ledger.recent_innovations + weight * scratch.innovations as f64;
    let active = world.agents.active_count();
    let per_agent = if active == 0 {
        0.0
    } else {
        scratch.mobilised.iter().sum::<f64>() / active as f64
    };
    ledger.recent_mobilised = (1.0 - weight) * ledger.recent_mobilised + weight * per_agent;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::role::Role::{Community, Firm, Teacher};
    use crate::model::testing::{context, params, set_trust, world};
    use crate::scenario::Governance;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn knowledge_closes_a_share_of_the_mean_gap_to_trusted_betters() {
        let mut params = params();
        params.diffusion.knowledge_rate = 0.5;
        params.diffusion.word_of_mouth = 0.0;
        let mut w = world(
            &[Teacher, Teacher, Teacher, Teacher],
            &[(0, 1), (0, 2), (0, 3)],
        );
        w.agents.knowledge = vec![0.2, 0.8, 0.6, 0.9];
        set_trust(&mut w, 0, 1, 0.8);
        set_trust(&mut w, 0, 2, 0.8);
        set_trust(&mut w, 0, 3, 0.3); // below trust_above = 0.5: not heard
        DiffusionRule.apply(&mut w, &context(&params, 1));
        // mean gap to 1 and 2: (0.6 + 0.4) / 2 = 0.5; half of it closed
        assert!(
            close(w.agents.knowledge[0], 0.45),
            "{:?}",
            w.agents.knowledge
        );
        // 1, 2 and 3 know more than their only contact: unchanged (read before written)
        assert_eq!(&w.agents.knowledge[1..], &[0.8, 0.6, 0.9]);
    }

    #[test]
    fn governance_sets_how_much_outsiders_teach_the_school() {
        let mut params = params();
        params.diffusion.knowledge_rate = 0.5;
        let expected = [
            (Governance::Professional, 0.2),
            (Governance::Advocacy, 0.2 + 0.5 * 0.5 * 0.8),
            (Governance::Partnership, 0.2 + 0.5 * 0.8),
        ];
        for (governance, teacher) in expected {
            let mut w = world(&[Teacher, Firm, Firm], &[(0, 1), (0, 2)]);
            w.policy.governance = governance;
            w.agents.knowledge = vec![0.2, 1.0, 0.1];
            set_trust(&mut w, 0, 1, 0.9);
            set_trust(&mut w, 2, 0, 0.9);
            DiffusionRule.apply(&mut w, &context(&params, 1));
            assert!(close(w.agents.knowledge[0], teacher), "{governance:?}");
            // an outsider learns from the school at the full rate under every model
            assert!(close(w.agents.knowledge[2], 0.15), "{governance:?}");
        }
    }

    #[test]
    fn knowledge_stays_within_what_someone_knew() {
        let mut params = params();
        params.diffusion.knowledge_rate = 1.0;
        params.diffusion.trust_above = 0.0;
        let n = 40u32;
        let edges: Vec<(u32, u32)> = (0..n)
            .flat_map(|i| [(i, (i + 1) % n), (i, (i * 7 + 3) % n)])
            .collect();
        let mut w = world(&vec![Teacher; n as usize], &edges);
        let streams = crate::engine::streams::Streams::new(3, 0);
        for i in 0..n as usize {
            let u = streams.uniform(crate::engine::streams::Purpose::Diffusion, 0, i as u64);
            w.agents.knowledge[i] = if i % 5 == 0 { 1.0 } else { u * u };
        }
        w.agents.knowledge[1] = 0.0;
        let (low, high) = (0.0, 1.0);
        for step in 1..=50 {
            let before = w.agents.knowledge.clone();
            DiffusionRule.apply(&mut w, &context(&params, step));
            for (i, (&b, &a)) in before.iter().zip(&w.agents.knowledge).enumerate() {
                assert!((low..=high).contains(&a), "step {step}, agent {i}: {a}");
                assert!(a >= b, "knowledge is never lost by diffusion");
            }
        }
    }

    #[test]
    fn word_of_mouth_moves_outsiders_toward_what_they_hear() {
        let mut params = params();
        params.diffusion.word_of_mouth = 0.5;
        params.diffusion.knowledge_rate = 0.0;
        // 0 community: tied to teacher 1 and to community 2 (trusted) and 3 (not trusted)
        let mut w = world(
            &[Community, Teacher, Community, Community, Community],
            &[(0, 1), (0, 2), (0, 3)],
        );
        w.agents.opinion = vec![0.5, 0.9, 0.3, 0.0, 0.7];
        set_trust(&mut w, 0, 1, 0.9);
        set_trust(&mut w, 0, 2, 0.8);
        set_trust(&mut w, 0, 3, 0.2);
        set_trust(&mut w, 2, 0, 0.2);
        DiffusionRule.apply(&mut w, &context(&params, 1));
        // target = mean(trust in members 0.9, trusted outsiders' opinion 0.3) = 0.6
        assert!(close(w.agents.opinion[0], 0.55), "{:?}", w.agents.opinion);
        assert_eq!(w.agents.opinion[1], 0.9, "members keep their opinion");
        // 2 hears only its (untrusted) contact 0: no outsider's word, no member: unchanged
        assert_eq!(w.agents.opinion[2], 0.3);
        // 3 trusts 0 (trust 0.5 >= 0.5): target 0.5 (0's old opinion), half way from 0
        assert!(close(w.agents.opinion[3], 0.25));
        assert_eq!(w.agents.opinion[4], 0.7, "no ties: unchanged");
    }

    #[test]
    fn enrichment_and_the_ledger_average_over_a_school_year() {
        let params = params();
        let year = params.steps_per_year as f64;
        let mut w = world(&[Teacher, Teacher, Community], &[]);
        w.scratch.attended = vec![0, 0];
        w.scratch.innovations = 2;
        w.scratch.mobilised[Teacher.index()] = 2.0;
        w.scratch.mobilised[Community.index()] = 1.0;
        DiffusionRule.apply(&mut w, &context(&params, 1));
        assert!(close(w.agents.enrichment[0], 1.0 / year));
        assert_eq!(&w.agents.enrichment[1..], &[0.0, 0.0]);
        assert!(close(w.ledger.recent_innovations, 2.0 / year));
        assert!(close(w.ledger.recent_mobilised, 1.0 / year)); // 3 units over 3 agents
    }
}
