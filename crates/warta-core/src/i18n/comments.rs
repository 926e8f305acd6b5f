//! The words of the comment thread and its forms, and why a comment was refused.

use crate::comment::Problem;

/// What a reader reads around comments besides the thread's heading (in [`super::Catalog`]).
#[derive(Debug)]
pub struct CommentWords {
    /// After the time of a comment changed since it was posted.
    pub edited: &'static str,
    /// In place of a comment deleted after others replied to it.
    pub deleted: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub report: &'static str,
    pub reply: &'static str,
    /// The reply box's label, before the name of the comment's author.
    pub reply_to: &'static str,
    pub send_reply: &'static str,
    /// The comment form's page and field.
    pub your_comment: &'static str,
    pub edit_title: &'static str,
    pub field: &'static str,
    pub send: &'static str,
    pub back_to_article: &'static str,
    /// "{minutes}" is how long until the reader may comment again.
    pub too_fast: &'static str,
    pub closed: &'static str,
    pub banned: &'static str,
    pub bad_parent: &'static str,
    pub hidden: &'static str,
    pub not_yours: &'static str,
    /// "{minutes}" is the edit window.
    pub window_closed: &'static str,
    pub empty: &'static str,
    /// "{n}" is the longest comment in characters.
    pub too_long: &'static str,
    /// "{n}" is how many links one comment may hold.
    pub too_many_links: &'static str,
    /// "{word}" is the blocked word, as the site's rules list it.
    pub blocked_word: &'static str,
}

impl CommentWords {
    /// Why a comment's text was refused, in these words.
    pub fn problem(&self, problem: &Problem) -> String {
        match problem {
            Problem::Empty => self.empty.to_owned(),
            Problem::TooLong(n) => self.too_long.replace("{n}", &n.to_string()),
            Problem::TooManyLinks(n) => self.too_many_links.replace("{n}", &n.to_string()),
            Problem::BlockedWord(word) => self.blocked_word.replace("{word}", word),
        }
    }
}

pub(super) static ID: CommentWords = CommentWords {
    edited: "diubah",
    deleted: "Komentar ini telah dihapus.",
    edit: "Ubah",
    delete: "Hapus",
    report: "Laporkan",
    reply: "Balas",
    reply_to: "Balasan untuk",
    send_reply: "Kirim balasan",
    your_comment: "Komentar Anda",
    edit_title: "Ubah komentar",
    field: "Komentar",
    send: "Kirim",
    back_to_article: "Kembali ke artikel",
    too_fast: "Terlalu banyak komentar dalam waktu singkat. Coba lagi dalam {minutes} menit.",
    closed: "Komentar untuk artikel ini sudah ditutup.",
    banned: "Anda tidak dapat berkomentar di situs ini.",
    bad_parent: "Balasan hanya untuk komentar utama yang masih tampil; komentar itu sudah tidak tampil atau merupakan balasan.",
    hidden: "Komentar ini disembunyikan moderator dan tidak dapat diubah.",
    not_yours: "Hanya penulisnya yang dapat mengubah komentar ini.",
    window_closed: "Komentar hanya dapat diubah dalam {minutes} menit setelah dikirim. Salin teks Anda bila masih diperlukan.",
    empty: "Tulis komentar Anda lebih dulu.",
    too_long: "Komentar terlalu panjang: paling banyak {n} karakter.",
    too_many_links: "Paling banyak {n} tautan dalam satu komentar.",
    blocked_word: "Kata \"{word}\" tidak diizinkan dalam komentar di situs ini.",
};

pub(super) static EN: CommentWords = CommentWords {
    edited: "edited",
    deleted: "This comment was deleted.",
    edit: "Edit",
    delete: "Delete",
    report: "Report",
    reply: "Reply",
    reply_to: "Reply to",
    send_reply: "Send reply",
    your_comment: "Your comment",
    edit_title: "Edit comment",
    field: "Comment",
    send: "Send",
    back_to_article: "Back to the article",
    too_fast: "Too many comments in a short time. Try again in {minutes} minutes.",
    closed: "Comments on this article are closed.",
    banned: "You cannot comment on this site.",
    bad_parent: "Replies go to a top-level comment that is still shown; that one is gone or is itself a reply.",
    hidden: "A moderator hid this comment; it cannot be changed.",
    not_yours: "Only its author can change this comment.",
    window_closed: "A comment can be changed for {minutes} minutes after posting. Copy your text if you still need it.",
    empty: "Write your comment first.",
    too_long: "The comment is too long: at most {n} characters.",
    too_many_links: "At most {n} links in one comment.",
    blocked_word: "The word \"{word}\" is not allowed in comments on this site.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_worded_with_their_figures() {
        assert_eq!(
            ID.problem(&Problem::TooManyLinks(2)),
            "Paling banyak 2 tautan dalam satu komentar."
        );
        assert_eq!(
            EN.problem(&Problem::BlockedWord("judi".into())),
            "The word \"judi\" is not allowed in comments on this site."
        );
        assert_eq!(ID.problem(&Problem::Empty), ID.empty);
    }
}
