//! Scenario files.
mod suggest;
pub use suggest::suggest;
