//! Importing an event log (editors): pick a CSV file → the server previews its first
//! rows and guesses the columns → the user confirms the column mapping, timestamp
//! format and bad-row threshold → the file is uploaded, with a progress bar fed by the
//! map's event stream → the new log (shown at once, its bad rows listed by the tab).

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{ColumnMapping, Dataset, DatasetPreview, TIMESTAMP_FORMATS};
use wasm_bindgen::JsCast;

use super::state::{Evidence, Tab};
use super::words::count;
use crate::api::evidence::ImportSettings;
use crate::api::{self, ApiError};
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::forms::timestamp_format;
use crate::i18n::{fill, t};

/// Bytes of the file's start sent for the preview: the header and 20 rows fit in it
/// many times over (the server reads at most 1 MiB).
const PREVIEW_BYTES: f64 = 64.0 * 1024.0;
/// Rows of the preview shown.
const PREVIEW_ROWS: usize = 8;
/// The server's default bad-row threshold.
const DEFAULT_MAX_BAD_ROWS: u64 = 1_000;

/// Where the import stands.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// No file chosen.
    Idle,
    /// The preview is on its way.
    Reading,
    /// The preview is shown: the user chooses the columns.
    Preview,
    /// The file is being sent and read; the logs known when it started.
    Uploading(Vec<String>),
    /// Imported.
    Done(Box<Dataset>),
}

/// The import form.
#[component]
pub fn ImportForm(e: Evidence) -> impl IntoView {
    let file = StoredValue::new_local(None::<web_sys::File>);
    let size = RwSignal::new(0.0_f64);
    let step = RwSignal::new(Step::Idle);
    let preview = RwSignal::new(None::<DatasetPreview>);
    let columns = RwSignal::new(ColumnMapping::default());
    let name = RwSignal::new(String::new());
    let max_bad = RwSignal::new(DEFAULT_MAX_BAD_ROWS);
    let error = RwSignal::new(None::<ApiError>);

    let choose = move |ev: leptos::ev::Event| {
        let chosen = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        error.set(None);
        preview.set(None);
        let Some(chosen) = chosen else {
            step.set(Step::Idle);
            return;
        };
        let file_name = chosen.name();
        name.set(
            file_name
                .rsplit_once('.')
                .map_or(file_name.as_str(), |(stem, _)| stem)
                .to_owned(),
        );
        size.set(chosen.size());
        let head = chosen.slice_with_f64_and_f64(0.0, PREVIEW_BYTES);
        file.set_value(Some(chosen));
        step.set(Step::Reading);
        let Ok(head) = head else {
            step.set(Step::Idle);
            return;
        };
        let map = e.map.get_value();
        spawn_local(async move {
            match api::evidence::preview(map, head).await {
                Ok(p) => {
                    let mut suggested = p.suggested.clone();
                    suggested.timestamp_format = Some("auto".into());
                    columns.try_set(suggested);
                    preview.try_set(Some(p));
                    step.try_set(Step::Preview);
                }
                Err(err) => {
                    error.try_set(Some(err));
                    step.try_set(Step::Idle);
                }
            }
        });
    };

    let ready_to_import = move || {
        columns.with(|c| !c.case_id.is_empty() && !c.activity.is_empty() && !c.timestamp.is_empty())
            && !name.with(|n| n.trim().is_empty())
    };
    let import = move |_| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        let Some(p) = preview.get_untracked() else {
            return;
        };
        let settings = ImportSettings {
            name: name.get_untracked().trim().to_owned(),
            columns: columns.get_untracked(),
            delimiter: p.delimiter.clone(),
            max_bad_rows: max_bad.get_untracked(),
        };
        let known: Vec<String> = e
            .datasets
            .with_untracked(|ds| ds.iter().map(|d| d.id.clone()).collect());
        error.set(None);
        step.set(Step::Uploading(known.clone()));
        let map = e.map.get_value();
        spawn_local(async move {
            match api::evidence::import(map, chosen, &settings).await {
                Ok(dataset) => {
                    e.put(dataset.clone());
                    e.chosen.try_set(Some(dataset.id.clone()));
                    step.try_set(Step::Done(Box::new(dataset)));
                }
                Err(err) => {
                    // The server deletes a failed import without an event: forget its
                    // progress here (other pages keep its last figures until reloaded).
                    e.progress
                        .try_update(|p| p.retain(|id, _| known.contains(id)));
                    error.try_set(Some(explain(err)));
                    step.try_set(Step::Preview);
                }
            }
        });
    };

    let uploading = move || matches!(step.get(), Step::Uploading(_));
    let body = move || {
        match step.get() {
        Step::Idle => ().into_any(),
        Step::Reading => view! { <p class="muted" data-testid="import-reading">{t().reading_file_start}</p> }.into_any(),
        Step::Preview => view! {
            <PreviewTable preview columns/>
            <ColumnForm preview columns name max_bad/>
            <div class="form-row">
                <button type="button" class="button-primary" data-testid="import-submit"
                    disabled=move || !ready_to_import() on:click=import>{t().import}</button>
                <span class="muted">{move || fill(t().to_send, &[("size", &size_label(size.get()))])}</span>
            </div>
        }
        .into_any(),
        Step::Uploading(known) => view! { <ImportProgress e known size/> }.into_any(),
        Step::Done(dataset) => view! { <Imported e dataset=*dataset/> }.into_any(),
    }
    };
    view! {
        <section class="import-form" data-testid="import-form">
            <h3>{t().import_log}</h3>
            <p class="hint">{t().import_log_hint}</p>
            <input type="file" data-testid="import-file" accept=".csv,.tsv,.txt,text/csv"
                aria-label=t().event_log_file disabled=uploading on:change=choose/>
            {body}
            {move || error.get().map(|error| view! { <ApiErrorNotice error testid="import-error"/> })}
        </section>
    }
}

