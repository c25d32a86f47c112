//! The WebAssembly boundary (compiled only for `wasm32`): the JS-facing engine and the default UI.
//!
//! A thin layer over the pure core. Values cross as JSON text, read by [`Value`](crate::Value)
//! and written by it or [`Json`](crate::value::Json) ([`convert`]); core problems become JS `Error`s in one place ([`error`]);
//! the clock is `Date.now()` unless the host passes `now`; plural rules and numbers come from
//! the browser's `Intl` ([`intl`]); state persists in `localStorage` and merges across tabs
//! ([`store`]); [`ui`] is the default prompt UI.

pub mod alloc;
pub mod convert;
pub mod engine;
pub mod error;
pub mod intl;
pub mod store;
mod types;
pub mod ui;

pub use engine::JsEngine;

#[global_allocator]
static ALLOC: alloc::PowerOfTwoAlloc = alloc::PowerOfTwoAlloc::new();

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window`, where there is one (not in Node or a worker): read directly rather than through
    /// `web_sys::window()`, whose global-object lookup costs five imports.
    #[wasm_bindgen(thread_local_v2, js_name = window)]
    static WINDOW: Option<web_sys::Window>;
}

fn window() -> Option<web_sys::Window> {
    WINDOW.with(Clone::clone)
}
pub use error::{js_error, ErrorKind};
