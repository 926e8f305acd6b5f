//! Articles: saving drafts with their bylines, tags and "Baca juga" references, and reading
//! published articles for pages and the API in a fixed, small number of queries.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};
use warta_core::{
    ArticleDraft, Source, Zone,
    article::{
        Article, ArticleSummary, Hero, Named, Picture, RelatedRef, article_path, collapse_spaces,
    },
    body,
    slug::{headline_key, slugify},
};

use crate::{
    Store, StoreError, changes,
    direct::{self, Param, Reader},
    images,
};

/// How a save finds the article it replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// The same slug is the same article (JSON import, the API).
    Slug,
    /// The same headline published at the same moment is the same article (page-text import,
    /// where a re-captured page must update, not duplicate).
    HeadlineAndTime,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub id: i64,
    pub slug: String,
    pub created: bool,
}

/// Which list of articles to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter<'a> {
    All,
    Section(&'a str),
    Tag(&'a str),
    Author(&'a str),
    /// The articles of the running story or series with this slug.
    Story(&'a str),
}

/// Where a [`list`] of articles starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// After skipping this many: numbered pages. Each skipped article is read, so a deep page
    /// costs as much as every page before it.
    Skip(u32),
    /// Right after this article in the list's order (newest first): the page that follows
    /// one ending with it, at the same cost at any depth.
    After(Cursor),
}

/// An article's place in the newest-first order of lists: its publish time (Unix seconds),
/// then its id. Written `1732681200_123` in URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: i64,
    pub id: i64,
}

impl Cursor {
    /// The place of `summary`, for the page after it.
    pub fn of(summary: &ArticleSummary) -> Cursor {
        Cursor {
            published_at: summary.published_at.timestamp(),
            id: summary.id,
        }
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}_{}", self.published_at, self.id)
    }
}

impl std::str::FromStr for Cursor {
    type Err = ();

    fn from_str(text: &str) -> Result<Cursor, ()> {
        let (published_at, id) = text.split_once('_').ok_or(())?;
        Ok(Cursor {
            published_at: published_at.parse().map_err(|_| ())?,
            id: id.parse().map_err(|_| ())?,
        })
    }
}

/// The kinds of named things articles point to, each with its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    Section,
    Tag,
    Author,
}

impl NamedKind {
    fn table(self) -> &'static str {
        match self {
            NamedKind::Section => "sections",
            NamedKind::Tag => "tags",
            NamedKind::Author => "people",
        }
    }
}

/// Saves a normalized draft (see [`ArticleDraft::normalize`]) as a published article, creating
/// or replacing per `identity`. Run it inside a transaction: it writes several tables.
pub async fn save(
    conn: &mut AnyConnection,
    draft: &ArticleDraft,
    identity: Identity,
    now: DateTime<Utc>,
) -> Result<Saved, StoreError> {
    let wanted_slug = draft
        .slug
        .clone()
        .unwrap_or_else(|| slugify(&draft.headline));
    let existing: Option<(i64, String, String)> = match identity {
        Identity::Slug => {
            sqlx::query_as("SELECT id, slug, status FROM articles WHERE slug = $1")
                .bind(&wanted_slug)
                .fetch_optional(&mut *conn)
                .await?
        }
        Identity::HeadlineAndTime => {
            sqlx::query_as(
                "SELECT id, slug, status FROM articles WHERE headline_key = $1 \
                 AND published_at = $2 ORDER BY id LIMIT 1",
            )
            .bind(headline_key(&draft.headline))
            .bind(draft.published_at.timestamp())
            .fetch_optional(&mut *conn)
            .await?
        }
    };
    let Some((id, slug, status)) = existing else {
        return write(conn, None, draft, "published", None, now).await;
    };
    // An update keeps the newsroom's decisions: an article taken down stays down. A captured
    // page carries no section, tags, photo, correction or SEO lines: what the newsroom gave
    // the article is kept where the page has nothing.
    let mut merged;
    let draft = if identity == Identity::HeadlineAndTime
        && let Some(stored) = any_by_id(conn, id).await?
    {
        merged = draft.clone();
        keep_where_missing(&mut merged, stored);
        &merged
    } else {
        draft
    };
    write(conn, Some((id, slug)), draft, &status, None, now).await
}

/// Fills what `draft` leaves empty from the article as stored.
fn keep_where_missing(draft: &mut ArticleDraft, stored: Article) {
    if draft.section.is_none() {
        draft.section = stored.section.map(|s| s.name);
    }
    if draft.tags.is_empty() {
        draft.tags = stored.tags.into_iter().map(|t| t.name).collect();
    }
    if draft.hero.is_none() {
        draft.hero = stored.picture.map(|p| p.hero);
    }
    draft.correction = draft.correction.take().or(stored.correction);
    draft.seo_title = draft.seo_title.take().or(stored.seo_title);
    draft.seo_description = draft.seo_description.take().or(stored.seo_description);
    draft.source = draft.source.take().or(stored.source);
}

