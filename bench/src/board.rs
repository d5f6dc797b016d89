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
