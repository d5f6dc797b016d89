//! The large board every performance figure of the board uses: 12 stages, the 8
//! default lanes, 400 cards spread over every cell in turn with lane-specific details
//! (channels, owners and statuses, KPI measures). The browser test builds it through a
//! sync client, the export benchmark as a map file.

use parcours_shared::schema::{At, Channel, KpiMeasure, LaneKind, OpportunityStatus};
use parcours_shared::{MapTxn, SchemaError};

/// Stage names, in order.
pub const STAGES: [&str; 12] = [
    "Trigger",
    "Research",
    "Compare",
    "Trial",
    "Decide",
    "Buy",
    "Onboard",
    "First value",
    "Adopt",
    "Expand",
    "Renew",
    "Advocate",
];
/// Cards on the board.
pub const CARDS: usize = 400;

/// Adds the stages (ids `perf-stage-00`…) and cards (`perf-card-000`…) to a map that
/// has its default lanes and no stages.
pub fn fill(txn: &mut MapTxn<'_, '_>) -> Result<(), SchemaError> {
    let lanes = txn.view().lanes;
    for (i, name) in STAGES.iter().enumerate() {
        txn.add_stage(&format!("perf-stage-{i:02}"), name, At::End)?;
    }
    for n in 0..CARDS {
        // Cell order: every stage × lane once, then again, so each cell holds 4 or 5.
        let cell = n % (STAGES.len() * lanes.len());
        let (stage, lane) = (cell % STAGES.len(), cell / STAGES.len());
        let id = format!("perf-card-{n:03}");
        let text = format!(
            "Card {n}: the customer at stage {} meets something worth writing down",
            STAGES[stage]
        );
        let lane = &lanes[lane];
        txn.add_card(
            &id,
            &format!("perf-stage-{stage:02}"),
            &lane.id,
            At::End,
            &text,
        )?;
        match lane.kind {
            LaneKind::Touchpoints => {
                txn.set_channel(&id, Some(Channel::ALL[n % Channel::ALL.len()]))?
            }
            LaneKind::Opportunities => {
                txn.set_owner(&id, Some("Product"))?;
                txn.set_status(&id, Some(OpportunityStatus::Planned))?;
            }
            LaneKind::Kpis => {
                txn.set_kpi_value(&id, KpiMeasure::Baseline, Some(12.0))?;
                txn.set_kpi_value(&id, KpiMeasure::Target, Some(30.0))?;
                txn.set_kpi_unit(&id, Some("%"))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Paths on the large board, with their conditions.
pub const PATHS: [(&str, &str); 3] = [
    ("Self-serve", "Team under 10 seats, signs up online"),
    ("Sales-led", "Deal above 50k a year"),
    ("Partner-led", "Bought through a reseller"),
];
/// Hand-drawn channel switches on the large board.
pub const SWITCHES: usize = 24;

/// Makes the large board (after [`fill`]) non-linear: omnichannel, with the
/// [`PATHS`] (ids `perf-path-0`…), one card in three on one of them and one in
/// seven on a second, and [`SWITCHES`] switches between touchpoints of neighbouring
/// stages (ids `perf-switch-00`…).
pub fn itineraries(txn: &mut MapTxn<'_, '_>) -> Result<(), SchemaError> {
    txn.set_itinerary(parcours_shared::schema::ItineraryKind::Omnichannel);
    for (i, (name, condition)) in PATHS.iter().enumerate() {
        txn.add_path(&format!("perf-path-{i}"), name, None, condition, At::End)?;
    }
    let view = txn.view();
    for (n, card) in view.cards.iter().enumerate() {
        if n % 3 == 0 {
            txn.set_card_on_path(&card.id, &format!("perf-path-{}", (n / 3) % 3), true)?;
        }
        if n % 7 == 0 {
            txn.set_card_on_path(&card.id, &format!("perf-path-{}", (n / 7 + 1) % 3), true)?;
        }
    }
    // Touchpoints by stage, in board order.
    let by_stage: Vec<Vec<&str>> = view
        .stages
        .iter()
        .map(|s| {
            view.cards
                .iter()
                .filter(|c| c.stage == s.id && c.channel.is_some())
                .map(|c| c.id.as_str())
                .collect()
        })
        .collect();
    for k in 0..SWITCHES {
        let (stage, rank) = (k % by_stage.len(), k / by_stage.len());
        let next = (stage + 1) % by_stage.len();
        let pick = |cards: &[&str]| cards.get(rank % cards.len().max(1)).map(|c| c.to_string());
        if let (Some(from), Some(to)) = (pick(&by_stage[stage]), pick(&by_stage[next])) {
            txn.add_switch(
                &format!("perf-switch-{k:02}"),
                &from,
                &to,
                "continues on another channel",
            )?;
        }
    }
    Ok(())
}
