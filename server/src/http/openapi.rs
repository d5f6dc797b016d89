//! `GET /api/openapi.json`: the OpenAPI 3.1 document of every route, built from the
//! table below and the JSON Schemas the shared API types derive (`schemars`, the
//! `schema` feature of `parcours-shared`), so a field added to a type is documented
//! by the same build. `GET /api/docs`: the same document as an HTML reference page,
//! rendered here (no script, no CDN). `tests/openapi.rs` fails when a route of the
//! router is missing from the table, and validates the document.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use parcours_shared::api::*;
use parcours_shared::exchange::{ImportPreview, MapFile};
use parcours_shared::view::MapView;
use parcours_shared::ErrorBody;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{json, Map, Value};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(document))
        .route("/api/docs", get(page))
}

/// Who may call an operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone.
    Open,
    /// A signed-in account (session cookie or bearer token).
    Session,
    /// A member of the map, or anyone with a live public link (`?link=`).
    Reader,
}

type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn s<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// A request or response body.
#[derive(Clone, Copy)]
enum Body {
    None,
    Json(SchemaFn),
    /// Raw bytes of a media type, described in words.
    Raw(&'static str, &'static str),
}

/// One operation of the API.
struct Op {
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    access: Access,
    /// Query parameters: name, description.
    query: &'static [(&'static str, &'static str)],
    body: Body,
    /// Success status and body.
    ok: (u16, Body),
    /// Error statuses beyond those implied by `access` and `body`.
    errors: &'static [u16],
}

const LINK: (&str, &str) = (
    "link",
    "token of a public share link, for visitors without an account",
);

macro_rules! op {
    ($method:literal $path:literal, $tag:literal, $summary:literal, $access:ident,
     query: [$($q:expr),*], body: $body:expr, ok: $status:literal $ok:expr, errors: [$($e:literal),*]) => {
        Op {
            method: $method,
            path: $path,
            tag: $tag,
            summary: $summary,
            access: Access::$access,
            query: &[$($q),*],
            body: $body,
            ok: ($status, $ok),
            errors: &[$($e),*],
        }
    };
}

