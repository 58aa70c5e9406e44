//! Timings of the model: one step of the default school and of the 10,000-agent
//! `large_school` preset (1 and 2 threads), and a whole recorded replicate of the default.
//!
//! Owns: nothing the model relies on; numbers for the README and for regressions.
//! Must never: assert anything (tests do that).
//!
//! Run with `cargo bench --bench step`. Throughput is reported in agents per iteration, so
//! divan prints agent-steps per second next to the time.

use gotong::engine::schedule::Schedule;
use gotong::engine::streams::Streams;
use gotong::engine::{Observer, run_replicate};
use gotong::model::params::Params;
use gotong::model::rules::standard_rules;
use gotong::model::setup::build_world;
use gotong::model::world::World;
use gotong::observe::Recorder;
use gotong::scenario::{self, Scenario};
use std::sync::atomic::AtomicBool;

fn main() {
    divan::main();
}

fn preset(name: &str) -> Scenario {
    scenario::load(Some(name), &[])
        .expect("presets are valid")
        .scenario
}

/// The world of `preset` after 20 warm-up steps, so ties, beliefs and strategies have moved.
fn warm_world(scenario: &Scenario, params: &Params) -> (World, Streams) {
    let streams = Streams::new(scenario.run.seed, 0);
    let mut world = build_world(scenario, params, streams).expect("the initial network builds");
    let schedule = Schedule::new(standard_rules());
    for _ in 0..20 {
        schedule.step(&mut world, streams, params);
    }
    (world, streams)
}

fn bench_step(bencher: divan::Bencher, name: &str, threads: usize) {
    let scenario = preset(name);
    let params = Params::new(&scenario);
    let (world, streams) = warm_world(&scenario, &params);
    let schedule = Schedule::new(standard_rules());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    bencher
        .counter(divan::counter::ItemsCount::new(world.agents.count()))
        .with_inputs(|| world.clone())
        .bench_local_values(|mut world| {
            pool.install(|| schedule.step(&mut world, streams, &params))
        });
}

#[divan::bench(args = [1, 2])]
fn step_default(bencher: divan::Bencher, threads: usize) {
    bench_step(bencher, "default", threads);
}

#[divan::bench(args = [1, 2], sample_count = 20)]
fn step_large_school(bencher: divan::Bencher, threads: usize) {
    bench_step(bencher, "large_school", threads);
}

/// A recording observer that keeps nothing but the row count, to time metrics too.
struct Count(usize, Recorder);
impl Observer for Count {
    fn observe(&mut self, world: &World, params: &Params) {
        self.1.observe(world, params);
        self.0 += self.1.rows.len();
        self.1.rows.clear();
    }
}

#[divan::bench(sample_count = 5)]
fn replicate_default_200_steps_recorded(bencher: divan::Bencher) {
    let scenario = preset("default");
    let params = Params::new(&scenario);
    let stop = AtomicBool::new(false);
    bencher
        .counter(divan::counter::ItemsCount::new(
            scenario.agent_count() * 200,
        ))
        .bench_local(|| {
            let mut observer = Count(0, Recorder::new(false, params.steps));
            run_replicate(&scenario, &params, 0, &mut observer, &|| {}, &stop).expect("runs");
            observer.0
        });
}
