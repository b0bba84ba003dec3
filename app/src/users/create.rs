//! Creating a user (server only): the one path for `keystone user add` and the admin page.

use super::{model::Role, password};
use crate::audit::model::Actor;
use crate::db::Db;
use crate::error::{AppError, AppResult, FieldError};

/// A user to create, as typed.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Sign-in email; stored trimmed and lower-cased.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role name, as in [`Role::as_str`].
    pub role: String,
    /// The initial password.
    pub password: String,
}

/// The email as stored, or what is wrong with the input (every field checked at once).
fn validate(user: &NewUser) -> Result<(String, Role), Vec<FieldError>> {
    let mut errors = Vec::new();
    let email = user.email.trim().to_lowercase();
    let (local, domain) = email.split_once('@').unwrap_or(("", ""));
    if local.is_empty() || domain.is_empty() || email.chars().any(char::is_whitespace) {
        errors.push(FieldError::new("email", "must be an email address"));
    } else if email.chars().count() > 254 {
        errors.push(FieldError::new("email", "must be at most 254 characters"));
    }
    let name = user.name.trim().chars().count();
    if name == 0 {
        errors.push(FieldError::new("name", "is required"));
    } else if name > 200 {
        errors.push(FieldError::new("name", "must be at most 200 characters"));
    }
    let role = Role::parse(&user.role);
    if role.is_none() {
        errors.push(FieldError::new(
            "role",
            "must be one of admin, leader, csm, pilot, viewer",
        ));
    }
    if let Some(problem) = password::problem(&user.password) {
        errors.push(FieldError::new("password", problem));
    }
    match role {
        Some(role) if errors.is_empty() => Ok((email, role)),
        _ => Err(errors),
    }
}

/// Creates `user` and records it in the audit log, in one transaction; returns the new id.
pub async fn create_user(db: &Db, user: NewUser, actor: &Actor) -> AppResult<i64> {
    let (email, role) = validate(&user).map_err(AppError::Validation)?;
    let hash = password::hash(user.password).await?;
    let now = crate::db::now_timestamp();
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    let id = super::db::insert_user(&mut tx, &email, user.name.trim(), role, &hash, &now)
        .await
        .map_err(|error| match error {
            sqlx::Error::Database(e) if e.is_unique_violation() => {
                AppError::invalid("email", "a user with this email already exists")
            }
            other => other.into(),
        })?;
    crate::audit::db::record(
        &mut tx,
        actor,
        "user.created",
        ("user", Some(&id.to_string())),
        &serde_json::json!({"email": email, "name": user.name.trim(), "role": role.as_str()}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(email: &str, name: &str, role: &str, password: &str) -> NewUser {
        NewUser {
            email: email.into(),
            name: name.into(),
            role: role.into(),
            password: password.into(),
        }
    }

    #[test]
    fn a_valid_user_is_normalised() {
        let (email, role) =
            validate(&user(" Ana@Example.COM ", "Ana", "csm", "twelve chars")).expect("valid");
        assert_eq!(email, "ana@example.com");
        assert_eq!(role, Role::Csm);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors =
            validate(&user("not-an-email", " ", "root", "short")).expect_err("invalid input");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "name", "role", "password"]);
    }
}
