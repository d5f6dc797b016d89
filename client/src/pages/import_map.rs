//! "Import a map" on the maps home: choose a JSON map file or a CSV card table, see
//! what it will create (or every problem, with its row or JSON path), then import it
//! with the upload's progress; the new map opens when it is created.

use leptos::prelude::*;
use parcours_shared::exchange::{ImportPreview, Problem};
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use crate::api;
use crate::api::exchange::ImportFailure;
use crate::components::error_notice::worded;
use crate::i18n::forms::{problem_message, problem_place};
use crate::i18n::{fill, t};
use crate::router::Router;

/// Where the import stands.
#[derive(Clone, PartialEq)]
enum Step {
    /// Nothing chosen yet.
    Idle,
    /// Reading the chosen file on the server.
    Checking,
    /// Checked: what it holds (problems, if any, block the import).
    Checked(ImportPreview),
    /// Uploading: bytes sent of total.
    Uploading(f64, f64),
    /// The server refused or could not be reached.
    Failed(String, Vec<Problem>),
}

/// The import form.
#[component]
pub fn ImportMap() -> impl IntoView {
    let router = Router::get();
    let step = RwSignal::new(Step::Idle);
    let file = RwSignal::new_local(None::<File>);
    let title = RwSignal::new(String::new());
    let check = move || {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        step.set(Step::Checking);
        let title = title.get_untracked();
        leptos::task::spawn_local(async move {
            match api::exchange::preview(chosen, title).await {
                Ok(preview) => step.set(Step::Checked(preview)),
                Err(e) => step.set(Step::Failed(worded(&e), Vec::new())),
            }
        });
    };
    let on_file = move |ev: web_sys::Event| {
        let chosen = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        file.set(chosen);
        check();
    };
    let start = move |_| {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        step.set(Step::Uploading(0.0, chosen.size()));
        api::exchange::import(
            chosen,
            title.get_untracked(),
            move |sent, total| step.set(Step::Uploading(sent, total)),
            move |result: Result<_, ImportFailure>| match result {
                Ok(summary) => router.navigate(&format!("/maps/{}", summary.id)),
                Err(f) => step.set(Step::Failed(f.message, f.problems)),
            },
        );
    };
    let problems = |list: Vec<Problem>| {
        view! {
            <ul class="problems" data-testid="import-problems">
                {list
                    .into_iter()
                    .map(|p| {
                        view! {
                            <li data-code=p.code.clone()>
                                <code>{problem_place(&p.at)}</code>
                                {fill(t().colon_list, &[("list", &problem_message(&p))])}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    };
    let status = move || {
        match step.get() {
        Step::Idle => ().into_any(),
        Step::Checking => view! { <p class="muted" data-testid="import-checking">{t().checking_file}</p> }.into_any(),
        Step::Checked(preview) if !preview.problems.is_empty() => view! {
            <p data-testid="import-refused">{t().file_refused}</p>
            {problems(preview.problems)}
        }
        .into_any(),
        Step::Checked(preview) => {
            let c = preview.counts.clone();
            let file_title = preview.title.clone();
            let skipped = (c.orphans_skipped > 0).then(|| {
                fill(t().orphans_left_out, &[("n", &c.orphans_skipped)])
            });
            view! {
                <div data-testid="import-preview">
                    <p>
                        {t().open_quote}
                        <strong data-testid="import-title">
                            {move || {
                                let typed = title.get();
                                if typed.trim().is_empty() { file_title.clone() } else { typed.trim().to_owned() }
                            }}
                        </strong>
                        {t().close_quote_colon}
                        <span data-testid="import-counts">
                            {fill(t().import_counts, &[
                                ("stages", &c.stages),
                                ("lanes", &c.lanes),
                                ("cards", &c.cards),
                                ("personas", &c.personas),
                                ("paths", &c.paths),
                            ])}
                        </span>
                        {skipped}
                    </p>
                    <p class="muted">{fill(t().stages_list, &[("list", &preview.stages.join(" → "))])}</p>
                    <button type="button" class="button-primary" data-testid="import-start" on:click=start>
                        {t().import_as_new_map}
                    </button>
                </div>
            }
            .into_any()
        }
        Step::Uploading(sent, total) => view! {
            <p data-testid="import-uploading">
                {t().uploading} " " {format!("{:.0} %", if total > 0.0 { 100.0 * sent / total } else { 0.0 })}
            </p>
            <progress max=total value=sent data-testid="import-progress"></progress>
        }
        .into_any(),
        Step::Failed(message, list) => view! {
            <p class="error" role="alert" data-testid="import-error">{message}</p>
            {(!list.is_empty()).then(|| problems(list))}
        }
        .into_any(),
    }
    };
    view! {
        <section class="import-map" data-testid="import-map">
            <h2>{t().import_map}</h2>
            <p class="muted">{t().import_map_hint}</p>
            <div class="form-row">
                <label class="field">
                    <span class="field-label">{t().file}</span>
                    <input type="file" accept=".json,.csv,application/json,text/csv" data-testid="import-file" on:change=on_file/>
                </label>
                <label class="field">
                    <span class="field-label">{t().title_optional}</span>
                    <input
                        type="text"
                        data-testid="import-title-input"
                        placeholder=t().keep_file_title

                        bind:value=title
                    />
                </label>
            </div>
            {status}
        </section>
    }
}
