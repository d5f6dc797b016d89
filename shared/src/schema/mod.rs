//! The typed API over a map's Yrs document, shared by the server and the web app.
//!
//! One [`yrs::Doc`] holds one journey map. A JavaScript Yjs client and the Rust server
//! edit the same document, so its layout below is a contract: change it only with a
//! new `schema_version` and a migration.
//!
//! | root (`Y.Map`) | key | value |
//! | --- | --- | --- |
//! | `meta` | `schema_version` | number, currently [`SCHEMA_VERSION`] |
//! | | `title`, `objective` | `Y.Text` |
//! | | `itinerary` | string: `linear` \| `omnichannel` \| `personalized` |
//! | `personas` | persona id | `Y.Map` { `name`, `segment`, `goals`, `pains`, `preferences`: `Y.Text`; `order`: string } |
//! | `stages` | stage id | `Y.Map` { `name`: `Y.Text`; `order`: string } |
//! | `lanes` | lane id | `Y.Map` { `name`: `Y.Text`; `kind`: [`LaneKind`] string; `order`: string } |
//! | `cards` | card id | `Y.Map` { `pos`: one plain map `{"stage": id, "lane": id, "order": string}`; `text`: `Y.Text`; optional `channel` ([`Channel`]), `owner`, `status` ([`OpportunityStatus`]), `unit`: strings; optional `baseline`, `current`, `target`: numbers; `path/{path id}`: `true` for each path it is on (none: on every path); legacy `path`: one path id } |
//! | `emotions` | `"{persona}/{stage}/{series}"` | integer score in `-2..=2`; series `as_is` \| `to_be` |
//! | `paths` | path id | `Y.Map` { `name`, `condition`: `Y.Text`; `persona`: string (optional); `order`: string } |
//! | `switches` | switch id | `Y.Map` { `from`, `to`: touchpoint card ids (string); `note`: `Y.Text` } — a channel switch drawn by hand between two touchpoints |
//!
//! Rules every writer follows:
//! - Ids are caller-generated strings of 1 to [`MAX_ID_LEN`] printable ASCII characters
//!   without `/` (the emotion key separator) and are never reused.
//! - Order keys are [`crate::order`] fractional-index strings; siblings sort by
//!   (`order`, id), both compared byte-wise, so equal keys from concurrent inserts still
//!   give one order everywhere.
//! - A card's `pos` is always written whole: a move is one last-writer-wins value, so a
//!   card concurrently moved to two cells ends in exactly one.
//! - Text fields are `Y.Text` so concurrent typing merges. Text indices are counted in
//!   the document's offset kind; [`MapDoc::with_client_id`] uses UTF-16 like Yjs.
//! - Removing a stage removes its cards and emotion scores; removing a lane removes its
//!   cards; a card left pointing at a removed stage or lane (a concurrent move) is
//!   shown as an orphan by the view, never an error.
//! - Path membership is one key per path on the card (`path/{id}` → `true`), so two
//!   people putting a card on two paths at once both win; a card with no such key is
//!   on every path. Removing a path removes its keys from every card; keys naming a
//!   removed path (a concurrent edit) are ignored by the view, so such a card falls
//!   back to the paths that remain, or to all.
//! - Removing a card removes the switches that start or end at it; a switch whose card
//!   is gone (a concurrent removal) is ignored by the view.

mod cards;
mod edit;
mod itinerary;
pub(crate) mod read;
mod text;
mod types;

pub(crate) use cards::clamp_score;
pub use types::{
    At, Channel, EmotionSeries, ItineraryKind, KpiMeasure, LaneKind, OpportunityStatus,
    PersonaField, TextTarget,
};

use thiserror::Error;
use yrs::{ClientID, Doc, Map, MapRef, OffsetKind, Options, Origin, Transact, TransactionMut};

/// The layout version written by this code in `meta.schema_version`.
pub const SCHEMA_VERSION: u32 = 1;
/// Longest accepted id, in bytes.
pub const MAX_ID_LEN: usize = 64;
/// Lowest emotion score (very negative).
pub const MIN_SCORE: i8 = -2;
/// Highest emotion score (very positive).
pub const MAX_SCORE: i8 = 2;

