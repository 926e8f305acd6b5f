//! Plans, memberships and payments (see `warta_core::membership`).

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};
use warta_core::membership::{Period, PlanEdit};

use crate::{StoreError, changes};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Plan {
    pub id: i64,
    pub name: String,
    pub price_idr: i64,
    pub period: String,
    pub active: i64,
}

impl Plan {
    pub fn period(&self) -> Period {
        Period::parse(&self.period).unwrap_or(Period::Monthly)
    }
}

/// A reader's membership as stored (it may have run out).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Membership {
    pub user_id: i64,
    pub plan_id: Option<i64>,
    pub until: i64,
    pub renews: i64,
    pub source: String,
}

impl Membership {
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.until > now.timestamp()
    }
}

/// A payment as asked for.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Payment {
    pub order_id: String,
    pub user_id: i64,
    pub plan_id: i64,
    pub amount_idr: i64,
    pub provider: String,
    pub status: String,
}

pub async fn plans(conn: &mut AnyConnection, only_active: bool) -> Result<Vec<Plan>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name, price_idr, period, active FROM plans WHERE active = 1 OR $1 = 0 \
         ORDER BY price_idr, id",
    )
    .bind(i64::from(only_active))
    .fetch_all(conn)
    .await?)
}

pub async fn plan(conn: &mut AnyConnection, id: i64) -> Result<Option<Plan>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, name, price_idr, period, active FROM plans WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn create_plan(
    conn: &mut AnyConnection,
    edit: &PlanEdit,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO plans (name, price_idr, period, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&edit.name)
    .bind(edit.price_idr)
    .bind(edit.period.as_str())
    .bind(now.timestamp())
    .fetch_one(&mut *conn)
    .await?;
    changes::bump(conn).await?;
    Ok(id)
}

/// Withdraws a plan from sale (members keep what they paid for).
pub async fn retire_plan(conn: &mut AnyConnection, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE plans SET active = 0 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    changes::bump(conn).await?;
    Ok(done > 0)
}

pub async fn membership(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<Membership>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT user_id, plan_id, until, renews, source FROM memberships WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// Sets a membership to last until `until` after a payment: by Stripe (a subscription: renews)
/// or by Midtrans (one period: nothing more will be charged, so the reader is not told it
/// renews).
async fn set_until(
    conn: &mut AnyConnection,
    user_id: i64,
    plan_id: Option<i64>,
    until: DateTime<Utc>,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (user_id, plan_id, until, renews, source, updated_at) \
         VALUES ($1, $2, $3, $6, $4, $5) \
         ON CONFLICT (user_id) DO UPDATE SET plan_id = excluded.plan_id, until = excluded.until, \
         renews = excluded.renews, source = excluded.source, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(plan_id)
    .bind(until.timestamp())
    .bind(source)
    .bind(now.timestamp())
    .bind(i64::from(source == "stripe"))
    .execute(conn)
    .await?;
    Ok(())
}

/// Remembers the provider's subscription behind a member's renewals.
pub async fn set_subscription(
    conn: &mut AnyConnection,
    user_id: i64,
    subscription: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE memberships SET provider_ref = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(subscription)
        .execute(conn)
        .await?;
    Ok(())
}

/// The member and plan behind a provider subscription.
pub async fn by_subscription(
    conn: &mut AnyConnection,
    subscription: &str,
) -> Result<Option<(i64, Option<i64>)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT user_id, plan_id FROM memberships WHERE provider_ref = $1")
            .bind(subscription)
            .fetch_optional(conn)
            .await?,
    )
}

/// The subscription to cancel at the provider when a member stops renewing.
pub async fn subscription_of(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<String>, StoreError> {
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT provider_ref FROM memberships WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.flatten())
}

/// An admin's gift: the membership lasts until `until`. Only the end changes: a subscriber
/// keeps their plan and renewal (the next renewal extends from the gift's end), and a reader
/// without a membership gets one that nothing renews.
pub async fn grant(
    conn: &mut AnyConnection,
    user_id: i64,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (user_id, plan_id, until, renews, source, updated_at) \
         VALUES ($1, NULL, $2, 0, 'grant', $3) \
         ON CONFLICT (user_id) DO UPDATE SET until = excluded.until, \
         updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(until.timestamp())
    .bind(now.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a membership now and forgets its subscription, so a late renewal from the provider
/// finds no member to extend. The caller stops the subscription at the provider first
/// ([`subscription_of`]).
pub async fn revoke(
    conn: &mut AnyConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE memberships SET until = $2, renews = 0, provider_ref = NULL, updated_at = $2 \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .bind(now.timestamp())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// The provider ended the subscription: nothing renews, and nothing is left to cancel there
/// (an admin's later revoke must not ask the provider to stop what it already stopped).
pub async fn subscription_ended(
    conn: &mut AnyConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE memberships SET renews = 0, provider_ref = NULL, updated_at = $2 WHERE user_id = $1",
    )
    .bind(user_id)
    .bind(now.timestamp())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Stops renewal; the membership lasts until its paid end.
pub async fn cancel_renewal(
    conn: &mut AnyConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE memberships SET renews = 0, updated_at = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(now.timestamp())
        .execute(conn)
        .await?
        .rows_affected();
    Ok(done > 0)
}

/// Every current member, soonest end first, with their e-mail address.
pub async fn members(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT u.email, u.name, m.until, m.renews FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.until > $1 ORDER BY m.until",
    )
    .bind(now.timestamp())
    .fetch_all(conn)
    .await?)
}

pub async fn create_payment(
    conn: &mut AnyConnection,
    payment: &Payment,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO payments (order_id, user_id, plan_id, amount_idr, provider, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
    )
    .bind(&payment.order_id)
    .bind(payment.user_id)
    .bind(payment.plan_id)
    .bind(payment.amount_idr)
    .bind(&payment.provider)
    .bind(now.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn payment(
    conn: &mut AnyConnection,
    order_id: &str,
) -> Result<Option<Payment>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT order_id, user_id, plan_id, amount_idr, provider, status FROM payments WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await?)
}

/// Marks a payment paid and extends the member's time by the plan's period, from the later of
/// now and their current end. A payment already paid changes nothing (providers repeat
/// notifications); returns whether this call recorded it.
pub async fn record_paid(
    conn: &mut AnyConnection,
    order_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let marked = sqlx::query(
        "UPDATE payments SET status = 'paid', paid_at = $2 WHERE order_id = $1 AND status <> 'paid'",
    )
    .bind(order_id)
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if marked == 0 {
        return Ok(false);
    }
    let Some(payment) = payment(conn, order_id).await? else {
        return Ok(false);
    };
    let Some(plan) = plan(conn, payment.plan_id).await? else {
        return Ok(false);
    };
    let current = membership(conn, payment.user_id).await?;
    let from = current
        .filter(|m| m.active(now))
        .and_then(|m| DateTime::from_timestamp(m.until, 0))
        .unwrap_or(now);
    let until = plan.period().after(from);
    set_until(
        conn,
        payment.user_id,
        Some(plan.id),
        until,
        &payment.provider,
        now,
    )
    .await?;
    Ok(true)
}

/// Marks a payment failed (expired, denied, cancelled at the provider).
pub async fn record_failed(conn: &mut AnyConnection, order_id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE payments SET status = 'failed' WHERE order_id = $1 AND status = 'pending'")
        .bind(order_id)
        .execute(conn)
        .await?;
    Ok(())
}
