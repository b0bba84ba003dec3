//! Loading the dated records the metrics engine reads, and the target ramps (server only).

use super::engine::{AccountRecord, Dataset, OutcomeRecord, RenewalRecord, ReviewRecord};
use super::model::{name_owners, GroupBy, GroupFigures, MetricsFilter, Milestone};
use crate::accounts::model::RenewalResult;
use crate::error::AppResult;
use crate::outcomes::model::OutcomeStatus;
use crate::reviews::db::{executive_roles, COUNTING};
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use std::sync::Arc;

/// The last loaded records and the commit count they reflect.
#[derive(Debug, Default)]
pub struct Cache(tokio::sync::Mutex<Option<(u64, Arc<Dataset>)>>);

/// The records as of the last commit: shared while nothing was committed; after writes that said
/// which accounts they changed, only those accounts are read again; after any other write,
/// everything is. So a write shows in the next request's figures.
pub async fn current(db: &crate::db::Db) -> AppResult<Arc<Dataset>> {
    let mut cached = db.metrics.0.lock().await;
    let commits = db.commits.load(std::sync::atomic::Ordering::SeqCst);
    if let Some((seen, dataset)) = cached.as_ref() {
        if *seen == commits {
            return Ok(dataset.clone());
        }
    }
    let changed = std::mem::take(&mut *db.changed.lock().unwrap_or_else(|e| e.into_inner()));
    let mut conn = db.read.acquire().await?;
    let dataset = match cached.take() {
        Some((_, dataset)) if !changed.everything && changed.accounts.len() <= 1000 => {
            let ids: Vec<i64> = changed.accounts.into_iter().collect();
            if ids.is_empty() {
                dataset
            } else {
                let fresh = load(&mut conn, Some(&ids)).await?;
                let mut dataset = Arc::unwrap_or_clone(dataset);
                dataset.replace(&ids, fresh.accounts);
                Arc::new(dataset)
            }
        }
        _ => Arc::new(load(&mut conn, None).await?),
    };
    *cached = Some((commits, dataset.clone()));
    Ok(dataset)
}

/// The records as of the last commit (see [`current`]) and the rules' settings to read them
/// with: what every metrics answer starts from.
pub async fn with_rules(db: &crate::db::Db) -> AppResult<(Arc<Dataset>, crate::settings::Rules)> {
    let dataset = current(db).await?;
    let rules = crate::settings::db::rules(&mut *db.read.acquire().await?).await?;
    Ok((dataset, rules))
}

/// The breakdown by `by` on `on` of the accounts of `filter`: each group's metrics, its leading
/// vs lagging figures, and its name (owners by name).
pub async fn groups(
    db: &crate::db::Db,
    filter: &MetricsFilter,
    by: GroupBy,
    on: NaiveDate,
) -> AppResult<Vec<GroupFigures>> {
    let (dataset, rules) = with_rules(db).await?;
    let groups = dataset.breakdown(&rules, filter, by, on);
    Ok(match by {
        GroupBy::Owner => {
            let owners = crate::accounts::db::owners(&mut *db.read.acquire().await?).await?;
            name_owners(groups, &owners)
        }
        GroupBy::Segment | GroupBy::Cohort => groups,
    })
}

