//! API tokens: `Authorization: Bearer <token>` for other systems, acting with the token's role.

use super::{hash_secret, new_secret};
use app::db::now_timestamp;
use app::users::model::{CurrentUser, Role};
use app::{audit::model::Actor, db::Db};
use sqlx::FromRow;

/// Prefix of every token, so that a leaked one is recognisable in logs and secret scanners.
const PREFIX: &str = "ks_";

#[derive(FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    role: Role,
    last_used_at: Option<String>,
}

/// Creates a token named `name` with `role`; returns the token, which is not stored anywhere.
pub async fn create(db: &Db, name: &str, role: Role, actor: &Actor) -> anyhow::Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        anyhow::bail!("--name must be 1 to 100 characters");
    }
    let token = format!("{PREFIX}{}", new_secret());
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(role)
    .bind(hash_secret(&token))
    .bind(now_timestamp())
    .fetch_one(&mut **tx)
    .await
    .map_err(|error| match error {
        sqlx::Error::Database(e) if e.is_unique_violation() => {
            anyhow::anyhow!("a token named {name:?} already exists")
        }
        other => anyhow::Error::from(other),
    })?;
    app::audit::db::record(
        &mut tx,
        actor,
        "token.created",
        ("api_token", Some(&id.to_string())),
        &serde_json::json!({"name": name, "role": role.as_str()}),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Revokes the token named `name`; false when there is no such live token.
pub async fn revoke(db: &Db, name: &str, actor: &Actor) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL RETURNING id",
    )
    .bind(now_timestamp())
    .bind(name)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = id else {
        return Ok(false);
    };
    app::audit::db::record(
        &mut tx,
        actor,
        "token.revoked",
        ("api_token", Some(&id.to_string())),
        &serde_json::json!({"name": name}),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The live token matching `token`, as the principal it acts as.
pub async fn authenticate(db: &Db, token: &str) -> sqlx::Result<Option<CurrentUser>> {
    let row: Option<TokenRow> = sqlx::query_as(
        "SELECT id, name, role, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
    )
    .bind(hash_secret(token))
    .fetch_optional(&db.read)
    .await?;
    if let Some(row) = row
        .as_ref()
        .filter(|row| super::older_than_a_minute(row.last_used_at.as_deref()))
    {
        // Best effort, at most once a minute: knowing when a token was last used helps admins
        // retire unused ones, and it must not put every API call behind the one writer.
        let _ = sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
            .bind(now_timestamp())
            .bind(row.id)
            .execute(&db.write)
            .await;
    }
    Ok(row.map(|row| CurrentUser {
        id: row.id,
        name: row.name,
        email: String::new(),
        role: row.role,
        via_token: true,
    }))
}
