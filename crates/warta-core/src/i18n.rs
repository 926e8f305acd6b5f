//! The one catalogue of reader-facing words: Indonesian first, English second. Templates take
//! their words from here, so a site switches language by configuration alone.

use serde::{Deserialize, Serialize};

mod comments;
mod membership;
mod newsletter;
mod story;
mod video;

pub use comments::CommentWords;
pub use membership::MembershipWords;
pub use newsletter::NewsletterWords;
pub use story::StoryWords;
pub use video::VideoWords;

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

impl Catalog {
    /// "3 komentar", "1 comment".
    pub fn comment_count(&self, n: i64) -> String {
        if n == 1 {
            self.comment_count_one.to_owned()
        } else {
            self.comment_count_many.replace("{n}", &n.to_string())
        }
    }

    /// "12 hasil", "1 result".
    pub fn search_count(&self, n: usize) -> String {
        if n == 1 {
            self.search_count_one.to_owned()
        } else {
            self.search_count_many.replace("{n}", &n.to_string())
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
    /// The credit's label above several authors.
    pub authors: &'static str,
    pub authors_page_title: &'static str,
    pub source: &'static str,
    pub updated: &'static str,
    /// Before an article's correction note.
    pub correction: &'static str,
    pub tags: &'static str,
    pub tag_page_title: &'static str,
    pub section_page_title: &'static str,
    pub share: &'static str,
    pub copy_link: &'static str,
    /// Before a picture's credit: "Foto: Antara".
    pub photo: &'static str,
    pub link_copied: &'static str,
    /// Search: the box, the page and its messages.
    pub search: &'static str,
    pub search_label: &'static str,
    pub search_results_for: &'static str,
    /// The search page's title before anything is searched.
    pub search_title: &'static str,
    /// The fold holding the search filters and order.
    pub search_filters: &'static str,
    /// "{n}" results; `search_count_one` when there is one.
    pub search_count_many: &'static str,
    pub search_count_one: &'static str,
    pub search_none: &'static str,
    pub did_you_mean: &'static str,
    pub sort_by: &'static str,
    pub sort_relevance: &'static str,
    pub sort_newest: &'static str,
    pub all_sections: &'static str,
    pub all_authors: &'static str,
    pub date_from: &'static str,
    pub date_to: &'static str,
    pub err_query_empty: &'static str,
    pub err_query_long: &'static str,
    pub err_query_quotes: &'static str,
    pub err_query_common: &'static str,
    /// "Baca berita tanpa iklan. Gabung" + the plan's name.
    pub join_prefix: &'static str,
    pub my_membership: &'static str,
    pub members_only: &'static str,
    /// "{n}" is the number of free articles.
    pub meter_used: &'static str,
    pub join: &'static str,
    pub most_read: &'static str,
    pub last_day: &'static str,
    pub last_week: &'static str,
    pub comments: &'static str,
    pub comments_closed: &'static str,
    /// A card's comment count, "{n}" comments; `comment_count_one` when there is one.
    pub comment_count_many: &'static str,
    pub comment_count_one: &'static str,
    /// The home page's row of running stories.
    pub running_stories: &'static str,
    pub write_comment: &'static str,
    pub send_comment: &'static str,
    pub sign_in_to_comment: &'static str,
    /// In place of the comment form for a reader whose address is not verified yet.
    pub verify_to_comment: &'static str,
    /// The account page's button that mails the verification link again.
    pub resend_verification: &'static str,
    /// After it did; "{email}" is where (earlier links keep working until they expire).
    pub verification_resent: &'static str,
    pub comment_waiting: &'static str,
    pub comment_reported: &'static str,
    /// The banner over every page while news breaks.
    pub breaking: &'static str,
    /// The automatic related-articles block under a story.
    pub read_also: &'static str,
    pub email: &'static str,
    pub page: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pagination: &'static str,
    pub no_articles: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    /// A 405: the address exists, but not for what was sent (a form posted to a page).
    pub method_not_allowed_body: &'static str,
    pub bad_request_title: &'static str,
    /// Under it, when the address or a form could not be read at all.
    pub unreadable: &'static str,
    pub error_title: &'static str,
    pub error_body: &'static str,
    pub back_home: &'static str,
    pub footer_note: &'static str,
    pub sign_in: &'static str,
    pub sign_in_invite: &'static str,
    pub sign_out: &'static str,
    pub register: &'static str,
    pub register_title: &'static str,
    pub account: &'static str,
    pub account_menu: &'static str,
    pub name: &'static str,
    pub email_address: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub remember_me: &'static str,
    pub forgot_password: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub send_link: &'static str,
    pub save: &'static str,
    pub change_password: &'static str,
    pub no_account: &'static str,
    pub have_account: &'static str,
    pub role: &'static str,
    pub verified: &'static str,
    pub not_verified: &'static str,
    pub err_credentials: &'static str,
    pub err_name: &'static str,
    pub err_email: &'static str,
    pub err_email_taken: &'static str,
    pub err_password: &'static str,
    /// Over [`crate::account::MAX_PASSWORD`] characters.
    pub err_password_long: &'static str,
    pub err_current_password: &'static str,
    pub err_too_many: &'static str,
    pub err_token: &'static str,
    pub sent_reset: &'static str,
    pub sent_verify: &'static str,
    pub verified_done: &'static str,
    pub password_changed: &'static str,
    pub mail_verify_subject: &'static str,
    pub mail_verify_body: &'static str,
    pub mail_reset_subject: &'static str,
    pub mail_reset_body: &'static str,
    pub forbidden_title: &'static str,
    /// A form sent with a stale or forged CSRF token.
    pub form_expired: &'static str,
    /// The same, above a form that came back with what was typed.
    pub form_expired_kept: &'static str,
    /// The label over every ad and the button that closes one.
    pub ad: &'static str,
    pub close_ad: &'static str,
    /// Areas with many words of their own.
    pub comment: &'static CommentWords,
    pub newsletter: &'static NewsletterWords,
    pub membership: &'static MembershipWords,
    pub story: &'static StoryWords,
    pub video: &'static VideoWords,
}

static ID: Catalog = Catalog {
    skip_to_content: "Langsung ke isi",
    main_nav: "Navigasi utama",
    home: "Beranda",
    latest: "Terbaru",
    lead_story: "Berita utama",
    more_in_section: "Selengkapnya",
    author: "Penulis",
    authors: "Penulis",
    authors_page_title: "Artikel oleh",
    source: "Sumber",
    updated: "Diperbarui",
    correction: "Koreksi",
    tags: "Tag",
    tag_page_title: "Tag",
    section_page_title: "Kanal",
    share: "Bagikan artikel ini melalui",
    copy_link: "Salin tautan",
    photo: "Foto",
    link_copied: "Tautan disalin",
    search: "Cari",
    search_label: "Cari berita",
    search_results_for: "Hasil pencarian",
    search_title: "Cari berita",
    search_filters: "Saring dan urutkan",
    search_count_many: "{n} hasil",
    search_count_one: "1 hasil",
    search_none: "Tidak ada berita yang cocok.",
    did_you_mean: "Maksud Anda",
    sort_by: "Urutkan",
    sort_relevance: "Paling sesuai",
    sort_newest: "Terbaru",
    all_sections: "Semua kanal",
    all_authors: "Semua penulis",
    date_from: "Dari tanggal",
    date_to: "Sampai tanggal",
    err_query_empty: "Tulis kata yang ingin dicari.",
    err_query_long: "Kata pencarian terlalu panjang: paling banyak 200 karakter.",
    err_query_quotes: "Tanda kutip tidak berpasangan. Tutup frasa dengan tanda kutip kedua.",
    err_query_common: "Kata pencarian hanya berisi kata umum (seperti \"yang\" atau \"dan\"). Tambahkan kata yang lebih khusus.",
    read_also: "Baca juga",
    breaking: "Breaking news",
    join_prefix: "Baca berita tanpa iklan. Gabung",
    my_membership: "Langganan saya",
    members_only: "Artikel ini khusus anggota",
    meter_used: "Anda sudah membaca {n} artikel gratis dalam 30 hari terakhir.",
    join: "Gabung sekarang",
    most_read: "Terpopuler",
    last_day: "24 jam terakhir",
    last_week: "7 hari terakhir",
    comments: "Komentar",
    comments_closed: "Komentar untuk artikel ini sudah ditutup.",
    comment_count_many: "{n} komentar",
    comment_count_one: "1 komentar",
    running_stories: "Topik terkini",
    write_comment: "Tulis komentar",
    send_comment: "Kirim komentar",
    sign_in_to_comment: "Masuk untuk berkomentar",
    verify_to_comment: "Verifikasi alamat surel Anda untuk berkomentar",
    resend_verification: "Kirim ulang tautan verifikasi",
    verification_resent: "Tautan verifikasi baru dikirim ke {email}.",
    comment_waiting: "Terima kasih. Komentar Anda akan tampil setelah diperiksa editor.",
    comment_reported: "Terima kasih, laporan Anda sudah kami terima.",
    email: "Surel",
    page: "Halaman",
    previous: "Sebelumnya",
    next: "Berikutnya",
    pagination: "Halaman lain",
    no_articles: "Belum ada artikel.",
    not_found_title: "Halaman tidak ditemukan",
    not_found_body: "Halaman yang Anda cari tidak ada atau sudah dipindahkan.",
    method_not_allowed_body: "Alamat ini ada, tetapi tidak menerima permintaan seperti ini. Buka halamannya dari tautan di situs.",
    bad_request_title: "Permintaan tidak dapat diproses",
    unreadable: "Alamat atau isian ini tidak dapat dibaca. Periksa alamatnya, atau kembali dan kirim ulang formulirnya.",
    error_title: "Terjadi kesalahan",
    error_body: "Maaf, halaman ini gagal dimuat. Silakan coba lagi sebentar lagi.",
    back_home: "Kembali ke beranda",
    footer_note: "Diterbitkan dengan Warta.",
    sign_in: "Masuk",
    sign_in_invite: "Masuk untuk mengikuti berita pilihan dan berkomentar",
    sign_out: "Keluar",
    register: "Daftar",
    register_title: "Buat akun",
    account: "Akun saya",
    account_menu: "Menu akun",
    name: "Nama",
    email_address: "Alamat surel",
    password: "Kata sandi",
    password_hint: "Minimal 10 karakter.",
    current_password: "Kata sandi saat ini",
    new_password: "Kata sandi baru",
    remember_me: "Ingat saya di perangkat ini",
    forgot_password: "Lupa kata sandi?",
    forgot_title: "Atur ulang kata sandi",
    forgot_intro: "Kami akan mengirim tautan untuk membuat kata sandi baru.",
    send_link: "Kirim tautan",
    save: "Simpan",
    change_password: "Ganti kata sandi",
    no_account: "Belum punya akun?",
    have_account: "Sudah punya akun?",
    role: "Peran",
    verified: "Terverifikasi",
    not_verified: "Belum diverifikasi: periksa surel Anda.",
    err_credentials: "Surel atau kata sandi salah.",
    err_name: "Nama wajib diisi (maksimal 100 karakter).",
    err_email: "Masukkan alamat surel yang valid, misalnya nama@contoh.id.",
    err_email_taken: "Alamat surel ini sudah terdaftar.",
    err_password: "Kata sandi minimal 10 karakter.",
    err_password_long: "Kata sandi paling banyak 1024 karakter.",
    err_current_password: "Kata sandi saat ini salah.",
    err_too_many: "Terlalu banyak percobaan. Coba lagi dalam {minutes} menit.",
    err_token: "Tautan ini tidak berlaku lagi. Minta tautan baru.",
    sent_reset: "Jika alamat itu terdaftar, tautan untuk mengatur ulang kata sandi sudah kami kirim.",
    sent_verify: "Kami mengirim tautan verifikasi ke alamat surel Anda.",
    verified_done: "Alamat surel Anda sudah terverifikasi.",
    password_changed: "Kata sandi sudah diganti.",
    mail_verify_subject: "Verifikasi alamat surel Anda",
    mail_verify_body: "Buka tautan ini untuk memverifikasi alamat surel Anda:",
    mail_reset_subject: "Atur ulang kata sandi",
    mail_reset_body: "Buka tautan ini dalam satu jam untuk membuat kata sandi baru. Abaikan surel ini jika Anda tidak memintanya:",
    forbidden_title: "Akses ditolak",
    form_expired: "Formulir ini sudah kedaluwarsa atau dikirim dari situs lain. Muat ulang halaman, lalu coba lagi.",
    form_expired_kept: "Formulir ini kedaluwarsa, jadi belum terkirim. Isian Anda masih di bawah: periksa lalu kirim lagi.",
    ad: "Iklan",
    close_ad: "Tutup iklan",
    comment: &comments::ID,
    newsletter: &newsletter::ID,
    membership: &membership::ID,
    story: &story::ID,
    video: &video::ID,
};

static EN: Catalog = Catalog {
    skip_to_content: "Skip to content",
    main_nav: "Main navigation",
    home: "Home",
    latest: "Latest",
    lead_story: "Top story",
    more_in_section: "More",
    author: "Author",
    authors: "Authors",
    authors_page_title: "Articles by",
    source: "Source",
    updated: "Updated",
    correction: "Correction",
    tags: "Tags",
    tag_page_title: "Tag",
    section_page_title: "Section",
    share: "Share this article via",
    copy_link: "Copy link",
    photo: "Photo",
    link_copied: "Link copied",
    search: "Search",
    search_label: "Search the news",
    search_results_for: "Search results for",
    search_title: "Search the news",
    search_filters: "Filter and sort",
    search_count_many: "{n} results",
    search_count_one: "1 result",
    search_none: "No stories match.",
    did_you_mean: "Did you mean",
    sort_by: "Sort by",
    sort_relevance: "Best match",
    sort_newest: "Newest",
    all_sections: "All sections",
    all_authors: "All authors",
    date_from: "From date",
    date_to: "To date",
    err_query_empty: "Type what you are looking for.",
    err_query_long: "The search is too long: at most 200 characters.",
    err_query_quotes: "A quotation mark is unmatched. Close the phrase with a second one.",
    err_query_common: "The search has only common words (such as \"yang\" or \"dan\"). Add a more specific word.",
    read_also: "Read also",
    breaking: "Breaking news",
    join_prefix: "Read the news without ads. Join",
    my_membership: "My membership",
    members_only: "This article is for members of",
    meter_used: "You have read {n} free articles in the last 30 days.",
    join: "Join now",
    most_read: "Most read",
    last_day: "Last 24 hours",
    last_week: "Last 7 days",
    comments: "Comments",
    comments_closed: "Comments on this article are closed.",
    comment_count_many: "{n} comments",
    comment_count_one: "1 comment",
    running_stories: "Running stories",
    write_comment: "Write a comment",
    send_comment: "Post comment",
    sign_in_to_comment: "Sign in to comment",
    verify_to_comment: "Verify your e-mail address to comment",
    resend_verification: "Send the verification link again",
    verification_resent: "A new verification link went to {email}.",
    comment_waiting: "Thank you. Your comment will appear once an editor has checked it.",
    comment_reported: "Thank you, we have received your report.",
    email: "Email",
    page: "Page",
    previous: "Previous",
    next: "Next",
    pagination: "More pages",
    no_articles: "No articles yet.",
    not_found_title: "Page not found",
    not_found_body: "The page you are looking for does not exist or has moved.",
    method_not_allowed_body: "This address exists but does not take this kind of request. Open the page from a link on the site.",
    bad_request_title: "The request could not be processed",
    unreadable: "This address or form could not be read. Check the address, or go back and send the form again.",
    error_title: "Something went wrong",
    error_body: "Sorry, this page failed to load. Please try again shortly.",
    back_home: "Back to the home page",
    footer_note: "Published with Warta.",
    sign_in: "Sign in",
    sign_in_invite: "Sign in to follow stories and comment",
    sign_out: "Sign out",
    register: "Register",
    register_title: "Create an account",
    account: "My account",
    account_menu: "Account menu",
    name: "Name",
    email_address: "E-mail address",
    password: "Password",
    password_hint: "At least 10 characters.",
    current_password: "Current password",
    new_password: "New password",
    remember_me: "Remember me on this device",
    forgot_password: "Forgot your password?",
    forgot_title: "Reset your password",
    forgot_intro: "We will send you a link to choose a new password.",
    send_link: "Send link",
    save: "Save",
    change_password: "Change password",
    no_account: "No account yet?",
    have_account: "Already have an account?",
    role: "Role",
    verified: "Verified",
    not_verified: "Not verified yet: check your e-mail.",
    err_credentials: "Wrong e-mail or password.",
    err_name: "A name is required (at most 100 characters).",
    err_email: "Enter a valid e-mail address, like name@example.com.",
    err_email_taken: "This address is already registered.",
    err_password: "A password needs at least 10 characters.",
    err_password_long: "A password has at most 1024 characters.",
    err_current_password: "The current password is wrong.",
    err_too_many: "Too many attempts. Try again in {minutes} minutes.",
    err_token: "This link is no longer valid. Ask for a new one.",
    sent_reset: "If that address is registered, we have sent a link to reset the password.",
    sent_verify: "We sent a verification link to your e-mail address.",
    verified_done: "Your e-mail address is verified.",
    password_changed: "Your password has been changed.",
    mail_verify_subject: "Verify your e-mail address",
    mail_verify_body: "Open this link to verify your e-mail address:",
    mail_reset_subject: "Reset your password",
    mail_reset_body: "Open this link within an hour to choose a new password. Ignore this e-mail if you did not ask for it:",
    forbidden_title: "Access denied",
    form_expired: "The form expired or came from another site. Reload the page and try again.",
    form_expired_kept: "The form expired, so nothing was sent. What you typed is below: check it and send it again.",
    ad: "Advertisement",
    close_ad: "Close ad",
    comment: &comments::EN,
    newsletter: &newsletter::EN,
    membership: &membership::EN,
    story: &story::EN,
    video: &video::EN,
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
        assert_eq!(Language::En.catalog().comment_count(1), "1 comment");
        assert_eq!(Language::En.catalog().comment_count(12), "12 comments");
        assert_eq!(Language::Id.catalog().comment_count(12), "12 komentar");
        assert_eq!(Language::En.catalog().search_count(1), "1 result");
        assert_eq!(Language::En.catalog().search_count(0), "0 results");
        assert_eq!(Language::Id.catalog().search_count(1), "1 hasil");
    }
}
