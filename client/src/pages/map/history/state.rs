//! The map's history state: [`History`], provided as context by the map page for
//! signed-in members (never through a public link), holding what the page shows of
//! the past: the panel, the moment or version viewed read-only, a comparison, the
//! element whose history is listed, what changed since the last visit, and the notice
//! of the last restore with its undo.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{PastView, Restore, SinceLastVisit, Version, VersionDiff};
use parcours_shared::ids::Role;
use parcours_shared::review::ChangeKind;
use parcours_shared::view::MapView;
use parcours_shared::MapId;

use super::words::{short_date_time, version_title};
use crate::api::{self, ApiError};
use crate::i18n::{fill, t};

/// How long after a change the server has written it to its log, at most (its flush
/// interval is 100 ms at most; the rest is slack).
pub const WRITE_DELAY: Duration = Duration::from_millis(600);

/// What the board marks as changed: element id → how it changed.
pub type Marks = HashMap<String, ChangeKind>;

/// Where a past view comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum PastSource {
    /// A version, by id.
    Version(String),
    /// A moment (ms since the epoch).
    Moment(i64),
}

/// The map as it was, shown read-only in place of the live board.
#[derive(Clone, Debug, PartialEq)]
pub struct Past {
    /// What was asked for.
    pub source: PastSource,
    /// The version's name or kind, for a version.
    pub label: Option<String>,
    /// When the state shown was current.
    pub at: i64,
    /// The map then.
    pub view: MapView,
}

/// A comparison shown above the board, its changes marked on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// What is compared with what, in words.
    pub title: String,
    /// The server's answer.
    pub diff: VersionDiff,
    /// Compared with the live map (shown on the live board).
    pub to_live: bool,
}

/// The notice after a restore (or its undo).
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreNotice {
    /// What happened, in words.
    pub message: String,
    /// How to undo it: the version recorded just before, and the element restored alone.
    pub undo: Option<(String, Option<String>)>,
}

/// The map's history as the page shows it (context of the map page).
#[derive(Clone, Copy)]
pub struct History {
    /// The map.
    pub map: StoredValue<MapId>,
    /// Editors and owners name versions and restore.
    pub can_restore: bool,
    /// The panel is shown.
    pub open: RwSignal<bool>,
    /// The past shown read-only instead of the live board.
    pub past: RwSignal<Option<Past>>,
    /// The comparison shown, if any.
    pub compare: RwSignal<Option<Comparison>>,
    /// The element whose own history the panel lists.
    pub element: RwSignal<Option<String>>,
    /// What changed since the caller's last visit (loaded once, when the page opens).
    pub since: RwSignal<Option<SinceLastVisit>>,
    /// The changes since the last visit are marked on the board.
    pub since_shown: RwSignal<bool>,
    /// The notice of the last restore.
    pub notice: RwSignal<Option<RestoreNotice>>,
    /// The last failure, shown in the panel or above the board.
    pub error: RwSignal<Option<ApiError>>,
    /// A restore is on its way.
    pub busy: RwSignal<bool>,
    /// Bumped after the history changed here (a version named, a restore): lists reload.
    pub changed: RwSignal<u64>,
    /// What the board marks as changed: the comparison's changes, else those since the
    /// last visit while shown.
    pub marks: Memo<Marks>,
    /// Counts requests for a past view or a comparison, so only the latest answer counts.
    generation: StoredValue<u64>,
}

impl History {
    /// Creates the state, provides it as context and asks what changed since the last
    /// visit (which records this one).
    pub fn install(map: MapId, role: Role) -> History {
        let compare = RwSignal::new(None::<Comparison>);
        let since = RwSignal::new(None::<SinceLastVisit>);
        let since_shown = RwSignal::new(false);
        let past = RwSignal::new(None::<Past>);
        let marks = Memo::new(move |_| {
            if let Some(c) = compare.read().as_ref() {
                return marks_of(&c.diff.changes);
            }
            if since_shown.get() && past.with(Option::is_none) {
                if let Some(s) = since.read().as_ref() {
                    return marks_of(&s.changes);
                }
            }
            Marks::new()
        });
        let history = History {
            map: StoredValue::new(map.clone()),
            can_restore: role.can_edit(),
            open: RwSignal::new(false),
            past,
            compare,
            element: RwSignal::new(None),
            since,
            since_shown,
            notice: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            changed: RwSignal::new(0),
            marks,
            generation: StoredValue::new(0),
        };
        provide_context(history);
        spawn_local(async move {
            if let Ok(answer) = api::history::since_last_visit(map).await {
                since.try_set(Some(answer));
            }
        });
        history
    }

    /// The context provided by [`History::install`], if any.
    pub fn get() -> Option<History> {
        use_context::<History>()
    }

    /// How `id` changed in what the board marks, if it is marked (tracked).
    pub fn mark_of(self, id: &str) -> Option<ChangeKind> {
        self.marks.with(|m| m.get(id).copied())
    }

    /// Opens the panel on the history of one element (a card, stage, lane, persona).
    pub fn show_element(self, id: String) {
        self.element.set(Some(id));
        self.open.set(true);
    }

    /// A new request for a past view or comparison; answers to older ones are dropped.
    fn next_generation(self) -> u64 {
        self.generation
            .try_update_value(|g| {
                *g += 1;
                *g
            })
            .unwrap_or_default()
    }

