//! Sections and tags as the newsroom manages them: names, order, descriptions, merging and
//! removal. Slugs never change here, so section and tag URLs stay valid after a rename.

use sqlx::{AnyConnection, FromRow};
use warta_core::{FieldError, article::Named, slug::slugify, taxonomy::SectionEdit};

use crate::{
    StoreError, changes,
    direct::{self, Param, Reader},
};

/// A section with how many articles it holds.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SectionRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub position: i64,
    pub articles: i64,
}

/// A tag with how many articles carry it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TagRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub articles: i64,
}

/// Every section in navigation order.
pub async fn sections(conn: &mut AnyConnection) -> Result<Vec<SectionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name, s.slug, s.description, s.position, \
         (SELECT COUNT(*) FROM articles a WHERE a.section_id = s.id) AS articles \
         FROM sections s ORDER BY s.position, s.name",
    )
    .fetch_all(conn)
    .await?)
}

/// A section's description, for its page.
pub async fn section_description<'c>(
    from: impl Into<Reader<'c>>,
    slug: &str,
) -> Result<Option<String>, StoreError> {
    let rows: Vec<Description> = from
        .into()
        .rows(
            "SELECT description FROM sections WHERE slug = $1",
            &[Param::Text(slug)],
        )
        .await?;
    Ok(rows.into_iter().next().and_then(|row| row.description))
}

direct::row! {
    struct Description {
        description: Option<String>,
    }
}

/// Creates a section (`id` none) or changes one; a name another section has is refused.
pub async fn save_section(
    conn: &mut AnyConnection,
    id: Option<i64>,
    edit: &SectionEdit,
) -> Result<i64, StoreError> {
    let slug = slugify(&edit.name);
    let clash: Option<i64> =
        sqlx::query_scalar("SELECT id FROM sections WHERE (name = $1 OR slug = $2) AND id <> $3")
            .bind(&edit.name)
            .bind(&slug)
            .bind(id.unwrap_or(0))
            .fetch_optional(&mut *conn)
            .await?;
    if clash.is_some() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "name",
            format!("kanal bernama {:?} sudah ada", edit.name),
            format!("a section called {:?} already exists", edit.name),
        )]));
    }
    let id = match id {
        Some(id) => {
            let changed = sqlx::query(
                "UPDATE sections SET name = $2, description = $3, position = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(&edit.name)
            .bind(edit.description.clone())
            .bind(edit.position)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            touch(conn, "section_id = $1", id).await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO sections (slug, name, description, position) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(&slug)
            .bind(&edit.name)
            .bind(edit.description.clone())
            .bind(edit.position)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    changes::bump(conn).await?;
    Ok(id)
}

/// Removes a section that no article uses; one with articles is refused with their number, so
/// nothing disappears from the site by accident.
pub async fn delete_section(conn: &mut AnyConnection, id: i64) -> Result<(), StoreError> {
    let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles WHERE section_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if used > 0 {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "section",
            format!("{used} artikel ada di kanal ini; pindahkan dulu ke kanal lain"),
            format!("{used} articles are in this section; move them to another section first"),
        )]));
    }
    let gone = sqlx::query("DELETE FROM sections WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(StoreError::NotFound);
    }
    changes::bump(conn).await
}

/// Tags whose name contains `query` (all when empty), most used first.
pub async fn tags(
    conn: &mut AnyConnection,
    query: &str,
    limit: i64,
) -> Result<Vec<TagRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name, t.slug, \
         (SELECT COUNT(*) FROM article_tags at WHERE at.tag_id = t.id) AS articles \
         FROM tags t WHERE LOWER(t.name) LIKE $1 ORDER BY articles DESC, t.name LIMIT $2",
    )
    .bind(format!("%{}%", query.to_lowercase()))
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Renames a tag. When another tag already has the new name (or its slug), the two become one:
/// this tag's articles move to the other and this tag goes away. Returns the surviving id.
pub async fn rename_tag(conn: &mut AnyConnection, id: i64, name: &str) -> Result<i64, StoreError> {
    let target: Option<i64> =
        sqlx::query_scalar("SELECT id FROM tags WHERE (name = $1 OR slug = $2) AND id <> $3")
            .bind(name)
            .bind(slugify(name))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    // Their articles change (search indexes them by last change).
    touch(
        conn,
        "id IN (SELECT article_id FROM article_tags WHERE tag_id = $1)",
        id,
    )
    .await?;
    let survivor = match target {
        Some(target) => {
            // Articles carrying both keep the one they already have.
            sqlx::query(
                "UPDATE article_tags SET tag_id = $2 WHERE tag_id = $1 AND article_id NOT IN \
                 (SELECT article_id FROM article_tags WHERE tag_id = $2)",
            )
            .bind(id)
            .bind(target)
            .execute(&mut *conn)
            .await?;
            delete_tag_row(conn, id).await?;
            target
        }
        None => {
            let changed = sqlx::query("UPDATE tags SET name = $2 WHERE id = $1")
                .bind(id)
                .bind(name)
                .execute(&mut *conn)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            id
        }
    };
    changes::bump(conn).await?;
    Ok(survivor)
}

/// Marks the articles matching `condition` (with `$1` bound to `id`) as changed now, so
/// everything that follows changes by time (the search index) sees the new names.
async fn touch(conn: &mut AnyConnection, condition: &str, id: i64) -> Result<(), StoreError> {
    let sql = format!("UPDATE articles SET modified_at = modified_at + 1 WHERE {condition}");
    sqlx::query(&sql).bind(id).execute(conn).await?;
    Ok(())
}

/// Removes a tag from every article and then the tag itself.
pub async fn delete_tag(conn: &mut AnyConnection, id: i64) -> Result<(), StoreError> {
    touch(
        conn,
        "id IN (SELECT article_id FROM article_tags WHERE tag_id = $1)",
        id,
    )
    .await?;
    delete_tag_row(conn, id).await?;
    changes::bump(conn).await
}

async fn delete_tag_row(conn: &mut AnyConnection, id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM article_tags WHERE tag_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let gone = sqlx::query("DELETE FROM tags WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Everyone named in a byline, by name, for the newsroom's author filter.
pub async fn people(conn: &mut AnyConnection) -> Result<Vec<Named>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT name, slug FROM people ORDER BY name")
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(name, slug)| Named { name, slug })
        .collect())
}
