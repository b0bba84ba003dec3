//! SQL for Business Outcome Reviews (server only).

use super::model::{
    counts, AssessableOutcome, Assessment, Attendee, AttendeeKind, Draft, Review, ReviewSummary,
};
use crate::accounts::model::ContactRole;
use crate::error::AppResult;
use crate::outcomes::model::OutcomeStatus;
use chrono::NaiveDate;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use std::collections::HashMap;

/// The condition that review `r` counts (see [`counts`]): held, not cancelled, with an assessment.
pub const COUNTING: &str = "r.held_on IS NOT NULL AND r.cancelled_at IS NULL \
     AND EXISTS (SELECT 1 FROM assessments x WHERE x.review_id = r.id)";

/// The contact roles that make an executive, as an SQL list, from the one rule in
/// [`ContactRole::is_executive`].
pub fn executive_roles() -> String {
    ContactRole::ALL
        .into_iter()
        .filter(|role| role.is_executive())
        .map(|role| format!("'{}'", role.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQL condition that a customer executive attended review `r`.
pub fn executive_present() -> String {
    format!(
        "EXISTS (SELECT 1 FROM review_attendees ra JOIN contacts c ON c.id = ra.contact_id \
                 WHERE ra.review_id = r.id AND c.role IN ({}))",
        executive_roles()
    )
}

#[derive(FromRow)]
struct SummaryRow {
    id: i64,
    scheduled_on: Option<NaiveDate>,
    held_on: Option<NaiveDate>,
    cancelled: bool,
    assessments: i64,
    attendees: i64,
    executive_present: bool,
}

/// The account's reviews, latest first, with who attended summarised.
pub async fn for_account(pool: &SqlitePool, account_id: i64) -> AppResult<Vec<ReviewSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.scheduled_on, r.held_on, r.cancelled_at IS NOT NULL AS cancelled, \
                (SELECT count(*) FROM assessments x WHERE x.review_id = r.id) AS assessments, \
                (SELECT count(*) FROM review_attendees ra WHERE ra.review_id = r.id) AS attendees, \
                {} AS executive_present \
         FROM reviews r WHERE r.account_id = ? \
         ORDER BY coalesce(r.held_on, r.scheduled_on) DESC, r.id DESC",
        executive_present()
    ))
    .bind(account_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ReviewSummary {
            id: row.id,
            scheduled_on: row.scheduled_on,
            held_on: row.held_on,
            cancelled: row.cancelled,
            assessments: row.assessments,
            attendees: row.attendees,
            executive_present: row.executive_present,
        })
        .collect())
}

#[derive(FromRow)]
struct ReviewRow {
    id: i64,
    account_id: i64,
    scheduled_on: Option<NaiveDate>,
    held_on: Option<NaiveDate>,
    cancelled_at: Option<String>,
    cancel_reason: Option<String>,
    notes: String,
    revision: i64,
}

const REVIEW_COLUMNS: &str = "r.id, r.account_id, r.scheduled_on, r.held_on, r.cancelled_at, \
     r.cancel_reason, r.notes, r.revision";

