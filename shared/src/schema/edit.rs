//! Edits of the map frame: metadata, personas, stages, lanes and paths.

use yrs::{Map, MapPrelim, TextPrelim};

use super::read::{self, Entry};
use super::{keys, At, IdSource, LaneKind, MapTxn, PersonaField, SchemaError, TextTarget};
use crate::order;
use crate::schema::ItineraryKind;

impl MapTxn<'_, '_> {
    /// Sets up a fresh map: schema version, title, empty objective, itinerary, and one
    /// lane per [`LaneKind::DEFAULTS`] kind (ids from `ids`) unless lanes already exist.
    /// Run once, by whoever creates the map.
    pub fn init(&mut self, title: &str, itinerary: ItineraryKind, ids: &mut impl IdSource) {
        self.init_in(title, itinerary, crate::Language::En, ids);
    }

    /// [`MapTxn::init`] with the default lanes named in `language`.
    pub fn init_in(
        &mut self,
        title: &str,
        itinerary: ItineraryKind,
        language: crate::Language,
        ids: &mut impl IdSource,
    ) {
        self.meta.insert(
            self.txn,
            keys::SCHEMA_VERSION,
            i64::from(super::SCHEMA_VERSION),
        );
        self.set_title(title);
        self.set_objective("");
        self.set_itinerary(itinerary);
        if self.lanes.len(&*self.txn) == 0 {
            for kind in LaneKind::DEFAULTS {
                let id = ids.next_id();
                // A caller-made id that is malformed or taken just skips that lane.
                let _ = self.add_lane(&id, kind.default_name_in(language), kind, At::End);
            }
        }
    }

    /// `meta.schema_version`, if set.
    pub fn schema_version(&self) -> Option<u32> {
        read::i64_of(self.meta.get(&*self.txn, keys::SCHEMA_VERSION))
            .and_then(|v| u32::try_from(v).ok())
    }

    /// The title as plain text.
    pub fn title(&self) -> String {
        read::text_of(&*self.txn, self.meta.get(&*self.txn, keys::TITLE))
    }

    /// Replaces the title (a minimal text diff, so concurrent typing elsewhere survives).
    pub fn set_title(&mut self, title: &str) {
        let text = self.text_in(&self.meta.clone(), keys::TITLE);
        self.replace_text(&text, title);
    }

    /// The objective as plain text.
    pub fn objective(&self) -> String {
        read::text_of(&*self.txn, self.meta.get(&*self.txn, keys::OBJECTIVE))
    }

    /// Replaces the objective.
    pub fn set_objective(&mut self, objective: &str) {
        let text = self.text_in(&self.meta.clone(), keys::OBJECTIVE);
        self.replace_text(&text, objective);
    }

    /// The itinerary kind (linear when missing or unknown).
    pub fn itinerary(&self) -> ItineraryKind {
        read::str_of(self.meta.get(&*self.txn, keys::ITINERARY))
            .and_then(|s| ItineraryKind::parse(&s))
            .unwrap_or_default()
    }

    /// Sets the itinerary kind.
    pub fn set_itinerary(&mut self, kind: ItineraryKind) {
        self.meta.insert(self.txn, keys::ITINERARY, kind.as_str());
    }

    /// Adds a persona with its name (other fields empty).
    pub fn add_persona(&mut self, id: &str, name: &str, at: At<'_>) -> Result<(), SchemaError> {
        self.fresh_id("persona", id)?;
        let order = self.place("persona", at, None)?;
        let mut fields = vec![(keys::ORDER, yrs::In::from(order))];
        for field in PersonaField::ALL {
            let value = if *field == PersonaField::Name {
                name
            } else {
                ""
            };
            fields.push((field.as_str(), text_prelim(value)));
        }
        self.personas
            .insert(self.txn, id, fields.into_iter().collect::<MapPrelim>());
        Ok(())
    }

