//! Pure helpers of comment rounds, shared by the server and the web app: what changed
//! on a map between two views (a round's summary), and which `@names` a comment
//! mentions.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::view::{CardView, MapView};

/// Longest label a [`MapChange`] carries, in characters.
const LABEL_CHARS: usize = 60;

/// What happened to one element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    /// Its text, name or fields changed.
    Changed,
    /// A card went to another cell, or a persona, stage or lane to another place in
    /// the order.
    Moved,
}

impl ChangeKind {
    /// Every kind of change.
    pub const ALL: [ChangeKind; 4] = [
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Changed,
        ChangeKind::Moved,
    ];
}

/// Which kind of element changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ElementKind {
    /// Map-level fields (`id`: `title` or `objective`).
    Map,
    Persona,
    Stage,
    Lane,
    Card,
    /// An emotion score (`id`: `{persona}/{stage}/{series}`).
    Emotion,
}

impl ElementKind {
    /// Every kind of element.
    pub const ALL: [ElementKind; 6] = [
        ElementKind::Map,
        ElementKind::Persona,
        ElementKind::Stage,
        ElementKind::Lane,
        ElementKind::Card,
        ElementKind::Emotion,
    ];
}

/// One line of a map's short diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MapChange {
    pub change: ChangeKind,
    pub element: ElementKind,
    /// The element's id (`title` / `objective` for map fields).
    pub id: String,
    /// A short human label: the name or the start of the text, as it is now (as it was,
    /// for removed elements).
    pub label: String,
}

/// The short diff from `before` to `after`: map fields, then personas, stages, lanes
/// and cards; within each, in the order of `after` (removed ones in `before`'s order).
pub fn diff_views(before: &MapView, after: &MapView) -> Vec<MapChange> {
    let mut out = Vec::new();
    let map_field = |id: &str, label: &str| MapChange {
        change: ChangeKind::Changed,
        element: ElementKind::Map,
        id: id.to_owned(),
        label: short(label),
    };
    if before.meta.title != after.meta.title {
        out.push(map_field("title", &after.meta.title));
    }
    if before.meta.objective != after.meta.objective {
        out.push(map_field("objective", &after.meta.objective));
    }
    diff_by_id(
        &mut out,
        ElementKind::Persona,
        &before.personas,
        &after.personas,
        |p| (&p.id, &p.name),
    );
    diff_by_id(
        &mut out,
        ElementKind::Stage,
        &before.stages,
        &after.stages,
        |s| (&s.id, &s.name),
    );
    diff_by_id(
        &mut out,
        ElementKind::Lane,
        &before.lanes,
        &after.lanes,
        |l| (&l.id, &l.name),
    );
    let all_cards =
        |v: &MapView| -> Vec<CardView> { v.cards.iter().chain(&v.orphan_cards).cloned().collect() };
    let (old_cards, new_cards) = (all_cards(before), all_cards(after));
    diff_by_id(&mut out, ElementKind::Card, &old_cards, &new_cards, |c| {
        (&c.id, &c.text)
    });
    reordered(
        &mut out,
        ElementKind::Persona,
        &before.personas,
        &after.personas,
        |p| (&p.id, &p.name),
    );
    reordered(
        &mut out,
        ElementKind::Stage,
        &before.stages,
        &after.stages,
        |s| (&s.id, &s.name),
    );
    reordered(
        &mut out,
        ElementKind::Lane,
        &before.lanes,
        &after.lanes,
        |l| (&l.id, &l.name),
    );
    // Moves, for cards present on both sides.
    let old: HashMap<&str, &CardView> = old_cards.iter().map(|c| (c.id.as_str(), c)).collect();
    for card in &new_cards {
        if let Some(was) = old.get(card.id.as_str()) {
            if (was.stage.as_str(), was.lane.as_str()) != (card.stage.as_str(), card.lane.as_str())
            {
                out.push(MapChange {
                    change: ChangeKind::Moved,
                    element: ElementKind::Card,
                    id: card.id.clone(),
                    label: short(&card.text),
                });
            }
        }
    }
    emotion_changes(&mut out, before, after);
    out
}

/// Elements present on both sides whose place in the order changed: those outside the
/// longest run kept in the same relative order (moving one stage reports that stage,
/// not every stage it passed).
fn reordered<T>(
    out: &mut Vec<MapChange>,
    element: ElementKind,
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> (&String, &String),
) {
    let old: HashMap<&str, usize> = before
        .iter()
        .enumerate()
        .map(|(i, e)| (key(e).0.as_str(), i))
        .collect();
    let common: Vec<(&T, usize)> = after
        .iter()
        .filter_map(|e| old.get(key(e).0.as_str()).map(|&i| (e, i)))
        .collect();
    let kept = longest_increasing(&common.iter().map(|(_, i)| *i).collect::<Vec<_>>());
    for (n, (e, _)) in common.iter().enumerate() {
        if !kept.contains(&n) {
            out.push(MapChange {
                change: ChangeKind::Moved,
                element,
                id: key(e).0.clone(),
                label: short(key(e).1),
            });
        }
    }
}

