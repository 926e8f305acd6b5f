//! The store's article functions, run against both engines with the same assertions.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{DateTime, Duration, Utc};
use warta_core::{ArticleDraft, Source, Zone};
use warta_store::{
    Store,
    articles::{self, Cursor, Filter, Identity, NamedKind, Start},
    changes,
    newsroom::{self, DeskFilter},
    stories,
    testing::{self, TestDb},
};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn draft(headline: &str, body: &str, published: &str) -> ArticleDraft {
    ArticleDraft {
        slug: None,
        headline: headline.into(),
        summary: String::new(),
        body_markdown: body.into(),
        published_at: at(published),
        updated_at: None,
        zone: Zone::Wib,
        authors: vec!["Rina Marlina".into(), "Budi Santoso".into()],
        source: Some(Source {
            name: "Antara".into(),
            url: Some("https://example.org/a".into()),
        }),
        dateline: Some("MEDAN".into()),
        section: Some("Nasional".into()),
        tags: vec!["Pemilu".into(), "Sumatera Utara".into()],
        correction: None,
        hero: None,
        seo_title: None,
        seo_description: None,
    }
    .normalize()
    .unwrap()
}

fn author_names(article: &warta_core::article::Article) -> Vec<&str> {
    article.authors.iter().map(|a| a.name.as_str()).collect()
}

fn tag_slugs(article: &warta_core::article::Article) -> Vec<&str> {
    article.tags.iter().map(|t| t.slug.as_str()).collect()
}

