//! Uploaded images: one row per distinct picture (keyed by a hash of its bytes), recording its
//! size and which resized variants were written to the data dir.

use sqlx::{AnyConnection, FromRow};

use crate::StoreError;

/// An uploaded image as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Image {
    pub key: String,
    /// The variants' type: `image/jpeg`, or `image/png` for pictures with transparency.
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    /// Variant widths, comma-separated and ascending.
    pub widths: String,
    /// Size of the original upload.
    pub bytes: i64,
    pub original_name: String,
    pub uploaded_by: Option<i64>,
    pub created_at: i64,
}

/// Records an image; uploading the same bytes again keeps the first record.
pub async fn insert(conn: &mut AnyConnection, image: &Image) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO images (key, content_type, width, height, widths, bytes, original_name, \
         uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(&image.key)
    .bind(&image.content_type)
    .bind(image.width)
    .bind(image.height)
    .bind(&image.widths)
    .bind(image.bytes)
    .bind(&image.original_name)
    .bind(image.uploaded_by)
    .bind(image.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether an image with this key was uploaded.
pub async fn exists(conn: &mut AnyConnection, key: &str) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM images WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The image with this key.
pub async fn by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<Image>, StoreError> {
    Ok(sqlx::query_as("SELECT * FROM images WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?)
}

/// The most recent uploads, for choosing one again.
pub async fn recent(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Image>, StoreError> {
    Ok(
        sqlx::query_as("SELECT * FROM images ORDER BY created_at DESC, key LIMIT $1")
            .bind(limit)
            .fetch_all(conn)
            .await?,
    )
}

/// `"320,640"` as widths; anything unreadable is skipped.
pub fn parse_widths(text: &str) -> Vec<u32> {
    text.split(',')
        .filter_map(|w| w.trim().parse().ok())
        .collect()
}

/// The file extension for a variant type.
pub fn extension(content_type: &str) -> &'static str {
    if content_type == "image/png" {
        "png"
    } else {
        "jpg"
    }
}