/// Every route of the router (`tests/openapi.rs` checks this against the code).
fn operations() -> Vec<Op> {
    use Body::{Json, None as Empty, Raw};
    vec![
        op!("post" "/api/auth/signup", "accounts", "Create an account and a session (sets the session cookie)", Open,
            query: [], body: Json(s::<SignUp>), ok: 201 Json(s::<Session>), errors: [403, 409, 422, 429]),
        op!("post" "/api/auth/login", "accounts", "Sign in (sets the session cookie)", Open,
            query: [], body: Json(s::<Login>), ok: 200 Json(s::<Session>), errors: [401, 422, 429]),
        op!("post" "/api/auth/logout", "accounts", "End every session of the account", Session,
            query: [], body: Empty, ok: 204 Empty, errors: []),
        op!("post" "/api/auth/password", "accounts", "Change the password (ends other sessions)", Session,
            query: [], body: Json(s::<ChangePassword>), ok: 200 Json(s::<Session>), errors: [422, 429]),
        op!("get" "/api/me", "accounts", "The signed-in account", Session,
            query: [], body: Empty, ok: 200 Json(s::<Me>), errors: []),
        op!("get" "/api/session", "accounts", "Who is signed in: the account, or null (never 401)", Open,
            query: [], body: Empty, ok: 200 Json(s::<SessionStatus>), errors: []),
        op!("post" "/api/auth/verify-email", "accounts", "Send a link that verifies the account's address", Session,
            query: [], body: Empty, ok: 204 Empty, errors: [409, 429]),
        op!("post" "/api/auth/verify-email/{token}", "accounts", "Verify the address with the mailed link's secret", Open,
            query: [], body: Empty, ok: 204 Empty, errors: [404]),
        op!("get" "/api/maps", "maps", "Maps the account is a member of", Session,
            query: [("archived", "true to include archived maps")], body: Empty, ok: 200 Json(s::<MapList>), errors: []),
        op!("post" "/api/maps", "maps", "Create a map, blank or from a template", Session,
            query: [], body: Json(s::<CreateMap>), ok: 201 Json(s::<MapSummary>), errors: [422]),
        op!("get" "/api/maps/{id}", "maps", "A map: its summary and whole JSON view", Reader,
            query: [LINK], body: Empty, ok: 200 Json(s::<MapDetail>), errors: []),
        op!("patch" "/api/maps/{id}", "maps", "Archive or restore a map (owners)", Session,
            query: [], body: Json(s::<UpdateMap>), ok: 200 Json(s::<MapSummary>), errors: [422]),
        op!("delete" "/api/maps/{id}", "maps", "Delete a map and everything in it (owners)", Session,
            query: [], body: Empty, ok: 204 Empty, errors: []),
        op!("get" "/api/maps/{id}/export", "exchange", "Download the map (or a past version) as PDF, PNG, SVG, CSV or the JSON map file", Reader,
            query: [("format", "pdf (default), png, svg, csv or json"), ("paper", "PDF paper: poster (default, one page), a4 or a3 (landscape pages by stage range)"),
                    ("scale", "PNG scale: 1 (default) or 2"), ("version", "id of a version to export instead of the live map"),
                    ("at", "a moment (ms since the epoch) to export instead of the live map"),
                    ("lang", "en or fr: the drawing's own words (else Accept-Language)"), LINK],
            body: Empty, ok: 200 Raw("application/octet-stream", "the file; its media type is the format's (application/pdf, image/png, image/svg+xml, text/csv, application/json — the JSON one is a MapFile)"),
            errors: [410, 413, 422]),
        op!("post" "/api/maps/import/preview", "exchange", "What importing a file would create, or every problem with its place; stores nothing", Session,
            query: [("format", "json (the map file, default) or csv (a card table)"), ("title", "title of the new map")],
            body: Raw("application/octet-stream", "the file: a MapFile (JSON) or a CSV card table with the columns stage, lane, text and optionally lane_kind, channel, owner, status, kpi_baseline, kpi_current, kpi_target, kpi_unit, path"),
            ok: 200 Json(s::<ImportPreview>), errors: [413]),
        op!("post" "/api/maps/import", "exchange", "Create a map owned by the caller from a map file or a card table (all or nothing; 422 lists the problems)", Session,
            query: [("format", "json (default) or csv"), ("title", "title of the new map")],
            body: Raw("application/octet-stream", "the file, as for the preview"),
            ok: 201 Json(s::<MapSummary>), errors: [413]),
        op!("get" "/api/maps/{id}/members", "sharing", "Members (and, for owners, pending invitations)", Session,
            query: [], body: Empty, ok: 200 Json(s::<MemberList>), errors: []),
        op!("post" "/api/maps/{id}/members", "sharing", "Invite an address with a role (owners); the answer holds the invitation link", Session,
            query: [], body: Json(s::<Invite>), ok: 201 Json(s::<InviteResult>), errors: [409, 422, 429]),
        op!("patch" "/api/maps/{id}/members/{user_id}", "sharing", "Change a member's role (owners)", Session,
            query: [], body: Json(s::<ChangeRole>), ok: 200 Json(s::<Member>), errors: [409, 422]),
        op!("delete" "/api/maps/{id}/members/{user_id}", "sharing", "Remove a member (owners), or leave", Session,
            query: [], body: Empty, ok: 204 Empty, errors: [409]),
        op!("post" "/api/maps/{id}/transfer", "sharing", "Make another member the owner (owners)", Session,
            query: [], body: Json(s::<TransferOwnership>), ok: 204 Empty, errors: [409, 422]),
        op!("delete" "/api/maps/{id}/invitations/{inv}", "sharing", "Withdraw a pending invitation (owners)", Session,
            query: [], body: Empty, ok: 204 Empty, errors: []),
        op!("post" "/api/maps/{id}/invitations/{inv}/resend", "sharing", "Send a pending invitation again with a new link (owners)", Session,
            query: [], body: Empty, ok: 201 Json(s::<InviteResult>), errors: [429]),
        op!("post" "/api/maps/{id}/invitation/accept", "sharing", "Accept an invitation to this map from the inbox (verified address)", Session,
            query: [], body: Empty, ok: 200 Json(s::<AcceptedInvitation>), errors: [409]),
        op!("get" "/api/invitations/{token}", "sharing", "What an invitation link offers", Open,
            query: [], body: Empty, ok: 200 Json(s::<InvitationPreview>), errors: [404]),
        op!("post" "/api/invitations/{token}/accept", "sharing", "Accept an invitation link", Session,
            query: [], body: Empty, ok: 200 Json(s::<AcceptedInvitation>), errors: [404, 409]),
        op!("get" "/api/maps/{id}/links", "sharing", "Share links (owners)", Session,
            query: [], body: Empty, ok: 200 Json(s::<LinkList>), errors: []),
        op!("post" "/api/maps/{id}/links", "sharing", "Create a share link (owners); its token is shown once", Session,
            query: [], body: Json(s::<CreateLink>), ok: 201 Json(s::<ShareLink>), errors: [422]),
        op!("delete" "/api/maps/{id}/links/{link_id}", "sharing", "Revoke a share link (owners)", Session,
            query: [("remove_members", "true to also remove who joined through it")], body: Empty, ok: 204 Empty, errors: []),
        op!("post" "/api/links/{token}/accept", "sharing", "Join a map through a member share link", Session,
            query: [], body: Empty, ok: 200 Json(s::<AcceptedLink>), errors: [404, 409]),
        op!("get" "/api/maps/{id}/audit", "sharing", "The map's audit trail (owners)", Session,
            query: [("after", "entry id to page after"), ("limit", "page size, 1 to 200")], body: Empty, ok: 200 Json(s::<AuditLog>), errors: [422]),
        op!("get" "/api/maps/{id}/threads", "comments", "Comment threads", Reader,
            query: [("status", "open or resolved"), ("round", "threads of one review round"), ("mine", "true: threads I wrote in"), LINK],
            body: Empty, ok: 200 Json(s::<ThreadList>), errors: [422]),
        op!("post" "/api/maps/{id}/threads", "comments", "Open a thread anchored to the map, a stage, lane, cell or card", Session,
            query: [], body: Json(s::<NewThread>), ok: 201 Json(s::<PostedThread>), errors: [422]),
        op!("post" "/api/maps/{id}/threads/{tid}/comments", "comments", "Reply in a thread", Session,
            query: [], body: Json(s::<NewComment>), ok: 201 Json(s::<PostedComment>), errors: [422]),
        op!("patch" "/api/maps/{id}/threads/{tid}/comments/{cid}", "comments", "Edit your comment", Session,
            query: [], body: Json(s::<EditComment>), ok: 200 Json(s::<PostedComment>), errors: [422]),
        op!("delete" "/api/maps/{id}/threads/{tid}/comments/{cid}", "comments", "Delete your comment", Session,
            query: [], body: Empty, ok: 204 Empty, errors: []),
        op!("post" "/api/maps/{id}/threads/{tid}/resolve", "comments", "Resolve a thread", Session,
            query: [], body: Empty, ok: 200 Json(s::<Thread>), errors: []),
        op!("post" "/api/maps/{id}/threads/{tid}/reopen", "comments", "Reopen a thread", Session,
            query: [], body: Empty, ok: 200 Json(s::<Thread>), errors: []),
        op!("get" "/api/maps/{id}/rounds", "comments", "Review rounds", Reader,
            query: [LINK], body: Empty, ok: 200 Json(s::<RoundList>), errors: []),
        op!("post" "/api/maps/{id}/rounds", "comments", "Open a review round (editors)", Session,
            query: [], body: Json(s::<NewRound>), ok: 201 Json(s::<Round>), errors: [409, 422]),
        op!("get" "/api/maps/{id}/rounds/{rid}", "comments", "A round with its summary", Reader,
            query: [LINK], body: Empty, ok: 200 Json(s::<RoundDetail>), errors: []),
        op!("post" "/api/maps/{id}/rounds/{rid}/review", "comments", "Give your verdict as a reviewer", Session,
            query: [], body: Json(s::<ReviewDone>), ok: 200 Json(s::<Round>), errors: [409, 422]),
        op!("post" "/api/maps/{id}/rounds/{rid}/close", "comments", "Close a round (editors)", Session,
            query: [], body: Empty, ok: 200 Json(s::<Round>), errors: [409]),
        op!("get" "/api/maps/{id}/rounds/{rid}/start-view", "comments", "The map as it was when the round opened", Reader,
            query: [LINK], body: Empty, ok: 200 Json(s::<MapView>), errors: []),
        op!("get" "/api/inbox", "comments", "The account's inbox, newest first", Session,
            query: [("before", "item id to page before"), ("limit", "page size, 1 to 200 (default 50)")], body: Empty, ok: 200 Json(s::<Inbox>), errors: [422]),
        op!("post" "/api/inbox/read", "comments", "Mark inbox items read", Session,
            query: [], body: Json(s::<MarkRead>), ok: 200 Json(s::<Inbox>), errors: [422]),
        op!("get" "/api/maps/{id}/events", "comments", "Server-sent events of the map (threads, rounds, datasets)", Reader,
            query: [LINK], body: Empty, ok: 200 Raw("text/event-stream", "one `data:` line per MapEvent (JSON)"), errors: [429]),
        op!("get" "/api/inbox/events", "comments", "Server-sent events of the account's inbox", Session,
            query: [], body: Empty, ok: 200 Raw("text/event-stream", "one `data:` line per inbox change"), errors: [429]),
        op!("get" "/api/maps/{id}/versions", "history", "Versions, newest first", Reader,
            query: [LINK], body: Empty, ok: 200 Json(s::<VersionList>), errors: []),
        op!("post" "/api/maps/{id}/versions", "history", "Name the current state (editors)", Session,
            query: [], body: Json(s::<NewVersion>), ok: 201 Json(s::<Version>), errors: [422]),
        op!("get" "/api/maps/{id}/versions/{v}/view", "history", "The map as it was at a version", Reader,
            query: [LINK], body: Empty, ok: 200 Json(s::<PastView>), errors: [410]),
        op!("get" "/api/maps/{id}/history/view", "history", "The map as it was at a moment", Reader,
            query: [("at", "ms since the epoch"), LINK], body: Empty, ok: 200 Json(s::<PastView>), errors: [410, 422]),
        op!("get" "/api/maps/{id}/history/moments", "history", "The changes between two moments, with their authors", Reader,
            query: [("from", "ms since the epoch"), ("to", "ms since the epoch"), LINK], body: Empty, ok: 200 Json(s::<Moments>), errors: [422]),
        op!("get" "/api/maps/{id}/history", "history", "One element's history: who changed what, when", Reader,
            query: [("element", "id of a card, stage, lane, persona or map field"), LINK], body: Empty, ok: 200 Json(s::<ElementHistory>), errors: [422]),
        op!("get" "/api/maps/{id}/diff", "history", "What changed between two versions or moments", Reader,
            query: [("from", "version id, moment (ms) or live"), ("to", "version id, moment (ms) or live"), LINK], body: Empty, ok: 200 Json(s::<VersionDiff>), errors: [410, 422]),
        op!("post" "/api/maps/{id}/restore", "history", "Restore the map or one element to a past state (editors)", Session,
            query: [], body: Json(s::<Restore>), ok: 200 Json(s::<Restored>), errors: [410, 422]),
        op!("get" "/api/maps/{id}/since-last-visit", "history", "What others changed since your last visit", Session,
            query: [], body: Empty, ok: 200 Json(s::<SinceLastVisit>), errors: []),
        op!("post" "/api/maps/{id}/datasets/preview", "evidence", "The first rows of an event log and its columns (editors); stores nothing", Session,
            query: [], body: Raw("text/csv", "the start of the CSV file (at most 1 MiB)"), ok: 200 Json(s::<DatasetPreview>), errors: [413, 422]),
        op!("get" "/api/maps/{id}/datasets", "evidence", "The map's event logs (members)", Reader,
            query: [], body: Empty, ok: 200 Json(s::<DatasetList>), errors: []),
        op!("post" "/api/maps/{id}/datasets", "evidence", "Import an event log (editors), streamed; progress on the map's events", Session,
            query: [("name", "dataset name"), ("case_id", "case id column"), ("activity", "activity column"), ("timestamp", "timestamp column"),
                    ("channel", "channel column"), ("segment", "segment column"), ("value", "value column"),
                    ("timestamp_format", "auto (default) or a named format"), ("delimiter", ", ; | or tab"), ("max_bad_rows", "bad rows tolerated")],
            body: Raw("text/csv", "the event log"), ok: 201 Json(s::<Dataset>), errors: [409, 413, 422]),
        op!("get" "/api/maps/{id}/datasets/{d}", "evidence", "One event log", Reader,
            query: [], body: Empty, ok: 200 Json(s::<Dataset>), errors: []),
        op!("delete" "/api/maps/{id}/datasets/{d}", "evidence", "Delete an event log (editors)", Session,
            query: [], body: Empty, ok: 204 Empty, errors: []),
        op!("put" "/api/maps/{id}/datasets/{d}/mapping", "evidence", "Map activities onto stages and touchpoints (editors)", Session,
            query: [], body: Json(s::<DatasetMapping>), ok: 200 Json(s::<Dataset>), errors: [422]),
        op!("get" "/api/maps/{id}/datasets/{d}/analysis", "evidence", "Reach, funnel, times, variants, flows, switches, segments, friction", Reader,
            query: [("from", "cases starting at or after (ms)"), ("to", "cases starting before (ms)"), ("segment", "one segment")], body: Empty, ok: 200 Json(s::<Analysis>), errors: [422]),
        op!("get" "/api/maps/{id}/datasets/{d}/process", "evidence", "The directly-follows graph and every variant", Reader,
            query: [], body: Empty, ok: 200 Json(s::<ProcessGraph>), errors: []),
        op!("get" "/sync/{map_id}", "live", "WebSocket upgrade: y-protocols sync and awareness of the map", Reader,
            query: [("token", "session token, for clients that cannot send a header"), LINK], body: Empty,
            ok: 101 Raw("application/octet-stream", "binary y-protocols messages"), errors: [400, 426, 429]),
        op!("get" "/healthz", "operations", "Is the server up and its database answering", Open,
            query: [], body: Empty, ok: 200 Raw("text/plain", "ok"), errors: [503]),
        op!("get" "/metrics", "operations", "Prometheus metrics (with --metrics-token, for that bearer only)", Open,
            query: [], body: Empty, ok: 200 Raw("text/plain", "Prometheus text format"), errors: [401]),
        op!("get" "/api/openapi.json", "operations", "This document", Open,
            query: [], body: Empty, ok: 200 Raw("application/json", "OpenAPI 3.1"), errors: []),
        op!("get" "/api/docs", "operations", "This document as an HTML page", Open,
            query: [], body: Empty, ok: 200 Raw("text/html", "the reference page"), errors: []),
    ]
}

