//! The storage contract: the same behaviour from SQLite and PostgreSQL.

mod common;

use common::TestDb;
use parcours_server::store::{Author, MapHead, NewInvitation, NewMap, NewUser, Store};
use parcours_shared::ids::{Role, UserId};
use parcours_shared::{ItineraryKind, MapId};

fn owner() -> UserId {
    UserId("owner00000000000".into())
}

fn new_map(id: &str, title: &str, now: i64) -> NewMap {
    NewMap {
        id: MapId(id.into()),
        title: title.into(),
        itinerary: ItineraryKind::Omnichannel,
        now,
        method_steps: None,
    }
}

async fn store(db: &TestDb) -> Store {
    db.store().await
}

async fn maps_are_created_listed_archived_and_deleted(db: TestDb) {
    let s = store(&db).await;
    s.create_map(
        &new_map("aaaaaaaaaaaaaaaa", "First", 1_000),
        b"init-a",
        &owner(),
    )
    .await
    .expect("create");
    s.create_map(
        &new_map("bbbbbbbbbbbbbbbb", "Second", 2_000),
        b"init-b",
        &owner(),
    )
    .await
    .expect("create");
    let list = s.list_maps(false).await.expect("list");
    assert_eq!(
        list.iter().map(|m| m.title.as_str()).collect::<Vec<_>>(),
        ["Second", "First"]
    );
    assert_eq!(list[0].itinerary, ItineraryKind::Omnichannel);

    let a = MapId("aaaaaaaaaaaaaaaa".into());
    assert!(s
        .set_archived(&a, Some(3_000), None, 1)
        .await
        .expect("archive"));
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
    assert!(s.set_archived(&a, None, None, 1).await.expect("restore"));
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
    assert!(!s
        .set_archived(&a, Some(1), None, 1)
        .await
        .expect("archive missing"));
}
both_backends!(maps_are_created_listed_archived_and_deleted);

