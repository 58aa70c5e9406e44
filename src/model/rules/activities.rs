//! Group activities: gotong royong as a public-goods game (DESIGN §5.2).
//!
//! Each activity type runs `per_step` times a step on average (the whole part always, the
//! fraction by chance). An occurrence draws its members by role, uniformly among the agents
//! of that role. Each member puts in a share of the endowment: its norm, raised or lowered
//! by how much it trusts the co-members,
//! `share = clamp(norm × (1 + trust_sensitivity × 2 × (mean trust − 0.5)), 0, 1)`,
//! where a co-member without a tie counts at the stranger prior's mean. The pot times
//! `synergy` is shared equally. Members who are tied see each other's share (misread like
//! any observation): at least `cooperate_above` reads as cooperation. Each pair of
//! co-members meets with chance `new_tie_chance`, and strangers who meet form a tie.
//!
//! Occurrences read the state the pairwise games left (this step's beliefs included) and
//! not each other's results, so they are computed in parallel and applied in occurrence
//! order.

use crate::engine::parallel::map_blocks;
use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::role::{ROLE_COUNT, Role};
use crate::model::tie::Action;
use crate::model::world::{ActivityOutcome, GroupObservation, World};
use crate::network::AgentId;
use crate::network::generators::erdos_renyi;
use crate::scenario::Activity;
use std::collections::HashSet;

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
        apply_results(world, results);
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
    new_ties: Vec<(AgentId, AgentId)>,
    outcome: ActivityOutcome,
}

/// The members of one occurrence, with a lookup from agent id to position.
struct Members {
    list: Vec<AgentId>,
    by_id: Vec<(AgentId, usize)>,
    per_role: [u32; ROLE_COUNT],
}

impl Members {
    fn new(world: &World, list: Vec<AgentId>) -> Members {
        let mut by_id: Vec<(AgentId, usize)> =
            list.iter().enumerate().map(|(k, &a)| (a, k)).collect();
        by_id.sort_unstable();
        let mut per_role = [0u32; ROLE_COUNT];
        for &agent in &list {
            per_role[world.agents.role[agent as usize].index()] += 1;
        }
        Members {
            list,
            by_id,
            per_role,
        }
    }

    /// Position of `agent` among the members, if it is one.
    fn position(&self, agent: AgentId) -> Option<usize> {
        self.by_id
            .binary_search_by_key(&agent, |e| e.0)
            .ok()
            .map(|k| self.by_id[k].1)
    }
}

/// One occurrence. Costs O(members + their ties + new ties), so large events stay cheap.
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
    let members = Members::new(world, draw_members(world, activity, &mut rng));
    let shares: Vec<f64> = members
        .list
        .iter()
        .map(|&i| contribution_share(world, context, activity, i, &members))
        .collect();
    let pot: f64 = shares.iter().map(|s| s * activity.endowment).sum::<f64>() * activity.synergy;
    let each = pot / members.list.len().max(1) as f64;
    let payoffs = shares
        .iter()
        .map(|s| each - s * activity.endowment)
        .collect();
    let mut observations = Vec::new();
    for &observer in &members.list {
        for &observed in world.graph.neighbours(observer) {
            if let Some(position) = members.position(observed) {
                let seen = Action::cooperate_if(shares[position] >= activity.cooperate_above);
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
            }
        }
    }
    // Each pair of co-members meets with chance new_tie_chance; only strangers form a tie.
    let pairs =
        erdos_renyi(members.list.len(), activity.new_tie_chance, &mut rng).unwrap_or_default();
    let new_ties = pairs
        .into_iter()
        .map(|(a, b)| (members.list[a as usize], members.list[b as usize]))
        .filter(|&(a, b)| !world.graph.has_tie(a, b))
        .collect();
    let mean_share = shares.iter().sum::<f64>() / shares.len().max(1) as f64;
    OccurrenceResult {
        outcome: ActivityOutcome {
            activity: activity_index,
            members: members.list.len(),
            mean_share,
        },
        members: members.list,
        payoffs,
        observations,
        new_ties,
    }
}

/// Members by role, distinct, drawn uniformly (Floyd's algorithm), in role order and by id
/// within a role.
fn draw_members(world: &World, activity: &Activity, rng: &mut impl Draw) -> Vec<AgentId> {
    let mut members = Vec::new();
    for (role, &wanted) in &activity.members {
        let pool = &world.agents.by_role[role.index()];
        let wanted = (wanted as usize).min(pool.len());
        let mut chosen: Vec<usize> = Vec::with_capacity(wanted);
        let mut taken: HashSet<usize> = HashSet::with_capacity(wanted);
        for upper in pool.len() - wanted..pool.len() {
            let pick = rng.below(upper as u64 + 1) as usize;
            let pick = if taken.contains(&pick) { upper } else { pick };
            taken.insert(pick);
            chosen.push(pick);
        }
        chosen.sort_unstable();
        members.extend(chosen.into_iter().map(|k| pool[k]));
    }
    members
}

/// The member's share of the endowment: its norm scaled by its mean trust in the others
/// (ties it has: their trust; co-members it does not know: the stranger prior's mean).
fn contribution_share(
    world: &World,
    context: &StepContext,
    activity: &Activity,
    member: AgentId,
    members: &Members,
) -> f64 {
    let role = world.agents.role[member as usize];
    let mut known_by_role = [0u32; ROLE_COUNT];
    let mut sum = 0.0;
    for view in world.graph.views(member) {
        let other = world.graph.targets()[view];
        if members.position(other).is_some() {
            sum += world.views[view].trust();
            known_by_role[world.agents.role[other as usize].index()] += 1;
        }
    }
    for other_role in Role::ALL {
        let r = other_role.index();
        let strangers = members.per_role[r] - known_by_role[r] - u32::from(other_role == role);
        if strangers > 0 {
            sum += strangers as f64 * context.params.stranger_prior.get(role, other_role).mean();
        }
    }
    let others = members.list.len().saturating_sub(1);
    let mean_trust = if others == 0 {
        0.5
    } else {
        sum / others as f64
    };
    let norm = world.agents.norm[member as usize];
    (norm * (1.0 + activity.trust_sensitivity * 2.0 * (mean_trust - 0.5))).clamp(0.0, 1.0)
}

fn apply_results(world: &mut World, results: Vec<OccurrenceResult>) {
    for result in results {
        for (&member, payoff) in result.members.iter().zip(&result.payoffs) {
            let i = member as usize;
            world.agents.resources[i] += payoff;
            world.agents.round_payoff[i] += payoff;
            world.agents.round_games[i] += 1;
        }
        world.scratch.group_observations.extend(result.observations);
        world.scratch.new_ties.extend(result.new_ties);
        world.scratch.activities.push(result.outcome);
    }
}
