//! How many values a recording can write at most, per metric: what the output-size check
//! (`scenario::validate`) and the memory estimate (`crate::memory`) count before a run.
//! Must never: be smaller than what a metric records (a test in `metrics/tests.rs` checks
//! every metric against real recordings).

use super::METRICS;
use crate::model::role::TIE_KIND_COUNT;
use crate::model::strategy::STRATEGY_NAMES;

/// At most how many values one recording of the metrics `metrics` (indices into
/// [`METRICS`]) writes in a world with `roles` roles present and `activities` activity types
/// and programmes: the sum of their [`most_groups`]. A test checks it against real
/// recordings.
pub fn values_per_record_bound(metrics: &[usize], roles: usize, activities: usize) -> u64 {
    (metrics.iter())
        .map(|&index| most_groups(METRICS[index].name, roles as u64, activities as u64))
        .sum()
}

/// At most how many groups (values) the metric `name` records at one step.
fn most_groups(name: &str, roles: u64, activities: u64) -> u64 {
    let kinds = 1 + TIE_KIND_COUNT as u64;
    match name {
        // all, each role, and the newcomer group
        "cooperation_rate" => 1 + roles + 1,
        // all, each unordered role pair, and the newcomer group
        "mean_trust" => 1 + roles * (roles + 1) / 2 + 1,
        "trust_toward" => roles * roles,
        "ties" | "mean_strength" => kinds,
        "mean_resources"
        | "mean_norm"
        | "agents"
        | "resources_mobilised"
        | "knowledge"
        | "reputation" => 1 + roles,
        "strategy_share" => STRATEGY_NAMES.len() as u64,
        "group_contribution" => 1 + activities,
        "learning_index" => 4,
        "progress_index" => 5,
        "closure" => 3,
        _ => 1, // one value for the school
    }
}
