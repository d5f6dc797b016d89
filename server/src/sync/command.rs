//! What a room is asked to do, and why it could not be: the messages between the
//! registry, the sockets and a room's task.

use parcours_shared::ids::{Role, UserId};
use parcours_shared::view::MapView;
use tokio::sync::oneshot;

use super::doc::Scope;
use super::link::{PeerId, PeerIdentity, PeerLink};
use super::persist::VersionAnswer;
use super::wire::Incoming;
use crate::history::versions::VersionRequest;

/// The writer's answer about a version the room queued.
pub(crate) type PendingVersion = oneshot::Receiver<VersionAnswer>;

/// Why a room could not be joined or asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RoomError {
    /// The map does not exist (or was deleted).
    #[error("map not found")]
    NotFound,
    /// Loading the map from storage failed.
    #[error("could not load map: {0}")]
    Load(String),
    /// Storage is behind (the writer's queue is full): try again shortly.
    #[error("the map's storage is busy; try again in a moment")]
    Busy,
    /// What was asked cannot be done (e.g. restoring an element that never existed);
    /// `code` is the API's error code.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
}

/// What a room is asked to do.
pub(crate) enum RoomCommand {
    /// A peer joins; the room answers with its first messages through `link`.
    Join {
        peer: PeerId,
        link: PeerLink,
        who: PeerIdentity,
        reply: oneshot::Sender<Result<(), RoomError>>,
    },
    /// An account's role on this map changed (`None`: removed). Takes effect at once on
    /// its open sockets: removed members are closed, demoted ones become read-only.
    Access { user: UserId, role: Option<Role> },
    /// An account signed out or changed its password: close its sockets.
    EndSessions { user: UserId },
    /// A share link was revoked: close the sockets that came in through it.
    LinkRevoked { link: String },
    /// Decoded messages from a peer.
    Frame {
        peer: PeerId,
        messages: Vec<Incoming>,
    },
    /// A peer left (socket closed).
    Leave { peer: PeerId },
    /// Read the JSON view of the document.
    View {
        reply: oneshot::Sender<Result<MapView, RoomError>>,
    },
    /// Read the whole document as a Yrs update together with its JSON view, taken at
    /// the same instant (a review round records what its reviewers see).
    Snapshot {
        reply: oneshot::Sender<Result<(Vec<u8>, MapView), RoomError>>,
    },
    /// Record a version of the live document (named, or a round opening).
    CreateVersion {
        request: VersionRequest,
        reply: oneshot::Sender<Result<PendingVersion, RoomError>>,
    },
    /// Make the live document equal to `past` (a whole update v1), or one element of
    /// it, as a forward change by `by`; a `restore` version of the state before is
    /// recorded first.
    Restore {
        past: Vec<u8>,
        scope: Scope,
        by: UserId,
        reply: oneshot::Sender<Result<PendingVersion, RoomError>>,
    },
    /// Apply a change the server makes on `by`'s behalf (a whole Yrs update v1);
    /// answers whether it changed anything.
    ServerChange {
        update: Vec<u8>,
        by: UserId,
        reply: oneshot::Sender<Result<bool, RoomError>>,
    },
    /// The map was deleted: close every socket, write nothing more, stop.
    Delete,
    /// Messages other nodes' rooms of this map applied for their peers (`--cluster`),
    /// in the bus's order: document updates and presence, as y-protocols messages.
    Remote { messages: Vec<bytes::Bytes> },
    /// The bus lost messages this room had not read: rebuild the document from
    /// storage and read the bus again from the start.
    Reload,
    /// Another node opened this map: publish the whole document on the bus once
    /// (it may lack edits this node has not written yet), then every message.
    Republish,
}

impl RoomCommand {
    /// Answers a command that waits for a reply with `error` (a room that failed to
    /// load); other commands are dropped.
    pub(crate) fn fail(self, error: RoomError) {
        match self {
            RoomCommand::Join { reply, .. } => drop(reply.send(Err(error))),
            RoomCommand::View { reply } => drop(reply.send(Err(error))),
            RoomCommand::Snapshot { reply } => drop(reply.send(Err(error))),
            RoomCommand::CreateVersion { reply, .. } => drop(reply.send(Err(error))),
            RoomCommand::Restore { reply, .. } => drop(reply.send(Err(error))),
            RoomCommand::ServerChange { reply, .. } => drop(reply.send(Err(error))),
            _ => {}
        }
    }
}
