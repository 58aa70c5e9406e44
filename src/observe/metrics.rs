//! The metric registry: every recorded quantity, declared once (DESIGN §8).
//!
//! A metric is a name, a sentence saying what it measures (with units or range), and a
//! function that pushes one value per group. Adding a metric is adding an entry to
//! [`METRICS`]: the CSV files, the summary and the per-metric plots pick it up.
//! Network metrics follow networkx's definitions (see `network::metrics`). Values that are
//! undefined at a step (a rate with no games) are not recorded rather than written as NaN.

use super::Sink;
use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::model::params::Params;
use crate::model::role::{ROLE_COUNT, Role, TIE_KIND_COUNT, TieKind};
use crate::model::strategy::{ALWAYS_REPORTED_FAMILIES, STRATEGY_NAMES, Strategy};
use crate::model::world::{GroupSource, World};
use crate::network::Graph;
use crate::network::metrics as net;
use std::cell::OnceCell;

mod bound;
mod closure;
mod learning_index;
mod school;

pub use bound::values_per_record_bound;

/// The world being observed, with structure computed at most once per observation.
pub struct Observed<'a> {
    pub world: &'a World,
    pub params: &'a Params,
    /// Whether this is the last step of the run: the costly final-network metrics
    /// (O(agents × ties)) are recorded only then.
    pub last_step: bool,
    active_graph: OnceCell<Option<Graph>>,
    triangles: OnceCell<Vec<u64>>,
    views: OnceCell<ViewTotals>,
    components: OnceCell<net::Components>,
}

impl<'a> Observed<'a> {
    /// Starts observing `world`; it is the run's last step when `world.step` is
    /// `params.steps` (see [`Observed::at_last_step`] for runs cut shorter).
    pub fn new(world: &'a World, params: &'a Params) -> Observed<'a> {
        Observed {
            world,
            params,
            last_step: world.step == params.steps,
            active_graph: OnceCell::new(),
            triangles: OnceCell::new(),
            views: OnceCell::new(),
            components: OnceCell::new(),
        }
    }

    /// The same observation, saying whether this is the last step of the run.
    pub fn at_last_step(self, last_step: bool) -> Observed<'a> {
        Observed { last_step, ..self }
    }

    /// The network of the active agents (agents who left are not nodes of it), numbered
    /// in id order: network metrics are networkx's on this graph.
    pub fn graph(&self) -> &Graph {
        let compact = self.active_graph.get_or_init(|| {
            let active = &self.world.agents.active;
            (!active.iter().all(|&a| a)).then(|| self.world.graph.induced(active))
        });
        compact.as_ref().unwrap_or(&self.world.graph)
    }

    /// Per-agent values of the active agents, with their ids, in id order.
    fn active_values<'v>(&'v self, values: &'v [f64]) -> impl Iterator<Item = (usize, f64)> + 'v {
        let active = &self.world.agents.active;
        values
            .iter()
            .enumerate()
            .filter(move |(i, _)| active[*i])
            .map(|(i, v)| (i, *v))
    }

    fn triangles(&self) -> &[u64] {
        self.triangles.get_or_init(|| net::triangles(self.graph()))
    }

    fn views(&self) -> &ViewTotals {
        self.views
            .get_or_init(|| ViewTotals::of(self.world, self.params))
    }

    fn components(&self) -> &net::Components {
        self.components
            .get_or_init(|| net::components(self.graph()))
    }

    /// Share of active agents in the largest component, in [0, 1]; 0 without agents.
    fn largest_share(&self) -> f64 {
        let agents = self.graph().agent_count();
        if agents == 0 {
            return 0.0;
        }
        self.components().largest as f64 / agents as f64
    }
}

/// A declared metric.
pub struct MetricDef {
    /// Name in the CSV files.
    pub name: &'static str,
    /// What it measures, with units or range.
    pub description: &'static str,
    /// Pushes the metric's value for each of its groups.
    pub compute: fn(&Observed, &mut Sink),
}

