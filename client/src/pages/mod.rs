//! Route-level components: each loads its own data.

pub mod account;
pub mod import_map;
pub mod invitation;
pub mod join;
pub mod login;
pub mod map;
pub mod maps;
pub mod not_found;
pub mod verify_email;
