//! One occurrence of a group game: gotong royong as a public-goods game (DESIGN §5.2), with
//! the principal's levers that act on it (DESIGN §7). Group activities and programme
//! meetings both play it.
//!
//! For members i = 1..m with endowment e:
//! 1. share `s_i = clamp(norm_i × (1 + trust_sensitivity × 2 × (t̄_i − 0.5)), 0, 1)`, t̄_i the
//!    mean trust in the co-members (the stranger prior's mean for those without a tie);
//! 2. `fair_workload`: `s_i ← s_i + fair_workload × (s̄ − s_i)`, s̄ the members' mean share;
//! 3. synergy `r = synergy × (1 + shared_goals / 2) × (1 + role_clarity × x)`, x the share
//!    of members whose role is among the task's `expertise` roles;
//! 4. payoff `r × Σ s_j e / m − s_i e`, plus `recognition × e` (paid by the school) when
//!    `s_i ≥ cooperate_above`;
//! 5. `agreed_rules`: each cooperator (`s_i ≥ cooperate_above`) fines each free rider with
//!    chance `agreed_rules` (draws from `Purpose::Sanction`): −0.1 e to the one who fines,
//!    −0.3 e to the one fined;
//! 6. members who are tied see each other's share (misread with the step's chance):
//!    `s ≥ cooperate_above` reads as cooperation;
//! 7. each pair of members meets with chance `new_tie_chance`; strangers who meet form a tie;
//! 8. `openness`: an idea is raised with chance `diffusion.idea_rate × mean knowledge` and
//!    implemented with chance `openness × s̄` (draws from `Purpose::Innovation`);
//! 9. when applied: `reputation_i ← 0.8 reputation_i + 0.2 s_i`, and `s_i × e` counts as
//!    resources mobilised for the school by i's role.
//!
//! Owns: the game of one occurrence and how its result is written to the world.
//! Must never: choose the members or decide when a group meets (activities.rs and
//! programmes.rs do), or write the world while occurrences are computed: [`play`] reads,
//! [`apply`] writes, in occurrence order. Costs O(members + their ties + new ties + fines).

use crate::engine::schedule::StepContext;
use crate::engine::streams::{Draw, Purpose};
use crate::model::role::{ROLE_COUNT, Role};
use crate::model::tie::Action;
use crate::model::world::{ActivityOutcome, GroupObservation, GroupSource, World};
use crate::network::AgentId;
use crate::network::generators::erdos_renyi;
use crate::scenario::{Activity, Programme};
use rand::Rng;
use std::collections::{BTreeMap, HashSet};

/// What it costs a member to fine a free rider, times the endowment.
pub const FINE_COST: f64 = 0.1;
/// What a fine costs the free rider, times the endowment.
pub const FINE: f64 = 0.3;
/// Weight of the old image score when a member is seen giving its share.
pub const REPUTATION_MEMORY: f64 = 0.8;

/// The rules of one kind of group game.
#[derive(Clone, Copy, Debug)]
pub struct GroupGame<'a> {
    pub endowment: f64,
    pub synergy: f64,
    pub trust_sensitivity: f64,
    pub cooperate_above: f64,
    pub new_tie_chance: f64,
    pub expertise: &'a [Role],
}

impl GroupGame<'_> {
    /// The game of an `[[activity]]`.
    pub fn of_activity(activity: &Activity) -> GroupGame<'_> {
        GroupGame {
            endowment: activity.endowment,
            synergy: activity.synergy,
            trust_sensitivity: activity.trust_sensitivity,
            cooperate_above: activity.cooperate_above,
            new_tie_chance: activity.new_tie_chance,
            expertise: &activity.expertise,
        }
    }

    /// The game of a programme meeting: its endowment, synergy and new-tie chance, the
    /// activities' default trust sensitivity and cooperation threshold (0.5), no expertise.
    pub fn of_programme(programme: &Programme) -> GroupGame<'static> {
        GroupGame {
            endowment: programme.endowment_or_default(),
            synergy: programme.synergy_or_default(),
            trust_sensitivity: 0.5,
            cooperate_above: 0.5,
            new_tie_chance: programme.new_tie_chance.unwrap_or(0.2),
            expertise: &[],
        }
    }
}

