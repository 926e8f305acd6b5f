//! Related articles ("Baca juga" suggestions): more-like-this over the index, weighted toward
//! articles published near the same time, remembered until the next commit.

use std::sync::Arc;

use tantivy::{
    DocAddress, TantivyDocument, Term,
    collector::TopDocs,
    query::{MoreLikeThisQuery, TermQuery},
    schema::{IndexRecordOption, Value},
};

use crate::{SearchError, SearchIndex};

/// A suggested article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedHit {
    pub id: i64,
    pub headline: String,
    pub path: String,
    pub published_at: i64,
    pub zone: String,
}

/// Candidates read before weighting by time.
const CANDIDATES: usize = 30;
/// Days over which a candidate's weight halves.
const HALF_WEIGHT_DAYS: f32 = 14.0;
/// How many suggestions are kept per article; callers take fewer after their exclusions.
const KEPT: usize = 10;

impl SearchIndex {
    /// Articles like `id`, best first, without `id` itself: up to ten, so callers can leave out
    /// the links the editor already wrote and still have enough.
    pub fn related(&self, id: i64) -> Result<Arc<Vec<RelatedHit>>, SearchError> {
        let remembered = self
            .related
            .read()
            .ok()
            .and_then(|held| held.get(&id).cloned());
        let all = match remembered {
            Some(all) => all,
            None => {
                let computed = Arc::new(self.compute_related(id)?);
                if let Ok(mut held) = self.related.write() {
                    held.insert(id, computed.clone());
                }
                computed
            }
        };
        Ok(all)
    }

    /// The remembered suggestions for `id`, if computed since the last commit: lets a page
    /// skip a trip to a blocking thread.
    pub fn related_cached(&self, id: i64) -> Option<Arc<Vec<RelatedHit>>> {
        self.related.read().ok()?.get(&id).cloned()
    }

    fn compute_related(&self, id: i64) -> Result<Vec<RelatedHit>, SearchError> {
        let searcher = self.reader.searcher();
        let f = self.fields;
        let Ok(key) = u64::try_from(id) else {
            return Ok(Vec::new());
        };
        let own = TermQuery::new(Term::from_field_u64(f.id, key), IndexRecordOption::Basic);
        let Some((_, address)) = searcher
            .search(&own, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        let source: TantivyDocument = searcher.doc(address)?;
        let source_time = published_at(&source, f.published_at);
        let query = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(u64::from(searcher.num_docs() as u32 / 5 + 2))
            .with_min_term_frequency(1)
            .with_max_query_terms(30)
            .with_min_word_length(3)
            .with_document(address);
        let candidates: Vec<(f32, DocAddress)> = searcher.search(
            &query,
            &TopDocs::with_limit(CANDIDATES + 1).order_by_score(),
        )?;
        let mut weighted = Vec::with_capacity(candidates.len());
        for (score, candidate) in candidates {
            if candidate == address {
                continue;
            }
            let doc: TantivyDocument = searcher.doc(candidate)?;
            let time = published_at(&doc, f.published_at);
            let days = (time - source_time).abs() as f32 / 86_400.0;
            let weight = score / (1.0 + days / HALF_WEIGHT_DAYS);
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            weighted.push((
                weight,
                RelatedHit {
                    id: doc
                        .get_first(f.id)
                        .and_then(|v| v.as_u64())
                        .and_then(|id| i64::try_from(id).ok())
                        .unwrap_or_default(),
                    headline: text(f.headline),
                    path: text(f.path),
                    published_at: time,
                    zone: text(f.zone),
                },
            ));
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(weighted
            .into_iter()
            .take(KEPT)
            .map(|(_, hit)| hit)
            .collect())
    }
}

fn published_at(doc: &TantivyDocument, field: tantivy::schema::Field) -> i64 {
    doc.get_first(field)
        .and_then(|v| v.as_i64())
        .unwrap_or_default()
}
