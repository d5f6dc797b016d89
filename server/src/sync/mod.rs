//! Live sync: one room actor per open map, speaking y-protocols with its peers.
//!
//! From the socket inwards:
//! - `peer`: one WebSocket connection: decode, forward to the room, write back.
//! - `wire`: decodes incoming frames (panic-guarded) and encodes outgoing messages.
//! - `link`: who a peer is, the room's bounded queue to it, why it gets closed.
//! - [`Rooms`] (`registry`): starts a map's room on first join (exactly once) and
//!   routes access changes to it; `open` is its table of open rooms.
//! - `command`: what a room is asked to do.
//! - `room`: the actor: the select loop, timers, flushing and unloading; `load` reads
//!   a document back from storage.
//! - `doc`: the protocol core without I/O: document, presence, peers; what to send,
//!   close, persist. Unit and property tests live beside it.
//! - `held`: updates a peer sent that cannot integrate yet, held for it, bounded.
//! - `presence`: the bounds on what a peer publishes as presence, and the server's
//!   stamp of who it is.
//! - `batch`: applied changes waiting for the writer, one batch per author in turn.
//! - `persist`: writes the room's update batches, snapshots and versions, off the
//!   room's task.
//! - `bus`: with `--cluster`, what rooms apply for their own peers reaches the rooms
//!   of the same map on the other nodes, through PostgreSQL.

mod batch;
mod bounds;
pub mod bus;
mod command;
mod doc;
#[doc(hidden)]
pub mod fuzzing;
mod held;
mod link;
mod load;
mod open;
mod peer;
mod persist;
mod presence;
mod registry;
mod room;
mod streams;
mod wire;

pub use command::RoomError;
pub use doc::ELEMENT_ROOTS;
pub use link::{close_code, CloseReason, PeerIdentity};
pub(crate) use load::load;
pub use peer::{serve_peer, PeerLimits, SyncSocket};
pub use registry::Rooms;
pub use room::RoomSettings;