    fn is_current(self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    /// Shows `version` read-only in place of the live board.
    pub fn view_version(self, version: &Version) {
        self.compare.set(None);
        self.load_version(version);
    }

    fn load_version(self, version: &Version) {
        let generation = self.next_generation();
        let map = self.map.get_value();
        let id = version.id.clone();
        let label = Some(version_title(version));
        spawn_local(async move {
            let result = api::history::version_view(map, id.clone()).await;
            self.show_past(generation, PastSource::Version(id), label, result);
        });
    }

    /// Shows the map as it was at `at` (a moment of the slider) read-only.
    pub fn view_moment(self, at: i64) {
        self.compare.set(None);
        let generation = self.next_generation();
        let map = self.map.get_value();
        spawn_local(async move {
            let result = api::history::moment_view(map, at).await;
            self.show_past(generation, PastSource::Moment(at), None, result);
        });
    }

    fn show_past(
        self,
        generation: u64,
        source: PastSource,
        label: Option<String>,
        result: Result<PastView, ApiError>,
    ) {
        if !self.is_current(generation) {
            return;
        }
        match result {
            Ok(PastView { at, view }) => {
                self.error.try_set(None);
                self.past.try_set(Some(Past {
                    source,
                    label,
                    at,
                    view,
                }));
            }
            Err(e) => {
                self.error.try_set(Some(e));
            }
        }
    }

    /// Back to the live board (a comparison with an earlier version stays, marked there).
    pub fn return_to_live(self) {
        self.next_generation();
        let to_live = self
            .compare
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.to_live));
        if !to_live {
            self.compare.set(None);
        }
        self.past.set(None);
    }

    /// Compares `version` with the live map, on the live board.
    pub fn compare_with_now(self, version: &Version) {
        self.next_generation();
        self.past.set(None);
        let title = fill(t().changes_to_now, &[("from", &version_title(version))]);
        self.load_diff(version.id.clone(), None, title);
    }

    /// Compares `older` with `version`, shown read-only with the changes marked.
    pub fn compare_versions(self, older: &Version, version: &Version) {
        self.load_version(version);
        let title = fill(
            t().changes_from_to,
            &[
                ("from", &version_title(older)),
                ("to", &version_title(version)),
            ],
        );
        self.load_diff(older.id.clone(), Some(version.id.clone()), title);
    }

    fn load_diff(self, from: String, to: Option<String>, title: String) {
        let generation = self.generation.get_value();
        let map = self.map.get_value();
        let to_live = to.is_none();
        spawn_local(async move {
            let result = api::history::diff(map, from, to).await;
            if !self.is_current(generation) {
                return;
            }
            match result {
                Ok(diff) => {
                    self.error.try_set(None);
                    self.compare.try_set(Some(Comparison {
                        title,
                        diff,
                        to_live,
                    }));
                }
                Err(e) => {
                    self.error.try_set(Some(e));
                }
            }
        });
    }

    /// Restores `version` as a whole (after asking), back on the live board.
    pub fn restore_version(self, version: &Version) {
        let title = version_title(version);
        let body = Restore {
            version: Some(version.id.clone()),
            at: None,
            element: None,
        };
        self.confirm_restore(body, title);
    }

    /// Restores the past being viewed as a whole (after asking).
    pub fn restore_past(self, source: &PastSource) {
        let label = self
            .past
            .with_untracked(|p| p.as_ref().map(|p| (p.label.clone(), p.at)));
        let Some((label, at)) = label else {
            return;
        };
        let title = label.unwrap_or_else(|| short_date_time(at));
        let body = match source {
            PastSource::Version(id) => Restore {
                version: Some(id.clone()),
                at: None,
                element: None,
            },
            PastSource::Moment(at) => Restore {
                version: None,
                at: Some(*at),
                element: None,
            },
        };
        self.confirm_restore(body, title);
    }

    fn confirm_restore(self, body: Restore, title: String) {
        let sure = window()
            .confirm_with_message(&fill(t().restore_map_confirm, &[("title", &title)]))
            .unwrap_or(false);
        if sure {
            self.restore(body, fill(t().restored_map, &[("title", &title)]), true);
        }
    }

    /// Restores one element as it was right after the change at `at`.
    pub fn restore_element(self, element: String, at: i64, what: String) {
        let body = Restore {
            version: None,
            at: Some(at),
            element: Some(element),
        };
        self.restore(
            body,
            fill(
                t().restored_element,
                &[("what", &what), ("at", &short_date_time(at))],
            ),
            true,
        );
    }

    /// Undoes the restore of `notice`: restores the version recorded just before it.
    pub fn undo(self, version: String, element: Option<String>) {
        let body = Restore {
            version: Some(version),
            at: None,
            element,
        };
        self.restore(body, t().restore_undone.to_owned(), false);
    }

    fn restore(self, body: Restore, message: String, undoable: bool) {
        self.busy.set(true);
        self.error.set(None);
        let map = self.map.get_value();
        let element = body.element.clone();
        spawn_local(async move {
            let result = api::history::restore(map, body).await;
            self.busy.try_set(false);
            match result {
                Ok(restored) => {
                    self.next_generation();
                    self.past.try_set(None);
                    self.compare.try_set(None);
                    self.notice.try_set(Some(RestoreNotice {
                        message,
                        undo: undoable.then_some((restored.before.id, element)),
                    }));
                    self.refresh_soon();
                }
                Err(e) => {
                    self.error.try_set(Some(e));
                }
            }
        });
    }

    /// Reloads the lists now, and once more when the server has surely written the
    /// change just made (its log is written a moment after the change applies).
    pub fn refresh_soon(self) {
        self.changed.try_update(|c| *c += 1);
        set_timeout(
            move || {
                self.changed.try_update(|c| *c += 1);
            },
            WRITE_DELAY,
        );
    }
}

/// The marks of a list of changes.
fn marks_of(changes: &[parcours_shared::review::MapChange]) -> Marks {
    changes.iter().map(|c| (c.id.clone(), c.change)).collect()
}