/// A failure in words the user can act on; a dropped upload most likely hit the
/// server's size limit (the server may answer 413 and close before reading the body).
fn explain(error: ApiError) -> ApiError {
    match error {
        ApiError::Network(detail) => ApiError::Network(format!("{detail}{}", t().upload_cut_off)),
        other => other,
    }
}

/// `12.3 MB` for a size in bytes.
fn size_label(bytes: f64) -> String {
    if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else {
        format!("{:.0} kB", (bytes / 1e3).ceil())
    }
}

/// The first rows as the server read them, chosen columns highlighted.
#[component]
fn PreviewTable(
    preview: RwSignal<Option<DatasetPreview>>,
    columns: RwSignal<ColumnMapping>,
) -> impl IntoView {
    move || {
        let Some(p) = preview.get() else {
            return ().into_any();
        };
        let chosen = columns.get();
        let used = |h: &str| {
            [
                Some(&chosen.case_id),
                Some(&chosen.activity),
                Some(&chosen.timestamp),
            ]
            .into_iter()
            .chain([
                chosen.channel.as_ref(),
                chosen.segment.as_ref(),
                chosen.value.as_ref(),
            ])
            .flatten()
            .any(|c| c == h)
        };
        let flags: Vec<bool> = p.headers.iter().map(|h| used(h)).collect();
        let head = p
            .headers
            .iter()
            .zip(&flags)
            .map(|(h, &on)| view! { <th class:column-used=on>{h.clone()}</th> })
            .collect_view();
        let rows = p
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| {
                let cells = r
                    .iter()
                    .enumerate()
                    .map(|(i, c)| view! { <td class:column-used=flags.get(i).copied().unwrap_or(false)>{c.clone()}</td> })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view();
        let delimiter = match p.delimiter.as_str() {
            "\t" => t().tab_character.to_owned(),
            d => fill(t().quoted, &[("text", &d)]),
        };
        view! {
            <p class="muted import-read">
                {fill(t().columns_separated, &[("n", &p.headers.len()), ("delimiter", &delimiter)])}
                {p.timestamp_format.clone().map(|f| fill(t().timestamps_read_as, &[("format", &timestamp_format(t(), &f))]))}
                ":"
            </p>
            <div class="preview-scroll">
                <table class="evidence-table preview-table" data-testid="import-preview">
                    <thead><tr>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    }
}

/// Which column is which, the timestamp format, the name and the bad-row threshold.
#[component]
fn ColumnForm(
    preview: RwSignal<Option<DatasetPreview>>,
    columns: RwSignal<ColumnMapping>,
    name: RwSignal<String>,
    max_bad: RwSignal<u64>,
) -> impl IntoView {
    let headers =
        preview.with_untracked(|p| p.as_ref().map(|p| p.headers.clone()).unwrap_or_default());
    let detected = preview.with_untracked(|p| p.as_ref().and_then(|p| p.timestamp_format.clone()));
    let required = [
        ("case_id", t().case_id, 0usize),
        ("activity", t().activity, 1),
        ("timestamp", t().timestamp, 2),
    ];
    let optional = [
        ("channel", t().channel, 0usize),
        ("segment", t().persona_segment, 1),
        ("value", t().value, 2),
    ];
    let get = move |slot: usize, required: bool| {
        columns.with_untracked(|c| match (required, slot) {
            (true, 0) => c.case_id.clone(),
            (true, 1) => c.activity.clone(),
            (true, _) => c.timestamp.clone(),
            (false, 0) => c.channel.clone().unwrap_or_default(),
            (false, 1) => c.segment.clone().unwrap_or_default(),
            (false, _) => c.value.clone().unwrap_or_default(),
        })
    };
    let set = move |slot: usize, required: bool, value: String| {
        columns.update(|c| {
            let optional = (!value.is_empty()).then(|| value.clone());
            match (required, slot) {
                (true, 0) => c.case_id = value,
                (true, 1) => c.activity = value,
                (true, _) => c.timestamp = value,
                (false, 0) => c.channel = optional,
                (false, 1) => c.segment = optional,
                (false, _) => c.value = optional,
            }
        })
    };
    let select = move |key: &'static str, label: &'static str, slot: usize, is_required: bool| {
        let current = get(slot, is_required);
        let none = if is_required {
            t().choose_dash
        } else {
            t().none_dash
        };
        let options = headers
            .iter()
            .map(|h| view! { <option value=h.clone() selected=*h == current>{h.clone()}</option> })
            .collect_view();
        view! {
            <label class="field">
                <span class="field-label">{label} {is_required.then_some(" *")}</span>
                <select data-testid=format!("import-col-{key}") prop:value=current.clone()
                    on:change=move |ev| set(slot, is_required, event_target_value(&ev))>
                    <option value="" selected=current.is_empty()>{none}</option>
                    {options}
                </select>
            </label>
        }
    };
    let formats = TIMESTAMP_FORMATS
        .iter()
        .map(|f| {
            let label = match (*f, &detected) {
                ("auto", Some(d)) => fill(
                    t().detect_looks_like,
                    &[("format", &timestamp_format(t(), d))],
                ),
                ("auto", None) => t().detect.to_owned(),
                (f, _) => timestamp_format(t(), f),
            };
            view! { <option value=*f selected=*f == "auto">{label}</option> }
        })
        .collect_view();
    view! {
        <div class="form-row import-columns">
            {required.map(|(k, l, s)| select(k, l, s, true)).into_iter().collect_view()}
            <label class="field">
                <span class="field-label">{t().timestamp_format}</span>
                <select data-testid="import-format"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        columns.update(|c| c.timestamp_format = Some(value));
                    }>
                    {formats}
                </select>
            </label>
        </div>
        <div class="form-row import-columns">
            {optional.map(|(k, l, s)| select(k, l, s, false)).into_iter().collect_view()}
        </div>
        <div class="form-row import-columns">
            <label class="field field-grow">
                <span class="field-label">{t().name}</span>
                <input type="text" data-testid="import-name" maxlength="120"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span class="field-label">{t().max_bad_rows}</span>
                <input type="number" data-testid="import-max-bad" min="0"
                    prop:value=move || max_bad.get().to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse() {
                            max_bad.set(n);
                        }
                    }/>
            </label>
        </div>
    }
}

