//! Moving articles in and out: files on disk to the store (one transaction per file, so a bad
//! file writes nothing) and the store to Warta JSON.

use std::{collections::HashMap, fmt, path::PathBuf};

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use warta_core::{
    ArticleDraft,
    import::{
        page_text,
        record::{ArticleList, ArticleRecord},
    },
    story::StoryInput,
};
use warta_store::{
    Store,
    articles::{self, Cursor, Filter, Identity, Start},
    images, stories,
};

/// What an import run did, file by file.
#[derive(Debug, Default)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub failed_files: usize,
    lines: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        write!(
            f,
            "imported: {} created, {} updated; {} file(s) failed",
            self.created, self.updated, self.failed_files
        )
    }
}

/// Counts of one file's articles, and what was left out of them.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    /// Parts of an article that could not come along (a photo this site does not hold).
    pub notes: Vec<String>,
}

/// Imports each file in its own transaction; a failed file is reported and the rest go on.
pub async fn files(store: &Store, paths: &[PathBuf], section: Option<&str>) -> Report {
    let mut report = Report::default();
    for path in paths {
        let name = path.display().to_string();
        let result = match std::fs::read(path)
            .map_err(|error| format!("cannot read: {error}"))
            .and_then(utf8)
        {
            Err(message) => Err(message),
            Ok(text)
                if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json")) =>
            {
                json_text(store, &text).await
            }
            Ok(text) => page(store, &text, section).await,
        };
        match result {
            Ok(outcome) => {
                report.created += outcome.created;
                report.updated += outcome.updated;
                report.lines.push(format!(
                    "{name}: ok ({} created, {} updated)",
                    outcome.created, outcome.updated
                ));
                for note in &outcome.notes {
                    report.lines.push(format!("{name}: {note}"));
                }
            }
            Err(message) => {
                report.failed_files += 1;
                report.lines.push(format!(
                    "{name}: {message}; nothing from this file was written"
                ));
            }
        }
    }
    report
}

/// The file's text, or where it stops being UTF-8 (a page saved by an old editor in
/// Windows-1252 fails here, at its first "é" or curly quote).
fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let at = error.utf8_error().valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
        let column = 1 + at
            - bytes[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |n| n + 1);
        format!(
            "line {line}: expected UTF-8 text, found byte 0x{:02X} at column {column} \
             (save the file as UTF-8)",
            bytes[at]
        )
    })
}

/// One captured page in plain text.
async fn page(store: &Store, text: &str, section: Option<&str>) -> Result<Outcome, String> {
    // Old Mac editors end lines with CR alone; read as one long line, nothing would be found.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let page = page_text::parse(&text).map_err(|e| e.to_string())?;
    let mut draft = page.draft;
    if draft.section.is_none() {
        draft.section = section.map(str::to_owned);
    }
    let item = Item {
        label: "article 1".to_owned(),
        draft,
        story: None,
        identity: Identity::HeadlineAndTime,
        members_only: None,
    };
    save_all(store, vec![item]).await
}

/// Warta JSON: `{"items": [...]}` (export and API list form), `[...]`, or one article object.
/// Errors name the line an article starts on (or the line of the mistake in it).
pub async fn json_text(store: &Store, text: &str) -> Result<Outcome, String> {
    // Windows editors start UTF-8 files with a byte order mark, which JSON does not allow.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let invalid = |e: serde_json::Error| format!("line {}: invalid JSON: {e}", e.line());
    let items: Vec<&RawValue> = match text.trim_start().as_bytes().first() {
        Some(b'[') => serde_json::from_str(text).map_err(invalid)?,
        Some(b'{') => {
            let object: HashMap<String, &RawValue> = serde_json::from_str(text).map_err(invalid)?;
            match object.get("items") {
                Some(items) => serde_json::from_str(items.get())
                    .map_err(|_| "\"items\" must be an array of articles".to_owned())?,
                None => vec![serde_json::from_str(text).map_err(invalid)?],
            }
        }
        _ => {
            serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(invalid)?;
            return Err(
                "expected an article object, an array of them, or {\"items\": [...]}".into(),
            );
        }
    };
    let mut records = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        // The item is a slice of `text`: its offset gives its first line.
        let offset = item.get().as_ptr() as usize - text.as_ptr() as usize;
        let first_line = text[..offset].matches('\n').count() + 1;
        let mut record: ArticleRecord = serde_json::from_str(item.get()).map_err(|e| {
            let position = format!(" at line {} column {}", e.line(), e.column());
            let message = e.to_string();
            format!(
                "line {}: article {}: {}",
                first_line + e.line().saturating_sub(1),
                index + 1,
                message.strip_suffix(&position).unwrap_or(&message)
            )
        })?;
        let label = format!(
            "article {} (line {first_line}, {:?})",
            index + 1,
            record.headline
        );
        let story = match record.story.take() {
            Some(story) => Some(
                story
                    .input()
                    .map_err(|errors| format!("{label}: story: {}", joined(&errors)))?,
            ),
            None => None,
        };
        // A record with a slug is that article; one without is known by headline and time,
        // as a captured page is (by its headline alone it would replace another article
        // with the same headline, from another day).
        let identity = if record.slug.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            Identity::Slug
        } else {
            Identity::HeadlineAndTime
        };
        let members_only = record.members_only;
        records.push(Item {
            label,
            draft: record.into_draft(),
            story,
            identity,
            members_only,
        });
    }
    save_all(store, records).await
}

