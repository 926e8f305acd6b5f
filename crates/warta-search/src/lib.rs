//! Warta's search index: a tantivy index in the data dir with an Indonesian analyzer, kept in
//! step with the store by difference (each node compares the store's published articles with
//! what it has indexed, so any process's writes are picked up and nothing needs a queue), plus
//! search with highlights, filters and "did you mean", and related articles.

pub mod analyzer;
mod query;
mod related;
mod schema;

use std::{
    collections::HashMap,
    path::Path,
    sync::{Arc, Mutex, RwLock},
};

use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, directory::MmapDirectory,
};
use warta_core::{article::Article, body};

pub use query::{Found, Hit, QueryError, Search, Sort, check_query};
pub use related::RelatedHit;
use schema::Fields;
pub use schema::SCHEMA_VERSION;

/// What can go wrong with the index itself (not with a query).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index at {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Directory(String),
    /// Another process (a running `warta serve`) writes to this index.
    #[error("the search index is in use by another process (is `warta serve` running?)")]
    Locked,
}

/// The writer's memory budget (tantivy's minimum for one thread is 15 MB); it flushes a segment
/// when the budget is used up. A server indexes a few articles at a time, so one thread with a
/// small budget keeps its memory low; `warta reindex` gets more (see [`SearchIndex::rebuild`]).
const WRITER_HEAP: usize = 20 * 1024 * 1024;
/// The budget while rebuilding everything: one thread per core, more memory each.
const REBUILD_HEAP_PER_THREAD: usize = 48 * 1024 * 1024;

/// The file beside the index that records which schema built it.
const VERSION_FILE: &str = "warta-schema-version";

/// Claims the index in `dir` for this process's writer: an exclusive lock on `<dir>.lock`
/// beside it, or [`SearchError::Locked`] when another process holds it. tantivy's own writer
/// lock lives inside the folder, so it cannot guard the folder's creation or removal: two
/// servers starting together on one data dir could each find the other's half-made index and
/// delete it.
fn writer_lock(dir: &Path) -> Result<std::fs::File, SearchError> {
    let path = dir.with_extension("lock");
    let io = |source| SearchError::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(SearchError::Locked),
        Err(std::fs::TryLockError::Error(error)) => Err(io(error)),
    }
}

/// One article as the index needs it.
pub struct Indexed<'a> {
    pub article: &'a Article,
    /// The store's last-change time of the article (Unix seconds).
    pub modified_at: i64,
}

