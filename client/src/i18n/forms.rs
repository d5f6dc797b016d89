//! The server's sentences that come as a form's code and values next to their English
//! (inbox lines, friction sentences, skipped event-log rows, import problems): each
//! form's text in the catalogue by code, and the sentence worded in the language shown.
//! The English forms are the shared crate's (`INBOX_FORMS`, `FRICTION_FORMS`,
//! `BAD_ROW_FORMS`, `PROBLEM_FORMS`, `PLACE_FORMS`); the tests below check the
//! catalogue's English against them, so an English page shows what the server wrote.
//! A code this build does not know (a newer server) shows the server's English.

use parcours_shared::api::{BadRow, InboxItem};
use parcours_shared::exchange::{place_parts, Problem};
use parcours_shared::ids::Role;
use parcours_shared::words::{fill, fill_values};

use super::{lang, t, Lang, Texts};

/// A friction sentence's form (`Friction::form`).
pub fn friction_form(texts: &Texts, code: &str) -> Option<&'static str> {
    Some(match code {
        "stage" => texts.form_friction_stage,
        "stage_worst" => texts.form_friction_stage_worst,
        "touchpoint" => texts.form_friction_touchpoint,
        _ => return None,
    })
}

/// An inbox item's form (`InboxItem::parts.form`).
pub fn inbox_form(texts: &Texts, code: &str) -> Option<&'static str> {
    Some(match code {
        "mention" => texts.form_inbox_mention,
        "reply" => texts.form_inbox_reply,
        "review_request" => texts.form_inbox_review_request,
        "round_closed" => texts.form_inbox_round_closed,
        "round_closed_at_due_date" => texts.form_inbox_round_closed_at_due_date,
        "round_due_soon" => texts.form_inbox_round_due_soon,
        "invitation" => texts.form_inbox_invitation,
        _ => return None,
    })
}

/// A skipped row's form (`BadRow::code`).
pub fn bad_row_form(texts: &Texts, code: &str) -> Option<&'static str> {
    Some(match code {
        "missing_field" => texts.form_bad_row_missing_field,
        "not_utf8" => texts.form_bad_row_not_utf8,
        "too_long" => texts.form_bad_row_too_long,
        "empty" => texts.form_bad_row_empty,
        "bad_timestamp" => texts.form_bad_row_bad_timestamp,
        "not_a_number" => texts.form_bad_row_not_a_number,
        "too_many_activities" => texts.form_bad_row_too_many_activities,
        _ => return None,
    })
}

/// An event log's column as a skipped row's reason names it.
pub fn event_column(texts: &Texts, code: &str) -> Option<&'static str> {
    Some(match code {
        "case_id" => texts.event_column_case_id,
        "activity" => texts.event_column_activity,
        "timestamp" => texts.event_column_timestamp,
        "channel" => texts.event_column_channel,
        "segment" => texts.event_column_segment,
        "value" => texts.event_column_value,
        _ => return None,
    })
}

/// An import problem's form (`Problem::code`).
pub fn problem_form(texts: &Texts, code: &str) -> Option<&'static str> {
    Some(match code {
        "bad_format" => texts.form_problem_bad_format,
        "unsupported_version" => texts.form_problem_unsupported_version,
        "title_length" => texts.form_problem_title_length,
        "too_many" => texts.form_problem_too_many,
        "unknown_persona" => texts.form_problem_unknown_persona,
        "unknown_stage" => texts.form_problem_unknown_stage,
        "unknown_lane" => texts.form_problem_unknown_lane,
        "unknown_path" => texts.form_problem_unknown_path,
        "unknown_card" => texts.form_problem_unknown_card,
        "not_a_touchpoint" => texts.form_problem_not_a_touchpoint,
        "same_card" => texts.form_problem_same_card,
        "scores_count" => texts.form_problem_scores_count,
        "score_range" => texts.form_problem_score_range,
        "channel_lane" => texts.form_problem_channel_lane,
        "owner_lane" => texts.form_problem_owner_lane,
        "kpi_lane" => texts.form_problem_kpi_lane,
        "more_problems" => texts.form_problem_more_problems,
        "too_long" => texts.form_problem_too_long,
        "id_length" => texts.form_problem_id_length,
        "duplicate_id" => texts.form_problem_duplicate_id,
        "too_many_cards" => texts.form_problem_too_many_cards,
        "no_stage" => texts.form_problem_no_stage,
        "no_lane" => texts.form_problem_no_lane,
        "bad_lane_kind" => texts.form_problem_bad_lane_kind,
        "lane_kind_conflict" => texts.form_problem_lane_kind_conflict,
        "too_many_stages_lanes" => texts.form_problem_too_many_stages_lanes,
        "bad_channel" => texts.form_problem_bad_channel,
        "bad_status" => texts.form_problem_bad_status,
        "not_a_number" => texts.form_problem_not_a_number,
        "not_utf8" => texts.form_problem_not_utf8,
        "header_unreadable" => texts.form_problem_header_unreadable,
        "missing_column" => texts.form_problem_missing_column,
        "missing_columns" => texts.form_problem_missing_columns,
        "row_unreadable" => texts.form_problem_row_unreadable,
        "too_many_rows" => texts.form_problem_too_many_rows,
        "not_a_map_file" => texts.form_problem_not_a_map_file,
        "not_written" => texts.form_problem_not_written,
        "json_syntax" => texts.form_problem_json_syntax,
        "json_cut" => texts.form_problem_json_cut,
        "json_missing_field" => texts.form_problem_json_missing_field,
        "json_duplicate_field" => texts.form_problem_json_duplicate_field,
        "json_unknown_field" => texts.form_problem_json_unknown_field,
        "json_unknown_value" => texts.form_problem_json_unknown_value,
        "json_wrong_type" => texts.form_problem_json_wrong_type,
        _ => return None,
    })
}

