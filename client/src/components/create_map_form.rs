//! The form that creates a map: a title, a template and an itinerary kind.

use leptos::prelude::*;
use parcours_shared::api::{CreateMap, MAX_TITLE_CHARS};
use parcours_shared::{ItineraryKind, MapId, Template};

use crate::api::ApiError;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::{itinerary_label, template_description, template_label, template_title};

use crate::i18n::t;

/// A title field, an itinerary kind select and a submit button.
///
/// The form checks the title itself (so an empty one never reaches the server), hands a
/// valid [`CreateMap`] to `on_create`, and clears the title once a map has been created.
#[component]
pub fn CreateMapForm(
    /// Called with a valid request when the user submits.
    on_create: Callback<CreateMap>,
    /// True while a create is in flight: the button is disabled.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last create's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    /// The id of the map the last create made, if it succeeded.
    #[prop(into)]
    last_created: Signal<Option<MapId>>,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let itinerary = RwSignal::new(ItineraryKind::default());
    let template = RwSignal::new(Template::Blank);
    // A template brings its own itinerary kind.
    let kind = move || match template.get() {
        Template::Blank => itinerary.get(),
        t => t.itinerary(),
    };
    let invalid = RwSignal::new(None::<&'static str>);

    Effect::watch(
        move || last_created.get(),
        move |created, _, _| {
            if created.is_some() {
                title.set(String::new());
                invalid.set(None);
            }
        },
        false,
    );

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = template.get_untracked();
        let mut trimmed = title.get_untracked().trim().to_owned();
        if trimmed.is_empty() && chosen != Template::Blank {
            trimmed = template_title(chosen).to_owned();
        }
        let problem = if trimmed.is_empty() {
            Some(t().map_needs_title)
        } else if trimmed.chars().count() > MAX_TITLE_CHARS {
            Some(t().map_title_too_long)
        } else {
            None
        };
        invalid.set(problem);
        if problem.is_none() {
            on_create.run(CreateMap {
                title: trimmed,
                itinerary: itinerary.get_untracked(),
                template: chosen,
                language: crate::i18n::lang().language(),
            });
        }
    };

    let template_options = Template::ALL
        .into_iter()
        .map(|t| view! { <option value=t.as_str()>{template_label(t)}</option> })
        .collect::<Vec<_>>();
    let options = ItineraryKind::ALL
        .into_iter()
        .map(|kind| view! { <option value=kind.as_str()>{itinerary_label(kind)}</option> })
        .collect::<Vec<_>>();

    view! {
        <form class="card create-map" data-testid="create-map-form" on:submit=on_submit novalidate>
            <h2>{t().new_map}</h2>
            <div class="form-row">
                <label class="field field-grow">
                    <span class="field-label">{t().title}</span>
                    <input
                        type="text"
                        name="title"
                        data-testid="create-map-title"
                        placeholder=t().map_title_placeholder
                        maxlength=MAX_TITLE_CHARS
                        autocomplete="off"
                        bind:value=title
                    />
                </label>
                <label class="field">
                    <span class="field-label">{t().start_from}</span>
                    <select
                        name="template"
                        data-testid="create-map-template"
                        prop:value=move || template.get().as_str()
                        on:change=move |ev| {
                            if let Some(t) = Template::parse(&event_target_value(&ev)) {
                                template.set(t);
                            }
                        }
                    >
                        {template_options}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">{t().itinerary}</span>
                    <select
                        name="itinerary"
                        data-testid="create-map-itinerary"
                        disabled=move || template.get() != Template::Blank
                        prop:value=move || kind().as_str()
                        on:change=move |ev| {
                            if let Some(kind) = ItineraryKind::parse(&event_target_value(&ev)) {
                                itinerary.set(kind);
                            }
                        }
                    >
                        {options}
                    </select>
                </label>
                <button
                    type="submit"
                    class="button-primary"
                    data-testid="create-map-submit"
                    disabled=move || pending.get()
                >
                    {move || if pending.get() { t().creating } else { t().create_map }}
                </button>
            </div>
            <p class="hint" data-testid="create-map-hint">
                {move || match template.get() {
                    Template::Blank => kind_hint(kind()).to_owned(),
                    chosen => format!("{} {}", template_description(chosen), kind_hint(kind())),
                }}
            </p>
            {move || {
                invalid
                    .get()
                    .map(|problem| {
                        view! {
                            <p class="notice notice-error" role="alert" data-testid="create-map-invalid">
                                {problem}
                            </p>
                        }
                    })
            }}
            {move || {
                error.get().map(|error| view! { <ApiErrorNotice error testid="create-map-error"/> })
            }}
        </form>
    }
}

/// One sentence on what each itinerary kind means, under the select.
fn kind_hint(kind: ItineraryKind) -> &'static str {
    match kind {
        ItineraryKind::Linear => t().linear_hint,
        ItineraryKind::Omnichannel => t().omnichannel_hint,
        ItineraryKind::Personalized => t().personalized_hint,
    }
}
