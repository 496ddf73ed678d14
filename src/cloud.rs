//! The endpoint table per cloud.
