//! The JSON API under `/api/v1/` (its paths and field names are a contract other systems rely on).
//!
//! Read-only, for BI tools and integrations: a bearer token (or a browser session) with a role that
//! reads accounts. Every list answers `{"items": [...], "total": N}` and pages with `limit` (at most
//! 1000) and `offset`; `format=csv` answers the same fields as CSV. Unknown parameters, malformed
//! dates and ids answer 400 with `{"error", "parameter", "message"}`.

use crate::router::AppState;
use app::{
    accounts::{
        db::{self as accounts_db, Scope},
        model::{Account, AccountQuery, Contact, OwnerFilter},
    },
    error::{AppError, FieldError},
    metrics::{
        db as metrics_db,
        model::{
            self as metrics_model, series_dates, target_on, Figure, GroupBy, GroupFigures, Metrics,
            MetricsFilter, Step,
        },
    },
    outcomes::{db as outcomes_db, model::Outcome},
    reviews::{db as reviews_db, model::Review, status::ReviewStatus},
    revisions::{
        db::{self as revisions_db, History},
        model::Revision,
    },
    settings::db as settings_db,
    users::model::{CurrentUser, Permission},
    worklist::db as worklist_db,
};
use axum::{
    extract::{Path, RawQuery, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Json, Router,
};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};

/// Largest page a list answers.
const MAX_LIMIT: i64 = 1000;
/// Page size when `limit` is not given.
const DEFAULT_LIMIT: i64 = 100;

/// The API's routes, with a sample path of each (the tests call every one anonymously).
pub const ROUTES: [(&str, &str); 10] = [
    ("/api/v1/accounts", "/api/v1/accounts"),
    ("/api/v1/accounts/{id}", "/api/v1/accounts/1"),
    ("/api/v1/outcomes", "/api/v1/outcomes"),
    (
        "/api/v1/outcomes/{id}/revisions",
        "/api/v1/outcomes/1/revisions",
    ),
    ("/api/v1/reviews", "/api/v1/reviews"),
    ("/api/v1/worklist", "/api/v1/worklist?owner_id=1"),
    ("/api/v1/metrics", "/api/v1/metrics"),
    ("/api/v1/metrics/series", "/api/v1/metrics/series"),
    (
        "/api/v1/metrics/breakdown",
        "/api/v1/metrics/breakdown?by=owner",
    ),
    (
        "/api/v1/metrics/accounts",
        "/api/v1/metrics/accounts?figure=not_covered",
    ),
];

/// The API router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(ROUTES[0].0, get(accounts))
        .route(ROUTES[1].0, get(account))
        .route(ROUTES[2].0, get(outcomes))
        .route(ROUTES[3].0, get(revisions))
        .route(ROUTES[4].0, get(reviews))
        .route(ROUTES[5].0, get(worklist))
        .route(ROUTES[6].0, get(metrics))
        .route(ROUTES[7].0, get(metrics_series))
        .route(ROUTES[8].0, get(metrics_breakdown))
        .route(ROUTES[9].0, get(metrics_accounts))
}

