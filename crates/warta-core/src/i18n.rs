//! The one catalogue of reader-facing words: Indonesian first, English second. Templates take
//! their words from here, so a site switches language by configuration alone.

use serde::{Deserialize, Serialize};

/// A language the reader site speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    /// Reads "id"/"en" (also "id-ID", "en-US" ...).
    pub fn parse(text: &str) -> Option<Language> {
        let primary = text.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "id" | "in" => Some(Language::Id),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }

    /// The Open Graph locale.
    pub fn og_locale(self) -> &'static str {
        match self {
            Language::Id => "id_ID",
            Language::En => "en_US",
        }
    }

    /// This language's words.
    pub fn catalog(self) -> &'static Catalog {
        match self {
            Language::Id => &ID,
            Language::En => &EN,
        }
    }
}

/// Every reader-facing string. Newsroom words ("Penulis", "Sumber", "Baca juga") stay
/// Indonesian in the Indonesian catalogue because that is what readers know them as.
#[derive(Debug)]
pub struct Catalog {
    pub skip_to_content: &'static str,
    pub main_nav: &'static str,
    pub home: &'static str,
    pub latest: &'static str,
    pub lead_story: &'static str,
    pub more_in_section: &'static str,
    pub author: &'static str,
    pub authors_page_title: &'static str,
    pub source: &'static str,
    pub updated: &'static str,
    pub tags: &'static str,
    pub tag_page_title: &'static str,
    pub section_page_title: &'static str,
    pub share: &'static str,
    pub copy_link: &'static str,
    pub link_copied: &'static str,
    pub email: &'static str,
    pub page: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pagination: &'static str,
    pub no_articles: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub bad_request_title: &'static str,
    pub error_title: &'static str,
    pub error_body: &'static str,
    pub back_home: &'static str,
    pub footer_note: &'static str,
}

static ID: Catalog = Catalog {
    skip_to_content: "Langsung ke isi",
    main_nav: "Navigasi utama",
    home: "Beranda",
    latest: "Terbaru",
    lead_story: "Berita utama",
    more_in_section: "Selengkapnya",
    author: "Penulis",
    authors_page_title: "Artikel oleh",
    source: "Sumber",
    updated: "Diperbarui",
    tags: "Tag",
    tag_page_title: "Tag",
    section_page_title: "Kanal",
    share: "Bagikan artikel ini melalui",
    copy_link: "Salin tautan",
    link_copied: "Tautan disalin",
    email: "E-mail",
    page: "Halaman",
    previous: "Sebelumnya",
    next: "Berikutnya",
    pagination: "Halaman lain",
    no_articles: "Belum ada artikel.",
    not_found_title: "Halaman tidak ditemukan",
    not_found_body: "Halaman yang Anda cari tidak ada atau sudah dipindahkan.",
    bad_request_title: "Permintaan tidak dapat diproses",
    error_title: "Terjadi kesalahan",
    error_body: "Maaf, halaman ini gagal dimuat. Silakan coba lagi sebentar lagi.",
    back_home: "Kembali ke beranda",
    footer_note: "Diterbitkan dengan Warta.",
};

static EN: Catalog = Catalog {
    skip_to_content: "Skip to content",
    main_nav: "Main navigation",
    home: "Home",
    latest: "Latest",
    lead_story: "Top story",
    more_in_section: "More",
    author: "Author",
    authors_page_title: "Articles by",
    source: "Source",
    updated: "Updated",
    tags: "Tags",
    tag_page_title: "Tag",
    section_page_title: "Section",
    share: "Share this article via",
    copy_link: "Copy link",
    link_copied: "Link copied",
    email: "Email",
    page: "Page",
    previous: "Previous",
    next: "Next",
    pagination: "More pages",
    no_articles: "No articles yet.",
    not_found_title: "Page not found",
    not_found_body: "The page you are looking for does not exist or has moved.",
    bad_request_title: "The request could not be processed",
    error_title: "Something went wrong",
    error_body: "Sorry, this page failed to load. Please try again shortly.",
    back_home: "Back to the home page",
    footer_note: "Published with Warta.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_language_tags() {
        assert_eq!(Language::parse("id-ID"), Some(Language::Id));
        assert_eq!(Language::parse("EN_us"), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
        assert_eq!(Language::Id.catalog().author, "Penulis");
        assert_eq!(Language::En.catalog().author, "Author");
    }
}
