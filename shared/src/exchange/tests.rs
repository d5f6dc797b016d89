//! The map file and the card table, on every template.

use super::*;
use crate::schema::MapDoc;
use crate::templates::{self, Template};

fn template_view(t: Template) -> MapView {
    let doc = MapDoc::new(yrs::Doc::new());
    let mut n = 0;
    let mut ids = || {
        n += 1;
        format!("id{n}")
    };
    doc.edit(|txn| templates::apply(t, txn, "", crate::Language::En, &mut ids))
        .unwrap();
    crate::view::read_view(doc.doc())
}

fn import(file: &MapFile) -> MapView {
    check(file).unwrap();
    let doc = MapDoc::new(yrs::Doc::new());
    let mut n = 0;
    let mut ids = || {
        n += 1;
        format!("new{n}")
    };
    doc.edit(|txn| write(&file.map, &file.map.meta.title, txn, &mut ids))
        .unwrap();
    crate::view::read_view(doc.doc())
}

#[test]
fn every_template_survives_a_round_trip() {
    for t in Template::ALL {
        let view = template_view(t);
        let file = MapFile::new(view.clone(), 0);
        let text = serde_json::to_string(&file).unwrap();
        let back: MapFile = serde_json::from_str(&text).unwrap();
        let imported = import(&back);
        assert_eq!(without_ids(&imported), without_ids(&view), "{t:?}");
        assert!(imported.cards.iter().all(|c| c.id.starts_with("new")));
    }
}

#[test]
fn problems_name_their_place() {
    let mut view = template_view(Template::RetailBank);
    let first = view.stages[0].id.clone();
    view.stages[1].id = first.clone();
    view.cards[0].lane = "nowhere".into();
    let touch = view
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Actions)
        .unwrap()
        .id
        .clone();
    let i = view.cards.iter().position(|c| c.channel.is_some()).unwrap();
    view.cards[i].lane = touch;
    let problems = check(&MapFile::new(view, 0)).unwrap_err();
    let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
    assert!(at.contains(&"$.map.stages[1].id"), "{at:?}");
    assert!(at.contains(&"$.map.cards[0].lane"), "{at:?}");
    assert!(
        at.contains(&format!("$.map.cards[{i}].channel").as_str()),
        "{at:?}"
    );
}

#[test]
fn unknown_versions_are_refused() {
    let mut file = MapFile::new(template_view(Template::Blank), 0);
    file.version = 2;
    let problems = check(&file).unwrap_err();
    assert_eq!(problems[0].at, "$.version");
}

#[test]
fn formulas_are_escaped_and_come_back() {
    for text in [
        "=HYPERLINK(\"http://x\")",
        "+1+2",
        "@SUM(A1)",
        "-x",
        "'=already",
    ] {
        let cell = escape_cell(text);
        assert!(cell.starts_with('\''), "{text}");
        assert_eq!(unescape(&cell), text);
    }
    for text in ["plain", "-3.5", "12", "it's"] {
        assert_eq!(escape_cell(text), text);
        assert_eq!(unescape(text), text);
    }
}

#[test]
fn card_tables_round_trip() {
    let view = template_view(Template::RetailBank);
    let rows: Vec<(u64, CardRow)> = rows_of(&view)
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 2, r))
        .collect();
    let file = file_from_rows("Bank", &rows, 0).unwrap();
    let imported = import(&file);
    let again: Vec<CardRow> = rows_of(&imported);
    assert_eq!(again, rows.into_iter().map(|(_, r)| r).collect::<Vec<_>>());
}

#[test]
fn many_problems_are_listed_up_to_the_cap_then_counted() {
    let mut view = template_view(Template::RetailBank);
    view.switches.clear();
    for card in &mut view.cards {
        card.lane = "gone".into();
    }
    let n = view.cards.len();
    assert!(n > MAX_PROBLEMS, "the template has {n} cards");
    let problems = check(&MapFile::new(view, 0)).unwrap_err();
    assert_eq!(problems.len(), MAX_PROBLEMS + 1);
    assert_eq!(
        problems[MAX_PROBLEMS].message,
        format!("{} more problems not listed", n - MAX_PROBLEMS)
    );
}

