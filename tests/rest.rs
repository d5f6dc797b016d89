//! The REST API, health, metrics and the web app's static files; what touches storage
//! runs on SQLite and PostgreSQL.

mod common;

use common::{
    edit, eventually_ok, get, post, sqlite_server, websocket_upgrade, TestDb, TestServer,
};
use parcours_server::store::Backend;
use parcours_shared::api::{MapDetail, MapList, MapSummary, Me, SessionStatus};
use parcours_shared::method::MethodStep;
use parcours_shared::{At, ErrorBody, ItineraryKind, PersonaField};
use serde_json::json;

async fn error(res: reqwest::Response, status: u16) -> ErrorBody {
    assert_eq!(res.status().as_u16(), status);
    res.json().await.expect("error body")
}

/// The value of one metric in the Prometheus text `text` (-1 when it is not there).
fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1.0)
}

async fn creating_a_map_validates_its_input_and_returns_it(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let url = s.url("/api/maps");
    let res = s
        .http
        .post(&url)
        .json(&json!({"title": "  Retail bank onboarding ", "itinerary": "personalized"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 201);
    let map: MapSummary = res.json().await.expect("json");
    assert_eq!(map.title, "Retail bank onboarding");
    assert_eq!(map.itinerary, ItineraryKind::Personalized);
    assert_eq!(map.id.as_str().len(), 16);

    for (body, code) in [
        (json!({"title": "   "}), "invalid_title"),
        (json!({"title": "x".repeat(201)}), "invalid_title"),
        (
            json!({"title": "ok", "itinerary": "zigzag"}),
            "invalid_body",
        ),
        (json!({"itinerary": "linear"}), "invalid_body"),
    ] {
        let e = error(
            s.http.post(&url).json(&body).send().await.expect("post"),
            422,
        )
        .await;
        assert_eq!(e.code, code, "{body}");
        assert!(!e.message.is_empty());
    }
    let e = error(
        s.http
            .post(&url)
            .body("{not json")
            .header("content-type", "application/json")
            .send()
            .await
            .expect("post"),
        422,
    )
    .await;
    assert_eq!(e.code, "invalid_body");
    // Nothing was created by the bad requests.
    let list: MapList = get(&s, &s.token, "/api/maps").await;
    assert_eq!(list.maps.len(), 1);
}
both_backends!(creating_a_map_validates_its_input_and_returns_it);

async fn a_map_reads_back_with_its_json_view_and_live_title(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Admissions").await;
    let detail: MapDetail = get(&s, &s.token, &format!("/api/maps/{}", map.id)).await;
    assert_eq!(detail.summary, map);
    assert_eq!(detail.view.meta.title, "Admissions");
    assert_eq!(detail.view.meta.schema_version, 1);
    assert_eq!(
        detail.view.lanes.len(),
        8,
        "a new map has the default lanes"
    );

    // A title typed live reaches the list once written.
    let c = s.client(map.id.as_str()).await;
    edit(&c, |m| m.set_title("Admissions 2027"));
    let list = eventually_ok("the title reaches the list", || async {
        let list: MapList = get(&s, &s.token, "/api/maps").await;
        if list.maps[0].title == "Admissions 2027" {
            Ok(list)
        } else {
            Err(list)
        }
    })
    .await;
    assert!(list.maps[0].updated_at >= map.updated_at);

    // So does the itinerary kind switched on the board (or set by a template filling
    // an empty map): the list and the map's head read the row.
    assert_eq!(list.maps[0].itinerary, ItineraryKind::Linear);
    edit(&c, |m| m.set_itinerary(ItineraryKind::Personalized));
    eventually_ok("the itinerary reaches the list", || async {
        let list: MapList = get(&s, &s.token, "/api/maps").await;
        if list.maps[0].itinerary == ItineraryKind::Personalized {
            Ok(list)
        } else {
            Err(list)
        }
    })
    .await;
    let detail: MapDetail = get(&s, &s.token, &format!("/api/maps/{}", map.id)).await;
    assert_eq!(detail.summary.itinerary, ItineraryKind::Personalized);
    assert_eq!(detail.summary.title, "Admissions 2027");
}
both_backends!(a_map_reads_back_with_its_json_view_and_live_title);

async fn maps_are_archived_restored_and_deleted(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Archive me").await;
    let one = s.url(&format!("/api/maps/{}", map.id));
    let res = s
        .http
        .patch(&one)
        .json(&json!({"archived": true}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), 200);
    assert!(res.json::<MapSummary>().await.expect("json").archived);
    let list: MapList = get(&s, &s.token, "/api/maps").await;
    assert!(list.maps.is_empty(), "archived maps are hidden by default");
    let list: MapList = get(&s, &s.token, "/api/maps?archived=true").await;
    assert_eq!(list.maps.len(), 1);
    let res = s
        .http
        .patch(&one)
        .json(&json!({"archived": false}))
        .send()
        .await
        .expect("patch");
    assert!(!res.json::<MapSummary>().await.expect("json").archived);

    assert_eq!(
        s.http.delete(&one).send().await.expect("delete").status(),
        204
    );
    assert_eq!(
        error(s.http.get(&one).send().await.expect("get"), 404)
            .await
            .code,
        "not_found"
    );
    assert_eq!(
        error(s.http.delete(&one).send().await.expect("delete"), 404)
            .await
            .code,
        "not_found"
    );
}
both_backends!(maps_are_archived_restored_and_deleted);

async fn unknown_ids_and_routes_get_json_404s(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    for path in [
        "/api/maps/zzzzzzzzzzzzzzzz",
        "/api/maps/not-an-id",
        "/api/maps/..%2f..%2fetc",
        "/api/nothing/here",
    ] {
        let e = error(s.http.get(s.url(path)).send().await.expect("get"), 404).await;
        assert_eq!(e.code, "not_found", "{path}");
    }
    let res = websocket_upgrade(s.http.get(s.url("/sync/zzzzzzzzzzzzzzzz")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 404, "no socket for an unknown map");
}
both_backends!(unknown_ids_and_routes_get_json_404s);

async fn health_and_metrics_report_the_server(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let res = s.http.get(s.url("/healthz")).send().await.expect("health");
    assert_eq!(res.status(), 200);
    let map = s.create_map("Metrics").await;
    let a = s.client(map.id.as_str()).await;
    let _b = s.client(map.id.as_str()).await;
    edit(&a, |m| m.set_objective("count me"));
    let text = eventually_ok("the edit is persisted", || async {
        let text = s.metrics().await;
        if metric(&text, "parcours_updates_persisted_total") >= 1.0 {
            Ok(text)
        } else {
            Err(text)
        }
    })
    .await;
    let value = |name: &str| metric(&text, name);
    assert_eq!(value("parcours_rooms_open"), 1.0);
    assert_eq!(value("parcours_connections"), 2.0);
    assert!(value("parcours_updates_applied_total") >= 1.0);
    assert!(value("parcours_persisted_bytes_total") > 0.0);
    assert!(value("parcours_received_bytes_total") > 0.0);
    assert_eq!(value("parcours_storage_errors_total"), 0.0);
}
both_backends!(health_and_metrics_report_the_server);

async fn the_session_check_answers_visitors_without_a_401(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let bare = reqwest::Client::new();
    let url = s.url("/api/session");
    let status = |res: &reqwest::Response| res.status().as_u16();
    // Nobody signed in: 200 and null, where /api/me says 401.
    let res = bare.get(&url).send().await.expect("session");
    assert_eq!(status(&res), 200);
    assert!(
        res.headers().get("set-cookie").is_none(),
        "nothing to clear"
    );
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body, json!({"user": null}));
    let me = bare.get(s.url("/api/me")).send().await.expect("me");
    assert_eq!(status(&me), 401);

    // Signed in, by bearer token or by the browser's cookie: the account.
    for request in [
        bare.get(&url).bearer_auth(&s.token),
        bare.get(&url)
            .header("cookie", format!("parcours_session={}", s.token)),
    ] {
        let res = request.send().await.expect("session");
        assert_eq!(status(&res), 200);
        let body: SessionStatus = res.json().await.expect("json");
        let user = body.user.expect("signed in");
        assert_eq!(user.email, "owner@example.com");
    }

    // A forged cookie, then a real one after the account signed out everywhere: null,
    // and the stale cookie is cleared.
    let old = s.user("leaver@example.com").await;
    let out = bare
        .post(s.url("/api/auth/logout"))
        .bearer_auth(&old)
        .send()
        .await
        .expect("logout");
    assert_eq!(status(&out), 204);
    for token in ["not-a-token", old.as_str()] {
        let res = bare
            .get(&url)
            .header("cookie", format!("parcours_session={token}"))
            .send()
            .await
            .expect("session");
        assert_eq!(status(&res), 200, "{token}");
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            cookie.starts_with("parcours_session=;") && cookie.contains("Max-Age=0"),
            "the stale cookie is cleared: {cookie}"
        );
        let body: SessionStatus = res.json().await.expect("json");
        assert_eq!(body.user, None);
    }
}
both_backends!(the_session_check_answers_visitors_without_a_401);

/// Error messages follow `Accept-Language` (the web app sends the language a person
/// chose); the code stays the same and nothing else changes.
async fn error_messages_come_in_the_language_asked_for(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let http = reqwest::Client::new();
    let long_title = "x".repeat(500);
    let create = |lang: Option<&'static str>| {
        let mut req = http
            .post(s.url("/api/maps"))
            .bearer_auth(&s.token)
            .json(&json!({"title": long_title}));
        if let Some(lang) = lang {
            req = req.header("accept-language", lang);
        }
        req
    };
    let mut seen = Vec::new();
    for (lang, expected) in [
        (None, "title must be at most 200 characters"),
        (
            Some("en-GB,fr;q=0.5"),
            "title must be at most 200 characters",
        ),
        (
            Some("fr-FR,fr;q=0.9,en;q=0.8"),
            "le titre compte au plus 200 caractères",
        ),
        (
            Some("de, fr;q=0.3"),
            "le titre compte au plus 200 caractères",
        ),
    ] {
        let res = create(lang).send().await.expect("create");
        assert_eq!(res.status().as_u16(), 422, "{lang:?}");
        let french = res.headers().get("content-language").is_some();
        let body: ErrorBody = res.json().await.expect("json");
        assert_eq!(body.code, "invalid_title", "{lang:?}");
        assert_eq!(body.message, expected, "{lang:?}");
        assert_eq!(french, expected.starts_with("le "), "{lang:?}");
        seen.push(body.code);
    }
    // A refusal raised outside a route (no session), one with a value, and a stranger's
    // 404, all in French.
    for (req, code, message) in [
        (
            http.get(s.url("/api/me")),
            "unauthorized",
            "connexion requise (la session est absente, expirée ou révoquée)",
        ),
        (
            http.get(s.url("/api/maps/doesnotexist1234")).bearer_auth(&s.token),
            "not_found",
            "carte introuvable",
        ),
        (
            http.post(s.url("/api/maps"))
                .header("cookie", format!("parcours_session={}", s.token))
                .header("content-type", "text/plain")
                .body("title=x"),
            "cross_site",
            "une requête qui modifie quelque chose doit porter un corps JSON ou l’en-tête X-Requested-With",
        ),
    ] {
        let res = req.header("accept-language", "fr").send().await.expect("send");
        let body: ErrorBody = res.json().await.expect("json");
        assert_eq!((body.code.as_str(), body.message.as_str()), (code, message));
    }
    // Nothing was created by the refused requests, whatever the language.
    let list: MapList = get(&s, &s.token, "/api/maps").await;
    assert!(list.maps.is_empty(), "{:?}", list.maps);
    // A success is untouched.
    let ok = http
        .get(s.url("/api/maps"))
        .bearer_auth(&s.token)
        .header("accept-language", "fr")
        .send()
        .await
        .expect("list");
    assert_eq!(ok.status().as_u16(), 200);
    assert!(ok.headers().get("content-language").is_none());
}
both_backends!(error_messages_come_in_the_language_asked_for);

