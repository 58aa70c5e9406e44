use super::*;
use crate::model::role::{Role, RolePair};
use crate::scenario::{ScenarioErrorKind, from_text, load};

fn default_at(scale: &str) -> Scenario {
    load(None, &[format!("population.scale={scale}")])
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario
}

fn count(scenario: &Scenario, role: Role) -> u32 {
    scenario.population.roles[&role].count.unwrap_or(0)
}

fn density(scenario: &Scenario, pair: &str) -> f64 {
    let pair: RolePair = pair.parse().unwrap();
    let density = scenario.network.density.as_ref().unwrap();
    density.pairs.iter().find(|(p, _)| *p == pair).unwrap().1
}

#[test]
fn counts_are_rounded_to_the_nearest_and_a_present_role_stays() {
    assert_eq!(scaled_count(40, 3.0), Some(120));
    assert_eq!(scaled_count(3, 0.5), Some(2)); // 1.5 rounds away from zero
    assert_eq!(scaled_count(1, 0.1), Some(1)); // 0.1 would drop the role: kept at 1
    assert_eq!(scaled_count(0, 7.0), Some(0)); // an absent role stays absent
    assert_eq!(scaled_count(u32::MAX, 2.0), None);
    let base = default_at("1");
    let tripled = default_at("3");
    for role in Role::ALL {
        assert_eq!(count(&tripled, role), 3 * count(&base, role), "{role}");
    }
    assert_eq!(tripled.agent_count(), 3 * base.agent_count());
    let fifth = default_at("0.2");
    assert_eq!(count(&fifth, Role::Teacher), 8);
    assert_eq!(count(&fifth, Role::Principal), 1);
    assert_eq!(count(&fifth, Role::Government), 1);
    assert_eq!(count(&fifth, Role::Ngo), 1); // 0.6 rounds to 1
    assert_eq!(count(&fifth, Role::Student), 80);
    // Too small for an activity's members: validation says so, at the activity.
    let err = load(None, &["population.scale=0.1".to_string()]).unwrap_err();
    assert!(err.message.contains("wants 6 teacher agents"), "{err}");
}

#[test]
fn densities_are_divided_and_capped_at_one() {
    let base = default_at("1");
    let tripled = default_at("3");
    let table = |s: &Scenario| s.network.density.clone().unwrap();
    for ((pair, before), (_, after)) in table(&base).pairs.iter().zip(&table(&tripled).pairs) {
        assert_eq!(*after, before / 3.0, "{pair}");
    }
    assert_eq!(table(&tripled).default, Some(0.0));
    let half = default_at("0.5");
    assert_eq!(density(&half, "teacher~student"), 0.1);
    assert_eq!(density(&half, "principal~teacher"), 1.0); // 1.6 capped
    assert_eq!(density(&half, "principal~government"), 1.0);
}

#[test]
fn what_a_school_has_per_step_or_per_year_is_multiplied() {
    let base = default_at("1");
    let scaled = default_at("2.5");
    for (before, after) in base.activities.iter().zip(&scaled.activities) {
        assert_eq!(after.per_step, before.per_step * 2.5, "{}", before.name);
        assert_eq!(
            after.members, before.members,
            "members of one occurrence stay"
        );
    }
    assert_eq!(scaled.lifecycle.firm_entry, base.lifecycle.firm_entry * 2.5);
    assert_eq!(
        scaled.lifecycle.intake, base.lifecycle.intake,
        "a share stays"
    );
    assert_eq!(scaled.diffusion.event_size, base.diffusion.event_size);
    let text = "extends = \"default\"\n[population]\nscale = 4\n[policy]\nnetworking_events = 2\n\
                [[intervention]]\nat = 10\nset = { \"policy.networking_events\" = 3, \
                \"policy.transparency\" = 0.9 }\n";
    let scenario = from_text("t", text, &[]).unwrap();
    assert_eq!(scenario.policy.networking_events, 8.0);
    let set = &scenario.interventions[0].set;
    assert_eq!(set["policy.networking_events"].as_float(), Some(12.0));
    assert_eq!(set["policy.transparency"].as_float(), Some(0.9));
}

