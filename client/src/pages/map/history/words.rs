//! How history reads on screen, none of it a component: times, version kinds and
//! titles, authors, and an element's changed fields (stage and lane ids as names).

use parcours_shared::api::{ChangeAuthor, Version, RESTORE_VERSION_NAME};
use parcours_shared::review::{read_summary, ChangeKind, ElementKind, SummaryPart};
use parcours_shared::text::ellipsize;
use parcours_shared::view::MapView;
use serde_json::Value;

use crate::i18n::{fill, lang, t, Lang, Texts};

/// Longest value an element's change shows, in characters.
const VALUE_CHARS: usize = 80;

pub use crate::format::short_date_time;

/// How a version's kind reads.
pub fn version_kind_label(kind: &str) -> &'static str {
    match kind {
        "named" => t().version_named,
        "round" => t().version_round,
        "restore" => t().version_restore,
        _ => t().version_auto,
    }
}

/// A version's summary in the language shown. The server stores it in English, as
/// `parcours_shared::review::summarize` writes it ("2 cards added, 1 stage moved",
/// "no changes"); in French the shared crate reads it back as counts
/// ([`read_summary`]) and each part is worded here; a summary of another form reads as
/// written.
pub fn version_summary(summary: &str) -> String {
    match lang() {
        Lang::En => summary.to_owned(),
        Lang::Fr => read_summary(summary)
            .map(|parts| french_summary(&parts))
            .unwrap_or_else(|| summary.to_owned()),
    }
}

