//! Comment threads and review rounds as a domain, apart from HTTP: what a thread looks
//! like to its readers, who a comment mentions and who is told, rounds closing at their
//! due date and reminders. It works on the store, the live event hubs and the clock
//! ([`Review`]), never on the whole app state.
//!
//! - [`comments`]: threads' REST shape, body and anchor checks, mentions, notifications.
//! - [`rounds`]: a round's REST shape, closing, the due-date sweep and reminders.

pub mod comments;
pub mod rounds;

use parcours_shared::ids::MapId;
use parcours_shared::text::{ellipsize, one_line};

use crate::clock::Clock;
use crate::events::Events;
use crate::store::{NewInboxItem, Store, StoreError};

pub use rounds::{spawn_sweeper, DUE_SOON, SWEEP_INTERVAL};

/// Longest excerpt of a comment quoted in an inbox item, in characters.
const EXCERPT_CHARS: usize = 120;

/// What comment and round logic works on: storage, the live event hubs, "now".
#[derive(Clone, Copy)]
pub struct Review<'a> {
    /// The database.
    pub store: &'a Store,
    /// Live map and inbox events.
    pub events: &'a Events,
    /// The time rounds run on.
    pub clock: &'a dyn Clock,
}

impl Review<'_> {
    /// Stores each item and pushes it to its account's open inbox streams.
    pub async fn deliver(&self, items: Vec<NewInboxItem>) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        for item in items {
            let stored = self.store.add_inbox_item(&item, now).await?;
            self.events.publish_inbox(&item.user, &stored);
        }
        Ok(())
    }

    /// A map's title for inbox texts (empty if the map is gone).
    pub async fn map_title(&self, map: &MapId) -> Result<String, StoreError> {
        Ok(self
            .store
            .get_map(map)
            .await?
            .map(|m| m.title)
            .unwrap_or_default())
    }
}

/// The start of a comment body, on one line, for an inbox text.
pub fn excerpt(body: &str) -> String {
    ellipsize(&one_line(body), EXCERPT_CHARS)
}
