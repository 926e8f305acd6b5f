//! Comment threads page by top-level comment, with each page's replies, on both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{Duration, Utc};
use warta_core::{ArticleDraft, Zone, comment::CommentStatus};
use warta_store::{
    Store,
    articles::{self, Identity},
    comments,
    testing::{self, TestDb},
};

/// The comment count the article's page shows.
async fn comment_count(conn: &mut sqlx::AnyConnection, slug: &str) -> i64 {
    articles::published_page(conn, slug, Utc::now())
        .await
        .unwrap()
        .unwrap()
        .comments
}

async fn paging(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let now = Utc::now();
    let mut tx = store.pool().begin().await.unwrap();
    let user = testing::reader(&mut tx, now).await;
    let draft = ArticleDraft {
        slug: None,
        headline: "Diskusi Panjang".into(),
        summary: String::new(),
        body_markdown: "Isi.".into(),
        published_at: now - Duration::hours(1),
        updated_at: None,
        zone: Zone::Wib,
        authors: Vec::new(),
        source: None,
        dateline: None,
        section: None,
        tags: Vec::new(),
        correction: None,
        hero: None,
        seo_title: None,
        seo_description: None,
    }
    .normalize()
    .unwrap();
    let saved = articles::save(&mut tx, &draft, Identity::Slug, now)
        .await
        .unwrap();
    let article = saved.id;
    let mut top = Vec::new();
    for n in 0..21 {
        let at = now + Duration::seconds(n);
        let id = comments::post(
            &mut tx,
            article,
            None,
            user,
            &format!("ke-{n}"),
            CommentStatus::Visible,
            at,
        )
        .await
        .unwrap()
        .unwrap();
        top.push(id);
    }
    let later = now + Duration::seconds(30);
    for parent in [top[0], top[20]] {
        comments::post(
            &mut tx,
            article,
            Some(parent),
            user,
            "balasan",
            CommentStatus::Visible,
            later,
        )
        .await
        .unwrap()
        .unwrap();
    }
    tx.commit().await.unwrap();

    let mut conn = store.pool().acquire().await.unwrap();
    let (first, more) = comments::thread(&mut conn, article, 20, 1).await.unwrap();
    assert_eq!(
        comments::thread_in(&store, article, 20, 1).await.unwrap(),
        (first.clone(), more),
        "the store's direct read gives the same page"
    );
    assert!(more);
    assert_eq!(first.iter().filter(|c| c.parent_id.is_none()).count(), 20);
    assert_eq!(
        first.iter().filter(|c| c.parent_id == Some(top[0])).count(),
        1
    );
    assert!(
        first.iter().all(|c| c.parent_id != Some(top[20])),
        "page 2's reply stays there"
    );
    let (second, more) = comments::thread(&mut conn, article, 20, 2).await.unwrap();
    assert_eq!(
        comments::thread_in(&store, article, 20, 2).await.unwrap(),
        (second.clone(), more)
    );
    assert!(!more);
    let ids: Vec<i64> = second.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), 2, "the 21st comment and its reply");
    assert_eq!(ids[0], top[20]);
    let page = articles::published_page(&mut conn, &saved.slug, Utc::now())
        .await
        .unwrap()
        .expect("the article is live");
    assert_eq!(page.article.id, article);
    assert_eq!(
        (page.comments, page.comments_open, page.in_story),
        (23, true, false),
        "23 visible comments (21 top-level, 2 replies), open, in no story"
    );
    let direct = articles::published_page_in(&store, &saved.slug, Utc::now())
        .await
        .unwrap()
        .expect("the article is live");
    assert_eq!(
        (direct.comments, direct.comments_open, direct.in_story),
        (23, true, false),
        "the same through the store's direct read"
    );

    // Deleting the first comment keeps its place for the reply under it; the count and the
    // thread leave out a reply whose parent a moderator hid.
    assert!(comments::delete(&mut conn, top[0]).await.unwrap());
    let (first, _) = comments::thread(&mut conn, article, 20, 1).await.unwrap();
    assert_eq!(
        (
            first[0].id,
            first[0].status.as_str(),
            first[0].body.as_str()
        ),
        (top[0], "deleted", "")
    );
    let reply = first
        .iter()
        .find(|c| c.parent_id == Some(top[0]))
        .unwrap()
        .id;
    assert_eq!(
        comment_count(&mut conn, &saved.slug).await,
        22,
        "the reply still counts"
    );
    comments::set_status(&mut conn, top[20], CommentStatus::Hidden)
        .await
        .unwrap();
    assert_eq!(
        comment_count(&mut conn, &saved.slug).await,
        20,
        "no hidden parent, no reply"
    );
    let (second, _) = comments::thread(&mut conn, article, 20, 2).await.unwrap();
    assert!(second.is_empty());
    // The reply's deletion takes the placeholder with it.
    assert!(comments::delete(&mut conn, reply).await.unwrap());
    assert_eq!(comments::by_id(&mut conn, top[0]).await.unwrap(), None);
    assert_eq!(comment_count(&mut conn, &saved.slug).await, 19);
    assert!(
        !comments::delete(&mut conn, reply).await.unwrap(),
        "already gone"
    );

    // A hidden comment's replies are out of the thread; deleting it takes them along instead of
    // bringing them back under a placeholder. A stale moderation click leaves a placeholder be.
    let mut replies = Vec::new();
    for parent in [top[1], top[2]] {
        let id = comments::post(
            &mut conn,
            article,
            Some(parent),
            user,
            "jawab",
            CommentStatus::Visible,
            later,
        )
        .await
        .unwrap()
        .unwrap();
        replies.push(id);
    }
    comments::set_status(&mut conn, top[1], CommentStatus::Hidden)
        .await
        .unwrap();
    assert!(comments::delete(&mut conn, top[1]).await.unwrap());
    assert_eq!(comments::by_id(&mut conn, replies[0]).await.unwrap(), None);
    assert!(comments::delete(&mut conn, top[2]).await.unwrap());
    assert!(
        !comments::set_status(&mut conn, top[2], CommentStatus::Visible)
            .await
            .unwrap()
    );
    let placeholder = comments::by_id(&mut conn, top[2]).await.unwrap().unwrap();
    assert_eq!(placeholder.status, "deleted");
}

#[tokio::test]
async fn threads_page_on_sqlite() {
    paging(testing::sqlite()).await;
}

#[tokio::test]
async fn threads_page_on_postgres() {
    if let Some(db) = testing::postgres().await {
        paging(db).await;
    }
}