    /// Replaces one text field of a persona.
    pub fn set_persona_field(
        &mut self,
        id: &str,
        field: PersonaField,
        value: &str,
    ) -> Result<(), SchemaError> {
        self.set_text(TextTarget::Persona(id, field), value)
    }

    /// Moves a persona to `index` in the persona list.
    pub fn move_persona(&mut self, id: &str, index: usize) -> Result<(), SchemaError> {
        self.reorder("persona", id, index)
    }

    /// Removes a persona, its emotion scores, and its link from paths.
    pub fn remove_persona(&mut self, id: &str) -> Result<(), SchemaError> {
        self.existing("persona", id)?;
        self.personas.remove(self.txn, id);
        self.remove_emotions_where(|persona, _| persona == id);
        for path in read::ordered(&*self.txn, &self.paths) {
            if read::str_of(path.map.get(&*self.txn, keys::PERSONA)).as_deref() == Some(id) {
                path.map.remove(self.txn, keys::PERSONA);
            }
        }
        Ok(())
    }

    /// Adds a stage.
    pub fn add_stage(&mut self, id: &str, name: &str, at: At<'_>) -> Result<(), SchemaError> {
        self.fresh_id("stage", id)?;
        let order = self.place("stage", at, None)?;
        let fields = [
            (keys::NAME, text_prelim(name)),
            (keys::ORDER, yrs::In::from(order)),
        ];
        self.stages
            .insert(self.txn, id, fields.into_iter().collect::<MapPrelim>());
        Ok(())
    }

    /// Renames a stage.
    pub fn rename_stage(&mut self, id: &str, name: &str) -> Result<(), SchemaError> {
        self.set_text(TextTarget::StageName(id), name)
    }

    /// Moves a stage to `index` among the stages.
    pub fn move_stage(&mut self, id: &str, index: usize) -> Result<(), SchemaError> {
        self.reorder("stage", id, index)
    }

    /// Removes a stage with its cards and its emotion scores.
    pub fn remove_stage(&mut self, id: &str) -> Result<(), SchemaError> {
        self.existing("stage", id)?;
        self.stages.remove(self.txn, id);
        self.remove_cards_where(|pos| pos.stage == id);
        self.remove_emotions_where(|_, stage| stage == id);
        Ok(())
    }

    /// Adds a lane of a given kind.
    pub fn add_lane(
        &mut self,
        id: &str,
        name: &str,
        kind: LaneKind,
        at: At<'_>,
    ) -> Result<(), SchemaError> {
        self.fresh_id("lane", id)?;
        let order = self.place("lane", at, None)?;
        let fields = [
            (keys::NAME, text_prelim(name)),
            (keys::KIND, yrs::In::from(kind.as_str())),
            (keys::ORDER, yrs::In::from(order)),
        ];
        self.lanes
            .insert(self.txn, id, fields.into_iter().collect::<MapPrelim>());
        Ok(())
    }

    /// Renames a lane.
    pub fn rename_lane(&mut self, id: &str, name: &str) -> Result<(), SchemaError> {
        self.set_text(TextTarget::LaneName(id), name)
    }

    /// Moves a lane to `index` among the lanes.
    pub fn move_lane(&mut self, id: &str, index: usize) -> Result<(), SchemaError> {
        self.reorder("lane", id, index)
    }

    /// Removes a lane with its cards.
    pub fn remove_lane(&mut self, id: &str) -> Result<(), SchemaError> {
        self.existing("lane", id)?;
        self.lanes.remove(self.txn, id);
        self.remove_cards_where(|pos| pos.lane == id);
        Ok(())
    }

