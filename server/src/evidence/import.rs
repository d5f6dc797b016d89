//! Reading event logs from CSV: a preview of a file's start (delimiter, header, first
//! rows, columns and timestamp format guessed), and the streaming import itself, which
//! reads rows one by one, skips and reports bad ones, and hands encoded chunks to the
//! caller as it goes (memory stays at one chunk plus the dictionaries).

use std::io::Read;

use parcours_shared::api::{BadRow, ColumnMapping, DatasetPreview};

use super::table::{encode_rows, Dict, EventTable, Row, CHUNK_ROWS};
use super::timefmt::{self, Format};

/// Bad rows kept to show.
pub const BAD_SAMPLES: usize = 100;
/// Rows read before the timestamp format is decided, when it is `auto`.
const DETECT_ROWS: usize = 200;
/// Longest field kept (case ids, activity names…), in bytes.
const MAX_FIELD_BYTES: usize = 512;
/// Rows between two progress reports.
const PROGRESS_ROWS: u64 = 100_000;
/// Distinct activities a log may have.
pub const MAX_ACTIVITIES: usize = 10_000;

/// Why an import stopped; nothing of it is kept.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The file or the settings are wrong; `code` is the API's.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// Over a size or count limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// Storing failed.
    #[error("storage failed: {0}")]
    Store(String),
}

impl ImportError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> ImportError {
        ImportError::Invalid {
            code,
            message: message.into(),
        }
    }
}

/// How to read the file.
#[derive(Debug, Clone)]
pub struct Spec {
    pub columns: ColumnMapping,
    pub delimiter: u8,
    /// `None`: detect from the first rows.
    pub format: Option<Format>,
    /// More bad rows than this stops the import.
    pub max_bad_rows: u64,
    pub max_rows: u64,
    /// Keep the rows in memory after encoding (for a first analysis) up to this many.
    pub keep_rows: usize,
}

/// What an import read.
#[derive(Debug)]
pub struct Imported {
    /// Dictionaries always; rows too when there were at most `keep_rows`.
    pub table: EventTable,
    pub kept_rows: bool,
    pub rows: u64,
    pub bad_rows: u64,
    pub bad_samples: Vec<BadRow>,
    pub activity_events: Vec<u64>,
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
    pub format: Format,
}

/// The delimiter of a header line: the most frequent of `,` `;` tab `|`.
pub fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let n = first_line.iter().filter(|&&c| c == d).count();
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// The delimiter as text, for people.
pub fn delimiter_name(d: u8) -> String {
    if d == b'\t' {
        "\t".into()
    } else {
        (d as char).to_string()
    }
}

/// Reads the start of a file: delimiter, header, up to 20 rows, a column guess.
pub fn preview(start: &[u8]) -> Result<DatasetPreview, ImportError> {
    let first_line = start.split(|&c| c == b'\n').next().unwrap_or_default();
    let delimiter = sniff_delimiter(first_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(start);
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| String::from_utf8(f.to_vec()))
            .collect::<Result<_, _>>()
            .map_err(|_| {
                ImportError::invalid("invalid_encoding", "the header is not UTF-8 text")
            })?,
        Err(e) => {
            return Err(ImportError::invalid(
                "invalid_csv",
                format!("the header cannot be read: {e}"),
            ))
        }
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::invalid(
            "invalid_csv",
            "the file has no header line",
        ));
    }
    let mut rows = Vec::new();
    for record in reader.byte_records().take(20) {
        // The sample may end mid-row: stop at what cannot be read.
        let Ok(record) = record else { break };
        rows.push(
            record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect::<Vec<_>>(),
        );
    }
    let guess = |names: &[&str]| -> String {
        headers
            .iter()
            .find(|h| {
                let h = h.trim().to_lowercase().replace([' ', '-'], "_");
                names.iter().any(|n| h == *n || h.contains(n))
            })
            .cloned()
            .unwrap_or_default()
    };
    let optional = |names: &[&str]| Some(guess(names)).filter(|s| !s.is_empty());
    let suggested = ColumnMapping {
        case_id: guess(&[
            "case_id", "case", "customer", "client", "user", "session", "id",
        ]),
        activity: guess(&["activity", "event", "action", "step", "activite", "etape"]),
        timestamp: guess(&["timestamp", "time", "date", "horodatage"]),
        channel: optional(&["channel", "canal"]),
        segment: optional(&["segment", "persona"]),
        value: optional(&["value", "amount", "montant", "valeur"]),
        timestamp_format: None,
    };
    let timestamp_format = headers
        .iter()
        .position(|h| *h == suggested.timestamp)
        .and_then(|i| timefmt::detect(rows.iter().filter_map(|r| r.get(i).map(String::as_str))))
        .map(|f| f.name().to_owned());
    Ok(DatasetPreview {
        delimiter: delimiter_name(delimiter),
        headers,
        rows,
        suggested,
        timestamp_format,
    })
}

