//! The state of one replicate: agents (struct of arrays), ties (graph + per-view state),
//! the levers in force, and the scratch the rules of one step hand to each other.
//!
//! Owns: the layout of state and the invariants that tie the arrays together: every
//! per-agent array has `agent_count` entries; `views` is parallel to `graph.targets()`, and
//! so is `scratch.records` from `begin_step` until network change rebuilds the graph (later
//! rules of the step must not read it); `by_role[r]` lists the agents of role r in id order.
//! Must never: do I/O or read the clock; rules change the state, the engine decides when.

use super::role::{ROLE_COUNT, Role};
use super::strategy::Strategy;
use super::tie::{Action, StepRecord, ViewState};
use crate::network::{AgentId, Graph};
use crate::scenario::Policy;

/// Per-agent state, one entry per agent id.
#[derive(Clone, Debug, Default)]
pub struct Agents {
    /// Role of each agent.
    pub role: Vec<Role>,
    /// Current strategy in pairwise games.
    pub strategy: Vec<Strategy>,
    /// Cooperativeness in [0, 1].
    pub norm: Vec<f64>,
    /// Resources: starting endowment plus every payoff received (payoff units).
    pub resources: Vec<f64>,
    /// Knowledge in [0, 1].
    pub knowledge: Vec<f64>,
    /// Payoff summed since the last learning round.
    pub round_payoff: Vec<f64>,
    /// Games played since the last learning round (pairwise and group).
    pub round_games: Vec<u32>,
    /// Agents of each role, by [`Role::index`], in id order.
    pub by_role: Vec<Vec<AgentId>>,
}

impl Agents {
    /// Number of agents.
    pub fn count(&self) -> usize {
        self.role.len()
    }

    /// Rebuilds `by_role` from `role`.
    pub fn index_roles(&mut self) {
        let mut by_role = vec![Vec::new(); ROLE_COUNT];
        for (id, role) in self.role.iter().enumerate() {
            by_role[role.index()].push(id as AgentId);
        }
        self.by_role = by_role;
    }
}

/// Tallies of one step's pairwise games, by role of the player.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GameTally {
    /// Games played (one per active view) by role.
    pub played: [u64; ROLE_COUNT],
    /// Of those, games in which the player cooperated.
    pub cooperated: [u64; ROLE_COUNT],
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
    }
}

/// What one occurrence of a group activity did, for outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityOutcome {
    /// Index of the activity type in the scenario.
    pub activity: usize,
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
    pub scratch: Scratch,
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
    }
}
