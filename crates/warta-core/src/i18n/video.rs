//! The words of the video pages and player.

#[derive(Debug)]
pub struct VideoWords {
    /// The footer's link and the list's heading.
    pub videos: &'static str,
    /// The article page's block of recommended videos.
    pub recommended: &'static str,
    pub more: &'static str,
    pub all: &'static str,
    pub none: &'static str,
    pub duration: &'static str,
    pub download: &'static str,
    /// On the poster of an embedded video, loaded from its host only when clicked.
    pub play_embed: &'static str,
    /// "{site}".
    pub list_description: &'static str,
}

pub(super) static ID: VideoWords = VideoWords {
    videos: "Video",
    recommended: "Video rekomendasi",
    more: "Video lainnya",
    all: "Semua video",
    none: "Belum ada video.",
    duration: "Durasi",
    download: "Unduh video",
    play_embed: "Putar video (dimuat dari YouTube saat diklik)",
    list_description: "Video terbaru dari {site}",
};

pub(super) static EN: VideoWords = VideoWords {
    videos: "Videos",
    recommended: "Recommended videos",
    more: "More videos",
    all: "All videos",
    none: "No videos yet.",
    duration: "Duration",
    download: "Download the video",
    play_embed: "Play the video (loaded from YouTube when clicked)",
    list_description: "The latest videos from {site}",
};
