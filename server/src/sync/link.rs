//! Who a connected peer is, and the room's way to reach it: the identity the socket
//! was authorized with, a bounded outbound queue, and why a socket gets closed.
//!
//! Both the room (which sends and closes) and the socket task (which reads the queue
//! and writes the close frame) use these; neither imports the other for them.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use parcours_shared::ids::UserId;
use tokio::sync::{mpsc, oneshot};

/// A connection's id within the process.
pub(crate) type PeerId = u64;

static NEXT_PEER: AtomicU64 = AtomicU64::new(1);

/// A new process-unique peer id.
pub(crate) fn next_peer_id() -> PeerId {
    NEXT_PEER.fetch_add(1, Ordering::Relaxed)
}

/// Who a peer is and what it may do.
#[derive(Debug, Clone)]
pub struct PeerIdentity {
    /// The signed-in account, or `None` for a public link.
    pub user: Option<UserId>,
    /// Whether its document updates are applied (editors and owners).
    pub can_edit: bool,
    /// The public link it came through, if any.
    pub via_link: Option<String>,
    /// The name shown to others (the account's display name, or a public-link visitor).
    pub name: String,
    /// The colour others see this person in (from the account id).
    pub color: String,
}

impl PeerIdentity {
    /// The same account (or, for public-link visitors, the same link): one person's
    /// new socket may take over the presence its old one announced.
    pub(crate) fn same_person(&self, other: &PeerIdentity) -> bool {
        match (&self.user, &other.user) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.via_link.is_some() && self.via_link == other.via_link,
            _ => false,
        }
    }
}

/// Close codes sent to peers, with their meaning.
pub mod close_code {
    /// The server is shutting down; reconnect later.
    pub const GOING_AWAY: u16 = 1001;
    /// A WebSocket protocol violation.
    pub const PROTOCOL: u16 = 1002;
    /// Text frames are not part of y-protocols.
    pub const UNSUPPORTED: u16 = 1003;
    /// A malformed message or a corrupt or unusable update.
    pub const BAD_INPUT: u16 = 1007;
    /// Presence beyond what a peer may publish (too many clients, too large, too
    /// often, or someone else's).
    pub const POLICY: u16 = 1008;
    /// A frame or message over `--max-message-bytes` (1 MiB for read-only peers).
    pub const TOO_BIG: u16 = 1009;
    /// The room failed; reconnect.
    pub const INTERNAL: u16 = 1011;
    /// The map does not exist or was deleted.
    pub const MAP_NOT_FOUND: u16 = 4404;
    /// The peer read too slowly and fell behind; reconnect to resync.
    pub const TOO_SLOW: u16 = 4408;
    /// No pong or message within two ping intervals.
    pub const TIMED_OUT: u16 = 4410;
    /// The account signed out or changed its password.
    pub const SIGNED_OUT: u16 = 4401;
    /// The account's access to the map was removed (or its link revoked).
    pub const ACCESS_REMOVED: u16 = 4403;
}

/// Why the server closes a peer's socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseReason {
    /// It sent something the room refuses; the text says what.
    BadInput(String),
    /// It broke the presence rules; the text says how.
    Policy(String),
    /// Its outbound queue is full.
    TooSlow,
    /// The map was deleted.
    MapDeleted,
    /// The server is stopping.
    ShuttingDown,
    /// Its account signed out or changed its password.
    SignedOut,
    /// Its membership was removed or its link revoked.
    AccessRemoved,
    /// The session it signed in with expired.
    SessionExpired,
    /// The share link it came through expired.
    LinkExpired,
}

impl CloseReason {
    /// The close code and the human reason sent in the close frame.
    pub(crate) fn code_and_text(&self) -> (u16, &str) {
        match self {
            CloseReason::BadInput(r) => (close_code::BAD_INPUT, r.as_str()),
            CloseReason::Policy(r) => (close_code::POLICY, r.as_str()),
            CloseReason::TooSlow => (
                close_code::TOO_SLOW,
                "too slow to keep up; reconnect to resync",
            ),
            CloseReason::MapDeleted => (close_code::MAP_NOT_FOUND, "map deleted"),
            CloseReason::ShuttingDown => (close_code::GOING_AWAY, "server shutting down"),
            CloseReason::SignedOut => (close_code::SIGNED_OUT, "signed out"),
            CloseReason::AccessRemoved => {
                (close_code::ACCESS_REMOVED, "access to this map was removed")
            }
            CloseReason::SessionExpired => {
                (close_code::SIGNED_OUT, "the session expired; sign in again")
            }
            CloseReason::LinkExpired => (close_code::ACCESS_REMOVED, "the share link expired"),
        }
    }
}

/// The room's way to reach one peer: a bounded queue and a one-time close signal.
pub(crate) struct PeerLink {
    outbox: mpsc::Sender<Bytes>,
    kick: Option<oneshot::Sender<CloseReason>>,
}

/// The socket's side of a [`PeerLink`]: what the room queued, and why it closed us.
pub(crate) struct PeerInbox {
    /// Messages to write, in order.
    pub(crate) outbox: mpsc::Receiver<Bytes>,
    /// Fires once if the room closes this peer.
    pub(crate) kick: oneshot::Receiver<CloseReason>,
}

impl PeerLink {
    /// A link whose queue holds `queue` messages, and the socket's end of it.
    pub(crate) fn new(queue: usize) -> (PeerLink, PeerInbox) {
        let (outbox_tx, outbox) = mpsc::channel(queue);
        let (kick_tx, kick) = oneshot::channel();
        (
            PeerLink {
                outbox: outbox_tx,
                kick: Some(kick_tx),
            },
            PeerInbox { outbox, kick },
        )
    }

    /// Queues a message. False when the queue is full (the peer is too slow); a peer
    /// already gone counts as delivered (its `Leave` is on the way).
    pub(crate) fn send(&self, message: Bytes) -> bool {
        !matches!(
            self.outbox.try_send(message),
            Err(mpsc::error::TrySendError::Full(_))
        )
    }

    /// Asks the connection to close with `reason` (once).
    pub(crate) fn close(&mut self, reason: CloseReason) {
        if let Some(kick) = self.kick.take() {
            let _ = kick.send(reason);
        }
    }
}
