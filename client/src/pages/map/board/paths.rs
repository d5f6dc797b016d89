//! The personalized side of the board: the paths panel (each path's name, the persona
//! or segment it serves and the condition that selects it; create, rename, reorder,
//! delete), picking a path to highlight its cards and dim the rest, the branch view
//! (where paths diverge and rejoin, with each path's emotion score per stage), and
//! the per-card choice of paths.

use leptos::prelude::*;
use parcours_shared::journey::branches;
use parcours_shared::schema::{EmotionSeries, ItineraryKind};
use parcours_shared::{At, TextTarget};

use super::actions::HeadActions;
use super::ctx::BoardCtx;
use super::layout::{details_open, fresh_id};
use crate::i18n::{fill, t};
use crate::live::presence::color_for;

/// The paths panel with its branch view; shown on personalized maps, on maps that
/// have paths, and to editors (to add a first path).
#[component]
pub fn PathPanel() -> impl IntoView {
    let ctx = BoardCtx::get();
    let ids = Memo::new(move |_| {
        ctx.view
            .with(|v| v.paths.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
    });
    let shown = Memo::new(move |_| {
        ctx.view
            .with(|v| !v.paths.is_empty() || v.meta.itinerary == ItineraryKind::Personalized)
    });
    // A picked path that someone removed is unpicked.
    Effect::new(move |_| {
        let picked = ctx.path.get();
        if let Some(p) = picked {
            if !ids.with(|ids| ids.contains(&p)) {
                ctx.path.set(None);
            }
        }
    });
    let add = move |_| {
        let id = fresh_id();
        ctx.live
            .edit(|txn| txn.add_path(&id, t().new_path, None, "", At::End));
    };
    move || {
        (shown.get() || ctx.can_edit).then(|| {
            view! {
                <section class="path-panel" class:path-panel-empty=move || !shown.get() data-testid="path-panel">
                    <header class="path-panel-head">
                        <h2>{t().paths}</h2>
                        {move || shown.get().then(|| view! {
                            <p class="muted">{t().paths_hint}</p>
                        })}
                        {ctx.can_edit.then(|| view! {
                            <button type="button" class="button-quiet button-small" data-testid="path-add" on:click=add>
                                {t().add_path}
                            </button>
                        })}
                    </header>
                    <ol class="paths">
                        <For each=move || ids.get() key=|id| id.clone() let:id>
                            <PathItem id/>
                        </For>
                    </ol>
                    {move || (!ids.with(Vec::is_empty)).then(|| view! { <BranchView/> })}
                </section>
            }
        })
    }
}

/// One path: pick, name, persona, condition, reorder, delete.
#[component]
fn PathItem(id: String) -> impl IntoView {
    let ctx = BoardCtx::get();
    let key = id.clone();
    let path = Memo::new(move |_| {
        ctx.view.with(|v| {
            let index = v.paths.iter().position(|p| p.id == key)?;
            let own = v.cards.iter().filter(|c| c.paths.contains(&key)).count();
            Some((index, v.paths.len(), v.paths[index].clone(), own))
        })
    });
    let personas = Memo::new(move |_| {
        ctx.view.with(|v| {
            v.personas
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let name = move || path.with(|p| p.as_ref().map(|p| p.2.name.clone()).unwrap_or_default());
    let condition = move || {
        path.with(|p| {
            p.as_ref()
                .map(|p| p.2.condition.clone())
                .unwrap_or_default()
        })
    };
    let persona = move || path.with(|p| p.as_ref().and_then(|p| p.2.persona.clone()));
    let own = move || path.with(|p| p.as_ref().map(|p| p.3).unwrap_or(0));
    let pick_id = id.clone();
    let picked = {
        let id = id.clone();
        Memo::new(move |_| ctx.path.get().as_deref() == Some(id.as_str()))
    };
    let pick = move |_| {
        ctx.path
            .set((!picked.get_untracked()).then(|| pick_id.clone()));
    };
    let color = move || persona().map(|p| color_for(&p)).unwrap_or("#98a2b3");
    let fields = if ctx.can_edit {
        let (name_id, cond_id, persona_id) = (id.clone(), id.clone(), id.clone());
        let (move_id, remove_id) = (StoredValue::new(id.clone()), StoredValue::new(id.clone()));
        view! {
            <input
                type="text"
                class="path-name"
                data-testid="path-name"
                aria-label=t().path_name
                prop:value=name
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.live.edit(|txn| txn.set_text(TextTarget::PathName(&name_id), &value));
                }
            />
            <select
                data-testid="path-persona"
                aria-label=t().path_persona
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let persona = (!value.is_empty()).then_some(value);
                    ctx.live.edit(|txn| txn.set_path_persona(&persona_id, persona.as_deref()));
                }
            >
                <option value="" selected=move || persona().is_none()>{t().any_persona}</option>
                {move || personas.get().into_iter().map(|(pid, pname)| {
                    let selected = persona().as_deref() == Some(pid.as_str());
                    view! { <option value=pid selected=selected>{pname}</option> }
                }).collect_view()}
            </select>
            <input
                type="text"
                class="path-condition"
                data-testid="path-condition"
                aria-label=t().path_condition
                placeholder=t().path_condition_placeholder
                prop:value=condition
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    ctx.live.edit(|txn| txn.set_text(TextTarget::PathCondition(&cond_id), &value));
                }
            />
            <HeadActions
                place=Signal::derive(move || path.with(|p| p.as_ref().map(|p| (p.0, p.1)).unwrap_or((0, 0))))
                back=("path-move-up", t().move_up, "▲")
                forward=("path-move-down", t().move_down, "▼")
                remove=("path-remove", t().remove_path)
                on_move=Callback::new(move |index| {
                    move_id.with_value(|id| ctx.live.edit(|txn| txn.move_path(id, index)));
                })
                on_remove=Callback::new(move |()| {
                    remove_id.with_value(|id| ctx.live.edit(|txn| txn.remove_path(id)));
                })
            />
        }
        .into_any()
    } else {
        let persona_name = move || {
            let id = persona()?;
            personas.with(|ps| ps.iter().find(|(p, _)| *p == id).map(|(_, n)| n.clone()))
        };
        view! {
            <span class="path-name" data-testid="path-name">{name}</span>
            <span class="muted" data-testid="path-persona">{move || persona_name().unwrap_or_else(|| t().any_persona.into())}</span>
            <span class="path-condition" data-testid="path-condition">{condition}</span>
        }
        .into_any()
    };
    view! {
        <li class="path-item" class:picked=move || picked.get() data-testid="path-item" data-path-id=id>
            <button
                type="button"
                class="path-pick"
                data-testid="path-pick"
                aria-pressed=move || picked.get().to_string()
                title=t().path_pick_title
                style=move || format!("--path: {}", color())
                on:click=pick
            >
                {move || if picked.get() { t().path_following } else { t().path_follow }}
            </button>
            {fields}
            <span class="path-own muted" data-testid="path-own">
                {move || match own() { 0 => t().no_own_cards.to_owned(), 1 => t().one_own_card.to_owned(), n => fill(t().n_own_cards, &[("n", &n)]) }}
            </span>
        </li>
    }
}

/// One path's row of the branch view: id, name, and per stage (own cards, score).
type BranchRow = (String, String, Vec<(usize, Option<i8>)>);

/// Stage by stage, what each path takes: its own cards or only the shared ones, and
/// its persona's as-is emotion score; a row says where the paths diverge and rejoin.
#[component]
fn BranchView() -> impl IntoView {
    let ctx = BoardCtx::get();
    let table = Memo::new(move |_| {
        ctx.view.with(|v| {
            let branches = branches(v);
            let stages: Vec<String> = v.stages.iter().map(|s| s.name.clone()).collect();
            let rows: Vec<BranchRow> = v
                .paths
                .iter()
                .map(|path| {
                    let curve = path.persona.as_ref().and_then(|persona| {
                        v.emotions
                            .iter()
                            .find(|c| &c.persona == persona && c.series == EmotionSeries::AsIs)
                    });
                    let cells = branches
                        .iter()
                        .enumerate()
                        .map(|(i, b)| {
                            let own = b
                                .own
                                .iter()
                                .find(|(p, _)| *p == path.id)
                                .map(|(_, cards)| cards.len())
                                .unwrap_or(0);
                            (own, curve.and_then(|c| c.scores.get(i).copied().flatten()))
                        })
                        .collect();
                    (path.id.clone(), path.name.clone(), cells)
                })
                .collect();
            let states: Vec<bool> = branches.iter().map(|b| b.diverges()).collect();
            (stages, rows, states)
        })
    });
    view! {
        <div class="branch-view" data-testid="branch-view">
            <table>
                <caption>{t().branch_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t().path}</th>
                        {move || table.with(|tb| tb.0.iter().map(|s| view! { <th scope="col">{s.clone()}</th> }).collect_view())}
                    </tr>
                </thead>
                <tbody>
                    {move || table.with(|tb| tb.1.iter().map(|(id, name, cells)| {
                        let picked = ctx.path.get().as_deref() == Some(id.as_str());
                        view! {
                            <tr class:picked=picked data-testid="branch-path" data-path-id=id.clone()>
                                <th scope="row">{name.clone()}</th>
                                {cells.iter().map(|(own, score)| {
                                    let score = score
                                        .map(|s| fill(t().branch_feels, &[("score", &format!("{s:+}"))]))
                                        .unwrap_or_default();
                                    let text = match own {
                                        0 => format!("{}{score}", t().branch_shared),
                                        n => format!("{}{score}", fill(t().branch_own, &[("n", n)])),
                                    };
                                    let class = if *own > 0 { "branch-own" } else { "branch-shared" };
                                    view! {
                                        <td class=class data-testid="branch-cell" data-own=*own>
                                            {text}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view())}
                    <tr class="branch-states">
                        <th scope="row">{t().paths}</th>
                        {move || table.with(|tb| {
                            let states = tb.2.clone();
                            states.iter().enumerate().map(|(i, diverges)| {
                                let before = i > 0 && states[i - 1];
                                let text = match (*diverges, before) {
                                    (true, false) => t().branch_diverge,
                                    (true, true) => t().branch_apart,
                                    (false, true) => t().branch_rejoin,
                                    (false, false) => t().branch_together,
                                };
                                view! { <td data-testid="branch-state" data-diverges=diverges.to_string()>{text}</td> }
                            }).collect_view()
                        })}
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// On a card, when the map has paths: which paths it is on ("All paths" when none in
/// particular); editors open the list to tick and untick paths (built only while open:
/// a large board holds hundreds of cards). The card shows the names alone when it is
/// on chosen paths, the list once an editor has focused it.
#[component]
pub fn CardPaths(
    /// The card.
    card: String,
    /// The ids of the paths it is on (tracked).
    on: Memo<Vec<String>>,
    /// The list to tick paths in (an editor who focused the card), or the names only.
    editable: bool,
) -> impl IntoView {
    let ctx = BoardCtx::get();
    let summary = move || {
        on.with(|on| {
            ctx.paths.with(|paths| {
                let names: Vec<&str> = paths
                    .iter()
                    .filter(|(id, _)| on.contains(id))
                    .map(|(_, name)| name.as_str())
                    .collect();
                if names.is_empty() {
                    t().all_paths.to_owned()
                } else {
                    names.join(", ")
                }
            })
        })
    };
    if !editable {
        return view! { <p class="card-meta card-paths" data-testid="card-paths-summary">{summary}</p> }
            .into_any();
    }
    let open = RwSignal::new(false);
    let choices = move || {
        open.get().then(|| {
            ctx.paths
                .get()
                .into_iter()
                .map(|(path, name)| {
                    let card = card.clone();
                    let checked = {
                        let path = path.clone();
                        move || on.with(|on| on.contains(&path))
                    };
                    view! {
                        <label class="check-label">
                            <input
                                type="checkbox"
                                data-testid="card-path"
                                data-path-id=path.clone()
                                prop:checked=checked
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    ctx.live.edit(|txn| txn.set_card_on_path(&card, &path, on));
                                }
                            />
                            {name}
                        </label>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <details
            class="card-paths"
            data-testid="card-paths"
            on:toggle=move |ev| open.set(details_open(&ev))
        >
            <summary class="card-meta" data-testid="card-paths-summary">{summary}</summary>
            {choices}
        </details>
    }
    .into_any()
}