/// An API failure, as JSON with the status a client can act on.
struct ApiError(AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = match &self.0 {
            AppError::Validation(errors) => {
                let first = errors.first();
                json!({
                    "error": "invalid_parameter",
                    "parameter": first.map(|e| e.field.as_str()),
                    "message": first.map(|e| e.message.as_str()),
                })
            }
            AppError::NotFound(what) => {
                json!({"error": "not_found", "message": format!("{what} not found")})
            }
            AppError::Unauthorized => {
                json!({"error": "unauthorized", "message": "sign in or send a bearer token"})
            }
            AppError::Forbidden => {
                json!({"error": "forbidden", "message": "this role may not read accounts"})
            }
            other => json!({"error": "internal", "message": other.to_string()}),
        };
        (status, Json(body)).into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

fn bad(parameter: &str, message: impl Into<String>) -> ApiError {
    ApiError(AppError::Validation(vec![FieldError::new(
        parameter, message,
    )]))
}

/// The caller, if their role reads accounts.
fn reader(user: &CurrentUser) -> Result<(), ApiError> {
    if Permission::ReadAccounts.allows(user.role) {
        Ok(())
    } else {
        Err(ApiError(AppError::Forbidden))
    }
}

/// The query parameters, checked against the ones an endpoint knows.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: Option<String>, known: &[&str]) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
            .map_err(|_| bad("query", "is not a valid query string"))?;
        if let Some((name, _)) = pairs
            .iter()
            .find(|(name, _)| !known.contains(&name.as_str()) && name != "format")
        {
            return Err(bad(name, "is not a parameter of this endpoint"));
        }
        Ok(Self(pairs))
    }

    /// The value of `name`, if given and not empty.
    fn text(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.clone())
    }

    fn id(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.text(name)
            .map(|v| {
                v.parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or_else(|| bad(name, "must be a positive whole number"))
            })
            .transpose()
    }

    fn date(&self, name: &str) -> Result<Option<NaiveDate>, ApiError> {
        self.text(name)
            .map(|v| {
                NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| bad(name, "must be a date like 2026-12-31"))
            })
            .transpose()
    }

    /// `(offset, limit)`.
    fn window(&self) -> Result<(i64, i64), ApiError> {
        let number = |name: &str, min: i64, max: i64, default: i64| {
            self.text(name).map_or(Ok(default), |v| {
                v.parse::<i64>()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .ok_or_else(|| bad(name, format!("must be a whole number from {min} to {max}")))
            })
        };
        Ok((
            number("offset", 0, i64::MAX, 0)?,
            number("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)?,
        ))
    }

    fn csv(&self) -> Result<bool, ApiError> {
        match self.text("format").as_deref() {
            None | Some("json") => Ok(false),
            Some("csv") => Ok(true),
            Some(_) => Err(bad("format", "must be json or csv")),
        }
    }
}

/// An id in the path.
fn path_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| bad("id", "must be a positive whole number"))
}

/// A record as the API shows it: JSON fields, and the same fields as a CSV row.
trait Record: Serialize {
    const COLUMNS: &'static [&'static str];
}

#[derive(Serialize)]
struct ApiAccount {
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
    cohorts: Vec<String>,
}

impl Record for ApiAccount {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "external_id",
        "owner_id",
        "owner_name",
        "segment",
        "arr",
        "start_date",
        "end_date",
        "renewal_date",
        "cadence_days",
        "cohorts",
    ];
}

impl From<Account> for ApiAccount {
    fn from(a: Account) -> Self {
        Self {
            id: a.id,
            name: a.name,
            external_id: a.external_id,
            owner_id: a.owner_id,
            owner_name: a.owner_name,
            segment: a.segment,
            arr: a.arr,
            start_date: a.start_date,
            end_date: a.end_date,
            renewal_date: a.renewal_date,
            cadence_days: a.cadence_days,
            cohorts: a.cohorts,
        }
    }
}

#[derive(Serialize)]
struct ApiOutcome {
    id: i64,
    account_id: i64,
    title: String,
    description: String,
    success_measure: String,
    valid_from: NaiveDate,
    expires_on: NaiveDate,
    retired_on: Option<NaiveDate>,
    status: &'static str,
    revision: i64,
    updated_at: String,
    baseline_value: Option<f64>,
    target_value: Option<f64>,
    unit: Option<String>,
}

impl Record for ApiOutcome {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "account_id",
        "title",
        "description",
        "success_measure",
        "valid_from",
        "expires_on",
        "retired_on",
        "status",
        "revision",
        "updated_at",
        "baseline_value",
        "target_value",
        "unit",
    ];
}

impl From<Outcome> for ApiOutcome {
    fn from(o: Outcome) -> Self {
        Self {
            id: o.id,
            account_id: o.account_id,
            title: o.title,
            description: o.description,
            success_measure: o.success_measure,
            valid_from: o.valid_from,
            expires_on: o.expires_on,
            retired_on: o.retired_on,
            status: o.status.as_str(),
            revision: o.revision,
            updated_at: o.updated_at,
            baseline_value: o.baseline_value,
            target_value: o.target_value,
            unit: o.unit,
        }
    }
}