/// The indexes (into `seq`) of one longest strictly increasing subsequence.
fn longest_increasing(seq: &[usize]) -> std::collections::HashSet<usize> {
    // Patience sorting: `tails[k]` ends the best run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let at = tails.partition_point(|&t| seq[t] < v);
        prev[i] = at.checked_sub(1).map(|k| tails[k]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut kept = std::collections::HashSet::new();
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        kept.insert(i);
        cur = prev[i];
    }
    kept
}

/// Emotion scores set, cleared or changed, per persona, stage and series, in the order
/// of `after`'s curves (cleared ones in `before`'s).
fn emotion_changes(out: &mut Vec<MapChange>, before: &MapView, after: &MapView) {
    let scores = |v: &MapView| -> Vec<(String, String, i8)> {
        let mut all = Vec::new();
        for curve in &v.emotions {
            let persona = v
                .personas
                .iter()
                .find(|p| p.id == curve.persona)
                .map_or("", |p| p.name.as_str());
            for (stage, score) in v.stages.iter().zip(&curve.scores) {
                if let Some(score) = score {
                    let id = format!("{}/{}/{}", curve.persona, stage.id, curve.series.as_str());
                    let label = format!("{} · {}: {score}", persona.trim(), stage.name.trim());
                    all.push((id, label, *score));
                }
            }
        }
        all
    };
    let (old, new) = (scores(before), scores(after));
    let old_by_id: HashMap<&str, i8> = old.iter().map(|(id, _, s)| (id.as_str(), *s)).collect();
    let new_ids: std::collections::HashSet<&str> =
        new.iter().map(|(id, _, _)| id.as_str()).collect();
    for (id, label, score) in &new {
        let change = match old_by_id.get(id.as_str()) {
            None => ChangeKind::Added,
            Some(was) if was != score => ChangeKind::Changed,
            Some(_) => continue,
        };
        out.push(MapChange {
            change,
            element: ElementKind::Emotion,
            id: id.clone(),
            label: short(label),
        });
    }
    for (id, label, _) in &old {
        if !new_ids.contains(id.as_str()) {
            out.push(MapChange {
                change: ChangeKind::Removed,
                element: ElementKind::Emotion,
                id: id.clone(),
                label: short(label),
            });
        }
    }
}

/// Added, removed and changed elements of one kind, matched by id. An element counts as
/// changed when anything but its position differs.
fn diff_by_id<T: PartialEq + Clone + Positioned>(
    out: &mut Vec<MapChange>,
    element: ElementKind,
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> (&String, &String),
) {
    let old: HashMap<&str, &T> = before.iter().map(|e| (key(e).0.as_str(), e)).collect();
    let new: HashMap<&str, &T> = after.iter().map(|e| (key(e).0.as_str(), e)).collect();
    let line = |change, e: &T| MapChange {
        change,
        element,
        id: key(e).0.clone(),
        label: short(key(e).1),
    };
    for e in after {
        match old.get(key(e).0.as_str()) {
            None => out.push(line(ChangeKind::Added, e)),
            Some(was) if !was.same_content(e) => out.push(line(ChangeKind::Changed, e)),
            Some(_) => {}
        }
    }
    for e in before {
        if !new.contains_key(key(e).0.as_str()) {
            out.push(line(ChangeKind::Removed, e));
        }
    }
}

/// Equality ignoring where the element sits (moves are reported apart).
trait Positioned {
    fn same_content(&self, other: &Self) -> bool;
}

macro_rules! positioned_by_eq {
    ($($t:ty),*) => {$(
        impl Positioned for $t {
            fn same_content(&self, other: &Self) -> bool { self == other }
        }
    )*};
}
positioned_by_eq!(
    crate::view::PersonaView,
    crate::view::StageView,
    crate::view::LaneView
);

impl Positioned for CardView {
    fn same_content(&self, other: &Self) -> bool {
        let mut other = other.clone();
        other.stage.clone_from(&self.stage);
        other.lane.clone_from(&self.lane);
        other.index = self.index;
        *self == other
    }
}

fn short(s: &str) -> String {
    crate::text::ellipsize(s.trim(), LABEL_CHARS)
}

