//! SQL for the admin pages (server only).

use super::model::{AuditEvent, AuditPage, AuditQuery, TokenSummary, UserSummary, AUDIT_PAGE_SIZE};
use crate::error::AppResult;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

/// Every user, with how many accounts they own.
pub async fn users(pool: &SqlitePool) -> AppResult<Vec<UserSummary>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, u.email, u.role, u.disabled_at, u.password_hash IS NOT NULL AS can_sign_in, \
                (SELECT count(*) FROM accounts a WHERE a.owner_id = u.id) AS accounts \
         FROM users u ORDER BY u.role = 'csm', u.name COLLATE NOCASE",
    )
    .fetch_all(pool)
    .await?)
}

/// Every API token, live ones first.
pub async fn tokens(pool: &SqlitePool) -> AppResult<Vec<TokenSummary>> {
    Ok(sqlx::query_as(
        "SELECT id, name, role, created_at, last_used_at, revoked_at FROM api_tokens \
         ORDER BY revoked_at IS NOT NULL, name",
    )
    .fetch_all(pool)
    .await?)
}

fn push_filters(sql: &mut QueryBuilder<'_, Sqlite>, query: &AuditQuery) {
    sql.push(" WHERE 1 = 1");
    if !query.actor.is_empty() {
        sql.push(" AND actor_name LIKE ")
            .push_bind(crate::db::like_contains(&query.actor))
            .push(" ESCAPE '\\'");
    }
    if !query.action.is_empty() {
        sql.push(" AND action LIKE ")
            .push_bind(crate::db::like_prefix(&query.action))
            .push(" ESCAPE '\\'");
    }
    if !query.object_type.is_empty() {
        sql.push(" AND object_type = ")
            .push_bind(query.object_type.clone());
    }
    if !query.from.is_empty() {
        sql.push(" AND at >= ").push_bind(query.from.clone());
    }
    if !query.to.is_empty() {
        // `at` is a timestamp: everything before the next day.
        sql.push(" AND at < date(")
            .push_bind(query.to.clone())
            .push(", '+1 day')");
    }
}

/// One page of audit events matching `query`, newest first.
pub async fn audit(pool: &SqlitePool, query: &AuditQuery) -> AppResult<AuditPage> {
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM audit_event");
    push_filters(&mut count, query);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    let mut select = QueryBuilder::<Sqlite>::new(
        "SELECT id, at, actor_kind, actor_name, action, object_type, object_id, summary FROM audit_event",
    );
    push_filters(&mut select, query);
    select
        .push(" ORDER BY id DESC LIMIT ")
        .push_bind(AUDIT_PAGE_SIZE)
        .push(" OFFSET ")
        .push_bind((query.page - 1) * AUDIT_PAGE_SIZE);
    let items: Vec<AuditEvent> = select.build_query_as().fetch_all(pool).await?;
    Ok(AuditPage { items, total })
}

/// Sets a user's role; false when there is no such user.
pub async fn set_role(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    role: crate::users::model::Role,
) -> AppResult<bool> {
    let done = sqlx::query("UPDATE users SET role = ? WHERE id = ?")
        .bind(role)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables a user and ends all their sessions at once; false when there is no enabled user.
pub async fn disable(
    conn: &mut sqlx::SqliteConnection,
    user_id: i64,
    now: &str,
) -> AppResult<bool> {
    let done = sqlx::query("UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes a live token; false when there is none with this id.
pub async fn revoke_token(
    conn: &mut sqlx::SqliteConnection,
    token_id: i64,
    now: &str,
) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(now)
            .bind(token_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Every target milestone: by metric, company-wide before segments, then by day.
pub async fn targets(pool: &SqlitePool) -> AppResult<Vec<super::targets::TargetRow>> {
    Ok(sqlx::query_as(
        "SELECT id, metric, segment, on_date, percent FROM targets \
         ORDER BY metric, segment IS NOT NULL, segment, on_date",
    )
    .fetch_all(pool)
    .await?)
}

/// Sets the milestone of `metric` for `segment` on `day` (replacing one that day); its id.
pub async fn save_target(
    conn: &mut sqlx::SqliteConnection,
    metric: &str,
    segment: Option<&str>,
    day: chrono::NaiveDate,
    percent: f64,
) -> AppResult<i64> {
    sqlx::query("DELETE FROM targets WHERE metric = ? AND segment IS ? AND on_date = ?")
        .bind(metric)
        .bind(segment)
        .bind(day)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO targets (metric, segment, on_date, percent) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(metric)
    .bind(segment)
    .bind(day)
    .bind(percent)
    .fetch_one(conn)
    .await?)
}

/// Removes the milestone `id`; what it was, if there was one.
pub async fn remove_target(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
) -> AppResult<Option<super::targets::TargetRow>> {
    Ok(sqlx::query_as(
        "DELETE FROM targets WHERE id = ? RETURNING id, metric, segment, on_date, percent",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Every cohort with its start date, by name.
pub async fn cohorts(pool: &SqlitePool) -> AppResult<Vec<super::targets::CohortRow>> {
    Ok(
        sqlx::query_as("SELECT name, started_on FROM cohorts ORDER BY name COLLATE NOCASE")
            .fetch_all(pool)
            .await?,
    )
}

/// Sets the start date of cohort `name`; false when there is no such cohort.
pub async fn set_cohort_start(
    conn: &mut sqlx::SqliteConnection,
    name: &str,
    day: Option<chrono::NaiveDate>,
) -> AppResult<bool> {
    Ok(
        sqlx::query("UPDATE cohorts SET started_on = ? WHERE name = ?")
            .bind(day)
            .bind(name)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}
