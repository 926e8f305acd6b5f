//! The words of a running story's page ("Ukraina Terkini") and its live timeline; the script
//! that adds updates live takes its two labels from the page.

#[derive(Debug)]
pub struct StoryWords {
    pub series: &'static str,
    pub topic: &'static str,
    pub summary: &'static str,
    pub key_events: &'static str,
    pub timeline: &'static str,
    pub live_hint: &'static str,
    /// The label of a key event in the timeline.
    pub key: &'static str,
    /// Before the time an update was corrected.
    pub corrected: &'static str,
    pub no_updates: &'static str,
    pub instalments: &'static str,
    pub articles: &'static str,
}

pub(super) static ID: StoryWords = StoryWords {
    series: "Seri",
    topic: "Topik",
    summary: "Ringkasan",
    key_events: "Peristiwa penting",
    timeline: "Kabar terkini",
    live_hint: "Kabar baru muncul di sini tanpa memuat ulang.",
    key: "Penting",
    corrected: "Dikoreksi",
    no_updates: "Belum ada kabar.",
    instalments: "Semua bagian",
    articles: "Artikel",
};

pub(super) static EN: StoryWords = StoryWords {
    series: "Series",
    topic: "Topic",
    summary: "Summary",
    key_events: "Key events",
    timeline: "Latest updates",
    live_hint: "New updates appear here without reloading.",
    key: "Key",
    corrected: "Corrected",
    no_updates: "No updates yet.",
    instalments: "All instalments",
    articles: "Articles",
};
