//! The sector templates in French, for teams who create their map in French.
//!
//! Each module mirrors its English namesake one for one: same personas and emotion
//! scores, same paths, stages, cards, channels, statuses and KPI values, in the same
//! order. Only the human text differs, so a map reads the same in either language.

pub(super) mod b2b_marketplace;
pub(super) mod b2b_saas;
pub(super) mod b2c_omnichannel_retail;
pub(super) mod retail_bank;
pub(super) mod university_admissions;
