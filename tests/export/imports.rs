//! Imports: round trips through both formats, and hostile files refused with their
//! place named and nothing created.

use std::time::Duration;

use parcours_shared::view::MapView;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::common::{TestDb, TestServer};
use super::{export, map_count, template_map, upload};
use parcours_shared::exchange::without_ids;

/// JSON → import → JSON gives an equal map (new ids), owned by the importer.
async fn json_round_trip_is_lossless(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    for template in ["university_admissions", "retail_bank", "b2b_marketplace"] {
        let map = template_map(&s, template).await;
        let original: MapView = s.view(&map).await;
        let (_, _, _, file) = export(&s, Some(&s.token), &map, "format=json").await;

        let importer = s.user("importer@example.com").await;
        let (status, preview) =
            upload(&s, &importer, "/preview", "format=json", file.clone()).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!(preview["problems"], json!([]));
        assert_eq!(preview["counts"]["cards"], original.cards.len());
        assert_eq!(preview["counts"]["stages"], original.stages.len());

        let (status, created) = upload(&s, &importer, "", "format=json", file).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["role"], "owner");
        let new_id = created["id"].as_str().expect("id").to_owned();
        assert_ne!(new_id, map);
        let (_, _, _, again) = export(&s, Some(&importer), &new_id, "format=json").await;
        let again: Value = serde_json::from_slice(&again).expect("json");
        let imported: MapView = serde_json::from_value(again["map"].clone()).expect("view");
        assert_eq!(without_ids(&imported), without_ids(&original), "{template}");
        assert!(imported
            .cards
            .iter()
            .all(|c| original.cards.iter().all(|o| o.id != c.id)));
        // The original's owner has no access to the copy.
        let (status, _, _, _) = export(&s, Some(&s.token), &new_id, "format=json").await;
        assert_eq!(status, 403);
    }
    s.stop().await;
}
both_backends!(json_round_trip_is_lossless);