/// One part of a summary: how many elements of a kind had a kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SummaryPart {
    pub count: usize,
    pub element: ElementKind,
    pub change: ChangeKind,
}

/// The summary of `changes` as counts, in order of first appearance.
pub fn summary_parts(changes: &[MapChange]) -> Vec<SummaryPart> {
    let mut parts: Vec<SummaryPart> = Vec::new();
    for c in changes {
        match parts
            .iter_mut()
            .find(|p| (p.change, p.element) == (c.change, c.element))
        {
            Some(p) => p.count += 1,
            None => parts.push(SummaryPart {
                count: 1,
                element: c.element,
                change: c.change,
            }),
        }
    }
    parts
}

/// What a summary says when nothing changed.
const NO_CHANGES: &str = "no changes";

/// The English noun of `element`, for `count` of them.
fn element_noun(element: ElementKind, count: usize) -> &'static str {
    let one = count == 1;
    match element {
        ElementKind::Map => "map field",
        ElementKind::Persona if one => "persona",
        ElementKind::Persona => "personas",
        ElementKind::Stage if one => "stage",
        ElementKind::Stage => "stages",
        ElementKind::Lane if one => "lane",
        ElementKind::Lane => "lanes",
        ElementKind::Card if one => "card",
        ElementKind::Card => "cards",
        ElementKind::Emotion if one => "emotion score",
        ElementKind::Emotion => "emotion scores",
    }
}

/// The English participle of `change`.
fn change_verb(change: ChangeKind) -> &'static str {
    match change {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
        ChangeKind::Moved => "moved",
    }
}

