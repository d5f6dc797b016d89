//! Who sees history: members of any role read it; editors and owners name versions and
//! restore; viewers and commenters cannot; a public link sees the live map only.

use reqwest::Method;
use serde_json::json;

use crate::common::{call, member, post, TestDb, TestServer};
use crate::config;

/// Every history read of `map` (with `suffix` appended, e.g. `?link=…`).
fn reads(map: &str, version: &str, suffix: &str) -> Vec<String> {
    let sep = |p: &str| {
        if p.contains('?') {
            format!("{p}&{}", suffix.trim_start_matches('?'))
        } else {
            format!("{p}{suffix}")
        }
    };
    [
        format!("/api/maps/{map}/versions"),
        format!("/api/maps/{map}/versions/{version}/view"),
        format!("/api/maps/{map}/history/view?at=99999999999999"),
        format!("/api/maps/{map}/history/moments"),
        format!("/api/maps/{map}/history?element=title"),
        format!("/api/maps/{map}/diff?from={version}"),
    ]
    .iter()
    .map(|p| if suffix.is_empty() { p.clone() } else { sep(p) })
    .collect()
}

async fn members_read_history_editors_restore_and_links_see_none(db: TestDb) {
    let server = TestServer::start(config(&db)).await;
    let map = server.create_map("Access").await.id.0;
    let viewer = member(&server, &map, "vic@example.com", "viewer").await;
    let commenter = member(&server, &map, "cam@example.com", "commenter").await;
    let stranger = server.user("stranger@example.com").await;
    let (status, v) = post(
        &server,
        &server.token,
        &format!("/api/maps/{map}/versions"),
        json!({"name": "v"}),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let version = v["id"].as_str().expect("id").to_owned();

    for token in [&viewer, &commenter] {
        for path in reads(&map, &version, "") {
            let (status, body) = call(&server, Method::GET, Some(token), &path, None).await;
            assert_eq!(status, 200, "{path}: {body}");
        }
        let (status, _) = post(
            &server,
            token,
            &format!("/api/maps/{map}/restore"),
            json!({"version": version}),
        )
        .await;
        assert_eq!(status, 403, "read-only members cannot restore");
        let (status, _) = post(
            &server,
            token,
            &format!("/api/maps/{map}/versions"),
            json!({"name": "mine"}),
        )
        .await;
        assert_eq!(status, 403, "read-only members cannot name versions");
    }
    for path in reads(&map, &version, "") {
        let (status, _) = call(&server, Method::GET, Some(&stranger), &path, None).await;
        assert_eq!(status, 403, "{path}: a signed-in non-member");
        let (status, _) = call(&server, Method::GET, None, &path, None).await;
        assert_eq!(status, 401, "{path}: anonymous");
    }
    // A public link reads the live map, and no history at all.
    let (status, link) = post(
        &server,
        &server.token,
        &format!("/api/maps/{map}/links"),
        json!({"role": "viewer", "public": true, "include_comments": true}),
    )
    .await;
    assert_eq!(status, 201, "{link}");
    let token = link["token"].as_str().expect("token");
    let (status, _) = call(
        &server,
        Method::GET,
        None,
        &format!("/api/maps/{map}?link={token}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "the live map");
    for path in reads(&map, &version, &format!("?link={token}")) {
        let (status, body) = call(&server, Method::GET, None, &path, None).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert!(body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("history"));
    }
    let (status, _) = call(
        &server,
        Method::GET,
        None,
        &format!("/api/maps/{map}/since-last-visit?link={token}"),
        None,
    )
    .await;
    assert_eq!(status, 401, "visits are an account's");
    server.stop().await;
}
both_backends!(members_read_history_editors_restore_and_links_see_none);
