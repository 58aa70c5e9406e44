//! Checks of `[network]`: the keys each kind takes, their ranges, and the size of the
//! initial network (so a network gotong cannot index is refused before it starts).

use super::{Problem, check_pair_map, in_unit, problem, unit};
use crate::scenario::{NetworkKind, Scenario};

/// Keys of `[network]` that belong to each kind.
fn network_keys(kind: NetworkKind) -> &'static [&'static str] {
    match kind {
        NetworkKind::Sbm => &["density"],
        NetworkKind::Lattice => &["width", "height", "neighbourhood", "boundary"],
        NetworkKind::ErdosRenyi => &["p", "mean_degree"],
        NetworkKind::WattsStrogatz => &["k", "rewire"],
        NetworkKind::BarabasiAlbert => &["m"],
        NetworkKind::RandomRegular => &["degree"],
        NetworkKind::Complete => &[],
        NetworkKind::Import => &["file", "nodes", "format"],
    }
}

/// The first problem of `[network]`, if any.
pub fn check(scenario: &Scenario) -> Result<(), Problem> {
    let network = &scenario.network;
    let given = [
        ("density", network.density.is_some()),
        ("width", network.width.is_some()),
        ("height", network.height.is_some()),
        ("neighbourhood", network.neighbourhood.is_some()),
        ("boundary", network.boundary.is_some()),
        ("p", network.p.is_some()),
        ("mean_degree", network.mean_degree.is_some()),
        ("k", network.k.is_some()),
        ("rewire", network.rewire.is_some()),
        ("m", network.m.is_some()),
        ("degree", network.degree.is_some()),
        ("file", network.file.is_some()),
        ("nodes", network.nodes.is_some()),
        ("format", network.format.is_some()),
    ];
    let allowed = network_keys(network.kind);
    let kind_name = network.kind.name();
    for (key, present) in given {
        if present && !allowed.contains(&key) {
            let takes = if allowed.is_empty() {
                "no other keys".to_string()
            } else {
                allowed.join(", ")
            };
            return problem(
                format!("network.{key}"),
                format!("does not apply to network.kind = \"{kind_name}\", which takes: {takes}"),
            );
        }
    }
    let agents: u64 = scenario.role_counts().iter().map(|(_, n)| *n as u64).sum();
    match network.kind {
        NetworkKind::Sbm => match &network.density {
            Some(density) => check_pair_map("network.density", density, unit),
            None => problem(
                "network.density",
                "missing: give densities by role pair, e.g. { default = 0.01, \"teacher~teacher\" = 0.3 }",
            ),
        },
        NetworkKind::Lattice => check_lattice(scenario, agents),
        NetworkKind::ErdosRenyi => match (network.p, network.mean_degree) {
            (Some(p), None) => in_unit("network.p", p),
            (None, Some(degree))
                if agents > 1
                    && degree.is_finite()
                    && degree >= 0.0
                    && degree <= (agents - 1) as f64 =>
            {
                Ok(())
            }
            (None, Some(degree)) => problem(
                "network.mean_degree",
                format!(
                    "{degree} must be in [0, {}] (agents − 1)",
                    agents.saturating_sub(1)
                ),
            ),
            _ => problem("network.p", "give exactly one of `p` and `mean_degree`"),
        },
        NetworkKind::WattsStrogatz => {
            let k = network.k.unwrap_or(0) as u64;
            if k < 2 || k % 2 != 0 || k >= agents {
                return problem(
                    "network.k",
                    format!(
                        "must be an even number from 2 to {} (below the number of agents)",
                        agents.saturating_sub(1)
                    ),
                );
            }
            in_unit("network.rewire", network.rewire.unwrap_or(0.0))
        }
        NetworkKind::BarabasiAlbert => {
            let m = network.m.unwrap_or(0) as u64;
            if m < 1 || m >= agents {
                return problem(
                    "network.m",
                    format!(
                        "must be from 1 to {} (below the number of agents)",
                        agents.saturating_sub(1)
                    ),
                );
            }
            Ok(())
        }
        NetworkKind::RandomRegular => check_random_regular(network.degree, agents),
        NetworkKind::Complete => check_complete(agents),
        NetworkKind::Import if scenario.imported.is_none() => problem(
            "network.file",
            "was not read: load the scenario with `scenario::load` (or `from_text`), which reads it",
        ),
        NetworkKind::Import => Ok(()),
    }?;
    check_expected_ties(scenario, agents)
}

