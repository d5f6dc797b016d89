//! Sessions and the live connections they opened: signing out or changing the password
//! ends the account's event streams and closes its sockets at once, with no event
//! needed to notice; a socket lives no longer than the session token or the public link
//! that let it in.

use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use parcours_bench::YClient;
use parcours_server::util::now_ms;
use parcours_shared::api::ShareLink;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{call, member, post, EventStream, TestDb, TestServer, PASSWORD};

/// What a member holds open: the map's event stream, its inbox stream, a sync socket.
struct Held {
    map_events: EventStream,
    inbox: EventStream,
    socket: YClient,
}

async fn hold(s: &TestServer, map: &str, token: &str) -> Held {
    Held {
        map_events: EventStream::open(s, token, &format!("/api/maps/{map}/events")).await,
        inbox: EventStream::open(s, token, "/api/inbox/events").await,
        socket: s.client_as(map, token).await,
    }
}

/// Asserts that every connection in `held` ended within a second of `since`: both
/// streams end (no event was published to wake them) and the socket closes with 4401.
async fn all_end_within_a_second(held: &mut Held, since: Instant) {
    let left = || Duration::from_secs(1).saturating_sub(since.elapsed());
    for (what, stream) in [
        ("map events", &mut held.map_events),
        ("inbox events", &mut held.inbox),
    ] {
        let ended = tokio::time::timeout(left(), stream.frame()).await;
        assert!(
            matches!(ended, Ok(None)),
            "the {what} stream ends within a second: {ended:?}"
        );
    }
    let closed = held
        .socket
        .wait_closed(left())
        .await
        .expect("the socket closes within a second");
    assert_eq!(closed.code, 4401, "{closed:?}");
}

async fn status_of_me(s: &TestServer, token: &str) -> u16 {
    call(s, Method::GET, Some(token), "/api/me", None)
        .await
        .0
        .as_u16()
}

async fn signing_out_ends_the_accounts_streams_and_sockets_at_once(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Sign out").await.id.0;
    let token = member(&s, &map, "member@example.com", "editor").await;
    let other = member(&s, &map, "other@example.com", "editor").await;
    let mut held = hold(&s, &map, &token).await;
    let mut others = hold(&s, &map, &other).await;

    let since = Instant::now();
    let (status, _) = call(&s, Method::POST, Some(&token), "/api/auth/logout", None).await;
    assert_eq!(status, 204);
    all_end_within_a_second(&mut held, since).await;
    assert_eq!(status_of_me(&s, &token).await, 401, "the token is revoked");

    // Another account's connections are untouched.
    assert!(others.socket.closed().is_none());
    let quiet = tokio::time::timeout(Duration::from_millis(200), others.map_events.frame()).await;
    assert!(quiet.is_err(), "its stream is still open: {quiet:?}");
    assert_eq!(status_of_me(&s, &other).await, 200);
}
both_backends!(signing_out_ends_the_accounts_streams_and_sockets_at_once);

async fn changing_the_password_ends_the_accounts_streams_and_sockets_at_once(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("New password").await.id.0;
    let token = member(&s, &map, "member@example.com", "editor").await;
    let mut held = hold(&s, &map, &token).await;

    let since = Instant::now();
    let (status, session) = post(
        &s,
        &token,
        "/api/auth/password",
        json!({"current_password": PASSWORD, "new_password": "another horse battery"}),
    )
    .await;
    assert_eq!(status, 200, "{session}");
    all_end_within_a_second(&mut held, since).await;
    assert_eq!(
        status_of_me(&s, &token).await,
        401,
        "the old token is revoked"
    );
    let fresh = session["token"].as_str().expect("new token");
    assert_eq!(status_of_me(&s, fresh).await, 200, "the new one works");
}
both_backends!(changing_the_password_ends_the_accounts_streams_and_sockets_at_once);

async fn a_socket_and_a_stream_close_when_their_session_token_expires(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Short session").await.id.0;
    let token = member(&s, &map, "brief@example.com", "editor").await;
    // A token like the server's own for this account (same key, subject and version),
    // expiring two seconds from now.
    let key = std::fs::read_to_string(db.dir.path().join("session-key")).expect("key");
    let key = key.trim().as_bytes();
    let claims: Value = jsonwebtoken::decode::<Value>(
        &token,
        &DecodingKey::from_secret(key),
        &Validation::new(Algorithm::HS256),
    )
    .expect("the server's token")
    .claims;
    let now = now_ms() / 1000;
    let exp = now + 2;
    let short = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": claims["sub"], "iat": now, "exp": exp, "ver": claims["ver"]}),
        &EncodingKey::from_secret(key),
    )
    .expect("encode");
    let socket = s.client_as(&map, &short).await;
    let mut stream = EventStream::open(&s, &short, &format!("/api/maps/{map}/events")).await;

    let closed = socket
        .wait_closed(Duration::from_secs(4))
        .await
        .expect("closed at expiry");
    let at = now_ms();
    assert_eq!(closed.code, 4401, "{closed:?}");
    assert!(
        (exp * 1000 - 50..=exp * 1000 + 1_000).contains(&at),
        "closed at {at}, the token expires at {}",
        exp * 1000
    );
    let ended = tokio::time::timeout(Duration::from_secs(1), stream.frame()).await;
    assert!(matches!(ended, Ok(None)), "the stream ended: {ended:?}");
    assert_eq!(
        status_of_me(&s, &token).await,
        200,
        "the account's own session is untouched"
    );
}
both_backends!(a_socket_and_a_stream_close_when_their_session_token_expires);

async fn a_public_link_socket_closes_when_the_link_expires(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Short link").await.id.0;
    let expires_at = now_ms() + 2_000;
    let (status, link) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/links"),
        json!({"role": "viewer", "public": true, "expires_at": expires_at}),
    )
    .await;
    assert_eq!(status, 201, "{link}");
    let link: ShareLink = serde_json::from_value(link).expect("link");
    let token = link.token.expect("token");
    let url = format!("ws://{}/sync/{map}?link={token}", s.addr);
    let visitor = YClient::connect(&url).await.expect("connect");
    visitor
        .wait_synced(Duration::from_secs(1))
        .await
        .expect("synced");

    let closed = visitor
        .wait_closed(Duration::from_secs(4))
        .await
        .expect("closed at expiry");
    let at = now_ms();
    assert_eq!(closed.code, 4403, "{closed:?}");
    assert!(
        (expires_at - 50..=expires_at + 1_000).contains(&at),
        "closed at {at}, the link expires at {expires_at}"
    );
    assert!(YClient::connect(&url).await.is_err(), "and cannot reopen");
    let (status, _) = call(
        &s,
        Method::GET,
        None,
        &format!("/api/maps/{map}?link={token}"),
        None,
    )
    .await;
    assert_eq!(status, 401);
}
both_backends!(a_public_link_socket_closes_when_the_link_expires);
