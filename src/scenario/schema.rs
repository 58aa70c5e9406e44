//! The scenario format: one Rust struct per TOML table, with the defaults of every key.
//!
//! Every struct denies unknown keys, so a typo is an error that names the key, not a
//! silently ignored setting. Units and ranges are in the doc comments and are enforced by
//! `validate`. The committed `scenarios/default.toml` documents the same keys for users.

use super::games::GameSettings;
use super::school::{
    Contest, Diffusion, Intervention, Lifecycle, Outcomes, Policy, Programme, Solidarity,
};
use super::values::{Distribution, PairMap, StrategyMix};
use crate::model::role::Role;
use crate::model::tie::BetaBelief;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A whole scenario with every default filled in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// One or two sentences: what this scenario asks. Shown by `gotong list`.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub run: RunSettings,
    /// Who is there; may be left out when an imported network decides it.
    #[serde(default)]
    pub population: Population,
    #[serde(default)]
    pub network: NetworkSettings,
    /// Chance per step that a tie of a role pair is active (in [0, 1]); pairs not listed
    /// take `default`, else [`DEFAULT_CONTACT`].
    #[serde(default = "default_contacts")]
    pub contacts: PairMap<f64>,
    #[serde(default)]
    pub game: GameSettings,
    #[serde(default)]
    pub trust: TrustSettings,
    #[serde(default)]
    pub ties: TieSettings,
    #[serde(default)]
    pub network_change: NetworkChange,
    /// Group activities (gotong royong): `[[activity]]` tables.
    #[serde(default, rename = "activity")]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub learning: LearningSettings,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// Programmes: `[[programme]]` tables.
    #[serde(default, rename = "programme")]
    pub programmes: Vec<Programme>,
    /// Interventions: `[[intervention]]` tables.
    #[serde(default, rename = "intervention")]
    pub interventions: Vec<Intervention>,
    /// Contests: `[[contest]]` tables.
    #[serde(default, rename = "contest")]
    pub contests: Vec<Contest>,
    #[serde(default)]
    pub solidarity: Solidarity,
    #[serde(default)]
    pub diffusion: Diffusion,
    #[serde(default)]
    pub outcomes: Outcomes,
    /// Starting moves of lattice cells from `--initial-moves FILE.csv`; not a key of the
    /// file format (the run folder keeps a copy as `initial_moves.csv`).
    #[serde(skip)]
    pub initial_moves: Option<super::initial_moves::InitialMoves>,
    /// The network `network.kind = "import"` read (set at load time; not a key).
    #[serde(skip)]
    pub imported: Option<std::sync::Arc<super::import::ImportedNetwork>>,
}

/// Chance per step that a tie is active when `[contacts]` does not say (no table, or a
/// pair not listed and no `default`).
pub const DEFAULT_CONTACT: f64 = 0.3;

fn default_contacts() -> PairMap<f64> {
    PairMap::with_default(DEFAULT_CONTACT)
}

/// `[run]`: how long, how often, how many times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunSettings {
    /// Name of the run folder's prefix; defaults to the file or preset name.
    pub name: String,
    /// Master seed; replicate r uses streams keyed by (seed, r).
    pub seed: u64,
    /// Steps to simulate (one step is one week).
    pub steps: u32,
    /// Steps in a school year (>= 1): year-end events happen every this many steps.
    pub steps_per_year: u32,
    /// Independent replicates.
    pub replicates: u32,
    /// Record the metrics every this many steps (step 0 and the last step always).
    pub record_every: u32,
    /// The metrics to record, by name (docs/model.md lists them); absent: every metric.
    /// Recording is a large part of a step's cost on big worlds (clustering, components and
    /// trust by role pair are recomputed at every recorded step), so a run that needs a few
    /// outputs can list just those.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Vec<String>>,
    /// Whether replicate 0's network is kept at the first and last recorded step, written as
    /// GraphML and drawn (`false`: neither, which saves most of a short run's fixed cost).
    /// Networks expected to start with more than `run::MAX_NETWORK_FILE_TIES` ties are
    /// never written.
    pub networks: bool,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            name: String::new(),
            seed: 42,
            steps: 200,
            steps_per_year: 40,
            replicates: 20,
            record_every: 1,
            metrics: None,
            networks: true,
        }
    }
}

/// `[population]`: who is there. Role tables such as `[population.teacher]` sit beside the
/// two keys below.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Population {
    /// Share of agents (in [0, 1]) whose strategy is replaced by `alld` at the start, drawn
    /// independently per agent (the lattice validations use it).
    pub initial_defectors: f64,
    /// Total number of agents when roles are given by `share`; for a lattice the grid size
    /// is the total and this key is not needed.
    pub total: Option<u32>,
    /// A number > 0: build a school this many times as large with the same ties per person
    /// (`super::scale` says which keys it multiplies or divides). Applied once at load
    /// time, then removed, so a loaded scenario has `None` here.
    pub scale: Option<f64>,
    /// The roles present, in canonical role order.
    pub roles: BTreeMap<Role, RoleSettings>,
}

