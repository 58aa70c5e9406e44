//! Graph structure and graph algorithms, free of any school semantics.
//!
//! Owns: the CSR tie structure ([`graph`]), generators of initial networks ([`generators`])
//! and network metrics that follow networkx's definitions ([`metrics`]).
//! Must never: do I/O, read the clock, or know about roles, trust or games; callers pass
//! plain numbers and get plain numbers back.

pub mod generators;
pub mod graph;
pub mod metrics;

pub use graph::{AgentId, Graph};
