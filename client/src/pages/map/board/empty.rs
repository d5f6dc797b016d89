//! What an empty map offers its editors: to start with the method (its panel opens on
//! the first step) or to fill the map in place from a sector template. It shows while
//! the map has no stage, card or persona, and goes as soon as it has one, whoever
//! added it.

use leptos::prelude::*;
use parcours_shared::templates::{self, Template};
use parcours_shared::SchemaError;

use super::ctx::BoardCtx;
use super::layout::fresh_id;
use crate::format::{template_description, template_label};
use crate::i18n::{fill, t};
use crate::pages::map::method::Method;

/// The offer, for editors of an empty map.
#[component]
pub fn EmptyMapOffer() -> impl IntoView {
    let ctx = BoardCtx::get();
    let empty = Memo::new(move |_| {
        ctx.view
            .with(|v| v.stages.is_empty() && v.cards.is_empty() && v.personas.is_empty())
    });
    move || (ctx.can_edit && empty.get()).then(|| view! { <Offer/> })
}

#[component]
fn Offer() -> impl IntoView {
    let ctx = BoardCtx::get();
    let method = Method::get();
    let chosen = RwSignal::new(Template::B2bSaas);
    let error = RwSignal::new(None::<String>);
    let options = Template::ALL
        .into_iter()
        .filter(|t| *t != Template::Blank)
        .map(|t| view! { <option value=t.as_str()>{template_label(t)}</option> })
        .collect_view();
    let fill = move |_| {
        let template = chosen.get_untracked();
        let language = crate::i18n::lang().language();
        let mut ids = fresh_id;
        let outcome = ctx
            .live
            .edit(|txn| templates::fill(template, txn, language, &mut ids));
        error.set(match outcome {
            Some(Ok(())) => None,
            Some(Err(SchemaError::NotEmpty)) => Some(t().template_not_empty.to_owned()),
            Some(Err(e)) => Some(fill(t().template_failed, &[("why", &e)])),
            None => Some(t().map_not_loaded.to_owned()),
        });
    };
    view! {
        <section class="empty-offer" data-testid="empty-map-offer" aria-labelledby="empty-offer-title">
            <h2 id="empty-offer-title">{t().empty_title}</h2>
            <p>{t().empty_text}</p>
            <div class="empty-offer-actions">
                {method.map(|m| view! {
                    <button
                        type="button"
                        class="button-primary"
                        data-testid="empty-start-method"
                        on:click=move |_| m.open.set(true)
                    >
                        {t().start_method}
                    </button>
                })}
                <span class="muted">{t().or}</span>
                <label class="field-inline">
                    <span>{t().fill_from_example}</span>
                    <select
                        data-testid="empty-template"
                        prop:value=move || chosen.get().as_str()
                        on:change=move |ev| {
                            if let Some(t) = Template::parse(&event_target_value(&ev)) {
                                chosen.set(t);
                            }
                        }
                    >
                        {options}
                    </select>
                </label>
                <button type="button" data-testid="empty-template-apply" on:click=fill>
                    {t().use_example}
                </button>
            </div>
            <p class="hint" data-testid="empty-template-hint">
                {move || template_description(chosen.get())}
            </p>
            {move || error.get().map(|e| view! {
                <p class="notice notice-error" role="alert" data-testid="empty-offer-error">{e}</p>
            })}
        </section>
    }
}