/// Writes an article and everything hanging off it, bumps its version and the site's change
/// counter. `existing` is the row to replace (id, slug); `owner` is set on new rows only.
pub(crate) async fn write(
    conn: &mut AnyConnection,
    existing: Option<(i64, String)>,
    draft: &ArticleDraft,
    status: &str,
    owner: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Saved, StoreError> {
    let wanted_slug = draft
        .slug
        .clone()
        .unwrap_or_else(|| slugify(&draft.headline));
    let key = headline_key(&draft.headline);
    let rendered = body::render(&draft.body_markdown);
    let published_at = draft.published_at.timestamp();
    let section_id = match &draft.section {
        Some(name) => Some(upsert_named(conn, NamedKind::Section, name).await?),
        None => None,
    };
    let (source_name, source_url) = match &draft.source {
        Some(Source { name, url }) => (Some(name.clone()), url.clone()),
        None => (None, None),
    };
    if let Some(hero) = &draft.hero
        && !images::exists(conn, &hero.image).await?
    {
        return Err(StoreError::Invalid(vec![warta_core::FieldError::new(
            "hero.image",
            format!("tidak ada foto unggahan dengan kunci {:?}", hero.image),
            format!("no uploaded image has the key {:?}", hero.image),
        )]));
    }
    let hero = draft.hero.as_ref();

    let (id, slug, created) = match existing {
        Some((id, slug)) => {
            sqlx::query(
                "UPDATE articles SET headline = $2, headline_key = $3, summary = $4, \
                 body_markdown = $5, body_html = $6, published_at = $7, updated_at = $8, \
                 zone = $9, dateline = $10, source_name = $11, source_url = $12, \
                 section_id = $13, modified_at = $14, status = $15, version = version + 1, \
                 correction = $16, hero_image = $17, hero_caption = $18, hero_credit = $19, \
                 seo_title = $20, seo_description = $21 WHERE id = $1",
            )
            .bind(id)
            .bind(&draft.headline)
            .bind(&key)
            .bind(&draft.summary)
            .bind(&draft.body_markdown)
            .bind(&rendered.html)
            .bind(published_at)
            .bind(draft.updated_at.map(|t| t.timestamp()))
            .bind(draft.zone.abbreviation())
            .bind(draft.dateline.clone())
            .bind(source_name)
            .bind(source_url)
            .bind(section_id)
            .bind(now.timestamp())
            .bind(status)
            .bind(draft.correction.clone())
            .bind(hero.map(|h| h.image.clone()))
            .bind(hero.map(|h| h.caption.clone()))
            .bind(hero.and_then(|h| h.credit.clone()))
            .bind(draft.seo_title.clone())
            .bind(draft.seo_description.clone())
            .execute(&mut *conn)
            .await?;
            (id, slug, false)
        }
        None => {
            let slug = free_slug(conn, &wanted_slug).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO articles (slug, headline, headline_key, summary, body_markdown, \
                 body_html, status, published_at, updated_at, zone, dateline, source_name, \
                 source_url, section_id, created_at, modified_at, owner_id, correction, \
                 hero_image, hero_caption, hero_credit, seo_title, seo_description) \
                 VALUES ($1, $2, $3, $4, $5, $6, $15, $7, $8, $9, $10, $11, $12, $13, \
                 $14, $14, $16, $17, $18, $19, $20, $21, $22) RETURNING id",
            )
            .bind(&slug)
            .bind(&draft.headline)
            .bind(&key)
            .bind(&draft.summary)
            .bind(&draft.body_markdown)
            .bind(&rendered.html)
            .bind(published_at)
            .bind(draft.updated_at.map(|t| t.timestamp()))
            .bind(draft.zone.abbreviation())
            .bind(draft.dateline.clone())
            .bind(source_name)
            .bind(source_url)
            .bind(section_id)
            .bind(now.timestamp())
            .bind(status)
            .bind(owner)
            .bind(draft.correction.clone())
            .bind(hero.map(|h| h.image.clone()))
            .bind(hero.map(|h| h.caption.clone()))
            .bind(hero.and_then(|h| h.credit.clone()))
            .bind(draft.seo_title.clone())
            .bind(draft.seo_description.clone())
            .fetch_one(&mut *conn)
            .await?;
            (id, slug, true)
        }
    };

    sqlx::query("DELETE FROM article_authors WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (position, name) in draft.authors.iter().enumerate() {
        let person = upsert_named(conn, NamedKind::Author, name).await?;
        sqlx::query(
            "INSERT INTO article_authors (article_id, person_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(person)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let mut seen_tags = Vec::new();
    for name in &draft.tags {
        let tag = upsert_named(conn, NamedKind::Tag, name).await?;
        if seen_tags.contains(&tag) {
            continue; // two spellings of one tag
        }
        sqlx::query("INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(tag)
            .bind(seen_tags.len() as i64)
            .execute(&mut *conn)
            .await?;
        seen_tags.push(tag);
    }

    sqlx::query("DELETE FROM related_refs WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (position, headline) in rendered.related.iter().enumerate() {
        let headline = collapse_spaces(headline);
        let ref_key = headline_key(&headline);
        let target: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM articles WHERE headline_key = $1 AND id <> $2 \
             ORDER BY published_at DESC LIMIT 1",
        )
        .bind(&ref_key)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO related_refs (article_id, position, headline, headline_key, target_id) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(&headline)
        .bind(&ref_key)
        .bind(target)
        .execute(&mut *conn)
        .await?;
    }
    // References written before this article existed now point to it.
    sqlx::query(
        "UPDATE related_refs SET target_id = $1 \
         WHERE target_id IS NULL AND headline_key = $2 AND article_id <> $1",
    )
    .bind(id)
    .bind(&key)
    .execute(&mut *conn)
    .await?;

    changes::bump(conn).await?;
    Ok(Saved { id, slug, created })
}

/// The setting naming the renderer that made the stored bodies.
const RENDERER_KEY: &str = "body_renderer";

/// Bodies saved by an older [`body::RENDERER`] rendered again. Pages show the HTML stored at
/// save time, so a change to the renderer reaches older articles only this way. A node runs it
/// in the background after it starts serving (pages show the old HTML until then); it does
/// nothing once the stored version is as new as this one's, so an older binary in a rolling
/// deploy never renders back. An article edited meanwhile keeps its edit (the update names the
/// Markdown it rendered). Rendering runs off the async threads, a batch at a time. Returns how
/// many bodies changed.
pub async fn render_stale_bodies(store: &Store) -> Result<usize, StoreError> {
    const BATCH: i64 = 200;
    let mut conn = store.pool().acquire().await?;
    let stored: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(RENDERER_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    let version = |text: &str| text.trim().parse::<u32>().unwrap_or(0);
    if stored.as_deref().map(version).unwrap_or(0) >= version(body::RENDERER) {
        return Ok(0);
    }
    let mut changed = 0;
    let mut after = 0_i64;
    loop {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, body_markdown, body_html FROM articles WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(BATCH)
        .fetch_all(&mut *conn)
        .await?;
        let Some((last, _, _)) = rows.last() else {
            break;
        };
        after = *last;
        let fresh = tokio::task::spawn_blocking(move || {
            rows.into_iter()
                .filter_map(|(id, markdown, html)| {
                    let fresh = body::render(&markdown).html;
                    (fresh != html).then_some((id, markdown, fresh))
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| StoreError::Task(format!("rendering bodies: {e}")))?;
        let mut tx = store.begin().await?;
        for (id, markdown, html) in fresh {
            changed += sqlx::query(
                "UPDATE articles SET body_html = $1 WHERE id = $2 AND body_markdown = $3",
            )
            .bind(&html)
            .bind(id)
            .bind(&markdown)
            .execute(&mut *tx)
            .await?
            .rows_affected() as usize;
        }
        tx.commit().await?;
    }
    // Bumps the change counter: pages cached with the old bodies go.
    crate::settings::set(&mut conn, &[(RENDERER_KEY, body::RENDERER.to_owned())]).await?;
    Ok(changed)
}

/// `wanted`, or `wanted-2`, `wanted-3` ... whichever no article uses now or used before.
async fn free_slug(conn: &mut AnyConnection, wanted: &str) -> Result<String, StoreError> {
    for n in 1..=1000 {
        let candidate = if n == 1 {
            wanted.to_owned()
        } else {
            warta_core::slug::numbered(wanted, n)
        };
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM articles WHERE slug = $1 UNION ALL SELECT 1 FROM old_slugs WHERE slug = $1",
        )
        .bind(&candidate)
        .fetch_optional(&mut *conn)
        .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    Err(StoreError::Invalid(vec![warta_core::FieldError::new(
        "slug",
        "tidak ada varian slug ini yang masih bebas; pilih yang lain",
        "no free variant of this slug; choose another",
    )]))
}

/// The id of the section, tag or person called `name` (or with its slug), created if new. An
/// existing name is never respelled here: names are changed on purpose, in the newsroom's
/// section and tag pages, and a later article spelling it differently must not undo that.
async fn upsert_named(
    conn: &mut AnyConnection,
    kind: NamedKind,
    name: &str,
) -> Result<i64, StoreError> {
    let table = kind.table();
    let by_name = format!("SELECT id FROM {table} WHERE name = $1");
    if let Some(id) = sqlx::query_scalar::<_, i64>(&by_name)
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    // The no-op update makes RETURNING give the existing row's id on both engines.
    let upsert = format!(
        "INSERT INTO {table} (slug, name) VALUES ($1, $2) \
         ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id"
    );
    let id: i64 = sqlx::query_scalar(&upsert)
        .bind(slugify(name))
        .bind(name)
        .fetch_one(conn)
        .await?;
    Ok(id)
}

direct::row! {
    struct ArticleRow {
        id: i64,
        slug: String,
        headline: String,
        summary: String,
        body_markdown: String,
        body_html: String,
        published_at: i64,
        updated_at: Option<i64>,
        zone: String,
        dateline: Option<String>,
        source_name: Option<String>,
        source_url: Option<String>,
        correction: Option<String>,
        hero_image: Option<String>,
        hero_caption: Option<String>,
        hero_credit: Option<String>,
        hero_width: Option<i64>,
        hero_height: Option<i64>,
        hero_widths: Option<String>,
        hero_type: Option<String>,
        seo_title: Option<String>,
        seo_description: Option<String>,
        members_only: i64,
        section_name: Option<String>,
        section_slug: Option<String>,
        authors: Option<String>,
        tags: Option<String>,
        related: Option<String>,
    }
}

direct::row! {
    struct SummaryRow {
        id: i64,
        slug: String,
        headline: String,
        summary: String,
        published_at: i64,
        zone: String,
        section_name: Option<String>,
        section_slug: Option<String>,
        comments: i64,
    }
}

/// Separates fields inside one packed attachment, and packed attachments from each other. Names
/// and headlines never contain control characters (`collapse_spaces` removes them on input).
const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// An article with its section, and its authors, tags and "Baca juga" references packed into
/// three strings by `string_agg`, so a page is one query returning one row. Each record leads
/// with its position and [`unpack`] puts them in order: an `ORDER BY` inside the aggregate
/// would make SQLite build a temporary B-tree per column on every page view, three per
/// request.
const ARTICLE_COLUMNS: &str = "a.id, a.slug, a.headline, a.summary, a.body_markdown, a.body_html, \
     a.published_at, a.updated_at, a.zone, a.dateline, a.source_name, a.source_url, a.correction, \
     a.hero_image, a.hero_caption, a.hero_credit, i.width AS hero_width, i.height AS hero_height, \
     i.widths AS hero_widths, i.content_type AS hero_type, a.seo_title, a.seo_description, \
     a.members_only, \
     s.name AS section_name, s.slug AS section_slug, \
     (SELECT string_agg(CAST(aa.position AS TEXT) || '\u{1f}' || p.name || '\u{1f}' || p.slug, \
             '\u{1e}') \
        FROM article_authors aa JOIN people p ON p.id = aa.person_id \
       WHERE aa.article_id = a.id) AS authors, \
     (SELECT string_agg(CAST(at.position AS TEXT) || '\u{1f}' || t.name || '\u{1f}' || t.slug, \
             '\u{1e}') \
        FROM article_tags at JOIN tags t ON t.id = at.tag_id \
       WHERE at.article_id = a.id) AS tags, \
     (SELECT string_agg(CAST(r.position AS TEXT) || '\u{1f}' || r.headline || '\u{1f}' || \
             COALESCE(ta.slug, '') || '\u{1f}' || \
             COALESCE(CAST(ta.published_at AS TEXT), '') || '\u{1f}' || COALESCE(ta.zone, ''), \
             '\u{1e}') \
        FROM related_refs r \
        LEFT JOIN articles ta ON ta.id = r.target_id AND ta.status = 'published' \
       WHERE r.article_id = a.id) AS related";

/// The article with its section and hero image, for [`ARTICLE_COLUMNS`].
const ARTICLE_FROM: &str = "articles a LEFT JOIN sections s ON s.id = a.section_id \
     LEFT JOIN images i ON i.key = a.hero_image";

/// How many comments readers see under article `a`: visible ones, but not replies whose
/// parent a moderator hid or sent back to moderation (the thread leaves those out too).
macro_rules! visible_comments {
    () => {
        "(SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'visible' \
         AND (c.parent_id IS NULL OR EXISTS (SELECT 1 FROM comments p \
           WHERE p.id = c.parent_id AND p.status IN ('visible', 'deleted'))))"
    };
}

const SUMMARY_COLUMNS: &str = concat!(
    "a.id, a.slug, a.headline, a.summary, a.published_at, a.zone, \
     s.name AS section_name, s.slug AS section_slug, ",
    visible_comments!(),
    " AS comments"
);

/// A live article with what its page shows beside it: how its comments stand and whether it
/// belongs to a running story.
#[derive(Debug, Clone)]
pub struct Page {
    pub article: Article,
    /// Visible comments (top-level and replies).
    pub comments: i64,
    /// Whether new comments are taken.
    pub comments_open: bool,
    /// Whether the article belongs to a running story or series.
    pub in_story: bool,
}

#[derive(FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    article: ArticleRow,
    visible_comments: i64,
    comments_closed_at: Option<i64>,
    stories: i64,
}

impl PageRow {
    fn read_direct(row: &rusqlite::Row<'_>) -> rusqlite::Result<PageRow> {
        let next = ArticleRow::COLUMNS;
        Ok(PageRow {
            article: ArticleRow::read_direct(row, 0)?,
            visible_comments: direct::column(row, next, "visible_comments")?,
            comments_closed_at: direct::column(row, next + 1, "comments_closed_at")?,
            stories: direct::column(row, next + 2, "stories")?,
        })
    }
}

/// The published article at `slug` with what its page needs beside it, in one query: every
/// query costs a round trip to the connection (a thread hop on SQLite), so the page asks for
/// its comments and its story only when there are any.
pub async fn published_page(
    conn: &mut AnyConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<Page>, StoreError> {
    let row: Option<PageRow> = sqlx::query_as(page_sql())
        .bind(slug)
        .bind(now.timestamp())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(page_from_row))
}

/// [`published_page`] from the store: on an SQLite file read on this thread (no hop at all,
/// see [`crate::DirectReader`]), on PostgreSQL through a pooled connection.
pub async fn published_page_in(
    store: &Store,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<Page>, StoreError> {
    let direct = direct::try_read(store, |conn| {
        use rusqlite::OptionalExtension;
        // By name: sqlx numbers `$N` itself, SQLite numbers parameters as they appear.
        let params = rusqlite::named_params! { "$1": slug, "$2": now.timestamp() };
        conn.prepare_cached(page_sql())?
            .query_row(params, PageRow::read_direct)
            .optional()
    });
    if let Some(read) = direct {
        return Ok(read?.map(page_from_row));
    }
    let mut conn = store.pool().acquire().await?;
    published_page(&mut conn, slug, now).await
}

fn page_sql() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {ARTICLE_COLUMNS}, \
             {} AS visible_comments, \
             a.comments_closed_at, \
             (SELECT COUNT(*) FROM story_articles sa WHERE sa.article_id = a.id) AS stories \
             FROM {ARTICLE_FROM} \
             WHERE a.slug = $1 AND a.status = 'published' AND a.published_at <= $2",
            visible_comments!()
        )
    });
    &SQL
}

fn page_from_row(row: PageRow) -> Page {
    Page {
        article: article_from_row(row.article),
        comments: row.visible_comments,
        comments_open: row.comments_closed_at.is_none(),
        in_story: row.stories > 0,
    }
}

/// Any article by id, whatever its status or time (for the newsroom).
pub async fn any_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Article>, StoreError> {
    let sql = format!(
        "SELECT {ARTICLE_COLUMNS} FROM {ARTICLE_FROM} \
         WHERE a.id = $1"
    );
    let row: Option<ArticleRow> = sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?;
    Ok(row.map(article_from_row))
}

/// Published articles with these ids, in the given order (one query).
pub async fn published_by_ids<'c>(
    from: impl Into<Reader<'c>>,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<Article>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = by_ids_sql(ids.len());
    let mut params = vec![Param::Int(now.timestamp())];
    params.extend(ids.iter().map(|id| Param::Int(*id)));
    let rows: Vec<ArticleRow> = from.into().rows(&sql, &params).await?;
    let mut articles: Vec<Article> = rows.into_iter().map(article_from_row).collect();
    articles.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
    Ok(articles)
}

/// [`published_by_ids`]'s statement for `count` ids: $1 is the time, the ids follow.
///
/// `status || ''` keeps SQLite off the index on (status, published_at): it chose that range,
/// every published article, over looking the ids up, and a most-read list, a feed or one
/// article from the API took 3.6 ms on 30,000 articles instead of 20 us.
fn by_ids_sql(count: usize) -> String {
    format!(
        "SELECT {ARTICLE_COLUMNS} FROM {ARTICLE_FROM} \
         WHERE a.id IN ({}) AND (a.status || '') = 'published' AND a.published_at <= $1",
        placeholders(2, count)
    )
}

/// `$start, $start+1, ...` for `count` values.
pub(crate) fn placeholders(start: usize, count: usize) -> String {
    (start..start + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The hero as stored, with the image's size; none when the article has no hero.
fn picture(row: &ArticleRow) -> Option<Picture> {
    let image = row.hero_image.clone()?;
    Some(Picture {
        hero: Hero {
            image,
            caption: row.hero_caption.clone().unwrap_or_default(),
            credit: row.hero_credit.clone(),
        },
        width: u32::try_from(row.hero_width?).ok()?,
        height: u32::try_from(row.hero_height?).ok()?,
        widths: images::parse_widths(row.hero_widths.as_deref().unwrap_or_default()),
        extension: images::extension(row.hero_type.as_deref().unwrap_or_default()).to_owned(),
    })
}

fn article_from_row(row: ArticleRow) -> Article {
    let picture = picture(&row);
    Article {
        id: row.id,
        slug: row.slug,
        headline: row.headline,
        summary: row.summary,
        body_markdown: row.body_markdown,
        body_html: row.body_html,
        published_at: timestamp(row.published_at),
        updated_at: row.updated_at.map(timestamp),
        zone: zone_of(&row.zone),
        authors: unpack_named(row.authors.as_deref()),
        source: row.source_name.map(|name| Source {
            name,
            url: row.source_url,
        }),
        dateline: row.dateline,
        correction: row.correction,
        picture,
        seo_title: row.seo_title.clone(),
        seo_description: row.seo_description.clone(),
        members_only: row.members_only == 1,
        section: named(row.section_name, row.section_slug),
        tags: unpack_named(row.tags.as_deref()),
        related: unpack(row.related.as_deref())
            .map(|fields| {
                // A target scheduled for later is not linked until it airs (which clears
                // every node's page cache): until then its address is a 404.
                let path = match fields.as_slice() {
                    [_, slug, at, zone] if !slug.is_empty() => at
                        .parse::<i64>()
                        .ok()
                        .filter(|at| *at <= Utc::now().timestamp())
                        .map(|at| article_path(slug, timestamp(at), zone_of(zone))),
                    _ => None,
                };
                RelatedRef {
                    headline: fields.first().map_or_else(String::new, |h| (*h).to_owned()),
                    path,
                }
            })
            .collect(),
    }
}

/// The records of a packed column in the order of their leading position, each split into
/// its fields (the position left out). A record without a position sorts last.
fn unpack(packed: Option<&str>) -> impl Iterator<Item = Vec<&str>> {
    let mut records: Vec<(i64, Vec<&str>)> = packed
        .into_iter()
        .flat_map(|p| p.split(RECORD))
        .map(|record| {
            let mut fields = record.split(FIELD);
            let position = fields.next().and_then(|p| p.parse().ok());
            (position.unwrap_or(i64::MAX), fields.collect())
        })
        .collect();
    records.sort_by_key(|(position, _)| *position);
    records.into_iter().map(|(_, fields)| fields)
}

fn unpack_named(packed: Option<&str>) -> Vec<Named> {
    unpack(packed)
        .filter_map(|fields| match fields.as_slice() {
            [name, slug] => Some(Named {
                name: (*name).to_owned(),
                slug: (*slug).to_owned(),
            }),
            _ => None,
        })
        .collect()
}

fn summary_from_row(row: SummaryRow) -> ArticleSummary {
    ArticleSummary {
        id: row.id,
        slug: row.slug,
        headline: row.headline,
        summary: row.summary,
        published_at: timestamp(row.published_at),
        zone: zone_of(&row.zone),
        section: named(row.section_name, row.section_slug),
        comments: row.comments,
    }
}

fn named(name: Option<String>, slug: Option<String>) -> Option<Named> {
    Some(Named {
        name: name?,
        slug: slug?,
    })
}

fn timestamp(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

fn zone_of(text: &str) -> Zone {
    Zone::parse(text).unwrap_or_default()
}

/// A page of published articles, newest first. Asks for `limit` rows; callers wanting to know
/// whether another page exists ask for one more.
pub async fn list<'c>(
    from: impl Into<Reader<'c>>,
    filter: Filter<'_>,
    now: DateTime<Utc>,
    limit: u32,
    start: Start,
) -> Result<Vec<ArticleSummary>, StoreError> {
    let mut from = from.into();
    let (offset, after) = match start {
        Start::Skip(n) => (n, None),
        Start::After(cursor) => (0, Some(cursor)),
    };
    if offset > DIRECT_SKIP_UP_TO {
        from = from.off_thread();
    }
    let slug = match filter {
        Filter::All => None,
        Filter::Section(slug) | Filter::Tag(slug) | Filter::Author(slug) | Filter::Story(slug) => {
            Some(slug)
        }
    };
    let walk = match set_sql(filter, 1) {
        Some(set) => {
            let sql = format!(
                "SELECT (SELECT COUNT(*) FROM ({set}) m) AS articles, \
                 (SELECT COALESCE(MAX(id), 0) FROM articles) AS archive"
            );
            let sizes: Vec<SetSize> = from.rows(&sql, &[Param::Text(slug.unwrap_or(""))]).await?;
            let reach = i64::from(offset) + i64::from(limit);
            sizes.first().map_or(Walk::ByTime, |size| size.walk(reach))
        }
        None => Walk::ByTime,
    };
    let sql = list_sql(filter, after.is_some(), walk);
    let mut params = vec![
        Param::Int(list_until(now, after)),
        Param::Int(i64::from(limit)),
        Param::Int(i64::from(offset)),
    ];
    params.extend(slug.map(Param::Text));
    if let Some(cursor) = after {
        params.extend([Param::Int(cursor.published_at), Param::Int(cursor.id)]);
    }
    let rows: Vec<SummaryRow> = from.rows(&sql, &params).await?;
    Ok(rows.into_iter().map(summary_from_row).collect())
}

/// Articles a numbered page may skip and still be read on the request's thread: deeper pages
/// read every article before theirs (page 500 of a section took 76 ms on 30,000 articles) and
/// go through the pool, so that they hold up no other request.
const DIRECT_SKIP_UP_TO: u32 = 2_000;

/// How a filtered list finds its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// Along the archive by time, checking each article against the filter.
    ByTime,
    /// From the filter's set of articles, sorted by time.
    FromSet,
}

direct::row! {
    /// How many articles a tag, author or story has, and about how many the archive holds
    /// (its highest id: a count would read them all).
    struct SetSize {
        articles: i64,
        archive: i64,
    }
}

impl SetSize {
    /// The cheaper way to the articles up to `reach` (offset plus limit). Walking by time
    /// visits about `reach * archive / articles` of them; starting from the set reads and
    /// sorts all `articles`. A tag on 3 of 30,000 articles walked all 30,000 (2 ms), and one
    /// on half of them would be read whole for every page from its set.
    fn walk(&self, reach: i64) -> Walk {
        let articles = self.articles.max(1);
        if articles.saturating_mul(articles) <= reach.saturating_mul(self.archive) {
            Walk::FromSet
        } else {
            Walk::ByTime
        }
    }
}

/// The ids of the articles a tag, author or story has, its slug being parameter `slug`
/// (1 in the count, 4 in the list); none for the lists that need no set.
fn set_sql(filter: Filter<'_>, slug: usize) -> Option<String> {
    let (table, column, named) = match filter {
        Filter::All | Filter::Section(_) => return None,
        Filter::Tag(_) => ("article_tags", "tag_id", "tags"),
        Filter::Author(_) => ("article_authors", "person_id", "people"),
        Filter::Story(_) => ("story_articles", "story_id", "stories"),
    };
    Some(format!(
        "SELECT x.article_id FROM {table} x JOIN {named} n ON n.id = x.{column} \
         WHERE n.slug = ${slug}"
    ))
}

/// [`list`]'s $1: articles published until `now`, and after a cursor no later than its
/// article, so that the index range starts there.
fn list_until(now: DateTime<Utc>, after: Option<Cursor>) -> i64 {
    match after {
        Some(cursor) => now.timestamp().min(cursor.published_at),
        None => now.timestamp(),
    }
}

/// [`list`]'s statement: $1 is the time (articles published until then), $2 the limit, $3 the
/// offset, $4 the filter's slug if there is one, and the cursor's time and id follow when the
/// list starts `after` one.
fn list_sql(filter: Filter<'_>, after: bool, walk: Walk) -> String {
    // After a cursor, $1 is no later than the cursor's time (see `list`), which makes it the
    // index range's end; of the articles at that very second, those up to the cursor's id
    // were on the pages before. (A row value, `(published_at, id) < (...)`, reads the same
    // but SQLite ranges over the time bound instead and walks every newer article.)
    let first = if matches!(filter, Filter::All) { 4 } else { 5 };
    let after_condition = if after {
        format!("AND (a.published_at < ${first} OR a.id < ${})", first + 1)
    } else {
        String::new()
    };
    let set = set_sql(filter, 4);
    if let (Some(set), Walk::FromSet) = (&set, walk) {
        // The page's ids first, then the page's rows: sorting the set's rows with their
        // summaries computed every article's comment count and section for the sort.
        // (CROSS JOIN keeps SQLite from walking the archive instead.)
        return format!(
            "SELECT {SUMMARY_COLUMNS} FROM (SELECT a.id FROM ({set}) m CROSS JOIN articles a \
               WHERE a.id = m.article_id AND a.status = 'published' AND a.published_at <= $1 \
               {after_condition} \
               ORDER BY a.published_at DESC, a.id DESC LIMIT $2 OFFSET $3) p \
             CROSS JOIN articles a LEFT JOIN sections s ON s.id = a.section_id \
             WHERE a.id = p.id ORDER BY a.published_at DESC, a.id DESC"
        );
    }
    let condition = match set {
        // The set is read once and each article in time order is checked against it: an
        // EXISTS per article cost four times as much.
        Some(set) => format!("AND a.id IN ({set})"),
        None if matches!(filter, Filter::Section(_)) => "AND s.slug = $4".to_owned(),
        None => String::new(),
    };
    format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a LEFT JOIN sections s ON s.id = a.section_id \
         WHERE a.status = 'published' AND a.published_at <= $1 {condition} {after_condition} \
         ORDER BY a.published_at DESC, a.id DESC LIMIT $2 OFFSET $3"
    )
}

/// The newest `per_section` articles of every section, sections in the newsroom's order.
///
/// One index range per section (`articles_by_section`), the sections' parts joined in one
/// statement: a window function over every live article read the whole archive on each call.
pub async fn latest_per_section<'c>(
    from: impl Into<Reader<'c>>,
    now: DateTime<Utc>,
    per_section: u32,
) -> Result<Vec<ArticleSummary>, StoreError> {
    let mut from = from.into();
    let sections: Vec<SectionId> = from
        .rows("SELECT id FROM sections ORDER BY position, name", &[])
        .await?;
    // SQLite refuses a statement of more than 500 SELECTs, so a site with very many sections
    // asks in batches; the sections are in order, so the batches' rows are too.
    let mut summaries = Vec::new();
    for batch in sections.chunks(SECTIONS_PER_QUERY) {
        let sql = per_section_sql(batch.len());
        let mut params = vec![
            Param::Int(now.timestamp()),
            Param::Int(i64::from(per_section)),
        ];
        params.extend(batch.iter().map(|section| Param::Int(section.id)));
        let rows: Vec<SummaryRow> = from.rows(&sql, &params).await?;
        summaries.extend(rows.into_iter().map(summary_from_row));
    }
    Ok(summaries)
}

