//! The funnel chart and the flow (Sankey) chart of the top paths, drawn as inline SVG
//! from the analysis: bars and bands sized by cases, every figure also in a tooltip.

use leptos::prelude::*;
use parcours_shared::api::{Flow, StageMetrics};

use super::words::{count, percent};
use crate::i18n::{fill, t};

/// Funnel: width of the whole drawing, of the stage names, of one row.
const FUNNEL_WIDTH: f64 = 560.0;
const FUNNEL_LABEL: f64 = 170.0;
const FUNNEL_ROW: f64 = 30.0;
/// Funnel: room on the right for the figures.
const FUNNEL_FIGURES: f64 = 130.0;

/// Flow chart: distance between columns, width of a node, height of the largest
/// node, room above the nodes for their labels.
const FLOW_COLUMN: f64 = 150.0;
const FLOW_NODE: f64 = 12.0;
const FLOW_HEIGHT: f64 = 200.0;
const FLOW_TOP: f64 = 34.0;
/// Width left after the last node for its label.
const FLOW_RIGHT: f64 = 90.0;

/// The funnel: per stage, the cases that reached it in order, as a bar against the
/// first stage's, with the step conversion.
#[component]
pub fn FunnelChart(stages: Vec<StageMetrics>) -> impl IntoView {
    let first = stages.first().map_or(0, |s| s.funnel).max(1) as f64;
    let bar_room = FUNNEL_WIDTH - FUNNEL_LABEL - FUNNEL_FIGURES;
    let height = stages.len() as f64 * FUNNEL_ROW + 4.0;
    let rows = stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = i as f64 * FUNNEL_ROW + 2.0;
            let width = (s.funnel as f64 / first * bar_room).max(if s.funnel > 0 { 2.0 } else { 0.0 });
            let figures = match s.conversion {
                Some(c) => format!("{} · {}", count(s.funnel), percent(Some(c))),
                None => count(s.funnel),
            };
            let title = fill(
                t().funnel_row_title,
                &[
                    ("stage", &s.name),
                    ("n", &count(s.funnel)),
                    ("reach", &count(s.reach)),
                    ("conversion", &percent(s.conversion)),
                ],
            );
            view! {
                <g class="funnel-row" data-testid="funnel-row" data-stage-id=s.stage.clone() data-funnel=s.funnel.to_string()>
                    <title>{title}</title>
                    <text class="chart-label" x=FUNNEL_LABEL - 8.0 y=y + FUNNEL_ROW / 2.0 + 4.0 text-anchor="end">
                        {shorten(&s.name, 24)}
                    </text>
                    <rect class="funnel-track" x=FUNNEL_LABEL y=y + 4.0 width=bar_room height=FUNNEL_ROW - 8.0 rx="3"/>
                    <rect class="funnel-bar" x=FUNNEL_LABEL y=y + 4.0 width=width height=FUNNEL_ROW - 8.0 rx="3"/>
                    <text class="chart-figure" x=FUNNEL_LABEL + bar_room + 8.0 y=y + FUNNEL_ROW / 2.0 + 4.0>
                        {figures}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart funnel-chart" data-testid="funnel-chart" role="img"
            aria-label=t().funnel_label
            viewBox=format!("0 0 {FUNNEL_WIDTH} {height}") width=FUNNEL_WIDTH height=height>
            {rows}
        </svg>
    }
}

