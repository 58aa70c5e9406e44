//! The scenario compiled into the tables rules read on the hot path.
//!
//! Owns: role-pair tables (contact chances, stranger priors, meeting affinities), the game
//! of each tie kind, and every other number a rule needs, resolved once per run.
//! Must never: change during a run (levers that interventions move live in `World`).

use super::game::PairGame;
use super::role::{PairTable, Role, TIE_KIND_COUNT, TieKind};
use super::strategy::Strategy;
use super::tie::BetaBelief;
use crate::network::metrics::{ESTIMATE_SOURCES, PathLength};
use crate::scenario::{
    Activity, Contest, Diffusion, Intervention, LearningSettings, Lifecycle, NetworkChange,
    NetworkKind, Outcomes, Population, Programme, Scenario, Solidarity, TieSettings,
    resolve_conflict_game, resolve_game,
};

/// What a learning rule compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayoffMeasure {
    /// Sum of payoffs over the learning round.
    Total,
    /// Payoff per game played in the round.
    PerGame,
    /// Sum of payoffs since step 1 (never reset).
    Cumulative,
}

/// Everything the rules need, resolved from a validated scenario.
#[derive(Clone, Debug)]
pub struct Params {
    /// Steps to simulate.
    pub steps: u32,
    /// Recording interval in steps.
    pub record_every: u32,
    /// Indices into [`crate::observe::METRICS`] of the metrics recorded, in registry order
    /// (every metric unless `run.metrics` lists some).
    pub recorded_metrics: Vec<usize>,
    /// How `average_shortest_path_length` is computed: exactly in scenarios of at most
    /// [`EXACT_PATH_LENGTH_MAX_AGENTS`] agents, else estimated (the same method for every
    /// replicate and step of a run).
    pub path_length: PathLength,
    /// Chance per step that a tie is active, by role pair.
    pub contact: PairTable<f64>,
    /// The game of each tie kind, by [`TieKind::index`].
    pub games: [PairGame; TIE_KIND_COUNT],
    /// The game played on conflict ties.
    pub conflict_game: PairGame,
    /// Whether agents play themselves once per step (from the default game).
    pub self_interaction: bool,
    /// Belief about a stranger, by role pair.
    pub stranger_prior: PairTable<BetaBelief>,
    /// Belief on the initial network's ties.
    pub acquaintance_prior: BetaBelief,
    /// Forgetting rate per step, in [0, 1].
    pub forgetting: f64,
    /// Base misreading chance before transparency, in [0, 1].
    pub misread: f64,
    /// Trust below which a view turns its tie into a conflict tie.
    pub conflict_below: f64,
    /// Trust below which a tie breaks.
    pub trust_break_below: f64,
    /// Tie strength dynamics.
    pub ties: TieSettings,
    /// New-tie formation.
    pub change: NetworkChange,
    /// Meeting affinity by role pair.
    pub affinity: PairTable<f64>,
    /// Group activity types.
    pub activities: Vec<Activity>,
    /// Learning settings.
    pub learning: LearningSettings,
    /// What learning compares.
    pub payoff_measure: PayoffMeasure,
    /// Steps in a school year.
    pub steps_per_year: u32,
    /// Who the agents are (newcomers draw their attributes from it).
    pub population: Population,
    /// Densities of the initial block model by role pair (newcomers' ties), or none; for an
    /// imported network the densities observed in the file.
    pub density: Option<PairTable<f64>>,
    /// Expected ties of a newcomer when the network is not a block model.
    pub newcomer_degree: f64,
    /// The school year.
    pub lifecycle: Lifecycle,
    /// Programmes, in scenario order.
    pub programmes: Vec<Programme>,
    /// Interventions in the order they apply: by step, then as listed.
    pub interventions: Vec<Intervention>,
    /// Contests.
    pub contests: Vec<Contest>,
    /// Solidarity.
    pub solidarity: Solidarity,
    /// Knowledge, word of mouth, ideas, placements, networking events.
    pub diffusion: Diffusion,
    /// Progress index weights.
    pub outcomes: Outcomes,
    /// Strategies an exploring agent picks from: every strategy some present role starts
    /// with (plus `alld` when there are initial defectors).
    pub strategy_pool: Vec<Strategy>,
}

