//! Role checks shared by every map route: who the caller is on this map.

use parcours_shared::ids::Role;
use parcours_shared::MapId;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::store::{LinkRecord, UserRecord};
use crate::util::now_ms;
use crate::AppState;

/// The caller's role on `map` if it is at least `min`: 404 for an unknown map, 403 for
/// a non-member or a lower role.
pub async fn require_role(
    state: &AppState,
    map: &MapId,
    user: &UserRecord,
    min: Role,
) -> Result<Role, ApiError> {
    match state.store.role_of(map, &user.id).await? {
        Some(role) if role >= min => Ok(role),
        Some(_) => Err(ApiError::Forbidden(
            "your role on this map does not allow this",
        )),
        None => {
            if state.store.get_map(map).await?.is_none() {
                Err(ApiError::NotFound("map"))
            } else {
                Err(ApiError::Forbidden("you are not a member of this map"))
            }
        }
    }
}

/// Who may read `map`: a member (any role), or anyone holding a live public link to it
/// (as a viewer). Returns the role and, for a link, the link. 401 for an anonymous
/// caller without a valid link, 403 for a signed-in non-member.
pub async fn reader(
    state: &AppState,
    map: &MapId,
    user: Option<&UserRecord>,
    link_token: Option<&str>,
) -> Result<(Role, Option<LinkRecord>), ApiError> {
    if let Some(user) = user {
        if let Some(role) = state.store.role_of(map, &user.id).await? {
            return Ok((role, None));
        }
    }
    if let Some(token) = link_token {
        if let Some(link) = state.store.link_by_token_hash(&token_hash(token)).await? {
            if link.public && link.map_id == *map && link.is_live(now_ms()) {
                return Ok((Role::Viewer, Some(link)));
            }
        }
    }
    if state.store.get_map(map).await?.is_none() {
        return Err(ApiError::NotFound("map"));
    }
    match user {
        Some(_) => Err(ApiError::Forbidden("you are not a member of this map")),
        None => Err(ApiError::Unauthorized),
    }
}

/// [`reader`] for a map's discussion (threads, rounds, their events): a public link
/// gives it only when it was made to include comments; otherwise 403.
pub async fn discussion_reader(
    state: &AppState,
    map: &MapId,
    user: Option<&UserRecord>,
    link_token: Option<&str>,
) -> Result<(Role, Option<LinkRecord>), ApiError> {
    let (role, link) = reader(state, map, user, link_token).await?;
    if link.as_ref().is_some_and(|l| !l.include_comments) {
        return Err(ApiError::Forbidden(
            "this public link shows the map, not its comments and review rounds",
        ));
    }
    Ok((role, link))
}

/// What is stored for a share-link token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
