//! Semantic checks of a parsed scenario: ranges, combinations, and counts that must agree.
//!
//! Owns: every rule that a well-typed scenario can still break, each reported with the
//! dotted key path it concerns and a message saying what would be valid.
//! Must never: change the scenario (defaults are filled by `schema`).

mod learning;
mod network;
mod school;

pub use school::check_policy;

use super::schema::{Activity, NetworkKind, Scenario};
use super::values::PairMap;
use crate::model::role::Role;
use crate::model::tie::BetaBelief;

/// A broken rule: the key path and what is wrong.
pub type Problem = (String, String);

/// Largest population a scenario may ask for; larger ones are surely typos (and issue 6's
/// memory check refuses what does not fit well before this).
pub const MAX_AGENTS: u64 = 100_000_000;

/// Most replicates a run may ask for.
pub const MAX_REPLICATES: u32 = 100_000;

/// Most occurrences of one activity type per step in a population of up to this many
/// agents; larger populations may have one per agent ([`per_school_limit`]).
pub const MAX_PER_STEP: f64 = 1000.0;

/// The most of something a school has per step or per year (activities, networking events,
/// arriving firms): `base`, or one per agent when the population is larger, so that a
/// school built with `population.scale` keeps its rates. Beyond one per agent a number is
/// surely a typo, and each occurrence costs time.
pub fn per_school_limit(base: f64, agents: u64) -> f64 {
    base.max(agents as f64)
}

/// Largest Beta pseudo-count: beliefs are stored as f32, which stops counting single
/// observations well before its range ends (at 2^24 ≈ 1.7e7).
pub const MAX_PSEUDO_COUNT: f64 = 1e6;

/// Most values a run may record (replicates × recorded steps × values per step): each is
/// held in memory (about 60 bytes) until the run ends and written as a CSV line.
pub const MAX_RECORDED_VALUES: u64 = 100_000_000;

/// Longest `run.name`: it becomes part of a folder name.
pub const MAX_NAME_CHARS: usize = 100;

/// The first problem found, if any.
pub fn check(scenario: &Scenario) -> Result<(), Problem> {
    check_run(scenario)?;
    check_population(scenario)?;
    check_output_size(scenario)?;
    network::check(scenario)?;
    check_pair_map("contacts", &scenario.contacts, unit)?;
    check_games(scenario)?;
    check_trust(scenario)?;
    check_ties(scenario)?;
    check_network_change(scenario)?;
    for (index, activity) in scenario.activities.iter().enumerate() {
        check_activity(scenario, index, activity)?;
    }
    learning::check(scenario)?;
    school::check(scenario)
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Result<(), Problem> {
    Err((path.into(), message.into()))
}

fn unit(value: f64) -> bool {
    (0.0..=1.0).contains(&value)
}

fn in_unit(path: &str, value: f64) -> Result<(), Problem> {
    if unit(value) {
        Ok(())
    } else {
        problem(
            path,
            format!("{value} is out of range; it must be a number in [0, 1]"),
        )
    }
}

fn at_least(path: &str, value: f64, lower: f64) -> Result<(), Problem> {
    if value.is_finite() && value >= lower {
        Ok(())
    } else {
        problem(
            path,
            format!("{value} is out of range; it must be a finite number >= {lower}"),
        )
    }
}

fn check_run(scenario: &Scenario) -> Result<(), Problem> {
    let run = &scenario.run;
    if run.steps == 0 {
        return problem("run.steps", "must be at least 1");
    }
    if run.replicates == 0 || run.replicates > MAX_REPLICATES {
        return problem(
            "run.replicates",
            format!("must be from 1 to {MAX_REPLICATES}"),
        );
    }
    if run.record_every == 0 || run.record_every > run.steps {
        return problem(
            "run.record_every",
            format!("must be between 1 and run.steps ({})", run.steps),
        );
    }
    if run.name.chars().count() > MAX_NAME_CHARS {
        return problem(
            "run.name",
            format!("is used in folder names: at most {MAX_NAME_CHARS} characters"),
        );
    }
    if run
        .name
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control())
    {
        return problem(
            "run.name",
            "is used in folder names: no slashes or control characters",
        );
    }
    check_metric_names(run.metrics.as_deref())
}

