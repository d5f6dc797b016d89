//! Presentational pieces: they take signals and callbacks, and fetch nothing themselves.

pub mod create_map_form;
pub mod error_notice;
pub mod map_table;