impl Params {
    /// Compiles a validated scenario. Games were checked by validation, so a game that
    /// still fails to build is a bug and falls back to the default prisoner's dilemma.
    pub fn new(scenario: &Scenario) -> Params {
        let default_spec = &scenario.game.default;
        let game_of = |kind: TieKind| {
            let spec = scenario.game.by_kind.get(&kind).unwrap_or(default_spec);
            resolve_game(spec, default_spec).0.expect("validated game")
        };
        Params {
            steps: scenario.run.steps,
            record_every: scenario.run.record_every,
            recorded_metrics: recorded_metrics(scenario.run.metrics.as_deref()),
            path_length: if scenario.agent_count() <= EXACT_PATH_LENGTH_MAX_AGENTS {
                PathLength::Exact
            } else {
                PathLength::Estimated {
                    sources: ESTIMATE_SOURCES,
                }
            },
            contact: scenario.contacts.to_table(crate::scenario::DEFAULT_CONTACT),
            games: TieKind::ALL.map(game_of),
            conflict_game: resolve_conflict_game(&scenario.game.conflict)
                .0
                .expect("validated game"),
            self_interaction: resolve_game(default_spec, default_spec)
                .0
                .map(|g| g.self_interaction)
                .unwrap_or(false),
            stranger_prior: scenario.trust.prior.to_table(scenario.trust.stranger_prior),
            acquaintance_prior: scenario.trust.acquaintance_prior,
            forgetting: scenario.trust.forgetting,
            misread: scenario.trust.misread,
            conflict_below: scenario.trust.conflict_below,
            trust_break_below: scenario.trust.break_below,
            ties: scenario.ties.clone(),
            change: scenario.network_change.clone(),
            affinity: scenario.network_change.meeting_affinity.to_table(1.0),
            activities: scenario.activities.clone(),
            learning: scenario.learning.clone(),
            payoff_measure: match scenario.learning.payoff {
                crate::scenario::PayoffMeasureSetting::Total => PayoffMeasure::Total,
                crate::scenario::PayoffMeasureSetting::PerGame => PayoffMeasure::PerGame,
                crate::scenario::PayoffMeasureSetting::Cumulative => PayoffMeasure::Cumulative,
            },
            strategy_pool: strategy_pool(scenario),
            steps_per_year: scenario.run.steps_per_year,
            population: scenario.population.clone(),
            density: match scenario.network.kind {
                NetworkKind::Import => scenario.imported.as_ref().map(|n| n.density.clone()),
                NetworkKind::Sbm => Some(
                    scenario
                        .network
                        .density
                        .clone()
                        .unwrap_or_default()
                        .to_table(0.0),
                ),
                _ => None,
            },
            newcomer_degree: newcomer_degree(scenario),
            lifecycle: scenario.lifecycle.clone(),
            programmes: scenario.programmes.clone(),
            interventions: {
                let mut list = scenario.interventions.clone();
                list.sort_by_key(|i| i.at); // stable: same-step interventions keep their order
                list
            },
            contests: scenario.contests.clone(),
            solidarity: scenario.solidarity.clone(),
            diffusion: scenario.diffusion.clone(),
            outcomes: scenario.outcomes.clone(),
        }
    }

    /// The game on a tie between roles `a` and `b`, or the conflict game.
    #[inline]
    pub fn game_between(&self, a: Role, b: Role, conflict: bool) -> &PairGame {
        if conflict {
            &self.conflict_game
        } else {
            &self.games[TieKind::between(a, b).index()]
        }
    }
}

/// Scenarios of at most this many agents get the exact average shortest-path length (about
/// a second for 10,000 agents on a 100 × 100 lattice, O(agents × ties)); larger ones the
/// estimate, where the exact value would take minutes to hours. `large_school` (10,021
/// agents) is exact.
pub const EXACT_PATH_LENGTH_MAX_AGENTS: usize = 20_000;

/// Indices of the metrics `names` lists (every metric for `None`), in registry order;
/// unknown names are skipped (validation refuses them).
pub fn recorded_metrics(names: Option<&[String]>) -> Vec<usize> {
    let metrics = crate::observe::METRICS.iter().enumerate();
    match names {
        None => metrics.map(|(index, _)| index).collect(),
        Some(names) => metrics
            .filter(|(_, metric)| names.iter().any(|name| name == metric.name))
            .map(|(index, _)| index)
            .collect(),
    }
}

/// The mean degree of the initial network as its generator defines it, for newcomers
/// when the network is not a block model.
fn newcomer_degree(scenario: &Scenario) -> f64 {
    let network = &scenario.network;
    let n = scenario.agent_count().max(2) as f64;
    match network.kind {
        NetworkKind::Sbm => 0.0,
        NetworkKind::Lattice => match network.neighbourhood {
            Some(crate::scenario::Neighbourhood::VonNeumann) => 4.0,
            _ => 8.0,
        },
        NetworkKind::ErdosRenyi => network
            .mean_degree
            .unwrap_or_else(|| network.p.unwrap_or(0.0) * (n - 1.0)),
        NetworkKind::WattsStrogatz => network.k.unwrap_or(0) as f64,
        NetworkKind::BarabasiAlbert => 2.0 * network.m.unwrap_or(0) as f64,
        NetworkKind::RandomRegular => network.degree.unwrap_or(0) as f64,
        NetworkKind::Complete => n - 1.0,
        // Newcomers are tied by the file's observed densities by role pair instead.
        NetworkKind::Import => 0.0,
    }
}

/// Every strategy some present role starts with (with a positive share), plus `alld` when
/// `initial_defectors` > 0: what exploration draws from.
pub fn strategy_pool(scenario: &Scenario) -> Vec<Strategy> {
    let mut pool: Vec<Strategy> = Vec::new();
    let present = scenario.role_counts();
    for (role, settings) in &scenario.population.roles {
        if !present.iter().any(|(r, n)| r == role && *n > 0) {
            continue;
        }
        for (strategy, share) in &settings.strategy.0 {
            if *share <= 0.0 {
                continue;
            }
            if !pool.contains(strategy) {
                pool.push(*strategy);
            }
        }
    }
    if scenario.population.initial_defectors > 0.0 && !pool.contains(&Strategy::Alld) {
        pool.push(Strategy::Alld);
    }
    pool
}
