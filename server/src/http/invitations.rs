//! Invitations: an owner invites an address with a role; the invitation is a single-use
//! secret passed on as a link (`/invite/{secret}`), mailed when SMTP is configured and
//! shown to the owner once. Only that link — or, for an account that proved it owns the
//! address, the invitation in its inbox — turns it into a membership. Owners alone see
//! pending invitations.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use parcours_shared::api::{
    AcceptedInvitation, InboxKind, InvitationPreview, Invite, InviteResult, INVITATION_DAYS,
};
use parcours_shared::ids::{MapId, Role};
use parcours_shared::words::Worded;
use parcours_shared::Language;

use super::access::{require_role, token_hash};
use super::extract::{parse_id, ApiJson};
use crate::auth::{normalize_email, AuthUser};
use crate::error::ApiError;
use crate::mail::Mail;
use crate::store::{InvitationRecord, NewInboxItem, NewInvitation, UserRecord};
use crate::util::{now_ms, random_id};
use crate::AppState;

/// Length of an invitation secret, `[a-z0-9]` (~165 bits).
const INVITATION_TOKEN_LEN: usize = 32;
/// How long an invitation link works.
const INVITATION_MS: i64 = INVITATION_DAYS * 24 * 3600 * 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/maps/{id}/members", post(invite))
        .route("/api/maps/{id}/invitations/{inv}", delete(revoke))
        .route("/api/maps/{id}/invitations/{inv}/resend", post(resend))
        .route("/api/maps/{id}/invitation/accept", post(accept_from_inbox))
        .route("/api/invitations/{token}", get(preview))
        .route("/api/invitations/{token}/accept", post(accept))
}

/// `POST /api/maps/{id}/members`: invites an address (201 with the link).
async fn invite(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Invite>,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    let email = normalize_email(&body.email)?;
    let account = state.store.user_by_email(&email).await?;
    if let Some(account) = &account {
        if state.store.role_of(&map, &account.id).await?.is_some() {
            return Err(ApiError::conflict(
                "already_member",
                "this address belongs to a member already; change its role instead",
            ));
        }
    }
    let lang = crate::locale::preferred(&headers);
    let invited = (email.as_str(), body.role);
    let result = send_invitation(&state, &map, invited, &user, account.as_ref(), lang).await?;
    Ok((StatusCode::CREATED, Json(result)).into_response())
}

/// `POST /api/maps/{id}/invitations/{inv}/resend`: a new secret for a pending
/// invitation (the old link stops working), mailed again.
async fn resend(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, inv)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    let pending = state
        .store
        .invitations(&map, now_ms())
        .await?
        .into_iter()
        .find(|i| i.id == inv)
        .ok_or(ApiError::NotFound("invitation"))?;
    let account = state.store.user_by_email(&pending.email).await?;
    let result = send_invitation(
        &state,
        &map,
        (&pending.email, pending.role),
        &user,
        account.as_ref(),
        crate::locale::preferred(&headers),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(result)).into_response())
}

