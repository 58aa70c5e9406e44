//! Experiments over many runs: statistics across replicates (and, with the experiment
//! commands, comparisons, sweeps and sensitivity analysis), and round-robin tournaments of
//! the model's strategies.
//!
//! Owns: how values of several replicates are summarised; how a tournament is played and
//! ranked.
//! Must never: run the model itself except through the engine, or write files.

pub mod statistics;
pub mod tournament;
