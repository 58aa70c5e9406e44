//! # gotong
//!
//! An agent-based simulation of networking and cooperation in a school community.
pub mod engine;
pub mod model;
pub mod network;
pub mod output;
pub mod scenario;