/// Every metric, in the order they are written.
pub static METRICS: &[MetricDef] = &[
    MetricDef {
        name: "cooperation_rate",
        description: "share of pairwise games this step in which the player cooperated, in [0, 1]; groups: all, the player's role, and newcomer (players who arrived less than a school year ago)",
        compute: cooperation_rate,
    },
    MetricDef {
        name: "mean_trust",
        description: "mean trust over tie views, in (0, 1); groups: all, role pairs a~b (both directions), and newcomer (views held by agents who arrived less than a school year ago)",
        compute: mean_trust,
    },
    MetricDef {
        name: "trust_toward",
        description: "mean trust of role a toward role b over tie views, in (0, 1); groups: a>b",
        compute: trust_toward,
    },
    MetricDef {
        name: "ties",
        description: "number of ties; groups: all and the tie kinds educative, cultural, institutional, internal",
        compute: tie_counts,
    },
    MetricDef {
        name: "mean_strength",
        description: "mean tie strength over views, in [0, 1]; groups: all and tie kinds",
        compute: mean_strength,
    },
    MetricDef {
        name: "conflict_ties",
        description: "number of ties either side regards as conflict ties",
        compute: conflict_ties,
    },
    MetricDef {
        name: "bridging_share",
        description: "share of ties that join agents of different roles, in [0, 1]",
        compute: bridging_share,
    },
    MetricDef {
        name: "density",
        description: "ties / possible ties, in [0, 1] (networkx density)",
        compute: density,
    },
    MetricDef {
        name: "mean_degree",
        description: "mean number of ties per agent",
        compute: mean_degree,
    },
    MetricDef {
        name: "avg_clustering",
        description: "mean local clustering coefficient over all agents, in [0, 1] (networkx average_clustering)",
        compute: avg_clustering,
    },
    MetricDef {
        name: "transitivity",
        description: "3 × triangles / connected triples, in [0, 1] (networkx transitivity)",
        compute: transitivity,
    },
    MetricDef {
        name: "components",
        description: "number of connected components (an isolated agent is one)",
        compute: components,
    },
    MetricDef {
        name: "largest_component_share",
        description: "share of agents in the largest connected component, in [0, 1]",
        compute: largest_component_share,
    },
    MetricDef {
        name: "average_shortest_path_length",
        description: "average shortest-path length in ties, over ordered pairs of agents of the largest connected component; 0 for one agent; recorded at the last step only (networkx average_shortest_path_length on the largest component); in scenarios of more than 20,000 agents, estimated from the searches of 1,024 agents of that component spread evenly over ids",
        compute: average_shortest_path_length,
    },
    MetricDef {
        name: "degree_assortativity",
        description: "degree assortativity (Newman's r: correlation of the degrees at the two ends of a tie), in [-1, 1]; not recorded when every agent with ties has the same degree; recorded at the last step only (networkx degree_assortativity_coefficient)",
        compute: degree_assortativity,
    },
    MetricDef {
        name: "mean_resources",
        description: "mean resources (payoff units); groups: all and roles",
        compute: mean_resources,
    },
    MetricDef {
        name: "gini_resources",
        description: "Gini coefficient of resources (negative balances count as 0), in [0, 1]",
        compute: gini_resources,
    },
    MetricDef {
        name: "mean_norm",
        description: "mean norm (cooperativeness), in [0, 1]; groups: all and roles",
        compute: mean_norm,
    },
    MetricDef {
        name: "strategy_share",
        description: "share of agents playing each strategy, in [0, 1]; groups: strategy names",
        compute: strategy_share,
    },
    MetricDef {
        name: "group_contribution",
        description: "mean share of the endowment put into group activities and programme meetings this step, in [0, 1]; groups: all, activity names and programme names",
        compute: group_contribution,
    },
    MetricDef {
        name: "agents",
        description: "active agents; groups: all and every role that has had an agent in the run (0 once all have left)",
        compute: school::agents,
    },
    MetricDef {
        name: "resources_mobilised",
        description: "resources given to group activities and programmes this step (payoff units); groups: all and roles with active agents",
        compute: school::resources_mobilised,
    },
    MetricDef {
        name: "knowledge",
        description: "mean knowledge, in [0, 1]; groups: all and roles",
        compute: school::knowledge,
    },
    MetricDef {
        name: "reputation",
        description: "group school: mean opinion of the school among active outsiders (word of mouth), in [0, 1]; groups by role: mean image score (reputation) of the role's agents, in [0, 1]",
        compute: school::reputation,
    },
    MetricDef {
        name: "innovations",
        description: "innovations implemented since the start (count)",
        compute: school::innovations,
    },
    MetricDef {
        name: "placements",
        description: "graduates placed with a firm or a university since the start (count)",
        compute: school::placements,
    },
    MetricDef {
        name: "learning_index",
        description: "mean over students of the mean of its defined parts, in [0, 1]: teacher collaboration (trust among its teachers), home-school trust (its parent and its teachers), enrichment (programme weeks); groups: all and each part (mean over students where defined)",
        compute: learning_index::learning_index,
    },
    MetricDef {
        name: "progress_index",
        description: "weighted sum of four components in [0, 1] (weights in [outcomes]): innovation, networking, technology, natural_resources; groups: all and the components",
        compute: school::progress_index,
    },
    MetricDef {
        name: "closure",
        description: "Coleman's closure, in [0, 1]; groups: parent_student_teacher (share of parent-student-teacher chains whose parent and teacher are tied), parent_parent (share of tied students with different parents whose parents are tied), all (pooled)",
        compute: closure::closure,
    },
];

