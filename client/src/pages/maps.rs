//! The home page: every map, the form to create one, and the import of one.

use leptos::prelude::*;
use parcours_shared::api::CreateMap;

use super::import_map::ImportMap;
use crate::api;
use crate::components::create_map_form::CreateMapForm;
use crate::components::error_notice::ErrorList;
use crate::components::map_table::MapTable;
use crate::i18n::t;
use crate::router::Router;

/// Lists the maps and creates new ones; a map created here opens at once (its board is
/// where the work starts), and the list reloads after each create.
#[component]
pub fn MapsPage() -> impl IntoView {
    let router = Router::get();
    let create = Action::new_local(|request: &CreateMap| api::maps::create_map(request.clone()));
    // Counts finished creates, successful or not; reading it makes the list reload.
    let creates_done = create.version();
    let maps = LocalResource::new(move || {
        creates_done.track();
        api::maps::list_maps()
    });

    // Filters the list by title, as the user types.
    let query = RwSignal::new(String::new());
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let last_created = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .map(|summary| summary.id)
    });
    Effect::watch(
        move || last_created.get(),
        move |created, _, _| {
            if let Some(id) = created {
                router.navigate(&format!("/maps/{id}"));
            }
        },
        false,
    );

    view! {
            <section class="page">
                <header class="page-head">
                    <h1>{t().journey_maps}</h1>
                    <p class="muted">{t().journey_maps_hint}</p>
                </header>
                <CreateMapForm
                    on_create=Callback::new(move |request| {
                        create.dispatch(request);
                    })
                    pending=create.pending()
                    error=create_error
                    last_created
                />
                <ImportMap/>
                <label class="field search">
                    <span class="field-label">{t().search}</span>
                    <input
                        type="search"
                        data-testid="maps-search"
                        placeholder=t().search_placeholder
                        bind:value=query
                    />
                </label>
                <Transition fallback=|| view! { <p class="muted" data-testid="maps-loading">{t().loading_maps}
    </p> }>
                    <ErrorBoundary fallback=|errors| {
                        view! { <ErrorList errors context=t().maps_load_failed/> }

                    }>
                        {move || Suspend::new(async move {
                            let needle = query.get().trim().to_lowercase();
                            maps.await.map(|list| {
                                let shown: Vec<_> = list
                                    .maps
                                    .into_iter()
                                    .filter(|m| needle.is_empty() || m.title.to_lowercase().contains(&needle))
                                    .collect();
                                view! { <MapTable maps=shown/> }
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
            </section>
        }
}