/// What one occurrence produced, to be written by [`apply`].
pub struct GroupResult {
    members: Vec<AgentId>,
    shares: Vec<f64>,
    payoffs: Vec<f64>,
    endowment: f64,
    observations: Vec<GroupObservation>,
    new_ties: Vec<(AgentId, AgentId)>,
    innovation: bool,
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

/// One occurrence of `game` among `members` (distinct active agents). `rng` draws the
/// misreadings and meetings; `key` (distinct for every occurrence of a step) keys the
/// sanction and innovation streams.
pub fn play(
    world: &World,
    context: &StepContext,
    game: &GroupGame,
    members: Vec<AgentId>,
    source: GroupSource,
    key: u64,
    rng: &mut impl Rng,
) -> GroupResult {
    let misread = world.misread_chance(context.params.misread);
    let members = Members::new(world, members);
    let m = members.list.len();
    let mut shares: Vec<f64> = members
        .list
        .iter()
        .map(|&i| contribution_share(world, context, game, i, &members))
        .collect();
    let mean_share = shares.iter().sum::<f64>() / m.max(1) as f64;
    let fair_workload = world.policy.fair_workload;
    if fair_workload > 0.0 {
        for share in &mut shares {
            *share += fair_workload * (mean_share - *share);
        }
    }
    let payoffs = payoffs(world, context, game, &members, &shares, key);
    let observations = observations(world, game, &members, &shares, misread, rng);
    // Each pair of co-members meets with chance new_tie_chance; only strangers form a tie.
    let pairs = erdos_renyi(m, game.new_tie_chance, rng).unwrap_or_default();
    let new_ties = pairs
        .into_iter()
        .map(|(a, b)| (members.list[a as usize], members.list[b as usize]))
        .filter(|&(a, b)| !world.graph.has_tie(a, b))
        .collect();
    let innovation = innovates(world, context, &members.list, mean_share, key);
    GroupResult {
        outcome: ActivityOutcome {
            group: source,
            members: m,
            mean_share,
        },
        members: members.list,
        shares,
        payoffs,
        endowment: game.endowment,
        observations,
        new_ties,
        innovation,
    }
}

/// Each member's payoff: its part of the multiplied pot minus what it put in, plus
/// recognition, minus fines given and received.
fn payoffs(
    world: &World,
    context: &StepContext,
    game: &GroupGame,
    members: &Members,
    shares: &[f64],
    key: u64,
) -> Vec<f64> {
    let policy = &world.policy;
    let synergy = game.synergy
        * (1.0 + policy.shared_goals / 2.0)
        * (1.0 + policy.role_clarity * expert_share(game.expertise, members));
    let pot: f64 = shares.iter().map(|s| s * game.endowment).sum::<f64>() * synergy;
    let each = pot / shares.len().max(1) as f64;
    let mut payoffs: Vec<f64> = shares.iter().map(|s| each - s * game.endowment).collect();
    for (payoff, share) in payoffs.iter_mut().zip(shares) {
        if policy.recognition > 0.0 && *share >= game.cooperate_above {
            *payoff += policy.recognition * game.endowment;
        }
    }
    if policy.agreed_rules > 0.0 {
        let mut rng = context
            .streams
            .rng(Purpose::Sanction, context.step as u64, key);
        sanction(&mut payoffs, shares, game, policy.agreed_rules, &mut rng);
    }
    payoffs
}

/// Share of the members whose role is among `expertise` (0 when none is named).
fn expert_share(expertise: &[Role], members: &Members) -> f64 {
    let total: u32 = members.per_role.iter().sum();
    if expertise.is_empty() || total == 0 {
        return 0.0;
    }
    let experts: u32 = Role::ALL
        .iter()
        .filter(|r| expertise.contains(r))
        .map(|r| members.per_role[r.index()])
        .sum();
    experts as f64 / total as f64
}

/// Agreed rules: each cooperator fines each free rider with chance `chance`, row by row
/// (cooperators in member order, the free riders it fines by geometric skipping).
fn sanction(
    payoffs: &mut [f64],
    shares: &[f64],
    game: &GroupGame,
    chance: f64,
    rng: &mut impl Draw,
) {
    let (cooperators, free_riders): (Vec<usize>, Vec<usize>) =
        (0..shares.len()).partition(|&k| shares[k] >= game.cooperate_above);
    if free_riders.is_empty() {
        return;
    }
    for &fining in &cooperators {
        let fined = rng.bernoulli_subset(free_riders.len(), chance);
        payoffs[fining] -= FINE_COST * game.endowment * fined.len() as f64;
        for k in fined {
            payoffs[free_riders[k]] -= FINE * game.endowment;
        }
    }
}

/// What tied members see of each other's shares (misread with chance `misread`).
fn observations(
    world: &World,
    game: &GroupGame,
    members: &Members,
    shares: &[f64],
    misread: f64,
    rng: &mut impl Rng,
) -> Vec<GroupObservation> {
    let mut observations = Vec::new();
    for &observer in &members.list {
        for &observed in world.graph.neighbours(observer) {
            if let Some(position) = members.position(observed) {
                let seen = Action::cooperate_if(shares[position] >= game.cooperate_above);
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
    observations
}

/// Openness: whether an idea is raised (chance idea_rate × mean knowledge) and
/// implemented (chance openness × mean share).
fn innovates(
    world: &World,
    context: &StepContext,
    members: &[AgentId],
    mean_share: f64,
    key: u64,
) -> bool {
    let openness = world.policy.openness;
    if openness <= 0.0 || members.is_empty() {
        return false;
    }
    let knowledge = members
        .iter()
        .map(|&a| world.agents.knowledge[a as usize])
        .sum::<f64>()
        / members.len() as f64;
    let mut rng = context
        .streams
        .rng(Purpose::Innovation, context.step as u64, key);
    rng.chance(context.params.diffusion.idea_rate * knowledge) && rng.chance(openness * mean_share)
}

/// The member's share of the endowment: its norm scaled by its mean trust in the others
/// (ties it has: their trust; co-members it does not know: the stranger prior's mean).
fn contribution_share(
    world: &World,
    context: &StepContext,
    game: &GroupGame,
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
    (norm * (1.0 + game.trust_sensitivity * 2.0 * (mean_trust - 0.5))).clamp(0.0, 1.0)
}

/// Writes the results in the order given: payoffs, image scores, resources mobilised,
/// observations, proposed ties, innovations and outcomes.
pub fn apply(world: &mut World, results: Vec<GroupResult>) {
    for result in results {
        for ((&member, payoff), share) in result
            .members
            .iter()
            .zip(&result.payoffs)
            .zip(&result.shares)
        {
            let i = member as usize;
            let agents = &mut world.agents;
            agents.resources[i] += payoff;
            agents.round_payoff[i] += payoff;
            agents.round_games[i] += 1;
            agents.reputation[i] =
                REPUTATION_MEMORY * agents.reputation[i] + (1.0 - REPUTATION_MEMORY) * share;
            world.scratch.mobilised[agents.role[i].index()] += share * result.endowment;
        }
        world.scratch.group_observations.extend(result.observations);
        world.scratch.new_ties.extend(result.new_ties);
        if result.innovation {
            world.scratch.innovations += 1;
            world.ledger.innovations += 1;
        }
        world.scratch.activities.push(result.outcome);
    }
}

/// Distinct members drawn uniformly by role (Floyd's algorithm) from `pool_of(role)`, in
/// the order of `counts` and by position in the pool within a role; fewer when a pool is
/// smaller than wanted.
pub fn draw_by_role<'p>(
    counts: &BTreeMap<Role, u32>,
    pool_of: impl Fn(Role) -> &'p [AgentId],
    rng: &mut impl Draw,
) -> Vec<AgentId> {
    let mut members = Vec::new();
    for (&role, &wanted) in counts {
        members.extend(draw_from(pool_of(role), wanted as usize, rng));
    }
    members
}

/// `wanted` distinct agents of `pool` drawn uniformly (Floyd's algorithm), in pool order.
pub fn draw_from(pool: &[AgentId], wanted: usize, rng: &mut impl Draw) -> Vec<AgentId> {
    let wanted = wanted.min(pool.len());
    let mut chosen: Vec<usize> = Vec::with_capacity(wanted);
    let mut taken: HashSet<usize> = HashSet::with_capacity(wanted);
    for upper in pool.len() - wanted..pool.len() {
        let pick = rng.below(upper as u64 + 1) as usize;
        let pick = if taken.contains(&pick) { upper } else { pick };
        taken.insert(pick);
        chosen.push(pick);
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|k| pool[k]).collect()
}
