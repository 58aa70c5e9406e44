//! Experiments over many runs: statistics across replicates and comparisons of two sets of
//! replicates ([`statistics`]), designs of points in a space of scenario keys ([`sampling`]),
//! sensitivity indices from the runs of a design ([`sensitivity`]), and round-robin
//! tournaments of the model's strategies ([`tournament`]).
//!
//! Owns: how values of several replicates are summarised and compared; where the points of
//! an experiment design lie; how sensitivity indices are estimated; how a tournament is
//! played and ranked.
//! Must never: run the model itself except through the engine, or write files.

pub mod sampling;
pub mod sensitivity;
pub mod statistics;
pub mod tournament;
