//! `population.scale`: a larger or smaller version of a school with the same ties per person.
//!
//! Owns: the one transformation of a deserialized scenario that `scale` asks for, applied
//! once, after the `extends` chain and `--set` overrides are merged and before validation,
//! and which keys it touches (the table in docs/model.md §6.2, "Scaling a school"). The
//! scenario it leaves holds the scaled numbers and no `scale`, so the run folder's
//! scenario.toml reproduces the run without scaling twice.
//! Must never: validate anything but `scale` itself and the numbers it makes (validation
//! checks the result), read files, or touch a scenario whose `scale` is absent.
//!
//! What is scaled by s (the rest is per person, per tie or per group and stays):
//! - head counts: every role's `count` and `population.total` × s, rounded to the nearest
//!   whole agent, and at least 1 for a role that had any (a role present stays present);
//! - the block model's densities (`network.density`, `default` included) ÷ s, at most 1:
//!   an agent of role a expects p × n_b ties to role b, and (p / s) × (s n_b) = p n_b. Not
//!   exact where counts were rounded or kept at 1, within a role (p (s n − 1) / s instead
//!   of p (n − 1): at most p more ties per agent), and where p / s would exceed 1 (only
//!   for s < 1; those pairs then give fewer ties per person);
//! - Erdős–Rényi `p` ÷ s (at most 1); `mean_degree`, Watts–Strogatz `k`, Barabási–Albert
//!   `m` and random-regular `degree` are already ties per person and stay;
//! - what a school has a number of per step or per year: every `[[activity]] per_step`,
//!   `lifecycle.firm_entry` and `policy.networking_events` (also where an intervention sets
//!   it) × s.
//!
//! Not scaled, by design: `[[programme]]` and `[[contest]]` are one standing group or one
//! competition each (at scale s they reach 1/s of the share of people; list more of them
//! to scale them too); `diffusion.event_size` (people per event); shares and chances per
//! person (`lifecycle.intake`, `teacher_transfer`, `firm_exit`, `principal_change`, which
//! replaces every principal at once). A lattice (its size is `width` × `height`) and a
//! complete graph (ties per person grow with the population) refuse `scale`.

use super::schema::{NetworkKind, Scenario};

/// A problem with `scale`: the key path and what would be valid.
pub type Problem = (String, String);

/// The key this module reads.
pub const SCALE_KEY: &str = "population.scale";

/// Applies `population.scale` to `scenario` (nothing when it is absent) and removes it.
pub fn apply(scenario: &mut Scenario) -> Result<(), Problem> {
    let Some(scale) = scenario.population.scale.take() else {
        return Ok(());
    };
    check_scale(scenario, scale)?;
    scale_counts(scenario, scale)?;
    scale_network(scenario, scale);
    scale_per_school(scenario, scale);
    Ok(())
}

fn problem(message: impl Into<String>) -> Result<(), Problem> {
    Err((SCALE_KEY.to_string(), message.into()))
}

fn check_scale(scenario: &Scenario, scale: f64) -> Result<(), Problem> {
    if !(scale.is_finite() && scale > 0.0) {
        return problem(format!(
            "{scale} is not a valid scale: it must be a number > 0 (1 is the school as written, \
             2 one twice as large with the same ties per person, 0.5 one half as large)"
        ));
    }
    match scenario.network.kind {
        NetworkKind::Lattice => problem(
            "does not apply to a lattice, whose size is its grid: set network.width and \
             network.height instead",
        ),
        NetworkKind::Complete => problem(
            "does not apply to a complete network, where everyone is tied to everyone, so \
             ties per person grow with the population: use erdos_renyi with mean_degree, or \
             random_regular with degree, to keep them",
        ),
        _ => Ok(()),
    }
}

/// `count` × `scale` rounded to the nearest whole number, at least 1 if `count` > 0.
pub fn scaled_count(count: u32, scale: f64) -> Option<u32> {
    if count == 0 {
        return Some(0);
    }
    let scaled = (count as f64 * scale).round().max(1.0);
    (scaled <= u32::MAX as f64).then_some(scaled as u32)
}

fn scale_counts(scenario: &mut Scenario, scale: f64) -> Result<(), Problem> {
    let too_many = |what: String, count: u32| {
        (
            SCALE_KEY.to_string(),
            format!(
                "{scale} would make {what} {count} × {scale} agents, more than a count can hold \
                 ({}): use a smaller scale",
                u32::MAX
            ),
        )
    };
    let population = &mut scenario.population;
    if let Some(total) = population.total {
        population.total =
            Some(scaled_count(total, scale).ok_or_else(|| too_many("total".into(), total))?);
    }
    for (role, settings) in population.roles.iter_mut() {
        if let Some(count) = settings.count {
            let scaled =
                scaled_count(count, scale).ok_or_else(|| too_many(role.to_string(), count))?;
            settings.count = Some(scaled);
        }
    }
    Ok(())
}

/// A chance per pair divided by `scale`, at most 1.
fn thinned(p: f64, scale: f64) -> f64 {
    (p / scale).min(1.0)
}

fn scale_network(scenario: &mut Scenario, scale: f64) {
    let network = &mut scenario.network;
    if let Some(density) = network.density.as_mut() {
        if let Some(default) = density.default.as_mut() {
            *default = thinned(*default, scale);
        }
        for (_, p) in density.pairs.iter_mut() {
            *p = thinned(*p, scale);
        }
    }
    if let Some(p) = network.p.as_mut() {
        *p = thinned(*p, scale);
    }
}

/// The lever an intervention may set that counts events per school.
const EVENTS_LEVER: &str = "policy.networking_events";

fn scale_per_school(scenario: &mut Scenario, scale: f64) {
    for activity in &mut scenario.activities {
        activity.per_step *= scale;
    }
    scenario.lifecycle.firm_entry *= scale;
    scenario.policy.networking_events *= scale;
    for intervention in &mut scenario.interventions {
        if let Some(value) = intervention.set.get_mut(EVENTS_LEVER) {
            let events = match value {
                toml::Value::Integer(n) => Some(*n as f64),
                toml::Value::Float(x) => Some(*x),
                _ => None, // not a number: validation says so
            };
            if let Some(events) = events {
                *value = toml::Value::Float(events * scale);
            }
        }
    }
}

#[cfg(test)]
mod tests;