direct::row! {
    struct SectionId {
        id: i64,
    }
}

/// Sections per statement in [`latest_per_section`]: well under SQLite's limit of 500
/// compound SELECTs.
const SECTIONS_PER_QUERY: usize = 100;

/// [`latest_per_section`]'s statement for `sections` sections: $1 is the time and $2 the
/// count in every part; the sections' ids follow from $3.
fn per_section_sql(sections: usize) -> String {
    let parts: Vec<String> = (0..sections)
        .map(|n| {
            format!(
                "SELECT * FROM (SELECT {SUMMARY_COLUMNS}, s.position AS section_position \
                   FROM articles a JOIN sections s ON s.id = a.section_id \
                  WHERE a.section_id = ${} AND a.status = 'published' AND a.published_at <= $1 \
                  ORDER BY a.published_at DESC, a.id DESC LIMIT $2) part{n}",
                n + 3
            )
        })
        .collect();
    format!(
        "{} ORDER BY section_position, section_name, published_at DESC, id DESC",
        parts.join(" UNION ALL ")
    )
}

/// The section, tag or author with `slug`.
pub async fn named_by_slug<'c>(
    from: impl Into<Reader<'c>>,
    kind: NamedKind,
    slug: &str,
) -> Result<Option<Named>, StoreError> {
    let sql = format!("SELECT name, slug FROM {} WHERE slug = $1", kind.table());
    let rows: Vec<NamedRow> = from.into().rows(&sql, &[Param::Text(slug)]).await?;
    Ok(rows.into_iter().next().map(|row| Named {
        name: row.name,
        slug: row.slug,
    }))
}