impl Record for Revision {
    const COLUMNS: &'static [&'static str] =
        &["revision", "author_name", "changed_at", "reason", "changes"];
}

/// A CSV cell from a JSON value: text guarded against spreadsheet formulas, lists joined by `;`,
/// objects as JSON.
fn csv_cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// `records` as CSV: a header of `R::COLUMNS`, then a row each.
fn csv<R: Record>(records: &[R]) -> Response {
    let mut out = R::COLUMNS.join(",");
    out.push_str("\r\n");
    for record in records {
        let value = serde_json::to_value(record).unwrap_or(Value::Null);
        let row: Vec<String> = R::COLUMNS
            .iter()
            .map(|column| csv_cell(value.get(*column).unwrap_or(&Value::Null)))
            .collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        )],
        out,
    )
        .into_response()
}

/// A list answer: `{"items": [...], "total": N}` or CSV.
fn list<R: Record>(items: Vec<R>, total: i64, as_csv: bool) -> Response {
    if as_csv {
        csv(&items)
    } else {
        Json(json!({"items": items, "total": total})).into_response()
    }
}

/// `GET /api/v1/accounts?q=&owner_id=&segment=&cohort=&limit=&offset=`
async fn accounts(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    reader(&user)?;
    let params = Params::parse(
        raw,
        &["q", "owner_id", "segment", "cohort", "limit", "offset"],
    )?;
    let owner = params.id("owner_id")?;
    let (offset, limit) = params.window()?;
    let as_csv = params.csv()?;
    let query = AccountQuery {
        q: params.text("q").unwrap_or_default(),
        owner: owner.map_or(OwnerFilter::All, OwnerFilter::User),
        segment: params.text("segment"),
        cohort: params.text("cohort"),
        ..AccountQuery::default()
    };
    let scope = Scope {
        owner,
        today: chrono::Utc::now().date_naive(),
    };
    let (items, total) =
        accounts_db::list_window(&state.db.read, &query, scope, offset, limit).await?;
    Ok(list(
        items.into_iter().map(ApiAccount::from).collect(),
        total,
        as_csv,
    ))
}

#[derive(Serialize)]
struct AccountWithContacts {
    #[serde(flatten)]
    account: ApiAccount,
    contacts: Vec<Contact>,
    review_status: ReviewStatus,
    window_closes_on: NaiveDate,
    last_review_on: Option<NaiveDate>,
}

/// `GET /api/v1/accounts/{id}`: the account and its contacts.
async fn account(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    reader(&user)?;
    let id = path_id(&id)?;
    let as_csv = Params::parse(raw, &[])?.csv()?;
    let account = accounts_db::find(&state.db.read, id)
        .await?
        .ok_or_else(|| ApiError(AppError::NotFound("account".into())))?;
    if as_csv {
        return Ok(csv(&[ApiAccount::from(account)]));
    }
    let contacts = accounts_db::contacts(&state.db.read, id).await?;
    let mut conn = state.db.read.acquire().await.map_err(AppError::from)?;
    let rules = settings_db::rules(&mut conn).await?;
    let today = chrono::Utc::now().date_naive();
    let standing = reviews_db::standing(&mut conn, &account, rules.grace_days, today).await?;
    Ok(Json(AccountWithContacts {
        account: account.into(),
        contacts,
        review_status: standing.status,
        window_closes_on: standing.window_closes_on,
        last_review_on: standing.last_review_on,
    })
    .into_response())
}

/// `GET /api/v1/outcomes?account_id=&current_on=YYYY-MM-DD&limit=&offset=`
async fn outcomes(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    reader(&user)?;
    let params = Params::parse(raw, &["account_id", "current_on", "limit", "offset"])?;
    let filter = outcomes_db::OutcomeFilter {
        account_id: params.id("account_id")?,
        current_on: params.date("current_on")?,
    };
    let (offset, limit) = params.window()?;
    let as_csv = params.csv()?;
    let (items, total) = outcomes_db::list(&state.db.read, &filter, offset, limit).await?;
    Ok(list(
        items.into_iter().map(ApiOutcome::from).collect(),
        total,
        as_csv,
    ))
}

