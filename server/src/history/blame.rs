//! One element's story (blame): every batch that changed it, with author, time and
//! the fields that changed, read from the per-element states written beside the log
//! (never by replaying it).

use std::collections::BTreeMap;

use parcours_shared::api::{ElementChange, ElementHistory, FieldChange};
use parcours_shared::ids::MapId;
use serde_json::Value;

use super::name_authors;
use crate::store::{Store, StoreError};

/// Fields whose change alone means the element moved (its cell, or its place in the
/// order), not that its content changed.
const PLACE_FIELDS: [&str; 4] = ["pos.stage", "pos.lane", "pos.order", "order"];

/// The history of `element` in `map`, oldest first.
pub async fn element_history(
    store: &Store,
    map: &MapId,
    element: &str,
) -> Result<ElementHistory, StoreError> {
    let rows = store.element_changes(map, element).await?;
    let authors: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|r| (r.author_kind.clone(), r.author_id.clone()))
        .collect();
    let named = name_authors(store, &authors).await?;
    // An element that already existed when history starts (a template's cards, or
    // history cut by retention) is compared with its state then.
    let mut before: Option<Value> = match rows.first() {
        Some(first) if first.change != "created" => baseline(store, map, element).await,
        _ => None,
    };
    let mut changes = Vec::with_capacity(rows.len());
    for (row, author) in rows.iter().zip(named) {
        let after: Option<Value> = row
            .state
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok());
        // An element put back whole is compared with what it was before.
        let fields = field_changes(before.as_ref(), after.as_ref());
        let change = match row.change.as_str() {
            "deleted" => "deleted",
            "created" if before.is_none() => "created",
            _ if !fields.is_empty()
                && fields
                    .iter()
                    .all(|f| PLACE_FIELDS.contains(&f.field.as_str())) =>
            {
                "moved"
            }
            _ => "changed",
        };
        if !fields.is_empty() || change == "deleted" || change == "created" {
            changes.push(ElementChange {
                at: row.at,
                author,
                change: change.to_owned(),
                fields,
            });
        }
        before = after;
    }
    Ok(ElementHistory {
        element: element.to_owned(),
        root: rows.last().map(|r| r.root.clone()),
        changes,
    })
}

/// The element's JSON in the oldest state history keeps, if it was there.
async fn baseline(store: &Store, map: &MapId, element: &str) -> Option<Value> {
    use yrs::types::ToJson;
    use yrs::{Map, ReadTxn, Transact};
    let first = store.first_checkpoint(map).await.ok()??;
    let doc = super::state_at(store, map, first).await.ok()?;
    let txn = doc.transact();
    crate::sync::ELEMENT_ROOTS.iter().find_map(|root| {
        let value = txn.get_map(*root)?.get(&txn, element)?;
        let mut json = String::new();
        value.to_json(&txn).to_json(&mut json);
        serde_json::from_str(&json).ok()
    })
}

/// The fields that differ between two states of an element, as dotted paths into
/// nested objects (`pos.stage`, `text`); a scalar element (an emotion score) is the
/// field `value`.
pub fn field_changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
    if let Some(v) = before {
        flatten("", v, &mut old);
    }
    if let Some(v) = after {
        flatten("", v, &mut new);
    }
    let mut fields: Vec<String> = old.keys().chain(new.keys()).cloned().collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|field| {
            let (b, a) = (old.get(&field), new.get(&field));
            (b != a).then(|| FieldChange {
                field,
                before: b.cloned(),
                after: a.cloned(),
            })
        })
        .collect()
}

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        other => {
            let path = if prefix.is_empty() { "value" } else { prefix };
            out.insert(path.to_owned(), other.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_compared_by_dotted_path() {
        let before =
            json!({"text": "Sees an ad", "pos": {"stage": "s1", "lane": "l", "order": "a0"}});
        let after = json!({"text": "Sees two ads", "pos": {"stage": "s2", "lane": "l", "order": "a0"}, "owner": "Ana"});
        let got: Vec<(String, Option<Value>, Option<Value>)> =
            field_changes(Some(&before), Some(&after))
                .into_iter()
                .map(|f| (f.field, f.before, f.after))
                .collect();
        assert_eq!(
            got,
            vec![
                ("owner".into(), None, Some(json!("Ana"))),
                ("pos.stage".into(), Some(json!("s1")), Some(json!("s2"))),
                (
                    "text".into(),
                    Some(json!("Sees an ad")),
                    Some(json!("Sees two ads"))
                ),
            ]
        );
    }

    #[test]
    fn a_scalar_element_is_one_value_field() {
        let got = field_changes(Some(&json!(1)), Some(&json!(-2)));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].field, "value");
        assert!(field_changes(Some(&json!(1)), Some(&json!(1))).is_empty());
    }
}
