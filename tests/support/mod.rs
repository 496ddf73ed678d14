//! Shared helpers for the integration tests in tests/*.rs. Each file there is its own crate, so
//! a test file that wants them says `mod support;` and uses `support::web::…`.
//!
//! [`web`] (wasm32 only): what the browser tests (tests/web_*.rs) share to mount a component,
//! wait for what it shows, click, and answer its requests with canned Graph and ARM replies.
#![allow(dead_code)] // each test binary uses a different subset

#[cfg(target_arch = "wasm32")]
pub mod web;
