//! Channel switches: a matrix of the moves the log shows from one channel to the next
//! (cases that made each at least once), the ones drawn on the map outlined, and the
//! map's drawn switches with how many cases were seen making them.

use leptos::prelude::*;
use parcours_shared::api::{ChannelSwitchCount, MapSwitchEvidence};
use parcours_shared::view::MapView;

use super::words::{channel, count};
use crate::i18n::{fill, t};

/// The matrix and the drawn switches.
#[component]
pub fn SwitchMatrix(
    observed: Vec<ChannelSwitchCount>,
    drawn: Vec<MapSwitchEvidence>,
    /// The live map, for stage names.
    view: Memo<MapView>,
) -> impl IntoView {
    let channels = channels_of(&observed);
    let most = observed.iter().map(|s| s.cases).max().unwrap_or(0).max(1);
    let is_drawn = |from: &str, to: &str| {
        drawn.iter().any(|d| {
            d.from_channel.eq_ignore_ascii_case(from) && d.to_channel.eq_ignore_ascii_case(to)
        })
    };
    let matrix = if channels.is_empty() {
        view! { <p class="muted" data-testid="switch-empty">{t().no_switch_in_log}</p> }.into_any()
    } else {
        let head = channels
            .iter()
            .map(|c| view! { <th scope="col">{channel(c)}</th> })
            .collect_view();
        let rows = channels
            .iter()
            .map(|from| {
                let cells = channels
                    .iter()
                    .map(|to| {
                        let cases = observed
                            .iter()
                            .find(|s| &s.from == from && &s.to == to)
                            .map_or(0, |s| s.cases);
                        // Shade by share of the largest move: darker is more cases.
                        let alpha = if cases == 0 { 0.0 } else { 0.08 + 0.6 * cases as f64 / most as f64 };
                        let drawn_here = is_drawn(from, to);
                        view! {
                            <td class="num switch-cell" class:switch-drawn=drawn_here
                                data-testid="switch-cell" data-from=from.clone() data-to=to.clone()
                                data-cases=cases.to_string() data-drawn=drawn_here.to_string()
                                style=format!("background: rgba(52, 84, 209, {alpha:.2})")
                                title=format!("{}{}", fill(t().switch_cases, &[("from", &channel(from)), ("to", &channel(to)), ("n", &count(cases))]),
                                    if drawn_here { t().drawn_on_map_suffix } else { "" })>
                                {if from == to { "·".to_owned() } else { count(cases) }}
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{channel(from)}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <table class="evidence-table switch-matrix" data-testid="switch-matrix">
                <thead><tr><th class="switch-corner">{t().from_to_corner}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let drawn_list = (!drawn.is_empty()).then(|| {
        let items = drawn
            .iter()
            .map(|d| {
                let (from_stage, to_stage) = view.with(|v| {
                    let name = |id: &str| {
                        v.stages
                            .iter()
                            .find(|s| s.id == id)
                            .map_or_else(|| id.to_owned(), |s| s.name.clone())
                    };
                    (name(&d.from_stage), name(&d.to_stage))
                });
                view! {
                    <li data-testid="drawn-switch" data-observed=d.observed.to_string()>
                        {from_stage} " (" {channel(&d.from_channel)} ") → " {to_stage} " (" {channel(&d.to_channel)} "): "
                        <b>{count(d.observed)}</b> {t().cases_seen}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h4>{t().drawn_on_map}</h4>

            <ul class="drawn-switches">{items}</ul>
        }
    });
    view! { {matrix} {drawn_list} }
}

/// Channels that appear in any switch, those in the most switches first.
fn channels_of(observed: &[ChannelSwitchCount]) -> Vec<String> {
    let mut totals: Vec<(String, u64)> = Vec::new();
    for s in observed {
        for c in [&s.from, &s.to] {
            match totals.iter_mut().find(|(name, _)| name == c) {
                Some((_, n)) => *n += s.cases,
                None => totals.push((c.clone(), s.cases)),
            }
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    totals.into_iter().map(|(c, _)| c).collect()
}
