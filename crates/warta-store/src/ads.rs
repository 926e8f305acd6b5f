//! Ad campaigns and their counts (see `warta_core::ads`).

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};
use warta_core::ads::CampaignEdit;

use crate::{StoreError, changes};

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub slot: String,
    pub image_url: Option<String>,
    pub link_url: Option<String>,
    pub alt: String,
    pub html: Option<String>,
    pub allow_scripts: i64,
    pub section: Option<String>,
    pub weight: i64,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub active: i64,
}

const COLUMNS: &str = "id, name, slot, image_url, link_url, alt, html, allow_scripts, section, \
     weight, starts_at, ends_at, active";

pub async fn create(
    conn: &mut AnyConnection,
    edit: &CampaignEdit,
    html: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO campaigns (name, slot, image_url, link_url, alt, html, allow_scripts, section, \
         weight, starts_at, ends_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&edit.name)
    .bind(edit.slot.as_str())
    .bind(edit.image_url.clone())
    .bind(edit.link_url.clone())
    .bind(&edit.alt)
    .bind(html.map(str::to_owned))
    .bind(i64::from(edit.allow_scripts))
    .bind(edit.section.clone())
    .bind(edit.weight)
    .bind(edit.starts_at.timestamp())
    .bind(edit.ends_at.map(|t| t.timestamp()))
    .bind(now.timestamp())
    .fetch_one(&mut *conn)
    .await?;
    changes::bump(conn).await?;
    Ok(id)
}

/// Stops a campaign.
pub async fn stop(conn: &mut AnyConnection, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE campaigns SET active = 0 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    changes::bump(conn).await?;
    Ok(done > 0)
}

/// Campaigns that may run at `now` (active, started, not ended).
pub async fn running(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Campaign>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM campaigns WHERE active = 1 AND starts_at <= $1 \
         AND (ends_at IS NULL OR ends_at > $1) ORDER BY id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(now.timestamp())
        .fetch_all(conn)
        .await?)
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Campaign>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM campaigns WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?)
}

/// Every campaign with its total impressions and clicks, newest first.
pub async fn report(conn: &mut AnyConnection) -> Result<Vec<(Campaign, i64, i64)>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM campaigns ORDER BY id DESC");
    let campaigns: Vec<Campaign> = sqlx::query_as(&sql).fetch_all(&mut *conn).await?;
    let totals: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT campaign_id, CAST(SUM(impressions) AS BIGINT), CAST(SUM(clicks) AS BIGINT) \
         FROM ad_stats GROUP BY campaign_id",
    )
    .fetch_all(conn)
    .await?;
    Ok(campaigns
        .into_iter()
        .map(|c| {
            let (shown, clicked) = totals
                .iter()
                .find(|(id, _, _)| *id == c.id)
                .map_or((0, 0), |(_, s, k)| (*s, *k));
            (c, shown, clicked)
        })
        .collect())
}

/// Adds counted impressions and clicks to `day` (Unix days).
pub async fn add_counts(
    conn: &mut AnyConnection,
    counts: &[(i64, i64, i64)],
    day: i64,
) -> Result<(), StoreError> {
    for (campaign, impressions, clicks) in counts {
        sqlx::query(
            "INSERT INTO ad_stats (campaign_id, day, impressions, clicks) \
             SELECT id, $2, $3, $4 FROM campaigns WHERE id = $1 \
             ON CONFLICT (campaign_id, day) DO UPDATE SET \
             impressions = ad_stats.impressions + excluded.impressions, \
             clicks = ad_stats.clicks + excluded.clicks",
        )
        .bind(campaign)
        .bind(day)
        .bind(impressions)
        .bind(clicks)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The next moment a campaign starts or ends, so pages can change then.
pub async fn next_boundary(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let next: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(t) FROM (SELECT starts_at AS t FROM campaigns WHERE active = 1 AND starts_at > $1 \
         UNION ALL SELECT ends_at AS t FROM campaigns WHERE active = 1 AND ends_at > $1) AS times",
    )
    .bind(now.timestamp())
    .fetch_one(conn)
    .await?;
    Ok(next.and_then(|t| DateTime::from_timestamp(t, 0)))
}