/// Most ties an initial network may be expected to have: views (two per tie) are indexed
/// by 32-bit numbers, so a network can never pass 2³¹ ties; half that leaves room for the
/// ties made during a run. Whether a run fits in memory is checked before it starts
/// (`crate::memory`, against the memory of the machine it runs on), so this only catches
/// what could never run anywhere.
pub const MAX_INITIAL_TIES: f64 = 1e9;

/// Refuses an initial network whose expected number of ties is beyond [`MAX_INITIAL_TIES`]:
/// better a clear message now than a failure after the folder is made.
fn check_expected_ties(scenario: &Scenario, agents: u64) -> Result<(), Problem> {
    let network = &scenario.network;
    let key = match network.kind {
        NetworkKind::ErdosRenyi if network.p.is_some() => "network.p",
        NetworkKind::ErdosRenyi => "network.mean_degree",
        NetworkKind::WattsStrogatz => "network.k",
        NetworkKind::BarabasiAlbert => "network.m",
        NetworkKind::Sbm => "network.density",
        // Lattices have at most 4 ties per agent; the others are checked by kind, and an
        // imported network's ties are listed in a file and so already in memory.
        NetworkKind::Lattice
        | NetworkKind::RandomRegular
        | NetworkKind::Complete
        | NetworkKind::Import => {
            return Ok(());
        }
    };
    let ties = scenario.expected_generated_ties();
    if ties > MAX_INITIAL_TIES {
        return problem(
            key,
            format!(
                "the initial network would have about {ties:.0} ties among {agents} agents; the \
                 most gotong builds is {MAX_INITIAL_TIES:e} (tie views have 32-bit indices): use \
                 fewer agents or a sparser network"
            ),
        );
    }
    Ok(())
}

fn check_random_regular(degree: Option<u32>, agents: u64) -> Result<(), Problem> {
    let Some(degree) = degree else {
        return problem(
            "network.degree",
            "missing: say how many ties every agent has, e.g. degree = 4",
        );
    };
    let degree = degree as u64;
    if degree >= agents.max(1) || (agents * degree) % 2 != 0 {
        return problem(
            "network.degree",
            format!(
                "{degree} does not fit {agents} agents: it must be below the number of agents, \
                 and agents × degree must be even (each tie has two ends)"
            ),
        );
    }
    let (ties, max) = (
        agents * degree / 2,
        crate::network::generators::MAX_REGULAR_TIES,
    );
    if ties > max {
        return problem(
            "network.degree",
            format!(
                "{agents} agents of degree {degree} make {ties} ties; the most gotong builds is \
                 {max}: use fewer agents or a smaller degree"
            ),
        );
    }
    Ok(())
}

fn check_complete(agents: u64) -> Result<(), Problem> {
    let ties = agents * agents.saturating_sub(1) / 2;
    if ties > crate::network::generators::MAX_COMPLETE_TIES {
        return problem(
            "network.kind",
            format!(
                "a complete graph of {agents} agents has {ties} ties; the most gotong builds is {} \
                 (about 4,500 agents): use fewer agents, or random_regular / erdos_renyi",
                crate::network::generators::MAX_COMPLETE_TIES
            ),
        );
    }
    Ok(())
}

fn check_lattice(scenario: &Scenario, agents: u64) -> Result<(), Problem> {
    let network = &scenario.network;
    let (Some(width), Some(height)) = (network.width, network.height) else {
        return problem("network.width", "a lattice needs both `width` and `height`");
    };
    if let Some(total) = scenario.population.total {
        if total as u64 != width as u64 * height as u64 {
            return problem(
                "population.total",
                format!(
                    "is {total}, but a lattice has one agent per cell ({width} × {height}); leave `total` out"
                ),
            );
        }
    }
    if width == 0 || height == 0 {
        return problem("network.width", "width and height must be at least 1");
    }
    let cells = width as u64 * height as u64;
    if cells != agents {
        return problem(
            "network.width",
            format!(
                "a {width} × {height} lattice has {cells} cells but the population has {agents} agents; give roles a `share` instead of a `count` to fill the grid"
            ),
        );
    }
    Ok(())
}
