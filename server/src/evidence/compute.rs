//! What the server computes from an event log and the journey it is mapped onto —
//! pure functions over an [`EventTable`]; the definitions are in docs/EVIDENCE.md.
//!
//! Cases are read in time order (ties keep the file's order). One pass over each case
//! gives its variant, the stages it reached, its way through the funnel, the time it
//! spent in each stage, its channel switches and its last touchpoint.

use std::collections::HashMap;

use parcours_shared::api::{
    Analysis, ChannelSwitchCount, Flow, Friction, KpiLink, KpiValue, MapSwitchEvidence,
    ProcessGraph, SegmentMetrics, StageMetrics, Variant,
};

use super::table::{EventTable, Row};

/// Variants listed in an analysis.
const TOP_VARIANTS: usize = 20;
/// Frictions given a sentence.
const EXPLAINED: usize = 3;

/// The journey the log is read against: stages in order, touchpoint cards, and the
/// channel switches drawn on the map.
#[derive(Debug, Clone, Default)]
pub struct Journey {
    /// `(id, name)` in the map's order.
    pub stages: Vec<(String, String)>,
    /// Card id → its text (for friction sentences).
    pub cards: HashMap<String, String>,
    /// `(from stage id, to stage id, from channel, to channel)`.
    pub switches: Vec<(String, String, String, String)>,
}

/// Where each activity of the table goes.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Per activity index: the stage's position in [`Journey::stages`].
    pub stage: Vec<Option<usize>>,
    /// Per activity index: the touchpoint card id.
    pub card: Vec<Option<String>>,
    /// The conversion window, ms from entering the funnel.
    pub window_ms: i64,
    pub kpis: Vec<KpiLink>,
}

/// Which cases count.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// A segment's index in the table's dictionary; `Some(u32::MAX)`: a segment the
    /// log does not have (nothing matches).
    pub segment: Option<u32>,
}

/// The table's row indexes grouped by case, each case in time order (ties in file
/// order): `(offsets, order)` with case `c` at `order[offsets[c]..offsets[c + 1]]`.
pub fn by_case(table: &EventTable) -> (Vec<usize>, Vec<u32>) {
    let n_cases = table.cases.len();
    let mut offsets = vec![0usize; n_cases + 1];
    for r in &table.rows {
        offsets[r.case as usize + 1] += 1;
    }
    for c in 0..n_cases {
        offsets[c + 1] += offsets[c];
    }
    let mut fill = offsets.clone();
    let mut order = vec![0u32; table.rows.len()];
    for (i, r) in table.rows.iter().enumerate() {
        let slot = &mut fill[r.case as usize];
        order[*slot] = i as u32;
        *slot += 1;
    }
    for c in 0..n_cases {
        order[offsets[c]..offsets[c + 1]].sort_by_key(|&i| table.rows[i as usize].at);
    }
    (offsets, order)
}

/// The directly-follows graph and every variant, as process-mining tools count them.
pub fn process_graph(table: &EventTable) -> ProcessGraph {
    let (offsets, order) = by_case(table);
    let mut dfg: HashMap<(u32, u32), u64> = HashMap::default();
    let mut variants: HashMap<Vec<u32>, u64> = HashMap::default();
    let mut seq = Vec::new();
    for c in 0..table.cases.len() {
        let rows = &order[offsets[c]..offsets[c + 1]];
        if rows.is_empty() {
            continue;
        }
        seq.clear();
        seq.extend(rows.iter().map(|&i| table.rows[i as usize].activity));
        for w in seq.windows(2) {
            *dfg.entry((w[0], w[1])).or_default() += 1;
        }
        match variants.get_mut(seq.as_slice()) {
            Some(count) => *count += 1,
            None => {
                variants.insert(seq.clone(), 1);
            }
        }
    }
    let name = |a: u32| table.activities[a as usize].clone();
    let mut directly_follows: Vec<(String, String, u64)> = dfg
        .into_iter()
        .map(|((a, b), n)| (name(a), name(b), n))
        .collect();
    directly_follows.sort();
    ProcessGraph {
        directly_follows,
        variants: ranked_variants(table, &variants, usize::MAX),
    }
}

fn ranked_variants(
    table: &EventTable,
    variants: &HashMap<Vec<u32>, u64>,
    limit: usize,
) -> Vec<Variant> {
    let mut all: Vec<(&Vec<u32>, u64)> = variants.iter().map(|(k, v)| (k, *v)).collect();
    all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    all.into_iter()
        .take(limit)
        .map(|(acts, cases)| Variant {
            activities: acts
                .iter()
                .map(|&a| table.activities[a as usize].clone())
                .collect(),
            cases,
        })
        .collect()
}

/// Per-stage accumulators.
#[derive(Default, Clone)]
struct StageAcc {
    reach: u64,
    funnel: u64,
    from_previous: Vec<i64>,
    spent: Vec<i64>,
}

