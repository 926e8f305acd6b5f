//! An article's way from draft to the reader site, and who may move it along.

use chrono::{DateTime, Utc};

use crate::account::{Action, Role};

/// Where an article stands. "Scheduled" is not stored: it is a published article whose time
/// has not come, so it goes live on time with no job to run, also after a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Review,
    Published,
    Unpublished,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Draft,
            Status::Review,
            Status::Published,
            Status::Unpublished,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// The newsroom's word for the status alone, where the time is not at hand (a revision).
    pub fn label_id(self) -> &'static str {
        match self {
            Status::Draft => Shown::Draft,
            Status::Review => Shown::Review,
            Status::Published => Shown::Published,
            Status::Unpublished => Shown::Unpublished,
        }
        .label_id()
    }

    /// What the newsroom sees: a published article with a future time is "scheduled".
    pub fn shown(self, published_at: DateTime<Utc>, now: DateTime<Utc>) -> Shown {
        match self {
            Status::Draft => Shown::Draft,
            Status::Review => Shown::Review,
            Status::Published if published_at > now => Shown::Scheduled,
            Status::Published => Shown::Published,
            Status::Unpublished => Shown::Unpublished,
        }
    }
}

/// A status as shown in the newsroom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Draft,
    Review,
    Scheduled,
    Published,
    Unpublished,
}

impl Shown {
    /// The newsroom's word for it.
    pub fn label_id(self) -> &'static str {
        match self {
            Shown::Draft => "Draf",
            Shown::Review => "Menunggu review",
            Shown::Scheduled => "Terjadwal",
            Shown::Published => "Terbit",
            Shown::Unpublished => "Ditarik",
        }
    }
}

/// What a save asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Save and keep the status (a new article becomes a draft).
    Keep,
    /// Send to an editor.
    Submit,
    /// Publish now, or at the article's time if that is in the future.
    Publish,
    /// Take off the reader site.
    Unpublish,
}

impl Move {
    pub fn parse(text: &str) -> Option<Move> {
        match text {
            "save" => Some(Move::Keep),
            "submit" => Some(Move::Submit),
            "publish" => Some(Move::Publish),
            "unpublish" => Some(Move::Unpublish),
            _ => None,
        }
    }

    /// The status after the move.
    pub fn target(self, current: Option<Status>) -> Status {
        match self {
            Move::Keep => current.unwrap_or(Status::Draft),
            Move::Submit => Status::Review,
            Move::Publish => Status::Published,
            Move::Unpublish => Status::Unpublished,
        }
    }
}

/// Why a move is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The role may not touch this article at all.
    NotYours,
    /// The role may edit but not make this move.
    NotAllowed,
}

/// Whether `role` may make `step` on an article in `current` status (`None`: a new article),
/// owned by the person (`own`) or not.
pub fn check(role: Role, own: bool, current: Option<Status>, step: Move) -> Result<(), Refusal> {
    if !role.may(Action::WriteDraft) {
        return Err(Refusal::NotYours);
    }
    if !own && current.is_some() && !role.may(Action::EditAny) {
        return Err(Refusal::NotYours);
    }
    let live = matches!(current, Some(Status::Published | Status::Unpublished));
    let may_publish = role.may(Action::EditAny) || (own && role.may(Action::PublishOwn));
    match step {
        // A contributor's change to a live article would go out unreviewed, and sending it
        // back to review would take it off the site: both are for those who may publish.
        Move::Keep | Move::Submit if live && !may_publish => Err(Refusal::NotAllowed),
        Move::Keep | Move::Submit => Ok(()),
        Move::Publish | Move::Unpublish if may_publish => Ok(()),
        Move::Publish | Move::Unpublish => Err(Refusal::NotAllowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_table_for_moves() {
        use Move::*;
        // (role, own article?, current status, move) -> allowed?
        let cases = [
            (Role::Reader, true, None, Keep, false),
            (Role::Contributor, true, None, Keep, true),
            (Role::Contributor, true, Some(Status::Draft), Submit, true),
            (Role::Contributor, true, Some(Status::Draft), Publish, false),
            (
                Role::Contributor,
                true,
                Some(Status::Published),
                Keep,
                false,
            ),
            (
                Role::Contributor,
                true,
                Some(Status::Published),
                Submit,
                false,
            ),
            (
                Role::Contributor,
                true,
                Some(Status::Unpublished),
                Submit,
                false,
            ),
            (Role::Contributor, true, Some(Status::Review), Submit, true),
            (Role::Contributor, false, Some(Status::Draft), Keep, false),
            (Role::Writer, true, Some(Status::Draft), Publish, true),
            (Role::Writer, true, Some(Status::Published), Unpublish, true),
            (Role::Writer, false, Some(Status::Draft), Keep, false),
            (Role::Writer, false, Some(Status::Review), Publish, false),
            (Role::Editor, false, Some(Status::Review), Publish, true),
            (
                Role::Editor,
                false,
                Some(Status::Published),
                Unpublish,
                true,
            ),
            (Role::Admin, false, Some(Status::Draft), Publish, true),
        ];
        for (role, own, current, step, allowed) in cases {
            assert_eq!(
                check(role, own, current, step).is_ok(),
                allowed,
                "{role:?} own={own} {current:?} {step:?}"
            );
        }
    }

    #[test]
    fn future_publications_show_as_scheduled() {
        let now = Utc::now();
        assert_eq!(
            Status::Published.shown(now + chrono::Duration::hours(1), now),
            Shown::Scheduled
        );
        assert_eq!(Status::Published.shown(now, now), Shown::Published);
        assert_eq!(Move::Keep.target(None), Status::Draft);
        assert_eq!(Move::Keep.target(Some(Status::Review)), Status::Review);
    }
}
