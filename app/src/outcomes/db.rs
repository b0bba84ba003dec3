//! SQL for Business Outcomes (server only).

use super::model::Outcome;
use crate::error::AppResult;
use sqlx::SqlitePool;

/// The account's outcomes, latest validity first.
pub async fn for_account(pool: &SqlitePool, account_id: i64) -> AppResult<Vec<Outcome>> {
    Ok(sqlx::query_as(
        "SELECT id, account_id, title, description, success_measure, baseline_value, \
                target_value, unit, valid_from, expires_on, retired_on, status, revision, updated_at \
         FROM outcomes WHERE account_id = ? ORDER BY valid_from DESC, id DESC",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?)
}