/// Every account (or only those of `only`) with its outcomes (validity, touches, statuses),
/// counting reviews and renewals.
pub async fn load(conn: &mut SqliteConnection, only: Option<&[i64]>) -> AppResult<Dataset> {
    // Ids are numbers, so the list is written into the SQL; `1 = 1` without one.
    let within = |column: &str| match only {
        None => "1 = 1".to_string(),
        Some(ids) => format!(
            "{column} IN ({})",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    #[derive(sqlx::FromRow)]
    struct AccountRow {
        id: i64,
        owner_id: Option<i64>,
        segment: String,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        cadence_days: i64,
    }
    let accounts: Vec<AccountRow> = sqlx::query_as(&format!(
        "SELECT a.id, a.owner_id, a.segment, a.start_date, a.end_date, \
                coalesce(a.cadence_days, s.cadence_days) AS cadence_days \
         FROM accounts a JOIN segments s ON s.name = a.segment WHERE {} ORDER BY a.id",
        within("a.id")
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut index: HashMap<i64, usize> = HashMap::with_capacity(accounts.len());
    let mut records: Vec<AccountRecord> = accounts
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            index.insert(row.id, i);
            AccountRecord {
                id: row.id,
                owner_id: row.owner_id,
                segment: row.segment,
                cohorts: Vec::new(),
                start_date: row.start_date,
                end_date: row.end_date,
                cadence_days: row.cadence_days,
                outcomes: Vec::new(),
                reviews: Vec::new(),
                renewals: Vec::new(),
            }
        })
        .collect();
    let of = |account_id: i64| index.get(&account_id).copied();

    let cohorts: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT ac.account_id, c.name FROM account_cohorts ac JOIN cohorts c ON c.id = ac.cohort_id \
         WHERE {} ORDER BY c.name",
        within("ac.account_id")
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (account_id, name) in cohorts {
        if let Some(i) = of(account_id) {
            records[i].cohorts.push(name);
        }
    }

    // Outcomes, then what touched them and the statuses their revisions set, in date order.
    #[derive(sqlx::FromRow)]
    struct OutcomeRow {
        id: i64,
        account_id: i64,
        valid_from: NaiveDate,
        expires_on: NaiveDate,
        retired_on: Option<NaiveDate>,
        status: OutcomeStatus,
    }
    let outcomes: Vec<OutcomeRow> = sqlx::query_as(&format!(
        "SELECT id, account_id, valid_from, expires_on, retired_on, status FROM outcomes \
         WHERE {} ORDER BY id",
        within("account_id")
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut touched: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    let mut statuses: HashMap<i64, Vec<(NaiveDate, OutcomeStatus)>> = HashMap::new();
    let revisions: Vec<(i64, NaiveDate, Option<OutcomeStatus>)> = sqlx::query_as(&format!(
        "SELECT outcome_id, substr(changed_at, 1, 10), \
                json_extract(changes, '$.status.new') \
         FROM outcome_revisions WHERE {} ORDER BY outcome_id, revision",
        match only {
            None => "1 = 1".to_string(),
            Some(_) => format!(
                "outcome_id IN (SELECT id FROM outcomes WHERE {})",
                within("account_id")
            ),
        }
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (outcome_id, day, status) in revisions {
        touched.entry(outcome_id).or_default().push(day);
        if let Some(status) = status {
            statuses.entry(outcome_id).or_default().push((day, status));
        }
    }
    let assessed: Vec<(i64, NaiveDate)> = sqlx::query_as(&format!(
        "SELECT x.outcome_id, r.held_on FROM assessments x JOIN reviews r ON r.id = x.review_id \
         WHERE {COUNTING} AND {}",
        within("r.account_id")
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (outcome_id, day) in assessed {
        touched.entry(outcome_id).or_default().push(day);
    }
    for OutcomeRow {
        id,
        account_id,
        valid_from,
        expires_on,
        retired_on,
        status,
    } in outcomes
    {
        let Some(i) = of(account_id) else { continue };
        let mut touches = touched.remove(&id).unwrap_or_default();
        touches.sort_unstable();
        let mut set = statuses.remove(&id).unwrap_or_default();
        set.sort_by_key(|(day, _)| *day);
        if set.is_empty() {
            set.push((valid_from, status));
        }
        records[i].outcomes.push(OutcomeRecord {
            valid_from,
            expires_on,
            retired_on,
            touched: touches,
            statuses: set,
        });
    }

    // Counting reviews, and separately which reviews had an executive: two plain scans instead of
    // a correlated subquery per review.
    let with_executive: std::collections::HashSet<i64> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT ra.review_id FROM review_attendees ra \
         JOIN contacts c ON c.id = ra.contact_id WHERE c.role IN ({}) AND {}",
        executive_roles(),
        within("c.account_id")
    ))
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let reviews: Vec<(i64, i64, NaiveDate)> = sqlx::query_as(&format!(
        "SELECT r.id, r.account_id, r.held_on FROM reviews r WHERE {COUNTING} AND {}",
        within("r.account_id")
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (id, account_id, held_on) in reviews {
        if let Some(i) = of(account_id) {
            records[i].reviews.push(ReviewRecord {
                held_on,
                executive_present: with_executive.contains(&id),
            });
        }
    }

    let renewals: Vec<(i64, NaiveDate, i64, RenewalResult)> = sqlx::query_as(&format!(
        "SELECT account_id, due_on, arr_before, result FROM renewals WHERE {}",
        within("account_id")
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (account_id, due_on, arr, result) in renewals {
        if let Some(i) = of(account_id) {
            records[i].renewals.push(RenewalRecord {
                due_on,
                arr,
                result,
            });
        }
    }
    for record in &mut records {
        record.reviews.sort_by_key(|r| r.held_on);
        record.renewals.sort_by_key(|r| r.due_on);
    }
    Ok(Dataset { accounts: records })
}

/// The day cohort `name` started, when it has one.
pub async fn cohort_start(conn: &mut SqliteConnection, name: &str) -> AppResult<Option<NaiveDate>> {
    Ok(
        sqlx::query_scalar("SELECT started_on FROM cohorts WHERE name = ?")
            .bind(name)
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}

/// The target ramp of `metric` (`coverage`, `keystone`) for `segment`: its own milestones when it
/// has any, the company-wide ones otherwise; sorted by day.
pub async fn ramp(
    conn: &mut SqliteConnection,
    metric: &str,
    segment: Option<&str>,
) -> AppResult<Vec<Milestone>> {
    let rows: Vec<(Option<String>, NaiveDate, f64)> = sqlx::query_as(
        "SELECT segment, on_date, percent FROM targets \
         WHERE metric = ? AND (segment IS NULL OR segment = ?) ORDER BY on_date",
    )
    .bind(metric)
    .bind(segment)
    .fetch_all(conn)
    .await?;
    let own = rows.iter().any(|(s, _, _)| s.is_some());
    Ok(rows
        .into_iter()
        .filter(|(s, _, _)| s.is_some() == own)
        .map(|(_, on, percent)| Milestone { on, percent })
        .collect())
}
