//! The index over a handful of Indonesian articles: inflected forms find each other, filters
//! and sorting work, snippets are highlighted and escaped, misspellings get a suggestion, and
//! related articles prefer the same topic.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{DateTime, Utc};
use warta_core::{
    Zone,
    article::{Article, Named},
};
use warta_search::{Indexed, Search, SearchIndex, Sort, check_query};

fn named(name: &str) -> Named {
    Named {
        name: name.into(),
        slug: warta_core::slug::slugify(name),
    }
}

fn article(id: i64, headline: &str, body: &str, section: &str, day: u32) -> Article {
    let at: DateTime<Utc> = format!("2026-11-{day:02}T03:00:00Z").parse().unwrap();
    Article {
        id,
        slug: warta_core::slug::slugify(headline),
        headline: headline.into(),
        summary: String::new(),
        body_markdown: body.into(),
        body_html: String::new(),
        published_at: at,
        updated_at: None,
        zone: Zone::Wib,
        authors: vec![named(if id % 2 == 0 {
            "Rina Marlina"
        } else {
            "Budi Santoso"
        })],
        source: None,
        dateline: None,
        section: Some(named(section)),
        tags: vec![named("Uji")],
        related: Vec::new(),
        correction: None,
        picture: None,
        seo_title: None,
        seo_description: None,
        members_only: false,
    }
}

fn corpus() -> Vec<Article> {
    vec![
        article(
            1,
            "Keuntungan Petani Naik Tahun Ini",
            "Harga gabah membuat petani meraih keuntungan besar.",
            "Ekonomi",
            1,
        ),
        article(
            2,
            "Indonesia dan Jepang Bekerja Sama di Bidang Energi",
            "Kedua negara bekerja sama membangun pembangkit listrik. Kerja sama bilateral ini diteken di Tokyo.",
            "Internasional",
            2,
        ),
        article(
            3,
            "Pembangunan Jalan Tol Trans Sumatera Dilanjutkan",
            "Pemerintah melanjutkan pembangunan jalan tol sepanjang 200 kilometer.",
            "Nasional",
            3,
        ),
        article(
            4,
            "Pushilin Bertemu Matsegora di Donetsk",
            "Pemimpin separatis Denis Pushilin bertemu Matsegora di Donetsk untuk membahas pertukaran tahanan (rasio 1 < 2 & \"adil\") <script>alert(1)</script>.",
            "Internasional",
            4,
        ),
        article(
            5,
            "Negara-negara ASEAN Sepakati Perdagangan Digital",
            "Para menteri dari negara-negara ASEAN menyepakati aturan perdagangan digital.",
            "Ekonomi",
            5,
        ),
        article(
            6,
            "Petani Jagung Menguntungkan Koperasi Desa",
            "Koperasi desa mencatat panen jagung yang menguntungkan anggota.",
            "Ekonomi",
            20,
        ),
    ]
}

fn index() -> (SearchIndex, std::path::PathBuf) {
    let dir =
        std::env::temp_dir().join(format!("warta-search-test-{}", warta_core::secret::token()));
    let search = SearchIndex::open(&dir).unwrap();
    let articles = corpus();
    let batch: Vec<Indexed<'_>> = articles
        .iter()
        .map(|a| Indexed {
            article: a,
            modified_at: 100,
        })
        .collect();
    search.put(&batch).unwrap();
    search.commit().unwrap();
    (search, dir)
}

/// Removes a test index and its writer's lock file beside it.
fn remove(dir: &std::path::Path) {
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_file(dir.with_extension("lock")).ok();
}

fn ids(search: &SearchIndex, text: &str) -> Vec<i64> {
    check_query(text).unwrap();
    let mut found: Vec<i64> = search
        .search(&Search {
            text,
            limit: 10,
            ..Search::default()
        })
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    found.sort_unstable();
    found
}