/// `DELETE /api/maps/{id}/invitations/{inv}`: withdraws it (204).
async fn revoke(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, inv)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    if !state
        .store
        .revoke_invitation(&map, &inv, &user.id, now_ms())
        .await?
    {
        return Err(ApiError::NotFound("invitation"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/invitations/{token}`: what the link invites to (no sign-in needed).
async fn preview(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<InvitationPreview>, ApiError> {
    let invitation = live_invitation(&state, &token).await?;
    let map_title = state.review().map_title(&invitation.map_id).await?;
    let invited_by = state
        .store
        .user_by_id(&invitation.invited_by)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    Ok(Json(InvitationPreview {
        map_id: invitation.map_id,
        map_title,
        role: invitation.role,
        invited_by,
        email: invitation.email,
        expires_at: invitation.expires_at,
    }))
}

/// `POST /api/invitations/{token}/accept`: the signed-in account joins with the role.
async fn accept(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(token): Path<String>,
) -> Result<Json<AcceptedInvitation>, ApiError> {
    let invitation = live_invitation(&state, &token).await?;
    Ok(Json(join(&state, &invitation, &user).await?))
}

/// `POST /api/maps/{id}/invitation/accept`: accepts, from the inbox, the invitation of
/// the caller's address to this map — only for an account that proved it receives mail
/// there (anyone may sign up with any address; only the mailbox's owner holds the link).
async fn accept_from_inbox(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Json<AcceptedInvitation>, ApiError> {
    let map = parse_id(&id)?;
    if user.email_verified_at.is_none() {
        return Err(ApiError::Forbidden(
            "verify your email address first, or open the invitation link sent to it",
        ));
    }
    let invitation = state
        .store
        .invitation_for(&map, &user.email, now_ms())
        .await?
        .ok_or(ApiError::NotFound("invitation"))?;
    Ok(Json(join(&state, &invitation, &user).await?))
}

/// Signs up or accepts with an invitation token: the invitation, if live.
pub(crate) async fn live_invitation(
    state: &AppState,
    token: &str,
) -> Result<InvitationRecord, ApiError> {
    state
        .store
        .invitation_by_token_hash(&token_hash(token), now_ms())
        .await?
        .ok_or(ApiError::NotFound("invitation"))
}

/// Makes `user` a member through `invitation` (once) and tells its open sockets.
pub(crate) async fn join(
    state: &AppState,
    invitation: &InvitationRecord,
    user: &UserRecord,
) -> Result<AcceptedInvitation, ApiError> {
    let role = state
        .store
        .accept_invitation(invitation, &user.id, &user.email, now_ms())
        .await?
        .ok_or(ApiError::NotFound("invitation"))?;
    state
        .rooms
        .set_access(&invitation.map_id, &user.id, Some(role))
        .await;
    state
        .store
        .remove_invitation_items(&user.id, &invitation.map_id)
        .await?;
    tracing::info!(map = %invitation.map_id, user = %user.id, "invitation accepted");
    Ok(AcceptedInvitation {
        map_id: invitation.map_id.clone(),
        role,
    })
}

/// Stores a new secret for `email`'s invitation, mails the link when SMTP is set, and
/// tells an existing account with that address in its inbox.
async fn send_invitation(
    state: &AppState,
    map: &MapId,
    (email, role): (&str, Role),
    inviter: &UserRecord,
    account: Option<&UserRecord>,
    lang: Language,
) -> Result<InviteResult, ApiError> {
    let now = now_ms();
    let token = random_id(INVITATION_TOKEN_LEN);
    let invitation = state
        .store
        .invite(
            &NewInvitation {
                map,
                email,
                role,
                token_hash: &token_hash(&token),
                invited_by: &inviter.id,
                now,
                expires_at: now + INVITATION_MS,
            },
            &random_id(12),
        )
        .await?;
    let link = format!("/invite/{token}");
    let title = state.review().map_title(map).await?;
    let emailed = if state.mailer.enabled() {
        let mail = Mail::invitation(
            lang,
            email,
            &inviter.display_name,
            &title,
            role,
            INVITATION_DAYS,
            &format!("{}{link}", state.config.public_url()),
        );
        match state.mailer.send(mail).await {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(map = %map, %error, "invitation mail not sent");
                false
            }
        }
    } else {
        false
    };
    if let Some(account) = account {
        // One item per invitation: sending again replaces the earlier one.
        state
            .store
            .remove_invitation_items(&account.id, map)
            .await?;
        let parts = Worded::new(
            "invitation",
            &[
                ("author", &inviter.display_name),
                ("map", &title),
                ("role", &role.as_str()),
            ],
        );
        state
            .review()
            .deliver(vec![NewInboxItem {
                user: account.id.clone(),
                map: map.clone(),
                kind: InboxKind::Invitation,
                thread: None,
                round: None,
                parts,
            }])
            .await?;
    }
    tracing::info!(map = %map, emailed, "invitation sent");
    Ok(InviteResult {
        invitation: invitation.view(),
        link,
        emailed,
        existing_account: account.is_some(),
    })
}
