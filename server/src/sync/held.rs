//! Updates a peer sent that cannot integrate yet, held for that peer.
//!
//! A stock y-websocket client that reconnects sends the edits it made offline as soon as
//! its socket opens, before it has answered the room's sync step 1; an edit that builds
//! on an earlier one the room never got (lost with the old socket) then skips ahead in
//! that client's history. Tabs of one browser also share edits over a BroadcastChannel,
//! so a client can send content that builds on another client's edits the room has not
//! received yet. Both are honest. Such an update is held for its sender: never fanned
//! out or persisted, retried as more content arrives, and integrated (then fanned out
//! and persisted once) when what it needs is there — usually the sender's own sync
//! step 2, one round trip later. A peer whose held updates outgrow the bounds below, or
//! still cannot integrate a grace period after its step 2, is closed.

use std::time::{Duration, Instant};

use yrs::StateVector;

/// Most bytes held for one peer. What an honest client holds is what it sent between
/// its socket opening and its step 2 arriving: its offline edits, usually kilobytes;
/// 4 MiB leaves room for a long offline session while keeping a hostile peer's cost
/// small.
pub(crate) const MAX_HELD_BYTES: usize = 4 << 20;
/// Most updates held for one peer (a client sends one per local transaction; 512 is
/// several minutes of brisk typing offline).
pub(crate) const MAX_HELD_UPDATES: usize = 512;
/// How long held updates may still wait after the peer's sync step 2: what they need
/// may come from another client that is reconnecting too (edits shared between tabs).
pub(crate) const HELD_GRACE: Duration = Duration::from_secs(3);
/// How long anything may be held when the peer never sends its step 2.
pub(crate) const MAX_HELD_TIME: Duration = Duration::from_secs(15);
/// Least time between two retries of a peer's held updates prompted by other peers'
/// changes (the peer's own messages retry at once).
pub(crate) const HELD_RETRY: Duration = Duration::from_millis(100);

/// What one peer holds.
pub(crate) struct Held {
    /// The held updates (v1 encoding), oldest first; tried together.
    pub(crate) updates: Vec<Vec<u8>>,
    /// Their total size.
    pub(crate) bytes: usize,
    /// How many updates were held since the peer last held nothing.
    pub(crate) count: usize,
    /// When the peer is closed if they still cannot integrate.
    pub(crate) deadline: Instant,
    /// The document's state when they were last tried: no retry until that moves...
    pub(crate) tried_at: StateVector,
    /// ...or until this is set: an update held since may fill a hole in them.
    pub(crate) retry_due: bool,
}

/// Why a peer's held updates are refused.
pub(crate) enum Overflow {
    /// More than [`MAX_HELD_BYTES`] or [`MAX_HELD_UPDATES`].
    TooMuch { bytes: usize, count: usize },
}

impl Held {
    /// Nothing held yet; the clock starts now ([`HELD_GRACE`] if the peer already sent
    /// its step 2, [`MAX_HELD_TIME`] otherwise).
    pub(crate) fn new(now: Instant, synced: bool) -> Held {
        Held {
            updates: Vec::new(),
            bytes: 0,
            count: 0,
            deadline: now + if synced { HELD_GRACE } else { MAX_HELD_TIME },
            tried_at: StateVector::default(),
            retry_due: false,
        }
    }

    /// Holds one more update (`count` originals merged in it), if within bounds.
    pub(crate) fn push(&mut self, update: Vec<u8>, count: usize) -> Result<(), Overflow> {
        self.bytes += update.len();
        self.count += count;
        self.updates.push(update);
        if self.bytes > MAX_HELD_BYTES || self.count > MAX_HELD_UPDATES {
            return Err(Overflow::TooMuch {
                bytes: self.bytes,
                count: self.count,
            });
        }
        Ok(())
    }

    /// Takes the held updates out to try them; what still cannot integrate is put back
    /// with [`Held::push`] (counted as 0 new updates).
    pub(crate) fn take(&mut self) -> Vec<Vec<u8>> {
        self.bytes = 0;
        std::mem::take(&mut self.updates)
    }

    /// The peer answered sync step 1: what it holds has [`HELD_GRACE`] left at most.
    pub(crate) fn step2_received(&mut self, now: Instant) {
        self.deadline = self.deadline.min(now + HELD_GRACE);
    }
}

impl Overflow {
    /// The close reason.
    pub(crate) fn reason(&self) -> String {
        match self {
            Overflow::TooMuch { bytes, count } => format!(
                "{count} updates ({bytes} bytes) wait for content the map does not have; reconnect to resync"
            ),
        }
    }
}
