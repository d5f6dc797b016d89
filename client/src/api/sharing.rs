//! Who may open a map and how: members, invitations, share links, ownership, and the
//! audit trail of those changes.

use gloo_net::http::Request;
use parcours_shared::api::{
    AcceptedLink, AuditLog, ChangeRole, CreateLink, Invite, InviteResult, LinkList, Member,
    MemberList, ShareLink, TransferOwnership,
};
use parcours_shared::ids::UserId;
use parcours_shared::MapId;

use super::{fetch, fetch_json, fetch_no_content, ApiError, API_BASE};
use crate::route::percent_encode;

/// `GET /api/maps/{id}/members` (any member): members and pending invitations.
pub async fn members(map: MapId) -> Result<MemberList, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps/{map}/members"))).await
}

/// `POST /api/maps/{id}/members` (owner): adds the account with that email, or invites
/// the email when it has no account yet (it joins at sign-up).
pub async fn invite(map: MapId, body: Invite) -> Result<InviteResult, ApiError> {
    fetch_json(
        Request::post(&format!("{API_BASE}/maps/{map}/members")),
        &body,
    )
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

/// `DELETE /api/maps/{id}/links/{link_id}` (owner; 204): revokes a link.
pub async fn revoke_link(map: MapId, link: String) -> Result<(), ApiError> {
    let url = format!("{API_BASE}/maps/{map}/links/{}", percent_encode(&link));
    fetch_no_content::<()>(Request::delete(&url), None).await
}

/// `POST /api/links/{token}/accept` (signed in): joins the link's map with its role.
pub async fn accept_link(token: String) -> Result<AcceptedLink, ApiError> {
    let url = format!("{API_BASE}/links/{}/accept", percent_encode(&token));
    fetch(Request::post(&url)).await
}

/// `GET /api/maps/{id}/audit` (owner): who changed access to the map, and when.
pub async fn audit(map: MapId) -> Result<AuditLog, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps/{map}/audit"))).await
}
