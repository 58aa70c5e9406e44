//! Group activities: gotong royong as a public-goods game (DESIGN §5.2).
//!
//! Each activity type runs `per_step` times a step on average (the whole part always, the
//! fraction by chance). An occurrence draws its members by role, uniformly among the agents
//! of that role. Each member puts in a share of the endowment: its norm, raised or lowered
//! by how much it trusts the co-members,
//! `share = clamp(norm × (1 + trust_sensitivity × 2 × (mean trust − 0.5)), 0, 1)`,
//! where a co-member without a tie counts at the stranger prior's mean. The pot times
//! `synergy` is shared equally. Members see each other's share (misread like any
//! observation): at least `cooperate_above` reads as cooperation. Co-members without a tie
//! may form one.
//!
//! Occurrences are independent given the start-of-step state, so they are computed in
//! parallel and applied in occurrence order.

use crate::engine::parallel::map_blocks;
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::tie::Action;
use crate::model::world::{ActivityOutcome, GroupObservation, World};
use crate::network::AgentId;
use crate::scenario::Activity;

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
        let misread = world.misread_chance(context.params.misread);
        let world_ref = &*world;
        let results = map_blocks(
            world.agents.count(),
            occurrences,
            |_, (activity, occurrence)| {
                run_occurrence(world_ref, context, activity, occurrence, misread)
            },
        );
        apply_results(world, context, results);
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

/// What one occurrence produced.
struct OccurrenceResult {
    members: Vec<AgentId>,
    payoffs: Vec<f64>,
    observations: Vec<GroupObservation>,
    candidate_ties: Vec<(AgentId, AgentId, f64)>,
    outcome: ActivityOutcome,
}

fn run_occurrence(
    world: &World,
    context: &StepContext,
    activity_index: usize,
    occurrence: u64,
    misread: f64,
) -> OccurrenceResult {
    let activity = &context.params.activities[activity_index];
    let entity = ((activity_index as u64) << 32) | occurrence;
    let mut rng = context
        .streams
        .rng(Purpose::Activity, context.step as u64, entity);
    let members = draw_members(world, activity, &mut rng);
    let shares: Vec<f64> = members
        .iter()
        .map(|&i| contribution_share(world, context, activity, i, &members))
        .collect();
    let pot: f64 = shares.iter().map(|s| s * activity.endowment).sum::<f64>() * activity.synergy;
    let each = pot / members.len().max(1) as f64;
    let payoffs = shares
        .iter()
        .map(|s| each - s * activity.endowment)
        .collect();
    let mut observations = Vec::new();
    let mut candidate_ties = Vec::new();
    for (a, &observer) in members.iter().enumerate() {
        for (b, &observed) in members.iter().enumerate() {
            if a == b {
                continue;
            }
            if world.graph.has_tie(observer, observed) {
                let seen = Action::cooperate_if(shares[b] >= activity.cooperate_above);
                let perceived = if rng.chance(misread) {
                    seen.opposite()
                } else {
                    seen
                };
                observations.push(GroupObservation {
                    observer,
                    observed,
                    perceived,
                });
            } else if observer < observed && activity.new_tie_chance > 0.0 {
                candidate_ties.push((observer, observed, activity.new_tie_chance));
            }
        }
    }
    let mean_share = shares.iter().sum::<f64>() / shares.len().max(1) as f64;
    OccurrenceResult {
        outcome: ActivityOutcome {
            activity: activity_index,
            members: members.len(),
            mean_share,
        },
        members,
        payoffs,
        observations,
        candidate_ties,
    }
}

/// Members by role, distinct, drawn uniformly (Floyd's algorithm), in role order.
fn draw_members(world: &World, activity: &Activity, rng: &mut impl Draw) -> Vec<AgentId> {
    let mut members = Vec::new();
    for (role, &wanted) in &activity.members {
        let pool = &world.agents.by_role[role.index()];
        let wanted = (wanted as usize).min(pool.len());
        let mut chosen: Vec<usize> = Vec::with_capacity(wanted);
        for upper in pool.len() - wanted..pool.len() {
            let pick = rng.below(upper as u64 + 1) as usize;
            chosen.push(if chosen.contains(&pick) { upper } else { pick });
        }
        chosen.sort_unstable();
        members.extend(chosen.into_iter().map(|k| pool[k]));
    }
    members
}

fn contribution_share(
    world: &World,
    context: &StepContext,
    activity: &Activity,
    member: AgentId,
    members: &[AgentId],
) -> f64 {
    let role = world.agents.role[member as usize];
    let others = members.iter().filter(|&&other| other != member);
    let (sum, count) = others.fold((0.0, 0usize), |(sum, count), &other| {
        let trust = world.trust_toward(member, other).unwrap_or_else(|| {
            context
                .params
                .stranger_prior
                .get(role, world.agents.role[other as usize])
                .mean()
        });
        (sum + trust, count + 1)
    });
    let mean_trust = if count == 0 { 0.5 } else { sum / count as f64 };
    let norm = world.agents.norm[member as usize];
    (norm * (1.0 + activity.trust_sensitivity * 2.0 * (mean_trust - 0.5))).clamp(0.0, 1.0)
}

fn apply_results(world: &mut World, context: &StepContext, results: Vec<OccurrenceResult>) {
    let mut candidates: Vec<(AgentId, AgentId, f64)> = Vec::new();
    for result in results {
        for (&member, payoff) in result.members.iter().zip(&result.payoffs) {
            let i = member as usize;
            world.agents.resources[i] += payoff;
            world.agents.round_payoff[i] += payoff;
            world.agents.round_games[i] += 1;
        }
        world.scratch.group_observations.extend(result.observations);
        candidates.extend(result.candidate_ties);
        world.scratch.activities.push(result.outcome);
    }
    // One decision per pair per step, at the best chance any shared activity gave.
    candidates.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(y.2.total_cmp(&x.2)));
    candidates.dedup_by_key(|c| (c.0, c.1));
    for (a, b, chance) in candidates {
        if context
            .streams
            .pair_uniform(Purpose::ActivityTie, context.step as u64, a, b)
            < chance
        {
            world.scratch.new_ties.push((a, b));
        }
    }
}