#[test]
fn switches_and_multi_path_cards_come_back_and_bad_switches_are_named() {
    let mut view = template_view(Template::UniversityAdmissions);
    let (pa, pb) = (view.paths[0].id.clone(), view.paths[1].id.clone());
    view.cards[0].paths = vec![pa.clone(), pb.clone()];
    let imported = import(&MapFile::new(view.clone(), 0));
    assert_eq!(without_ids(&imported), without_ids(&view));
    assert_eq!(imported.cards[0].paths.len(), 2);

    let mut bank = template_view(Template::RetailBank);
    assert!(bank.switches.len() >= 3);
    let imported = import(&MapFile::new(bank.clone(), 0));
    assert_eq!(imported.switches.len(), bank.switches.len());
    let not_touchpoint = bank
        .cards
        .iter()
        .find(|c| c.channel.is_none())
        .unwrap()
        .id
        .clone();
    bank.switches[0].to = not_touchpoint;
    bank.switches[1].from = "nowhere".into();
    bank.switches[2].to = bank.switches[2].from.clone();
    let problems = check(&MapFile::new(bank, 0)).unwrap_err();
    let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "$.map.switches[0].to",
            "$.map.switches[1].from",
            "$.map.switches[2].to"
        ]
    );
}

#[test]
fn files_naming_one_path_per_card_are_upgraded() {
    let view = template_view(Template::UniversityAdmissions);
    let on_path = view.cards.iter().position(|c| c.paths.len() == 1).unwrap();
    let mut value = serde_json::to_value(MapFile::new(view.clone(), 0)).unwrap();
    for card in value["map"]["cards"].as_array_mut().unwrap() {
        let card = card.as_object_mut().unwrap();
        let one = card.remove("paths").unwrap()[0].clone();
        card.insert("path".into(), one);
    }
    assert!(upgrade(&mut value));
    assert!(!upgrade(&mut value), "a second pass has nothing to do");
    let file: MapFile = serde_json::from_value(value).unwrap();
    assert_eq!(file.map.cards[on_path].paths, view.cards[on_path].paths);
    assert_eq!(file.map, view);
}