/// CSV → import → CSV gives the same rows; formulas are neutralised both ways.
async fn csv_round_trip_keeps_rows_and_disarms_formulas(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = template_map(&s, "b2c_omnichannel_retail").await;
    let (_, kind, _, csv) = export(&s, Some(&s.token), &map, "format=csv").await;
    assert!(kind.starts_with("text/csv"));
    let view: MapView = s.view(&map).await;
    let text = String::from_utf8(csv.clone()).expect("utf-8");
    assert_eq!(
        text.lines().count(),
        view.cards.len() + 1,
        "one row per card"
    );
    let (status, created) =
        upload(&s, &s.token, "", "format=csv&title=From%20a%20sheet", csv).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id");
    assert_eq!(created["title"], "From a sheet");
    let (_, _, _, again) = export(&s, Some(&s.token), id, "format=csv").await;
    assert_eq!(String::from_utf8(again).expect("utf-8"), text);

    // A spreadsheet's own file: semicolons, a BOM, columns in another order, a formula.
    let sheet = "\u{FEFF}Text;Stage;Lane;Channel\r\n\
                 \"=HYPERLINK(\"\"http://evil.example\"\";\"\"click\"\")\";Discover;Touchpoints;web\r\n\
                 Reads reviews;Discover;Customer actions;\r\n\
                 @SUM(1+1);Buy;Notes;\r\n";
    let (status, body) = upload(
        &s,
        &s.token,
        "/preview",
        "format=csv",
        format!("{sheet}Calls;Buy;Touchpoints;pigeon\r\n"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["problems"][0]["at"], "row 5, column channel",
        "rows counted with CRLF: {body}"
    );
    // The problem's code and values come with its English, for the web app to word.
    assert_eq!(body["problems"][0]["code"], "bad_channel", "{body}");
    assert_eq!(body["problems"][0]["values"]["value"], "pigeon", "{body}");
    assert!(body["problems"][0]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("“pigeon” is not a channel (web, app,")));
    let (status, created) = upload(&s, &s.token, "", "format=csv&title=Sheet", sheet).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    let view = s.view(&id).await;
    let names: Vec<&str> = view.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Discover", "Buy"]);
    let texts: Vec<&str> = view.cards.iter().map(|c| c.text.as_str()).collect();
    assert!(
        texts.contains(&"=HYPERLINK(\"http://evil.example\";\"click\")"),
        "kept as text: {texts:?}"
    );
    // Without a title, the map is named in the importer's language.
    for (language, title) in [
        ("en-GB", "Imported journey map"),
        ("fr-FR,fr;q=0.9", "Carte de parcours importée"),
    ] {
        let res = reqwest::Client::new()
            .post(s.url("/api/maps/import?format=csv"))
            .bearer_auth(&s.token)
            .header("accept-language", language)
            .body("stage,lane,text\nA,Notes,Hello\n")
            .send()
            .await
            .expect("import");
        assert_eq!(res.status(), 201);
        let created: Value = res.json().await.expect("json");
        assert_eq!(created["title"], title, "{language}");
    }
    // Markup in a card is text in every drawing, never markup.
    let markup = "stage,lane,text\nA,Notes,</text><script>alert(1)</script>&amp;\n";
    let (status, created) = upload(&s, &s.token, "", "format=csv&title=Markup", markup).await;
    assert_eq!(status, 201, "{created}");
    let marked = created["id"].as_str().expect("id");
    let (_, _, _, svg) = export(&s, Some(&s.token), marked, "format=svg").await;
    let svg = String::from_utf8(svg).expect("utf-8");
    assert!(!svg.contains("<script"), "escaped: {svg}");
    assert!(svg.contains("&lt;/text&gt;&lt;script&gt;"), "kept as text");
    resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("still parses");
    let (_, _, _, out) = export(&s, Some(&s.token), &id, "format=csv").await;
    let out = String::from_utf8(out).expect("utf-8");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| {
            r.expect("row")
                .iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(cells
        .iter()
        .any(|c| c == "'=HYPERLINK(\"http://evil.example\";\"click\")"));
    assert!(cells.iter().any(|c| c == "'@SUM(1+1)"));
    assert!(
        cells.iter().all(|c| !c.starts_with(['=', '+', '@'])),
        "no cell a spreadsheet would run: {cells:?}"
    );
    s.stop().await;
}
both_backends!(csv_round_trip_keeps_rows_and_disarms_formulas);

/// Each hostile or broken file gets a clear error naming its place; no map appears.
async fn hostile_imports_are_refused_and_leave_nothing(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = template_map(&s, "retail_bank").await;
    let (_, _, _, file) = export(&s, Some(&s.token), &map, "format=json").await;
    let good: Value = serde_json::from_slice(&file).expect("json");
    let before = map_count(&db).await;

    let mut colliding = good.clone();
    let first = colliding["map"]["stages"][0]["id"].clone();
    colliding["map"]["stages"][2]["id"] = first;
    let mut future = good.clone();
    future["version"] = json!(7);
    let mut dangling = good.clone();
    dangling["map"]["cards"][5]["lane"] = json!("no-such-lane");
    let mut score = good.clone();
    score["map"]["emotions"][0]["scores"][1] = json!(9);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut bad_utf8 = serde_json::to_vec(&good).expect("json");
    bad_utf8.splice(40..40, [0xff, 0xfe, 0xc0]);
    let mut long_text = good.clone();
    long_text["map"]["cards"][0]["text"] = json!("x".repeat(10_001));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "ids colliding",
            serde_json::to_vec(&colliding).unwrap(),
            "$.map.stages[2].id",
        ),
        (
            "unknown version",
            serde_json::to_vec(&future).unwrap(),
            "$.version",
        ),
        (
            "dangling lane",
            serde_json::to_vec(&dangling).unwrap(),
            "$.map.cards[5].lane",
        ),
        (
            "score out of range",
            serde_json::to_vec(&score).unwrap(),
            "$.map.emotions[0].scores[1]",
        ),
        ("deep nesting", deep.into_bytes(), "line 1"),
        ("invalid UTF-8", bad_utf8, "file"),
        (
            "text too long",
            serde_json::to_vec(&long_text).unwrap(),
            "$.map.cards[0].text",
        ),
        ("not JSON", b"stage,lane,text\n".to_vec(), "line 1"),
    ];
    for (what, body, at) in cases {
        let (status, preview) = upload(&s, &s.token, "/preview", "format=json", body.clone()).await;
        assert_eq!(status, 200, "{what}: a preview lists problems");
        assert!(
            preview["problems"].as_array().is_some_and(|p| p
                .iter()
                .any(|p| p["at"].as_str().is_some_and(|a| a.starts_with(at)))),
            "{what}: preview names {at}: {preview}"
        );
        let (status, body) = upload(&s, &s.token, "", "format=json", body).await;
        assert_eq!(status, 422, "{what}: {body}");
        assert_eq!(body["code"], "invalid_import", "{what}");
        let message = body["message"].as_str().unwrap_or("");
        assert!(message.starts_with(at), "{what}: {message}");
    }
    // The JSON reader's errors come as codes and values, for the web app to word in
    // French; its own English only in `message`.
    let mut no_map = good.clone();
    no_map.as_object_mut().expect("a file").remove("map");
    let mut bad_kind = good.clone();
    bad_kind["map"]["lanes"][0]["kind"] = json!("feelings");
    for (what, body, code, name, value) in [
        (
            "not JSON",
            b"stage,lane,text\n".to_vec(),
            "json_syntax",
            "",
            "",
        ),
        ("cut short", b"{\"format\": ".to_vec(), "json_cut", "", ""),
        (
            "no map",
            serde_json::to_vec(&no_map).unwrap(),
            "json_missing_field",
            "field",
            "map",
        ),
        (
            "unknown lane kind",
            serde_json::to_vec(&bad_kind).unwrap(),
            "json_unknown_value",
            "value",
            "feelings",
        ),
    ] {
        let (status, body) = upload(&s, &s.token, "", "format=json", body).await;
        assert_eq!(status, 422, "{what}: {body}");
        assert_eq!(body["problems"][0]["code"], code, "{what}: {body}");
        if !name.is_empty() {
            assert_eq!(body["problems"][0]["values"][name], value, "{what}: {body}");
        }
        assert!(
            body["problems"][0]["at"]
                .as_str()
                .is_some_and(|a| a.starts_with("line ")),
            "{what}: {body}"
        );
    }
    for (what, csv, at, code) in [
        (
            "no lane column",
            "stage,text\nA,b\n",
            "row 1",
            "missing_column",
        ),
        (
            "unknown channel",
            "stage,lane,lane_kind,text,channel\nA,T,touchpoints,Call,pigeon\n",
            "row 2, column channel",
            "bad_channel",
        ),
        (
            "channel off a touchpoint lane",
            "stage,lane,lane_kind,text,channel\nA,T,actions,Call,web\n",
            "row 2.channel",
            "channel_lane",
        ),
        (
            "not a number",
            "stage,lane,lane_kind,text,kpi_current\nA,K,kpis,NPS,high\n",
            "row 2, column kpi_current",
            "not_a_number",
        ),
    ] {
        let (status, body) = upload(&s, &s.token, "", "format=csv", csv).await;
        assert_eq!(status, 422, "{what}: {body}");
        assert!(
            body["message"].as_str().unwrap_or("").starts_with(at),
            "{what}: {body}"
        );
        // Each problem names its code, for the web app to word in French.
        assert_eq!(body["problems"][0]["code"], code, "{what}: {body}");
    }
    let (status, _) = upload(&s, &s.token, "", "format=xml", "<map/>").await;
    assert_eq!(status, 422);
    let (status, _) = super::common::call(
        &s,
        reqwest::Method::POST,
        None,
        "/api/maps/import?format=json",
        Some(good.clone()),
    )
    .await;
    assert_eq!(status, 401, "anonymous imports nothing");

    // 200 MB announced: refused before the body is read.
    let mut tcp = tokio::net::TcpStream::connect(s.addr)
        .await
        .expect("connect");
    let head = format!(
        "POST /api/maps/import?format=json HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n",
        s.addr, s.token
    );
    tcp.write_all(head.as_bytes()).await.expect("headers");
    tcp.write_all(b"{\"format\":").await.expect("a first byte");
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    // Streamed without a length: cut off once over 20 MB.
    let mut tcp = tokio::net::TcpStream::connect(s.addr)
        .await
        .expect("connect");
    let head = head.replace("Content-Length: 209715200", "Transfer-Encoding: chunked");
    tcp.write_all(head.as_bytes()).await.expect("headers");
    let piece = vec![b' '; 1 << 20];
    for _ in 0..25 {
        let frame = [format!("{:x}\r\n", piece.len()).as_bytes(), &piece, b"\r\n"].concat();
        if tcp.write_all(&frame).await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");

    assert_eq!(map_count(&db).await, before, "nothing half-created");
    s.stop().await;
}
both_backends!(hostile_imports_are_refused_and_leave_nothing);

