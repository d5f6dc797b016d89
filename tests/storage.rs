//! The storage contract: the same behaviour from SQLite and PostgreSQL.

mod common;

use common::TestDb;
use parcours_server::store::{NewMap, Store};
use parcours_shared::{ItineraryKind, MapId};

fn new_map(id: &str, title: &str, now: i64) -> NewMap {
    NewMap {
        id: MapId(id.into()),
        title: title.into(),
        itinerary: ItineraryKind::Omnichannel,
        now,
    }
}

async fn store(db: &TestDb) -> Store {
    db.store().await
}

async fn maps_are_created_listed_archived_and_deleted(db: TestDb) {
    let s = store(&db).await;
    s.create_map(&new_map("aaaaaaaaaaaaaaaa", "First", 1_000), b"init-a")
        .await
        .expect("create");
    s.create_map(&new_map("bbbbbbbbbbbbbbbb", "Second", 2_000), b"init-b")
        .await
        .expect("create");
    let list = s.list_maps(false).await.expect("list");
    assert_eq!(
        list.iter().map(|m| m.title.as_str()).collect::<Vec<_>>(),
        ["Second", "First"]
    );
    assert_eq!(list[0].itinerary, ItineraryKind::Omnichannel);

    let a = MapId("aaaaaaaaaaaaaaaa".into());
    assert!(s.set_archived(&a, Some(3_000)).await.expect("archive"));
    assert_eq!(s.list_maps(false).await.expect("list").len(), 1);
    let all = s.list_maps(true).await.expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(
        s.get_map(&a)
            .await
            .expect("get")
            .expect("exists")
            .archived_at,
        Some(3_000)
    );
    assert!(s.set_archived(&a, None).await.expect("restore"));
    assert_eq!(
        s.get_map(&a)
            .await
            .expect("get")
            .expect("exists")
            .archived_at,
        None
    );

    assert!(s.delete_map(&a).await.expect("delete"));
    assert!(!s.delete_map(&a).await.expect("delete again"));
    assert!(s.get_map(&a).await.expect("get").is_none());
    assert!(s.load_doc(&a).await.expect("load").is_none());
    assert!(!s.set_archived(&a, Some(1)).await.expect("archive missing"));
}
both_backends!(
    maps_are_created_listed_archived_and_deleted,
    maps_are_created_listed_archived_and_deleted
);

async fn a_duplicate_map_id_is_refused(db: TestDb) {
    let s = store(&db).await;
    s.create_map(&new_map("cccccccccccccccc", "One", 1), b"x")
        .await
        .expect("create");
    assert!(s
        .create_map(&new_map("cccccccccccccccc", "Two", 2), b"y")
        .await
        .is_err());
    assert_eq!(
        s.get_map(&MapId("cccccccccccccccc".into()))
            .await
            .expect("get")
            .expect("row")
            .title,
        "One"
    );
}
both_backends!(a_duplicate_map_id_is_refused, a_duplicate_map_id_is_refused);

async fn the_log_keeps_order_and_a_snapshot_drops_what_it_covers(db: TestDb) {
    let s = store(&db).await;
    let id = MapId("dddddddddddddddd".into());
    s.create_map(&new_map(id.as_str(), "Log", 1), b"snap0")
        .await
        .expect("create");
    let mut seqs = Vec::new();
    for i in 0..5u8 {
        let seq = s
            .append_update(&id, &[i; 3], 10 + i as i64, None)
            .await
            .expect("append")
            .expect("map exists");
        seqs.push(seq);
    }
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "seqs increase: {seqs:?}"
    );
    let doc = s.load_doc(&id).await.expect("load").expect("exists");
    assert_eq!(doc.snapshot.as_deref(), Some(&b"snap0"[..]));
    assert_eq!(
        doc.updates.iter().map(|(_, d)| d[0]).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4]
    );

    // A snapshot covering the first three rows drops exactly those.
    let dropped = s
        .write_snapshot(&id, b"snap3", seqs[2], 20)
        .await
        .expect("snapshot");
    assert_eq!(dropped, 3);
    let doc = s.load_doc(&id).await.expect("load").expect("exists");
    assert_eq!(doc.snapshot.as_deref(), Some(&b"snap3"[..]));
    assert_eq!(doc.covers_seq, seqs[2]);
    assert_eq!(
        doc.updates.iter().map(|(_, d)| d[0]).collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(s.log_len(&id).await.expect("len"), 2);
}
both_backends!(
    the_log_keeps_order_and_a_snapshot_drops_what_it_covers,
    the_log_keeps_order_and_a_snapshot_drops_what_it_covers
);

async fn appends_touch_the_map_and_copy_the_title(db: TestDb) {
    let s = store(&db).await;
    let id = MapId("eeeeeeeeeeeeeeee".into());
    s.create_map(&new_map(id.as_str(), "Old", 1), b"s")
        .await
        .expect("create");
    s.append_update(&id, b"u", 500, Some("New title"))
        .await
        .expect("append");
    let row = s.get_map(&id).await.expect("get").expect("row");
    assert_eq!((row.title.as_str(), row.updated_at), ("New title", 500));
    s.append_update(&id, b"u", 600, None).await.expect("append");
    let row = s.get_map(&id).await.expect("get").expect("row");
    assert_eq!((row.title.as_str(), row.updated_at), ("New title", 600));
}
both_backends!(
    appends_touch_the_map_and_copy_the_title,
    appends_touch_the_map_and_copy_the_title
);

async fn writes_for_a_deleted_map_leave_nothing_behind(db: TestDb) {
    let s = store(&db).await;
    let id = MapId("ffffffffffffffff".into());
    s.create_map(&new_map(id.as_str(), "Gone", 1), b"s")
        .await
        .expect("create");
    s.delete_map(&id).await.expect("delete");
    assert_eq!(
        s.append_update(&id, b"late", 2, None)
            .await
            .expect("append"),
        None
    );
    assert_eq!(
        s.write_snapshot(&id, b"late", 99, 3)
            .await
            .expect("snapshot"),
        0
    );
    assert_eq!(s.log_len(&id).await.expect("len"), 0);
    assert!(s.load_doc(&id).await.expect("load").is_none());
}
both_backends!(
    writes_for_a_deleted_map_leave_nothing_behind,
    writes_for_a_deleted_map_leave_nothing_behind
);

async fn migrations_are_idempotent_and_the_database_answers(db: TestDb) {
    let s = store(&db).await;
    s.migrate().await.expect("second migrate is a no-op");
    s.ping().await.expect("ping");
    assert_eq!(s.backend(), db.backend);
}
both_backends!(
    migrations_are_idempotent_and_the_database_answers,
    migrations_are_idempotent_and_the_database_answers
);
