//! config.json → typed `Config`.
