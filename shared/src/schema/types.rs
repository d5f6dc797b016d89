//! The small closed vocabularies of a journey map: lane kinds, channels, statuses.
//!
//! Each is stored in the document as its lowercase snake_case string (`as_str`) and
//! serialized the same way in JSON. Unknown strings written by a foreign client are
//! read back leniently (see each `parse`).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The string stored in the document and in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value stored as `s`, if `s` is one of [`Self::as_str`]'s strings.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// What a lane holds; decides which card fields apply.
    LaneKind {
        /// What the customer does at each stage.
        Actions = "actions",
        /// Where the customer meets the brand; cards carry a [`Channel`].
        Touchpoints = "touchpoints",
        /// What the customer thinks or asks.
        Thoughts = "thoughts",
        /// Feelings in words (the scored curve lives in the `emotions` root).
        Emotions = "emotions",
        /// Frictions and blockers.
        PainPoints = "pain_points",
        /// Improvements; cards carry an owner and an [`OpportunityStatus`].
        Opportunities = "opportunities",
        /// Indicators; cards carry baseline, current, target and unit.
        Kpis = "kpis",
        /// Processes and teams behind the scenes.
        Backstage = "backstage",
        /// Free notes.
        Notes = "notes",
    }
}

impl LaneKind {
    /// The kinds created by `init`, in order (all but notes).
    pub const DEFAULTS: [LaneKind; 8] = [
        LaneKind::Actions,
        LaneKind::Touchpoints,
        LaneKind::Thoughts,
        LaneKind::Emotions,
        LaneKind::PainPoints,
        LaneKind::Opportunities,
        LaneKind::Kpis,
        LaneKind::Backstage,
    ];

    /// The name a default lane of this kind starts with, in `language`.
    pub fn default_name_in(self, language: crate::Language) -> &'static str {
        match language {
            crate::Language::En => self.default_name(),
            crate::Language::Fr => match self {
                LaneKind::Actions => "Actions du client",
                LaneKind::Touchpoints => "Points de contact",
                LaneKind::Thoughts => "Pensées",
                LaneKind::Emotions => "Émotions",
                LaneKind::PainPoints => "Irritants",
                LaneKind::Opportunities => "Opportunités",
                LaneKind::Kpis => "Indicateurs",
                LaneKind::Backstage => "Coulisses",
                LaneKind::Notes => "Notes",
            },
        }
    }

    /// The English name a default lane of this kind starts with.
    pub fn default_name(self) -> &'static str {
        match self {
            LaneKind::Actions => "Customer actions",
            LaneKind::Touchpoints => "Touchpoints",
            LaneKind::Thoughts => "Thoughts",
            LaneKind::Emotions => "Emotions",
            LaneKind::PainPoints => "Pain points",
            LaneKind::Opportunities => "Opportunities",
            LaneKind::Kpis => "KPIs",
            LaneKind::Backstage => "Backstage",
            LaneKind::Notes => "Notes",
        }
    }
}

string_enum! {
    /// The channel a touchpoint happens on.
    Channel {
        /// Website.
        Web = "web",
        /// Mobile app.
        App = "app",
        /// Physical store or branch.
        Store = "store",
        /// Phone call or call centre.
        Phone = "phone",
        /// Email.
        Email = "email",
        /// Social networks.
        Social = "social",
        /// A partner, reseller or marketplace.
        Partner = "partner",
        /// Live chat or chatbot.
        Chat = "chat",
        /// Postal mail.
        Mail = "mail",
        /// Anything else.
        Other = "other",
    }
}

string_enum! {
    /// Where an opportunity stands.
    OpportunityStatus {
        /// Proposed, not decided.
        Idea = "idea",
        /// Decided and scheduled.
        Planned = "planned",
        /// Being worked on.
        InProgress = "in_progress",
        /// Shipped.
        Done = "done",
        /// Given up.
        Dropped = "dropped",
    }
}

string_enum! {
    /// Which emotion curve a score belongs to.
    EmotionSeries {
        /// The journey as customers live it today.
        AsIs = "as_is",
        /// The journey the team aims for.
        ToBe = "to_be",
    }
}

string_enum! {
    /// The text fields of a persona.
    PersonaField {
        /// Display name.
        Name = "name",
        /// Segment the persona stands for.
        Segment = "segment",
        /// What they want to achieve.
        Goals = "goals",
        /// What hurts them.
        Pains = "pains",
        /// How they like to be served (channels, tone, timing).
        Preferences = "preferences",
    }
}

string_enum! {
    /// The numeric fields of a KPI card.
    KpiMeasure {
        /// Value when the map was drawn.
        Baseline = "baseline",
        /// Latest measured value.
        Current = "current",
        /// Value the team aims for.
        Target = "target",
    }
}

/// A collaborative text field of the map, addressed for editing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextTarget<'a> {
    /// The map title (`meta.title`).
    Title,
    /// Why the map exists (`meta.objective`).
    Objective,
    /// One text field of a persona.
    Persona(&'a str, PersonaField),
    /// A stage's name.
    StageName(&'a str),
    /// A lane's name.
    LaneName(&'a str),
    /// A card's text.
    Card(&'a str),
    /// A path's name.
    PathName(&'a str),
    /// The condition that selects a path.
    PathCondition(&'a str),
    /// The note of a hand-drawn channel switch.
    SwitchNote(&'a str),
}

/// Where to insert a new item among its ordered siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At<'a> {
    /// Before every sibling.
    Start,
    /// After every sibling.
    End,
    /// At this index in display order (clamped to the number of siblings).
    Index(usize),
    /// Right after the sibling with this id.
    After(&'a str),
}

/// The three shapes a journey can take.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ItineraryKind {
    /// One ordered path through the stages.
    #[default]
    Linear,
    /// The customer hops between channels; channel switches are first-class.
    Omnichannel,
    /// Alternative paths per segment or persona, each with the condition that selects it.
    Personalized,
}

impl ItineraryKind {
    pub const ALL: [ItineraryKind; 3] = [
        ItineraryKind::Linear,
        ItineraryKind::Omnichannel,
        ItineraryKind::Personalized,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItineraryKind::Linear => "linear",
            ItineraryKind::Omnichannel => "omnichannel",
            ItineraryKind::Personalized => "personalized",
        }
    }

    pub fn parse(s: &str) -> Option<ItineraryKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}
