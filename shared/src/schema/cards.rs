//! Edits of cards (in stage × lane cells) and of emotion scores.

use yrs::{Map, MapPrelim, MapRef, TextPrelim};

use super::edit::resolve_at;
use super::read::{self, CardPos};
use super::{
    keys, validate_id, At, Channel, EmotionSeries, KpiMeasure, LaneKind, MapTxn, OpportunityStatus,
    SchemaError, TextTarget, MAX_SCORE, MIN_SCORE,
};
use crate::order;

impl MapTxn<'_, '_> {
    /// Adds a card with `text` to the cell of `stage` × `lane`.
    pub fn add_card(
        &mut self,
        id: &str,
        stage: &str,
        lane: &str,
        at: At<'_>,
        text: &str,
    ) -> Result<(), SchemaError> {
        self.fresh_id("card", id)?;
        self.existing("stage", stage)?;
        self.existing("lane", lane)?;
        let order = self.place_in_cell(stage, lane, at, None)?;
        let pos = CardPos {
            stage: stage.to_owned(),
            lane: lane.to_owned(),
            order,
        };
        let fields = [
            (keys::POS, yrs::In::from(pos.to_any())),
            (keys::TEXT, yrs::In::from(TextPrelim::new(text))),
        ];
        self.cards
            .insert(self.txn, id, fields.into_iter().collect::<MapPrelim>());
        Ok(())
    }

    /// Adds the cards of one empty cell in the given order (texts), with ids from
    /// `ids`; one read of the cell instead of one per card, for imports. Fails if the
    /// cell already holds cards.
    pub fn fill_cell(
        &mut self,
        stage: &str,
        lane: &str,
        cards: &[(&str, &str)],
    ) -> Result<(), SchemaError> {
        self.existing("stage", stage)?;
        self.existing("lane", lane)?;
        for (id, _) in cards {
            self.fresh_id("card", id)?;
        }
        let keys = order::keys_between(None, None, cards.len());
        if keys.len() != cards.len() {
            return Err(SchemaError::NotFound {
                entity: "order key",
                id: cards.len().to_string(),
            });
        }
        for ((id, text), order) in cards.iter().zip(keys) {
            let pos = CardPos {
                stage: stage.to_owned(),
                lane: lane.to_owned(),
                order,
            };
            let fields = [
                (keys::POS, yrs::In::from(pos.to_any())),
                (keys::TEXT, yrs::In::from(TextPrelim::new(*text))),
            ];
            self.cards
                .insert(self.txn, *id, fields.into_iter().collect::<MapPrelim>());
        }
        Ok(())
    }

    /// Replaces a card's text.
    pub fn set_card_text(&mut self, id: &str, text: &str) -> Result<(), SchemaError> {
        self.set_text(TextTarget::Card(id), text)
    }

    /// Moves a card to `index` in the cell `stage` × `lane` (its own cell or another),
    /// writing its whole `pos` at once.
    pub fn move_card(
        &mut self,
        id: &str,
        stage: &str,
        lane: &str,
        index: usize,
    ) -> Result<(), SchemaError> {
        let card = self.existing("card", id)?;
        self.existing("stage", stage)?;
        self.existing("lane", lane)?;
        let order = self.place_in_cell(stage, lane, At::Index(index), Some(id))?;
        let pos = CardPos {
            stage: stage.to_owned(),
            lane: lane.to_owned(),
            order,
        };
        card.insert(self.txn, keys::POS, pos.to_any());
        Ok(())
    }

    /// Removes a card and the switches drawn from or to it.
    pub fn remove_card(&mut self, id: &str) -> Result<(), SchemaError> {
        self.existing("card", id)?;
        self.cards.remove(self.txn, id);
        self.remove_switches_of(&[id]);
        Ok(())
    }

    /// Sets or clears the channel of a touchpoint card.
    pub fn set_channel(&mut self, id: &str, channel: Option<Channel>) -> Result<(), SchemaError> {
        let card = self.card_in(id, keys::CHANNEL, LaneKind::Touchpoints)?;
        self.set_or_remove(&card, keys::CHANNEL, channel.map(|c| c.as_str().into()));
        Ok(())
    }

    /// Sets or clears the owner of an opportunity card.
    pub fn set_owner(&mut self, id: &str, owner: Option<&str>) -> Result<(), SchemaError> {
        let card = self.card_in(id, keys::OWNER, LaneKind::Opportunities)?;
        self.set_or_remove(&card, keys::OWNER, owner.map(Into::into));
        Ok(())
    }

    /// Sets or clears the status of an opportunity card.
    pub fn set_status(
        &mut self,
        id: &str,
        status: Option<OpportunityStatus>,
    ) -> Result<(), SchemaError> {
        let card = self.card_in(id, keys::STATUS, LaneKind::Opportunities)?;
        self.set_or_remove(&card, keys::STATUS, status.map(|s| s.as_str().into()));
        Ok(())
    }

    /// Sets or clears one measure of a KPI card (each measure is its own key, so two
    /// people editing baseline and target at once both win).
    pub fn set_kpi_value(
        &mut self,
        id: &str,
        measure: KpiMeasure,
        value: Option<f64>,
    ) -> Result<(), SchemaError> {
        if value.is_some_and(|v| !v.is_finite()) {
            return Err(SchemaError::NotFinite);
        }
        let card = self.card_in(id, measure.as_str(), LaneKind::Kpis)?;
        self.set_or_remove(&card, measure.as_str(), value.map(Into::into));
        Ok(())
    }