/// Per-card accumulators (touchpoint friction).
#[derive(Default, Clone)]
struct CardAcc {
    cases: u64,
    exits: u64,
    after: Vec<i64>,
}

/// The analysis of `table` against `journey`.
pub fn analyze(
    table: &EventTable,
    journey: &Journey,
    mapping: &Mapping,
    filter: &Filter,
    dataset: &str,
) -> Analysis {
    let n = journey.stages.len();
    let (offsets, order) = by_case(table);
    let stage_of = |r: &Row| mapping.stage.get(r.activity as usize).copied().flatten();
    let card_of = |r: &Row| {
        mapping
            .card
            .get(r.activity as usize)
            .and_then(|c| c.as_deref())
    };
    let mut stages = vec![StageAcc::default(); n];
    let mut cards: HashMap<&str, CardAcc> = HashMap::new();
    let mut variants: HashMap<Vec<u32>, u64> = HashMap::default();
    let mut switches: HashMap<(u32, u32), u64> = HashMap::default();
    let mut map_switches = vec![0u64; journey.switches.len()];
    let mut segments: HashMap<u32, (u64, Vec<u64>)> = HashMap::new();
    let stage_index: HashMap<&str, usize> = journey
        .stages
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let channel_index: HashMap<&str, u32> = table
        .channels
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let drawn: Vec<Option<(usize, usize, u32, u32)>> = journey
        .switches
        .iter()
        .map(|(fs, ts, fc, tc)| {
            Some((
                *stage_index.get(fs.as_str())?,
                *stage_index.get(ts.as_str())?,
                *channel_index.get(fc.as_str())?,
                *channel_index.get(tc.as_str())?,
            ))
        })
        .collect();
    let (mut cases, mut events, mut unmapped) = (0u64, 0u64, 0u64);
    let mut seq: Vec<u32> = Vec::new();
    let mut reached = vec![false; n];
    let mut case_switches: Vec<(u32, u32)> = Vec::new();
    let mut case_drawn = vec![false; journey.switches.len()];
    let mut case_cards: Vec<&str> = Vec::new();
    for c in 0..table.cases.len() {
        let rows: Vec<&Row> = order[offsets[c]..offsets[c + 1]]
            .iter()
            .map(|&i| &table.rows[i as usize])
            .collect();
        let Some(first) = rows.first() else { continue };
        if filter.from.is_some_and(|f| first.at < f) || filter.to.is_some_and(|t| first.at >= t) {
            continue;
        }
        let segment = rows
            .iter()
            .map(|r| r.segment)
            .find(|s| *s != 0)
            .unwrap_or(0);
        if filter.segment.is_some_and(|s| s != segment) {
            continue;
        }
        cases += 1;
        events += rows.len() as u64;
        // The variant.
        seq.clear();
        seq.extend(rows.iter().map(|r| r.activity));
        match variants.get_mut(seq.as_slice()) {
            Some(count) => *count += 1,
            None => {
                variants.insert(seq.clone(), 1);
            }
        }
        // Stages reached, and the time spent in each.
        reached.iter_mut().for_each(|r| *r = false);
        for (p, r) in rows.iter().enumerate() {
            let Some(s) = stage_of(r) else {
                unmapped += 1;
                continue;
            };
            if reached[s] {
                continue;
            }
            reached[s] = true;
            stages[s].reach += 1;
            let later = rows[p + 1..]
                .iter()
                .find(|q| stage_of(q).is_some_and(|t| t > s));
            let end = match later {
                Some(q) => q.at,
                None => rows[p..]
                    .iter()
                    .filter(|q| stage_of(q) == Some(s))
                    .map(|q| q.at)
                    .max()
                    .unwrap_or(r.at),
            };
            stages[s].spent.push(end - r.at);
        }
        // The funnel: each stage's first event after the previous step's, within the
        // window from the entry.
        let mut depth = 0usize;
        if n > 0 {
            if let Some(p0) = rows.iter().position(|r| stage_of(r) == Some(0)) {
                let (entry, mut pos, mut prev_at) = (rows[p0].at, p0, rows[p0].at);
                stages[0].funnel += 1;
                depth = 1;
                for (k, acc) in stages.iter_mut().enumerate().skip(1) {
                    let next = rows[pos + 1..].iter().position(|r| stage_of(r) == Some(k));
                    match next {
                        Some(off) if rows[pos + 1 + off].at - entry <= mapping.window_ms => {
                            pos += 1 + off;
                            acc.funnel += 1;
                            acc.from_previous.push(rows[pos].at - prev_at);
                            prev_at = rows[pos].at;
                            depth = k + 1;
                        }
                        _ => break,
                    }
                }
            }
        }
        let seg = segments.entry(segment).or_insert_with(|| (0, vec![0; n]));
        seg.0 += 1;
        for f in seg.1.iter_mut().take(depth) {
            *f += 1;
        }
        // Channel switches, counted once per case.
        case_switches.clear();
        case_drawn.iter_mut().for_each(|d| *d = false);
        for w in rows.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.channel != 0 && b.channel != 0 && a.channel != b.channel {
                case_switches.push((a.channel, b.channel));
                for (i, d) in drawn.iter().enumerate() {
                    if let Some((fs, ts, fc, tc)) = d {
                        if stage_of(a) == Some(*fs)
                            && stage_of(b) == Some(*ts)
                            && a.channel == *fc
                            && b.channel == *tc
                        {
                            case_drawn[i] = true;
                        }
                    }
                }
            }
        }
        case_switches.sort_unstable();
        case_switches.dedup();
        for pair in &case_switches {
            *switches.entry(*pair).or_default() += 1;
        }
        for (i, d) in case_drawn.iter().enumerate() {
            map_switches[i] += u64::from(*d);
        }
        // Touchpoints: cases that used each, those that stopped there, time to the
        // next event.
        case_cards.clear();
        for (p, r) in rows.iter().enumerate() {
            if let Some(card) = card_of(r) {
                if !case_cards.contains(&card) {
                    case_cards.push(card);
                }
                if let Some(next) = rows.get(p + 1) {
                    cards.entry(card).or_default().after.push(next.at - r.at);
                }
            }
        }
        for card in &case_cards {
            cards.entry(card).or_default().cases += 1;
        }
        if let Some(card) = rows.last().and_then(|r| card_of(r)) {
            cards.entry(card).or_default().exits += 1;
        }
    }

    let stage_metrics: Vec<StageMetrics> = journey
        .stages
        .iter()
        .enumerate()
        .map(|(k, (id, name))| {
            let acc = &mut stages[k];
            StageMetrics {
                stage: id.clone(),
                name: name.clone(),
                reach: acc.reach,
                funnel: acc.funnel,
                // Filled below, once every stage's funnel is known.
                conversion: None,
                drop_off: None,
                median_ms_from_previous: quantile(&mut acc.from_previous, 0.5),
                p90_ms_from_previous: quantile(&mut acc.from_previous, 0.9),
                median_ms_spent: quantile(&mut acc.spent, 0.5),
            }
        })
        .collect();
    let mut stage_metrics = stage_metrics;
    for k in 1..stage_metrics.len() {
        let c = ratio(stage_metrics[k].funnel, stage_metrics[k - 1].funnel);
        stage_metrics[k].conversion = c;
        stage_metrics[k].drop_off = c.map(|c| 1.0 - c);
    }
    let overall_conversion = match (stage_metrics.first(), stage_metrics.last()) {
        (Some(a), Some(b)) if stage_metrics.len() > 1 => ratio(b.funnel, a.funnel),
        _ => None,
    };

    let top = ranked_variants(table, &variants, TOP_VARIANTS);
    let flows = flows(journey, mapping, &variants);
    let mut channel_switches: Vec<ChannelSwitchCount> = switches
        .into_iter()
        .map(|((a, b), cases)| ChannelSwitchCount {
            from: table.channels[a as usize].clone(),
            to: table.channels[b as usize].clone(),
            cases,
        })
        .collect();
    channel_switches.sort_by(|a, b| {
        b.cases
            .cmp(&a.cases)
            .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });
    let map_switches = journey
        .switches
        .iter()
        .zip(map_switches)
        .map(|((fs, ts, fc, tc), observed)| MapSwitchEvidence {
            from_stage: fs.clone(),
            to_stage: ts.clone(),
            from_channel: fc.clone(),
            to_channel: tc.clone(),
            observed,
        })
        .collect();
    let mut segment_metrics: Vec<SegmentMetrics> = segments
        .into_iter()
        .filter(|(s, _)| *s != 0)
        .map(|(s, (count, funnel))| SegmentMetrics {
            segment: table.segments[s as usize].clone(),
            cases: count,
            overall_conversion: match (funnel.first(), funnel.last()) {
                (Some(a), Some(b)) if funnel.len() > 1 => ratio(*b, *a),
                _ => None,
            },
            funnel,
        })
        .collect();
    segment_metrics.sort_by(|a, b| {
        b.cases
            .cmp(&a.cases)
            .then_with(|| a.segment.cmp(&b.segment))
    });
    let friction = friction(journey, &stage_metrics, &mut cards);
    let kpis = mapping
        .kpis
        .iter()
        .map(|k| KpiValue {
            card: k.card.clone(),
            metric: k.metric.clone(),
            value: kpi_value(&k.metric, &stage_metrics, overall_conversion),
        })
        .collect();
    Analysis {
        dataset: dataset.to_owned(),
        cases,
        events,
        stages: stage_metrics,
        overall_conversion,
        variant_count: variants.len() as u64,
        variants: top,
        flows,
        channel_switches,
        map_switches,
        segments: segment_metrics,
        friction,
        kpis,
        unmapped_events: unmapped,
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// The nearest-rank quantile (`q` in 0..=1) of `values`, sorting them.
pub fn quantile(values: &mut [i64], q: f64) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
    Some(values[rank - 1])
}

