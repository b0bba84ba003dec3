//! SQL for accounts, contacts and renewals (server only).

use super::model::{
    page_count, Account, AccountPage, AccountQuery, AccountSort, Contact, FilterOptions, Renewal,
    PAGE_SIZE,
};
use crate::error::AppResult;
use chrono::NaiveDate;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqlitePool};

/// Separates cohort names in the aggregated column (a character no name contains).
const COHORT_SEPARATOR: char = '\u{1f}';

/// The columns of [`Account`], joined with its owner and segment.
const ACCOUNT_SELECT: &str = "\
    SELECT a.id, a.name, a.external_id, a.owner_id, u.name AS owner_name, a.segment, a.arr, \
           a.start_date, a.end_date, a.renewal_date, \
           coalesce(a.cadence_days, s.cadence_days) AS cadence_days, \
           (SELECT group_concat(c.name, char(31)) FROM account_cohorts ac \
              JOIN cohorts c ON c.id = ac.cohort_id WHERE ac.account_id = a.id) AS cohorts \
    FROM accounts a \
    JOIN segments s ON s.name = a.segment \
    LEFT JOIN users u ON u.id = a.owner_id";

#[derive(FromRow)]
struct AccountRow {
    id: i64,
    name: String,
    external_id: Option<String>,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    segment: String,
    arr: i64,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    renewal_date: Option<NaiveDate>,
    cadence_days: i64,
    cohorts: Option<String>,
}

impl From<AccountRow> for Account {
    fn from(row: AccountRow) -> Self {
        let mut cohorts: Vec<String> = row
            .cohorts
            .unwrap_or_default()
            .split(COHORT_SEPARATOR)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        cohorts.sort();
        Account {
            id: row.id,
            name: row.name,
            external_id: row.external_id,
            owner_id: row.owner_id,
            owner_name: row.owner_name,
            segment: row.segment,
            arr: row.arr,
            start_date: row.start_date,
            end_date: row.end_date,
            renewal_date: row.renewal_date,
            cadence_days: row.cadence_days,
            cohorts,
        }
    }
}

/// The owner a listing is filtered by, once the viewer's default is resolved.
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    /// Only this owner's accounts, when set.
    pub owner: Option<i64>,
    /// "Today", for the current-outcome and renewal-window filters.
    pub today: NaiveDate,
}

/// DESIGN.md's "current" on `day` for outcome `o`, as outcomes::model::is_current states it
/// (the columns of a covering index, so no table row is read).
fn push_current_on(sql: &mut QueryBuilder<'_, Sqlite>, day: NaiveDate) {
    sql.push(" AND o.expires_on >= ")
        .push_bind(day)
        .push(" AND o.valid_from <= ")
        .push_bind(day)
        .push(" AND (o.retired_on IS NULL OR o.retired_on > ")
        .push_bind(day)
        .push(")");
}

