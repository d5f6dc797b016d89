//! The history panel above the board: naming the map as it is now (editors), the
//! slider through the last day's changes, and the versions; or, when an element was
//! chosen, that element's own history.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::MAX_VERSION_NAME_CHARS;
use parcours_shared::view::MapView;

use super::element::ElementHistoryView;
use super::moments::MomentsSlider;
use super::state::History;
use super::versions::VersionList;
use crate::api::{self, ApiError};
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::{fill, t};

/// The panel, shown while the history is open.
#[component]
pub fn HistoryPanel(
    /// The live map, for names of elements, stages and lanes.
    view: Memo<MapView>,
) -> impl IntoView {
    let Some(h) = History::get() else {
        return ().into_any();
    };
    let body = move || match h.element.get() {
        Some(id) => view! { <ElementHistoryView id view/> }.into_any(),
        None => view! {
            {h.can_restore.then(|| view! { <NameVersionForm h/> })}
            <div class="history-columns">
                <MomentsSlider h/>
                <VersionList h/>
            </div>
        }
        .into_any(),
    };
    view! {
        <Show when=move || h.open.get()>
            <section class="history-panel" data-testid="history-panel">
                <header class="history-panel-head">
                    <h2>{t().history}</h2>
                    <button type="button" class="button-quiet button-small" data-testid="history-close"
                        on:click=move |_| h.open.set(false)>{t().close}</button>
                </header>
                {body}
            </section>
        </Show>
    }
    .into_any()
}

/// "Name this version": records the map as it is now under a name (editors, owners).
#[component]
fn NameVersionForm(h: History) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let submit = move || {
        let text = name.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        saved.set(None);
        let map = h.map.get_value();
        spawn_local(async move {
            let result = api::history::name_version(map, text.clone()).await;
            busy.try_set(false);
            match result {
                Ok(_) => {
                    name.try_set(String::new());
                    saved.try_set(Some(fill(t().saved_as, &[("name", &text)])));
                    h.changed.try_update(|c| *c += 1);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="version-name-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <label class="field-label" for="version-name">{t().name_this_version}</label>
            <input id="version-name" type="text" data-testid="version-name"
                maxlength=MAX_VERSION_NAME_CHARS.to_string()
                placeholder=t().version_name_placeholder
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="submit" class="button-primary button-small" data-testid="version-name-submit"
                disabled=move || busy.get() || name.with(|n| n.trim().is_empty())>{t().save_version}</button>

            {move || saved.get().map(|s| view! { <span class="muted" data-testid="version-named">{s}</span> })}
            {move || error.get().map(|error| view! { <ApiErrorNotice error testid="version-name-error"/> })}
        </form>
    }
}
