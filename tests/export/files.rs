//! The drawn formats and who may download them.

use std::process::Command;

use parcours_shared::view::MapView;
use serde_json::json;

use super::common::{self, TestDb, TestServer};
use super::{export, template_map};

/// Text without any whitespace, to find wrapped text in `pdftotext`'s output.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Runs a poppler tool on `pdf` and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("map.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            vec!["-"]
        } else {
            vec![]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn pages(pdf: &[u8]) -> usize {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_holds_every_stage_and_card_as_text_with_fonts_embedded() {
    let (_db, s) = common::sqlite_server().await;
    for template in ["retail_bank", "university_admissions"] {
        let map = template_map(&s, template).await;
        let view: MapView = s.view(&map).await;
        let (status, kind, disposition, pdf) = export(&s, Some(&s.token), &map, "format=pdf").await;
        assert_eq!(status, 200);
        assert_eq!(kind, "application/pdf");
        assert!(disposition.starts_with("attachment;") && disposition.contains(".pdf"));
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(pages(&pdf), 1, "a poster is one page");
        let text = squeeze(&poppler("pdftotext", &[], &pdf));
        assert!(text.contains(&squeeze(&view.meta.title)), "title");
        assert!(text.contains(&squeeze(&view.meta.objective)), "objective");
        for stage in &view.stages {
            assert!(text.contains(&squeeze(&stage.name)), "stage {}", stage.name);
        }
        for card in &view.cards {
            assert!(
                text.contains(&squeeze(&card.text)),
                "{template}: card {:?}",
                card.text
            );
        }
        for persona in &view.personas {
            assert!(
                text.contains(&squeeze(&persona.name)),
                "persona {}",
                persona.name
            );
        }
        let fonts = poppler("pdffonts", &[], &pdf);
        assert!(fonts.contains("DejaVuSans"), "{fonts}");
        assert!(
            fonts
                .lines()
                .skip(2)
                .all(|l| l.split_whitespace().rev().nth(4) == Some("yes")),
            "every font embedded:\n{fonts}"
        );

        // A4 pages: each holds a range of stages and repeats the lane heads.
        let (status, _, _, paged) = export(&s, Some(&s.token), &map, "format=pdf&paper=a4").await;
        assert_eq!(status, 200);
        let n = pages(&paged);
        assert!(
            n >= 2,
            "{} stages on A4 take several pages, got {n}",
            view.stages.len()
        );
        let per_page: Vec<String> = (1..=n)
            .map(|p| {
                let p = p.to_string();
                squeeze(&poppler("pdftotext", &["-f", &p, "-l", &p], &paged))
            })
            .collect();
        for lane in &view.lanes {
            let name = squeeze(&lane.name);
            assert!(
                per_page.iter().all(|t| t.contains(&name)),
                "lane {} on every page",
                lane.name
            );
        }
        for stage in &view.stages {
            let name = squeeze(&stage.name);
            assert_eq!(
                per_page.iter().filter(|t| t.contains(&name)).count(),
                1,
                "stage {} on one page",
                stage.name
            );
        }
        let all = per_page.concat();
        for card in &view.cards {
            assert!(all.contains(&squeeze(&card.text)), "card {:?}", card.text);
        }
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn png_and_svg_draw_the_same_board() {
    let (_db, s) = common::sqlite_server().await;
    let map = template_map(&s, "b2c_omnichannel_retail").await;
    let view: MapView = s.view(&map).await;
    let (status, kind, _, svg) = export(&s, Some(&s.token), &map, "format=svg").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("image/svg+xml"));
    let svg = String::from_utf8(svg).expect("utf-8 svg");
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
        .expect("the SVG parses");
    let (w, h) = (tree.size().width(), tree.size().height());
    assert!(w > 1000.0 && h > 600.0, "{w} × {h}");
    for stage in &view.stages {
        let escaped = stage.name.replace('&', "&amp;");
        assert!(svg.contains(&escaped), "stage {} in the SVG", stage.name);
    }

    let mut sizes = Vec::new();
    for scale in [1u32, 2] {
        let (status, kind, _, png) = export(
            &s,
            Some(&s.token),
            &map,
            &format!("format=png&scale={scale}"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(kind, "image/png");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("PNG header");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("PNG data");
        assert_eq!(
            (info.width, info.height),
            (
                (w * scale as f32).ceil() as u32,
                (h * scale as f32).ceil() as u32
            ),
            "the SVG's size at {scale}×"
        );
        let channels = info.color_type.samples();
        let pixels = &pixels[..info.buffer_size()];
        let not_white = pixels
            .chunks(channels)
            .filter(|p| p.iter().take(3).any(|&c| c < 240))
            .count();
        let share = not_white as f64 / (info.width * info.height) as f64;
        assert!(
            share > 0.05,
            "the board is drawn ({:.1} % not white)",
            share * 100.0
        );
        let mut colors: Vec<&[u8]> = pixels.chunks(channels).step_by(97).collect();
        colors.sort();
        colors.dedup();
        assert!(
            colors.len() > 20,
            "cards, chips and text in colour: {}",
            colors.len()
        );
        sizes.push((info.width, info.height));
    }
    assert_eq!(sizes[1], (sizes[0].0 * 2, sizes[0].1 * 2));

    for bad in [
        "format=docx",
        "format=png&scale=3",
        "format=pdf&paper=letter",
        "format=pdf&at=-4",
    ] {
        let (status, _, _, body) = export(&s, Some(&s.token), &map, bad).await;
        assert_eq!(status, 422, "{bad}: {}", String::from_utf8_lossy(&body));
    }
    s.stop().await;
}

/// Viewers and public-link visitors export what they read; strangers and anonymous
/// callers nothing; a past version exports as it was.
async fn readers_export_what_they_read(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = template_map(&s, "b2b_saas").await;
    let before: MapView = s.view(&map).await;
    let (status, version) = common::post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/versions"),
        json!({"name": "Before the workshop"}),
    )
    .await;
    assert_eq!(status, 201, "{version}");
    let client = s.client(&map).await;
    let stage = before.stages[0].id.clone();
    common::edit(&client, |txn| {
        txn.rename_stage(&stage, "Renamed after the version")
    })
    .expect("rename");
    common::eventually("the rename reached the server", || async {
        s.view(&map).await.stages[0].name == "Renamed after the version"
    })
    .await;

    s.add_member(&map, "viewer@example.com", "viewer").await;
    let viewer = s.user("viewer@example.com").await;
    let (status, _, _, json) = export(&s, Some(&viewer), &map, "format=json").await;
    assert_eq!(status, 200);
    let live: serde_json::Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(live["format"], "parcours-map");
    assert_eq!(live["version"], 1);
    assert_eq!(
        live["map"]["stages"][0]["name"],
        "Renamed after the version"
    );

    let v = version["id"].as_str().expect("version id");
    let (status, _, _, json) =
        export(&s, Some(&viewer), &map, &format!("format=json&version={v}")).await;
    assert_eq!(status, 200);
    let past: serde_json::Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(
        past["map"]["stages"][0]["name"].as_str(),
        Some(before.stages[0].name.as_str())
    );
    let (status, _, _, pdf) =
        export(&s, Some(&viewer), &map, &format!("format=pdf&version={v}")).await;
    assert_eq!(status, 200);
    let text = squeeze(&poppler("pdftotext", &[], &pdf));
    assert!(text.contains(&squeeze(&before.stages[0].name)));
    assert!(text.contains(&squeeze("Version “Before the workshop”")));

    let (_, link) = common::post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/links"),
        json!({"role": "viewer", "public": true}),
    )
    .await;
    let token = link["token"].as_str().expect("link token");
    let (status, _, _, csv) = export(&s, None, &map, &format!("format=csv&link={token}")).await;
    assert_eq!(status, 200, "a public link exports");
    assert!(String::from_utf8(csv)
        .expect("csv")
        .starts_with("stage,lane,lane_kind,text"));

    let stranger = s.user("stranger@example.com").await;
    let (status, _, _, _) = export(&s, Some(&stranger), &map, "format=pdf").await;
    assert_eq!(status, 403);
    let (status, _, _, _) = export(&s, None, &map, "format=pdf").await;
    assert_eq!(status, 401);
    let (status, _, _, _) = export(&s, Some(&viewer), &map, "format=json&version=nope").await;
    assert_eq!(status, 404);
    // Another map's version is not this map's: no peeking through someone else's id.
    let other = s.create_map("Someone else's").await.id.0;
    let (_, theirs) = common::post(
        &s,
        &s.token,
        &format!("/api/maps/{other}/versions"),
        json!({"name": "Private"}),
    )
    .await;
    let theirs = theirs["id"].as_str().expect("version id");
    let (status, _, _, _) = export(
        &s,
        Some(&viewer),
        &map,
        &format!("format=json&version={theirs}"),
    )
    .await;
    assert_eq!(status, 404, "a version id of another map");

    // A title written to break the download's headers stays inside its quotes.
    let tricky = s.create_map("Q3 \"review\"; filename=evil.exe").await.id.0;
    let (status, _, disposition, _) = export(&s, Some(&s.token), &tricky, "format=csv").await;
    assert_eq!(status, 200);
    assert_eq!(disposition.matches("filename=").count(), 1, "{disposition}");
    assert_eq!(
        disposition.matches("filename*=").count(),
        1,
        "{disposition}"
    );
    assert!(!disposition.contains("evil.exe\""), "{disposition}");
    s.stop().await;
}
both_backends!(readers_export_what_they_read);

/// With an analysed event log, members' drawings carry the evidence row (reach,
/// conversion per stage); a public link's never do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_evidence_row_is_drawn_for_members_only_in_the_readers_language() {
    let (_db, s) = common::sqlite_server().await;
    let map = template_map(&s, "retail_bank").await;
    let view: MapView = s.view(&map).await;
    let (first, second) = (&view.stages[0], &view.stages[1]);
    let log = "case,activity,time\n\
               c1,Forum,2026-06-01T10:00:00Z\nc1,Calculator,2026-06-02T10:00:00Z\n\
               c2,Forum,2026-06-01T11:00:00Z\n\
               c3,Forum,2026-06-01T12:00:00Z\nc3,Calculator,2026-06-01T18:00:00Z\n";
    let res = reqwest::Client::new()
        .post(s.url(&format!(
            "/api/maps/{map}/datasets?name=log&case_id=case&activity=activity&timestamp=time"
        )))
        .bearer_auth(&s.token)
        .header("content-type", "text/csv")
        .body(log)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 201);
    let dataset: serde_json::Value = res.json().await.expect("json");
    let id = dataset["id"].as_str().expect("dataset id");
    let (status, body) = common::call(
        &s,
        reqwest::Method::PUT,
        Some(&s.token),
        &format!("/api/maps/{map}/datasets/{id}/mapping"),
        Some(json!({"activities": [
            {"activity": "Forum", "stage": first.id},
            {"activity": "Calculator", "stage": second.id},
        ]})),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (_, _, _, pdf) = export(&s, Some(&s.token), &map, "format=pdf").await;
    let text = poppler("pdftotext", &[], &pdf);
    let flat = squeeze(&text);
    assert!(
        flat.contains("Evidence") && flat.contains("3cases"),
        "{text}"
    );
    assert!(flat.contains("Reach3") && flat.contains("Reach2"), "{text}");
    assert!(
        flat.contains(&squeeze("Conversion 67 % · drop-off 33 %")),
        "{text}"
    );

    // The drawing's own words in French: asked with `lang=fr`, or by Accept-Language.
    let (status, _, _, pdf) = export(&s, Some(&s.token), &map, "format=pdf&lang=fr").await;
    assert_eq!(status, 200);
    let res = reqwest::Client::new()
        .get(s.url(&format!("/api/maps/{map}/export?format=pdf")))
        .bearer_auth(&s.token)
        .header("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    let by_header = res.bytes().await.expect("pdf").to_vec();
    let content = squeeze(&serde_json::to_string(&view).expect("json"));
    for pdf in [pdf, by_header] {
        let text = poppler("pdftotext", &[], &pdf);
        let flat = squeeze(&text);
        for french in [
            "Données clients",
            "3 parcours",
            "Portée 3",
            "Conversion 67 % · abandon 33 %",
            "Première étape",
            "Légende",
            "Courbe émotionnelle",
            "Objectif",
            "Carte en direct, exportée le",
            "points de contact",
        ] {
            assert!(flat.contains(&squeeze(french)), "{french} in:\n{text}");
        }
        for english in [
            "Evidence",
            "cases",
            "Reach",
            "drop-off",
            "First stage",
            "Legend",
            "Emotion curve",
            "Live map",
            "touchpoints",
        ] {
            // (Unless the map's own content says it.)
            assert!(
                !flat.contains(&squeeze(english)) || content.contains(&squeeze(english)),
                "{english} in:\n{text}"
            );
        }
        // The map's own content is drawn as written.
        assert!(flat.contains(&squeeze(&first.name)), "{text}");
    }
    let (status, _, _, body) = export(&s, Some(&s.token), &map, "format=pdf&lang=de").await;
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("invalid_lang"));

    let (_, link) = common::post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/links"),
        json!({"role": "viewer", "public": true}),
    )
    .await;
    let token = link["token"].as_str().expect("link token");
    let (status, _, _, pdf) = export(&s, None, &map, &format!("format=pdf&link={token}")).await;
    assert_eq!(status, 200);
    let text = squeeze(&poppler("pdftotext", &[], &pdf));
    assert!(
        !text.contains("Reach3"),
        "no customer data through a public link"
    );
    s.stop().await;
}

/// A burst of drawings is served two at a time with a short queue; the rest are told
/// to come back (429 `busy`) instead of piling up, and the server keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_drawings_is_bounded() {
    let (_db, s) = common::sqlite_server().await;
    let map = template_map(&s, "university_admissions").await;
    let burst = (0..24).map(|_| export(&s, Some(&s.token), &map, "format=png&scale=2"));
    let health = async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let t = std::time::Instant::now();
        let res = reqwest::get(s.url("/healthz")).await.expect("healthz");
        (res.status(), t.elapsed())
    };
    let (answers, (health, took)) = tokio::join!(futures_util::future::join_all(burst), health);
    assert_eq!(health, 200);
    assert!(
        took < std::time::Duration::from_secs(2),
        "the server kept answering: {took:?}"
    );
    let ok = answers.iter().filter(|a| a.0 == 200).count();
    let busy: Vec<_> = answers.iter().filter(|a| a.0 == 429).collect();
    assert_eq!(ok + busy.len(), answers.len(), "only 200 or 429");
    assert!(ok >= 2, "some were drawn: {ok}");
    assert!(!busy.is_empty(), "24 at once cannot all wait");
    let body: serde_json::Value = serde_json::from_slice(&busy[0].3).expect("json");
    assert_eq!(body["code"], "busy");
    let (status, _, _, _) = export(&s, Some(&s.token), &map, "format=png").await;
    assert_eq!(status, 200, "served again once the burst is over");
    s.stop().await;
}
