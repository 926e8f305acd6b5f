//! The demo newsroom: original articles written for Warta, loaded once into a data dir.

use std::path::Path;

use warta_store::Store;

use crate::{
    config::{Error, FILE_NAME},
    import,
};

const ARTICLES: &str = include_str!("../demo/articles.json");
const MARKER: &str = ".demo-loaded";
const DEMO_CONFIG: &str =
    "# Written by `warta serve --demo`; edit freely.\nsite_name = \"Lintas Kabar\"\n";

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
    tracing::info!(
        articles = outcome.created + outcome.updated,
        "demo newsroom loaded"
    );
    std::fs::write(&marker, "").map_err(|e| Error::Io(marker.display().to_string(), e))?;
    Ok(())
}
