//! The words of the e-mail newsletters: the sign-up and manage pages, the confirmation mails,
//! the unsubscribe page and the digest's web and mail versions.

use crate::newsletter::List;

#[derive(Debug)]
pub struct NewsletterWords {
    /// The footer's link and the sign-up page's heading.
    pub sign_up_title: &'static str,
    pub page_title: &'static str,
    pub manage_title: &'static str,
    pub intro: &'static str,
    pub address_label: &'static str,
    /// Before the address on the manage page.
    pub address: &'static str,
    pub lists_legend: &'static str,
    pub sections_legend: &'static str,
    pub subscribe: &'static str,
    pub save_choices: &'static str,
    pub manage_hint: &'static str,
    pub sign_up_hint: &'static str,
    pub breaking: &'static str,
    pub daily: &'static str,
    pub weekly: &'static str,
    pub err_no_list: &'static str,
    pub check_inbox_title: &'static str,
    /// "{email}": where the link went.
    pub check_inbox: &'static str,
    /// "{site}", "{days}" and "{link}".
    pub confirm_subject: &'static str,
    pub confirm_body: &'static str,
    /// "{site}" and "{link}".
    pub already_subject: &'static str,
    pub already_body: &'static str,
    pub confirmed_title: &'static str,
    /// "{email}".
    pub confirmed: &'static str,
    pub saved_title: &'static str,
    pub saved: &'static str,
    pub left_all: &'static str,
    pub leave_title: &'static str,
    /// "{list}": what the reader stops receiving.
    pub leave_question: &'static str,
    pub leave: &'static str,
    pub other_choices: &'static str,
    /// "{list}".
    pub left: &'static str,
    /// The list named when the link names none.
    pub every_mail: &'static str,
    /// The digest's web version: its kicker and the invitation under it.
    pub kicker: &'static str,
    pub subscribe_link: &'static str,
    pub web_version: &'static str,
    pub unsubscribe: &'static str,
}

impl NewsletterWords {
    /// The name readers know a list by.
    pub fn list(&self, list: List) -> &'static str {
        match list {
            List::Breaking => self.breaking,
            List::Daily => self.daily,
            List::Weekly => self.weekly,
        }
    }
}

pub(super) static ID: NewsletterWords = NewsletterWords {
    sign_up_title: "Berita lewat surel",
    page_title: "Buletin dan breaking news lewat surel",
    manage_title: "Langganan surel Anda",
    intro: "Pilih surel yang Anda inginkan: breaking news saat terjadi, ringkasan harian setiap pagi, atau ringkasan mingguan setiap Senin. Tanpa memilih kanal, Anda menerima semua kanal.",
    address_label: "Alamat surel",
    address: "Alamat:",
    lists_legend: "Surel",
    sections_legend: "Kanal (opsional)",
    subscribe: "Berlangganan",
    save_choices: "Simpan pilihan",
    manage_hint: "Kosongkan semua pilihan surel lalu simpan untuk berhenti dari semuanya.",
    sign_up_hint: "Kami mengirim tautan konfirmasi lebih dulu; tanpa konfirmasi tidak ada surel lain.",
    breaking: "Breaking news",
    daily: "Ringkasan harian",
    weekly: "Ringkasan mingguan",
    err_no_list: "Pilih paling sedikit satu jenis surel.",
    check_inbox_title: "Periksa kotak masuk Anda",
    check_inbox: "Kami mengirim tautan ke {email}. Langganan aktif setelah Anda membukanya.",
    confirm_subject: "Konfirmasi langganan surel - {site}",
    confirm_body: "Seseorang (semoga Anda) meminta surel dari {site} untuk alamat ini.\n\nKonfirmasi dalam {days} hari dengan membuka tautan ini:\n{link}\n\nAbaikan surel ini jika Anda tidak memintanya; tanpa konfirmasi kami tidak mengirim apa pun dan menghapus alamat ini setelah {days} hari.\n",
    already_subject: "Langganan surel Anda - {site}",
    already_body: "Alamat ini sudah berlangganan surel dari {site}. Ubah pilihan atau berhenti di sini:\n{link}\n",
    confirmed_title: "Langganan aktif",
    confirmed: "Terima kasih. Surel akan dikirim ke {email}. Setiap surel memuat tautan untuk berhenti.",
    saved_title: "Langganan surel",
    saved: "Pilihan surel Anda disimpan.",
    left_all: "Anda tidak lagi menerima surel dari kami.",
    leave_title: "Berhenti berlangganan",
    leave_question: "Berhenti menerima {list}?",
    leave: "Berhenti",
    other_choices: "Ubah pilihan lainnya",
    left: "Selesai: Anda tidak lagi menerima {list}. Ubah pilihan kapan saja lewat /buletin.",
    every_mail: "semua surel dari kami",
    kicker: "Buletin",
    subscribe_link: "Berlangganan surel",
    web_version: "Versi web",
    unsubscribe: "Berhenti berlangganan",
};

pub(super) static EN: NewsletterWords = NewsletterWords {
    sign_up_title: "News by e-mail",
    page_title: "Newsletters and breaking news by e-mail",
    manage_title: "Your e-mail subscriptions",
    intro: "Choose the e-mails you want: breaking news as it happens, a daily digest every morning or a weekly digest every Monday. Without choosing sections you receive all of them.",
    address_label: "E-mail address",
    address: "Address:",
    lists_legend: "E-mails",
    sections_legend: "Sections (optional)",
    subscribe: "Subscribe",
    save_choices: "Save choices",
    manage_hint: "Clear every e-mail choice and save to stop them all.",
    sign_up_hint: "We send a confirmation link first; without confirmation no other e-mail follows.",
    breaking: "Breaking news",
    daily: "Daily digest",
    weekly: "Weekly digest",
    err_no_list: "Choose at least one kind of e-mail.",
    check_inbox_title: "Check your inbox",
    check_inbox: "We sent a link to {email}. The subscription starts once you open it.",
    confirm_subject: "Confirm your e-mail subscription - {site}",
    confirm_body: "Someone (we hope you) asked for e-mails from {site} at this address.\n\nConfirm within {days} days by opening this link:\n{link}\n\nIgnore this e-mail if you did not ask for it; without confirmation we send nothing and forget the address after {days} days.\n",
    already_subject: "Your e-mail subscription - {site}",
    already_body: "This address already receives e-mails from {site}. Change your choices or stop here:\n{link}\n",
    confirmed_title: "Subscription active",
    confirmed: "Thank you. E-mails will go to {email}. Every one of them has a link to stop.",
    saved_title: "E-mail subscription",
    saved: "Your e-mail choices are saved.",
    left_all: "You no longer receive e-mails from us.",
    leave_title: "Unsubscribe",
    leave_question: "Stop receiving {list}?",
    leave: "Unsubscribe",
    other_choices: "Change other choices",
    left: "Done: you no longer receive {list}. Change your choices any time at /buletin.",
    every_mail: "any e-mail from us",
    kicker: "Newsletter",
    subscribe_link: "Subscribe by e-mail",
    web_version: "Web version",
    unsubscribe: "Unsubscribe",
};
