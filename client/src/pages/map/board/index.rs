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
        let view = self.view;
        let fresh = || ArcRwSignal::new(view.with_untracked(|v| card_state(v, id)));
        let arc = self
            .cards
            .try_update_value(|cards| cards.entry(id.to_owned()).or_insert_with(fresh).clone())
            .unwrap_or_else(fresh);
        ReadSignal::from(arc.read_only())
    }

    /// The signal of the ids of the cards in the `stage` × `lane` cell, in order.
    pub fn cell(&self, stage: &str, lane: &str) -> ReadSignal<Vec<String>> {
        let key = (stage.to_owned(), lane.to_owned());
        if self.cells.with_value(|cells| !cells.contains_key(&key)) {
            self.fill_cells();
        }
        let view = self.view;
        let fresh = || ArcRwSignal::new(view.with_untracked(|v| cell_ids(v, stage, lane)));
        let arc = self
            .cells
            .try_update_value(|cells| cells.entry(key).or_insert_with(fresh).clone())
            .unwrap_or_else(fresh);
        ReadSignal::from(arc.read_only())
    }

    /// Makes the signals of every card of the view that has none, in one pass (the
    /// first render asks for hundreds, one by one).
    fn fill_cards(&self) {
        self.view.with_untracked(|v| {
            let kinds: HashMap<&str, LaneKind> =
                v.lanes.iter().map(|l| (l.id.as_str(), l.kind)).collect();
            self.cards.update_value(|cards| {
                for c in &v.cards {
                    if let Some(kind) = kinds.get(c.lane.as_str()) {
                        if !cards.contains_key(&c.id) {
                            cards.insert(c.id.clone(), ArcRwSignal::new(Some((c.clone(), *kind))));
                        }
                    }
                }
            });
        });
    }

    /// Makes the signals of every cell of the view that has none, in one pass.
    fn fill_cells(&self) {
        self.view.with_untracked(|v| {
            let mut grouped: HashMap<(&str, &str), Vec<String>> = v
                .stages
                .iter()
                .flat_map(|s| {
                    v.lanes
                        .iter()
                        .map(|l| ((s.id.as_str(), l.id.as_str()), Vec::new()))
                })
                .collect();
            for c in &v.cards {
                if let Some(ids) = grouped.get_mut(&(c.stage.as_str(), c.lane.as_str())) {
                    ids.push(c.id.clone());
                }
            }
            self.cells.update_value(|cells| {
                for ((stage, lane), ids) in grouped {
                    cells
                        .entry((stage.to_owned(), lane.to_owned()))
                        .or_insert_with(|| ArcRwSignal::new(ids));
                }
            });
        });
    }

    /// Sets the signals whose value changed, and forgets those of cards gone from the
    /// map and of cells whose stage or lane is gone (their parts are being dropped; a
    /// card or cell coming back, e.g. by undo, gets a new signal).
    fn refresh(&self, v: &MapView) {
        let kinds: HashMap<&str, LaneKind> =
            v.lanes.iter().map(|l| (l.id.as_str(), l.kind)).collect();
        let by_id: HashMap<&str, &CardView> = v.cards.iter().map(|c| (c.id.as_str(), c)).collect();
        // Signals are set once the stored maps are released.
        let mut card_sets = Vec::new();
        self.cards.update_value(|cards| {
            cards.retain(|id, signal| {
                let now = by_id
                    .get(id.as_str())
                    .and_then(|c| Some((*c, *kinds.get(c.lane.as_str())?)));
                let same = signal.with_untracked(|old| old.as_ref().map(|(c, k)| (c, *k)) == now);
                if !same {
                    card_sets.push((signal.clone(), now.map(|(c, k)| (c.clone(), k))));
                }
                now.is_some()
            });
        });
        // Each cell's card ids, by stage and lane position.
        let stage_at: HashMap<&str, usize> = v
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let lane_at: HashMap<&str, usize> = v
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect();
        let mut grouped: HashMap<(usize, usize), Vec<String>> = HashMap::new();
        for c in &v.cards {
            if let (Some(s), Some(l)) =
                (stage_at.get(c.stage.as_str()), lane_at.get(c.lane.as_str()))
            {
                grouped.entry((*s, *l)).or_default().push(c.id.clone());
            }
        }
        let mut cell_sets = Vec::new();
        self.cells.update_value(|cells| {
            cells.retain(|(stage, lane), signal| {
                let at = stage_at.get(stage.as_str()).zip(lane_at.get(lane.as_str()));
                let now = at
                    .and_then(|(s, l)| grouped.remove(&(*s, *l)))
                    .unwrap_or_default();
                if signal.with_untracked(|old| *old != now) {
                    cell_sets.push((signal.clone(), now));
                }
                at.is_some()
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

/// Card `id` of `v` with its lane's kind.
fn card_state(v: &MapView, id: &str) -> CardState {
    let card = v.cards.iter().find(|c| c.id == id)?.clone();
    let kind = v.lanes.iter().find(|l| l.id == card.lane)?.kind;
    Some((card, kind))
}

/// The ids of the cards of one cell, in order.
fn cell_ids(v: &MapView, stage: &str, lane: &str) -> Vec<String> {
    v.cards
        .iter()
        .filter(|c| c.stage == stage && c.lane == lane)
        .map(|c| c.id.clone())
        .collect()
}
