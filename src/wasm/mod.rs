//! The WebAssembly boundary (compiled only for `wasm32`): the JS-facing engine and the default UI.
//!
//! A thin layer over the pure core. Values cross as JSON text, read and written by
//! [`Value`](crate::Value) ([`convert`]); core problems become JS `Error`s in one place ([`error`]);
//! the clock is `Date.now()` unless the host passes `now`; plural rules and numbers come from
//! the browser's `Intl` ([`intl`]); state persists in `localStorage` and merges across tabs
//! ([`store`]); [`ui`] is the default prompt UI.

pub mod convert;
pub mod engine;
pub mod error;
pub mod intl;
pub mod store;
mod types;
pub mod ui;

pub use engine::JsEngine;
pub use error::{js_error, ErrorKind};
