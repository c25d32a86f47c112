//! # earned — upgrade prompts, earned
//!
//! A decision engine a SaaS company embeds in its own web app. It watches product signals,
//! decides under guardrails whether a contextual upsell or cross-sell is warranted, and
//! renders copy that names the friction the customer already feels.
//!
//! The pure core is plain Rust: [`Playbook`] (what to offer, when, and what holds it back),
//! [`signals`] (bounded rolling windows of product behaviour and account facts),
//! [`triggers`], [`audience`] (GrowthBook conditions), [`guardrails`], [`offers`], [`copy`]
//! (ICU MessageFormat), [`decision`] and [`trace`]. [`Engine`] ties them together. The
//! WebAssembly boundary is a separate module compiled only for `wasm32`.
#![deny(missing_docs)]

pub mod audience;
pub mod copy;
pub mod decision;
pub mod engine;
pub mod guardrails;
pub mod offers;
pub mod outcomes;
pub mod playbook;
pub mod problem;
pub mod read;
pub mod signals;
mod state;
pub mod trace;
pub mod triggers;
pub mod value;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use copy::{BuiltinLocalizer, Localizer};
pub use decision::{Decision, Prompt};
pub use engine::Engine;
pub use outcomes::OutcomeKind;
pub use playbook::Playbook;
pub use problem::{Problem, Severity};
pub use trace::Trace;
pub use value::Value;
