//! Parcours shared crate: what the server and the web app agree on.
//!
//! - [`schema`]: the typed API over a map's Yrs document (stages, lanes, cards...).
//! - [`view`]: the plain serde read-out of a whole map (its JSON view).
//! - [`ids`]: map and account ids, roles.
//! - [`api`]: REST request/response bodies (one module per domain) and the error body.
//! - [`audit`]: an access audit line's detail as data, and its stored English form.
//! - [`exchange`]: the versioned map file (JSON) and the card table (CSV rows).
//! - [`method`]: the six steps of the method, checked against a map ([`method::assess`]).
//! - [`review`]: pure helpers of comment rounds: a map's short diff, `@mentions`.
//! - [`presence`]: the colour a person is drawn in.
//! - [`protocol`]: the client side of y-protocols, without a socket.
//! - [`text`]: cutting text with an ellipsis, folding it on one line.
//! - [`language`]: English or French, for a new map's starting content.
//! - [`words`]: sentences kept as a form and values, worded in either language.
//!
//! No tokio, no sqlx: this crate builds for wasm.
#![forbid(unsafe_code)]

pub mod api;
pub mod audit;
pub mod exchange;
pub mod ids;
pub mod journey;
pub mod language;
pub mod method;
pub mod order;
pub mod presence;
pub mod protocol;
pub mod review;
pub mod schema;
pub mod templates;
pub mod text;
pub mod view;
pub mod words;

pub use api::ErrorBody;
pub use ids::MapId;
pub use language::Language;
pub use order::{key_between, keys_between};
pub use schema::{
    At, Channel, EmotionSeries, IdSource, ItineraryKind, KpiMeasure, LaneKind, MapDoc, MapTxn,
    OpportunityStatus, PersonaField, SchemaError, TextTarget, SCHEMA_VERSION,
};
pub use templates::Template;
pub use view::{read_view, MapView};