direct::row! {
    struct NamedRow {
        name: String,
        slug: String,
    }
}

/// Sections that have at least one published article, in the newsroom's order, for navigation.
pub async fn sections(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Named>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.name, s.slug FROM sections s WHERE EXISTS (SELECT 1 FROM articles a \
         WHERE a.section_id = s.id AND a.status = 'published' AND a.published_at <= $1) \
         ORDER BY s.position, s.name",
    )
    .bind(now.timestamp())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, slug)| Named { name, slug })
        .collect())
}

/// Where an article that used to live at `slug` lives now.
pub async fn path_for_old_slug(
    conn: &mut AnyConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    // Only live articles: a scheduled one's new address would tell its headline early.
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT a.slug, a.published_at, a.zone FROM old_slugs o JOIN articles a ON a.id = o.article_id \
         WHERE o.slug = $1 AND a.status = 'published' AND a.published_at <= $2",
    )
    .bind(slug)
    .bind(now.timestamp())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(slug, at, zone)| article_path(&slug, timestamp(at), zone_of(&zone))))
}

/// Gives an article a new slug; the old one keeps working as a redirect.
pub async fn rename(conn: &mut AnyConnection, id: i64, new_slug: &str) -> Result<(), StoreError> {
    if !warta_core::slug::is_slug(new_slug) {
        return Err(StoreError::Invalid(vec![warta_core::FieldError::new(
            "slug",
            "hanya huruf kecil, angka dan tanda hubung (tidak berurutan, tidak di awal atau akhir), paling banyak 80 karakter",
            "lower-case letters, digits and single hyphens only, at most 80 characters",
        )]));
    }
    let old: Option<String> = sqlx::query_scalar("SELECT slug FROM articles WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(old) = old else {
        return Err(StoreError::Invalid(vec![warta_core::FieldError::new(
            "id",
            "artikel itu tidak ada",
            "no such article",
        )]));
    };
    if old == new_slug {
        return Ok(());
    }
    // Another article's address, or its old one that readers' links still follow, is taken;
    // the article's own old address may be had back.
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM articles WHERE slug = $1 AND id <> $2 \
         UNION ALL SELECT article_id FROM old_slugs WHERE slug = $1 AND article_id <> $2",
    )
    .bind(new_slug)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if taken.is_some() {
        return Err(StoreError::Invalid(vec![warta_core::FieldError::new(
            "slug",
            "sudah dipakai artikel lain",
            "already used by another article",
        )]));
    }
    sqlx::query("DELETE FROM old_slugs WHERE slug = $1")
        .bind(new_slug)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE articles SET slug = $2 WHERE id = $1")
        .bind(id)
        .bind(new_slug)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO old_slugs (slug, article_id) VALUES ($1, $2)")
        .bind(&old)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    changes::bump(conn).await
}

