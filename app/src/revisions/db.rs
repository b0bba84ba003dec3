//! Writing and reading revisions (server only): one implementation for every history.

use super::model::{Changes, Revision};
use crate::error::AppResult;
use sqlx::SqliteConnection;

/// Which record's history: the table holding it and the column naming the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum History {
    /// `outcome_revisions`, by `outcome_id`.
    Outcome,
    /// `review_revisions`, by `review_id`.
    Review,
}

impl History {
    fn table_and_key(self) -> (&'static str, &'static str) {
        match self {
            Self::Outcome => ("outcome_revisions", "outcome_id"),
            Self::Review => ("review_revisions", "review_id"),
        }
    }
}

/// Records revision `revision` of record `id`.
#[allow(clippy::too_many_arguments)] // one per column of a revision
pub async fn insert(
    conn: &mut SqliteConnection,
    history: History,
    id: i64,
    revision: i64,
    author_id: Option<i64>,
    reason: &str,
    changes: &Changes,
    now: &str,
) -> AppResult<()> {
    let (table, key) = history.table_and_key();
    sqlx::query(&format!(
        "INSERT INTO {table} ({key}, revision, author_id, changed_at, reason, changes) \
         VALUES (?, ?, ?, ?, ?, ?)"
    ))
    .bind(id)
    .bind(revision)
    .bind(author_id)
    .bind(now)
    .bind(reason)
    .bind(sqlx::types::Json(changes))
    .execute(conn)
    .await?;
    Ok(())
}

/// The revisions of record `id` after `after` (0 for all), newest first.
pub async fn after(
    conn: &mut SqliteConnection,
    history: History,
    id: i64,
    after: i64,
) -> AppResult<Vec<Revision>> {
    let (table, key) = history.table_and_key();
    Ok(sqlx::query_as(&format!(
        "SELECT r.revision, coalesce(u.name, 'Keystone') AS author_name, r.changed_at, r.reason, \
                r.changes \
         FROM {table} r LEFT JOIN users u ON u.id = r.author_id \
         WHERE r.{key} = ? AND r.revision > ? ORDER BY r.revision DESC"
    ))
    .bind(id)
    .bind(after)
    .fetch_all(conn)
    .await?)
}