/// Stage-level flows of the variants: each case's stages in order (repeats collapsed,
/// unmapped activities skipped), from `start` to `end`.
fn flows(journey: &Journey, mapping: &Mapping, variants: &HashMap<Vec<u32>, u64>) -> Vec<Flow> {
    let mut top: Vec<(&Vec<u32>, &u64)> = variants.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut edges: HashMap<(String, String), u64> = HashMap::new();
    for (acts, count) in top.into_iter().take(TOP_VARIANTS) {
        let mut path: Vec<&str> = vec!["start"];
        for a in acts {
            if let Some(s) = mapping.stage.get(*a as usize).copied().flatten() {
                let id = journey.stages[s].0.as_str();
                if path.last() != Some(&id) {
                    path.push(id);
                }
            }
        }
        path.push("end");
        for w in path.windows(2) {
            *edges.entry((w[0].to_owned(), w[1].to_owned())).or_default() += count;
        }
    }
    let mut out: Vec<Flow> = edges
        .into_iter()
        .map(|((from, to), cases)| Flow { from, to, cases })
        .collect();
    out.sort_by(|a, b| {
        b.cases
            .cmp(&a.cases)
            .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });
    out
}

/// Stages ranked by drop-off to the next stage × median hours spent in them, and
/// touchpoints by the share of their cases that stop there × median hours until the
/// case's next event; the top three get a sentence.
fn friction(
    journey: &Journey,
    stages: &[StageMetrics],
    cards: &mut HashMap<&str, CardAcc>,
) -> Vec<Friction> {
    let mut out = Vec::new();
    let most = stages
        .iter()
        .skip(1)
        .filter_map(|s| s.drop_off)
        .fold(0.0f64, f64::max);
    for k in 0..stages.len().saturating_sub(1) {
        let next = &stages[k + 1];
        let Some(drop) = next.drop_off else { continue };
        let spent = stages[k].median_ms_spent;
        out.push(Friction {
            kind: "stage".into(),
            id: stages[k].stage.clone(),
            name: stages[k].name.clone(),
            score: drop * hours(spent),
            drop_off: drop,
            median_ms: spent,
            sentence: None,
            worst: drop >= most && most > 0.0,
        });
    }
    for (card, acc) in cards.iter_mut() {
        if acc.cases == 0 {
            continue;
        }
        let exit = acc.exits as f64 / acc.cases as f64;
        let after = quantile(&mut acc.after, 0.5);
        out.push(Friction {
            kind: "touchpoint".into(),
            id: (*card).to_owned(),
            name: journey
                .cards
                .get(*card)
                .cloned()
                .unwrap_or_else(|| (*card).to_owned()),
            score: exit * hours(after),
            drop_off: exit,
            median_ms: after,
            sentence: None,
            worst: false,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)))
    });
    out.into_iter()
        .enumerate()
        .map(|(i, mut f)| {
            if i < EXPLAINED && f.score > 0.0 {
                f.sentence = Some(f.english());
            }
            f
        })
        .collect()
}