/// Column positions resolved from the header.
struct Columns {
    case: usize,
    activity: usize,
    timestamp: usize,
    channel: Option<usize>,
    segment: Option<usize>,
    value: Option<usize>,
}

fn resolve(
    headers: &[String],
    spec: &ColumnMapping,
    delimiter: u8,
) -> Result<Columns, ImportError> {
    let find = |what: &str, name: &str| -> Result<usize, ImportError> {
        headers
            .iter()
            .position(|h| h.trim() == name.trim())
            .ok_or_else(|| {
                let hint = if headers.len() == 1 {
                    format!(
                        " (the header reads as one column with the delimiter “{}”: is it another one?)",
                        delimiter_name(delimiter)
                    )
                } else {
                    String::new()
                };
                ImportError::invalid(
                    "missing_column",
                    format!("the {what} column “{name}” is not in the header{hint}"),
                )
            })
    };
    let required = |what: &str, name: &str| -> Result<usize, ImportError> {
        if name.trim().is_empty() {
            return Err(ImportError::invalid(
                "missing_column",
                format!("choose the column that holds the {what}"),
            ));
        }
        find(what, name)
    };
    let optional = |what: &str, name: &Option<String>| -> Result<Option<usize>, ImportError> {
        match name.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(n) => find(what, n).map(Some),
        }
    };
    Ok(Columns {
        case: required("case id", &spec.case_id)?,
        activity: required("activity", &spec.activity)?,
        timestamp: required("timestamp", &spec.timestamp)?,
        channel: optional("channel", &spec.channel)?,
        segment: optional("segment", &spec.segment)?,
        value: optional("value", &spec.value)?,
    })
}

/// The running import's state.
struct Builder<'a> {
    spec: &'a Spec,
    cases: Dict,
    activities: Dict,
    channels: Dict,
    segments: Dict,
    chunk: Vec<Row>,
    kept: Vec<Row>,
    keep: bool,
    rows: u64,
    bad: u64,
    samples: Vec<BadRow>,
    activity_events: Vec<u64>,
    first_at: Option<i64>,
    last_at: Option<i64>,
}

impl Builder<'_> {
    fn bad_row(&mut self, line: u64, why: Why) -> Result<(), ImportError> {
        self.bad += 1;
        if self.samples.len() < BAD_SAMPLES {
            self.samples.push(BadRow::new(
                line, why.code, why.column, why.value, why.format,
            ));
        }
        if self.bad > self.spec.max_bad_rows {
            let first = &self.samples[0];
            return Err(ImportError::invalid(
                "too_many_bad_rows",
                format!(
                    "more than {} rows could not be read; the first, line {}: {}",
                    self.spec.max_bad_rows, first.line, first.reason
                ),
            ));
        }
        Ok(())
    }
}

/// Why a row is skipped: a code of `BAD_ROW_FORMS` and its values.
struct Why {
    code: &'static str,
    column: Option<&'static str>,
    value: Option<String>,
    format: Option<&'static str>,
}

impl Why {
    fn new(code: &'static str, column: Option<&'static str>, value: Option<String>) -> Why {
        Why {
            code,
            column,
            value,
            format: None,
        }
    }
}

/// Field `i` (the column `what`, as `ColumnMapping` names it), trimmed.
fn field<'r>(record: &'r csv::ByteRecord, i: usize, what: &'static str) -> Result<&'r str, Why> {
    let bytes = record
        .get(i)
        .ok_or_else(|| Why::new("missing_field", Some(what), Some(record.len().to_string())))?;
    let text = std::str::from_utf8(bytes).map_err(|_| Why::new("not_utf8", Some(what), None))?;
    if text.len() > MAX_FIELD_BYTES {
        return Err(Why::new(
            "too_long",
            Some(what),
            Some(MAX_FIELD_BYTES.to_string()),
        ));
    }
    Ok(text.trim())
}