async fn save(store: &Store, d: &ArticleDraft, identity: Identity) -> articles::Saved {
    let mut tx = store.pool().begin().await.unwrap();
    let saved = articles::save(&mut tx, d, identity, Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    saved
}

async fn exercise(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let now = Utc::now();
    let v0 = changes::version(&mut conn).await.unwrap();

    let first = draft(
        "Rekapitulasi Suara Rampung Lebih Cepat",
        "Paragraf satu.\n\nBaca juga: Logistik Pemilu Tiba di Pulau Terluar\n\nParagraf dua.",
        "2026-11-20T10:00:00+07:00",
    );
    let saved = save(&store, &first, Identity::HeadlineAndTime).await;
    assert!(saved.created);
    assert_eq!(saved.slug, "rekapitulasi-suara-rampung-lebih-cepat");
    assert!(
        changes::version(&mut conn).await.unwrap() > v0,
        "a save bumps the change counter"
    );

    let article = articles::published_page(&mut conn, &saved.slug, now)
        .await
        .unwrap()
        .unwrap()
        .article;
    assert_eq!(article.headline, "Rekapitulasi Suara Rampung Lebih Cepat");
    assert_eq!(author_names(&article), ["Rina Marlina", "Budi Santoso"]);
    assert_eq!(tag_slugs(&article), ["pemilu", "sumatera-utara"]);
    assert_eq!(article.section.as_ref().unwrap().slug, "nasional");
    assert_eq!(
        article.source.as_ref().unwrap().url.as_deref(),
        Some("https://example.org/a")
    );
    assert_eq!(article.related.len(), 1);
    assert_eq!(article.related[0].path, None, "target not stored yet");
    same_through_the_store(&store, &mut conn, &saved.slug, &article).await;

    // The referenced article arrives later: the reference resolves by itself.
    let target = draft(
        "Logistik Pemilu Tiba di Pulau Terluar",
        "Isi.",
        "2026-11-21T08:00:00+07:00",
    );
    let target_saved = save(&store, &target, Identity::Slug).await;
    let article = articles::published_page(&mut conn, &saved.slug, now)
        .await
        .unwrap()
        .unwrap()
        .article;
    assert_eq!(
        article.related[0].path.as_deref(),
        Some(format!("/read/2026/11/21/{}", target_saved.slug).as_str())
    );
    same_through_the_store(&store, &mut conn, &saved.slug, &article).await;

    // Importing the same page again updates it.
    let mut again = first.clone();
    again.body_markdown = "Paragraf satu, diperbarui.".into();
    let resaved = save(&store, &again, Identity::HeadlineAndTime).await;
    assert!(!resaved.created);
    assert_eq!(resaved.id, saved.id);
    // A capture has no section or tags: the article keeps what the newsroom gave it, and an
    // article taken down stays down.
    let mut bare = again.clone();
    bare.section = None;
    bare.tags = Vec::new();
    bare.source = None;
    sqlx::query("UPDATE articles SET status = 'unpublished' WHERE id = $1")
        .bind(saved.id)
        .execute(&mut *conn)
        .await
        .unwrap();
    save(&store, &bare, Identity::HeadlineAndTime).await;
    let kept = articles::any_by_id(&mut conn, saved.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.section.as_ref().map(|s| s.name.as_str()),
        Some("Nasional")
    );
    assert_eq!(tag_slugs(&kept), ["pemilu", "sumatera-utara"]);
    assert_eq!(
        kept.source.as_ref().map(|s| s.name.as_str()),
        Some("Antara")
    );
    assert!(
        articles::published_page(&mut conn, &saved.slug, now)
            .await
            .unwrap()
            .is_none(),
        "still unpublished"
    );
    sqlx::query("UPDATE articles SET status = 'published' WHERE id = $1")
        .bind(saved.id)
        .execute(&mut *conn)
        .await
        .unwrap();
    let all = articles::list(&mut conn, Filter::All, now, 50, Start::Skip(0))
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].headline, "Logistik Pemilu Tiba di Pulau Terluar",
        "newest first"
    );

    // A different article with the same headline gets its own slug.
    let twin = draft(
        "Logistik Pemilu Tiba di Pulau Terluar",
        "Lain.",
        "2026-11-22T08:00:00+07:00",
    );
    let twin_saved = save(&store, &twin, Identity::HeadlineAndTime).await;
    assert_eq!(twin_saved.slug, format!("{}-2", target_saved.slug));

    // Filters.
    let by_tag = articles::list(&mut conn, Filter::Tag("pemilu"), now, 50, Start::Skip(0))
        .await
        .unwrap();
    assert_eq!(by_tag.len(), 3);
    let by_author = articles::list(
        &mut conn,
        Filter::Author("rina-marlina"),
        now,
        1,
        Start::Skip(1),
    )
    .await
    .unwrap();
    assert_eq!(by_author.len(), 1, "limit and offset apply");
    let none = articles::list(
        &mut conn,
        Filter::Section("olahraga"),
        now,
        50,
        Start::Skip(0),
    )
    .await
    .unwrap();
    assert!(none.is_empty());
    let per_section = articles::latest_per_section(&mut conn, now, 2)
        .await
        .unwrap();
    assert_eq!(per_section.len(), 2);
    let sections = articles::sections(&mut conn, now).await.unwrap();
    assert_eq!(sections.len(), 1);
    let author = articles::named_by_slug(&mut conn, NamedKind::Author, "budi-santoso")
        .await
        .unwrap();
    assert_eq!(author.unwrap().name, "Budi Santoso");

    // Scheduled articles stay hidden until their time.
    let future = draft(
        "Besok Terbit",
        "Nanti.",
        &(now + Duration::hours(2)).to_rfc3339(),
    );
    let future_saved = save(&store, &future, Identity::Slug).await;
    assert!(
        articles::published_page(&mut conn, &future_saved.slug, now)
            .await
            .unwrap()
            .is_none()
    );

    // Renames keep the old URL working.
    let mut tx = store.pool().begin().await.unwrap();
    articles::rename(&mut tx, saved.id, "rekap-suara")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        articles::path_for_old_slug(&mut conn, &saved.slug, now)
            .await
            .unwrap()
            .as_deref(),
        Some("/read/2026/11/20/rekap-suara")
    );
    let mut tx = store.pool().begin().await.unwrap();
    let clash = articles::rename(&mut tx, saved.id, &target_saved.slug).await;
    assert!(clash.is_err(), "a slug in use is refused");
    drop(tx);
    // Another article's old address still leads readers there; the article's own may be had back.
    let mut tx = store.pool().begin().await.unwrap();
    let clash = articles::rename(&mut tx, target_saved.id, &saved.slug).await;
    assert!(clash.is_err(), "an old slug of another article is refused");
    drop(tx);
    let mut tx = store.pool().begin().await.unwrap();
    articles::rename(&mut tx, saved.id, &saved.slug)
        .await
        .unwrap();
    articles::rename(&mut tx, saved.id, "rekap-suara")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        articles::path_for_old_slug(&mut conn, &saved.slug, now)
            .await
            .unwrap()
            .is_some(),
        "renamed back and again, the first address still redirects"
    );
    // A scheduled article's old address tells nothing of its new one before it is out.
    let mut tx = store.pool().begin().await.unwrap();
    articles::rename(&mut tx, future_saved.id, "menteri-mundur")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        articles::path_for_old_slug(&mut conn, &future_saved.slug, now)
            .await
            .unwrap(),
        None
    );

    // Batch reads keep the asked order.
    let batch = articles::published_by_ids(&mut conn, &[target_saved.id, saved.id], now)
        .await
        .unwrap();
    assert_eq!(
        batch.iter().map(|a| a.id).collect::<Vec<_>>(),
        [target_saved.id, saved.id]
    );
    assert_eq!(batch[1].authors.len(), 2);

    // Authors and tags keep the order the newsroom gave them, not the order their people and
    // tags were first stored in.
    let mut reversed = draft(
        "Urutan Penulis Mengikuti Redaksi",
        "Isi.",
        "2026-11-20T11:00:00+07:00",
    );
    reversed.authors.reverse();
    reversed.tags.reverse();
    let reversed_saved = save(&store, &reversed, Identity::Slug).await;
    let article_reversed = articles::published_page(&mut conn, &reversed_saved.slug, now)
        .await
        .unwrap()
        .unwrap()
        .article;
    assert_eq!(
        author_names(&article_reversed),
        ["Budi Santoso", "Rina Marlina"]
    );
    assert_eq!(tag_slugs(&article_reversed), ["sumatera-utara", "pemilu"]);
    same_through_the_store(&store, &mut conn, &reversed_saved.slug, &article_reversed).await;

    drop(conn);
    store.close().await;
    changes_show_at_once(&db, &target_saved.slug).await;
}