/// `GET /api/v1/outcomes/{id}/revisions`: the outcome's revisions, oldest first.
async fn revisions(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    reader(&user)?;
    let id = path_id(&id)?;
    let as_csv = Params::parse(raw, &[])?.csv()?;
    let mut conn = state.db.read.acquire().await.map_err(AppError::from)?;
    if outcomes_db::find(&mut conn, id).await?.is_none() {
        return Err(ApiError(AppError::NotFound("outcome".into())));
    }
    let mut revisions = revisions_db::after(&mut conn, History::Outcome, id, 0).await?;
    revisions.reverse();
    Ok(if as_csv {
        csv(&revisions)
    } else {
        Json(revisions).into_response()
    })
}

impl Record for Review {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "account_id",
        "scheduled_on",
        "held_on",
        "cancelled",
        "counts",
        "executive_present",
        "attendees",
        "assessments",
        "notes",
    ];
}

/// `GET /api/v1/reviews?account_id=&from=&to=&limit=&offset=`: reviews by date (held, else
/// scheduled), with attendees and assessments.
async fn reviews(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    reader(&user)?;
    let params = Params::parse(raw, &["account_id", "from", "to", "limit", "offset"])?;
    let filter = reviews_db::ReviewFilter {
        account_id: params.id("account_id")?,
        from: params.date("from")?,
        to: params.date("to")?,
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err(bad("to", "must not be before from"));
        }
    }
    let (offset, limit) = params.window()?;
    let as_csv = params.csv()?;
    let (items, total) = reviews_db::list(&state.db.read, &filter, offset, limit).await?;
    Ok(list(items, total, as_csv))
}

/// `GET /api/v1/worklist?owner_id=`: the owner's accounts that need action today, by group, each
/// a list of account ids with the reason.
async fn worklist(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    reader(&user)?;
    let params = Params::parse(raw, &["owner_id"])?;
    let owner_id = params
        .id("owner_id")?
        .ok_or_else(|| bad("owner_id", "is required"))?;
    let mut conn = state.db.read.acquire().await.map_err(AppError::from)?;
    if !accounts_db::owners(&mut conn)
        .await?
        .iter()
        .any(|(id, _)| *id == owner_id)
    {
        return Err(ApiError(AppError::NotFound("owner".into())));
    }
    let rules = settings_db::rules(&mut conn).await?;
    let today = chrono::Utc::now().date_naive();
    let groups = worklist_db::groups(
        &mut conn,
        &app::worklist::model::Scope::Owner(owner_id),
        &rules,
        today,
    )
    .await?;
    let groups: serde_json::Map<String, Value> = groups
        .into_iter()
        .map(|g| {
            let items: Vec<Value> = g
                .items
                .into_iter()
                .map(|item| {
                    json!({
                        "account_id": item.account_id,
                        "account_name": item.account_name,
                        "reason": item.reason,
                        "arr": item.arr,
                        "outcome_id": item.outcome_id,
                    })
                })
                .collect();
            (g.group.as_str().to_string(), Value::Array(items))
        })
        .collect();
    Ok(Json(json!({
        "owner_id": owner_id,
        "as_of": today,
        "groups": groups,
    }))
    .into_response())
}

/// The metrics' fields, as CSV columns.
const METRIC_COLUMNS: [&str; 16] = [
    "as_of",
    "active_accounts",
    "covered_accounts",
    "coverage",
    "on_schedule_accounts",
    "keystone",
    "executive_participation",
    "stale_outcomes",
    "expiring_outcomes",
    "early_warning_accounts",
    "early_warning_arr",
    "onboarding_gaps",
    "on_track_outcomes",
    "at_risk_outcomes",
    "off_track_outcomes",
    "achieved_outcomes",
];

impl Record for Metrics {
    const COLUMNS: &'static [&'static str] = &METRIC_COLUMNS;
}

