//! Reusable pieces of the UI: status badge, error panel, spinner.
