//! The map's evidence state: [`Evidence`], provided as context by the map page for
//! signed-in members (never through a public link): the imported event logs, the one
//! whose results are shown, the filters, the analysis, imports running now; kept fresh
//! by the map's event stream, so every open page shows the same results when an editor
//! changes a mapping.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{
    ActivityLink, Analysis, AnalysisFilter, Dataset, DatasetMapping, MapEvent,
};
use parcours_shared::ids::Role;
use parcours_shared::MapId;

use crate::api::{self, ApiError};
use crate::i18n::t;
use crate::pages::map::stream::MapStream;

/// Which part of the panel is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// Friction, funnel, flows and channel switches.
    Results,
    /// Activities → stages and touchpoints; KPI cards; the conversion window.
    Mapping,
    /// The event logs, importing one, bad rows.
    Data,
}

impl Tab {
    /// Every tab, in the order of the panel.
    pub const ALL: [Tab; 3] = [Tab::Results, Tab::Mapping, Tab::Data];

    /// The tab's `data-tab` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Results => "results",
            Tab::Mapping => "mapping",
            Tab::Data => "data",
        }
    }

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Results => t().tab_results,
            Tab::Mapping => t().tab_mapping,
            Tab::Data => t().tab_data,
        }
    }
}

/// How far an import has come (from `dataset_progress` events).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Rows read so far.
    pub rows: u64,
    /// Bad rows among them.
    pub bad_rows: u64,
    /// Bytes of the file read so far.
    pub bytes: u64,
}

/// The map's evidence as the page shows it (context of the map page).
#[derive(Clone, Copy)]
pub struct Evidence {
    /// The map.
    pub map: StoredValue<MapId>,
    /// Editors and owners import, map and delete; everyone else reads.
    pub can_edit: bool,
    /// Evidence is on: the panel and the board's metrics row are shown.
    pub open: RwSignal<bool>,
    /// The panel's tab.
    pub tab: RwSignal<Tab>,
    /// The map's event logs, newest first.
    pub datasets: RwSignal<Vec<Dataset>>,
    /// The list has been loaded once.
    pub loaded: RwSignal<bool>,
    /// The log chosen by the user; `None`: the newest ready one.
    pub chosen: RwSignal<Option<String>>,
    /// The log whose results are shown (tracked).
    pub current: Memo<Option<Dataset>>,
    /// Which cases the results count.
    pub filter: RwSignal<AnalysisFilter>,
    /// The results for `current` and `filter`, once loaded.
    pub analysis: RwSignal<Option<Analysis>>,
    /// Imports running on the map now, by dataset id.
    pub progress: RwSignal<HashMap<String, Progress>>,
    /// Bumped when the mapping of a log changed (here or on another page): the
    /// analysis and the mapping table reload.
    pub revision: RwSignal<u64>,
    /// The last failure to load, shown in the panel.
    pub error: RwSignal<Option<ApiError>>,
    /// Counts analysis requests, so only the latest answer is kept.
    generation: StoredValue<u64>,
}

impl Evidence {
    /// Creates the state, provides it as context, loads the logs and follows the map's
    /// event stream. The analysis loads while Evidence is on.
    pub fn install(map: MapId, role: Role) -> Evidence {
        let datasets = RwSignal::new(Vec::<Dataset>::new());
        let chosen = RwSignal::new(None::<String>);
        let current = Memo::new(move |_| {
            datasets.with(|ds| {
                let chosen = chosen.read();
                chosen
                    .as_deref()
                    .and_then(|id| ds.iter().find(|d| d.id == id))
                    .or_else(|| ds.iter().find(|d| d.status == "ready"))
                    .cloned()
            })
        });
        let evidence = Evidence {
            map: StoredValue::new(map),
            can_edit: role.can_edit(),
            open: RwSignal::new(false),
            tab: RwSignal::new(Tab::Results),
            datasets,
            loaded: RwSignal::new(false),
            chosen,
            current,
            filter: RwSignal::new(AnalysisFilter::default()),
            analysis: RwSignal::new(None),
            progress: RwSignal::new(HashMap::new()),
            revision: RwSignal::new(0),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
        };
        provide_context(evidence);
        evidence.reload();
        if let Some(stream) = MapStream::get() {
            stream.listen(
                move || {
                    evidence.reload();
                    evidence.revision.try_update(|r| *r += 1);
                },
                move |event| evidence.on_event(event),
            );
        }
        // The results follow the log shown, the filter and every mapping change, while
        // Evidence is on.
        let shown = Memo::new(move |_| current.with(|d| d.as_ref().map(|d| d.id.clone())));
        Effect::new(move |_| {
            let open = evidence.open.get();
            let dataset = shown.get();
            let filter = evidence.filter.get();
            evidence.revision.track();
            match (open, dataset) {
                (true, Some(dataset)) => evidence.load_analysis(dataset, filter),
                (_, None) => {
                    evidence.analysis.set(None);
                }
                (false, Some(_)) => {}
            }
        });
        evidence
    }

