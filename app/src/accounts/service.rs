//! Creating and editing accounts (server only): admins and leaders, validated, written with their
//! cohorts and audit event in one transaction.

use super::form::{AccountFields, AccountForm};
use crate::{
    audit::model::Actor,
    auth::authorize,
    db::{now_timestamp, Db},
    error::{AppError, AppResult},
    revisions::model::diff,
    users::model::Permission,
};
use serde_json::json;

/// A database refusal of the account's references, as the field the user can fix.
fn refusal(error: sqlx::Error) -> AppError {
    match &error {
        sqlx::Error::Database(e) if e.is_unique_violation() => {
            AppError::invalid("external_id", "another account already has this CRM id")
        }
        sqlx::Error::Database(e) if e.is_foreign_key_violation() => {
            AppError::invalid("owner_id", "the owner or segment does not exist")
        }
        _ => error.into(),
    }
}

/// Creates an account; returns its id.
pub async fn create(db: &Db, form: AccountForm) -> AppResult<i64> {
    let user = authorize(Permission::ManageAccounts)?;
    let fields = form.validate().map_err(AppError::Validation)?;
    let mut tx = db.begin_write().await?;
    check_references(&mut tx, &fields).await?;
    let id = super::db::insert(&mut tx, &fields, &now_timestamp())
        .await
        .map_err(refusal)?;
    tx.changes_account(id);
    super::db::set_cohorts(&mut tx, id, &fields.cohorts).await?;
    let changes = diff(None, &fields.values());
    record(
        &mut tx,
        &user,
        "account.created",
        id,
        json!({"changes": changes}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces the facts of account `id`.
pub async fn edit(db: &Db, id: i64, form: AccountForm) -> AppResult<()> {
    let user = authorize(Permission::ManageAccounts)?;
    let fields = form.validate().map_err(AppError::Validation)?;
    let mut tx = db.begin_write().await?;
    tx.changes_account(id);
    let before = super::db::fields(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("account".into()))?;
    check_references(&mut tx, &fields).await?;
    let changes = diff(Some(&before.values()), &fields.values());
    if !changes.is_empty() {
        super::db::update(&mut tx, id, &fields, &now_timestamp())
            .await
            .map_err(refusal)?;
        super::db::set_cohorts(&mut tx, id, &fields.cohorts).await?;
        record(
            &mut tx,
            &user,
            "account.updated",
            id,
            json!({"changes": changes}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Owner and segment must exist: said next to the field, before the database refuses.
async fn check_references(
    conn: &mut sqlx::SqliteConnection,
    fields: &AccountFields,
) -> AppResult<()> {
    let mut errors = Vec::new();
    if !super::db::segment_exists(conn, &fields.segment).await? {
        errors.push(crate::error::FieldError::new("segment", "is not a segment"));
    }
    if let Some(owner) = fields.owner_id {
        if !super::db::user_exists(conn, owner).await? {
            errors.push(crate::error::FieldError::new("owner_id", "is not a user"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

async fn record(
    conn: &mut sqlx::SqliteConnection,
    user: &crate::users::model::CurrentUser,
    action: &str,
    id: i64,
    summary: serde_json::Value,
) -> AppResult<()> {
    crate::audit::db::record(
        conn,
        &Actor::of(user),
        action,
        ("account", Some(&id.to_string())),
        &summary,
    )
    .await
}
