//! The engine: random streams, parallel helpers, the step schedule and replicates.
//!
//! Owns: the order in which rules run, how replicates are seeded and run in parallel, and
//! the determinism contract (see [`streams`] and [`parallel`]).
//! Must never: contain the content of a rule (that lives in `model`), or do file I/O.

pub mod parallel;
pub mod run;
pub mod schedule;
pub mod streams;

pub use run::{Observer, RunError, is_recorded, run_replicate, run_replicates};
