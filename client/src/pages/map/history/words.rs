//! How history reads on screen, none of it a component: times, version kinds and
//! titles, authors, and an element's changed fields (stage and lane ids as names).

use parcours_shared::api::{ChangeAuthor, Version};
use parcours_shared::text::ellipsize;
use parcours_shared::view::MapView;
use serde_json::Value;

use crate::i18n::{fill, lang, t, Lang};

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

/// A version's summary in the language shown. The server writes it in English, in the
/// fixed form of `parcours_shared::review::summarize` ("2 cards added, 1 stage
/// moved", "no changes"); in French each part is worded again, and a summary of
/// another form reads as written.
pub fn version_summary(summary: &str) -> String {
    match lang() {
        Lang::En => summary.to_owned(),
        Lang::Fr => french_summary(summary).unwrap_or_else(|| summary.to_owned()),
    }
}

/// The French of a summary of `summarize`'s form, if it is one.
fn french_summary(summary: &str) -> Option<String> {
    if summary == "no changes" {
        return Some("aucun changement".to_owned());
    }
    let parts = summary
        .split(", ")
        .map(|part| {
            let (n, rest) = part.split_once(' ')?;
            let n: u64 = n.parse().ok()?;
            let (noun, verb) = rest.rsplit_once(' ')?;
            // (French noun, feminine): the participle agrees with it.
            let (noun, feminine) = match (noun, n > 1) {
                ("map field", false) => ("champ de la carte", false),
                ("map field", true) => ("champs de la carte", false),
                ("persona" | "personas", false) => ("persona", false),
                ("persona" | "personas", true) => ("personas", false),
                ("stage" | "stages", false) => ("étape", true),
                ("stage" | "stages", true) => ("étapes", true),
                ("lane" | "lanes", false) => ("couloir", false),
                ("lane" | "lanes", true) => ("couloirs", false),
                ("card" | "cards", false) => ("carte", true),
                ("card" | "cards", true) => ("cartes", true),
                ("emotion score" | "emotion scores", false) => ("note d'émotion", true),
                ("emotion score" | "emotion scores", true) => ("notes d'émotion", true),
                _ => return None,
            };
            let participle = match verb {
                "added" => "ajouté",
                "removed" => "supprimé",
                "changed" => "modifié",
                "moved" => "déplacé",
                _ => return None,
            };
            let ending = match (feminine, n > 1) {
                (false, false) => "",
                (true, false) => "e",
                (false, true) => "s",
                (true, true) => "es",
            };
            Some(format!("{n} {noun} {participle}{ending}"))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(parts.join(", "))
}

/// A version in a few words: its name in quotes, or its time.
pub fn version_title(version: &Version) -> String {
    match version.name.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(name) => fill(t().quoted, &[("text", &ellipsize(name, 60))]),
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
        assert_eq!(
            french_summary("1 map field changed, 2 personas added, 5 stages added, 1 card moved"),
            Some(
                "1 champ de la carte modifié, 2 personas ajoutés, 5 étapes ajoutées, 1 carte déplacée"
                    .to_owned()
            )
        );
        assert_eq!(
            french_summary("no changes"),
            Some("aucun changement".to_owned())
        );
        assert_eq!(french_summary("3 widgets added"), None);
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
