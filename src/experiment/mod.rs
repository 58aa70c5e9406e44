//! Experiments over many runs: statistics across replicates (and, with the experiment
//! commands, comparisons, sweeps and sensitivity analysis).
//!
//! Owns: how values of several replicates are summarised.
//! Must never: run the model itself except through the engine, or write files.

pub mod statistics;
