//! How times, kinds, roles and audit entries read on screen.

use parcours_shared::ids::Role;
use parcours_shared::{Channel, ItineraryKind, OpportunityStatus, Template};
use wasm_bindgen::JsValue;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
/// One day in milliseconds (share link expiries are chosen in days).
pub const DAY_MS: i64 = 24 * HOUR_MS;
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

// Dates are written from the browser's clock fields, not with `toLocaleString`: the
// first Intl call of a page loads the locale data (measured 70–120 ms on the map page,
// on the path to its first render). English month names, like the rest of the app.

/// Month abbreviations, January first.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The local calendar and clock fields of `ms`: (year, month 0–11, day, hour, minute).
fn local_fields(ms: i64) -> (u32, usize, u32, u32, u32) {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    (
        date.get_full_year(),
        date.get_month() as usize % 12,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
    )
}

/// The browser's local date, e.g. "14 Mar 2025".
pub fn local_date(ms: i64) -> String {
    let (year, month, day, _, _) = local_fields(ms);
    format!("{day} {} {year}", MONTHS[month])
}

/// The browser's local date and time, for tooltips, e.g. "14 Mar 2025, 09:05".
pub fn local_date_time(ms: i64) -> String {
    let (year, month, day, hour, minute) = local_fields(ms);
    format!("{day} {} {year}, {hour:02}:{minute:02}", MONTHS[month])
}

/// A short local date and time, e.g. "12 Nov, 14:03".
pub fn short_date_time(ms: i64) -> String {
    let (_, month, day, hour, minute) = local_fields(ms);
    format!("{day} {}, {hour:02}:{minute:02}", MONTHS[month])
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

/// The label a user sees for a role.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Owner => "Owner",
        Role::Editor => "Editor",
        Role::Commenter => "Commenter",
        Role::Viewer => "Viewer",
    }
}

/// What a role allows, in a few words (for select hints).
pub fn role_hint(role: Role) -> &'static str {
    match role {
        Role::Owner => "edits, shares and deletes",
        Role::Editor => "edits the map",
        Role::Commenter => "reads and comments",
        Role::Viewer => "reads only",
    }
}

/// A share link's expiry: "never", "expired", or the local date and time it ends.
pub fn link_expiry(expires_at: Option<i64>, now_ms: i64) -> String {
    match expires_at {
        None => "never".to_owned(),
        Some(at) if at <= now_ms => "expired".to_owned(),
        Some(at) => local_date_time(at),
    }
}

/// A readable sentence head for an audit `action` code; unknown codes read as they are,
/// with spaces, so a newer server's actions still make sense.
pub fn audit_action_label(action: &str) -> String {
    let label = match action {
        "member_added" => "added a member",
        "role_changed" => "changed a role",
        "member_removed" => "removed a member",
        "ownership_transferred" => "transferred ownership",
        "invitation_created" => "invited by email",
        "invitation_claimed" => "invitation claimed",
        "invitation_accepted" => "accepted an invitation",
        "invitation_revoked" => "withdrew an invitation",
        "link_created" => "created a share link",
        "link_revoked" => "revoked a share link",
        "link_accepted" => "joined through a link",
        "map_created" => "created the map",
        "map_archived" => "archived the map",
        "map_restored" => "restored the map",
        other => return other.replace('_', " "),
    };
    label.to_owned()
}

/// The name of a template in the picker.
pub fn template_label(t: Template) -> &'static str {
    match t {
        Template::Blank => "Blank map",
        Template::B2bSaas => "B2B SaaS platform",
        Template::B2bMarketplace => "B2B e-commerce marketplace",
        Template::B2cOmnichannelRetail => "B2C omnichannel retail",
        Template::RetailBank => "Retail bank",
        Template::UniversityAdmissions => "University admissions",
    }
}

/// How a channel reads on screen.
pub fn channel_label(channel: Channel) -> &'static str {
    match channel {
        Channel::Web => "Web",
        Channel::App => "App",
        Channel::Store => "Store",
        Channel::Phone => "Phone",
        Channel::Email => "Email",
        Channel::Social => "Social",
        Channel::Partner => "Partner",
        Channel::Chat => "Chat",
        Channel::Mail => "Mail",
        Channel::Other => "Other",
    }
}

/// How an opportunity status reads on screen.
pub fn status_label(status: OpportunityStatus) -> &'static str {
    match status {
        OpportunityStatus::Idea => "Idea",
        OpportunityStatus::Planned => "Planned",
        OpportunityStatus::InProgress => "In progress",
        OpportunityStatus::Done => "Done",
        OpportunityStatus::Dropped => "Dropped",
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

    #[test]
    fn link_expiry_reads_never_or_expired() {
        assert_eq!(link_expiry(None, NOW), "never");
        assert_eq!(link_expiry(Some(NOW - 1), NOW), "expired");
    }

    #[test]
    fn unknown_audit_actions_still_read() {
        assert_eq!(audit_action_label("role_changed"), "changed a role");
        assert_eq!(audit_action_label("map_renamed"), "map renamed");
    }
}