async fn view_of(s: &TestServer, id: &parcours_shared::MapId) -> parcours_shared::MapView {
    let d: MapDetail = get(s, &s.token, &format!("/api/maps/{id}")).await;
    d.view
}

/// A map made in French starts with the French template and French lane names; the
/// language is checked like any field.
async fn a_map_made_in_french_starts_in_french(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let create = |body: serde_json::Value| s.http.post(s.url("/api/maps")).json(&body).send();
    let res = create(json!({"title": " ", "template": "retail_bank", "language": "fr"}))
        .await
        .expect("create");
    assert_eq!(res.status(), 422, "a title is still required");
    let res = create(json!({"title": "Banque", "template": "retail_bank", "language": "fr"}))
        .await
        .expect("create");
    assert_eq!(res.status(), 201);
    let fr: MapSummary = res.json().await.expect("json");
    let en = s.create_from_template("Bank", "retail_bank").await;
    let (fr, en) = (view_of(&s, &fr.id).await, view_of(&s, &en.id).await);
    assert_eq!(fr.stages.len(), en.stages.len());
    assert_eq!(fr.cards.len(), en.cards.len());
    assert_ne!(fr.meta.objective, en.meta.objective);
    let lanes: Vec<&str> = fr.lanes.iter().map(|l| l.name.as_str()).collect();
    assert!(lanes.contains(&"Points de contact"), "{lanes:?}");
    assert!(lanes.contains(&"Irritants"), "{lanes:?}");

    // A blank map in French: French lanes; an unknown language is refused and makes
    // nothing.
    let res = create(json!({"title": "Vide", "language": "fr"}))
        .await
        .expect("create");
    let blank: MapSummary = res.json().await.expect("json");
    let blank = view_of(&s, &blank.id).await;
    assert_eq!(blank.lanes[0].name, "Actions du client");
    let before: MapList = get(&s, &s.token, "/api/maps").await;
    for language in [json!("de"), json!(1), json!(null)] {
        let res = create(json!({"title": "X", "language": language}))
            .await
            .expect("create");
        assert_eq!(res.status(), 422, "{language}");
    }
    let after: MapList = get(&s, &s.token, "/api/maps").await;
    assert_eq!(before.maps.len(), after.maps.len());
}
both_backends!(a_map_made_in_french_starts_in_french);

