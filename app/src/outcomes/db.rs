//! SQL for Business Outcomes and their revisions (server only).

use super::model::{Outcome, OutcomeFields};
use crate::error::AppResult;
use chrono::NaiveDate;
use sqlx::{SqliteConnection, SqlitePool};

const OUTCOME_COLUMNS: &str =
    "id, account_id, title, description, success_measure, baseline_value, \
     target_value, unit, valid_from, expires_on, retired_on, status, revision, updated_at";

/// The account's outcomes, latest validity first.
pub async fn for_account(pool: &SqlitePool, account_id: i64) -> AppResult<Vec<Outcome>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {OUTCOME_COLUMNS} FROM outcomes WHERE account_id = ? \
         ORDER BY valid_from DESC, id DESC"
    ))
    .bind(account_id)
    .fetch_all(pool)
    .await?)
}

/// One outcome, read on `conn` (a pool connection, or the transaction about to change it).
pub async fn find(conn: &mut SqliteConnection, id: i64) -> AppResult<Option<Outcome>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {OUTCOME_COLUMNS} FROM outcomes WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Creates an outcome at revision 1; returns its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    account_id: i64,
    fields: &OutcomeFields,
    now: &str,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outcomes (account_id, title, description, success_measure, baseline_value, \
             target_value, unit, valid_from, expires_on, status, revision, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
    )
    .bind(account_id)
    .bind(&fields.title)
    .bind(&fields.description)
    .bind(&fields.success_measure)
    .bind(fields.baseline_value)
    .bind(fields.target_value)
    .bind(&fields.unit)
    .bind(fields.valid_from)
    .bind(fields.expires_on)
    .bind(fields.status)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Writes the edited fields and the next revision number, only if the outcome is still at
/// `base_revision`; returns whether it was.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    base_revision: i64,
    fields: &OutcomeFields,
    now: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE outcomes SET title = ?, description = ?, success_measure = ?, baseline_value = ?, \
             target_value = ?, unit = ?, valid_from = ?, expires_on = ?, status = ?, \
             revision = revision + 1, updated_at = ? \
         WHERE id = ? AND revision = ?",
    )
    .bind(&fields.title)
    .bind(&fields.description)
    .bind(&fields.success_measure)
    .bind(fields.baseline_value)
    .bind(fields.target_value)
    .bind(&fields.unit)
    .bind(fields.valid_from)
    .bind(fields.expires_on)
    .bind(fields.status)
    .bind(now)
    .bind(id)
    .bind(base_revision)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the retirement day (or clears it) with the next revision number, only if the outcome is
/// still at `base_revision`.
pub async fn set_retired_on(
    conn: &mut SqliteConnection,
    id: i64,
    base_revision: i64,
    retired_on: Option<NaiveDate>,
    now: &str,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE outcomes SET retired_on = ?, revision = revision + 1, updated_at = ? \
         WHERE id = ? AND revision = ?",
    )
    .bind(retired_on)
    .bind(now)
    .bind(id)
    .bind(base_revision)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What the outcomes API filters by.
#[derive(Clone, Copy, Debug, Default)]
pub struct OutcomeFilter {
    /// Only this account's outcomes.
    pub account_id: Option<i64>,
    /// Only outcomes current on this day.
    pub current_on: Option<NaiveDate>,
}

fn push_outcome_filters(sql: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, filter: &OutcomeFilter) {
    sql.push(" WHERE 1 = 1");
    if let Some(account_id) = filter.account_id {
        sql.push(" AND account_id = ").push_bind(account_id);
    }
    if let Some(day) = filter.current_on {
        // DESIGN.md's "current", as model::is_current states it.
        sql.push(" AND valid_from <= ")
            .push_bind(day)
            .push(" AND expires_on >= ")
            .push_bind(day)
            .push(" AND (retired_on IS NULL OR retired_on > ")
            .push_bind(day)
            .push(")");
    }
}

/// `limit` outcomes matching `filter` by id after skipping `offset`, and how many match in all.
pub async fn list(
    pool: &SqlitePool,
    filter: &OutcomeFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Outcome>, i64)> {
    let mut count = sqlx::QueryBuilder::new("SELECT count(*) FROM outcomes");
    push_outcome_filters(&mut count, filter);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    let mut select = sqlx::QueryBuilder::new(format!("SELECT {OUTCOME_COLUMNS} FROM outcomes"));
    push_outcome_filters(&mut select, filter);
    select
        .push(" ORDER BY id LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    let items = select.build_query_as().fetch_all(pool).await?;
    Ok((items, total))
}