/// A kind of JSON value (`JSON_KINDS`), as `json_wrong_type` names it.
pub fn json_kind(texts: &Texts, code: &str) -> Option<&'static str> {
    Some(match code {
        "string" => texts.json_kind_string,
        "number" => texts.json_kind_number,
        "boolean" => texts.json_kind_boolean,
        "null" => texts.json_kind_null,
        "array" => texts.json_kind_array,
        "object" => texts.json_kind_object,
        "value" => texts.json_kind_value,
        _ => return None,
    })
}

/// A problem's place in the file (`PLACE_FORMS`).
pub fn place_form(texts: &Texts, code: &str) -> Option<&'static str> {
    Some(match code {
        "row_column" => texts.form_place_row_column,
        "row" => texts.form_place_row,
        "line_column" => texts.form_place_line_column,
        "file" => texts.form_place_file,
        "rows" => texts.form_place_rows,
        _ => return None,
    })
}

/// An inbox item's line in the language shown; its `text` when it has no parts (an
/// item from before they were kept) or parts this build does not know.
pub fn inbox_line(item: &InboxItem) -> String {
    let Some(parts) = &item.parts else {
        return item.text.clone();
    };
    let Some(form) = inbox_form(t(), &parts.form) else {
        return item.text.clone();
    };
    let shown = lang();
    fill(form, |name| {
        let value = parts.values.get(name)?;
        // A role is a code: English shows it as the server writes it.
        if name == "role" && shown == Lang::Fr {
            return Some(
                Role::parse(value)
                    .map(|r| crate::format::role_label(r).to_lowercase())
                    .unwrap_or_else(|| value.clone()),
            );
        }
        Some(value.clone())
    })
}

/// A timestamp format (`TIMESTAMP_FORMATS` but `auto`) by name, with an example; the
/// code itself for one this build does not know.
pub fn timestamp_format(texts: &Texts, code: &str) -> String {
    match code {
        "iso8601" => texts.timestamp_format_iso8601,
        "dmy" => texts.timestamp_format_dmy,
        "mdy" => texts.timestamp_format_mdy,
        "epoch_s" => texts.timestamp_format_epoch_s,
        "epoch_ms" => texts.timestamp_format_epoch_ms,
        _ => code,
    }
    .to_owned()
}

/// Why a row was skipped, in the language shown (its `reason` for an unknown code).
pub fn bad_row_reason(row: &BadRow) -> String {
    bad_row_reason_in(t(), row)
}

/// [`bad_row_reason`] in the language of `texts`.
fn bad_row_reason_in(texts: &Texts, row: &BadRow) -> String {
    let mut row = row.clone();
    row.format = row.format.map(|f| timestamp_format(texts, &f));
    row.worded(
        |code| bad_row_form(texts, code),
        |column| event_column(texts, column).map(str::to_owned),
    )
}

/// An import problem's message in the language shown (its `message` for an unknown
/// code).
pub fn problem_message(problem: &Problem) -> String {
    problem_message_in(t(), problem)
}

/// [`problem_message`] in the language of `texts`.
fn problem_message_in(texts: &Texts, problem: &Problem) -> String {
    let Some(form) = problem_form(texts, &problem.code) else {
        return problem.message.clone();
    };
    fill(form, |name| {
        let value = problem.values.get(name)?;
        // A JSON kind is a code, worded like the form.
        Some(match name {
            "found" => json_kind(texts, value).unwrap_or(value).to_owned(),
            _ => value.clone(),
        })
    })
}