/// Fills in the attendees and assessments of `rows`, in two queries whatever their number.
async fn complete(conn: &mut SqliteConnection, rows: Vec<ReviewRow>) -> AppResult<Vec<Review>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut attendees: HashMap<i64, Vec<Attendee>> = HashMap::new();
    let mut query = QueryBuilder::<Sqlite>::new(
        "SELECT ra.review_id, \
                CASE WHEN ra.contact_id IS NULL THEN 'user' ELSE 'contact' END AS kind, \
                coalesce(ra.contact_id, ra.user_id) AS id, \
                coalesce(c.name, u.name) AS name, coalesce(c.role, u.role) AS role \
         FROM review_attendees ra \
         LEFT JOIN contacts c ON c.id = ra.contact_id \
         LEFT JOIN users u ON u.id = ra.user_id \
         WHERE ra.review_id IN (",
    );
    push_ids(&mut query, &rows);
    query.push(") ORDER BY ra.review_id, kind, name");
    let found: Vec<(i64, String, i64, String, String)> =
        query.build_query_as().fetch_all(&mut *conn).await?;
    for (review_id, kind, id, name, role) in found {
        let kind = if kind == "contact" {
            AttendeeKind::Contact
        } else {
            AttendeeKind::User
        };
        attendees.entry(review_id).or_default().push(Attendee {
            kind,
            id,
            name,
            role,
        });
    }
    let mut assessments: HashMap<i64, Vec<Assessment>> = HashMap::new();
    let mut query = QueryBuilder::<Sqlite>::new(
        "SELECT review_id, outcome_id, status, comment FROM assessments WHERE review_id IN (",
    );
    push_ids(&mut query, &rows);
    query.push(") ORDER BY review_id, outcome_id");
    let found: Vec<(i64, i64, OutcomeStatus, String)> =
        query.build_query_as().fetch_all(&mut *conn).await?;
    for (review_id, outcome_id, status, comment) in found {
        assessments.entry(review_id).or_default().push(Assessment {
            outcome_id,
            status,
            comment,
        });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let attendees = attendees.remove(&row.id).unwrap_or_default();
            let assessments = assessments.remove(&row.id).unwrap_or_default();
            Review {
                id: row.id,
                account_id: row.account_id,
                scheduled_on: row.scheduled_on,
                held_on: row.held_on,
                cancelled: row.cancelled_at.is_some(),
                cancel_reason: row.cancel_reason,
                counts: row.cancelled_at.is_none() && counts(row.held_on, assessments.len()),
                executive_present: attendees.iter().any(Attendee::is_executive),
                attendees,
                assessments,
                notes: row.notes,
                revision: row.revision,
            }
        })
        .collect())
}

fn push_ids(query: &mut QueryBuilder<'_, Sqlite>, rows: &[ReviewRow]) {
    let mut ids = query.separated(", ");
    for row in rows {
        ids.push_bind(row.id);
    }
}

/// Review `id`, whole.
pub async fn find(conn: &mut SqliteConnection, id: i64) -> AppResult<Option<Review>> {
    let row: Option<ReviewRow> = sqlx::query_as(&format!(
        "SELECT {REVIEW_COLUMNS} FROM reviews r WHERE r.id = ?"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(complete(conn, row.into_iter().collect()).await?.pop())
}

/// What the reviews API filters by: one account, and a date range on the held (else scheduled)
/// date.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReviewFilter {
    /// Only this account's reviews.
    pub account_id: Option<i64>,
    /// Held or scheduled on or after this day.
    pub from: Option<NaiveDate>,
    /// Held or scheduled on or before this day.
    pub to: Option<NaiveDate>,
}

fn push_filter(query: &mut QueryBuilder<'_, Sqlite>, filter: &ReviewFilter) {
    query.push(" WHERE 1 = 1");
    if let Some(account_id) = filter.account_id {
        query.push(" AND r.account_id = ").push_bind(account_id);
    }
    if let Some(from) = filter.from {
        query
            .push(" AND coalesce(r.held_on, r.scheduled_on) >= ")
            .push_bind(from);
    }
    if let Some(to) = filter.to {
        query
            .push(" AND coalesce(r.held_on, r.scheduled_on) <= ")
            .push_bind(to);
    }
}

/// One window of the reviews matching `filter`, by date, and how many match in all.
pub async fn list(
    pool: &SqlitePool,
    filter: &ReviewFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Review>, i64)> {
    let mut conn = pool.acquire().await?;
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM reviews r");
    push_filter(&mut count, filter);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {REVIEW_COLUMNS} FROM reviews r"));
    push_filter(&mut query, filter);
    query
        .push(" ORDER BY coalesce(r.held_on, r.scheduled_on), r.id LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    let rows: Vec<ReviewRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    Ok((complete(&mut conn, rows).await?, total))
}

/// The day of the latest counting review of account `account_id` held on or before `on`.
pub async fn last_counting_on(
    conn: &mut SqliteConnection,
    account_id: i64,
    on: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT max(r.held_on) FROM reviews r \
         WHERE r.account_id = ? AND r.held_on <= ? AND {COUNTING}"
    ))
    .bind(account_id)
    .bind(on)
    .fetch_one(conn)
    .await?)
}

