//! REST request and response bodies shared by the server and the web app, one module
//! per domain (mirroring `client/src/api` and `server/src/http`), and the error body
//! every route answers with. Ids and roles live in [`crate::ids`].

mod account;
mod comments;
mod evidence;
mod history;
mod maps;
mod sharing;

pub use account::*;
pub use comments::*;
pub use evidence::*;
pub use history::*;
pub use maps::*;
pub use sharing::*;

use serde::{Deserialize, Serialize};

/// Every error response: a stable machine `code` and a human `message`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}
