//! `zopa`: agents with explicit goals, stepped through a scenario, and the
//! exact zone of possible agreement between them at every step.
//!
//! The model in one paragraph: a settlement is a point in a box of issues;
//! each party values it by a weighted city-block distance from its ideal and
//! accepts it if that value reaches its reservation (its bar) and the point
//! respects its red lines. Three goal archetypes (quick deal, political
//! victory, sustained pressure) move their bars, ideals and red lines as a
//! simple world (front line, pressure, aid) evolves and scripted or random
//! events strike. At every step the zone of possible agreement among the
//! parties whose consent is needed is computed exactly, with the gap when it
//! is empty and the parties that block it.
//!
//! Modules, from the inside out (each uses only those before it, or its
//! own layer's; `docs/architecture.md` has the table, `tests/layers.rs`
//! checks it):
//! - [`zone`]: the exact zone, gap, blockers and Nash point (pure maths);
//! - [`model`]: the validated scenario types and their knobs;
//! - [`scenario`]: reading scenario files into the model, with located errors;
//! - [`sim`], [`negotiate`] and [`rng`]: stepping one seeded run into a
//!   timeline;
//! - [`text`], [`facts`], [`explain`], [`why`] and [`outcome`]: what a run
//!   means, computed once, and the phrases every view shares;
//! - [`mc`], [`sweep`] and [`sensitivity`]: many runs;
//! - [`output`], [`chart`] and [`report`]: tables, summaries, charts and the
//!   report, which only lay out what the layers before them computed.
pub mod chart;
pub mod explain;
pub mod facts;
pub mod mc;
pub mod model;
pub mod negotiate;
pub mod outcome;
pub mod output;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sensitivity;
pub mod sim;
pub mod sweep;
pub mod text;
pub mod why;
pub mod zone;
