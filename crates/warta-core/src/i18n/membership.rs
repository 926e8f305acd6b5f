//! The words of the membership ("+") pages a reader sees: the plans and their own membership.

use crate::membership::Period;

#[derive(Debug)]
pub struct MembershipWords {
    /// "{plan}" is the membership's name ("Warta+").
    pub plans_title: &'static str,
    pub plans_page_title: &'static str,
    pub pitch: &'static str,
    /// "{until}": the last day of the reader's membership.
    pub member_until: &'static str,
    pub mine: &'static str,
    pub payments_not_ready: &'static str,
    pub no_plans: &'static str,
    pub choose_plan: &'static str,
    pub sign_in_to_join: &'static str,
    pub per_month: &'static str,
    pub per_year: &'static str,
    /// "{plan}" and "{until}".
    pub status: &'static str,
    pub renews: &'static str,
    pub cancel: &'static str,
    pub ends: &'static str,
    pub granted: &'static str,
    pub not_member: &'static str,
    /// "{plan}".
    pub see_plans: &'static str,
}

impl MembershipWords {
    /// How often a plan's price is paid: "per bulan".
    pub fn period(&self, period: Period) -> &'static str {
        match period {
            Period::Monthly => self.per_month,
            Period::Yearly => self.per_year,
        }
    }
}

pub(super) static ID: MembershipWords = MembershipWords {
    plans_title: "Berlangganan {plan}",
    plans_page_title: "Berlangganan",
    pitch: "Baca berita tanpa iklan dan buka artikel khusus anggota.",
    member_until: "Anda anggota sampai {until}.",
    mine: "Langganan saya",
    payments_not_ready: "Pembayaran daring belum disiapkan di situs ini. Hubungi redaksi: admin dapat memberikan keanggotaan secara langsung.",
    no_plans: "Belum ada paket langganan.",
    choose_plan: "Pilih paket",
    sign_in_to_join: "Masuk untuk berlangganan",
    per_month: "per bulan",
    per_year: "per tahun",
    status: "Status: anggota {plan} sampai {until}.",
    renews: "Langganan diperpanjang otomatis pada tanggal itu.",
    cancel: "Berhenti berlangganan",
    ends: "Tidak diperpanjang: keanggotaan berakhir pada tanggal itu.",
    granted: "Keanggotaan ini diberikan oleh redaksi.",
    not_member: "Anda belum berlangganan.",
    see_plans: "Lihat paket {plan}",
};

pub(super) static EN: MembershipWords = MembershipWords {
    plans_title: "Subscribe to {plan}",
    plans_page_title: "Subscribe",
    pitch: "Read the news without ads and open members-only articles.",
    member_until: "You are a member until {until}.",
    mine: "My membership",
    payments_not_ready: "Online payment is not set up on this site yet. Contact the newsroom: an admin can grant a membership directly.",
    no_plans: "No plans yet.",
    choose_plan: "Choose this plan",
    sign_in_to_join: "Sign in to subscribe",
    per_month: "per month",
    per_year: "per year",
    status: "Status: {plan} member until {until}.",
    renews: "The subscription renews automatically on that day.",
    cancel: "Cancel subscription",
    ends: "Not renewing: the membership ends on that day.",
    granted: "This membership was granted by the newsroom.",
    not_member: "You are not subscribed.",
    see_plans: "See the {plan} plans",
};
