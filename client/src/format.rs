//! How times, kinds, roles and audit entries read on screen.

use parcours_shared::audit::AuditDetail;
use parcours_shared::ids::Role;
use parcours_shared::method::MethodStep;
use parcours_shared::{Channel, ItineraryKind, LaneKind, OpportunityStatus, Template};
use wasm_bindgen::JsValue;

use crate::i18n::{fill, lang, t, Lang};

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
        ..MINUTE_MS => t().just_now.to_owned(),
        MINUTE_MS..HOUR_MS => fill(t().minutes_ago, &[("n", &(age / MINUTE_MS))]),
        HOUR_MS..DAY_MS => fill(t().hours_ago, &[("n", &(age / HOUR_MS))]),
        DAY_MS..RELATIVE_LIMIT_MS => match age / DAY_MS {
            1 => t().yesterday.to_owned(),
            days => fill(t().days_ago, &[("n", &days)]),
        },
        _ => local_date(then_ms),
    }
}

// Dates are written from the browser's clock fields, not with `toLocaleString`: the
// first Intl call of a page loads the locale data (measured 70–120 ms on the map page,
// on the path to its first render). Month names in the language shown.

/// Month abbreviations, January first.
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// French month abbreviations, January first.
const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

/// The abbreviation of month `index` (0–11) in the language shown.
fn month(index: usize) -> &'static str {
    let months = match lang() {
        Lang::En => &MONTHS_EN,
        Lang::Fr => &MONTHS_FR,
    };
    months[index % 12]
}

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

/// The browser's local date, e.g. "14 Mar 2025" ("14 mars 2025").
pub fn local_date(ms: i64) -> String {
    let (year, m, day, _, _) = local_fields(ms);
    format!("{day} {} {year}", month(m))
}

/// The browser's local date and time, for tooltips, e.g. "14 Mar 2025, 09:05"
/// ("14 mars 2025 à 09:05").
pub fn local_date_time(ms: i64) -> String {
    let (year, m, day, hour, minute) = local_fields(ms);
    let date = format!("{day} {} {year}", month(m));
    date_at(&date, hour, minute)
}

/// A short local date and time, e.g. "12 Nov, 14:03" ("12 nov. à 14:03").
pub fn short_date_time(ms: i64) -> String {
    let (_, m, day, hour, minute) = local_fields(ms);
    let date = format!("{day} {}", month(m));
    date_at(&date, hour, minute)
}

/// A date and a clock time together.
fn date_at(date: &str, hour: u32, minute: u32) -> String {
    let time = format!("{hour:02}:{minute:02}");
    fill(t().date_at_time, &[("date", &date), ("time", &time)])
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The label a user sees for an itinerary kind.
pub fn itinerary_label(kind: ItineraryKind) -> &'static str {
    match kind {
        ItineraryKind::Linear => t().itinerary_linear,
        ItineraryKind::Omnichannel => t().itinerary_omnichannel,
        ItineraryKind::Personalized => t().itinerary_personalized,
    }
}

/// How a lane kind reads on screen (and the name a new lane of it gets).
pub fn lane_kind_label(kind: LaneKind) -> &'static str {
    match kind {
        LaneKind::Actions => t().lane_actions,
        LaneKind::Touchpoints => t().lane_touchpoints,
        LaneKind::Thoughts => t().lane_thoughts,
        LaneKind::Emotions => t().lane_emotions,
        LaneKind::PainPoints => t().lane_pain_points,
        LaneKind::Opportunities => t().lane_opportunities,
        LaneKind::Kpis => t().lane_kpis,
        LaneKind::Backstage => t().lane_backstage,
        LaneKind::Notes => t().lane_notes,
    }
}

/// What a step of the method asks the team to do.
pub fn step_title(step: MethodStep) -> &'static str {
    match step {
        MethodStep::Objectives => t().step_objectives,
        MethodStep::Personas => t().step_personas,
        MethodStep::Touchpoints => t().step_touchpoints,
        MethodStep::PainsAndEmotions => t().step_pains,
        MethodStep::Journey => t().step_journey,
        MethodStep::Validation => t().step_validation,
    }
}

/// The label a user sees for a role.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Owner => t().role_owner,
        Role::Editor => t().role_editor,
        Role::Commenter => t().role_commenter,
        Role::Viewer => t().role_viewer,
    }
}

/// What a role allows, in a few words (for select hints).
pub fn role_hint(role: Role) -> &'static str {
    match role {
        Role::Owner => t().role_owner_hint,
        Role::Editor => t().role_editor_hint,
        Role::Commenter => t().role_commenter_hint,
        Role::Viewer => t().role_viewer_hint,
    }
}

/// A share link's expiry: "never", "expired", or the local date and time it ends.
pub fn link_expiry(expires_at: Option<i64>, now_ms: i64) -> String {
    match expires_at {
        None => t().expiry_never.to_owned(),
        Some(at) if at <= now_ms => t().expiry_expired.to_owned(),
        Some(at) => local_date_time(at),
    }
}