/// What must change in the index to match the store.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Published articles that are new or changed since they were indexed.
    pub fetch: Vec<i64>,
    /// Indexed articles that are no longer published.
    pub delete: Vec<i64>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// None when another process on this data dir writes the index; this one only reads it.
    writer: Option<Mutex<IndexWriter>>,
    fields: Fields,
    /// Every indexed article's id and last change, for [`SearchIndex::plan`].
    known: Mutex<HashMap<i64, i64>>,
    /// Related articles computed since the last commit.
    related: RwLock<HashMap<i64, Arc<Vec<RelatedHit>>>>,
    /// The writer's claim on the index folder (see [`writer_lock`]), held while it lives.
    writing: Option<std::fs::File>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir` for writing, or creates it there when it is missing or was
    /// built by another schema version (the caller then fills it from the store). Fails with
    /// [`SearchError::Locked`] when another process writes it.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        Self::open_with(dir, 1, WRITER_HEAP, false)
    }

    /// An empty index in `dir` for rebuilding it from scratch, with all cores and more memory
    /// for the writer; whatever was there is deleted once this process holds the writer's lock
    /// (a running server makes this fail with [`SearchError::Locked`] before anything is).
    pub fn rebuild(dir: &Path) -> Result<SearchIndex, SearchError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        Self::open_with(dir, threads, threads * REBUILD_HEAP_PER_THREAD, true)
    }

    fn open_with(
        dir: &Path,
        threads: usize,
        heap: usize,
        fresh: bool,
    ) -> Result<SearchIndex, SearchError> {
        let io = |source| SearchError::Io {
            path: dir.display().to_string(),
            source,
        };
        let (schema, fields) = schema::build();
        let writing = writer_lock(dir)?;
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
        let current = version.as_deref().map(str::trim) == Some(SCHEMA_VERSION);
        if (fresh || !current) && dir.exists() {
            // Only the writer may start over, and this process is it (`writing`). A server
            // built before that lock existed holds only tantivy's own, inside the folder.
            let existing = Index::open_in_dir(dir)
                .and_then(|index| index.writer::<TantivyDocument>(WRITER_HEAP));
            if let Err(tantivy::TantivyError::LockFailure(..)) = existing {
                return Err(SearchError::Locked);
            }
            drop(existing);
            if !fresh {
                tracing::info!(dir = %dir.display(), "search index from another schema; rebuilding");
            }
            std::fs::remove_dir_all(dir).map_err(io)?;
        }
        std::fs::create_dir_all(dir).map_err(io)?;
        let directory =
            MmapDirectory::open(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let index = Index::open_or_create(directory, schema)?;
        analyzer::register(&index);
        let writer = index
            .writer_with_num_threads(threads, heap)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::Locked,
                other => SearchError::Index(other),
            })?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION).map_err(io)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut search = Self::with(index, reader, Some(writer), fields)?;
        search.writing = Some(writing);
        Ok(search)
    }

    /// Opens an index another process on the same data dir writes: searches see its commits
    /// shortly after they happen; [`SearchIndex::writes`] is false.
    pub fn open_read_only(dir: &Path) -> Result<SearchIndex, SearchError> {
        let (_, fields) = schema::build();
        let index = Index::open_in_dir(dir)?;
        analyzer::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Self::with(index, reader, None, fields)
    }

    fn with(
        index: Index,
        reader: IndexReader,
        writer: Option<IndexWriter>,
        fields: Fields,
    ) -> Result<SearchIndex, SearchError> {
        let search = SearchIndex {
            index,
            reader,
            writer: writer.map(Mutex::new),
            fields,
            known: Mutex::new(HashMap::new()),
            related: RwLock::new(HashMap::new()),
            writing: None,
        };
        search.load_known()?;
        Ok(search)
    }

    /// Whether this process keeps the index up to date (see [`SearchIndex::open_read_only`]).
    pub fn writes(&self) -> bool {
        self.writer.is_some()
    }

    /// Reads the ids and change times of what the index holds.
    fn load_known(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        let mut known = HashMap::new();
        for segment in searcher.segment_readers() {
            let ids = segment.fast_fields().u64("id")?;
            let modified = segment.fast_fields().i64("modified")?;
            for doc in segment.doc_ids_alive() {
                if let (Some(id), Some(at)) = (ids.first(doc), modified.first(doc)) {
                    known.insert(i64::try_from(id).unwrap_or_default(), at);
                }
            }
        }
        if let Ok(mut held) = self.known.lock() {
            *held = known;
        }
        Ok(())
    }

    /// How many articles the index holds.
    pub fn len(&self) -> usize {
        self.known.lock().map(|k| k.len()).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Compares the store's published articles (id, last change) with the index.
    pub fn plan(&self, published: &[(i64, i64)]) -> Plan {
        let Ok(known) = self.known.lock() else {
            return Plan::default();
        };
        let mut plan = Plan::default();
        for (id, modified) in published {
            if known.get(id) != Some(modified) {
                plan.fetch.push(*id);
            }
        }
        let live: std::collections::HashSet<i64> = published.iter().map(|(id, _)| *id).collect();
        plan.delete = known
            .keys()
            .filter(|id| !live.contains(id))
            .copied()
            .collect();
        plan.delete.sort_unstable();
        plan
    }

    /// Adds or replaces articles (visible after [`SearchIndex::commit`]).
    pub fn put(&self, articles: &[Indexed<'_>]) -> Result<(), SearchError> {
        let writer = self.writer()?;
        let f = self.fields;
        for Indexed {
            article,
            modified_at,
        } in articles
        {
            let id = u64::try_from(article.id).unwrap_or_default();
            writer.delete_term(Term::from_field_u64(f.id, id));
            let mut doc = TantivyDocument::default();
            doc.add_u64(f.id, id);
            doc.add_i64(f.modified, *modified_at);
            doc.add_i64(f.published_at, article.published_at.timestamp());
            let body = body::plain_text(&article.body_markdown);
            doc.add_text(f.headline, &article.headline);
            doc.add_text(f.summary, &article.summary);
            doc.add_text(f.body, &body);
            for tag in &article.tags {
                doc.add_text(f.tags, &tag.name);
                doc.add_text(f.words, &tag.name);
            }
            doc.add_text(f.words, &article.headline);
            doc.add_text(f.words, &article.summary);
            // Members-only text is searched (members find what they read) but never suggested:
            // "did you mean" would spell out a locked word to anyone.
            if article.members_only {
                doc.add_text(
                    f.words,
                    body::summary_from_markdown(&article.body_markdown, 1000),
                );
            } else {
                doc.add_text(f.words, body);
            }
            if let Some(section) = &article.section {
                doc.add_text(f.section, &section.slug);
                doc.add_text(f.section_name, &section.name);
            }
            for author in &article.authors {
                doc.add_text(f.authors, &author.slug);
            }
            doc.add_text(f.path, article.path());
            doc.add_text(f.zone, article.zone.abbreviation());
            doc.add_u64(f.members_only, u64::from(article.members_only));
            writer.add_document(doc)?;
        }
        drop(writer);
        if let Ok(mut known) = self.known.lock() {
            for Indexed {
                article,
                modified_at,
            } in articles
            {
                known.insert(article.id, *modified_at);
            }
        }
        Ok(())
    }

    /// Removes articles (after [`SearchIndex::commit`]).
    pub fn delete(&self, ids: &[i64]) -> Result<(), SearchError> {
        let writer = self.writer()?;
        for id in ids {
            writer.delete_term(Term::from_field_u64(
                self.fields.id,
                u64::try_from(*id).unwrap_or_default(),
            ));
        }
        drop(writer);
        if let Ok(mut known) = self.known.lock() {
            for id in ids {
                known.remove(id);
            }
        }
        Ok(())
    }

    /// Makes the changes so far durable and visible to searches.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.writer()?.commit()?;
        self.reader.reload()?;
        if let Ok(mut related) = self.related.write() {
            related.clear();
        }
        Ok(())
    }
}

impl SearchIndex {
    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer
            .as_ref()
            .ok_or(SearchError::Locked)?
            .lock()
            .map_err(|_| {
                SearchError::Directory("the index writer's lock was poisoned by a panic".into())
            })
    }
}
