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
    /// Before a picture's credit: "Foto: Antara".
    pub photo: &'static str,
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
    photo: "Foto",
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
    sign_in: "Masuk",
    sign_in_invite: "Masuk untuk mengikuti berita pilihan dan berkomentar",
    sign_out: "Keluar",
    register: "Daftar",
    register_title: "Buat akun",
    account: "Akun saya",
    account_menu: "Menu akun",
    name: "Nama",
    email_address: "Alamat e-mail",
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
    not_verified: "Belum diverifikasi: periksa e-mail Anda.",
    err_credentials: "E-mail atau kata sandi salah.",
    err_name: "Nama wajib diisi (maksimal 100 karakter).",
    err_email: "Masukkan alamat e-mail yang valid, misalnya nama@contoh.id.",
    err_email_taken: "Alamat e-mail ini sudah terdaftar.",
    err_password: "Kata sandi minimal 10 karakter.",
    err_current_password: "Kata sandi saat ini salah.",
    err_too_many: "Terlalu banyak percobaan. Coba lagi dalam {minutes} menit.",
    err_token: "Tautan ini tidak berlaku lagi. Minta tautan baru.",
    sent_reset: "Jika alamat itu terdaftar, tautan untuk mengatur ulang kata sandi sudah kami kirim.",
    sent_verify: "Kami mengirim tautan verifikasi ke alamat e-mail Anda.",
    verified_done: "Alamat e-mail Anda sudah terverifikasi.",
    password_changed: "Kata sandi sudah diganti.",
    mail_verify_subject: "Verifikasi alamat e-mail Anda",
    mail_verify_body: "Buka tautan ini untuk memverifikasi alamat e-mail Anda:",
    mail_reset_subject: "Atur ulang kata sandi",
    mail_reset_body: "Buka tautan ini dalam satu jam untuk membuat kata sandi baru. Abaikan e-mail ini jika Anda tidak memintanya:",
    forbidden_title: "Akses ditolak",
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
    photo: "Photo",
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
