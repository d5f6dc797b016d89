//! The method's progress per map (`parcours_shared::method`), as the maps list reads it
//! from the `maps` row: the steps a document passes, computed from a state when a map
//! is made and by its room when an edit is written (`sync/persist.rs`), and once for
//! maps made before the progress was stored ([`spawn_backfill`]).

use std::panic::{catch_unwind, AssertUnwindSafe};

use parcours_shared::method::{document_steps, StepSet};
use tokio_util::sync::CancellationToken;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

use crate::store::Store;

/// The steps the document in `state` (a Yrs update v1) passes; `None` when it does not
/// read (the map is then assessed by its room at its first written edit).
pub fn steps_of_state(state: &[u8]) -> Option<StepSet> {
    catch_unwind(AssertUnwindSafe(|| {
        let doc = Doc::new();
        let update = Update::decode_v1(state).ok()?;
        doc.transact_mut().apply_update(update).ok()?;
        Some(document_steps(&parcours_shared::read_view(&doc)))
    }))
    .ok()
    .flatten()
}

/// Assesses, one at a time in the background, every map whose progress was never
/// stored (made before it was), loading each document once. A map that fails to load
/// stays unassessed (shown as no step done) until its room writes an edit.
pub fn spawn_backfill(store: Store, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let maps = match store.maps_without_method_steps().await {
            Ok(maps) => maps,
            Err(e) => {
                tracing::warn!(error = %e, "could not list maps to assess");
                return;
            }
        };
        let mut filled = 0usize;
        for map in maps {
            if shutdown.is_cancelled() {
                return;
            }
            let steps = match crate::sync::load(&store, &map).await {
                Ok(loaded) => document_steps(&parcours_shared::read_view(&loaded.doc)),
                Err(e) => {
                    tracing::warn!(%map, error = %e, "could not load a map to assess");
                    continue;
                }
            };
            match store.fill_method_steps(&map, steps).await {
                Ok(true) => filled += 1,
                Ok(false) => {}
                Err(e) => tracing::warn!(%map, error = %e, "could not store a map's progress"),
            }
        }
        if filled > 0 {
            tracing::info!(maps = filled, "method progress assessed");
        }
    })
}
