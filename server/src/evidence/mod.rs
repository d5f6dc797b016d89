//! Customer evidence as a domain: event logs imported from CSV, kept as encoded
//! chunks, their activities mapped onto the map's stages and touchpoints, and the
//! analysis computed from them (definitions in docs/EVIDENCE.md).
//!
//! - [`timefmt`]: timestamps.
//! - [`import`]: preview and the streaming CSV import.
//! - [`table`]: the in-memory event table and its stored form.
//! - [`compute`]: the analysis, pure.
//! - [`suggest`]: where an activity belongs, by name.
//! - [`run`]: an import from an HTTP body to a stored dataset, with progress.

pub mod compute;
pub mod import;
pub mod run;
pub mod suggest;
pub mod table;
pub mod timefmt;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use parcours_shared::api::{ActivityInfo, ActivityLink, BadRow, Dataset, DatasetMapping, KpiLink};
use parcours_shared::view::MapView;

use self::compute::{Journey, Mapping};
use self::table::{decode_names, decode_rows, EventTable};
use crate::store::{DatasetRecord, Store, StoreError};

/// Decoded tables kept in memory for the next analyses.
const CACHED_TABLES: usize = 4;
/// Rows a cached table may have (about 32 bytes each in memory).
pub const CACHE_ROWS: usize = 2_000_000;
/// Default conversion window, in days.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;

/// Why evidence could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored dataset is unreadable")]
    Corrupt,
}

/// The evidence service: a small cache of decoded tables; one per process.
#[derive(Default)]
pub struct Evidence {
    cache: Mutex<VecDeque<(String, Arc<EventTable>)>>,
}

impl Evidence {
    /// The table of dataset `id`, from the cache or decoded from storage.
    pub async fn table(&self, store: &Store, id: &str) -> Result<Arc<EventTable>, EvidenceError> {
        if let Some(t) = self.cached(id) {
            return Ok(t);
        }
        let names = |kind: &'static str| async move {
            let chunks = store.dataset_chunks(id, kind).await?;
            let data = chunks.first().ok_or(EvidenceError::Corrupt)?;
            decode_names(data).ok_or(EvidenceError::Corrupt)
        };
        let mut table = EventTable {
            cases: names("cases").await?,
            activities: names("activities").await?,
            channels: names("channels").await?,
            segments: names("segments").await?,
            rows: Vec::new(),
        };
        let chunks = store.dataset_chunks(id, "rows").await?;
        let table = tokio::task::spawn_blocking(move || -> Result<EventTable, EvidenceError> {
            for chunk in &chunks {
                decode_rows(chunk, &mut table.rows).ok_or(EvidenceError::Corrupt)?;
            }
            let valid = table.rows.iter().all(|r| {
                (r.case as usize) < table.cases.len()
                    && (r.activity as usize) < table.activities.len()
                    && (r.channel as usize) < table.channels.len()
                    && (r.segment as usize) < table.segments.len()
            });
            valid.then_some(table).ok_or(EvidenceError::Corrupt)
        })
        .await
        .map_err(|_| EvidenceError::Corrupt)??;
        let table = Arc::new(table);
        self.remember(id, table.clone());
        Ok(table)
    }

    fn cached(&self, id: &str) -> Option<Arc<EventTable>> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.iter().find(|(k, _)| k == id).map(|(_, t)| t.clone())
    }

    /// Keeps a table for the next analyses (small enough ones only).
    pub fn remember(&self, id: &str, table: Arc<EventTable>) {
        if table.rows.len() > CACHE_ROWS {
            return;
        }
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.retain(|(k, _)| k != id);
        cache.push_front((id.to_owned(), table));
        cache.truncate(CACHED_TABLES);
    }

    /// Forgets a deleted dataset.
    pub fn forget(&self, id: &str) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.retain(|(k, _)| k != id);
    }
}

/// The journey as the analysis reads it, from the live map.
pub fn journey_of(view: &MapView) -> Journey {
    let stage_name = |id: &str| view.stages.iter().any(|s| s.id == id);
    Journey {
        stages: view
            .stages
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        cards: view
            .cards
            .iter()
            .map(|c| (c.id.clone(), c.text.clone()))
            .collect(),
        switches: view
            .channel_switches
            .iter()
            .filter(|s| stage_name(&s.from_stage) && stage_name(&s.to_stage))
            .map(|s| {
                (
                    s.from_stage.clone(),
                    s.to_stage.clone(),
                    s.from_channel.as_str().to_owned(),
                    s.to_channel.as_str().to_owned(),
                )
            })
            .collect(),
    }
}

