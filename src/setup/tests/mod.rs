//! The Setup check, natively: each line's words ([`checks`]) and the page's reducer with canned
//! answers ([`state`]).

mod checks;
mod state;