/// `run.metrics`, when given, names at least one metric, each known and listed once.
fn check_metric_names(names: Option<&[String]>) -> Result<(), Problem> {
    let Some(names) = names else {
        return Ok(());
    };
    let known = || crate::observe::METRICS.iter().map(|m| m.name);
    if names.is_empty() {
        return problem(
            "run.metrics",
            "lists no metric: name at least one, or leave the key out to record every metric",
        );
    }
    for (k, name) in names.iter().enumerate() {
        if !known().any(|m| m == name) {
            let hint = super::suggest::suggest(name, known())
                .map(|s| format!(" Did you mean `{s}`?"))
                .unwrap_or_default();
            let all: Vec<&str> = known().collect();
            return problem(
                "run.metrics",
                format!(
                    "has no metric \"{name}\".{hint} Metrics: {}",
                    all.join(", ")
                ),
            );
        }
        if names[..k].contains(name) {
            return problem("run.metrics", format!("lists \"{name}\" twice"));
        }
    }
    Ok(())
}

/// Refuses runs that would record more than [`MAX_RECORDED_VALUES`] values.
fn check_output_size(scenario: &Scenario) -> Result<(), Problem> {
    let run = &scenario.run;
    let records = (run.steps / run.record_every) as u64 + 2; // step 0 and the last step
    // Every role may appear during a run (graduates become alumni, parents community).
    let roles = crate::model::role::ROLE_COUNT;
    let per_record = crate::observe::metrics::values_per_record_bound(
        &crate::model::params::recorded_metrics(run.metrics.as_deref()),
        roles,
        scenario.activities.len() + scenario.programmes.len(),
    );
    let values = run.replicates as u64 * records * per_record;
    if values > MAX_RECORDED_VALUES {
        let gigabytes = values as f64 * 60.0 / 1e9;
        return problem(
            "run",
            format!(
                "{} replicates × {records} recorded steps × up to {per_record} values would record {values} values \
                 (about {gigabytes:.0} GB in memory); the most is {MAX_RECORDED_VALUES}: record less often \
                 (a larger run.record_every), fewer metrics (run.metrics), or run fewer steps or replicates",
                run.replicates
            ),
        );
    }
    Ok(())
}

fn check_population(scenario: &Scenario) -> Result<(), Problem> {
    let population = &scenario.population;
    in_unit("population.initial_defectors", population.initial_defectors)?;
    if population.roles.is_empty() {
        return problem(
            "population",
            format!(
                "missing: no roles; add a table such as [population.teacher] with count = 30 (roles: {}), or import a network with its people ([network] kind = \"import\")",
                Role::names().join(", ")
            ),
        );
    }
    let by_share = population
        .roles
        .values()
        .filter(|r| r.share.is_some())
        .count();
    for (role, settings) in &population.roles {
        let path = format!("population.{role}");
        match (settings.count, settings.share) {
            (Some(_), Some(_)) => return problem(path, "give `count` or `share`, not both"),
            (None, None) => {
                return problem(
                    format!("{path}.count"),
                    "missing: give `count` (agents) or `share` (of the total)",
                );
            }
            (Some(count), None) if by_share > 0 && count > 0 => {
                return problem(
                    path,
                    "mixes `count` with other roles' `share`; use one or the other for all roles (a role with count = 0 is absent and may stay)",
                );
            }
            (None, Some(share)) => in_unit(&format!("{path}.share"), share)?,
            _ => {}
        }
        let checks = [
            ("norm", &settings.norm, 1.0),
            ("knowledge", &settings.knowledge, 1.0),
            ("resources", &settings.resources, f64::INFINITY),
        ];
        for (name, distribution, upper) in checks {
            distribution
                .check(0.0, upper)
                .or_else(|message| problem(format!("{path}.{name}"), message))?;
        }
        settings
            .strategy
            .check()
            .or_else(|message| problem(format!("{path}.strategy"), message))?;
    }
    if by_share > 0 {
        let total: f64 = population.roles.values().filter_map(|r| r.share).sum();
        if (total - 1.0).abs() > 1e-9 {
            return problem(
                "population",
                format!("role shares add up to {total}; they must add up to 1"),
            );
        }
        if population.total.is_none() && scenario.network.kind != NetworkKind::Lattice {
            return problem(
                "population.total",
                "missing: roles are given by `share`, so say how many agents there are in all",
            );
        }
    }
    let agents = scenario
        .role_counts()
        .iter()
        .map(|(_, n)| *n as u64)
        .sum::<u64>();
    let network = &scenario.network;
    if agents == 0 && network.kind == NetworkKind::Lattice {
        let (width, height) = (network.width.unwrap_or(0), network.height.unwrap_or(0));
        return problem(
            if width == 0 {
                "network.width"
            } else {
                "network.height"
            },
            format!(
                "a {width} × {height} lattice has no cells: width and height must be at least 1"
            ),
        );
    }
    if agents == 0 {
        return problem(
            "population",
            "has no agents; give some role a count above 0",
        );
    }
    if agents > MAX_AGENTS {
        return problem(
            "population",
            format!("asks for {agents} agents; the most gotong accepts is {MAX_AGENTS}"),
        );
    }
    Ok(())
}