/// Index of the metric called `name`.
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.name == name)
}

fn role_pair_name(a: Role, b: Role) -> String {
    crate::model::role::RolePair::new(a, b).to_string()
}

fn cooperation_rate(o: &Observed, sink: &mut Sink) {
    let games = &o.world.scratch.games;
    let played: u64 = games.played.iter().sum();
    let cooperated: u64 = games.cooperated.iter().sum();
    if played > 0 {
        sink.push("all", cooperated as f64 / played as f64);
    }
    for role in Role::ALL {
        let r = role.index();
        if games.played[r] > 0 {
            sink.push(
                role.name(),
                games.cooperated[r] as f64 / games.played[r] as f64,
            );
        }
    }
    if games.newcomer_played > 0 {
        sink.push(
            "newcomer",
            games.newcomer_cooperated as f64 / games.newcomer_played as f64,
        );
    }
}

/// Sums over all views, by directed role pair and by tie kind, built once per observation
/// in fixed blocks (so the float sums are the same for any thread count).
#[derive(Clone)]
struct ViewTotals {
    trust: [f64; ROLE_COUNT * ROLE_COUNT],
    views: [u64; ROLE_COUNT * ROLE_COUNT],
    strength: [f64; TIE_KIND_COUNT],
    conflict_views: u64,
    bridging_views: u64,
    /// Trust summed over the views held by newcomers, and their number.
    newcomer_trust: f64,
    newcomer_views: u64,
}

impl ViewTotals {
    fn empty() -> ViewTotals {
        ViewTotals {
            trust: [0.0; ROLE_COUNT * ROLE_COUNT],
            views: [0; ROLE_COUNT * ROLE_COUNT],
            strength: [0.0; TIE_KIND_COUNT],
            conflict_views: 0,
            bridging_views: 0,
            newcomer_trust: 0.0,
            newcomer_views: 0,
        }
    }

    fn of(world: &World, params: &Params) -> ViewTotals {
        let n = world.agents.count();
        let partials = map_blocks(n, agent_blocks(n), |_, block| {
            let mut totals = ViewTotals::empty();
            for i in block {
                let role = world.agents.role[i];
                let newcomer = world
                    .agents
                    .is_newcomer(i, world.step, params.steps_per_year);
                for v in world.graph.views(i as u32) {
                    let partner = world.agents.role[world.graph.targets()[v] as usize];
                    let cell = role.index() * ROLE_COUNT + partner.index();
                    let view = &world.views[v];
                    totals.trust[cell] += view.trust();
                    totals.views[cell] += 1;
                    totals.strength[TieKind::between(role, partner).index()] +=
                        view.strength as f64;
                    totals.conflict_views += world.is_conflict(v) as u64;
                    totals.bridging_views += (role != partner) as u64;
                    if newcomer {
                        totals.newcomer_trust += view.trust();
                        totals.newcomer_views += 1;
                    }
                }
            }
            totals
        });
        let mut totals = ViewTotals::empty();
        for part in &partials {
            for c in 0..ROLE_COUNT * ROLE_COUNT {
                totals.trust[c] += part.trust[c];
                totals.views[c] += part.views[c];
            }
            for k in 0..TIE_KIND_COUNT {
                totals.strength[k] += part.strength[k];
            }
            totals.conflict_views += part.conflict_views;
            totals.bridging_views += part.bridging_views;
            totals.newcomer_trust += part.newcomer_trust;
            totals.newcomer_views += part.newcomer_views;
        }
        totals
    }