/// Makes an article members-only, or open to everyone again.
pub async fn set_members_only(
    conn: &mut AnyConnection,
    id: i64,
    members_only: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE articles SET members_only = $2, modified_at = modified_at + 1 WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(members_only))
    .execute(&mut *conn)
    .await?;
    changes::bump(conn).await
}

/// Adds page views counted since the last flush, by slug, to the hour they fall in.
pub async fn add_views(
    conn: &mut AnyConnection,
    views: &[(String, i64)],
    hour: i64,
) -> Result<(), StoreError> {
    for (slug, count) in views {
        sqlx::query(
            "INSERT INTO article_views (article_id, hour, views) \
             SELECT id, $2, $3 FROM articles WHERE slug = $1 \
             ON CONFLICT (article_id, hour) DO UPDATE SET views = article_views.views + excluded.views",
        )
        .bind(slug)
        .bind(hour)
        .bind(count)
        .execute(&mut *conn)
        .await?;
    }
    if !views.is_empty() {
        changes::bump(conn).await?;
    }
    Ok(())
}

/// The most read live articles since `since` (optionally of one section), most views first.
pub async fn most_read<'c>(
    from: impl Into<Reader<'c>>,
    since: DateTime<Utc>,
    section: Option<&str>,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<ArticleSummary>, StoreError> {
    let params = [
        Param::Int(since.timestamp() / 3600),
        Param::Int(now.timestamp()),
        Param::Int(i64::from(limit)),
        Param::Text(section.unwrap_or("")),
    ];
    let rows: Vec<SummaryRow> = from.into().rows(&most_read_sql(), &params).await?;
    Ok(rows.into_iter().map(summary_from_row).collect())
}

