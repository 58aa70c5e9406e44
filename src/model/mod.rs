//! What a school community is: roles and tie kinds, agents and their views of ties, trust,
//! games and strategies, and the rules that change them step by step.
//!
//! Owns: the meaning of every state variable and every rule (DESIGN §3–§5).
//! Must never: do I/O, read the clock, or create random numbers except through the
//! engine's keyed streams handed to it in the step context.

pub mod game;
pub mod params;
pub mod population;
pub mod role;
pub mod rules;
pub mod setup;
pub mod strategy;
#[cfg(test)]
pub(crate) mod testing;
pub mod tie;
pub mod world;
