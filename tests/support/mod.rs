//! Helpers shared by the integration tests (`mod support;` in each test file).
//!
//! Owns: set-up that several peer tests need, such as a pinned Python ([`python`]).
//! Must never: hold assertions about the model; those live in the tests.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod python;
