//! Who may open a map and how: members, invitations, share links, ownership, and the
//! audit trail of those changes.

use gloo_net::http::Request;
use parcours_shared::api::{
    AcceptedInvitation, AcceptedLink, AuditLog, ChangeRole, CreateLink, InvitationPreview, Invite,
    InviteResult, LinkList, Member, MemberList, ShareLink, TransferOwnership,
};
use parcours_shared::ids::UserId;
use parcours_shared::MapId;

use super::{fetch, fetch_json, fetch_no_content, ApiError, API_BASE};
use crate::route::percent_encode;

/// `GET /api/maps/{id}/members` (any member): the members, and for an owner the pending
/// invitations (empty for anyone else).
pub async fn members(map: MapId) -> Result<MemberList, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps/{map}/members"))).await
}

/// `POST /api/maps/{id}/members` (owner; 201): invites the address. Nobody joins yet: the
/// answer carries the invitation's single-use link (shown this once), which whoever
/// opens it accepts. 409 `already_member` for a member's address.
pub async fn invite(map: MapId, body: Invite) -> Result<InviteResult, ApiError> {
    fetch_json(
        Request::post(&format!("{API_BASE}/maps/{map}/members")),
        &body,
    )
    .await
}

/// `POST /api/maps/{id}/invitations/{inv}/resend` (owner; 201): a new link for a pending
/// invitation (mailed again if the server mails); the old link stops working.
pub async fn resend_invitation(map: MapId, invitation: String) -> Result<InviteResult, ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/invitations/{}/resend",
        percent_encode(&invitation)
    );
    fetch(Request::post(&url)).await
}

/// `DELETE /api/maps/{id}/invitations/{inv}` (owner; 204): withdraws a pending
/// invitation; its link stops working.
pub async fn withdraw_invitation(map: MapId, invitation: String) -> Result<(), ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/invitations/{}",
        percent_encode(&invitation)
    );
    fetch_no_content::<()>(Request::delete(&url), None).await
}

/// `GET /api/invitations/{secret}` (no sign-in needed): what an invitation link offers.
/// 404 for an unknown, used, withdrawn, replaced or expired link.
pub async fn invitation_preview(secret: String) -> Result<InvitationPreview, ApiError> {
    let url = format!("{API_BASE}/invitations/{}", percent_encode(&secret));
    fetch(Request::get(&url)).await
}

/// `POST /api/invitations/{secret}/accept` (signed in): the account joins the map with
/// the invitation's role (never lowering a higher one); the link then stops working.
pub async fn accept_invitation(secret: String) -> Result<AcceptedInvitation, ApiError> {
    let url = format!("{API_BASE}/invitations/{}/accept", percent_encode(&secret));
    fetch(Request::post(&url)).await
}

/// `POST /api/maps/{id}/invitation/accept` (signed in): accepts, from the inbox, the
/// invitation of the account's address to `map`. Only for a verified address (403
/// otherwise: the link sent to the address is the way in).
pub async fn accept_inbox_invitation(map: MapId) -> Result<AcceptedInvitation, ApiError> {
    fetch(Request::post(&format!(
        "{API_BASE}/maps/{map}/invitation/accept"
    )))
    .await
}

/// `PATCH /api/maps/{id}/members/{user_id}` (owner): changes a member's role.
pub async fn change_role(map: MapId, user: UserId, body: ChangeRole) -> Result<Member, ApiError> {
    let url = format!("{API_BASE}/maps/{map}/members/{}", percent_encode(&user.0));
    fetch_json(Request::patch(&url), &body).await
}

/// `DELETE /api/maps/{id}/members/{user_id}` (owner, or the member to leave; 204).
pub async fn remove_member(map: MapId, user: UserId) -> Result<(), ApiError> {
    let url = format!("{API_BASE}/maps/{map}/members/{}", percent_encode(&user.0));
    fetch_no_content::<()>(Request::delete(&url), None).await
}

/// `POST /api/maps/{id}/transfer` (owner; 204): the member becomes the owner, the caller
/// an editor.
pub async fn transfer(map: MapId, body: TransferOwnership) -> Result<(), ApiError> {
    let url = format!("{API_BASE}/maps/{map}/transfer");
    fetch_no_content(Request::post(&url), Some(&body)).await
}

/// `GET /api/maps/{id}/links` (owner): every share link, without tokens.
pub async fn links(map: MapId) -> Result<LinkList, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps/{map}/links"))).await
}

/// `POST /api/maps/{id}/links` (owner; 201): a new link, whose `token` is shown this once.
pub async fn create_link(map: MapId, body: CreateLink) -> Result<ShareLink, ApiError> {
    fetch_json(
        Request::post(&format!("{API_BASE}/maps/{map}/links")),
        &body,
    )
    .await
}

/// `DELETE /api/maps/{id}/links/{link_id}` (owner; 204): revokes a link; with
/// `remove_members`, also removes the members who joined through it.
pub async fn revoke_link(map: MapId, link: String, remove_members: bool) -> Result<(), ApiError> {
    let mut url = format!("{API_BASE}/maps/{map}/links/{}", percent_encode(&link));
    if remove_members {
        url.push_str("?remove_members=true");
    }
    fetch_no_content::<()>(Request::delete(&url), None).await
}

/// `POST /api/links/{token}/accept` (signed in): joins the link's map with its role. A
/// public link is refused (409 `public_link`): it opens the map, it never joins it.
pub async fn accept_link(token: String) -> Result<AcceptedLink, ApiError> {
    let url = format!("{API_BASE}/links/{}/accept", percent_encode(&token));
    fetch(Request::post(&url)).await
}

/// `GET /api/maps/{id}/audit` (owner): who changed access to the map, and when.
pub async fn audit(map: MapId) -> Result<AuditLog, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps/{map}/audit"))).await
}
