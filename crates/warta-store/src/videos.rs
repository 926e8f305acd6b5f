//! Video items: the record of an uploaded file or an embed, with what recommendations match on
//! (section, story, tags) and the poster picture's variants joined in.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

use crate::{StoreError, changes};

/// A video as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Video {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub duration_seconds: i64,
    /// Path under the media dir of an uploaded file (`video/<key>.webm`).
    pub file_path: Option<String>,
    pub file_type: Option<String>,
    pub embed_host: Option<String>,
    pub embed_id: Option<String>,
    pub section_id: Option<i64>,
    pub section_name: Option<String>,
    pub section_slug: Option<String>,
    pub story_id: Option<i64>,
    /// Lower-case tag names, comma-separated.
    pub tags: String,
    pub published_at: i64,
    pub poster_key: Option<String>,
    pub poster_type: Option<String>,
    pub poster_width: Option<i64>,
    pub poster_height: Option<i64>,
    pub poster_widths: Option<String>,
}

impl Video {
    pub fn path(&self) -> String {
        format!("/video/{}", self.slug)
    }

    pub fn tag_list(&self) -> Vec<String> {
        warta_core::video::tag_list(&self.tags)
    }
}

/// A video to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVideo {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub duration_seconds: i64,
    pub poster_key: Option<String>,
    pub file_path: Option<String>,
    pub file_type: Option<String>,
    pub file_bytes: Option<i64>,
    pub embed_host: Option<String>,
    pub embed_id: Option<String>,
    pub section_id: Option<i64>,
    pub story_id: Option<i64>,
    pub tags: String,
}

const COLUMNS: &str = "v.id, v.slug, v.title, v.description, v.duration_seconds, v.file_path, \
     v.file_type, v.embed_host, v.embed_id, v.section_id, s.name AS section_name, \
     s.slug AS section_slug, v.story_id, v.tags, v.published_at, v.poster_key, \
     i.content_type AS poster_type, i.width AS poster_width, i.height AS poster_height, \
     i.widths AS poster_widths";
const FROM: &str = "videos v LEFT JOIN sections s ON s.id = v.section_id \
     LEFT JOIN images i ON i.key = v.poster_key";

/// Stores a video under a slug of its own (the title's, numbered when taken).
pub async fn insert(
    conn: &mut AnyConnection,
    video: &NewVideo,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(i64, String), StoreError> {
    let mut slug = video.slug.clone();
    for n in 2.. {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM videos WHERE slug = $1")
            .bind(&slug)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_none() {
            break;
        }
        slug = warta_core::slug::numbered(&video.slug, n);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO videos (slug, title, description, duration_seconds, poster_key, file_path, \
         file_type, file_bytes, embed_host, embed_id, section_id, story_id, tags, published_at, \
         created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14) RETURNING id",
    )
    .bind(&slug)
    .bind(&video.title)
    .bind(&video.description)
    .bind(video.duration_seconds)
    .bind(video.poster_key.clone())
    .bind(video.file_path.clone())
    .bind(video.file_type.clone())
    .bind(video.file_bytes)
    .bind(video.embed_host.clone())
    .bind(video.embed_id.clone())
    .bind(video.section_id)
    .bind(video.story_id)
    .bind(&video.tags)
    .bind(now.timestamp())
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    changes::bump(conn).await?;
    Ok((id, slug))
}

/// Deletes a video; `None` when there was none, else the path of its uploaded file (if any),
/// for the caller to remove once the deletion is committed.
pub async fn delete(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<Option<String>>, StoreError> {
    let file: Option<Option<String>> =
        sqlx::query_scalar("SELECT file_path FROM videos WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    if file.is_some() {
        sqlx::query("DELETE FROM videos WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        changes::bump(conn).await?;
    }
    Ok(file)
}

pub async fn by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Video>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE v.slug = $1");
    Ok(sqlx::query_as(&sql).bind(slug).fetch_optional(conn).await?)
}

/// Newest first, a page at a time (ask for one more to know whether another page exists).
pub async fn latest(
    conn: &mut AnyConnection,
    limit: u32,
    offset: u32,
) -> Result<Vec<Video>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} ORDER BY v.published_at DESC, v.id DESC LIMIT $1 OFFSET $2"
    );
    Ok(sqlx::query_as(&sql)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(conn)
        .await?)
}
