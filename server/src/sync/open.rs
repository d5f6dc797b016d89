//! The table of rooms open now, by map: how the registry finds a room's inbox, and how
//! a room that wants to unload takes itself out without losing a peer that is joining.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use parcours_shared::ids::MapId;
use tokio::sync::mpsc;

use super::command::RoomCommand;

/// A way to send commands to one room.
#[derive(Clone)]
pub(crate) struct RoomHandle {
    pub(crate) tx: mpsc::Sender<RoomCommand>,
    /// Tells this room apart from an earlier or later room of the same map.
    pub(crate) generation: u64,
}

/// Open rooms by map, each with the generation that tells it apart from a room of the
/// same map that unloaded before or started after it.
#[derive(Default)]
pub(crate) struct OpenRooms {
    open: Mutex<HashMap<MapId, RoomHandle>>,
    next_generation: AtomicU64,
}

impl OpenRooms {
    fn lock(&self) -> MutexGuard<'_, HashMap<MapId, RoomHandle>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The live room of `map`, or a new entry made by `start(generation)` (called with
    /// the table locked, so two first joiners never start two rooms). The bool says
    /// whether the room is new.
    pub(crate) fn get_or_start(
        &self,
        map: &MapId,
        start: impl FnOnce(u64) -> mpsc::Sender<RoomCommand>,
    ) -> (RoomHandle, bool) {
        let mut open = self.lock();
        if let Some(handle) = open.get(map) {
            if !handle.tx.is_closed() {
                return (handle.clone(), false);
            }
        }
        let generation = self.next_generation.fetch_add(1, Ordering::Relaxed) + 1;
        let handle = RoomHandle {
            tx: start(generation),
            generation,
        };
        open.insert(map.clone(), handle.clone());
        (handle, true)
    }

    /// The room of `map` if it is open.
    pub(crate) fn get(&self, map: &MapId) -> Option<RoomHandle> {
        self.lock().get(map).cloned()
    }

    /// Every open room.
    pub(crate) fn all(&self) -> Vec<RoomHandle> {
        self.lock().values().cloned().collect()
    }

    /// How many rooms are open.
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// Removes `map`'s entry if it still is room `generation` and that room has nothing
    /// waiting in `rx`. Returns whether the room may stop. Holding the table lock while
    /// checking `rx` means no new peer can reach the room after it says yes.
    pub(crate) fn try_remove(
        &self,
        map: &MapId,
        generation: u64,
        rx: &mpsc::Receiver<RoomCommand>,
    ) -> bool {
        let mut open = self.lock();
        if !rx.is_empty() {
            return false;
        }
        if open.get(map).is_some_and(|h| h.generation == generation) {
            open.remove(map);
        }
        true
    }

    /// Drops `map`'s entry if it still is room `generation` (a room that stops).
    pub(crate) fn forget(&self, map: &MapId, generation: u64) {
        let mut open = self.lock();
        if open.get(map).is_some_and(|h| h.generation == generation) {
            open.remove(map);
        }
    }
}