fn status_text(code: u16) -> &'static str {
    match code {
        101 => "Switching to the WebSocket protocol",
        200 => "OK",
        201 => "Created",
        204 => "Done; no body",
        401 => "Sign in required: the session is missing, expired or revoked (code unauthorized or invalid_credentials)",
        403 => "Not allowed for this account or link (code forbidden, or signup_closed)",
        404 => "No such map, element or token, or the caller may not know it exists (code not_found)",
        409 => "Conflicts with the current state (e.g. last_owner, email_taken, round_closed)",
        410 => "No longer kept: before the history retention (code before_history)",
        413 => "Over a size limit (code too_large)",
        422 => "Invalid input; the message says what and where (e.g. invalid_title, invalid_import with its problems)",
        429 => "Too many attempts, sockets or streams; try later (too_many_attempts, busy)",
        400 => "Not a valid WebSocket handshake: version other than 13 or no Sec-WebSocket-Key (plain-text reason)",
        426 => "This address takes a WebSocket handshake (plain-text reason)",
        503 => "The database is not answering (database_unavailable), or rooms' writes to it fail (storage_failing)",
        _ => "Error",
    }
}

fn body_content(g: &mut SchemaGenerator, body: Body) -> Option<Value> {
    match body {
        Body::None => None,
        Body::Json(f) => Some(json!({"application/json": {"schema": f(g)}})),
        Body::Raw(media, what) => {
            Some(json!({media: {"schema": {"type": "string", "description": what}}}))
        }
    }
}

