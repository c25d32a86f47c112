//! The WebAssembly boundary (compiled only for `wasm32`): the JS-facing engine and the default UI.

pub mod ui;
