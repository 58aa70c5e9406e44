//! The state of one replicate: agents (struct of arrays), ties (graph + per-view state),
//! the levers in force, and the scratch the rules of one step hand to each other.
//!
//! Owns: the layout of state and the invariants that tie the arrays together: every
//! per-agent array has `agent_count` entries; `views` is parallel to `graph.targets()`, and
//! so is `scratch.records` from `begin_step` until network change rebuilds the graph (later
//! rules of the step must not read it); `by_role[r]` lists the agents of role r in id order.
//! Must never: do I/O or read the clock; rules change the state, the engine decides when.

use super::params::Params;
use super::role::{ROLE_COUNT, Role};
use super::strategy::Strategy;
use super::tie::{Action, StepRecord, ViewState};
use crate::engine::parallel::{agent_blocks, map_blocks, split_views};
use crate::network::graph::{NEW_VIEW, carry_over};
use crate::network::{AgentId, Graph};
use crate::scenario::Policy;

/// "No agent" in agent-valued arrays (a student without a parent in the school).
pub const NO_AGENT: AgentId = AgentId::MAX;

/// Per-agent state, one entry per agent id. Agents who leave stay in the arrays, inactive
/// and without ties, so ids never change meaning.
#[derive(Clone, Debug, Default)]
pub struct Agents {
    /// Role of each agent (it can change: a graduate becomes an alumnus).
    pub role: Vec<Role>,
    /// Whether the agent is still part of the community.
    pub active: Vec<bool>,
    /// Current strategy in pairwise games.
    pub strategy: Vec<Strategy>,
    /// Cooperativeness in [0, 1].
    pub norm: Vec<f64>,
    /// Resources: starting endowment plus every payoff received (payoff units).
    pub resources: Vec<f64>,
    /// Knowledge in [0, 1].
    pub knowledge: Vec<f64>,
    /// Whole school years in the current role (a student's grade: 0 is the first year).
    pub tenure: Vec<u32>,
    /// Step at which the agent arrived (0 for the starting population).
    pub arrived: Vec<u32>,
    /// A student's parent ([`NO_AGENT`] for others).
    pub parent: Vec<AgentId>,
    /// Image score in [0, 1]: how much the agent is seen to give in group activities.
    pub reputation: Vec<f64>,
    /// Opinion of the school in [0, 1] (word of mouth; meaningful for outsiders).
    pub opinion: Vec<f64>,
    /// Share of recent weeks with a programme meeting, in [0, 1] (a moving average over a
    /// school year).
    pub enrichment: Vec<f64>,
    /// Whether a graduate has been placed (a job with a firm or a university place).
    pub placed: Vec<bool>,
    /// Payoff summed since the last learning round.
    pub round_payoff: Vec<f64>,
    /// Games played since the last learning round (pairwise and group).
    pub round_games: Vec<u32>,
    /// Active agents of each role, by [`Role::index`], in id order.
    pub by_role: Vec<Vec<AgentId>>,
}

/// What a new agent starts with; the other fields start empty (see [`Agents::push`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Newcomer {
    pub role: Role,
    pub strategy: Strategy,
    pub norm: f64,
    pub resources: f64,
    pub knowledge: f64,
    pub arrived: u32,
}

impl Agents {
    /// Number of agents ever (active or not): the length of every per-agent array.
    pub fn count(&self) -> usize {
        self.role.len()
    }

    /// Adds an agent (active, tenure 0, no parent, reputation and opinion 0.5, nothing
    /// else) and returns its id. Call [`Agents::index_roles`] after adding.
    pub fn push(&mut self, newcomer: Newcomer) -> AgentId {
        let id = self.role.len() as AgentId;
        self.role.push(newcomer.role);
        self.active.push(true);
        self.strategy.push(newcomer.strategy);
        self.norm.push(newcomer.norm);
        self.resources.push(newcomer.resources);
        self.knowledge.push(newcomer.knowledge);
        self.tenure.push(0);
        self.arrived.push(newcomer.arrived);
        self.parent.push(NO_AGENT);
        self.reputation.push(0.5);
        self.opinion.push(0.5);
        self.enrichment.push(0.0);
        self.placed.push(false);
        self.round_payoff.push(0.0);
        self.round_games.push(0);
        id
    }

