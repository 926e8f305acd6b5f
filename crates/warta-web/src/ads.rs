//! Ads on pages: which running campaign fills a slot (by weight, among those for the page's
//! section or for every page), the markup with a reserved size and a "Tutup iklan" button, and
//! impression and click counts written in batches. Members get no ad markup at all.

use std::{
    collections::HashMap,
    hash::{BuildHasher, Hasher},
    sync::Mutex,
};

use askama::Template;
use chrono::Utc;
use warta_core::ads::{Slot, pick_weighted};
use warta_store::ads::{self as store, Campaign};

use crate::{AppState, session::Viewer};

/// One ad as a page shows it.
#[derive(Debug, Clone, Template)]
#[template(path = "ad.html")]
pub struct AdView {
    pub id: i64,
    pub slot: &'static str,
    pub width: u32,
    pub height: u32,
    pub image_url: Option<String>,
    pub alt: String,
    /// Sanitized at save time unless the admin allowed third-party code.
    pub html: Option<String>,
    /// A snippet with third-party code: shown in a sandboxed frame of its own
    /// (`/iklan/{id}/kode`), never in the page, where it would run with the reader's session.
    pub third_party: bool,
    /// The site's words, for the label and the close button.
    pub t: &'static warta_core::i18n::Catalog,
}

/// The ad for `slot` on a page of `section`, if any campaign runs there and the viewer is not
/// a member.
pub fn pick(
    state: &AppState,
    viewer: &Viewer,
    slot: Slot,
    section: Option<&str>,
) -> Option<AdView> {
    if viewer.member {
        return None;
    }
    let campaigns = state.campaigns();
    let eligible: Vec<&Campaign> = campaigns
        .iter()
        .filter(|c| c.slot == slot.as_str())
        .filter(|c| c.section.is_none() || c.section.as_deref() == section)
        .collect();
    let weights: Vec<i64> = eligible.iter().map(|c| c.weight).collect();
    // A fresh random state per call is a cheap, good-enough roll for rotating ads.
    let roll = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let chosen = eligible.get(pick_weighted(&weights, roll)?)?;
    let (width, height) = slot.size();
    Some(AdView {
        id: chosen.id,
        slot: slot.as_str(),
        width,
        height,
        image_url: chosen.image_url.clone(),
        alt: chosen.alt.clone(),
        html: chosen.html.clone(),
        third_party: chosen.allow_scripts == 1 && chosen.html.is_some(),
        t: state.site().language.catalog(),
    })
}

impl AdView {
    /// The markup, for splicing into an article body.
    pub fn html(&self) -> String {
        self.render().unwrap_or_default()
    }
}

/// Impressions and clicks since the last flush, by campaign.
#[derive(Debug, Default)]
pub struct AdCounts {
    counts: Mutex<HashMap<i64, (i64, i64)>>,
}

impl AdCounts {
    pub fn shown(&self, campaign: i64) {
        if let Ok(mut counts) = self.counts.lock() {
            counts.entry(campaign).or_default().0 += 1;
        }
    }

    pub fn clicked(&self, campaign: i64) {
        if let Ok(mut counts) = self.counts.lock() {
            counts.entry(campaign).or_default().1 += 1;
        }
    }

    fn take(&self) -> Vec<(i64, i64, i64)> {
        self.counts
            .lock()
            .map(|mut counts| {
                std::mem::take(&mut *counts)
                    .into_iter()
                    .map(|(id, (shown, clicked))| (id, shown, clicked))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Writes the counts (with the page views' flush).
pub async fn flush(state: &AppState) {
    let counts = state.ad_counts.take();
    if counts.is_empty() {
        return;
    }
    let day = Utc::now().timestamp() / 86_400;
    let result = async {
        let mut tx = state.begin().await?;
        store::add_counts(&mut tx, &counts, day).await?;
        tx.commit().await?;
        Ok::<_, crate::AppError>(())
    }
    .await;
    if let Err(error) = result {
        tracing::warn!(%error, "ad counts not saved");
    }
}