/// Builds the whole document.
pub fn build() -> Value {
    let mut g = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "#/components/schemas/".into())
        .into_generator();
    let error = s::<ErrorBody>(&mut g);
    let mut paths: Map<String, Value> = Map::new();
    for op in operations() {
        let mut params: Vec<Value> = Vec::new();
        for name in path_params(op.path) {
            params.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
        for (name, description) in op.query {
            params.push(json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}}));
        }
        let mut responses = Map::new();
        let mut ok = json!({"description": status_text(op.ok.0)});
        if let Some(content) = body_content(&mut g, op.ok.1) {
            ok["content"] = content;
        }
        responses.insert(op.ok.0.to_string(), ok);
        let mut errors: Vec<u16> = op.errors.to_vec();
        match op.access {
            Access::Open => {}
            Access::Session => errors.push(401),
            Access::Reader => errors.extend([401, 403]),
        }
        if op.path.contains("{id}") {
            errors.extend([403, 404]);
        }
        if matches!(op.body, Body::Json(_)) {
            errors.push(422);
        }
        errors.sort_unstable();
        errors.dedup();
        for code in errors {
            responses.insert(
                code.to_string(),
                json!({"description": status_text(code), "content": {"application/json": {"schema": error.clone()}}}),
            );
        }
        let mut operation = json!({
            "tags": [op.tag],
            "summary": op.summary,
            "operationId": operation_id(op.method, op.path),
            "parameters": params,
            "responses": responses,
        });
        if op.access == Access::Open {
            operation["security"] = json!([]);
        } else if op.access == Access::Reader {
            operation["security"] = json!([{"session": []}, {"bearer": []}, {}]);
        }
        if let Some(content) = body_content(&mut g, op.body) {
            operation["requestBody"] = json!({"required": true, "content": content});
        }
        let entry = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    // The map file and events are documented even where no route names them directly.
    let _ = s::<MapFile>(&mut g);
    let _ = s::<MapEvent>(&mut g);
    let schemas = g.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Parcours API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Co-edited customer journey maps: maps, sharing, comments and review rounds, history, evidence, exports and imports. Errors are JSON bodies {code, message}. Sessions come from sign-up or sign-in, as the `parcours_session` cookie or a bearer token; state-changing requests sent with the cookie need a JSON body or the `X-Requested-With` header. The live document syncs over /sync/{map_id} with the y-protocols.",
            "license": {"name": "See the repository"}
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "parcours_session"},
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            }
        },
        "security": [{"session": []}, {"bearer": []}],
        "paths": paths,
    })
}