/// [`most_read`]'s statement.
fn most_read_sql() -> String {
    // Only the window's rows are read: `+article_id` keeps SQLite from grouping along the
    // primary key (a scan of every hour ever counted) so that it takes `article_views_by_hour`,
    // and CROSS JOIN makes it look the few articles up by id instead of walking all of them.
    // Both are SQLite's documented ways to steer its planner; PostgreSQL reads plain SQL.
    format!(
        "SELECT {SUMMARY_COLUMNS} FROM (SELECT +article_id AS article_id, SUM(views) AS total \
           FROM article_views WHERE hour >= $1 GROUP BY +article_id) v \
         CROSS JOIN articles a LEFT JOIN sections s ON s.id = a.section_id \
         WHERE a.id = v.article_id AND a.status = 'published' AND a.published_at <= $2 \
           AND ($4 = '' OR s.slug = $4) \
         ORDER BY v.total DESC, a.published_at DESC LIMIT $3"
    )
}

/// A live article as a sitemap lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub path: String,
    pub headline: String,
    pub published_at: DateTime<Utc>,
    /// The later of publication and the last "Diperbarui" time.
    pub modified_at: DateTime<Utc>,
}

/// When each article sitemap file last changed: files of `per_file` live articles in id order
/// (as [`sitemap_entries`] pages them), first file first, each the latest publication or
/// "Diperbarui" time in it. None when no article is live.
pub async fn sitemap_file_changes(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    per_file: i64,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(SITEMAP_FILES_SQL)
        .bind(now.timestamp())
        .bind(per_file)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(_, at)| timestamp(at)).collect())
}