    fn views_of_kind(&self, kind: TieKind) -> u64 {
        let mut count = 0;
        for a in Role::ALL {
            for b in Role::ALL {
                if TieKind::between(a, b) == kind {
                    count += self.views[a.index() * ROLE_COUNT + b.index()];
                }
            }
        }
        count
    }
}

fn mean_trust(o: &Observed, sink: &mut Sink) {
    let totals = o.views();
    let all: u64 = totals.views.iter().sum();
    if all > 0 {
        let sum: f64 = totals.trust.iter().sum();
        sink.push("all", sum / all as f64);
    }
    for pair in crate::model::role::RolePair::all() {
        let (a, b) = pair.roles();
        let (ab, ba) = (
            a.index() * ROLE_COUNT + b.index(),
            b.index() * ROLE_COUNT + a.index(),
        );
        let (sum, count) = if ab == ba {
            (totals.trust[ab], totals.views[ab])
        } else {
            (
                totals.trust[ab] + totals.trust[ba],
                totals.views[ab] + totals.views[ba],
            )
        };
        if count > 0 {
            sink.push(role_pair_name(a, b), sum / count as f64);
        }
    }
    if totals.newcomer_views > 0 {
        sink.push(
            "newcomer",
            totals.newcomer_trust / totals.newcomer_views as f64,
        );
    }
}

fn trust_toward(o: &Observed, sink: &mut Sink) {
    let totals = o.views();
    for a in Role::ALL {
        for b in Role::ALL {
            let cell = a.index() * ROLE_COUNT + b.index();
            if totals.views[cell] > 0 {
                sink.push(
                    format!("{a}>{b}"),
                    totals.trust[cell] / totals.views[cell] as f64,
                );
            }
        }
    }
}

fn tie_counts(o: &Observed, sink: &mut Sink) {
    let totals = o.views();
    sink.push("all", o.world.graph.tie_count() as f64);
    for kind in TieKind::ALL {
        sink.push(kind.name(), (totals.views_of_kind(kind) / 2) as f64);
    }
}

fn mean_strength(o: &Observed, sink: &mut Sink) {
    let totals = o.views();
    let all = o.world.graph.view_count();
    if all > 0 {
        sink.push("all", totals.strength.iter().sum::<f64>() / all as f64);
    }
    for kind in TieKind::ALL {
        let count = totals.views_of_kind(kind);
        if count > 0 {
            sink.push(kind.name(), totals.strength[kind.index()] / count as f64);
        }
    }
}

fn conflict_ties(o: &Observed, sink: &mut Sink) {
    sink.push("all", (o.views().conflict_views / 2) as f64);
}

fn bridging_share(o: &Observed, sink: &mut Sink) {
    let views = o.world.graph.view_count();
    if views > 0 {
        sink.push("all", o.views().bridging_views as f64 / views as f64);
    }
}

fn density(o: &Observed, sink: &mut Sink) {
    sink.push("all", net::density(o.graph()));
}

fn mean_degree(o: &Observed, sink: &mut Sink) {
    sink.push("all", net::mean_degree(o.graph()));
}

fn avg_clustering(o: &Observed, sink: &mut Sink) {
    sink.push(
        "all",
        net::average_clustering_from_triangles(o.graph(), o.triangles()),
    );
}

fn transitivity(o: &Observed, sink: &mut Sink) {
    sink.push(
        "all",
        net::transitivity_from_triangles(o.graph(), o.triangles()),
    );
}

fn components(o: &Observed, sink: &mut Sink) {
    sink.push("all", o.components().count as f64);
}

fn average_shortest_path_length(o: &Observed, sink: &mut Sink) {
    if o.last_step {
        let method = o.params.path_length;
        let length = net::average_shortest_path_length_in(o.graph(), o.components(), method);
        sink.push("all", length);
    }
}