/// The review standing of `account` on day `on` (see [`super::status::standing`]).
pub async fn standing(
    conn: &mut SqliteConnection,
    account: &crate::accounts::model::Account,
    grace_days: i64,
    on: NaiveDate,
) -> AppResult<super::status::Standing> {
    let last = last_counting_on(conn, account.id, on).await?;
    Ok(super::status::standing(
        account.start_date,
        account.cadence_days,
        grace_days,
        last,
        on,
    ))
}

/// Creates a review; answers its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    account_id: i64,
    scheduled_on: Option<NaiveDate>,
    held_on: Option<NaiveDate>,
    notes: &str,
    author_id: i64,
    now: &str,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO reviews (account_id, scheduled_on, held_on, notes, created_by, created_at, \
                              updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(account_id)
    .bind(scheduled_on)
    .bind(held_on)
    .bind(notes)
    .bind(author_id)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// How a review changes.
pub struct ReviewUpdate<'a> {
    /// The planned date.
    pub scheduled_on: Option<NaiveDate>,
    /// The day it was held.
    pub held_on: Option<NaiveDate>,
    /// The notes.
    pub notes: &'a str,
    /// Cancellation: `(when, why)`.
    pub cancelled: Option<(&'a str, &'a str)>,
}

/// Writes the fields of review `id` if it is still at `base_revision`, moving it to the next
/// revision; false when it is not.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    base_revision: i64,
    update: &ReviewUpdate<'_>,
    now: &str,
) -> AppResult<bool> {
    let (cancelled_at, cancel_reason) = update.cancelled.unzip();
    let result = sqlx::query(
        "UPDATE reviews SET scheduled_on = ?, held_on = ?, notes = ?, cancelled_at = ?, \
                cancel_reason = ?, revision = revision + 1, updated_at = ? \
         WHERE id = ? AND revision = ?",
    )
    .bind(update.scheduled_on)
    .bind(update.held_on)
    .bind(update.notes)
    .bind(cancelled_at)
    .bind(cancel_reason)
    .bind(now)
    .bind(id)
    .bind(base_revision)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Replaces who attended review `id`.
pub async fn set_attendees(
    conn: &mut SqliteConnection,
    id: i64,
    attendees: &[(AttendeeKind, i64)],
) -> AppResult<()> {
    sqlx::query("DELETE FROM review_attendees WHERE review_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (kind, person) in attendees {
        let (contact, user) = match kind {
            AttendeeKind::Contact => (Some(person), None),
            AttendeeKind::User => (None, Some(person)),
        };
        sqlx::query(
            "INSERT INTO review_attendees (review_id, contact_id, user_id) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(contact)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Replaces the assessments of review `id`.
pub async fn set_assessments(
    conn: &mut SqliteConnection,
    id: i64,
    assessments: &[Assessment],
) -> AppResult<()> {
    sqlx::query("DELETE FROM assessments WHERE review_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for a in assessments {
        sqlx::query(
            "INSERT INTO assessments (review_id, outcome_id, status, comment) VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(a.outcome_id)
        .bind(a.status)
        .bind(&a.comment)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Who can attend a review of account `account_id`: its contacts (and, for review `review_id`,
/// archived ones who attended it), and from our side the account's owner, `user_id` (who records
/// it), admins, leaders and pilot users, and whoever attended one of its reviews before. Not every
/// CSM: a large team would bury the few who matter.
pub async fn attendee_options(
    conn: &mut SqliteConnection,
    account_id: i64,
    review_id: Option<i64>,
    user_id: i64,
) -> AppResult<(Vec<Attendee>, Vec<Attendee>)> {
    let contacts: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT c.id, c.name, c.role FROM contacts c \
         WHERE c.account_id = ? AND (c.archived_at IS NULL OR c.id IN \
               (SELECT contact_id FROM review_attendees WHERE review_id = ?)) \
         ORDER BY c.role IN ({}) DESC, c.name",
        executive_roles()
    ))
    .bind(account_id)
    .bind(review_id.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    let users: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.name, u.role FROM users u \
         WHERE (u.disabled_at IS NULL AND (u.role IN ('admin', 'leader', 'pilot') \
                  OR u.id = ? OR u.id = (SELECT owner_id FROM accounts WHERE id = ?))) \
            OR u.id IN (SELECT ra.user_id FROM review_attendees ra \
                        JOIN reviews r ON r.id = ra.review_id WHERE r.account_id = ?) \
         ORDER BY u.name",
    )
    .bind(user_id)
    .bind(account_id)
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    let person = |kind| {
        move |(id, name, role): (i64, String, String)| Attendee {
            kind,
            id,
            name,
            role,
        }
    };
    Ok((
        contacts
            .into_iter()
            .map(person(AttendeeKind::Contact))
            .collect(),
        users.into_iter().map(person(AttendeeKind::User)).collect(),
    ))
}

/// The outcomes of account `account_id` that a review held around `on` can assess: current that
/// day, or already assessed in review `review_id`.
pub async fn assessable_outcomes(
    conn: &mut SqliteConnection,
    account_id: i64,
    on: NaiveDate,
    review_id: Option<i64>,
) -> AppResult<Vec<AssessableOutcome>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.title, o.status FROM outcomes o \
         WHERE o.account_id = ? \
           AND ((o.valid_from <= ? AND ? <= o.expires_on \
                 AND (o.retired_on IS NULL OR o.retired_on > ?)) \
                OR o.id IN (SELECT outcome_id FROM assessments WHERE review_id = ?)) \
         ORDER BY o.valid_from, o.id",
    )
    .bind(account_id)
    .bind(on)
    .bind(on)
    .bind(on)
    .bind(review_id.unwrap_or(0))
    .fetch_all(conn)
    .await?)
}

/// The signed-in user's draft of a review form (`review_id` 0: a new review of the account).
pub async fn draft(
    conn: &mut SqliteConnection,
    user_id: i64,
    account_id: i64,
    review_id: i64,
) -> AppResult<Option<Draft>> {
    #[derive(FromRow)]
    struct DraftRow {
        body: sqlx::types::Json<Vec<(String, String)>>,
        saved_at: String,
    }
    let found: Option<DraftRow> = sqlx::query_as(
        "SELECT body, saved_at FROM review_drafts \
         WHERE user_id = ? AND account_id = ? AND review_id = ?",
    )
    .bind(user_id)
    .bind(account_id)
    .bind(review_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|row| Draft {
        values: row.body.0,
        saved_at: row.saved_at,
    }))
}

/// Keeps (or replaces) a draft.
pub async fn save_draft(
    conn: &mut SqliteConnection,
    (user_id, account_id, review_id): (i64, i64, i64),
    values: &[(String, String)],
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO review_drafts (user_id, account_id, review_id, body, saved_at) \
         VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (user_id, account_id, review_id) \
         DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at",
    )
    .bind(user_id)
    .bind(account_id)
    .bind(review_id)
    .bind(sqlx::types::Json(values))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Drops a draft once its form was saved (or the user discarded it).
pub async fn delete_draft(
    conn: &mut SqliteConnection,
    (user_id, account_id, review_id): (i64, i64, i64),
) -> AppResult<()> {
    sqlx::query("DELETE FROM review_drafts WHERE user_id = ? AND account_id = ? AND review_id = ?")
        .bind(user_id)
        .bind(account_id)
        .bind(review_id)
        .execute(conn)
        .await?;
    Ok(())
}
