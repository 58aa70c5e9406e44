//! Checks of the school model's tables: levers, the school year, programmes,
//! interventions, contests, solidarity, diffusion and the progress weights.

use super::{Problem, at_least, in_unit, per_school_limit, problem};
use crate::model::role::Role;
use crate::scenario::{NetworkKind, Policy, Scenario};

/// Most networking events per year, and most new firms per year, in a population of up
/// to this many agents; larger ones may have one per agent (`per_school_limit`).
pub const MAX_EVENTS_PER_YEAR: f64 = 1000.0;

/// The first problem of the school tables, if any.
pub fn check(scenario: &Scenario) -> Result<(), Problem> {
    if scenario.run.steps_per_year == 0 {
        return problem("run.steps_per_year", "must be at least 1");
    }
    check_policy("policy", &scenario.policy, agent_count(scenario))?;
    check_lifecycle(scenario)?;
    check_programmes(scenario)?;
    check_interventions(scenario)?;
    check_contests(scenario)?;
    let solidarity = &scenario.solidarity;
    at_least("solidarity.threshold", solidarity.threshold, 0.0)?;
    in_unit("solidarity.share", solidarity.share)?;
    check_diffusion(scenario)?;
    check_outcomes(scenario)
}

fn agent_count(scenario: &Scenario) -> u64 {
    scenario.role_counts().iter().map(|(_, n)| *n as u64).sum()
}

/// Lever ranges, for `[policy]` and for the policy an intervention leaves in force, in a
/// population of `agents`.
pub fn check_policy(path: &str, policy: &Policy, agents: u64) -> Result<(), Problem> {
    for (lever, value) in [
        ("shared_goals", policy.shared_goals),
        ("role_clarity", policy.role_clarity),
        ("agreed_rules", policy.agreed_rules),
        ("onboarding", policy.onboarding),
        ("openness", policy.openness),
        ("mediation", policy.mediation),
        ("fair_workload", policy.fair_workload),
        ("transparency", policy.transparency),
        ("recognition", policy.recognition),
    ] {
        in_unit(&format!("{path}.{lever}"), value)?;
    }
    at_least(
        &format!("{path}.networking_events"),
        policy.networking_events,
        0.0,
    )?;
    let limit = per_school_limit(MAX_EVENTS_PER_YEAR, agents);
    if policy.networking_events > limit {
        return problem(
            format!("{path}.networking_events"),
            format!(
                "at most {limit} events a year ({MAX_EVENTS_PER_YEAR}, or one per agent in a \
                 larger population)"
            ),
        );
    }
    Ok(())
}

fn check_lifecycle(scenario: &Scenario) -> Result<(), Problem> {
    let lifecycle = &scenario.lifecycle;
    if lifecycle.school_years == 0 {
        return problem("lifecycle.school_years", "must be at least 1");
    }
    at_least("lifecycle.intake", lifecycle.intake, 0.0)?;
    at_least("lifecycle.firm_entry", lifecycle.firm_entry, 0.0)?;
    let firm_limit = per_school_limit(MAX_EVENTS_PER_YEAR, agent_count(scenario));
    if lifecycle.intake > 100.0 || lifecycle.firm_entry > firm_limit {
        return problem(
            "lifecycle",
            format!(
                "intake is at most 100 (times the graduates) and firm_entry at most {firm_limit} \
                 a year ({MAX_EVENTS_PER_YEAR}, or one per agent in a larger population)"
            ),
        );
    }
    for (key, value) in [
        ("new_parent_chance", lifecycle.new_parent_chance),
        ("alumni_tie_strength", lifecycle.alumni_tie_strength),
        ("teacher_transfer", lifecycle.teacher_transfer),
        ("principal_change", lifecycle.principal_change),
        ("firm_exit", lifecycle.firm_exit),
    ] {
        in_unit(&format!("lifecycle.{key}"), value)?;
    }
    let changing = [Role::Student, Role::Teacher, Role::Principal, Role::Firm];
    let has_changing_roles = scenario
        .role_counts()
        .iter()
        .any(|(r, n)| *n > 0 && changing.contains(r));
    if lifecycle.enabled && has_changing_roles && scenario.network.kind == NetworkKind::Lattice {
        return problem(
            "lifecycle.enabled",
            "the school year adds and removes students, teachers, principals and firms, but a lattice has exactly one agent per cell: set lifecycle.enabled = false",
        );
    }
    Ok(())
}

fn role_count(scenario: &Scenario, role: Role) -> u32 {
    scenario
        .role_counts()
        .iter()
        .find(|(r, _)| *r == role)
        .map_or(0, |(_, n)| *n)
}