/// One line on a diff: "2 cards added, 1 stage moved…" (`no changes` when empty).
/// Versions store it; [`read_summary`] reads it back as parts.
pub fn summarize(changes: &[MapChange]) -> String {
    let parts = summary_parts(changes);
    if parts.is_empty() {
        return NO_CHANGES.into();
    }
    parts
        .iter()
        .map(|p| {
            format!(
                "{} {} {}",
                p.count,
                element_noun(p.element, p.count),
                change_verb(p.change)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The parts of a summary [`summarize`] wrote (stored with a version), so it can be
/// worded in another language; `None` for text of any other form (a summary written
/// by hand, or by a future server).
pub fn read_summary(summary: &str) -> Option<Vec<SummaryPart>> {
    if summary == NO_CHANGES {
        return Some(Vec::new());
    }
    summary
        .split(", ")
        .map(|part| {
            let (n, rest) = part.split_once(' ')?;
            let count: usize = n.parse().ok().filter(|n| *n > 0)?;
            let (noun, verb) = rest.rsplit_once(' ')?;
            let element = ElementKind::ALL
                .into_iter()
                .find(|e| element_noun(*e, count) == noun)?;
            let change = ChangeKind::ALL
                .into_iter()
                .find(|c| change_verb(*c) == verb)?;
            Some(SummaryPart {
                count,
                element,
                change,
            })
        })
        .collect()
}

/// Someone a comment may mention: their display name and email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mentionable<'a> {
    pub display_name: &'a str,
    pub email: &'a str,
}

/// The `@names` in `body`: indexes into `people` of those it names (each once, in
/// order of first mention), and the `@tokens` that name nobody in `people`.
///
/// `@` must start the body or follow a non-word character (so emails are not
/// mentions). A person is named by their display name (case-insensitive, spaces
/// included, e.g. `@Ana Lopez`) or their email's local part (`@ana.lopez`); the longest
/// match wins. An unmatched token is the run of word characters, `.`, `_` and `-` after
/// the `@`, without trailing dots.
pub fn find_mentions(body: &str, people: &[Mentionable<'_>]) -> (Vec<usize>, Vec<String>) {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    let mut named: Vec<usize> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for (at, c) in body.char_indices() {
        let starts = c == '@' && prev.is_none_or(|p| !is_word(p) && p != '@');
        prev = Some(c);
        if !starts {
            continue;
        }
        let rest = &body[at + 1..];
        let mut best: Option<(usize, usize)> = None; // (matched length, person)
        for (i, person) in people.iter().enumerate() {
            let local = person.email.split('@').next().unwrap_or("");
            for name in [person.display_name.trim(), local] {
                if let Some(len) = prefix_match(rest, name) {
                    if best.is_none_or(|(l, _)| len > l) {
                        best = Some((len, i));
                    }
                }
            }
        }
        match best {
            Some((_, i)) => {
                if !named.contains(&i) {
                    named.push(i);
                }
            }
            None => {
                let token: String = rest.chars().take_while(|c| is_word(*c)).collect();
                let token = token.trim_end_matches('.').to_owned();
                if !token.is_empty() && !unknown.iter().any(|u| u.eq_ignore_ascii_case(&token)) {
                    unknown.push(token);
                }
            }
        }
    }
    (named, unknown)
}

/// If `text` starts with `name` (case-insensitive) followed by the end or a character
/// that cannot continue a name, the byte length matched.
fn prefix_match(text: &str, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    let mut t = text.char_indices();
    for n in name.chars() {
        let (_, c) = t.next()?;
        if !c.to_lowercase().eq(n.to_lowercase()) {
            return None;
        }
    }
    let end = t.next();
    match end {
        None => Some(text.len()),
        Some((i, c)) => {
            let continues = c.is_alphanumeric() || c == '_' || c == '-';
            // A trailing dot is punctuation unless a word follows it (an email part).
            let dotted = c == '.' && text[i + 1..].starts_with(|c: char| c.is_alphanumeric());
            (!continues && !dotted).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{MapView, StageView};

    fn card(id: &str, stage: &str, text: &str) -> CardView {
        CardView {
            id: id.into(),
            stage: stage.into(),
            lane: "l".into(),
            index: 0,
            text: text.into(),
            channel: None,
            owner: None,
            status: None,
            kpi: None,
            paths: Vec::new(),
        }
    }

    fn stage(id: &str, name: &str) -> StageView {
        StageView {
            id: id.into(),
            name: name.into(),
        }
    }

    #[test]
    fn identical_views_have_no_changes() {
        let v = MapView {
            stages: vec![stage("s1", "Awareness")],
            cards: vec![card("c1", "s1", "Sees an ad")],
            ..MapView::default()
        };
        assert!(diff_views(&v, &v).is_empty());
    }

    #[test]
    fn added_removed_changed_and_moved_elements_are_listed() {
        let before = MapView {
            stages: vec![stage("s1", "Awareness"), stage("s2", "Purchase")],
            cards: vec![
                card("c1", "s1", "Sees an ad"),
                card("c2", "s1", "Gone soon"),
            ],
            ..MapView::default()
        };
        let mut after = before.clone();
        after.meta.title = "Renamed".into();
        after.stages[1].name = "Checkout".into();
        after.stages.push(stage("s3", "Loyalty"));
        after.cards = vec![
            card("c1", "s2", "Sees an ad twice"),
            card("c3", "s3", "Joins"),
        ];
        let diff = diff_views(&before, &after);
        let got: Vec<(ChangeKind, ElementKind, &str)> = diff
            .iter()
            .map(|c| (c.change, c.element, c.id.as_str()))
            .collect();
        use ChangeKind::*;
        use ElementKind as E;
        assert_eq!(
            got,
            vec![
                (Changed, E::Map, "title"),
                (Changed, E::Stage, "s2"),
                (Added, E::Stage, "s3"),
                (Changed, E::Card, "c1"),
                (Added, E::Card, "c3"),
                (Removed, E::Card, "c2"),
                (Moved, E::Card, "c1"),
            ]
        );
    }

    #[test]
    fn a_card_moved_without_edits_is_only_moved() {
        let before = MapView {
            cards: vec![card("c1", "s1", "Same")],
            ..MapView::default()
        };
        let after = MapView {
            cards: vec![card("c1", "s2", "Same")],
            ..MapView::default()
        };
        let d = diff_views(&before, &after);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].change, ChangeKind::Moved);
    }

    #[test]
    fn moving_one_stage_reports_that_stage_alone() {
        let names = ["A", "X", "B", "C", "D"];
        let before = MapView {
            stages: names.iter().map(|n| stage(n, n)).collect(),
            ..MapView::default()
        };
        let after = MapView {
            stages: ["A", "B", "C", "X", "D"]
                .iter()
                .map(|n| stage(n, n))
                .collect(),
            ..MapView::default()
        };
        let d = diff_views(&before, &after);
        assert_eq!(
            d.iter()
                .map(|c| (c.change, c.id.as_str()))
                .collect::<Vec<_>>(),
            vec![(ChangeKind::Moved, "X")]
        );
        // Swapping two neighbours moves one of them; nothing else is reported.
        let swapped = MapView {
            stages: ["X", "A", "B", "C", "D"]
                .iter()
                .map(|n| stage(n, n))
                .collect(),
            ..MapView::default()
        };
        assert_eq!(diff_views(&before, &swapped).len(), 1);
    }

    #[test]
    fn emotion_scores_set_changed_and_cleared_are_listed() {
        use crate::schema::EmotionSeries;
        use crate::view::{EmotionCurve, PersonaView};
        let persona = PersonaView {
            id: "p".into(),
            name: "Camille".into(),
            segment: String::new(),
            goals: String::new(),
            pains: String::new(),
            preferences: String::new(),
        };
        let curve = |scores: Vec<Option<i8>>| EmotionCurve {
            persona: "p".into(),
            series: EmotionSeries::AsIs,
            scores,
        };
        let base = MapView {
            personas: vec![persona],
            stages: vec![
                stage("s1", "Discover"),
                stage("s2", "Buy"),
                stage("s3", "Use"),
            ],
            ..MapView::default()
        };
        let before = MapView {
            emotions: vec![curve(vec![Some(1), Some(-1), None])],
            ..base.clone()
        };
        let after = MapView {
            emotions: vec![curve(vec![None, Some(-2), Some(2)])],
            ..base
        };
        let d = diff_views(&before, &after);
        let got: Vec<(ChangeKind, ElementKind, &str)> = d
            .iter()
            .map(|c| (c.change, c.element, c.id.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (ChangeKind::Changed, ElementKind::Emotion, "p/s2/as_is"),
                (ChangeKind::Added, ElementKind::Emotion, "p/s3/as_is"),
                (ChangeKind::Removed, ElementKind::Emotion, "p/s1/as_is"),
            ]
        );
        assert_eq!(d[0].label, "Camille · Buy: -2");
        assert_eq!(
            summarize(&d),
            "1 emotion score changed, 1 emotion score added, 1 emotion score removed"
        );
    }

    #[test]
    fn a_summary_counts_each_kind_of_change() {
        let before = MapView::default();
        let after = MapView {
            stages: vec![stage("s1", "A"), stage("s2", "B")],
            cards: vec![card("c1", "s1", "x")],
            ..MapView::default()
        };
        assert_eq!(
            summarize(&diff_views(&before, &after)),
            "2 stages added, 1 card added"
        );
        assert_eq!(summarize(&[]), "no changes");
    }

    #[test]
    fn every_summary_reads_back_as_its_parts() {
        let elements = ElementKind::ALL;
        let kinds = ChangeKind::ALL;
        let mut changes = Vec::new();
        for (i, element) in elements.into_iter().enumerate() {
            for (j, change) in kinds.into_iter().enumerate() {
                // One of some, three of others.
                for k in 0..1 + 2 * ((i + j) % 2) {
                    changes.push(MapChange {
                        change,
                        element,
                        id: format!("{i}{j}{k}"),
                        label: String::new(),
                    });
                }
                let one = &changes[changes.len() - 1..];
                assert_eq!(read_summary(&summarize(one)), Some(summary_parts(one)));
            }
        }
        let parts = summary_parts(&changes);
        assert_eq!(parts.len(), 24);
        assert_eq!(read_summary(&summarize(&changes)), Some(parts));
        assert_eq!(read_summary("no changes"), Some(Vec::new()));
        for other in [
            "",
            "2 cards",
            "two cards added",
            "0 cards added",
            "2 cards added,",
            "1 cards added",
            "1 card renamed",
            "Draft for the board",
        ] {
            assert_eq!(read_summary(other), None, "{other}");
        }
    }

    #[test]
    fn long_labels_are_cut() {
        let before = MapView::default();
        let after = MapView {
            cards: vec![card("c1", "s1", &"x".repeat(500))],
            ..MapView::default()
        };
        assert_eq!(
            diff_views(&before, &after)[0].label.chars().count(),
            LABEL_CHARS
        );
    }

    fn people() -> Vec<Mentionable<'static>> {
        vec![
            Mentionable {
                display_name: "Ana Lopez",
                email: "ana.lopez@example.com",
            },
            Mentionable {
                display_name: "bob",
                email: "robert@example.com",
            },
        ]
    }

    #[test]
    fn mentions_match_names_case_insensitively_and_email_local_parts() {
        let (named, unknown) = find_mentions("@ana lopez and @ROBERT, see @Bob.", &people());
        assert_eq!(named, vec![0, 1]);
        assert!(unknown.is_empty());
        let (named, _) = find_mentions("cc @ana.lopez: thoughts?", &people());
        assert_eq!(named, vec![0]);
    }

    #[test]
    fn unknown_mentions_are_reported_once_and_emails_are_not_mentions() {
        let (named, unknown) =
            find_mentions("@zoe and @Zoe, write to x@bob.com; @bobby?", &people());
        assert!(named.is_empty());
        assert_eq!(unknown, vec!["zoe".to_owned(), "bobby".to_owned()]);
    }
}
