//! `--exports N`: times exports and imports on a running Parcours server. Builds the
//! 12 stages × 8 lanes × 400 cards board (the same content as the browser test's large
//! board) as a map file, imports it through `POST /api/maps/import` (timed), then
//! downloads it N times in each format (PDF poster and A4 pages, PNG 1× and 2×, SVG,
//! CSV, JSON) and prints the median and slowest time and the size of each.
//! `--samples DIR` instead writes PDF, PNG and CSV exports of two templates into DIR.

use std::time::{Duration, Instant};

use anyhow::Context;
use parcours_shared::exchange::MapFile;
use parcours_shared::schema::MapDoc;
use parcours_shared::templates::Template;
use serde_json::{json, Value};

/// The large board as a map file.
pub fn large_board() -> MapFile {
    let doc = MapDoc::new(yrs::Doc::new());
    let mut n = 0;
    let mut ids = || {
        n += 1;
        format!("id{n}")
    };
    doc.edit(|txn| -> Result<(), parcours_shared::SchemaError> {
        parcours_shared::templates::apply(
            Template::Blank,
            txn,
            "Large board",
            parcours_shared::Language::En,
            &mut ids,
        )?;
        parcours_bench::board::fill(txn)
    })
    .expect("the large board builds");
    MapFile::new(parcours_shared::read_view(doc.doc()), 0)
}

/// Times the import and every export format.
pub async fn run(api: &str, runs: usize) -> anyhow::Result<()> {
    let api = api.trim_end_matches('/').to_owned();
    let (_, token) = parcours_bench::api::create_map(&api).await?;
    let http = reqwest::Client::new();
    let file = serde_json::to_vec(&large_board())?;
    println!(
        "exports: 12 stages × 8 lanes × {} cards, map file {} bytes, {runs} runs per format",
        parcours_bench::board::CARDS,
        file.len()
    );
    let mut imports = Vec::new();
    let mut map = String::new();
    for _ in 0..runs {
        let start = Instant::now();
        let res = http
            .post(format!("{api}/api/maps/import?format=json"))
            .bearer_auth(&token)
            .body(file.clone())
            .send()
            .await?;
        let status = res.status();
        let body: Value = res.json().await?;
        anyhow::ensure!(status == 201, "import refused: {status} {body}");
        imports.push(start.elapsed());
        map = body["id"].as_str().context("no map id")?.to_owned();
    }
    report("import json", &mut imports, file.len());
    for query in [
        "format=pdf",
        "format=pdf&paper=a4",
        "format=png&scale=1",
        "format=png&scale=2",
        "format=svg",
        "format=csv",
        "format=json",
    ] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let bytes = download(&http, &api, &token, &map, query).await?;
            times.push(start.elapsed());
            size = bytes.len();
        }
        report(&format!("export {query}"), &mut times, size);
    }
    Ok(())
}

/// Writes exports of two templates into `dir`.
pub async fn samples(api: &str, dir: &str) -> anyhow::Result<()> {
    let api = api.trim_end_matches('/').to_owned();
    let (_, token) = parcours_bench::api::create_map(&api).await?;
    let http = reqwest::Client::new();
    std::fs::create_dir_all(dir)?;
    for (template, name) in [
        ("retail_bank", "retail-bank"),
        ("university_admissions", "university-admissions"),
    ] {
        let title = Template::parse(template).map_or(template, |t| t.title());
        let map = parcours_bench::api::new_map(
            &http,
            &api,
            &token,
            json!({"title": title, "template": template}),
        )
        .await?;
        for (query, ext) in [
            ("format=pdf", "pdf"),
            ("format=pdf&paper=a4", "a4.pdf"),
            ("format=png&scale=1", "png"),
            ("format=csv", "csv"),
        ] {
            let bytes = download(&http, &api, &token, &map, query).await?;
            let path = format!("{dir}/{name}.{ext}");
            std::fs::write(&path, &bytes)?;
            println!("samples: {path} ({} bytes)", bytes.len());
        }
    }
    Ok(())
}

async fn download(
    http: &reqwest::Client,
    api: &str,
    token: &str,
    map: &str,
    query: &str,
) -> anyhow::Result<Vec<u8>> {
    let res = http
        .get(format!("{api}/api/maps/{map}/export?{query}"))
        .bearer_auth(token)
        .send()
        .await?;
    let status = res.status();
    let bytes = res.bytes().await?.to_vec();
    anyhow::ensure!(
        status == 200,
        "{query}: {status} {}",
        String::from_utf8_lossy(&bytes)
    );
    Ok(bytes)
}

fn report(what: &str, times: &mut [Duration], size: usize) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:<24} median {:>7.1} ms   slowest {:>7.1} ms   {size} bytes",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}