/// An import problem's place in the language shown (a JSON path as it is).
pub fn problem_place(at: &str) -> String {
    match place_parts(at) {
        Some((code, values)) => place_form(t(), code)
            .map(|form| fill_values(form, &values))
            .unwrap_or_else(|| at.to_owned()),
        None => at.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use parcours_shared::api::{BAD_ROW_FORMS, EVENT_COLUMNS, FRICTION_FORMS, INBOX_FORMS};
    use parcours_shared::exchange::{PLACE_FORMS, PROBLEM_FORMS};
    use parcours_shared::words::Values;

    use super::*;
    use crate::i18n::{EN, FR};

    type Lookup = fn(&Texts, &str) -> Option<&'static str>;
    /// A table's name, its shared forms and how the catalogue looks a code up.
    type Table = (
        &'static str,
        &'static [(&'static str, &'static str)],
        Lookup,
    );

    /// Every shared form has its catalogue entry, whose English is the shared text
    /// itself, and whose French exists; the catalogue words no code the server lacks.
    #[test]
    fn the_catalogue_english_is_the_shared_forms() {
        let tables: [Table; 6] = [
            ("friction", FRICTION_FORMS, friction_form),
            ("inbox", INBOX_FORMS, inbox_form),
            ("bad row", BAD_ROW_FORMS, bad_row_form),
            ("column", EVENT_COLUMNS, event_column),
            ("problem", PROBLEM_FORMS, problem_form),
            ("place", PLACE_FORMS, place_form),
        ];
        for (what, forms, lookup) in tables {
            for (code, english) in forms {
                assert_eq!(lookup(&EN, code), Some(*english), "{what} {code}");
                assert!(lookup(&FR, code).is_some(), "{what} {code} in French");
            }
            assert_eq!(lookup(&EN, "no such code"), None);
        }
        assert_eq!(
            EN.form_friction_unknown_time,
            parcours_shared::api::FRICTION_UNKNOWN_TIME
        );
        assert_eq!(
            EN.round_version_name,
            parcours_shared::api::ROUND_VERSION_FORM
        );
    }

    /// `form` filled with `values`.
    fn english_of(form: Option<&'static str>, values: &Values) -> Option<String> {
        form.map(|f| fill_values(f, values))
    }

    /// Every JSON kind the server names is worded in both languages, the English as
    /// the server writes it; a French problem about a JSON file holds no English.
    #[test]
    fn json_problems_read_in_french() {
        use parcours_shared::exchange::JSON_KINDS;
        for kind in JSON_KINDS {
            assert_eq!(json_kind(&EN, kind), Some(kind), "{kind}");
            assert!(json_kind(&FR, kind).is_some(), "{kind} in French");
        }
        let wrong = Problem::new(
            "line 3, column 9",
            "json_wrong_type",
            &[("found", &"array")],
        );
        assert_eq!(problem_message_in(&EN, &wrong), wrong.message);
        assert_eq!(
            problem_message_in(&FR, &wrong),
            "une valeur du mauvais type : tableau JSON"
        );
        // The reader's own English, kept for English pages, stays out of the French.
        let other = Problem::new(
            "line 1, column 2",
            "not_a_map_file",
            &[(
                "error",
                &"invalid length 2, expected fewer elements in array",
            )],
        );
        assert!(problem_message_in(&EN, &other).contains("invalid length"));
        assert!(!problem_message_in(&FR, &other).contains("invalid"));
        for code in ["header_unreadable", "row_unreadable"] {
            let p = Problem::new("row 1", code, &[("error", &"CSV error: record 1")]);
            assert!(!problem_message_in(&FR, &p).contains("CSV error"), "{code}");
        }
    }

    /// Timestamp formats are named, not shown as codes, in both languages.
    #[test]
    fn timestamp_formats_are_named() {
        use parcours_shared::api::TIMESTAMP_FORMATS;
        for code in TIMESTAMP_FORMATS.iter().filter(|f| **f != "auto") {
            for texts in [&EN, &FR] {
                let name = timestamp_format(texts, code);
                assert_ne!(name, *code, "{code}");
                assert!(!name.contains('_'), "{code}: {name}");
            }
        }
        let row = BadRow::new(
            7,
            "bad_timestamp",
            Some("timestamp"),
            Some("hier".into()),
            Some("dmy"),
        );
        assert_eq!(
            bad_row_reason_in(&FR, &row),
            "l'horodatage « hier » n'est pas au format jour/mois/année (01/06/2026 10:15)"
        );
        assert!(bad_row_reason_in(&EN, &row).contains("day/month/year"));
    }

    #[test]
    fn french_places_read_from_the_english() {
        let values = place_parts("row 12, column channel").expect("a place").1;
        assert_eq!(
            english_of(place_form(&FR, "row_column"), &values).as_deref(),
            Some("ligne 12, colonne channel")
        );
        assert_eq!(place_parts("$.map.cards[3].stage"), None);
    }
}
