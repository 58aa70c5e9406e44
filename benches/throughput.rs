//! Step throughput of the school model at 1k to 1M agents on 1 and 2 threads, and how far
//! the engine is from the memory-bound limit of one pass over the ties.
//!
//! Owns: the figures of `docs/performance.md` ("Step throughput" and "The limit"): agent-steps
//! and tie-views per second, the thread speed-up, and the engine/kernel ratio.
//! Must never: assert anything (tests do that), or time anything but stepping (set-up and
//! warm-up are outside the clock).
//!
//! Run: `cargo bench --bench throughput` (all sizes, a few minutes), or name sizes:
//! `cargo bench --bench throughput -- 1000 100000`. A size is a number of agents; the
//! school is `default` at `population.scale = size / 836` (the same ties per person).
//! `-- pd_grid` times Mesa's pd_grid scenario (games and imitation only) at 100 × 100 and
//! 200 × 200 instead.
//!
//! The kernel is the least one step can do: one pass over every agent's views (in the
//! engine's own parallel blocks) that reads the view's target, its reverse view's one-byte
//! step record and the target's role, updates the view's 16-byte state and sums per agent
//! — the memory traffic of the play pass of the pairwise games and nothing else. The
//! engine's step time divided by the kernel's is the figure to watch (issue 6: ≤ 2×).

use gotong::engine::parallel::{agent_blocks, map_blocks, split_agents, split_views};
use gotong::engine::schedule::Schedule;
use gotong::engine::streams::Streams;
use gotong::model::params::Params;
use gotong::model::rules::standard_rules;
use gotong::model::setup::build_world;
use gotong::model::tie::{Action, ViewState};
use gotong::model::world::World;
use gotong::scenario::{self, Scenario};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Agents of the `default` school (the scale factor is size / this).
const DEFAULT_AGENTS: f64 = 836.0;
/// Steps run before timing, so ties, beliefs and strategies have moved.
const WARM_UP_STEPS: u32 = 5;
/// Each figure is the median of this many timed batches, each starting from the warm world
/// (1 and 2 threads alternate, batch by batch).
const BATCHES: usize = 5;
/// A batch runs about this long (at least one step) ...
const BATCH_TIME: Duration = Duration::from_millis(300);
/// ... but at most this many steps, so the network timed stays close to the warm one.
const MAX_STEPS_PER_BATCH: u32 = 10;
/// Kernel passes per batch at most (each changes the views a little).
const MAX_KERNEL_PASSES: u32 = 50;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let Some(bad) = args
        .iter()
        .find(|a| *a != "pd_grid" && a.parse::<usize>().is_err())
    {
        eprintln!("throughput: `{bad}` is neither a number of agents nor `pd_grid`");
        std::process::exit(2);
    }
    let (label, cases): (&str, Vec<(String, Vec<String>)>) = if args.iter().any(|a| a == "pd_grid")
    {
        ("pd_grid", pd_grid_cases())
    } else {
        let sizes: Vec<usize> = if args.is_empty() {
            vec![1_000, 10_000, 100_000, 1_000_000]
        } else {
            args.iter().filter_map(|a| a.parse().ok()).collect()
        };
        ("school", sizes.iter().map(|&n| school_case(n)).collect())
    };
    println!(
        "# {label}: one step (no recording), median of {BATCHES} batches from the world after {WARM_UP_STEPS} steps"
    );
    println!(
        "{:>9} {:>11} {:>7} {:>10} {:>14} {:>14} {:>10} {:>8} {:>8}",
        "agents",
        "tie_views",
        "threads",
        "ms/step",
        "agent-steps/s",
        "views/s",
        "kernel_ms",
        "ratio",
        "speedup"
    );
    for (name, overrides) in cases {
        let scenario = scenario::load(Some(&name), &overrides)
            .unwrap_or_else(|e| panic!("{name} {overrides:?}: {e}"))
            .scenario;
        measure(&scenario);
    }
}

fn school_case(agents: usize) -> (String, Vec<String>) {
    let scale = agents as f64 / DEFAULT_AGENTS;
    ("default".into(), vec![format!("population.scale={scale}")])
}

fn pd_grid_cases() -> Vec<(String, Vec<String>)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/validation/mesa_pd_grid.toml"
    );
    [100, 200]
        .iter()
        .map(|side| {
            let overrides = vec![
                format!("network.width={side}"),
                format!("network.height={side}"),
            ];
            (path.to_string(), overrides)
        })
        .collect()
}

