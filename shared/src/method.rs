//! The six-step method a journey map is built by, checked against the map itself.
//!
//! [`assess`] is a pure function of a [`MapView`] and what the server knows about the
//! map's validation (a closed review round, an imported event log): for each step its
//! checks, whether each passes and, for a failing one, the place on the board to fix it
//! ([`FixTarget`]). The web app's Method panel shows the report live; the server keeps
//! the steps a map's document passes in the `maps` row ([`StepSet::bits`]), so the
//! maps list shows every map's progress without loading any document.
//!
//! Cards count only when their text is not blank: an empty card says nothing yet.

use serde::{Deserialize, Serialize};

use crate::schema::{Channel, EmotionSeries, ItineraryKind, LaneKind};
use crate::view::{CardView, MapView};

/// One step of the method, in the order a team goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MethodStep {
    /// Say what the map is for.
    Objectives,
    /// Describe who the journey is about.
    Personas,
    /// Find where the customer meets the brand.
    Touchpoints,
    /// Find what hurts and how it feels.
    PainsAndEmotions,
    /// Lay the journey out, with what the team will do about it.
    Journey,
    /// Check the map against real feedback and data.
    Validation,
}

impl MethodStep {
    /// Every step, in method order.
    pub const ALL: [MethodStep; 6] = [
        MethodStep::Objectives,
        MethodStep::Personas,
        MethodStep::Touchpoints,
        MethodStep::PainsAndEmotions,
        MethodStep::Journey,
        MethodStep::Validation,
    ];

    /// The steps the document alone decides (all but validation).
    pub const FROM_DOCUMENT: [MethodStep; 5] = [
        MethodStep::Objectives,
        MethodStep::Personas,
        MethodStep::Touchpoints,
        MethodStep::PainsAndEmotions,
        MethodStep::Journey,
    ];

    /// The step's name in JSON and in `data-step` attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            MethodStep::Objectives => "objectives",
            MethodStep::Personas => "personas",
            MethodStep::Touchpoints => "touchpoints",
            MethodStep::PainsAndEmotions => "pains_and_emotions",
            MethodStep::Journey => "journey",
            MethodStep::Validation => "validation",
        }
    }

    /// 1 to 6.
    pub fn number(self) -> usize {
        self.index() + 1
    }

    /// Position in [`Self::ALL`] (and bit in a [`StepSet`]).
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// What the step asks the team to do.
    pub fn title(self) -> &'static str {
        match self {
            MethodStep::Objectives => "Set objectives",
            MethodStep::Personas => "Build personas",
            MethodStep::Touchpoints => "Identify touchpoints",
            MethodStep::PainsAndEmotions => "Analyse pains and emotions",
            MethodStep::Journey => "Represent the journey",
            MethodStep::Validation => "Validate and refine",
        }
    }

    /// The question the step answers.
    pub fn question(self) -> &'static str {
        match self {
            MethodStep::Objectives => {
                "What result should this map help the business reach — fewer abandoned carts, a smoother onboarding?"
            }
            MethodStep::Personas => {
                "Who are the customers, and what does each one want, struggle with and prefer?"
            }
            MethodStep::Touchpoints => {
                "Where does the customer meet the brand at each stage — online, offline, through a partner?"
            }
            MethodStep::PainsAndEmotions => {
                "What could stop the customer moving on at each stage, and how do they feel there?"
            }
            MethodStep::Journey => {
                "Can the whole team read the journey: its stages, what the customer does, and who acts on each opportunity?"
            }
            MethodStep::Validation => {
                "Does the map hold up against real customers — their feedback and their data — and what should change?"
            }
        }
    }
}

/// What the server knows about a map's validation, beyond its document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    /// A review round on the map has closed.
    pub round_closed: bool,
    /// An event log has been imported onto the map (and is ready).
    pub evidence_attached: bool,
}

/// Where to fix a failing check on the map page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixTarget {
    /// The objective field.
    Objective,
    /// The persona panel (add a persona).
    Personas,
    /// One persona's card (its goals or pains are blank).
    Persona(String),
    /// The button that adds a stage.
    NewStage,
    /// A stage's name.
    Stage(String),
    /// The lane form, to add a lane of this kind.
    NewLane(LaneKind),
    /// A stage × lane cell that needs a card (or whose blank card needs words).
    Cell {
        /// Stage id.
        stage: String,
        /// Lane id.
        lane: String,
    },
    /// A persona's as-is emotion point at a stage.
    Emotion {
        /// Persona id.
        persona: String,
        /// Stage id.
        stage: String,
    },
    /// A card missing a field (an opportunity's owner, a touchpoint's channel).
    Card(String),
    /// The paths panel (add a path).
    Paths,
    /// One path (its condition is blank).
    Path(String),
    /// Review rounds and evidence: close a round or import an event log.
    Validation,
}

