//! # gotong
//!
//! An agent-based simulation of networking and cooperation in a school community
//! (*gotong royong*: working together for a common need). Teachers, parents, students,
//! alumni, firms, the principal and the school's other stakeholders play pairwise and group
//! games on a network of ties; their trust in each other and the ties themselves evolve.
//!
//! Data flows one way:
//! scenario file → [`scenario::Scenario`] (validated) → [`model::world::World`] stepped by
//! the [`engine`] → [`observe`] rows → [`output`] files, plots and reports.
//!
//! - [`scenario`]: the TOML format, presets, `--set` overrides, validation with file/line/key errors.
//! - [`model`]: roles, ties, trust, games, strategies, and the rules of a step.
//! - [`network`]: the CSR tie structure, generators, metrics (networkx definitions).
//! - [`engine`]: counter-based random streams, the step schedule, replicates in parallel.
//! - [`observe`]: the metric registry and what a replicate records.
//! - [`experiment`]: statistics over replicates; plans and analyses of comparisons, sweeps and
//!   sensitivity analyses; [`batch`] runs them (sharded, resumable) into experiment folders.
//! - [`output`]: run folders, CSV, GraphML, plots, the manifest.
//! - [`run`]: `gotong run` as one library call; [`memory`]: its estimate of the memory a run
//!   needs, checked before it starts; [`tournament`]: `gotong tournament` (an
//!   Axelrod-style round robin of the same strategies); [`serve`]: `gotong serve`, a live view
//!   in the browser; [`cli`]: the command line.
//!
//! Determinism: the same scenario and seed give bit-identical data files with any number of
//! threads; see [`engine::streams`] and [`engine::parallel`] for how.

pub mod batch;
pub mod cli;
pub mod engine;
pub mod experiment;
pub mod memory;
pub mod model;
pub mod network;
pub mod observe;
pub mod output;
pub mod run;
pub mod scenario;
pub mod serve;
pub mod tournament;
