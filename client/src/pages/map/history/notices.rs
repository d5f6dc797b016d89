//! What history shows above the board: the banner while a past moment is viewed
//! (with "Return to live"), the comparison's list of changes, the notice of a restore
//! with its undo, what changed since the last visit, and the last failure.

use leptos::prelude::*;
use parcours_shared::review::MapChange;

use super::state::{History, PastSource};
use super::words::short_date_time;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::local_date_time;
use crate::i18n::{fill, t};
use crate::pages::map::rounds::change_words;

/// Every notice of the map's history, above the board.
#[component]
pub fn HistoryNotices() -> impl IntoView {
    let Some(h) = History::get() else {
        return ().into_any();
    };
    view! {
        {move || h.error.get().map(|error| view! { <ApiErrorNotice error testid="history-error"/> })}
        <RestoreNoticeView h/>
        <SinceLastVisitNotice h/>
        <PastBanner h/>
        <CompareView h/>
    }
    .into_any()
}

/// "Viewing 12 Nov, 14:03 — Return to live", while the past is shown.
#[component]
fn PastBanner(h: History) -> impl IntoView {
    move || {
        h.past.get().map(|past| {
            let label = past.label.clone().map(|l| format!("{l} · ")).unwrap_or_default();
            let source = match &past.source {
                PastSource::Version(id) => ("version", id.clone()),
                PastSource::Moment(at) => ("moment", at.to_string()),
            };
            let restore_source = past.source.clone();
            let at = past.at;
            view! {
                <div
                    class="past-banner"
                    role="status"
                    data-testid="past-banner"
                    data-source=source.0
                    data-ref=source.1
                    data-at=at.to_string()
                >
                    <span>
                        <b>{t().viewing} " " {label} <time title=local_date_time(at)>{short_date_time(at)}</time></b>
                        <span class="muted">{t().read_only_past}</span>
                    </span>
                    <span class="past-actions">
                        {h.can_restore.then(|| view! {
                            <button type="button" class="button-quiet button-small" data-testid="past-restore"
                                disabled=move || h.busy.get()
                                on:click=move |_| h.restore_past(&restore_source)>
                                {t().restore_this_version}
                            </button>
                        })}
                        <button type="button" class="button-primary button-small" data-testid="return-live"
                            on:click=move |_| h.return_to_live()>{t().return_to_live}</button>
                    </span>
                </div>
            }
        })
    }
}

/// The comparison: what is compared, its changes (marked on the board), and closing it.
#[component]
fn CompareView(h: History) -> impl IntoView {
    move || {
        h.compare.get().map(|c| {
            let count = c.diff.changes.len();
            view! {
                <section class="compare" data-testid="compare" data-count=count.to_string()>
                    <div class="compare-head">
                        <b data-testid="compare-title">{c.title.clone()}</b>
                        <span class="muted">{match count {
                            0 => t().compare_nothing.to_owned(),
                            1 => t().compare_one.to_owned(),
                            n => fill(t().compare_n, &[("n", &n)]),
                        }}</span>
                        <button type="button" class="button-quiet button-small" data-testid="compare-close"
                            on:click=move |_| h.compare.set(None)>{t().close}</button>
                    </div>
                    {change_list(&c.diff.changes, "compare-change")}
                </section>
            }
        })
    }
}

/// A list of map changes, one line each (marked on the board where they are).
pub fn change_list(changes: &[MapChange], testid: &'static str) -> impl IntoView {
    let items = changes
        .iter()
        .map(|change| {
            let (how, words) = change_words(change);
            view! {
                <li
                    data-testid=testid
                    data-change=how
                    data-element=format!("{:?}", change.element).to_lowercase()
                    data-id=change.id.clone()
                >
                    <span class=format!("change-kind change-{how}")>{words}</span>
                    " "
                    {(!change.label.is_empty()).then(|| fill(t().quoted, &[("text", &change.label)]))}

                </li>
            }
        })
        .collect_view();
    view! { <ul class="round-changes-list history-changes">{items}</ul> }
}

/// "Restored … · Undo" after a restore.
#[component]
fn RestoreNoticeView(h: History) -> impl IntoView {
    move || {
        h.notice.get().map(|notice| {
            let undo = notice.undo.clone();
            view! {
                <p class="notice notice-ok history-notice" role="status" data-testid="restore-notice">
                    <span data-testid="restore-notice-text">{notice.message.clone()}</span>
                    {undo.map(|(version, element)| view! {
                        " "
                        <button type="button" class="button-quiet button-small" data-testid="restore-undo"
                            disabled=move || h.busy.get()
                            on:click=move |_| h.undo(version.clone(), element.clone())>{t().undo_restore}</button>
                    })}
                    " "
                    <button type="button" class="button-quiet button-small" data-testid="restore-notice-dismiss"
                        on:click=move |_| h.notice.set(None)>{t().dismiss}</button>
                </p>
            }
        })
    }
}

/// "N changes since your last visit · Show changes", when others changed the map.
#[component]
fn SinceLastVisitNotice(h: History) -> impl IntoView {
    let dismissed = RwSignal::new(false);
    move || {
        if dismissed.get() {
            return None;
        }
        let since = h.since.get().filter(|s| s.count > 0)?;
        let shown = h.since_shown.get();
        let text = match since.count {
            1 => t().since_one.to_owned(),
            n => fill(t().since_n, &[("n", &n)]),
        };
        Some(view! {
            <div class="notice since-visit" role="status" data-testid="since-last-visit"
                data-count=since.count.to_string()>
                <span data-testid="since-count">{text}</span>
                {since.last_visit_at.map(|at| view! {
                    <span class="muted">{fill(t().you_came, &[("at", &short_date_time(at))])}</span>
                })}
                " "
                <button type="button" class="button-quiet button-small" data-testid="since-toggle"
                    aria-expanded=shown.to_string()
                    on:click=move |_| h.since_shown.update(|s| *s = !*s)>
                    {if shown { t().hide_changes } else { t().show_changes }}
                </button>
                " "
                <button type="button" class="button-quiet button-small" data-testid="since-dismiss"
                    on:click=move |_| { h.since_shown.set(false); dismissed.set(true); }>{t().dismiss}</button>

                {shown.then(|| change_list(&since.changes, "since-change"))}
            </div>
        })
    }
}