fn check_pair_map(path: &str, map: &PairMap<f64>, valid: fn(f64) -> bool) -> Result<(), Problem> {
    for (key, value) in map.entries() {
        if !valid(*value) {
            return problem(
                format!("{path}.{key}"),
                format!("{value} is out of range; it must be a number in [0, 1]"),
            );
        }
    }
    Ok(())
}

fn check_games(scenario: &Scenario) -> Result<(), Problem> {
    let games = &scenario.game;
    let mut specs = vec![(
        "game".to_string(),
        &games.default,
        super::resolve_game(&games.default, &games.default),
    )];
    for (kind, spec) in &games.by_kind {
        specs.push((
            format!("game.{kind}"),
            spec,
            super::resolve_game(spec, &games.default),
        ));
    }
    specs.push((
        "game.conflict".to_string(),
        &games.conflict,
        super::resolve_conflict_game(&games.conflict),
    ));
    for (path, spec, (resolved, kind)) in specs {
        if path != "game" && spec.self_interaction.is_some() {
            return problem(
                format!("{path}.self_interaction"),
                "only the default [game] takes self_interaction (an agent plays itself once a step in its own role's game)",
            );
        }
        if let Some((key, message)) = super::unused_game_keys(spec, kind) {
            return problem(format!("{path}.{key}"), message);
        }
        if let Err((key, message)) = resolved {
            // The donation rule b > c > 0 is between two keys: name both as paths, so the
            // layer that set either last (a `--set` over a preset) is the one blamed.
            let message = if kind == crate::model::game::GameKind::Donation {
                (message.replace("got b = ", &format!("got {path}.b = ")))
                    .replace(", c = ", &format!(", {path}.c = "))
            } else {
                message
            };
            return problem(format!("{path}.{key}"), message);
        }
    }
    Ok(())
}

fn check_belief(path: &str, belief: &BetaBelief) -> Result<(), Problem> {
    let fits = |x: f64| x.is_finite() && x > 0.0 && x <= MAX_PSEUDO_COUNT;
    if fits(belief.alpha) && fits(belief.beta) {
        Ok(())
    } else {
        problem(
            path,
            format!(
                "alpha and beta must be numbers > 0 and at most {MAX_PSEUDO_COUNT} (got {}, {})",
                belief.alpha, belief.beta
            ),
        )
    }
}

fn check_trust(scenario: &Scenario) -> Result<(), Problem> {
    let trust = &scenario.trust;
    check_belief("trust.stranger_prior", &trust.stranger_prior)?;
    check_belief("trust.acquaintance_prior", &trust.acquaintance_prior)?;
    for (key, belief) in trust.prior.entries() {
        check_belief(&format!("trust.prior.{key}"), belief)?;
    }
    in_unit("trust.forgetting", trust.forgetting)?;
    in_unit("trust.misread", trust.misread)?;
    in_unit("trust.conflict_below", trust.conflict_below)?;
    in_unit("trust.break_below", trust.break_below)?;
    if trust.break_below > trust.conflict_below {
        return problem(
            "trust.break_below",
            format!(
                "({}) must not exceed trust.conflict_below ({}): a tie turns into conflict before it breaks",
                trust.break_below, trust.conflict_below
            ),
        );
    }
    Ok(())
}

