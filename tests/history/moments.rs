//! Time travel: the map at any past moment (or version) equals the document as it was
//! then, checked against states captured while editing, across snapshots and
//! checkpoints; the moments list steps through the changes.

use parcours_shared::api::{Moments, PastView};
use parcours_shared::schema::{At, EmotionSeries, TextTarget};
use parcours_shared::view::MapView;
use reqwest::Method;
use serde_json::json;

use crate::common::{call, client_view, edit, get, post, TestDb, TestServer};
use crate::{config, mark, settled};

async fn any_past_moment_reads_exactly_as_it_was(db: TestDb) {
    let mut config = config(&db);
    config.checkpoint_every = 3;
    let server = TestServer::start(config).await;
    let map = server.create_map("Then").await.id.0;
    let c = server.client(&map).await;
    let lane = client_view(&c).lanes[0].id.clone();
    let created = mark().await;
    type Step = Box<dyn Fn(&mut parcours_shared::schema::MapTxn<'_, '_>)>;
    let lane2 = lane.clone();
    let lane3 = lane.clone();
    let steps: Vec<Step> = vec![
        Box::new(|m| m.add_stage("s1", "Discover", At::End).expect("stage")),
        Box::new(|m| m.add_stage("s2", "Buy", At::End).expect("stage")),
        Box::new(move |m| {
            m.add_card("c1", "s1", &lane2, At::End, "Sees an ad")
                .expect("card")
        }),
        Box::new(|m| {
            m.insert_text(TextTarget::Card("c1"), 0, "Often ")
                .expect("type")
        }),
        Box::new(|m| m.add_persona("p1", "Camille", At::End).expect("persona")),
        Box::new(|m| {
            m.set_emotion("p1", "s1", EmotionSeries::AsIs, -1)
                .expect("score")
        }),
        Box::new(move |m| m.move_card("c1", "s2", &lane3, 0).expect("move")),
        Box::new(|m| m.move_stage("s2", 0).expect("reorder")),
        Box::new(|m| m.set_title("Then, renamed")),
        Box::new(|m| m.remove_stage("s1").expect("remove")),
        Box::new(|m| m.set_objective("Know why people leave")),
    ];
    let mut captured: Vec<(i64, MapView)> = Vec::new();
    for step in &steps {
        edit(&c, |m| step(m));
        settled(&server, &map, &c).await;
        captured.push((mark().await, client_view(&c)));
    }
    // Several snapshots and checkpoints were crossed on the way.
    assert!(db.count("select count(*) from map_checkpoints").await >= 4);
    for (i, (at, want)) in captured.iter().enumerate() {
        let past: PastView = get(
            &server,
            &server.token,
            &format!("/api/maps/{map}/history/view?at={at}"),
        )
        .await;
        assert_eq!(&past.view, want, "the map after step {i}");
        assert!(past.at <= *at);
    }
    // The moment of creation: the map as the server made it.
    let first: PastView = get(
        &server,
        &server.token,
        &format!("/api/maps/{map}/history/view?at={created}"),
    )
    .await;
    assert!(first.view.stages.is_empty());
    assert_eq!(first.view.meta.title, "Then");

    // The slider's stops: one per stored change since creation, oldest first.
    let moments: Moments = get(
        &server,
        &server.token,
        &format!("/api/maps/{map}/history/moments?from={created}"),
    )
    .await;
    assert_eq!(moments.moments.len(), steps.len());
    assert!(!moments.truncated);
    assert!(moments.moments.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(moments
        .moments
        .iter()
        .all(|m| m.author.kind == "user" && m.elements >= 1));

    // A named version opens as the map was when it was made.
    let (status, v) = post(
        &server,
        &server.token,
        &format!("/api/maps/{map}/versions"),
        json!({"name": "Now"}),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    edit(&c, |m| m.set_title("Later"));
    settled(&server, &map, &c).await;
    let past: PastView = get(
        &server,
        &server.token,
        &format!(
            "/api/maps/{map}/versions/{}/view",
            v["id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(past.view, captured.last().expect("steps").1);

    // Before the map existed, and nonsense.
    let path = |q: &str| format!("/api/maps/{map}/history/view?{q}");
    let (status, body) = call(
        &server,
        Method::GET,
        Some(&server.token),
        &path("at=1"),
        None,
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (410, Some("before_history"))
    );
    for q in ["at=yesterday", "at=-5", ""] {
        let (status, body) = call(&server, Method::GET, Some(&server.token), &path(q), None).await;
        assert_eq!(
            (status.as_u16(), body["code"].as_str()),
            (422, Some("invalid_moment")),
            "{q}"
        );
    }
    let (status, _) = call(
        &server,
        Method::GET,
        Some(&server.token),
        &format!("/api/maps/{map}/versions/nosuchversion/view"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    server.stop().await;
}
both_backends!(any_past_moment_reads_exactly_as_it_was);
