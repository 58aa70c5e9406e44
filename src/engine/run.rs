//! Running replicates: building each world, stepping it, handing it to an observer at the
//! recorded steps, and running replicates in parallel.
//!
//! Owns: which steps are recorded, how replicates are spread over threads, and the
//! guarantee that replicate r's results depend only on (scenario, seed, r).
//! Must never: write files or decide what is recorded (the observer does).

use super::schedule::Schedule;
use super::streams::Streams;
use crate::model::params::Params;
use crate::model::rules::standard_rules;
use crate::model::setup::{SetupError, build_world};
use crate::model::world::World;
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Receives the world at every recorded step (step 0 included).
pub trait Observer: Send {
    /// Called with the world after a recorded step.
    fn observe(&mut self, world: &World, params: &Params);
}

/// Worlds at least this large run their replicates one after another (each step still
/// uses every thread): running several at once would multiply memory for little gain.
pub const SEQUENTIAL_REPLICATES_ABOVE_VIEWS: usize = 4_000_000;

/// Whether `step` is recorded: step 0, every `record_every` steps, and the last step.
pub fn is_recorded(step: u32, params: &Params) -> bool {
    step == 0 || step % params.record_every == 0 || step == params.steps
}

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error("the run was interrupted")]
    Interrupted,
}

/// Runs one replicate to the end, observing the recorded steps. `on_step` is called after
/// every step (for progress); `stop` is checked between steps.
pub fn run_replicate<O: Observer>(
    scenario: &Scenario,
    params: &Params,
    replicate: u32,
    observer: &mut O,
    on_step: &(dyn Fn() + Sync),
    stop: &AtomicBool,
) -> Result<(), RunError> {
    let streams = Streams::new(scenario.run.seed, replicate as u64);
    let schedule = Schedule::new(standard_rules());
    let mut world = build_world(scenario, params, streams)?;
    observer.observe(&world, params);
    for _ in 0..params.steps {
        if stop.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted);
        }
        schedule.step(&mut world, streams, params);
        if is_recorded(world.step, params) {
            observer.observe(&world, params);
        }
        on_step();
    }
    Ok(())
}

/// Runs `replicates`, each with an observer from `make_observer`, and returns the
/// observers in the order of `replicates`, whatever the thread count.
pub fn run_replicates<O, F>(
    scenario: &Scenario,
    params: &Params,
    replicates: &[u32],
    make_observer: F,
    on_step: &(dyn Fn() + Sync),
    stop: &AtomicBool,
) -> Result<Vec<O>, RunError>
where
    O: Observer,
    F: Fn(u32) -> O + Sync,
{
    let one = |replicate: u32| {
        let mut observer = make_observer(replicate);
        run_replicate(scenario, params, replicate, &mut observer, on_step, stop).map(|()| observer)
    };
    if replicates_at_once(scenario, replicates.len(), rayon::current_num_threads()) == 1 {
        replicates.iter().map(|&r| one(r)).collect()
    } else {
        replicates.par_iter().map(|&r| one(r)).collect()
    }
}

/// How many of `replicates` replicates of `scenario` [`run_replicates`] runs at once on
/// `threads` threads: one when there is one, or when the initial network is expected to
/// have at least [`SEQUENTIAL_REPLICATES_ABOVE_VIEWS`] views (two per tie); else one per
/// thread. (While a step waits for its parallel parts, rayon may start another replicate
/// on the waiting thread, so small worlds may briefly be more.)
pub fn replicates_at_once(scenario: &Scenario, replicates: usize, threads: usize) -> usize {
    let expected_views = 2.0 * scenario.expected_initial_ties();
    if expected_views >= SEQUENTIAL_REPLICATES_ABOVE_VIEWS as f64 || replicates <= 1 {
        1
    } else {
        replicates.min(threads.max(1))
    }
}