/// Names of the root maps and of the keys inside entries (see the module table).
pub mod keys {
    /// Root: map metadata.
    pub const META: &str = "meta";
    /// Root: personas by id.
    pub const PERSONAS: &str = "personas";
    /// Root: stages by id.
    pub const STAGES: &str = "stages";
    /// Root: lanes by id.
    pub const LANES: &str = "lanes";
    /// Root: cards by id.
    pub const CARDS: &str = "cards";
    /// Root: emotion scores by `persona/stage/series`.
    pub const EMOTIONS: &str = "emotions";
    /// Root: personalized paths by id.
    pub const PATHS: &str = "paths";
    /// Root: hand-drawn channel switches by id.
    pub const SWITCHES: &str = "switches";
    /// `meta`: layout version.
    pub const SCHEMA_VERSION: &str = "schema_version";
    /// `meta`: title text.
    pub const TITLE: &str = "title";
    /// `meta`: objective text.
    pub const OBJECTIVE: &str = "objective";
    /// `meta`: itinerary kind string.
    pub const ITINERARY: &str = "itinerary";
    /// Entity name text (stages, lanes, paths, personas).
    pub const NAME: &str = "name";
    /// Entity fractional order key.
    pub const ORDER: &str = "order";
    /// Lane kind string.
    pub const KIND: &str = "kind";
    /// Card position (one plain map).
    pub const POS: &str = "pos";
    /// `pos`: stage id.
    pub const POS_STAGE: &str = "stage";
    /// `pos`: lane id.
    pub const POS_LANE: &str = "lane";
    /// `pos`: order key within the cell.
    pub const POS_ORDER: &str = "order";
    /// Card text.
    pub const TEXT: &str = "text";
    /// Touchpoint card channel.
    pub const CHANNEL: &str = "channel";
    /// Opportunity card owner.
    pub const OWNER: &str = "owner";
    /// Opportunity card status.
    pub const STATUS: &str = "status";
    /// KPI card unit.
    pub const UNIT: &str = "unit";
    /// Card path id; path persona id.
    pub const PATH: &str = "path";
    /// Path persona id.
    pub const PERSONA: &str = "persona";
    /// Path condition text.
    pub const CONDITION: &str = "condition";
    /// Card: prefix of its path membership keys (`path/{path id}`).
    pub const ON_PATH_PREFIX: &str = "path/";
    /// Switch: the touchpoint card it starts at.
    pub const FROM: &str = "from";
    /// Switch: the touchpoint card it ends at.
    pub const TO: &str = "to";
    /// Switch note text.
    pub const NOTE: &str = "note";
}

/// Why an edit was refused. Nothing was written when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SchemaError {
    /// No entity of that kind has that id.
    #[error("no {entity} with id {id:?}")]
    NotFound {
        /// `persona`, `stage`, `lane`, `card`, `path` or `switch`.
        entity: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The id is already taken by an entity of that kind.
    #[error("a {entity} with id {id:?} already exists")]
    DuplicateId {
        /// `persona`, `stage`, `lane`, `card` or `path`.
        entity: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The id is empty, too long, not printable ASCII or contains `/`.
    #[error("invalid id {0:?}")]
    InvalidId(String),
    /// The field does not apply to the card's lane kind.
    #[error("{field} needs a card in a {expected} lane, card {card:?} is in {actual:?}")]
    WrongLaneKind {
        /// The card id.
        card: String,
        /// The field being set.
        field: &'static str,
        /// The lane kind the field belongs to.
        expected: LaneKind,
        /// The card's lane kind (`None` when its lane is gone).
        actual: Option<LaneKind>,
    },
    /// An emotion score outside [`MIN_SCORE`]`..=`[`MAX_SCORE`].
    #[error("emotion score {0} is outside -2..=2")]
    ScoreOutOfRange(i64),
    /// A KPI value that is NaN or infinite.
    #[error("KPI values must be finite numbers")]
    NotFinite,
    /// A channel switch from a touchpoint to itself.
    #[error("a channel switch joins two different touchpoints, not {0:?} to itself")]
    SelfSwitch(String),
    /// A template offered to an empty map, on a map that has content by now.
    #[error("the map is not empty any more: a template only fills an empty map")]
    NotEmpty,
}

impl SchemaError {
    /// A stable machine code for error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            SchemaError::NotFound { .. } => "not_found",
            SchemaError::DuplicateId { .. } => "duplicate_id",
            SchemaError::InvalidId(_) => "invalid_id",
            SchemaError::WrongLaneKind { .. } => "wrong_lane_kind",
            SchemaError::ScoreOutOfRange(_) => "score_out_of_range",
            SchemaError::NotFinite => "not_finite",
            SchemaError::SelfSwitch(_) => "self_switch",
            SchemaError::NotEmpty => "not_empty",
        }
    }
}

/// A source of fresh entity ids (the caller owns the randomness).
pub trait IdSource {
    /// A new id, unique in this map.
    fn next_id(&mut self) -> String;
}

impl<F: FnMut() -> String> IdSource for F {
    fn next_id(&mut self) -> String {
        self()
    }
}

/// Checks an id against the rules of the module docs.
pub fn validate_id(id: &str) -> Result<(), SchemaError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_graphic() && b != b'/');
    ok.then_some(())
        .ok_or_else(|| SchemaError::InvalidId(id.to_owned()))
}

