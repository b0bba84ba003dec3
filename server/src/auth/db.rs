//! SQL for sign-in and sessions.

use app::users::model::CurrentUser;
use sqlx::{FromRow, SqlitePool};

/// A user who may sign in: enabled and with a password.
#[derive(FromRow)]
pub struct Credentials {
    pub id: i64,
    pub name: String,
    pub password_hash: String,
}

/// The enabled user with `email` (case-insensitive) and a password, if any.
pub async fn credentials(pool: &SqlitePool, email: &str) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as(
        "SELECT id, name, password_hash FROM users \
         WHERE email = ? AND disabled_at IS NULL AND password_hash IS NOT NULL",
    )
    .bind(email)
    .fetch_optional(pool)
    .await
}

/// A live session with its user, as stored.
#[derive(FromRow)]
pub struct SessionRow {
    #[sqlx(flatten)]
    pub user: CurrentUser,
    pub created_at: String,
    pub last_seen_at: String,
}

/// The session with `id_hash`, if its user is still enabled.
pub async fn session(pool: &SqlitePool, id_hash: &str) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query_as(
        "SELECT u.id, u.name, u.email, u.role, s.created_at, s.last_seen_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = ? AND u.disabled_at IS NULL",
    )
    .bind(id_hash)
    .fetch_optional(pool)
    .await
}

/// Stores a new session.
pub async fn create_session(
    pool: &SqlitePool,
    id_hash: &str,
    user_id: i64,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(now)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ())
}

/// Records activity on a session (for the idle timeout).
pub async fn touch_session(pool: &SqlitePool, id_hash: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?")
        .bind(now)
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Ends a session.
pub async fn delete_session(pool: &SqlitePool, id_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ())
}
