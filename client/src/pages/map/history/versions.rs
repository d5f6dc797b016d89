//! The list of versions, newest first: when, what kind, its name, who edited and what
//! changed; viewing one, comparing it with now or with the one before, restoring it.

use leptos::prelude::*;
use parcours_shared::api::Version;

use super::state::{History, PastSource};
use super::words::{
    author_name, author_names, short_date_time, version_kind_label, version_name, version_summary,
};
use crate::api;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::{edited_ago, local_date_time, now_ms};
use crate::i18n::{fill, t};

/// The versions of the map (reloaded after a version is named or a restore).
#[component]
pub fn VersionList(h: History) -> impl IntoView {
    let map = h.map.get_value();
    let list = LocalResource::new(move || {
        h.changed.track();
        api::history::versions(map.clone())
    });
    let content = move || {
        list.get().map(|result| match result {
            Err(error) => view! { <ApiErrorNotice error testid="versions-error"/> }.into_any(),
            Ok(list) if list.versions.is_empty() => view! {
                <p class="muted" data-testid="versions-empty">{t().no_versions}</p>
            }
            .into_any(),
            Ok(list) => {
                let starts = list.history_starts_at;
                let versions = list.versions;
                let rows = versions
                    .iter()
                    .enumerate()
                    .map(|(i, v)| version_row(h, v.clone(), versions.get(i + 1).cloned()))
                    .collect_view();
                view! {
                    <ol class="versions" data-testid="versions">{rows}</ol>
                    {starts.map(|at| view! {
                        <p class="muted history-starts">{fill(t().history_kept_from, &[("at", &local_date_time(at))])}</p>
                    })}
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="versions-section">
            <h3>{t().versions}</h3>
            {move || content().unwrap_or_else(|| view! { <p class="muted">{t().loading_versions}</p> }.into_any())}
        </section>
    }
}

/// One version and what can be done with it; `older` is the version before it.
fn version_row(h: History, v: Version, older: Option<Version>) -> impl IntoView {
    let id = v.id.clone();
    let viewing = {
        let id = id.clone();
        move || {
            h.past.with(|p| {
                p.as_ref()
                    .is_some_and(|p| p.source == PastSource::Version(id.clone()))
            })
        }
    };
    let title = version_name(&v).unwrap_or_else(|| version_kind_label(&v.kind).to_owned());
    let kind = version_name(&v).map(|_| version_kind_label(&v.kind));
    let by = v.created_by.as_ref().map(author_name);
    let authors = author_names(&v.authors);
    let (to_view, to_compare, to_restore) = (v.clone(), v.clone(), v.clone());
    let compare_previous = older.map(|older| {
        let v = v.clone();
        view! {
            <button type="button" class="button-quiet button-small" data-testid="version-compare-previous"
                on:click=move |_| h.compare_versions(&older, &v)>{t().compare_previous}</button>
        }
    });
    view! {
        <li class="version" class:version-viewing=viewing data-testid="version"
            data-version-id=id data-kind=v.kind.clone()>
            <div class="version-head">
                <b data-testid="version-title">{title}</b>
                " "
                <span class="muted">
                    {kind.map(|k| format!("{k} · "))}
                    <time title=local_date_time(v.at)>{short_date_time(v.at)}</time>
                    {format!(" ({})", edited_ago(v.at, now_ms()))}
                    {by.map(|by| fill(t().version_by, &[("name", &by)]))}
                </span>
            </div>
            <p class="version-summary">
                <span data-testid="version-summary">{version_summary(&v.summary)}</span>
                <span class="muted" data-testid="version-authors">{fill(t().edits_by, &[("names", &authors)])}</span>
            </p>
            <div class="version-actions">
                <button type="button" class="button-quiet button-small" data-testid="version-view"
                    on:click=move |_| h.view_version(&to_view)>{t().view}</button>
                <button type="button" class="button-quiet button-small" data-testid="version-compare"
                    on:click=move |_| h.compare_with_now(&to_compare)>{t().compare_now}</button>
                {compare_previous}
                {h.can_restore.then(|| view! {
                    <button type="button" class="button-quiet button-small button-danger" data-testid="version-restore"
                        disabled=move || h.busy.get()
                        on:click=move |_| h.restore_version(&to_restore)>{t().restore}</button>

                })}
            </div>
        </li>
    }
}