/// The flow chart: from "Start" through the stages to "End", each band as wide as the
/// cases of the top paths that made that move.
#[component]
pub fn FlowChart(flows: Vec<Flow>, stages: Vec<StageMetrics>) -> impl IntoView {
    let names: Vec<(String, String)> = stages
        .iter()
        .map(|s| (s.stage.clone(), s.name.clone()))
        .collect();
    let layout = FlowLayout::of(&flows, &names);
    if layout.links.is_empty() {
        return view! { <p class="muted" data-testid="flow-empty">{t().no_paths_to_draw}
        </p> }
        .into_any();
    }
    let links = layout
        .links
        .iter()
        .map(|l| {
            view! {
                <path class="flow-link" class:flow-back=l.back data-testid="flow-link"
                    data-from=l.from.clone() data-to=l.to.clone() data-cases=l.cases.to_string()
                    d=l.d.clone() stroke-width=l.width.max(1.0)>
                    <title>{fill(t().switch_cases, &[("from", &l.from_name), ("to", &l.to_name), ("n", &count(l.cases))])}</title>
                </path>
            }
        })
        .collect_view();
    let nodes = layout
        .nodes
        .iter()
        .map(|n| {
            view! {
                <g class="flow-node" data-testid="flow-node" data-node=n.id.clone() data-cases=n.cases.to_string()>
                    <title>{fill(t().node_cases, &[("name", &n.name), ("n", &count(n.cases))])}</title>
                    <rect x=n.x y=n.y width=FLOW_NODE height=n.height.max(2.0) rx="2"/>
                    <text class="chart-label" x=n.x y=FLOW_TOP - 18.0>{shorten(&n.name, 20)}</text>
                    <text class="chart-figure" x=n.x y=FLOW_TOP - 5.0>{count(n.cases)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart flow-chart" data-testid="flow-chart" role="img"
            aria-label=t().flows_label
            viewBox=format!("0 0 {} {}", layout.width, layout.height)
            width=layout.width height=layout.height>
            <g class="flow-links">{links}</g>
            {nodes}
        </svg>
    }
    .into_any()
}

/// `name` cut to `max` characters with an ellipsis.
fn shorten(name: &str, max: usize) -> String {
    parcours_shared::text::ellipsize(name, max)
}

/// A node of the flow chart: start, a stage or end.
#[derive(Clone, Debug, PartialEq)]
struct FlowNode {
    id: String,
    name: String,
    /// Cases through it: the larger of what comes in and what goes out.
    cases: u64,
    x: f64,
    y: f64,
    height: f64,
}

/// A band of the flow chart.
#[derive(Clone, Debug, PartialEq)]
struct FlowLink {
    from: String,
    to: String,
    from_name: String,
    to_name: String,
    cases: u64,
    /// The band's thickness.
    width: f64,
    /// The SVG path of its middle line.
    d: String,
    /// It goes back to an earlier stage (drawn below the nodes).
    back: bool,
}

/// Where everything of the flow chart goes.
#[derive(Clone, Debug, PartialEq)]
struct FlowLayout {
    nodes: Vec<FlowNode>,
    links: Vec<FlowLink>,
    width: f64,
    height: f64,
}

impl FlowLayout {
    /// Lays `flows` out in columns: start, the stages of `stages` (id, name) in the
    /// map's order that any flow touches, end.
    fn of(flows: &[Flow], stages: &[(String, String)]) -> FlowLayout {
        // The columns: every node some flow touches, in journey order.
        let mut order: Vec<(String, String)> = vec![("start".into(), t().flow_start.into())];
        order.extend(
            stages
                .iter()
                .filter(|(id, _)| flows.iter().any(|f| &f.from == id || &f.to == id))
                .cloned(),
        );
        order.push(("end".into(), t().flow_end.into()));

        let column = |id: &str| order.iter().position(|(n, _)| n == id);
        let flows: Vec<&Flow> = flows
            .iter()
            .filter(|f| column(&f.from).is_some() && column(&f.to).is_some())
            .collect();
        let through = |id: &str| {
            let into: u64 = flows.iter().filter(|f| f.to == id).map(|f| f.cases).sum();
            let out: u64 = flows.iter().filter(|f| f.from == id).map(|f| f.cases).sum();
            into.max(out)
        };
        let most = order
            .iter()
            .map(|(id, _)| through(id))
            .max()
            .unwrap_or(0)
            .max(1);
        let scale = FLOW_HEIGHT / most as f64;
        let nodes: Vec<FlowNode> = order
            .iter()
            .enumerate()
            .map(|(i, (id, name))| {
                let cases = through(id);
                FlowNode {
                    id: id.clone(),
                    name: name.clone(),
                    cases,
                    x: 8.0 + i as f64 * FLOW_COLUMN,
                    y: FLOW_TOP,
                    height: cases as f64 * scale,
                }
            })
            .collect();
        // Bands leave a node top to bottom in the order of where they go, and enter
        // one in the order of where they come from, so they cross as little as they can.
        let mut out_offset = vec![0.0; nodes.len()];
        let mut in_offset = vec![0.0; nodes.len()];
        let mut sorted = flows.clone();
        sorted.sort_by_key(|f| (column(&f.from), column(&f.to)));
        let mut outgoing: Vec<(usize, usize, f64)> = Vec::new(); // (flow, from, y)
        for (k, f) in sorted.iter().enumerate() {
            let (Some(a), Some(_)) = (column(&f.from), column(&f.to)) else {
                continue;
            };
            let w = f.cases as f64 * scale;
            outgoing.push((k, a, nodes[a].y + out_offset[a] + w / 2.0));
            out_offset[a] += w;
        }
        let mut by_source = sorted.clone();
        by_source.sort_by_key(|f| (column(&f.to), column(&f.from)));
        let mut incoming = std::collections::HashMap::new();
        for f in &by_source {
            let (Some(_), Some(b)) = (column(&f.from), column(&f.to)) else {
                continue;
            };
            let w = f.cases as f64 * scale;
            incoming.insert(
                (f.from.clone(), f.to.clone()),
                nodes[b].y + in_offset[b] + w / 2.0,
            );
            in_offset[b] += w;
        }
        let bottom = FLOW_TOP + FLOW_HEIGHT;
        // Flows going back run under the nodes, one below the other.
        let mut back_depth = 12.0;
        let mut links = Vec::new();
        for (k, a, y0) in outgoing {
            let f = sorted[k];
            let Some(b) = column(&f.to) else { continue };
            let y1 = incoming
                .get(&(f.from.clone(), f.to.clone()))
                .copied()
                .unwrap_or(FLOW_TOP);
            let w = f.cases as f64 * scale;
            let x0 = nodes[a].x + FLOW_NODE;
            let x1 = nodes[b].x;
            let back = b <= a;
            let d = if back {
                // Out to the right, down under the nodes, back left, up into the node.
                let yb = bottom + back_depth + w / 2.0;
                back_depth += w + 4.0;
                let x1 = nodes[b].x;
                format!(
                    "M{x0:.1},{y0:.1} C{:.1},{y0:.1} {:.1},{yb:.1} {x0:.1},{yb:.1} L{x1:.1},{yb:.1} C{:.1},{yb:.1} {:.1},{y1:.1} {x1:.1},{y1:.1}",
                    x0 + 30.0,
                    x0 + 30.0,
                    x1 - 30.0,
                    x1 - 30.0,
                )
            } else {
                let mid = (x0 + x1) / 2.0;
                format!("M{x0:.1},{y0:.1} C{mid:.1},{y0:.1} {mid:.1},{y1:.1} {x1:.1},{y1:.1}")
            };
            links.push(FlowLink {
                from: f.from.clone(),
                to: f.to.clone(),
                from_name: nodes[a].name.clone(),
                to_name: nodes[b].name.clone(),
                cases: f.cases,
                width: w,
                d,
                back,
            });
        }
        let width =
            8.0 + (nodes.len().saturating_sub(1)) as f64 * FLOW_COLUMN + FLOW_NODE + FLOW_RIGHT;
        let height = bottom + back_depth + 8.0;
        FlowLayout {
            nodes,
            links,
            width,
            height,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(from: &str, to: &str, cases: u64) -> Flow {
        Flow {
            from: from.into(),
            to: to.into(),
            cases,
        }
    }

    fn stages() -> Vec<(String, String)> {
        ["a", "b", "c"]
            .iter()
            .map(|s| (s.to_string(), s.to_uppercase()))
            .collect()
    }

    #[test]
    fn columns_follow_the_journey_and_skip_stages_no_flow_touches() {
        let flows = [
            flow("start", "a", 10),
            flow("a", "c", 6),
            flow("a", "end", 4),
            flow("c", "end", 6),
        ];
        let layout = FlowLayout::of(&flows, &stages());
        let ids: Vec<&str> = layout.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["start", "a", "c", "end"]);
        let cases: Vec<u64> = layout.nodes.iter().map(|n| n.cases).collect();
        assert_eq!(cases, [10, 10, 6, 10]);
        assert!(layout.nodes.windows(2).all(|w| w[0].x < w[1].x));
        assert_eq!(layout.links.len(), 4);
        assert!(layout.links.iter().all(|l| !l.back));
    }

    #[test]
    fn bands_are_as_thick_as_their_cases_and_stack_without_overlap() {
        let flows = [
            flow("start", "a", 10),
            flow("a", "b", 6),
            flow("a", "end", 4),
            flow("b", "end", 6),
        ];
        let layout = FlowLayout::of(&flows, &stages());
        let a = &layout.nodes[1];
        assert!(
            (a.height - FLOW_HEIGHT).abs() < 1e-9,
            "the largest node is full height"
        );
        let out_of_a: Vec<&FlowLink> = layout.links.iter().filter(|l| l.from == "a").collect();
        let total: f64 = out_of_a.iter().map(|l| l.width).sum();
        assert!((total - a.height).abs() < 1e-9);
        // To b (column 2) before to end (column 3): the band to b starts at the top.
        assert_eq!(out_of_a[0].to, "b");
        assert!(out_of_a[0].d.starts_with(&format!(
            "M{:.1},{:.1}",
            a.x + FLOW_NODE,
            a.y + out_of_a[0].width / 2.0
        )));
    }

    #[test]
    fn a_flow_back_to_an_earlier_stage_goes_under_the_nodes() {
        let flows = [
            flow("start", "a", 5),
            flow("a", "b", 5),
            flow("b", "a", 2),
            flow("b", "end", 3),
            flow("a", "end", 2),
        ];
        let layout = FlowLayout::of(&flows, &stages());
        let back: Vec<&FlowLink> = layout.links.iter().filter(|l| l.back).collect();
        assert_eq!(back.len(), 1);
        assert_eq!((back[0].from.as_str(), back[0].to.as_str()), ("b", "a"));
        assert!(layout.height > FLOW_TOP + FLOW_HEIGHT);
    }
}