/// Reads the whole log from `input`. `on_chunk` receives each encoded chunk (and may
/// refuse to go on); `on_progress` gets `(rows, bad rows, bytes read)` now and then.
pub fn import(
    input: impl Read,
    spec: &Spec,
    mut on_chunk: impl FnMut(Vec<u8>) -> Result<(), ImportError>,
    mut on_progress: impl FnMut(u64, u64, u64),
) -> Result<Imported, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(spec.delimiter)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| read_error(&e))?
        .iter()
        .map(|f| String::from_utf8(f.to_vec()))
        .collect::<Result<_, _>>()
        .map_err(|_| ImportError::invalid("invalid_encoding", "the header is not UTF-8 text"))?;
    let cols = resolve(&headers, &spec.columns, spec.delimiter)?;
    let mut b = Builder {
        spec,
        cases: Dict::default(),
        activities: Dict::default(),
        channels: Dict::with_empty(),
        segments: Dict::with_empty(),
        chunk: Vec::with_capacity(CHUNK_ROWS),
        kept: Vec::new(),
        keep: true,
        rows: 0,
        bad: 0,
        samples: Vec::new(),
        activity_events: Vec::new(),
        first_at: None,
        last_at: None,
    };
    let mut format = spec.format;
    let mut waiting: Vec<(u64, csv::ByteRecord)> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut next_report = PROGRESS_ROWS;
    loop {
        let more = reader
            .read_byte_record(&mut record)
            .map_err(|e| read_error(&e))?;
        let line = record.position().map_or(0, |p| p.line());
        if !more {
            break;
        }
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        if format.is_none() {
            waiting.push((line, record.clone()));
            if waiting.len() < DETECT_ROWS {
                continue;
            }
            format = Some(decide(&waiting, cols.timestamp)?);
            for (line, rec) in std::mem::take(&mut waiting) {
                take_row(
                    &mut b,
                    &cols,
                    format.unwrap_or(Format::Iso8601),
                    line,
                    &rec,
                    &mut on_chunk,
                )?;
            }
            continue;
        }
        take_row(
            &mut b,
            &cols,
            format.unwrap_or(Format::Iso8601),
            line,
            &record,
            &mut on_chunk,
        )?;
        if b.rows >= next_report {
            on_progress(b.rows, b.bad, reader.position().byte());
            next_report = b.rows + PROGRESS_ROWS;
        }
    }
    if format.is_none() {
        if waiting.is_empty() {
            return Err(ImportError::invalid(
                "empty_log",
                "the file has no rows after its header",
            ));
        }
        format = Some(decide(&waiting, cols.timestamp)?);
        for (line, rec) in std::mem::take(&mut waiting) {
            take_row(
                &mut b,
                &cols,
                format.unwrap_or(Format::Iso8601),
                line,
                &rec,
                &mut on_chunk,
            )?;
        }
    }
    if b.rows == 0 {
        return Err(ImportError::invalid(
            "empty_log",
            match b.samples.first() {
                Some(first) => format!(
                    "no row could be read; line {}: {}",
                    first.line, first.reason
                ),
                None => "the file has no rows after its header".into(),
            },
        ));
    }
    if !b.chunk.is_empty() {
        flush(&mut b, &mut on_chunk)?;
    }
    on_progress(b.rows, b.bad, reader.position().byte());
    Ok(Imported {
        kept_rows: b.keep,
        table: EventTable {
            cases: b.cases.names,
            activities: b.activities.names,
            channels: b.channels.names,
            segments: b.segments.names,
            rows: if b.keep { b.kept } else { Vec::new() },
        },
        rows: b.rows,
        bad_rows: b.bad,
        bad_samples: b.samples,
        activity_events: b.activity_events,
        first_at: b.first_at,
        last_at: b.last_at,
        format: format.unwrap_or(Format::Iso8601),
    })
}

fn read_error(e: &csv::Error) -> ImportError {
    if let csv::ErrorKind::Io(io) = e.kind() {
        if io.kind() == std::io::ErrorKind::FileTooLarge {
            return ImportError::TooLarge(io.to_string());
        }
        return ImportError::invalid("upload_failed", format!("the upload broke off: {io}"));
    }
    ImportError::invalid(
        "invalid_csv",
        format!("the file cannot be read as CSV: {e}"),
    )
}