    /// Adds a personalized path, optionally tied to a persona.
    pub fn add_path(
        &mut self,
        id: &str,
        name: &str,
        persona: Option<&str>,
        condition: &str,
        at: At<'_>,
    ) -> Result<(), SchemaError> {
        self.fresh_id("path", id)?;
        if let Some(persona) = persona {
            self.existing("persona", persona)?;
        }
        let order = self.place("path", at, None)?;
        let mut fields = vec![
            (keys::NAME, text_prelim(name)),
            (keys::CONDITION, text_prelim(condition)),
            (keys::ORDER, yrs::In::from(order)),
        ];
        if let Some(persona) = persona {
            fields.push((keys::PERSONA, yrs::In::from(persona)));
        }
        self.paths
            .insert(self.txn, id, fields.into_iter().collect::<MapPrelim>());
        Ok(())
    }

    /// Renames a path.
    pub fn rename_path(&mut self, id: &str, name: &str) -> Result<(), SchemaError> {
        self.set_text(TextTarget::PathName(id), name)
    }

    /// Replaces the condition that selects a path.
    pub fn set_path_condition(&mut self, id: &str, condition: &str) -> Result<(), SchemaError> {
        self.set_text(TextTarget::PathCondition(id), condition)
    }

    /// Ties a path to a persona, or unties it with `None`.
    pub fn set_path_persona(&mut self, id: &str, persona: Option<&str>) -> Result<(), SchemaError> {
        let path = self.existing("path", id)?;
        match persona {
            Some(persona) => {
                self.existing("persona", persona)?;
                path.insert(self.txn, keys::PERSONA, persona);
            }
            None => {
                path.remove(self.txn, keys::PERSONA);
            }
        }
        Ok(())
    }

    /// Moves a path to `index` among the paths.
    pub fn move_path(&mut self, id: &str, index: usize) -> Result<(), SchemaError> {
        self.reorder("path", id, index)
    }

    /// Removes a path; its cards stay, taken off it (a card that was only on this
    /// path is then on every path).
    pub fn remove_path(&mut self, id: &str) -> Result<(), SchemaError> {
        self.existing("path", id)?;
        self.paths.remove(self.txn, id);
        self.remove_path_from_cards(id);
        Ok(())
    }

    /// The order key putting an entity at `at`, ignoring `moving` (the entity being
    /// moved); re-keys siblings whose keys were tied or malformed.
    fn place(
        &mut self,
        entity: &'static str,
        at: At<'_>,
        moving: Option<&str>,
    ) -> Result<String, SchemaError> {
        let siblings: Vec<Entry> = read::ordered(&*self.txn, self.root_of(entity))
            .into_iter()
            .filter(|e| Some(e.id.as_str()) != moving)
            .collect();
        let ids: Vec<&str> = siblings.iter().map(|e| e.id.as_str()).collect();
        let index = resolve_at(at, &ids, entity)?;
        let orders: Vec<&str> = siblings.iter().map(|e| e.order.as_str()).collect();
        let placement = order::place_at(&orders, index);
        for (i, key) in placement.rekey {
            if siblings[i].order != key {
                siblings[i].map.insert(self.txn, keys::ORDER, key);
            }
        }
        Ok(placement.key)
    }

    /// Moves an ordered entity to `index`.
    fn reorder(&mut self, entity: &'static str, id: &str, index: usize) -> Result<(), SchemaError> {
        let map = self.existing(entity, id)?;
        let key = self.place(entity, At::Index(index), Some(id))?;
        map.insert(self.txn, keys::ORDER, key);
        Ok(())
    }
}

/// A `Y.Text` prelim holding `value`.
fn text_prelim(value: &str) -> yrs::In {
    yrs::In::from(TextPrelim::new(value))
}

/// The index an [`At`] means among siblings with these ids.
pub(super) fn resolve_at(
    at: At<'_>,
    ids: &[&str],
    entity: &'static str,
) -> Result<usize, SchemaError> {
    match at {
        At::Start => Ok(0),
        At::End => Ok(ids.len()),
        At::Index(i) => Ok(i.min(ids.len())),
        At::After(id) => ids
            .iter()
            .position(|&s| s == id)
            .map(|i| i + 1)
            .ok_or_else(|| SchemaError::NotFound {
                entity,
                id: id.to_owned(),
            }),
    }
}