/// `[population.<role>]`: how many agents of a role and how they start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoleSettings {
    /// Number of agents of this role (give `count` or `share`, not both).
    pub count: Option<u32>,
    /// Share of the total (in [0, 1]); all roles then use `share` and shares add up to 1.
    pub share: Option<f64>,
    /// Cooperativeness in [0, 1]: the `conditional` strategy's shift and the share of the
    /// endowment put into group activities.
    pub norm: Distribution,
    /// Starting resources (payoff units, >= 0).
    pub resources: Distribution,
    /// Starting knowledge in [0, 1].
    pub knowledge: Distribution,
    /// Starting strategy, or shares of several.
    pub strategy: StrategyMix,
}

impl Default for RoleSettings {
    fn default() -> Self {
        RoleSettings {
            count: None,
            share: None,
            norm: Distribution::Normal {
                mean: 0.5,
                sd: 0.15,
            },
            resources: Distribution::Fixed(10.0),
            knowledge: Distribution::Uniform { min: 0.2, max: 0.8 },
            strategy: StrategyMix::default(),
        }
    }
}

/// Keys of `[population]` besides the role names.
const POPULATION_SCALARS: [&str; 3] = ["initial_defectors", "total", "scale"];

fn population_keys() -> &'static [&'static str] {
    static KEYS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        POPULATION_SCALARS
            .iter()
            .copied()
            .chain(Role::names())
            .collect()
    })
}

impl Serialize for Population {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("initial_defectors", &self.initial_defectors)?;
        if let Some(total) = self.total {
            map.serialize_entry("total", &total)?;
        }
        if let Some(scale) = self.scale {
            map.serialize_entry("scale", &scale)?;
        }
        for (role, settings) in &self.roles {
            map.serialize_entry(role.name(), settings)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Population {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PopulationVisitor;
        impl<'de> Visitor<'de> for PopulationVisitor {
            type Value = Population;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of roles such as [population.teacher]")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Population, A::Error> {
                let mut population = Population::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "initial_defectors" => population.initial_defectors = map.next_value()?,
                        "total" => population.total = Some(map.next_value()?),
                        "scale" => population.scale = Some(map.next_value()?),
                        name => match name.parse::<Role>() {
                            Ok(role) => {
                                population.roles.insert(role, map.next_value()?);
                            }
                            Err(_) => {
                                return Err(de::Error::unknown_field(name, population_keys()));
                            }
                        },
                    }
                }
                Ok(population)
            }
        }
        deserializer.deserialize_map(PopulationVisitor)
    }
}

/// Which generator builds the network at the start (DESIGN §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkKind {
    /// Stochastic block model by role: `density` per role pair.
    Sbm,
    /// Square lattice `width` × `height`, one agent per cell.
    Lattice,
    /// Erdős–Rényi G(n, p): `p` or `mean_degree`.
    ErdosRenyi,
    /// Watts–Strogatz: ring of `k` neighbours, each edge rewired with chance `rewire`.
    WattsStrogatz,
    /// Barabási–Albert: each newcomer attaches to `m` agents preferentially.
    BarabasiAlbert,
    /// Random regular graph: every agent has exactly `degree` ties (uniform pairing).
    RandomRegular,
    /// Every pair tied: a well-mixed population.
    Complete,
    /// Read from `file` (survey data; `super::import`), which also decides who is there.
    Import,
}

impl NetworkKind {
    /// The name used in scenario files (`erdos_renyi`).
    pub fn name(self) -> &'static str {
        match self {
            NetworkKind::Sbm => "sbm",
            NetworkKind::Lattice => "lattice",
            NetworkKind::ErdosRenyi => "erdos_renyi",
            NetworkKind::WattsStrogatz => "watts_strogatz",
            NetworkKind::BarabasiAlbert => "barabasi_albert",
            NetworkKind::RandomRegular => "random_regular",
            NetworkKind::Complete => "complete",
            NetworkKind::Import => "import",
        }
    }
}

/// Which cells of a lattice are neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Neighbourhood {
    /// 4 neighbours (up, down, left, right).
    VonNeumann,
    /// 8 neighbours (with diagonals).
    Moore,
}

/// What happens at a lattice's edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// Cells at the edge have fewer neighbours.
    Fixed,
    /// The grid wraps around (a torus).
    Periodic,
}

