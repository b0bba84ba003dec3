//! SQL for users.

use super::model::Role;

/// Creates a user with a password hash; returns its id. Fails on a duplicate email.
pub async fn insert_user(
    conn: &mut sqlx::SqliteConnection,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
    now: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (email, name, role, password_hash, created_at) \
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(role)
    .bind(password_hash)
    .bind(now)
    .fetch_one(conn)
    .await
}
