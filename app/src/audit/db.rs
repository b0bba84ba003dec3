//! SQL for the audit log (server only).

use super::model::Actor;
use crate::error::AppResult;
use sqlx::SqliteConnection;

/// Appends one event to the audit log, on the caller's connection so that it commits (or rolls
/// back) together with the change it describes. `summary` is a JSON object of what changed.
pub async fn record(
    conn: &mut SqliteConnection,
    actor: &Actor,
    action: &str,
    object: (&str, Option<&str>),
    summary: &serde_json::Value,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_event (at, actor_kind, actor_id, actor_name, action, object_type, object_id, summary) \
         VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(actor.kind)
    .bind(actor.id)
    .bind(&actor.name)
    .bind(action)
    .bind(object.0)
    .bind(object.1)
    .bind(summary.to_string())
    .execute(conn)
    .await?;
    Ok(())
}
