//! Comment rounds over time: inbox delivery (stored, then pushed to the account's live
//! streams), and the sweep that closes rounds at their due date and reminds reviewers
//! who are not done a day before. The sweep runs lazily on every round and inbox read
//! and in the background every [`SWEEP_INTERVAL`], on the injectable clock.

use std::time::Duration;

use parcours_shared::api::{InboxKind, MapEvent, Round, UserId};
use parcours_shared::MapId;
use tokio::task::JoinHandle;

use crate::store::{NewInboxItem, RoundRecord, Store, StoreError};
use crate::AppState;

/// How often the background sweep looks for rounds past their due date. Reads sweep
/// too, so nobody ever sees an overdue round open; this only makes the closing
/// notifications go out when nobody is reading.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(30);
/// How long before its due date a round reminds reviewers who are not done (once).
pub const DUE_SOON: Duration = Duration::from_secs(24 * 3600);
/// Longest excerpt of a comment quoted in an inbox item, in characters.
const EXCERPT_CHARS: usize = 120;

/// Stores each item and pushes it to its account's open inbox streams.
pub async fn deliver(state: &AppState, items: Vec<NewInboxItem>) -> Result<(), StoreError> {
    let now = state.clock.now_ms();
    for item in items {
        let stored = state.store.add_inbox_item(&item, now).await?;
        state.events.publish_inbox(&item.user, &stored);
    }
    Ok(())
}

/// The REST shape of a round, with its reviewers.
pub async fn round_view(store: &Store, record: &RoundRecord) -> Result<Round, StoreError> {
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
        reviewers: store.reviewers(&record.id).await?,
    })
}

/// A map's title for inbox texts (empty if the map is gone).
pub async fn map_title(store: &Store, map: &MapId) -> Result<String, StoreError> {
    Ok(store
        .get_map(map)
        .await?
        .map(|m| m.title)
        .unwrap_or_default())
}

/// The start of a comment body, on one line, for an inbox text.
pub fn excerpt(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= EXCERPT_CHARS {
        line
    } else {
        let mut cut: String = line.chars().take(EXCERPT_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// After a round closed (by `closer`, or at its due date): tells the map's watchers,
/// and its reviewers and opener (except whoever closed it) in their inboxes.
pub async fn round_closed(
    state: &AppState,
    record: &RoundRecord,
    closer: Option<&UserId>,
) -> Result<Round, StoreError> {
    let round = round_view(&state.store, record).await?;
    state.events.publish_map(
        &record.map_id,
        &MapEvent::RoundClosed {
            round: round.clone(),
        },
    );
    let title = map_title(&state.store, &record.map_id).await?;
    let how = if closer.is_some() {
        "was closed"
    } else {
        "closed at its due date"
    };
    let mut people: Vec<UserId> = round.reviewers.iter().map(|r| r.user_id.clone()).collect();
    people.push(record.opened_by.clone());
    people.sort();
    people.dedup();
    let items = people
        .into_iter()
        .filter(|u| Some(u) != closer)
        .map(|user| NewInboxItem {
            user,
            map: record.map_id.clone(),
            kind: InboxKind::RoundClosed,
            thread: None,
            round: Some(record.id.clone()),
            text: format!("Review round \"{}\" on \"{title}\" {how}", record.title),
        })
        .collect();
    deliver(state, items).await?;
    Ok(round)
}

/// Closes every open round past its due date (at that date) and reminds reviewers of
/// rounds due within [`DUE_SOON`]. Safe to run concurrently: each closing and each
/// reminder happens once.
pub async fn sweep(state: &AppState) -> Result<(), StoreError> {
    let now = state.clock.now_ms();
    for (map, id, due_at) in state.store.overdue_rounds(now).await? {
        if state.store.close_round(&map, &id, None, due_at).await? {
            if let Some(record) = state.store.round(&map, &id).await? {
                tracing::info!(map = %map, round = %id, "review round closed at its due date");
                round_closed(state, &record, None).await?;
            }
        }
    }
    let soon = now.saturating_add(DUE_SOON.as_millis() as i64);
    for due in state.store.due_soon(soon).await? {
        if !state
            .store
            .mark_reminded(&due.round_id, &due.user_id, now)
            .await?
        {
            continue;
        }
        let title = map_title(&state.store, &due.map_id).await?;
        let hours = ((due.due_at - now).max(0) + 3_599_999) / 3_600_000;
        let item = NewInboxItem {
            user: due.user_id,
            map: due.map_id,
            kind: InboxKind::RoundDueSoon,
            thread: None,
            round: Some(due.round_id),
            text: format!(
                "Review round \"{}\" on \"{title}\" is due in {hours} h and your review is not done",
                due.title
            ),
        };
        deliver(state, vec![item]).await?;
    }
    Ok(())
}

/// Runs [`sweep`] every [`SWEEP_INTERVAL`] until the server shuts down.
pub fn spawn_sweeper(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let shutdown = state.shutdown.clone();
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(SWEEP_INTERVAL) => {
                    if let Err(error) = sweep(&state).await {
                        tracing::warn!(%error, "review round sweep failed; retrying later");
                    }
                }
            }
        }
    })
}