fn degree_assortativity(o: &Observed, sink: &mut Sink) {
    if o.last_step {
        sink.push("all", net::degree_assortativity_coefficient(o.graph()));
    }
}

fn largest_component_share(o: &Observed, sink: &mut Sink) {
    sink.push("all", o.largest_share());
}

/// Mean of `values` over the active agents, all and by role.
fn push_by_role(o: &Observed, sink: &mut Sink, values: &[f64]) {
    let roles = &o.world.agents.role;
    let mut sums = [0.0; ROLE_COUNT];
    let mut counts = [0u64; ROLE_COUNT];
    let (mut total, mut n) = (0.0, 0u64);
    for (i, value) in o.active_values(values) {
        sums[roles[i].index()] += value;
        counts[roles[i].index()] += 1;
        total += value;
        n += 1;
    }
    if n > 0 {
        sink.push("all", total / n as f64);
    }
    for role in Role::ALL {
        if counts[role.index()] > 0 {
            sink.push(
                role.name(),
                sums[role.index()] / counts[role.index()] as f64,
            );
        }
    }
}

fn mean_resources(o: &Observed, sink: &mut Sink) {
    push_by_role(o, sink, &o.world.agents.resources);
}

fn mean_norm(o: &Observed, sink: &mut Sink) {
    push_by_role(o, sink, &o.world.agents.norm);
}

fn gini_resources(o: &Observed, sink: &mut Sink) {
    let active: Vec<f64> = o
        .active_values(&o.world.agents.resources)
        .map(|(_, v)| v)
        .collect();
    sink.push("all", gini(&active));
}

/// Gini coefficient of `values` with negatives counted as 0: 0 when all are equal (or all
/// zero), approaching 1 when one holds everything.
pub fn gini(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().map(|v| v.max(0.0)).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let total: f64 = sorted.iter().sum();
    if sorted.is_empty() || total <= 0.0 {
        return 0.0;
    }
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n - 1.0) * x)
        .sum();
    weighted / (n * total)
}

fn strategy_share(o: &Observed, sink: &mut Sink) {
    let mut counts = [0u64; STRATEGY_NAMES.len()];
    let agents = &o.world.agents;
    for (strategy, _) in agents
        .strategy
        .iter()
        .zip(&agents.active)
        .filter(|(_, a)| **a)
    {
        counts[strategy.family_index()] += 1;
    }
    let n = agents.active_count();
    if n == 0 {
        return;
    }
    for (family, (name, count)) in STRATEGY_NAMES.iter().zip(counts).enumerate() {
        if family < ALWAYS_REPORTED_FAMILIES || names_family(o.params, family) {
            sink.push(*name, count as f64 / n as f64);
        }
    }
}

/// Whether the scenario names a strategy of `family` with a positive share in some role's
/// table or in the exploration pool (so its share is reported at every step).
fn names_family(params: &crate::model::params::Params, family: usize) -> bool {
    let named = |s: &Strategy| s.family_index() == family;
    params.strategy_pool.iter().any(named)
        || params.population.roles.values().any(|settings| {
            settings
                .strategy
                .0
                .iter()
                .any(|(s, share)| *share > 0.0 && named(s))
        })
}

fn group_contribution(o: &Observed, sink: &mut Sink) {
    let outcomes = &o.world.scratch.activities;
    let weighted = |list: &mut dyn Iterator<Item = &crate::model::world::ActivityOutcome>| {
        let (sum, members) = list.fold((0.0, 0usize), |(s, m), x| {
            (s + x.mean_share * x.members as f64, m + x.members)
        });
        (members > 0).then(|| sum / members as f64)
    };
    if let Some(all) = weighted(&mut outcomes.iter()) {
        sink.push("all", all);
    }
    for (index, activity) in o.params.activities.iter().enumerate() {
        let group = GroupSource::Activity(index);
        if let Some(value) = weighted(&mut outcomes.iter().filter(|x| x.group == group)) {
            sink.push(activity.name.clone(), value);
        }
    }
    for (index, programme) in o.params.programmes.iter().enumerate() {
        let group = GroupSource::Programme(index);
        if let Some(value) = weighted(&mut outcomes.iter().filter(|x| x.group == group)) {
            sink.push(programme.display_name(), value);
        }
    }
}

#[cfg(test)]
mod tests;
