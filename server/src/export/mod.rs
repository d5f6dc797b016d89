//! Maps out and in: the board drawn on the server (no browser) as PDF, PNG and SVG,
//! the card table as CSV, the whole map as the versioned JSON file of
//! `parcours_shared::exchange`; and imports of that file or of a card table into a new
//! map.
//!
//! - [`fonts`]: the bundled fonts, their metrics, the SVG options that use only them.
//! - [`svg`]: the board's layout, written as SVG.
//! - [`render`]: SVG to PNG (resvg) and to PDF (svg2pdf pages assembled by pdf-writer).
//! - [`table`]: the card table as CSV, both ways.
//!
//! Drawing is CPU work: it runs on the blocking pool, at most [`MAX_DRAWING`] at once
//! per server ([`Drawing`], with at most [`MAX_WAITING`] more waiting), so exports never hold the async workers that serve sockets.

pub mod fonts;
pub mod fuzzing;
pub mod render;
pub mod svg;
pub mod table;
pub mod words;

use std::sync::atomic::{AtomicUsize, Ordering};

use parcours_shared::api::Analysis;
use parcours_shared::exchange::{self, MapFile, Problem};
use parcours_shared::view::MapView;
use tokio::sync::Semaphore;

pub use render::Paper;

/// Exports drawn at once (each uses one core while it runs).
pub const MAX_DRAWING: usize = 2;
/// Exports waiting for a drawing slot; more are refused (429 `busy`) rather than
/// queued without end, so a burst of downloads cannot pile up behind the others.
pub const MAX_WAITING: usize = 8;
/// Largest map file or card table an import reads, in bytes.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;
/// Imports and previews read at once per server: each may hold a whole file in memory
/// while it arrives (4 × 20 MiB at most); more are refused with 429 `busy`.
pub const MAX_IMPORTING: usize = 4;

/// What went wrong making an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The result would be over a limit; the message says which and what to do.
    #[error("{0}")]
    TooLarge(String),
    /// Too many exports are being drawn and waiting; try again shortly.
    #[error("too many exports are being drawn; try again in a moment")]
    Busy,
    /// A bug or a broken dependency.
    #[error("{0}")]
    Internal(String),
}

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Png,
    Svg,
    Csv,
    Json,
}

impl Format {
    /// The format named `s`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "pdf" => Some(Format::Pdf),
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// Media type of the response.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Png => "image/png",
            Format::Svg => "image/svg+xml; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
        }
    }
}

/// Everything one export needs.
pub struct Request {
    pub format: Format,
    pub paper: Paper,
    pub scale: u32,
    pub view: MapView,
    /// The line under the title.
    pub note: String,
    pub evidence: Option<Analysis>,
    /// Now, in ms (the JSON file's `exported_at`).
    pub now: i64,
    /// The drawing's own words, in the reader's language.
    pub words: &'static words::Words,
}

/// The drawing slots of one server and the exports waiting for one; the import slots.
pub struct Drawing {
    slots: Semaphore,
    waiting: AtomicUsize,
    imports: Semaphore,
}

impl Default for Drawing {
    fn default() -> Drawing {
        Drawing {
            slots: Semaphore::new(MAX_DRAWING),
            waiting: AtomicUsize::new(0),
            imports: Semaphore::new(MAX_IMPORTING),
        }
    }
}

impl Drawing {
    /// A slot to read and check one uploaded file, or `Busy` when all are taken.
    pub fn import_slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ExportError> {
        self.imports.try_acquire().map_err(|_| ExportError::Busy)
    }
}

/// One export waiting for a slot; counted out when dropped (also when the request is
/// abandoned while it waits).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize) -> Result<Waiting<'a>, ExportError> {
        if count.fetch_add(1, Ordering::AcqRel) >= MAX_WAITING {
            count.fetch_sub(1, Ordering::AcqRel);
            return Err(ExportError::Busy);
        }
        Ok(Waiting(count))
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Makes the file: drawn formats wait for a drawing slot and run on the blocking pool.
pub async fn export(drawing: &Drawing, request: Request) -> Result<Vec<u8>, ExportError> {
    match request.format {
        Format::Json => serde_json::to_vec_pretty(&MapFile::new(request.view, request.now))
            .map_err(|e| ExportError::Internal(e.to_string())),
        Format::Csv => Ok(table::write(&request.view)),
        Format::Pdf | Format::Png | Format::Svg => {
            let waiting = Waiting::enter(&drawing.waiting)?;
            let _slot = drawing
                .slots
                .acquire()
                .await
                .map_err(|e| ExportError::Internal(e.to_string()))?;
            drop(waiting);
            tokio::task::spawn_blocking(move || {
                let board = svg::Board {
                    view: &request.view,
                    note: &request.note,
                    evidence: request.evidence.as_ref(),
                    words: request.words,
                };
                match request.format {
                    Format::Pdf => render::pdf(&board, request.paper),
                    Format::Png => render::png(&board, request.scale),
                    _ => Ok(render::svg(&board).into_bytes()),
                }
            })
            .await
            .map_err(|e| ExportError::Internal(format!("export task failed: {e}")))?
        }
    }
}

/// An import's source format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// The JSON map file.
    Json,
    /// A card table.
    Csv,
}

/// Reads an uploaded file into a checked map file; every problem found, each with its
/// place. `title` names a CSV import's map (a JSON file carries its own unless given),
/// `untitled` when not given (in the importer's language).
pub fn read_upload(
    format: ImportFormat,
    data: &[u8],
    (title, untitled): (Option<&str>, &str),
    now: i64,
) -> Result<(MapFile, exchange::Counts), Vec<Problem>> {
    let problem = |at: &str, code: &str, values: &[(&str, &dyn std::fmt::Display)]| {
        vec![Problem::new(at, code, values)]
    };
    let mut file = match format {
        ImportFormat::Json => {
            let text = std::str::from_utf8(data)
                .map_err(|e| problem("file", "not_utf8", &[("byte", &e.valid_up_to())]))?;
            // A file from before cards could be on several paths names one `path`.
            let legacy = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|mut value| exchange::upgrade(&mut value).then_some(value));
            let parsed = match legacy {
                Some(value) => serde_json::from_value::<MapFile>(value),
                None => serde_json::from_str::<MapFile>(text),
            };
            parsed.map_err(|e| {
                let version = serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .and_then(|v| v.get("version").and_then(|v| v.as_u64()));
                match version {
                    Some(v) if v != u64::from(exchange::VERSION) => problem(
                        "$.version",
                        "unsupported_version",
                        &[("version", &v), ("supported", &exchange::VERSION)],
                    ),
                    _ => vec![exchange::json_problem(
                        exchange::place(
                            "line_column",
                            &[("line", &e.line()), ("column", &e.column())],
                        ),
                        &e,
                    )],
                }
            })?
        }
        ImportFormat::Csv => {
            let rows = table::read(data)?;
            let title = title.unwrap_or(untitled);
            exchange::file_from_rows(title, &rows, now)?
        }
    };
    if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
        file.map.meta.title = title.to_owned();
    }
    let counts = exchange::check(&file)?;
    Ok((file, counts))
}
