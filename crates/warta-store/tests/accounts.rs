//! The viewer lookup every signed-in request makes, on both engines (read directly from an
//! SQLite file, through the pool on PostgreSQL): the session's user and whether their
//! membership runs, by session or by user id; an expired or ended session is nobody.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{Duration, Utc};
use warta_core::account::Role;
use warta_store::{
    Store,
    accounts::{self, ViewerKey},
    membership,
    testing::{self, TestDb},
};

async fn viewer(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let now = Utc::now();
    let hour = Duration::hours(1);
    let mut conn = store.pool().acquire().await.unwrap();
    let ani = testing::reader(&mut conn, now).await;
    let budi = accounts::create(
        &mut conn,
        "Budi",
        "budi@contoh.id",
        "x",
        Role::Editor,
        false,
        now,
    )
    .await
    .unwrap();
    accounts::start_session(&mut conn, "ani-1", ani, now, now + hour)
        .await
        .unwrap();
    accounts::start_session(&mut conn, "budi-1", budi, now - hour * 2, now - hour)
        .await
        .unwrap();
    membership::grant(&mut conn, ani, now + hour * 24, now)
        .await
        .unwrap();
    drop(conn);

    let (user, member) = accounts::viewer_in(&store, ViewerKey::Session("ani-1"), now)
        .await
        .unwrap()
        .expect("a live session");
    assert_eq!(
        (user.id, user.name.as_str(), user.role),
        (ani, "Ani", Role::Reader)
    );
    assert!(user.verified && member);
    let later = now + hour * 25;
    let (_, member) = accounts::viewer_in(&store, ViewerKey::User(ani), later)
        .await
        .unwrap()
        .unwrap();
    assert!(!member, "the membership ran out");
    assert!(
        accounts::viewer_in(&store, ViewerKey::Session("budi-1"), now)
            .await
            .unwrap()
            .is_none(),
        "an expired session is nobody"
    );
    let (user, member) = accounts::viewer_in(&store, ViewerKey::User(budi), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (user.role, user.verified, member),
        (Role::Editor, false, false)
    );

    // Signing out takes effect on the very next request.
    let mut conn = store.pool().acquire().await.unwrap();
    accounts::end_session(&mut conn, "ani-1").await.unwrap();
    drop(conn);
    assert!(
        accounts::viewer_in(&store, ViewerKey::Session("ani-1"), now)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_viewer_on_sqlite() {
    viewer(testing::sqlite()).await;
}

#[tokio::test]
async fn the_viewer_on_postgres() {
    if let Some(db) = testing::postgres().await {
        viewer(db).await;
    }
}
