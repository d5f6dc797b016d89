//! Retention: history older than `--history-days` goes, back to the newest checkpoint
//! before the cutoff; everything after it, and the live map, stay exactly as they were.

use parcours_server::history::{view_at, HistoryError};
use parcours_server::store::{Author, ElementState, MapHead, NewMap, Store, VersionRecord};
use parcours_shared::ids::{MapId, UserId};
use parcours_shared::schema::{At, MapDoc};
use parcours_shared::view::{read_view, MapView};
use parcours_shared::ItineraryKind;
use yrs::{Doc, ReadTxn, StateVector, Transact};

use crate::common::{eventually, TestDb, TestServer};

/// A map written straight to the store at chosen times: each step's update and the
/// view after it.
struct Written {
    map: MapId,
    /// `(seq, at, view after)` per row.
    rows: Vec<(i64, i64, MapView)>,
    final_view: MapView,
}

async fn write_history(store: &Store) -> Written {
    let map = MapId("retentionmap0000".into());
    let doc = Doc::new();
    MapDoc::new(doc.clone()).edit(|m| m.set_title("Kept"));
    let initial = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    store
        .create_map(
            &NewMap {
                id: map.clone(),
                title: "Kept".into(),
                itinerary: ItineraryKind::Linear,
                now: 1_000,
                method_steps: None,
            },
            &initial,
            &UserId("owner00000000000".into()),
        )
        .await
        .expect("create");
    let mut rows = Vec::new();
    // Seven rows at 2 000, 3 000, … 8 000 ms; checkpoints after the 4th (at 5 500) and
    // the 6th (at 7 500).
    for i in 1..=7i64 {
        let sv = doc.transact().state_vector();
        MapDoc::new(doc.clone())
            .edit(|m| m.add_stage(&format!("s{i}"), &format!("Stage {i}"), At::End))
            .expect("stage");
        let update = doc.transact().encode_state_as_update_v1(&sv);
        let at = 1_000 + i * 1_000;
        let changed = [ElementState {
            root: "stages".into(),
            element: format!("s{i}"),
            created: true,
            state: Some(format!(r#"{{"name":"Stage {i}"}}"#)),
        }];
        let seq = store
            .append_update(
                &map,
                &update,
                at,
                MapHead::default(),
                &Author::Server(None),
                &changed,
            )
            .await
            .expect("append")
            .expect("map");
        rows.push((seq, at, read_view(&doc)));
        if i == 4 || i == 6 {
            let state = doc
                .transact()
                .encode_state_as_update_v1(&StateVector::default());
            store
                .write_snapshot(&map, &state, seq, at + 500, true)
                .await
                .expect("checkpoint");
        }
        if i == 2 || i == 7 {
            store
                .insert_version(&VersionRecord {
                    id: format!("version{i}00000"),
                    map_id: map.clone(),
                    seq,
                    at,
                    kind: "auto".into(),
                    name: None,
                    created_by: None,
                    authors: "[]".into(),
                    summary: "1 stage added".into(),
                })
                .await
                .expect("version");
        }
    }
    Written {
        map,
        rows,
        final_view: read_view(&doc),
    }
}

async fn retention_deletes_only_what_is_past_it(db: TestDb) {
    let store = db.store().await;
    let w = write_history(&store).await;
    let seq = |i: usize| w.rows[i - 1].0;
    assert_eq!(
        store.purge_history(0).await.expect("purge"),
        0,
        "nothing is that old"
    );
    // Cut at 6 500 ms: the newest checkpoint at or before it is the one after row 4
    // (written at 5 500), so rows 1–4 and what hangs on them go; rows 5–7 stay.
    let gone = store.purge_history(6_500).await.expect("purge");
    assert_eq!(gone, 4);
    assert_eq!(store.log_len(&w.map).await.expect("len"), 3);
    assert_eq!(
        store.history_start(&w.map).await.expect("start"),
        Some(5_500)
    );
    // Every moment after the cut reads as before.
    assert_eq!(
        view_at(&store, &w.map, seq(4)).await.expect("checkpoint"),
        w.rows[3].2
    );
    for i in 5..=7 {
        assert_eq!(
            view_at(&store, &w.map, seq(i)).await.expect("kept"),
            w.rows[i - 1].2,
            "row {i}"
        );
    }
    // Before it, history answers that it is gone, not with a wrong map.
    assert!(matches!(
        view_at(&store, &w.map, seq(2)).await,
        Err(HistoryError::BeforeHistory)
    ));
    let versions = store.versions(&w.map).await.expect("versions");
    assert_eq!(
        versions.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
        ["version700000"]
    );
    assert!(store
        .element_changes(&w.map, "s3")
        .await
        .expect("blame")
        .is_empty());
    assert_eq!(
        store
            .element_changes(&w.map, "s5")
            .await
            .expect("blame")
            .len(),
        1
    );
    // The live map is whole.
    let doc = parcours_server_load(&store, &w.map).await;
    assert_eq!(doc, w.final_view);
}
both_backends!(retention_deletes_only_what_is_past_it);

/// The live map as loading rebuilds it: snapshot, then the rows after it.
async fn parcours_server_load(store: &Store, map: &MapId) -> MapView {
    let stored = store.load_doc(map).await.expect("load").expect("map");
    let doc = Doc::new();
    {
        use yrs::updates::decoder::Decode;
        let mut txn = doc.transact_mut();
        for data in stored
            .snapshot
            .iter()
            .chain(stored.updates.iter().map(|(_, d)| d))
        {
            txn.apply_update(yrs::Update::decode_v1(data).expect("decode"))
                .expect("apply");
        }
    }
    read_view(&doc)
}

async fn the_server_sweeps_by_its_setting_and_zero_keeps_everything(db: TestDb) {
    let store = db.store().await;
    let w = write_history(&store).await;
    // 0 days: kept forever.
    let mut config = db.config();
    config.history_days = 0;
    let server = TestServer::start(config.clone()).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(store.log_len(&w.map).await.expect("len"), 7);
    server.stop().await;
    // 1 day: everything here is from 1970; what is kept starts at the newest
    // checkpoint (after row 6), and the map still reads the same.
    config.history_days = 1;
    let server = TestServer::start(config).await;
    eventually("the sweep ran at start", || async {
        store.log_len(&w.map).await.expect("len") == 1
    })
    .await;
    assert_eq!(parcours_server_load(&store, &w.map).await, w.final_view);
    assert_eq!(
        store.history_start(&w.map).await.expect("start"),
        Some(7_500)
    );
    server.stop().await;
}
both_backends!(the_server_sweeps_by_its_setting_and_zero_keeps_everything);