/// Summary parts in French.
fn french_summary(parts: &[SummaryPart]) -> String {
    if parts.is_empty() {
        return "aucun changement".to_owned();
    }
    parts
        .iter()
        .map(|p| {
            let many = p.count > 1;
            // (French noun, feminine): the participle agrees with it.
            let (noun, feminine) = match (p.element, many) {
                (ElementKind::Map, false) => ("champ de la carte", false),
                (ElementKind::Map, true) => ("champs de la carte", false),
                (ElementKind::Persona, false) => ("persona", false),
                (ElementKind::Persona, true) => ("personas", false),
                (ElementKind::Stage, false) => ("étape", true),
                (ElementKind::Stage, true) => ("étapes", true),
                (ElementKind::Lane, false) => ("couloir", false),
                (ElementKind::Lane, true) => ("couloirs", false),
                (ElementKind::Card, false) => ("carte", true),
                (ElementKind::Card, true) => ("cartes", true),
                (ElementKind::Emotion, false) => ("note d'émotion", true),
                (ElementKind::Emotion, true) => ("notes d'émotion", true),
            };
            let participle = match p.change {
                ChangeKind::Added => "ajouté",
                ChangeKind::Removed => "supprimé",
                ChangeKind::Changed => "modifié",
                ChangeKind::Moved => "déplacé",
            };
            let ending = match (feminine, many) {
                (false, false) => "",
                (true, false) => "e",
                (false, true) => "s",
                (true, true) => "es",
            };
            format!("{} {noun} {participle}{ending}", p.count)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A version's name in the language shown: the names the server gives in English are
/// worded here (a round's, `Version::round_name`; a restore's, `RESTORE_VERSION_NAME`,
/// left to the kind's label); any other name as its author wrote it.
pub fn version_name(version: &Version) -> Option<String> {
    version_name_in(t(), version)
}

/// [`version_name`] in the language of `texts`.
fn version_name_in(texts: &Texts, version: &Version) -> Option<String> {
    if version.kind == "restore" && version.name.as_deref() == Some(RESTORE_VERSION_NAME) {
        return None;
    }
    match version.round_title() {
        Some(title) => Some(fill(texts.round_version_name, &[("title", &title)])),
        None => version.name.clone(),
    }
}

/// A version in a few words: its name in quotes, or its time.
pub fn version_title(version: &Version) -> String {
    match version_name(version).filter(|n| !n.trim().is_empty()) {
        Some(name) => fill(t().quoted, &[("text", &ellipsize(&name, 60))]),
        None => fill(t().version_of, &[("at", &short_date_time(version.at))]),
    }
}

/// Who made a change, in words.
pub fn author_name(author: &ChangeAuthor) -> String {
    match (author.kind.as_str(), author.name.as_deref()) {
        ("server", Some(name)) if name != "Parcours" => {
            fill(t().author_restore, &[("name", &name)])
        }
        (_, Some(name)) => name.to_owned(),
        ("user", None) => t().former_member.to_owned(),
        ("unknown", None) => t().unknown_author.to_owned(),
        _ => "Parcours".to_owned(),
    }
}

/// Several authors, comma separated ("nobody" when none).
pub fn author_names(authors: &[ChangeAuthor]) -> String {
    if authors.is_empty() {
        return t().nobody.to_owned();
    }
    authors
        .iter()
        .map(author_name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an element's change did, capitalised.
pub fn element_change_label(change: &str) -> &'static str {
    match change {
        "created" => t().element_created,
        "moved" => t().element_moved,
        "deleted" => t().element_deleted,
        _ => t().element_changed,
    }
}

/// A changed field's name in words (`pos.stage` → "stage"); a field this app does
/// not know reads as its name, with spaces.
pub fn field_label(field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let known = match last {
        "title" => t().field_title,
        "objective" => t().field_objective,
        "itinerary" => t().field_itinerary,
        "name" => t().field_name,
        "order" => t().field_order,
        "kind" => t().field_kind,
        "stage" => t().field_stage,
        "lane" => t().field_lane,
        "text" => t().field_text,
        "channel" => t().field_channel,
        "owner" => t().field_owner,
        "status" => t().field_status,
        "unit" => t().field_unit,
        "baseline" => t().field_baseline,
        "current" => t().field_current,
        "target" => t().field_target,
        "persona" => t().field_persona,
        "condition" => t().field_condition,
        "note" => t().field_note,
        "segment" => t().field_segment,
        "goals" => t().field_goals,
        "pains" => t().field_pains,
        "preferences" => t().field_preferences,
        other => return other.replace('_', " "),
    };
    known.to_owned()
}

/// A field's value in words: stage and lane ids by name (in `view`), texts quoted and
/// cut, nothing as "—".
pub fn value_text(field: &str, value: Option<&Value>, view: &MapView) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return "—".to_owned();
    };
    let named = |id: &str| -> Option<String> {
        if field.ends_with("stage") {
            view.stages
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
        } else if field.ends_with("lane") {
            view.lanes
                .iter()
                .find(|l| l.id == id)
                .map(|l| l.name.clone())
        } else {
            None
        }
    };
    match value {
        Value::String(s) => match named(s) {
            Some(name) => fill(t().quoted, &[("text", &ellipsize(&name, 40))]),
            None => fill(t().quoted, &[("text", &ellipsize(s, VALUE_CHARS))]),
        },
        Value::Number(n) => n.to_string(),
        Value::Bool(true) => t().yes.to_owned(),
        Value::Bool(false) => t().no.to_owned(),

        other => ellipsize(&other.to_string(), VALUE_CHARS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parcours_shared::view::StageView;
    use serde_json::json;

    fn author(kind: &str, name: Option<&str>) -> ChangeAuthor {
        ChangeAuthor {
            kind: kind.to_owned(),
            id: None,
            name: name.map(str::to_owned),
        }
    }

    #[test]
    fn names_the_server_gives_versions_are_worded() {
        use crate::i18n::{EN, FR};
        let version = |kind: &str, name: &str| Version {
            id: "v".into(),
            kind: kind.into(),
            name: Some(name.into()),
            at: 0,
            created_by: None,
            authors: vec![],
            summary: String::new(),
        };
        let round = version("round", &Version::round_name("Pricing"));
        assert_eq!(
            version_name_in(&EN, &round).as_deref(),
            Some("Round opened: Pricing")
        );
        assert_eq!(
            version_name_in(&FR, &round).as_deref(),
            Some("Tour de relecture ouvert : Pricing")
        );
        // A restore's English name gives way to its kind's label, in either language.
        let restore = version("restore", RESTORE_VERSION_NAME);
        assert_eq!(version_name_in(&FR, &restore), None);
        // People's names are theirs, whatever they say.
        let named = version("named", "Before restore");
        assert_eq!(
            version_name_in(&FR, &named).as_deref(),
            Some("Before restore")
        );
    }

    #[test]
    fn authors_read_as_names_or_what_they_are() {
        assert_eq!(author_name(&author("user", Some("Camille"))), "Camille");
        assert_eq!(
            author_name(&author("server", Some("Camille"))),
            "Camille (restore)"
        );
        assert_eq!(author_name(&author("server", Some("Parcours"))), "Parcours");
        assert_eq!(author_name(&author("unknown", None)), "Unknown");
        assert_eq!(author_names(&[]), "nobody");
        assert_eq!(
            author_names(&[author("user", Some("A")), author("user", Some("B"))]),
            "A, B"
        );
    }

    #[test]
    fn version_summaries_are_worded_again_in_french() {
        let french = |s: &str| read_summary(s).map(|parts| french_summary(&parts));
        assert_eq!(
            french("1 map field changed, 2 personas added, 5 stages added, 1 card moved"),
            Some(
                "1 champ de la carte modifié, 2 personas ajoutés, 5 étapes ajoutées, 1 carte déplacée"
                    .to_owned()
            )
        );
        assert_eq!(french("no changes"), Some("aucun changement".to_owned()));
        assert_eq!(french("3 widgets added"), None);
    }

    #[test]
    fn fields_read_with_stage_ids_as_names() {
        let mut view = MapView::default();
        view.stages.push(StageView {
            id: "s1".into(),
            name: "Discover".into(),
        });
        assert_eq!(field_label("pos.stage"), "stage");
        assert_eq!(field_label("text"), "text");
        assert_eq!(
            value_text("pos.stage", Some(&json!("s1")), &view),
            "“Discover”"
        );
        assert_eq!(
            value_text("pos.stage", Some(&json!("gone")), &view),
            "“gone”"
        );
        assert_eq!(value_text("text", None, &view), "—");
        assert_eq!(value_text("kpi.target", Some(&json!(42)), &view), "42");
    }
}
