//! Memberships on both engines: payments extend them once, an admin's grant changes only the
//! end (a subscriber keeps renewing), a revoke ends it and forgets the subscription so a late
//! renewal from the provider finds no one.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{DateTime, Duration, Utc};
use warta_core::membership::{Period, PlanEdit};
use warta_store::{
    Store,
    membership::{self, Payment},
    testing::{self, TestDb},
};

async fn pay(
    conn: &mut sqlx::AnyConnection,
    order: &str,
    user: i64,
    plan: i64,
    now: DateTime<Utc>,
) {
    let payment = Payment {
        order_id: order.into(),
        user_id: user,
        plan_id: plan,
        amount_idr: 49_000,
        provider: "stripe".into(),
        status: "pending".into(),
    };
    membership::create_payment(conn, &payment, now)
        .await
        .unwrap();
    assert!(membership::record_paid(conn, order, now).await.unwrap());
}

async fn grant_and_revoke(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let now = Utc::now();
    let mut conn = store.pool().acquire().await.unwrap();
    let ani = testing::reader(&mut conn, now).await;
    let edit = PlanEdit {
        name: "Bulanan".into(),
        price_idr: 49_000,
        period: Period::Monthly,
    };
    let plan = membership::create_plan(&mut conn, &edit, now)
        .await
        .unwrap();

    // A Stripe subscriber: the plan, the subscription and renewal are remembered.
    pay(&mut conn, "order-1", ani, plan, now).await;
    membership::set_subscription(&mut conn, ani, "sub_1")
        .await
        .unwrap();
    let paid = membership::membership(&mut conn, ani)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((paid.plan_id, paid.renews), (Some(plan), 1));

    // A gift moves the end and leaves the subscription running.
    let gift_end = now + Duration::days(90);
    membership::grant(&mut conn, ani, gift_end, now)
        .await
        .unwrap();
    let gifted = membership::membership(&mut conn, ani)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            gifted.plan_id,
            gifted.until,
            gifted.renews,
            gifted.source.as_str()
        ),
        (Some(plan), gift_end.timestamp(), 1, "stripe")
    );
    assert_eq!(
        membership::by_subscription(&mut conn, "sub_1")
            .await
            .unwrap(),
        Some((ani, Some(plan))),
        "the next renewal still finds the member and the plan"
    );
    // The renewal extends from the gift's end.
    pay(&mut conn, "invoice-2", ani, plan, now).await;
    let renewed = membership::membership(&mut conn, ani)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(renewed.until, Period::Monthly.after(gift_end).timestamp());

    // A revoke ends it now and forgets the subscription.
    assert_eq!(
        membership::subscription_of(&mut conn, ani)
            .await
            .unwrap()
            .as_deref(),
        Some("sub_1")
    );
    assert!(membership::revoke(&mut conn, ani, now).await.unwrap());
    let ended = membership::membership(&mut conn, ani)
        .await
        .unwrap()
        .unwrap();
    assert!(!ended.active(now) && ended.renews == 0);
    assert_eq!(
        membership::by_subscription(&mut conn, "sub_1")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        membership::subscription_of(&mut conn, ani).await.unwrap(),
        None
    );

    // A reader with no membership gets one from a grant that nothing renews.
    let budi = warta_store::accounts::create(
        &mut conn,
        "Budi",
        "budi@contoh.id",
        "x",
        warta_core::account::Role::Reader,
        true,
        now,
    )
    .await
    .unwrap();
    membership::grant(&mut conn, budi, gift_end, now)
        .await
        .unwrap();
    let given = membership::membership(&mut conn, budi)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            given.plan_id,
            given.renews,
            given.source.as_str(),
            given.active(now)
        ),
        (None, 0, "grant", true)
    );
    // Stripe ending a subscription leaves nothing to cancel there later.
    membership::set_subscription(&mut conn, budi, "sub_2")
        .await
        .unwrap();
    assert!(
        membership::subscription_ended(&mut conn, budi, now)
            .await
            .unwrap()
    );
    assert_eq!(
        membership::subscription_of(&mut conn, budi).await.unwrap(),
        None
    );
    assert!(
        membership::membership(&mut conn, budi)
            .await
            .unwrap()
            .unwrap()
            .active(now)
    );
}

#[tokio::test]
async fn grant_and_revoke_on_sqlite() {
    grant_and_revoke(testing::sqlite()).await;
}

#[tokio::test]
async fn grant_and_revoke_on_postgres() {
    if let Some(db) = testing::postgres().await {
        grant_and_revoke(db).await;
    }
}
