//! One import, from an upload stream to a stored dataset: the CSV is parsed on a
//! blocking thread as the body arrives, chunks are stored as they are encoded,
//! progress goes to the map's event stream, and a failed import leaves nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use parcours_shared::api::{ActivityLink, DatasetMapping, MapEvent};
use parcours_shared::ids::MapId;
use tokio::sync::mpsc;

use super::import::{self, ImportError, Imported, Spec};
use super::table::encode_names;
use super::{Evidence, DEFAULT_WINDOW_DAYS};
use crate::events::Events;
use crate::store::{DatasetRecord, Store};

/// Progress events at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// What an import needs.
pub struct ImportJob<'a> {
    pub store: &'a Store,
    pub events: &'a Events,
    pub evidence: &'a Evidence,
    pub map: &'a MapId,
    pub id: &'a str,
    pub spec: Spec,
    /// Bytes the upload may have.
    pub max_bytes: u64,
    /// Stage ids and card ids of the map now, with names, for first suggestions.
    pub view: &'a parcours_shared::view::MapView,
}

/// Messages from the parsing thread.
enum Parsed {
    Chunk(Vec<u8>),
    Progress { rows: u64, bad: u64, bytes: u64 },
}

/// Runs the import of `body` into dataset `job.id` (already created as `importing`).
/// On any error the dataset and its chunks are deleted.
pub async fn run<S, E>(job: ImportJob<'_>, body: S) -> Result<DatasetRecord, ImportError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let outcome = import_body(&job, body).await;
    match outcome {
        Ok(record) => Ok(record),
        Err(e) => {
            if let Err(store) = job.store.delete_dataset(job.id).await {
                tracing::error!(dataset = job.id, error = %store, "could not delete a failed import");
            }
            Err(e)
        }
    }
}

async fn import_body<S, E>(job: &ImportJob<'_>, body: S) -> Result<DatasetRecord, ImportError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let max = job.max_bytes;
    let mut seen = 0u64;
    let limited = body.map(move |chunk| match chunk {
        Ok(b) => {
            seen += b.len() as u64;
            if seen > max {
                Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    format!("the upload is larger than {max} bytes"),
                ))
            } else {
                Ok(b)
            }
        }
        Err(e) => Err(std::io::Error::other(e.to_string())),
    });
    let reader =
        tokio_util::io::SyncIoBridge::new(tokio_util::io::StreamReader::new(Box::pin(limited)));
    let (tx, mut rx) = mpsc::channel::<Parsed>(4);
    let spec = job.spec.clone();
    let parser = tokio::task::spawn_blocking(move || {
        let progress_tx = tx.clone();
        import::import(
            std::io::BufReader::with_capacity(1 << 16, reader),
            &spec,
            |chunk| {
                tx.blocking_send(Parsed::Chunk(chunk))
                    .map_err(|_| ImportError::Store("the import was stopped".into()))
            },
            |rows, bad, bytes| {
                let _ = progress_tx.try_send(Parsed::Progress { rows, bad, bytes });
            },
        )
    });
    let mut seq = 0i64;
    let mut last_progress: Option<Instant> = None;
    let mut store_error = None;
    while let Some(msg) = rx.recv().await {
        match msg {
            Parsed::Chunk(data) => {
                if store_error.is_none() {
                    if let Err(e) = job
                        .store
                        .add_dataset_chunk(job.id, "rows", seq, &data)
                        .await
                    {
                        store_error = Some(e.to_string());
                        rx.close(); // the parser stops at its next chunk
                    }
                }
                seq += 1;
            }
            Parsed::Progress { rows, bad, bytes } => {
                if last_progress.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY) {
                    last_progress = Some(Instant::now());
                    job.events.publish_map(
                        job.map,
                        &MapEvent::DatasetProgress {
                            dataset: job.id.to_owned(),
                            rows,
                            bad_rows: bad,
                            bytes,
                        },
                    );
                }
            }
        }
    }
    let imported = parser
        .await
        .map_err(|e| ImportError::Store(format!("the import thread failed: {e}")))?;
    if let Some(e) = store_error {
        return Err(ImportError::Store(e));
    }
    let imported = imported?;
    finish(job, imported).await
}

/// Stores the dictionaries and the summary; first suggestions become the mapping of
/// activities nobody mapped yet (editable).
async fn finish(job: &ImportJob<'_>, imported: Imported) -> Result<DatasetRecord, ImportError> {
    let store_err = |e: crate::store::StoreError| ImportError::Store(e.to_string());
    let t = &imported.table;
    for (kind, names) in [
        ("cases", &t.cases),
        ("activities", &t.activities),
        ("channels", &t.channels),
        ("segments", &t.segments),
    ] {
        job.store
            .add_dataset_chunk(job.id, kind, 0, &encode_names(names))
            .await
            .map_err(store_err)?;
    }
    let counts: Vec<(String, u64)> = t
        .activities
        .iter()
        .cloned()
        .zip(imported.activity_events.iter().copied())
        .collect();
    // Suggestions are applied as the first mapping: most logs name their steps like the
    // map does, and every link stays editable.
    let stage_names: Vec<&str> = job.view.stages.iter().map(|s| s.name.as_str()).collect();
    let touchpoints: Vec<(&str, usize, &str)> = job
        .view
        .cards
        .iter()
        .filter_map(|c| {
            let stage = job.view.stages.iter().position(|s| s.id == c.stage)?;
            Some((c.text.as_str(), stage, c.id.as_str()))
        })
        .collect();
    let texts: Vec<(&str, usize)> = touchpoints.iter().map(|(t, s, _)| (*t, *s)).collect();
    let activities = t
        .activities
        .iter()
        .filter_map(|name| {
            let (stage, card) = super::suggest::suggest(name, &stage_names, &texts);
            let stage = stage?;
            Some(ActivityLink {
                activity: name.clone(),
                stage: Some(job.view.stages[stage].id.clone()),
                card: card
                    .filter(|c| touchpoints[*c].1 == stage)
                    .map(|c| touchpoints[c].2.to_owned()),
            })
        })
        .collect();
    let mapping = DatasetMapping {
        activities,
        window_days: Some(DEFAULT_WINDOW_DAYS),
        kpis: Vec::new(),
    };
    let record = DatasetRecord {
        id: job.id.to_owned(),
        map_id: job.map.clone(),
        name: String::new(),
        created_at: 0,
        created_by: None,
        status: "ready".into(),
        row_count: imported.rows as i64,
        bad_rows: imported.bad_rows as i64,
        bad_samples: json(&imported.bad_samples),
        case_count: t.cases.len() as i64,
        first_at: imported.first_at,
        last_at: imported.last_at,
        activities: json(&counts),
        segments: json(&t.segments[1..].to_vec()),
        channels: json(&t.channels[1..].to_vec()),
        mapping: json(&mapping),
        window_days: i64::from(DEFAULT_WINDOW_DAYS),
    };
    if !job.store.finish_dataset(&record).await.map_err(store_err)? {
        return Err(ImportError::Store(
            "the map was deleted during the import".into(),
        ));
    }
    if imported.kept_rows {
        job.evidence.remember(job.id, Arc::new(imported.table));
    }
    job.store
        .dataset(job.map, job.id)
        .await
        .map_err(store_err)?
        .ok_or_else(|| ImportError::Store("the dataset vanished".into()))
}

/// A JSON column's text.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}
