//! Imports that are wrong each get a clear error and leave nothing stored; bad rows
//! within the threshold are counted and listed; who may import.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{call, member, TestDb, TestServer};
use crate::{three_stage_map, upload, COLUMNS};

/// Nothing of any import is in the database.
async fn nothing_stored(db: &TestDb) {
    assert_eq!(
        db.count("select count(*) from datasets").await,
        0,
        "no dataset row"
    );
    assert_eq!(
        db.count("select count(*) from dataset_chunks").await,
        0,
        "no chunk"
    );
}

const GOOD: &str = "case,activity,time,channel,segment\nA,Visit,2026-06-01T10:00:00Z,web,s1\nA,Form,2026-06-01T11:00:00Z,web,s1\n";

async fn wrong_files_get_clear_errors_and_leave_nothing(db: TestDb) {
    let mut config = db.config();
    config.max_import_bytes = 200_000;
    let s = TestServer::start(config).await;
    let (map, _c) = three_stage_map(&s).await;
    let cases: Vec<(&str, Vec<u8>, &str, u16, &str)> = vec![
        (
            "semicolons read with a comma",
            GOOD.replace(',', ";").into_bytes(),
            COLUMNS,
            422,
            "missing_column",
        ),
        (
            "no activity column",
            GOOD.replace("activity", "step").into_bytes(),
            COLUMNS,
            422,
            "missing_column",
        ),
        (
            "no column chosen",
            GOOD.as_bytes().to_vec(),
            "case_id=case&timestamp=time",
            422,
            "missing_column",
        ),
        (
            "timestamps nobody can read",
            "case,activity,time\nA,Visit,yesterday\nA,Form,later\nB,Visit,soon\n".into(),
            "case_id=case&activity=activity&timestamp=time",
            422,
            "invalid_timestamp",
        ),
        (
            "Latin-1, not UTF-8",
            b"case,activit\xe9,time\nA,Visit,2026-06-01T10:00:00Z\n".to_vec(),
            COLUMNS,
            422,
            "invalid_encoding",
        ),
        (
            "every row's activity invalid UTF-8",
            {
                let mut v = b"case,activity,time\n".to_vec();
                for i in 0..20 {
                    v.extend_from_slice(format!("C{i},V").as_bytes());
                    v.push(0xff);
                    v.extend_from_slice(b",2026-06-01T10:00:00Z\n");
                }
                v
            },
            "case_id=case&activity=activity&timestamp=time&max_bad_rows=5",
            422,
            "too_many_bad_rows",
        ),
        (
            "a header and nothing else",
            b"case,activity,time\n".to_vec(),
            "case_id=case&activity=activity&timestamp=time",
            422,
            "empty_log",
        ),
        (
            "larger than --max-import-bytes (announced)",
            {
                let mut v = b"case,activity,time\n".to_vec();
                while v.len() < 300_000 {
                    v.extend_from_slice(b"C1,Visit,2026-06-01T10:00:00Z\n");
                }
                v
            },
            "case_id=case&activity=activity&timestamp=time",
            413,
            "too_large",
        ),
        (
            "an unknown timestamp format",
            GOOD.as_bytes().to_vec(),
            "case_id=case&activity=activity&timestamp=time&timestamp_format=roman",
            422,
            "invalid_timestamp_format",
        ),
        (
            "an unknown delimiter",
            GOOD.as_bytes().to_vec(),
            "case_id=case&activity=activity&timestamp=time&delimiter=x",
            422,
            "invalid_delimiter",
        ),
    ];
    for (what, body, query, status, code) in cases {
        let (got, body) = upload(&s, &s.token, &map, body, query).await;
        assert_eq!(
            (got.as_u16(), body["code"].as_str()),
            (status, Some(code)),
            "{what}: {body}"
        );
        assert!(
            !body["message"].as_str().unwrap_or_default().is_empty(),
            "{what}: a message"
        );
        nothing_stored(&db).await;
    }
    // The wrong delimiter's message says so.
    let (_, body) = upload(&s, &s.token, &map, GOOD.replace(',', ";"), COLUMNS).await;
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("delimiter"),
        "{body}"
    );

    // A viewer cannot import; a stranger cannot either.
    let viewer = member(&s, &map, "vic@example.com", "viewer").await;
    let (status, _) = upload(&s, &viewer, &map, GOOD, COLUMNS).await;
    assert_eq!(status, 403);
    let stranger = s.user("stranger@example.com").await;
    let (status, _) = upload(&s, &stranger, &map, GOOD, COLUMNS).await;
    assert_eq!(status, 403);
    nothing_stored(&db).await;

    // Bad rows within the threshold are counted and listed by line.
    let mixed = format!(
        "{GOOD}B,,2026-06-01T10:00:00Z,,\nC,Visit,not a time,,\nD,Visit,2026-06-02T10:00:00Z,,\n"
    );
    let (status, body) = upload(&s, &s.token, &map, mixed, COLUMNS).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        (body["rows"].as_u64(), body["bad_rows"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(body["bad_samples"][0]["line"], 4);
    assert_eq!(body["bad_samples"][0]["reason"], "the activity is empty");
    assert_eq!(body["bad_samples"][1]["line"], 5);
    assert!(body["bad_samples"][1]["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("not a time"));
    // Each bad row carries its reason's code and values, for the web app to word in
    // French; they are kept with the dataset.
    let want = json!([
        {"line": 4, "reason": "the activity is empty", "code": "empty",
         "column": "activity", "value": null, "format": null},
        {"line": 5, "reason": "the timestamp “not a time” is not iso8601",
         "code": "bad_timestamp", "column": "timestamp", "value": "not a time",
         "format": "iso8601"},
    ]);
    assert_eq!(body["bad_samples"], want);
    let (status, list) = call(
        &s,
        Method::GET,
        Some(&s.token),
        &format!("/api/maps/{map}/datasets"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let stored = list["datasets"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["id"] == body["id"]))
        .expect("the dataset");
    assert_eq!(stored["bad_samples"], want);
    s.stop().await;
}
both_backends!(wrong_files_get_clear_errors_and_leave_nothing);

/// A 2 GB upload is refused from its announced size, before its body is sent; a
/// chunked upload (no size announced) is cut off once over the limit.
async fn oversized_uploads_are_refused_early(db: TestDb) {
    let mut config = db.config();
    config.max_import_bytes = 100_000;
    let s = TestServer::start(config).await;
    let (map, _c) = three_stage_map(&s).await;
    let head = |framing: &str| {
        format!(
            "POST /api/maps/{map}/datasets?case_id=case&activity=activity&timestamp=time HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: text/csv\r\n{framing}\r\n\r\n",
            s.addr, s.token
        )
    };
    let answer = |mut tcp: tokio::net::TcpStream| async move {
        let mut answer = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut answer))
            .await
            .expect("answered in time")
            .expect("read");
        String::from_utf8_lossy(&answer[..n]).into_owned()
    };
    let mut tcp = tokio::net::TcpStream::connect(s.addr)
        .await
        .expect("connect");
    tcp.write_all(head("Content-Length: 2147483648").as_bytes())
        .await
        .expect("headers");
    tcp.write_all(b"case,activity,time\n")
        .await
        .expect("a first line");
    let text = answer(tcp).await;
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("too_large"), "{text}");
    nothing_stored(&db).await;

    let mut tcp = tokio::net::TcpStream::connect(s.addr)
        .await
        .expect("connect");
    tcp.write_all(head("Transfer-Encoding: chunked").as_bytes())
        .await
        .expect("headers");
    let mut body = b"case,activity,time\n".to_vec();
    while body.len() < 150_000 {
        body.extend_from_slice(b"C1,Visit,2026-06-01T10:00:00Z\n");
    }
    for piece in body.chunks(16_384) {
        let frame = [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat();
        if tcp.write_all(&frame).await.is_err() {
            break; // the server stopped reading: fine
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let text = answer(tcp).await;
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    nothing_stored(&db).await;
    s.stop().await;
}
both_backends!(oversized_uploads_are_refused_early);