/// What a breakdown adds to each group's metrics: the leading indicator against the lagging one.
const LAGGING_COLUMNS: [&str; 4] = [
    "keystone_12_months",
    "renewal_rate",
    "renewed_arr",
    "renewal_due_arr",
];

/// One group of a breakdown: its key and name, its metrics, then 12 months of keystone against
/// the renewal rate.
#[derive(Serialize)]
struct Grouped {
    key: String,
    name: String,
    #[serde(flatten)]
    metrics: Metrics,
    keystone_12_months: Option<f64>,
    renewal_rate: Option<f64>,
    renewed_arr: i64,
    renewal_due_arr: i64,
}

impl From<GroupFigures> for Grouped {
    fn from(g: GroupFigures) -> Self {
        Self {
            keystone_12_months: g.leading_lagging.keystone(),
            renewal_rate: g.leading_lagging.renewal_rate(),
            renewed_arr: g.leading_lagging.renewed_arr,
            renewal_due_arr: g.leading_lagging.due_arr,
            key: g.key,
            name: g.name,
            metrics: g.metrics,
        }
    }
}

impl Record for Grouped {
    const COLUMNS: &'static [&'static str] = &{
        let mut columns = [""; 2 + METRIC_COLUMNS.len() + LAGGING_COLUMNS.len()];
        columns[0] = "key";
        columns[1] = "name";
        let mut i = 0;
        while i < METRIC_COLUMNS.len() {
            columns[2 + i] = METRIC_COLUMNS[i];
            i += 1;
        }
        let mut j = 0;
        while j < LAGGING_COLUMNS.len() {
            columns[2 + METRIC_COLUMNS.len() + j] = LAGGING_COLUMNS[j];
            j += 1;
        }
        columns
    };
}

/// The accounts a metrics request is about.
fn metrics_filter(params: &Params) -> Result<MetricsFilter, ApiError> {
    Ok(MetricsFilter {
        segment: params.text("segment"),
        cohort: params.text("cohort"),
        owner_id: params.id("owner_id")?,
    })
}

/// `GET /api/v1/metrics?as_of=&segment=&cohort=&owner_id=`: the metrics on one day (today by
/// default).
async fn metrics(
    State(state): State<AppState>,
    // Any signed-in role: viewers read dashboards, and these are what dashboards show.
    Extension(_signed_in): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let params = Params::parse(raw, &["as_of", "segment", "cohort", "owner_id"])?;
    let filter = metrics_filter(&params)?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let as_csv = params.csv()?;
    let (dataset, rules) = metrics_db::with_rules(&state.db).await?;
    let figures = dataset.metrics_on(&rules, &filter, as_of);
    Ok(if as_csv {
        csv(&[figures])
    } else {
        Json(figures).into_response()
    })
}

/// `GET /api/v1/metrics/series?from=&to=&step=week|month&segment=&cohort=&owner_id=`: the metrics
/// at every step from `from` (a year before `to` by default) to `to` (today by default), with the
/// coverage and keystone targets of each point (fractions, `null` without a target ramp).
async fn metrics_series(
    State(state): State<AppState>,
    // Any signed-in role: viewers read dashboards, and these are what dashboards show.
    Extension(_signed_in): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let params = Params::parse(
        raw,
        &["from", "to", "step", "segment", "cohort", "owner_id"],
    )?;
    let filter = metrics_filter(&params)?;
    let to = params
        .date("to")?
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let from = match params.date("from")? {
        Some(from) => from,
        None => to - chrono::Days::new(364),
    };
    if from > to {
        return Err(bad("from", "must not be after to"));
    }
    let step = match params.text("step") {
        None => Step::Week,
        Some(step) => Step::parse(&step).ok_or_else(|| bad("step", "must be week or month"))?,
    };
    let dates = series_dates(from, to, step);
    if dates.len() >= metrics_model::MAX_POINTS {
        return Err(bad(
            "from",
            format!(
                "the series is limited to {} points",
                metrics_model::MAX_POINTS
            ),
        ));
    }
    let as_csv = params.csv()?;
    let (dataset, rules) = metrics_db::with_rules(&state.db).await?;
    let mut conn = state.db.read.acquire().await.map_err(AppError::from)?;
    let points = dataset.series(&rules, &filter, &dates);
    if as_csv {
        return Ok(csv(&points));
    }
    let mut targets = serde_json::Map::new();
    for metric in ["coverage", "keystone"] {
        let ramp = metrics_db::ramp(&mut conn, metric, filter.segment.as_deref()).await?;
        let values: Vec<Value> = dates
            .iter()
            .map(|day| json!(target_on(&ramp, *day).map(|percent| percent / 100.0)))
            .collect();
        targets.insert(metric.to_string(), Value::Array(values));
    }
    Ok(Json(json!({"points": points, "targets": targets})).into_response())
}

