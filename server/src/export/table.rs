//! The card table as CSV: written one row per card with formula-looking cells escaped
//! (`exchange::escape_cell`), and read back from any spreadsheet's CSV (comma,
//! semicolon or tab, detected from the header line) with each problem naming its row.

use parcours_shared::exchange::{self, CardRow, Problem, CSV_COLUMNS};
use parcours_shared::view::MapView;

/// The card table of `map` as CSV (UTF-8, header line first, CRLF line ends).
pub fn write(map: &MapView) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(map.cards.len() * 96 + 256));
    // Writing into a Vec cannot fail.
    let _ = w.write_record(CSV_COLUMNS);
    for row in exchange::rows_of(map) {
        let _ = w.write_record(
            row.cells
                .iter()
                .map(|c| exchange::escape_cell(c).into_owned()),
        );
    }
    w.into_inner().unwrap_or_default()
}

/// The rows of a CSV card table, each with its row number as a spreadsheet shows it
/// (the header is row 1).
/// Columns are found by name (case and surrounding spaces ignored); `stage`, `lane` and
/// `text` are required, the others of [`CSV_COLUMNS`] optional, unknown ones ignored.
pub fn read(data: &[u8]) -> Result<Vec<(u64, CardRow)>, Vec<Problem>> {
    let problem = |at: &str, code: &str, values: &[(&str, &dyn std::fmt::Display)]| {
        vec![Problem::new(at, code, values)]
    };
    let text = std::str::from_utf8(data)
        .map_err(|e| problem("file", "not_utf8", &[("byte", &e.valid_up_to())]))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            problem(
                &exchange::place("row", &[("row", &1)]),
                "header_unreadable",
                &[("error", &e)],
            )
        })?
        .clone();
    let index: Vec<Option<usize>> = CSV_COLUMNS
        .iter()
        .map(|name| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        })
        .collect();
    let missing: Vec<&str> = ["stage", "lane", "text"]
        .into_iter()
        .filter(|name| {
            let i = CSV_COLUMNS.iter().position(|c| c == name).unwrap_or(0);
            index[i].is_none()
        })
        .collect();
    if !missing.is_empty() {
        return Err(problem(
            &exchange::place("row", &[("row", &1)]),
            if missing.len() > 1 {
                "missing_columns"
            } else {
                "missing_column"
            },
            &[
                ("missing", &missing.join(", ")),
                ("found", &headers.iter().collect::<Vec<_>>().join(", ")),
            ],
        ));
    }
    let mut rows = Vec::new();
    // Rows are counted as a spreadsheet shows them: the header is row 1.
    for (line, record) in (2u64..).zip(reader.records()) {
        let record = record.map_err(|e| {
            problem(
                &exchange::place("row", &[("row", &line)]),
                "row_unreadable",
                &[("error", &e)],
            )
        })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() >= exchange::MAX_CARDS {
            return Err(problem(
                &exchange::place("row", &[("row", &line)]),
                "too_many_rows",
                &[("max", &exchange::MAX_CARDS)],
            ));
        }
        let mut row = CardRow::default();
        for (slot, i) in row.cells.iter_mut().zip(&index) {
            if let Some(cell) = i.and_then(|i| record.get(i)) {
                *slot = cell.to_owned();
            }
        }
        rows.push((line, row));
    }
    Ok(rows)
}