/// [`sitemap_file_changes`]' statement: $1 the time, $2 articles per file. Read from
/// `articles_for_sitemaps` alone, already in id order.
const SITEMAP_FILES_SQL: &str = "SELECT file, MAX(changed) FROM \
       (SELECT (ROW_NUMBER() OVER (ORDER BY id) - 1) / $2 AS file, \
         CASE WHEN updated_at > published_at THEN updated_at ELSE published_at END AS changed \
         FROM articles WHERE status = 'published' AND published_at <= $1) files \
     GROUP BY file ORDER BY file";

/// Live articles for sitemaps: oldest first (so a sitemap file's contents stay put as new
/// articles arrive), or newest first since `since` for the news sitemap.
pub async fn sitemap_entries(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    since: Option<DateTime<Utc>>,
    limit: i64,
    offset: i64,
) -> Result<Vec<SitemapEntry>, StoreError> {
    let query = match since {
        Some(since) => sqlx::query_as(
            "SELECT slug, headline, published_at, COALESCE(updated_at, published_at), zone \
             FROM articles WHERE status = 'published' AND published_at <= $1 \
               AND published_at >= $2 \
             ORDER BY published_at DESC, id DESC LIMIT $3 OFFSET $4",
        )
        .bind(now.timestamp())
        .bind(since.timestamp()),
        None => sqlx::query_as(SITEMAP_FILE_SQL).bind(now.timestamp()),
    };
    let rows: Vec<(String, String, i64, i64, String)> =
        query.bind(limit).bind(offset).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(slug, headline, published, modified, zone)| SitemapEntry {
            path: article_path(&slug, timestamp(published), zone_of(&zone)),
            headline,
            published_at: timestamp(published),
            modified_at: timestamp(modified.max(published)),
        })
        .collect())
}

/// A sitemap file's articles, oldest first: $1 the time, $2 and $3 the file's size and start. The file's ids are found in `articles_for_sitemaps`
/// (skipping the files before it there) and only its own rows are read: sorting every live
/// article by id took 134 ms for the third file of 30,000, this 23 ms.
const SITEMAP_FILE_SQL: &str = "SELECT a.slug, a.headline, a.published_at, COALESCE(a.updated_at, a.published_at), a.zone \
     FROM (SELECT id FROM articles \
           WHERE status = 'published' AND published_at <= $1 \
           ORDER BY id LIMIT $2 OFFSET $3) p \
     CROSS JOIN articles a WHERE a.id = p.id ORDER BY a.id";

/// Every live article's id and last change, for keeping a search index in step.
pub async fn index_state(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, modified_at FROM articles WHERE status = 'published' AND published_at <= $1",
    )
    .bind(now.timestamp())
    .fetch_all(conn)
    .await?)
}

/// When the next article scheduled after `now` goes live, so caches know when to refresh.
pub async fn next_publication(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let next: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(published_at) FROM articles WHERE status = 'published' AND published_at > $1",
    )
    .bind(now.timestamp())
    .fetch_one(conn)
    .await?;
    Ok(next.map(timestamp))
}

/// The lead story: the published article an editor most recently chose, if any is live.
pub async fn lead<'c>(
    from: impl Into<Reader<'c>>,
    now: DateTime<Utc>,
) -> Result<Option<ArticleSummary>, StoreError> {
    let rows: Vec<SummaryRow> = from
        .into()
        .rows(&lead_sql(), &[Param::Int(now.timestamp())])
        .await?;
    Ok(rows.into_iter().next().map(summary_from_row))
}

/// [`lead`]'s statement.
fn lead_sql() -> String {
    // From the few articles ever made lead (`articles_by_lead`) to each by id: CROSS JOIN
    // keeps SQLite from walking every live article by time instead.
    format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles l CROSS JOIN articles a \
           LEFT JOIN sections s ON s.id = a.section_id \
         WHERE l.lead_at IS NOT NULL AND a.id = l.id \
           AND a.status = 'published' AND a.published_at <= $1 \
         ORDER BY l.lead_at DESC, l.id DESC LIMIT 1"
    )
}

/// Makes an article the lead story (or stops it being one), and tells caches.
pub async fn set_lead(
    conn: &mut AnyConnection,
    id: i64,
    lead: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE articles SET lead_at = $2 WHERE id = $1")
        .bind(id)
        .bind(lead.then_some(now.timestamp()))
        .execute(&mut *conn)
        .await?;
    changes::bump(conn).await
}