#[test]
fn the_loaded_scenario_holds_the_scaled_numbers_and_no_scale() {
    let scaled = default_at("3");
    assert_eq!(scaled.population.scale, None);
    let text = scaled.to_toml();
    assert!(!text.contains("scale"), "{text}");
    let again = from_text("default", &text, &[]).unwrap();
    assert_eq!(
        again, scaled,
        "re-running the written scenario does not scale twice"
    );
    assert_eq!(count(&again, Role::Student), 1200);
    assert_eq!(density(&again, "teacher~teacher"), 0.25 / 3.0);
}

#[test]
fn scale_one_changes_nothing() {
    assert_eq!(default_at("1"), load(None, &[]).unwrap().scenario);
}

#[test]
fn shares_scale_the_total_and_erdos_renyi_its_p() {
    let text = "[population]\ntotal = 1000\nscale = 2\n[population.student]\nshare = 0.75\n\
                [population.parent]\nshare = 0.25\n[network]\nkind = \"erdos_renyi\"\np = 0.01\n";
    let scenario = from_text("t", text, &[]).unwrap();
    assert_eq!(scenario.population.total, Some(2000));
    assert_eq!(
        scenario.role_counts()[..2],
        [(Role::Student, 1500), (Role::Parent, 500)]
    );
    assert_eq!(scenario.network.p, Some(0.005));
    let text = text.replace("p = 0.01", "mean_degree = 6.0");
    let scenario = from_text("t", &text, &[]).unwrap();
    assert_eq!(
        scenario.network.mean_degree,
        Some(6.0),
        "ties per person already"
    );
}

#[test]
fn invalid_scales_and_networks_are_refused_at_the_key() {
    for (value, words) in [
        ("0", "must be a number > 0"),
        ("-2", "must be a number > 0"),
        ("nan", "must be a number > 0"),
        ("inf", "must be a number > 0"),
        ("1e12", "more than a count can hold"),
    ] {
        let err = load(None, &[format!("population.scale={value}")]).unwrap_err();
        assert_eq!(err.key.as_deref(), Some(SCALE_KEY), "{value}");
        assert_eq!(err.kind, ScenarioErrorKind::InvalidValue);
        assert!(err.message.contains(words), "{value}: {}", err.message);
    }
    let lattice = "[population]\nscale = 2\n[population.student]\nshare = 1.0\n[network]\n\
                   kind = \"lattice\"\nwidth = 10\nheight = 10\n[lifecycle]\nenabled = false\n";
    let err = from_text("t", lattice, &[]).unwrap_err();
    assert_eq!(err.key.as_deref(), Some(SCALE_KEY));
    assert!(err.message.contains("network.width"), "{}", err.message);
    assert_eq!(err.line, Some(2), "points at the line that set it");
    let complete = "[population]\nscale = 2\n[population.student]\ncount = 10\n[network]\n\
                    kind = \"complete\"\n";
    let err = from_text("t", complete, &[]).unwrap_err();
    assert!(err.message.contains("random_regular"), "{}", err.message);
    let text = "[population]\nscale = \"big\"\n[population.student]\ncount = 10\n";
    let err = from_text("t", text, &[]).unwrap_err();
    assert_eq!(err.key.as_deref(), Some(SCALE_KEY), "{err}");
}

#[test]
fn scaled_schools_may_have_more_activities_than_the_fixed_limit() {
    // class_project: 4 a step × 400 = 1600 > 1000, allowed for 334,400 agents
    let scenario = default_at("400");
    assert_eq!(scenario.activities[0].per_step, 1600.0);
    let err = load(None, &["activity[0].per_step=2000".to_string()]).unwrap_err();
    assert!(err.message.contains("more than 1000"), "{}", err.message);
}