async fn a_duplicate_map_id_is_refused(db: TestDb) {
    let s = store(&db).await;
    s.create_map(&new_map("cccccccccccccccc", "One", 1), b"x", &owner())
        .await
        .expect("create");
    assert!(s
        .create_map(&new_map("cccccccccccccccc", "Two", 2), b"y", &owner())
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
both_backends!(a_duplicate_map_id_is_refused);

async fn the_log_keeps_order_and_a_snapshot_skips_what_it_covers(db: TestDb) {
    let s = store(&db).await;
    let id = MapId("dddddddddddddddd".into());
    s.create_map(&new_map(id.as_str(), "Log", 1), b"snap0", &owner())
        .await
        .expect("create");
    let mut seqs = Vec::new();
    for i in 0..5u8 {
        let seq = s
            .append_update(
                &id,
                &[i; 3],
                10 + i as i64,
                MapHead::default(),
                &Author::Server(None),
                &[],
            )
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

    // A snapshot covering the first three rows: loading skips exactly those, and the
    // log keeps them all (they are the history).
    s.write_snapshot(&id, b"snap3", seqs[2], 20, false)
        .await
        .expect("snapshot");
    let doc = s.load_doc(&id).await.expect("load").expect("exists");
    assert_eq!(doc.snapshot.as_deref(), Some(&b"snap3"[..]));
    assert_eq!(doc.covers_seq, seqs[2]);
    assert_eq!(
        doc.updates.iter().map(|(_, d)| d[0]).collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(s.log_len(&id).await.expect("len"), 5);
    // Without `checkpoint`, history still starts at the map's first state.
    assert_eq!(s.first_checkpoint(&id).await.expect("first"), Some(0));
    assert_eq!(doc.rows_since_checkpoint, 5);
    s.write_snapshot(&id, b"snap4", seqs[4], 30, true)
        .await
        .expect("checkpoint");
    let (at, state) = s
        .checkpoint_before(&id, seqs[4])
        .await
        .expect("read")
        .expect("kept");
    assert_eq!((at, state.as_slice()), (seqs[4], &b"snap4"[..]));
    let doc = s.load_doc(&id).await.expect("load").expect("exists");
    assert_eq!((doc.rows_since_checkpoint, doc.checkpoint_at), (0, 30));
}
both_backends!(the_log_keeps_order_and_a_snapshot_skips_what_it_covers);

async fn appends_touch_the_map_and_copy_the_title(db: TestDb) {
    let s = store(&db).await;
    let id = MapId("eeeeeeeeeeeeeeee".into());
    s.create_map(&new_map(id.as_str(), "Old", 1), b"s", &owner())
        .await
        .expect("create");
    let head = MapHead {
        title: Some("New title"),
        itinerary: None,
    };
    s.append_update(&id, b"u", 500, head, &Author::Server(None), &[])
        .await
        .expect("append");
    let row = s.get_map(&id).await.expect("get").expect("row");
    assert_eq!((row.title.as_str(), row.updated_at), ("New title", 500));
    assert_eq!(row.itinerary, ItineraryKind::Omnichannel, "unchanged");
    let head = MapHead {
        title: None,
        itinerary: Some(ItineraryKind::Personalized),
    };
    s.append_update(&id, b"u", 550, head, &Author::Server(None), &[])
        .await
        .expect("append");
    let row = s.get_map(&id).await.expect("get").expect("row");
    assert_eq!(
        (row.title.as_str(), row.itinerary, row.updated_at),
        ("New title", ItineraryKind::Personalized, 550)
    );
    s.append_update(
        &id,
        b"u",
        600,
        MapHead::default(),
        &Author::Server(None),
        &[],
    )
    .await
    .expect("append");
    let row = s.get_map(&id).await.expect("get").expect("row");
    assert_eq!(
        (row.title.as_str(), row.itinerary, row.updated_at),
        ("New title", ItineraryKind::Personalized, 600)
    );
}
both_backends!(appends_touch_the_map_and_copy_the_title);

async fn writes_for_a_deleted_map_leave_nothing_behind(db: TestDb) {
    let s = store(&db).await;
    let id = MapId("ffffffffffffffff".into());
    s.create_map(&new_map(id.as_str(), "Gone", 1), b"s", &owner())
        .await
        .expect("create");
    s.delete_map(&id).await.expect("delete");
    assert_eq!(
        s.append_update(
            &id,
            b"late",
            2,
            MapHead::default(),
            &Author::Server(None),
            &[]
        )
        .await
        .expect("append"),
        None
    );
    s.write_snapshot(&id, b"late", 99, 3, true)
        .await
        .expect("snapshot");
    assert!(s.checkpoint_before(&id, 99).await.expect("read").is_none());
    assert_eq!(s.log_len(&id).await.expect("len"), 0);
    assert!(s.load_doc(&id).await.expect("load").is_none());
}
both_backends!(writes_for_a_deleted_map_leave_nothing_behind);

async fn migrations_are_idempotent_and_the_database_answers(db: TestDb) {
    let s = store(&db).await;
    s.migrate().await.expect("second migrate is a no-op");
    s.ping().await.expect("ping");
    assert_eq!(s.backend(), db.backend);
}
both_backends!(migrations_are_idempotent_and_the_database_answers);

async fn the_first_account_is_admin_and_emails_are_unique(db: TestDb) {
    let s = store(&db).await;
    let a = s
        .create_user(
            &NewUser {
                id: &UserId("usera00000000000".into()),
                email: "a@example.com",
                display_name: "A",
                password_hash: "hash-a",
                invited: false,
            },
            false,
            1,
        )
        .await
        .expect("create");
    let b = s
        .create_user(
            &NewUser {
                id: &UserId("userb00000000000".into()),
                email: "b@example.com",
                display_name: "B",
                password_hash: "hash-b",
                invited: false,
            },
            false,
            2,
        )
        .await
        .expect("create");
    assert!(a.is_admin && !b.is_admin);
    let dup = s
        .create_user(
            &NewUser {
                id: &UserId("userc00000000000".into()),
                email: "a@example.com",
                display_name: "C",
                password_hash: "hash-c",
                invited: false,
            },
            false,
            3,
        )
        .await;
    assert!(matches!(
        dup,
        Err(parcours_server::store::StoreError::Duplicate)
    ));
    assert_eq!(
        s.user_by_email("b@example.com")
            .await
            .expect("get")
            .expect("b")
            .id,
        b.id
    );
    assert_eq!(s.revoke_sessions(&a.id).await.expect("revoke"), 1);
    assert_eq!(s.set_password(&a.id, "hash-a2").await.expect("password"), 2);
    let a = s.user_by_id(&a.id).await.expect("get").expect("a");
    assert_eq!((a.password_hash.as_str(), a.token_version), ("hash-a2", 2));
}
both_backends!(the_first_account_is_admin_and_emails_are_unique);

async fn a_map_always_keeps_an_owner(db: TestDb) {
    let s = store(&db).await;
    let map = MapId("gggggggggggggggg".into());
    s.create_map(&new_map(map.as_str(), "Owned", 1), b"s", &owner())
        .await
        .expect("create");
    let ed = UserId("editor0000000000".into());
    s.add_member(&map, &ed, Role::Editor, Some(&owner()), "", 2)
        .await
        .expect("add");
    assert!(matches!(
        s.add_member(&map, &ed, Role::Viewer, None, "", 3).await,
        Err(parcours_server::store::StoreError::Duplicate)
    ));
    assert!(matches!(
        s.set_role(&map, &owner(), Role::Viewer, &owner(), 3).await,
        Err(parcours_server::store::StoreError::LastOwner)
    ));
    assert!(matches!(
        s.remove_member(&map, &owner(), &owner(), 3).await,
        Err(parcours_server::store::StoreError::LastOwner)
    ));
    assert!(s
        .transfer_ownership(&map, &owner(), &ed, 4)
        .await
        .expect("transfer"));
    assert_eq!(s.role_of(&map, &ed).await.expect("role"), Some(Role::Owner));
    assert_eq!(
        s.role_of(&map, &owner()).await.expect("role"),
        Some(Role::Editor)
    );
    assert!(s
        .remove_member(&map, &owner(), &ed, 5)
        .await
        .expect("remove"));
    assert_eq!(s.role_of(&map, &owner()).await.expect("role"), None);
    let listed = s.list_maps_for(&ed, false).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1, Role::Owner);
    assert!(s
        .list_maps_for(&owner(), false)
        .await
        .expect("list")
        .is_empty());
    let actions: Vec<String> = s
        .audit_log(&map, None, 100)
        .await
        .expect("audit")
        .0
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "map_created",
            "member_added",
            "ownership_transferred",
            "member_removed"
        ]
    );
}
both_backends!(a_map_always_keeps_an_owner);

async fn invitations_are_single_use_secrets_and_signing_up_claims_nothing(db: TestDb) {
    let s = store(&db).await;
    let map = MapId("hhhhhhhhhhhhhhhh".into());
    s.create_map(&new_map(map.as_str(), "Invites", 1), b"s", &owner())
        .await
        .expect("create");
    let invitation = s
        .invite(
            &NewInvitation {
                map: &map,
                email: "new@example.com",
                role: Role::Commenter,
                token_hash: "secret-hash",
                invited_by: &owner(),
                now: 2,
                expires_at: 1_000,
            },
            "inv000000001",
        )
        .await
        .expect("invite");
    assert_eq!(s.invitations(&map, 3).await.expect("list").len(), 1);
    assert!(
        s.invitations(&map, 1_000).await.expect("list").is_empty(),
        "expired"
    );
    let user = s
        .create_user(
            &NewUser {
                id: &UserId("usernew000000000".into()),
                email: "new@example.com",
                display_name: "New",
                password_hash: "h",
                invited: false,
            },
            false,
            3,
        )
        .await
        .expect("create");
    assert_eq!(
        s.role_of(&map, &user.id).await.expect("role"),
        None,
        "signing up with the invited address gives nothing"
    );
    let found = s
        .invitation_by_token_hash("secret-hash", 4)
        .await
        .expect("find")
        .expect("live");
    assert_eq!(found.id, invitation.id);
    assert!(s
        .invitation_by_token_hash("secret-hash", 1_000)
        .await
        .expect("find")
        .is_none());
    assert_eq!(
        s.accept_invitation(&found, &user.id, &user.email, 5)
            .await
            .expect("accept"),
        Some(Role::Commenter)
    );
    assert_eq!(
        s.role_of(&map, &user.id).await.expect("role"),
        Some(Role::Commenter)
    );
    assert_eq!(
        s.accept_invitation(&found, &user.id, &user.email, 6)
            .await
            .expect("accept again"),
        None,
        "single use"
    );
    assert!(s.invitations(&map, 7).await.expect("list").is_empty());
}
both_backends!(invitations_are_single_use_secrets_and_signing_up_claims_nothing);

async fn share_links_are_found_by_hash_accepted_and_revoked(db: TestDb) {
    let s = store(&db).await;
    let map = MapId("iiiiiiiiiiiiiiii".into());
    s.create_map(&new_map(map.as_str(), "Links", 1), b"s", &owner())
        .await
        .expect("create");
    let link = parcours_server::store::LinkRecord {
        id: "link1".into(),
        map_id: map.clone(),
        role: Role::Editor,
        public: false,
        include_comments: false,
        expires_at: Some(1_000),
        revoked_at: None,
        created_at: 10,
    };
    s.create_link(&link, "hash1", &owner())
        .await
        .expect("create link");
    let found = s
        .link_by_token_hash("hash1")
        .await
        .expect("find")
        .expect("link");
    assert!(found.is_live(999) && !found.is_live(1_000));
    let viewer = UserId("viewer0000000000".into());
    s.add_member(&map, &viewer, Role::Viewer, None, "", 2)
        .await
        .expect("add");
    assert_eq!(
        s.accept_link(&found, &viewer, 20).await.expect("accept"),
        Role::Editor,
        "a link raises a lower role"
    );
    assert_eq!(
        s.accept_link(&found, &owner(), 21).await.expect("accept"),
        Role::Owner,
        "and never lowers one"
    );
    let joiner = UserId("joiner0000000000".into());
    assert_eq!(
        s.accept_link(&found, &joiner, 22).await.expect("accept"),
        Role::Editor
    );
    let mut removed = s
        .revoke_link(&map, "link1", true, &owner(), 30)
        .await
        .expect("revoke")
        .expect("it was live");
    removed.sort();
    let mut expected = vec![viewer.clone(), joiner.clone()];
    expected.sort();
    assert_eq!(
        removed, expected,
        "who joined or was raised through the link is removed with it"
    );
    assert_eq!(s.role_of(&map, &joiner).await.expect("role"), None);
    assert_eq!(
        s.role_of(&map, &owner()).await.expect("role"),
        Some(Role::Owner)
    );
    assert!(s
        .revoke_link(&map, "link1", false, &owner(), 31)
        .await
        .expect("revoke twice")
        .is_none());
    assert!(s.links(&map).await.expect("links")[0].revoked_at.is_some());
    assert!(s.link_by_token_hash("nope").await.expect("find").is_none());
}
both_backends!(share_links_are_found_by_hash_accepted_and_revoked);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migrate_subcommand_prepares_an_empty_database() {
    let db = TestDb::new(parcours_server::store::Backend::Sqlite).await;
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_parcours"))
        .args(["migrate", "--database-url", &db.url])
        .env("PARCOURS_LOG", "warn")
        .status()
        .expect("run parcours migrate");
    assert!(status.success());
    // The tables are there without this process migrating.
    let s = Store::connect(&db.url).await.expect("connect");
    assert!(s
        .list_maps(true)
        .await
        .expect("maps table exists")
        .is_empty());
    assert!(!s.has_users().await.expect("users table exists"));
}

/// Migration 0005: a public link made before the "include comments" choice existed
/// keeps showing comments (nothing shared changes under anyone's feet); new links
/// default to not showing them.
async fn public_links_made_before_the_comments_choice_keep_showing_comments(db: TestDb) {
    use parcours_server::store::Backend;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.expect("connect");
    let mut before = match db.backend {
        Backend::Sqlite => sqlx::migrate!("../migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("../migrations/postgres"),
    };
    let upto: Vec<_> = before
        .migrations
        .iter()
        .filter(|m| m.version < 5)
        .cloned()
        .collect();
    assert_eq!(upto.len(), 4, "migrations 1 to 4");
    before.migrations = upto.into();
    before.run(&pool).await.expect("migrate to 0004");
    for (id, public) in [("old-public", 1_i64), ("old-private", 0)] {
        sqlx::query(
            "insert into share_links (id, map_id, token_hash, role, public, created_by, created_at)
             values ($1, 'm0000000000000aa', $2, 'viewer', $3, 'owner', 1)",
        )
        .bind(id)
        .bind(format!("hash-{id}"))
        .bind(public)
        .execute(&pool)
        .await
        .expect("an old link");
    }
    pool.close().await;
    let s = db.store().await; // runs the remaining migrations
    let old = s
        .link_by_token_hash("hash-old-public")
        .await
        .expect("find")
        .expect("link");
    assert!(
        old.public && old.include_comments,
        "old public links keep comments"
    );
    let private = s
        .link_by_token_hash("hash-old-private")
        .await
        .expect("find")
        .expect("link");
    assert!(!private.include_comments);
}
both_backends!(public_links_made_before_the_comments_choice_keep_showing_comments);

/// A version's authors are read from an index alone: the update blobs of half an hour of
/// editing (~18 000 rows a map in the soak) are not pulled through SQLite's page cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_versions_authors_are_read_from_an_index_without_the_updates() {
    use sqlx::Connection;
    let db = TestDb::new(parcours_server::store::Backend::Sqlite).await;
    let _store = store(&db).await;
    let mut conn = sqlx::AnyConnection::connect(&db.url)
        .await
        .expect("connect");
    let plan = sqlx::query(sqlx::AssertSqlSafe(format!(
        "explain query plan {}",
        parcours_server::store::AUTHORS_BETWEEN
    )))
    .bind("abcdefghijklmnop")
    .bind(0i64)
    .bind(100i64)
    .fetch_all(&mut conn)
    .await
    .expect("plan");
    let details: Vec<String> = plan
        .iter()
        .map(|row| sqlx::Row::try_get::<String, _>(row, "detail").expect("detail"))
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("COVERING INDEX map_updates_by_map_authors")),
        "{details:?}"
    );
}
