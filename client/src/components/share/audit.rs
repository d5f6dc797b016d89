//! A map's access audit trail.

use std::collections::HashMap;

use leptos::prelude::*;
use parcours_shared::api::AuditEntry;

use crate::format::{audit_action_label, audit_detail_label, local_date_time};
use crate::i18n::t;

/// One line per entry: when, who, what, on whom, and the details. Account ids are shown
/// as display names where `names` knows them (current members).
#[component]
pub fn AuditList(
    /// The entries, in the server's order.
    entries: Vec<AuditEntry>,
    /// Display names by account id.
    names: HashMap<String, String>,
) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted" data-testid="audit-empty">{t().audit_empty}
        </p> }
        .into_any();
    }
    let name = move |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let rows = entries
        .into_iter()
        .map(|entry| {
            let actor = entry
                .actor
                .map(|actor| name(&actor.0))
                .unwrap_or_else(|| "Parcours".to_owned());
            let target = entry.target.map(|target| name(&target));
            view! {
                <li class="audit-row" data-testid="audit-row" data-action=entry.action.clone()>
                    <time class="muted">{local_date_time(entry.at)}</time>
                    <span>
                        <strong>{actor}</strong>
                        " "
                        {audit_action_label(&entry.action)}
                        {target.map(|target| view! { ": " <strong>{target}</strong> })}
                        {(!entry.detail.is_empty()).then(|| view! { <span class="muted">" (" {audit_detail_label(&entry.detail)} ")"</span>
 })}
                    </span>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! { <ol class="audit plain-list" data-testid="audit-list">{rows}</ol> }.into_any()
}