fn push_filters(sql: &mut QueryBuilder<'_, Sqlite>, query: &AccountQuery, scope: Scope) {
    sql.push(" WHERE 1 = 1");
    if !query.q.is_empty() {
        let pattern = crate::db::like_contains(&query.q);
        sql.push(" AND (a.name LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR a.external_id LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
    if let Some(owner) = scope.owner {
        sql.push(" AND a.owner_id = ").push_bind(owner);
    }
    if let Some(segment) = &query.segment {
        sql.push(" AND a.segment = ").push_bind(segment.clone());
    }
    if let Some(cohort) = &query.cohort {
        sql.push(
            " AND a.id IN (SELECT ac.account_id FROM account_cohorts ac \
               JOIN cohorts c ON c.id = ac.cohort_id WHERE c.name = ",
        )
        .push_bind(cohort.clone())
        .push(")");
    }
    if let Some(has_current) = query.has_current {
        sql.push(if has_current { " AND " } else { " AND NOT " })
            .push("EXISTS (SELECT 1 FROM outcomes o WHERE o.account_id = a.id");
        push_current_on(sql, scope.today);
        sql.push(")");
    }
    if let Some(days) = query.renewal_within {
        let until = scope.today + chrono::Days::new(u64::from(days));
        sql.push(" AND a.renewal_date >= ")
            .push_bind(scope.today)
            .push(" AND a.renewal_date <= ")
            .push_bind(until);
    }
}

/// How many accounts match.
async fn count(pool: &SqlitePool, query: &AccountQuery, scope: Scope) -> AppResult<i64> {
    let narrowed = !query.q.is_empty()
        || scope.owner.is_some()
        || query.segment.is_some()
        || query.cohort.is_some()
        || query.renewal_within.is_some();
    if let (Some(has_current), false) = (query.has_current, narrowed) {
        // Nothing else narrows the accounts: count the covered ones straight from the outcomes'
        // index in account order (a third of the time of checking 100k accounts one by one).
        let mut covered = QueryBuilder::<Sqlite>::new(
            "SELECT count(DISTINCT o.account_id) FROM outcomes o \
             INDEXED BY outcomes_account_coverage WHERE 1 = 1",
        );
        push_current_on(&mut covered, scope.today);
        let covered: i64 = covered.build_query_scalar().fetch_one(pool).await?;
        return Ok(if has_current {
            covered
        } else {
            let all: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
                .fetch_one(pool)
                .await?;
            all - covered
        });
    }
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM accounts a");
    push_filters(&mut count, query, scope);
    Ok(count.build_query_scalar().fetch_one(pool).await?)
}

/// The accounts matching `query` in its sort order, `limit` of them after skipping `offset`.
///
/// Two steps keep deep pages fast: the ids are read from an index in sort order (skipping
/// `OFFSET` index entries is cheap), then the display columns are joined for those ids only.
async fn window(
    pool: &SqlitePool,
    query: &AccountQuery,
    scope: Scope,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<Account>> {
    let dir = if query.desc { "DESC" } else { "ASC" };
    // Column names come from the enum, never from input; ids break ties so pages are stable.
    let order = match query.sort {
        AccountSort::Name => format!("a.name COLLATE NOCASE {dir}, a.id {dir}"),
        AccountSort::Arr => format!("a.arr {dir}, a.id {dir}"),
        AccountSort::Renewal => format!("a.renewal_date {dir}, a.id {dir}"),
        AccountSort::Owner => {
            format!("u.name COLLATE NOCASE {dir}, a.name COLLATE NOCASE {dir}, a.id {dir}")
        }
    };
    let mut ids = QueryBuilder::<Sqlite>::new(match query.sort {
        AccountSort::Owner => "SELECT a.id FROM accounts a LEFT JOIN users u ON u.id = a.owner_id",
        _ => "SELECT a.id FROM accounts a",
    });
    push_filters(&mut ids, query, scope);
    ids.push(format!(" ORDER BY {order} LIMIT "))
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    let ids: Vec<i64> = ids.build_query_scalar().fetch_all(pool).await?;
    by_ids(pool, &ids).await
}

/// The accounts with `ids`, in that order.
async fn by_ids(pool: &SqlitePool, ids: &[i64]) -> AppResult<Vec<Account>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = QueryBuilder::<Sqlite>::new(ACCOUNT_SELECT);
    select.push(" WHERE a.id IN (");
    let mut list = select.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    select.push(")");
    let rows: Vec<AccountRow> = select.build_query_as().fetch_all(pool).await?;
    let mut by_id: std::collections::HashMap<i64, AccountRow> =
        rows.into_iter().map(|row| (row.id, row)).collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(Account::from)
        .collect())
}

/// One page of accounts matching `query`, and how many match in all. A page past the end shows
/// the last page.
pub async fn list(pool: &SqlitePool, query: &AccountQuery, scope: Scope) -> AppResult<AccountPage> {
    let total = count(pool, query, scope).await?;
    let page = query.page.clamp(1, page_count(total));
    let offset = i64::from(query.on_page(page).offset());
    let items = window(pool, query, scope, offset, i64::from(PAGE_SIZE)).await?;
    Ok(AccountPage {
        items,
        total,
        page,
        owner: scope.owner,
    })
}

/// `limit` accounts matching `query` after skipping `offset`, and how many match in all (the API's
/// paging).
pub async fn list_window(
    pool: &SqlitePool,
    query: &AccountQuery,
    scope: Scope,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Account>, i64)> {
    let total = count(pool, query, scope).await?;
    Ok((window(pool, query, scope, offset, limit).await?, total))
}

/// The accounts of `ids` (any order), largest ARR first then by name: `limit` of them after
/// skipping `offset`. The ids travel as one JSON array, so a list of any length is one query.
pub async fn among(
    pool: &SqlitePool,
    ids: &[i64],
    offset: i64,
    limit: i64,
) -> AppResult<Vec<Account>> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let rows: Vec<AccountRow> = sqlx::query_as(&format!(
        "{ACCOUNT_SELECT} WHERE a.id IN (SELECT value FROM json_each(?)) \
         ORDER BY a.arr DESC, a.name COLLATE NOCASE, a.id LIMIT ? OFFSET ?"
    ))
    .bind(ids)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Account::from).collect())
}

/// What the list's filters offer: segments, cohorts, and the CSMs and other owners.
pub async fn filter_options(pool: &SqlitePool) -> AppResult<FilterOptions> {
    Ok(FilterOptions {
        segments: segments(pool).await?,
        cohorts: sqlx::query_scalar("SELECT name FROM cohorts ORDER BY name")
            .fetch_all(pool)
            .await?,
        owners: owners(&mut *pool.acquire().await?).await?,
    })
}

/// `(id, name)` of every CSM and every user who owns an account, by name.
pub async fn owners(conn: &mut sqlx::SqliteConnection) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name FROM users u \
         WHERE u.role = 'csm' OR EXISTS (SELECT 1 FROM accounts a WHERE a.owner_id = u.id) \
         ORDER BY u.name COLLATE NOCASE",
    )
    .fetch_all(conn)
    .await?)
}