/// `[network]`: the initial network. Only the keys of the chosen `kind` may be given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkSettings {
    pub kind: NetworkKind,
    /// sbm: chance (in [0, 1]) that two agents of a role pair are tied; `default` for the rest.
    pub density: Option<PairMap<f64>>,
    /// lattice: columns.
    pub width: Option<u32>,
    /// lattice: rows.
    pub height: Option<u32>,
    /// lattice: `moore` (default) or `von_neumann`.
    pub neighbourhood: Option<Neighbourhood>,
    /// lattice: `periodic` (default) or `fixed`.
    pub boundary: Option<Boundary>,
    /// erdos_renyi: chance of each pair, in [0, 1].
    pub p: Option<f64>,
    /// erdos_renyi: expected mean degree instead of `p`.
    pub mean_degree: Option<f64>,
    /// watts_strogatz: neighbours on the ring (even, >= 2).
    pub k: Option<u32>,
    /// watts_strogatz: chance each edge is rewired, in [0, 1].
    pub rewire: Option<f64>,
    /// barabasi_albert: ties each newcomer makes (>= 1).
    pub m: Option<u32>,
    /// random_regular: ties of every agent (0 <= degree < agents, agents × degree even).
    pub degree: Option<u32>,
    /// import: the network file (`.csv` edge list or `.graphml`), relative to the scenario.
    pub file: Option<String>,
    /// import: the node list (`id,role`) of a CSV edge list, relative to the scenario.
    pub nodes: Option<String>,
    /// import: `csv` or `graphml`; by default from `file`'s extension.
    pub format: Option<super::import::ImportFormat>,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        NetworkSettings {
            kind: NetworkKind::Sbm,
            density: None,
            width: None,
            height: None,
            neighbourhood: None,
            boundary: None,
            p: None,
            mean_degree: None,
            k: None,
            rewire: None,
            m: None,
            degree: None,
            file: None,
            nodes: None,
            format: None,
        }
    }
}

/// `[trust]`: Beta beliefs (DESIGN §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrustSettings {
    /// Belief about a stranger (new ties); weak and below 0.5: "we do not trust someone we
    /// do not know".
    pub stranger_prior: BetaBelief,
    /// Stranger priors by role pair, overriding `stranger_prior`.
    pub prior: PairMap<BetaBelief>,
    /// Belief on the ties of the initial network (people who already know each other).
    pub acquaintance_prior: BetaBelief,
    /// Share per step (in [0, 1]) by which a belief moves back toward its stranger prior.
    pub forgetting: f64,
    /// Base chance (in [0, 1]) of misreading an observed action; the chance applied is
    /// `misread × (1 − policy.transparency)`.
    pub misread: f64,
    /// A view whose trust falls below this (in [0, 1]) marks its tie a conflict tie.
    pub conflict_below: f64,
    /// A tie breaks when either side's trust falls below this (in [0, 1]).
    pub break_below: f64,
}

impl Default for TrustSettings {
    fn default() -> Self {
        TrustSettings {
            stranger_prior: BetaBelief {
                alpha: 1.0,
                beta: 2.0,
            },
            prior: PairMap::default(),
            acquaintance_prior: BetaBelief {
                alpha: 2.0,
                beta: 2.0,
            },
            forgetting: 0.01,
            misread: 0.05,
            conflict_below: 0.25,
            break_below: 0.1,
        }
    }
}

/// `[ties]`: strength of ties, in [0, 1].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TieSettings {
    /// Strength of a new tie.
    pub initial_strength: f64,
    /// After a game in which the partner cooperated: strength += growth × (1 − strength).
    pub growth: f64,
    /// After a game in which the partner defected: strength −= loss × strength.
    pub loss: f64,
    /// Per step without contact: strength −= decay × strength.
    pub decay: f64,
    /// A tie breaks when either side's strength falls below this.
    pub break_below: f64,
}

impl Default for TieSettings {
    fn default() -> Self {
        TieSettings {
            initial_strength: 0.5,
            growth: 0.1,
            loss: 0.15,
            decay: 0.005,
            break_below: 0.05,
        }
    }
}

/// `[network_change]`: how new ties form (DESIGN §5 step 5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkChange {
    /// Chance per agent per step (in [0, 1]) of asking a trusted contact for an introduction.
    pub introduction_rate: f64,
    /// Only contacts trusted at least this much (in [0, 1]) introduce or are introduced.
    pub introduce_above: f64,
    /// Chance per agent per step (in [0, 1]) of meeting someone new by chance.
    pub chance_meeting_rate: f64,
    /// Relative weight (>= 0) of meeting an agent of the other role, by role pair; the
    /// chance of meeting a role is its weight times its head count.
    pub meeting_affinity: PairMap<f64>,
    /// No agent takes on new ties beyond this degree (0: no limit).
    pub max_degree: u32,
}

impl Default for NetworkChange {
    fn default() -> Self {
        NetworkChange {
            introduction_rate: 0.02,
            introduce_above: 0.6,
            chance_meeting_rate: 0.005,
            meeting_affinity: PairMap::with_default(1.0),
            max_degree: 0,
        }
    }
}

