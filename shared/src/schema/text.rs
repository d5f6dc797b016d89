//! Editing the collaborative text fields: insert, delete, replace, find the `Y.Text`.

use yrs::{GetString, Map, MapRef, Out, Text, TextPrelim, TextRef};

use super::read;
use super::{keys, MapTxn, SchemaError, TextTarget};

impl MapTxn<'_, '_> {
    /// The `Y.Text` behind a text field (created if a foreign client left it missing or
    /// wrote a plain string), e.g. to bind an editor to it.
    pub fn text(&mut self, target: TextTarget<'_>) -> Result<TextRef, SchemaError> {
        let (map, key) = match target {
            TextTarget::Title => (self.meta.clone(), keys::TITLE),
            TextTarget::Objective => (self.meta.clone(), keys::OBJECTIVE),
            TextTarget::Persona(id, field) => (self.existing("persona", id)?, field.as_str()),
            TextTarget::StageName(id) => (self.existing("stage", id)?, keys::NAME),
            TextTarget::LaneName(id) => (self.existing("lane", id)?, keys::NAME),
            TextTarget::Card(id) => (self.existing("card", id)?, keys::TEXT),
            TextTarget::PathName(id) => (self.existing("path", id)?, keys::NAME),
            TextTarget::PathCondition(id) => (self.existing("path", id)?, keys::CONDITION),
            TextTarget::SwitchNote(id) => (self.existing("switch", id)?, keys::NOTE),
        };
        Ok(self.text_in(&map, key))
    }

    /// Inserts `chunk` at `index` (clamped to the text length) in a text field.
    pub fn insert_text(
        &mut self,
        target: TextTarget<'_>,
        index: u32,
        chunk: &str,
    ) -> Result<(), SchemaError> {
        let text = self.text(target)?;
        let index = index.min(text.len(&*self.txn));
        text.insert(self.txn, index, chunk);
        Ok(())
    }

    /// Deletes up to `len` units from `index` in a text field (clamped to its length).
    pub fn delete_text(
        &mut self,
        target: TextTarget<'_>,
        index: u32,
        len: u32,
    ) -> Result<(), SchemaError> {
        let text = self.text(target)?;
        let total = text.len(&*self.txn);
        let index = index.min(total);
        let len = len.min(total - index);
        if len > 0 {
            text.remove_range(self.txn, index, len);
        }
        Ok(())
    }

    /// Replaces a whole text field, touching only the part that differs.
    pub fn set_text(&mut self, target: TextTarget<'_>, value: &str) -> Result<(), SchemaError> {
        let text = self.text(target)?;
        self.replace_text(&text, value);
        Ok(())
    }

    /// The `Y.Text` under `key` in `map`, replacing a missing or wrong-typed value.
    pub(super) fn text_in(&mut self, map: &MapRef, key: &str) -> TextRef {
        match map.get(&*self.txn, key) {
            Some(Out::YText(text)) => text,
            other => {
                let current = read::text_of(&*self.txn, other);
                map.insert(self.txn, key, TextPrelim::new(current))
            }
        }
    }

    /// Rewrites `text` to `value` by deleting and inserting only the middle that differs.
    pub(super) fn replace_text(&mut self, text: &TextRef, value: &str) {
        let current = text.get_string(&*self.txn);
        if current == value {
            return;
        }
        let prefix: usize = current
            .chars()
            .zip(value.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        let suffix: usize = current[prefix..]
            .chars()
            .rev()
            .zip(value[prefix..].chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        let removed = &current[prefix..current.len() - suffix];
        let inserted = &value[prefix..value.len() - suffix];
        let kind = self.txn.doc().offset_kind();
        let start = units(&current[..prefix], kind);
        let removed_len = units(removed, kind);
        if removed_len > 0 {
            text.remove_range(self.txn, start, removed_len);
        }
        text.insert(self.txn, start, inserted);
    }
}

/// Length of `s` in the doc's text offset unit.
fn units(s: &str, kind: yrs::OffsetKind) -> u32 {
    let n = match kind {
        yrs::OffsetKind::Bytes => s.len(),
        yrs::OffsetKind::Utf16 => s.encode_utf16().count(),
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}