#[test]
fn inflected_forms_find_each_other() {
    let (search, dir) = index();
    assert_eq!(
        ids(&search, "menguntungkan"),
        [1, 6],
        "menguntungkan finds keuntungan"
    );
    assert_eq!(
        ids(&search, "kerja sama"),
        [2],
        "kerja sama finds bekerja sama"
    );
    assert_eq!(
        ids(&search, "membangun"),
        [2, 3],
        "membangun finds pembangunan"
    );
    assert_eq!(ids(&search, "negara"), [2, 5], "negara finds negara-negara");
    assert_eq!(ids(&search, "Pushilin"), [4]);
    assert_eq!(ids(&search, "matsegora donetsk"), [4]);
    assert_eq!(ids(&search, "\"kerja sama bilateral\""), [2], "a phrase");
    assert_eq!(
        ids(&search, "\"bilateral kerja sama\""),
        Vec::<i64>::new(),
        "words out of order"
    );
    assert_eq!(ids(&search, "petani OR koperasi"), [1, 6]);
    assert_eq!(ids(&search, "petani -jagung"), [1]);
    assert_eq!(ids(&search, "((( petani :: ***"), [1, 6], "odd characters");
    remove(&dir);
}

#[test]
fn filters_sorting_snippets_and_suggestions() {
    let (search, dir) = index();
    let found = search
        .search(&Search {
            text: "petani",
            section: Some("ekonomi"),
            sort: Sort::Newest,
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(found.total, 2);
    assert_eq!(
        found.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        [6, 1],
        "newest first"
    );
    assert!(
        found.hits[1].headline_html.contains("<mark>Petani</mark>"),
        "{}",
        found.hits[1].headline_html
    );
    assert!(
        found.hits[1].snippet_html.contains("<mark>petani</mark>"),
        "{}",
        found.hits[1].snippet_html
    );
    let by_author = search
        .search(&Search {
            text: "petani",
            author: Some("budi-santoso"),
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(by_author.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [1]);
    let dated = search
        .search(&Search {
            text: "petani",
            from: Some(
                "2026-11-10T00:00:00Z"
                    .parse::<DateTime<Utc>>()
                    .unwrap()
                    .timestamp(),
            ),
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(dated.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [6]);

    let escaped = search
        .search(&Search {
            text: "tahanan",
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    let snippet = &escaped.hits[0].snippet_html;
    assert!(!snippet.contains("<script"), "{snippet}");
    assert!(snippet.contains("1 &lt; 2 &amp;"), "{snippet}");

    let misspelt = search
        .search(&Search {
            text: "koprasi desa",
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(misspelt.total, 0);
    assert_eq!(misspelt.suggestion.as_deref(), Some("koperasi desa"));
    // A misspelt word with affixes: its root ("untung") is too far, the word as written is not.
    let affixed = search
        .search(&Search {
            text: "Keuntungn petani",
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(affixed.suggestion.as_deref(), Some("Keuntungan petani"));
    let affixed = search
        .search(&Search {
            text: "pembangunn",
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(affixed.suggestion.as_deref(), Some("pembangunan"));
    // Operators stay operators.
    let operators = search
        .search(&Search {
            text: "koprasi AND desa",
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(operators.suggestion.as_deref(), Some("koperasi AND desa"));
    let numbers = search
        .search(&Search {
            text: "koprasi 26 co.id",
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(
        numbers.suggestion.as_deref(),
        Some("koperasi 26 co.id"),
        "numbers and short pieces stay as typed"
    );
    remove(&dir);
}

#[test]
fn related_articles_share_the_topic_and_sync_follows_the_store() {
    let (search, dir) = index();
    let related = search.related(1).unwrap();
    assert_eq!(related.first().map(|r| r.id), Some(6), "{related:?}");
    assert!(related.iter().all(|r| r.id != 1));
    assert!(
        !search.related(99).unwrap().iter().any(|r| r.id == 99),
        "unknown ids give nothing"
    );

    // The store says: 2 changed, 4 gone, 7 new; the rest as indexed.
    let plan = search.plan(&[(1, 100), (2, 101), (3, 100), (5, 100), (6, 100), (7, 100)]);
    assert_eq!(plan.fetch, [2, 7]);
    assert_eq!(plan.delete, [4]);
    search.delete(&plan.delete).unwrap();
    search.commit().unwrap();
    assert_eq!(ids(&search, "Pushilin"), Vec::<i64>::new());
    // Reopening reads back what is indexed.
    drop(search);
    let reopened = SearchIndex::open(&dir).unwrap();
    assert_eq!(reopened.len(), 5);
    remove(&dir);
}

fn fresh_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("warta-search-test-{}", warta_core::secret::token()))
}

#[test]
fn one_writer_among_servers_starting_together() {
    for _ in 0..5 {
        let dir = fresh_dir();
        let opened: Vec<_> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..3)
                .map(|_| scope.spawn(|| SearchIndex::open(&dir)))
                .collect();
            starts.into_iter().map(|s| s.join().unwrap()).collect()
        });
        let writers = opened.iter().filter(|o| o.is_ok()).count();
        assert_eq!(writers, 1, "exactly one process writes");
        for other in opened.iter().filter(|o| o.is_err()) {
            assert!(matches!(other, Err(warta_search::SearchError::Locked)));
        }
        let reader = SearchIndex::open_read_only(&dir).unwrap();
        assert!(!reader.writes());
        drop(opened);
        // Once the writer is gone, the next server writes.
        assert!(SearchIndex::open(&dir).unwrap().writes());
        remove(&dir);
    }
}

#[test]
fn a_half_made_index_of_another_writer_is_left_alone() {
    // Another server has claimed the index and is still creating its folder.
    let dir = fresh_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let claim = std::fs::File::create(dir.with_extension("lock")).unwrap();
    claim.try_lock().unwrap();
    assert!(matches!(
        SearchIndex::open(&dir),
        Err(warta_search::SearchError::Locked)
    ));
    assert!(dir.exists(), "the other writer's folder is still there");
    drop(claim);
    assert!(SearchIndex::open(&dir).unwrap().writes());
    remove(&dir);
}

#[test]
fn rebuild_starts_empty_and_never_under_a_running_writer() {
    let (writer, dir) = index();
    assert!(!writer.is_empty());
    assert!(
        matches!(
            SearchIndex::rebuild(&dir),
            Err(warta_search::SearchError::Locked)
        ),
        "a running server keeps its index"
    );
    assert!(!SearchIndex::open_read_only(&dir).unwrap().is_empty());
    drop(writer);
    let rebuilt = SearchIndex::rebuild(&dir).unwrap();
    assert!(rebuilt.writes());
    assert!(rebuilt.is_empty(), "whatever was indexed is gone");
    drop(rebuilt);
    remove(&dir);
}

#[test]
fn locked_words_are_found_but_never_spelt_out() {
    let dir =
        std::env::temp_dir().join(format!("warta-search-test-{}", warta_core::secret::token()));
    let search = SearchIndex::open(&dir).unwrap();
    let mut locked = article(
        7,
        "Laporan Khusus Anggota",
        "Pembuka yang terbuka untuk semua.\n\nBagian terkunci menyebut zebrakuning.",
        "Nasional",
        6,
    );
    locked.members_only = true;
    search
        .put(&[Indexed {
            article: &locked,
            modified_at: 100,
        }])
        .unwrap();
    search.commit().unwrap();
    assert_eq!(
        ids(&search, "zebrakuning"),
        [7],
        "members find what they read"
    );
    let misspelt = search
        .search(&Search {
            text: "zebrakunink",
            limit: 10,
            ..Search::default()
        })
        .unwrap();
    assert_eq!(misspelt.total, 0);
    assert_eq!(misspelt.suggestion, None, "a locked word is not suggested");
    drop(search);
    remove(&dir);
}
