use super::*;
use crate::engine::run_replicate;
use crate::scenario::load;
use std::sync::atomic::AtomicBool;

fn classroom() -> Scenario {
    load(Some("classroom"), &[])
        .expect("classroom preset")
        .scenario
}

fn cooperation(session: &Session) -> Vec<Option<f64>> {
    session
        .history()
        .iter()
        .map(|m| m.cooperation_rate)
        .collect()
}

/// The engine's own replicate 0, every step recorded: cooperation_rate (all) by step.
fn engine_cooperation(scenario: &Scenario, steps: u32) -> Vec<Option<f64>> {
    let mut scenario = scenario.clone();
    scenario.run.steps = steps;
    scenario.run.record_every = 1;
    let params = Params::new(&scenario);
    let mut recorder = Recorder::new(false, steps);
    let stop = AtomicBool::new(false);
    run_replicate(&scenario, &params, 0, &mut recorder, &|| {}, &stop).expect("runs");
    let index = METRICS
        .iter()
        .position(|m| m.name == "cooperation_rate")
        .unwrap() as u16;
    (0..=steps)
        .map(|step| {
            recorder
                .rows
                .iter()
                .find(|r| r.step == step && r.metric == index && r.group == "all")
                .map(|r| r.value)
        })
        .collect()
}

#[test]
fn a_session_steps_exactly_like_the_engine() {
    let scenario = classroom();
    let mut session = Session::new(scenario.clone()).unwrap();
    session.step(6);
    let served = cooperation(&session);
    assert_eq!(served.len(), 7);
    assert!(served[1..].iter().all(Option::is_some), "{served:?}");
    // Bit-identical, not within a tolerance: the same streams and rules.
    assert_eq!(served, engine_cooperation(&scenario, 6));
}

#[test]
fn reset_with_the_same_seed_repeats_and_a_new_seed_differs() {
    let mut session = Session::new(classroom()).unwrap();
    session.step(5);
    let first = cooperation(&session);
    session.reset(session.seed()).unwrap();
    assert_eq!(session.step_count(), 0);
    session.step(5);
    assert_eq!(cooperation(&session), first);
    session.reset(session.seed() + 1).unwrap();
    session.step(5);
    assert_ne!(cooperation(&session), first);
}

#[test]
fn levers_are_validated_with_the_scenarios_ranges_all_or_nothing() {
    let mut session = Session::new(classroom()).unwrap();
    let before = session.world().policy.clone();
    let change = |text: &str| -> Map<String, Value> { serde_json::from_str(text).unwrap() };
    let error = session
        .set_levers(&change(r#"{"mediation": 0.4, "transparency": 1.5}"#))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("policy.transparency") && error.contains("[0, 1]"),
        "{error}"
    );
    assert_eq!(
        session.world().policy,
        before,
        "nothing changes on a refusal"
    );
    let error = session
        .set_levers(&change(r#"{"transparncy": 0.5}"#))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Did you mean `policy.transparency`"),
        "{error}"
    );
    let error = session
        .set_levers(&change(r#"{"governance": "anarchy"}"#))
        .unwrap_err();
    assert!(error.to_string().contains("governance"), "{error}");
    assert!(session.set_levers(&change("{}")).is_err());

    session
        .set_levers(&change(
            r#"{"transparency": 1, "policy.governance": "partnership"}"#,
        ))
        .unwrap();
    assert_eq!(session.world().policy.transparency, 1.0);
    assert_eq!(session.state()["levers"]["governance"], "partnership");
    assert_eq!(session.state()["events"][0]["at"], 1);
}

#[test]
fn a_scandal_applies_at_the_next_step_through_the_intervention_rule() {
    let mut calm = Session::new(classroom()).unwrap();
    let mut shaken = Session::new(classroom()).unwrap();
    calm.step(3);
    shaken.step(3);
    assert!(shaken.shock(Shock::Scandal(1.5)).is_err());
    assert_eq!(shaken.shock(Shock::Scandal(0.6)), Ok(4));
    calm.step(1);
    shaken.step(1);
    let trust = |s: &Session| s.history()[4].mean_trust.unwrap();
    assert!(
        trust(&shaken) < trust(&calm),
        "{} vs {}",
        trust(&shaken),
        trust(&calm)
    );
    assert_eq!(cooperation(&calm)[..4], cooperation(&shaken)[..4]);
}

#[test]
fn the_update_lists_every_tie_once_with_its_flags() {
    let session = Session::new(classroom()).unwrap();
    let update = session.update();
    let ties = update["ties"].as_array().unwrap();
    assert_eq!(ties.len(), 4 * session.world().graph.tie_count());
    assert_eq!(
        update["metrics"]["ties"].as_u64().unwrap() as usize,
        session.world().graph.tie_count()
    );
    assert!(
        ties.chunks(4)
            .all(|t| t[2].as_u64().unwrap() <= 100 && t[3].as_u64().unwrap() < 8)
    );
    let network = session.network();
    assert_eq!(
        network["nodes"].as_array().unwrap().len(),
        session.world().agents.count()
    );
    assert!(network["nodes"][0]["x"].is_f64());
}