/// One article of a file, as read.
struct Item {
    /// Names the article in error messages.
    label: String,
    draft: ArticleDraft,
    /// The story the article joins.
    story: Option<StoryInput>,
    /// How the article already stored, if any, is found.
    identity: Identity,
    /// Members-only or open to all; `None` keeps what the article has.
    members_only: Option<bool>,
}

fn joined(errors: &[warta_core::FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Validates and saves articles in one transaction: all of them or none. A story an article
/// names joins it to the site's story with that slug, set up from the record when missing.
async fn save_all(store: &Store, items: Vec<Item>) -> Result<Outcome, String> {
    let mut normalized = Vec::with_capacity(items.len());
    for item in items {
        let draft = item
            .draft
            .normalize()
            .map_err(|errors| format!("{}: {}", item.label, joined(&errors)))?;
        normalized.push((
            item.label,
            draft,
            item.story,
            item.identity,
            item.members_only,
        ));
    }
    let mut tx = store.begin().await.map_err(|e| format!("database: {e}"))?;
    let mut outcome = Outcome::default();
    let now = Utc::now();
    for (label, mut draft, story, identity, members_only) in normalized {
        // A photo is a file in the media folder and a row of the site that took it: an export
        // carries its key only. The article comes without it rather than not at all.
        if let Some(hero) = &draft.hero
            && !images::exists(&mut tx, &hero.image)
                .await
                .map_err(|e| format!("database: {e}"))?
        {
            outcome.notes.push(format!(
                "{label}: imported without its photo: hero.image {:?} is not among this \
                 site's uploaded photos (upload it in the editor)",
                hero.image
            ));
            draft.hero = None;
        }
        let saved = articles::save(&mut tx, &draft, identity, now)
            .await
            .map_err(|e| format!("{label}: {e}"))?;
        if let Some(flag) = members_only {
            articles::set_members_only(&mut tx, saved.id, flag)
                .await
                .map_err(|e| format!("{label}: {e}"))?;
        }
        if let Some(story) = &story {
            join_story(&mut tx, saved.id, story, now)
                .await
                .map_err(|e| format!("{label}: story: {e}"))?;
        }
        if saved.created {
            outcome.created += 1;
        } else {
            outcome.updated += 1;
        }
    }
    tx.commit()
        .await
        .map_err(|e| format!("database: commit failed: {e}"))?;
    Ok(outcome)
}

/// Puts the article in the story with `story`'s slug, setting the story up first if the site
/// has none by that slug (a story already there is kept as its newsroom left it).
async fn join_story(
    conn: &mut warta_store::Connection,
    article_id: i64,
    story: &StoryInput,
    now: DateTime<Utc>,
) -> Result<(), warta_store::StoreError> {
    let id = match stories::by_slug(&mut *conn, &story.slug).await? {
        Some(found) => found.id,
        None => stories::save(conn, None, story, now).await?,
    };
    stories::set_article(conn, article_id, Some(id)).await
}

/// Every stored article, scheduled ones included, as `{"items": [...]}`, oldest first so a
/// re-import resolves "Baca juga" references in publishing order.
pub async fn export(store: &Store) -> Result<String, warta_store::StoreError> {
    const BATCH: u32 = 200;
    let everything = DateTime::<Utc>::MAX_UTC;
    let mut conn = store.pool().acquire().await?;
    let mut items = Vec::new();
    let mut start = Start::Skip(0);
    loop {
        let page = articles::list(&mut conn, Filter::All, everything, BATCH, start).await?;
        let ids: Vec<i64> = page.iter().map(|s| s.id).collect();
        let stories = stories::of_articles(&mut conn, &ids).await?;
        for article in articles::published_by_ids(&mut conn, &ids, everything).await? {
            let mut record = warta_web::record(&article);
            record.story = stories
                .iter()
                .find(|(id, _)| *id == article.id)
                .map(|(_, story)| warta_web::story_record(story, &article, article.zone));
            items.push(record);
        }
        match page.last() {
            Some(last) if page.len() == BATCH as usize => start = Start::After(Cursor::of(last)),
            _ => break,
        }
    }
    items.reverse();
    let list = ArticleList { items, next: None };
    Ok(serde_json::to_string_pretty(&list).unwrap_or_default() + "\n")
}
