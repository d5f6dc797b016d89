//! A checked map file written into a fresh document, every element with a new id.

use std::collections::HashMap;

use crate::schema::{At, IdSource, KpiMeasure, MapTxn, PersonaField, SchemaError};
use crate::view::{CardView, MapView};

/// Writes a checked file into a fresh document: everything gets a new id from `ids`.
/// Call [`check`] first; a file it refuses may fail here half-written.
pub fn write(
    map: &MapView,
    title: &str,
    txn: &mut MapTxn<'_, '_>,
    ids: &mut impl IdSource,
) -> Result<(), SchemaError> {
    // `init` writes the schema version and the meta fields; lanes come from the file.
    let mut no_lanes = NoLanes;
    txn.init(title, map.meta.itinerary, &mut no_lanes);
    txn.set_objective(&map.meta.objective);
    let mut next = || ids.next_id();
    let mut fresh = |old: &str, into: &mut HashMap<String, String>| {
        let id = next();
        into.insert(old.to_owned(), id.clone());
        id
    };
    let mut personas: HashMap<String, String> = HashMap::new();
    for persona in &map.personas {
        let id = fresh(&persona.id, &mut personas);
        txn.add_persona(&id, &persona.name, At::End)?;
        for (field, text) in [
            (PersonaField::Segment, &persona.segment),
            (PersonaField::Goals, &persona.goals),
            (PersonaField::Pains, &persona.pains),
            (PersonaField::Preferences, &persona.preferences),
        ] {
            if !text.is_empty() {
                txn.set_persona_field(&id, field, text)?;
            }
        }
    }
    let mut paths: HashMap<String, String> = HashMap::new();
    for path in &map.paths {
        let id = fresh(&path.id, &mut paths);
        let persona = path
            .persona
            .as_deref()
            .and_then(|p| personas.get(p))
            .map(String::as_str);
        txn.add_path(&id, &path.name, persona, &path.condition, At::End)?;
    }
    let mut stages: HashMap<String, String> = HashMap::new();
    let mut stage_order = Vec::with_capacity(map.stages.len());
    for stage in &map.stages {
        let id = fresh(&stage.id, &mut stages);
        txn.add_stage(&id, &stage.name, At::End)?;
        stage_order.push(id);
    }
    let mut lanes: HashMap<String, String> = HashMap::new();
    for lane in &map.lanes {
        let id = fresh(&lane.id, &mut lanes);
        txn.add_lane(&id, &lane.name, lane.kind, At::End)?;
    }
    // Cards are listed by stage, lane, then index: each cell is written at once.
    let mut cells: Vec<((&str, &str), Vec<&CardView>)> = Vec::new();
    let mut cell_at: HashMap<(&str, &str), usize> = HashMap::new();
    for card in &map.cards {
        let (Some(stage), Some(lane)) = (stages.get(&card.stage), lanes.get(&card.lane)) else {
            continue;
        };
        let key = (stage.as_str(), lane.as_str());
        let i = *cell_at.entry(key).or_insert_with(|| {
            cells.push((key, Vec::new()));
            cells.len() - 1
        });
        cells[i].1.push(card);
    }
    let mut cards: HashMap<&str, String> = HashMap::new();
    for ((stage, lane), mut list) in cells {
        list.sort_by_key(|c| c.index);
        let ids: Vec<String> = list.iter().map(|_| ids.next_id()).collect();
        for (id, card) in ids.iter().zip(&list) {
            cards.insert(card.id.as_str(), id.clone());
        }
        let texts: Vec<(&str, &str)> = ids
            .iter()
            .zip(&list)
            .map(|(id, c)| (id.as_str(), c.text.as_str()))
            .collect();
        txn.fill_cell(stage, lane, &texts)?;
        for (id, card) in ids.iter().zip(list) {
            card_details(txn, id, card, &paths)?;
        }
    }
    for switch in &map.switches {
        if let (Some(from), Some(to)) = (
            cards.get(switch.from.as_str()),
            cards.get(switch.to.as_str()),
        ) {
            txn.add_switch(&ids.next_id(), from, to, &switch.note)?;
        }
    }
    for curve in &map.emotions {
        let Some(persona) = personas.get(&curve.persona) else {
            continue;
        };
        for (stage, score) in stage_order.iter().zip(&curve.scores) {
            if let Some(score) = score {
                txn.set_emotion(persona, stage, curve.series, i64::from(*score))?;
            }
        }
    }
    Ok(())
}

/// A new card's kind-specific fields and path.
fn card_details(
    txn: &mut MapTxn<'_, '_>,
    id: &str,
    card: &CardView,
    paths: &HashMap<String, String>,
) -> Result<(), SchemaError> {
    if card.channel.is_some() {
        txn.set_channel(id, card.channel)?;
    }
    if card.owner.is_some() {
        txn.set_owner(id, card.owner.as_deref())?;
    }
    if card.status.is_some() {
        txn.set_status(id, card.status)?;
    }
    if let Some(kpi) = &card.kpi {
        if kpi.unit.is_some() {
            txn.set_kpi_unit(id, kpi.unit.as_deref())?;
        }
        for (measure, value) in [
            (KpiMeasure::Baseline, kpi.baseline),
            (KpiMeasure::Current, kpi.current),
            (KpiMeasure::Target, kpi.target),
        ] {
            if value.is_some() {
                txn.set_kpi_value(id, measure, value)?;
            }
        }
    }
    let on: Vec<&str> = card
        .paths
        .iter()
        .filter_map(|p| paths.get(p))
        .map(String::as_str)
        .collect();
    if !on.is_empty() {
        txn.set_card_paths(id, &on)?;
    }
    Ok(())
}

/// An id source for `init` that makes no lanes (every id it gives is refused).
struct NoLanes;

impl IdSource for NoLanes {
    fn next_id(&mut self) -> String {
        String::new()
    }
}