/// One check of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Stable name (`data-check` attribute, tests).
    pub id: &'static str,
    /// What must hold, in words.
    pub label: &'static str,
    /// It holds.
    pub passed: bool,
    /// What is missing (`None` when it passes): data, worded by [`Gap::english`] here
    /// and in the web app's language there.
    pub gap: Option<Gap>,
    /// Where to fix it (`None` when it passes).
    pub fix: Option<FixTarget>,
}

impl Check {
    fn pass(id: &'static str, label: &'static str) -> Check {
        Check {
            id,
            label,
            passed: true,
            gap: None,
            fix: None,
        }
    }

    fn fail(id: &'static str, label: &'static str, gap: Gap, fix: FixTarget) -> Check {
        Check {
            id,
            label,
            passed: false,
            gap: Some(gap),
            fix: Some(fix),
        }
    }

    /// Passes when `failure` is `None`.
    fn from(id: &'static str, label: &'static str, failure: Option<(Gap, FixTarget)>) -> Check {
        match failure {
            None => Check::pass(id, label),
            Some((gap, fix)) => Check::fail(id, label, gap, fix),
        }
    }

    /// Why it fails, in English, naming what is missing (`None` when it passes).
    pub fn detail(&self) -> Option<String> {
        self.gap.as_ref().map(Gap::english)
    }
}

/// What a failing check found missing, as the names and counts its sentence is made
/// of. Lists hold every name; wording shows the first [`NAMES_SHOWN`] and counts the
/// rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gap {
    /// The objective is blank.
    NoObjective,
    /// No persona at all.
    NoPersona,
    /// The first persona lacks goals, pains or both (its name, maybe blank).
    PersonaLacks {
        name: String,
        goals: bool,
        pains: bool,
    },
    /// Emotions cannot be scored: no persona.
    NoPersonaToScore,
    /// The map has no stage.
    NoStage,
    /// The map has no lane of this kind.
    NoLane(LaneKind),
    /// These stages have no card with words in a lane of `kind` (touchpoints, pain
    /// points or customer actions).
    MissingAt { kind: LaneKind, stages: Vec<String> },
    /// (persona, stage) pairs without an as-is emotion score.
    NotScored(Vec<(String, String)>),
    /// Fewer stages than a journey needs.
    FewStages { count: usize, min: usize },
    /// A stage's name is blank.
    StageUnnamed,
    /// No opportunity card with words.
    NoOpportunity,
    /// Opportunity cards (their texts) without an owner.
    Unowned(Vec<String>),
    /// A touchpoint card (its text) without a channel.
    NoChannelOn(String),
    /// Only this channel is used.
    OneChannel(Channel),
    /// No touchpoint names a channel.
    NoChannel,
    /// Fewer paths than a personalized journey needs.
    FewPaths { count: usize, min: usize },
    /// A path (its name) has no condition.
    PathWithoutCondition(String),
    /// Neither a closed review round nor an imported event log.
    NotValidated,
}

