//! Review rounds over time: a round's REST shape, what happens when one closes (by
//! hand or at its due date), and the sweep that closes overdue rounds and reminds
//! reviewers who are not done a day before. The sweep runs lazily on every round and
//! inbox read and in the background every [`SWEEP_INTERVAL`], on the injectable clock.

use std::time::Duration;

use parcours_shared::api::{InboxKind, MapEvent, Round};
use parcours_shared::ids::UserId;
use parcours_shared::words::Worded;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::Review;
use crate::store::{NewInboxItem, RoundRecord, StoreError};

/// How often the background sweep looks for rounds past their due date. Reads sweep
/// too, so nobody ever sees an overdue round open; this only makes the closing
/// notifications go out when nobody is reading.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(30);
/// How long before its due date a round reminds reviewers who are not done (once).
pub const DUE_SOON: Duration = Duration::from_secs(24 * 3600);
impl Review<'_> {
    /// The REST shape of a round, with its reviewers.
    pub async fn round_view(&self, record: &RoundRecord) -> Result<Round, StoreError> {
        Ok(Round {
            id: record.id.clone(),
            map_id: record.map_id.clone(),
            title: record.title.clone(),
            instructions: record.instructions.clone(),
            due_at: record.due_at,
            opened_by: record.opened_by.clone(),
            opened_at: record.opened_at,
            closed_at: record.closed_at,
            closed_by: record.closed_by.clone(),
            auto_closed: record.closed_at.is_some() && record.closed_by.is_none(),
            reviewers: self.store.reviewers(&record.id).await?,
        })
    }

    /// After a round closed (by `closer`, or at its due date): tells the map's watchers,
    /// and its reviewers and opener (except whoever closed it) in their inboxes.
    pub async fn round_closed(
        &self,
        record: &RoundRecord,
        closer: Option<&UserId>,
    ) -> Result<Round, StoreError> {
        let round = self.round_view(record).await?;
        self.events.publish_map(
            &record.map_id,
            &MapEvent::RoundClosed {
                round: round.clone(),
            },
        );
        let title = self.map_title(&record.map_id).await?;
        let form = if closer.is_some() {
            "round_closed"
        } else {
            "round_closed_at_due_date"
        };
        let mut people: Vec<UserId> = round.reviewers.iter().map(|r| r.user_id.clone()).collect();
        people.push(record.opened_by.clone());
        people.sort();
        people.dedup();
        // Only people still on the map hear about it.
        let mut current = Vec::with_capacity(people.len());
        for person in people {
            if self.store.role_of(&record.map_id, &person).await?.is_some() {
                current.push(person);
            }
        }
        let people = current;
        let items = people
            .into_iter()
            .filter(|u| Some(u) != closer)
            .map(|user| NewInboxItem {
                user,
                map: record.map_id.clone(),
                kind: InboxKind::RoundClosed,
                thread: None,
                round: Some(record.id.clone()),
                parts: Worded::new(form, &[("round", &record.title), ("map", &title)]),
            })
            .collect();
        self.deliver(items).await?;
        Ok(round)
    }

    /// Closes every open round past its due date (at that date) and reminds reviewers of
    /// rounds due within [`DUE_SOON`]. Safe to run concurrently: each closing and each
    /// reminder happens once.
    pub async fn sweep(&self) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        for (map, id, due_at) in self.store.overdue_rounds(now).await? {
            if self.store.close_round(&map, &id, None, due_at).await? {
                if let Some(record) = self.store.round(&map, &id).await? {
                    tracing::info!(map = %map, round = %id, "review round closed at its due date");
                    self.round_closed(&record, None).await?;
                }
            }
        }
        let soon = now.saturating_add(DUE_SOON.as_millis() as i64);
        for due in self.store.due_soon(soon).await? {
            if !self
                .store
                .mark_reminded(&due.round_id, &due.user_id, now)
                .await?
            {
                continue;
            }
            let title = self.map_title(&due.map_id).await?;
            let hours = ((due.due_at - now).max(0) + 3_599_999) / 3_600_000;
            let item = NewInboxItem {
                user: due.user_id,
                map: due.map_id,
                kind: InboxKind::RoundDueSoon,
                thread: None,
                round: Some(due.round_id),
                parts: Worded::new(
                    "round_due_soon",
                    &[("round", &due.title), ("map", &title), ("hours", &hours)],
                ),
            };
            self.deliver(vec![item]).await?;
        }
        Ok(())
    }
}

/// Runs [`Review::sweep`] every [`SWEEP_INTERVAL`] until `shutdown` is cancelled.
pub fn spawn_sweeper(state: crate::AppState, shutdown: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(SWEEP_INTERVAL) => {
                    if let Err(error) = state.review().sweep().await {
                        tracing::warn!(%error, "review round sweep failed; retrying later");
                    }
                }
            }
        }
    })
}