fn hours(ms: Option<i64>) -> f64 {
    ms.map_or(0.0, |ms| ms.max(0) as f64 / 3_600_000.0)
}

/// A duration for a person: minutes, hours or days with one decimal (English).
pub fn duration(ms: i64) -> String {
    parcours_shared::api::english_duration(ms)
}

fn kpi_value(metric: &str, stages: &[StageMetrics], overall: Option<f64>) -> Option<f64> {
    let (kind, stage) = metric.split_once(':').unwrap_or((metric, ""));
    let s = stages.iter().find(|s| s.stage == stage);
    match kind {
        "overall_conversion" => overall.map(|c| (c * 1000.0).round() / 10.0),
        "reach" => s.map(|s| s.reach as f64),
        "conversion" => s?.conversion.map(|c| (c * 1000.0).round() / 10.0),
        "median_days" => s?
            .median_ms_from_previous
            .map(|ms| (ms as f64 / 86_400_000.0 * 10.0).round() / 10.0),
        _ => None,
    }
}

/// Whether `metric` names something [`kpi_value`] computes, for `stages` (ids).
pub fn valid_metric(metric: &str, stages: &[String]) -> bool {
    match metric.split_once(':') {
        None => metric == "overall_conversion",
        Some((kind, stage)) => {
            matches!(kind, "reach" | "conversion" | "median_days")
                && stages.iter().any(|s| s == stage)
        }
    }
}
