//! Presentational pieces: they take signals and callbacks, and fetch nothing themselves.

pub mod auth_forms;
pub mod copy_field;
pub mod create_map_form;
pub mod dialog;
pub mod email_verification;
pub mod error_notice;
pub mod inbox_invitation;
pub mod map_table;
pub mod password_form;
pub mod role;
pub mod share;
pub mod shortcuts;
pub mod user_menu;
