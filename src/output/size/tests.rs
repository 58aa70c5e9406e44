use super::*;
use crate::scenario;

fn preset(name: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    scenario::load(Some(name), &overrides)
        .expect("preset loads")
        .scenario
}

#[test]
fn limits_parse_units_and_say_where_they_came_from() {
    let limit = OutputLimit::from_flag("2G").expect("a size");
    assert_eq!(limit.bytes, 2 << 30);
    assert_eq!(limit.source, "--max-output 2G");
    assert_eq!(
        OutputLimit::from_flag("500MB").expect("a size").bytes,
        500 << 20
    );
    let error = OutputLimit::from_flag("2 gigs").unwrap_err().to_string();
    assert!(error.contains("\"2 gigs\" is not a size"), "{error}");
    // A flag wins over the environment and the default.
    assert_eq!(OutputLimit::resolve(Some(&limit)).expect("ok"), limit);
}

#[test]
fn the_estimate_grows_with_steps_and_replicates_and_shrinks_without_parts() {
    let base = preset("classroom", &["run.replicates=2", "run.steps=40"]);
    let longer = preset("classroom", &["run.replicates=2", "run.steps=80"]);
    let more = preset("classroom", &["run.replicates=4", "run.steps=40"]);
    let full = estimate_run(&base, true, true, false);
    // Tables grow with the recordings (42 to 82: steps 0, 1..=40 and the last counted twice).
    let ratio = estimate_run(&longer, true, true, false).table_bytes / full.table_bytes;
    assert!((ratio - 82.0 / 42.0).abs() < 1e-12, "{ratio}");
    // And with replicates, but less than in proportion: summary.csv does not.
    let ratio = estimate_run(&more, true, true, false).table_bytes / full.table_bytes;
    assert!((1.3..2.0).contains(&ratio), "{ratio}");
    let bare = estimate_run(&base, false, false, false);
    assert_eq!(bare.network_bytes, 0.0);
    assert_eq!(bare.plot_bytes, 0.0);
    assert_eq!(bare.table_bytes, full.table_bytes);
}

#[test]
fn a_refusal_gives_estimate_limit_source_and_advice() {
    let scenario = preset("default", &["run.replicates=20"]);
    let estimate = estimate_run(&scenario, true, true, false);
    let limit = OutputLimit::from_flag("1M").expect("a size");
    let message = check(&estimate, &limit).unwrap_err().to_string();
    for part in [
        "this would write about",
        "of tables",
        "more than the output limit of 1 MiB (--max-output 1M)",
        "run.record_every",
        "--force",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    let roomy = OutputLimit::from_flag("10G").expect("a size");
    assert!(check(&estimate, &roomy).is_ok());
}

#[test]
fn sizes_are_shown_in_binary_units() {
    assert_eq!(human(1536.0), "2 KiB");
    assert_eq!(human(20.0 * 1024.0 * 1024.0), "20 MiB");
    assert_eq!(human(3.0 * 1024.0 * 1024.0 * 1024.0), "3.0 GiB");
}
