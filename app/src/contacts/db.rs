//! SQL for contacts (server only).

use super::model::ContactFields;
use crate::accounts::model::Contact;
use crate::error::AppResult;
use sqlx::SqliteConnection;

/// A contact that is not archived.
pub async fn find(conn: &mut SqliteConnection, id: i64) -> AppResult<Option<Contact>> {
    Ok(sqlx::query_as(
        "SELECT id, account_id, name, email, title, role FROM contacts \
         WHERE id = ? AND archived_at IS NULL",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Whether the contact attended any review.
pub async fn attended(conn: &mut SqliteConnection, id: i64) -> AppResult<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM review_attendees WHERE contact_id = ?)")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// Adds a contact to an account; returns its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    account_id: i64,
    fields: &ContactFields,
    now: &str,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO contacts (account_id, name, email, title, role, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(account_id)
    .bind(&fields.name)
    .bind(&fields.email)
    .bind(&fields.title)
    .bind(fields.role)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Replaces a contact's fields.
pub async fn update(conn: &mut SqliteConnection, id: i64, fields: &ContactFields) -> AppResult<()> {
    sqlx::query("UPDATE contacts SET name = ?, email = ?, title = ?, role = ? WHERE id = ?")
        .bind(&fields.name)
        .bind(&fields.email)
        .bind(&fields.title)
        .bind(fields.role)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Archives a contact: gone from the account, kept for the reviews it attended.
pub async fn archive(conn: &mut SqliteConnection, id: i64, now: &str) -> AppResult<()> {
    sqlx::query("UPDATE contacts SET archived_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes a contact who never attended a review.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM contacts WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