/// Static files only: no storage, one backend.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_app_is_served_with_a_fallback_to_its_index() {
    let db = TestDb::new(Backend::Sqlite).await;
    let web = tempfile::tempdir().expect("dir");
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>Parcours</title>",
    )
    .expect("write");
    std::fs::create_dir(web.path().join("pkg")).expect("mkdir");
    std::fs::write(web.path().join("pkg/app.wasm"), b"\0asm").expect("write");
    let mut config = db.config();
    config.web_dir = web.path().to_path_buf();
    let s = TestServer::start(config).await;
    for path in ["/", "/maps/abc"] {
        let res = s.http.get(s.url(path)).send().await.expect("get");
        assert_eq!(res.status(), 200, "{path}");
        assert!(res
            .text()
            .await
            .expect("text")
            .contains("<title>Parcours</title>"));
    }
    let res = s
        .http
        .get(s.url("/pkg/app.wasm"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()["content-type"], "application/wasm");
    // Without a built app, the root says how to build it.
    let (_db2, bare) = sqlite_server().await;
    let res = bare.http.get(bare.url("/")).send().await.expect("get");
    assert_eq!(res.status(), 503);
    assert!(res.text().await.expect("text").contains("build-client.sh"));
}

async fn the_maps_list_shows_who_is_on_each_map_now(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let busy = s.create_map("Busy").await;
    let quiet = s.create_map("Quiet").await;
    let token = s.user("bea@example.com").await;
    s.add_member(busy.id.as_str(), "bea@example.com", "editor")
        .await;
    let a = s.client(busy.id.as_str()).await;
    let _a2 = s.client(busy.id.as_str()).await; // a second tab: still one name
    let b = s.client_as(busy.id.as_str(), &token).await;
    let online = |list: &MapList, id: &str| {
        list.maps
            .iter()
            .find(|m| m.id.as_str() == id)
            .map(|m| m.online.clone())
            .unwrap_or_default()
    };
    let list: MapList = get(&s, &s.token, "/api/maps").await;
    assert_eq!(online(&list, busy.id.as_str()), ["bea", "owner"]);
    assert!(online(&list, quiet.id.as_str()).is_empty());
    b.close();
    drop(b);
    drop(a);
    eventually_ok("the leavers are removed", || async {
        let list: MapList = get(&s, &s.token, "/api/maps").await;
        let now = online(&list, busy.id.as_str());
        if now == ["owner"] {
            Ok(())
        } else {
            Err(now)
        }
    })
    .await;
}
both_backends!(the_maps_list_shows_who_is_on_each_map_now);

