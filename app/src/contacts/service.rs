//! Changing contacts (server only): authorised against the account's owner, validated, written
//! with its audit event in one transaction.

use super::{
    db,
    model::{ContactFields, ContactForm},
};
use crate::{
    audit::model::Actor,
    auth::authorize_account_content,
    db::{now_timestamp, Db},
    error::{AppError, AppResult},
    revisions::model::diff,
};
use serde_json::json;

/// Adds a contact to account `account_id`; returns its id.
pub async fn create(db: &Db, account_id: i64, form: ContactForm) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    tx.changes_account(account_id);
    let user = authorize_account_content(&mut tx, account_id).await?;
    let fields = form.validate().map_err(AppError::Validation)?;
    let id = add(&mut tx, &user, account_id, &fields).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a checked contact and its audit event inside the caller's transaction (`user` was
/// authorised for the account), e.g. a contact added while recording a review; returns its id.
pub async fn add(
    conn: &mut sqlx::SqliteConnection,
    user: &crate::users::model::CurrentUser,
    account_id: i64,
    fields: &ContactFields,
) -> AppResult<i64> {
    let id = db::insert(conn, account_id, fields, &now_timestamp()).await?;
    let changes = diff(None, &fields.values());
    record(
        conn,
        user,
        "contact.created",
        (id, account_id),
        json!({"changes": changes}),
    )
    .await?;
    Ok(id)
}

/// Replaces the fields of contact `id`; returns its account's id.
pub async fn edit(db: &Db, id: i64, form: ContactForm) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let contact = db::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("contact".into()))?;
    tx.changes_account(contact.account_id);
    let user = authorize_account_content(&mut tx, contact.account_id).await?;
    let fields = form.validate().map_err(AppError::Validation)?;
    let changes = diff(
        Some(&ContactFields::of(&contact).values()),
        &fields.values(),
    );
    if !changes.is_empty() {
        db::update(&mut tx, id, &fields).await?;
        let object = (id, contact.account_id);
        record(
            &mut tx,
            &user,
            "contact.updated",
            object,
            json!({"changes": changes}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(contact.account_id)
}

/// Removes contact `id`: archived if it attended a review, deleted otherwise. Returns its
/// account's id.
pub async fn remove(db: &Db, id: i64) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let contact = db::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("contact".into()))?;
    tx.changes_account(contact.account_id);
    let user = authorize_account_content(&mut tx, contact.account_id).await?;
    let action = if db::attended(&mut tx, id).await? {
        db::archive(&mut tx, id, &now_timestamp()).await?;
        "contact.archived"
    } else {
        db::delete(&mut tx, id).await?;
        "contact.deleted"
    };
    let summary = json!({"name": contact.name, "role": contact.role});
    record(&mut tx, &user, action, (id, contact.account_id), summary).await?;
    tx.commit().await?;
    Ok(contact.account_id)
}

async fn record(
    conn: &mut sqlx::SqliteConnection,
    user: &crate::users::model::CurrentUser,
    action: &str,
    (id, account_id): (i64, i64),
    mut summary: serde_json::Value,
) -> AppResult<()> {
    summary["account_id"] = json!(account_id);
    crate::audit::db::record(
        conn,
        &Actor::of(user),
        action,
        ("contact", Some(&id.to_string())),
        &summary,
    )
    .await
}