    /// Whether `agent` arrived less than a school year before `step` (and after the start).
    pub fn is_newcomer(&self, agent: usize, step: u32, steps_per_year: u32) -> bool {
        let arrived = self.arrived[agent];
        arrived > 0 && step < arrived + steps_per_year
    }

    /// Rebuilds `by_role` from `role` and `active`.
    pub fn index_roles(&mut self) {
        let mut by_role = vec![Vec::new(); ROLE_COUNT];
        for (id, role) in self.role.iter().enumerate() {
            if self.active[id] {
                by_role[role.index()].push(id as AgentId);
            }
        }
        self.by_role = by_role;
    }

    /// Number of active agents.
    pub fn active_count(&self) -> usize {
        self.by_role.iter().map(Vec::len).sum()
    }
}

/// Tallies of one step's pairwise games, by role of the player, and of the games played
/// by newcomers (agents who arrived less than a school year ago, [`Agents::is_newcomer`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GameTally {
    /// Games played (one per active view) by role.
    pub played: [u64; ROLE_COUNT],
    /// Of those, games in which the player cooperated.
    pub cooperated: [u64; ROLE_COUNT],
    /// Games played by newcomers (counted by the `newcomer_games` rule).
    pub newcomer_played: u64,
    /// Of those, games in which the newcomer cooperated.
    pub newcomer_cooperated: u64,
}

impl GameTally {
    /// Adds one game.
    #[inline]
    pub fn add(&mut self, role: Role, action: Action) {
        self.played[role.index()] += 1;
        self.cooperated[role.index()] += (action == Action::Cooperate) as u64;
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &GameTally) {
        for r in 0..ROLE_COUNT {
            self.played[r] += other.played[r];
            self.cooperated[r] += other.cooperated[r];
        }
        self.newcomer_played += other.newcomer_played;
        self.newcomer_cooperated += other.newcomer_cooperated;
    }
}

/// The kind of group an occurrence belongs to, with its index in the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupSource {
    /// An `[[activity]]`, by index.
    Activity(usize),
    /// A `[[programme]]` meeting, by index.
    Programme(usize),
}

/// What one occurrence of a group activity or programme meeting did, for outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityOutcome {
    /// The activity type or programme it belongs to.
    pub group: GroupSource,
    /// Members taking part.
    pub members: usize,
    /// Mean share of the endowment put in, in [0, 1].
    pub mean_share: f64,
}

/// A perceived action seen in a group activity, applied to the observer's view later.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupObservation {
    pub observer: AgentId,
    pub observed: AgentId,
    pub perceived: Action,
}

/// What the rules of one step pass to each other. Cleared at the start of every step.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Action and conflict flag per view (parallel to the graph's views).
    pub records: Vec<StepRecord>,
    /// Pairwise games this step.
    pub games: GameTally,
    /// Group activity occurrences this step.
    pub activities: Vec<ActivityOutcome>,
    /// Observations made in group activities, sorted by observer before use.
    pub group_observations: Vec<GroupObservation>,
    /// Ties to break at the end of the step (unordered pairs).
    pub breaks: Vec<(AgentId, AgentId)>,
    /// Ties to form at the end of the step (unordered pairs).
    pub new_ties: Vec<(AgentId, AgentId)>,
    /// Resources given to school activities and programmes this step, by role.
    pub mobilised: [f64; ROLE_COUNT],
    /// Innovations implemented this step.
    pub innovations: u64,
    /// Graduates placed this step.
    pub placements: u64,
    /// Agents who attended a programme meeting this step (for `enrichment`).
    pub attended: Vec<AgentId>,
    /// Pairs among `new_ties` who already know each other (a family, a mentor): their new
    /// tie starts from the acquaintance prior instead of the stranger prior.
    pub acquainted: Vec<(AgentId, AgentId)>,
}

/// Counts kept over the whole run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    /// Innovations implemented since the start.
    pub innovations: u64,
    /// Graduates placed since the start.
    pub placements: u64,
    /// Innovations per step, smoothed over a school year (an exponential moving average).
    pub recent_innovations: f64,
    /// Resources mobilised per active agent per step, smoothed over a school year.
    pub recent_mobilised: f64,
}