/// A dataset's stored mapping.
pub fn stored_mapping(r: &DatasetRecord) -> DatasetMapping {
    serde_json::from_str(&r.mapping).unwrap_or(DatasetMapping {
        activities: Vec::new(),
        window_days: None,
        kpis: Vec::new(),
    })
}

/// The mapping the analysis uses: stage positions by activity index. Links to stages
/// no longer on the map are ignored (their activities count as unmapped).
pub fn mapping_for(
    table: &EventTable,
    stored: &DatasetMapping,
    journey: &Journey,
    window_days: u32,
) -> Mapping {
    let links: HashMap<&str, &ActivityLink> = stored
        .activities
        .iter()
        .map(|l| (l.activity.as_str(), l))
        .collect();
    let stage_pos: HashMap<&str, usize> = journey
        .stages
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let mut stage = Vec::with_capacity(table.activities.len());
    let mut card = Vec::with_capacity(table.activities.len());
    for name in &table.activities {
        let link = links.get(name.as_str());
        stage.push(
            link.and_then(|l| l.stage.as_deref())
                .and_then(|s| stage_pos.get(s).copied()),
        );
        card.push(
            link.and_then(|l| l.card.clone())
                .filter(|c| journey.cards.contains_key(c)),
        );
    }
    Mapping {
        stage,
        card,
        window_ms: i64::from(window_days) * 86_400_000,
        kpis: stored.kpis.clone(),
    }
}

/// A stored dataset in its REST shape, with suggestions for unmapped activities from
/// the map as it reads now.
pub fn to_api(r: &DatasetRecord, view: &MapView) -> Dataset {
    let mapping = stored_mapping(r);
    let links: HashMap<&str, &ActivityLink> = mapping
        .activities
        .iter()
        .map(|l| (l.activity.as_str(), l))
        .collect();
    let counts: Vec<(String, u64)> = serde_json::from_str(&r.activities).unwrap_or_default();
    let stage_names: Vec<&str> = view.stages.iter().map(|s| s.name.as_str()).collect();
    let touchpoints: Vec<(&str, usize, &str)> = view
        .cards
        .iter()
        .filter_map(|c| {
            let stage = view.stages.iter().position(|s| s.id == c.stage)?;
            Some((c.text.as_str(), stage, c.id.as_str()))
        })
        .collect();
    let card_texts: Vec<(&str, usize)> = touchpoints.iter().map(|(t, s, _)| (*t, *s)).collect();
    let activities = counts
        .into_iter()
        .map(|(name, events)| {
            let link = links.get(name.as_str());
            let (suggested_stage, suggested_card) = match link {
                Some(_) => (None, None),
                None => {
                    let (s, c) = suggest::suggest(&name, &stage_names, &card_texts);
                    (
                        s.map(|s| view.stages[s].id.clone()),
                        c.map(|c| touchpoints[c].2.to_owned()),
                    )
                }
            };
            ActivityInfo {
                stage: link.and_then(|l| l.stage.clone()),
                card: link.and_then(|l| l.card.clone()),
                name,
                events,
                suggested_stage,
                suggested_card,
            }
        })
        .collect();
    Dataset {
        id: r.id.clone(),
        name: r.name.clone(),
        created_at: r.created_at,
        created_by: r.created_by.clone(),
        status: r.status.clone(),
        rows: r.row_count.max(0) as u64,
        bad_rows: r.bad_rows.max(0) as u64,
        bad_samples: serde_json::from_str::<Vec<BadRow>>(&r.bad_samples).unwrap_or_default(),
        cases: r.case_count.max(0) as u64,
        first_at: r.first_at,
        last_at: r.last_at,
        activities,
        segments: serde_json::from_str(&r.segments).unwrap_or_default(),
        channels: serde_json::from_str(&r.channels).unwrap_or_default(),
        window_days: u32::try_from(r.window_days).unwrap_or(DEFAULT_WINDOW_DAYS),
        kpis: mapping.kpis,
    }
}

/// KPI links whose card is still on the map and whose metric names a stage on it.
pub fn valid_kpis(kpis: &[KpiLink], view: &MapView) -> bool {
    let stages: Vec<String> = view.stages.iter().map(|s| s.id.clone()).collect();
    kpis.iter().all(|k| {
        view.cards.iter().any(|c| c.id == k.card && c.kpi.is_some())
            && compute::valid_metric(&k.metric, &stages)
    })
}
