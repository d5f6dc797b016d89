//! Edits of what makes a journey non-linear: hand-drawn channel switches between two
//! touchpoints (omnichannel) and the paths each card is on (personalized).

use yrs::{Map, MapPrelim, MapRef, Out, TextPrelim};

use super::read;
use super::{keys, LaneKind, MapTxn, SchemaError, TextTarget};

impl MapTxn<'_, '_> {
    /// Draws a channel switch from one touchpoint card to another, with a note
    /// ("continues in branch"). Both cards must be in touchpoint lanes.
    pub fn add_switch(
        &mut self,
        id: &str,
        from: &str,
        to: &str,
        note: &str,
    ) -> Result<(), SchemaError> {
        self.fresh_id("switch", id)?;
        if from == to {
            return Err(SchemaError::SelfSwitch(from.to_owned()));
        }
        for card in [from, to] {
            self.card_in(card, "switch", LaneKind::Touchpoints)?;
        }
        let fields = [
            (keys::FROM, yrs::In::from(from)),
            (keys::TO, yrs::In::from(to)),
            (keys::NOTE, yrs::In::from(TextPrelim::new(note))),
        ];
        self.switches
            .insert(self.txn, id, fields.into_iter().collect::<MapPrelim>());
        Ok(())
    }

    /// Replaces the note of a switch.
    pub fn set_switch_note(&mut self, id: &str, note: &str) -> Result<(), SchemaError> {
        self.set_text(TextTarget::SwitchNote(id), note)
    }

    /// Removes a switch (the cards stay).
    pub fn remove_switch(&mut self, id: &str) -> Result<(), SchemaError> {
        self.existing("switch", id)?;
        self.switches.remove(self.txn, id);
        Ok(())
    }

    /// Removes the switches that start or end at one of `cards`.
    pub(super) fn remove_switches_of(&mut self, cards: &[&str]) {
        let doomed: Vec<String> = self
            .switches
            .iter(&*self.txn)
            .filter_map(|(id, out)| {
                let Out::YMap(map) = out else { return None };
                let touches = [keys::FROM, keys::TO].iter().any(|key| {
                    read::str_of(map.get(&*self.txn, key))
                        .is_some_and(|c| cards.contains(&c.as_str()))
                });
                touches.then(|| id.to_owned())
            })
            .collect();
        for id in doomed {
            self.switches.remove(self.txn, &id);
        }
    }

    /// The ids of the paths a card is on, in no particular order (empty: every path).
    /// Keys naming removed paths are left out.
    pub fn card_paths(&self, card: &str) -> Result<Vec<String>, SchemaError> {
        let card = self.existing("card", card)?;
        Ok(read::card_paths(&*self.txn, &card)
            .into_iter()
            .filter(|p| self.paths.contains_key(&*self.txn, p))
            .collect())
    }

    /// Puts a card on a path (`on`) or takes it off. Taking a card off its last path
    /// leaves it on every path.
    pub fn set_card_on_path(
        &mut self,
        card: &str,
        path: &str,
        on: bool,
    ) -> Result<(), SchemaError> {
        let map = self.existing("card", card)?;
        self.existing("path", path)?;
        self.upgrade_legacy_path(&map);
        let key = on_path_key(path);
        if on {
            map.insert(self.txn, key, true);
        } else {
            map.remove(self.txn, &key);
        }
        Ok(())
    }

    /// Puts a card on exactly these paths (empty: on every path), touching only the
    /// keys that change.
    pub fn set_card_paths(&mut self, card: &str, paths: &[&str]) -> Result<(), SchemaError> {
        let map = self.existing("card", card)?;
        for path in paths {
            self.existing("path", path)?;
        }
        self.upgrade_legacy_path(&map);
        let current = read::card_paths(&*self.txn, &map);
        for old in &current {
            if !paths.contains(&old.as_str()) {
                map.remove(self.txn, &on_path_key(old));
            }
        }
        for new in paths {
            if !current.iter().any(|c| c == new) {
                map.insert(self.txn, on_path_key(new), true);
            }
        }
        Ok(())
    }

    /// Takes every card off a path (on removing it).
    pub(super) fn remove_path_from_cards(&mut self, path: &str) {
        let key = on_path_key(path);
        for card in read::placed_cards(&*self.txn, &self.cards) {
            if card.map.contains_key(&*self.txn, &key) {
                card.map.remove(self.txn, &key);
            }
            if read::str_of(card.map.get(&*self.txn, keys::PATH)).as_deref() == Some(path) {
                card.map.remove(self.txn, keys::PATH);
            }
        }
    }

    /// Rewrites a card's legacy single `path` string as a membership key.
    fn upgrade_legacy_path(&mut self, card: &MapRef) {
        if let Some(path) = read::str_of(card.get(&*self.txn, keys::PATH)) {
            card.remove(self.txn, keys::PATH);
            if self.paths.contains_key(&*self.txn, &path) {
                card.insert(self.txn, on_path_key(&path), true);
            }
        }
    }
}

/// The card key saying it is on `path`.
pub(crate) fn on_path_key(path: &str) -> String {
    format!("{}{path}", keys::ON_PATH_PREFIX)
}
