//! Output: what leaves a run for people to read.
//!
//! Owns: pictures ([`charts`] draws them as PNG and SVG, [`layout`] places network nodes);
//! later also run folders, manifests, CSV writers and reports (DESIGN §9, §11).
//! Must never: change simulation state, or read scenario files; it is handed plain data.

pub mod charts;
pub mod layout;