/// The article page's read from the store (on an SQLite file: on this thread, beside sqlx)
/// gives what the pooled connection gives.
async fn same_through_the_store(
    store: &Store,
    conn: &mut warta_store::Connection,
    slug: &str,
    article: &warta_core::article::Article,
) {
    assert_eq!(
        store.direct().is_some(),
        store.engine() == warta_store::Engine::Sqlite,
        "direct reads on SQLite files only"
    );
    let now = Utc::now();
    let pooled = articles::published_page(conn, slug, now)
        .await
        .unwrap()
        .unwrap();
    let page = articles::published_page_in(store, slug, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&page.article, article);
    assert_eq!(page.article, pooled.article);
    assert_eq!(
        (page.comments, page.comments_open, page.in_story),
        (pooled.comments, pooled.comments_open, pooled.in_story)
    );
    assert!(
        articles::published_page_in(store, "tidak-ada", now)
            .await
            .unwrap()
            .is_none()
    );
    let before_publication = chrono::DateTime::<Utc>::from_timestamp(0, 0).unwrap();
    assert!(
        articles::published_page_in(store, slug, before_publication)
            .await
            .unwrap()
            .is_none(),
        "not live before its publish time"
    );
}

/// A change committed by another process (a second store on the same database, as the
/// `warta import` command is) shows in the very next read through the store.
async fn changes_show_at_once(db: &TestDb, slug: &str) {
    let store = Store::open(&db.url).await.unwrap();
    let other = Store::open(&db.url).await.unwrap();
    let now = Utc::now();
    let write = |sql: &'static str| {
        let other = &other;
        async move {
            sqlx::query(sql)
                .bind(slug.to_owned())
                .execute(other.pool())
                .await
                .unwrap();
        }
    };
    let page = articles::published_page_in(&store, slug, now)
        .await
        .unwrap()
        .unwrap();
    assert!(page.comments_open && !page.in_story);

    write("UPDATE articles SET headline = 'Judul Baru', comments_closed_at = 1 WHERE slug = $1")
        .await;
    write("INSERT INTO stories (slug, title, created_at, modified_at) VALUES ($1, 'Cerita', 0, 0)")
        .await;
    write(
        "INSERT INTO story_articles (article_id, story_id) SELECT a.id, s.id \
         FROM articles a, stories s WHERE a.slug = $1 AND s.slug = a.slug",
    )
    .await;
    let page = articles::published_page_in(&store, slug, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.article.headline, "Judul Baru");
    assert!(!page.comments_open, "comments closed");
    assert!(page.in_story);

    write("UPDATE articles SET status = 'draft' WHERE slug = $1").await;
    assert!(
        articles::published_page_in(&store, slug, now)
            .await
            .unwrap()
            .is_none(),
        "taken down"
    );

    // Once the store is closed its reader keeps no connection, yet a late read still works.
    store.close().await;
    if store.direct().is_some() {
        assert!(
            articles::published_page_in(&store, slug, now).await.is_ok(),
            "a read after close opens a connection of its own"
        );
    }
    other.close().await;
}

