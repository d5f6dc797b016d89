//! Live delivery of comment-round events: one broadcast hub per map (thread, comment
//! and round events) and one per account (new inbox items). A hub is made by its first
//! subscriber and dropped with its last, so quiet maps cost nothing. The HTTP side
//! (`http/events.rs`) turns a [`Subscription`] into a Server-Sent Events stream.
//!
//! With `--cluster`, every event published here is also relayed to the other nodes
//! (through the bus, `sync/bus.rs`), whose hubs deliver it to their own subscribers.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

use parcours_shared::api::{InboxItem, MapEvent};
use parcours_shared::ids::UserId;
use parcours_shared::MapId;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};

/// Events a subscriber may fall behind by before its stream is ended (it reconnects
/// and reloads over REST rather than silently missing events).
pub const HUB_CAPACITY: usize = 256;

/// The hubs; cheap to clone.
#[derive(Clone, Default)]
pub struct Events {
    /// Per map: JSON-encoded [`MapEvent`]s.
    maps: Arc<Hubs<MapId>>,
    /// Per account: JSON-encoded [`InboxItem`]s.
    users: Arc<Hubs<UserId>>,
    /// Where events go for the other nodes (set when the node joins a cluster).
    relay: Arc<OnceLock<mpsc::Sender<Relayed>>>,
}

/// An event crossing nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Relayed {
    /// A [`MapEvent`], JSON-encoded, for `map`'s streams.
    Map { map: MapId, json: String },
    /// An [`InboxItem`], JSON-encoded, for `user`'s streams.
    Inbox { user: UserId, json: String },
    /// `map` was deleted: its streams end.
    Closed { map: MapId },
}

impl Events {
    /// Sends `event` to everyone watching `map` (nobody: nothing happens), on every
    /// node.
    pub fn publish_map(&self, map: &MapId, event: &MapEvent) {
        if let Ok(json) = serde_json::to_string(event) {
            self.relay(Relayed::Map {
                map: map.clone(),
                json: json.clone(),
            });
            self.maps.publish(map, json);
        }
    }

    /// Sends a new inbox item to its account's open streams, on every node.
    pub fn publish_inbox(&self, user: &UserId, item: &InboxItem) {
        if let Ok(json) = serde_json::to_string(item) {
            self.relay(Relayed::Inbox {
                user: user.clone(),
                json: json.clone(),
            });
            self.users.publish(user, json);
        }
    }

    /// From now on, events published here are also sent to `relay` for the other
    /// nodes (once; later calls change nothing).
    pub fn relay_to(&self, relay: mpsc::Sender<Relayed>) {
        let _ = self.relay.set(relay);
    }

    /// An event another node published, delivered to this node's subscribers only.
    pub fn deliver(&self, event: Relayed) {
        match event {
            Relayed::Map { map, json } => self.maps.publish(&map, json),
            Relayed::Inbox { user, json } => self.users.publish(&user, json),
            Relayed::Closed { map } => self.maps.remove(&map),
        }
    }

    fn relay(&self, event: Relayed) {
        if let Some(relay) = self.relay.get() {
            if relay.try_send(event).is_err() {
                tracing::warn!("the bus is behind: an event did not reach the other nodes");
            }
        }
    }

    /// Starts watching `map`.
    pub fn subscribe_map(&self, map: &MapId) -> Subscription {
        Hubs::subscribe(&self.maps, map)
    }

    /// Starts watching `user`'s inbox.
    pub fn subscribe_inbox(&self, user: &UserId) -> Subscription {
        Hubs::subscribe(&self.users, user)
    }

    /// The map was deleted: its streams end.
    pub fn close_map(&self, map: &MapId) {
        self.relay(Relayed::Closed { map: map.clone() });
        self.maps.remove(map);
    }
}

/// Hubs by key.
struct Hubs<K> {
    senders: Mutex<HashMap<K, broadcast::Sender<Arc<str>>>>,
}

impl<K> Default for Hubs<K> {
    fn default() -> Self {
        Hubs {
            senders: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq + Clone + Send + Sync + 'static> Hubs<K> {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, broadcast::Sender<Arc<str>>>> {
        self.senders.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn publish(&self, key: &K, json: String) {
        let mut senders = self.lock();
        if let Some(tx) = senders.get(key) {
            if tx.send(Arc::from(json)).is_err() {
                senders.remove(key); // no subscriber left
            }
        }
    }

    fn remove(&self, key: &K) {
        self.lock().remove(key);
    }

    fn subscribe(hubs: &Arc<Self>, key: &K) -> Subscription {
        let rx = hubs
            .lock()
            .entry(key.clone())
            .or_insert_with(|| broadcast::channel(HUB_CAPACITY).0)
            .subscribe();
        let hubs = hubs.clone();
        let key = key.clone();
        Subscription {
            rx: Some(rx),
            on_drop: Some(Box::new(move || {
                let mut senders = hubs.lock();
                if senders.get(&key).is_some_and(|tx| tx.receiver_count() == 0) {
                    senders.remove(&key);
                }
            })),
        }
    }
}

/// One subscriber's end of a hub; dropping the last one drops the hub.
pub struct Subscription {
    rx: Option<broadcast::Receiver<Arc<str>>>,
    on_drop: Option<Box<dyn FnOnce() + Send + Sync>>,
}

impl Subscription {
    /// The next event's JSON. `None` when the hub closed (map deleted) or this
    /// subscriber fell more than [`HUB_CAPACITY`] events behind.
    pub async fn next(&mut self) -> Option<Arc<str>> {
        self.rx.as_mut()?.recv().await.ok()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        drop(self.rx.take()); // first, so the receiver count no longer includes us
        if let Some(f) = self.on_drop.take() {
            f();
        }
    }
}
