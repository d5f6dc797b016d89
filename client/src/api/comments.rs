//! Comment threads, review rounds and the inbox (`/api/maps/{id}/threads`,
//! `/api/maps/{id}/rounds`, `/api/inbox`), and the URLs of their event streams.

use gloo_net::http::Request;
use parcours_shared::api::{
    EditComment, Inbox, MarkRead, NewComment, NewRound, NewThread, PostedComment, PostedThread,
    ReviewDone, Round, RoundDetail, RoundList, Thread, ThreadList,
};
use parcours_shared::view::MapView;
use parcours_shared::MapId;

use super::{fetch, fetch_json, fetch_no_content, ApiError, API_BASE};
use crate::route::percent_encode;

/// `GET /api/maps/{id}/threads` (any reader): every thread of the map, oldest first.
pub async fn threads(map: MapId, link: Option<String>) -> Result<ThreadList, ApiError> {
    let url = match link {
        Some(link) => format!(
            "{API_BASE}/maps/{map}/threads?link={}",
            percent_encode(&link)
        ),
        None => format!("{API_BASE}/maps/{map}/threads"),
    };
    fetch(Request::get(&url)).await
}

/// `POST /api/maps/{id}/threads` (commenters and above): a thread and its first comment.
pub async fn create_thread(map: MapId, body: NewThread) -> Result<PostedThread, ApiError> {
    fetch_json(
        Request::post(&format!("{API_BASE}/maps/{map}/threads")),
        &body,
    )
    .await
}

/// `POST /api/maps/{id}/threads/{tid}/comments` (commenters and above): a reply.
pub async fn reply(
    map: MapId,
    thread: String,
    body: NewComment,
) -> Result<PostedComment, ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/threads/{}/comments",
        percent_encode(&thread)
    );
    fetch_json(Request::post(&url), &body).await
}

/// `PATCH /api/maps/{id}/threads/{tid}/comments/{cid}` (the author): edits a comment.
pub async fn edit_comment(
    map: MapId,
    thread: String,
    comment: String,
    body: EditComment,
) -> Result<PostedComment, ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/threads/{}/comments/{}",
        percent_encode(&thread),
        percent_encode(&comment)
    );
    fetch_json(Request::patch(&url), &body).await
}

/// `DELETE /api/maps/{id}/threads/{tid}/comments/{cid}` (the author; 204).
pub async fn delete_comment(map: MapId, thread: String, comment: String) -> Result<(), ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/threads/{}/comments/{}",
        percent_encode(&thread),
        percent_encode(&comment)
    );
    fetch_no_content::<()>(Request::delete(&url), None).await
}

/// `POST /api/maps/{id}/threads/{tid}/resolve` or `/reopen` (editors, owners and the
/// thread's author).
pub async fn set_resolved(map: MapId, thread: String, resolved: bool) -> Result<Thread, ApiError> {
    let action = if resolved { "resolve" } else { "reopen" };
    let url = format!(
        "{API_BASE}/maps/{map}/threads/{}/{action}",
        percent_encode(&thread)
    );
    fetch(Request::post(&url)).await
}

/// `GET /api/maps/{id}/rounds` (members): the map's review rounds, newest first.
pub async fn rounds(map: MapId) -> Result<RoundList, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps/{map}/rounds"))).await
}

/// `POST /api/maps/{id}/rounds` (editors and owners): opens a review round; the map's
/// state is recorded as the round's start.
pub async fn open_round(map: MapId, body: NewRound) -> Result<Round, ApiError> {
    fetch_json(
        Request::post(&format!("{API_BASE}/maps/{map}/rounds")),
        &body,
    )
    .await
}

/// `GET /api/maps/{id}/rounds/{rid}` (members): the round, and its summary once closed.
pub async fn round(map: MapId, round: String) -> Result<RoundDetail, ApiError> {
    let url = format!("{API_BASE}/maps/{map}/rounds/{}", percent_encode(&round));
    fetch(Request::get(&url)).await
}

/// `POST /api/maps/{id}/rounds/{rid}/close` (editors and owners): closes it now.
pub async fn close_round(map: MapId, round: String) -> Result<Round, ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/rounds/{}/close",
        percent_encode(&round)
    );
    fetch(Request::post(&url)).await
}

/// `GET /api/maps/{id}/rounds/{rid}/start-view` (members): the map as it was when the
/// round opened.
pub async fn start_view(map: MapId, round: String) -> Result<MapView, ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/rounds/{}/start-view",
        percent_encode(&round)
    );
    fetch(Request::get(&url)).await
}

/// `POST /api/maps/{id}/rounds/{rid}/review` (a reviewer): the caller's review is done.
pub async fn review_done(map: MapId, round: String, body: ReviewDone) -> Result<Round, ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/rounds/{}/review",
        percent_encode(&round)
    );
    fetch_json(Request::post(&url), &body).await
}

/// `GET /api/inbox` (signed in): the newest page of items and the unread count.
pub async fn inbox() -> Result<Inbox, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/inbox"))).await
}

/// `GET /api/inbox?before=` (signed in): the page of items older than item `before`.
pub async fn inbox_before(before: i64) -> Result<Inbox, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/inbox?before={before}"))).await
}

/// `POST /api/inbox/read` (signed in): marks items (or all of them) read; answers the inbox.
pub async fn mark_read(body: MarkRead) -> Result<Inbox, ApiError> {
    fetch_json(Request::post(&format!("{API_BASE}/inbox/read")), &body).await
}

/// The Server-Sent Events stream of a map's threads and rounds.
pub fn map_events_url(map: &MapId, link: Option<&str>) -> String {
    match link {
        Some(link) => format!("{API_BASE}/maps/{map}/events?link={}", percent_encode(link)),
        None => format!("{API_BASE}/maps/{map}/events"),
    }
}

/// The Server-Sent Events stream of the caller's new inbox items.
pub const INBOX_EVENTS_URL: &str = "/api/inbox/events";