fn check_ties(scenario: &Scenario) -> Result<(), Problem> {
    let ties = &scenario.ties;
    for (key, value) in [
        ("initial_strength", ties.initial_strength),
        ("growth", ties.growth),
        ("loss", ties.loss),
        ("decay", ties.decay),
        ("break_below", ties.break_below),
    ] {
        in_unit(&format!("ties.{key}"), value)?;
    }
    Ok(())
}

fn check_network_change(scenario: &Scenario) -> Result<(), Problem> {
    let change = &scenario.network_change;
    in_unit("network_change.introduction_rate", change.introduction_rate)?;
    in_unit("network_change.introduce_above", change.introduce_above)?;
    in_unit(
        "network_change.chance_meeting_rate",
        change.chance_meeting_rate,
    )?;
    check_pair_map(
        "network_change.meeting_affinity",
        &change.meeting_affinity,
        |w| w.is_finite() && w >= 0.0,
    )
    .map_err(|(path, _)| (path, "weights must be finite numbers >= 0".to_string()))
}

fn check_activity(scenario: &Scenario, index: usize, activity: &Activity) -> Result<(), Problem> {
    let path = format!("activity[{index}]");
    if activity.name.trim().is_empty() || activity.name == "all" {
        return problem(
            format!("{path}.name"),
            "must not be empty or `all` (a group name in the outputs)",
        );
    }
    if let Some(first) = scenario.activities[..index]
        .iter()
        .position(|a| a.name == activity.name)
    {
        return problem(
            format!("{path}.name"),
            format!(
                "`{}` is also the name of activity[{first}]; names must differ, they label the outputs",
                activity.name
            ),
        );
    }
    if activity.members.values().all(|&n| n == 0) {
        return problem(
            format!("{path}.members"),
            "needs at least one member, e.g. { teacher = 4, parent = 3 }",
        );
    }
    let counts = scenario.role_counts();
    for (role, wanted) in &activity.members {
        let available = counts
            .iter()
            .find(|(r, _)| r == role)
            .map_or(0, |(_, n)| *n);
        if *wanted > available {
            return problem(
                format!("{path}.members.{role}"),
                format!(
                    "wants {wanted} {role} agents but the population has {available} \
                     (population.{role}.count or population.{role}.share)"
                ),
            );
        }
    }
    at_least(&format!("{path}.per_step"), activity.per_step, 0.0)?;
    let agents = counts.iter().map(|(_, n)| *n as u64).sum();
    let limit = per_school_limit(MAX_PER_STEP, agents);
    if activity.per_step > limit {
        return problem(
            format!("{path}.per_step"),
            format!(
                "{} is more than {limit} occurrences a step (the most is {MAX_PER_STEP}, or one \
                 per agent in a larger population)",
                activity.per_step
            ),
        );
    }
    at_least(&format!("{path}.endowment"), activity.endowment, 0.0)?;
    at_least(&format!("{path}.synergy"), activity.synergy, 0.0)?;
    in_unit(
        &format!("{path}.trust_sensitivity"),
        activity.trust_sensitivity,
    )?;
    in_unit(&format!("{path}.cooperate_above"), activity.cooperate_above)?;
    in_unit(&format!("{path}.new_tie_chance"), activity.new_tie_chance)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_output_size_counts_only_the_recorded_metrics() {
        let load = |sets: &[&str]| {
            let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
            crate::scenario::load(Some("default"), &sets).map(|_| ())
        };
        let refused = load(&["run.replicates=50000"]).unwrap_err().to_string();
        assert!(refused.contains("fewer metrics (run.metrics)"), "{refused}");
        // One value a step instead of about 400: well under the limit.
        load(&["run.replicates=50000", "run.metrics=[\"density\"]"]).unwrap();
    }
}
