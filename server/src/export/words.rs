//! The words a drawn export (PDF, PNG, SVG) writes around the map's own content (and
//! the title of an untitled imported card table), in
//! English or French: headings, the legend, lane kinds, channels and statuses, the
//! evidence row, the note under the title, dates, decimals and durations. The language
//! is the request's `lang`, else its `Accept-Language` (as error messages). The map's
//! own texts are drawn as written; CSV and JSON files are data and carry codes.

use parcours_shared::schema::{Channel, LaneKind, OpportunityStatus};
use parcours_shared::words::fill;
use parcours_shared::Language;

/// One language's words; forms hold `{placeholders}`.
pub struct Words {
    pub objective: &'static str,
    pub segment: &'static str,
    pub goals: &'static str,
    pub pains: &'static str,
    pub legend: &'static str,
    pub as_is_curve: &'static str,
    pub to_be_curve: &'static str,
    pub emotion_curve: &'static str,
    pub emotion_scale: &'static str,
    pub evidence: &'static str,
    /// `{n}` cases.
    pub cases: &'static str,
    pub no_events: &'static str,
    /// `{n}`.
    pub reach: &'static str,
    /// `{conversion}`, `{drop}`.
    pub conversion: &'static str,
    /// `{n}`.
    pub funnel: &'static str,
    /// `{time}`.
    pub median: &'static str,
    pub first_stage: &'static str,
    /// `{names}`.
    pub path: &'static str,
    pub paths: &'static str,
    /// A KPI's measures: `{value}`.
    pub was: &'static str,
    pub now: &'static str,
    pub target: &'static str,
    /// The note under the title: `{name}`, `{at}`.
    pub version_named: &'static str,
    pub version: &'static str,
    pub as_of: &'static str,
    pub live: &'static str,
    /// `{first}`, `{last}`, `{count}`, `{page}`, `{pages}`.
    pub pages: &'static str,
    /// The title of a map imported from a card table without one.
    pub untitled: &'static str,
    months: [&'static str; 12],
    /// Seconds, minutes, hours, days.
    units: [&'static str; 4],
    decimal: char,
    kinds: [&'static str; 9],
    channels: [&'static str; 10],
    statuses: [&'static str; 5],
}

pub const EN: Words = Words {
    objective: "Objective",
    segment: "Segment",
    goals: "Goals",
    pains: "Pains",
    legend: "Legend",
    as_is_curve: "as-is curve ——",
    to_be_curve: "to-be curve – – –",
    emotion_curve: "Emotion curve",
    emotion_scale: "+2 delighted … −2 upset",
    evidence: "Evidence",
    cases: "{n} cases",
    no_events: "no events mapped",
    reach: "Reach {n}",
    conversion: "Conversion {conversion} · drop-off {drop}",
    funnel: "Funnel {n}",
    median: "Median time from previous {time}",
    first_stage: "First stage",
    path: "Path: {names}",
    paths: "Paths: {names}",
    was: "was {value}",
    now: "now {value}",
    target: "target {value}",
    version_named: "Version “{name}”, {at}",
    version: "Version {at}",
    as_of: "As of {at}",
    live: "Live map, exported {at}",
    pages: " · stages {first}–{last} of {count} · page {page} of {pages}",
    untitled: "Imported journey map",
    months: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    units: ["s", "min", "h", "d"],
    decimal: '.',
    kinds: [
        "actions",
        "touchpoints",
        "thoughts",
        "emotions",
        "pain points",
        "opportunities",
        "KPIs",
        "backstage",
        "notes",
    ],
    channels: [
        "web", "app", "store", "phone", "email", "social", "partner", "chat", "mail", "other",
    ],
    statuses: ["idea", "planned", "in progress", "done", "dropped"],
};

pub const FR: Words = Words {
    objective: "Objectif",
    segment: "Segment",
    goals: "Objectifs",
    pains: "Difficultés",
    legend: "Légende",
    as_is_curve: "courbe actuelle ——",
    to_be_curve: "courbe visée – – –",
    emotion_curve: "Courbe émotionnelle",
    emotion_scale: "+2 ravi … −2 contrarié",
    evidence: "Données clients",
    cases: "{n} parcours",
    no_events: "aucun événement associé",
    reach: "Portée {n}",
    conversion: "Conversion {conversion} · abandon {drop}",
    funnel: "Entonnoir {n}",
    median: "Délai médian après la préc. {time}",
    first_stage: "Première étape",
    path: "Chemin : {names}",
    paths: "Chemins : {names}",
    was: "avant {value}",
    now: "actuel {value}",
    target: "cible {value}",
    version_named: "Version « {name} », {at}",
    version: "Version du {at}",
    as_of: "État au {at}",
    live: "Carte en direct, exportée le {at}",
    pages: " · étapes {first}–{last} sur {count} · page {page} sur {pages}",
    untitled: "Carte de parcours importée",
    months: [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ],
    units: ["s", "min", "h", "j"],
    decimal: ',',
    kinds: [
        "actions du client",
        "points de contact",
        "pensées",
        "émotions",
        "points de douleur",
        "opportunités",
        "indicateurs (KPI)",
        "coulisses",
        "remarques",
    ],
    channels: [
        "site web",
        "appli",
        "magasin",
        "téléphone",
        "e-mail",
        "réseaux sociaux",
        "partenaire",
        "chat en ligne",
        "courrier",
        "autre",
    ],
    statuses: ["idée", "prévue", "en cours", "faite", "abandonnée"],
};

impl Words {
    /// The words of `lang`.
    pub fn of(lang: Language) -> &'static Words {
        match lang {
            Language::En => &EN,
            Language::Fr => &FR,
        }
    }

    /// `form` with its placeholders filled from `values`.
    pub fn fill(&self, form: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        fill(form, |name| {
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    pub fn kind(&self, kind: LaneKind) -> &'static str {
        let i = match kind {
            LaneKind::Actions => 0,
            LaneKind::Touchpoints => 1,
            LaneKind::Thoughts => 2,
            LaneKind::Emotions => 3,
            LaneKind::PainPoints => 4,
            LaneKind::Opportunities => 5,
            LaneKind::Kpis => 6,
            LaneKind::Backstage => 7,
            LaneKind::Notes => 8,
        };
        self.kinds[i]
    }

    pub fn channel(&self, channel: Channel) -> &'static str {
        let i = match channel {
            Channel::Web => 0,
            Channel::App => 1,
            Channel::Store => 2,
            Channel::Phone => 3,
            Channel::Email => 4,
            Channel::Social => 5,
            Channel::Partner => 6,
            Channel::Chat => 7,
            Channel::Mail => 8,
            Channel::Other => 9,
        };
        self.channels[i]
    }

    pub fn status(&self, status: OpportunityStatus) -> &'static str {
        let i = match status {
            OpportunityStatus::Idea => 0,
            OpportunityStatus::Planned => 1,
            OpportunityStatus::InProgress => 2,
            OpportunityStatus::Done => 3,
            OpportunityStatus::Dropped => 4,
        };
        self.statuses[i]
    }

    /// A number with this language's decimal mark.
    pub fn decimal(&self, text: String) -> String {
        if self.decimal == '.' {
            text
        } else {
            text.replace('.', &self.decimal.to_string())
        }
    }

    /// A duration in the largest unit that reads well.
    pub fn duration(&self, ms: i64) -> String {
        let s = ms as f64 / 1000.0;
        let [sec, min, hour, day] = self.units;
        let text = if s < 90.0 {
            format!("{s:.0} {sec}")
        } else if s < 5400.0 {
            format!("{:.0} {min}", s / 60.0)
        } else if s < 129_600.0 {
            format!("{:.1} {hour}", s / 3600.0)
        } else {
            format!("{:.1} {day}", s / 86_400.0)
        };
        self.decimal(text)
    }

    /// `ms` since the epoch as "2 Dec 2026, 14:03 UTC" ("2 déc. 2026, 14:03 UTC").
    pub fn date(&self, ms: i64) -> String {
        let secs = ms.div_euclid(1000);
        let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = parcours_shared::text::civil_from_days(days);
        format!(
            "{day} {} {year}, {:02}:{:02} UTC",
            self.months[(month - 1) as usize],
            rest / 3600,
            rest % 3600 / 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(EN.date(0), "1 Jan 1970, 00:00 UTC");
        assert_eq!(EN.date(1_796_220_180_000), "2 Dec 2026, 14:03 UTC");
        assert_eq!(EN.date(951_782_400_000), "29 Feb 2000, 00:00 UTC");
        assert_eq!(FR.date(1_796_220_180_000), "2 déc. 2026, 14:03 UTC");
        assert_eq!(FR.date(951_782_400_000), "29 févr. 2000, 00:00 UTC");
    }

    #[test]
    fn numbers_and_durations_read_in_each_language() {
        assert_eq!(EN.duration(3 * 3_600_000 + 1_800_000), "3.5 h");
        assert_eq!(FR.duration(3 * 3_600_000 + 1_800_000), "3,5 h");
        assert_eq!(FR.duration(3 * 86_400_000), "3,0 j");
        assert_eq!(FR.duration(30_000), "30 s");
    }

    /// The evidence row's lines fit a stage column at their size in either language,
    /// with the widest figures (a line drawn past its column runs into the next).
    #[test]
    fn evidence_lines_fit_a_stage_column() {
        use crate::export::fonts;
        use crate::export::svg::STAGE_W;
        let room = STAGE_W - 4.0 - 20.0;
        for words in [&EN, &FR] {
            let lines = [
                (
                    words.fill(words.reach, &[("n", &"1\u{202F}234\u{202F}567")]),
                    true,
                ),
                (
                    // The two add up to 100 %: four digits at most.
                    words.fill(
                        words.conversion,
                        &[("conversion", &"50 %"), ("drop", &"50 %")],
                    ),
                    false,
                ),
                (
                    words.fill(words.funnel, &[("n", &"1\u{202F}234\u{202F}567")]),
                    false,
                ),
                (
                    words.fill(words.median, &[("time", &words.duration(129_500_000))]),
                    false,
                ),
                (words.first_stage.to_owned(), false),
                (words.no_events.to_owned(), false),
            ];
            for (line, bold) in lines {
                let font = if bold {
                    fonts::bold()
                } else {
                    fonts::regular()
                };
                let width = font.width(&line, 10.5);
                assert!(
                    width <= room,
                    "“{line}” is {width:.0} px wide, the column {room:.0}"
                );
            }
        }
    }

    /// Every kind, channel and status has a French word of its own, and the English
    /// reads as the codes do.
    #[test]
    fn every_kind_channel_and_status_is_worded() {
        for &kind in LaneKind::ALL {
            assert_ne!(EN.kind(kind), FR.kind(kind), "{kind:?}");
        }
        for &channel in Channel::ALL {
            assert_eq!(EN.channel(channel), channel.as_str(), "{channel:?}");
            assert_ne!(FR.channel(channel), channel.as_str(), "{channel:?}");
        }
        for &status in OpportunityStatus::ALL {
            assert_eq!(EN.status(status), status.as_str().replace('_', " "));
            assert_ne!(FR.status(status), EN.status(status));
        }
        let filled = FR.fill(FR.conversion, &[("conversion", &"40 %"), ("drop", &"60 %")]);
        assert_eq!(filled, "Conversion 40 % · abandon 60 %");
    }
}
