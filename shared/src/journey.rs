//! Readings of a map's itinerary that the board and the exports draw: which channels
//! carry each stage and how often the customer switches channel there (omnichannel),
//! and where personalized paths diverge and rejoin.
//!
//! Pure functions of a [`MapView`], so the web app recomputes them on every change.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::schema::{Channel, LaneKind};
use crate::view::MapView;

/// The channels of one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChannels {
    /// Stage id.
    pub stage: String,
    /// Each channel with the number of touchpoint cards on it, in [`Channel::ALL`] order.
    pub channels: Vec<(Channel, usize)>,
    /// Channel switches that start in this stage: the hop to the next stage when its
    /// first channel differs, and each hand-drawn switch from one of its touchpoints.
    pub switches: usize,
}

/// One stage as the paths of a personalized journey see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageBranch {
    /// Stage id.
    pub stage: String,
    /// The cards of this stage that only some paths take, by path id (paths in map
    /// order; a path with none is left out).
    pub own: Vec<(String, Vec<String>)>,
    /// The cards every path takes (on no path in particular, or on all of them).
    pub common: usize,
}

impl StageBranch {
    /// Do the paths differ here? (Some path has cards the others skip.)
    pub fn diverges(&self) -> bool {
        !self.own.is_empty()
    }
}

/// Which channels carry each stage (in stage order) and how many switches start there.
pub fn channel_mix(view: &MapView) -> Vec<StageChannels> {
    let touchpoint_lanes: Vec<&str> = view
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Touchpoints)
        .map(|l| l.id.as_str())
        .collect();
    let mut counts: HashMap<&str, BTreeMap<Channel, usize>> = HashMap::new();
    let mut stage_of: HashMap<&str, &str> = HashMap::new();
    for card in &view.cards {
        stage_of.insert(card.id.as_str(), card.stage.as_str());
        if !touchpoint_lanes.contains(&card.lane.as_str()) {
            continue;
        }
        if let Some(channel) = card.channel {
            *counts
                .entry(card.stage.as_str())
                .or_default()
                .entry(channel)
                .or_default() += 1;
        }
    }
    let mut switches: HashMap<&str, usize> = HashMap::new();
    for hop in &view.channel_switches {
        *switches.entry(hop.from_stage.as_str()).or_default() += 1;
    }
    for switch in &view.switches {
        if let Some(stage) = stage_of.get(switch.from.as_str()) {
            *switches.entry(stage).or_default() += 1;
        }
    }
    view.stages
        .iter()
        .map(|stage| StageChannels {
            stage: stage.id.clone(),
            channels: counts
                .remove(stage.id.as_str())
                .map(|c| c.into_iter().collect())
                .unwrap_or_default(),
            switches: switches.get(stage.id.as_str()).copied().unwrap_or(0),
        })
        .collect()
}

/// Where the paths diverge and rejoin, stage by stage (empty without paths).
pub fn branches(view: &MapView) -> Vec<StageBranch> {
    if view.paths.is_empty() {
        return Vec::new();
    }
    view.stages
        .iter()
        .map(|stage| {
            let cards: Vec<_> = view.cards.iter().filter(|c| c.stage == stage.id).collect();
            let everywhere = |paths: &[String]| {
                paths.is_empty() || view.paths.iter().all(|p| paths.contains(&p.id))
            };
            let common = cards.iter().filter(|c| everywhere(&c.paths)).count();
            let own = view
                .paths
                .iter()
                .filter_map(|path| {
                    let ids: Vec<String> = cards
                        .iter()
                        .filter(|c| !everywhere(&c.paths) && c.paths.contains(&path.id))
                        .map(|c| c.id.clone())
                        .collect();
                    (!ids.is_empty()).then(|| (path.id.clone(), ids))
                })
                .collect();
            StageBranch {
                stage: stage.id.clone(),
                own,
                common,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{At, MapDoc};

    fn board() -> MapDoc {
        let map = MapDoc::with_client_id(1);
        map.edit(|m| {
            m.add_stage("s1", "Look", At::End).unwrap();
            m.add_stage("s2", "Buy", At::End).unwrap();
            m.add_stage("s3", "Use", At::End).unwrap();
            m.add_lane("lt", "Touchpoints", LaneKind::Touchpoints, At::End)
                .unwrap();
            m.add_lane("la", "Actions", LaneKind::Actions, At::End)
                .unwrap();
            for (id, stage, channel) in [
                ("t1", "s1", Channel::Web),
                ("t2", "s1", Channel::Web),
                ("t3", "s1", Channel::Social),
                ("t4", "s2", Channel::Store),
                ("t5", "s3", Channel::Store),
            ] {
                m.add_card(id, stage, "lt", At::End, id).unwrap();
                m.set_channel(id, Some(channel)).unwrap();
            }
        });
        map
    }

    #[test]
    fn channel_mix_counts_touchpoints_per_channel_and_switches_starting_in_each_stage() {
        let map = board();
        map.edit(|m| {
            m.add_card("a1", "s1", "la", At::End, "not counted")
                .unwrap();
            m.add_switch("w1", "t3", "t5", "").unwrap();
            m.add_switch("w2", "t4", "t5", "").unwrap();
        });
        let mix = channel_mix(&map.view());
        assert_eq!(mix.len(), 3);
        assert_eq!(mix[0].channels, [(Channel::Web, 2), (Channel::Social, 1)]);
        // Web → store to the next stage, plus the hand-drawn t3 → t5.
        assert_eq!(mix[0].switches, 2);
        // Store → store is no hop; the hand-drawn t4 → t5 counts.
        assert_eq!(mix[1].switches, 1);
        assert_eq!(mix[2].channels, [(Channel::Store, 1)]);
        assert_eq!(mix[2].switches, 0);
    }

    #[test]
    fn branches_show_where_paths_diverge_and_rejoin() {
        let map = board();
        assert!(branches(&map.view()).is_empty());
        map.edit(|m| {
            m.add_path("pa", "Online", None, "", At::End).unwrap();
            m.add_path("pb", "In store", None, "", At::End).unwrap();
            m.set_card_on_path("t1", "pa", true).unwrap();
            m.set_card_on_path("t3", "pb", true).unwrap();
            m.set_card_paths("t4", &["pa", "pb"]).unwrap();
        });
        let branches = branches(&map.view());
        assert!(branches[0].diverges());
        assert_eq!(
            branches[0].own,
            [
                ("pa".to_owned(), vec!["t1".to_owned()]),
                ("pb".to_owned(), vec!["t3".to_owned()])
            ]
        );
        assert_eq!(branches[0].common, 1);
        // On both paths is on every path: they rejoin.
        assert!(!branches[1].diverges());
        assert_eq!(branches[1].common, 1);
        assert!(!branches[2].diverges());
    }
}