/// The steps of the method `id` passes, as the maps list says.
async fn method_done(s: &TestServer, id: &str) -> Vec<MethodStep> {
    let list: MapList = get(s, &s.token, "/api/maps").await;
    list.maps
        .into_iter()
        .find(|m| m.id.as_str() == id)
        .map(|m| m.method_done)
        .expect("the map is listed")
}

/// Waits until the maps list says `id` passes exactly `want`.
async fn method_becomes(s: &TestServer, id: &str, want: &[MethodStep]) {
    eventually_ok(&format!("the maps list shows {want:?}"), || async {
        let now = method_done(s, id).await;
        if now == want {
            Ok(())
        } else {
            Err(now)
        }
    })
    .await;
}

async fn the_maps_list_carries_each_maps_progress_through_the_method(db: TestDb) {
    use MethodStep::*;
    let s = TestServer::start(db.config()).await;
    // A blank map passes nothing; its stored progress follows its edits.
    let blank = s.create_map("Blank").await;
    assert!(blank.method_done.is_empty());
    let map = blank.id.to_string();
    assert!(method_done(&s, &map).await.is_empty());
    let c = s.client(&map).await;
    edit(&c, |m| m.set_objective("Fewer abandoned carts"));
    method_becomes(&s, &map, &[Objectives]).await;
    edit(&c, |m| {
        m.add_persona("p1", "Ana", At::End)?;
        m.set_persona_field("p1", PersonaField::Goals, "Pay fast")?;
        m.set_persona_field("p1", PersonaField::Pains, "Long forms")
    })
    .expect("persona");
    method_becomes(&s, &map, &[Objectives, Personas]).await;
    // Back down when an edit breaks a step.
    edit(&c, |m| m.set_objective(""));
    method_becomes(&s, &map, &[Personas]).await;

    // Validation needs no edit: a closed review round counts at once.
    let rita_token = s.user("rita@example.com").await;
    s.add_member(&map, "rita@example.com", "editor").await;
    let rita: Me = get(&s, &rita_token, "/api/me").await;
    let (status, round) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/rounds"),
        json!({"title": "Check", "due_at": parcours_server::util::now_ms() + 86_400_000,
               "reviewers": [rita.id]}),
    )
    .await;
    assert_eq!(status, 201, "{round}");
    assert_eq!(
        method_done(&s, &map).await,
        [Personas],
        "an open round is not validation"
    );
    let rid = round["id"].as_str().expect("round id");
    let (status, _) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/rounds/{rid}/close"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(method_done(&s, &map).await, [Personas, Validation]);

    // So does an imported event log, once ready.
    let logged = s.create_map("Logged").await.id.to_string();
    let res = s
        .http
        .post(s.url(&format!(
            "/api/maps/{logged}/datasets?case_id=case&activity=activity&timestamp=time"
        )))
        .header("content-type", "text/csv")
        .body("case,activity,time\nc1,Visit,2025-01-02T10:00:00Z\nc1,Buy,2025-01-02T10:05:00Z\n")
        .send()
        .await
        .expect("upload");
    assert!(res.status().is_success(), "upload: {}", res.status());
    method_becomes(&s, &logged, &[Validation]).await;

    // A map made from a template starts with the steps its content passes, and the
    // list and the created summary agree.
    let bank = s.create_from_template("Bank", "retail_bank").await;
    assert!(
        !bank.method_done.is_empty(),
        "the template passes some steps"
    );
    assert!(!bank.method_done.contains(&Validation));
    assert_eq!(method_done(&s, bank.id.as_str()).await, bank.method_done);
    let detail: MapDetail = get(&s, &s.token, &format!("/api/maps/{}", bank.id)).await;
    assert_eq!(detail.summary.method_done, bank.method_done);
    drop(c);
    s.stop().await;

    // A map whose progress was never stored (made before it was) is assessed when the
    // server starts.
    db.execute("update maps set method_steps = null").await;
    let s = TestServer::start(db.config()).await;
    method_becomes(&s, &map, &[Personas, Validation]).await;
    method_becomes(&s, bank.id.as_str(), &bank.method_done).await;
    s.stop().await;
}
both_backends!(the_maps_list_carries_each_maps_progress_through_the_method);