/// The home page's block per section on a site with more sections than SQLite takes SELECTs
/// in one statement: every section with articles is there, in the newsroom's order.
async fn very_many_sections(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    for n in 1..=620 {
        sqlx::query("INSERT INTO sections (slug, name, position) VALUES ($1, $2, $3)")
            .bind(format!("kanal-{n:03}"))
            .bind(format!("Kanal {n:03}"))
            .bind(n)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    for (n, headline) in [
        (1, "Di Kanal Pertama"),
        (450, "Di Tengah"),
        (620, "Di Kanal Terakhir"),
    ] {
        let mut d = draft(headline, "Isi.", "2026-11-20T08:00:00+07:00");
        d.section = Some(format!("Kanal {n:03}"));
        save(&store, &d, Identity::HeadlineAndTime).await;
    }
    let blocks = articles::latest_per_section(&mut conn, Utc::now(), 2)
        .await
        .unwrap();
    let headlines: Vec<&str> = blocks.iter().map(|s| s.headline.as_str()).collect();
    assert_eq!(
        headlines,
        ["Di Kanal Pertama", "Di Tengah", "Di Kanal Terakhir"]
    );
}

/// Following cursors walks a list in order, each article once, ties in time included; a
/// cursor never reaches past the list's time. Lists read from the store (on an SQLite file,
/// on the caller's thread) and through a connection are the same.
async fn walking_by_cursor(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    for (n, time) in [
        "08:00", "08:00", "08:00", "09:00", "09:00", "10:00", "11:00",
    ]
    .iter()
    .enumerate()
    {
        let d = draft(
            &format!("Kabar {n}"),
            "Isi.",
            &format!("2026-11-20T{time}:00+07:00"),
        );
        save(&store, &d, Identity::HeadlineAndTime).await;
    }
    let mut conn = store.pool().acquire().await.unwrap();
    let now = at("2026-11-20T10:30:00+07:00");
    let ids = |page: &[warta_core::article::ArticleSummary]| -> Vec<i64> {
        page.iter().map(|s| s.id).collect()
    };
    for filter in [
        Filter::All,
        Filter::Section("nasional"),
        Filter::Tag("pemilu"),
    ] {
        let all = articles::list(&mut conn, filter, now, 100, Start::Skip(0))
            .await
            .unwrap();
        assert_eq!(all.len(), 6, "the 11:00 article is not out yet");
        let mut walked = Vec::new();
        let mut start = Start::Skip(0);
        loop {
            let page = articles::list(&mut conn, filter, now, 2, start)
                .await
                .unwrap();
            walked.extend(ids(&page));
            // The same page read from the store (on an SQLite file, on this thread).
            let from_store = articles::list(&store, filter, now, 2, start).await.unwrap();
            assert_eq!(from_store, page, "{filter:?} {start:?}");
            match page.last() {
                Some(last) if page.len() == 2 => start = Start::After(Cursor::of(last)),
                _ => break,
            }
        }
        assert_eq!(walked, ids(&all), "{filter:?}");
        // Read from the store (on an SQLite file, on this thread) the list is the same.
        let from_store = articles::list(&store, filter, now, 100, Start::Skip(0))
            .await
            .unwrap();
        assert_eq!(from_store, all, "{filter:?}");
    }
    let per_section = articles::latest_per_section(&mut conn, now, 2)
        .await
        .unwrap();
    let from_store = articles::latest_per_section(&store, now, 2).await.unwrap();
    assert_eq!(from_store, per_section);
    assert!(!per_section.is_empty());
    // A made-up cursor from the future shows nothing scheduled.
    let future = Cursor {
        published_at: i64::MAX / 2,
        id: i64::MAX,
    };
    let page = articles::list(&mut conn, Filter::All, now, 100, Start::After(future))
        .await
        .unwrap();
    assert_eq!(page.len(), 6);
}

/// The newsroom list's headlines for a search, sorted.
async fn found(conn: &mut warta_store::Connection, words: &str) -> Vec<String> {
    let filter = DeskFilter {
        query: Some(words),
        ..DeskFilter::default()
    };
    let rows = newsroom::desk(conn, &filter, 20, 0).await.unwrap();
    let mut headlines: Vec<String> = rows.into_iter().map(|r| r.headline).collect();
    headlines.sort();
    headlines
}

/// The newsroom's search by part of a headline, answered from each engine's trigram index,
/// follows every save, headline change and delete.
async fn headline_search(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let first = save(
        &store,
        &draft(
            "Banjir Rob Rendam Pesisir Semarang",
            "Isi.",
            "2026-11-20T10:00:00+07:00",
        ),
        Identity::Slug,
    )
    .await;
    let cabai = draft(
        "Harga Cabai Naik Jelang Natal",
        "Isi.",
        "2026-11-21T10:00:00+07:00",
    );
    save(&store, &cabai, Identity::Slug).await;
    let garut = save(
        &store,
        &draft(
            "BANJIR Bandang di Garut",
            "Isi.",
            "2026-11-22T10:00:00+07:00",
        ),
        Identity::Slug,
    )
    .await;
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(
        found(&mut conn, "banjir").await,
        [
            "BANJIR Bandang di Garut",
            "Banjir Rob Rendam Pesisir Semarang"
        ]
    );
    assert_eq!(
        found(&mut conn, "ROB REN").await,
        ["Banjir Rob Rendam Pesisir Semarang"]
    );
    // Under three letters the index cannot narrow the search; the answer is the same.
    assert_eq!(found(&mut conn, "ba").await.len(), 3);
    assert!(found(&mut conn, "50% lebih").await.is_empty());
    // Every word, in any order.
    assert_eq!(
        found(&mut conn, "semarang  banjir").await,
        ["Banjir Rob Rendam Pesisir Semarang"]
    );
    assert!(found(&mut conn, "banjir natal").await.is_empty());

    // A new headline is found by its words and no longer by the old ones.
    let mut renamed = draft(
        "Air Pasang Rendam Pesisir Semarang",
        "Isi.",
        "2026-11-20T10:00:00+07:00",
    );
    renamed.slug = Some(first.slug.clone());
    save(&store, &renamed, Identity::Slug).await;
    assert_eq!(
        found(&mut conn, "banjir").await,
        ["BANJIR Bandang di Garut"]
    );
    assert_eq!(
        found(&mut conn, "air pasang").await,
        ["Air Pasang Rendam Pesisir Semarang"]
    );
    assert!(newsroom::delete(&mut conn, garut.id).await.unwrap());
    assert!(found(&mut conn, "banjir").await.is_empty());

    let candidates = newsroom::find_headlines(&mut conn, "cabai", 10, Utc::now())
        .await
        .unwrap();
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].0, "Harga Cabai Naik Jelang Natal");
    // Before it airs, its headline is not offered.
    let before = DateTime::parse_from_rfc3339("2026-11-21T09:59:00+07:00").unwrap();
    let embargoed = newsroom::find_headlines(&mut conn, "cabai", 10, before.to_utc())
        .await
        .unwrap();
    assert!(embargoed.is_empty(), "{embargoed:?}");
    drop(conn);
    store.close().await;
}