fn measure(scenario: &Scenario) {
    let params = Params::new(scenario);
    let streams = Streams::new(scenario.run.seed, 0);
    let schedule = Schedule::new(standard_rules());
    let mut warm = build_world(scenario, &params, streams).expect("the network builds");
    for _ in 0..WARM_UP_STEPS {
        schedule.step(&mut warm, streams, &params);
    }
    let (agents, views) = (warm.agents.count(), warm.graph.view_count());
    // Every batch starts again from the warm world, so both thread counts time the same
    // steps on the same graph, and the kernel passes over that graph too.
    let step_batch = |steps: u32| {
        let mut world = warm.clone();
        let clock = Instant::now();
        for _ in 0..steps {
            schedule.step(&mut world, streams, &params);
        }
        clock.elapsed() / steps
    };
    let kernel_batch = |passes: u32| {
        let mut world = warm.clone();
        world.begin_step(); // step records sized to the warm world's ties
        let clock = Instant::now();
        for _ in 0..passes {
            kernel_pass(&mut world);
        }
        clock.elapsed() / passes
    };
    let steps = repeats_for(step_batch(1), MAX_STEPS_PER_BATCH);
    let passes = repeats_for(kernel_batch(1), MAX_KERNEL_PASSES);
    let pools: Vec<_> = [1, 2]
        .iter()
        .map(|&threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads);
            (threads, pool.build().expect("a thread pool"))
        })
        .collect();
    // Batches alternate between the thread counts, so a slow spell of a shared machine
    // slows both alike; the speed-up is the median of the batches' own ratios.
    let mut step_times = vec![Vec::<f64>::new(); pools.len()];
    let mut kernel_times = vec![Vec::<f64>::new(); pools.len()];
    for _ in 0..BATCHES {
        for (k, (_, pool)) in pools.iter().enumerate() {
            step_times[k].push(pool.install(|| step_batch(steps)).as_secs_f64());
            kernel_times[k].push(pool.install(|| kernel_batch(passes)).as_secs_f64());
        }
    }
    let speedups: Vec<f64> = (0..BATCHES)
        .map(|b| step_times[0][b] / step_times[1][b])
        .collect();
    for (k, (threads, _)) in pools.iter().enumerate() {
        let seconds = median(&step_times[k]);
        let kernel = median(&kernel_times[k]);
        let speedup = if k == 0 { 1.0 } else { median(&speedups) };
        println!(
            "{agents:>9} {views:>11} {threads:>7} {:>10.3} {:>14.3e} {:>14.3e} {:>10.3} {:>8.1} {:>8.2}",
            seconds * 1e3,
            agents as f64 / seconds,
            views as f64 / seconds,
            kernel * 1e3,
            seconds / kernel,
            speedup,
        );
    }
}

/// How many repeats make a batch last about [`BATCH_TIME`], given one lasts `once`.
fn repeats_for(once: Duration, most: u32) -> u32 {
    let wanted = BATCH_TIME.as_secs_f64() / once.as_secs_f64().max(1e-9);
    (wanted.ceil() as u32).clamp(1, most)
}

/// Median of timings (seconds) or ratios.
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// The kernel (see the module doc): one pass over the views in the engine's blocks.
fn kernel_pass(world: &mut World) {
    let n = world.agents.count();
    let blocks = agent_blocks(n);
    let World {
        graph,
        views,
        agents,
        scratch,
        ..
    } = world;
    let view_pieces = split_views(graph.offsets(), &blocks, views);
    let sums = split_agents(&blocks, &mut agents.round_payoff);
    let items: Vec<_> = blocks
        .into_iter()
        .zip(view_pieces.into_iter().zip(sums))
        .collect();
    let (graph, records, roles) = (&*graph, &scratch.records, &agents.role);
    map_blocks(n, items, |_, (block, (views, sums))| {
        let first_view = graph.offsets()[block.start];
        for i in block.clone() {
            let mut sum = 0.0;
            for v in graph.views(i as u32) {
                let partner = graph.targets()[v] as usize;
                let partner_record = records[graph.reverse(v)];
                let view: &mut ViewState = &mut views[v - first_view];
                let cooperated = partner_record.action() == Some(Action::Cooperate);
                view.alpha += cooperated as u32 as f32;
                view.strength *= 0.99;
                sum += roles[partner].index() as f64 + view.alpha as f64;
            }
            sums[i - block.start] += black_box(sum);
        }
    });
}