/// `{id}`-style names in a path.
fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

/// `get /api/maps/{id}/export` → `get_maps_id_export`.
fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != "api") {
        id.push('_');
        id.extend(seg.chars().filter(|c| *c != '{' && *c != '}').map(|c| {
            if c.is_ascii_alphanumeric() {
                c
            } else {
                '_'
            }
        }));
    }
    id
}

fn cached() -> &'static (Value, String) {
    static DOC: OnceLock<(Value, String)> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = build();
        let page = render_page(&doc);
        (doc, page)
    })
}

async fn document() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        cached().0.to_string(),
    )
        .into_response()
}

async fn page() -> Html<String> {
    Html(cached().1.clone())
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A short type name for a schema: its `$ref` target, or its type.
fn type_name(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(t) = schema.get("type") {
        if t == "array" {
            if let Some(items) = schema.get("items") {
                return format!("array of {}", type_name(items));
            }
        }
        return esc(&match t {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            return list.iter().map(type_name).collect::<Vec<_>>().join(" | ");
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return esc(&values
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(" | "));
    }
    "any".into()
}

fn render_page(doc: &Value) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Parcours API reference</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <style>body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1d2430}\
         code,.m{font-family:ui-monospace,monospace}.op{border:1px solid #d5dae1;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}\
         .m{display:inline-block;min-width:4.5rem;font-weight:bold;text-transform:uppercase}table{border-collapse:collapse}\
         td,th{border-bottom:1px solid #e3e6ea;padding:.2rem .6rem;text-align:left;vertical-align:top}h2{margin-top:2.5rem}</style></head><body>",
    );
    html.push_str("<h1>Parcours API reference</h1>");
    html.push_str(&format!(
        "<p>{}</p><p>Machine-readable: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI {}).</p>",
        esc(doc["info"]["description"].as_str().unwrap_or("")),
        esc(doc["openapi"].as_str().unwrap_or(""))
    ));
    let mut by_tag: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, methods) in paths {
            for (method, op) in methods.as_object().into_iter().flatten() {
                let tag = op["tags"][0].as_str().unwrap_or("other").to_owned();
                let mut block = format!(
                    "<div class=\"op\" id=\"{}\"><span class=\"m\">{}</span> <code>{}</code><br>{}",
                    esc(op["operationId"].as_str().unwrap_or("")),
                    esc(method),
                    esc(path),
                    esc(op["summary"].as_str().unwrap_or(""))
                );
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                if !params.is_empty() {
                    block.push_str("<table><tr><th>parameter</th><th>in</th><th>meaning</th></tr>");
                    for p in params {
                        block.push_str(&format!(
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                            esc(p["name"].as_str().unwrap_or("")),
                            esc(p["in"].as_str().unwrap_or("")),
                            esc(p["description"].as_str().unwrap_or(""))
                        ));
                    }
                    block.push_str("</table>");
                }
                if let Some(content) = op["requestBody"]["content"].as_object() {
                    for (media, c) in content {
                        block.push_str(&format!(
                            "<p>Body ({}): {}</p>",
                            esc(media),
                            type_name(&c["schema"])
                        ));
                    }
                }
                block.push_str("<table><tr><th>status</th><th>answer</th></tr>");
                for (code, r) in op["responses"].as_object().into_iter().flatten() {
                    let body = r["content"]
                        .as_object()
                        .and_then(|c| c.values().next())
                        .map(|c| format!(" — {}", type_name(&c["schema"])))
                        .unwrap_or_default();
                    block.push_str(&format!(
                        "<tr><td>{}</td><td>{}{}</td></tr>",
                        esc(code),
                        esc(r["description"].as_str().unwrap_or("")),
                        body
                    ));
                }
                block.push_str("</table></div>");
                match by_tag.iter_mut().find(|(t, _)| *t == tag) {
                    Some((_, list)) => list.push(block),
                    None => by_tag.push((tag, vec![block])),
                }
            }
        }
    }
    html.push_str("<nav><ul>");
    for (tag, _) in &by_tag {
        html.push_str(&format!("<li><a href=\"#tag-{0}\">{0}</a></li>", esc(tag)));
    }
    html.push_str("<li><a href=\"#schemas\">schemas</a></li></ul></nav>");
    for (tag, blocks) in by_tag {
        html.push_str(&format!("<h2 id=\"tag-{0}\">{0}</h2>", esc(&tag)));
        html.push_str(&blocks.concat());
    }
    html.push_str("<h2 id=\"schemas\">Schemas</h2>");
    for (name, schema) in doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        html.push_str(&format!(
            "<div class=\"op\" id=\"schema-{0}\"><h3>{0}</h3><p>{1}</p>",
            esc(name),
            esc(schema["description"].as_str().unwrap_or(""))
        ));
        if let Some(props) = schema["properties"].as_object() {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            html.push_str("<table><tr><th>field</th><th>type</th><th>meaning</th></tr>");
            for (field, p) in props {
                html.push_str(&format!(
                    "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(field),
                    if required.contains(&field.as_str()) {
                        " *"
                    } else {
                        ""
                    },
                    type_name(p),
                    esc(p["description"].as_str().unwrap_or(""))
                ));
            }
            html.push_str("</table>");
        } else {
            html.push_str(&format!("<p>{}</p>", type_name(schema)));
        }
        html.push_str("</div>");
    }
    html.push_str("</body></html>");
    html
}
