use super::*;
use crate::scenario::{from_text, load};

/// 1,000 students on an Erdős–Rényi network of mean degree 10, 50 steps, 4 replicates;
/// only introductions form ties (0.01 per agent per step), no activities or events.
fn plain(extra: &str) -> Scenario {
    plain_with(extra, &[])
}

fn plain_with(extra: &str, overrides: &[&str]) -> Scenario {
    let text = format!(
        "[run]\nsteps = 50\nreplicates = 4\n[population.student]\ncount = 1000\n\
         [network]\nkind = \"erdos_renyi\"\nmean_degree = 10.0\n\
         [network_change]\nintroduction_rate = 0.01\nchance_meeting_rate = 0.0\n\
         [lifecycle]\nenabled = false\n{extra}"
    );
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    from_text("plain", &text, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn peak_views_are_the_initial_network_plus_what_every_step_can_form() {
    let scenario = plain("");
    assert_eq!(formation_bound(&scenario), 10.0); // 1000 agents × 0.01
    assert_eq!(expected_peak_ties(&scenario), 5000.0 + 50.0 * 10.0);
    // an activity of 4 members (6 pairs), twice a step, new ties with chance 0.5: +6 a step
    let with_activity = plain(
        "[[activity]]\nname = \"a\"\nmembers = { student = 4 }\nper_step = 2.0\n\
         new_tie_chance = 0.5\n",
    );
    assert_eq!(formation_bound(&with_activity), 16.0);
    // 40 events a year of 10 agents (45 pairs) meeting with chance 0.1, 40 steps a year
    let with_events = plain(
        "[policy]\nnetworking_events = 40.0\n[diffusion]\nevent_size = 10\nevent_tie_chance = 0.1\n",
    );
    assert!((formation_bound(&with_events) - (10.0 + 4.5)).abs() < 1e-12);
}

#[test]
fn a_world_is_its_agents_and_views_at_the_peak_sizes() {
    // The per-view figure is what the rebuild holds: 2 targets, a reverse index, an origin
    // (4 bytes each) and a 16-byte view state.
    assert_eq!(PEAK_BYTES_PER_VIEW, 32);
    let scenario = plain("");
    let estimate = estimate(&scenario, 2, false);
    assert_eq!(estimate.agents, 1000.0);
    assert_eq!(estimate.peak_views, 11_000.0);
    // per agent: its columns and offsets, and 96 bytes of path-length search per thread
    let per_agent = |threads: usize| (PEAK_BYTES_PER_AGENT + 96 * threads) as f64;
    let world = 1000.0 * per_agent(2) + 11_000.0 * 32.0;
    assert_eq!(estimate.world_bytes, world);
    assert_eq!(estimate.worlds_at_once, 2, "4 replicates on 2 threads");
    assert_eq!(estimate.snapshot_bytes, 0.0);
    assert_eq!(
        estimate.total_bytes,
        BASE_BYTES + 2.0 * world + estimate.recorder_bytes
    );
    let one_thread = super::estimate(&scenario, 1, false);
    assert_eq!(one_thread.worlds_at_once, 1);
    let world_1 = 1000.0 * per_agent(1) + 11_000.0 * 32.0;
    assert_eq!(
        one_thread.total_bytes,
        BASE_BYTES + world_1 + one_thread.recorder_bytes
    );
    let unrecorded = plain_with("", &["run.metrics=[\"ties\"]"]);
    let unrecorded = super::estimate(&unrecorded, 2, false);
    assert_eq!(
        unrecorded.world_bytes,
        1000.0 * per_agent(0) + 11_000.0 * 32.0
    );
    let snapshots = super::estimate(&scenario, 1, true);
    let node = (size_of::<SnapshotNode>() + SHORT_STRING_HEAP) as f64;
    let tie = size_of::<SnapshotTie>() as f64;
    assert_eq!(
        snapshots.snapshot_bytes,
        2.0 * (1000.0 * node + 5500.0 * tie)
    );
}

#[test]
fn recorded_values_grow_with_records_and_replicates() {
    let bytes = |overrides: &[&str]| estimate(&plain_with("", overrides), 1, false).recorder_bytes;
    let base = bytes(&[]);
    // 52 records (steps 0 to 50, and the last) against 102
    let ratio = bytes(&["run.steps=100"]) / base;
    assert!((ratio - 102.0 / 52.0).abs() < 1e-12, "{ratio}");
    // R replicates' rows plus a summary row per value holding R numbers: V (R row + row + 8R)
    let row = (size_of::<Row>() + SHORT_STRING_HEAP) as f64;
    let ratio = bytes(&["run.replicates=8"]) / base;
    let expected = (8.0 * row + row + 64.0) / (4.0 * row + row + 32.0);
    assert!((ratio - expected).abs() < 1e-12, "{ratio} vs {expected}");
}

#[test]
fn large_worlds_run_one_replicate_at_a_time() {
    let scenario = load(None, &["population.scale=500".to_string()])
        .unwrap()
        .scenario;
    // 418,000 agents, about 2 × 2.4 million ties at the start: above the engine's threshold
    assert!(2.0 * scenario.expected_initial_ties() > 4e6);
    assert_eq!(replicates_at_once(&scenario, 20, 8), 1);
    let small = load(None, &[]).unwrap().scenario;
    assert_eq!(replicates_at_once(&small, 20, 8), 8);
    assert_eq!(replicates_at_once(&small, 3, 8), 3);
    assert_eq!(replicates_at_once(&small, 1, 8), 1);
}

#[test]
fn a_run_is_refused_only_when_the_estimate_exceeds_what_is_known_to_be_available() {
    let estimate = estimate(&plain(""), 2, false);
    let available = |bytes: u64| {
        Some(Available {
            bytes,
            source: "a test".to_string(),
        })
    };
    assert!(check(&estimate, None).is_ok(), "unknown: not refused");
    assert!(check(&estimate, available(estimate.total_bytes as u64 + 1)).is_ok());
    let err = check(&estimate, available(1_000_000)).unwrap_err();
    let message = err.to_string();
    for words in [
        "about 0.0 GB",
        "1000 agents",
        "11000 tie views",
        "2 replicates at once",
        "but 0.0 GB is available (a test)",
        "--threads 1",
        "--force",
    ] {
        assert!(message.contains(words), "{words:?} in {message}");
    }
}

#[test]
fn sizes_are_bytes_or_powers_of_1024() {
    assert_eq!(parse_size("123"), Some(123));
    assert_eq!(parse_size("4K"), Some(4096));
    assert_eq!(parse_size("2m"), Some(2 << 20));
    assert_eq!(parse_size("8G"), Some(8 << 30));
    assert_eq!(parse_size("8GiB"), Some(8 << 30));
    assert_eq!(parse_size(" 1 TB "), Some(1 << 40));
    for bad in ["", "G", "1.5G", "-1", "8X", "99999999999999999999"] {
        assert_eq!(parse_size(bad), None, "{bad:?}");
    }
    let meminfo = "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   22000000 kB\n";
    assert_eq!(mem_available(meminfo), Some(22_000_000 * 1024));
    assert_eq!(mem_available("MemTotal: 1 kB\n"), None);
}

#[test]
fn arrivals_at_every_year_end_add_agents() {
    // default: 400 students in 3 school years graduate 133.3 a year, each replaced by a new
    // student, with a new parent with chance 0.8; 40 teachers × 0.05, 1 principal × 0.1,
    // 0.6 new firms: 242.7 a year; 200 steps of 40 are 5 year ends. (Three replicates of
    // 200 steps ended with 2052, 2045 and 2041 agents ever.)
    let default = load(None, &[]).unwrap().scenario;
    let per_year = 400.0 / 3.0 * 1.8 + 2.0 + 0.1 + 0.6;
    let ever = expected_agents_ever(&default);
    assert!((ever - (836.0 + 5.0 * per_year)).abs() < 1e-9, "{ever}");
    let shorter = load(None, &["run.steps=79".to_string()]).unwrap().scenario;
    let ever = expected_agents_ever(&shorter);
    assert!(
        (ever - (836.0 + per_year)).abs() < 1e-9,
        "one year end: {ever}"
    );
    assert_eq!(expected_agents_ever(&plain("")), 1000.0, "no school year");
}

#[test]
fn an_experiment_holds_its_largest_point_once_per_job_at_once() {
    let small = load(Some("classroom"), &[]).expect("loads").scenario;
    let large = load(Some("default"), &[]).expect("loads").scenario;
    let one = estimate_experiment(&[small.clone(), large.clone()], 1, 2, 3, 5);
    let two = estimate_experiment(&[small, large.clone()], 2, 2, 3, 5);
    let mut single = large;
    single.run.replicates = 1;
    let largest = estimate(&single, 2, false);
    assert_eq!(one.world_bytes, largest.world_bytes);
    assert_eq!(two.worlds_at_once, 2);
    let per_job = largest.world_bytes + largest.recorder_bytes;
    let added = two.total_bytes - one.total_bytes;
    assert!(
        (added - per_job).abs() < 1e-6 * per_job,
        "{added} vs {per_job}"
    );
}