/// `GET /api/v1/metrics/breakdown?as_of=&by=owner|segment|cohort&segment=&cohort=&owner_id=`: the
/// metrics per group, each with its `key` and `name`, and its keystone over 12 months against its
/// renewal rate (renewed ARR / ARR due and decided in those 12 months).
async fn metrics_breakdown(
    State(state): State<AppState>,
    // Any signed-in role: viewers read dashboards, and these are what dashboards show.
    Extension(_signed_in): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let params = Params::parse(raw, &["as_of", "by", "segment", "cohort", "owner_id"])?;
    let filter = metrics_filter(&params)?;
    let by = params
        .text("by")
        .and_then(|by| GroupBy::parse(&by))
        .ok_or_else(|| bad("by", "must be owner, segment or cohort"))?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let as_csv = params.csv()?;
    let rows: Vec<Grouped> = metrics_db::groups(&state.db, &filter, by, as_of)
        .await?
        .into_iter()
        .map(Grouped::from)
        .collect();
    if as_csv {
        return Ok(csv(&rows));
    }
    Ok(Json(json!({"as_of": as_of, "by": by, "items": rows})).into_response())
}

/// `GET /api/v1/metrics/accounts?figure=&as_of=&segment=&cohort=&owner_id=&limit=&offset=`: the
/// accounts behind a figure (`not_covered`, `not_on_schedule`, `early_warning`, …), largest ARR
/// first, as `{"items": [Account], "total": N}`. As CSV without a `limit`, every one of them.
async fn metrics_accounts(
    State(state): State<AppState>,
    // Any signed-in role: viewers read dashboards, and these are what dashboards show.
    Extension(_signed_in): Extension<CurrentUser>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let params = Params::parse(
        raw,
        &[
            "figure", "as_of", "segment", "cohort", "owner_id", "limit", "offset",
        ],
    )?;
    let figure = params
        .text("figure")
        .and_then(|f| Figure::parse(&f))
        .ok_or_else(|| {
            let names: Vec<&str> = Figure::all().into_iter().map(Figure::key).collect();
            bad("figure", format!("must be one of {}", names.join(", ")))
        })?;
    let filter = metrics_filter(&params)?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let as_csv = params.csv()?;
    let (offset, mut limit) = params.window()?;
    if as_csv && params.text("limit").is_none() {
        limit = i64::MAX;
    }
    let (dataset, rules) = metrics_db::with_rules(&state.db).await?;
    let ids = dataset.accounts_behind(&rules, &filter, figure, as_of);
    let items = accounts_db::among(&state.db.read, &ids, offset, limit).await?;
    Ok(list(
        items.into_iter().map(ApiAccount::from).collect(),
        i64::try_from(ids.len()).unwrap_or(i64::MAX),
        as_csv,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_when_needed_and_never_start_a_formula() {
        assert_eq!(csv_cell(&json!("Acme, Inc.")), "\"Acme, Inc.\"");
        assert_eq!(csv_cell(&json!("say \"hi\"")), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell(&json!("=HYPERLINK(1)")), "'=HYPERLINK(1)");
        assert_eq!(csv_cell(&json!(-5)), "-5");
        assert_eq!(csv_cell(&json!(["pilot", "beta"])), "pilot;beta");
        assert_eq!(csv_cell(&Value::Null), "");
    }
}
