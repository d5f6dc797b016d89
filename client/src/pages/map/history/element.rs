//! One element's own history (blame): who changed it, when, how (fields before →
//! after, stage and lane ids as names), each change restorable alone by editors; and
//! the "Edited by Camille, 3 min ago · History" line a card shows where it is opened.

use leptos::prelude::*;
use parcours_shared::api::{ElementChange, ElementHistory};
use parcours_shared::text::ellipsize;
use parcours_shared::view::MapView;

use super::state::{History, WRITE_DELAY};
use super::words::{author_name, element_change_label, field_label, short_date_time, value_text};
use crate::api;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::{edited_ago, local_date_time, now_ms};
use crate::i18n::{fill, t};

/// The history of the element `id`, newest change first.
#[component]
pub fn ElementHistoryView(
    /// The element (a card, stage, lane or persona id, or a map field).
    id: String,
    /// The live map, for the element's name and for stage and lane names.
    view: Memo<MapView>,
) -> impl IntoView {
    let Some(h) = History::get() else {
        return ().into_any();
    };
    let map = h.map.get_value();
    let element = id.clone();
    let list = LocalResource::new(move || {
        h.changed.track();
        api::history::element_history(map.clone(), element.clone())
    });
    let key = id.clone();
    let name = Memo::new(move |_| view.with(|v| element_label(v, &key)));
    // Changed live (by anyone) while its history is open: read it again once written.
    let key = id.clone();
    let state = Memo::new(move |_| view.with(|v| element_state(v, &key)));
    Effect::new(move |seen: Option<()>| {
        state.track();
        if seen.is_some() {
            set_timeout(
                move || {
                    list.refetch();
                },
                WRITE_DELAY,
            );
        }
    });
    let content = move || {
        list.get().map(|result| match result {
            Err(error) => {
                view! { <ApiErrorNotice error testid="element-history-error"/> }.into_any()
            }
            Ok(history) => changes_view(h, history, name, view).into_any(),
        })
    };
    view! {
        <div class="element-history" data-testid="element-history" data-element-id=id>
            <div class="element-history-head">
                <button type="button" class="button-quiet button-small" data-testid="element-history-back"
                    on:click=move |_| h.element.set(None)>{t().all_versions}</button>
                <b data-testid="element-history-name">{move || name.get().unwrap_or_else(|| t().deleted_element.to_owned())}</b>
            </div>
            {move || content().unwrap_or_else(|| view! { <p class="muted">{t().loading_its_history}</p> }.into_any())}
        </div>
    }
    .into_any()
}

/// The "Edited by …" line and the changes, newest first.
fn changes_view(
    h: History,
    history: ElementHistory,
    name: Memo<Option<String>>,
    view: Memo<MapView>,
) -> impl IntoView {
    let ElementHistory {
        element, changes, ..
    } = history;
    if changes.is_empty() {
        return view! {
            <p class="muted" data-testid="element-history-empty">{t().no_recorded_change}</p>
        }
        .into_any();
    }
    let last = changes.len() - 1;
    let rows = changes
        .iter()
        .enumerate()
        .rev()
        .map(|(i, change)| change_row(h, &element, change, i == last, name, view))
        .collect_view();
    view! {
        <p class="element-edited">{edited_line(changes.last())}</p>
        <ol class="element-changes">{rows}</ol>
    }
    .into_any()
}

/// One change of the element, with "Restore this" for editors (not on its current
/// state, nor on its deletion).
fn change_row(
    h: History,
    element: &str,
    change: &ElementChange,
    latest: bool,
    name: Memo<Option<String>>,
    view: Memo<MapView>,
) -> impl IntoView {
    // The order key within a cell is not for reading: it shows as "position" only
    // when nothing else changed.
    let only_order = change.fields.iter().all(|f| is_order(&f.field));
    let fields = change
        .fields
        .iter()
        .filter(|f| only_order || !is_order(&f.field))
        .map(|f| {
            if is_order(&f.field) {
                return view! {
                    <li data-testid="element-field" data-field=f.field.clone()>
                        <span class="muted">{t().position_in_cell}</span>
                    </li>
                }
                .into_any();
            }
            let (before, after) = view.with_untracked(|v| {
                (
                    value_text(&f.field, f.before.as_ref(), v),
                    value_text(&f.field, f.after.as_ref(), v),
                )
            });
            // Nothing before (its first recorded state): the value alone.
            let was = f.before.is_some().then(|| {
                view! { <span data-testid="element-field-before">{before}</span> " → " }
            });
            view! {
                <li data-testid="element-field" data-field=f.field.clone()>
                    <span class="muted">{fill(t().field_colon, &[("field", &field_label(&f.field))])}</span>
                    {was}
                    <span data-testid="element-field-after">{after}</span>
                </li>
            }
            .into_any()
        })
        .collect_view();
    let restorable = h.can_restore && !latest && change.change != "deleted";
    let (element, at) = (element.to_owned(), change.at);
    let what = move || {
        name.get_untracked()
            .map(|n| n.split(' ').next().unwrap_or(t().it).to_owned())
            .unwrap_or_else(|| t().it.to_owned())
    };
    view! {
        <li class="element-change" data-testid="element-change" data-change=change.change.clone()
            data-at=change.at.to_string()>
            <div class="element-change-head">
                <b>{element_change_label(&change.change)}</b>
                {fill(t().by_author, &[("name", &author_name(&change.author))])}
                <span class="muted">
                    " · " <time title=local_date_time(change.at)>{short_date_time(change.at)}</time>
                    {format!(" ({})", edited_ago(change.at, now_ms()))}
                </span>
                {latest.then(|| view! { " " <span class="badge badge-ok">{t().current}</span> })}
            </div>
            <ul class="element-fields">{fields}</ul>
            {restorable.then(|| view! {
                <button type="button" class="button-quiet button-small" data-testid="element-change-restore"
                    disabled=move || h.busy.get()
                    on:click=move |_| h.restore_element(element.clone(), at, what())>
                    {t().restore_this}
                </button>
            })}
        </li>
    }
}

