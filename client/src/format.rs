//! How times and kinds read on screen.

use parcours_shared::ItineraryKind;
use wasm_bindgen::JsValue;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Past this age an edit time reads as a date rather than "n days ago".
const RELATIVE_LIMIT_MS: i64 = 7 * DAY_MS;

/// "just now", "5 min ago", "3 h ago", "2 days ago", or the local date past a week.
pub fn edited_ago(then_ms: i64, now_ms: i64) -> String {
    let age = now_ms.saturating_sub(then_ms);
    match age {
        // A clock slightly ahead on the server still reads as "just now".
        ..MINUTE_MS => "just now".to_owned(),
        MINUTE_MS..HOUR_MS => format!("{} min ago", age / MINUTE_MS),
        HOUR_MS..DAY_MS => format!("{} h ago", age / HOUR_MS),
        DAY_MS..RELATIVE_LIMIT_MS => match age / DAY_MS {
            1 => "yesterday".to_owned(),
            days => format!("{days} days ago"),
        },
        _ => local_date(then_ms),
    }
}

/// The browser's local date, e.g. "3/14/2025" (locale dependent).
pub fn local_date(ms: i64) -> String {
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
        .to_locale_date_string("default", &JsValue::UNDEFINED)
        .into()
}

/// The browser's local date and time, for tooltips.
pub fn local_date_time(ms: i64) -> String {
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
        .to_locale_string("default", &JsValue::UNDEFINED)
        .into()
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The label a user sees for an itinerary kind.
pub fn itinerary_label(kind: ItineraryKind) -> &'static str {
    match kind {
        ItineraryKind::Linear => "Linear",
        ItineraryKind::Omnichannel => "Omnichannel",
        ItineraryKind::Personalized => "Personalized",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_750_000_000_000;

    #[test]
    fn recent_edits_read_as_relative_times() {
        assert_eq!(edited_ago(NOW - 5_000, NOW), "just now");
        assert_eq!(edited_ago(NOW + 5_000, NOW), "just now");
        assert_eq!(edited_ago(NOW - 5 * MINUTE_MS, NOW), "5 min ago");
        assert_eq!(edited_ago(NOW - 3 * HOUR_MS, NOW), "3 h ago");
        assert_eq!(edited_ago(NOW - DAY_MS, NOW), "yesterday");
        assert_eq!(edited_ago(NOW - 3 * DAY_MS, NOW), "3 days ago");
    }
}
