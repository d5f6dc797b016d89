//! Who a connected peer is, and the room's way to reach it: the identity the socket
//! was authorized with, a bounded outbound queue, and why a socket gets closed.
//!
//! Both the room (which sends and closes) and the socket task (which reads the queue
//! and writes the close frame) use these; neither imports the other for them.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use parcours_shared::ids::UserId;
use tokio::sync::{oneshot, Notify};

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

/// A peer's outbound queue: bounded, and holding memory only while messages wait.
/// (tokio's `mpsc` channel allocates a block of 32 slots up front, about 1.4 KiB per
/// socket that mostly sits idle; see docs/PERFORMANCE.md.)
struct Outbox {
    state: Mutex<OutboxState>,
    /// Wakes the socket task when a message is queued or the room lets go.
    ready: Notify,
}

struct OutboxState {
    messages: VecDeque<Bytes>,
    capacity: usize,
    /// The room dropped its [`PeerLink`]: nothing more will come.
    room_gone: bool,
    /// The socket task dropped its [`PeerInbox`]: messages are no longer kept.
    socket_gone: bool,
}

/// A drained queue above this capacity gives its memory back (after a burst, e.g.
/// a large paste fanned out).
const KEEP_CAPACITY: usize = 8;

impl Outbox {
    fn state(&self) -> MutexGuard<'_, OutboxState> {
        // A panic while holding this lock cannot leave the queue inconsistent (each
        // operation is one push, pop or flag), so a poisoned lock is used as is.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The room's way to reach one peer: a bounded queue and a one-time close signal.
pub(crate) struct PeerLink {
    outbox: Arc<Outbox>,
    kick: Option<oneshot::Sender<CloseReason>>,
}

/// The socket's side of a [`PeerLink`]: what the room queued, and why it closed us.
pub(crate) struct PeerInbox {
    /// Messages to write, in order.
    pub(crate) outbox: OutboxReceiver,
    /// Fires once if the room closes this peer.
    pub(crate) kick: oneshot::Receiver<CloseReason>,
}

/// Reads a [`PeerLink`]'s queue.
pub(crate) struct OutboxReceiver {
    outbox: Arc<Outbox>,
}

impl OutboxReceiver {
    /// The next queued message; `None` once the room has let go and the queue is empty.
    /// Cancel-safe: a message is taken from the queue only by a call that returns it.
    pub(crate) async fn recv(&mut self) -> Option<Bytes> {
        loop {
            if let Some(message) = self.try_recv() {
                return Some(message);
            }
            if self.outbox.state().room_gone {
                return None;
            }
            // `notify_one` keeps a permit when nobody waits, so a message queued
            // between the look above and this wait is not missed.
            self.outbox.ready.notified().await;
        }
    }

    /// The next queued message, if one is waiting.
    pub(crate) fn try_recv(&mut self) -> Option<Bytes> {
        let mut state = self.outbox.state();
        let message = state.messages.pop_front();
        if state.messages.is_empty() && state.messages.capacity() > KEEP_CAPACITY {
            state.messages = VecDeque::new();
        }
        message
    }
}

impl Drop for OutboxReceiver {
    fn drop(&mut self) {
        let mut state = self.outbox.state();
        state.socket_gone = true;
        state.messages = VecDeque::new();
    }
}

impl PeerLink {
    /// A link whose queue holds `queue` messages, and the socket's end of it.
    pub(crate) fn new(queue: usize) -> (PeerLink, PeerInbox) {
        let outbox = Arc::new(Outbox {
            state: Mutex::new(OutboxState {
                messages: VecDeque::new(),
                capacity: queue.max(1),
                room_gone: false,
                socket_gone: false,
            }),
            ready: Notify::new(),
        });
        let (kick_tx, kick) = oneshot::channel();
        (
            PeerLink {
                outbox: outbox.clone(),
                kick: Some(kick_tx),
            },
            PeerInbox {
                outbox: OutboxReceiver { outbox },
                kick,
            },
        )
    }

    /// Queues a message. False when the queue is full (the peer is too slow); a peer
    /// already gone counts as delivered (its `Leave` is on the way).
    pub(crate) fn send(&self, message: Bytes) -> bool {
        {
            let mut state = self.outbox.state();
            if state.socket_gone {
                return true;
            }
            if state.messages.len() >= state.capacity {
                return false;
            }
            state.messages.push_back(message);
        }
        self.outbox.ready.notify_one();
        true
    }

    /// Asks the connection to close with `reason` (once).
    pub(crate) fn close(&mut self, reason: CloseReason) {
        if let Some(kick) = self.kick.take() {
            let _ = kick.send(reason);
        }
    }
}

impl Drop for PeerLink {
    fn drop(&mut self) {
        self.outbox.state().room_gone = true;
        self.outbox.ready.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(n: u8) -> Bytes {
        Bytes::from(vec![n])
    }

    #[tokio::test]
    async fn the_queue_keeps_order_refuses_beyond_its_bound_and_ends_when_the_room_lets_go() {
        let (link, inbox) = PeerLink::new(3);
        let mut outbox = inbox.outbox;
        assert!(link.send(msg(1)) && link.send(msg(2)) && link.send(msg(3)));
        assert!(
            !link.send(msg(4)),
            "a full queue refuses: the peer is too slow"
        );
        assert_eq!(outbox.recv().await, Some(msg(1)));
        assert!(link.send(msg(5)), "room again once one is taken");
        assert_eq!(outbox.try_recv(), Some(msg(2)));
        drop(link);
        assert_eq!(
            outbox.recv().await,
            Some(msg(3)),
            "what was queued still comes"
        );
        assert_eq!(outbox.recv().await, Some(msg(5)));
        assert_eq!(outbox.recv().await, None, "then the end");
    }

    #[tokio::test]
    async fn a_waiting_socket_wakes_for_a_message_and_a_gone_socket_counts_as_delivered() {
        let (link, inbox) = PeerLink::new(4);
        let mut outbox = inbox.outbox;
        let waiter = tokio::spawn(async move {
            let first = outbox.recv().await;
            (first, outbox)
        });
        tokio::task::yield_now().await;
        assert!(link.send(msg(7)));
        let (first, outbox) = waiter.await.expect("waiter");
        assert_eq!(first, Some(msg(7)));
        drop(outbox);
        assert!(link.send(msg(8)), "a peer already gone counts as delivered");
        assert!(link.outbox.state().messages.is_empty(), "and keeps nothing");
    }

    #[tokio::test]
    async fn a_cancelled_wait_loses_nothing_and_a_drained_burst_gives_memory_back() {
        let (link, inbox) = PeerLink::new(64);
        let mut outbox = inbox.outbox;
        // A wait given up (as `select!` does when another branch wins) ...
        let gave_up =
            tokio::time::timeout(std::time::Duration::from_millis(5), outbox.recv()).await;
        assert!(gave_up.is_err());
        // ... and then a burst: every message arrives, in order.
        for n in 0..40 {
            assert!(link.send(msg(n)));
        }
        for n in 0..40 {
            assert_eq!(outbox.recv().await, Some(msg(n)));
        }
        assert!(outbox.try_recv().is_none());
        assert_eq!(
            link.outbox.state().messages.capacity(),
            0,
            "memory given back"
        );
    }
}
