//! `zopa`: agents with explicit goals, stepped through a scenario, and the
//! exact zone of possible agreement between them at every step.
pub mod zone;