/// Uploads that arrive slowly hold at most four import slots; a fifth upload is told
/// to come back (429 `busy`) rather than buffered too, and a slot frees when an upload
/// ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_uploads_hold_a_bounded_number_of_slots() {
    let (_db, s) = super::common::sqlite_server().await;
    let head = format!(
        "POST /api/maps/import/preview?format=json HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n",
        s.addr, s.token
    );
    let open_slow = || async {
        let mut tcp = tokio::net::TcpStream::connect(s.addr)
            .await
            .expect("connect");
        tcp.write_all(head.as_bytes()).await.expect("headers");
        tcp.write_all(b"{\"format\": ").await.expect("a first byte");
        tcp
    };
    let mut slow = Vec::new();
    for _ in 0..4 {
        slow.push(open_slow().await);
    }
    // Each slow upload holds a slot while the rest of its body is awaited. A probe can
    // overtake one still on its way to the handler, which is then the one refused (its
    // connection answered 429): that one is opened again, until the four hold slots and
    // a probe is refused.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let busy = loop {
        let (status, body) = upload(&s, &s.token, "/preview", "format=json", "{}").await;
        if status == 429 {
            break body;
        }
        for tcp in &mut slow {
            let mut answer = [0u8; 512];
            if let Ok(read) =
                tokio::time::timeout(Duration::from_millis(10), tcp.read(&mut answer)).await
            {
                let answer = String::from_utf8_lossy(&answer[..read.unwrap_or(0)]).into_owned();
                assert!(
                    answer.is_empty() || answer.starts_with("HTTP/1.1 429"),
                    "a slow upload is only ever refused as busy: {answer}"
                );
                *tcp = open_slow().await;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "a fifth upload refused within 5 s; last seen {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(busy["code"], "busy");
    drop(slow.pop());
    super::common::within(Duration::from_secs(5), "a slot freed", || async {
        let (status, body) = upload(&s, &s.token, "/preview", "format=json", "{}").await;
        if status == 200 {
            Ok(())
        } else {
            Err(format!("{status} {body}"))
        }
    })
    .await;
    drop(slow);
    s.stop().await;
}
