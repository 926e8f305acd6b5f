//! The sweep on both engines: expired sessions and tokens go, live ones stay; a newsletter
//! sign-up left unconfirmed for a week goes with its lists, a newer one, one asked for again
//! and a confirmed one stay. A sign-up asked for again while the sweep removes it starts
//! afresh.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{Duration, Utc};
use warta_store::{
    Store,
    accounts::{self, Purpose},
    housekeeping::{self, Swept},
    newsletters::{self, SignUp},
    testing::{self, TestDb},
};

/// Signs `email` up for the daily digest at `at`; its token.
async fn sign_up(
    conn: &mut warta_store::Connection,
    email: &str,
    at: chrono::DateTime<Utc>,
) -> String {
    let daily = [("daily".to_owned(), 0)];
    match newsletters::sign_up(conn, email, &daily, at).await.unwrap() {
        SignUp::Pending(token) | SignUp::Confirmed(token) => token,
    }
}

async fn sweep(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let now = Utc::now();
    let mut conn = store.pool().acquire().await.unwrap();
    let user = testing::reader(&mut conn, now).await;
    let hour = Duration::hours(1);
    accounts::start_session(&mut conn, "lama", user, now - hour * 48, now - hour)
        .await
        .unwrap();
    accounts::start_session(&mut conn, "baru", user, now, now + hour)
        .await
        .unwrap();
    accounts::issue_token(
        &mut conn,
        "t-lama",
        user,
        Purpose::ResetPassword,
        now - hour,
    )
    .await
    .unwrap();
    accounts::issue_token(&mut conn, "t-baru", user, Purpose::VerifyEmail, now + hour)
        .await
        .unwrap();

    let week = housekeeping::UNCONFIRMED_KEPT;
    sign_up(&mut conn, "lupa@contoh.id", now - week - hour).await;
    sign_up(&mut conn, "baru@contoh.id", now - hour).await;
    let confirmed = sign_up(&mut conn, "setia@contoh.id", now - week - hour).await;
    newsletters::confirm(&mut conn, &confirmed, now - week)
        .await
        .unwrap();
    // Asked again yesterday: the wait starts over.
    sign_up(&mut conn, "ulang@contoh.id", now - week - hour).await;
    sign_up(&mut conn, "ulang@contoh.id", now - hour * 24).await;

    let swept = housekeeping::sweep(&mut conn, now).await.unwrap();
    assert_eq!(
        swept,
        Swept {
            sessions: 1,
            tokens: 1,
            sign_ups: 1
        }
    );
    let alive = accounts::viewer_in(&store, accounts::ViewerKey::Session("baru"), now)
        .await
        .unwrap();
    assert!(alive.is_some(), "the live session stays");
    let left: Vec<String> = sqlx::query_scalar("SELECT email FROM subscribers ORDER BY email")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        left,
        ["baru@contoh.id", "setia@contoh.id", "ulang@contoh.id"]
    );
    let lists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM subscriptions")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(lists, 3, "the forgotten address's list went with it");
    assert!(
        housekeeping::sweep(&mut conn, now)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The sweep has removed a week-old sign-up but not yet committed when the address signs up
/// again: the sign-up waits for it and starts afresh, with its list.
async fn sign_up_racing_the_sweep(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let now = Utc::now();
    let stale = now - housekeeping::UNCONFIRMED_KEPT - Duration::hours(1);
    let mut conn = store.pool().acquire().await.unwrap();
    let old_token = sign_up(&mut conn, "ulang@contoh.id", stale).await;
    drop(conn);

    let mut sweeping = store.begin().await.unwrap();
    let swept = housekeeping::sweep(&mut sweeping, now).await.unwrap();
    assert_eq!(swept.sign_ups, 1);
    let again = tokio::spawn({
        let store = store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let daily = [("daily".to_owned(), 0)];
            let outcome = newsletters::sign_up(&mut tx, "ulang@contoh.id", &daily, now).await;
            tx.commit().await.unwrap();
            outcome
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    sweeping.commit().await.unwrap();
    let SignUp::Pending(token) = again.await.unwrap().unwrap() else {
        panic!("a sign-up that was never confirmed");
    };
    assert_ne!(token, old_token, "a new sign-up, not the swept one");

    let mut conn = store.pool().acquire().await.unwrap();
    let lists: Vec<String> = sqlx::query_scalar(
        "SELECT s.list FROM subscriptions s JOIN subscribers r ON r.id = s.subscriber_id \
         WHERE r.email = 'ulang@contoh.id'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert_eq!(lists, ["daily"]);
}

#[tokio::test]
async fn a_sign_up_racing_the_sweep_on_sqlite() {
    sign_up_racing_the_sweep(testing::sqlite()).await;
}

#[tokio::test]
async fn a_sign_up_racing_the_sweep_on_postgres() {
    if let Some(db) = testing::postgres().await {
        sign_up_racing_the_sweep(db).await;
    }
}

#[tokio::test]
async fn the_sweep_on_sqlite() {
    sweep(testing::sqlite()).await;
}

#[tokio::test]
async fn the_sweep_on_postgres() {
    if let Some(db) = testing::postgres().await {
        sweep(db).await;
    }
}