/// The timestamp format of the first rows, or a clear error naming an example.
fn decide(rows: &[(u64, csv::ByteRecord)], col: usize) -> Result<Format, ImportError> {
    let samples: Vec<&str> = rows
        .iter()
        .filter_map(|(_, r)| r.get(col))
        .filter_map(|f| std::str::from_utf8(f).ok())
        .filter(|s| !s.trim().is_empty())
        .collect();
    // The format most rows read in: a few bad ones are reported as bad rows, not a
    // reason to refuse the whole file.
    let best = [
        Format::Iso8601,
        Format::Dmy,
        Format::Mdy,
        Format::EpochMs,
        Format::EpochS,
    ]
    .into_iter()
    .map(|f| (f, samples.iter().filter(|s| f.parse(s).is_some()).count()))
    .max_by_key(|(_, n)| *n);
    match best {
        Some((f, n)) if n * 2 > samples.len() => {
            // Day-first and month-first both read 01/06: prefer what reads them all.
            Ok(timefmt::detect(samples.iter().copied()).unwrap_or(f))
        }
        _ => Err(ImportError::invalid(
            "invalid_timestamp",
            format!(
                "the timestamps cannot be read (e.g. “{}”); choose their format",
                samples.first().copied().unwrap_or("")
            ),
        )),
    }
}

fn take_row(
    b: &mut Builder<'_>,
    cols: &Columns,
    format: Format,
    line: u64,
    record: &csv::ByteRecord,
    on_chunk: &mut impl FnMut(Vec<u8>) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let parsed = (|| -> Result<Row, Why> {
        let case = field(record, cols.case, "case_id")?;
        let activity = field(record, cols.activity, "activity")?;
        let ts = field(record, cols.timestamp, "timestamp")?;
        if case.is_empty() {
            return Err(Why::new("empty", Some("case_id"), None));
        }
        if activity.is_empty() {
            return Err(Why::new("empty", Some("activity"), None));
        }
        let at = format.parse(ts).ok_or_else(|| Why {
            code: "bad_timestamp",
            column: Some("timestamp"),
            value: Some(ts.to_owned()),
            format: Some(format.name()),
        })?;
        let opt = |i: Option<usize>, what: &'static str| -> Result<&str, Why> {
            match i {
                Some(i) if i < record.len() => field(record, i, what),
                _ => Ok(""),
            }
        };
        let channel = opt(cols.channel, "channel")?;
        let segment = opt(cols.segment, "segment")?;
        let value = match opt(cols.value, "value")? {
            "" => f64::NAN,
            v => v
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| Why::new("not_a_number", Some("value"), Some(v.to_owned())))?,
        };
        if b.activities.len() >= MAX_ACTIVITIES && !b.activities.names.iter().any(|a| a == activity)
        {
            return Err(Why::new(
                "too_many_activities",
                None,
                Some(MAX_ACTIVITIES.to_string()),
            ));
        }
        let activity = b.activities.intern(activity);
        Ok(Row {
            case: b.cases.intern(case),
            activity,
            at,
            channel: if channel.bytes().any(|c| c.is_ascii_uppercase()) || !channel.is_ascii() {
                b.channels.intern(&channel.to_lowercase())
            } else {
                b.channels.intern(channel)
            },
            segment: b.segments.intern(segment),
            value,
        })
    })();
    match parsed {
        Ok(row) => {
            b.rows += 1;
            if b.rows > b.spec.max_rows {
                return Err(ImportError::TooLarge(format!(
                    "the log has more than {} rows",
                    b.spec.max_rows
                )));
            }
            let a = row.activity as usize;
            if b.activity_events.len() <= a {
                b.activity_events.resize(a + 1, 0);
            }
            b.activity_events[a] += 1;
            b.first_at = Some(b.first_at.map_or(row.at, |f| f.min(row.at)));
            b.last_at = Some(b.last_at.map_or(row.at, |l| l.max(row.at)));
            b.chunk.push(row);
            if b.chunk.len() >= CHUNK_ROWS {
                flush(b, on_chunk)?;
            }
            Ok(())
        }
        Err(why) => b.bad_row(line, why),
    }
}

fn flush(
    b: &mut Builder<'_>,
    on_chunk: &mut impl FnMut(Vec<u8>) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    on_chunk(encode_rows(&b.chunk))?;
    if b.keep && b.kept.len() + b.chunk.len() <= b.spec.keep_rows {
        b.kept.extend_from_slice(&b.chunk);
    } else {
        b.keep = false;
        b.kept = Vec::new();
    }
    b.chunk.clear();
    Ok(())
}
