//! Customer evidence on the map, for signed-in members (a public link sees none of
//! it): the "Evidence" toggle shows a metrics row under the board's stage heads and a
//! panel above the board with the results (friction list linking to its stages, funnel
//! and flow charts as SVG, channel switches observed against those drawn, segments,
//! filters by date and segment, the conversion window), the mapping of the log's
//! activities onto stages and touchpoints, and the event logs with their import.
//! Editors and owners import, map and delete; everyone else reads. Every open page
//! follows the map's event stream, so a mapping saved anywhere shows everywhere.
//!
//! - [`state`]: [`Evidence`], the context the page and the board read, and its loads.
//! - [`words`]: how counts, rates, durations and dates read.
//! - [`panel`]: the panel, its tabs and the choice of log.
//! - [`results`]: the results tab; [`filters`], [`friction`], [`charts`] (funnel and
//!   flows), [`switches`] (the channel-switch matrix) are its parts.
//! - [`mapping`]: the mapping table and the KPI links.
//! - [`data`]: the list of logs and the bad rows; [`import`]: the import form.
//! - [`metrics`]: the board's metrics row.

mod charts;
mod data;
mod filters;
mod friction;
mod import;
mod mapping;
mod metrics;
mod panel;
mod results;
mod state;
mod switches;
mod words;

pub use self::metrics::MetricsRow;
pub use self::panel::EvidencePanel;
pub use self::state::{Evidence, Tab};
