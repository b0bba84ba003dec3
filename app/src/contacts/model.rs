//! A contact as typed into its form, and its validation.

use crate::accounts::model::{Contact, ContactRole};
use crate::error::{checked_text, FieldError};
use serde::{Deserialize, Serialize};

/// A contact's fields as typed: text, checked by [`ContactForm::validate`] on the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactForm {
    /// Full name; required.
    #[serde(default)]
    pub name: String,
    /// Email address; optional.
    #[serde(default)]
    pub email: String,
    /// Job title; optional.
    #[serde(default)]
    pub title: String,
    /// `decision_maker`, `executive_sponsor`, `champion` or `day_to_day_user`.
    #[serde(default)]
    pub role: String,
}

/// A contact's fields, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactFields {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Role in the relationship.
    pub role: ContactRole,
}

impl ContactFields {
    /// Field name and JSON value of each field, as the audit log records a change.
    pub fn values(&self) -> Vec<(&'static str, serde_json::Value)> {
        use serde_json::json;
        vec![
            ("name", json!(self.name)),
            ("email", json!(self.email)),
            ("title", json!(self.title)),
            ("role", json!(self.role)),
        ]
    }

    /// The fields of a stored contact.
    pub fn of(contact: &Contact) -> Self {
        Self {
            name: contact.name.clone(),
            email: contact.email.clone(),
            title: contact.title.clone(),
            role: contact.role,
        }
    }
}

impl ContactRole {
    /// The value used in the database, forms and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DecisionMaker => "decision_maker",
            Self::ExecutiveSponsor => "executive_sponsor",
            Self::Champion => "champion",
            Self::DayToDayUser => "day_to_day_user",
        }
    }

    /// The role named `value` (as in [`ContactRole::as_str`]).
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

impl ContactForm {
    /// The form filled from a stored contact.
    pub fn of(contact: &Contact) -> Self {
        Self {
            name: contact.name.clone(),
            email: contact.email.clone().unwrap_or_default(),
            title: contact.title.clone().unwrap_or_default(),
            role: contact.role.as_str().to_string(),
        }
    }

    /// The checked fields, or every problem at once.
    pub fn validate(&self) -> Result<ContactFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = checked_text(&mut errors, "name", &self.name, 200, true);
        let email = self.email.trim().to_lowercase();
        if !email.is_empty() {
            let (local, domain) = email.split_once('@').unwrap_or(("", ""));
            if local.is_empty() || !domain.contains('.') || email.contains(char::is_whitespace) {
                errors.push(FieldError::new(
                    "email",
                    "must be an email address, like ana@example.com",
                ));
            } else if email.chars().count() > 254 {
                errors.push(FieldError::new("email", "must be at most 254 characters"));
            }
        }
        let title = checked_text(&mut errors, "title", &self.title, 200, false);
        let role = ContactRole::parse(self.role.trim());
        if role.is_none() {
            errors.push(FieldError::new(
                "role",
                "must be one of decision_maker, executive_sponsor, champion, day_to_day_user",
            ));
        }
        match role {
            Some(role) if errors.is_empty() => Ok(ContactFields {
                name,
                email: (!email.is_empty()).then_some(email),
                title: (!title.is_empty()).then_some(title),
                role,
            }),
            _ => Err(errors),
        }
    }
}

/// What the contact edit page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactDetail {
    /// The contact.
    pub contact: Contact,
    /// Its account's name.
    pub account_name: String,
    /// Whether the signed-in user may change it.
    pub can_edit: bool,
    /// Whether the contact attended a review (removing archives it instead of deleting it).
    pub attended: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, email: &str, role: &str) -> ContactForm {
        ContactForm {
            name: name.into(),
            email: email.into(),
            title: "  VP Operations ".into(),
            role: role.into(),
        }
    }

    #[test]
    fn a_contact_needs_a_name_and_a_known_role_and_email_is_optional() {
        let fields = form(" Ana Ruiz ", "", "champion")
            .validate()
            .expect("valid");
        assert_eq!(fields.name, "Ana Ruiz");
        assert_eq!(fields.email, None);
        assert_eq!(fields.title.as_deref(), Some("VP Operations"));
        assert_eq!(fields.role, ContactRole::Champion);
        let errors = form("", "ana-at-example", "boss")
            .validate()
            .expect_err("invalid input");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "email", "role"]);
    }

    #[test]
    fn emails_are_stored_lower_case() {
        let fields = form("Ana", "Ana@Example.COM", "decision_maker")
            .validate()
            .expect("valid");
        assert_eq!(fields.email.as_deref(), Some("ana@example.com"));
    }

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in ContactRole::ALL {
            assert_eq!(ContactRole::parse(role.as_str()), Some(role));
        }
    }
}
