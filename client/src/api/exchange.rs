//! Exports (download links) and imports (`POST /api/maps/import[/preview]`).
//!
//! An export is a plain link the browser downloads: the session cookie goes with it,
//! and a public link's token is added to the query. An import sends the chosen file as
//! the request body; the import itself goes through `XMLHttpRequest` so the page can
//! show the upload's progress.

use gloo_net::http::Request;
use parcours_shared::api::MapSummary;
use parcours_shared::exchange::{ImportPreview, Problem};
use parcours_shared::{ErrorBody, MapId};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use super::{decode, network, ours, ApiError, OnUnauthorized, API_BASE};
use crate::i18n::{fill, lang, t, Lang};
use crate::route::percent_encode;

/// The download address of `map` in `format` with `extra` query pairs (paper, scale,
/// version, at), through the public link `link` if given; a drawing's own words in the
/// language shown.
pub fn export_url(
    map: &MapId,
    format: &str,
    extra: &[(&str, String)],
    link: Option<&str>,
) -> String {
    let mut url = format!(
        "{API_BASE}/maps/{map}/export?format={format}&lang={}",
        lang().code()
    );
    for (key, value) in extra {
        url.push_str(&format!("&{key}={}", percent_encode(value)));
    }
    if let Some(link) = link {
        url.push_str(&format!("&link={}", percent_encode(link)));
    }
    url
}

/// `json` or `csv`, from the file's name.
pub fn format_of(file: &File) -> &'static str {
    if file.name().to_lowercase().ends_with(".csv") {
        "csv"
    } else {
        "json"
    }
}

fn import_path(suffix: &str, format: &str, title: &str) -> String {
    let mut url = format!("{API_BASE}/maps/import{suffix}?format={format}");
    if !title.trim().is_empty() {
        url.push_str(&format!("&title={}", percent_encode(title.trim())));
    }
    url
}

/// What importing `file` would create, or its problems.
pub async fn preview(file: File, title: String) -> Result<ImportPreview, ApiError> {
    let url = import_path("/preview", format_of(&file), &title);
    let request = ours(Request::post(&url))
        .body(file)
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request.send().await.map_err(network)?;
    decode(response, OnUnauthorized::Report).await
}

/// Why an import failed: the server's message and, when it checked the file, every
/// problem it found.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportFailure {
    pub message: String,
    pub problems: Vec<Problem>,
}

/// Sends `file` to be imported: `on_progress(sent, total)` while it uploads, then
/// `on_done` with the new map or why not. Returns at once.
pub fn import(
    file: File,
    title: String,
    on_progress: impl Fn(f64, f64) + 'static,
    on_done: impl Fn(Result<MapSummary, ImportFailure>) + 'static,
) {
    let failure = |message: String| ImportFailure {
        message,
        problems: Vec::new(),
    };
    let Ok(xhr) = XmlHttpRequest::new() else {
        on_done(Err(failure(t().upload_unsupported.into())));
        return;
    };
    let url = import_path("", format_of(&file), &title);
    if xhr.open("POST", &url).is_err()
        || xhr
            .set_request_header("X-Requested-With", "parcours")
            .is_err()
    {
        on_done(Err(failure(t().upload_not_started.into())));
        return;
    }
    if let Ok(upload) = xhr.upload() {
        let progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() {
                on_progress(e.loaded(), e.total());
            }
        });
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        progress.forget();
    }
    let on_done = std::rc::Rc::new(on_done);
    let finished = {
        let xhr = xhr.clone();
        let on_done = on_done.clone();
        Closure::<dyn Fn()>::new(move || {
            let status = xhr.status().unwrap_or(0);
            let text = xhr.response_text().ok().flatten().unwrap_or_default();
            let result = if status == 201 {
                serde_json::from_str::<MapSummary>(&text)
                    .map_err(|_| failure(fill(t().err_unexpected, &[("status", &status)])))
            } else {
                #[derive(serde::Deserialize)]
                struct Refused {
                    message: String,
                    #[serde(default)]
                    problems: Vec<Problem>,
                }
                match serde_json::from_str::<Refused>(&text) {
                    Ok(r) => Err(ImportFailure {
                        // The server's summary is English; the problems listed
                        // below it are worded in the language shown.
                        message: if r.problems.is_empty() || lang() == Lang::En {
                            r.message
                        } else {
                            t().file_refused.to_owned()
                        },
                        problems: r.problems,
                    }),
                    Err(_) => Err(match serde_json::from_str::<ErrorBody>(&text) {
                        Ok(e) => failure(e.message),
                        Err(_) => failure(fill(t().import_failed_http, &[("status", &status)])),
                    }),
                }
            };
            on_done(result);
        })
    };
    xhr.set_onload(Some(finished.as_ref().unchecked_ref()));
    finished.forget();
    let failed = Closure::<dyn Fn()>::new(move || {
        on_done(Err(failure(t().upload_interrupted.into())));
    });
    xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
    failed.forget();
    if xhr.send_with_opt_blob(Some(&file)).is_err() {
        // onerror reports it.
    }
}