/// A readable sentence head for an audit `action` code; unknown codes read as they are,
/// with spaces, so a newer server's actions still make sense.
pub fn audit_action_label(action: &str) -> String {
    let label = match action {
        "member_added" => t().audit_member_added,
        "role_changed" => t().audit_role_changed,
        "member_removed" => t().audit_member_removed,
        "ownership_transferred" => t().audit_ownership_transferred,
        "invitation_created" => t().audit_invitation_created,
        "invitation_claimed" => t().audit_invitation_claimed,
        "invitation_accepted" => t().audit_invitation_accepted,
        "invitation_revoked" => t().audit_invitation_revoked,
        "link_created" => t().audit_link_created,
        "link_revoked" => t().audit_link_revoked,
        "link_accepted" => t().audit_link_accepted,
        "map_created" => t().audit_map_created,
        "map_archived" => t().audit_map_archived,
        "map_restored" => t().audit_map_restored,
        other => return other.replace('_', " "),
    };
    label.to_owned()
}

/// An audit entry's detail in the language shown. The server writes the fixed English
/// forms of `parcours_shared::audit::AuditDetail`, which reads them back here ("as
/// editor", "viewer -> editor", a link's role and reach, an invitation accepted…);
/// a detail of any other form reads as written.
pub fn audit_detail_label(detail: &str) -> String {
    let role = |r: Role| role_label(r).to_lowercase();
    let Some(read) = AuditDetail::read(detail) else {
        return detail.to_owned();
    };
    let t = t();
    match read {
        AuditDetail::Nothing => String::new(),
        AuditDetail::Transferred => t.audit_transferred.to_owned(),
        AuditDetail::Role(r) => role(r),
        AuditDetail::As(r) => fill(t.audit_as_role, &[("role", &role(r))]),
        AuditDetail::JoinedAs(r) => fill(t.audit_joined_as, &[("role", &role(r))]),
        AuditDetail::Was(r) => fill(t.audit_was_role, &[("role", &role(r))]),
        AuditDetail::Changed { from, to } => fill(
            t.audit_role_change,
            &[("from", &role(from)), ("to", &role(to))],
        ),
        AuditDetail::Public { role: r, comments } => fill(
            if comments {
                t.audit_public_with_comments
            } else {
                t.audit_public_without_comments
            },
            &[("role", &role(r))],
        ),
        AuditDetail::MembersRemoved(n) => fill(t.audit_members_removed, &[("n", &n)]),
        AuditDetail::Accepted {
            invited,
            role: r,
            by,
        } => fill(
            t.audit_accepted_detail,
            &[("invited", &invited), ("role", &role(r)), ("by", &by)],
        ),
    }
}

/// The name of a template in the picker.
pub fn template_label(template: Template) -> &'static str {
    match template {
        Template::Blank => t().template_blank,
        Template::B2bSaas => t().template_b2b_saas,
        Template::B2bMarketplace => t().template_b2b_marketplace,
        Template::B2cOmnichannelRetail => t().template_b2c_retail,
        Template::RetailBank => t().template_retail_bank,
        Template::UniversityAdmissions => t().template_university,
    }
}

/// The title a map made from a template gets when its creator gives none.
pub fn template_title(template: Template) -> &'static str {
    match template {
        Template::Blank => t().template_blank_title,
        Template::B2bSaas => t().template_b2b_saas_title,
        Template::B2bMarketplace => t().template_b2b_marketplace_title,
        Template::B2cOmnichannelRetail => t().template_b2c_retail_title,
        Template::RetailBank => t().template_retail_bank_title,
        Template::UniversityAdmissions => t().template_university_title,
    }
}

/// What a template holds, in one sentence (the shared crate's words, in the
/// language shown).
pub fn template_description(template: Template) -> &'static str {
    match template {
        Template::Blank => t().template_blank_about,
        Template::B2bSaas => t().template_b2b_saas_about,
        Template::B2bMarketplace => t().template_b2b_marketplace_about,
        Template::B2cOmnichannelRetail => t().template_b2c_retail_about,
        Template::RetailBank => t().template_retail_bank_about,
        Template::UniversityAdmissions => t().template_university_about,
    }
}

/// How a channel reads on screen.
pub fn channel_label(channel: Channel) -> &'static str {
    match channel {
        Channel::Web => t().channel_web,
        Channel::App => t().channel_app,
        Channel::Store => t().channel_store,
        Channel::Phone => t().channel_phone,
        Channel::Email => t().channel_email,
        Channel::Social => t().channel_social,
        Channel::Partner => t().channel_partner,
        Channel::Chat => t().channel_chat,
        Channel::Mail => t().channel_mail,
        Channel::Other => t().channel_other,
    }
}

/// How an opportunity status reads on screen.
pub fn status_label(status: OpportunityStatus) -> &'static str {
    match status {
        OpportunityStatus::Idea => t().status_idea,
        OpportunityStatus::Planned => t().status_planned,
        OpportunityStatus::InProgress => t().status_in_progress,
        OpportunityStatus::Done => t().status_done,
        OpportunityStatus::Dropped => t().status_dropped,
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
    fn audit_details_read_as_the_server_wrote_them_in_english() {
        for detail in [
            "as commenter",
            "commenter -> viewer",
            "was editor",
            "joined as viewer",
            "viewer, public, without comments",
            "2 members who joined through it removed",
            "owner -> editor; new owner",
            "invitation to ana@example.com as viewer accepted by ana.b@example.com",
            "",
            "something newer",
        ] {
            assert_eq!(audit_detail_label(detail), detail);
        }
    }

    #[test]
    fn unknown_audit_actions_still_read() {
        assert_eq!(audit_action_label("role_changed"), "changed a role");
        assert_eq!(audit_action_label("map_renamed"), "map renamed");
    }
}