/// A map's document with its typed API. Cheap to clone (it shares the doc).
#[derive(Clone, Debug)]
pub struct MapDoc {
    /// The underlying document (synced by y-protocols).
    doc: Doc,
}

impl MapDoc {
    /// Wraps an existing document (fresh or loaded from storage).
    pub fn new(doc: Doc) -> MapDoc {
        MapDoc { doc }
    }

    /// A fresh document with this client id and UTF-16 text offsets, like Yjs.
    pub fn with_client_id(client_id: u64) -> MapDoc {
        let mut options = Options::with_client_id(ClientID::new(client_id));
        options.offset_kind = OffsetKind::Utf16;
        MapDoc::new(Doc::with_options(options))
    }

    /// The underlying document.
    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    /// Gives back the underlying document.
    pub fn into_doc(self) -> Doc {
        self.doc
    }

    /// Runs `f` in one read-write transaction (one update for all its edits).
    ///
    /// Blocks (or panics on wasm) if another transaction on this doc is open, like
    /// [`Transact::transact_mut`].
    pub fn edit<R>(&self, f: impl FnOnce(&mut MapTxn<'_, '_>) -> R) -> R {
        let mut txn = self.doc.transact_mut();
        f(&mut MapTxn::new(&mut txn))
    }

    /// Like [`MapDoc::edit`] with a transaction origin (e.g. to skip echoing it back).
    pub fn edit_with<R>(
        &self,
        origin: impl Into<Origin>,
        f: impl FnOnce(&mut MapTxn<'_, '_>) -> R,
    ) -> R {
        let mut txn = self.doc.transact_mut_with(origin);
        f(&mut MapTxn::new(&mut txn))
    }
}

/// Typed edits inside one open transaction. Get one from [`MapDoc::edit`], or wrap a
/// transaction you already hold with [`MapTxn::new`].
pub struct MapTxn<'t, 'doc> {
    /// The open transaction all edits go through.
    txn: &'t mut TransactionMut<'doc>,
    /// Root `meta`.
    meta: MapRef,
    /// Root `personas`.
    personas: MapRef,
    /// Root `stages`.
    stages: MapRef,
    /// Root `lanes`.
    lanes: MapRef,
    /// Root `cards`.
    cards: MapRef,
    /// Root `emotions`.
    emotions: MapRef,
    /// Root `paths`.
    paths: MapRef,
    /// Root `switches`.
    switches: MapRef,
}

impl<'t, 'doc> MapTxn<'t, 'doc> {
    /// Wraps an open transaction, getting or creating the root maps.
    pub fn new(txn: &'t mut TransactionMut<'doc>) -> Self {
        use yrs::WriteTxn;
        MapTxn {
            meta: txn.get_or_insert_map(keys::META),
            personas: txn.get_or_insert_map(keys::PERSONAS),
            stages: txn.get_or_insert_map(keys::STAGES),
            lanes: txn.get_or_insert_map(keys::LANES),
            cards: txn.get_or_insert_map(keys::CARDS),
            emotions: txn.get_or_insert_map(keys::EMOTIONS),
            paths: txn.get_or_insert_map(keys::PATHS),
            switches: txn.get_or_insert_map(keys::SWITCHES),
            txn,
        }
    }

    /// The raw transaction, for what the typed API does not cover.
    pub fn txn(&mut self) -> &mut TransactionMut<'doc> {
        self.txn
    }

    /// The open transaction, read-only (the JSON view reads through it).
    pub(crate) fn read_txn(&self) -> &TransactionMut<'doc> {
        self.txn
    }

    /// The root map holding entities of that kind (`persona`, `stage`, `lane`, `card`,
    /// `switch`, `path`).
    fn root_of(&self, entity: &'static str) -> &MapRef {
        match entity {
            "persona" => &self.personas,
            "stage" => &self.stages,
            "lane" => &self.lanes,
            "card" => &self.cards,
            "switch" => &self.switches,
            _ => &self.paths,
        }
    }

    /// The entry map of an existing entity, or `NotFound`.
    fn existing(&self, entity: &'static str, id: &str) -> Result<MapRef, SchemaError> {
        read::entry(&*self.txn, self.root_of(entity), id).ok_or_else(|| SchemaError::NotFound {
            entity,
            id: id.to_owned(),
        })
    }

    /// Checks a new id: well-formed and not taken.
    fn fresh_id(&self, entity: &'static str, id: &str) -> Result<(), SchemaError> {
        validate_id(id)?;
        if self.root_of(entity).contains_key(&*self.txn, id) {
            return Err(SchemaError::DuplicateId {
                entity,
                id: id.to_owned(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
