//! People who sign in: readers and the newsroom. Roles and what each may do live here, so every
//! route asks the same question the same way.

use serde::{Deserialize, Serialize};

use crate::{FieldError, article::collapse_spaces};

/// A role, from least to most trusted. Each includes everything the ones before it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads, comments, manages their own profile.
    Reader,
    /// Writes drafts and submits them for review; never publishes.
    Contributor,
    /// "Penulis": also publishes and schedules their own articles.
    Writer,
    /// Edits, publishes, schedules and unpublishes any article; lead story, breaking flag,
    /// sections and tags.
    Editor,
    /// Everything, plus people, roles and site settings.
    Admin,
}

/// Something a person may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open the newsroom at all.
    EnterNewsroom,
    WriteDraft,
    SubmitForReview,
    /// Publish, schedule or unpublish an article the person wrote.
    PublishOwn,
    /// Edit, publish, schedule or unpublish anyone's article.
    EditAny,
    SetLeadAndBreaking,
    ManageSectionsAndTags,
    ManagePeople,
    ManageSite,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Reader,
        Role::Contributor,
        Role::Writer,
        Role::Editor,
        Role::Admin,
    ];

    /// Whether this role may do `action`.
    pub fn may(self, action: Action) -> bool {
        let least = match action {
            Action::EnterNewsroom | Action::WriteDraft | Action::SubmitForReview => {
                Role::Contributor
            }
            Action::PublishOwn => Role::Writer,
            Action::EditAny | Action::SetLeadAndBreaking | Action::ManageSectionsAndTags => {
                Role::Editor
            }
            Action::ManagePeople | Action::ManageSite => Role::Admin,
        };
        self >= least
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Contributor => "contributor",
            Role::Writer => "writer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Reads a role name as `as_str` writes it (any case).
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Shortest password accepted. Length beats composition rules (NIST SP 800-63B).
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted; argon2 handles more, but nobody types this much.
pub const MAX_PASSWORD: usize = 1024;

/// A registration as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Registration {
    pub name: String,
    pub email: String,
    pub password: String,
}

/// A registration that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub name: String,
    /// Lower-cased, trimmed.
    pub email: String,
    pub password: String,
}

impl Registration {
    /// Checks every field; all problems at once.
    pub fn validate(&self) -> Result<ValidRegistration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = collapse_spaces(&self.name);
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "nama wajib diisi",
                "a name is required",
            ));
        } else if name.chars().count() > 100 {
            errors.push(FieldError::too_long("name", 100));
        }
        let email = match normalize_email(&self.email) {
            Ok(email) => email,
            Err(error) => {
                errors.push(error);
                String::new()
            }
        };
        if let Err(error) = check_password(&self.password) {
            errors.push(error);
        }
        if errors.is_empty() {
            Ok(ValidRegistration {
                name,
                email,
                password: self.password.clone(),
            })
        } else {
            Err(errors)
        }
    }
}

/// Trims and lower-cases an address and checks it has the shape `local@domain.tld`.
pub fn normalize_email(text: &str) -> Result<String, FieldError> {
    let email = text.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.len() <= 64
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        })
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
        && email.matches('@').count() == 1;
    if valid {
        Ok(email)
    } else {
        Err(FieldError::new(
            "email",
            "isi alamat surel yang benar, misalnya nama@contoh.id",
            "expected an e-mail address like nama@contoh.id",
        ))
    }
}

/// Length rules for a new password.
pub fn check_password(password: &str) -> Result<(), FieldError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        Err(FieldError::new(
            "password",
            format!("paling sedikit {MIN_PASSWORD} karakter"),
            format!("at least {MIN_PASSWORD} characters"),
        ))
    } else if length > MAX_PASSWORD {
        Err(FieldError::too_long("password", MAX_PASSWORD))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_what_the_table_says() {
        use Action::*;
        let table = [
            (Role::Reader, vec![]),
            (
                Role::Contributor,
                vec![EnterNewsroom, WriteDraft, SubmitForReview],
            ),
            (
                Role::Writer,
                vec![EnterNewsroom, WriteDraft, SubmitForReview, PublishOwn],
            ),
            (
                Role::Editor,
                vec![
                    EnterNewsroom,
                    WriteDraft,
                    SubmitForReview,
                    PublishOwn,
                    EditAny,
                    SetLeadAndBreaking,
                    ManageSectionsAndTags,
                ],
            ),
            (
                Role::Admin,
                vec![
                    EnterNewsroom,
                    WriteDraft,
                    SubmitForReview,
                    PublishOwn,
                    EditAny,
                    SetLeadAndBreaking,
                    ManageSectionsAndTags,
                    ManagePeople,
                    ManageSite,
                ],
            ),
        ];
        let all = [
            EnterNewsroom,
            WriteDraft,
            SubmitForReview,
            PublishOwn,
            EditAny,
            SetLeadAndBreaking,
            ManageSectionsAndTags,
            ManagePeople,
            ManageSite,
        ];
        for (role, allowed) in table {
            for action in all {
                assert_eq!(
                    role.may(action),
                    allowed.contains(&action),
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse(" Editor "), Some(Role::Editor));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn registration_validation_names_each_field() {
        let ok = Registration {
            name: "  Sari  Dewi ".into(),
            email: " Sari@Contoh.ID ".into(),
            password: "kata-sandi-panjang".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.name, "Sari Dewi");
        assert_eq!(ok.email, "sari@contoh.id");
        let errors = Registration {
            name: "".into(),
            email: "sari@".into(),
            password: "pendek".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "email", "password"]);
    }

    #[test]
    fn email_shapes() {
        for good in ["a@b.co", "nama.lengkap+tag@sub.contoh.id"] {
            assert!(normalize_email(good).is_ok(), "{good}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@.b.co", "a@b..co", "a b@c.id", "a@b@c.id", "a@b.co.",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