/// Every problem's message from its code and values is the one written before codes
/// (the expected texts are the former `format!` output).
#[test]
fn problem_messages_from_codes_are_the_former_english() {
    use super::{Problem, PROBLEM_FORMS};
    let d = |v: &'static str| -> &'static dyn std::fmt::Display { Box::leak(Box::new(v)) };
    type Case<'a> = (&'a str, Vec<(&'a str, &'a dyn std::fmt::Display)>, &'a str);
    let cases: &[Case] = &[
        (
            "bad_format",
            vec![("format", d("parcours-map"))],
            "must be “parcours-map”",
        ),
        (
            "unsupported_version",
            vec![("version", &7), ("supported", &1)],
            "version 7 is not supported (this server reads version 1)",
        ),
        (
            "title_length",
            vec![("max", &200)],
            "must be 1 to 200 characters",
        ),
        (
            "too_many",
            vec![("count", &201), ("max", &200)],
            "holds 201; at most 200 are allowed",
        ),
        (
            "unknown_persona",
            vec![("id", d("p1"))],
            "no persona has the id “p1”",
        ),
        (
            "unknown_stage",
            vec![("id", d("s1"))],
            "no stage has the id “s1”",
        ),
        (
            "unknown_lane",
            vec![("id", d("l1"))],
            "no lane has the id “l1”",
        ),
        (
            "unknown_path",
            vec![("id", d("x"))],
            "no path has the id “x”",
        ),
        (
            "unknown_card",
            vec![("id", d("c1"))],
            "no card has the id “c1”",
        ),
        (
            "not_a_touchpoint",
            vec![("id", d("c1"))],
            "card “c1” is not in a touchpoints lane",
        ),
        ("same_card", vec![], "a switch joins two different cards"),
        (
            "scores_count",
            vec![("scores", &5), ("stages", &4)],
            "holds 5 scores for 4 stages",
        ),
        (
            "score_range",
            vec![("min", &-2), ("max", &2)],
            "a score is -2 to 2",
        ),
        (
            "channel_lane",
            vec![],
            "only cards in a touchpoints lane have a channel",
        ),
        (
            "owner_lane",
            vec![],
            "only cards in an opportunities lane have an owner and a status",
        ),
        ("kpi_lane", vec![], "only cards in a KPI lane have measures"),
        (
            "more_problems",
            vec![("count", &3)],
            "3 more problems not listed",
        ),
        (
            "too_long",
            vec![("max", &10_000)],
            "longer than 10000 characters",
        ),
        ("id_length", vec![], "an id is 1 to 64 bytes"),
        (
            "duplicate_id",
            vec![("id", d("{first}")), ("first", d("$.map.stages[0]"))],
            "“{first}” is already the id of $.map.stages[0]",
        ),
        (
            "too_many_cards",
            vec![("count", &20_001), ("max", &20_000)],
            "20001 cards; at most 20000 are allowed",
        ),
        ("no_stage", vec![], "a card needs a stage"),
        ("no_lane", vec![], "a card needs a lane"),
        (
            "bad_lane_kind",
            vec![("value", d("x")), ("kinds", d("a, b"))],
            "“x” is not a lane kind (a, b)",
        ),
        (
            "lane_kind_conflict",
            vec![("lane", d("Pains"))],
            "the lane “Pains” was already given another kind",
        ),
        (
            "too_many_stages_lanes",
            vec![("stages", &200), ("lanes", &60)],
            "at most 200 stages and 60 lanes are allowed",
        ),
        (
            "bad_channel",
            vec![("value", d("fax")), ("channels", d("web, app"))],
            "“fax” is not a channel (web, app)",
        ),
        (
            "bad_status",
            vec![("value", d("x")), ("statuses", d("idea, done"))],
            "“x” is not a status (idea, done)",
        ),
        (
            "not_a_number",
            vec![("value", d("n/a"))],
            "“n/a” is not a number",
        ),
        (
            "not_utf8",
            vec![("byte", &12)],
            "the file is not UTF-8 text (byte 12 is invalid)",
        ),
        (
            "header_unreadable",
            vec![("error", d("bad"))],
            "the header line is unreadable: bad",
        ),
        (
            "missing_column",
            vec![("missing", d("text")), ("found", d("stage, lane"))],
            "the header line lacks the column text (found: stage, lane)",
        ),
        (
            "missing_columns",
            vec![("missing", d("lane, text")), ("found", d("stage"))],
            "the header line lacks the columns lane, text (found: stage)",
        ),
        (
            "row_unreadable",
            vec![("error", d("bad"))],
            "unreadable: bad",
        ),
        (
            "too_many_rows",
            vec![("max", &20_000)],
            "more than 20000 cards",
        ),
        (
            "not_a_map_file",
            vec![("error", d("expected value"))],
            "not a Parcours map file: expected value",
        ),
        (
            "not_written",
            vec![("error", d("oops"))],
            "could not be written: oops",
        ),
        ("json_syntax", vec![], "not JSON text"),
        ("json_cut", vec![], "the file ends before its JSON does"),
        (
            "json_missing_field",
            vec![("field", d("map"))],
            "the field “map” is missing",
        ),
        (
            "json_duplicate_field",
            vec![("field", d("map"))],
            "the field “map” is given twice",
        ),
        (
            "json_unknown_field",
            vec![("field", d("mapp"))],
            "“mapp” is not a field here",
        ),
        (
            "json_unknown_value",
            vec![("value", d("fax")), ("expected", d("web, app"))],
            "“fax” is not one of web, app",
        ),
        (
            "json_wrong_type",
            vec![("found", d("array"))],
            "a value of the wrong type: JSON array",
        ),
    ];
    assert_eq!(cases.len(), PROBLEM_FORMS.len());
    for (code, values, message) in cases {
        let problem = Problem::new("$", code, values);
        assert_eq!(problem.message, *message, "{code}");
        assert_eq!(problem.code, *code);
    }
    let old: Problem = serde_json::from_str(r#"{"at":"$","message":"why"}"#).expect("old");
    assert!(old.code.is_empty() && old.values.is_empty());
}

/// The JSON reader's errors on real files come as codes and values, its English
/// sentence kept only where no form says it.
#[test]
fn json_errors_become_worded_problems() {
    let good =
        serde_json::to_value(MapFile::new(template_view(Template::B2bSaas), 0)).expect("json");
    let read = |text: &str| -> Problem {
        let e = serde_json::from_str::<MapFile>(text).expect_err("refused");
        json_problem("here", &e)
    };
    let with = |edit: &dyn Fn(&mut serde_json::Value)| -> Problem {
        let mut file = good.clone();
        edit(&mut file);
        read(&file.to_string())
    };
    let p = read("{\"format\": ");
    assert_eq!((p.code.as_str(), p.at.as_str()), ("json_cut", "here"));
    assert_eq!(read("{\"format\" 1}").code, "json_syntax");
    assert_eq!(read("stage,lane,text").code, "json_syntax");
    let p = with(&|f| {
        f.as_object_mut().expect("object").remove("map");
    });
    assert_eq!(p.code, "json_missing_field", "{p:?}");
    assert_eq!(p.values.get("field").map(String::as_str), Some("map"));
    assert_eq!(p.message, "the field “map” is missing");
    let p = with(&|f| f["map"]["lanes"][0]["kind"] = serde_json::json!("feelings"));
    assert_eq!(p.code, "json_unknown_value", "{p:?}");
    assert_eq!(p.values.get("value").map(String::as_str), Some("feelings"));
    let expected = p.values.get("expected").cloned().unwrap_or_default();
    assert!(
        expected.split(", ").any(|k| k == "touchpoints") && !expected.contains('`'),
        "{expected}"
    );
    let p = with(&|f| f["map"]["stages"] = serde_json::json!("three"));
    assert_eq!(p.code, "json_wrong_type", "{p:?}");
    assert_eq!(p.values.get("found").map(String::as_str), Some("string"));
    assert!(JSON_KINDS.contains(&"string"));
    for (value, kind) in [
        (serde_json::json!(3), "number"),
        (serde_json::json!(true), "boolean"),
        (serde_json::json!({}), "object"),
    ] {
        let p = with(&|f| f["map"]["stages"] = value.clone());
        assert_eq!(
            p.values.get("found").map(String::as_str),
            Some(kind),
            "{p:?}"
        );
        assert!(JSON_KINDS.contains(&kind));
    }
    let p = with(&|f| f["map"]["stages"][0]["name"] = serde_json::Value::Null);
    assert_eq!(p.code, "json_wrong_type", "{p:?}");
    assert_eq!(p.values.get("found").map(String::as_str), Some("null"));
    // A value the file makes huge is repeated cut short.
    let p = with(&|f| f["map"]["lanes"][0]["kind"] = serde_json::json!("x".repeat(100_000)));
    assert_eq!(p.code, "json_unknown_value");
    assert!(p.message.chars().count() < 500, "{} chars", p.message.len());
    // No form left unfilled, no line/column repeated from the place.
    for p in [
        read("{"),
        with(&|f| f["map"]["stages"] = serde_json::json!(1)),
    ] {
        assert!(
            !p.message.contains('{') && !p.message.contains(" at line "),
            "{p:?}"
        );
    }
}

/// A cell holding megabytes is named in a problem cut short, not repeated whole.
#[test]
fn problems_repeat_long_cells_cut_short() {
    // Just under the text limit (10 000 characters a cell).
    let channel = "x".repeat(9_999);
    let mut row = CardRow::default();
    for (name, value) in [
        ("stage", "A"),
        ("lane", "T"),
        ("lane_kind", "touchpoints"),
        ("text", "Call"),
        ("channel", channel.as_str()),
    ] {
        let i = CSV_COLUMNS
            .iter()
            .position(|c| *c == name)
            .expect("a column");
        row.cells[i] = value.to_owned();
    }
    let problems = file_from_rows("T", &[(2, row)], 0).expect_err("refused");
    let p = &problems[0];
    assert_eq!(p.code, "bad_channel", "{p:?}");
    assert!(
        p.message.chars().count() < 2 * MAX_VALUE_CHARS + 200,
        "{}",
        p.message.len()
    );
    assert!(p
        .values
        .values()
        .all(|v| v.chars().count() <= MAX_VALUE_CHARS));
}