impl Gap {
    /// The gap in an English sentence.
    pub fn english(&self) -> String {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        match self {
            Gap::NoObjective => "No objective yet: say what the map should help achieve.".into(),
            Gap::NoPersona => "No persona yet.".into(),
            Gap::PersonaLacks { name, goals, pains } => {
                let missing = match (goals, pains) {
                    (true, true) => "goals and pains",
                    (true, false) => "goals",
                    _ => "pains",
                };
                format!("{} has no {missing} yet.", named(name))
            }
            Gap::NoPersonaToScore => "No persona to score yet.".into(),
            Gap::NoStage => "The map has no stage yet.".into(),
            Gap::NoLane(kind) => {
                format!("The map has no {} lane.", kind.default_name().to_lowercase())
            }
            Gap::MissingAt { kind, stages } => {
                let what = match kind {
                    LaneKind::Touchpoints => "touchpoint",
                    LaneKind::PainPoints => "pain point",
                    LaneKind::Actions => "customer action",
                    other => other.default_name(),
                };
                format!("No {what} yet at {}.", list(stages))
            }
            Gap::NotScored(pairs) => {
                let names: Vec<String> = pairs
                    .iter()
                    .map(|(persona, stage)| format!("{persona} at {stage}"))
                    .collect();
                format!("Not scored yet: {}.", list(&names))
            }
            Gap::FewStages { count, min } => {
                format!("{count} stage{} so far: a journey has at least {min}.", s(*count))
            }
            Gap::StageUnnamed => "A stage has no name.".into(),
            Gap::NoOpportunity => "No opportunity yet.".into(),
            Gap::Unowned(cards) => format!("No owner yet: {}.", list(cards)),
            Gap::NoChannelOn(card) => format!("“{}” has no channel yet.", named(card)),
            Gap::OneChannel(only) => format!("Only one channel so far ({only})."),
            Gap::NoChannel => "No touchpoint channel yet.".into(),
            Gap::FewPaths { count, min } => format!(
                "{count} path{} so far: a personalized journey has at least {min}.",
                s(*count)
            ),
            Gap::PathWithoutCondition(name) => {
                format!("Path {} has no condition yet.", named(name))
            }
            Gap::NotValidated => "Close a review round with the team, or import an event log of what customers really do.".into(),
        }
    }
}

/// One step and its checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// The step.
    pub step: MethodStep,
    /// Its checks, in the order they are shown.
    pub checks: Vec<Check>,
}

impl StepReport {
    /// Every check passes.
    pub fn done(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// The whole method for one map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodReport {
    /// The six steps, in method order.
    pub steps: Vec<StepReport>,
}

impl MethodReport {
    /// The steps whose checks all pass.
    pub fn done(&self) -> StepSet {
        StepSet::of(self.steps.iter().filter(|s| s.done()).map(|s| s.step))
    }
}

/// A set of steps, stored as one small integer (bit `i` = [`MethodStep::ALL`]`[i]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StepSet(u8);

impl StepSet {
    /// The set of `steps`.
    pub fn of(steps: impl IntoIterator<Item = MethodStep>) -> StepSet {
        StepSet(steps.into_iter().fold(0, |bits, s| bits | 1 << s.index()))
    }

    /// The set stored as `bits` (unknown bits are ignored).
    pub fn from_bits(bits: i64) -> StepSet {
        StepSet((bits & 0b11_1111) as u8)
    }

    /// The stored form.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// `step` is in the set.
    pub fn contains(self, step: MethodStep) -> bool {
        self.0 & (1 << step.index()) != 0
    }

    /// The set with `step` in it too.
    pub fn with(self, step: MethodStep) -> StepSet {
        StepSet(self.0 | 1 << step.index())
    }

    /// Only the steps the document decides (validation left out).
    pub fn from_document(self) -> StepSet {
        StepSet::of(
            MethodStep::FROM_DOCUMENT
                .into_iter()
                .filter(|s| self.contains(*s)),
        )
    }

    /// The steps in method order.
    pub fn steps(self) -> Vec<MethodStep> {
        MethodStep::ALL
            .into_iter()
            .filter(|s| self.contains(*s))
            .collect()
    }