fn check_programmes(scenario: &Scenario) -> Result<(), Problem> {
    for (index, programme) in scenario.programmes.iter().enumerate() {
        let path = format!("programme[{index}]");
        let name = programme.display_name();
        if name == "all" || scenario.activities.iter().any(|a| a.name == name) {
            return problem(
                format!("{path}.name"),
                format!(
                    "`{name}` is `all` or the name of an activity; programme names label the outputs"
                ),
            );
        }
        if let Some(first) = scenario.programmes[..index]
            .iter()
            .position(|p| p.display_name() == name)
        {
            return problem(
                format!("{path}.name"),
                format!("`{name}` is also the name of programme[{first}]; give each a `name`"),
            );
        }
        let members = programme.member_counts();
        if members.values().all(|&n| n == 0) {
            return problem(
                format!("{path}.members"),
                "needs at least one member, e.g. { teacher = 4, parent = 10 }",
            );
        }
        for (role, wanted) in &members {
            let available = role_count(scenario, *role);
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
        if programme.interval() == 0 {
            return problem(
                format!("{path}.every"),
                "must be at least 1 (steps between meetings)",
            );
        }
        if programme.end.is_some_and(|end| end < programme.start) {
            return problem(format!("{path}.end"), "must not be before `start`");
        }
        at_least(
            &format!("{path}.endowment"),
            programme.endowment_or_default(),
            0.0,
        )?;
        at_least(
            &format!("{path}.synergy"),
            programme.synergy_or_default(),
            0.0,
        )?;
        in_unit(
            &format!("{path}.new_tie_chance"),
            programme.new_tie_chance.unwrap_or(0.2),
        )?;
    }
    Ok(())
}

fn check_interventions(scenario: &Scenario) -> Result<(), Problem> {
    let mut order: Vec<usize> = (0..scenario.interventions.len()).collect();
    order.sort_by_key(|&i| scenario.interventions[i].at);
    let mut policy = scenario.policy.clone();
    for index in order {
        let intervention = &scenario.interventions[index];
        let path = format!("intervention[{index}]");
        if intervention.at == 0 || intervention.at > scenario.run.steps {
            return problem(
                format!("{path}.at"),
                format!(
                    "must be a step from 1 to run.steps ({})",
                    scenario.run.steps
                ),
            );
        }
        for (key, value) in &intervention.set {
            policy = policy
                .with_lever(key, value)
                .map_err(|message| (format!("{path}.set"), message))?;
            check_policy(&format!("{path}.set"), &policy, agent_count(scenario))?;
        }
        for name in intervention.start.iter().chain(&intervention.stop) {
            if !scenario.programmes.iter().any(|p| p.display_name() == name) {
                let names: Vec<&str> = scenario
                    .programmes
                    .iter()
                    .map(|p| p.display_name())
                    .collect();
                return problem(
                    format!("{path}.start"),
                    format!(
                        "no programme is called `{name}`; programmes: {}",
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        }
                    ),
                );
            }
        }
        for (key, value) in [
            ("funding_cut", intervention.funding_cut),
            ("scandal", intervention.scandal),
        ] {
            if let Some(value) = value {
                in_unit(&format!("{path}.{key}"), value)?;
            }
        }
        if let Some(closure) = &intervention.closure {
            in_unit(&format!("{path}.closure.factor"), closure.factor)?;
            if closure.steps == 0 {
                return problem(format!("{path}.closure.steps"), "must be at least 1");
            }
        }
        if intervention.replace_principal && role_count(scenario, Role::Principal) == 0 {
            return problem(
                format!("{path}.replace_principal"),
                "the population has no principal",
            );
        }
    }
    Ok(())
}

fn check_contests(scenario: &Scenario) -> Result<(), Problem> {
    for (index, contest) in scenario.contests.iter().enumerate() {
        let path = format!("contest[{index}]");
        if contest.name.trim().is_empty()
            || scenario.contests[..index]
                .iter()
                .any(|c| c.name == contest.name)
        {
            return problem(
                format!("{path}.name"),
                "must be a name no other contest has",
            );
        }
        if contest.every == 0 {
            return problem(format!("{path}.every"), "must be at least 1");
        }
        let available = role_count(scenario, contest.role);
        if contest.contestants < 2 || contest.contestants > available {
            return problem(
                format!("{path}.contestants"),
                format!(
                    "must be from 2 to the number of {} agents ({available})",
                    contest.role
                ),
            );
        }
        at_least(&format!("{path}.prize"), contest.prize, 0.0)?;
        at_least(&format!("{path}.effort_cost"), contest.effort_cost, 0.0)?;
        at_least(&format!("{path}.rivalry"), contest.rivalry, 0.0)?;
    }
    Ok(())
}

fn check_diffusion(scenario: &Scenario) -> Result<(), Problem> {
    let diffusion = &scenario.diffusion;
    for (key, value) in [
        ("knowledge_rate", diffusion.knowledge_rate),
        ("trust_above", diffusion.trust_above),
        ("word_of_mouth", diffusion.word_of_mouth),
        ("idea_rate", diffusion.idea_rate),
        ("placement_rate", diffusion.placement_rate),
        ("event_tie_chance", diffusion.event_tie_chance),
    ] {
        in_unit(&format!("diffusion.{key}"), value)?;
    }
    if diffusion.event_size < 2 {
        return problem("diffusion.event_size", "must be at least 2");
    }
    Ok(())
}

fn check_outcomes(scenario: &Scenario) -> Result<(), Problem> {
    let o = &scenario.outcomes;
    let weights = [
        ("innovation", o.innovation),
        ("networking", o.networking),
        ("technology", o.technology),
        ("natural_resources", o.natural_resources),
    ];
    for (key, value) in weights {
        at_least(&format!("outcomes.{key}"), value, 0.0)?;
    }
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    if (total - 1.0).abs() > 1e-9 {
        return problem(
            "outcomes",
            format!("the progress index weights add up to {total}; they must add up to 1"),
        );
    }
    Ok(())
}