/// The account with `id`, if there is one.
pub async fn find(pool: &SqlitePool, id: i64) -> AppResult<Option<Account>> {
    let row: Option<AccountRow> = sqlx::query_as(&format!("{ACCOUNT_SELECT} WHERE a.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(Account::from))
}

/// The account's contacts that are not archived, executives first, then by name.
pub async fn contacts(pool: &SqlitePool, account_id: i64) -> AppResult<Vec<Contact>> {
    Ok(sqlx::query_as(
        "SELECT id, account_id, name, email, title, role FROM contacts \
         WHERE account_id = ? AND archived_at IS NULL \
         ORDER BY CASE role WHEN 'decision_maker' THEN 0 WHEN 'executive_sponsor' THEN 1 \
                            WHEN 'champion' THEN 2 ELSE 3 END, name",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?)
}

/// The account's renewals, newest first.
pub async fn renewals(pool: &SqlitePool, account_id: i64) -> AppResult<Vec<Renewal>> {
    Ok(sqlx::query_as(
        "SELECT id, due_on, result, arr_before, arr_after FROM renewals \
         WHERE account_id = ? ORDER BY due_on DESC",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?)
}

/// Every segment name, alphabetically.
pub async fn segments(pool: &SqlitePool) -> AppResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM segments ORDER BY name")
            .fetch_all(pool)
            .await?,
    )
}

/// The owner of account `id`: `None` when there is no such account, `Some(None)` when it has no
/// owner.
pub async fn owner_of(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
) -> AppResult<Option<Option<i64>>> {
    Ok(
        sqlx::query_scalar("SELECT owner_id FROM accounts WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Whether account `id` is in the cohort named `cohort`.
pub async fn in_cohort(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    cohort: &str,
) -> AppResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM account_cohorts ac JOIN cohorts c ON c.id = ac.cohort_id \
                        WHERE ac.account_id = ? AND c.name = ?)",
    )
    .bind(id)
    .bind(cohort)
    .fetch_one(conn)
    .await?)
}

/// The editable fields of account `id` as stored (its own cadence, not the segment's).
pub async fn fields(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
) -> AppResult<Option<super::form::AccountFields>> {
    #[derive(FromRow)]
    struct Row {
        name: String,
        external_id: Option<String>,
        owner_id: Option<i64>,
        segment: String,
        arr: i64,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        renewal_date: Option<NaiveDate>,
        cadence_days: Option<i64>,
    }
    let Some(row): Option<Row> = sqlx::query_as(
        "SELECT name, external_id, owner_id, segment, arr, start_date, end_date, renewal_date, \
                cadence_days FROM accounts WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let cohorts: Vec<String> = sqlx::query_scalar(
        "SELECT c.name FROM account_cohorts ac JOIN cohorts c ON c.id = ac.cohort_id \
         WHERE ac.account_id = ? ORDER BY c.name",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(super::form::AccountFields {
        name: row.name,
        external_id: row.external_id,
        owner_id: row.owner_id,
        segment: row.segment,
        arr: row.arr,
        start_date: row.start_date,
        end_date: row.end_date,
        renewal_date: row.renewal_date,
        cadence_days: row.cadence_days,
        cohorts,
    }))
}

/// Whether a segment named `name` exists.
pub async fn segment_exists(conn: &mut sqlx::SqliteConnection, name: &str) -> AppResult<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM segments WHERE name = ?)")
            .bind(name)
            .fetch_one(conn)
            .await?,
    )
}

/// Whether user `id` exists.
pub async fn user_exists(conn: &mut sqlx::SqliteConnection, id: i64) -> AppResult<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// Creates an account; returns its id.
pub async fn insert(
    conn: &mut sqlx::SqliteConnection,
    f: &super::form::AccountFields,
    now: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO accounts (name, external_id, owner_id, segment, arr, start_date, end_date, \
             renewal_date, cadence_days, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&f.name)
    .bind(&f.external_id)
    .bind(f.owner_id)
    .bind(&f.segment)
    .bind(f.arr)
    .bind(f.start_date)
    .bind(f.end_date)
    .bind(f.renewal_date)
    .bind(f.cadence_days)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Replaces an account's facts.
pub async fn update(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    f: &super::form::AccountFields,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE accounts SET name = ?, external_id = ?, owner_id = ?, segment = ?, arr = ?, \
             start_date = ?, end_date = ?, renewal_date = ?, cadence_days = ?, updated_at = ? \
         WHERE id = ?",
    )
    .bind(&f.name)
    .bind(&f.external_id)
    .bind(f.owner_id)
    .bind(&f.segment)
    .bind(f.arr)
    .bind(f.start_date)
    .bind(f.end_date)
    .bind(f.renewal_date)
    .bind(f.cadence_days)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Makes `cohorts` the account's cohorts, creating cohorts that do not exist yet.
pub async fn set_cohorts(
    conn: &mut sqlx::SqliteConnection,
    account_id: i64,
    cohorts: &[String],
) -> AppResult<()> {
    sqlx::query("DELETE FROM account_cohorts WHERE account_id = ?")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    for name in cohorts {
        sqlx::query("INSERT OR IGNORE INTO cohorts (name) VALUES (?)")
            .bind(name)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO account_cohorts (account_id, cohort_id) \
             SELECT ?, id FROM cohorts WHERE name = ?",
        )
        .bind(account_id)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