/// "Edited by Camille, 3 min ago" for the element's last change.
fn edited_line(last: Option<&ElementChange>) -> impl IntoView {
    last.map(|c| {
        let how = match c.change.as_str() {
            "created" => t().created_by,
            "deleted" => t().deleted_by,
            "moved" => t().moved_by,
            _ => t().edited_by,
        };
        view! {
            <span data-testid="element-edited">
                {fill(how, &[("name", &author_name(&c.author))])}
                <time title=local_date_time(c.at)>{edited_ago(c.at, now_ms())}</time>
            </span>
        }
    })
}

/// "Edited by Camille, 3 min ago · History" for an element opened elsewhere (a card in
/// the comments panel); "History" opens its history.
#[component]
pub fn EditedLine(
    /// The element.
    id: String,
) -> impl IntoView {
    let Some(h) = History::get() else {
        return ().into_any();
    };
    let map = h.map.get_value();
    let element = id.clone();
    let list = LocalResource::new(move || {
        h.changed.track();
        api::history::element_history(map.clone(), element.clone())
    });
    let line = move || {
        list.get()
            .and_then(Result::ok)
            .and_then(|history| history.changes.last().cloned())
            .map(|c| edited_line(Some(&c)).into_any())
    };
    view! {
        <span class="edited-line" data-testid="edited-line">
            {line}
            " · "
            <button type="button" class="button-quiet button-small" data-testid="edited-line-history"
                on:click=move |_| h.show_element(id.clone())>{t().history}</button>
        </span>
    }
    .into_any()
}

/// The element as the live map holds it, as JSON (to notice that it changed).
fn element_state(view: &MapView, id: &str) -> Option<String> {
    let json = |v: Result<String, serde_json::Error>| v.ok();
    if let Some(c) = view
        .cards
        .iter()
        .chain(&view.orphan_cards)
        .find(|c| c.id == id)
    {
        return json(serde_json::to_string(c));
    }
    if let Some(s) = view.stages.iter().find(|s| s.id == id) {
        return json(serde_json::to_string(s));
    }
    if let Some(l) = view.lanes.iter().find(|l| l.id == id) {
        return json(serde_json::to_string(l));
    }
    if let Some(p) = view.personas.iter().find(|p| p.id == id) {
        return json(serde_json::to_string(p));
    }
    match id {
        "title" => Some(view.meta.title.clone()),
        "objective" => Some(view.meta.objective.clone()),
        _ => None,
    }
}

/// The field is an order key (a card's place in its cell).
fn is_order(field: &str) -> bool {
    field == "order" || field.ends_with(".order")
}

/// What an element is, in words ("Card “Sign up”"), if it is on the live map.
fn element_label(view: &MapView, id: &str) -> Option<String> {
    let named = |what: &str, name: &str| {
        if name.trim().is_empty() {
            what.to_owned()
        } else {
            fill(
                t().anchor_named,
                &[("what", &what), ("name", &ellipsize(name, 50))],
            )
        }
    };
    match id {
        "title" => return Some(t().title.to_owned()),
        "objective" => return Some(t().objective.to_owned()),
        _ => {}
    }
    if let Some(c) = view
        .cards
        .iter()
        .chain(&view.orphan_cards)
        .find(|c| c.id == id)
    {
        return Some(named(t().anchor_card, &c.text));
    }
    if let Some(s) = view.stages.iter().find(|s| s.id == id) {
        return Some(named(t().anchor_stage, &s.name));
    }
    if let Some(l) = view.lanes.iter().find(|l| l.id == id) {
        return Some(named(t().anchor_lane, &l.name));
    }
    view.personas
        .iter()
        .find(|p| p.id == id)
        .map(|p| named(t().persona_word, &p.name))
}