/// A programme as it runs: whether it meets, since when, and its standing members.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgrammeState {
    /// Whether it is running (meets every `interval()` steps from `since`).
    pub running: bool,
    /// The step it started running.
    pub since: u32,
    /// Standing members, in the order of the programme's roles.
    pub members: Vec<AgentId>,
    /// The role each member stands for (parallel to `members`): a member who leaves the
    /// school or changes role is replaced by an agent of this role.
    pub roles: Vec<Role>,
}

impl ProgrammeState {
    /// Starts running at `step`; members are drawn at its first meeting (that step).
    pub fn start(&mut self, step: u32) {
        self.running = true;
        self.since = step;
        self.members.clear();
        self.roles.clear();
    }

    /// Stops running; it has no members any more.
    pub fn stop(&mut self) {
        self.running = false;
        self.members.clear();
        self.roles.clear();
    }
}

/// The whole state of one replicate.
#[derive(Clone, Debug)]
pub struct World {
    /// Steps completed (0 before the first step).
    pub step: u32,
    pub agents: Agents,
    pub graph: Graph,
    /// Per-view state, parallel to `graph.targets()`.
    pub views: Vec<ViewState>,
    /// The principal's levers in force.
    pub policy: Policy,
    /// Programmes, in scenario order.
    pub programmes: Vec<ProgrammeState>,
    /// Contact chances are multiplied by this (a school closure; 1 otherwise).
    pub contact_factor: f64,
    /// Last step of a school closure (contact_factor returns to 1 after it).
    pub closure_until: u32,
    /// Run-long counts.
    pub ledger: Ledger,
    pub scratch: Scratch,
    /// The order rules go through an agent's ties in (docs/model.md 7.11).
    pub neighbour_order: NeighbourOrder,
}

/// The order in which rules that sum or compare over an agent's ties go through them:
/// ascending neighbour id, or an order listed at setup (a lattice's offsets in reading
/// order, as Mesa's grids list neighbours). Floating-point sums and ties between equal
/// payoffs depend on it.
///
/// Invariant: a listed order holds, for every agent, exactly the views of that agent's
/// range in [`Graph::views`]; it is valid for the graph it was made for only, so
/// [`World::apply_tie_changes`] drops it when the graph changes.
#[derive(Clone, Debug, Default)]
pub struct NeighbourOrder {
    /// Per view position (as in `graph.targets()`), the view visited there; empty for
    /// ascending id.
    listed: Vec<u32>,
}

impl NeighbourOrder {
    /// An order listing, for each agent in turn, the views of its range. `listed` must hold
    /// a permutation of every agent's view range at that range's position.
    pub fn listed(graph: &Graph, listed: Vec<u32>) -> NeighbourOrder {
        assert_eq!(listed.len(), graph.view_count(), "one entry per view");
        debug_assert!((0..graph.agent_count() as AgentId).all(|agent| {
            let range = graph.views(agent);
            let mut seen: Vec<u32> = listed[range.clone()].to_vec();
            seen.sort_unstable();
            seen.iter().map(|&v| v as usize).eq(range)
        }));
        NeighbourOrder { listed }
    }

    /// The views of `agent`, in this order.
    pub fn views<'a>(&'a self, graph: &Graph, agent: AgentId) -> ViewsInOrder<'a> {
        let range = graph.views(agent);
        if self.listed.is_empty() {
            ViewsInOrder::Ascending(range)
        } else {
            ViewsInOrder::Listed(self.listed[range].iter())
        }
    }
}

/// Iterator of [`NeighbourOrder::views`].
pub enum ViewsInOrder<'a> {
    Ascending(std::ops::Range<usize>),
    Listed(std::slice::Iter<'a, u32>),
}

impl Iterator for ViewsInOrder<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        match self {
            ViewsInOrder::Ascending(range) => range.next(),
            ViewsInOrder::Listed(views) => views.next().map(|&v| v as usize),
        }
    }
}

impl World {
    /// Trust of `from` toward `to` if they are tied.
    pub fn trust_toward(&self, from: AgentId, to: AgentId) -> Option<f64> {
        self.graph
            .find_view(from, to)
            .map(|v| self.views[v].trust())
    }

    /// Whether the tie of view `view` is a conflict tie (either side says so).
    pub fn is_conflict(&self, view: usize) -> bool {
        self.views[view].conflict || self.views[self.graph.reverse(view)].conflict
    }