    /// Sets or clears the unit of a KPI card (`%`, `days`, `€`...).
    pub fn set_kpi_unit(&mut self, id: &str, unit: Option<&str>) -> Result<(), SchemaError> {
        let card = self.card_in(id, keys::UNIT, LaneKind::Kpis)?;
        self.set_or_remove(&card, keys::UNIT, unit.map(Into::into));
        Ok(())
    }

    /// Scores how `persona` feels at `stage` in a series, from -2 to 2.
    pub fn set_emotion(
        &mut self,
        persona: &str,
        stage: &str,
        series: EmotionSeries,
        score: i64,
    ) -> Result<(), SchemaError> {
        if !(i64::from(MIN_SCORE)..=i64::from(MAX_SCORE)).contains(&score) {
            return Err(SchemaError::ScoreOutOfRange(score));
        }
        self.existing("persona", persona)?;
        self.existing("stage", stage)?;
        let key = read::emotion_key(persona, stage, series.as_str());
        self.emotions.insert(self.txn, key, score);
        Ok(())
    }

    /// Removes a score (no error when there was none).
    pub fn clear_emotion(
        &mut self,
        persona: &str,
        stage: &str,
        series: EmotionSeries,
    ) -> Result<(), SchemaError> {
        validate_id(persona)?;
        validate_id(stage)?;
        let key = read::emotion_key(persona, stage, series.as_str());
        self.emotions.remove(self.txn, &key);
        Ok(())
    }

    /// A score, clamped to -2..=2 if a foreign client wrote more.
    pub fn emotion(&self, persona: &str, stage: &str, series: EmotionSeries) -> Option<i8> {
        let key = read::emotion_key(persona, stage, series.as_str());
        read::i64_of(self.emotions.get(&*self.txn, &key)).map(clamp_score)
    }

    /// Removes every card whose position matches, and their switches.
    pub(super) fn remove_cards_where(&mut self, matches: impl Fn(&CardPos) -> bool) {
        let mut removed = Vec::new();
        for card in read::placed_cards(&*self.txn, &self.cards) {
            if matches(&card.pos) {
                self.cards.remove(self.txn, &card.id);
                removed.push(card.id);
            }
        }
        if !removed.is_empty() {
            let ids: Vec<&str> = removed.iter().map(String::as_str).collect();
            self.remove_switches_of(&ids);
        }
    }

    /// Removes every score whose (persona, stage) matches.
    pub(super) fn remove_emotions_where(&mut self, matches: impl Fn(&str, &str) -> bool) {
        let doomed: Vec<String> = self
            .emotions
            .keys(&*self.txn)
            .filter(|key| {
                read::split_emotion_key(key)
                    .is_some_and(|(persona, stage, _)| matches(persona, stage))
            })
            .map(str::to_owned)
            .collect();
        for key in doomed {
            self.emotions.remove(self.txn, &key);
        }
    }

    /// The card, if its lane is of the `expected` kind for `field`.
    pub(super) fn card_in(
        &self,
        id: &str,
        field: &'static str,
        expected: LaneKind,
    ) -> Result<MapRef, SchemaError> {
        let card = self.existing("card", id)?;
        let actual = CardPos::read(card.get(&*self.txn, keys::POS))
            .and_then(|pos| read::entry(&*self.txn, &self.lanes, &pos.lane))
            .and_then(|lane| read::str_of(lane.get(&*self.txn, keys::KIND)))
            .and_then(|kind| LaneKind::parse(&kind));
        if actual != Some(expected) {
            return Err(SchemaError::WrongLaneKind {
                card: id.to_owned(),
                field,
                expected,
                actual,
            });
        }
        Ok(card)
    }

    /// Writes `value` under `key`, or removes the key for `None`.
    fn set_or_remove(&mut self, map: &MapRef, key: &str, value: Option<yrs::Any>) {
        match value {
            Some(value) => {
                map.insert(self.txn, key, value);
            }
            None => {
                map.remove(self.txn, key);
            }
        }
    }

    /// The order key putting a card at `at` in a cell, ignoring `moving`; re-keys the
    /// cell's cards if their keys were tied or malformed.
    fn place_in_cell(
        &mut self,
        stage: &str,
        lane: &str,
        at: At<'_>,
        moving: Option<&str>,
    ) -> Result<String, SchemaError> {
        let siblings: Vec<_> = read::placed_cards(&*self.txn, &self.cards)
            .into_iter()
            .filter(|c| c.pos.stage == stage && c.pos.lane == lane)
            .filter(|c| Some(c.id.as_str()) != moving)
            .collect();
        let ids: Vec<&str> = siblings.iter().map(|c| c.id.as_str()).collect();
        let index = resolve_at(at, &ids, "card")?;
        let orders: Vec<&str> = siblings.iter().map(|c| c.pos.order.as_str()).collect();
        let placement = order::place_at(&orders, index);
        for (i, key) in placement.rekey {
            let sibling = &siblings[i];
            if sibling.pos.order != key {
                let pos = CardPos {
                    order: key,
                    ..sibling.pos.clone()
                };
                sibling.map.insert(self.txn, keys::POS, pos.to_any());
            }
        }
        Ok(placement.key)
    }
}

/// Brings a stored score into -2..=2.
pub(crate) fn clamp_score(score: i64) -> i8 {
    // The clamp makes the narrowing cast lossless.
    score.clamp(i64::from(MIN_SCORE), i64::from(MAX_SCORE)) as i8
}
