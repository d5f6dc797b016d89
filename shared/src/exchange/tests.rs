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
