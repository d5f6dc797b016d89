//! The board's cards and cells as signals of their own ([`BoardIndex`]), set only for
//! what a change touched. Cards and cells read these instead of the whole
//! [`MapView`]: on a board of hundreds of cards, a change used to re-run one memo per
//! card and per cell (each searching the whole view), and each re-run re-subscribed it
//! to the view, whose subscriber list is linear to edit. Now one effect walks the view
//! once per change and sets the few signals whose value moved.

use std::collections::HashMap;

use leptos::prelude::*;
use parcours_shared::schema::LaneKind;
use parcours_shared::view::{CardView, MapView};

/// A card as the board shows it: the card and its lane's kind (`None` once the card or
/// its lane is gone).
pub type CardState = Option<(CardView, LaneKind)>;

/// The cards of each cell, by (stage id, lane id).
type CellSignals = HashMap<(String, String), ArcRwSignal<Vec<String>>>;

/// Per-card and per-cell signals over one [`MapView`] memo.
#[derive(Clone, Copy)]
pub struct BoardIndex {
    view: Memo<MapView>,
    cards: StoredValue<HashMap<String, ArcRwSignal<CardState>>>,
    cells: StoredValue<CellSignals>,
}

impl BoardIndex {
    /// An index over `view`, kept up to date by an effect owned by the caller.
    pub fn new(view: Memo<MapView>) -> BoardIndex {
        let index = BoardIndex {
            view,
            cards: StoredValue::new(HashMap::new()),
            cells: StoredValue::new(HashMap::new()),
        };
        // Runs after every change of the view (and once at first, when the board's
        // parts have asked for their signals).
        Effect::new(move |_| view.with(|v| index.refresh(v)));
        index
    }

    /// The signal of card `id` (tracked through the returned signal only).
    pub fn card(&self, id: &str) -> ReadSignal<CardState> {
        if self.cards.with_value(|cards| !cards.contains_key(id)) {
            self.fill_cards();
        }
        // Still missing: not (or no longer) on the board.
        let arc = self
            .cards
            .try_update_value(|cards| cards.entry(id.to_owned()).or_default().clone())
            .unwrap_or_default();
        ReadSignal::from(arc.read_only())
    }

    /// The signal of the ids of the cards in the `stage` × `lane` cell, in order.
    pub fn cell(&self, stage: &str, lane: &str) -> ReadSignal<Vec<String>> {
        let key = (stage.to_owned(), lane.to_owned());
        if self.cells.with_value(|cells| !cells.contains_key(&key)) {
            self.fill_cells();
        }
        let arc = self
            .cells
            .try_update_value(|cells| cells.entry(key).or_default().clone())
            .unwrap_or_default();
        ReadSignal::from(arc.read_only())
    }

    /// Makes the signals of every card of the view that has none, in one pass (the
    /// first render asks for hundreds, one by one).
    fn fill_cards(&self) {
        self.view.with_untracked(|v| {
            self.cards.update_value(|cards| {
                for (id, state) in cards_of(v) {
                    if !cards.contains_key(id) {
                        cards.insert(
                            id.to_owned(),
                            ArcRwSignal::new(Some((state.0.clone(), state.1))),
                        );
                    }
                }
            });
        });
    }

    /// Makes the signals of every cell of the view that has none, in one pass.
    fn fill_cells(&self) {
        self.view.with_untracked(|v| {
            self.cells.update_value(|cells| {
                for ((stage, lane), ids) in cells_of(v) {
                    cells
                        .entry((stage.to_owned(), lane.to_owned()))
                        .or_insert_with(|| ArcRwSignal::new(owned(&ids)));
                }
            });
        });
    }

    /// Sets the signals whose value changed, and forgets those of cards gone from the
    /// map and of cells whose stage or lane is gone (their parts are being dropped; a
    /// card or cell coming back, e.g. by undo, gets a new signal).
    fn refresh(&self, v: &MapView) {
        // Signals are set once the stored maps are released; values are cloned only
        // for the signals that change.
        let mut card_sets = Vec::new();
        let by_id = cards_of(v);
        self.cards.update_value(|cards| {
            cards.retain(|id, signal| {
                let now = by_id.get(id.as_str()).copied();
                let same = signal.with_untracked(|old| old.as_ref().map(|(c, k)| (c, *k)) == now);
                if !same {
                    card_sets.push((signal.clone(), now.map(|(c, k)| (c.clone(), k))));
                }
                now.is_some()
            });
        });
        let mut cell_sets = Vec::new();
        let by_cell = cells_of(v);
        self.cells.update_value(|cells| {
            cells.retain(|(stage, lane), signal| {
                let now = by_cell.get(&(stage.as_str(), lane.as_str()));
                let ids = now.map(Vec::as_slice).unwrap_or_default();
                if signal
                    .with_untracked(|old| !old.iter().map(String::as_str).eq(ids.iter().copied()))
                {
                    cell_sets.push((signal.clone(), owned(ids)));
                }
                now.is_some()
            });
        });
        for (signal, value) in card_sets {
            signal.set(value);
        }
        for (signal, value) in cell_sets {
            signal.set(value);
        }
    }
}

/// Every card of `v` whose lane exists, by id, with its lane's kind.
fn cards_of(v: &MapView) -> HashMap<&str, (&CardView, LaneKind)> {
    let kinds: HashMap<&str, LaneKind> = v.lanes.iter().map(|l| (l.id.as_str(), l.kind)).collect();
    v.cards
        .iter()
        .filter_map(|c| Some((c.id.as_str(), (c, *kinds.get(c.lane.as_str())?))))
        .collect()
}

/// Every cell of `v` (each stage × each lane, empty ones too) with its cards' ids, in
/// order.
fn cells_of(v: &MapView) -> HashMap<(&str, &str), Vec<&str>> {
    let mut cells: HashMap<(&str, &str), Vec<&str>> = v
        .stages
        .iter()
        .flat_map(|s| {
            v.lanes
                .iter()
                .map(|l| ((s.id.as_str(), l.id.as_str()), Vec::new()))
        })
        .collect();
    for c in &v.cards {
        if let Some(ids) = cells.get_mut(&(c.stage.as_str(), c.lane.as_str())) {
            ids.push(c.id.as_str());
        }
    }
    cells
}

/// Borrowed ids, owned.
fn owned(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| (*id).to_owned()).collect()
}
