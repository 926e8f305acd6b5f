//! Moving articles in and out: files on disk to the store (one transaction per file, so a bad
//! file writes nothing) and the store to Warta JSON.

use std::{fmt, path::PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;
use warta_core::{
    ArticleDraft,
    import::{
        page_text,
        record::{ArticleList, ArticleRecord},
    },
};
use warta_store::{
    Store,
    articles::{self, Filter, Identity},
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

/// Counts of one file's articles.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
}

/// Imports each file in its own transaction; a failed file is reported and the rest go on.
pub async fn files(store: &Store, paths: &[PathBuf], section: Option<&str>) -> Report {
    let mut report = Report::default();
    for path in paths {
        let name = path.display().to_string();
        let result = match std::fs::read_to_string(path) {
            Err(error) => Err(format!("cannot read: {error}")),
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

/// One captured page in plain text.
async fn page(store: &Store, text: &str, section: Option<&str>) -> Result<Outcome, String> {
    let page = page_text::parse(text).map_err(|e| e.to_string())?;
    let mut draft = page.draft;
    if draft.section.is_none() {
        draft.section = section.map(str::to_owned);
    }
    save_all(
        store,
        vec![("article 1".to_owned(), draft)],
        Identity::HeadlineAndTime,
    )
    .await
}

/// Warta JSON: `{"items": [...]}` (export and API list form), `[...]`, or one article object.
pub async fn json_text(store: &Store, text: &str) -> Result<Outcome, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("line {}: invalid JSON: {e}", e.line()))?;
    let items = match value {
        Value::Object(mut object) if object.contains_key("items") => match object.remove("items") {
            Some(Value::Array(items)) => items,
            _ => return Err("\"items\" must be an array of articles".into()),
        },
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => {
            return Err(
                "expected an article object, an array of them, or {\"items\": [...]}".into(),
            );
        }
    };
    let mut drafts = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let record: ArticleRecord =
            serde_json::from_value(item).map_err(|e| format!("article {}: {e}", index + 1))?;
        let label = format!("article {} ({:?})", index + 1, record.headline);
        drafts.push((label, record.into_draft()));
    }
    save_all(store, drafts, Identity::Slug).await
}

/// Validates and saves drafts in one transaction: all of them or none.
async fn save_all(
    store: &Store,
    drafts: Vec<(String, ArticleDraft)>,
    identity: Identity,
) -> Result<Outcome, String> {
    let mut normalized = Vec::with_capacity(drafts.len());
    for (label, draft) in drafts {
        let draft = draft.normalize().map_err(|errors| {
            let detail: Vec<String> = errors.iter().map(ToString::to_string).collect();
            format!("{label}: {}", detail.join("; "))
        })?;
        normalized.push((label, draft));
    }
    let mut tx = store.begin().await.map_err(|e| format!("database: {e}"))?;
    let mut outcome = Outcome::default();
    let now = Utc::now();
    for (label, draft) in &normalized {
        let saved = articles::save(&mut tx, draft, identity, now)
            .await
            .map_err(|e| format!("{label}: {e}"))?;
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

/// Every stored article, scheduled ones included, as `{"items": [...]}`, oldest first so a
/// re-import resolves "Baca juga" references in publishing order.
pub async fn export(store: &Store) -> Result<String, warta_store::StoreError> {
    const BATCH: u32 = 200;
    let everything = DateTime::<Utc>::MAX_UTC;
    let mut conn = store.pool().acquire().await?;
    let mut items = Vec::new();
    let mut offset = 0;
    loop {
        let page = articles::list(&mut conn, Filter::All, everything, BATCH, offset).await?;
        let ids: Vec<i64> = page.iter().map(|s| s.id).collect();
        for article in articles::published_by_ids(&mut conn, &ids, everything).await? {
            items.push(warta_web::record(&article));
        }
        if page.len() < BATCH as usize {
            break;
        }
        offset += BATCH;
    }
    items.reverse();
    let list = ArticleList { items, next: None };
    Ok(serde_json::to_string_pretty(&list).unwrap_or_default() + "\n")
}
