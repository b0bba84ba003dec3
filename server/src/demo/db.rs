//! Bulk inserts of generated demo records, in multi-row statements so that 100,000 accounts
//! load in seconds rather than minutes.

use super::generate::{Bundle, NewUser};
use chrono::NaiveDate;
use sqlx::{query_builder::Separated, QueryBuilder, Sqlite, SqliteConnection};

/// SQLite's limit on bound parameters per statement, with room to spare.
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` into `table` in as few statements as the parameter limit allows.
async fn insert<T>(
    conn: &mut SqliteConnection,
    table: &str,
    columns: &[&str],
    rows: &[T],
    bind: impl Fn(&mut Separated<'_, '_, Sqlite, &'static str>, &T),
) -> sqlx::Result<()> {
    let per_statement = (MAX_PARAMS / columns.len()).max(1);
    for chunk in rows.chunks(per_statement) {
        let mut sql =
            QueryBuilder::<Sqlite>::new(format!("INSERT INTO {table} ({}) ", columns.join(", ")));
        sql.push_values(chunk, |mut row, value| bind(&mut row, value));
        sql.build().persistent(true).execute(&mut *conn).await?;
    }
    Ok(())
}

/// True when the database has no accounts and no users yet.
pub async fn is_empty(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    let used: i64 =
        sqlx::query_scalar("SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM users)")
            .fetch_one(&mut *conn)
            .await?;
    Ok(used == 0)
}

/// Inserts the demo users, all with the same password hash.
pub async fn insert_users(
    conn: &mut SqliteConnection,
    users: &[NewUser],
    password_hash: &str,
    now: &str,
) -> sqlx::Result<()> {
    let columns = ["id", "email", "name", "role", "password_hash", "created_at"];
    insert(conn, "users", &columns, users, |row, u| {
        row.push_bind(u.id)
            .push_bind(u.email.clone())
            .push_bind(u.name.clone())
            .push_bind(u.role)
            .push_bind(password_hash.to_string())
            .push_bind(now.to_string());
    })
    .await
}

/// Inserts the demo's target ramps.
pub async fn insert_targets(
    conn: &mut SqliteConnection,
    targets: &[(&'static str, NaiveDate, f64)],
) -> sqlx::Result<()> {
    insert(
        conn,
        "targets",
        &["metric", "on_date", "percent"],
        targets,
        |row, t| {
            row.push_bind(t.0).push_bind(t.1).push_bind(t.2);
        },
    )
    .await
}

/// Creates the `pilot` cohort, started on `started_on`, and returns its id.
pub async fn pilot_cohort(conn: &mut SqliteConnection, started_on: NaiveDate) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO cohorts (name, started_on) VALUES ('pilot', ?) RETURNING id")
        .bind(started_on)
        .fetch_one(&mut *conn)
        .await
}

/// Inserts one generated bundle of accounts and everything that hangs off them.
pub async fn insert_bundle(
    conn: &mut SqliteConnection,
    bundle: &Bundle,
    pilot_cohort: i64,
    now: &str,
) -> sqlx::Result<()> {
    insert(
        conn,
        "accounts",
        &[
            "id",
            "name",
            "external_id",
            "owner_id",
            "segment",
            "arr",
            "start_date",
            "end_date",
            "renewal_date",
            "cadence_days",
            "created_at",
            "updated_at",
        ],
        &bundle.accounts,
        |row, a| {
            row.push_bind(a.id)
                .push_bind(a.name.clone())
                .push_bind(a.external_id.clone())
                .push_bind(a.owner_id)
                .push_bind(a.segment)
                .push_bind(a.arr)
                .push_bind(a.start_date)
                .push_bind(a.end_date)
                .push_bind(a.renewal_date)
                .push_bind(a.cadence_days)
                .push_bind(now.to_string())
                .push_bind(now.to_string());
        },
    )
    .await?;
    let pilots: Vec<i64> = bundle
        .accounts
        .iter()
        .filter(|a| a.pilot)
        .map(|a| a.id)
        .collect();
    insert(
        conn,
        "account_cohorts",
        &["account_id", "cohort_id"],
        &pilots,
        |row, id| {
            row.push_bind(*id).push_bind(pilot_cohort);
        },
    )
    .await?;
    insert(
        conn,
        "contacts",
        &[
            "id",
            "account_id",
            "name",
            "email",
            "title",
            "role",
            "created_at",
        ],
        &bundle.contacts,
        |row, c| {
            row.push_bind(c.id)
                .push_bind(c.account_id)
                .push_bind(c.name.clone())
                .push_bind(c.email.clone())
                .push_bind(c.title.clone())
                .push_bind(c.role)
                .push_bind(now.to_string());
        },
    )
    .await?;
    insert(
        conn,
        "outcomes",
        &[
            "id",
            "account_id",
            "title",
            "description",
            "success_measure",
            "baseline_value",
            "target_value",
            "unit",
            "valid_from",
            "expires_on",
            "retired_on",
            "status",
            "revision",
            "created_at",
            "updated_at",
        ],
        &bundle.outcomes,
        |row, o| {
            row.push_bind(o.id)
                .push_bind(o.account_id)
                .push_bind(o.title.clone())
                .push_bind(o.description.clone())
                .push_bind(o.success_measure.clone())
                .push_bind(o.baseline_value)
                .push_bind(o.target_value)
                .push_bind(o.unit.clone())
                .push_bind(o.valid_from)
                .push_bind(o.expires_on)
                .push_bind(o.retired_on)
                .push_bind(o.status)
                .push_bind(o.revision)
                .push_bind(o.created_at.clone())
                .push_bind(o.updated_at.clone());
        },
    )
    .await?;
    insert(
        conn,
        "outcome_revisions",
        &[
            "outcome_id",
            "revision",
            "author_id",
            "changed_at",
            "reason",
            "changes",
        ],
        &bundle.revisions,
        |row, r| {
            row.push_bind(r.outcome_id)
                .push_bind(r.revision)
                .push_bind(r.author_id)
                .push_bind(r.changed_at.clone())
                .push_bind(r.reason.clone())
                .push_bind(r.changes.clone());
        },
    )
    .await?;
    insert(
        conn,
        "reviews",
        &[
            "id",
            "account_id",
            "scheduled_on",
            "held_on",
            "cancelled_at",
            "cancel_reason",
            "notes",
            "created_by",
            "created_at",
            "updated_at",
        ],
        &bundle.reviews,
        |row, r| {
            row.push_bind(r.id)
                .push_bind(r.account_id)
                .push_bind(r.scheduled_on)
                .push_bind(r.held_on)
                .push_bind(r.cancelled_at.clone())
                .push_bind(r.cancel_reason.clone())
                .push_bind(r.notes.clone())
                .push_bind(r.created_by)
                .push_bind(r.created_at.clone())
                .push_bind(r.created_at.clone());
        },
    )
    .await?;
    insert(
        conn,
        "review_attendees",
        &["review_id", "contact_id", "user_id"],
        &bundle.attendees,
        |row, a| {
            row.push_bind(a.review_id)
                .push_bind(a.contact_id)
                .push_bind(a.user_id);
        },
    )
    .await?;
    insert(
        conn,
        "assessments",
        &["review_id", "outcome_id", "status", "comment"],
        &bundle.assessments,
        |row, a| {
            row.push_bind(a.review_id)
                .push_bind(a.outcome_id)
                .push_bind(a.status)
                .push_bind(a.comment.clone());
        },
    )
    .await?;
    insert(
        conn,
        "renewals",
        &["account_id", "due_on", "result", "arr_before", "arr_after"],
        &bundle.renewals,
        |row, r| {
            row.push_bind(r.account_id)
                .push_bind(r.due_on)
                .push_bind(r.result)
                .push_bind(r.arr_before)
                .push_bind(r.arr_after);
        },
    )
    .await
}
