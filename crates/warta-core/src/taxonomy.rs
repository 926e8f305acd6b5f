//! Sections and tags as the newsroom edits them: what a valid name, description and position
//! are.

use crate::{
    FieldError,
    article::{MAX_NAME, MAX_SUMMARY, collapse_spaces},
};

/// A section as a form sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionEdit {
    pub name: String,
    /// A line under the section's name on its page.
    pub description: Option<String>,
    /// Place in the navigation, lowest first; ties go by name.
    pub position: i64,
}

impl SectionEdit {
    /// Reads a section form, reporting every field that is wrong.
    pub fn parse(name: &str, description: &str, position: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = tag_name(name).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        let description = collapse_spaces(description);
        if description.chars().count() > MAX_SUMMARY {
            errors.push(FieldError::too_long("description", MAX_SUMMARY));
        }
        let position = match position.trim() {
            "" => 0,
            text => text
                .parse::<i64>()
                .ok()
                .filter(|p| (-1000..=1000).contains(p))
                .unwrap_or_else(|| {
                    errors.push(FieldError::new(
                        "position",
                        "bilangan bulat dari -1000 sampai 1000",
                        "expected a whole number from -1000 to 1000",
                    ));
                    0
                }),
        };
        if errors.is_empty() {
            Ok(SectionEdit {
                name,
                description: (!description.is_empty()).then_some(description),
                position,
            })
        } else {
            Err(errors)
        }
    }
}

/// A section or tag name: trimmed, not empty, not too long.
pub fn tag_name(text: &str) -> Result<String, FieldError> {
    let name = collapse_spaces(text);
    if name.is_empty() {
        Err(FieldError::new(
            "name",
            "nama wajib diisi",
            "a name is required",
        ))
    } else if name.chars().count() > MAX_NAME {
        Err(FieldError::too_long("name", MAX_NAME))
    } else {
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_forms_are_read_or_refused_by_field() {
        let edit = SectionEdit::parse("  Ekonomi  Bisnis ", " ", "3").unwrap();
        assert_eq!(edit.name, "Ekonomi Bisnis");
        assert_eq!(edit.description, None);
        assert_eq!(edit.position, 3);
        let errors = SectionEdit::parse("", &"x".repeat(301), "tiga").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "description", "position"]);
    }
}