/// `[[activity]]`: a kind of group activity, a public-goods game (DESIGN §5.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Name used in outputs, e.g. `committee`.
    pub name: String,
    /// Members drawn by role for each occurrence, e.g. { teacher = 4, parent = 3 }.
    pub members: BTreeMap<Role, u32>,
    /// Expected occurrences per step (>= 0): the whole part always, the fraction by chance.
    #[serde(default = "one")]
    pub per_step: f64,
    /// What each member could put in (resource units, >= 0).
    #[serde(default = "one")]
    pub endowment: f64,
    /// The pot is multiplied by this (>= 0; > 1 is synergy) and shared equally.
    #[serde(default = "default_synergy")]
    pub synergy: f64,
    /// How much trust in the co-members scales a member's contribution, in [0, 1].
    #[serde(default = "half")]
    pub trust_sensitivity: f64,
    /// A contribution of at least this share of the endowment counts as cooperation to
    /// those who see it, in [0, 1].
    #[serde(default = "half")]
    pub cooperate_above: f64,
    /// Chance (in [0, 1]) that two co-members who had no tie form one.
    #[serde(default = "default_new_tie_chance")]
    pub new_tie_chance: f64,
    /// Roles whose expertise the task needs (for `policy.role_clarity`), e.g. ["teacher"].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expertise: Vec<Role>,
}

fn one() -> f64 {
    1.0
}
fn half() -> f64 {
    0.5
}
fn default_synergy() -> f64 {
    1.6
}
fn default_new_tie_chance() -> f64 {
    0.05
}

/// How agents change their strategy and norm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningRule {
    /// Nobody changes.
    None,
    /// Copy a random neighbour with chance 1 / (1 + exp((own − theirs) / temperature)).
    Fermi,
    /// Copy the neighbour with the highest payoff if it beats one's own (synchronous).
    ImitateBest,
    /// Accommodation: move the norm toward the neighbours' (trust-weighted) mean norm and,
    /// with chance `conformity_rate`, take the neighbours' most common strategy.
    Conformity,
    /// Santos & Pacheco: copy a random neighbour who earned more with chance
    /// (π_y − π_x) / (D · max(k_x, k_y)), D the game's largest minus smallest payoff.
    Proportional,
}

/// `[learning]`: DESIGN §5 step 6.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LearningSettings {
    pub rule: LearningRule,
    /// Steps between learning rounds (>= 1); payoffs are summed over the round.
    pub every: u32,
    /// Fermi temperature K (> 0): low K copies better payoffs almost surely.
    pub temperature: f64,
    /// Chance per agent per round (in [0, 1]) of trying a strategy at random instead.
    pub exploration: f64,
    /// Conformity: share of the gap to the neighbours' norm closed per round, in [0, 1].
    pub conformity_rate: f64,
    /// What is compared: `per_game` (payoff per game in the round), `total` (the sum,
    /// which favours agents with many ties, as in Santos & Pacheco) or `cumulative` (the
    /// sum since step 1, never reset, as Mesa's pd_grid keeps its scores).
    pub payoff: PayoffMeasureSetting,
    /// `imitate_best` when the best neighbour's payoff equals one's own: `keep_own`
    /// (Nowak & May) or `copy_neighbour` (Mesa's pd_grid, which lists the agent itself
    /// after its neighbours and takes the first best).
    pub equal_payoffs: EqualPayoffs,
    /// Whether a learning round comes `after_games` of its step (DESIGN §5) or
    /// `before_games` (Mesa's pd_grid: choose the move from the scores so far, then play).
    pub timing: LearningTiming,
    /// `synchronous` (all agents at once, from the payoffs of the step's games) or
    /// `random_sequential` (one agent at a time, drawn at random, as many times as there
    /// are agents, each from payoffs computed from the current strategies; only with
    /// `allc` and `alld`).
    pub update: LearningUpdate,
}

/// `learning.update`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningUpdate {
    #[default]
    Synchronous,
    RandomSequential,
}

/// `learning.equal_payoffs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EqualPayoffs {
    #[default]
    KeepOwn,
    CopyNeighbour,
}

/// `learning.timing`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningTiming {
    #[default]
    AfterGames,
    BeforeGames,
}

/// `learning.payoff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoffMeasureSetting {
    Total,
    PerGame,
    Cumulative,
}

impl Default for LearningSettings {
    fn default() -> Self {
        LearningSettings {
            rule: LearningRule::Fermi,
            every: 4,
            temperature: 0.5,
            exploration: 0.01,
            conformity_rate: 0.2,
            payoff: PayoffMeasureSetting::PerGame,
            equal_payoffs: EqualPayoffs::KeepOwn,
            timing: LearningTiming::AfterGames,
            update: LearningUpdate::Synchronous,
        }
    }
}
