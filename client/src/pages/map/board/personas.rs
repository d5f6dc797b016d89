//! The persona panel: who the journey is about.

use leptos::prelude::*;
use parcours_shared::{At, PersonaField, TextTarget};

use super::actions::HeadActions;
use super::ctx::BoardCtx;
use super::layout::{fresh_id, name_when_shown, rows_for};
use crate::i18n::t;
use crate::live::presence::color_for;

/// Every persona with its segment, goals, pains and preferences; editors add and edit.
#[component]
pub fn PersonaPanel() -> impl IntoView {
    let ctx = BoardCtx::get();
    let ids = Memo::new(move |_| {
        ctx.view
            .with(|v| v.personas.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
    });
    let add = move |_| {
        let id = fresh_id();
        ctx.live
            .edit(|txn| txn.add_persona(&id, t().new_persona, At::End));
        // The keyboard goes on to name it.
        name_when_shown(format!(
            "[data-testid=persona][data-persona-id=\"{id}\"] [data-testid=persona-name]"
        ));
    };
    view! {
        <section class="persona-panel" data-testid="persona-panel">
            <h2>{t().personas}</h2>
            <div class="personas">
                <For each=move || ids.get() key=|id| id.clone() let:id>
                    <Persona id/>
                </For>
                {ctx.can_edit.then(|| view! {
                    <button
                        type="button"
                        class="button-quiet persona-add"
                        data-testid="persona-add"
                        on:click=add
                    >
                        {t().add_persona}
                    </button>
                })}
            </div>
        </section>
    }
}

/// One persona's card.
#[component]
fn Persona(id: String) -> impl IntoView {
    let ctx = BoardCtx::get();
    let key = id.clone();
    let persona = Memo::new(move |_| {
        ctx.view
            .with(|v| v.personas.iter().find(|p| p.id == key).cloned())
    });
    let color = color_for(&id);
    let fields = [
        (PersonaField::Segment, t().persona_segment),
        (PersonaField::Goals, t().persona_goals),
        (PersonaField::Pains, t().persona_pains),
        (PersonaField::Preferences, t().persona_preferences),
    ];
    let value_of = move |field: PersonaField| {
        persona.with(|p| {
            p.as_ref()
                .map(|p| match field {
                    PersonaField::Name => p.name.clone(),
                    PersonaField::Segment => p.segment.clone(),
                    PersonaField::Goals => p.goals.clone(),
                    PersonaField::Pains => p.pains.clone(),
                    PersonaField::Preferences => p.preferences.clone(),
                })
                .unwrap_or_default()
        })
    };
    let write = {
        let id = id.clone();
        move |field: PersonaField, value: String| {
            ctx.live
                .edit(|txn| txn.set_text(TextTarget::Persona(&id, field), &value));
        }
    };
    let place = {
        let key = id.clone();
        Memo::new(move |_| {
            ctx.view.with(|v| {
                let index = v.personas.iter().position(|p| p.id == key).unwrap_or(0);
                (index, v.personas.len())
            })
        })
    };
    let (move_id, remove_id) = (StoredValue::new(id.clone()), StoredValue::new(id.clone()));
    let field_views = fields
        .into_iter()
        .map(|(field, label)| {
            let write = write.clone();
            let body = if ctx.can_edit {
                view! {
                    <textarea
                        data-testid=format!("persona-{}", field.as_str())
                        rows=move || rows_for(&value_of(field), 30).min(5)
                        prop:value=move || value_of(field)
                        on:change=move |ev| write(field, event_target_value(&ev))
                    ></textarea>
                }
                .into_any()
            } else {
                view! {
                    <p data-testid=format!("persona-{}", field.as_str())>
                        {move || value_of(field)}
                    </p>
                }
                .into_any()
            };
            view! {
                <label class="persona-field">
                    <span class="field-label">{label}</span>
                    {body}
                </label>
            }
        })
        .collect_view();
    let name = if ctx.can_edit {
        let write = write.clone();
        view! {
            <input
                type="text"
                class="persona-name"
                data-testid="persona-name"
                aria-label=t().persona_name
                prop:value=move || value_of(PersonaField::Name)
                on:change=move |ev| write(PersonaField::Name, event_target_value(&ev))
            />
            <HeadActions
                place=Signal::derive(move || place.get())
                back=("persona-move-left", t().move_earlier, "◀")
                forward=("persona-move-right", t().move_later, "▶")
                remove=("persona-remove", t().remove_persona)

                on_move=Callback::new(move |index| {
                    move_id.with_value(|id| ctx.live.edit(|txn| txn.move_persona(id, index)));
                })
                on_remove=Callback::new(move |()| {
                    remove_id.with_value(|id| ctx.live.edit(|txn| txn.remove_persona(id)));
                })
            />
        }
        .into_any()
    } else {
        view! {
            <span class="persona-name" data-testid="persona-name">
                {move || value_of(PersonaField::Name)}
            </span>
        }
        .into_any()
    };
    let mark_id = id.clone();
    view! {
        <article class="persona" data-testid="persona" data-change=move || ctx.mark(&mark_id) data-persona-id=id.clone()>
            <header class="persona-head">
                <span class="persona-dot" style=format!("background: {color}")></span>
                {name}
            </header>
            {field_views}
        </article>
    }
}
