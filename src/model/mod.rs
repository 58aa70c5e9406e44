//! What a school community is.
pub mod role;
