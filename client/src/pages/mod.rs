//! Route-level components: each loads its own data.

pub mod map;
pub mod maps;
pub mod not_found;
