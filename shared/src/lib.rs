//! Parcours shared crate: what the server and the web app agree on.
//!
//! - [`schema`]: the typed API over a map's Yrs document (stages, lanes, cards...).
//! - [`view`]: the plain serde read-out of a whole map (its JSON view).
//! - [`api`]: REST request/response bodies and the error body.
//! - [`review`]: pure helpers of comment rounds: a map's short diff, `@mentions`.
//!
//! No tokio, no sqlx: this crate builds for wasm.
#![forbid(unsafe_code)]

pub mod api;
pub mod order;
pub mod review;
pub mod schema;
pub mod templates;
pub mod view;

pub use api::{ErrorBody, ItineraryKind, MapId};
pub use order::{key_between, keys_between};
pub use schema::{
    At, Channel, EmotionSeries, IdSource, KpiMeasure, LaneKind, MapDoc, MapTxn, OpportunityStatus,
    PersonaField, SchemaError, TextTarget, SCHEMA_VERSION,
};
pub use templates::Template;
pub use view::{read_view, MapView};
