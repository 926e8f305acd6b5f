//! The demo newsroom: original articles written for Warta, loaded once into a data dir.

use std::path::Path;

use warta_store::{
    Store,
    articles::{self, Filter},
    stories,
};

use crate::{
    config::{Error, FILE_NAME},
    import,
};

const ARTICLES: &str = include_str!("../demo/articles.json");
const STORIES: &str = include_str!("../demo/stories.json");
const MARKER: &str = ".demo-loaded";
const DEMO_CONFIG: &str = "# Written by `warta serve --demo`; edit freely.\n\
    site_name = \"Lintas Kabar\"\n\
    tagline = \"Kabar Nusantara dan dunia, ringkas dan terpercaya.\"\n";

/// Names the site after the demo publication unless the operator already configured one.
pub fn prepare_config(data_dir: &Path) -> Result<(), Error> {
    let path = data_dir.join(FILE_NAME);
    if !path.exists() {
        std::fs::write(&path, DEMO_CONFIG).map_err(|e| Error::Io(path.display().to_string(), e))?;
    }
    Ok(())
}

/// Imports the demo articles the first time; a marker file remembers that it happened, so
/// articles an editor later deletes do not come back.
pub async fn load_once(store: &Store, data_dir: &Path) -> Result<(), Error> {
    let marker = data_dir.join(MARKER);
    if marker.exists() {
        return Ok(());
    }
    let outcome = import::json_text(store, ARTICLES)
        .await
        .map_err(|message| Error::Config {
            path: "demo/articles.json".into(),
            message,
        })?;
    let stories = load_stories(store).await.map_err(|message| Error::Config {
        path: "demo/stories.json".into(),
        message,
    })?;
    tracing::info!(
        articles = outcome.created + outcome.updated,
        stories,
        "demo newsroom loaded"
    );
    std::fs::write(&marker, "").map_err(|e| Error::Io(marker.display().to_string(), e))?;
    Ok(())
}

#[derive(serde::Deserialize)]
struct DemoStories {
    stories: Vec<DemoStory>,
}

/// A running story or series of the demo, with the articles it gathers (by tag and headline)
/// and its live updates.
#[derive(serde::Deserialize)]
struct DemoStory {
    title: String,
    slug: String,
    summary: String,
    series_start: String,
    instalment_label: String,
    articles_tagged: String,
    headline_prefix: String,
    updates: Vec<DemoUpdate>,
}

#[derive(serde::Deserialize)]
struct DemoUpdate {
    at: chrono::DateTime<chrono::Utc>,
    key: bool,
    body: String,
}

/// Creates the demo's stories in one transaction; how many.
async fn load_stories(store: &Store) -> Result<usize, String> {
    let demo: DemoStories = serde_json::from_str(STORIES).map_err(|e| e.to_string())?;
    let now = chrono::Utc::now();
    let mut tx = store.begin().await.map_err(|e| e.to_string())?;
    for story in &demo.stories {
        let input = warta_core::story::StoryInput::parse(
            &story.title,
            &story.slug,
            &story.summary,
            &story.series_start,
            &story.instalment_label,
        )
        .map_err(|errors| format!("{}: {errors:?}", story.slug))?;
        let tagged = articles::list(
            &mut tx,
            Filter::Tag(&story.articles_tagged),
            now,
            100,
            articles::Start::Skip(0),
        )
        .await
        .map_err(|e| e.to_string())?;
        let gathered: Vec<_> = tagged
            .iter()
            .filter(|a| a.headline.starts_with(&story.headline_prefix))
            .collect();
        // Stamped with its newest article, not the load: a series that ended last week is
        // not the site's freshest topic (home page, sitemap).
        let newest = gathered.iter().map(|a| a.published_at).max().unwrap_or(now);
        let id = stories::save(&mut tx, None, &input, newest)
            .await
            .map_err(|e| e.to_string())?;
        for article in gathered {
            stories::set_article(&mut tx, article.id, Some(id))
                .await
                .map_err(|e| e.to_string())?;
        }
        for update in &story.updates {
            stories::add_update(&mut tx, id, &update.body, update.key, None, update.at)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(demo.stories.len())
}