    /// The context provided by [`Evidence::install`], if any.
    pub fn get() -> Option<Evidence> {
        use_context::<Evidence>()
    }

    fn on_event(self, event: &MapEvent) {
        match event {
            MapEvent::DatasetProgress {
                dataset,
                rows,
                bad_rows,
                bytes,
            } => {
                let progress = Progress {
                    rows: *rows,
                    bad_rows: *bad_rows,
                    bytes: *bytes,
                };
                self.progress.try_update(|p| {
                    p.insert(dataset.clone(), progress);
                });
            }
            MapEvent::DatasetReady { dataset } => {
                self.progress.try_update(|p| {
                    p.remove(&dataset.id);
                });
                self.put(dataset.clone());
            }
            MapEvent::DatasetDeleted { dataset } => {
                self.progress.try_update(|p| {
                    p.remove(dataset);
                });
                self.datasets
                    .try_update(|ds| ds.retain(|d| &d.id != dataset));
                if self.chosen.with_untracked(|c| c.as_ref() == Some(dataset)) {
                    self.chosen.try_set(None);
                }
            }
            MapEvent::EvidenceChanged { dataset } => {
                self.reload_dataset(dataset.clone());
            }
            _ => {}
        }
    }

    /// Loads the list of logs again.
    pub fn reload(self) {
        let map = self.map.get_value();
        spawn_local(async move {
            match api::evidence::datasets(map).await {
                Ok(list) => {
                    self.datasets.try_set(list.datasets);
                    self.loaded.try_set(true);
                }
                Err(e) => {
                    self.error.try_set(Some(e));
                }
            }
        });
    }

    /// Loads one log again (its mapping changed), then the results.
    fn reload_dataset(self, id: String) {
        let map = self.map.get_value();
        spawn_local(async move {
            if let Ok(dataset) = api::evidence::dataset(map, id).await {
                self.put(dataset);
            }
            self.revision.try_update(|r| *r += 1);
        });
    }

    /// Puts `dataset` as the server just answered it: in place of its older copy, or
    /// first (the list is newest first).
    pub fn put(self, dataset: Dataset) {
        self.datasets
            .try_update(|ds| match ds.iter_mut().find(|d| d.id == dataset.id) {
                Some(old) => *old = dataset,
                None => ds.insert(0, dataset),
            });
    }

    fn load_analysis(self, dataset: String, filter: AnalysisFilter) {
        let generation = self.generation.try_update_value(|g| {
            *g += 1;
            *g
        });
        let Some(generation) = generation else { return };
        let map = self.map.get_value();
        spawn_local(async move {
            let result = api::evidence::analysis(map, dataset, &filter).await;
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            match result {
                Ok(analysis) => {
                    self.error.try_set(None);
                    self.analysis.try_set(Some(analysis));
                }
                Err(e) => {
                    self.error.try_set(Some(e));
                }
            }
        });
    }

    /// Saves `mapping` for `dataset` (editors); on success the log is updated here and
    /// every page (this one included) reloads its results from the map's event stream.
    pub async fn save_mapping(
        self,
        dataset: String,
        mapping: DatasetMapping,
    ) -> Result<(), ApiError> {
        let map = self.map.get_value();
        let saved = api::evidence::set_mapping(map, dataset, &mapping).await?;
        self.put(saved);
        self.revision.try_update(|r| *r += 1);
        Ok(())
    }
}

/// The mapping `dataset` has now, as the server stores it: the activities linked to a
/// stage or card (unlinked ones stay unmapped), the window and the KPI links.
pub fn stored_mapping(dataset: &Dataset) -> DatasetMapping {
    DatasetMapping {
        activities: dataset
            .activities
            .iter()
            .filter(|a| a.stage.is_some() || a.card.is_some())
            .map(|a| ActivityLink {
                activity: a.name.clone(),
                stage: a.stage.clone(),
                card: a.card.clone(),
            })
            .collect(),
        window_days: Some(dataset.window_days),
        kpis: dataset.kpis.clone(),
    }
}