/// The progress bar while the file is sent and read: bytes read by the server against
/// the file's size, from the map's `dataset_progress` events.
#[component]
fn ImportProgress(e: Evidence, known: Vec<String>, size: RwSignal<f64>) -> impl IntoView {
    // The import that was not there when this one started is this one (an editor
    // rarely starts two on one map at once; if so, the furthest along is shown).
    let latest = Memo::new(move |_| {
        e.progress.with(|p| {
            p.iter()
                .filter(|(id, _)| !known.contains(id))
                .map(|(_, p)| p.clone())
                .max_by_key(|p| p.bytes)
        })
    });
    let value = move || latest.get().map(|p| p.bytes as f64);
    let percent = move || match latest.get() {
        Some(p) if size.get() > 0.0 => {
            format!("{:.0} %", (p.bytes as f64 / size.get() * 100.0).min(100.0))
        }
        _ => t().starting.to_owned(),
    };
    view! {
        <div class="import-progress" data-testid="import-progress-box">
            <progress data-testid="import-progress" max=move || size.get().max(1.0)
                value=value
                data-rows=move || latest.get().map(|p| p.rows.to_string())
                data-bytes=move || latest.get().map(|p| p.bytes.to_string())></progress>
            <span class="muted" data-testid="import-progress-label">
                {move || match latest.get() {
                    Some(p) => fill(t().import_progress, &[("percent", &percent()), ("rows", &count(p.rows)), ("bad", &count(p.bad_rows))]),
                    None => t().sending_file.to_owned(),
                }}
            </span>
        </div>
    }
}

/// What the import gave, and the way on to the mapping (its bad rows are listed above,
/// as the log shown's).
#[component]
fn Imported(e: Evidence, dataset: Dataset) -> impl IntoView {
    let mapped = dataset
        .activities
        .iter()
        .filter(|a| a.stage.is_some())
        .count();
    view! {
        <p class="notice notice-ok" data-testid="import-done" data-dataset-id=dataset.id.clone()
            data-rows=dataset.rows.to_string() data-bad-rows=dataset.bad_rows.to_string()>
            {fill(t().imported_summary, &[
                ("name", &dataset.name),
                ("rows", &count(dataset.rows)),
                ("cases", &count(dataset.cases)),
                ("bad", &count(dataset.bad_rows)),
                ("mapped", &mapped),
                ("activities", &dataset.activities.len()),
            ])}
            " "
            <button type="button" class="link-button" data-testid="import-to-mapping"
                on:click=move |_| e.tab.set(Tab::Mapping)>{t().check_mapping}</button>

        </p>
    }
}