#[tokio::test]
async fn headline_search_on_sqlite() {
    headline_search(testing::sqlite()).await;
}

#[tokio::test]
async fn headline_search_on_postgres() {
    if let Some(db) = testing::postgres().await {
        headline_search(db).await;
    }
}

#[tokio::test]
async fn walking_by_cursor_on_sqlite() {
    walking_by_cursor(testing::sqlite()).await;
}

#[tokio::test]
async fn walking_by_cursor_on_postgres() {
    if let Some(db) = testing::postgres().await {
        walking_by_cursor(db).await;
    }
}

#[tokio::test]
async fn very_many_sections_on_sqlite() {
    very_many_sections(testing::sqlite()).await;
}

#[tokio::test]
async fn very_many_sections_on_postgres() {
    if let Some(db) = testing::postgres().await {
        very_many_sections(db).await;
    }
}

#[tokio::test]
async fn articles_on_sqlite() {
    exercise(testing::sqlite()).await;
}

#[tokio::test]
async fn articles_on_postgres() {
    if let Some(db) = testing::postgres().await {
        exercise(db).await;
    }
}

#[tokio::test]
async fn a_failed_save_writes_nothing() {
    let db = testing::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    let good = draft("Satu", "Isi.", "2026-11-20T10:00:00+07:00");
    let mut tx = store.pool().begin().await.unwrap();
    articles::save(&mut tx, &good, Identity::Slug, Utc::now())
        .await
        .unwrap();
    // The transaction is abandoned (as when a later step fails): nothing of it remains.
    drop(tx);
    let mut conn = store.pool().acquire().await.unwrap();
    assert!(
        articles::list(&mut conn, Filter::All, Utc::now(), 10, Start::Skip(0))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(changes::version(&mut conn).await.unwrap(), 0);
}

/// The home page's running stories, most recently active first: a story's newest live
/// article counts as activity, also one that went live on its schedule with no write.
async fn stories_by_activity(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let input =
        |title: &str| warta_core::story::StoryInput::parse(title, "", "Ringkas.", "", "").unwrap();
    let quiet = stories::save(
        &mut conn,
        None,
        &input("Pemilu Terkini"),
        at("2026-11-01T08:00:00+07:00"),
    )
    .await
    .unwrap();
    let busy = stories::save(
        &mut conn,
        None,
        &input("Banjir Terkini"),
        at("2026-11-10T08:00:00+07:00"),
    )
    .await
    .unwrap();
    let counted = save(
        &store,
        &draft(
            "Hasil Hitung Cepat Diumumkan",
            "Isi.",
            "2026-11-20T10:00:00+07:00",
        ),
        Identity::Slug,
    )
    .await;
    let receded = save(
        &store,
        &draft("Banjir Mulai Surut", "Isi.", "2026-11-12T10:00:00+07:00"),
        Identity::Slug,
    )
    .await;
    stories::set_article(&mut conn, counted.id, Some(quiet))
        .await
        .unwrap();
    stories::set_article(&mut conn, receded.id, Some(busy))
        .await
        .unwrap();
    drop(conn);
    let running = |now: &str| {
        let store = &store;
        let now = at(now);
        async move {
            stories::with_articles(store, now, 10)
                .await
                .unwrap()
                .into_iter()
                .map(|s| (s.title, s.modified_at))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        running("2026-11-15T00:00:00+07:00").await,
        [(
            "Banjir Terkini".to_owned(),
            at("2026-11-12T10:00:00+07:00").timestamp()
        )],
        "before its article airs, the quiet story has nothing live"
    );
    assert_eq!(
        running("2026-11-21T00:00:00+07:00").await,
        [
            (
                "Pemilu Terkini".to_owned(),
                at("2026-11-20T10:00:00+07:00").timestamp()
            ),
            (
                "Banjir Terkini".to_owned(),
                at("2026-11-12T10:00:00+07:00").timestamp()
            ),
        ]
    );
    store.close().await;
}

#[tokio::test]
async fn stories_by_activity_on_sqlite() {
    stories_by_activity(testing::sqlite()).await;
}

#[tokio::test]
async fn stories_by_activity_on_postgres() {
    if let Some(db) = testing::postgres().await {
        stories_by_activity(db).await;
    }
}

/// A body stored by an older renderer (here: a first-level heading kept as `h1`) is rendered
/// again once, and the change counter moves so cached pages go.
async fn stale_bodies(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let saved = save(
        &store,
        &draft(
            "Judul Lama",
            "# Bagian\n\nIsi.",
            "2026-11-01T10:00:00+07:00",
        ),
        Identity::Slug,
    )
    .await;
    let mut conn = store.pool().acquire().await.unwrap();
    sqlx::query("UPDATE articles SET body_html = '<h1>Bagian</h1>\n<p>Isi.</p>\n' WHERE id = $1")
        .bind(saved.id)
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM settings WHERE key = 'body_renderer'")
        .execute(&mut *conn)
        .await
        .unwrap();
    let before = changes::version(&mut conn).await.unwrap();
    assert_eq!(articles::render_stale_bodies(&store).await.unwrap(), 1);
    let html: String = sqlx::query_scalar("SELECT body_html FROM articles WHERE id = $1")
        .bind(saved.id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(html, "<h2>Bagian</h2>\n<p>Isi.</p>\n");
    assert!(changes::version(&mut conn).await.unwrap() > before);
    assert_eq!(
        articles::render_stale_bodies(&store).await.unwrap(),
        0,
        "once"
    );
    drop(conn);
    store.close().await;
}

#[tokio::test]
async fn stale_bodies_on_sqlite() {
    stale_bodies(testing::sqlite()).await;
}

#[tokio::test]
async fn stale_bodies_on_postgres() {
    if let Some(db) = testing::postgres().await {
        stale_bodies(db).await;
    }
}