    /// How many steps.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// No step.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Names listed in a check's detail before "and N more".
pub const NAMES_SHOWN: usize = 3;

/// Checks the map against every step of the method.
pub fn assess(view: &MapView, validation: Validation) -> MethodReport {
    let step = |step, checks| StepReport { step, checks };
    MethodReport {
        steps: vec![
            step(MethodStep::Objectives, vec![objective(view)]),
            step(MethodStep::Personas, vec![persona(view)]),
            step(MethodStep::Touchpoints, vec![touchpoints(view)]),
            step(
                MethodStep::PainsAndEmotions,
                vec![emotions(view), pains(view)],
            ),
            step(MethodStep::Journey, journey(view)),
            step(MethodStep::Validation, vec![validated(validation)]),
        ],
    }
}

/// The steps the document alone passes (what the server stores per map).
pub fn document_steps(view: &MapView) -> StepSet {
    assess(view, Validation::default()).done().from_document()
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A name as a detail shows it.
fn named(name: &str) -> &str {
    if blank(name) {
        "(unnamed)"
    } else {
        name
    }
}

/// "A, B, C and 2 more".
fn list(names: &[String]) -> String {
    let shown = names
        .iter()
        .take(NAMES_SHOWN)
        .map(|n| named(n))
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

fn objective(view: &MapView) -> Check {
    let failure = blank(&view.meta.objective).then_some((Gap::NoObjective, FixTarget::Objective));
    Check::from("objective", "The map states its objective", failure)
}

fn persona(view: &MapView) -> Check {
    let label = "At least one persona has goals and pains";
    let complete = view
        .personas
        .iter()
        .any(|p| !blank(&p.goals) && !blank(&p.pains));
    let failure = if complete {
        None
    } else if let Some(p) = view.personas.first() {
        Some((
            Gap::PersonaLacks {
                name: p.name.clone(),
                goals: blank(&p.goals),
                pains: blank(&p.pains),
            },
            FixTarget::Persona(p.id.clone()),
        ))
    } else {
        Some((Gap::NoPersona, FixTarget::Personas))
    };
    Check::from("persona", label, failure)
}

/// Fails unless every stage has a card with words in a lane of `kind`: names the
/// stages without one and points at the first one's cell.
fn every_stage_has(view: &MapView, kind: LaneKind) -> Option<(Gap, FixTarget)> {
    if view.stages.is_empty() {
        return Some((Gap::NoStage, FixTarget::NewStage));
    }
    let lanes: Vec<&str> = view
        .lanes
        .iter()
        .filter(|l| l.kind == kind)
        .map(|l| l.id.as_str())
        .collect();
    let Some(first_lane) = lanes.first() else {
        return Some((Gap::NoLane(kind), FixTarget::NewLane(kind)));
    };
    let has = |stage: &str| {
        view.cards
            .iter()
            .any(|c| c.stage == stage && lanes.contains(&c.lane.as_str()) && !blank(&c.text))
    };
    let missing: Vec<_> = view.stages.iter().filter(|s| !has(&s.id)).collect();
    let first = missing.first()?;
    let stages: Vec<String> = missing.iter().map(|s| s.name.clone()).collect();
    Some((
        Gap::MissingAt { kind, stages },
        FixTarget::Cell {
            stage: first.id.clone(),
            lane: (*first_lane).to_owned(),
        },
    ))
}

fn touchpoints(view: &MapView) -> Check {
    Check::from(
        "touchpoints",
        "Every stage has a touchpoint",
        every_stage_has(view, LaneKind::Touchpoints),
    )
}

fn emotions(view: &MapView) -> Check {
    let label = "Every persona has an emotion score at every stage";
    let failure = if view.personas.is_empty() {
        Some((Gap::NoPersonaToScore, FixTarget::Personas))
    } else if view.stages.is_empty() {
        Some((Gap::NoStage, FixTarget::NewStage))
    } else {
        let mut missing = Vec::new();
        for persona in &view.personas {
            let curve = view
                .emotions
                .iter()
                .find(|c| c.persona == persona.id && c.series == EmotionSeries::AsIs);
            for (i, stage) in view.stages.iter().enumerate() {
                let scored = curve.is_some_and(|c| c.scores.get(i).copied().flatten().is_some());
                if !scored {
                    missing.push((persona, stage));
                }
            }
        }
        missing.first().map(|(persona, stage)| {
            let pairs = missing
                .iter()
                .map(|(p, s)| (p.name.clone(), s.name.clone()))
                .collect();
            (
                Gap::NotScored(pairs),
                FixTarget::Emotion {
                    persona: persona.id.clone(),
                    stage: stage.id.clone(),
                },
            )
        })
    };
    Check::from("emotions", label, failure)
}

fn pains(view: &MapView) -> Check {
    Check::from(
        "pains",
        "Every stage has a pain point",
        every_stage_has(view, LaneKind::PainPoints),
    )
}

/// Stages, actions, owned opportunities, and what the itinerary kind needs.
fn journey(view: &MapView) -> Vec<Check> {
    let mut checks = vec![
        stages(view),
        Check::from(
            "actions",
            "Every stage has a customer action",
            every_stage_has(view, LaneKind::Actions),
        ),
        opportunities(view),
    ];
    match view.meta.itinerary {
        ItineraryKind::Linear => {}
        ItineraryKind::Omnichannel => checks.push(channels(view)),
        ItineraryKind::Personalized => checks.push(paths(view)),
    }
    checks
}

/// The fewest stages a journey can have.
const MIN_STAGES: usize = 2;

fn stages(view: &MapView) -> Check {
    let failure = if view.stages.len() < MIN_STAGES {
        Some((
            Gap::FewStages {
                count: view.stages.len(),
                min: MIN_STAGES,
            },
            FixTarget::NewStage,
        ))
    } else {
        view.stages
            .iter()
            .find(|s| blank(&s.name))
            .map(|s| (Gap::StageUnnamed, FixTarget::Stage(s.id.clone())))
    };
    Check::from("stages", "At least two stages, each named", failure)
}

/// Cards with words in lanes of `kind`, in board order.
fn cards_of(view: &MapView, kind: LaneKind) -> Vec<&CardView> {
    let lanes: Vec<&str> = view
        .lanes
        .iter()
        .filter(|l| l.kind == kind)
        .map(|l| l.id.as_str())
        .collect();
    view.cards
        .iter()
        .filter(|c| lanes.contains(&c.lane.as_str()) && !blank(&c.text))
        .collect()
}

fn opportunities(view: &MapView) -> Check {
    let label = "Opportunities are written down, each with an owner";
    let cards = cards_of(view, LaneKind::Opportunities);
    let failure = if cards.is_empty() {
        let lane = view
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Opportunities);
        let fix = match (lane, view.stages.first()) {
            (None, _) => FixTarget::NewLane(LaneKind::Opportunities),
            (Some(_), None) => FixTarget::NewStage,
            (Some(lane), Some(stage)) => FixTarget::Cell {
                stage: stage.id.clone(),
                lane: lane.id.clone(),
            },
        };
        Some((Gap::NoOpportunity, fix))
    } else {
        let unowned: Vec<&&CardView> = cards
            .iter()
            .filter(|c| c.owner.as_deref().is_none_or(blank))
            .collect();
        unowned.first().map(|c| {
            let texts: Vec<String> = unowned.iter().map(|c| c.text.clone()).collect();
            (Gap::Unowned(texts), FixTarget::Card(c.id.clone()))
        })
    };
    Check::from("opportunities", label, failure)
}

/// An omnichannel journey uses at least this many channels.
const MIN_CHANNELS: usize = 2;

fn channels(view: &MapView) -> Check {
    let label = "Every touchpoint names its channel, and the journey uses at least two";
    let cards = cards_of(view, LaneKind::Touchpoints);
    let failure = if let Some(card) = cards.iter().find(|c| c.channel.is_none()) {
        Some((
            Gap::NoChannelOn(card.text.clone()),
            FixTarget::Card(card.id.clone()),
        ))
    } else {
        let mut used: Vec<_> = cards.iter().filter_map(|c| c.channel).collect();
        used.sort();
        used.dedup();
        (used.len() < MIN_CHANNELS).then(|| {
            // Point at a stage where another channel could be added.
            let fix = match (
                cards.last(),
                view.lanes.iter().find(|l| l.kind == LaneKind::Touchpoints),
            ) {
                (Some(card), _) => FixTarget::Cell {
                    stage: card.stage.clone(),
                    lane: card.lane.clone(),
                },
                (None, Some(lane)) => match view.stages.first() {
                    Some(stage) => FixTarget::Cell {
                        stage: stage.id.clone(),
                        lane: lane.id.clone(),
                    },
                    None => FixTarget::NewStage,
                },
                (None, None) => FixTarget::NewLane(LaneKind::Touchpoints),
            };
            let gap = match used.first() {
                Some(only) => Gap::OneChannel(*only),
                None => Gap::NoChannel,
            };
            (gap, fix)
        })
    };
    Check::from("channels", label, failure)
}

/// A personalized journey has at least this many paths.
const MIN_PATHS: usize = 2;

fn paths(view: &MapView) -> Check {
    let label = "At least two paths, each with the condition that selects it";
    let failure = if view.paths.len() < MIN_PATHS {
        Some((
            Gap::FewPaths {
                count: view.paths.len(),
                min: MIN_PATHS,
            },
            FixTarget::Paths,
        ))
    } else {
        view.paths.iter().find(|p| blank(&p.condition)).map(|p| {
            (
                Gap::PathWithoutCondition(p.name.clone()),
                FixTarget::Path(p.id.clone()),
            )
        })
    };
    Check::from("paths", label, failure)
}

fn validated(validation: Validation) -> Check {
    let failure = (!validation.round_closed && !validation.evidence_attached)
        .then_some((Gap::NotValidated, FixTarget::Validation));
    Check::from(
        "validated",
        "A review round has closed, or customer evidence is imported",
        failure,
    )
}

#[cfg(test)]
mod tests;