/// Whether an article is currently chosen as a lead story.
pub async fn is_lead(conn: &mut AnyConnection, id: i64) -> Result<bool, StoreError> {
    let at: Option<Option<i64>> = sqlx::query_scalar("SELECT lead_at FROM articles WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(at.flatten().is_some())
}

/// The live articles of the same story just before and just after this one: a series'
/// previous and next instalment.
pub async fn story_neighbours<'c>(
    from: impl Into<Reader<'c>>,
    article_id: i64,
    now: DateTime<Utc>,
) -> Result<(Option<ArticleSummary>, Option<ArticleSummary>), StoreError> {
    let mut from = from.into();
    let neighbour = |before: bool| {
        let (compare, order) = if before { ("<", "DESC") } else { (">", "ASC") };
        format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles a LEFT JOIN sections s ON s.id = a.section_id \
             JOIN story_articles sa ON sa.article_id = a.id \
             JOIN articles x ON x.id = $1 \
             WHERE sa.story_id = (SELECT story_id FROM story_articles WHERE article_id = $1) \
             AND a.status = 'published' AND a.published_at <= $2 \
             AND (a.published_at {compare} x.published_at \
                  OR (a.published_at = x.published_at AND a.id {compare} x.id)) \
             ORDER BY a.published_at {order}, a.id {order} LIMIT 1"
        )
    };
    let mut found = Vec::with_capacity(2);
    for before in [true, false] {
        let params = [Param::Int(article_id), Param::Int(now.timestamp())];
        let rows: Vec<SummaryRow> = from.rows(&neighbour(before), &params).await?;
        found.push(rows.into_iter().next().map(summary_from_row));
    }
    let next = found.pop().flatten();
    let previous = found.pop().flatten();
    Ok((previous, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The home page's reads stay on their indexes, so they cost the same with an archive of
    /// any size: walking the archive instead took 170 ms on 30,000 articles.
    #[tokio::test]
    async fn home_page_reads_stay_on_their_indexes() {
        let db = crate::testing::sqlite();
        let store = crate::Store::open(&db.url).await.unwrap();
        let conn = rusqlite::Connection::open(db.url.trim_start_matches("sqlite://")).unwrap();
        let plan = |sql: &str| crate::testing::query_plan(&conn, sql);
        let lead = plan(&lead_sql());
        assert!(
            lead.starts_with("SEARCH l USING COVERING INDEX articles_by_lead"),
            "{lead}"
        );
        let read = plan(&most_read_sql());
        assert!(
            read.contains("SEARCH article_views USING COVERING INDEX article_views_by_hour"),
            "{read}"
        );
        assert!(
            read.contains("SEARCH a USING INTEGER PRIMARY KEY"),
            "{read}"
        );
        // Articles by id (most read, feeds, search results, the API) are looked up by id.
        let by_ids = plan(&by_ids_sql(20));
        assert!(
            by_ids.starts_with("SEARCH a USING INTEGER PRIMARY KEY"),
            "{by_ids}"
        );
        // Sitemaps read their ids and times from their index, already in id order.
        for sitemap in [plan(SITEMAP_FILES_SQL), plan(SITEMAP_FILE_SQL)] {
            assert!(
                sitemap.contains("USING COVERING INDEX articles_for_sitemaps (status=?)")
                    && !sitemap.contains("TEMP B-TREE FOR ORDER BY; SCAN"),
                "{sitemap}"
            );
        }
        let sections = plan(&per_section_sql(3));
        assert_eq!(sections.matches("SEARCH a USING INDEX articles_by_section (section_id=? AND status=? AND published_at<?)").count(), 3, "{sections}");
        for plan in [lead, read, by_ids, sections] {
            assert!(
                !plan.contains("SCAN a ") && !plan.contains("SCAN article_views"),
                "{plan}"
            );
        }
        store.close().await;
    }

    /// `count` published articles with ids 1 to `count`, `per_second` of them to a second of
    /// time from 1,700,000,000 on.
    fn archive(conn: &rusqlite::Connection, count: i64, per_second: i64) {
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
             INSERT INTO articles (slug, headline, headline_key, summary, body_markdown, \
             body_html, published_at, zone, created_at, modified_at) \
             SELECT 'a-' || i, 'A ' || i, 'a ' || i, '', '', '', 1700000000 + i / ?2, 'WIB', \
             0, 0 FROM n",
            [count, per_second],
        )
        .unwrap();
    }

    /// A rare tag's page is read from its few articles, a common tag's by walking the archive
    /// by time: each way costs little where it is chosen and much where it is not. Counted in
    /// SQLite's virtual-machine steps.
    #[tokio::test]
    async fn a_tag_page_walks_the_cheap_way() {
        let db = crate::testing::sqlite();
        let store = crate::Store::open(&db.url).await.unwrap();
        let conn = rusqlite::Connection::open(db.url.trim_start_matches("sqlite://")).unwrap();
        // 2,000 articles; "langka" on 3 of the oldest, "umum" on every other one.
        archive(&conn, 2000, 1);
        conn.execute_batch(
            "INSERT INTO tags (id, slug, name) VALUES (1, 'langka', 'Langka'), (2, 'umum', 'Umum'); \
             INSERT INTO article_tags (article_id, tag_id, position) \
             SELECT id, 1, 0 FROM articles WHERE id <= 3; \
             INSERT INTO article_tags (article_id, tag_id, position) \
             SELECT id, 2, 0 FROM articles WHERE id % 2 = 0;",
        )
        .unwrap();
        // The first page of 20 for `tag`, read each way: its ids and the steps it took.
        let page = |tag: &str, walk: Walk| {
            let mut statement = conn
                .prepare(&list_sql(Filter::Tag(tag), false, walk))
                .unwrap();
            let ids: Vec<i64> = statement
                .query_map(
                    rusqlite::named_params! {"$1": i64::MAX, "$2": 20, "$3": 0, "$4": tag},
                    |row| row.get("id"),
                )
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (ids, statement.get_status(rusqlite::StatementStatus::VmStep))
        };
        let (rare_set, rare_set_steps) = page("langka", Walk::FromSet);
        let (rare_walk, rare_walk_steps) = page("langka", Walk::ByTime);
        assert_eq!(rare_set, [3, 2, 1]);
        assert_eq!(rare_walk, rare_set);
        let (common_set, common_set_steps) = page("umum", Walk::FromSet);
        let (common_walk, common_walk_steps) = page("umum", Walk::ByTime);
        assert_eq!(
            common_walk,
            (1962..=2000).rev().step_by(2).collect::<Vec<_>>()
        );
        assert_eq!(common_set, common_walk);
        assert!(
            rare_set_steps * 20 < rare_walk_steps,
            "rare tag: {rare_set_steps} steps from its set, {rare_walk_steps} walking"
        );
        assert!(
            common_walk_steps * 2 < common_set_steps,
            "common tag: {common_walk_steps} steps walking, {common_set_steps} from its set"
        );
        // And `list` takes the cheaper way for each.
        let size = |articles| SetSize {
            articles,
            archive: 2000,
        };
        assert_eq!(size(3).walk(20), Walk::FromSet);
        assert_eq!(size(1000).walk(20), Walk::ByTime);
        store.close().await;
    }

    /// A page after a cursor costs the same at any depth: it starts on the index where the
    /// cursor points (page 500 of a section by OFFSET took 76 ms on 30,000 articles). Counted
    /// in SQLite's virtual-machine steps, which do not depend on the machine's speed.
    #[tokio::test]
    async fn a_page_after_a_cursor_starts_where_it_points() {
        let db = crate::testing::sqlite();
        let store = crate::Store::open(&db.url).await.unwrap();
        let conn = rusqlite::Connection::open(db.url.trim_start_matches("sqlite://")).unwrap();
        // 1,000 articles, two to a second (ties broken by id).
        archive(&conn, 1000, 2);
        let plan = crate::testing::query_plan(&conn, &list_sql(Filter::All, true, Walk::ByTime));
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        let mut statement = conn
            .prepare(&list_sql(Filter::All, true, Walk::ByTime))
            .unwrap();
        // The page of ten after article `id`: its ids and the steps it took.
        let mut page_after = |id: i64| {
            let published_at = 1_700_000_000 + id / 2;
            let until = list_until(Utc::now(), Some(Cursor { published_at, id }));
            let ids: Vec<i64> = statement
                .query_map(
                    rusqlite::named_params! {
                        "$1": until, "$2": 10, "$3": 0, "$4": published_at, "$5": id,
                    },
                    |row| row.get("id"),
                )
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let steps = statement.get_status(rusqlite::StatementStatus::VmStep);
            statement.reset_status(rusqlite::StatementStatus::VmStep);
            (ids, steps)
        };
        let (top, top_steps) = page_after(991);
        assert_eq!(top, (981..=990).rev().collect::<Vec<_>>());
        let (deep, deep_steps) = page_after(31);
        assert_eq!(deep, (21..=30).rev().collect::<Vec<_>>());
        assert!(
            deep_steps < top_steps * 2,
            "{deep_steps} steps 960 articles deep against {top_steps} at the top"
        );
        store.close().await;
    }

    #[test]
    fn packed_records_come_out_in_position_order() {
        let packed = "10\u{1f}Sepuluh\u{1f}s\u{1e}2\u{1f}Dua\u{1f}d\u{1e}\u{1f}Tanpa\u{1f}t\u{1e}0\u{1f}Nol\u{1f}n";
        let names: Vec<String> = unpack_named(Some(packed))
            .into_iter()
            .map(|n| n.name)
            .collect();
        assert_eq!(names, ["Nol", "Dua", "Sepuluh", "Tanpa"]);
        assert!(unpack_named(None).is_empty());
    }
}