    /// The chance an observed action is misread under the current transparency.
    pub fn misread_chance(&self, base: f64) -> f64 {
        base * (1.0 - self.policy.transparency)
    }

    /// Starts a step: clears the scratch and sizes it to the current graph.
    pub fn begin_step(&mut self) {
        let scratch = &mut self.scratch;
        scratch.records.clear();
        scratch
            .records
            .resize(self.graph.view_count(), StepRecord::IDLE);
        scratch.games = GameTally::default();
        scratch.activities.clear();
        scratch.group_observations.clear();
        scratch.breaks.clear();
        scratch.new_ties.clear();
        scratch.mobilised = [0.0; ROLE_COUNT];
        scratch.innovations = 0;
        scratch.placements = 0;
        scratch.acquainted.clear();
        scratch.attended.clear();
    }

    /// Applies the step's proposed breaks and new ties (`scratch.breaks`, `scratch.new_ties`)
    /// at once, growing the graph to the current number of agents, and empties those
    /// lists. Surviving ties keep their views; a new tie starts from the stranger prior of
    /// its role pair (the acquaintance prior for pairs in `scratch.acquainted`) and
    /// `ties.initial_strength`.
    pub fn apply_tie_changes(&mut self, params: &Params) {
        let scratch = &mut self.scratch;
        let grown = self.graph.agent_count() < self.agents.count();
        if scratch.breaks.is_empty() && scratch.new_ties.is_empty() && !grown {
            return;
        }
        // Memory (docs/performance.md, "Scale and memory"): the step's records are stale
        // from here (`begin_step` sizes them again), the old graph is freed inside
        // `rebuild`, and the views are rearranged in place, so the old and the new graph,
        // or the old and the new views, are never held at once.
        scratch.records = Vec::new();
        let old = std::mem::take(&mut self.graph);
        let (graph, origins) = old.rebuild(&scratch.breaks, &scratch.new_ties, self.agents.count());
        carry_over(&mut self.views, &origins);
        scratch
            .acquainted
            .iter_mut()
            .for_each(|pair| *pair = (pair.0.min(pair.1), pair.0.max(pair.1)));
        scratch.acquainted.sort_unstable();
        let starts = NewTieStarts {
            params,
            roles: &self.agents.role,
            acquainted: &scratch.acquainted,
        };
        starts.set(&graph, &origins, &mut self.views);
        self.graph = graph;
        self.neighbour_order = NeighbourOrder::default();
        scratch.breaks.clear();
        scratch.new_ties.clear();
        scratch.acquainted.clear();
    }
}

/// How the views of new ties start: from the acquaintance prior for pairs that had met
/// (`scratch.acquainted`, sorted), else from the stranger prior of their role pair.
struct NewTieStarts<'a> {
    params: &'a Params,
    roles: &'a [Role],
    acquainted: &'a [(AgentId, AgentId)],
}

impl NewTieStarts<'_> {
    /// Sets every view of `graph` whose origin is [`NEW_VIEW`], in the engine's agent
    /// blocks (each view's start depends only on its own pair: any thread count gives the
    /// same views).
    fn set(&self, graph: &Graph, origins: &[u32], views: &mut [ViewState]) {
        let n = graph.agent_count();
        let blocks = agent_blocks(n);
        let pieces = split_views(graph.offsets(), &blocks, views);
        let items: Vec<_> = blocks.into_iter().zip(pieces).collect();
        map_blocks(n, items, |_, (block, views)| {
            let first_view = graph.offsets()[block.start];
            for i in block {
                let i = i as AgentId;
                for v in graph.views(i).filter(|&v| origins[v] == NEW_VIEW) {
                    let partner = graph.targets()[v];
                    views[v - first_view] = self.start(i, partner);
                }
            }
        });
    }

    fn start(&self, agent: AgentId, partner: AgentId) -> ViewState {
        let pair = (agent.min(partner), agent.max(partner));
        let prior = if self.acquainted.binary_search(&pair).is_ok() {
            self.params.acquaintance_prior
        } else {
            let roles = (self.roles[agent as usize], self.roles[partner as usize]);
            *self.params.stranger_prior.get(roles.0, roles.1)
        };
        ViewState::new(prior, self.params.ties.initial_strength)
    }
}
